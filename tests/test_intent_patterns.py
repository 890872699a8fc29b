"""The cue patterns of :mod:`sidecar_stt.core.intent` find what a plain alternation of the same phrases finds.

The patterns group their phrases by first letter (a speed-up); these tests hold every word list of every pack to the
plain alternation, match by match, over the corpora's texts and texts made of the phrases themselves.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from sidecar_stt.core import intent
from sidecar_stt.core.languages import language_packs

DATA = Path(__file__).parent / "data" / "numerals"


def _plain(words: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(r"[\s,]+".join(re.escape(w) for w in phrase.split()) for phrase in words)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _word_lists() -> list[tuple[str, ...]]:
    lists: list[tuple[str, ...]] = []
    for pack in language_packs():
        for f in dataclasses.fields(pack.intent):
            value = getattr(pack.intent, f.name)
            if isinstance(value, tuple) and value and all(isinstance(w, str) for w in value):
                lists.append(value)
        lists.append(tuple(pack.corrections.negations))
    return lists


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
    grouped, plain = intent._pattern(words), _plain(words)
    phrases = " , ".join(words)
    for text in [*TEXTS, phrases, phrases.upper(), phrases.replace(" ", ", "), "x" + phrases.replace(" ", "-")]:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_every_word_list_at_once_matches_like_the_plain_alternation() -> None:
    words = tuple(dict.fromkeys(w for words in _word_lists() for w in words))
    grouped, plain = intent._pattern(words), _plain(words)
    for text in TEXTS:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text
