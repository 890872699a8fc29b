"""Parse time of hostile transcripts and tool arguments: 1 KB, 10 KB and 100 KB, for several kinds of text.

Every pass builds fresh random inputs (no cache answers a repeat: the tokenizer's and the validator's caches are
cleared before each parse) and the sizes are interleaved, 7 passes each; per size the median CPU time is
printed with min and max. The growth from 1 KB to 100 KB must be at most linear (a ratio of 100 or less): the
parser reads only the end of a text (``MAX_TEXT_CHARS``) and cuts runs at ``MAX_RUN_ITEMS``, so past the bound the
time is flat. The worst time is also compared with the 50 ms a call's event loop may be blocked.

Last line: ``RESULT parse_growth_100x=<worst median ratio 100 KB / 1 KB> worst_parse_ms=<max> kinds=<n>``.
"""

from __future__ import annotations

import random
import statistics
import time

from sidecar_stt.core.numerals import tokenizer
from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.validation import validate

SIZES = (1_000, 10_000, 100_000)
PASSES = 7
UNITS = ("null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
WORDS = (*UNITS, "ti", "elleve", "tjue", "tretti", "førti", "nitti", "og", "hundre", "eh", "altså")


def make(kind: str, size: int, rng: random.Random) -> str:
    if kind == "digit_words":
        return " ".join(rng.choice(WORDS) for _ in range(size // 3))[:size]
    if kind == "letters":
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzæøå") for _ in range(size))
    if kind == "printed":
        return " ".join(str(rng.randrange(100)) for _ in range(size // 3))[:size]
    if kind == "mixed":
        return " ".join(rng.choice((*WORDS, "ja", "nummeret", "mitt", "🙂", "92", "+47")) for _ in range(size // 4))[
            :size
        ]
    raise ValueError(kind)


def clear_caches() -> None:
    validate.cache_clear()
    tokenizer.forget_words()


def main() -> None:
    kinds = ("digit_words", "letters", "printed", "mixed")
    rng = random.Random(20261129)
    times: dict[tuple[str, int], list[float]] = {(k, s): [] for k in kinds for s in SIZES}
    for _ in range(PASSES):
        for kind in kinds:
            for size in SIZES:  # interleaved: a slow moment of the machine touches every size alike
                text = make(kind, size, rng)
                clear_caches()
                start = time.process_time()
                extract_phone_numbers(text, language="nb", region="NO")
                times[(kind, size)].append(time.process_time() - start)
    worst_ratio = 0.0
    worst_ms = 0.0
    print(f"{'kind':12} {'size':>8} {'median ms':>10} {'min':>8} {'max':>8}")
    for kind in kinds:
        for size in SIZES:
            t = times[(kind, size)]
            print(f"{kind:12} {size:>8} {1000 * statistics.median(t):10.2f} {1000 * min(t):8.2f} {1000 * max(t):8.2f}")
            worst_ms = max(worst_ms, 1000 * max(t))
        ratio = statistics.median(times[(kind, SIZES[-1])]) / max(1e-6, statistics.median(times[(kind, SIZES[0])]))
        worst_ratio = max(worst_ratio, ratio)
        print(f"{kind:12} growth 100 KB / 1 KB = {ratio:.1f} (linear would be 100)")
    print(f"RESULT parse_growth_100x={worst_ratio:.1f} worst_parse_ms={worst_ms:.1f} kinds={len(kinds)}")


if __name__ == "__main__":
    main()
