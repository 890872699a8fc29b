"""Top-1 accuracy of ``extract_phone_numbers`` on conversational speech, and false positives on other numbers.

The corpus (``tests/data/numerals/conversational_corpus.tsv``) holds realistic engine output of ordinary callers:
Azure Speech lexical text, Whisper and gpt-4o-transcribe with punctuation and printed digits, Deepgram numerals;
mostly Norwegian Bokmål, some Nynorsk and English. Columns: ``text``, ``language``, ``style``, ``expected``,
``note``. ``expected`` is the number the caller wants registered, in E.164 form, or ``none``:

- after a correction or retraction, the corrected number; after "the old one was …, now I have …", the new one;
- with two own numbers and a stated preference, the preferred one;
- with the caller's own number and someone else's, the caller's own, unless the caller asks for the other one to
  be registered; a number that is only someone else's counts when the caller offers it as the contact number;
- ``none`` for dates, organisation, account, birth, order and service numbers, amounts, times, postcodes, counts,
  numbers that are not eight digits or not valid in Norway, and turns with no number at all.

A positive row is a hit when the first candidate's ``e164`` equals ``expected``; a negative row is a false
positive when any candidate is returned. Prints one line per style (``style n top1_hits rate`` for positives,
``style n false_positives`` for negatives), then ``RESULT conversational_top1=<rate> false_positives=<n>
positives=<n> negatives=<n>``. ``--misses`` also prints each failing row with what was returned.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from sidecar_stt.core.phone import extract_phone_numbers

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "numerals" / "conversational_corpus.tsv"
HEADER = ["text", "language", "style", "expected", "note"]


@dataclass(frozen=True)
class Row:
    text: str
    language: str
    style: str
    expected: str | None
    note: str


def load(path: Path = CORPUS) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != HEADER:
            raise ValueError(f"unexpected corpus header: {header}")
        rows: list[Row] = []
        for line_no, fields in enumerate(reader, start=2):
            if len(fields) != len(HEADER):
                raise ValueError(f"line {line_no}: expected {len(HEADER)} fields, got {len(fields)}")
            text, language, style, expected, note = fields
            if expected != "none":
                number = phonenumbers.parse(expected, None)
                if not phonenumbers.is_valid_number_for_region(number, "NO"):
                    raise ValueError(f"line {line_no}: {expected} is not a valid Norwegian number")
            rows.append(Row(text, language, style, None if expected == "none" else expected, note))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every failing row")
    args = parser.parse_args()

    rows = load()
    hits: dict[str, list[bool]] = defaultdict(list)
    false_positives: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    for row in rows:
        candidates = extract_phone_numbers(row.text, language=row.language, region="NO")
        got = [c.e164 for c in candidates]
        if row.expected is None:
            wrong = bool(got)
            false_positives[row.style].append(wrong)
        else:
            wrong = not got or got[0] != row.expected
            hits[row.style].append(not wrong)
        if wrong:
            misses.append(f"  [{row.style}] {row.text!r} expected={row.expected or 'none'} got={got}")

    print(f"{'style':<28} {'n':>4} {'top1_hits':>9} {'rate':>6}")
    for style, results in hits.items():
        print(f"{style:<28} {len(results):>4} {sum(results):>9} {sum(results) / len(results):>6.3f}")
    print()
    print(f"{'negative style':<28} {'n':>4} {'false_positives':>15}")
    for style, results in false_positives.items():
        print(f"{style:<28} {len(results):>4} {sum(results):>15}")
    if args.misses and misses:
        print()
        print("misses:")
        print("\n".join(misses))

    positives = sum(len(r) for r in hits.values())
    negatives = sum(len(r) for r in false_positives.values())
    top1 = sum(sum(r) for r in hits.values()) / positives if positives else 0.0
    fp = sum(sum(r) for r in false_positives.values())
    print()
    print(f"RESULT conversational_top1={top1:.4f} false_positives={fp} positives={positives} negatives={negatives}")


if __name__ == "__main__":
    main()
