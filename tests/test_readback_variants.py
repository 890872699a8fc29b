"""Read-backs say the form of a number word the caller used (sju/syv, tjue/tyve, tretti/tredve, førti/firti),
or the one the app fixes; num2words' form otherwise."""

from __future__ import annotations

import itertools

import pytest

from sidecar_stt.core.capture import PhoneCaptureMachine
from sidecar_stt.core.fusion import Evidence
from sidecar_stt.core.languages import LANGUAGES, language_pack
from sidecar_stt.core.numerals import get_lexicon, parse_digit_readings
from sidecar_stt.core.readback import check_variants, heard_variants, read_back, read_back_groups
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit

SEVENS = "+4797277747"  # 97 27 77 47: a seven and a tens word with variants in every pair


def test_without_variants_the_read_back_is_num2words_as_before() -> None:
    assert read_back(SEVENS, language="nb") == "nittisyv, tjuesyv, syttisyv, førtisyv"
    assert read_back(SEVENS, language="nn") == "nittisju, tjuesju, syttisju, førtisju"
    assert read_back("+4793304047", language="nb") == "nittitre, tretti, førti, førtisyv"


def test_named_variants_are_said_inside_compounds_too() -> None:
    assert read_back(SEVENS, language="nb", variants=("sju", "tyve")) == "nittisju, tyvesju, syttisju, førtisju"
    assert read_back("+4793304047", language="nb", variants=("tredve", "firti")) == "nittitre, tredve, firti, firtisyv"
    assert read_back(SEVENS, language="nn", variants=("syv", "tjuge")) == "nittisyv, tjugesyv, syttisyv, førtisyv"
    assert read_back_groups(["27", "07"], language="nb", variants=("sju",)) == ["tjuesju", "null sju"]
    # the default form named, or named in capitals, is the default read-back
    assert read_back(SEVENS, language="nb", variants=("SYV", "tjue")) == read_back(SEVENS, language="nb")


def test_of_two_forms_of_one_word_the_later_wins() -> None:
    assert read_back(SEVENS, language="nb", variants=("sju", "syv")) == read_back(SEVENS, language="nb")
    assert read_back(SEVENS, language="nb", variants=("syv", "sju")).startswith("nittisju")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_variant_read_back_parses_back_to_its_digits(language: str) -> None:
    families = language_pack(language).read_back.variants
    choices = [(), *((form,) for family in families for form in family[1:])]
    choices.append(tuple(family[-1] for family in families))
    for variants in choices:
        for value in range(1000):
            text = read_back_groups([str(value)], language=language, variants=variants)[0]
            runs = parse_digit_readings(text, language=language)
            assert [r.best.digits for r in runs] == [str(value)], (variants, text)


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_variant_family_is_one_number_word_and_its_default_is_what_the_read_back_says(code: str) -> None:
    lexicon = get_lexicon(code)
    for family in language_pack(code).read_back.variants:
        values = {lexicon.morphemes[form] for form in family}
        assert len(values) == 1, f"{code}: {family} are not one number"
        ((_, value),) = values
        assert family[0] in read_back_groups([str(value)], language=code)[0]


def test_an_unknown_variant_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown number-word variant 'sjau' for 'nb'; expected one of: syv, sju"):
        read_back(SEVENS, language="nb", variants=("sjau",))
    with pytest.raises(ValueError, match=r"for 'en'; expected one of: none"):
        check_variants(("sju",), language="en")
    with pytest.raises(ValueError, match="not one string"):
        check_variants("sju", language="nb")
    assert check_variants(("SJU", "Tyve"), language="nb-NO") == ("sju", "tyve")


def test_heard_variants_are_the_forms_said_inside_numbers() -> None:
    assert heard_variants(["ni sju, tjuesju syttisju førtisju"], language="nb") == ("sju", "tjue", "førti")
    assert heard_variants(["nittisju tyvefire tredveto"], language="nb") == ("sju", "tyve", "tredve")
    assert heard_variants(["foerti to"], language="nb") == ("førti",)  # spelled without ø by the engine
    assert heard_variants(["det sjuende huset"], language="nb") == ()  # no number: "sjuende" is no variant
    assert heard_variants(["97 27 77 47"], language="nb") == ()  # printed digits say no form
    assert heard_variants(["ni syv"], language="nn") == ("syv",)
    assert heard_variants(["ninety seven"], language="en") == ()


def test_forms_said_equally_often_leave_the_default() -> None:
    assert heard_variants(["ni sju", "ni syv"], language="nb") == ()
    assert heard_variants(["ni sju", "ni syv", "førtisju"], language="nb") == ("sju", "førti")


def _machine(**kwargs: object) -> PhoneCaptureMachine:
    clock = itertools.count(100)
    return PhoneCaptureMachine(now=lambda: float(next(clock)), **kwargs)  # type: ignore[arg-type]


def _heard(*texts: tuple[str, str]) -> list[Evidence]:
    return [Evidence(source, "sidecar", (Alternative(text, 0.9),)) for source, text in texts]


def test_the_capture_reads_back_the_form_the_caller_used() -> None:
    step = _machine().offer(_heard(("azure", "nittisju tjuesju syttisju førtisju")), utterance_id="u1")
    assert step.proposal is not None and step.proposal.e164 == "+4797277747"
    assert step.proposal.read_back == "nittisju, tjuesju, syttisju, førtisju"
    said_syv = _machine().offer(_heard(("azure", "nittisyv tjuesyv syttisyv førtisyv")), utterance_id="u1")
    assert said_syv.proposal is not None and said_syv.proposal.read_back == "nittisyv, tjuesyv, syttisyv, førtisyv"


def test_the_capture_follows_the_engine_that_wrote_words_when_another_printed_digits() -> None:
    evidence = _heard(("azure", "97 27 77 47"), ("whisper", "nitti sju, tyve sju, sytti sju, førti sju"))
    step = _machine().offer(evidence, utterance_id="u1")
    assert step.proposal is not None and step.proposal.read_back == "nittisju, tyvesju, syttisju, førtisju"


def test_the_model_s_tool_argument_is_not_the_caller_s_words() -> None:
    evidence = [
        *_heard(("azure", "nittisyv tjuesyv syttisyv førtisyv")),
        Evidence("tool_argument", "tool_argument", (Alternative("nittisju tjuesju syttisju førtisju", None),)),
    ]
    step = _machine().offer(evidence, utterance_id="u1")
    assert step.proposal is not None and step.proposal.read_back == "nittisyv, tjuesyv, syttisyv, førtisyv"


def test_a_fixed_variant_overrides_the_caller_s() -> None:
    m = _machine(read_back_variants=("syv", "tyve"))
    step = m.offer(_heard(("azure", "nittisju tjuesju syttisju førtisju")), utterance_id="u1")
    assert step.proposal is not None and step.proposal.read_back == "nittisyv, tyvesyv, syttisyv, førtisyv"
    with pytest.raises(ValueError, match="unknown number-word variant 'seven'"):
        _machine(read_back_variants=("seven",))
