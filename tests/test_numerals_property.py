"""Property tests: what ``num2words`` writes parses back, and every valid number in every style round-trips."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from num2words import num2words

from sidecar_stt.core.numerals import parse_digit_readings
from sidecar_stt.core.phone import extract_phone_numbers
from spoken_dates import reads_as_a_date_in_pairs

pytestmark = pytest.mark.unit

N2W_LANG = {"nb": "no", "en": "en", "sv": "sv", "da": "da"}


def parsed(text: str, language: str) -> str:
    runs = parse_digit_readings(text, language=language)
    assert len(runs) == 1, (text, runs)
    return runs[0].best.digits


@pytest.mark.parametrize("language", ["nb", "en", "sv", "da"])
def test_every_number_below_10000_parses_back(language: str) -> None:
    failures = [n for n in range(10000) if parsed(num2words(n, lang=N2W_LANG[language]), language) != str(n)]
    assert failures == []


# ---- every valid Norwegian number, rendered in each way people and STTs say it ----

NB_DIGIT = ["null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]
NB_TENS = {2: "tjue", 3: "tretti", 4: "førti", 5: "femti", 6: "seksti", 7: "sytti", 8: "åtti", 9: "nitti"}
EN_DIGIT = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def say(group: str, language: str) -> str:
    lang = N2W_LANG[language]
    if len(group) > 1 and group[0] == "0":
        return f"{say('0', language)} {say(group[1:], language)}"
    return str(num2words(int(group), lang=lang))


def old_counting(pair: str) -> str:
    tens, unit = int(pair[0]), int(pair[1])
    if tens >= 2 and unit:
        return f"{NB_DIGIT[unit]}og{NB_TENS[tens]}"
    return say(pair, "nb")


def pairs(digits: str) -> list[str]:
    return [digits[i : i + 2] for i in range(0, len(digits), 2)]


STYLES: dict[str, Callable[[str], str]] = {
    "pairs": lambda d: ", ".join(say(p, "nb") for p in pairs(d)),
    "pairs_spaced": lambda d: " ".join(say(p, "nb") for p in pairs(d)),
    "digits": lambda d: " ".join(NB_DIGIT[int(c)] for c in d),
    "mobile_323": lambda d: ", ".join(say(g, "nb") for g in (d[:3], d[3:5], d[5:])),
    "old_counting": lambda d: " ".join(old_counting(p) for p in pairs(d)),
    "printed_pairs": lambda d: " ".join(pairs(d)),
    "printed_323": lambda d: f"{d[:3]} {d[3:5]} {d[5:]}",
    "printed_whole": lambda d: d,
    "printed_plus": lambda d: f"+47 {' '.join(pairs(d))}",
    "printed_dashes": lambda d: "-".join(pairs(d)),
    "english_digits": lambda d: " ".join(EN_DIGIT[int(c)] for c in d),
    "english_pairs": lambda d: ", ".join(say(p, "en") for p in pairs(d)),
}

valid_norwegian = (
    st.tuples(st.sampled_from("2345679"), st.text("0123456789", min_size=7, max_size=7))
    .map(lambda t: t[0] + t[1])
    .filter(lambda d: phonenumbers.is_valid_number(phonenumbers.parse(d, "NO")))
)


@pytest.mark.parametrize("style", sorted(STYLES))
@settings(max_examples=150, deadline=None)
@given(digits=valid_norwegian)
def test_valid_number_round_trips_in_every_style(style: str, digits: str) -> None:
    if style in ("pairs", "pairs_spaced", "old_counting", "english_pairs"):
        assume(not reads_as_a_date_in_pairs(digits))  # said in pairs these are dates, refused on purpose
    text = STYLES[style](digits)
    language = "en" if style.startswith("english") else "nb"
    found = extract_phone_numbers(f"nummeret er {text}", language=language)
    assert found, text
    assert found[0].e164 == "+47" + digits, text
    assert found[0].digits == digits
