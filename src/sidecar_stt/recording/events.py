"""Events of a :class:`~sidecar_stt.recording.CallRecorder` (``recorder.on("recording_failed", ...)``).

Recording is best-effort for the live call: a failure never reaches the session, it is logged (no personal
data), noted in the record when the journal can still be written, and announced by these events.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["RecorderEventTypes", "RecordingFailedEvent", "RecordingFramesDroppedEvent"]

RecorderEventTypes = Literal["recording_failed", "recording_frames_dropped"]

RecordingPart = Literal["folder", "journal", "audio", "store"]


@dataclass(frozen=True, slots=True)
class RecordingFailedEvent:
    """Part of the recording could not be written: the call's ``folder`` (nothing is recorded on disk), its
    ``journal``, its ``audio`` (the journal goes on: the outcome is still recorded) or the hand-over to the
    ``store``. ``error`` is the exception's type and message (a path, never a transcript)."""

    part: RecordingPart
    error: str
    call_id: str
    type: Literal["recording_failed"] = "recording_failed"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True, slots=True)
class RecordingFramesDroppedEvent:
    """The writer fell behind and caller frames were dropped (the record notes the gap; the live call is not
    slowed). ``frames`` and ``duration_s`` count this drop, ``total_frames`` every drop of the call so far."""

    frames: int
    duration_s: float
    total_frames: int
    call_id: str
    type: Literal["recording_frames_dropped"] = "recording_frames_dropped"
    created_at: float = field(default_factory=time.time)
