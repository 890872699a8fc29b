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

from .numerals import normalize_language, parse_digit_readings

__all__ = [
    "Correction",
    "apply_correction",
    "has_correction_cue",
    "parse_correction",
    "says_no",
    "says_yes",
]

_NEGATIONS: Final = {
    "nb": ("i stedet for", "istedenfor", "istedet for", "ikke", "ikkje"),
    "nn": ("i staden for", "i staden", "ikkje", "ikke"),
    "en": ("instead of", "rather than", "not", "isn't", "it's not"),
    "sv": ("i stället för", "inte"),
    "da": ("i stedet for", "ikke"),
}
_POSITIONS: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    "nb": (
        ("nest siste", -2), ("nestsiste", -2), ("siste", -1), ("slutten", -1), ("sist", -1),
        ("første", 0), ("først", 0), ("starten", 0), ("begynnelsen", 0),
        ("andre", 1), ("tredje", 2), ("fjerde", 3),
    ),
    "nn": (
        ("nest siste", -2), ("siste", -1), ("slutten", -1), ("sist", -1), ("første", 0), ("fyrste", 0),
        ("starten", 0), ("andre", 1), ("tredje", 2), ("fjerde", 3),
    ),
    "en": (
        ("second to last", -2), ("second last", -2), ("penultimate", -2), ("last", -1), ("end", -1),
        ("first", 0), ("beginning", 0), ("start", 0), ("second", 1), ("third", 2), ("fourth", 3),
    ),
    "sv": (("näst sista", -2), ("sista", -1), ("slutet", -1), ("första", 0), ("andra", 1), ("tredje", 2)),
    "da": (("næstsidste", -2), ("sidste", -1), ("slutningen", -1), ("første", 0), ("anden", 1), ("tredje", 2)),
}  # fmt: skip
_COUNTED: Final = frozenset(
    {"siffer", "sifrene", "sifra", "sifferne", "tallene", "tal", "tala", "digits", "numbers", "siffror", "cifre"}
)
"""Words after a number that make it a count ("de fire siste sifrene"), not a value."""
_CLAUSE_BREAK: Final = re.compile(r"[,.;:!?]|\b(?:men|but|utan|mens)\b", re.IGNORECASE)


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


def _lang(language: str) -> str:
    lang = normalize_language(language)
    return lang if lang in _NEGATIONS else "en"


_REPLACED_BY: Final = {
    "nb": ("skulle være", "skal være", "skulle vært", "skal vere", "skulle vere"),
    "nn": ("skulle vere", "skal vere", "skulle vore", "skulle være", "skal være"),
    "en": ("should be", "should have been", "is supposed to be"),
    "sv": ("ska vara", "skulle vara"),
    "da": ("skal være", "skulle være"),
}
"""Between an old value and its new one: "61 skulle være 36", "forty five should be forty six"."""


_NO: Final = {
    "nb": ("nei", "feil", "stemmer ikke", "det er ikke"),
    "nn": ("nei", "feil", "stemmer ikkje", "det er ikkje"),
    "en": ("no", "nope", "wrong", "that's not", "that is not", "incorrect"),
    "sv": ("nej", "fel", "stämmer inte"),
    "da": ("nej", "forkert", "passer ikke"),
}


_YES: Final = {
    "nb": ("ja", "jo", "jepp", "japp", "jada", "javisst", "ja visst", "mhm", "stemmer", "riktig", "korrekt",
           "helt rett", "det er rett", "ok", "okei", "greit", "yes"),
    "nn": ("ja", "jo", "jepp", "jau", "mhm", "stemmer", "riktig", "korrekt", "rett", "ok", "greitt", "yes"),
    "en": ("yes", "yeah", "yep", "yup", "correct", "right", "exactly", "that's it", "that is it", "ok", "okay",
           "sure", "mhm"),
    "sv": ("ja", "japp", "jajamen", "stämmer", "rätt", "korrekt", "ok", "okej"),
    "da": ("ja", "jep", "korrekt", "rigtigt", "passer", "ok", "okay"),
}  # fmt: skip


def says_yes(text: str, *, language: str = "nb") -> bool:
    """Whether an answer to a read-back holds a yes ("ja", "stemmer", "yes", "correct", …). An answer can hold a yes
    and a no ("ja, men det siste er feil"); callers check :func:`says_no` too."""
    return _pattern(list(_YES[_lang(language)])).search(text) is not None


def says_no(text: str, *, language: str = "nb") -> bool:
    """Whether an answer to a read-back says no ("nei", "feil", "no", "wrong", …) or corrects it."""
    lang = _lang(language)
    return _pattern(list(_NO[lang])).search(text) is not None or has_correction_cue(text, language=language)


def has_correction_cue(text: str, *, language: str = "nb") -> bool:
    """Whether ``text`` names a wrong value or a position ("ikke …", "det siste …", "not …", "the last …")."""
    lang = _lang(language)
    words = [*_NEGATIONS[lang], *(w for w, _ in _POSITIONS[lang])]
    return _pattern(words).search(text) is not None


def _value(text: str, language: str) -> str:
    """The digits said in ``text``; runs of only weak words ("en", "to") and counts ("fire siste") are left out."""
    out: list[str] = []
    positions = {w for w, _ in _POSITIONS[language]}
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
    lang = _lang(language)
    replaced = _pattern(_REPLACED_BY[lang]).search(text)
    if replaced is not None:
        old_value, new_value = _value(text[: replaced.start()], lang), _value(text[replaced.end() :], lang)
        if old_value and new_value:
            return Correction(new=new_value, old=old_value)
    negation = _pattern(_NEGATIONS[lang])
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
    if len(positive) != 1 or len(negated) > 1:
        return None
    position: int | None = None
    for word, pos in _POSITIONS[lang]:
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
