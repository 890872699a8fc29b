"""``date-of-birth``: a birth date said or printed ("femtende oktober nittenåttiseks", "15.10.86", "den femtende i
tiende åttiseks", "the fifteenth of October 1986"), as an ISO date, within the range of a living adult caller
(1920-01-01 to today less 15 years; a two-digit year is resolved into that range), read back with the month's name.

A spoken date is a day (an ordinal, "15." or a number), a month (a name, an ordinal or a number) and a year (number
words or digits); month names may also come first ("October 15th 1986"). A date said with numbers alone ("femten ti
åttiseks") counts only after a birth-date label. A date is a birth date when the caller says so ("født",
"fødselsdato") or when it is the whole of a short answer; after a word of another event ("møtet", "flyttet") or
another kind's label ("fødselsnummeret") it is none.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Final, NamedTuple

from ..languages import language_pack, normalize_language
from ..numerals import parse_digit_readings
from ..readback import read_back_groups
from .context import MAX_OTHER_WORDS, label_before, other_words, taken_back
from .protocol import KindCandidate, SpokenValue
from .spelling import number_word

__all__ = ["DATE_OF_BIRTH", "DateOfBirthKind", "birth_range"]

OLDEST_YEAR: Final = 1920
YOUNGEST_AGE: Final = 15
_MAX_YEAR_TOKENS: Final = 5
_MAX_TEXT_CHARS: Final = 2000
_UNLABELLED_FACTOR: Final = 0.8
_TOKEN: Final = re.compile(r"\d+|[^\W\d_]+(?:-[^\W\d_]+)*|[^\s\w]")
_PRINTED: Final = re.compile(r"(?<![\d.])(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})(?![\d])")
_ISO: Final = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT: Final = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4}|\d{2})(?!\d)")


def birth_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last plausible birth date of an adult caller on ``today``."""
    try:
        last = today.replace(year=today.year - YOUNGEST_AGE)
    except ValueError:  # 29 February
        last = today.replace(year=today.year - YOUNGEST_AGE, day=28)
    return datetime.date(OLDEST_YEAR, 1, 1), last


class _Token(NamedTuple):
    word: str
    start: int
    end: int


class _Found(NamedTuple):
    day: int
    month: int
    year: str
    span: tuple[int, int]
    named: bool
    """Said as a date (an ordinal, a month name or printed with separators), not as bare numbers."""


@cache
def _words(language: str) -> tuple[dict[str, int], dict[str, int], frozenset[str], frozenset[str], frozenset[str]]:
    pack = language_pack(language)
    kinds = pack.kinds
    pauses = frozenset({*pack.numbers.fillers, ",", ".", "-"})
    return (
        dict(kinds.months),
        dict(kinds.ordinals),
        frozenset(kinds.date_joiners) | pauses,
        frozenset(kinds.ordinal_suffixes),
        frozenset(pack.numbers.conjunctions),
    )


@cache
def _glued_hundreds(language: str) -> re.Pattern[str]:
    """A year written as one word with its hundreds ("nittenhundreogåttiseks"): the teen, the hundred word, an
    optional conjunction and the rest."""
    numbers = language_pack(language).numbers
    hundreds = "|".join(re.escape(w) for w in numbers.hundred)
    conjunctions = "|".join(re.escape(w) for w in numbers.conjunctions)
    return re.compile(rf"([^\W\d_]+?)({hundreds})({conjunctions})?([^\W\d_]*)")


def _number(token: _Token, language: str, *, weak: bool = False) -> int | None:
    """The number of one word of at most two digits; ``weak`` takes the words that are ordinary words too ("en")."""
    if token.word.isdigit():
        return int(token.word) if len(token.word) <= 2 else None
    digits = number_word(token.word, language)
    if digits is None and weak:
        runs = parse_digit_readings(token.word, language=language)
        digits = runs[0].best.digits if len(runs) == 1 and runs[0].span == (0, len(token.word)) else None
    return int(digits) if digits is not None and len(digits) <= 2 else None


