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
        ("Kan jeg få nummeret ditt?", "nb"),
        ("Hvilket nummer ringer du fra?", "nb"),
        ("Hva er mobilen din?", "nb"),
        ("Kva nummer kan vi nå deg på?", "nn"),
        ("Kan eg få nummeret ditt", "nn"),
        ("Jeg trenger telefonnummeret ditt.", "nb"),
        ("Da trenger jeg bare mobilnummeret ditt.", "nb"),
        ("Hvor kan vi nå deg?", "nb"),
        ("Hva er telefonnummeret ditt? Du kan si det to og to. Ta den tiden du trenger.", "nb"),
        ("Vad är ditt telefonnummer?", "sv"),
        ("Hvad er dit telefonnummer?", "da"),
        ("I'll need your phone number.", "en"),
        ("Please go ahead with your mobile number.", "en"),
        ("How can we reach you?", "en"),
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
        # other numbers, the phone as a device
        ("Hva er ordrenummeret ditt?", "nb"),
        ("Hva er kundenummeret ditt?", "nb"),
        ("Kan du oppgi fødselsnummeret ditt?", "nb"),
        ("Har du prøvd å starte telefonen på nytt?", "nb"),
        ("Have you tried restarting your phone?", "en"),
        # statements, negations, a number already done, read-backs
        ("Det vil si at nummeret ditt er lagret.", "nb"),
        ("Du trenger ikke oppgi nummeret ditt.", "nb"),
        ("Eg les opp nummeret: 92 34 56 78.", "nn"),
        ("Takk, nummeret ditt er registrert, er det noe mer?", "nb"),
        ("Thanks, I've saved your number, anything else?", "en"),
        ("Stemmer det at nummeret er nittito trettifire femtiseks syttiåtte?", "nb"),
        ("Les opp nøyaktig: 92 34 56 78, og spør om nummeret stemmer.", "nb"),
        ("Is that the right number: 92 34 56 78?", "en"),
    ],
)
def test_other_words_are_no_cue(text: str, language: str) -> None:
    assert not asks_for_number(text, language)


def test_only_the_end_of_a_long_reply_is_read() -> None:
    question = "Hva er telefonnummeret ditt?"
    assert asks_for_number("bla " * 1000 + question)
    assert not asks_for_number(question + " Fint." + " bla bla." * 100)
