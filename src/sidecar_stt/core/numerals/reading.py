"""Ranked digit-string readings of every number run in a transcript.

``parse_digit_readings("nitti to trettifire", language="nb")`` returns one :class:`NumberRun` whose readings
are, best first, ``"9234"`` (groups ``92 | 34``) and ``"90234"`` (``90 | 2 | 34``). Each reading carries its
groups with character spans and how each was said (``printed``, ``digit``, ``pair``, ``hundreds``,
``thousands``, ``multiplied``), a cost (0 = the most natural segmentation; see :mod:`.grammar`) and a score:
``exp(-cost)`` normalised over the run's readings, so scores of one run sum to 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, NamedTuple

from .grammar import BEAM, Item, readings
from .language import get_lexicon, get_search_lexicon
from .lexicon import KIND_DIGITS, KIND_HUNDRED, KIND_MULTIPLIER, KIND_THOUSAND, KIND_UNIT
from .tokenizer import RawRun, may_hold_digits, tokenize

__all__ = ["DigitGroup", "DigitReading", "NumberRun", "parse_digit_readings"]


class DigitGroup(NamedTuple):
    """One group of digits as the caller said it ("92" from "nittito")."""

    digits: str
    span: tuple[int, int]
    """Character offsets in the input text."""
    form: str
    """``printed``, ``digit``, ``pair``, ``hundreds``, ``thousands`` or ``multiplied``."""
    weak: bool = False
    """A lone word that is also an ordinary word ("en", "to", "oh")."""


class DigitReading(NamedTuple):
    """One segmentation of a number run into digit groups."""

    digits: str
    groups: tuple[DigitGroup, ...]
    span: tuple[int, int]
    score: float
    """``exp(-cost)`` normalised over the run's readings."""
    cost: float
    """0 for the most natural segmentation; see :mod:`.grammar`."""

    @property
    def group_digits(self) -> tuple[str, ...]:
        """The digit strings of :attr:`groups`."""
        return tuple(g.digits for g in self.groups)


@dataclass(frozen=True, slots=True)
class NumberRun:
    """A maximal stretch of number words and digits, with its readings best first."""

    span: tuple[int, int]
    readings: tuple[DigitReading, ...]
    plus: bool = False
    """A "+" or a plus word ("pluss", "landskode") opened the run: it starts with a country code."""
    prev_words: tuple[str, ...] = ()
    """Up to three words before the run (lower-cased), for context rules."""
    next_word: str | None = None
    """The word or hard punctuation right after the run."""

    @property
    def best(self) -> DigitReading:
        """The highest-ranked reading."""
        return self.readings[0]


def _build_run(raw: RawRun, *, beam: int) -> NumberRun:
    items = raw.items
    raws = readings(items, beam=beam)
    seen: set[str] = set()
    built: list[tuple[str, tuple[DigitGroup, ...], float]] = []
    made: dict[tuple[str, int, int, str], DigitGroup] = {}
    for r in raws:
        raw_groups = r.groups
        digits = "".join(r.key)
        if not digits or digits in seen:
            continue
        seen.add(digits)
        groups: list[DigitGroup] = []
        for key in raw_groups:
            group = made.get(key)
            if group is None:
                d, a, b, form = key
                first = items[a]
                group = DigitGroup(d, (first.start, items[b - 1].end), form, b - a == 1 and first.weak)
                made[key] = group
            groups.append(group)
        built.append((digits, tuple(groups), r.cost))
    best_cost = built[0][2] if built else 0.0
    weights = [math.exp(best_cost - c) for _, _, c in built]
    total = sum(weights) or 1.0
    start = raw.start
    out = tuple(
        DigitReading(digits, groups, (start, groups[-1].span[1]), w / total, cost)
        for (digits, groups, cost), w in zip(built, weights, strict=True)
    )
    end = out[0].span[1] if out else start
    return NumberRun((start, end), out, raw.plus, raw.prev_words, raw.next_word)


def _max_digits(items: list[Item]) -> int:
    """An upper bound of the digits any reading of ``items`` can have."""
    total = 0
    for it in items:
        kind = it.kind
        if kind == KIND_DIGITS:
            total += len(it.text)
        elif kind == KIND_UNIT:
            total += 1
        elif kind in (KIND_HUNDRED, KIND_THOUSAND):
            total += 4
        elif kind == KIND_MULTIPLIER:
            total += it.value  # "trippel ni", "fire ganger åtte": the digit after it, repeated
        else:
            total += 2
    return total


MAX_RUNS: Final = 8
"""Runs read per text, the last ones: a caller turn holds two or three numbers at most, and a text with more is a
fault or an attack whose reading must stay bounded."""


def parse_digit_readings(
    text: str, *, language: str = "nb", beam: int = BEAM, min_digits: int = 0, search: bool = False
) -> list[NumberRun]:
    """Every number run of ``text`` with its ranked digit-string readings.

    ``language`` is any tag :func:`~sidecar_stt.core.numerals.normalize_language` accepts; an unknown one
    raises ``ValueError``. Runs come in text order; a run whose words yield no digit is left out, and so is
    a run that cannot reach ``min_digits`` digits (checked before segmentation, which makes it cheap).
    ``beam`` caps the readings kept per run; only the last :data:`MAX_RUNS` runs are read. ``search`` reads
    leniently (:func:`~.tokenizer.tokenize`): the words of every language, words inside a number read through,
    stutters and glued compounds resolved.
    """
    lexicon = get_search_lexicon(language) if search else get_lexicon(language)
    if min_digits and not may_hold_digits(text, lexicon, min_digits):
        return []
    raws = [
        raw for raw in tokenize(text, lexicon, search=search) if not min_digits or _max_digits(raw.items) >= min_digits
    ]
    runs: list[NumberRun] = []
    for raw in raws[-MAX_RUNS:]:
        run = _build_run(raw, beam=beam)
        if run.readings:
            runs.append(run)
    return runs
