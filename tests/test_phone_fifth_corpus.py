"""The fifth corpus: 398 rows written blind, after the searching reader, by someone who had not read it — pairs,
teens, glued compounds, words an engine split ("fem ti"), dialect spellings, stutters, cut-offs, asides inside a
number, "som i" clarifications, corrections, old and new, preferences, numbers taken back or told of in a story,
negatives of every kind — and two valid numbers without a word saying which (``ask:+47A,+47B``).

Scored by ``benchmarks/score_corpora.py``. Its first run, on the reader it was written after, scored top-1 0.866
(258/298) with 4 false positives of 78 negatives and 17/22 questions right. With rules for numbers taken back,
disowned or told of in a story, words an engine split from a tens word, dialect spellings, "som i" clarifications,
restarts, asides, swaps, denied alternatives and a choice left open (none of them listing its sentences) it scores
0.980 (292/298), no false positive, 19/22 questions right.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark_module import load_benchmark

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "numerals" / "fifth_corpus.tsv"

TOP1_FLOOR = 292 / 298
"""The top-1 the reader reaches now: a change may raise it, never lower it."""


scorer = load_benchmark("score_corpora")


def test_fifth_corpus_scores() -> None:
    total, styles = scorer.score(CORPUS)
    assert total.numbers == 298 and total.negatives == 78 and total.asks == 22 and len(styles) >= 50
    print(total.line("fifth corpus"))
    assert total.false_positives == 0, total.misses
    assert total.hits / total.numbers >= TOP1_FLOOR, total.misses
    assert total.ask_right / total.asks >= 19 / 22, total.misses


def test_every_negative_style_is_clean() -> None:
    _, styles = scorer.score(CORPUS)
    for name in ("retracted", "other_number", "no_number", "order_no", "date", "time", "year", "amount"):
        assert styles[name].negatives > 0 and styles[name].false_positives == 0, (name, styles[name].misses)
