"""``VadTurns``: caller turns from the sidecar's own VAD on the tapped audio.

Used when the realtime model reports no caller turns (Gemini Live and other LiveKit realtime models emit no
``user_state_changed``). Times come from the VAD's own sample clock, placed on the session clock by the session
time of the stream's first frame, so they are exact whatever the playback pace. A sample-rate change restarts
the VAD stream at the new rate.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from livekit import rtc
from livekit.agents import vad

from ...log import logger

__all__ = ["VadTurns"]


class VadTurns:
    """Runs one VAD stream over the mono caller audio; calls ``on_start(start_s)`` and ``on_end(start_s, end_s)``."""

    def __init__(
        self,
        model: vad.VAD,
        *,
        on_start: Callable[[float], None],
        on_end: Callable[[float, float], None],
    ) -> None:
        self._model = model
        self._on_start = on_start
        self._on_end = on_end
        self._stream: vad.VADStream | None = None
        self._reader: asyncio.Task[None] | None = None
        self._rate = 0
        self._origin_s = 0.0
        self.speech_start_s: float | None = None
        """Session time where the speech under way began (``None`` in silence)."""
        self._closed = False

    def push(self, frame: rtc.AudioFrame, start_s: float) -> None:
        """Hand one mono frame (never blocks)."""
        if self._closed:
            return
        if self._stream is None or frame.sample_rate != self._rate:
            self._restart(frame.sample_rate, start_s)
        assert self._stream is not None
        self._stream.push_frame(frame)

    def _restart(self, rate: int, origin_s: float) -> None:
        old, old_reader = self._stream, self._reader
        if old is not None:
            old.end_input()
        self._rate, self._origin_s = rate, origin_s
        self._stream = self._model.stream()
        self._reader = asyncio.get_running_loop().create_task(self._read(self._stream, origin_s))
        if old is not None and old_reader is not None:
            asyncio.get_running_loop().create_task(_finish(old, old_reader))

    async def _read(self, stream: vad.VADStream, origin_s: float) -> None:
        try:
            async for ev in stream:
                if ev.type == vad.VADEventType.START_OF_SPEECH:
                    self.speech_start_s = origin_s + max(0.0, ev.timestamp - ev.speech_duration)
                    self._on_start(self.speech_start_s)
                elif ev.type == vad.VADEventType.END_OF_SPEECH:
                    end_s = origin_s + max(0.0, ev.timestamp - ev.silence_duration)
                    start_s = max(origin_s, end_s - ev.speech_duration)
                    if self.speech_start_s is not None:
                        start_s = min(start_s, self.speech_start_s)
                    self.speech_start_s = None
                    self._on_end(start_s, end_s)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("sidecar turn VAD failed; no own caller turns")
            self._closed = True

    async def aclose(self) -> None:
        self._closed = True
        if self._stream is not None and self._reader is not None:
            await _finish(self._stream, self._reader)


async def _finish(stream: vad.VADStream, reader: asyncio.Task[None]) -> None:
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await reader
    with contextlib.suppress(Exception):
        await stream.aclose()
