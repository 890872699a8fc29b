"""When the agent's own words mean the caller is about to say a phone number.

In on-demand mode the sidecar's engines sleep until transcription is wanted. The earliest honest sign is the agent
asking for the number ("Hva er telefonnummeret ditt?"): engines started then hear the answer live, so the capture
tool that follows waits for nothing more than it would with engines that ran the whole call. Starting them only
when the tool is called means replaying the answer from the buffer first (a vendor connection and a replay
faster than real time, but not instant).

A cue is a sentence among the reply's last two that asks for a phone number: a word for the number
("telefonnummer", "nummeret", "mobil", "number", "phone") together with a question mark or a request verb ("oppgi",
"si", "gi", "tell", "give"). A statement that mentions a number ("Takk, nummeret er registrert. Noe mer?") is no
cue.
"""

from __future__ import annotations

import re
from typing import Final

from .numerals import normalize_language

__all__ = ["asks_for_number"]

MAX_CUE_TEXT_CHARS: Final = 500
"""Only the end of a long reply is read: the question that hands the turn over comes last."""

_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+")
_NUMBER_WORDS: Final = {
    "nb": re.compile(r"(nummer|telefon|mobil)", re.IGNORECASE),
    "en": re.compile(r"\b(numbers?|phone|mobile|cell)\b", re.IGNORECASE),
}
_REQUEST: Final = {
    "nb": re.compile(
        r"\?|\b(oppgi|opplys|si|sei|gi|gje|fortell|les|hva er|kva er|hvilket|kva for|kan jeg få|kan eg få)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(r"\?|\b(tell|give|say|read|provide|share|what is|what's|which)\b", re.IGNORECASE),
}


def asks_for_number(text: str, language: str = "nb") -> bool:
    """Whether the agent's words ask the caller for a phone number (see the module's description)."""
    key = "nb" if normalize_language(language) in ("nb", "nn") else "en"
    sentences = _SENTENCE_END.split(text[-MAX_CUE_TEXT_CHARS:].strip())[-2:]
    return any(_NUMBER_WORDS[key].search(s) and _REQUEST[key].search(s) for s in sentences)
