"""Phone-number extraction: the corpus (per-style accuracy, zero false positives) and the candidate fields."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import phonenumbers
import pytest

from sidecar_stt.core.phone import PhoneCandidate, extract_phone_numbers

pytestmark = pytest.mark.unit

CORPUS = Path(__file__).parent / "data" / "numerals" / "phone_corpus.tsv"


def load_corpus() -> list[tuple[str, str, str | None, str]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        style, language, expected, text = line.split("\t")
        rows.append((style, language, None if expected == "-" else expected, text))
    return rows


def test_corpus_expectations_are_valid_numbers() -> None:
    rows = load_corpus()
    assert len(rows) > 100
    for _, _, expected, _ in rows:
        if expected is not None:
            assert phonenumbers.is_valid_number(phonenumbers.parse(expected))


def test_corpus_top1_accuracy_and_false_positives(capsys: pytest.CaptureFixture[str]) -> None:
    hits: dict[str, list[bool]] = defaultdict(list)
    false_positives: list[str] = []
    misses: list[str] = []
    for style, language, expected, text in load_corpus():
        found = extract_phone_numbers(text, language=language)
        if expected is None:
            if found:
                false_positives.append(text)
            continue
        ok = bool(found) and found[0].e164 == expected
        hits[style].append(ok)
        if not ok:
            misses.append(text)
    with capsys.disabled():
        for style, results in sorted(hits.items()):
            print(f"\n  {style:18s} top-1 {sum(results)}/{len(results)}", end="")
        total = [r for rs in hits.values() for r in rs]
        print(f"\n  overall top-1 {sum(total) / len(total):.3f}; false positives {len(false_positives)}")
    assert false_positives == []
    assert sum(total) / len(total) >= 0.99, misses


def test_unique_reading_scores_high() -> None:
    (cand,) = extract_phone_numbers("nummeret er nittito trettifire femtiseks syttiåtte")
    assert cand == PhoneCandidate(
        e164="+4792345678",
        digits="92345678",
        region="NO",
        span=(12, 50),
        score=cand.score,
        groups=("92", "34", "56", "78"),
        alternatives=(),
    )
    assert cand.score > 0.9


def test_ambiguous_words_with_one_valid_reading_score_high() -> None:
    (cand,) = extract_phone_numbers("nitti to 34 56 78")
    assert cand.e164 == "+4792345678"
    assert cand.score > 0.9
    assert cand.alternatives == ("902345678",)


def test_ambiguity_resolved_by_validity() -> None:
    # "nitti to" read as 92 gives 7 digits; only "90 2" makes a valid number.
    (cand,) = extract_phone_numbers("nitti to 34 56 7")
    assert cand.e164 == "+4790234567"
    assert cand.groups == ("90", "2", "34", "56", "7")
    assert "9234567" in cand.alternatives
    assert 0.5 < cand.score < 0.97


def test_rival_valid_readings_split_the_score() -> None:
    found = extract_phone_numbers("nitti to tretti fire fem og førti seks")
    assert {found[0].e164, found[1].e164} == {"+4792304456", "+4790234456"}
    assert found[0].score == pytest.approx(found[1].score)
    assert found[0].score < 0.5
    assert all(c.score <= found[1].score for c in found[2:])
    assert found[1].digits in found[0].alternatives


def test_span_and_groups_of_printed_number() -> None:
    text = "Ring meg på +47 923 45 678 i morgen."
    (cand,) = extract_phone_numbers(text)
    assert text[cand.span[0] : cand.span[1]] == "+47 923 45 678"
    assert cand.groups == ("923", "45", "678")


def test_two_numbers_in_one_run() -> None:
    found = extract_phone_numbers("92 34 56 78 og 41 23 45 67")
    assert sorted(c.e164 for c in found) == ["+4741234567", "+4792345678"]
    assert all(c.score > 0.9 for c in found)


def test_number_said_twice_is_returned_once() -> None:
    found = extract_phone_numbers("nittito trettifire femtiseks syttiåtte, ja, 92 34 56 78")
    assert [c.e164 for c in found] == ["+4792345678"]


@pytest.mark.parametrize(
    ("restarted", "corrected", "swallowed"),
    [
        (
            "førtisju tjueen, førtisju tjueen null fem åttitre",
            "førtisju tjueen, nei, førtisju tjueen null fem åttitre",
            "+4721472105",
        ),
        (
            "ni åtte fire, ni åtte fire null to seks sju en",
            "ni åtte fire, unnskyld, ni åtte fire null to seks sju en",
            "+4798498402",
        ),
        ("47 21, 47 21 05 83", "47 21, nei, 47 21 05 83", "+4721472105"),
    ],
)
def test_restart_without_correction_word_drops_the_first_attempt(
    restarted: str, corrected: str, swallowed: str
) -> None:
    found = extract_phone_numbers(restarted)
    (reference,) = extract_phone_numbers(corrected)
    assert found[0].e164 == reference.e164
    assert found[0].score > 0.9
    assert swallowed not in {c.e164 for c in found}


def test_a_repeated_start_without_a_longer_number_is_no_restart() -> None:
    assert [c.e164 for c in extract_phone_numbers("fire fem fire fem fire fem fire fem")] == ["+4745454545"]
    assert [c.e164 for c in extract_phone_numbers("ni ni ni ni ni ni ni ni")] == ["+4799999999"]
    twice = "nittito trettifire femtiseks syttiåtte nittito trettifire femtiseks syttiåtte"
    assert [c.e164 for c in extract_phone_numbers(twice)] == ["+4792345678"]


def test_foreign_number_keeps_its_region() -> None:
    (cand,) = extract_phone_numbers("+46 70 123 45 67")
    assert (cand.e164, cand.digits, cand.region) == ("+46701234567", "701234567", "SE")


def test_country_code_without_plus_scores_lower() -> None:
    (with_plus,) = extract_phone_numbers("pluss førtisju nittito trettifire femtiseks syttiåtte")
    (without,) = extract_phone_numbers("førtisju nittito trettifire femtiseks syttiåtte")
    assert with_plus.e164 == without.e164 == "+4792345678"
    assert without.score < with_plus.score


def test_extra_digits_lower_the_score() -> None:
    (clean,) = extract_phone_numbers("92 34 56 78")
    found = extract_phone_numbers("12 92 34 56 78")
    assert found[0].e164 == "+4792345678"
    assert found[0].score < clean.score


def test_nine_digits_said_in_one_breath_are_no_phone_number() -> None:
    # a ninth digit said in the same form goes on the same number: a 9-digit organisation number, or a mistake the
    # capture must ask about, never an 8-digit phone number with a stray digit
    (clean,) = extract_phone_numbers("ni to tre fire fem seks sju åtte")
    assert clean.e164 == "+4792345678"
    assert extract_phone_numbers("ni to tre fire fem seks sju åtte ni") == []
    assert extract_phone_numbers("nittito trettifire femtiseks syttiåtte nittien") == []
    # a digit before a number said digit by digit is a ninth digit too, spoken or printed; one said again is a stutter
    assert extract_phone_numbers("tre ni to tre fire fem seks sju åtte") == []
    assert extract_phone_numbers("Det er 3 9 2 3 4 5 6 7 8") == []
    assert [c.e164 for c in extract_phone_numbers("ni, ni to tre fire fem seks sju åtte")] == ["+4792345678"]
    # a different form after the number is still only a lower score (an address number, a stray word)
    (mixed,) = extract_phone_numbers("92 34 56 78 ni")
    assert mixed.e164 == "+4792345678" and mixed.score < clean.score


def test_an_article_before_the_number_is_not_an_extra_digit() -> None:
    (cand,) = extract_phone_numbers("ring meg på en 41 23 45 67")
    assert cand.e164 == "+4741234567"
    assert cand.score > 0.9


def test_other_region() -> None:
    (cand,) = extract_phone_numbers("070 123 45 67", region="SE")
    assert cand.e164 == "+46701234567"
    assert extract_phone_numbers("070 123 45 67", region="NO") == []


def test_bad_language_and_region() -> None:
    with pytest.raises(ValueError):
        extract_phone_numbers("92 34 56 78", language="de")
    with pytest.raises(ValueError):
        extract_phone_numbers("92 34 56 78", region="QQ")


@pytest.mark.parametrize("text", ["", "   ", "...", "+", "pluss", "og og og", "ni"])
def test_degenerate_input(text: str) -> None:
    assert extract_phone_numbers(text) == []


# ---- the compiled-metadata validator agrees with phonenumbers ----

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sidecar_stt.core import validation  # noqa: E402


def reference(number: str, region: str) -> tuple[str, str, str, int] | None:
    return validation.validate_with_library(number, region)


@settings(max_examples=400, deadline=None)
@given(st.text("0123456789", min_size=5, max_size=12))
def test_fast_national_validation_matches_phonenumbers(digits: str) -> None:
    validation.validate.cache_clear()
    assert validation.validate(digits, "NO") == reference(digits, "NO")


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(["47", "46", "45", "44", "49", "1", "39", "358", "354", "298", "850"]),
    st.text("0123456789", min_size=6, max_size=11),
)
def test_fast_international_validation_matches_phonenumbers(cc: str, nsn: str) -> None:
    validation.validate.cache_clear()
    assert validation.validate(f"+{cc}{nsn}", "NO") == reference(f"+{cc}{nsn}", "NO")


def test_fast_validation_on_known_numbers() -> None:
    for number in ["+4792345678", "+4779123456", "+46701234567", "+4580123456", "+447911123456"]:
        validation.validate.cache_clear()
        assert validation.validate(number, "NO") == reference(number, "NO") is not None


def test_a_label_before_a_plus_is_no_other_kind_of_number() -> None:
    # "code" names a PIN or a code in general, but a number said after a plus is a phone number
    (cand,) = extract_phone_numbers(
        "the code is plus four seven, nine two, three four, five six, seven eight", language="en"
    )
    assert cand.e164 == "+4792345678"
    assert extract_phone_numbers("the code is nine two three four five six seven eight", language="en") == []


def test_a_number_of_a_country_named_before_it_is_read_as_dialled_there() -> None:
    (cand,) = extract_phone_numbers("Mitt svenske nummer er 073-912 45 60", language="nb")
    assert cand.e164 == "+46739124560" and cand.region == "SE"
    (cand,) = extract_phone_numbers("My Swedish mobile is 073 912 45 60", language="en")
    assert cand.e164 == "+46739124560"
    # a number of the call's own region stays one, and no country named leaves nothing
    assert [c.e164 for c in extract_phone_numbers("Jeg bor i Sverige, men nummeret er 92 34 56 78")] == ["+4792345678"]
    assert extract_phone_numbers("Nummeret mitt er 073 912 45 60") == []
