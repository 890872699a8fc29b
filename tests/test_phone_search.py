"""The lenient reading: what the strict one cannot read whole is searched over the closed vocabulary of every pack.

Examples here are made up for the rules (not taken from the corpora): numbers other than the corpora's, with the
rule's words in other places.
"""

from __future__ import annotations

import pytest

from sidecar_stt.core.numerals import parse_digit_readings
from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit


def top(text: str, language: str = "nb") -> str | None:
    found = extract_phone_numbers(text, language=language)
    return found[0].e164 if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # compounds glued by the engine, split by the lexicon
        ("førtienfemtiseks syttini tolv", "+4741567912"),
        ("nittisjunullfire tjueåtte trettien", "+4797042831"),
        # cut-off starts and restarts
        ("nummeret er ni- nittisju, fi- førtiåtte, tjueto, elleve", "+4797482211"),
        ("seks... sekstiåtte ni ni tre tre fire fire", "+4768993344"),
        ("nitti nittiåtte tjue tjue ni ni", "+4798202099"),
        ("førtien, seks... sekstien, femten... femtisju, tolv", "+4741615712"),  # given up for a word of its start
        # ordinary short words read through, never a cue
        ("ni sju, sånn, fem fire, ja, tre to en en", "+4797543211"),
        # other languages inside the number, the call's own preferred
        ("nine seven five four, tre to en en", "+4797543211"),
        ("fire åtte, twenty-two, thirty, ni ni", "+4748223099"),
        # dialect spellings made by the pack's rules
        ("fir åtta, tjuesæks, fæmti, nittan", "+4748265019"),
        ("nittisjø tålv, tvo sju, sekstisjø", "+4797122767"),
        ("førtien ællve nittisjø tjuetvo", "+4741119722"),
        ("nittito fjort'n femt'n sytt'n", "+4792141517"),  # a teen's vowel elided with an apostrophe
        # a unit split from its tens word by the engine ("seks ti" is seksti), unless it ends a pair ("tjue ni ti")
        ("nittiåtte seks ti fire tretten fem ti", "+4798641350"),
        ("ni ti sju, åtte ti, tolv, sju ti to", "+4797801272"),
        ("fire ti en, sekstien, tjue ni ti", "+4741612910"),
        # a tens word and its unit printed apart by the engine
        ("Ja, det er 40 7 80 3 20 1 11", "+4747832111"),
        ("nummeret: 90 1, 30 4, 50 6, 12", "+4791345612"),
        # times words and dictated separators
        ("ni ni, to ganger sju, fem, tre ganger fire", "+4799775444"),
        ("nitti komma tolv komma trettifire komma femtiseks", "+4790123456"),
        ("ni to, to nuller, fire fem seks sju", "+4792004567"),  # a digit's plural after a count
        ("Førtien? Nittini? Tretten? Syttiåtte?", "+4741991378"),
    ],
)
def test_lenient_readings(text: str, expected: str) -> None:
    assert top(text) == expected


def test_a_digits_plural_in_english() -> None:
    assert top("nine one, three zeros, four five six", language="en") == "+4791000456"


def test_a_lenient_number_scores_below_a_strict_one() -> None:
    strict = extract_phone_numbers("ni sju fem fire tre to en en")[0]
    lenient = extract_phone_numbers("ni sju fem fire sånn tre to en en")[0]  # an ordinary word, read through
    assert strict.e164 == lenient.e164 and lenient.score < strict.score


def test_a_cue_word_is_never_read_through() -> None:
    runs = parse_digit_readings("ni sju fem fire, nei, tre to en en", search=True)
    assert [r.best.digits for r in runs] == ["9754", "3211"]


@pytest.mark.parametrize(
    "text",
    [
        "det var tjueto grader klokka fjorten",
        "vi kom fra to til fire, og tre ganger i uka",
        "ring meg mellom tolv og ett, eller etter fem",
        "jeg er førtifem, kona er førtito, og vi har to barn",
        "vi var 20 3 ganger, 40 5 dager og 30 2 år",
    ],
)
def test_no_number_is_made_of_ordinary_talk(text: str) -> None:
    assert extract_phone_numbers(text) == []


def test_strict_reading_is_unchanged_where_it_reads_a_number_whole() -> None:
    (run,) = parse_digit_readings("nittito trettifire femtiseks syttiåtte")
    assert run.best.digits == "92345678"
    assert parse_digit_readings("fir fæm", language="nb") == []  # respellings are the lenient reading's only
    assert parse_digit_readings("fir fæm", language="nb", search=True)[0].best.digits == "45"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a value set against another with a negation, no cue word
        ("førtien tolv trettifire femtiseks, altså trettifem, ikke trettifire", "+4741123556"),
        # the new value before its cue
        ("ni åtte sju seks, fem fire tre to. Tjueen på slutten, ikke trettito.", "+4798765421"),
        # the group before said again as an anchor
        ("nittiåtte sytten tjueto elleve, unnskyld, det er sytten tjuetre, ikke tjueto", "+4798172311"),
        # 'ikke X, Y' between parts of a number
        ("ni sju fire fire, nei, ikke fire, seks, en en to null", "+4797461120"),
    ],
)
def test_corrections_said_after_the_number(text: str, expected: str) -> None:
    assert top(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # slashes between printed groups
        ("Mobilen er 93/18/40/27.", "+4793184027"),
        # a teen's hundreds inside a number
        ("nittiåtte, tolv hundre, førtito", "+4798120042"),
        ("førtisju seksten hundre og tre ni ni", "+4747160399"),
        # a day said digit by digit is no date: teen pairs after single digits
        ("to fire, elleve, nitten, tretten", "+4724111913"),
        # a cut-off start said again in full
        ("Før- førtiåtte tolv null null trettini", "+4748120039"),
        ("Sy- syttitre sekstien null fire tjue", "+4773610420"),
        # a correction that names its place or confirms what was said
        ("førtiåtte null null to tre elleve, nei, nitten, ja nitten til slutt", "+4748002319"),
        ("nittiseks førti tretten åttito, altså førti, ikke fjorten, i midten", "+4796401382"),
        # old and new, a preference the rest of the sentence states
        ("Førti tolv null null åtte åtte er det nye. Nittiseks tjue null fire elleve kan dere slette.", "+4740120088"),
        ("Hjemme er 62 40 11 90 og mobil 91 70 44 28, men ring hjem.", "+4762401190"),
        ("Jobben er 22 90 11 40, men det er betre å ringje mobilen, 48 71 30 22.", "+4748713022"),
    ],
)  # fmt: skip
def test_positions_stutters_separators_and_hundreds(text: str, expected: str) -> None:
    assert top(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tjuefire tolv nitten hundre og åttifire",  # a date with its year in hundreds
        "Beløpet er på 3 120 000, og renta er to komma tre.",  # an amount
        "Lånet er 1 850 000",
    ],
)
def test_dates_and_amounts_stay_no_number(text: str) -> None:
    found = extract_phone_numbers(text, language="nb")
    assert not found or found[0].lost_because, found
