"""What the capture tells the model to say, chosen from the language's model texts (no state of its own)."""

from __future__ import annotations

from collections.abc import Mapping

from .capture_step import CaptureStepReason
from .proposal import Proposal

__all__ = ["RE_READ_REFUSALS", "ask_again_text", "proposal_instruction", "refusal_text"]

RE_READ_REFUSALS: frozenset[CaptureStepReason] = frozenset(
    {"stale_proposal", "not_answered", "answer_not_heard", "answer_pending", "answer_is_yes", "answer_not_no",
     "repeat_requested"}
)  # fmt: skip
"""Refusals whose text puts the reading on the table to the caller again: a read-back the next turn answers."""


def proposal_instruction(texts: Mapping[str, str], proposal: Proposal) -> str:
    """The read-back of ``proposal`` and how to say it: typed, the realtime model's own hearing (check each pair),
    a corrected group, or one uncertain group singled out."""
    if proposal.candidate.typed:
        return texts["propose_keypad"].format(read_back=proposal.read_back)
    if proposal.check_each_pair:
        return texts["propose_alternative"].format(read_back=proposal.read_back)
    if not proposal.candidate.heard_by_sidecar:
        return texts["propose_realtime_fallback"].format(read_back=proposal.read_back)
    if proposal.corrected_groups:
        return texts["propose_corrected"].format(read_back=proposal.read_back)
    if proposal.uncertain_group is not None:
        # the group in the very words of the read-back ("seven eight", not "seventy-eight")
        group = proposal.spoken.words[proposal.uncertain_group]
        return texts["propose_uncertain"].format(read_back=proposal.read_back, group=group)
    return texts["propose"].format(read_back=proposal.read_back)


def ask_again_text(texts: Mapping[str, str], *, keypad_due: bool, digits: bool) -> str:
    """Ask for the number again: on the keypad when that is due, digit by digit after enough rejections."""
    if keypad_due:
        return texts["ask_keypad"]
    return texts["ask_again_digits" if digits else "ask_again"]


def refusal_text(texts: Mapping[str, str], reason: CaptureStepReason, on_table: Proposal | None) -> str:
    """What to say when a step is refused for ``reason`` (with the read-back still on the table, if any)."""
    if reason in RE_READ_REFUSALS and on_table is not None:
        key = "stale" if reason == "stale_proposal" else reason
        return texts[key].format(read_back=on_table.read_back)
    if reason in ("answer_not_yes", "not_proposed", "no_sidecar_number"):
        return texts[reason]
    if reason == "utterance_reused":
        return texts["reused"]
    return texts["finished"]
