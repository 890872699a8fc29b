"""``PhoneCandidate``: a validated phone number found in a transcript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LostBecause", "PhoneCandidate"]

LostBecause = Literal["", "retracted", "corrected", "old_number", "someone_else", "not_preferred", "example"]
"""Why a candidate is not the number the caller means: ``retracted`` (a correction followed it), ``corrected``
(a later group replaced part of it), ``old_number``, ``someone_else``, ``not_preferred``, ``example`` (a form shown,
"sånn som …"); empty for the first."""


@dataclass(frozen=True, slots=True)
class PhoneCandidate:
    """A validated phone number found in a transcript."""

    e164: str
    """``"+4792345678"``."""
    digits: str
    """The national significant number, ``"92345678"``."""
    region: str
    """The region the number belongs to, ``"NO"``."""
    span: tuple[int, int]
    """Character offsets in the input text."""
    score: float
    """0..1; rival valid readings of the same words split it."""
    groups: tuple[str, ...]
    """Digit groups as the caller said them: ``("92", "34", "56", "78")``."""
    alternatives: tuple[str, ...]
    """Other readings of the same span that were rejected (digit strings)."""
    lost_because: LostBecause = ""
    """Why this is not the number the caller means (empty for the intended one); see :data:`LostBecause`."""
