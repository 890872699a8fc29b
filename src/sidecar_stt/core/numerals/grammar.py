"""The generic number grammar: which morpheme sequences form one spoken digit group, and at what cost.

A *run* is a list of :class:`Item` (number morphemes and printed digits, each with the gap that precedes it:
``JOINED`` inside one written word or a hyphenated pair, ``SPACE`` between words, ``PAUSE`` across a comma,
a filler or other punctuation). A group is one of::

    printed digits          "92"  "923"  "92345678"
    unit                    "ni"                         → "9"
    teen / ten              "tolv"  "nitti"              → "12"  "90"
    ten unit                "nitti to"  "nittito"        → "92"
    unit and ten            "fem og førti"  "toogtyve"   → "45"  "22"   (old counting)
    [unit] hundred [and] T  "ni hundre og tjuetre"       → "923"; "hundre og tolv" → "112"
    [X] thousand [and] R    "to tusen og fem"            → "2005"  (never part of a phone number)
    multiplier unit         "double five" "trippel ni"   → "55"  "999"

Costs rank the segmentations of a run. Combining two *separate* words costs nothing and splitting them costs
``SPLIT_COST`` (an STT that splits "nittito" into "nitti to" is more common than a caller saying "ninety, two"),
unless a pause separates them, where the preference flips (``PAUSE_JOIN_COST``). Morphemes of one written word
are never split.
"""

from __future__ import annotations

from typing import Final

from .lexicon import (
    KIND_AND,
    KIND_DIGITS,
    KIND_HUNDRED,
    KIND_MULTIPLIER,
    KIND_TEEN,
    KIND_TEN,
    KIND_THOUSAND,
    KIND_UNIT,
)

__all__ = [
    "BEAM",
    "FORM_DIGIT",
    "FORM_HUNDREDS",
    "FORM_MULTIPLIED",
    "FORM_PAIR",
    "FORM_PRINTED",
    "FORM_THOUSANDS",
    "JOINED",
    "PAUSE",
    "SPACE",
    "Item",
    "RawReading",
    "group_options",
    "readings",
]

JOINED: Final = 0
SPACE: Final = 1
PAUSE: Final = 2

SPLIT_COST: Final = 1.0
PAUSE_JOIN_COST: Final = 1.5
FALLBACK_COST: Final = 2.0
BEAM: Final = 8
"""Readings kept per run (lowest cost first)."""

FORM_PRINTED: Final = "printed"
FORM_DIGIT: Final = "digit"
FORM_PAIR: Final = "pair"
FORM_HUNDREDS: Final = "hundreds"
FORM_THOUSANDS: Final = "thousands"
FORM_MULTIPLIED: Final = "multiplied"
_SKIP: Final = ""

_INF: Final = float("inf")
_JOIN = (0.0, 0.0, PAUSE_JOIN_COST)  # cost of combining across a gap
_SPLIT = (_INF, SPLIT_COST, 0.0)  # cost of cutting at a gap
_SPLIT_MULT = (_INF, 2 * SPLIT_COST, SPLIT_COST)  # cutting before "hundre"/"tusen" or after "hundre og"


def _multiplier_cut(items: list[Item], j: int) -> float:
    """Cost of ending a group right before a multiplier word ("hundre", "tusen") that would extend it."""
    if j < len(items) and items[j].kind in (KIND_HUNDRED, KIND_THOUSAND):
        return _SPLIT_MULT[items[j].gap]
    return 0.0


class Item:
    """One morpheme or printed digit string of a run."""

    __slots__ = ("end", "gap", "kind", "start", "text", "value", "weak")

    def __init__(
        self, kind: int, value: int, start: int, end: int, gap: int, text: str = "", weak: bool = False
    ) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end
        self.gap = gap
        self.text = text
        self.weak = weak

    def __repr__(self) -> str:
        return f"Item({self.kind}, {self.value}, {self.text!r}, gap={self.gap})"


# (end index, value, cost, form)
_Opt = tuple[int, int, float, str]
# (end index, digits, cost, form)
GroupOption = tuple[int, str, float, str]


