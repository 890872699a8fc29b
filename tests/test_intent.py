"""The number the caller means comes first; the others stay, with the reason they lost."""

from __future__ import annotations

import pytest

from sidecar_stt.core.number_choice import choose_number
from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "language", "intended", "loser", "why"),
    [
        ("nittito trettifire femtiseks syttiåtte, nei unnskyld, førtien tjuetre førtifem sekstisju", "nb",
         "+4741234567", "+4792345678", "retracted"),
        ("nittito trettifire femtiseks syttiåtte, nei, det skal være femtisju, ikke femtiseks", "nb",
         "+4792345778", "+4792345678", "corrected"),
        ("92 34 56 78, nei forresten, 78 skulle være 79", "nb", "+4792345679", "+4792345678", "corrected"),
        ("det gamle var førtifem sekstisju åttini tolv, nå har jeg nittiåtte sekstifem førtitre tjueen", "nb",
         "+4798654321", "+4745678912", "old_number"),
        ("nummeret til mannen min er 41 23 45 67, mitt er 92 34 56 78", "nb", "+4792345678", "+4741234567",
         "someone_else"),
        ("jobben er 22 33 44 55, men ring helst mobilen, 92 34 56 78", "nb", "+4792345678", "+4722334455",
         "not_preferred"),
        ("hjemme har vi 62 51 40 39, men det er best å ringe mobilen, 48 20 17 66", "nb", "+4748201766",
         "+4762514039", "not_preferred"),
        ("eg har skifta frå 41 22 90 17 til 92 40 11 63", "nn", "+4792401163", "+4741229017", "old_number"),
        ("Send en melding til 97 30 12 44, ikke ring kontoret på 23 11 80 45.", "nb", "+4797301244", "+4723118045",
         "old_number"),
        ("nummeret til sønnen min er 41 80 22 90, men det er meg dere skal ha, 93 12 45 07", "nb", "+4793124507",
         "+4741802290", "someone_else"),
        ("my old number was nine two three four five six seven eight, the new one is four one two three four "
         "five six seven", "en", "+4741234567", "+4792345678", "old_number"),
        ("Jobben har jeg sluttet i, men mobilen er 92 34 56 78. Det gamle, 41 23 45 67, kan dere se bort fra.", "nb",
         "+4792345678", "+4741234567", "old_number"),
        # a word alone setting each number in time
        ("Nummeret har endret seg, før 92 11 22 33, i dag 41 55 66 77", "nb", "+4741556677", "+4792112233",
         "not_preferred"),
        ("It changed: previously 92 11 22 33; now 41 55 66 77", "en", "+4741556677", "+4792112233", "not_preferred"),
        ("Jeg har 41 22 33 44 og 92 34 56 78, men det første sjekker jeg mest", "nb", "+4741223344", "+4792345678",
         "not_preferred"),
        ("Jobbnummeret er 22 33 44 55 men ring meg på mobilen, 92 34 56 78", "nb", "+4792345678", "+4722334455",
         "not_preferred"),
        ("The office has 22 33 44 55 but use my cell, 92 34 56 78", "en", "+4792345678", "+4722334455",
         "not_preferred"),
    ],
)  # fmt: skip
def test_intended_first_and_why_the_other_lost(text: str, language: str, intended: str, loser: str, why: str) -> None:
    found = extract_phone_numbers(text, language=language)
    assert found[0].e164 == intended and found[0].lost_because == ""
    lost = next(c for c in found if c.e164 == loser)
    assert lost.lost_because == why and lost.score < found[0].score


