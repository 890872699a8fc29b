"""``AudioTap``: a pass-through ``io.AudioInput`` that copies every caller frame to the sidecar.

Installed on ``session.input.audio`` after ``session.start()``, wrapping whatever input the session had (RoomIO,
console, a test input), the way LiveKit's own ``RecorderAudioInput`` does. Each frame is returned to the session
unchanged and at once; the tap only calls ``on_frame`` (which must not block) and keeps the session clock: the
seconds of caller audio that passed since the tap was first installed.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import AsyncIterator, Callable

from livekit import rtc
from livekit.agents.voice import io

from ...log import logger

__all__ = ["AudioTap"]

FrameCallback = Callable[[rtc.AudioFrame, float], None]


class AudioTap(io.AudioInput):
    """Pass-through audio input. ``on_frame(frame, start_s)`` gets each frame and its start on the session clock."""

    def __init__(
        self,
        *,
        source: io.AudioInput,
        on_frame: FrameCallback,
        clock: Callable[[], float],
        history_frames: int = 6000,
        start_s: float = 0.0,
    ) -> None:
        super().__init__(label="SidecarTap", source=source)
        self._source = source
        self._on_frame = on_frame
        self._clock = clock
        self._start_s = start_s
        self._audio_s = start_s  # a tap re-installed on a replaced input continues the session clock
        # (wall time when a frame passed, session time at its end): maps wall-clock events onto audio time
        self._walls: deque[float] = deque(maxlen=history_frames)
        self._audio_ends: deque[float] = deque(maxlen=history_frames)

    def __aiter__(self) -> AsyncIterator[rtc.AudioFrame]:
        return self

    async def __anext__(self) -> rtc.AudioFrame:
        frame = await self._source.__anext__()
        start_s = self._audio_s
        self._audio_s += frame.samples_per_channel / frame.sample_rate
        self._walls.append(self._clock())
        self._audio_ends.append(self._audio_s)
        try:
            self._on_frame(frame, start_s)
        except Exception:  # the realtime path must never fail because of the sidecar
            logger.exception("sidecar tap callback failed")
        return frame

    @property
    def audio_s(self) -> float:
        """Seconds of caller audio that passed through the tap (the session clock)."""
        return self._audio_s

    def now_s(self) -> float:
        """The session clock now, carried on at wall-clock pace since the last frame (an input that stopped
        delivering — audio disabled, a track that ended — stops the audio, not the clock's waits)."""
        if not self._walls:
            return self._audio_s
        return self._audio_s + max(0.0, self._clock() - self._walls[-1])

    def audio_time_at(self, wall_time: float) -> float:
        """The session time of the caller audio that had passed the tap at ``wall_time``."""
        i = bisect.bisect_right(self._walls, wall_time)
        if i == 0:
            return self._start_s
        return self._audio_ends[i - 1]
