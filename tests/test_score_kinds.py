"""benchmarks/score_kinds.py: the smoke corpus scores every kind fully, and the scorer tells a hit from a miss and a
false positive."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark_module import load_benchmark

pytestmark = pytest.mark.unit

score_kinds = load_benchmark("score_kinds")
SMOKE = Path(__file__).resolve().parent / "data" / "kinds" / "smoke.tsv"


def test_the_smoke_corpus_scores_every_kind_fully() -> None:
    kinds, styles = score_kinds.score([SMOKE])
    assert set(kinds) == {*score_kinds.KINDS, *score_kinds.APP_CODES}
    for name, tally in kinds.items():
        assert tally.rows >= 1 and tally.negatives >= 1, name
        assert (tally.hits, tally.false_positives) == (tally.rows, 0), (name, tally.misses)
    assert sum(t.rows + t.negatives for t in styles.values()) == sum(t.rows + t.negatives for t in kinds.values())


def test_the_judge_tells_hits_misses_and_false_positives() -> None:
    judge = score_kinds.judge
    assert judge("15108695088", "nb", "birth-number", "15108695088") == ("hit", "15108695088")
    assert judge("15108695088", "nb", "birth-number", "15108695087") == ("miss", "15108695088")
    assert judge("15108695088", "nb", "birth-number", "none") == ("false_positive", "15108695088")
    assert judge("hei", "nb", "birth-number", "none") == ("negative", "none")
    assert judge("K7X2PQ", "nb", "booking-reference", "k7x2pq") == ("hit", "K7X2PQ")


def test_result_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert score_kinds.main([str(SMOKE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "RESULT kind=postcode top1=3/3=1.000 false_positives=0/2" in lines
    assert any(line.startswith("RESULT kind=email style=words top1=") for line in lines)
