"""Events of the phone-number capture state machine (:mod:`sidecar_stt.core.capture`).

Each transition emits one payload dataclass with a snake_case ``type`` and ``created_at`` (from the machine's
injectable clock). The LiveKit adapter re-emits them unchanged on its emitter. The payloads hold the number:
personal data, log with care.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CaptureEscalatedEvent",
    "CaptureEvent",
    "CaptureEventTypes",
    "CaptureFailureReason",
    "CaptureStepRefusedEvent",
    "PhoneNumberCaptureFailedEvent",
    "PhoneNumberConfirmedEvent",
    "PhoneNumberProposedEvent",
    "PhoneNumberReadBackEvent",
    "PhoneNumberRejectedEvent",
    "ProposalRule",
]

CaptureEventTypes = Literal[
    "phone_number_proposed",
    "phone_number_confirmed",
    "phone_number_rejected",
    "phone_number_capture_failed",
    "capture_step_refused",
    "phone_number_read_back",
    "capture_escalated",
]
CaptureFailureReason = Literal["max_attempts", "not_heard", "declined", "no_new_reading", "max_read_backs"]
ProposalRule = Literal["sidecar", "joined_turns", "correction", "realtime_fallback", "keypad", "earlier_alternative"]
"""Which rule let a reading be proposed: a sidecar engine heard it (in one utterance, over several joined, or as
a partial correction of the last read-back), the app's opt-in fallback to the realtime model's transcript, or
the caller typed it on the keypad, or a lower-ranked reading of an earlier utterance (the escalation ladder)."""


@dataclass(frozen=True, slots=True)
class PhoneNumberProposedEvent:
    """A reading is read back to the caller. ``attempt`` is 1 for the first read-back round, +1 per rejection."""

    proposal_id: str
    e164: str
    digits: str
    read_back: str
    style: str
    attempt: int
    score: float
    sources: tuple[str, ...]
    utterance_id: str
    uncertain_group: int | None
    corrected_groups: tuple[int, ...]
    """Groups changed by a partial correction of the previous read-back (empty otherwise)."""
    rule: ProposalRule
    created_at: float
    type: Literal["phone_number_proposed"] = "phone_number_proposed"


@dataclass(frozen=True, slots=True)
class PhoneNumberConfirmedEvent:
    """The caller confirmed the proposal ``proposal_id``; capture is complete."""

    proposal_id: str
    e164: str
    digits: str
    attempt: int
    sources: tuple[str, ...]
    created_at: float
    type: Literal["phone_number_confirmed"] = "phone_number_confirmed"


@dataclass(frozen=True, slots=True)
class PhoneNumberRejectedEvent:
    """The caller said the proposal ``proposal_id`` is wrong; it is never proposed again."""

    proposal_id: str
    e164: str
    digits: str
    attempt: int
    sources: tuple[str, ...]
    created_at: float
    type: Literal["phone_number_rejected"] = "phone_number_rejected"


@dataclass(frozen=True, slots=True)
class PhoneNumberCaptureFailedEvent:
    """Capture ended without a number: too many rejections, nothing heard, or the caller declined."""

    reason: CaptureFailureReason
    attempt: int
    rejected_count: int
    sources: tuple[str, ...]
    """Sources of the last proposal, if any."""
    created_at: float
    type: Literal["phone_number_capture_failed"] = "phone_number_capture_failed"


@dataclass(frozen=True, slots=True)
class CaptureStepRefusedEvent:
    """A tool call changed nothing, and ``reason`` says which rule refused it: the caller has not answered the
    read-back (``not_answered``), answered an earlier one (``stale_proposal``), did not say yes
    (``answer_not_yes``) or was not heard (``answer_not_heard``); no sidecar engine heard a number
    (``no_sidecar_number``); nothing is proposed (``not_proposed``); the utterance was used already
    (``utterance_reused``); the capture is over (``finished``)."""

    reason: str
    proposal_id: str | None
    """The proposal on the table, if any."""
    created_at: float
    type: Literal["capture_step_refused"] = "capture_step_refused"


@dataclass(frozen=True, slots=True)
class PhoneNumberReadBackEvent:
    """The model was told to read ``proposal_id`` to the caller: a first read-back (``repeated`` false) or the
    same reading again (heard again, asked to repeat, a refused confirm). The caller's next turn answers it."""

    proposal_id: str
    e164: str
    read_back: str
    turns_heard: int
    """Caller turns the call had heard when it was read back: turn ``turns_heard`` (0-based) is the answer."""
    repeated: bool
    created_at: float
    type: Literal["phone_number_read_back"] = "phone_number_read_back"


@dataclass(frozen=True, slots=True)
class CaptureEscalatedEvent:
    """The sidecar heard only readings the caller rejected: the capture climbed ``rung`` of its ladder
    (:mod:`~sidecar_stt.core.capture_ladder`)."""

    rung: str
    rejected_count: int
    created_at: float
    type: Literal["capture_escalated"] = "capture_escalated"


CaptureEvent = (
    PhoneNumberProposedEvent
    | PhoneNumberConfirmedEvent
    | PhoneNumberRejectedEvent
    | PhoneNumberCaptureFailedEvent
    | CaptureStepRefusedEvent
    | PhoneNumberReadBackEvent
    | CaptureEscalatedEvent
)
