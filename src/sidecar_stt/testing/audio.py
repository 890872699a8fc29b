"""Test audio helpers: synthetic Norwegian speech, silence, WAV I/O, frames, and caller scripts.

Numpy + stdlib (``wave``, ``subprocess``); only :func:`pcm_to_frames` imports LiveKit, lazily.
PCM is always a 1-D ``numpy.int16`` array (mono).

- :func:`synthesize_speech` runs Debian ``espeak-ng --stdout`` and resamples to ``sample_rate`` with
  :func:`resample`, which runs ``sox`` (deterministic, which test audio needs; not LiveKit's resampler).
- :func:`silence`, :func:`concat`, :func:`read_wav`, :func:`write_wav`, :func:`pcm_to_frames`.
- :func:`build_caller_audio` turns ``[(text, pause_s), ...]`` into one :class:`CallerAudio` (PCM plus the speech
  span of each utterance on the audio clock).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sidecar_stt.errors import AudioError

if TYPE_CHECKING:
    from livekit import rtc

__all__ = [
    "CallerAudio",
    "build_caller_audio",
    "concat",
    "pcm_to_frames",
    "read_wav",
    "resample",
    "silence",
    "synthesize_speech",
    "trim_silence",
    "voiced_bounds",
    "write_wav",
]

PCM = npt.NDArray[np.int16]

_INSTALL_HINT = "install the espeak-ng package (Debian, Ubuntu: apt-get install espeak-ng)"


def silence(duration_s: float, *, sample_rate: int = 24000) -> PCM:
    """``duration_s`` of digital silence."""
    return np.zeros(max(0, round(duration_s * sample_rate)), dtype=np.int16)


def concat(*parts: PCM | Sequence[PCM]) -> PCM:
    """Concatenate PCM arrays (given as arguments or as one sequence)."""
    arrays: list[PCM] = []
    for part in parts:
        if isinstance(part, np.ndarray):
            arrays.append(part)
        else:
            arrays.extend(part)
    if not arrays:
        return np.zeros(0, dtype=np.int16)
    return np.concatenate([np.asarray(a, dtype=np.int16).reshape(-1) for a in arrays])


def resample(pcm: PCM, *, from_rate: int, to_rate: int) -> PCM:
    """Resample int16 mono PCM with ``sox`` (its very-high-quality ``rate``, no dither): the same input always
    gives the same output, which test audio needs (LiveKit's resampler, used on the live path, may differ by a
    unit between runs when its library runs threaded)."""
    if from_rate == to_rate or len(pcm) == 0:
        return pcm.astype(np.int16, copy=True)
    sox = shutil.which("sox")
    if sox is None:
        raise AudioError("sox is not installed; install the sox package (Debian, Ubuntu: apt-get install sox)")
    raw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", "-L"]
    command = [sox, "-D", *raw, "-r", str(from_rate), "-", *raw, "-r", str(to_rate), "-", "rate", "-v"]
    try:
        out = subprocess.run(
            command, input=np.ascontiguousarray(pcm, dtype="<i2").tobytes(), capture_output=True, check=True
        ).stdout
    except subprocess.CalledProcessError as e:
        raise AudioError("sox failed to resample") from e
    return np.frombuffer(out, dtype="<i2").astype(np.int16)


def _decode_wav_bytes(data: bytes) -> tuple[PCM, int]:
    try:
        with wave.open(io.BytesIO(data), "rb") as wf:
            channels = wf.getnchannels()
            width = wf.getsampwidth()
            rate = wf.getframerate()
            frames = wf.readframes(wf.getnframes())
    except (wave.Error, EOFError) as e:
        raise AudioError("not a readable PCM WAV") from e
    if width != 2:
        raise AudioError("only 16-bit PCM WAV is supported")
    pcm = np.frombuffer(frames, dtype="<i2")
    if channels > 1:
        pcm = pcm[: len(pcm) - len(pcm) % channels].reshape(-1, channels).mean(axis=1).round().astype("<i2")
    return pcm.astype(np.int16), rate


def synthesize_speech(
    text: str,
    *,
    voice: str = "nb",
    rate_wpm: int = 160,
    pitch: int = 50,
    sample_rate: int = 24000,
) -> PCM:
    """Speak ``text`` with ``espeak-ng`` and return int16 mono PCM at ``sample_rate``.

    Raises:
        AudioError: ``espeak-ng`` is missing or failed.
    """
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise AudioError(f"espeak-ng is not installed; {_INSTALL_HINT}")
    try:
        proc = subprocess.run(
            [exe, "--stdout", "-v", voice, "-s", str(rate_wpm), "-p", str(pitch), text],
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        raise AudioError("espeak-ng failed to synthesize speech") from e
    pcm, rate = _decode_wav_bytes(proc.stdout)
    return resample(pcm, from_rate=rate, to_rate=sample_rate)


def read_wav(path: str | Path) -> tuple[PCM, int]:
    """Read a 16-bit PCM WAV file; return (mono int16 PCM, sample rate). Multi-channel audio is averaged."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise AudioError("cannot read WAV file") from e
    return _decode_wav_bytes(data)


