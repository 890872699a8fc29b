"""Whose number it is: one the caller tells of as someone else's is none; one offered as the contact is the number,
whoever it belongs to."""

from __future__ import annotations

import pytest

from sidecar_stt.core.languages import language_pack
from sidecar_stt.core.number_choice import choose_number
from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.whose import told_of

pytestmark = pytest.mark.unit


def _choice(text: str, language: str = "nb") -> tuple[str, tuple[str, ...]]:
    choice = choose_number(text, extract_phone_numbers(text, language=language), language=language)
    return choice.outcome, tuple(c.e164 for c in choice.candidates)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a sender: something came from the number
        ("Kollegaen min fikk en melding fra 41 82 60 33 i går, vet dere hva det er?", "nb"),
        ("Jeg har et tapt anrop fra nittifire tolv seksti åttisju.", "nb"),
        ("Kona mi fekk ei rekning frå 93 11 27 65.", "nn"),
        # someone else called from it
        ("Noen ringte meg fra 22 86 30 00 i natt.", "nb"),
        ("Kontoret ringte meg fra nittiåtte tolv null fire tjueen, hva ville de?", "nb"),
        ("Den som ringte hadde nummeret 45 67 89 01.", "nb"),
        ("I går ringte dere meg fra nummeret 23 45 98 10.", "nb"),
        ("Somebody called me from 92 34 56 78 last night.", "en"),
        # a caller ID read off the display
        ("På displayet sto det 48 20 17 66 da det ringte.", "nb"),
        # a holder outside the call, told of
        ("Sentralbordet har 22 33 44 55, men de svarer aldri.", "nb"),
        ("Den som ringte, nummeret hans var 98 44 71 20.", "nb"),
        ("Rørleggeren har nummeret nittiåtte førtifire syttien tjue, han kom aldri.", "nb"),
        ("My neighbour has the number 92 34 56 78 and got the same letter.", "en"),
        # the company's own number asked back
        ("Er nummeret til kundesenteret 23 45 98 10?", "nb"),
        ("Is your number 23 45 98 10?", "en"),
        # a question right after one naming the company
        ("Hvilket nummer har sentralbordet? Er det 22 33 44 55?", "nb"),
    ],
)  # fmt: skip
def test_a_number_told_of_as_someone_elses_is_none(text: str, language: str) -> None:
    found = extract_phone_numbers(text, language=language)
    assert found and found[0].lost_because == "someone_else", found
    assert _choice(text, language)[0] == "none"


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        # a relative's or a colleague's number given as the contact
        ("Ring kona mi på 41 82 60 33, hun tar telefonen.", "nb", "+4741826033"),
        ("Dere kan ringe kollegaen min på nittifire tolv seksti åttisju.", "nb", "+4794126087"),
        ("Det er sønnen min som skal ha beskjed, han har 98 44 71 20.", "nb", "+4798447120"),
        ("Jeg ringer på vegne av naboen min, nummeret hans er 22 86 30 00.", "nb", "+4722863000"),
        ("Please call my colleague on 92 34 56 78.", "en", "+4792345678"),
        ("Jeg ringer for naboen min, nummeret hennes er 92 34 56 78.", "nb", "+4792345678"),
        ("Han som skal ha timen er sønnen min, nummeret er 92 34 56 78.", "nb", "+4792345678"),
        ("Det er samme nummer som sentralbordet sa: 92 34 56 78.", "nb", "+4792345678"),
        # a relative's number stated plainly
        ("nummeret til mannen min er nittien tjueto trettitre førtifire", "nb", "+4791223344"),
        # the caller's own source and reach
        ("Jeg ringer fra 92 34 56 78.", "nb", "+4792345678"),
        ("Jeg ringte dere fra 45 90 31 72 i går.", "nb", "+4745903172"),
        ("Dere kan ringe meg på 41 82 60 33.", "nb", "+4741826033"),
        ("jeg har ringt tre ganger i dag nummeret er nittini tolv sekstiåtte tretti", "nb", "+4799126830"),
        # a question that is no question about the company
        ("Nummeret mitt er 41 82 60 33, har dere fått det?", "nb", "+4741826033"),
        ("Ringer kundeservice tilbake? Nummeret mitt er 41 82 60 33.", "nb", "+4741826033"),
    ],
)  # fmt: skip
def test_a_number_offered_as_the_contact_is_the_number(text: str, language: str, number: str) -> None:
    assert _choice(text, language) == ("number", (number,))


def test_a_denied_offer_offers_nothing() -> None:
    words = language_pack("nb").intent.whose
    for text, told in (
        ("Ikke ring naboen min, hun har 41 82 60 33.", True),
        ("Ring naboen min, hun har 41 82 60 33.", False),
    ):
        start = text.index("41")
        assert told_of(text, (start, start + len("41 82 60 33")), words) is told, text
