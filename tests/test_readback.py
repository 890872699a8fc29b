"""Read-back text: num2words words in each style, and every read-back parses back to the same number."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.readback import read_back, read_back_groups
from spoken_dates import reads_as_a_date_in_pairs

pytestmark = pytest.mark.unit


def test_pairs_are_the_norwegian_default() -> None:
    assert read_back("+4792345678") == "nittito, trettifire, femtiseks, syttiåtte"
    assert read_back("92345678", language="nb", style="pairs") == read_back("+4792345678")


def test_leading_zero_of_a_pair_is_read_null() -> None:
    assert read_back("+4792045678") == "nittito, null fire, femtiseks, syttiåtte"
    assert read_back("+4790001234") == "nitti, null null, tolv, trettifire"


def test_digits_and_323_styles() -> None:
    assert read_back("+4792345678", style="digits") == "ni, to, tre, fire, fem, seks, syv, åtte"
    assert read_back("+4792345678", style="mobile_323") == ("ni hundre og tjuetre, førtifem, seks hundre og syttiåtte")


def test_nynorsk_words() -> None:
    assert read_back("+4741234567", language="nn", style="digits") == "fire, ein, to, tre, fire, fem, seks, sju"


def test_english() -> None:
    assert read_back("+4792345678", language="en") == "nine two, three four, five six, seven eight"
    assert read_back("+4792345678", language="en", style="pairs") == (
        "ninety-two, thirty-four, fifty-six, seventy-eight"
    )


def test_candidate_and_foreign_number() -> None:
    (cand,) = extract_phone_numbers("+46 70 123 45 67")
    assert read_back(cand) == "pluss førtiseks, sytti, en hundre og tjuetre, førtifem, sekstisyv"


def test_read_back_groups_single_out_one_group() -> None:
    assert read_back_groups(("92", "04", "923"), language="nb") == ["nittito", "null fire", "ni hundre og tjuetre"]
    assert read_back_groups(["78"], language="en-US") == ["seventy-eight"]
    with pytest.raises(ValueError):
        read_back_groups(["9a"], language="nb")


def test_errors() -> None:
    with pytest.raises(ValueError):
        read_back("not a number")
    with pytest.raises(ValueError):
        read_back("+4792345678", language="de")
    with pytest.raises(ValueError):
        read_back("+4792345678", style="shouted")  # type: ignore[arg-type]


valid_norwegian = (
    st.tuples(st.sampled_from("2345679"), st.text("0123456789", min_size=7, max_size=7))
    .map(lambda t: t[0] + t[1])
    .filter(lambda d: phonenumbers.is_valid_number(phonenumbers.parse(d, "NO")))
    .filter(lambda d: not reads_as_a_date_in_pairs(d))  # refused as dates on purpose
)


def test_a_pairs_read_back_whose_year_part_is_said_digit_by_digit_parses_back() -> None:
    text = read_back("+4721012000", language="nb")
    assert text == "tjueen, null en, tjue, null null"
    assert [c.e164 for c in extract_phone_numbers(text, language="nb")] == ["+4721012000"]


@pytest.mark.parametrize("language", ["nb", "nn", "en", "sv", "da"])
@pytest.mark.parametrize("style", [None, "pairs", "digits", "mobile_323"])
@settings(max_examples=60, deadline=None)
@given(digits=valid_norwegian)
def test_read_back_parses_back_to_the_same_number(language: str, style: str | None, digits: str) -> None:
    text = read_back("+47" + digits, language=language, style=style)  # type: ignore[arg-type]
    found = extract_phone_numbers(text, language=language)
    assert found and found[0].e164 == "+47" + digits, text
