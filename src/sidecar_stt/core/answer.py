"""The caller's answer to a read-back, and the pure rules that decide whether it may confirm or reject.

These rules keep the realtime model's bias out of the capture: the model calls ``confirm_phone_number`` when *it*
believes the caller said yes. A confirm counts only when

- the caller spoke after the read-back (``not_answered`` otherwise: the model confirmed in the same breath as it
  read the number, before the caller could hear it);
- the caller answered the reading that is on the table now (``stale_proposal`` otherwise: the number changed
  after the caller began to answer);
- something heard the answer (``answer_not_heard`` otherwise: no sidecar engine and no realtime transcript has it,
  so nothing but the model's word says yes);
- what the sidecar engines and the realtime transcript heard in the answer holds a yes ("ja", "stemmer"), neither
  says no or corrects a group ("nei", "feil", "ja, men det siste er …") nor holds a different whole number
  (``answer_not_yes`` otherwise: "hæ? hva sa du?" is no yes).

A reject needs the first two. The adapter only gathers the answer (:class:`CallerAnswer`); these functions judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .fusion import Evidence
from .proposal import Proposal
from .reader import TextReader

__all__ = ["CallerAnswer", "ConfirmVerdict", "RejectVerdict", "judge_confirm", "judge_reject"]

RejectVerdict = Literal["answered", "not_answered", "stale_proposal"]
ConfirmVerdict = Literal["yes", "not_answered", "stale_proposal", "answer_not_heard", "answer_not_yes"]


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


def judge_reject(proposal: Proposal, answer: CallerAnswer) -> RejectVerdict:
    """Whether ``answer`` may reject ``proposal``: the caller must have answered this very reading."""
    if answer.proposal_id is None or answer.utterance_id is None:
        return "not_answered"
    if answer.proposal_id != proposal.proposal_id:
        return "stale_proposal"
    return "answered"


def judge_confirm(proposal: Proposal, answer: CallerAnswer, *, reader: TextReader) -> ConfirmVerdict:
    """Whether ``answer`` may confirm ``proposal`` (see the module docstring)."""
    verdict = judge_reject(proposal, answer)
    if verdict != "answered":
        return verdict
    texts = _heard_texts(answer.evidence)
    if not texts:
        return "answer_not_heard"
    if any(reader.says_no(text) for text in texts) or not any(reader.says_yes(text) for text in texts):
        return "answer_not_yes"
    numbers = {c.e164 for text in texts for c in reader.phones(text)}
    if numbers and proposal.e164 not in numbers:
        return "answer_not_yes"
    return "yes"


def _heard_texts(evidence: Sequence[Evidence]) -> list[str]:
    """The best hypothesis of every source that heard the caller (the model's tool argument is not hearing)."""
    return [
        e.alternatives[0].text
        for e in evidence
        if e.kind != "tool_argument" and e.alternatives and e.alternatives[0].text.strip()
    ]
