"""Text spelled out loud → characters: letter names ("kå", "dobbelt-ve"), letters said as themselves, "A som i
Anna" / "B for Bertil", number words (as digits), symbols ("krøllalfa", "punktum", "bindestrek"), printed words.

:func:`spell` cuts a text into :class:`Spelled` tokens that the e-mail and app-code kinds assemble. Every word it
knows comes from the language pack (:class:`~sidecar_stt.core.languages.pack.KindWords`, the number words).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final, Literal, NamedTuple

from ..languages import language_pack, normalize_language
from ..numerals import parse_digit_readings

__all__ = ["MAX_SPELLED_CHARS", "Spelled", "SpelledKind", "number_word", "spell"]

SpelledKind = Literal["letter", "digits", "symbol", "word", "pause"]

_TOKEN: Final = re.compile(r"[^\W_]+|[@._+\-]|[^\s\w]")
_HYPHEN_SPELLED: Final = re.compile(r"(?<![\w-])[^\W\d_](?:-[^\W\d_]){2,}(?![\w-])")
"""Letters written one by one with hyphens ("K-A-R-I"): spelled letters, not an address's hyphens."""
_MIN_GLUED_CHARS: Final = 6
_MIN_GLUED_SYMBOL: Final = 6
"""Shorter words are read strictly: a lenient reading takes dialect spellings ("tri", "fir") that are names too."""
_PRINTED_SYMBOLS: Final = frozenset("@._+-")

MAX_SPELLED_CHARS: Final = 1000
"""Characters of a text that are spelled (the last ones): an address or a code is said in far fewer."""


class Spelled(NamedTuple):
    """One token of a spelled text."""

    kind: SpelledKind
    chars: str
    """The characters it stands for (lower case), empty for a pause."""
    start: int
    end: int
    printed: bool = False
    """A word written as a code is (upper case or holding digits: "K7X2PQ")."""


@lru_cache(maxsize=8192)
def number_word(word: str, language: str) -> str | None:
    """The digits of one number word ("åttiåtte" → "88"; glued groups too: "nittenåttiseks" → "1986"), or
    ``None``."""
    for search in (False, True):
        if search and len(word) < _MIN_GLUED_CHARS:
            break
        runs = parse_digit_readings(word, language=language, search=search)
        if len(runs) == 1 and runs[0].span == (0, len(word)) and not runs[0].best.groups[0].weak:
            return runs[0].best.digits
    return None


@cache
def _tables(language: str) -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, ...], ...], frozenset[str]]:
    pack = language_pack(language)
    kinds = pack.kinds
    spelled_as = tuple(tuple(p.split()) for p in sorted(kinds.spelled_as, key=len, reverse=True))
    return dict(kinds.letters), dict(kinds.symbols), spelled_as, frozenset(pack.numbers.fillers)


def _letter(word: str, letters: dict[str, str]) -> str | None:
    if word in letters:
        return letters[word]
    if len(word) == 1 and word.isalpha():
        return word
    return None


def spell(text: str, *, language: str = "nb", alphabet: bool = False) -> list[Spelled]:
    """The tokens of ``text`` as spelled characters (see the module docstring); ``alphabet`` reads the names of the
    pack's spelling alphabet as their letters too ("Gustav", "X-ray")."""
    lang = normalize_language(language)
    letters, symbols, spelled_as, fillers = _tables(lang)
    if alphabet:
        letters = {**language_pack(lang).kinds.spelling_alphabet, **letters}
    offset = max(0, len(text) - MAX_SPELLED_CHARS)
    tail = _HYPHEN_SPELLED.sub(lambda m: m.group().replace("-", " "), text[offset:])  # "k-a-r-i": letters
    raw = [(m.group(), m.start() + offset, m.end() + offset) for m in _tokens(lang).finditer(tail)]
    lowered = [t.lower() for t, _, _ in raw]
    out: list[Spelled] = []
    i = 0
    while i < len(raw):
        token, start, end = raw[i]
        word = lowered[i]
        hyphened = _hyphened(raw, lowered, i)
        if hyphened and (hyphened in symbols or hyphened in letters):
            mapped = symbols.get(hyphened)
            out.append(Spelled("symbol" if mapped else "letter", mapped or letters[hyphened], start, raw[i + 2][2]))
            i += 3
            continue
        pair = f"{word} {lowered[i + 1]}" if i + 1 < len(raw) else ""
        if pair and (pair in symbols or pair in letters):
            mapped = symbols.get(pair)
            kind: SpelledKind = "symbol" if mapped else "letter"
            out.append(Spelled(kind, mapped or letters[pair], start, raw[i + 1][2]))
            i += 2
            continue
        if word == "." and _full_stop(raw, i):
            out.append(Spelled("pause", "", start, end))  # not a dot of a printed address
        elif word in _PRINTED_SYMBOLS:
            out.append(Spelled("symbol", word, start, end))
        elif word in symbols:
            out.append(Spelled("symbol", symbols[word], start, end))
        elif (letter := _letter(word, letters)) is not None:
            taken = _spelled_as(lowered, i, letter, spelled_as)
            out.append(Spelled("letter", letter, start, raw[i + taken][2]))
            i += taken + 1
            continue
        elif word.isdigit():
            out.append(Spelled("digits", word, start, end))
        elif word.isalpha() and (digits := number_word(word, lang)) is not None:
            out.append(Spelled("digits", digits, start, end))
        elif word in fillers or not word[0].isalnum():
            out.append(Spelled("pause", "", start, end))
        else:
            printed = token.isupper() or any(ch.isdigit() for ch in token)
            out.append(Spelled("word", word, start, end, printed))
        i += 1
    return _join_number_words(out, text, lang)


