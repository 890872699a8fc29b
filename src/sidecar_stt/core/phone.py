"""Phone numbers in transcripts: spoken or printed, validated with ``phonenumbers``, ranked by ambiguity.

``extract_phone_numbers("nummeret er nittito trettifire femtiseks syttiåtte")`` →
``[PhoneCandidate(e164="+4792345678", digits="92345678", region="NO", ...)]``.

How a candidate is found
    1. :func:`~sidecar_stt.core.numerals.parse_digit_readings` cuts the text into number runs (number words,
       printed digits, fillers and "og" between them; any other word ends a run) and ranks the digit
       readings of each run.
    2. In every reading, every window of whole groups is tried as a number: national for ``region``
       (``"92345678"``), international after a spoken or printed plus (``"+46 70 …"``, "pluss førtiseks")
       or after ``00`` ("null null førtisju …"), and the region's own country code said without a plus
       ("førtisju nittito …", scored lower). A window must hold at least :data:`MIN_NATIONAL_DIGITS`
       national digits (:data:`MIN_INTERNATIONAL_DIGITS` after a country code) and be valid for its region.
    3. A caller who restarts without a correction word ("førtisju tjueen, førtisju tjueen null fem
       åttitre") repeats a start at once: when digits of a reading are followed straight away by the same
       digits and a valid number starts at the repeat and runs past it, the first attempt is dropped —
       windows that would swallow it (including a "47" taken as a country code) are discarded and its
       digits do not count as left over.
    4. Per reading, the non-overlapping valid windows covering the most digits are kept (two numbers said
       back to back are two candidates; an extra group makes two competing interpretations).
    5. Where the region reads no number, a country named before a number in its sentence ("i Sverige", "svensk
       nummer"; the pack's ``countries``) reads it as dialled there ("070-812 34 56" is +46 70 812 34 56).

Rules against false positives (ages, prices, clock times, addresses, postal codes, years and articles
never make a candidate)
    - fewer than 8 national digits in one run is never a number (postal codes, prices, ages, clock times);
    - a run right before a quantity word ("299 kroner", "20 30 40 50 personer") or shortly after a label of
      another kind of number ("kontonummer", "ordrenummer", "postnummer") is skipped;
    - a window with a number said with "tusen"/"thousand", or a printed year (18xx–20xx) among other groups
      (dates "24.12.2023", year lists "2019, 2020") is rejected;
    - counting ("to, tre, fire, fem, seks, sju, åtte, ni", "1 2 3 4 5 6 7 8 9"): six or more groups of at
      most two digits that climb or fall by one are rejected;
    - a number found inside a longer digit sequence with more than 4 other digits (bus times "07 15 07 45
      08 15", long codes) is rejected.

Score
    Each reading weighs its run score (``exp(-cost)`` normalised, see :mod:`.numerals.grammar`); a number's
    share is the weight of the readings whose interpretation contains it over the weight of all readings
    that yield any valid number, so a unique valid reading scores high and rival valid readings split the
    score. The share is multiplied by a quality factor (at most 0.97): lower when the chosen segmentation
    is not the most natural one, when digits of the run are left over, when the country code came without
    a plus, or when printed groups are unusually long.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Final, NamedTuple

from .candidate import PhoneCandidate
from .clarification import drop_clarifications
from .intent import rank_intended
from .languages import language_pack
from .numerals import (
    LANGUAGES,
    DigitGroup,
    DigitReading,
    NumberRun,
    get_lexicon,
    normalize_language,
    parse_digit_readings,
)
from .numerals.language import get_search_lexicon
from .numerals.tokenizer import may_hold_digits, read_from
from .validation import Matcher, region_info, validate

__all__ = [
    "LANGUAGES",
    "MAX_SEARCH_CHARS",
    "MIN_INTERNATIONAL_DIGITS",
    "MIN_NATIONAL_DIGITS",
    "PhoneCandidate",
    "extract_phone_numbers",
    "normalize_language",
    "parse_digit_readings",
]

MIN_NATIONAL_DIGITS: Final = 8
MIN_INTERNATIONAL_DIGITS: Final = 7
"""Digits after the country code when one was said."""
_MAX_DIGITS: Final = 17
_MAX_QUALITY: Final = 0.97
_LEFTOVER_FACTOR: Final = 0.85
_LEFTOVER_WEIGHT: Final = 0.2
_MIN_SCORE: Final = 0.05
_NEGLIGIBLE: Final = 0.01
_MAX_LEFTOVER: Final = 4
"""More digits than this in a run besides the number itself, and the run is something else."""
"""Candidates scoring less are dropped (rival readings of the same words that lost clearly)."""
_INFERRED_CC_FACTOR: Final = 0.9
_LONG_GROUP_FACTOR: Final = 0.9
_COST_DECAY: Final = 0.15
MAX_SEARCH_CHARS: Final = 600
"""Longer texts get the strict reading alone: a caller turn that gives a number is a sentence or two, and a lenient
search of a long text (a fault, an attack) would double its bounded cost for little."""
_SEARCH_FACTOR: Final = 0.9
"""A number found by a lenient reading (words read through, other languages, stutters) scores lower."""

_MAX_INTERPRETATIONS: Final = 4
_YEAR: Final = re.compile(r"(?:18|19|20)\d\d")
_COUNTING_MIN: Final = 6
_MIN_RESTART_DIGITS: Final = 2
"""A repeated start shorter than this ("ni, ni …") is a doubled digit, not a restart."""


class _Window(NamedTuple):
    """A valid number made of the groups ``start:end`` of a reading (a tuple: many are made per text)."""

    start: int  # group index
    end: int
    e164: str
    nsn: str
    region: str
    quality: float
    prefix_digits: int  # digits of the window that were a country code or "00"


def _national(digits: str, region: str, cc: str, check: Matcher | None) -> _Window | None:
    if check is not None and check(digits) is None:
        return None
    hit = validate(digits, region)
    if hit is None or str(hit.country_code) != cc or len(hit.nsn) < MIN_NATIONAL_DIGITS:
        return None
    return _Window(0, 0, hit.e164, hit.nsn, hit.region, 1.0, 0)


def _international(digits: str) -> _Window | None:
    hit = validate("+" + digits, "ZZ")
    if hit is None or len(hit.nsn) < MIN_INTERNATIONAL_DIGITS:
        return None
    return _Window(0, 0, hit.e164, hit.nsn, hit.region, 1.0, len(digits) - len(hit.nsn))


def _rejected(groups: tuple[DigitGroup, ...], digits: str) -> bool:
    """Whether the ``groups`` (whose digits are ``digits``) are said as a thousand, a date or counting."""
    forms = {g.form for g in groups}
    if "thousands" in forms:
        return True
    return _is_date(groups, digits, printed="printed" in forms) or _is_counting(groups)


def _is_date(groups: tuple[DigitGroup, ...], digits: str, *, printed: bool) -> bool:
    """A date or a list of years, printed or said: "24.12.2023", "2019, 2020", "tjuefire tolv nitten nittiåtte".

    A printed year (18xx–20xx) counts only among other years or right after a day and a month: a phone number
    printed in two fours ("4596 1969", "97 04 2042") is no date. Said aloud, a date is a day and a month and a year
    said as "nitten …" or "tjue …" — eight digits DDMM(19|20)YY with a group starting at the year and the rest of
    the year said as one number ("nitten nittiåtte", "tjue ti"); "tjue, null null" names no year.
    """
    if printed:  # ``printed``: some group is printed digits
        years = [k for k, g in enumerate(groups) if g.form == "printed" and _YEAR.fullmatch(g.digits)]
        if years and len(years) == len(groups) > 1:
            return True
        for k in years:
            if k >= 2 and _day_month(groups[k - 2].digits, groups[k - 1].digits):
                return True
    if len(digits) != 8 or digits[4:6] not in ("19", "20") or not _day_month(digits[:2], digits[2:4]):
        return False
    if len(groups[0].digits) == 1 and groups[0].form == "digit" and groups[0].digits != "0":
        return False  # "to fire, ti, nitten, elleve": a day is said as one number, not digit by digit
    starts = list(itertools.accumulate((len(g.digits) for g in groups), initial=0))
    if any(
        start == 4 and g.form == "hundreds" and len(g.digits) == 4 for start, g in zip(starts, groups, strict=False)
    ):
        return True  # "tjuefire tolv nitten hundre og åttifire"
    return any(
        start == 4 and g.digits in ("19", "20") and g.form != "printed" and len(rest.digits) == 2
        for start, g, rest in zip(starts, groups, groups[1:], strict=False)
    )


def _day_month(day: str, month: str) -> bool:
    return len(day) <= 2 and len(month) <= 2 and 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _is_counting(groups: tuple[DigitGroup, ...]) -> bool:
    """Six or more spoken groups that climb or fall by one ("to, tre, fire, …, ni, ti")."""
    if len(groups) < _COUNTING_MIN or any(len(g.digits) > 2 for g in groups):
        return False
    values = [int(g.digits) for g in groups]
    steps = {b - a for a, b in itertools.pairwise(values)}
    return steps == {1} or steps == {-1}


@dataclass(frozen=True, slots=True)
class _Sizes:
    """The window sizes worth trying for ``region``, worked out once per region."""

    cc: str
    check: Matcher | None
    national: tuple[int, ...]
    """National numbers of at least :data:`MIN_NATIONAL_DIGITS` digits."""
    with_cc: tuple[int, ...]
    """National numbers, or the same after the region's own country code."""
    every: tuple[int, ...]
    """Any size, after a plus or "00"."""


