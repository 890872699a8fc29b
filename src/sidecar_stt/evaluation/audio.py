"""Reading dataset audio: WAV, FLAC, OGG or MP3, mono or stereo, one channel out as 16-bit PCM.

``soundfile`` (libsndfile) reads WAV, FLAC, OGG and — from libsndfile 1.1 — MP3. When it cannot read a file,
``sox`` converts it to WAV in a temporary folder and that is read instead. Blocking: call it from a worker
thread when an event loop is running.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..errors import AudioError

__all__ = ["LoadedAudio", "check_audio", "file_sha256", "load_audio"]


@dataclass(frozen=True, slots=True)
class LoadedAudio:
    """One channel of a recording as int16 samples."""

    samples: npt.NDArray[np.int16]
    sample_rate: int
    channels: int
    """How many channels the file had."""

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_soundfile(path: Path) -> tuple[npt.NDArray[np.int16], int]:
    import soundfile

    data, rate = soundfile.read(str(path), dtype="int16", always_2d=True)
    return np.asarray(data, dtype=np.int16), int(rate)


def _read_with_sox(path: Path) -> tuple[npt.NDArray[np.int16], int]:
    sox = shutil.which("sox")
    if sox is None:
        raise AudioError(f"cannot decode {path.name}: soundfile cannot read it and sox is not installed")
    with tempfile.TemporaryDirectory(prefix="sidecar-audio-") as tmp:
        out = Path(tmp) / "audio.wav"
        proc = subprocess.run(
            [sox, "-D", str(path), "-b", "16", "-e", "signed-integer", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "sox failed"
            raise AudioError(f"cannot decode {path.name}: {reason}")
        return _read_soundfile(out)


def load_audio(path: str | Path, *, channel: int = 0) -> LoadedAudio:
    """Read ``channel`` of an audio file as int16; raises :class:`~sidecar_stt.errors.AudioError`."""
    p = Path(path)
    if not p.is_file():
        raise AudioError(f"audio file not found: {p}")
    try:
        data, rate = _read_soundfile(p)
    except AudioError:
        raise
    except Exception:  # libsndfile raises its own error types for formats it lacks
        data, rate = _read_with_sox(p)
    if data.ndim != 2 or data.shape[0] == 0:
        raise AudioError(f"audio file holds no samples: {p.name}")
    channels = int(data.shape[1])
    if channel >= channels:
        raise AudioError(f"{p.name} has {channels} channel(s); channel {channel} does not exist")
    samples = np.ascontiguousarray(data[:, channel], dtype=np.int16)
    return LoadedAudio(samples=samples, sample_rate=rate, channels=channels)


def check_audio(paths: Iterable[str | Path]) -> None:
    """Read every file once; raise one :class:`AudioError` naming each one that cannot be used, and why.

    Blocking, like :func:`load_audio`. A file listed twice is read once.
    """
    problems: list[str] = []
    for path in dict.fromkeys(Path(p) for p in paths):
        try:
            load_audio(path)
        except AudioError as e:
            problems.append(str(e))
    if problems:
        count = f"{len(problems)} audio file{'s' if len(problems) > 1 else ''}"
        raise AudioError(f"{count} cannot be used ({'; '.join(problems)}); fix or remove them in the manifest")
