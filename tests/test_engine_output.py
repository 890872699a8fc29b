"""Reading engine hypotheses: every field may be wrong; what is kept is bounded and each problem is named."""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import pytest

from sidecar_stt.core.engine_output import (
    MAX_ALTERNATIVES,
    MAX_METADATA_KEYS,
    MAX_WORDS,
    read_alternatives,
    time_problem,
)

pytestmark = pytest.mark.unit


class Timed(str):
    """A word with times, as LiveKit's ``TimedString``."""

    start_time: Any
    end_time: Any

    def __new__(cls, text: str, start: Any, end: Any) -> Timed:
        word = super().__new__(cls, text)
        word.start_time, word.end_time = start, end
        return word


def alt(text: Any = "ni to", **fields: Any) -> SimpleNamespace:
    return SimpleNamespace(text=text, **{"confidence": 0.9, "words": [], "metadata": {}, **fields})


def read(raw: Any, latest_s: float = 10.0) -> Any:
    return read_alternatives(raw, shift_s=0.0, latest_s=latest_s)


@pytest.mark.parametrize(
    ("raw", "kept", "problem"),
    [
        ([None], 0, "an alternative's text is not a string"),
        ([alt(None)], 0, "an alternative's text is not a string"),
        ([alt(42), alt("tre")], 1, "an alternative's text is not a string"),
        ("ni to", 0, "alternatives are not a list"),
        ([alt(metadata=[1, 2])], 1, "metadata is not a mapping"),
        ([alt(confidence="high")], 1, "confidence is not a number"),
        ([alt(confidence=math.nan)], 1, "confidence is not a number"),
        ([alt(words=42)], 1, "words are not a list"),
        ([alt(words=[None, Timed("ni", 0.1, 0.3)])], 1, "words without usable text or times"),
        ([alt(words=[Timed("ni", "0.1", 0.3)])], 1, "words without usable text or times"),
        ([alt(words=[Timed("ni", 0.1, 1e9)])], 1, "words without usable text or times"),
        ([alt() for _ in range(MAX_ALTERNATIVES + 5)], MAX_ALTERNATIVES, "too many alternatives"),
    ],
)
def test_a_malformed_field_is_dropped_and_named(raw: Any, kept: int, problem: str) -> None:
    result = read(raw)
    assert len(result.alternatives) == kept
    assert problem in result.problems


def test_a_well_formed_hypothesis_is_kept_whole_with_no_problem() -> None:
    words = [Timed("ni", 0.1, 0.3), Timed("to", 0.4, 0.6)]
    result = read_alternatives([alt(words=words, metadata={"itn": "92"})], shift_s=5.0, latest_s=10.0)
    assert result.problems == ()
    (kept,) = result.alternatives
    assert kept.text == "ni to" and kept.confidence == 0.9 and kept.metadata == {"itn": "92"}
    assert [(w.text, w.start_s, w.end_s) for w in kept.words] == [("ni", 5.1, 5.3), ("to", 5.4, 5.6)]


def test_a_confidence_outside_zero_to_one_is_not_kept() -> None:
    assert read([alt(confidence=7.0)]).alternatives[0].confidence is None
    assert read([alt(confidence=0)]).alternatives[0].confidence is None


class _CountedWord(Timed):
    reads = 0

    @property  # type: ignore[override]
    def start_time(self) -> float:
        _CountedWord.reads += 1
        return 0.0

    @start_time.setter
    def start_time(self, value: Any) -> None:
        pass


def test_word_lists_and_metadata_are_bounded_and_so_is_the_work_with_them() -> None:
    many = [_CountedWord(f"w{i}", 0.0, 0.01) for i in range(250_000)]
    metadata = {f"k{i}": i for i in range(1000)}
    result = read([alt(words=many, metadata=metadata)])
    (kept,) = result.alternatives
    assert len(kept.words) == MAX_WORDS and len(kept.metadata) == MAX_METADATA_KEYS
    assert {"too many words", "metadata cut"} <= set(result.problems)
    assert _CountedWord.reads == MAX_WORDS  # the words past the bound are never looked at


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (math.nan, 0.5, "times are not finite"),
        (-3.0, 0.3, "times are negative"),
        (0.1, 1e12, "times lie beyond the audio the engine was given"),
        (0.4, 0.2, "start is after end"),
        (0.2, 0.6, None),
    ],
)
def test_span_problems(start: float, end: float, problem: str | None) -> None:
    assert time_problem(start, end, latest_s=1.2) == problem
