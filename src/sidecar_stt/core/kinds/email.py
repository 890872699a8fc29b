"""``email``: an e-mail address spelled the Norwegian way ("kari punktum nordmann krøllalfa gmail punktum com",
letters by their names, "bindestrek", "understrek", "æ ø å", "dott", "at") or printed, validated for syntax by
``email-validator`` (no network: ``check_deliverability=False``), lower-cased, read back letter by letter.

Around each "@" the address is assembled from :func:`~.spelling.spell`'s tokens: backwards for the user name and
forwards for the domain, part by part between separators. A part is a run of spelled letters and digits, with at
most one ordinary word ("kari åtte åtte", "bjørn æ ø å"); an ordinary word next to another ends the address ("min
adresse er kari …"), and so does a short word next to spelled letters ("er k a r i …").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import email_validator

from ..languages import language_pack, normalize_language
from ..readback import read_back_groups
from .context import label_before, taken_back
from .protocol import KindCandidate, SpokenValue
from .spelling import Spelled, spell

__all__ = ["EMAIL", "EmailKind"]

_SEPARATORS: Final = frozenset(".-_+")
_UNLABELLED_FACTOR: Final = 0.9
_MAX_PARTS: Final = 12
_MIN_JOINED_WORD: Final = 4
"""A word joins spelled letters in one part only when it is this long ("bjørn æ ø å"); shorter words ("er",
"min") come before an address, not in it."""


def _part(tokens: list[Spelled], index: int, step: int) -> tuple[str, int] | None:
    """One part of an address read from ``index`` in direction ``step`` (1 or -1): its characters and the index
    after it; ``None`` when no part starts there.

    In the order said, a part is a run of spelled letters and digits, or one ordinary word followed by letters and
    digits ("bjørn æ ø å", "kari åtte åtte"). Spelled letters before a word are no part of it ("de e gunn", "it's
    trond"), nor is a word set off by a pause from the letters ("sure, f r o d e"); a word followed by its own
    spelling ("elin, e l i n") is read once."""
    chars: list[str] = []
    word = ""
    letters = 0
    paused = False
    i = index
    while 0 <= i < len(tokens):
        token = tokens[i]
        if token.kind == "pause":
            paused = True
            i += step
            continue
        if token.kind in ("letter", "digits"):
            if word and (step < 0 or paused or (token.kind == "letter" and len(word) < _MIN_JOINED_WORD)):
                break  # letters before a word, or set off from it
            letters += token.kind == "letter"
        elif token.kind == "word":
            if word or (letters and (paused or len(token.chars) < _MIN_JOINED_WORD)):
                break  # "min adresse er k a r i …": a short word before spelled letters is no part of them
            word = token.chars
        else:
            break
        paused = False
        chars.append(token.chars)
        i += step
    if not chars:
        return None
    if step < 0:
        chars.reverse()
    text = "".join(chars)
    if word and text == word + word:
        text = word  # "elin e l i n"
    return text, i


def _side(tokens: list[Spelled], index: int, step: int) -> tuple[str, int] | None:
    """The user name (``step=-1``, from the token before "@") or the domain (``step=1``): parts joined by
    separators."""
    pieces: list[str] = []
    i = index
    for _ in range(_MAX_PARTS):
        part = _part(tokens, i, step)
        if part is None:
            return None if not pieces else ("".join(reversed(pieces) if step < 0 else pieces), i)
        text, i = part
        pieces.append(text)
        j = i
        while 0 <= j < len(tokens) and tokens[j].kind == "pause":
            j += step
        if 0 <= j < len(tokens) and tokens[j].kind == "symbol" and tokens[j].chars in _SEPARATORS:
            pieces.append(tokens[j].chars)
            i = j + step
            continue
        break
    if pieces and pieces[-1] in _SEPARATORS:
        pieces.pop()  # a trailing "punktum" ends a sentence
    if not pieces:
        return None
    return "".join(reversed(pieces) if step < 0 else pieces), i


def _valid(address: str) -> str | None:
    try:
        checked = email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    return str(checked.normalized).lower()


@dataclass(frozen=True, slots=True)
class EmailKind:
    """E-mail addresses (see the module docstring)."""

    name: str = "email"
    secret: bool = False

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        lang = normalize_language(language)
        tokens = spell(text, language=lang)
        found: dict[str, KindCandidate] = {}
        for k, token in enumerate(tokens):
            if token.kind != "symbol" or token.chars != "@":
                continue
            local = _side(tokens, k - 1, -1)
            domain = _side(tokens, k + 1, 1)
            if local is None or domain is None:
                continue
            value = _valid(f"{local[0]}@{domain[0]}")
            if value is None:
                continue
            start = tokens[local[1] + 1].start
            end = tokens[domain[1] - 1].end
            label = label_before(text, start, language=lang, kind=self.name)
            if label is not None and label != self.name:
                continue
            score = 1.0 if label == self.name else _UNLABELLED_FACTOR
            if value not in found or found[value].score < score:
                found[value] = KindCandidate(self.name, value, score, (start, end), self.groups(value))
        kept = [c for c in found.values() if not taken_back(text, c.span[1], language=lang)]
        return tuple(sorted(kept, key=lambda c: (-c.score, -c.span[0])))

    def normalize(self, value: str) -> str | None:
        return _valid(value.strip())

    def validate(self, value: str) -> bool:
        return _valid(value) == value

    def groups(self, value: str) -> tuple[str, ...]:
        local, _, domain = value.rpartition("@")
        return (local, domain)

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        lang = normalize_language(language)
        kinds = language_pack(lang).kinds
        groups = self.groups(value)
        words = tuple(" ".join(_say(ch, lang) for ch in group) for group in groups)
        return SpokenValue(groups, words, separator=f" {kinds.symbol_names['@']} ")

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        kinds = language_pack(language).kinds
        return kinds.group_names[self.name]


def _say(char: str, language: str) -> str:
    kinds = language_pack(language).kinds
    if char.isdigit():
        return read_back_groups([char], language=language)[0]
    return kinds.symbol_names.get(char) or kinds.letter_names.get(char, char)


EMAIL: Final = EmailKind()
"""The e-mail kind."""
