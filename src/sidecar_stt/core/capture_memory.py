"""``CaptureMemory``: everything a phone capture remembers between calls, in one record."""

from __future__ import annotations

from dataclasses import dataclass, field

from .capture_choice import PendingChoice
from .capture_events import CaptureEvent
from .capture_ladder import Rung
from .capture_step import CaptureState
from .fusion import Evidence
from .proposal import Proposal

__all__ = ["CaptureMemory", "Utterance"]

Utterance = tuple[Evidence, ...]
"""What every source heard in one caller utterance."""


@dataclass(slots=True)
class CaptureMemory:
    """Everything the capture remembers between calls."""

    state: CaptureState = "waiting"
    on_table: Proposal | None = None
    """The reading read back last, waiting for the caller's yes or no."""
    confirmed: Proposal | None = None
    last_rejected: Proposal | None = None
    """The reading the caller said no to last: partial corrections apply to its groups."""
    rejected_numbers: list[str] = field(default_factory=list)
    """E.164 numbers the caller rejected, in order."""
    rejected_readings: set[str] = field(default_factory=set)
    """E.164 and national digits of every rejected reading: never proposed again."""
    consumed_utterances: set[str] = field(default_factory=set)
    """Utterances whose digits were used: each is read once."""
    number_utterances: list[Utterance] = field(default_factory=list)
    """Earlier utterances that held digits: they help rank the readings of the latest one."""
    partial_pieces: list[Utterance] = field(default_factory=list)
    """Utterances with part of a number, waiting to be joined with the rest."""
    misses_in_a_row: int = 0
    """Utterances in a row without any digit."""
    pending_in_a_row: int = 0
    """Utterances in a row the sidecar had not finished transcribing when they were read (not counted as misses)."""
    counted_misses: set[str] = field(default_factory=set)
    """Utterances already counted in :attr:`misses_in_a_row` (an utterance offered twice counts once)."""
    proposals_made: int = 0
    failed_attempts: int = 0
    """Rejections and utterances without a number, in all: from ``keypad_after`` on, the keypad is asked for."""
    keypad_requested: bool = False
    """The caller asked to type the number."""
    pending_choice: PendingChoice | None = None
    """Two numbers the caller gave without saying which one; the model was told to ask which."""
    events: list[CaptureEvent] = field(default_factory=list)
    """Every event, in order; a step reports the events created during its call."""
    window_from: int = 0
    """The caller turn (its index in the call) from which the capture reads: where it began, or its last
    read-back."""
    read_backs: list[tuple[int, str]] = field(default_factory=list)
    """``(caller turns heard when it was read back, proposal id)`` of every read-back, in order."""
    climbed: list[Rung] = field(default_factory=list)
    """Rungs of the escalation ladder climbed so far (:mod:`.capture_ladder`)."""

    def read_back(self, proposal_id: str, *, turns_heard: int) -> bool:
        """Proposal ``proposal_id`` was read back when the call had heard ``turns_heard`` caller turns; ``False``
        when that very read-back was noted already (two tool calls in one reply)."""
        if self.read_backs and self.read_backs[-1] == (turns_heard, proposal_id):
            return False
        self.read_backs.append((turns_heard, proposal_id))
        self.window_from = turns_heard
        return True

    def answered_by(self, turn_index: int) -> str | None:
        """The read-back a caller turn answered: the last one read back before the turn began (``None``: none)."""
        answered = [proposal_id for heard, proposal_id in self.read_backs if heard <= turn_index]
        return answered[-1] if answered else None

    def number_texts(self) -> list[str]:
        """The best text of every source that heard an utterance of the number (not the model's tool argument):
        the caller's own words, as the engines wrote them."""
        return [
            e.alternatives[0].text
            for utterance in self.number_utterances
            for e in utterance
            if e.kind != "tool_argument" and e.alternatives
        ]