@cache
def _sizes(region: str) -> _Sizes:
    info = region_info(region)
    every = tuple(range(MIN_NATIONAL_DIGITS, _MAX_DIGITS + 1))
    if not info.lengths:
        return _Sizes(info.country_code, info.check, every, every, every)
    national = tuple(sorted(n for n in info.lengths if n >= MIN_NATIONAL_DIGITS))
    with_cc = (*national, *(len(info.country_code) + n for n in national))
    return _Sizes(info.country_code, info.check, national, with_cc, every)


_Verdicts = dict[tuple[str, bool], tuple[_Window, float] | None]
"""Valid numbers already looked up for one text: ``(digits, after a plus)`` → the number found and its quality."""
_Memo = dict[tuple[tuple[DigitGroup, ...], bool], tuple[_Window, float] | None]
"""Windows already judged for one text: ``(groups, after a plus)`` → the number and its quality, or ``None`` when
the groups make no valid number or one that is rejected (a date, counting, thousands). Rival readings of a run
share most of their groups."""


_UNSEEN: Final = (_Window(-1, -1, "", "", "", 0.0, 0), 0.0)
"""What a memo lookup returns for a window not judged yet (judged ones are a number or ``None``)."""


@dataclass(slots=True)
class _Lookups:
    """What one text has looked up so far (its strict and lenient readings share it)."""

    verdicts: _Verdicts = field(default_factory=dict)
    windows: _Memo = field(default_factory=dict)


