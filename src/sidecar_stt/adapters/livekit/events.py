"""Events on the :class:`~sidecar_stt.Sidecar` emitter.

Names are snake_case Literals; each payload is a dataclass with ``type`` and ``created_at`` (wall clock, as
LiveKit's own events). Times inside payloads are on the session clock (``*_s``).

Phone-capture events (``phone_number_proposed`` …) are defined by the capture state machine in
``sidecar_stt.core.capture`` and re-emitted here unchanged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from ...core.segment import Segment

__all__ = [
    "EngineFailedEvent",
    "FramesDroppedEvent",
    "SidecarEventTypes",
    "SidecarTranscriptEvent",
]

SidecarEventTypes = Literal[
    "sidecar_transcript",
    "engine_failed",
    "frames_dropped",
    "phone_number_proposed",
    "phone_number_confirmed",
    "phone_number_rejected",
    "phone_number_capture_failed",
    "capture_step_refused",
]


@dataclass(frozen=True)
class SidecarTranscriptEvent:
    """A sidecar engine produced an interim or final transcript (``segment.is_final``).

    ``segment.turn_id`` is the caller turn it was aligned to, if any yet. Personal data: log with care.
    """

    segment: Segment
    type: Literal["sidecar_transcript"] = "sidecar_transcript"
    created_at: float = field(default_factory=time.time)

    @property
    def source(self) -> str:
        return self.segment.source


@dataclass(frozen=True)
class EngineFailedEvent:
    """An engine's stream failed. ``will_restart`` says whether the sidecar restarts it (after ``backoff_s``)."""

    source: str
    error: str
    retryable: bool
    will_restart: bool
    attempt: int
    backoff_s: float
    type: Literal["engine_failed"] = "engine_failed"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class FramesDroppedEvent:
    """An engine fell behind and its bounded queue overflowed; ``count`` frames (``duration_s`` of audio) were
    not sent to it. The realtime model still received them. ``total`` is the engine's running drop count."""

    source: str
    count: int
    duration_s: float
    total: int
    type: Literal["frames_dropped"] = "frames_dropped"
    created_at: float = field(default_factory=time.time)