@cache
def _tokens(language: str) -> re.Pattern[str]:
    """The tokens of a spelled text; symbol names an engine glued to the words around them
    ("olapunktumkarlsenkrøllalfahotmail") are tokens of their own — names of six letters or more, which no ordinary
    word holds by chance."""
    names = sorted(n for n in language_pack(language).kinds.symbols if n.isalpha() and len(n) >= _MIN_GLUED_SYMBOL)
    if not names:
        return _TOKEN
    glued = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?i:{glued})|(?:(?!(?i:{glued}))[^\W_])+|[@._+\-]|[^\s\w]")


def _said_digits(token: Spelled, text: str) -> bool:
    """A number word (not digits printed as such)."""
    return token.kind == "digits" and token.chars != text[token.start : token.end]


def _join_number_words(tokens: list[Spelled], text: str, language: str) -> list[Spelled]:
    """Number words in a row read as one number ("to tusen" → "2000", not "2" and "1000")."""
    out: list[Spelled] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and _said_digits(tokens[j], text):
            j += 1
        if j - i < 2:
            out.append(tokens[i])
            i += 1
            continue
        start, end = tokens[i].start, tokens[j - 1].end
        runs = parse_digit_readings(text[start:end], language=language)
        if len(runs) == 1 and runs[0].span == (0, end - start):
            out.append(Spelled("digits", runs[0].best.digits, start, end))
        else:
            out.extend(tokens[i:j])
        i = j
    return out


def _full_stop(raw: list[tuple[str, int, int]], i: int) -> bool:
    """Whether the "." at ``i`` ends a sentence: last, or glued to the word before and followed by a space (a dot
    of an address is glued on both sides, "gmail.com", or spaced on both, "gmail . com")."""
    if i + 1 == len(raw):
        return True
    glued_before = i > 0 and raw[i - 1][2] == raw[i][1]
    spaced_after = raw[i + 1][1] > raw[i][2]
    return glued_before and spaced_after


def _hyphened(raw: list[tuple[str, int, int]], lowered: list[str], i: int) -> str:
    """The word written with a hyphen that starts at ``i`` ("dobbelt-ve", "krøll-alfa"), or ``""``."""
    if i + 2 >= len(raw) or lowered[i + 1] != "-":
        return ""
    if raw[i][2] != raw[i + 1][1] or raw[i + 1][2] != raw[i + 2][1]:
        return ""
    return f"{lowered[i]}-{lowered[i + 2]}"


def _spelled_as(words: list[str], i: int, letter: str, spelled_as: tuple[tuple[str, ...], ...]) -> int:
    """How many tokens after the letter at ``i`` explain it ("som i Anna": 3), or 0."""
    for phrase in spelled_as:
        after = i + 1 + len(phrase)
        if after < len(words) and tuple(words[i + 1 : after]) == phrase:
            example = words[after]
            if len(example) > 1 and example[0] == letter:
                return len(phrase) + 1
            if example == letter and words[after + 1 : after + 2] == ["-"] and after + 2 < len(words):
                return len(phrase) + 3  # "X as in X-ray"
    return 0
