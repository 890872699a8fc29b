"""Score the phone-number corpora: top-1, false positives, questions asked, per style.

Each corpus is a TSV of ``text``, ``language``, ``style``, ``expected`` (and a free ``note``); ``expected`` is
``+47XXXXXXXX`` (the number the caller means), ``none`` (no phone number in the words) or ``ask:+47A,+47B`` (two
valid numbers, and the words do not say which one the caller means). A row is right when
:func:`~sidecar_stt.core.number_choice.choose_number` over
:func:`~sidecar_stt.core.phone.extract_phone_numbers` gives:

- ``+47…``: the outcome ``number`` with that number (a question the words did not call for is a miss);
- ``none``: the outcome ``none`` (anything else is a false positive);
- ``ask:A,B``: the outcome ``ambiguous`` with exactly A and B (``ask_right``); picking one of them silently is a
  miss, and so is any other number.

``top1`` counts the ``+47…`` rows only. Prints one ``RESULT`` line per corpus and one per style of each corpus:
``RESULT corpus=<name> top1=<hits>/<rows>=<ratio> false_positives=<n>/<rows> ask_right=<n>/<rows> ...``.

Run: ``python benchmarks/score_corpora.py [corpus.tsv ...]`` (default: every ``*_corpus.tsv`` with an ``expected``
column in ``tests/data/numerals``).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sidecar_stt.core.number_choice import choose_number
from sidecar_stt.core.phone import extract_phone_numbers

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "numerals"


@dataclass
class Tally:
    """Counts of one corpus or style."""

    numbers: int = 0
    hits: int = 0
    negatives: int = 0
    false_positives: int = 0
    asks: int = 0
    ask_right: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        ratio = self.hits / self.numbers if self.numbers else 1.0
        return (
            f"{name} top1={self.hits}/{self.numbers}={ratio:.3f} false_positives={self.false_positives}/"
            f"{self.negatives} ask_right={self.ask_right}/{self.asks}"
        )


def judge(text: str, language: str, expected: str) -> str:
    """``hit``, ``miss``, ``negative``, ``false_positive``, ``ask_right`` or ``ask_wrong`` for one row."""
    found = extract_phone_numbers(text, language=language, region="NO")
    choice = choose_number(text, found, language=language)
    if expected == "none":
        return "negative" if choice.outcome == "none" else "false_positive"
    if expected.startswith("ask:"):
        wanted = set(expected[4:].split(","))
        asked = choice.outcome == "ambiguous" and {c.e164 for c in choice.candidates} == wanted
        return "ask_right" if asked else "ask_wrong"
    return "hit" if choice.outcome == "number" and choice.candidates[0].e164 == expected else "miss"


def score(path: Path) -> tuple[Tally, dict[str, Tally]]:
    """The tally of a corpus and of each of its styles."""
    total = Tally()
    styles: dict[str, Tally] = defaultdict(Tally)
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            verdict = judge(row["text"], row["language"], row["expected"].strip())
            for tally in (total, styles[row["style"]]):
                if verdict in ("hit", "miss"):
                    tally.numbers += 1
                    tally.hits += verdict == "hit"
                elif verdict in ("negative", "false_positive"):
                    tally.negatives += 1
                    tally.false_positives += verdict == "false_positive"
                else:
                    tally.asks += 1
                    tally.ask_right += verdict == "ask_right"
                if verdict in ("miss", "false_positive", "ask_wrong"):
                    tally.misses.append(row["text"])
    return total, dict(styles)


def corpora() -> list[Path]:
    out = []
    for path in sorted(DATA.glob("*.tsv")):
        with path.open(encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
        if "expected" in header and "style" in header:
            out.append(path)
    return out


def main(argv: list[str]) -> None:
    show_misses = "--misses" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or corpora()
    for path in paths:
        total, styles = score(path)
        name = path.stem
        for style, tally in sorted(styles.items()):
            print(f"RESULT {tally.line(f'corpus={name} style={style}')}")
        print(f"RESULT {total.line(f'corpus={name}')}")
        if show_misses:
            for text in total.misses:
                print(f"  miss: {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