def _verdict(digits: str, international: bool, region: str, sizes: _Sizes) -> tuple[_Window, float] | None:
    """The valid number ``digits`` are (national for ``region``, international after a plus or "00", or the
    region's own country code said without a plus), with its quality, or ``None``."""
    if international:
        found = _international(digits)
        return None if found is None else (found, 1.0)
    if digits.startswith("00"):
        found = _international(digits[2:])
        if found is None:
            return None
        return _Window(0, 0, found.e164, found.nsn, found.region, 1.0, found.prefix_digits + 2), 1.0
    cc = sizes.cc
    found = _national(digits, region, cc, sizes.check)
    if found is not None:
        return found, 1.0
    if digits.startswith(cc):
        found = _international(digits)
        if found is not None and found.e164.startswith("+" + cc):
            return found, _INFERRED_CC_FACTOR
    return None


def _judge(
    groups: tuple[DigitGroup, ...], digits: str, international: bool, region: str, sizes: _Sizes, lookups: _Lookups
) -> tuple[_Window, float] | None:
    """The valid number the ``groups`` (whose digits are ``digits``) make, with its quality, or ``None``."""
    key = (digits, international)
    verdicts = lookups.verdicts
    if key in verdicts:
        verdict = verdicts[key]
    else:
        verdict = verdicts[key] = _verdict(digits, international, region, sizes)
    if verdict is None or _rejected(groups, digits):
        return None
    if len(groups) > 1 and any(g.form == "printed" and 5 <= len(g.digits) < 8 for g in groups):
        return verdict[0], verdict[1] * _LONG_GROUP_FACTOR
    return verdict


