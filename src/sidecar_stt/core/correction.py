"""Partial corrections of a read-back phone number: "nei, det er førtiseks, ikke førtifem".

:func:`parse_correction` reads what the caller said after a read-back into a :class:`Correction`: the new
value, the value it replaces (said after "ikke"/"not"/"i stedet for"/"instead of") and the group it names
("den siste"/"the last", "første"/"first", …). :func:`apply_correction` puts it into the groups that were read
back and returns the corrected digit string. A text that holds a whole number is not a partial correction;
callers try the whole number first.

Locating the group, in this order: the replaced value ("ikke førtifem" → the group read as 45, the named
position breaking ties); the named position ("det siste er syttiåtte" → the last group, or the last digits
when the value is longer or shorter than a group); else the one group of the same length that differs from
the new value in the fewest digits (only when exactly one group differs by a single digit per pair).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .languages import language_pack, language_packs, normalize_language
from .languages.pack import CorrectionWords
from .numerals import parse_digit_readings

__all__ = [
    "Correction",
    "apply_correction",
    "has_correction_cue",
    "parse_correction",
    "says_no",
    "says_yes",
]

_COUNTED: Final = frozenset(w for pack in language_packs() for w in pack.corrections.counted)
"""Words after a number that make it a count ("de fire siste sifrene"), not a value — in any language."""
_CLAUSE_BREAK: Final = re.compile(
    r"[,.;:!?]|\b(?:"
    + "|".join(
        sorted(
            {re.escape(w) for pack in language_packs() for w in pack.corrections.clause_breaks}, key=len, reverse=True
        )
    )
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Correction:
    """A partial correction: ``new`` digits replace ``old`` digits or the group at ``position``."""

    new: str
    old: str | None = None
    """The digits the caller said were wrong, if named ("ikke førtifem" → ``"45"``)."""
    position: int | None = None
    """The group the caller named: 0 = first, 1 = second, …, -1 = last, -2 = second to last."""


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _words(language: str) -> CorrectionWords:
    return language_pack(language).corrections


def says_yes(text: str, *, language: str = "nb") -> bool:
    """Whether an answer to a read-back holds a yes ("ja", "stemmer", "yes", "correct", …). An answer can hold a yes
    and a no ("ja, men det siste er feil"); callers check :func:`says_no` too."""
    return _pattern(language_pack(language).answers.yes).search(text) is not None


def says_no(text: str, *, language: str = "nb") -> bool:
    """Whether an answer to a read-back says no ("nei", "feil", "no", "wrong", …) or corrects it."""
    no = language_pack(language).answers.no
    return _pattern(no).search(text) is not None or has_correction_cue(text, language=language)


def has_correction_cue(text: str, *, language: str = "nb") -> bool:
    """Whether ``text`` names a wrong value or a position ("ikke …", "det siste …", "not …", "the last …")."""
    words = _words(language)
    return _pattern([*words.negations, *(w for w, _ in words.positions)]).search(text) is not None


def _value(text: str, language: str) -> str:
    """The digits said in ``text``; runs of only weak words ("en", "to") and counts ("fire siste") are left out."""
    out: list[str] = []
    positions = {w for w, _ in _words(language).positions}
    for run in parse_digit_readings(text, language=language):
        best = run.best
        if all(g.weak for g in best.groups) or run.next_word in positions or run.next_word in _COUNTED:
            continue
        out.append(best.digits)
    return "".join(out)


def parse_correction(text: str, *, language: str = "nb") -> Correction | None:
    """The partial correction in ``text``, or ``None`` when it holds none (or more than one new value).

    ``"nei, det er førtiseks, ikke førtifem"`` → ``Correction(new="46", old="45")``;
    ``"the last part is seventy-eight"`` → ``Correction(new="78", position=-1)``;
    ``"61 skulle være 36"`` → ``Correction(new="36", old="61")``.
    """
    lang = normalize_language(language)
    words = _words(lang)
    replaced = _pattern(words.replaced_by).search(text)
    if replaced is not None:
        old_value, new_value = _value(text[: replaced.start()], lang), _value(text[replaced.end() :], lang)
        if old_value and new_value:
            return Correction(new=new_value, old=old_value)
    negation = _pattern(words.negations)
    positive: list[str] = []
    negated: list[str] = []
    for clause in _CLAUSE_BREAK.split(text):
        if not clause or not clause.strip():
            continue
        pieces = negation.split(clause)
        head = _value(pieces[0], lang)
        if head:
            positive.append(head)
        for piece in pieces[1:]:
            value = _value(piece, lang)
            if value:
                negated.append(value)
    positive = list(dict.fromkeys(positive))  # "nei, fjorten, ja fjorten til slutt": one value said twice
    if len(positive) != 1 or len(negated) > 1:
        return None
    position: int | None = None
    for word, pos in words.positions:
        if _pattern([word]).search(text):
            position = pos
            break
    return Correction(new=positive[0], old=negated[0] if negated else None, position=position)


def _starts(groups: Sequence[str]) -> list[int]:
    starts, pos = [], 0
    for g in groups:
        starts.append(pos)
        pos += len(g)
    return starts


def apply_correction(correction: Correction, groups: Sequence[str]) -> tuple[str, tuple[int, ...]] | None:
    """The digits of ``groups`` with ``correction`` applied, and the indices of the groups it changed.

    ``None`` when the correction cannot be placed unambiguously or changes nothing.
    """
    if not groups or not correction.new:
        return None
    digits = "".join(groups)
    starts = _starts(groups)
    n = len(groups)
    new = correction.new
    start: int | None = None
    length = len(new)
    if correction.old is not None:
        old = correction.old
        hits = [i for i in range(len(digits) - len(old) + 1) if digits.startswith(old, i)]
        aligned = [i for i in hits if i in starts]
        candidates = aligned or hits
        if correction.position is not None and len(candidates) > 1:
            wanted = starts[correction.position % n] if -n <= correction.position < n else None
            candidates = [i for i in candidates if i == wanted] or candidates
        if len(candidates) != 1:
            return None
        start, length = candidates[0], len(old)
        anchor = len(new) - len(old)
        if anchor > 0 and digits[:start].endswith(new[:anchor]):
            new = new[anchor:]  # "sekstisju åtti, ikke atten": the group before said again as an anchor
    elif correction.position is not None:
        if not -n <= correction.position < n:
            return None
        index = correction.position % n
        # a negative position counts from the end: the new digits end where the named group ends
        start = starts[index] + len(groups[index]) - len(new) if correction.position < 0 else starts[index]
        if start < 0 or start + length > len(digits):
            return None
    else:
        best: list[tuple[int, int]] = []
        for i, g in enumerate(groups):
            if len(g) != len(new):
                continue
            distance = sum(a != b for a, b in zip(g, new, strict=True))
            if distance:
                best.append((distance, i))
        if not best:
            return None
        best.sort()
        if best[0][0] > max(1, len(new) // 2) or (len(best) > 1 and best[1][0] == best[0][0]):
            return None
        start = starts[best[0][1]]
    corrected = digits[:start] + new + digits[start + length :]
    if corrected == digits:
        return None
    changed = tuple(
        i for i in range(n) if starts[i] < start + max(length, len(new)) and start < starts[i] + len(groups[i])
    )
    return corrected, changed
