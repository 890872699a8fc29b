"""``date-of-birth``: the ways a birth date is said and printed, the range, dates that are no birth dates, and the
read-back with the month's name."""

from __future__ import annotations

import datetime

import pytest

from sidecar_stt.core.kinds import DateOfBirthKind
from sidecar_stt.core.kinds.date_of_birth import birth_range

pytestmark = pytest.mark.unit

DOB = DateOfBirthKind(today=datetime.date(2026, 12, 7))


def best(text: str, language: str = "nb") -> str | None:
    found = DOB.candidates(text, language=language)
    return found[0].value if found else None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("femtende oktober nittenåttiseks", "nb", "1986-10-15"),
        ("15.10.86", "nb", "1986-10-15"),
        ("15/10/1986", "nb", "1986-10-15"),
        ("1986-10-15", "nb", "1986-10-15"),
        ("den femtende i tiende åttiseks", "nb", "1986-10-15"),
        ("jeg er født 15. oktober 1986", "nb", "1986-10-15"),
        ("fødselsdatoen min er femten ti åttiseks", "nb", "1986-10-15"),
        ("født den tjue første mai to tusen og fem", "nb", "2005-05-21"),
        ("født tjueførste mai totusenogfem", "nb", "2005-05-21"),
        ("eg er fødd tjuande juni nittenfemti", "nn", "1950-06-20"),
        ("fødd den fyrste i sjuande sekstiein", "nn", "1961-07-01"),
        ("I was born on the fifteenth of October nineteen eighty-six", "en", "1986-10-15"),
        ("October 15th, 1986", "en", "1986-10-15"),
        ("my date of birth is 3 March 1990", "en", "1990-03-03"),
        ("fødselsdato 151086", "nb", "1986-10-15"),
        ("151086", "nb", "1986-10-15"),  # a short answer of digits
        ("femten ti åttiseks", "nb", "1986-10-15"),
        ("født null tre null sju åttisju", "nb", "1987-07-03"),
        ("det var i nittenfemtifem, den niende mars", "nb", "1955-03-09"),
        ("født femtende oktober nitten åtti seks", "nb", "1986-10-15"),
        ("født femtende oktober nitten hundre og åttiseks", "nb", "1986-10-15"),
        ("den femtende oktober nittenhundreogåttiseks", "nb", "1986-10-15"),
        ("born 10/15/1986", "en", "1986-10-15"),
    ],
)
def test_hits(text: str, language: str, expected: str) -> None:
    assert best(text, language) == expected


@pytest.mark.parametrize(
    "text",
    [
        "møtet vårt er femtende oktober nittenåttiseks",  # another event
        "vi flyttet hit 15.10.86",
        "jeg har time femtende oktober 2025",  # out of range: too young
        "født femtende oktober attenåttiseks",  # out of range: too old
        "født trettiførste februar nittenåttiseks",  # no such day
        "femtende oktober",  # no year
        "fødselsnummeret er femten ti åttiseks nittifem null åtte åtte",  # another kind
        "vi var på hytta 15.10.86 sammen med hele familien og noen venner fra byen",  # a date in a sentence
        "15.10.86 var dagen vi flyttet hit",  # another event after the date
        "vi gifta oss i nittenåttini, fjerde juli",  # year first, another event
        "femtende oktober nittenåttiseks, nei vent, det er datoen til kona mi",  # taken back
    ],
)
def test_negatives(text: str) -> None:
    assert best(text) is None


def test_two_digit_years_resolve_into_the_range() -> None:
    assert best("født 1.1.05") == "2005-01-01"
    assert best("født 1.1.20") == "1920-01-01"
    assert best("født 1.1.15") is None  # 2015: too young; 1915: before 1920
    first, last = birth_range(datetime.date(2026, 12, 7))
    assert (first, last) == (datetime.date(1920, 1, 1), datetime.date(2011, 12, 7))
    assert birth_range(datetime.date(2028, 2, 29))[1] == datetime.date(2013, 2, 28)


def test_read_back_with_the_month_name() -> None:
    assert DOB.read_back("1986-10-15").text == "femtende oktober nittenåttiseks"
    assert DOB.read_back("2005-05-21").text == "tjueførste mai to tusen og fem"
    assert DOB.read_back("1961-07-01", language="nn").text == "fyrste juli nittensekstien"
    assert DOB.read_back("1986-10-15", language="en").text == "the fifteenth of october nineteen eighty-six"
    assert DOB.group_names("1986-10-15") == ("dag", "måned", "år")
    assert DOB.validate("1986-10-15") and not DOB.validate("2020-01-01") and not DOB.validate("1986-02-30")
