"""The words around a value: which kind the caller named before it, and how much else the text says.

A label ("fødselsnummeret", "postnummer", "kontonummer") names the kind of the value after it: the nearest label
before a value decides, so an account number after "kontonummer" is no fødselsnummer. A value of a kind without
check digits (a postcode, a date) said with no label counts only in a short answer — a caller answering the
question asked — never as one number among the words of a longer sentence.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from ..languages import language_pack, normalize_language

__all__ = ["MAX_OTHER_WORDS", "corrects", "label_before", "other_words", "taken_back", "words"]

_WORD: Final = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

MAX_OTHER_WORDS: Final = 4
"""Words besides the value, its label and fillers that a short answer holds ("ja, det er …", "mitt er …")."""


def words(text: str) -> list[tuple[str, int, int]]:
    """The lower-cased words of ``text`` with their character offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


@cache
def _labels(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern matching every label of the pack (longest first, as the start of a word) and label → kind."""
    owner: dict[str, str] = {}
    for kind, labels in language_pack(language).kinds.labels.items():
        for label in labels:
            owner.setdefault(label, kind)
    alternatives = "|".join(re.escape(label) for label in sorted(owner, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})"), owner


_NOT_A_RIVAL: Final = "email"
"""The kind whose label ("i bekreftelsen står det …") never makes a number or a code someone else's: no number looks
like an address."""


def label_before(text: str, start: int, *, language: str = "nb", kind: str = "") -> str | None:
    """The kind named by the last label in ``text`` before offset ``start``, or ``None`` when none is; for any
    ``kind`` but e-mail, the e-mail labels are passed over."""
    pattern, owner = _labels(normalize_language(language))
    found: str | None = None
    for match in pattern.finditer(text[:start].lower()):
        named = owner[match.group()]
        if named != _NOT_A_RIVAL or kind == _NOT_A_RIVAL:
            found = named
    return found


@cache
def _quiet_words(language: str) -> frozenset[str]:
    pack = language_pack(language)
    label_words = {w for labels in pack.kinds.labels.values() for label in labels for w in label.split()}
    return frozenset(
        {*pack.numbers.fillers, *pack.kinds.date_joiners, *pack.answers.yes, *label_words, *pack.numbers.conjunctions}
    )


def other_words(text: str, spans: list[tuple[int, int]], *, language: str = "nb") -> int:
    """How many words of ``text`` lie outside ``spans`` and are no filler, joiner, yes or label (whose start a
    label word may be: "postnummeret")."""
    quiet = _quiet_words(normalize_language(language))
    count = 0
    for word, start, end in words(text):
        if any(a <= start and end <= b for a, b in spans):
            continue
        if word in quiet or any(word.startswith(q) and len(q) >= 4 for q in quiet):
            continue
        count += 1
    return count


@cache
def _correction_cues(language: str) -> re.Pattern[str]:
    intent = language_pack(language).intent
    cues = sorted({*intent.correction, *intent.retraction}, key=len, reverse=True)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(re.escape(c) for c in cues)})(?![^\W\d_])")


def corrects(text: str, *, language: str = "nb") -> bool:
    """Whether ``text`` (the words between two numbers) holds a correction cue of the pack ("nei", "jeg mener")."""
    return _correction_cues(normalize_language(language)).search(text.lower()) is not None


def taken_back(text: str, end: int, *, language: str = "nb") -> bool:
    """Whether the caller takes back a value that ends at ``end``: a correction cue follows it ("…, nei, det er det
    gamle nummeret"; "…, nei, stryk det"). A corrected value ends after its correction and so is not taken back."""
    return corrects(text[end:], language=language)
