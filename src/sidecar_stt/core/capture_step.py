"""What one call of the capture state machine returns: the state, the proposal on the table, what to say."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from .capture_events import CaptureEvent
from .proposal import Proposal

__all__ = ["TERMINAL_STATES", "CaptureState", "CaptureStep", "CaptureStepReason"]

CaptureState = Literal["waiting", "proposed", "asking_again", "confirmed", "declined", "failed"]
CaptureStepReason = Literal[
    "proposed",
    "same_proposal",
    "partial_number",
    "no_number",
    "rejected",
    "confirmed",
    "declined",
    "failed",
    "stale_proposal",
    "not_answered",
    "answer_not_heard",
    "answer_not_yes",
    "no_sidecar_number",
    "not_proposed",
    "utterance_reused",
    "finished",
    "keypad_invalid",
    "keypad_requested",
    "answer_pending",
    "answer_is_yes",
    "answer_not_no",
    "repeat_requested",
    "escalated",
    "sidecar_pending",
    "ask_which",
]

TERMINAL_STATES: Final = frozenset({"confirmed", "declined", "failed"})
"""States a capture does not leave."""


@dataclass(frozen=True, slots=True)
class CaptureStep:
    """The result of one call: the new state, the proposal on the table, what the model should say."""

    state: CaptureState
    proposal: Proposal | None
    instruction: str
    events: tuple[CaptureEvent, ...]
    reason: CaptureStepReason
    accepted: bool = True
    """``False`` when the call was refused (unanswered or stale confirm, reused utterance, capture over)."""
