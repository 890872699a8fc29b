"""Spoken-number parsing: runs, ranked readings, variants and language codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sidecar_stt.core.numerals import LANGUAGES, normalize_language, parse_digit_readings

pytestmark = pytest.mark.unit


def best(text: str, language: str = "nb") -> list[str]:
    return [run.best.digits for run in parse_digit_readings(text, language=language)]


def all_digits(text: str, language: str = "nb") -> list[str]:
    (run,) = parse_digit_readings(text, language=language)
    return [r.digits for r in run.readings]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("nittito", "92"),
        ("tjuefem", "25"),
        ("null fire", "04"),
        ("ti", "10"),
        ("nitten", "19"),
        ("femogførti", "45"),
        ("fem og førti", "45"),
        ("toogtyve", "22"),
        ("sju syv", "77"),
        ("tjue tyve", "2020"),
        ("tretti tredve", "3030"),
        ("førti firti", "4040"),
        ("én en ein ett", "1111"),
        ("ni hundre og tjuetre", "923"),
        ("hundre og tolv", "112"),
        ("nitti to", "92"),
        ("92 34 56 78", "92345678"),
        ("923 45 678", "92345678"),
        ("92-34-56-78", "92345678"),
        ("92 trettifire 56 sytti åtte", "92345678"),
        ("nittito, eh, trettifire, altså, femtiseks", "923456"),
        ("NITTITO TRETTIFIRE", "9234"),
        ("nittiaatte aatte", "988"),
        ("to tusen og fem", "2005"),
        ("nitti-to", "92"),
        ("ni-to-tre", "923"),
    ],
)
def test_norwegian_best_reading(text: str, digits: str) -> None:
    assert best(text) == [digits]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("nine two three", "923"),
        ("nine oh five", "905"),
        ("double five", "55"),
        ("triple nine", "999"),
        ("ninety-two", "92"),
        ("ninety two", "92"),
        ("nine hundred and twenty-three", "923"),
        ("one thousand, two hundred and thirty-four", "1234"),
    ],
)
def test_english_best_reading(text: str, digits: str) -> None:
    assert best(text, "en") == [digits]


def test_swedish_and_danish_compounds() -> None:
    assert best("nittiotvå etthundratjugotre", "sv") == ["92123"]
    assert best("tooghalvfems fireogtredive", "da") == ["9234"]


def test_split_compound_keeps_both_readings_ranked() -> None:
    (run,) = parse_digit_readings("nitti to", language="nb")
    assert [r.digits for r in run.readings] == ["92", "902"]
    assert run.readings[0].score > run.readings[1].score
    assert sum(r.score for r in run.readings) == pytest.approx(1.0)
    assert run.readings[1].group_digits == ("90", "2")


def test_written_compound_is_never_split() -> None:
    assert all_digits("nittito") == ["92"]
    assert all_digits("femogførti") == ["45"]


def test_old_counting_said_apart_is_ambiguous() -> None:
    assert all_digits("fem og førti")[:2] == ["45", "540"]


def test_a_comma_flips_the_preference() -> None:
    assert all_digits("nitti, to")[0] == "902"


def test_groups_and_spans_point_into_the_text() -> None:
    text = "ring nittito, trettifire takk"
    (run,) = parse_digit_readings(text, language="nb")
    reading = run.best
    assert reading.group_digits == ("92", "34")
    assert [text[a:b] for a, b in (g.span for g in reading.groups)] == ["nittito", "trettifire"]
    assert text[reading.span[0] : reading.span[1]] == "nittito, trettifire"
    assert [g.form for g in reading.groups] == ["pair", "pair"]


def test_non_number_words_end_a_run() -> None:
    assert best("nittito og trettifire eller femtiseks") == ["9234", "56"]


def test_plus_starts_a_country_code_run() -> None:
    runs = parse_digit_readings("ring 22 pluss førtisju ni to", language="nb")
    assert [(r.plus, r.best.digits) for r in runs] == [(False, "22"), (True, "4792")]


def test_ordinary_words_are_not_numbers() -> None:
    assert parse_digit_readings("Tito og tien fra toget", language="nb") == []


def test_forms_of_groups() -> None:
    (run,) = parse_digit_readings("92 ni hundre tolv dobbel fem fire", language="nb")
    assert [(g.digits, g.form) for g in run.best.groups] == [
        ("92", "printed"),
        ("912", "hundreds"),
        ("55", "multiplied"),
        ("4", "digit"),
    ]


def test_min_digits_drops_short_runs() -> None:
    assert parse_digit_readings("fem år og nittito trettifire", language="nb", min_digits=3) == [
        parse_digit_readings("fem år og nittito trettifire", language="nb")[1]
    ]


def test_nfc_and_decomposed_input_agree() -> None:
    decomposed = "sytti\u0061\u030atte"  # "å" as a + combining ring
    assert best(decomposed) == ["78"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [("nb", "nb"), ("no", "nb"), ("nb-NO", "nb"), ("NB_no", "nb"), ("nn-NO", "nn"), ("en", "en"),
     ("en-US", "en"), ("sv-SE", "sv"), ("da", "da")],
)  # fmt: skip
def test_normalize_language(code: str, expected: str) -> None:
    assert normalize_language(code) == expected


@pytest.mark.parametrize("code", ["", "de", "xx-NO", "norsk"])
def test_normalize_language_rejects_unknown(code: str) -> None:
    with pytest.raises(ValueError):
        normalize_language(code)


def test_languages_constant() -> None:
    assert set(LANGUAGES) >= {"nb", "nn", "en"}
    with pytest.raises(ValueError):
        parse_digit_readings("ni", language="de")


def test_core_imports_without_livekit() -> None:
    code = (
        "import sys; sys.modules['livekit'] = None; "
        "import sidecar_stt.core.numerals, sidecar_stt.core.phone, sidecar_stt.core.readback; "
        "print(sidecar_stt.core.phone.extract_phone_numbers('92 34 56 78')[0].e164)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "+4792345678"


def test_partial_corrections_read_one_group() -> None:
    assert best("nei, det er førtiseks på slutten") == ["46"]
    assert best("no, it ends in seventy-eight", "en") == ["78"]
    (run,) = parse_digit_readings("nei, nitti to", language="nb")
    assert [r.digits for r in run.readings] == ["92", "902"]
