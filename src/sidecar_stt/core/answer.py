"""The caller's answer to a read-back, and the pure rules that decide whether it may confirm or reject.

These rules keep the realtime model's bias out of the capture: the model calls ``confirm_phone_number`` when *it*
believes the caller said yes, ``reject_phone_number`` when it believes they said no. Each answer is read the same
way (:func:`read_answer`): a yes ("ja", "stemmer", "mhm", "ja nei, det stemmer det"), a no ("nei", "feil"), a
correction ("ja, men det siste er åttiåtte", "nei, det er førtiseks"), a whole number, a request to repeat
("hæ?", "hva?", "unnskyld?") or something else.

Whose hearing decides: the sidecar engines' when any heard the answer; the realtime model's own transcript only
when no engine heard it *and* no running engine's final for the turn is still due (``answer_pending`` otherwise:
the model's ear alone never decides while the accurate one is on its way).

A confirm counts only when

- the caller spoke after the read-back (``not_answered`` otherwise) and answered the reading on the table now
  (``stale_proposal`` otherwise);
- something heard the answer (``answer_not_heard``; ``answer_pending`` while an engine's final is due);
- the deciding hearing holds a yes, and no hearing at all (engine or realtime transcript) says no, corrects a
  group or holds a different whole number (``answer_not_yes``); a request to repeat is ``repeat_requested``.

A reject counts only when the deciding hearing holds a no, a correction or a different number; a heard yes
refuses it (``answer_is_yes``), so does a request to repeat (``repeat_requested``) or an answer that says
neither (``answer_not_no``). The adapter only gathers the answer (:class:`CallerAnswer`); these functions judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .fusion import Evidence
from .languages import language_pack
from .proposal import Proposal
from .reader import TextReader

__all__ = [
    "AnswerKind",
    "CallerAnswer",
    "ConfirmVerdict",
    "RejectVerdict",
    "deciding_texts",
    "judge_confirm",
    "judge_reject",
    "read_answer",
]

AnswerKind = Literal["yes", "no", "correction", "number", "repeat_request", "other"]
"""What one hearing of an answer to a read-back says."""

RejectVerdict = Literal[
    "answered",
    "not_answered",
    "stale_proposal",
    "answer_not_heard",
    "answer_pending",
    "answer_is_yes",
    "answer_not_no",
    "repeat_requested",
]
ConfirmVerdict = Literal[
    "yes", "not_answered", "stale_proposal", "answer_not_heard", "answer_pending", "answer_not_yes", "repeat_requested"
]


@dataclass(frozen=True, slots=True)
class CallerAnswer:
    """What the caller said after a read-back, as the sources heard it."""

    proposal_id: str | None
    """The proposal that had been read back when the caller's latest utterance began; ``None`` when the caller has
    not spoken since any read-back."""
    utterance_id: str | None = None
    """The caller's latest utterance (the answer)."""
    evidence: tuple[Evidence, ...] = ()
    """What each source heard in it: sidecar n-best, the realtime transcript (never the model's tool argument)."""
    finals_due: tuple[str, ...] = ()
    """Running sidecar engines whose final for the answer had not arrived when it was judged."""


_WORD_GAPS = re.compile(r"[^\w\s]+|\s+")


