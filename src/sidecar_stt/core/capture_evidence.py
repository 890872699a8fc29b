"""What the capture may read from the evidence of one caller utterance: the evidence rule and the tests on the
sidecar engines' best hypotheses (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence

from .answer import read_answer
from .capture_events import ProposalRule
from .fusion import Evidence, FusedCandidate
from .keypad import asks_for_keypad
from .numerals import parse_digit_readings
from .reader import TextReader

__all__ = [
    "WHOLE_NUMBER_DIGITS",
    "asks_to_type",
    "proposable",
    "proposal_rule",
    "sidecar_heard_digits",
    "sidecar_heard_whole_length",
    "sidecar_says_no",
]

WHOLE_NUMBER_DIGITS = 8
"""Digits of a whole national number (Norway): a run this long is no part of one, whatever it failed on."""


def proposable(realtime_fallback: bool, ranked: list[FusedCandidate]) -> list[FusedCandidate]:
    """The readings that may be proposed: those a sidecar engine (or the keypad) supports (the evidence rule).
    With ``realtime_fallback`` (opted into, and no rejection yet), a reading the realtime transcript supports too;
    a reading only the model's tool argument supports, never."""
    allowed = ("sidecar", "keypad", "realtime_transcript") if realtime_fallback else ("sidecar", "keypad")
    return [c for c in ranked if any(s.kind in allowed for s in c.support)]


def proposal_rule(candidate: FusedCandidate, rule: ProposalRule) -> ProposalRule:
    """The rule a proposal of ``candidate`` is made under: typed, heard by the realtime model alone, or ``rule``."""
    if candidate.typed:
        return "keypad"
    return rule if candidate.heard_by_sidecar else "realtime_fallback"


def sidecar_heard_digits(evidence: Sequence[Evidence], reader: TextReader) -> bool:
    """Whether a sidecar engine heard digits (part of a number, maybe) in its best hypothesis."""
    return any(reader.has_digits(e.alternatives[0].text) for e in evidence if e.kind == "sidecar" and e.alternatives)


def sidecar_heard_whole_length(evidence: Sequence[Evidence], language: str) -> bool:
    """Whether a sidecar engine's best hypothesis holds a run of digits as long as a whole number (one that did not
    validate, or was rejected): asking for "the rest" of it would not fit."""
    return any(
        len(run.best.digits) >= WHOLE_NUMBER_DIGITS
        for e in evidence
        if e.kind == "sidecar" and e.alternatives
        for run in parse_digit_readings(e.alternatives[0].text, language=language)
    )


def sidecar_says_no(evidence: Sequence[Evidence], reader: TextReader) -> bool:
    """Whether a sidecar engine heard a no word or correction cue ("nei, det er …", "det siste er …") in its best
    hypothesis, and means it as one (:func:`~sidecar_stt.core.answer.read_answer`: "ja nei, det stemmer det" is a
    yes); bare digits are no "no" here, they are the number or its rest."""
    return any(
        reader.says_no(text) and read_answer(text, reader=reader) in ("no", "correction")
        for e in evidence
        if e.kind == "sidecar" and e.alternatives and (text := e.alternatives[0].text)
    )


def asks_to_type(evidence: Sequence[Evidence], language: str) -> bool:
    """Whether the caller's words (as a sidecar engine or the realtime transcript heard them) ask to type."""
    return any(
        asks_for_keypad(e.alternatives[0].text, language)
        for e in evidence
        if e.kind in ("sidecar", "realtime_transcript") and e.alternatives
    )
