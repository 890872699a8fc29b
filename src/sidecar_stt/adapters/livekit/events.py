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

from ...core.engine_faults import Fault
from ...core.ledger import TurnTiming
from ...core.segment import Segment

__all__ = [
    "AudioFormatDetectedEvent",
    "CaptureEvidenceGatheredEvent",
    "EngineFailedEvent",
    "EngineOutputRepairedEvent",
    "EngineRecoveredEvent",
    "FramesDroppedEvent",
    "KeypadEntryReceivedEvent",
    "SidecarEventTypes",
    "SidecarTranscriptEvent",
    "TapLostEvent",
    "TapReinstalledEvent",
    "TurnSourceSelectedEvent",
]

SidecarEventTypes = Literal[
    "sidecar_transcript",
    "engine_failed",
    "engine_recovered",
    "frames_dropped",
    "engine_output_repaired",
    "tap_lost",
    "tap_reinstalled",
    "audio_format_detected",
    "turn_source_selected",
    "phone_number_proposed",
    "phone_number_confirmed",
    "phone_number_rejected",
    "phone_number_capture_failed",
    "capture_step_refused",
    "phone_number_read_back",
    "capture_escalated",
    "keypad_entry_received",
    "capture_evidence_gathered",
]


@dataclass(frozen=True)
class CaptureEvidenceGatheredEvent:
    """A capture tool read the caller's turns ``turn_ids`` (oldest first). ``sources`` heard them (sidecar engines,
    and ``realtime`` for the model's own transcript); ``realtime_missing`` are the turns whose realtime transcript
    had not arrived when the capture decided (the model transcribes late), so that evidence was missing."""

    tool: str
    turn_ids: tuple[str, ...]
    sources: tuple[str, ...]
    realtime_missing: tuple[str, ...]
    type: Literal["capture_evidence_gathered"] = "capture_evidence_gathered"
    created_at: float = field(default_factory=time.time)


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
    """An engine's stream failed. ``will_restart`` says whether the sidecar restarts it (after ``backoff_s``).

    ``fault`` is ``transient`` (network, protocol, decode, anything unexpected: restarted with replay for as long
    as the call lasts, ever more slowly once ``attempt`` passes ``max_restarts``) or names why it is permanent
    (``authentication``, ``quota``, ``configuration``, ``not_retryable``: the engine is given up at once).
    ``error`` is the exception's type and message."""

    source: str
    error: str
    retryable: bool
    will_restart: bool
    attempt: int
    backoff_s: float
    fault: Fault = "transient"
    type: Literal["engine_failed"] = "engine_failed"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class EngineRecoveredEvent:
    """An engine that failed is back: its restarted stream delivered an event, or has taken the audio pushed to it
    for 3 s without failing. ``attempts`` restarts it took; ``down_s`` seconds (wall clock) since it first
    failed."""

    source: str
    attempts: int
    down_s: float
    type: Literal["engine_recovered"] = "engine_recovered"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class FramesDroppedEvent:
    """An engine fell behind and its bounded queue overflowed; ``count`` frames (``duration_s`` of audio) were
    not sent to it. The realtime model still received them. ``total`` is the engine's running drop count.
    ``ongoing``: the overflow was still running when this was sent (sent every second while it lasts, and at
    close); the next event counts the frames dropped since."""

    source: str
    count: int
    duration_s: float
    total: int
    ongoing: bool = False
    type: Literal["frames_dropped"] = "frames_dropped"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class EngineOutputRepairedEvent:
    """An engine event was malformed (no or non-string text, alternatives, words or metadata of the wrong type,
    too many of them, a confidence that is not a number, times that are not finite, negative, beyond the audio it
    was given, or reversed). ``action`` says what the runner did: ``dropped`` the event (or the bad parts of it),
    or ``clamped`` its times to the span it knows the engine was hearing. ``total`` counts this engine's
    repairs."""

    source: str
    reason: str
    action: Literal["dropped", "clamped"]
    total: int
    type: Literal["engine_output_repaired"] = "engine_output_repaired"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class TapLostEvent:
    """The tap is no longer on ``session.input.audio`` (input replaced by ``None``, or re-installing is off): the
    sidecar is not hearing the caller. ``audio_s`` is the session time when it was noticed."""

    audio_s: float
    type: Literal["tap_lost"] = "tap_lost"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class TapReinstalledEvent:
    """Something replaced ``session.input.audio`` (e.g. the console's text/audio toggle); the sidecar wrapped the
    new input in its tap again. ``audio_s`` is the session time when it did."""

    audio_s: float
    type: Literal["tap_reinstalled"] = "tap_reinstalled"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class AudioFormatDetectedEvent:
    """What the caller audio looks like: the frames' ``sample_rate`` and ``num_channels`` (engines always get
    mono), and ``bandwidth``: ``narrowband`` for telephone audio (≈ 8 kHz content in any frame rate), else
    ``wideband``. Sent once the bandwidth is known, and again when the frame format changes."""

    sample_rate: int
    num_channels: int
    bandwidth: Literal["unknown", "narrowband", "wideband"]
    type: Literal["audio_format_detected"] = "audio_format_detected"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class TurnSourceSelectedEvent:
    """Where the ledger's caller turns come from from now on: the realtime model's own turn events, or the
    sidecar's VAD (the model reports none). ``timing`` is how their times are obtained."""

    source: Literal["realtime", "vad"]
    timing: TurnTiming
    type: Literal["turn_source_selected"] = "turn_source_selected"
    created_at: float = field(default_factory=time.time)


@dataclass(frozen=True)
class KeypadEntryReceivedEvent:
    """The caller finished typing on the keypad (``#``, or a pause): ``digits`` go to the phone capture.
    ``source`` is ``"sip"`` (the room's SIP DTMF events) or ``"tones"`` (keypad tones found in the audio).
    Personal data: log with care."""

    digits: str
    source: Literal["sip", "tones"]
    finished_by: Literal["hash", "pause"]
    type: Literal["keypad_entry_received"] = "keypad_entry_received"
    created_at: float = field(default_factory=time.time)
