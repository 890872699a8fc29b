"""The kinds that are digit strings (fødselsnummer, account, organisation and card numbers, postcodes, digit app
codes): read by the number reader, validated by length and check digits, read back group by group.

A :class:`DigitKind` takes every number run of a text (:func:`~sidecar_stt.core.numerals.parse_digit_readings`,
read strictly and leniently) and each of its readings: a reading of one of the kind's lengths that passes the check
is a candidate, scored as the reading is. Inside a longer run only a printed group of the right length counts
("Storgata 5, 0555 Oslo"), at a lower score: digits said beside a value are some other number. A run after or
before a quantity word ("kr", "kroner") is an amount, and a run after a label of another kind ("telefonnummer") is
that kind's, never this one's. A kind without check digits (``needs_context``) takes an unlabelled value only in a
short answer, and never after a word that names another number ("pinkoden", "klokka"). Where one value passes the
checks of two kinds (every fødselsnummer passes the kontonummer check), an unlabelled value goes to the kind its
grouping says (``defer``). A correction of the last digits right after a number ("… null åtte sju, nei, åtte
åtte") makes the corrected value, ranked before the one it corrects.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from ..languages import language_pack, language_packs, normalize_language
from ..numerals import DigitReading, parse_digit_readings
from ..readback import read_back_groups
from .context import MAX_OTHER_WORDS, corrects, label_before, other_words, taken_back, words
from .protocol import KindCandidate, SpokenValue

__all__ = ["DigitKind", "GroupStyle", "say_group"]

GroupStyle = Literal["number", "pairs", "digits", "pair_digits"]
"""How a group is said: as one number ("femten"), in pairs ("tolv trettifire"), digit by digit ("null fem fem
fem"), or a pair then digits ("nittifem null åtte åtte")."""

_INSIDE_FACTOR: Final = 0.6
_CORRECTED_FACTOR: Final = 0.5
_MAX_CUE_WORDS: Final = 3
"""Words between a number and a single digit that corrects it ("nei unnskyld", "nei vent")."""

"""A value the caller corrected right after saying it keeps this share of its score."""
_YEAR: Final = re.compile(r"(?:19|20)\d\d")
_MIN_STEM: Final = 4
"""A word naming another number may be longer than the pack's word ("pinkoden" for "pinkode") from this length."""
_UNLABELLED_FACTOR: Final = 0.9
_SHORT_ANSWER_FACTOR: Final = 0.8


def say_group(group: str, style: GroupStyle, language: str) -> str:
    """The words of one digit group in ``style``."""
    if style == "number":
        parts = [group]
    elif style == "pairs":
        parts = [group[i : i + 2] for i in range(0, len(group), 2)]
    elif style == "digits":
        parts = list(group)
    else:
        parts = [group[:2], *group[2:]]
    return " ".join(read_back_groups(parts, language=language))


@dataclass(frozen=True, slots=True)
class DigitKind:
    """A kind whose value is a digit string (see the module docstring)."""

    name: str
    lengths: frozenset[int]
    check: Callable[[str], bool]
    """Check digits (or any rule beyond length) a value must pass."""
    sizes: Callable[[str], tuple[int, ...]]
    """The sizes of the read-back groups of a value."""
    styles: Callable[[str], tuple[GroupStyle, ...]]
    """How each read-back group is said."""
    needs_context: bool = False
    """No check digits: an unlabelled value counts only in a short answer."""
    secret: bool = False
    defer: Callable[[str, tuple[int, ...]], bool] | None = None
    """Whether an unlabelled value said in groups of these sizes belongs to another kind whose check it passes too."""

    def normalize(self, value: str) -> str | None:
        digits = "".join(ch for ch in value if ch.isdigit())
        if not digits or any(not (ch.isdigit() or ch in " .-/") for ch in value.strip()):
            return None
        return digits

    def validate(self, value: str) -> bool:
        return value.isascii() and value.isdigit() and len(value) in self.lengths and self.check(value)

    def groups(self, value: str) -> tuple[str, ...]:
        out: list[str] = []
        pos = 0
        for size in self.sizes(value):
            if pos < len(value):
                out.append(value[pos : pos + size])
                pos += size
        if pos < len(value):
            out.append(value[pos:])
        return tuple(out)

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        lang = normalize_language(language)
        groups = self.groups(value)
        styles = self.styles(value)
        words = tuple(say_group(g, styles[min(i, len(styles) - 1)], lang) for i, g in enumerate(groups))
        return SpokenValue(groups, words)

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        kinds = language_pack(language).kinds
        names = kinds.group_names.get(self.name, kinds.part_names)
        count = len(self.groups(value))
        return tuple(names[i] if i < len(names) else kinds.part_names[-1] for i in range(count))

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        lang = normalize_language(language)
        pack = language_pack(lang)
        amounts = _amount_words()
        found: dict[str, KindCandidate] = {}
        runs = [
            run
            for search in (False, True)  # strict keeps "femti femtifem"; lenient reads "nullfemfemfem"
            for run in parse_digit_readings(text, language=lang, search=search, min_digits=min(self.lengths))
        ]
        spans = [run.span for run in runs]
        for run in runs:
            if run.next_word in amounts or (run.prev_words and run.prev_words[-1] in amounts):
                continue  # an amount, a count
            label = label_before(text, run.span[0], language=lang, kind=self.name)
            context = self._context(text, run.span, label, lang, spans)
            if context is None:
                continue
            after_year_word = bool(run.prev_words) and run.prev_words[-1] in pack.kinds.before_year
            for reading in run.readings:
                if self.needs_context and label is None and after_year_word and _YEAR.fullmatch(reading.digits):
                    continue  # "i 1986"
                for value, span, sizes, inside in self._windows(reading):
                    if label is None and self.defer is not None and self.defer(value, sizes):
                        continue
                    score = round(reading.score * context * (_INSIDE_FACTOR if inside else 1.0), 4)
                    held = found.get(value)
                    if held is None or held.score < score:
                        found[value] = KindCandidate(self.name, value, score, span, self.groups(value), self.secret)
        for value, span, score, replaced in self._corrected(text, lang):
            label = label_before(text, span[0], language=lang, kind=self.name)
            context = self._context(text, span, label, lang, spans)
            if context is None or value in found:
                continue
            found[value] = KindCandidate(
                self.name, value, round(score * context, 4), span, self.groups(value), self.secret
            )
            if replaced in found:  # the caller corrected it
                old = found[replaced]
                found[replaced] = dataclasses.replace(old, score=round(old.score * _CORRECTED_FACTOR, 4))
        kept = [c for c in found.values() if not taken_back(text, c.span[1], language=lang)]
        return tuple(sorted(kept, key=lambda c: (-c.score, -c.span[0])))

    def _context(
        self, text: str, span: tuple[int, int], label: str | None, language: str, runs: list[tuple[int, int]]
    ) -> float | None:
        """What the words around a value at ``span`` make of it: a factor of its score, or ``None`` when they make it
        some other number (another kind's label; for a kind without check digits, no label and many words before it
        besides other numbers, or a word naming another number)."""
        if label is not None and label != self.name:
            return None  # the caller named another kind
        if label == self.name:
            return 1.0
        if not self.needs_context:
            return _UNLABELLED_FACTOR
        if _names_another_number(text[: span[0]], language):
            return None
        if other_words(text[: span[0]], runs, language=language) > MAX_OTHER_WORDS:
            return None  # a number inside a sentence, not an answer (what follows an answer is chatter)
        return _SHORT_ANSWER_FACTOR

    def _corrected(self, text: str, language: str) -> list[tuple[str, tuple[int, int], float, str]]:
        """(value, span, score, the digits it replaces) of each correction of the last digits of a number ("…
        null åtte sju, nei, åtte åtte"): the digits after the cue replace as many at the end of the number before
        it; only a value of the kind counts."""
        if not corrects(text, language=language):
            return []
        runs = parse_digit_readings(text, language=language)
        out: list[tuple[str, tuple[int, int], float, str]] = []
        negations = language_pack(language).corrections.negations
        for before, denied, instead in zip(runs, runs[1:], runs[2:], strict=False):
            cue = text[before.span[1] : denied.span[0]].lower()
            if not (corrects(cue, language=language) and any(n in words_of(cue) for n in negations)):
                continue
            head, wrong = before.best.digits, denied.best.digits
            cut = head.rfind(wrong)
            if cut < 0 or corrects(text[denied.span[1] : instead.span[0]], language=language):
                continue
            value = head[:cut] + instead.best.digits
            if len(value) in self.lengths and self.check(value):
                out.append((value, (before.span[0], instead.span[1]), before.best.score * instead.best.score, head))
        for before, after in itertools.pairwise(runs):  # "…, nei, ikke sju, åtte åtte": one run after "ikke"
            cue = text[before.span[1] : after.span[0]].lower()
            groups = after.best.groups
            if len(groups) > 1 and corrects(cue, language=language) and any(n in words_of(cue) for n in negations):
                head, wrong = before.best.digits, groups[0].digits
                cut = head.rfind(wrong)
                value = head[:cut] + "".join(g.digits for g in groups[1:])
                if cut >= 0 and len(value) in self.lengths and self.check(value):
                    out.append((value, (before.span[0], after.span[1]), before.best.score * after.best.score, head))
        for before, after in itertools.pairwise(runs):
            if not corrects(text[before.span[1] : after.span[0]], language=language):
                continue
            if len(after.best.digits) == 1 and len(words(text[before.span[1] : after.span[0]])) > _MAX_CUE_WORDS:
                continue  # "no wait, that is the old one": one digit after more words than a cue is no correction
            head, tail = before.best.digits, after.best.digits
            if not 0 < len(tail) < len(head):
                continue
            value = head[: len(head) - len(tail)] + tail
            if len(value) in self.lengths and self.check(value):
                span = (before.span[0], after.span[1])
                out.append((value, span, before.best.score * after.best.score, head))
        return out

    def _said_again(self, reading: DigitReading) -> tuple[str, tuple[int, int], tuple[int, ...], bool] | None:
        """The value said again at the end of a run: after a start broken off ("tre fem... tre fem null to") or in
        another grouping ("femti tretti, fem null tre null")."""
        groups = reading.groups
        for k in range(1, len(groups)):
            first = "".join(g.digits for g in groups[:k])
            rest = "".join(g.digits for g in groups[k:])
            if rest.startswith(first) and len(rest) in self.lengths and self.check(rest):
                return rest, (groups[k].span[0], reading.span[1]), tuple(len(g.digits) for g in groups[k:]), False
        return None

    def _windows(self, reading: DigitReading) -> list[tuple[str, tuple[int, int], tuple[int, ...], bool]]:
        """(value, span, group sizes, inside a longer run) of the valid values of one reading: the whole reading, or
        a printed group of the right length inside it."""
        groups = reading.groups
        sizes = tuple(len(g.digits) for g in groups)
        if len(reading.digits) in self.lengths and self.check(reading.digits):
            return [(reading.digits, reading.span, sizes, False)]
        said_again = self._said_again(reading)
        if said_again is not None:
            return [said_again]
        return [
            (g.digits, g.span, (len(g.digits),), True)
            for g in groups
            if g.form == "printed" and len(g.digits) in self.lengths and self.check(g.digits)
        ]


def words_of(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return [w for w, _, _ in words(text)]


def _amount_words() -> frozenset[str]:
    """The quantity words of every pack: "kroner" after a number in an English sentence is still an amount."""
    return frozenset(w for pack in language_packs() for w in pack.numbers.quantity_words)


def _names_another_number(before: str, language: str) -> bool:
    """Whether a word before a value names some other number or a time ("pinkoden", "klokka", "siden")."""
    pack = language_pack(language)
    others = (*pack.numbers.label_words, *pack.kinds.other_dates)
    return any(w == o or (len(o) >= _MIN_STEM and w.startswith(o)) for w, _, _ in words(before) for o in others)