@pytest.mark.parametrize(
    ("text", "intended"),
    [
        ("nittini null ni, nei unnskyld, førtien åttisju tjueto", "+4799418722"),
        ("94 47, eller 20 mener jeg, 05 14", "+4794200514"),
        ("førtiseks sekstisju åttiseks nittien, nei, femtitre", "+4746678653"),
        # the part set against is said again whole before the new one
        ("ni åtte tre en, fire fem null null, ikke fire fem null null, fire fem null ni", "+4798314509"),
        # the value denied begins what follows it, which alone reads as a number
        ("nittito, sekstien, nei ikke sekstien, sekstito, tretti, tolv", "+4792623012"),
        # an apology for a pause between two parts that make the whole number: it goes on, nothing is replaced
        ("førtien tjue, hm, unnskyld, trettitre femti", "+4741203350"),
        # the value put right, then the whole number said again in the same run
        ("fire en to en, nei ikke en, tre, fire en to tre fem fem seks seks", "+4741235566"),
        ("førtien seksti … eller var det sytti … jo, sytti, førtien sytti tjue tretten", "+4741702013"),
        # two groups said in the wrong order: the values said after the swap take their places, else they change
        ("førtien tolv åttito femtifem, nei, bytt om de to i midten: åttito tolv", "+4741821255"),
        ("nittiåtte tretti seksti fjorten, bytt om de to siste", "+4798301460"),
        ("femtiseks nittini tjueen sytti, snu de to første", "+4799562170"),
        # "sorry" in Norwegian talk: the number said after it is the one
        ("Det er 41 52 63 70. Sorry, 41 52 63 07, jeg snudde de to siste.", "+4741526307"),
    ],
)
def test_a_group_replaced_in_the_same_breath(text: str, intended: str) -> None:
    found = extract_phone_numbers(text)
    choice = choose_number(text, found)
    assert choice.outcome == "number" and choice.candidates[0].e164 == intended


def test_two_numbers_without_any_cue_keep_the_parsers_order() -> None:
    found = extract_phone_numbers("92 34 56 78 og 41 23 45 67")
    assert [c.e164 for c in found] == ["+4792345678", "+4741234567"]
    assert all(c.lost_because == "" for c in found)


def test_parts_are_joined_only_across_a_correction() -> None:
    # two fragments with an ordinary word between them are no number (no cue: the words are not joined)
    assert extract_phone_numbers("nittito trettifire ringte jeg i går, femtiseks syttiåtte") == []


@pytest.mark.parametrize(
    ("text", "language", "why"),
    [
        # taken back and none given instead
        ("nittifem trettito seksti atten, nei, glem det, jeg har det ikke her", "nb", "retracted"),
        ("41 72 30 96, vent, det stemmer ikke, jeg sender det på SMS senere", "nb", "retracted"),
        ("sekstien tolv nitti femtiåtte, stryk det, dere får ikke noe nummer", "nb", "retracted"),
        ("my number is nine four one two three four five six, scratch that, don't call me", "en", "retracted"),
        # disowned
        ("Jeg leste opp 92 10 47 33, men det er ikke mitt, det er søsterens.", "nb", "old_number"),
        ("nittitre førti elleve sytti, det er ikkje mitt nummer", "nb", "old_number"),
        # told of in a story: the number someone else was called on
        ("Jeg ringte tannlegen på 23 40 51 86 i forrige uke, og ingen tok telefonen.", "nb", "someone_else"),
        ("eg ringde kommunen på tjueto nitti førtifire tretten, men fekk ikkje svar", "nb", "someone_else"),
        ("Last week I called the garage on nine one two three four five six seven.", "en", "someone_else"),
        ("Vi forsøkte å ringe legevakten på 41 20 77 35 hele natta.", "nb", "someone_else"),
        # an example of a form, not a number given
        ("Må det skrives for eksempel 41 41 41 41, med mellomrom?", "nb", "example"),
        ("Do you want it like, for example, four one two three four five six seven?", "en", "example"),
        # not to be called: the one it belongs to is told of after it
        ("Broren min har 41 22 33 44, men aldri ring ham på kvelden.", "nb", "someone_else"),
        ("My brother has four one two two three three four four, but don't call him.", "en", "someone_else"),
        ("I tried to call the office on nine one two three four five six seven.", "en", "someone_else"),
        # a bare 'ikke' in the number's own clause, and a word said of it after it
        ("Nei, ikke 92 10 47 33.", "nb", "old_number"),
        ("41 72 30 96, det brukte jeg før.", "nb", "old_number"),
    ],
)  # fmt: skip
def test_the_only_number_taken_back_disowned_or_told_of_is_none(text: str, language: str, why: str) -> None:
    found = extract_phone_numbers(text, language=language)
    assert found and all(c.lost_because for c in found)
    assert found[0].lost_because == why
    assert choose_number(text, found, language=language).outcome == "none"


