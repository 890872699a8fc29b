"""Whole extraction with the fast validator against ``phonenumbers`` plus a cache, on fresh inputs.

``core.phone`` decides a number's validity from ``phonenumbers``' metadata compiled into patterns (the fast
validator) and asks ``phonenumbers`` itself only when a prefix needs handling. The alternative is to ask
``phonenumbers`` every time, behind the same kind of cache. Every pass draws a new corpus (the mixed Norwegian
and English corpus of ``bench_numerals.py``) and times ``extract_phone_numbers`` over it both ways, in alternating
order, each run starting with every parser cache cleared. CPU time, so that other processes on a shared machine do
not count. Both ways must find the same numbers (mismatches are printed).

Last line: ``RESULT fast_validator_speedup=<median of slow/fast per pass> min=<..> max=<..> passes=<n>``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from bench_numerals import SEED, UTTERANCES, clear_caches, corpus
from sidecar_stt.core import phone, validation
from sidecar_stt.core.phone import extract_phone_numbers

PASSES = 7

Corpus = list[tuple[str, str]]
Found = list[tuple[str, ...]]


@contextmanager
def validator(name: str) -> Iterator[None]:
    """Extraction validates with ``name``: ``fast`` (the shipped one) or ``phonenumbers`` behind an lru_cache."""
    if name == "fast":
        yield
        return
    original = validation.validate
    validation.validate = phone.validate = lru_cache(maxsize=32768)(validation.validate_with_library)
    try:
        yield
    finally:
        validation.validate = phone.validate = original


def run(items: Corpus, name: str) -> tuple[float, Found]:
    """CPU seconds to extract every utterance of ``items`` with validator ``name``, caches cleared first."""
    with validator(name):
        clear_caches()
        validation.validate.cache_clear()  # the patched cache when ``name`` is not "fast"
        found: Found = []
        cpu = time.process_time()
        for language, text in items:
            found.append(tuple(c.e164 for c in extract_phone_numbers(text, language=language)))
        return time.process_time() - cpu, found


def main() -> None:
    extract_phone_numbers("92 34 56 78")  # compile lexicons and metadata outside the timing
    ratios: list[float] = []
    per_s: dict[str, list[float]] = {"fast": [], "phonenumbers": []}
    mismatches = 0
    for pass_index in range(PASSES):
        items = corpus(UTTERANCES, SEED * 7_919 + pass_index)  # a new corpus per pass
        order = ("fast", "phonenumbers") if pass_index % 2 == 0 else ("phonenumbers", "fast")
        seconds: dict[str, float] = {}
        results: dict[str, Found] = {}
        for name in order:
            seconds[name], results[name] = run(items, name)
            per_s[name].append(len(items) / seconds[name])
        mismatches += sum(a != b for a, b in zip(results["fast"], results["phonenumbers"], strict=True))
        ratios.append(seconds["phonenumbers"] / seconds["fast"])
    for name, rates in per_s.items():
        print(f"{name:<13} utterances/s per pass: {', '.join(f'{r:.0f}' for r in rates)}")
    print(f"slow/fast per pass: {', '.join(f'{r:.3f}' for r in ratios)}")
    print(f"utterances where the two validators disagree: {mismatches} of {UTTERANCES * PASSES}")
    print(
        f"RESULT fast_validator_speedup={statistics.median(ratios):.3f} min={min(ratios):.3f} "
        f"max={max(ratios):.3f} passes={PASSES}"
    )


if __name__ == "__main__":
    main()
