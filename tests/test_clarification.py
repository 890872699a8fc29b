"""Clarifications inside a number ("sytten, som i én sju") are the group said again, not more digits.

Made-up numbers, not the corpora's.
"""

from __future__ import annotations

import pytest

from sidecar_stt.core.clarification import drop_clarifications
from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("førtiåtte, tretten, som i en tre, seksti, nittito", "+4748136092"),
        ("nittifem seksten som i én seks, tolv, åtti som i åtte null", "+4795161280"),
        ("ni ni, null som i ingenting, tre, tjueen, sekstifire", "+4799032164"),
        ("ni ni, sytten som i en sju, førti, tolv", "+4799174012"),
        ("nittito, tretten, altså en tre, ikke tretti, førtiåtte, sekstien", "+4792134861"),  # and not thirty
        # a denied alternative between a group and the group said again
        ("det er fire sju, ikkje fire åtte, fire sju, tolv, nitti, femti", "+4747129050"),
        ("nittifem, ikke nittini, nittifem, trettien, tjue, åtti", "+4795312080"),
    ],
)
def test_a_clarified_group_is_read_once(text: str, expected: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    assert found and found[0].e164 == expected


def test_offsets_are_kept_and_other_digits_are_left_to_be_read() -> None:
    text = "tretten, som i en tre, og femten som i en seks"
    out = drop_clarifications(text, "nb")
    assert len(out) == len(text)
    assert out.startswith("tretten, ") and "en tre" not in out  # the same digits: blanked
    assert out.endswith("femten som i en seks")  # other digits than the group's: left as said


def test_text_without_the_cue_is_untouched() -> None:
    text = "nittito sytten en sju førtifem"
    assert drop_clarifications(text, "nb") is text


def test_a_correction_after_altsa_is_no_clarification() -> None:
    text = "ni sju tjuetre seksti tolv, altså sekstien, ikke seksti"  # other digits than the group's: a correction
    assert drop_clarifications(text, "nb") == text


def test_a_denial_without_the_group_again_is_left_to_be_read() -> None:
    text = "nittifem, ikke nittini, trettien"  # a correction or a doubt, not a clarification
    assert drop_clarifications(text, "nb") == text