def _words(text: str) -> str:
    """``text`` lower-cased with punctuation as spaces: "Ja, nei – det stemmer det!" → "ja nei det stemmer det"."""
    return " ".join(_WORD_GAPS.sub(" ", text.lower()).split())


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    words = sorted({_words(p) for p in phrases if _words(p)}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def read_answer(text: str, *, reader: TextReader) -> AnswerKind:
    """What one hearing of the caller's answer to a read-back says.

    A set phrase that means yes ("ja nei, det stemmer det") counts as a yes before any no word is looked for; a
    no word or correction cue makes a ``no``, or a ``correction`` when digits come with it ("ja, men det siste er
    åttiåtte"); a whole number without a no is a ``number``, other digits a ``correction``; a yes word a ``yes``;
    a request to hear it again ("hæ?", "hva?", "unnskyld?") a ``repeat_request``; anything else ``other``.
    """
    answers = language_pack(reader.language).answers
    plain = _words(text)
    yes_phrase = _phrase_pattern(answers.yes_phrases)
    had_yes_phrase = False
    if yes_phrase is not None and yes_phrase.search(plain):
        had_yes_phrase = True
        plain = _words(yes_phrase.sub(" ", plain))
    digits = reader.has_digits(plain)
    if plain and reader.says_no(plain):
        return "correction" if digits else "no"
    if reader.phones(plain):
        return "number" if not reader.says_yes(plain) else "yes"
    if digits:
        return "correction"
    if had_yes_phrase or (plain and reader.says_yes(plain)):
        return "yes"
    repeat = _phrase_pattern(answers.repeat)
    if repeat is not None and repeat.search(plain):
        return "repeat_request"
    return "other"


def deciding_texts(answer: CallerAnswer) -> tuple[list[str], bool]:
    """The hearings that decide what the answer says, and whether they are the sidecar engines'.

    The best hypothesis of every sidecar engine that heard the answer; only when none did (and no running
    engine's final is due: then nothing decides yet), the realtime model's own transcript."""
    sidecar = _texts(answer.evidence, ("sidecar",))
    if sidecar:
        return sidecar, True
    if answer.finals_due:
        return [], False
    return _texts(answer.evidence, ("realtime_transcript",)), False


def judge_reject(proposal: Proposal, answer: CallerAnswer, *, reader: TextReader | None = None) -> RejectVerdict:
    """Whether ``answer`` may reject ``proposal`` (see the module docstring). Without ``reader`` only the turn is
    checked (the caller answered this very reading)."""
    if answer.proposal_id is None or answer.utterance_id is None:
        return "not_answered"
    if answer.proposal_id != proposal.proposal_id:
        return "stale_proposal"
    if reader is None:
        return "answered"
    texts, _ = deciding_texts(answer)
    if not texts:
        return "answer_pending" if answer.finals_due else "answer_not_heard"
    kinds = [_kind_against(text, proposal, reader) for text in texts]
    if any(_turns_down(k) for k in kinds):
        return "answered"
    if "yes" in kinds:
        return "answer_is_yes"
    if "repeat_request" in kinds:
        return "repeat_requested"
    return "answer_not_no"


def judge_confirm(proposal: Proposal, answer: CallerAnswer, *, reader: TextReader) -> ConfirmVerdict:
    """Whether ``answer`` may confirm ``proposal`` (see the module docstring)."""
    turn = judge_reject(proposal, answer)
    if turn != "answered":
        return "not_answered" if turn == "not_answered" else "stale_proposal"
    texts, _ = deciding_texts(answer)
    if not texts:
        return "answer_pending" if answer.finals_due else "answer_not_heard"
    every_hearing = _texts(answer.evidence, ("sidecar", "realtime_transcript"))
    if any(_turns_down(_kind_against(text, proposal, reader)) for text in every_hearing):
        return "answer_not_yes"
    kinds = [_kind_against(text, proposal, reader) for text in texts]
    if "yes" in kinds:
        return "yes"
    if "repeat_request" in kinds:
        return "repeat_requested"
    return "answer_not_yes"


def _turns_down(kind: AnswerKind) -> bool:
    """Whether an answer of ``kind`` turns the reading down: a no, a correction, another whole number."""
    return kind == "no" or kind == "correction" or kind == "number"


def _kind_against(text: str, proposal: Proposal, reader: TextReader) -> AnswerKind:
    """:func:`read_answer`, where a yes that names a whole number other than ``proposal``'s is a ``number``."""
    kind = read_answer(text, reader=reader)
    if kind in ("yes", "number"):
        numbers = {c.e164 for c in reader.phones(_words(text))}
        if numbers and proposal.e164 not in numbers:
            return "number"
        if kind == "number":
            return "other"  # the caller said the very number read back: neither a yes nor a no
    return kind


def _texts(evidence: Sequence[Evidence], kinds: tuple[str, ...]) -> list[str]:
    """The best hypothesis of every source of ``kinds`` that heard something (never the model's tool argument)."""
    return [
        e.alternatives[0].text
        for e in evidence
        if e.kind in kinds and e.alternatives and e.alternatives[0].text.strip()
    ]