def _windows(reading: DigitReading, *, plus: bool, region: str, lookups: _Lookups) -> list[_Window]:
    """Every window of whole groups of ``reading`` that is a valid number (overlapping ones included); what is
    looked up is kept in ``lookups``, shared by every reading of the text."""
    groups = reading.groups
    if len(groups) >= _COUNTING_MIN and _is_counting(groups):
        return []
    sizes = _sizes(region)
    cc = sizes.cc
    prefix = [0]
    for g in groups:
        prefix.append(prefix[-1] + len(g.digits))
    end_at = {p: k for k, p in enumerate(prefix)}
    all_digits = reading.digits
    last_base = len(all_digits) - MIN_NATIONAL_DIGITS  # every size tried is at least this long
    memo = lookups.windows
    out: list[_Window] = []
    for i in range(len(groups)):
        base = prefix[i]
        if base > last_base:
            break  # no window fits in the digits left
        international = plus and i == 0
        if international or all_digits.startswith("00", base):
            targets = sizes.every
        elif all_digits.startswith(cc, base):
            targets = sizes.with_cc
        else:
            targets = sizes.national
        for size in targets:
            j = end_at.get(base + size)
            if j is None:
                continue
            window = groups[i:j]
            key = (window, international)
            judged = memo.get(key, _UNSEEN)  # one hash of the groups (a tuple's hash is not kept)
            if judged is _UNSEEN:
                digits = all_digits[base : base + size]
                judged = memo[key] = _judge(window, digits, international, region, sizes, lookups)
            if judged is not None:
                found, quality = judged
                out.append(_Window(i, j, found.e164, found.nsn, found.region, quality, found.prefix_digits))
    return out


def _drop_restarts(reading: DigitReading, windows: list[_Window]) -> tuple[list[_Window], frozenset[int]]:
    """Windows left once restarted attempts are dropped, and the groups of the dropped attempts.

    A restart is groups ``s:t`` whose digits the groups ``t:u`` repeat at once, with a valid window that
    starts at ``t`` and ends after ``u`` (the later attempt goes on to a complete number). Windows that
    cross ``t`` would swallow the first attempt into the number and are dropped. The longest repeated
    start is taken first; further restarts are taken while their own later window is still there.
    """
    digits = reading.digits
    if len(digits) < MIN_NATIONAL_DIGITS + _MIN_RESTART_DIGITS:
        return windows, frozenset()
    later = sorted({w.start for w in windows if w.start > 0})
    if not later:
        return windows, frozenset()
    prefix = [0]
    for g in reading.groups:
        prefix.append(prefix[-1] + len(g.digits))
    end_at = {p: k for k, p in enumerate(prefix)}
    restarts: list[tuple[int, int, int, int]] = []  # (-copy length, s, t, u)
    for t in later:
        for s in range(t):
            size = prefix[t] - prefix[s]
            if size < _MIN_RESTART_DIGITS:
                break
            u = end_at.get(prefix[t] + size)
            if u is not None and digits.startswith(digits[prefix[s] : prefix[t]], prefix[t]):
                restarts.append((-size, s, t, u))
    if not restarts:
        return windows, frozenset()
    dropped: set[int] = set()
    for _, s, t, u in sorted(restarts):
        if any(k in dropped for k in range(s, u)):
            continue
        if not any(w.start == t and w.end > u for w in windows):
            continue
        windows = [w for w in windows if not w.start < t < w.end]
        dropped.update(range(s, t))
    return windows, frozenset(dropped)


