"""The seventh corpus: 405 rows written blind, after the reader learned whose a number is (the sixth corpus's
rules), by someone who had read neither the reader nor any earlier corpus and was asked for kinds no issue listed as
well — corrections, glued and split compounds, disfluencies, odd separators, dialect and nynorsk, English words,
country codes, two numbers (old and new, preference, ask), someone else's number, a number given for another
purpose, and 96 negatives of many kinds.

Scored by ``benchmarks/score_corpora.py``. Its first run, on the reader it was written after (kept unread until
then): top-1 0.909 (271/298), 6 false positives of 96 negatives (3 a third party's number told of, one 9-digit run,
one number given as an example, one read in another context) and 10/11 questions right. The reader it was written
before scored 269/298 with 10 false positives.

Its misses, grouped by cause and put right by rules that are not about any row, raised it to 292/298 with no false
positive: a bare "ikke" counts against a number only in its own clause; a correction's restatement at the end of
a run, an apology between two parts that make one number, the run after a denied value; a sentence of its own
speaking of its number, a "men" clause speaking of the next, "mest" as a preference, "før …, nå …"; a call tried
and told of, a holder not to be called, a question after one naming the company, a number shown as an example,
nine digits one by one, a label four words back; a tens word and its unit printed apart, "tre nuller", "nitt'n",
a plus after a label, a number of a country named before it. These figures are the floors below: a change may
raise them, never lower them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark_module import load_benchmark

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "numerals" / "seventh_corpus.tsv"

TOP1_FLOOR = 292 / 298
FALSE_POSITIVES_CEILING = 0
ASK_FLOOR = 10 / 11

scorer = load_benchmark("score_corpora")


def test_seventh_corpus_scores_at_least_its_first_run() -> None:
    total, styles = scorer.score(CORPUS)
    assert total.numbers == 298 and total.negatives == 96 and total.asks == 11 and len(styles) >= 40
    print(total.line("seventh corpus"))
    assert total.false_positives <= FALSE_POSITIVES_CEILING, total.misses
    assert total.hits / total.numbers >= TOP1_FLOOR, total.misses
    assert total.ask_right / total.asks >= ASK_FLOOR, total.misses
