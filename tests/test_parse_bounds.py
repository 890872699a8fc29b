"""Parsing is bounded for any input: huge or hostile transcripts and tool arguments cannot stall the call."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from sidecar_stt.core.numerals import parse_digit_readings
from sidecar_stt.core.numerals.tokenizer import MAX_RUN_ITEMS, MAX_TEXT_CHARS
from sidecar_stt.core.phone import MAX_SEARCH_CHARS, extract_phone_numbers

pytestmark = pytest.mark.unit

UNITS = ("null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
DIGIT_WORDS = (*UNITS, "ti", "elleve", "tjue", "tretti", "førti", "nitti")
NUMBER = "nummeret mitt er nittito trettifire femtiseks syttiåtte"


def filler(kind: str, size: int, seed: int) -> str:
    rng = random.Random(seed)
    if kind == "digit_words":
        words = [rng.choice(DIGIT_WORDS) for _ in range(size // 3)]
        return " ".join(words)[:size]
    if kind == "letters":
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzæøå") for _ in range(size))
    if kind == "printed_digits":
        return "".join(rng.choice("0123456789") for _ in range(size))
    if kind == "symbols":
        return "".join(rng.choice("🙂\x00\u200b-,.+") for _ in range(size))
    raise ValueError(kind)


@pytest.mark.parametrize("size", [100_000, 1_000_000])
@pytest.mark.parametrize("kind", ["digit_words", "letters", "printed_digits", "symbols"])
def test_huge_inputs_parse_in_bounded_memory_and_keep_the_number_at_the_end(kind: str, size: int) -> None:
    text = f"{filler(kind, size, seed=size)} . {NUMBER}"
    tracemalloc.start()
    try:
        found = extract_phone_numbers(text, language="nb", region="NO")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found and found[0].e164 == "+4792345678"
    assert peak < 20_000_000, peak  # the 1 MB of letters took 1.2 GB (quadratic) before the bounds


def test_only_the_end_of_a_long_text_is_read() -> None:
    early = "nittiåtte sekstisju femtiseks førtifem"
    text = f"{early} " + "bla " * (MAX_TEXT_CHARS // 4) + NUMBER
    assert [c.e164 for c in extract_phone_numbers(text)] == ["+4792345678"]
    assert {c.e164 for c in extract_phone_numbers(f"{early} {NUMBER}")} == {"+4798675645", "+4792345678"}


def test_a_run_is_cut_at_its_item_bound() -> None:
    text = " ".join(["ni"] * (MAX_RUN_ITEMS * 3))
    runs = parse_digit_readings(text)
    assert len(runs) == 3 and all(len(r.best.digits) == MAX_RUN_ITEMS for r in runs)


@pytest.mark.parametrize(
    "text",
    [
        "ni to 🙂 tre fire fem seks sju åtte",
        "ni to tre fire\x00 fem seks sju åtte",
        "nittito\u200b trettifire femtiseks syttiåtte",
        "nittito trettifire 👍 femtiseks syttiåtte 🎉",
        "92\u200e 34 56 78",
        "nittito\u0007trettifire femtiseks syttiåtte",
    ],
)
def test_control_characters_and_emoji_do_not_break_a_number(text: str) -> None:
    found = extract_phone_numbers(text)
    assert found and found[0].e164 == "+4792345678", text


def test_a_long_text_gets_the_strict_reading_alone() -> None:
    lenient = "ni sju fem fire, sånn, tre to en en"  # read only by the lenient search (a word read through)
    assert [c.e164 for c in extract_phone_numbers(lenient)] == ["+4797543211"]
    padded = "bla " * (MAX_SEARCH_CHARS // 4) + lenient
    assert extract_phone_numbers(padded) == []
    assert [c.e164 for c in extract_phone_numbers("bla " * (MAX_SEARCH_CHARS // 4) + NUMBER)] == ["+4792345678"]
