"""Which number the caller means, or that the words do not say: ``number``, ``ambiguous`` or ``none``.

:func:`~sidecar_stt.core.phone.extract_phone_numbers` ranks every number of a text with the intended one first
(:mod:`.intent`: corrections, old and new, preferences). When two numbers the caller said stay and no word tells
them apart ("jobbnummeret er 22 33 44 55, og mobilen er 91 23 45 67"), the first of the list is only the parser's
guess: picking it silently would register a number the caller may not mean. :func:`choose_number` says so —
``ambiguous``, with both numbers in the order said and what the caller called each ("jobbnummeret", "mobilen",
"det gamle"), so that the capture asks which one.

Ambiguous means: at least two numbers, said at different places of the text, none of them lost to a cue
(:attr:`~.candidate.PhoneCandidate.lost_because` empty), each scoring :data:`MIN_RIVAL_SCORE` or more. Rival
readings of the same words ("nitti to …" as 92 or 90 2) are no choice between two numbers: the read-back settles
them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from .candidate import PhoneCandidate
from .languages import language_pack

__all__ = ["MIN_RIVAL_SCORE", "ChoiceOutcome", "NumberChoice", "choose_number", "label_of"]

ChoiceOutcome = Literal["number", "ambiguous", "none"]

MIN_RIVAL_SCORE: Final = 0.2
"""A number scoring less is no rival: a faint reading does not make the caller choose."""


@dataclass(frozen=True, slots=True)
class NumberChoice:
    """What the caller's words say about the numbers in them."""

    outcome: ChoiceOutcome
    candidates: tuple[PhoneCandidate, ...]
    """``number``: the one meant; ``ambiguous``: the two rivals in the order said; ``none``: empty."""
    labels: tuple[str, ...] = ()
    """For each of :attr:`candidates`, what the caller called it ("jobbnummeret", "mobilen", "det gamle"), or
    ``""`` when no word did."""


def choose_number(text: str, candidates: Sequence[PhoneCandidate], *, language: str = "nb") -> NumberChoice:
    """The choice ``candidates`` (:func:`~sidecar_stt.core.phone.extract_phone_numbers` of ``text``, best first)
    leave; see the module docstring."""
    if not candidates:
        return NumberChoice("none", ())
    first = candidates[0]
    rivals = [
        c
        for c in candidates[1:]
        if not c.lost_because and c.score >= MIN_RIVAL_SCORE and not _overlap(c.span, first.span)
    ]
    if first.lost_because:
        return NumberChoice("none", ())  # the only number was called old or not the caller's
    if first.score < MIN_RIVAL_SCORE or not rivals:
        return NumberChoice("number", (first,), (label_of(text, first, candidates, language),))
    pair = tuple(sorted((first, rivals[0]), key=lambda c: c.span[0]))
    return NumberChoice("ambiguous", pair, tuple(label_of(text, c, pair, language) for c in pair))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def label_of(text: str, candidate: PhoneCandidate, others: Sequence[PhoneCandidate], language: str) -> str:
    """What the caller called ``candidate``: the nearest naming word before it in its own clause (since the number
    or the clause break before it: "og", "men", a comma), else one after it in its clause ("22 33 44 55 er på
    jobben og …"); ``""`` when none."""
    start = max((o.span[1] for o in others if o.span[1] <= candidate.span[0]), default=0)
    end = min((o.span[0] for o in others if o.span[0] >= candidate.span[1]), default=len(text))
    breaks = _breaks(language)
    cut = [m.end() for m in breaks.finditer(text, start, candidate.span[0])]
    lead_start = cut[-1] if cut and start > 0 else start
    pattern = _naming(language)
    before = list(pattern.finditer(text, lead_start, candidate.span[0]))
    if before:
        return before[-1].group(0).lower()
    stop = breaks.search(text, candidate.span[1], end)
    after = pattern.search(text, candidate.span[1], stop.start() if stop is not None else end)
    return after.group(0).lower() if after is not None else ""


@cache
def _breaks(language: str) -> re.Pattern[str]:
    """Where a clause about one number ends: a comma or full stop, "og", "men", "eller"."""
    pack = language_pack(language)
    words = {*pack.numbers.conjunctions, *pack.corrections.clause_breaks, *pack.intent.correction_or}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"[,.;!?]|(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@cache
def _naming(language: str) -> re.Pattern[str]:
    """Words that name a number: a kind ("mobil…", "jobb…") as a whole word with its ending, or one of the pack's
    names ("det gamle", "det nye"), longest first."""
    intent = language_pack(language).intent
    kinds = "|".join(re.escape(w) for w in sorted(intent.labels, key=len, reverse=True))
    names = "|".join(
        r"[\s,]+".join(re.escape(p) for p in phrase.split()) for phrase in sorted(intent.names, key=len, reverse=True)
    )
    alternation = rf"[^\W\d_]*(?:{kinds})[^\W\d_]*" + (rf"|(?:{names})" if names else "")
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)
