"""``CallerAudioInput``: a caller who speaks when told to, for dialogues that react to the agent.

Unlike :class:`~sidecar_stt.testing.io.FramesAudioInput`, which plays one recording start to end, this input
plays utterances queued with :meth:`CallerAudioInput.say` (each followed by ``trailing_silence_s``) and delivers
no frames while nothing is queued, the way a caller is silent on the line while the agent talks. Time on the
audio clock advances only with delivered audio, so scripted engines and server-side VAD see the same timeline
at any ``speed``::

    caller = CallerAudioInput(speed=None)
    session.input.audio = caller
    span = caller.say(synthesize_speech("ja, det stemmer"))   # (start_s, end_s) of the speech
    await caller.wait_idle()
    caller.finish()
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from livekit import rtc
from livekit.agents.voice import io

from .audio import pcm_to_frames, silence, voiced_bounds

__all__ = ["CallerAudioInput", "planned_spans"]


class CallerAudioInput(io.AudioInput):
    """An ``io.AudioInput`` fed utterance by utterance. ``speed``: 1.0 real time, ``None``/"max" at once.
    With ``num_channels`` > 1 the speech is on the first channel and the others are silent (as a stereo room track
    with the caller on one side)."""

    def __init__(
        self,
        *,
        sample_rate: int = 24000,
        frame_ms: int = 20,
        speed: float | Literal["max"] | None = None,
        trailing_silence_s: float = 0.8,
        num_channels: int = 1,
        label: str = "CallerAudioInput",
    ) -> None:
        super().__init__(label=label)
        self._num_channels = num_channels
        if speed is not None and speed != "max" and speed <= 0:
            raise ValueError("speed must be positive, None or 'max'")
        self._speed: float | None = None if speed in (None, "max") else float(speed)
        self._sample_rate = sample_rate
        self._frame_ms = frame_ms
        self._trailing_silence_s = trailing_silence_s
        self._frames: deque[rtc.AudioFrame] = deque()
        self._queued_s = 0.0  # audio clock at the end of everything queued so far
        self._speech_end_s = 0.0  # audio clock at the end of the last queued utterance's speech
        self._played_s = 0.0
        self._delivered = bytearray()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._finished = False
        self._pace_origin: tuple[float, float] | None = None  # (loop time, audio time) when pacing resumed

    @property
    def sample_rate(self) -> int:
        return self._sample_rate

    @property
    def audio_s(self) -> float:
        """Seconds of caller audio delivered so far."""
        return self._played_s

    @property
    def queued_s(self) -> float:
        """Seconds of caller audio queued and not delivered yet."""
        left = self._queued_s - self._played_s
        return left if left > 1e-6 else 0.0  # both clocks sum frame lengths: equal up to rounding

    @property
    def speech_queued_s(self) -> float:
        """Seconds of caller speech queued and not delivered yet (the silence after the last utterance aside)."""
        left = self._speech_end_s - self._played_s
        return left if left > 1e-6 else 0.0

    @property
    def delivered_audio(self) -> bytes:
        """Every PCM byte handed to the session so far."""
        return bytes(self._delivered)

    def say(self, pcm: npt.NDArray[np.int16], *, pause_before_s: float = 0.0) -> tuple[float, float]:
        """Queue an utterance (int16 mono at ``sample_rate``); returns its span on the audio clock."""
        if self._finished:
            raise RuntimeError("the caller already hung up")
        pause = silence(pause_before_s, sample_rate=self._sample_rate)
        queued = _queued_samples(len(pcm), len(pause), self._trailing_silence_s, self._sample_rate)
        audio = np.zeros(queued, dtype=np.int16)
        audio[len(pause) : len(pause) + len(pcm)] = pcm
        start_s = self._queued_s + len(pause) / self._sample_rate
        end_s = start_s + len(pcm) / self._sample_rate
        self._speech_end_s = end_s
        frames = pcm_to_frames(audio, sample_rate=self._sample_rate, frame_ms=self._frame_ms)
        self._frames.extend(frames if self._num_channels == 1 else [_spread(f, self._num_channels) for f in frames])
        self._queued_s += queued / self._sample_rate
        self._idle.clear()
        self._wake.set()
        return start_s, end_s

    def finish(self) -> None:
        """Hang up: the input ends once everything queued was delivered."""
        self._finished = True
        self._wake.set()

    async def wait_idle(self, *, timeout_s: float | None = None) -> None:
        """Wait until everything queued has been delivered."""
        await asyncio.wait_for(self._idle.wait(), timeout_s)

    async def __anext__(self) -> rtc.AudioFrame:
        loop = asyncio.get_running_loop()
        while not self._frames:
            self._idle.set()
            self._pace_origin = None
            if self._finished:
                raise StopAsyncIteration
            self._wake.clear()
            await self._wake.wait()
        if self._speed is None:
            await asyncio.sleep(0)
        else:
            if self._pace_origin is None:
                self._pace_origin = (loop.time(), self._played_s)
            t0, a0 = self._pace_origin
            await asyncio.sleep(max(0.0, t0 + (self._played_s - a0) / self._speed - loop.time()))
        frame = self._frames.popleft()
        self._played_s += frame.samples_per_channel / frame.sample_rate
        self._delivered.extend(bytes(frame.data.cast("B")))
        if not self._frames:
            self._idle.set()
        return frame


def planned_spans(
    utterances: Sequence[npt.NDArray[np.int16]],
    *,
    sample_rate: int = 24000,
    trailing_silence_s: float = 0.8,
    pauses_before_s: Sequence[float] = (),
    voiced: bool = True,
) -> list[tuple[float, float]]:
    """Where consecutive :meth:`CallerAudioInput.say` calls will place ``utterances`` on the audio clock, so a
    scripted engine can be keyed to them before the call starts; ``pauses_before_s``: each call's
    ``pause_before_s`` (none when left out). With ``voiced`` (the default) each span is the voiced part of the
    utterance (:func:`~sidecar_stt.testing.audio.voiced_bounds`), the part the realtime server's turn detection
    hears: an engine keyed to synthetic speech's quiet tail would put a short "ja" after the caller's turn ended."""
    spans: list[tuple[float, float]] = []
    start = 0
    for i, pcm in enumerate(utterances):
        pause = len(silence(pauses_before_s[i] if i < len(pauses_before_s) else 0.0, sample_rate=sample_rate))
        first, end = voiced_bounds(pcm, sample_rate=sample_rate) if voiced else (0, len(pcm))
        if end <= first:
            first, end = 0, len(pcm)
        spans.append(((start + pause + first) / sample_rate, (start + pause + end) / sample_rate))
        start += _queued_samples(len(pcm), pause, trailing_silence_s, sample_rate)
    return spans


def _queued_samples(speech: int, pause: int, trailing_silence_s: float, sample_rate: int) -> int:
    """Samples one utterance occupies: pause, speech, trailing silence, padded to whole 100 ms blocks (realtime
    clients send audio in such chunks and hold back a partial one)."""
    total = pause + speech + len(silence(trailing_silence_s, sample_rate=sample_rate))
    return total + (-total % (sample_rate // 10))


def _spread(frame: rtc.AudioFrame, channels: int) -> rtc.AudioFrame:
    mono = np.frombuffer(frame.data, dtype=np.int16)
    multi = np.zeros((len(mono), channels), dtype=np.int16)
    multi[:, 0] = mono
    return rtc.AudioFrame(multi.tobytes(), frame.sample_rate, channels, frame.samples_per_channel)
