""":func:`~sidecar_stt.core.phrase_pattern.phrase_pattern` finds what a plain alternation of the same phrases finds.

The pattern groups its phrases by first letter (a speed-up); these tests hold every word list of every pack (intent
cues, negations, hesitations) to the plain alternation, match by match, over the corpora's texts and texts made of the
phrases themselves.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sidecar_stt.core.languages import language_packs
from sidecar_stt.core.phrase_pattern import phrase_alternation, phrase_pattern

DATA = Path(__file__).parent / "data" / "numerals"


def _plain(
    words: tuple[str, ...], between: str = r"[\s,]+", shape: str = r"(?<![\w-])(?:{})(?![\w-])"
) -> re.Pattern[str]:
    alternation = "|".join(between.join(re.escape(w) for w in phrase.split()) for phrase in words)
    return re.compile(shape.format(alternation), re.IGNORECASE)


def _word_lists() -> list[tuple[str, ...]]:
    lists: list[tuple[str, ...]] = [("a", "ab", "a b", "b", "B a"), ("æ", "Øre", "øre øre", "år")]
    for pack in language_packs():
        for words in (pack.intent, pack.intent.whose):
            for f in dataclasses.fields(words):
                value = getattr(words, f.name)
                if isinstance(value, tuple) and value and all(isinstance(w, str) for w in value):
                    lists.append(value)
        lists.append(tuple(pack.corrections.negations))
        lists.append(tuple(pack.corrections.clarifiers))
        lists.append(tuple(pack.numbers.filler_phrases))
    return [words for words in lists if words]


def _texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("*_corpus.tsv")):
        with path.open(encoding="utf-8") as f:
            rows = [line.split("\t") for line in f.read().splitlines() if line and not line.startswith("#")]
        header = rows[0]
        column = header.index("text") if "text" in header else len(header) - 1
        texts.extend(row[column] for row in rows[1:] if len(row) > column)
    return texts


TEXTS = _texts()


def test_the_corpora_are_read() -> None:
    assert len(TEXTS) > 2000


@pytest.mark.parametrize("words", _word_lists(), ids=lambda words: words[0])
def test_grouped_pattern_matches_like_the_plain_alternation(words: tuple[str, ...]) -> None:
    phrases = " , ".join(words)
    texts = [*TEXTS, phrases, phrases.upper(), phrases.replace(" ", ", "), "x" + phrases.replace(" ", "-")]
    _same_matches(phrase_pattern(words), _plain(words), texts)
    # the clarifications' shapes: words apart by spaces only, and a denial that may begin at a comma
    for shape in (r"(?<![\w-])(?:{})(?![\w-])", r"[\s,]*(?:{})(?![\w-])"):
        grouped = re.compile(shape.format(phrase_alternation(words, between=r"\s+")), re.IGNORECASE)
        _same_matches(grouped, _plain(words, r"\s+", shape), texts)


def _same_matches(grouped: re.Pattern[str], plain: re.Pattern[str], texts: list[str]) -> None:
    for text in texts:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_every_word_list_at_once_matches_like_the_plain_alternation() -> None:
    words = tuple(dict.fromkeys(w for words in _word_lists() for w in words))
    grouped, plain = phrase_pattern(words), _plain(words)
    for text in TEXTS:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_a_phrase_is_found_as_whole_words_only() -> None:
    pattern = phrase_pattern(("jeg mener", "nei"))
    assert [m.group(0) for m in pattern.finditer("Jeg, mener at neida er nei, NEI-nei og nei")] == [
        "Jeg, mener",
        "nei",
        "nei",
    ]
