"""Cleaning engine text at the ledger's door: control characters, format characters and symbols (emoji) become
spaces, runs of whitespace one space, and a text is cut at :data:`MAX_TEXT_CHARS`. Digits, letters and
punctuation are kept, so a transcript with an emoji between two digit words still parses."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from .segment import Alternative, Segment, Word

__all__ = ["MAX_TEXT_CHARS", "clean_segment", "clean_text"]

MAX_TEXT_CHARS = 2000
"""Longest text kept from one engine hypothesis (a caller turn is far shorter)."""

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"})
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """``text`` without control characters or symbols, whitespace collapsed, at most :data:`MAX_TEXT_CHARS`."""
    text = text[: MAX_TEXT_CHARS * 2]
    if not text.isascii() or not text.isprintable():
        text = "".join(" " if unicodedata.category(c) in _DROPPED_CATEGORIES else c for c in text)
    return _SPACES.sub(" ", text).strip()[:MAX_TEXT_CHARS]


def clean_segment(segment: Segment) -> Segment:
    """``segment`` with every alternative's (and word's) text cleaned; the same object when nothing changed."""
    alternatives = tuple(_clean_alternative(a) for a in segment.alternatives)
    if all(new is old for new, old in zip(alternatives, segment.alternatives, strict=True)):
        return segment
    return dataclasses.replace(segment, alternatives=alternatives)


def _clean_alternative(alternative: Alternative) -> Alternative:
    text = clean_text(alternative.text)
    words = tuple(
        w if clean_text(w.text) == w.text else dataclasses.replace(w, text=clean_text(w.text))
        for w in alternative.words
    )
    if text == alternative.text and all(a is b for a, b in zip(words, alternative.words, strict=True)):
        return alternative
    return dataclasses.replace(alternative, text=text, words=words)


def _clean_word(word: Word) -> Word:
    text = clean_text(word.text)
    return word if text == word.text else dataclasses.replace(word, text=text)
