"""A second phone-number corpus, written from the STT engines' output formats without looking at the parser or
its own corpus (164 positives, 70 negatives). Kept as a regression check; it is no longer held out.

Its one long-known miss, a clause inside a number ("nittisju eh hva var det igjen jo femtitre …"), is read since
the lenient reading reads short words through.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).parent / "data" / "numerals" / "second_corpus.tsv"


def rows() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_second_corpus_top1_and_no_false_positives() -> None:
    positives = hits = false_positives = 0
    misses: list[str] = []
    for row in rows():
        found = extract_phone_numbers(row["text"], language=row["language"], region="NO")
        if row["expected"] == "none":
            false_positives += bool(found)
            continue
        positives += 1
        if found and found[0].e164 == row["expected"]:
            hits += 1
        else:
            misses.append(row["text"])
    print(f"second corpus: top-1 {hits}/{positives}, false positives {false_positives}")
    assert positives >= 150
    assert false_positives == 0
    assert hits == positives, misses  # 164/164
