"""The digit kinds: fødselsnummer/D-nummer, kontonummer, organisasjonsnummer, card numbers, postcodes — hits in
the ways callers say them, checksum failures, the negatives (a phone number, an amount, another kind's label) and
read-backs."""

from __future__ import annotations

import pytest

from sidecar_stt.core.kinds import birth_date, kind

pytestmark = pytest.mark.unit


def best(name: str, text: str, language: str = "nb") -> str | None:
    found = kind(name).candidates(text, language=language)
    return found[0].value if found else None


@pytest.mark.parametrize(
    "text",
    [
        "fødselsnummeret mitt er femten ti åttiseks nittifem null åtte åtte",
        "15108695088",
        "det er 151086 95088",
        "en fem en null åtte seks ni fem null åtte åtte",
        "eh, femten ti åttiseks, eh, nittifem null åtte åtte",
    ],
)
def test_birth_number_hits(text: str) -> None:
    assert best("birth-number", text) == "15108695088"


def test_d_number_and_the_birth_date_it_implies() -> None:
    assert best("birth-number", "personnummeret er femtifem ti åttiseks tolv en åtte fire") == "55108612184"
    assert str(birth_date("55108612184")) == "1986-10-15"
    assert str(birth_date("15108695088")) == "1986-10-15"
    assert birth_date("15108695087") is None


@pytest.mark.parametrize(
    "text",
    [
        "fødselsnummeret er femten ti åttiseks nittifem null åtte sju",  # second control digit
        "fødselsnummeret er femten ti åttiseks nittifem null sju åtte",  # first control digit
        "ring meg på nittito trettifire femtiseks syttiåtte",  # a phone number
        "kontonummer 1503 40 98767",  # another kind's label
        "det koster 15108695088 kroner",  # an amount
    ],
)
def test_birth_number_negatives(text: str) -> None:
    assert best("birth-number", text) is None


def test_birth_number_read_back_is_date_part_and_personal_number() -> None:
    spoken = kind("birth-number").read_back("15108695088")
    assert spoken.text == "femten ti åttiseks, nittifem null åtte åtte"
    assert spoken.groups == ("151086", "95088")
    assert kind("birth-number").group_names("15108695088") == ("datoen", "personnummeret")
    assert kind("birth-number").read_back("03059050035").text == "null tre null fem nitti, femti null tre fem"


def test_a_value_valid_as_both_birth_and_account_number_goes_by_its_grouping() -> None:
    # every fødselsnummer passes the kontonummer check: unlabelled, 4-2-5 is an account, anything else a fødselsnummer
    assert best("account-number", "15108695088") is None
    assert best("birth-number", "15108695088") == "15108695088"
    assert best("account-number", "1510 86 95088") == "15108695088"
    assert best("birth-number", "1510 86 95088") is None
    assert best("account-number", "kontonummeret er 15108695088") == "15108695088"
    assert best("birth-number", "fødselsnummeret er 1510 86 95088") == "15108695088"


def test_account_number() -> None:
    assert best("account-number", "kontonummeret er femten null tre, førti, ni åtte sju seks sju") == "15034098767"
    assert best("account-number", "1503.40.98767") == "15034098767"
    assert best("account-number", "kontonummeret er 1503 40 98768") is None  # MOD11 fails
    assert best("account-number", "jeg skal betale 1503 40 98767 kroner") is None  # an amount
    assert best("account-number", "fødselsnummeret er 1503 40 98767") is None  # another kind's label
    assert kind("account-number").read_back("15034098767").text == "femten null tre, førti, ni åtte syv seks syv"
    assert kind("account-number").group_names("15034098767") == ("første fire", "midten", "siste fem")