class _Reader:
    """Reads the spoken dates of one text."""

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        self.months, self.ordinals, self.skip, self.suffixes, self.conjunctions = _words(language)
        self.hundreds = frozenset(language_pack(language).numbers.hundred)
        glued = _glued_hundreds(language)
        self.tokens: list[_Token] = []
        for m in _TOKEN.finditer(text):
            word, start = m.group().lower(), m.start()
            parts = glued.fullmatch(word)
            if parts is None or number_word(parts.group(1), language) is None:
                self.tokens.append(_Token(word, start, m.end()))
                continue
            for k in range(1, 5):  # "nittenhundreogåttiseks": nitten | hundre | og | åttiseks
                if parts.group(k):
                    self.tokens.append(_Token(parts.group(k), start + parts.start(k), start + parts.end(k)))

    def _next(self, i: int) -> int:
        while i < len(self.tokens) and self.tokens[i].word in self.skip and not self._ordinal_at(i):
            i += 1
        return i

    def _ordinal_at(self, i: int) -> tuple[int, int] | None:
        """An ordinal at ``i``: (value, tokens it takes)."""
        tokens = self.tokens
        if i + 1 < len(tokens):
            pair = f"{tokens[i].word} {tokens[i + 1].word}"
            if pair in self.ordinals:
                return self.ordinals[pair], 2
        token = tokens[i] if i < len(tokens) else None
        if token is None:
            return None
        if token.word in self.ordinals:
            return self.ordinals[token.word], 1
        if token.word.isdigit() and len(token.word) <= 2 and i + 1 < len(tokens):
            after = tokens[i + 1]
            if after.start == token.end and after.word in self.suffixes:
                return int(token.word), 2
        return None

    def _day_or_month(self, i: int, *, month: bool) -> tuple[int, int, bool] | None:
        """(value, tokens, named) of a day or month at ``i``."""
        if i >= len(self.tokens):
            return None
        if month and self.tokens[i].word in self.months:
            return self.months[self.tokens[i].word], 1, True
        ordinal = self._ordinal_at(i)
        if ordinal is not None:
            return ordinal[0], ordinal[1], True
        value = _number(self.tokens[i], self.language)
        if value is None:
            return None
        if value <= (1 if month else 3) and i + 1 < len(self.tokens):  # "null en", "to sju": one digit at a time
            second = _number(self.tokens[i + 1], self.language, weak=True)
            if second is not None and second <= 9 and not self.tokens[i + 1].word.isdigit():
                return value * 10 + second, 2, False
        return value, 1, False

    def _year(self, i: int) -> tuple[str, int] | None:
        """(digits, end offset) of the year at ``i``: the most number words that read as 2 or 4 digits."""
        tokens = self.tokens
        j = i
        taken: list[int] = []
        while j < len(tokens) and len(taken) < _MAX_YEAR_TOKENS:
            word = tokens[j].word
            if word.isdigit() or number_word(word, self.language) is not None:
                taken.append(j)
            elif not (word in self.conjunctions and taken):
                break
            j += 1
        hundreds = self._hundreds_year(taken)
        if hundreds is not None:
            return hundreds
        for count in range(len(taken), 0, -1):
            end = tokens[taken[count - 1]].end
            runs = parse_digit_readings(self.text[tokens[i].start : end], language=self.language, search=True)
            if len(runs) != 1:
                continue
            for reading in runs[0].readings:  # "nitten åtti seks": 1986 before 19806
                if len(reading.digits) in (2, 4):
                    return reading.digits, end
        return None

    def _hundreds_year(self, taken: list[int]) -> tuple[str, int] | None:
        """A year said in hundreds ("nitten hundre og åttiseks": 1986), which the number reader takes for 19186."""
        tokens = self.tokens
        if len(taken) < 2 or tokens[taken[1]].word not in self.hundreds:
            return None
        century = number_word(tokens[taken[0]].word, self.language)
        if century is None or not 10 <= int(century) <= 20:
            return None
        rest = taken[2:]
        if not rest:
            return f"{century}00", tokens[taken[1]].end
        end = tokens[rest[-1]].end
        runs = parse_digit_readings(self.text[tokens[rest[0]].start : end], language=self.language)
        if len(runs) != 1 or len(runs[0].best.digits) > 2:
            return None
        return f"{century}{int(runs[0].best.digits):02d}", end

    def _year_first(self, i: int) -> tuple[_Found, int] | None:
        """A year before the day and the month's name ("i nittenåttito, tjuesjuende februar")."""
        year = self._year(i)
        if year is None:
            return None
        j = i
        while j < len(self.tokens) and self.tokens[j].start < year[1]:
            j += 1
        j = self._next(j)
        day = self._day_or_month(j, month=False)
        if day is None:
            return None
        k = self._next(j + day[1])
        if k >= len(self.tokens) or self.tokens[k].word not in self.months:
            return None
        found = _Found(
            day[0], self.months[self.tokens[k].word], year[0], (self.tokens[i].start, self.tokens[k].end), True
        )
        return found, k + 1

    def dates(self) -> list[_Found]:
        found: list[_Found] = []
        i = 0
        while i < len(self.tokens):
            hit = self._date_at(i)
            if hit is None:
                i += 1
                continue
            date, i = hit
            found.append(date)
        return found

    def _date_at(self, i: int) -> tuple[_Found, int] | None:
        start = self.tokens[i].start
        if self.tokens[i].word in self.months:  # October 15th 1986
            month = self.months[self.tokens[i].word]
            j = self._next(i + 1)
            day = self._day_or_month(j, month=False)
            if day is None:
                return None
            k = self._next(j + day[1])
            year = self._year(k) if k < len(self.tokens) else None
            if year is None:
                return None
            return _Found(day[0], month, year[0], (start, year[1]), True), k + 1
        day = self._day_or_month(i, month=False)
        if day is None:
            return self._year_first(i)
        j = self._next(i + day[1])
        month_hit = self._day_or_month(j, month=True)
        if month_hit is None:
            return None
        k = self._next(j + month_hit[1])
        year = self._year(k) if k < len(self.tokens) else None
        if year is None:
            return self._year_first(i)
        end_index = k + 1
        while end_index < len(self.tokens) and self.tokens[end_index].start < year[1]:
            end_index += 1
        return _Found(day[0], month_hit[0], year[0], (start, year[1]), day[2] or month_hit[2]), end_index


