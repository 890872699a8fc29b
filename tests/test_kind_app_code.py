"""App codes built from a spec: a digit code with a Luhn check digit and a booking reference of letters and
digits, spelled with Norwegian letter names, "A som i Anna", "B for Bertil"."""

from __future__ import annotations

import string

import pytest

from sidecar_stt.core.kinds import Kind, app_code
from sidecar_stt.core.kinds.app_code import mod11_valid

pytestmark = pytest.mark.unit

CUSTOMER = app_code("customer-number", length=(7, 7), alphabet=string.digits, check="luhn")
BOOKING = app_code("booking-reference", length=(6, 6), alphabet=string.ascii_uppercase + "23456789")


def best(code: Kind, text: str) -> str | None:
    found = code.candidates(text)
    return found[0].value if found else None


def test_the_spec_builds_a_kind() -> None:
    assert isinstance(CUSTOMER, Kind) and isinstance(BOOKING, Kind)
    with pytest.raises(ValueError, match="length"):
        app_code("x", length=(5, 4))
    with pytest.raises(ValueError, match="upper case"):
        app_code("x", length=(4, 4), alphabet="abc")
    with pytest.raises(ValueError, match="unknown check-digit scheme"):
        app_code("x", length=(4, 4), check="crc")  # type: ignore[arg-type]


def test_customer_number_with_luhn() -> None:
    assert best(CUSTOMER, "kundenummeret er en to tre fire fem seks seks") == "1234566"
    assert best(CUSTOMER, "tolv trettifire femtiseks seks") == "1234566"
    assert best(CUSTOMER, "1234566") == "1234566"
    assert best(CUSTOMER, "kundenummeret er en to tre fire fem seks sju") is None  # Luhn fails
    assert best(CUSTOMER, "ring meg på nittito trettifire femtiseks syttiåtte") is None
    assert CUSTOMER.read_back("1234566").text == "en to tre, fire fem seks, seks"


def test_mod11_scheme() -> None:
    assert mod11_valid("923456783") and not mod11_valid("923456784")
    order = app_code("order-number", length=(9, 9), check="mod11")
    assert best(order, "kontonummer ni to tre fire fem seks sju åtte tre") is None  # another kind's label
    assert best(order, "ni to tre fire fem seks sju åtte tre") == "923456783"


@pytest.mark.parametrize(
    "text",
    [
        "bestillingsreferansen er K sju X to P Q",
        "K7X2PQ",
        "kå som i Karin sju eks to pe ku",
        "det er kå, sju, eks, to, pe, ku",
        "k for kristian 7 x 2 p for petter q",
        "K7X-2PQ",
        "Karin sju Xerxes to Petter Quintus",  # the Norwegian spelling alphabet
        "Jeg ser på bekreftelsen nå, og der står det K 7 X 2 P Q",  # digits in a code are evidence in a long sentence
    ],
)
def test_booking_reference_hits(text: str) -> None:
    assert best(BOOKING, text) == "K7X2PQ"


@pytest.mark.parametrize(
    "text",
    [
        "jeg vil gjerne endre bestillingen min i morgen",
        "bestillingsreferansen er K sju X en P Q",  # 1 is not allowed
        "bestillingsreferansen er K sju X to P",  # five characters
        "ring meg på nittito trettifire femtiseks syttiåtte",
    ],
)
def test_booking_reference_negatives(text: str) -> None:
    assert best(BOOKING, text) is None


def test_booking_reference_read_back_by_letter_names() -> None:
    assert BOOKING.read_back("K7X2PQ").text == "kå syv eks, to pe ku"
    assert BOOKING.group_names("K7X2PQ") == ("første del", "andre del")


@pytest.mark.parametrize("code", [CUSTOMER, BOOKING])
def test_hostile_input_is_read_in_bounded_time(code: Kind) -> None:
    import time

    for text in ("a " * 10000, "K7X2PQ " * 3000, "en " * 8000, "-" * 20000):
        started = time.process_time()
        code.candidates(text)
        assert time.process_time() - started < 5.0  # a guard against runaway work, not a target


def test_the_spelling_alphabet_in_english_and_never_in_an_address() -> None:
    assert BOOKING.candidates("kilo seven x-ray two papa quebec", language="en")[0].value == "K7X2PQ"
    from sidecar_stt.core.kinds import kind

    assert kind("email").candidates("anna krøllalfa gmail punktum com")[0].value == "anna@gmail.com"
