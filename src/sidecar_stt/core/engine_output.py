"""Reading an engine's hypotheses into :class:`~.segment.Alternative` values, whatever the engine sent.

An engine's output is untrusted: any field may be missing, of the wrong type, not finite, or enormous. Each reader
here returns what can be kept and says, in :attr:`ReadResult.problems`, what it had to drop or clamp (the caller
counts those as repairs). Nothing here raises on bad input, and the work per hypothesis is bounded: at most
:data:`MAX_ALTERNATIVES` hypotheses, :data:`MAX_WORDS` word timings and :data:`MAX_METADATA_KEYS` metadata entries
are read, however many the engine sent. Pure Python: fields are read with ``getattr`` from any object.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .segment import Alternative, Word
from .transcript_text import MAX_TEXT_CHARS

__all__ = [
    "FUTURE_SLACK_S",
    "MAX_ALTERNATIVES",
    "MAX_METADATA_KEYS",
    "MAX_WORDS",
    "ReadResult",
    "number",
    "read_alternatives",
    "time_problem",
]

MAX_ALTERNATIVES: Final = 10
"""Hypotheses (n-best entries) read from one engine event."""
MAX_WORDS: Final = MAX_TEXT_CHARS // 2
"""Word timings read from one hypothesis: as many as a text of :data:`MAX_TEXT_CHARS` can hold."""
MAX_METADATA_KEYS: Final = 32
"""Metadata entries kept from one hypothesis."""
FUTURE_SLACK_S: Final = 2.0
"""Engine times this far past the audio it was given are garbage."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The hypotheses kept (best first) and what was wrong with the rest."""

    alternatives: tuple[Alternative, ...]
    problems: tuple[str, ...]


def number(value: object) -> float:
    """``value`` as a float, or ``nan`` when it is not a real number (``bool`` is not a number here)."""
    return float(value) if isinstance(value, float | int) and not isinstance(value, bool) else math.nan


def time_problem(start_s: float, end_s: float, *, latest_s: float) -> str | None:
    """What is wrong with an engine's span, given it heard audio up to ``latest_s``; ``None`` when nothing."""
    if not (math.isfinite(start_s) and math.isfinite(end_s)):
        return "times are not finite"
    if start_s < 0 or end_s < 0:
        return "times are negative"
    if end_s > latest_s + FUTURE_SLACK_S:
        return "times lie beyond the audio the engine was given"
    if start_s > end_s:
        return "start is after end"
    return None


def read_alternatives(raw: object, *, shift_s: float, latest_s: float) -> ReadResult:
    """The usable hypotheses of ``raw`` (an engine's list of alternatives): those with a non-empty string
    ``text``. Word times are moved by ``shift_s`` onto the session clock; words outside ``[0, latest_s + slack]``
    are dropped."""
    problems: list[str] = []
    entries = _bounded(raw, MAX_ALTERNATIVES, problems, "alternatives are not a list", "too many alternatives")
    kept: list[Alternative] = []
    for entry in entries:
        text = getattr(entry, "text", None)
        if not isinstance(text, str):
            problems.append("an alternative's text is not a string")
            continue
        if not text.strip():
            continue
        kept.append(_alternative(entry, text, shift_s=shift_s, latest_s=latest_s, problems=problems))
    return ReadResult(tuple(kept), tuple(dict.fromkeys(problems)))


def _alternative(entry: object, text: str, *, shift_s: float, latest_s: float, problems: list[str]) -> Alternative:
    confidence = number(getattr(entry, "confidence", None))
    if getattr(entry, "confidence", None) is not None and not math.isfinite(confidence):
        problems.append("confidence is not a number")
    words = _words(getattr(entry, "words", None), shift_s=shift_s, latest_s=latest_s, problems=problems)
    return Alternative(
        text=text[: MAX_TEXT_CHARS * 2].strip(),
        confidence=confidence if math.isfinite(confidence) and 0 < confidence <= 1 else None,
        words=words,
        metadata=_metadata(getattr(entry, "metadata", None), problems),
    )


def _words(raw: object, *, shift_s: float, latest_s: float, problems: list[str]) -> tuple[Word, ...]:
    words: list[Word] = []
    bad = 0
    for w in _bounded(raw, MAX_WORDS, problems, "words are not a list", "too many words"):
        start, end = number(getattr(w, "start_time", None)), number(getattr(w, "end_time", None))
        if not (
            isinstance(w, str)  # LiveKit's word timings are strings with times
            and math.isfinite(start)
            and math.isfinite(end)
            and 0 <= start <= end <= latest_s - shift_s + FUTURE_SLACK_S
        ):
            bad += 1
            continue
        conf = number(getattr(w, "confidence", None))
        words.append(
            Word(
                text=str(w)[:MAX_TEXT_CHARS],
                start_s=start + shift_s,
                end_s=end + shift_s,
                confidence=conf if math.isfinite(conf) else None,
            )
        )
    if bad:
        problems.append("words without usable text or times")
    return tuple(words)


def _metadata(raw: object, problems: list[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append("metadata is not a mapping")
        return {}
    kept = dict(itertools.islice(((k, v) for k, v in raw.items() if isinstance(k, str)), MAX_METADATA_KEYS))
    if len(kept) < len(raw):
        problems.append("metadata cut")
    return kept


def _bounded(raw: object, limit: int, problems: list[str], not_list: str, too_many: str) -> list[Any]:
    """The first ``limit`` items of ``raw`` (a list or tuple; anything else is reported and read as empty)."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        problems.append(not_list)
        return []
    if len(raw) > limit:
        problems.append(too_many)
    return list(raw[:limit])
