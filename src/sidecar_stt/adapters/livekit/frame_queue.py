"""``FrameQueue``: the caller's frames waiting for one engine's stream, bounded, with every drop counted and told.

The queue holds at most ``max_s`` of audio. A frame that does not fit is dropped (a running engine fell behind:
what it was given stays whole); while the engine is down, the oldest waiting frame gives way instead
(``keep_newest``: the caller's latest words are what a capture reads when the engine is back). Drops are counted
in the engine's :class:`~.engine_stats.EngineStats` and reported (``on_drop``) when the overflow ends, every
``report_every_s`` while it lasts, and at :meth:`FrameQueue.report_ongoing`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from livekit import rtc

from .engine_stats import EngineStats
from .events import FramesDroppedEvent

__all__ = ["FrameQueue"]


class FrameQueue:
    """Frames (with their session start times) not yet handed to an engine's stream."""

    def __init__(
        self,
        max_s: float,
        *,
        source: str,
        stats: EngineStats,
        on_drop: Callable[[FramesDroppedEvent], None],
        report_every_s: float,
    ) -> None:
        self.max_s = max_s
        self._frames: deque[tuple[rtc.AudioFrame, float]] = deque()
        self._queued_s = 0.0
        self._source = source
        self._stats = stats
        self._on_drop = on_drop
        self._report_every_s = report_every_s
        self._dropping = 0  # frames dropped in the current overflow
        self._dropped_s = 0.0

    def __len__(self) -> int:
        return len(self._frames)

    def __bool__(self) -> bool:
        return bool(self._frames)

    def __getitem__(self, index: int) -> tuple[rtc.AudioFrame, float]:
        return self._frames[index]

    def offer(self, frame: rtc.AudioFrame, start_s: float, *, keep_newest: bool) -> bool:
        """Queue ``frame`` if it fits, else drop it (or, ``keep_newest``, the oldest frames); returns whether it
        was queued."""
        duration_s = frame.samples_per_channel / frame.sample_rate
        evicted = False
        if self._queued_s + duration_s > self.max_s:
            if not keep_newest or not self._frames:
                self._count_drop(duration_s)
                return False
            while self._frames and self._queued_s + duration_s > self.max_s:
                old, _ = self.popleft()
                self._count_drop(old.samples_per_channel / old.sample_rate)
            evicted = True
        self._frames.append((frame, start_s))
        self._queued_s += duration_s
        self._stats.frames_in += 1
        if self._dropping and not evicted:  # the overflow ended
            self._report(ongoing=False)
        return True

    def popleft(self) -> tuple[rtc.AudioFrame, float]:
        frame, start_s = self._frames.popleft()
        self._queued_s = max(0.0, self._queued_s - frame.samples_per_channel / frame.sample_rate)
        return frame, start_s

    def report_ongoing(self) -> None:
        """Report an overflow still under way (the runner closes)."""
        if self._dropping:
            self._report(ongoing=True)

    def _count_drop(self, duration_s: float) -> None:
        if not self._dropping:  # an overflow starts: report it while it lasts, not only when it ends
            asyncio.get_running_loop().call_later(self._report_every_s, self._report_while_dropping)
        self._stats.frames_dropped += 1
        self._dropping += 1
        self._dropped_s += duration_s

    def _report_while_dropping(self) -> None:
        if self._dropping and not self._stats.failed:
            self._report(ongoing=True)
            asyncio.get_running_loop().call_later(self._report_every_s, self._report_while_dropping)

    def _report(self, *, ongoing: bool) -> None:
        self._on_drop(
            FramesDroppedEvent(
                source=self._source,
                count=self._dropping,
                duration_s=self._dropped_s,
                total=self._stats.frames_dropped,
                ongoing=ongoing,
            )
        )
        self._dropping, self._dropped_s = 0, 0.0