def _pair_options(items: list[Item], i: int) -> list[_Opt]:
    """Expressions worth less than 100 starting at ``i``."""
    n = len(items)
    it = items[i]
    kind = it.kind
    if kind == KIND_UNIT:
        if i + 2 < n and it.value and items[i + 1].kind == KIND_AND and items[i + 2].kind == KIND_TEN:
            g1, g2 = items[i + 1].gap, items[i + 2].gap
            joined = _JOIN[g1] + _JOIN[g2]
            split = max(_SPLIT[g1], _SPLIT[g2]) if JOINED not in (g1, g2) else _INF
            return [(i + 3, items[i + 2].value + it.value, joined, FORM_PAIR), (i + 1, it.value, split, FORM_DIGIT)]
        return [(i + 1, it.value, 0.0, FORM_DIGIT)]
    if kind == KIND_TEEN:
        return [(i + 1, it.value, 0.0, FORM_PAIR)]
    if kind == KIND_TEN:
        if i + 1 < n and items[i + 1].kind == KIND_UNIT and items[i + 1].value:
            g = items[i + 1].gap
            return [
                (i + 2, it.value + items[i + 1].value, _JOIN[g], FORM_PAIR),
                (i + 1, it.value, _SPLIT[g], FORM_PAIR),
            ]
        return [(i + 1, it.value, 0.0, FORM_PAIR)]
    return []


def _hundreds_options(items: list[Item], i: int) -> list[_Opt]:
    """``[unit] hundred [and] [pair]`` starting at ``i``."""
    n = len(items)
    it = items[i]
    if it.kind == KIND_HUNDRED:
        head, k, head_cost = 1, i + 1, 0.0
    elif it.kind == KIND_UNIT and it.value and i + 1 < n and items[i + 1].kind == KIND_HUNDRED:
        head, k, head_cost = it.value, i + 2, _JOIN[items[i + 1].gap]
    else:
        return []
    base = head * 100
    out: list[_Opt] = []
    m = k
    link = _JOIN[items[k].gap] if k < n else 0.0
    cut = _SPLIT[items[k].gap] if k < n else 0.0
    if k < n and items[k].kind == KIND_AND:
        m = k + 1
        link = 0.0 if m < n and items[m].gap != PAUSE else PAUSE_JOIN_COST
        cut = 2 * SPLIT_COST if items[k].gap != JOINED else _INF
    tails = _pair_options(items, m) if m < n else []
    if m < n and items[m].kind == KIND_DIGITS and len(items[m].text) <= 2 and m > k:
        tails = [(m + 1, int(items[m].text), 0.0, FORM_PAIR)]  # "9 hundre og 31": printed after "og"
    for j, value, cost, _ in tails:
        out.append((j, base + value, head_cost + link + cost, FORM_HUNDREDS))
    out.append((k, base, head_cost + (cut if tails else 0.0), FORM_HUNDREDS))
    return out


def _thousands_options(items: list[Item], i: int) -> list[_Opt]:
    """``[X] thousand [and] [rest]`` starting at ``i``."""
    n = len(items)
    heads: list[tuple[int, int, float]] = []
    if items[i].kind == KIND_THOUSAND:
        heads.append((1, i + 1, 0.0))
    else:
        for j, value, cost, _ in _hundreds_options(items, i) + _pair_options(items, i):
            if j < n and value and items[j].kind == KIND_THOUSAND:
                heads.append((value, j + 1, cost))
    out: list[_Opt] = []
    for head, k, head_cost in heads:
        base = head * 1000
        m = k + 1 if k < n and items[k].kind == KIND_AND else k
        rests = (_hundreds_options(items, m) + _pair_options(items, m)) if m < n else []
        for j, value, cost, _ in rests:
            out.append((j, base + value, head_cost + cost + _multiplier_cut(items, j), FORM_THOUSANDS))
        out.append((k, base, head_cost + (SPLIT_COST if rests else 0.0), FORM_THOUSANDS))
    return out


