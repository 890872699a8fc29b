"""Score the kind readers (:mod:`sidecar_stt.core.kinds`) on corpora: top-1 and false positives, per kind and style.

Each corpus is a TSV with the header ``text language kind style expected note``; ``expected`` is the normalised
value the caller gives (11 digits; an ISO date; 4 digits; the lower-cased address; E.164 for phone numbers; the
upper-case code) or ``none`` (no value of that kind in the words). A row is a hit when the kind's best candidate is
the expected value; on a ``none`` row any candidate is a false positive. The app-code kinds are built here from
their specs (the library ships none): ``customer-number`` (7 digits, the last a Luhn check digit over the first 6)
and ``booking-reference`` (6 characters, A–Z and 2–9).

Prints one line per kind and one per kind and style:
``RESULT kind=<k> top1=<hits>/<rows>=<ratio> false_positives=<n>/<negatives>`` (``style=<s>`` after the kind on
the style lines). ``--misses`` lists each wrong row after the results.

Run: ``python benchmarks/score_kinds.py [--misses] [corpus.tsv ...]`` (default: ``tests/data/kinds/*.tsv``).
"""

from __future__ import annotations

import csv
import string
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sidecar_stt.core.kinds import KINDS, Kind, app_code

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "kinds"

APP_CODES: dict[str, Kind] = {
    "customer-number": app_code("customer-number", length=(7, 7), alphabet=string.digits, check="luhn"),
    "booking-reference": app_code(
        "booking-reference", length=(6, 6), alphabet=string.ascii_uppercase + "23456789", check=None
    ),
}
"""The two app codes the corpora use, built from their specs."""


def kind_named(name: str) -> Kind:
    """A built-in kind or one of :data:`APP_CODES`."""
    if name in APP_CODES:
        return APP_CODES[name]
    return KINDS[name]


@dataclass
class Tally:
    """Counts of one kind or style."""

    rows: int = 0
    hits: int = 0
    negatives: int = 0
    false_positives: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        ratio = self.hits / self.rows if self.rows else 1.0
        return (
            f"RESULT {name} top1={self.hits}/{self.rows}={ratio:.3f} "
            f"false_positives={self.false_positives}/{self.negatives}"
        )


def judge(text: str, language: str, kind_name: str, expected: str) -> tuple[str, str]:
    """(``hit`` | ``miss`` | ``negative`` | ``false_positive``, the best value or ``none``) for one row."""
    kind = kind_named(kind_name)
    found = kind.candidates(text, language=language)
    best = found[0].value if found else "none"
    if expected == "none":
        return ("negative" if not found else "false_positive"), best
    wanted = kind.normalize(expected) or expected
    return ("hit" if best == wanted else "miss"), best


def score(paths: list[Path]) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
    """Tallies per kind and per (kind, style) over every row of ``paths``."""
    kinds: dict[str, Tally] = defaultdict(Tally)
    styles: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                name, expected = row["kind"].strip(), row["expected"].strip()
                verdict, best = judge(row["text"], row["language"].strip() or "nb", name, expected)
                for tally in (kinds[name], styles[(name, row["style"].strip())]):
                    if verdict in ("negative", "false_positive"):
                        tally.negatives += 1
                        tally.false_positives += verdict == "false_positive"
                    else:
                        tally.rows += 1
                        tally.hits += verdict == "hit"
                if verdict in ("miss", "false_positive"):
                    kinds[name].misses.append(f"{path.name}\t{name}\t{expected}\t{best}\t{row['text']}")
    return kinds, styles


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    paths = [Path(a) for a in argv if a != "--misses"] or sorted(DATA.glob("*.tsv"))
    kinds, styles = score(paths)
    for name in sorted(kinds):
        print(kinds[name].line(f"kind={name}"))
    for name, style in sorted(styles):
        print(styles[(name, style)].line(f"kind={name} style={style}"))
    if show_misses:
        for name in sorted(kinds):
            for miss in kinds[name].misses:
                print("MISS", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
