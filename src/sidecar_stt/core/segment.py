"""Transcript segments: what one engine heard in one span of the caller's audio.

Every time is float seconds on the session clock (names end in ``_s``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Alternative", "Segment", "Word"]


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its timing on the session clock."""

    text: str
    start_s: float
    end_s: float
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """One hypothesis of an engine for a segment (an n-best entry).

    ``text`` is the form our parser reads (for Azure: the Lexical form); ``metadata`` keeps vendor extras
    such as Azure's ITN and Display forms.
    """

    text: str
    confidence: float | None = None
    words: tuple[Word, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Segment:
    """What ``source`` heard between ``start_s`` and ``end_s``, best hypothesis first.

    ``segment_id`` identifies the utterance within a source: an interim and the final that replaces it
    share it. ``turn_id`` is the ledger's id of the caller turn the segment was aligned to ("turn-3"); the
    turn itself (:class:`~sidecar_stt.core.ledger.UserTurn`) carries the realtime model's item id.
    """

    source: str
    segment_id: str
    start_s: float
    end_s: float
    is_final: bool
    alternatives: tuple[Alternative, ...]
    received_s: float = 0.0
    turn_id: str | None = None

    @property
    def text(self) -> str:
        """The best hypothesis' text (empty when the engine heard nothing)."""
        return self.alternatives[0].text if self.alternatives else ""

    @property
    def confidence(self) -> float | None:
        return self.alternatives[0].confidence if self.alternatives else None
