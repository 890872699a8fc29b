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

The words are in each language's pack (:class:`~sidecar_stt.core.languages.pack.ListenCues`); one set of
Scandinavian words serves nb, nn, sv and da.
"""

from __future__ import annotations

import re
from typing import Final

from .languages import language_pack

__all__ = ["asks_for_number"]

MAX_CUE_TEXT_CHARS: Final = 300
"""Only the end of a long reply is read: the question that hands the turn over comes last."""

_SENTENCE_END: Final = re.compile(r"(?<=[.!?:;])\s+")
_DIGITS: Final = re.compile(r"\d.*\d.*\d")


def asks_for_number(text: str, language: str = "nb") -> bool:
    """Whether the agent's words ask the caller for a phone number (see the module's description)."""
    cues = language_pack(language).listen_cues
    for sentence in _SENTENCE_END.split(text[-MAX_CUE_TEXT_CHARS:].strip().lower()):
        if (
            cues.number.search(sentence)
            and cues.ask.search(sentence)
            and not cues.rules_out.search(sentence)
            and not _DIGITS.search(sentence)
        ):
            return True
    return False
