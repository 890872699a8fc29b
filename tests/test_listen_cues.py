"""Which of the agent's words mean the caller is about to say a phone number (on-demand engines start then)."""

from __future__ import annotations

import pytest

from sidecar_stt.core.listen_cues import asks_for_number


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hva er telefonnummeret ditt?", "nb"),
        ("Så hyggelig. Kan du oppgi mobilnummeret ditt", "nb"),
        ("Hvilket nummer kan vi nå deg på?", "nb"),
        ("Kva er telefonnummeret ditt?", "nn"),
        ("Jeg fikk ikke med meg alt. Si nummeret en gang til, gjerne sakte.", "nb"),
        ("What is your phone number?", "en"),
        ("Could you tell me the best number to reach you on", "en"),
    ],
)
def test_a_request_for_the_number_is_a_cue(text: str, language: str) -> None:
    assert asks_for_number(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Takk, nummeret er registrert. Er det noe mer jeg kan hjelpe med?", "nb"),
        ("Hva kan jeg hjelpe deg med i dag?", "nb"),
        ("Mm, skjønner.", "nb"),
        ("Thanks, your number is saved. Anything else?", "en"),
        ("", "nb"),
    ],
)
def test_other_words_are_no_cue(text: str, language: str) -> None:
    assert not asks_for_number(text, language)


def test_only_the_end_of_a_long_reply_is_read() -> None:
    question = "Hva er telefonnummeret ditt?"
    assert asks_for_number("bla " * 1000 + question)
    assert not asks_for_number(question + " Fint." + " bla bla." * 100)