def _interpretations(reading: DigitReading, windows: list[_Window]) -> list[tuple[_Window, ...]]:
    """Non-overlapping window sets that cover the most digits."""
    if len(windows) == 1:
        return [(windows[0],)]
    sizes = [len(g.digits) for g in reading.groups]
    starts: dict[int, list[_Window]] = {}
    for w in windows:
        starts.setdefault(w.start, []).append(w)
    n = len(sizes)
    best: list[tuple[int, list[tuple[_Window, ...]]]] = [(0, [()]) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        cover, sets = best[i + 1]
        options: list[tuple[int, list[tuple[_Window, ...]]]] = [(cover, sets)]
        for w in starts.get(i, ()):
            c, s = best[w.end]
            options.append((c + sum(sizes[w.start : w.end]), [(w, *rest) for rest in s]))
        top = max(c for c, _ in options)
        merged: list[tuple[_Window, ...]] = []
        for c, s in options:
            if c == top:
                for item in s:
                    if item not in merged:
                        merged.append(item)
        best[i] = (top, merged[:_MAX_INTERPRETATIONS])
    return [s for s in best[0][1] if s]


def _leftover(reading: DigitReading, chosen: tuple[_Window, ...], dropped: frozenset[int]) -> int:
    """How many digits of the reading (weak words and dropped attempts aside) stay outside every chosen
    window."""
    covered: set[int] = set(dropped)
    for w in chosen:
        covered.update(range(w.start, w.end))
    return sum(len(g.digits) for k, g in enumerate(reading.groups) if k not in covered and not g.weak)


def _said_as_one_longer_number(reading: DigitReading, chosen: tuple[_Window, ...], dropped: frozenset[int]) -> bool:
    """Whether the digits left over after the number go on in the same breath and form as the number
    ("ni to tre fire fem seks sju åtte ni", "nittito trettifire femtiseks syttiåtte nittien", "48 71 29 63 5"): one
    number of 9 or 10 digits was said — an organisation number, a foreign or a mistaken number — not a phone
    number and a stray digit. Spoken digits and pairs mix in one breath ("førtiseks nittien tjue trettifem sju");
    printed groups are one form. Spoken digits before the number count too, and so does a digit before a number said
    digit by digit; other printed ones may be a house number ("Storgata 12 92 34 56 78")."""
    first_start, last_end = min(w.start for w in chosen), max(w.end for w in chosen)
    kept = [g for k, g in enumerate(reading.groups) if k not in dropped and not g.weak]
    trailing = [g for k, g in enumerate(reading.groups) if k >= last_end and k not in dropped and not g.weak]
    leading = [g for k, g in enumerate(reading.groups) if k < first_start and k not in dropped and not g.weak]
    forms = {g.form for g in kept}
    spoken = forms <= {"digit", "pair"}
    before = "".join(g.digits for g in leading)
    if spoken and len(before) >= _MIN_RESTART_DIGITS and not chosen[0].nsn.startswith(before):
        return True  # "nittisju åtti sytten femti to null": ten digits said as one number (not a restart)
    if before and all(len(g.digits) == 1 for g in kept) and not chosen[0].nsn.startswith(before):
        return True  # "4 8 1 2 0 9 7 1 3": nine digits one by one, not a stray digit before a number
    after = "".join(g.digits for g in trailing)
    if not after or (len(after) >= _MIN_RESTART_DIGITS and chosen[-1].nsn.endswith(after)):
        return False  # nothing else, or the last group said again to be sure
    return spoken or forms == {"printed"}


@dataclass(slots=True)
class _Tally:
    """What the readings of one run say for one number."""

    share: float
    quality: float
    window: _Window
    reading: DigitReading


def _run_candidates(run: NumberRun, region: str, lookups: _Lookups) -> tuple[list[PhoneCandidate], bool]:
    """The candidates of one run, and whether one of them was read with no digit of the run left over."""
    found: dict[str, _Tally] = {}
    whole = False
    total = 0.0
    remaining = 1.0
    for reading in run.readings:
        if total and remaining < _NEGLIGIBLE:
            break  # the readings left cannot move any score by more than _NEGLIGIBLE
        remaining -= reading.score
        if len(reading.digits) < MIN_NATIONAL_DIGITS:
            continue
        windows = _windows(reading, plus=run.plus, region=region, lookups=lookups)
        if not windows:
            continue
        windows, dropped = _drop_restarts(reading, windows)
        interps = _interpretations(reading, windows)
        if not interps:
            continue
        natural = math.exp(-_COST_DECAY * reading.cost)
        for chosen in interps:
            leftover = _leftover(reading, chosen, dropped)
            if leftover > _MAX_LEFTOVER or (leftover and _said_as_one_longer_number(reading, chosen, dropped)):
                continue  # a number inside a longer digit sequence (times, codes): not a phone number
            share = reading.score / len(interps) * (_LEFTOVER_WEIGHT if leftover else 1.0)
            whole = whole or not leftover
            total += share
            factor = natural * (_LEFTOVER_FACTOR if leftover else 1.0)
            for w in chosen:
                q = w.quality * factor
                tally = found.get(w.e164)
                if tally is None:
                    found[w.e164] = _Tally(share, q, w, reading)
                else:
                    tally.share += share
                    if q > tally.quality:
                        tally.quality, tally.window, tally.reading = q, w, reading
    out: list[PhoneCandidate] = []
    for e164, tally in found.items():
        window, reading = tally.window, tally.reading
        groups = reading.groups[window.start : window.end]
        said = tuple(g.digits for g in groups)
        skip, prefix = 0, window.prefix_digits
        while skip < len(said) and prefix >= len(said[skip]):
            prefix -= len(said[skip])
            skip += 1
        if prefix == 0 and skip < len(said):
            said = said[skip:]
        start = run.span[0] if (run.plus and window.start == 0) else groups[0].span[0]
        score = min(1.0, tally.share / total) * tally.quality * _MAX_QUALITY
        if score < _MIN_SCORE:
            continue
        alternatives = tuple(r.digits for r in run.readings if r.digits != reading.digits)[:4]
        out.append(
            PhoneCandidate(
                e164=e164,
                digits=window.nsn,
                region=window.region,
                span=(start, groups[-1].span[1]),
                score=round(score, 4),
                groups=said,
                alternatives=alternatives,
            )
        )
    return out, whole


def _context_excludes(run: NumberRun, language: str) -> bool:
    lexicon = get_lexicon(language)
    if run.next_word is not None and run.next_word in lexicon.quantity_words:
        return True
    if run.plus:
        return False  # a number said after a plus is a phone number, whatever label came before ("country code plus …")
    stems = _label_stems(lexicon.code)
    return any(word in lexicon.label_words or word.startswith(stems) for word in run.prev_words)


@cache
def _label_stems(language: str) -> tuple[str, ...]:
    """Labels long enough to match their inflections too ("kontonummer" → "kontonummeret")."""
    return tuple(sorted(w for w in get_lexicon(language).label_words if len(w) >= 6))


def _candidates(
    text: str, language: str, region: str, lookups: _Lookups, *, search: bool
) -> tuple[dict[str, PhoneCandidate], bool]:
    """The best candidate of every number in the runs of ``text`` (strict or lenient readings), and whether one was
    read whole (no digit of its run left over)."""
    best: dict[str, PhoneCandidate] = {}
    whole = False
    for run in parse_digit_readings(text, language=language, min_digits=MIN_NATIONAL_DIGITS, search=search):
        candidates, run_whole = _run_candidates(run, region, lookups)
        if not candidates or _context_excludes(run, language):
            continue
        whole = whole or run_whole
        for cand in candidates:
            old = best.get(cand.e164)
            if old is None or cand.score > old.score:
                best[cand.e164] = cand
    return best, whole


def _more_outside(text: str, found: Iterable[PhoneCandidate], language: str) -> bool:
    """Whether the words of ``text`` outside the numbers ``found`` could make another number in a lenient reading
    ("either ninety-one twenty-two thirty-three forty-four or førtifem …" under Norwegian)."""
    rest, end = [], 0
    for c in sorted(found, key=lambda c: c.span[0]):
        rest.append(text[end : c.span[0]])
        end = max(end, c.span[1])
    rest.append(text[end:])
    return may_hold_digits(" , ".join(rest), get_search_lexicon(language), MIN_NATIONAL_DIGITS)


_SENTENCE: Final = re.compile(r"[^.!?]+[.!?]?")


def _named_country(text: str, language: str, region: str) -> dict[str, PhoneCandidate]:
    """Where the call's region reads no number: the numbers of a country named before them in their sentence ("i
    Sverige", "svensk nummer"), as dialled there ("070-812 34 56")."""
    countries = language_pack(language).numbers.countries
    if not countries or _country_word(language).search(text) is None:
        return {}  # most turns name no country
    out: dict[str, PhoneCandidate] = {}
    for sentence in _SENTENCE.finditer(text):
        words = re.findall(r"[^\W\d_]+", sentence.group(0).lower())
        named = {r for stem, r in countries if r != region and any(w.startswith(stem) for w in words)}
        for other in sorted(named):
            found, _ = _candidates(sentence.group(0), language, other, _Lookups(), search=False)
            for cand in found.values():
                start = cand.span[0] + sentence.start()
                before = text[sentence.start() : start].lower()
                if any(re.search(rf"(?<!\w){re.escape(stem)}", before) for stem, r in countries if r == other):
                    out[cand.e164] = dataclasses.replace(cand, span=(start, cand.span[1] + sentence.start()))
    return out


@cache
def _country_word(language: str) -> re.Pattern[str]:
    """Any word that begins with one of the pack's country stems."""
    stems = "|".join(re.escape(stem) for stem, _ in language_pack(language).numbers.countries)
    return re.compile(rf"(?<![\w-])(?:{stems})", re.IGNORECASE)


def extract_phone_numbers(text: str, *, language: str = "nb", region: str = "NO") -> list[PhoneCandidate]:
    """Every phone number said or printed in ``text``, best first (empty when none).

    ``language`` is any tag :func:`normalize_language` accepts (``ValueError`` otherwise); ``region`` is the
    region of numbers said without a country code (``ValueError`` when ``phonenumbers`` does not know it).
    A number said twice is returned once, with its best score. When the text holds several numbers, the one the
    caller means comes first (:func:`~sidecar_stt.core.intent.rank_intended`: corrections, old and new, stated
    preferences); the others carry ``lost_because``.
    """
    lang = normalize_language(language)
    region = region.upper()
    region_info(region)
    start = read_from(text)
    if start:
        # only the end of a long text is read (MAX_TEXT_CHARS): every rule below works on that end alone
        found = extract_phone_numbers(text[start:], language=lang, region=region)
        return [dataclasses.replace(c, span=(c.span[0] + start, c.span[1] + start)) for c in found]
    text = drop_clarifications(text, lang)  # "sytten, som i én sju": the group said again is no more digits
    lookups = _Lookups()  # the strict and the lenient readings look up many of the same windows
    best, whole = _candidates(text, lang, region, lookups, search=False)
    if len(text) <= MAX_SEARCH_CHARS and (not whole or _more_outside(text, best.values(), lang)):
        # no number read whole in the strict readings (none at all, or digits left over beside it), or words
        # outside the numbers it read could make another: search the lenient readings too, at a cost
        for e164, c in _candidates(text, lang, region, lookups, search=True)[0].items():
            score = round(c.score * _SEARCH_FACTOR, 4)
            old = best.get(e164)
            if old is None or score > old.score:
                best[e164] = dataclasses.replace(c, score=score)

    if not best:
        best = _named_country(text, lang, region)

    def make(digits: str, span: tuple[int, int], groups: tuple[str, ...], score: float) -> PhoneCandidate | None:
        hit = validate(digits, region)
        if hit is None or len(hit.nsn) < MIN_NATIONAL_DIGITS:
            return None
        return PhoneCandidate(hit.e164, hit.nsn, hit.region, span, round(score, 4), groups, ())

    ranked = sorted(best.values(), key=lambda c: (-c.score, c.span[0]))
    return rank_intended(text, ranked, language=lang, make=make, lenient=len(text) <= MAX_SEARCH_CHARS)
