"""The conversational corpus: what callers really say (self-corrections, old and new numbers, preferences, someone
else's number, hesitations, hyphenated old counting, printed year-like groups) and what must never become a phone
number (dates, organisation, account and birth numbers said aloud, nine digits in one breath).

Written from the engines' output formats by someone who had not read the parser, before the fix: the parser then
scored 56.2 % top-1 with 15 false positives on it. Kept as a regression check from now on.

A third corpus, written the same way after the fix as a held-out check of it, scored 89.2 % top-1 with one false
positive on its first run; the cue words and hesitations it showed were missing are in the lexicons now and it is a
regression check too. Its known misses (a stuttered false start, "nitti nittitre …"; a dialect "firognitti") are
read since the lenient reading drops stutters and knows the packs' dialect spellings.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit

DATA = Path(__file__).parent / "data" / "numerals"


def score(corpus: Path) -> tuple[list[dict[str, str]], list[str], list[str], Counter[str]]:
    with corpus.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    misses: list[str] = []
    false_positives: list[str] = []
    styles: Counter[str] = Counter()
    for row in rows:
        found = extract_phone_numbers(row["text"], language=row["language"], region="NO")
        styles[row["style"]] += 1
        if row["expected"] == "none":
            if found:
                false_positives.append(row["text"])
        elif not found or found[0].e164 != row["expected"]:
            misses.append(row["text"])
    return rows, misses, false_positives, styles


def test_conversational_corpus_top1_and_no_false_positives() -> None:
    rows, misses, false_positives, styles = score(DATA / "conversational_corpus.tsv")
    positives = sum(1 for r in rows if r["expected"] != "none")
    assert positives >= 300 and len(styles) >= 15 and len(rows) - positives >= 50
    assert false_positives == []
    assert misses == []  # 324/324


def test_third_corpus_top1_and_no_false_positives() -> None:
    rows, misses, false_positives, styles = score(DATA / "third_corpus.tsv")
    positives = sum(1 for r in rows if r["expected"] != "none")
    assert positives >= 100 and len(styles) >= 20
    assert false_positives == []
    assert misses == []  # 120/120
