"""``Proposal``: a reading of the caller's number, read back and waiting for a yes or a no."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .fusion import FusedCandidate
from .readback import ReadBackStyle, SpokenNumber

__all__ = ["Proposal", "uncertain_group"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A reading read back to the caller, waiting for a yes or a no."""

    proposal_id: str
    """``"p1"``, ``"p2"``, …: a confirm must answer the current one."""
    e164: str
    digits: str
    spoken: SpokenNumber
    """The groups as read back (pairs, or single digits when read digit by digit) and their words."""
    style: ReadBackStyle
    uncertain_group: int | None
    """Index in :attr:`groups` of the group the sources agree on least, when notably uncertain."""
    attempt: int
    """1 for the first read-back round, +1 after every rejection."""
    utterance_id: str
    corrected_groups: tuple[int, ...]
    candidate: FusedCandidate
    check_each_pair: bool = False
    """A reading from lower in the evidence (the escalation ladder): read back asking about each pair."""

    @property
    def read_back(self) -> str:
        """The exact words the agent speaks."""
        return self.spoken.text

    @property
    def groups(self) -> tuple[str, ...]:
        """The digit groups as read back."""
        return self.spoken.groups

    @property
    def score(self) -> float:
        """The fused score of the reading."""
        return self.candidate.score

    @property
    def sources(self) -> tuple[str, ...]:
        """Sources that supported the reading."""
        return self.candidate.sources


def uncertain_group(candidate: FusedCandidate, groups: Sequence[str], *, below: float) -> int | None:
    """The index of the spoken group the sources agree on least, when it is notably uncertain."""
    if "".join(groups) != candidate.digits:
        return None
    confidence: list[float] = []
    pos = 0
    for g in groups:
        confidence.append(min(candidate.digit_confidence[pos : pos + len(g)], default=1.0))
        pos += len(g)
    if not confidence or min(confidence) >= below or min(confidence) >= max(confidence):
        return None
    return min(range(len(confidence)), key=lambda i: (confidence[i], i))
