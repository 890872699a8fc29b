"""``RestartBudget``: how long a failed engine waits before its next restart — for as long as the call lasts.

An engine that fails with a transient fault is restarted at once-doubling waits (``backoff_min_s`` up to
``backoff_max_s``) for its first ``quick_restarts`` failures in a row, and for as long as it restarted at most
``quick_restarts`` times within ``window_s`` (an engine that comes back and fails again and again is slowed down
too). Past that it is never given up: the waits keep doubling from ``backoff_max_s`` up to ``slow_max_s``, so an
engine whose vendor is down for minutes is back within ``slow_max_s`` of the vendor's return. The slow waits spare a
vendor that is down, not a caller who waits: while transcription is wanted (a capture is open, a read waits on the
engine) no wait lasts longer than ``backoff_max_s`` (:meth:`RestartBudget.wait_left`), so an engine is back within
that of the vendor's return when it matters. ``quick_restarts=0`` means a failed engine is never restarted. Times are
monotonic seconds given by the caller; pure Python.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

__all__ = ["RestartBudget"]


@dataclass
class RestartBudget:
    """The restart waits of one engine."""

    backoff_min_s: float
    backoff_max_s: float
    slow_max_s: float
    quick_restarts: int
    window_s: float
    failures_in_a_row: int = 0
    """Failures since the engine last came back."""
    _restarts_s: deque[float] = field(default_factory=deque)

    def next_wait(self, now_s: float) -> float | None:
        """A failure at ``now_s``: the wait before the restart, or ``None`` when restarts are switched off."""
        if self.quick_restarts <= 0:
            return None
        while self._restarts_s and now_s - self._restarts_s[0] > self.window_s:
            self._restarts_s.popleft()
        self.failures_in_a_row += 1
        self._restarts_s.append(now_s)
        beyond = max(self.failures_in_a_row, len(self._restarts_s)) - self.quick_restarts
        if beyond <= 0:
            return min(self.backoff_max_s, self.backoff_min_s * 2.0 ** min(30, self.failures_in_a_row - 1))
        return min(max(self.slow_max_s, self.backoff_max_s), self.backoff_max_s * 2.0 ** min(30, beyond))

    def wait_left(self, wait_s: float, waited_s: float, *, wanted: bool) -> float:
        """What is left of a wait of ``wait_s`` (from :meth:`next_wait`) after ``waited_s``: while transcription is
        ``wanted``, of a wait no longer than ``backoff_max_s``."""
        if wanted:
            wait_s = min(wait_s, self.backoff_max_s)
        return max(0.0, wait_s - waited_s)

    @property
    def slowed(self) -> bool:
        """Whether the quick restarts are used up (the engine is now retried ever more slowly)."""
        return self.quick_restarts > 0 and max(self.failures_in_a_row, len(self._restarts_s)) > self.quick_restarts

    def recovered(self) -> None:
        """The engine is back: its next failure starts from the shortest wait (the window still counts)."""
        self.failures_in_a_row = 0
