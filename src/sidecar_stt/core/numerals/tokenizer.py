"""Transcript text → number runs: maximal stretches of number words and printed digits.

A run ends at any word that is neither a number word, a filler nor a conjunction, and at hard punctuation
(``: / ? ! ;``). Commas, periods, brackets, dashes between digits and fillers stay inside a run as pauses.
A ``+`` or a plus word ("pluss", "landskode") starts a new run that carries a country code. Compound number
words ("nittito", "femogførti", "etthundratjugotre") are split into morphemes when, and only when, the
morphemes form exactly one group — so "Tito" or "tien" stay ordinary words. Text is NFC-normalised and
lower-cased; the lexicons carry "aa" spellings of "å" ("aatte").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from .grammar import JOINED, PAUSE, SPACE, Item, is_single_group
from .lexicon import KIND_AND, KIND_DIGITS, KIND_MULTIPLIER, KIND_TEN, KIND_UNIT, Lexicon

__all__ = ["RawRun", "tokenize"]

_TOKEN: Final = re.compile(r"(\d+)|((?:[^\W\d_]|[\u0300-\u036f])+)|(\+)|([^\s\w])")
_PAUSE_PUNCT: Final = frozenset(",.()[]\"'«»“”‘’…*")
_HYPHENS: Final = frozenset("-‐‑‒–—")
_CONTEXT_WORDS: Final = 3


@dataclass(slots=True)
class RawRun:
    """A run before segmentation."""

    items: list[Item]
    plus: bool
    start: int
    prev_words: tuple[str, ...]
    next_word: str | None = None


def _normalize_word(word: str) -> str:
    word = word.lower()
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    return word


@lru_cache(maxsize=16384)
def _analyze(lexicon: Lexicon, word: str) -> tuple[tuple[int, int], ...] | None:
    """Morphemes of one written word, or ``None`` when it is no number word."""
    hit = lexicon.morphemes.get(word)
    if hit is not None:
        return (hit,)
    if not lexicon.compounds or len(word) < 4:
        return None
    parts = _split(lexicon, word)
    if parts is None:
        return None
    items = [Item(kind, value, 0, 0, JOINED if k else SPACE) for k, (kind, value) in enumerate(parts)]
    return parts if is_single_group(items) else None


def _split(lexicon: Lexicon, word: str) -> tuple[tuple[int, int], ...] | None:
    """Fewest-morpheme segmentation of ``word`` covering it entirely."""
    n = len(word)
    best: list[tuple[tuple[int, int], ...] | None] = [None] * (n + 1)
    best[n] = ()
    table = lexicon.morphemes
    longest = lexicon.max_morpheme_len
    for i in range(n - 1, -1, -1):
        choice: tuple[tuple[int, int], ...] | None = None
        for j in range(i + 1, min(n, i + longest) + 1):
            rest = best[j]
            if rest is None:
                continue
            hit = table.get(word[i:j])
            if hit is not None and (choice is None or len(rest) + 1 < len(choice)):
                choice = (hit, *rest)
        best[i] = choice
    return best[0]


_NUMBER: Final = 0
_FILLER: Final = 1
_PLUS: Final = 2
_OTHER: Final = 3
_WordClass = tuple[int, str, tuple[tuple[int, int], ...], bool]


_CACHE_LIMIT: Final = 100_000
_class_cache: dict[str, dict[str, _WordClass]] = {}


def _classify(lexicon: Lexicon, raw: str) -> _WordClass:
    """What a written word is for ``lexicon``: ``(class, normalised word, morphemes, weak)``."""
    w = _normalize_word(raw)
    parts = lexicon.morphemes.get(w)
    analysis = (parts,) if parts is not None else _analyze(lexicon, w)
    if analysis is not None:
        return _NUMBER, w, analysis, w in lexicon.weak
    if w in lexicon.fillers:
        return _FILLER, w, (), False
    if w in lexicon.plus_words:
        return _PLUS, w, (), False
    return _OTHER, w, (), False


def tokenize(text: str, lexicon: Lexicon) -> list[RawRun]:
    """Split ``text`` into number runs (runs without a number are dropped)."""
    runs: list[RawRun] = []
    words: list[str] = []  # recent non-number words, for context rules
    items: list[Item] = []
    plus = False
    run_start = 0
    pause = False
    hyphen_join = False
    prev_end = -1
    prev_was_word_number = False
    cache = _class_cache.get(lexicon.code)
    if cache is None or len(cache) > _CACHE_LIMIT:
        cache = _class_cache[lexicon.code] = {}

    def flush(next_word: str | None) -> None:
        nonlocal items, plus
        while items and items[-1].kind in (KIND_AND, KIND_MULTIPLIER):
            items.pop()
        while items and items[0].kind == KIND_AND:
            items.pop(0)
        if items:
            runs.append(RawRun(items, plus, run_start, tuple(words[-_CONTEXT_WORDS:]), next_word))
        items = []
        plus = False

    for m in _TOKEN.finditer(text):
        group = m.lastindex
        start, end = m.span()
        spaced = start != prev_end
        prev_end = end
        if group == 2:  # a word
            word = m.group(2)
            info = cache.get(word)
            if info is None:
                info = cache[word] = _classify(lexicon, word)
            cls = info[0]
            if cls == _NUMBER:
                if not items and not plus:
                    run_start = start
                if hyphen_join and not spaced:
                    # "ninety-two", "nitti-to" are one word; "ni-to-tre" are digits in a row
                    joins = items and items[-1].kind == KIND_TEN and info[2][0][0] == KIND_UNIT
                    gap = JOINED if joins else PAUSE
                else:
                    gap = PAUSE if pause else SPACE
                weak = info[3]
                for kind, value in info[2]:
                    items.append(Item(kind, value, start, end, gap, "", weak))
                    gap = JOINED
                pause = hyphen_join = False
                prev_was_word_number = True
            elif cls == _FILLER:
                pause = True
                hyphen_join = prev_was_word_number = False
            elif cls == _PLUS:
                flush(None)
                plus, run_start = True, start
                pause = hyphen_join = prev_was_word_number = False
            else:
                if items or plus:
                    flush(info[1])
                words.append(info[1])
                pause = hyphen_join = prev_was_word_number = False
        elif group == 1:  # printed digits
            if not items and not plus:
                run_start = start
            items.append(Item(KIND_DIGITS, 0, start, end, PAUSE if pause else SPACE, m.group(1)))
            pause = hyphen_join = prev_was_word_number = False
        elif group == 3:  # "+"
            flush(None)
            plus, run_start = True, start
            pause = hyphen_join = prev_was_word_number = False
        else:
            punct = m.group(4)
            if punct in _HYPHENS:
                if prev_was_word_number and not spaced:
                    hyphen_join = True
                else:
                    pause = True
            elif punct in _PAUSE_PUNCT:
                pause = True
                hyphen_join = False
            else:
                flush(punct)
                words.append(punct)
                pause = hyphen_join = False
            prev_was_word_number = False
    flush(None)
    return runs