def _printed(text: str) -> list[_Found]:
    found = [_day_first(int(m.group(1)), int(m.group(2)), m.group(3), m.span()) for m in _PRINTED.finditer(text)]
    found += [_Found(int(m.group(3)), int(m.group(2)), m.group(1), m.span(), True) for m in _ISO.finditer(text)]
    found += [_Found(int(m.group(1)), int(m.group(2)), m.group(3), m.span(), False) for m in _COMPACT.finditer(text)]
    return found


def _day_first(first: int, second: int, year: str, span: tuple[int, int]) -> _Found:
    """A printed date, day first; month first when only that reads ("10/15/1986")."""
    if second > 12 >= first:
        first, second = second, first
    return _Found(first, second, year, span, True)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


@dataclass(frozen=True, slots=True)
class DateOfBirthKind:
    """Birth dates (see the module docstring); ``today`` fixes the plausible range (the system date by default)."""

    today: datetime.date | None = None
    name: str = "date-of-birth"
    secret: bool = False

    def _bounds(self) -> tuple[datetime.date, datetime.date]:
        return birth_range(self.today or datetime.date.today())

    def _resolve(self, day: int, month: int, year: str) -> datetime.date | None:
        first, last = self._bounds()
        years = [int(year)] if len(year) == 4 else [1900 + int(year), 2000 + int(year)]
        for y in years:
            try:
                date = datetime.date(y, month, day)
            except ValueError:
                continue
            if first <= date <= last:
                return date
        return None

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        lang = normalize_language(language)
        text = text[-_MAX_TEXT_CHARS:]
        pack = language_pack(lang)
        labelled_anywhere = any(
            re.search(rf"(?<![^\W\d_]){re.escape(label)}", text.lower()) for label in pack.kinds.labels[self.name]
        )
        printed = _printed(text)
        spoken = [d for d in _Reader(text, lang).dates() if not _overlaps(d.span, [p.span for p in printed])]
        found: dict[str, KindCandidate] = {}
        for hit in (*printed, *spoken):
            date = self._resolve(hit.day, hit.month, hit.year)
            if date is None:
                continue
            score = self._context(text, hit, lang, labelled_anywhere)
            if score is None:
                continue
            value = date.isoformat()
            if value not in found or found[value].score < score:
                found[value] = KindCandidate(self.name, value, score, hit.span, self.groups(value))
        kept = [c for c in found.values() if not taken_back(text, c.span[1], language=lang)]
        return tuple(sorted(kept, key=lambda c: (-c.score, -c.span[0])))

    def _context(self, text: str, hit: _Found, language: str, labelled_anywhere: bool) -> float | None:
        label = label_before(text, hit.span[0], language=language, kind=self.name)
        if label is not None and label != self.name:
            return None  # "fødselsnummeret er femten ti åttiseks …"
        if _other_event_before(text, hit.span[0], language, label_at=_label_at(text, hit.span[0], language)):
            return None
        if label == self.name or labelled_anywhere:
            return 1.0
        if _other_event_before(text, len(text), language, label_at=-1):
            return None  # "15.10.86 var dagen vi flyttet"
        if other_words(text[: hit.span[0]], [], language=language) > MAX_OTHER_WORDS:
            return None  # a date inside a sentence, not an answer
        return _UNLABELLED_FACTOR if hit.named else _UNLABELLED_FACTOR * _UNLABELLED_FACTOR

    def normalize(self, value: str) -> str | None:
        try:
            return datetime.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None

    def validate(self, value: str) -> bool:
        try:
            date = datetime.date.fromisoformat(value)
        except ValueError:
            return False
        first, last = self._bounds()
        return date.isoformat() == value and first <= date <= last

    def groups(self, value: str) -> tuple[str, ...]:
        year, month, day = value.split("-")
        return (day, month, year)

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        lang = normalize_language(language)
        pack = language_pack(lang)
        day, month, year = self.groups(value)
        words = (
            pack.kinds.ordinal_names[int(day) - 1],
            pack.kinds.month_names[int(month) - 1],
            _say_year(int(year), lang),
        )
        template = pack.kinds.date_read_back.format(day="{0}", month="{1}", year="{2}")
        return SpokenValue((day, month, year), words, separator=" ", template=template)

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        return language_pack(language).kinds.group_names[self.name]


