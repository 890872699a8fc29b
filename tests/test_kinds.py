"""The kind protocol: every built-in kind is a ``Kind``, is found by name, reads its own read-back back to the same
value, keeps a secret value out of ``repr``, and stays bounded on hostile input."""

from __future__ import annotations

import datetime
import time

import pytest

import sidecar_stt
from sidecar_stt.core.kinds import KINDS, Kind, KindCandidate, SpokenValue, kind, mask
from sidecar_stt.core.kinds.date_of_birth import DateOfBirthKind

pytestmark = pytest.mark.unit

VALUES = {
    "phone": "+4792345678",
    "birth-number": "15108695088",
    "date-of-birth": "1986-10-15",
    "postcode": "0555",
    "email": "kari.nordmann@gmail.com",
    "account-number": "15034098767",
    "org-number": "923456783",
    "card-number": "4111111111111111",
}
"""A valid value of each built-in kind."""


def test_every_built_in_kind_is_a_kind_found_by_its_name() -> None:
    assert list(KINDS) == list(VALUES)
    for name, found in KINDS.items():
        assert isinstance(found, Kind)
        assert kind(name) is found and found.name == name
    with pytest.raises(ValueError, match="unknown kind 'shoe-size'; expected one of phone, birth-number"):
        kind("shoe-size")
    assert sidecar_stt.kind is kind and sidecar_stt.KindCandidate is KindCandidate


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("name", list(VALUES))
def test_the_read_back_reads_back_to_the_same_value(name: str, language: str) -> None:
    found = kind(name)
    value = VALUES[name]
    assert found.validate(value)
    spoken = found.read_back(value, language=language)
    assert isinstance(spoken, SpokenValue) and spoken.text
    assert len(found.group_names(value, language=language)) == len(spoken.groups)
    again = found.candidates(spoken.text, language=language)
    assert again and again[0].value == value, spoken.text


@pytest.mark.parametrize("name", list(VALUES))
def test_normalize_gives_the_value_as_written(name: str) -> None:
    assert kind(name).normalize(VALUES[name]) == VALUES[name]


def test_a_card_number_never_shows_in_repr_or_str() -> None:
    (card,) = kind("card-number").candidates("kortnummeret er 4111 1111 1111 1111")
    assert card.value == "4111111111111111" and card.secret
    for shown in (repr(card), str(card), f"{card}", repr([card])):
        assert "4111111111111111" not in shown and "4111" not in shown.replace("1111", "")
        assert "************1111" in shown
    assert mask("4111111111111111") == "************1111"
    plain = kind("org-number").candidates("orgnummer 923 456 783")[0]
    assert "923456783" in repr(plain)


HOSTILE = [
    "null " * 5000,
    "krøllalfa punktum " * 2000,
    "femtende oktober " * 1500,
    "a " * 10000,
    "9" * 50000,
    ("ja " * 400) + "fødselsnummeret er femten ti åttiseks nittifem null åtte åtte",
]


@pytest.mark.parametrize("name", list(VALUES))
def test_hostile_input_is_read_in_bounded_time(name: str) -> None:
    found = kind(name)
    for text in HOSTILE:
        started = time.process_time()
        result = found.candidates(text)
        assert time.process_time() - started < 5.0, (name, text[:20])  # a guard against runaway work, not a target
        assert all(c.kind == name for c in result)
    tail = found.candidates(HOSTILE[-1])
    if name == "birth-number":
        assert tail[0].value == "15108695088"


def test_the_date_range_follows_today() -> None:
    early = DateOfBirthKind(today=datetime.date(2001, 1, 1))
    late = DateOfBirthKind(today=datetime.date(2026, 12, 7))
    text = "jeg er født femtende oktober nittenåttiseks"
    assert not early.candidates(text)  # 14 years old on that day
    assert late.candidates(text)[0].value == "1986-10-15"


def test_phone_as_a_kind_follows_the_phone_reader() -> None:
    from sidecar_stt.core.phone import extract_phone_numbers

    phone = kind("phone")
    text = "ring meg på nittito trettifire femtiseks syttiåtte"
    (found,) = extract_phone_numbers(text)
    (candidate,) = phone.candidates(text)
    assert (candidate.value, candidate.score, candidate.span) == (found.e164, found.score, found.span)
    assert phone.read_back(candidate.value).text == "nittito, trettifire, femtiseks, syttiåtte"
    two = phone.candidates("jobbnummeret er 22 33 44 55, og mobilen er 91 23 45 67")
    assert [c.value for c in two] == ["+4722334455", "+4791234567"]  # the words leave both: in the order said
    assert phone.candidates("nittito trettifire femtiseks syttiåtte, nei, stryk det") == ()
