"""Minimum edit-distance alignment of two sequences: the one Levenshtein table behind digit voting (fusion) and
word/digit error rates (the bake-off). Substitution, insertion and deletion cost 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["align", "edit_distance"]

T = TypeVar("T")


def _table(reference: Sequence[T], other: Sequence[T]) -> list[list[int]]:
    """``cost[i][j]``: the edit distance between ``reference[:i]`` and ``other[:j]``."""
    n, m = len(reference), len(other)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = cost[i - 1][j - 1] + (reference[i - 1] != other[j - 1])
            cost[i][j] = min(sub, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    return cost


def edit_distance(reference: Sequence[T], other: Sequence[T]) -> int:
    """Levenshtein distance between the two sequences."""
    return _table(reference, other)[len(reference)][len(other)]


def align(reference: Sequence[T], other: Sequence[T]) -> tuple[T | None, ...]:
    """For each position of ``reference``, the element of ``other`` aligned to it (``None`` for a gap).

    Ties prefer substitution, so sequences of equal length align position by position.
    """
    cost = _table(reference, other)
    out: list[T | None] = [None] * len(reference)
    i, j = len(reference), len(other)
    while i > 0 and j > 0:
        if cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] != other[j - 1]):
            out[i - 1] = other[j - 1]
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return tuple(out)