def group_options(items: list[Item], i: int, *, thousands: bool = True) -> list[GroupOption]:
    """Every group that may start at ``items[i]``: ``(end, digits, cost, form)``; digits ``""`` = skipped.

    ``thousands=False`` promises that no item is a thousand word (a shortcut).
    """
    n = len(items)
    it = items[i]
    kind = it.kind
    if kind == KIND_DIGITS:
        return [(i + 1, it.text, 0.0, FORM_PRINTED)]
    if kind == KIND_AND:
        return [(i + 1, _SKIP, 0.0, _SKIP)]
    if kind == KIND_MULTIPLIER:
        if i + 1 < n:
            nxt = items[i + 1]
            if nxt.kind == KIND_UNIT:
                return [(i + 2, str(nxt.value) * it.value, 0.0, FORM_MULTIPLIED)]
            if nxt.kind == KIND_DIGITS and len(nxt.text) == 1:
                return [(i + 2, nxt.text * it.value, 0.0, FORM_MULTIPLIED)]
        return [(i + 1, _SKIP, 0.0, _SKIP)]
    opts: list[_Opt] = []
    if kind in (KIND_UNIT, KIND_TEEN, KIND_TEN):
        opts.extend(_pair_options(items, i))
    if kind == KIND_HUNDRED or (kind == KIND_UNIT and i + 1 < n and items[i + 1].kind == KIND_HUNDRED):
        opts.extend(_hundreds_options(items, i))
    if thousands and any(items[j].kind == KIND_THOUSAND for j in range(i, min(n, i + 5))):
        opts.extend(_thousands_options(items, i))
    result: list[GroupOption] = []
    fallback: list[GroupOption] = []
    for j, value, cost, form in opts:
        if form != FORM_THOUSANDS:
            cost += _multiplier_cut(items, j)  # a multiplier word right after belongs to this group
        if cost == _INF:
            continue
        if j < n and items[j].gap == JOINED:
            fallback.append((j, str(value), cost + FALLBACK_COST, form))
        else:
            result.append((j, str(value), cost, form))
    return result or fallback or [(i + 1, str(it.value), FALLBACK_COST, FORM_DIGIT)]


class RawReading:
    """One segmentation of a run: groups as ``(digits, first item, end item, form)``, and ``key``, the digits of
    each group (what tells two readings apart)."""

    __slots__ = ("cost", "groups", "key")

    def __init__(self, cost: float, groups: tuple[tuple[str, int, int, str], ...], key: tuple[str, ...]) -> None:
        self.cost = cost
        self.groups = groups
        self.key = key


_EMPTY: Final = RawReading(0.0, (), ())


def readings(items: list[Item], *, beam: int = BEAM) -> list[RawReading]:
    """The ``beam`` cheapest segmentations of ``items`` (distinct digit strings), cheapest first."""
    n = len(items)
    thousands = any(it.kind == KIND_THOUSAND for it in items)
    table: list[list[RawReading]] = [[] for _ in range(n + 1)]
    table[n] = [_EMPTY]
    for i in range(n - 1, -1, -1):
        options = group_options(items, i, thousands=thousands)
        if len(options) == 1 and len(table[options[0][0]]) == 1:
            j, digits, cost, form = options[0]
            rest = table[j][0]
            if digits:
                table[i] = [RawReading(cost + rest.cost, ((digits, i, j, form), *rest.groups), (digits, *rest.key))]
            else:
                table[i] = [RawReading(cost + rest.cost, rest.groups, rest.key)]
            continue
        cands: list[RawReading] = []
        for j, digits, cost, form in options:
            if digits:
                group = (digits, i, j, form)
                for rest in table[j]:
                    cands.append(RawReading(cost + rest.cost, (group, *rest.groups), (digits, *rest.key)))
            else:
                for rest in table[j]:
                    cands.append(RawReading(cost + rest.cost, rest.groups, rest.key))
        if len(cands) > 1:
            cands.sort(key=_cost)
            seen: set[tuple[str, ...]] = set()
            kept: list[RawReading] = []
            for r in cands:
                if r.key not in seen:
                    seen.add(r.key)
                    kept.append(r)
                    if len(kept) >= beam:
                        break
            cands = kept
        table[i] = cands
    return table[0]


def _cost(reading: RawReading) -> float:
    return reading.cost


def is_single_group(items: list[Item]) -> bool:
    """Whether ``items`` (the morphemes of one written word) form exactly one group."""
    return any(j == len(items) and cost == 0.0 for j, _, cost, _ in group_options(items, 0))