def test_org_number() -> None:
    assert best("org-number", "organisasjonsnummeret er ni to tre fire fem seks sju åtte tre") == "923456783"
    assert best("org-number", "orgnummer 987 654 325") == "987654325"
    assert best("org-number", "orgnummer 987 654 321") is None
    assert best("org-number", "fødselsnummeret mitt er femten ti åttiseks nittifem null åtte åtte") is None
    assert best("org-number", "ring meg på nittito trettifire femtiseks syttiåtte") is None
    assert kind("org-number").read_back("923456783").text == "ni to tre, fire fem seks, syv åtte tre"


def test_card_number() -> None:
    assert best("card-number", "kortnummeret er fire en en en, en en en en, en en en en, en en en en") == (
        "4111111111111111"
    )
    assert best("card-number", "4111 1111 1111 1111") == "4111111111111111"
    assert best("card-number", "4111 1111 1111 1112") is None  # Luhn fails
    assert best("card-number", "378282246310005") == "378282246310005"  # 15 digits
    assert kind("card-number").groups("378282246310005") == ("3782", "8224", "6310", "005")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postnummeret er null fem fem fem", "0555"),
        ("null fem fem fem", "0555"),
        ("nullfemfemfem", "0555"),
        ("femti femtifem", "5055"),
        ("det er 0555", "0555"),
        ("postnummeret mitt er fem tusen og femtifem, i Bergen", "5055"),
        ("Storgata 5, 0555 Oslo", "0555"),
        ("post nummer null fem fem fem", "0555"),
    ],
)
def test_postcode_hits(text: str, expected: str) -> None:
    assert best("postcode", text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "det koster femti femtifem kroner",
        "ring meg på nittito trettifire femtiseks syttiåtte",
        "jeg har bodd her siden nittenåttiseks og jobbet i kommunen i mange år etterpå",
        "null fem fem",
        "fødselsnummeret er null fem fem fem",
        "pinkoden er 4321",
        "klokka 1430",
        "det blir kr 5055",
        "we paid 4100 kroner",  # the quantity words of every pack
        "0000",  # postcodes run from 0001 to 9991
        "ni ni ni fem",
    ],
)
def test_postcode_negatives(text: str) -> None:
    assert best("postcode", text) is None


def test_an_english_value_taken_back_is_none() -> None:
    assert best("postcode", "three one four two, no hold on, that is the old one", "en") is None


def test_postcode_read_back_is_digit_by_digit() -> None:
    assert kind("postcode").read_back("0555").text == "null fem fem fem"
    assert kind("postcode").read_back("0555", language="en").text == "zero five five five"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("birth-number", "femten ti åttiseks nittifem null åtte sju, nei, åtte åtte", "15108695088"),
        ("birth-number", "15108695087, nei unnskyld, 88", "15108695088"),
        ("account-number", "kontonummeret er 1503 40 98766, nei vent, 67", "15034098767"),
        ("postcode", "null fem fem seks, nei, fem", "0555"),
        ("postcode", "null tre seks sju, nei, ikke sju, to", "0362"),
        ("birth-number", "femten ti åttiseks nittifem null sju, nei, ikke sju, åtte åtte", "15108695088"),
        ("postcode", "tre fem... tre fem null to", "3502"),
        ("postcode", "ja, det er femti tretti, fem null tre null", "5030"),
        ("postcode", "seks to null null, nei beklager, seks to null fem", "6205"),
    ],
)
def test_a_correction_of_the_last_digits(name: str, text: str, expected: str) -> None:
    assert best(name, text) == expected


def test_a_corrected_value_ranks_after_its_correction() -> None:
    found = kind("birth-number").candidates("55108612184, nei, 15108695088")
    assert [c.value for c in found] == ["15108695088"]  # the value said first is taken back by the "nei" after it
    assert kind("birth-number").candidates("15108695088, nei vent, det er datterens") == ()
    assert kind("postcode").candidates("null fem fem seks, nei vent, det er det gamle") == ()
    assert best("birth-number", "femten ti åttiseks nittifem null åtte sju, og så åtte åtte") is None  # no cue
