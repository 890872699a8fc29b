"""An app's own codes as a kind, built from a spec: a length range, the characters allowed and an optional check
digit (``luhn``, ``mod11`` or none) — customer numbers, order numbers, booking references.

:func:`app_code` builds the kind. A code of digits only is read as the digit kinds are (:class:`~.digits.DigitKind`:
number words, pairs, printed digits). A code with letters is read from :func:`~.spelling.spell`'s tokens: letters
by their names ("kå", "sett"), "A som i Anna", "B for Bertil", number words as digits, printed codes ("K7X2PQ"); a
stretch of such tokens of exactly an allowed length, of allowed characters only, passing the check, is a value.
Values are upper case. A code without check digits, like a postcode, counts unlabelled only in a short answer.

The library ships no codes of its own; a test and a benchmark build two examples::

    app_code("customer-number", length=(7, 7), alphabet="0123456789", check="luhn")
    app_code("booking-reference", length=(6, 6), alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ23456789")
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from stdnum import luhn
from stdnum.util import clean

from ..languages import language_pack, normalize_language
from ..readback import read_back_groups
from .context import MAX_OTHER_WORDS, label_before, other_words, taken_back
from .digits import DigitKind, GroupStyle
from .protocol import Kind, KindCandidate, SpokenValue
from .spelling import Spelled, spell

__all__ = ["CheckScheme", "SpelledCodeKind", "app_code"]

CheckScheme = Literal["luhn", "mod11"]

_WEIGHTS_MOD11: Final = (2, 3, 4, 5, 6, 7)
_UNLABELLED_FACTOR: Final = 0.9
_SHORT_ANSWER_FACTOR: Final = 0.8
_GROUP: Final = 3
_TRIMMED_FACTOR: Final = 0.8
_CODE_PUNCTUATION: Final = frozenset("-.")
_STYLES: Final[tuple[GroupStyle, ...]] = ("digits",)


def mod11_valid(value: str) -> bool:
    """The MOD11 check digit of Norwegian numbers (weights 2, 3, 4, 5, 6, 7 from the right; 11 → 0, 10 is no
    value)."""
    body, control = value[:-1], value[-1]
    total = sum(int(d) * _WEIGHTS_MOD11[i % len(_WEIGHTS_MOD11)] for i, d in enumerate(reversed(body)))
    rest = 11 - total % 11
    return rest != 10 and str(0 if rest == 11 else rest) == control


def _checker(check: CheckScheme | None) -> Callable[[str], bool]:
    if check is None:
        return lambda _: True
    if check == "luhn":
        return lambda value: value.isdigit() and bool(luhn.is_valid(value))
    if check == "mod11":
        return lambda value: value.isdigit() and len(value) > 1 and mod11_valid(value)
    raise ValueError(f"unknown check-digit scheme {check!r}; expected 'luhn', 'mod11' or None")


@dataclass(frozen=True, slots=True)
class SpelledCodeKind:
    """A code with letters (see the module docstring)."""

    name: str
    lengths: frozenset[int]
    alphabet: frozenset[str]
    check: Callable[[str], bool]
    checked: bool
    """Whether :attr:`check` is a check digit (else a code without one needs a label or a short answer)."""
    secret: bool = False

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        lang = normalize_language(language)
        tokens = spell(text, language=lang, alphabet=True)
        found: dict[str, KindCandidate] = {}
        for value, span, trimmed in self._windows(tokens):
            label = label_before(text, span[0], language=lang, kind=self.name)
            if label is not None and label != self.name:
                continue
            score = 1.0 if label == self.name else _UNLABELLED_FACTOR
            if label is None and not self.checked and not any(ch.isdigit() for ch in value):
                if other_words(text, [span], language=lang) > MAX_OTHER_WORDS:
                    continue  # no check digit, no digit, no label, a long sentence
                score = _SHORT_ANSWER_FACTOR
            score = round(score * (_TRIMMED_FACTOR if trimmed else 1.0), 4)
            if value not in found or found[value].score < score:
                found[value] = KindCandidate(self.name, value, score, span, self.groups(value))
        kept = [c for c in found.values() if not taken_back(text, c.span[1], language=lang)]
        return tuple(sorted(kept, key=lambda c: (-c.score, -c.span[0])))

    def _windows(self, tokens: list[Spelled]) -> list[tuple[str, tuple[int, int], bool]]:
        """(value, span, trimmed) of the valid codes of each stretch: the whole stretch, else the tokens at its end
        or its start that make a code (words before a code that are letter names too: "se", "i")."""
        out: list[tuple[str, tuple[int, int], bool]] = []
        for pieces in _stretches(tokens):
            whole = "".join(chars for chars, _ in pieces).upper()
            if self.validate(whole):
                out.append((whole, (pieces[0][1][0], pieces[-1][1][1]), False))
                continue
            for k in range(1, len(pieces)):
                for part in (pieces[k:], pieces[: len(pieces) - k]):
                    value = "".join(chars for chars, _ in part).upper()
                    if self.validate(value):
                        out.append((value, (part[0][1][0], part[-1][1][1]), True))
        return out

    def normalize(self, value: str) -> str | None:
        cleaned = clean(value, " -.").upper()
        return cleaned if cleaned else None

    def validate(self, value: str) -> bool:
        return len(value) in self.lengths and set(value) <= self.alphabet and self.check(value)

    def groups(self, value: str) -> tuple[str, ...]:
        return tuple(value[i : i + _GROUP] for i in range(0, len(value), _GROUP))

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        lang = normalize_language(language)
        names = language_pack(lang).kinds.letter_names
        groups = self.groups(value)
        words = tuple(
            " ".join(
                read_back_groups([ch], language=lang)[0] if ch.isdigit() else names.get(ch.lower(), ch.lower())
                for ch in group
            )
            for group in groups
        )
        return SpokenValue(groups, words)

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        names = language_pack(language).kinds.part_names
        return tuple(names[min(i, len(names) - 1)] for i in range(len(self.groups(value))))


def _stretches(tokens: list[Spelled]) -> list[list[tuple[str, tuple[int, int]]]]:
    """Maximal stretches of letters, digits and printed codes, each token's characters with its span (pauses inside
    are skipped)."""
    out: list[list[tuple[str, tuple[int, int]]]] = []
    pieces: list[tuple[str, tuple[int, int]]] = []
    for token in tokens:
        if token.kind in ("letter", "digits") or (token.kind == "word" and token.printed):
            pieces.append((token.chars, (token.start, token.end)))
        elif token.kind == "pause" or (token.kind == "symbol" and token.chars in _CODE_PUNCTUATION):
            continue  # "K7X-2PQ"
        elif pieces:
            out.append(pieces)
            pieces = []
    if pieces:
        out.append(pieces)
    return out


def app_code(
    name: str,
    *,
    length: tuple[int, int],
    alphabet: str = string.digits,
    check: CheckScheme | None = None,
    secret: bool = False,
) -> Kind:
    """A kind for an app's own code: ``length`` (shortest, longest), the ``alphabet`` of allowed characters (upper
    case for letters) and the ``check`` digit scheme over the whole code (its last character the check digit)."""
    shortest, longest = length
    if not 1 <= shortest <= longest:
        raise ValueError("length must be (shortest, longest) with 1 <= shortest <= longest")
    if not alphabet or alphabet != alphabet.upper():
        raise ValueError("alphabet must be the allowed characters, letters in upper case")
    checker = _checker(check)
    lengths = frozenset(range(shortest, longest + 1))
    if set(alphabet) <= set(string.digits):
        return DigitKind(
            name=name,
            lengths=lengths,
            check=lambda value: set(value) <= set(alphabet) and checker(value),
            sizes=lambda value: (_GROUP,) * (len(value) // _GROUP),
            styles=lambda _: _STYLES,
            needs_context=check is None,
            secret=secret,
        )
    return SpelledCodeKind(name, lengths, frozenset(alphabet), checker, check is not None, secret)
