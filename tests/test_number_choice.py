"""Two numbers and no word saying which: the reader says so (``ambiguous``), the capture asks and takes the answer."""

from __future__ import annotations

import itertools

import pytest

from sidecar_stt.core.capture import PhoneCaptureMachine
from sidecar_stt.core.fusion import Evidence
from sidecar_stt.core.number_choice import choose_number
from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.readback import read_back
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit

TWO = "jobbnummeret er 22 33 44 55, og mobilen er 91 23 45 67"


def choice(text: str, language: str = "nb") -> tuple[str, list[str], tuple[str, ...]]:
    made = choose_number(text, extract_phone_numbers(text, language=language), language=language)
    return made.outcome, [c.e164 for c in made.candidates], made.labels


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (TWO, ("jobbnummeret", "mobilen")),
        ("Du kan nå meg på 97 20 13 55 eller 46 81 39 02.", ("", "")),
        ("22 33 44 55 er på jobben og 91 23 45 67 er privat", ("jobben", "privat")),
    ],
)
def test_two_numbers_without_a_preference_are_ambiguous_with_their_labels(text: str, labels: tuple[str, str]) -> None:
    outcome, numbers, said = choice(text)
    assert outcome == "ambiguous"
    assert len(numbers) == 2
    assert said == labels


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("jobbnummeret er 22 33 44 55, men ring helst mobilen, 91 23 45 67", "+4791234567"),
        ("Mobil: 40 55 83 12. Fast: 33 18 26 70. Mobilen er best.", "+4740558312"),
        ("jeg byttet fra 92 61 08 20 til 46 31 12 84", "+4746311284"),
        ("99 80 15 10 er det nye nummeret mitt, ikke 47 02 37 91", "+4799801510"),
        ("nummeret er nittito trettifire femtiseks syttiåtte", "+4792345678"),
    ],
)
def test_words_that_say_which_number_need_no_question(text: str, meant: str) -> None:
    outcome, numbers, _ = choice(text)
    assert (outcome, numbers[0]) == ("number", meant)


@pytest.mark.parametrize(
    "text",
    ["Ikke ring 47 82 05 39, det er ikke mitt lenger.", "det koster 299 kroner", ""],
)
def test_no_number_to_register(text: str) -> None:
    assert choice(text)[0] == "none"


def test_rival_readings_of_the_same_words_are_no_choice() -> None:
    outcome, numbers, _ = choice("nitti to 34 56 78")
    assert outcome == "number" and numbers == ["+4792345678"]


def azure(text: str) -> list[Evidence]:
    return [Evidence("azure", "sidecar", (Alternative(text, 0.9),))]


def machine() -> PhoneCaptureMachine:
    clock = itertools.count(100)
    return PhoneCaptureMachine(now=lambda: float(next(clock)))


@pytest.mark.parametrize(("answer", "meant"), [("mobilen", "+4791234567"), ("det første", "+4722334455")])
def test_the_capture_asks_which_and_the_answer_picks_one(answer: str, meant: str) -> None:
    m = machine()
    step = m.offer(azure(TWO), utterance_id="u1")
    assert step.reason == "ask_which" and step.proposal is None and m.state == "waiting"
    for number, label in (("+4722334455", "jobbnummeret"), ("+4791234567", "mobilen")):
        assert f'"{read_back(number, language="nb", style="pairs")} ({label})"' in step.instruction
    step = m.offer(azure(answer), utterance_id="u2")
    assert step.reason == "proposed" and step.proposal is not None
    assert step.proposal.e164 == meant


def test_an_answer_that_names_neither_asks_nothing_new() -> None:
    m = machine()
    m.offer(azure(TWO), utterance_id="u1")
    step = m.offer(azure("hva sa du"), utterance_id="u2")
    assert step.reason != "proposed" and step.proposal is None


def test_an_answer_that_says_one_number_again_proposes_it() -> None:
    m = machine()
    m.offer(azure(TWO), utterance_id="u1")
    step = m.offer(azure("91 23 45 67"), utterance_id="u2")
    assert step.proposal is not None and step.proposal.e164 == "+4791234567"
