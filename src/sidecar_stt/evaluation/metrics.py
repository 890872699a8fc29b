"""Scores of the bake-off: edit distance, word and digit error rates, Wilson intervals, percentiles.

Pure functions, no I/O. Word error rate compares normalised words (lower case, punctuation and hyphens
removed), so an engine that prints "92" where the reference says "nittito" pays for it: WER measures the
transcript, the phone metrics measure what our parser makes of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from ..core.alignment import edit_distance

__all__ = [
    "edit_distance",
    "normalize_words",
    "percentile",
    "wilson_interval",
    "word_errors",
]

_WORD: Final = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_Z95: Final = 1.959963984540054


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation; hyphenated words are split ("ninety-two" → two words)."""
    return _WORD.findall(text.lower())


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """``(errors, reference words)``: WER is the sum of errors over the sum of reference words."""
    ref = normalize_words(reference)
    return edit_distance(ref, normalize_words(hypothesis)), len(ref)


def wilson_interval(successes: int, n: int, *, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default); ``(0, 1)`` when ``n`` is 0."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) with linear interpolation; ``None`` for no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError("q must lie between 0 and 100")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
