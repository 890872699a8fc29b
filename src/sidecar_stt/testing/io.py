"""Offline audio I/O for an ``AgentSession``: play caller PCM in, collect the agent's audio out.

- :class:`FramesAudioInput` (an ``io.AudioInput``) plays a PCM array or a list of frames into the session at
  ``speed`` times real time (``speed=None`` or ``"max"``: as fast as possible, still yielding to the loop after
  every frame), then ``trailing_silence_s`` of silence, then ends; :meth:`FramesAudioInput.wait_done` waits for
  the end, and :attr:`FramesAudioInput.delivered_audio` holds every byte it handed out.
- :class:`CollectingAudioOutput` (an ``io.AudioOutput``) accepts the agent's audio, reports playback started
  and finished as a real sink does (instantly, or at ``playback_speed`` times real time), and records each
  spoken segment as a :class:`SpokenSegment`; :meth:`CollectingAudioOutput.watch_session` fills in the
  segments' transcripts from the session's assistant messages.

Install them after ``session.start()`` (so no frame is pulled before the agent is active)::

    await session.start(agent)
    session.input.audio = FramesAudioInput(caller.pcm, sample_rate=24000, speed=None)
    session.output.audio = CollectingAudioOutput()
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from livekit import rtc
from livekit.agents import AgentSession, ConversationItemAddedEvent, llm
from livekit.agents.voice import io

from sidecar_stt.testing.audio import pcm_to_frames, silence

__all__ = ["CollectingAudioOutput", "FramesAudioInput", "SpokenSegment"]


class FramesAudioInput(io.AudioInput):
    """Plays caller audio into a session, then trailing silence, then ends.

    Args:
        audio: int16 mono PCM, or ready ``rtc.AudioFrame`` s.
        sample_rate: rate of ``audio`` when it is PCM (and of the trailing silence).
        frame_ms: frame length used to split PCM.
        speed: 1.0 is real time, 2.0 twice as fast; ``None``/``"max"`` as fast as the loop allows.
        trailing_silence_s: silence appended after the audio (lets a server VAD close the last turn).
        label: LiveKit label.
    """

    def __init__(
        self,
        audio: npt.NDArray[np.int16] | Sequence[rtc.AudioFrame],
        *,
        sample_rate: int = 24000,
        frame_ms: int = 20,
        speed: float | Literal["max"] | None = None,
        trailing_silence_s: float = 0.6,
        label: str = "FramesAudioInput",
    ) -> None:
        super().__init__(label=label)
        if isinstance(audio, np.ndarray):
            frames = pcm_to_frames(audio, sample_rate=sample_rate, frame_ms=frame_ms)
        else:
            frames = list(audio)
            if frames:
                sample_rate = frames[0].sample_rate
        tail = silence(trailing_silence_s, sample_rate=sample_rate)
        self._frames: list[rtc.AudioFrame] = frames + pcm_to_frames(tail, sample_rate=sample_rate, frame_ms=frame_ms)
        if speed is not None and speed != "max" and speed <= 0:
            raise ValueError("speed must be positive, None or 'max'")
        self._speed: float | None = None if speed in (None, "max") else float(speed)
        self._index = 0
        self._started_at: float | None = None
        self._played_s = 0.0
        self._delivered = bytearray()
        self._done = asyncio.Event()

    @property
    def delivered_audio(self) -> bytes:
        """Every PCM byte handed to the session so far, in order (trailing silence included)."""
        return bytes(self._delivered)

    @property
    def delivered_frames(self) -> int:
        """Number of frames handed to the session so far."""
        return self._index

    @property
    def total_frames(self) -> int:
        """Frames this input will deliver in all (audio plus trailing silence)."""
        return len(self._frames)

    @property
    def done(self) -> bool:
        """Whether every frame has been delivered."""
        return self._done.is_set()

    async def wait_done(self, *, timeout_s: float | None = None) -> None:
        """Wait until every frame has been delivered (raises ``TimeoutError`` after ``timeout_s``)."""
        await asyncio.wait_for(self._done.wait(), timeout_s)

    async def __anext__(self) -> rtc.AudioFrame:
        if self._index >= len(self._frames):
            self._done.set()
            raise StopAsyncIteration
        loop = asyncio.get_running_loop()
        if self._started_at is None:
            self._started_at = loop.time()
        if self._speed is None:
            await asyncio.sleep(0)
        else:
            delay = self._started_at + self._played_s / self._speed - loop.time()
            await asyncio.sleep(max(0.0, delay))
        frame = self._frames[self._index]
        self._index += 1
        self._played_s += frame.samples_per_channel / frame.sample_rate
        self._delivered.extend(bytes(frame.data.cast("B")))
        if self._index >= len(self._frames):
            self._done.set()
        return frame


@dataclass
class SpokenSegment:
    """One segment of agent speech the output received (from first frame to flush or clear)."""

    started_at: float
    """Wall time (``time.time()``) of its first frame."""
    duration_s: float = 0.0
    audio: bytearray = field(default_factory=bytearray)
    sample_rate: int = 0
    interrupted: bool = False
    transcript: str | None = None
    """Filled by :meth:`CollectingAudioOutput.watch_session` when the assistant message is known."""


class CollectingAudioOutput(io.AudioOutput):
    """Audio sink that records the agent's speech and reports playback like a real device.

    Args:
        playback_speed: ``None`` finishes playback as soon as a segment is flushed; a number plays it from its
            first frame at that many times real time (playback finishes ``duration / playback_speed`` seconds of
            wall time after the first frame, and an interruption stops it at the position reached).
        sample_rate: rate the sink asks for (``None`` accepts any).
        label: LiveKit label.
    """

    def __init__(
        self,
        *,
        playback_speed: float | None = None,
        sample_rate: int | None = None,
        label: str = "CollectingAudioOutput",
    ) -> None:
        super().__init__(
            label=label,
            capabilities=io.AudioOutputCapabilities(pause=False),
            next_in_chain=None,
            sample_rate=sample_rate,
        )
        self.segments: list[SpokenSegment] = []
        """Finished segments, in order."""
        self._playback_speed = playback_speed
        self._current: SpokenSegment | None = None
        self._finish_task: asyncio.Task[None] | None = None
        self._playing: SpokenSegment | None = None  # the flushed segment still playing out

    @property
    def spoken_s(self) -> float:
        """Total seconds of agent audio received."""
        return sum(s.duration_s for s in self.segments) + (self._current.duration_s if self._current else 0.0)

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        """Accept one frame of agent audio."""
        await super().capture_frame(frame)
        if self._current is None:
            self._current = SpokenSegment(started_at=time.time(), sample_rate=frame.sample_rate)
            self.on_playback_started(created_at=self._current.started_at)
        self._current.audio.extend(bytes(frame.data.cast("B")))
        self._current.duration_s += frame.samples_per_channel / frame.sample_rate

    def flush(self) -> None:
        """End the current segment; playback finishes now or after its play-out time."""
        super().flush()
        segment, self._current = self._current, None
        if segment is None:
            return
        if self._playback_speed is None:
            self._finish(segment, interrupted=False)
            return
        self._playing = segment
        remaining_s = segment.started_at + segment.duration_s / self._playback_speed - time.time()
        self._finish_task = asyncio.create_task(self._play_out(segment, max(0.0, remaining_s)))

    def clear_buffer(self) -> None:
        """Stop playback at once (an interruption)."""
        playing, self._playing = self._playing, None
        if playing is not None and self._finish_task is not None and not self._finish_task.done():
            # (the play-out may not have begun running yet: it is stopped here, not in its own task)
            self._finish_task.cancel()
            self._interrupt(playing)
            return
        segment, self._current = self._current, None
        if segment is not None:
            super().flush()
            self._interrupt(segment)

    def _interrupt(self, segment: SpokenSegment) -> None:
        if self._playback_speed is not None:  # it played from its first frame until now
            segment.duration_s = min(segment.duration_s, (time.time() - segment.started_at) * self._playback_speed)
        self._finish(segment, interrupted=True)

    async def _play_out(self, segment: SpokenSegment, wall_s: float) -> None:
        await asyncio.sleep(wall_s)
        self._playing = None
        self._finish(segment, interrupted=False)

    def _finish(self, segment: SpokenSegment, *, interrupted: bool) -> None:
        segment.interrupted = interrupted
        self.segments.append(segment)
        self.on_playback_finished(playback_position=segment.duration_s, interrupted=interrupted)

    def watch_session(self, session: AgentSession[Any]) -> None:
        """Fill segment transcripts from the session's assistant messages as they are added to history."""

        def _on_item(ev: ConversationItemAddedEvent) -> None:
            item = ev.item
            if not isinstance(item, llm.ChatMessage) or item.role != "assistant":
                return
            text = item.text_content
            for segment in self.segments:
                if segment.transcript is None:
                    segment.transcript = text
                    return

        session.on("conversation_item_added", _on_item)

    async def aclose(self) -> None:
        """Finish any pending play-out."""
        if self._finish_task is not None:
            self._finish_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._finish_task
