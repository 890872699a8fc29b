"""``AudioRing``: the last seconds of caller audio, kept while no engine listens (on-demand mode).

The tap hands every frame to the sidecar; in on-demand mode the sidecar keeps them here, whole frames with their
start on the session clock, for ``max_s`` seconds. When transcription is wanted, the engines get the frames of
the window first (:meth:`AudioRing.frames_from`), then the live audio. Memory: ``max_s`` × sample rate × 2 bytes
per channel (30 s of 24 kHz mono: 1.4 MB; of 48 kHz mono: 2.9 MB), plus about 200 bytes of bookkeeping per
frame.
"""

from __future__ import annotations

from collections import deque

from livekit import rtc

__all__ = ["AudioRing"]


class AudioRing:
    """A bounded buffer of recent frames, oldest dropped first. Not thread-safe; used on the event loop."""

    def __init__(self, max_s: float) -> None:
        if max_s <= 0:
            raise ValueError("the ring buffer must hold some audio")
        self.max_s = max_s
        self._frames: deque[tuple[rtc.AudioFrame, float]] = deque()
        self._bytes = 0

    def append(self, frame: rtc.AudioFrame, start_s: float) -> None:
        self._frames.append((frame, start_s))
        self._bytes += len(frame.data) * 2
        end_s = start_s + frame.samples_per_channel / frame.sample_rate
        while self._frames and self._frames[0][1] < end_s - self.max_s:
            old, _ = self._frames.popleft()
            self._bytes -= len(old.data) * 2

    @property
    def start_s(self) -> float | None:
        """Session time of the oldest frame kept (``None`` when empty)."""
        return self._frames[0][1] if self._frames else None

    @property
    def duration_s(self) -> float:
        if not self._frames:
            return 0.0
        last, last_start = self._frames[-1]
        return last_start + last.samples_per_channel / last.sample_rate - self._frames[0][1]

    @property
    def nbytes(self) -> int:
        """Bytes of audio held."""
        return self._bytes

    def frames_from(self, start_s: float) -> list[tuple[rtc.AudioFrame, float]]:
        """The frames that begin at or after ``start_s`` (a frame that straddles it is included), oldest first."""
        out = []
        for frame, frame_start in self._frames:
            if frame_start + frame.samples_per_channel / frame.sample_rate > start_s:
                out.append((frame, frame_start))
        return out
