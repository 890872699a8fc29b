"""One regular expression that finds any of a list of phrases, as a whole word sequence.

``phrase_pattern(("jeg mener", "nei"))`` finds "Jeg, mener" and "nei" but not "neida": words of a phrase are apart by
any run of spaces and commas, case is ignored, and a match neither starts nor ends inside a word or a hyphenated one.

The phrases are grouped by their first letter (``j(?:eg[\\s,]+mener)|n(?:ei)``): at a given place only one group can
match, so the regex tries a few phrases per word instead of all of them (cue lists of a hundred phrases are searched
in every caller turn). Inside a group the phrases keep their order, so what matches, and where, is what the plain
alternation ``jeg[\\s,]+mener|nei`` matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["phrase_alternation", "phrase_pattern"]

_BETWEEN_WORDS = r"[\s,]+"


def phrase_alternation(phrases: Sequence[str], between: str = _BETWEEN_WORDS) -> str:
    """The alternation of ``phrases`` (regex source, no group around it), grouped by first letter; ``between`` is the
    regex that joins the words of a phrase."""
    split = [phrase.split() for phrase in phrases]
    if not all(split) or any(len(words[0][0].lower()) != 1 for words in split):
        return "|".join(between.join(re.escape(w) for w in words) for words in split)
    groups: dict[str, list[str]] = {}
    for words in split:
        first = words[0]
        rest = between.join([re.escape(first[1:]), *(re.escape(w) for w in words[1:])])
        groups.setdefault(first[0].lower(), []).append(rest)
    return "|".join(f"{re.escape(letter)}(?:{'|'.join(rests)})" for letter, rests in groups.items())


def phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str]:
    """A case-blind pattern that finds any of ``phrases`` between word boundaries (a hyphen binds, as in a word)."""
    return re.compile(rf"(?<![\w-])(?:{phrase_alternation(phrases)})(?![\w-])", re.IGNORECASE)
