"""When the caller gave two numbers and did not say which one they mean: ask, and take the one their answer picks.

The capture never picks silently between two numbers the caller said (:func:`~.number_choice.choose_number` says
``ambiguous``): :func:`ambiguous_readings` finds such a pair in what a sidecar engine heard, :func:`ask_which_text`
tells the model to read both back, labelled by what the caller called them ("jobbnummeret", "mobilen"), and ask
which one; :func:`picked` reads the answer ("mobilen", "det første", "den siste"). An answer that says a number
again is read as any number is. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .fusion import Evidence, FusedCandidate
from .languages import language_pack
from .number_choice import NumberChoice
from .readback import ReadBackStyle, speak_number
from .reader import TextReader

__all__ = ["PendingChoice", "ambiguous_readings", "ask_which_text", "picked"]


@dataclass(frozen=True, slots=True)
class PendingChoice:
    """Two numbers the caller was asked to choose between, in the order said, with what the caller called each."""

    readings: tuple[FusedCandidate, FusedCandidate]
    labels: tuple[str, str]


def ambiguous_readings(
    evidence: Sequence[Evidence], readings: Sequence[FusedCandidate], reader: TextReader
) -> PendingChoice | None:
    """The two proposable readings a sidecar engine heard as two numbers without a word saying which one is meant
    (in its best hypothesis), or ``None``."""
    by_e164 = {r.e164: r for r in readings}
    for e in evidence:
        if e.kind != "sidecar" or not e.alternatives:
            continue
        choice: NumberChoice = reader.choice(e.alternatives[0].text)
        if choice.outcome != "ambiguous":
            continue
        pair = [by_e164.get(c.e164) for c in choice.candidates]
        first, second = pair[0], pair[1]
        if first is not None and second is not None:
            return PendingChoice((first, second), (choice.labels[0], choice.labels[1]))
    return None


def ask_which_text(
    texts: Mapping[str, str], choice: PendingChoice, *, language: str, style: ReadBackStyle, variants: Sequence[str]
) -> str:
    """The model's instruction: read both numbers back with their labels and ask which one the caller means."""
    spoken = [speak_number(r.e164, language=language, style=style, variants=variants).text for r in choice.readings]
    labels = [f" ({label})" if label else "" for label in choice.labels]
    return texts["ask_which"].format(first=spoken[0] + labels[0], second=spoken[1] + labels[1])


def picked(choice: PendingChoice, evidence: Sequence[Evidence], *, language: str) -> FusedCandidate | None:
    """The reading the caller's answer (a sidecar engine's best hypothesis) picks: the one whose label it names
    ("mobilen"), or the first or the last ("det første", "den siste"); ``None`` when it names neither or both."""
    for e in evidence:
        if e.kind == "sidecar" and e.alternatives:
            pick = _picked(choice, e.alternatives[0].text.lower(), language)
            if pick is not None:
                return pick
    return None


def _picked(choice: PendingChoice, text: str, language: str) -> FusedCandidate | None:
    intent = language_pack(language).intent
    named = {
        k
        for k, label in enumerate(choice.labels)
        for kind in intent.labels
        if label and kind in label.lower() and re.search(rf"\w*{re.escape(kind)}", text)
    }
    if len(named) == 1:
        return choice.readings[named.pop()]
    first, last = _says(intent.first, text), _says(intent.last, text)
    if first != last:
        return choice.readings[0] if first else choice.readings[1]
    return None


def _says(phrases: Sequence[str], text: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", text) for p in phrases)
