"""When the agent's own words mean the caller is about to say a phone number.

In on-demand mode the sidecar's engines sleep until transcription is wanted. The earliest honest sign is the agent
asking for the number ("Hva er telefonnummeret ditt?"): engines started then hear the answer live, so the capture
tool that follows waits for nothing more than it would with engines that ran the whole call. Starting them only
when the tool is called means replaying the answer from the buffer first (a vendor connection and a replay
faster than real time, but not instant).

A cue is a sentence, among those in the end of the agent's message, that

- names the phone number: a word for it ("telefonnummeret", "nummer", "mobilen", "tlf", "number", "mobile") or
  the asking for a way to reach the caller ("nå deg", "reach you"); compounds that name another number
  ("kundenummer", "fødselsnummer") and the phone as a device ("telefonen") do not count;
- asks for it: a question mark, a question word ("hva", "hvilket", "what", "which"), "kan du/kan jeg få" and the
  like, "trenger"/"need", or a request verb opening the sentence ("Oppgi …", "Tell me …");
- and is none of: a negation ("Du trenger ikke oppgi nummeret."), a number already done ("registrert", "lagret",
  "saved"), a read-back to confirm ("Stemmer det at nummeret er …?") or a sentence holding digits.

Scandinavian words serve nb, nn, sv and da; every other language uses the English ones.
"""

from __future__ import annotations

import re
from typing import Final

from .numerals import normalize_language

__all__ = ["asks_for_number"]

MAX_CUE_TEXT_CHARS: Final = 300
"""Only the end of a long reply is read: the question that hands the turn over comes last."""

_SENTENCE_END: Final = re.compile(r"(?<=[.!?:;])\s+")
_DIGITS: Final = re.compile(r"\d.*\d.*\d")

_SCANDINAVIAN: Final = {
    "number": re.compile(
        r"\b(telefonnum\w*|mobilnum\w*|mobiltelefonnum\w*|num(mer|ret|mere)\w*|mobil(en|ar)?|tlf|nå (deg|dere|dig))\b"
    ),
    "ask": re.compile(
        r"\?|\b(hva|kva|vad|hvad|hvilket|hvilke|kva for|vilket|vilka)\b"
        r"|\b(kan|kunne|vil|ville|må) (du|de|dere|ni|jeg få|eg få|jag få|jeg be om|eg be om|jag be om)\b"
        r"|\b(trenger|treng|behøver|behöver)\b"
        r"|^(si|sei|säg|sig|gi|gje|ge|giv|oppgi|uppge|opplys|oplys|fortell|fortel|berätta|les|läs|tast)\b"
    ),
    "not": re.compile(
        r"\b(ikke|ikkje|inte|aldri|aldrig|registrert|registrerat|registreret|lagret|lagra|lagrat|gemt"
        r"|notert|noterat|noteret|bekreftet|stadfest|bekräftat|bekræftet|mottatt|fått|stemmer det|stämmer det"
        r"|er det (riktig|rett|korrekt)|är det (rätt|korrekt))\b"
    ),
}
_ENGLISH: Final = {
    "number": re.compile(r"\b(phone number|numbers?|mobile|cell|reach you)\b"),
    "ask": re.compile(
        r"\?|\b(what|what's|which)\b|\b(can|could|would|may) (you|i (have|get|take))\b|\b(need|please)\b"
        r"|^(tell|give|say|read|provide|share|go ahead|type|enter)\b"
    ),
    "not": re.compile(
        r"\b(not|never|no need|don't|doesn't|won't|saved|stored|noted|recorded|confirmed|got it|have got"
        r"|is that (right|correct)|did i get)\b|n't\b"
    ),
}


def asks_for_number(text: str, language: str = "nb") -> bool:
    """Whether the agent's words ask the caller for a phone number (see the module's description)."""
    patterns = _SCANDINAVIAN if normalize_language(language) in ("nb", "nn", "sv", "da") else _ENGLISH
    for sentence in _SENTENCE_END.split(text[-MAX_CUE_TEXT_CHARS:].strip().lower()):
        if (
            patterns["number"].search(sentence)
            and patterns["ask"].search(sentence)
            and not patterns["not"].search(sentence)
            and not _DIGITS.search(sentence)
        ):
            return True
    return False
