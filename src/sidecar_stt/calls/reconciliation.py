"""Reconciling the live capture with a post-call transcription of the same call. Pure: no I/O.

The live capture either confirmed a number with the caller, or ended without one. The post-call transcription
yields the numbers the careful engine read in the call, in time order. Five outcomes:

``agrees``            the confirmed number is among the numbers in the recording.
``disagrees``         the recording holds numbers, none of them the confirmed one; ``differing_groups`` are the
                      read-back pairs (0-based) where the closest of them differs.
``not_in_recording``  a number was confirmed but the post-call transcript holds none.
``recovered``         the live capture failed (or never ran) but the recording holds a number (the last one said).
``no_number``         no number anywhere.

Everything but ``agrees`` and ``no_number`` needs a human look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..core.alignment import align, edit_distance
from ..core.readback import pair_groups

__all__ = ["Reconciliation", "Verdict", "differing_groups", "reconcile"]

Verdict = Literal["agrees", "disagrees", "not_in_recording", "recovered", "no_number"]

_REVIEW: frozenset[Verdict] = frozenset({"disagrees", "not_in_recording", "recovered"})


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The verdict, the live and post-call numbers (E.164) and, for ``disagrees``, the differing pairs."""

    verdict: Verdict
    live_e164: str | None
    post_e164: str | None
    differing_groups: tuple[int, ...] = ()
    numbers: tuple[str, ...] = ()
    """Every number the post-call transcript yields, in time order (E.164, no repeats)."""

    @property
    def needs_review(self) -> bool:
        return self.verdict in _REVIEW

    @property
    def reason(self) -> str | None:
        """Why a human should look (no personal values in it), ``None`` when nobody needs to."""
        if self.verdict == "disagrees":
            groups = ", ".join(str(g + 1) for g in self.differing_groups) or "length"
            return f"the post-call transcript disagrees with the confirmed number (groups {groups})"
        if self.verdict == "not_in_recording":
            return "the post-call transcript holds no number, but the live capture confirmed one"
        if self.verdict == "recovered":
            return "the live capture failed, but the recording holds a number"
        return None


def _national(e164: str) -> str:
    import phonenumbers

    return phonenumbers.national_significant_number(phonenumbers.parse(e164, None))


def differing_groups(expected: str, found: str) -> tuple[int, ...]:
    """The read-back pairs of ``expected`` (national digits) where ``found`` differs, after aligning the two
    digit strings (a missing or extra digit marks the pair it falls in)."""
    aligned = align(expected, found)
    out: list[int] = []
    pos = 0
    for index, group in enumerate(pair_groups(expected)):
        if any(aligned[pos + k] != group[k] for k in range(len(group))):
            out.append(index)
        pos += len(group)
    if len(found) != len(expected) and not out:
        out.append(len(pair_groups(expected)) - 1)
    return tuple(out)


def reconcile(live_e164: str | None, post_numbers: Sequence[str]) -> Reconciliation:
    """Compare the number the live capture confirmed (``None`` if none) with the post-call numbers."""
    numbers = tuple(dict.fromkeys(post_numbers))
    if live_e164 is None:
        if not numbers:
            return Reconciliation("no_number", None, None)
        return Reconciliation("recovered", None, numbers[-1], numbers=numbers)
    if not numbers:
        return Reconciliation("not_in_recording", live_e164, None)
    if live_e164 in numbers:
        return Reconciliation("agrees", live_e164, live_e164, numbers=numbers)
    live = _national(live_e164)
    closest = min(numbers, key=lambda n: (edit_distance(live, _national(n)), -numbers.index(n)))
    groups = differing_groups(live, _national(closest))
    return Reconciliation("disagrees", live_e164, closest, differing_groups=groups, numbers=numbers)