@pytest.mark.parametrize(
    ("text", "intended"),
    [
        ("Endre nummeret til 41 63 20 95, det gamle er lagt ned og registrert før.", "+4741632095"),
        ("nå er det 92 48 10 36, det gamle med sytti i starten er sagt opp", "+4792481036"),
    ],
)
def test_a_clause_naming_another_number_says_nothing_of_this_one(text: str, intended: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    choice = choose_number(text, found, language="nb")
    assert choice.outcome == "number" and choice.candidates[0].e164 == intended


@pytest.mark.parametrize(
    "text",
    [
        "Jeg ringte dere i går fra 45 90 31 72, og det er det nummeret jeg vil bruke.",  # called from it
        "dere ringte meg på nittito tretti femti seksten forrige uke",  # reached the caller on it
        "det ringte på døra, unnskyld, nittisju tretti elleve førtifire",  # no call told of: the doorbell
        "92 10 47 33, nei vent, det er riktig",  # a doubt the caller settles
        "Vent, ikke skriv ennå. Nå: nittiseks tjueen førtito tretten.",  # 'ikke' of another sentence
        "Jeg vet ikke om det går, men prøv 92 10 47 33.",  # 'ikke' of another clause
        "Jeg er ikke hjemme i dag, så det er 41 72 30 96.",
        "Du kan for eksempel ringe meg på 41 72 30 96.",  # an example that is an offer
        "Nummeret er 41 72 30 96, helst før tolv.",  # 'før' of a time, not of the number
    ],
)
def test_calls_to_the_caller_and_settled_doubts_keep_the_number(text: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    assert choose_number(text, found, language="nb").outcome == "number"


@pytest.mark.parametrize(
    ("text", "intended"),
    [
        ("førtiseks, hunden bjeffer, tolv, åtti, trettini", "+4746128039"),
        ("Det er 47 19, vent, nå går jeg inn i en heis, 63 08.", "+4747196308"),  # "vent" begins the aside
        ("nittien, jeg står på toget og det bråker litt, åtte sju, femti, null to", "+4791875002"),
    ],
)
def test_parts_of_a_number_around_an_aside_are_one(text: str, intended: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    choice = choose_number(text, found, language="nb")
    assert choice.outcome == "number" and choice.candidates[0].e164 == intended


@pytest.mark.parametrize(
    "text",
    [
        "førtiseks tolv er romnummeret. Åtti trettini er koden",  # a sentence break between the parts
        "førtiseks tolv, nei, det gamle var åtti trettini, jeg har glemt resten",  # cue words between
        "førtiseks tolv sa broren min, og naboen sa åtti trettini",  # no aside set off by commas on both sides
    ],
)
def test_parts_around_a_break_or_a_cue_stay_apart(text: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    assert choose_number(text, found, language="nb").outcome == "none"


@pytest.mark.parametrize(
    "text",
    [
        "det er 41 22 63 90 eller 97 15 08 44, ta hvilket som helst",
        "jobben er 22 70 41 36 og mobilen 93 61 20 58, bruk den du vil",
        "mannen min har 41 30 22 87 og jeg har 95 60 14 02, bare ring en av oss",
        "Mobilen er 48 11 90 27. Eller jobben, 22 60 13 45. Begge funker.",
        "you can use nine one two three four five six seven or four one two three four five six seven, whichever",
    ],
)
def test_a_choice_left_open_is_a_question(text: str) -> None:
    language = "en" if text.startswith("you") else "nb"
    found = extract_phone_numbers(text, language=language)
    assert choose_number(text, found, language=language).outcome == "ambiguous"