def write_wav(path: str | Path, pcm: PCM, sample_rate: int) -> None:
    """Write int16 mono PCM as a WAV file."""
    data = np.asarray(pcm, dtype="<i2").reshape(-1).tobytes()
    try:
        with wave.open(str(path), "wb") as wf:
            wf.setnchannels(1)
            wf.setsampwidth(2)
            wf.setframerate(sample_rate)
            wf.writeframes(data)
    except OSError as e:
        raise AudioError("cannot write WAV file") from e


def pcm_to_frames(pcm: PCM, *, sample_rate: int = 24000, frame_ms: int = 20) -> list[rtc.AudioFrame]:
    """Split PCM into LiveKit ``rtc.AudioFrame`` s of ``frame_ms`` (the last one may be shorter)."""
    from livekit import rtc

    step = max(1, sample_rate * frame_ms // 1000)
    data = np.asarray(pcm, dtype="<i2").reshape(-1)
    frames: list[rtc.AudioFrame] = []
    for i in range(0, len(data), step):
        chunk = data[i : i + step]
        frames.append(
            rtc.AudioFrame(
                data=chunk.tobytes(), sample_rate=sample_rate, num_channels=1, samples_per_channel=len(chunk)
            )
        )
    return frames


def voiced_bounds(pcm: PCM, *, sample_rate: int = 24000, threshold_dbfs: float = -45.0) -> tuple[int, int]:
    """``(first, end)`` samples of the voiced part of ``pcm``: from the first to the end of the last 10 ms frame
    louder than ``threshold_dbfs`` (the fake server's VAD threshold), ``(0, 0)`` when nothing is. Synthetic speech
    has quiet lead-in and tail; a turn detector hears only this part."""
    frame = max(1, sample_rate // 100)
    n = len(pcm) // frame
    if n == 0:
        return 0, 0
    levels = np.sqrt(np.mean(pcm[: n * frame].astype(np.float64).reshape(n, frame) ** 2, axis=1))
    voiced = np.flatnonzero(levels > 32768.0 * 10.0 ** (threshold_dbfs / 20.0))
    if len(voiced) == 0:
        return 0, 0
    return int(voiced[0]) * frame, (int(voiced[-1]) + 1) * frame


def trim_silence(pcm: PCM, *, sample_rate: int = 24000, threshold_dbfs: float = -45.0) -> PCM:
    """Drop leading and trailing audio quieter than ``threshold_dbfs`` (10 ms frames)."""
    first, end = voiced_bounds(pcm, sample_rate=sample_rate, threshold_dbfs=threshold_dbfs)
    return pcm[first:end]


@dataclass(frozen=True)
class CallerAudio:
    """Caller audio built by :func:`build_caller_audio`."""

    pcm: PCM
    sample_rate: int
    spans: list[tuple[float, float]]
    """(start_s, end_s) of each utterance's speech on the audio clock."""

    @property
    def duration_s(self) -> float:
        """Length of the audio in seconds."""
        return len(self.pcm) / self.sample_rate


def build_caller_audio(
    utterances: Sequence[tuple[str, float]],
    *,
    lead_in_s: float = 0.2,
    sample_rate: int = 24000,
    voice: str = "nb",
    rate_wpm: int = 160,
    synthesize: Callable[[str], PCM] | None = None,
) -> CallerAudio:
    """Build one caller recording from ``[(text, pause_after_s), ...]``.

    Each utterance is synthesized (``synthesize`` overrides :func:`synthesize_speech`), trimmed of its own
    leading/trailing silence, and followed by ``pause_after_s`` of silence; ``lead_in_s`` of silence opens it.
    """
    parts: list[PCM] = [silence(lead_in_s, sample_rate=sample_rate)]
    spans: list[tuple[float, float]] = []
    pos = len(parts[0])
    for text, pause_s in utterances:
        if synthesize is not None:
            speech = synthesize(text)
        else:
            speech = synthesize_speech(text, voice=voice, rate_wpm=rate_wpm, sample_rate=sample_rate)
        speech = trim_silence(speech, sample_rate=sample_rate)
        spans.append((pos / sample_rate, (pos + len(speech)) / sample_rate))
        gap = silence(pause_s, sample_rate=sample_rate)
        parts.extend([speech, gap])
        pos += len(speech) + len(gap)
    return CallerAudio(pcm=concat(parts), sample_rate=sample_rate, spans=spans)
