"""``email``: addresses spelled the Norwegian way or printed, validated for syntax only, lower-cased, read back
letter by letter."""

from __future__ import annotations

import pytest

from sidecar_stt.core.kinds import kind

pytestmark = pytest.mark.unit

EMAIL = kind("email")


def best(text: str, language: str = "nb") -> str | None:
    found = EMAIL.candidates(text, language=language)
    return found[0].value if found else None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("kari punktum nordmann krøllalfa gmail punktum com", "nb", "kari.nordmann@gmail.com"),
        ("Kari Punktum Nordmann, krøllalfa, Gmail punktum com.", "nb", "kari.nordmann@gmail.com"),
        ("det er kari.nordmann@gmail.com.", "nb", "kari.nordmann@gmail.com"),
        ("e-posten er kå a ærr i alfakrøll online dott no", "nb", "kari@online.no"),
        ("ola understrek hansen åtte åtte at hotmail dott no", "nb", "ola_hansen88@hotmail.no"),
        ("per bindestrek olav krøllalfa firma prikk no", "nb", "per-olav@firma.no"),
        ("a som i anna be for bertil krøllalfa online punktum no", "nb", "ab@online.no"),
        ("bjørn æ ø å krøllalfa gmail punktum com", "nb", "bjørnæøå@gmail.com"),
        ("pe dobbelt-ve krøllalfa uio punktum no", "nb", "pw@uio.no"),
        ("it is john dot smith at example dot com", "en", "john.smith@example.com"),
        ("K-A-R-I krøllalfa gmail punktum com", "nb", "kari@gmail.com"),
        ("kari to tusen krøllalfa gmail punktum com", "nb", "kari2000@gmail.com"),
        ("kari @ gmail . com", "nb", "kari@gmail.com"),
        ("Adressen er kari@gmail.com. Takk.", "nb", "kari@gmail.com"),
        ("kari under strek nordmann krøll alfa gmail punktum com", "nb", "kari_nordmann@gmail.com"),
        ("jay o aitch en at gmail dot com", "en", "john@gmail.com"),
    ],
)
def test_hits(text: str, language: str, expected: str) -> None:
    assert best(text, language) == expected


@pytest.mark.parametrize(
    "text",
    [
        "jeg tror at det går fint",  # "at" as a conjunction
        "adressen min er k a r i",  # no @
        "kari krøllalfa gmail",  # no top-level domain
        "krøllalfa gmail punktum com",  # no user name
        "kari punktum punktum nordmann krøllalfa gmail punktum com",  # two dots in a row
        "telefonnummeret er kari krøllalfa gmail punktum com",  # another kind's label
        "ring meg på nittito trettifire femtiseks syttiåtte",
    ],
)
def test_negatives(text: str) -> None:
    assert best(text) is None


def test_read_back_letter_by_letter() -> None:
    spoken = EMAIL.read_back("kari.nordmann@gmail.com")
    assert spoken.text == ("kå a ærr i punktum enn o ærr de emm a enn enn krøllalfa ge emm a i ell punktum se o emm")
    assert spoken.groups == ("kari.nordmann", "gmail.com")
    assert EMAIL.group_names("kari.nordmann@gmail.com") == ("brukernavnet", "domenet")
    assert EMAIL.read_back("ola_88@x.no").text == "o ell a understrek åtte åtte krøllalfa eks punktum enn o"
    assert EMAIL.read_back("ab@c.no", language="en").text == "a bee at cee dot en o"


def test_normalize_and_validate() -> None:
    assert EMAIL.normalize(" Kari.Nordmann@Gmail.COM ") == "kari.nordmann@gmail.com"
    assert EMAIL.normalize("kari@") is None
    assert EMAIL.validate("kari@gmail.com") and not EMAIL.validate("Kari@gmail.com")