def _say_year(year: int, language: str) -> str:
    """ "nittenåttiseks", "nineteen eighty-six"; a year whose last two digits are under ten whole ("to tusen og
    fem")."""
    if year % 100 < 10:
        return read_back_groups([str(year)], language=language)[0]
    century, rest = read_back_groups([str(year // 100), str(year % 100)], language=language)
    joint = "" if language_pack(language).numbers.compounds else " "
    return f"{century}{joint}{rest.replace(' ', '')}"


def _label_at(text: str, start: int, language: str) -> int:
    """Where the last birth-date label before ``start`` begins (-1 when none does)."""
    lower = text[:start].lower()
    return max(
        (m.start() for label in language_pack(language).kinds.labels["date-of-birth"]
         for m in re.finditer(rf"(?<![^\W\d_]){re.escape(label)}", lower)),
        default=-1,
    )  # fmt: skip


def _other_event_before(text: str, start: int, language: str, *, label_at: int) -> bool:
    """Whether a word of another event comes before ``start`` and after the last birth-date label."""
    others = frozenset(language_pack(language).kinds.other_dates)
    lower = text[:start].lower()
    return any(m.start() > label_at and m.group() in others for m in re.finditer(r"[^\W\d_]+", lower))


DATE_OF_BIRTH: Final = DateOfBirthKind()
"""The date-of-birth kind, on the system date."""
