"""Phone-number capture: a pure state machine from the caller's utterances to one confirmed number.

States::

    waiting ──offer──► proposed ──confirm──► confirmed
       ▲  │ (partial:     │  ▲
       │  │  wait rest)   │  └─────────── offer / reject with a usable correction
       └──┘            reject ──► asking_again ──offer──► proposed …
                              └─(max_attempts rejections)──► failed
    any open state ──decline──► declined;  too many utterances without a number, more than max_read_backs
    read-backs, or the escalation ladder's last rung ──► failed

The machine reads evidence (what every source heard, see :mod:`.fusion`), proposes the best reading the caller
has not rejected, and tells the model exactly what to say: the read-back comes from :mod:`.readback`, the
model never transcribes. Rules:

- a reading is proposed only when a sidecar engine heard it in the caller's words: the realtime model's
  transcript and its tool argument rank readings and break ties, never stand alone (an app may opt into a
  labelled fallback to the realtime transcript, ``allow_realtime_only``), and never count after a rejection;
- every rejected reading is remembered and never proposed again; an utterance id is used once;
- a confirm or a reject counts only as the caller's answer to the current read-back (:mod:`.answer`), and every
  read-back put to the caller (a new proposal, the same one heard again, a refusal that reads it again) is
  noted and reported, so the caller's next turn answers the latest;
- the sidecar's evidence is read by :class:`~.capture_reading.CaptureReading`; when it holds only readings the
  caller rejected, the escalation ladder (:mod:`.capture_ladder`) chooses the next step, never a loop;
- a partial correction ("nei, det er førtiseks, ikke førtifem", "det siste er syttiåtte", "not forty-five,
  forty-six") is applied to the right group of the last read-back (:mod:`.correction`);
- two numbers in one utterance with no word saying which one the caller means are never picked silently: the
  model asks which, both read back with what the caller called them, and the answer picks one (:mod:`.capture_choice`);
- a number given over several utterances ("nittito trettifire" … "femtiseks syttiåtte") is joined;
- earlier utterances of the number (discounted, rejected readings included as digit votes) help rank the
  readings of the latest one, but only the latest utterance's readings are proposed (:func:`rank_readings`);
- from the ``digits_after_rejections``-th rejection on, the read-back goes digit by digit;
- digits the caller typed on the keypad (:meth:`PhoneCaptureMachine.keypad`) are proposed directly, go through
  the same validation, read-back and confirmation, and outrank speech until the caller rejects them; after
  ``keypad_after`` failed attempts (rejections and utterances without a number), or when the caller asks to type
  it, the model is told to ask for the keypad.

No I/O and no clock reads except the injectable ``now`` used for ``created_at``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from .answer import CallerAnswer, judge_confirm, judge_reject
from .capture_choice import PendingChoice, ambiguous_readings, ask_which_text, picked
from .capture_events import (
    CaptureEscalatedEvent,
    CaptureEvent,
    CaptureFailureReason,
    CaptureStepRefusedEvent,
    PhoneNumberCaptureFailedEvent,
    PhoneNumberConfirmedEvent,
    PhoneNumberProposedEvent,
    PhoneNumberReadBackEvent,
    PhoneNumberRejectedEvent,
    ProposalRule,
)
from .capture_evidence import (
    asks_to_type,
    proposable,
    proposal_rule,
    sidecar_heard_digits,
    sidecar_heard_whole_length,
    sidecar_says_no,
)
from .capture_ladder import Rung, next_rung
from .capture_memory import CaptureMemory, Utterance
from .capture_reading import CaptureReading
from .capture_step import TERMINAL_STATES, CaptureState, CaptureStep, CaptureStepReason
from .capture_texts import RE_READ_REFUSALS, ask_again_text, proposal_instruction, refusal_text
from .correct_evidence import correct_evidence
from .fusion import (
    DEFAULT_WEIGHTS,
    Evidence,
    FusedCandidate,
    FusionWeights,
    join_evidence,
    rank_readings,
)
from .instructions import model_texts
from .numerals import normalize_language
from .proposal import Proposal, uncertain_group
from .readback import ReadBackStyle, check_variants, heard_variants, speak_number
from .reader import TextReader
from .segment import Alternative

__all__ = ["CaptureState", "CaptureStep", "CaptureStepReason", "PhoneCaptureMachine", "Proposal", "rank_readings"]

_MAX_KEYPAD_DIGITS: Final = 20


class PhoneCaptureMachine:
    """The capture state machine of one call's phone numbers (:meth:`restart` begins the next). Not thread-safe."""

    def __init__(
        self,
        *,
        language: str = "nb",
        region: str = "NO",
        max_attempts: int = 3,
        max_unheard: int = 3,
        digits_after_rejections: int = 2,
        uncertain_below: float = 0.75,
        max_pending: int = 3,
        history_decay: float = 0.5,
        weights: FusionWeights = DEFAULT_WEIGHTS,
        allow_realtime_only: bool = False,
        keypad_after: int | None = None,
        keypad_available: Callable[[], bool] | None = None,
        read_back_variants: Sequence[str] = (),
        max_read_backs: int = 4,
        now: Callable[[], float] = time.time,
    ) -> None:
        """``max_attempts`` rejections end in ``failed``; so do ``max_unheard`` utterances in a row without any
        digit. ``digits_after_rejections`` rejections switch the read-back to single digits. A group whose fused
        confidence is below ``uncertain_below`` (and below the others) is singled out in the instruction.
        ``max_pending`` utterances with part of a number are kept to be joined with the rest. Earlier utterances
        of the number help rank the readings of the latest one (:func:`rank_readings` with ``history_decay``; 0
        turns this off). ``allow_realtime_only`` lets a reading only the realtime model's own transcript heard be
        proposed, labelled (``rule="realtime_fallback"``; the model is told to check each pair), until the first
        rejection; off by default, since that transcript is the biased ear this capture exists to check.
        ``keypad_after`` failed attempts (rejections, utterances without a number) turn requests to say the number
        into requests to type it (``None``: never; nor while ``keypad_available()`` says no, asked at every step).
        Read-backs say the forms the caller used (sju/syv); ``read_back_variants`` fixes them. At most
        ``max_read_backs`` spoken readings are put to the caller (repeats included, typed ones not): the capture
        fails (``max_read_backs``) rather than read a further one — it never loops. When the sidecar hears only
        rejected readings, the escalation ladder (:mod:`.capture_ladder`) decides the next step."""
        if max_attempts < 1 or max_unheard < 1 or max_pending < 1:
            raise ValueError("max_attempts, max_unheard and max_pending must be at least 1")
        self._language = normalize_language(language)
        self._region = region.upper()
        self._max_attempts = max_attempts
        self._max_unheard = max_unheard
        self._digits_after = digits_after_rejections
        self._uncertain_below = uncertain_below
        self._max_pending = max_pending
        self._weights = weights
        self._allow_realtime_only = allow_realtime_only
        self._keypad_after = keypad_after
        self._keypad_available = keypad_available or (lambda: True)
        self._read_back_variants = check_variants(read_back_variants, language=self._language)
        self._max_read_backs = max_read_backs
        self._now = now
        self._texts: Mapping[str, str] = model_texts(self._language)
        self._memory = CaptureMemory()
        self._reading = CaptureReading(
            language=self._language,
            region=self._region,
            weights=weights,
            history_decay=history_decay,
            memory=lambda: self._memory,
        )
        self._step_start = 0

    # -- state -----------------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        return self._language

    @property
    def region(self) -> str:
        return self._region

    @property
    def state(self) -> CaptureState:
        """The current state."""
        return self._memory.state

    @property
    def proposal(self) -> Proposal | None:
        """The proposal waiting for the caller's answer, if any."""
        return self._memory.on_table

    @property
    def confirmed(self) -> Proposal | None:
        """The confirmed proposal once the state is ``confirmed``."""
        return self._memory.confirmed

    @property
    def rejected(self) -> tuple[str, ...]:
        """E.164 numbers the caller rejected, in order."""
        return tuple(self._memory.rejected_numbers)

    @property
    def attempt(self) -> int:
        """The read-back round: 1 + the number of rejections."""
        return len(self._memory.rejected_numbers) + 1

    @property
    def done(self) -> bool:
        """Whether the capture ended (confirmed, declined or failed)."""
        return self._memory.state in TERMINAL_STATES

    @property
    def events(self) -> tuple[CaptureEvent, ...]:
        """Every event emitted so far."""
        return tuple(self._memory.events)

    @property
    def window_from(self) -> int:
        """The first caller turn (its index in the call) this capture reads: its start or last read-back."""
        return self._memory.window_from

    def restart(self, *, turns_heard: int = 0) -> None:
        """A new capture (a new number), reading the caller's turns from ``turns_heard`` on; same machine."""
        self._memory = CaptureMemory(window_from=turns_heard)

    def answer(self, *, turn_index: int, utterance_id: str, evidence: Sequence[Evidence]) -> CallerAnswer:
        """Caller turn ``turn_index`` as the answer to the read-back made before it began (``turns_heard``)."""
        return CallerAnswer(
            proposal_id=self._memory.answered_by(turn_index), utterance_id=utterance_id, evidence=tuple(evidence)
        )

    # -- transitions -----------------------------------------------------------------------------------

    def offer(self, evidence: Sequence[Evidence], *, utterance_id: str) -> CaptureStep:
        """Read the evidence of the caller's latest utterance and propose the best reading not rejected.

        In ``proposed`` state a different number supersedes the proposal (a pending confirm becomes stale)
        unless the current one is heard again; a "nei, det er …" is a rejection. A partial number waits for the
        rest; a partial correction with a cue word ("ikke …", "det siste …") applies to the last read-back.
        """
        return self.offer_window([(utterance_id, evidence)])

    def offer_window(
        self,
        utterances: Sequence[tuple[str, Sequence[Evidence]]],
        *,
        turns_heard: int | None = None,
        pending: bool = False,
    ) -> CaptureStep:
        """Read every caller utterance since the number was asked for, oldest first, as :meth:`offer` reads one.

        A number said over several utterances is joined however the realtime model's turn detection cut it, even
        when no tool was called after the first parts ("nittito trettifire" … "mm" … "femtiseks syttiåtte"). An
        earlier utterance already read, or without digits a sidecar engine heard, is skipped (it neither counts as
        a miss nor breaks the number); the latest is read in any case. When an earlier part completed a number and
        the latest adds nothing, the step reads that number back. ``turns_heard``: the caller turns the call had
        heard at this step; a read-back made now is the one a later turn answers (:meth:`answer`). ``pending``: a
        running engine's final for the latest utterance is still due, so a latest utterance the sidecar heard
        nothing in is no miss yet (at most ``max_pending`` such utterances in a row).
        """
        return self._noted(self._offer_window(utterances, pending=pending), turns_heard=turns_heard)

    def _offer_window(self, utterances: Sequence[tuple[str, Sequence[Evidence]]], *, pending: bool) -> CaptureStep:
        if not utterances:
            raise ValueError("offer_window needs at least one utterance")
        self._begin_step()
        reader = self._reading.reader()
        *earlier, (latest_id, latest) = utterances
        proposed: CaptureStep | None = None
        for utterance_id, evidence in earlier:
            if self.done or utterance_id in self._memory.consumed_utterances:
                continue
            if sidecar_heard_digits(self._reading.usable(evidence), reader):
                step = self._offer_one(evidence, utterance_id, reader)
                proposed = step if step.reason == "proposed" else proposed
        step = self._offer_one(latest, latest_id, reader, pending=pending)
        on_table = self._memory.on_table
        if proposed is not None and on_table is not None and step.reason in ("no_number", "utterance_reused"):
            return self._step("proposed", self._proposal_instruction(on_table))
        return step

    def _offer_one(
        self, evidence: Sequence[Evidence], utterance_id: str, reader: TextReader, *, pending: bool = False
    ) -> CaptureStep:
        memory = self._memory
        if self.done:
            return self._refuse("finished")
        if utterance_id in memory.consumed_utterances:
            return self._refuse("utterance_reused")
        usable = self._reading.usable(evidence)
        if memory.on_table is not None and sidecar_says_no(usable, reader):
            # "nei, det er …" given to capture rather than reject: it is a rejection all the same
            return self._take_rejection(memory.on_table, evidence, utterance_id=utterance_id, reader=reader)
        has_digits = sidecar_heard_digits(usable, reader)
        if has_digits:
            # an utterance the sidecar heard without digits may be offered again once its finals are complete
            memory.consumed_utterances.add(utterance_id)
            memory.pending_in_a_row = 0
        ranked = self._reading.rank_and_remember(usable, reader, has_digits=has_digits)
        readings = proposable(self._realtime_fallback(), ranked)
        if readings:
            on_table = memory.on_table
            if on_table is not None and (readings[0].e164 == on_table.e164 or on_table.candidate.typed):
                # a number heard again, or heard against one the caller typed: what is on the table stays
                return self._step("same_proposal", self._proposal_instruction(on_table))
            choice = ambiguous_readings(usable, readings, reader)
            if choice is not None:
                return self._ask_which(choice)
            memory.pending_choice = None
            return self._propose(readings[0], utterance_id=utterance_id, rule=proposal_rule(readings[0], "sidecar"))
        pick = picked(memory.pending_choice, usable, language=self._language) if memory.pending_choice else None
        if pick is not None and pick.e164 not in memory.rejected_readings:
            memory.pending_choice = None
            return self._propose(pick, utterance_id=utterance_id, rule="sidecar")
        if memory.on_table is None and has_digits and self._reading.heard_only_rejected(usable, reader):
            return self._escalate(evidence, reader, utterance_id=utterance_id)
        if self._keypad_offered() and asks_to_type(usable, self._language):
            memory.keypad_requested = True
            return self._step("keypad_requested", self._texts["ask_keypad"])
        if memory.on_table is not None:
            return self._step("no_number", self._texts["repeat"].format(read_back=memory.on_table.read_back))
        if memory.last_rejected is not None:
            step = self._try_correction(usable, reader, utterance_id=utterance_id, require_cue=True)
            if step is not None:
                return step
        return self._partial_or_unheard(
            usable, reader, utterance_id=utterance_id, has_digits=has_digits, weak_number=bool(ranked), pending=pending
        )

    def confirm(self, answer: CallerAnswer, *, turns_heard: int | None = None) -> CaptureStep:
        """The model says the caller said yes: confirmed only when ``answer`` may confirm the reading on the
        table (:func:`~sidecar_stt.core.answer.judge_confirm`). A refusal that puts the reading to the caller again
        ("hæ?", an answer still being transcribed) is a read-back the next turn answers."""
        return self._noted(self._confirm(answer), turns_heard=turns_heard)

    def _confirm(self, answer: CallerAnswer) -> CaptureStep:
        self._begin_step()
        memory = self._memory
        confirmed = memory.confirmed
        if confirmed is not None and answer.proposal_id == confirmed.proposal_id:
            return self._step("confirmed", self._texts["confirmed"], proposal=confirmed)
        if self.done:
            return self._refuse("finished")
        proposal = memory.on_table
        if proposal is None:
            return self._refuse("not_proposed")
        verdict = judge_confirm(proposal, answer, reader=self._reading.reader())
        if verdict != "yes":
            return self._refuse(verdict)
        memory.state = "confirmed"
        memory.confirmed = proposal
        memory.on_table = None
        self._record(
            PhoneNumberConfirmedEvent(
                proposal_id=proposal.proposal_id,
                e164=proposal.e164,
                digits=proposal.digits,
                attempt=proposal.attempt,
                sources=proposal.sources,
                created_at=self._now(),
            )
        )
        return self._step("confirmed", self._texts["confirmed"], proposal=proposal)

    def reject(self, answer: CallerAnswer, *, turns_heard: int | None = None) -> CaptureStep:
        """The model says the caller said no: the reading on the table is rejected when ``answer`` answered it
        (:func:`~sidecar_stt.core.answer.judge_reject`). A whole number or a partial correction in the answer is
        proposed at once; otherwise the model asks again."""
        return self._noted(self._reject(answer), turns_heard=turns_heard)

    def _reject(self, answer: CallerAnswer) -> CaptureStep:
        self._begin_step()
        if self.done:
            return self._refuse("finished")
        proposal = self._memory.on_table
        if proposal is None:
            return self._refuse("not_proposed")
        verdict = judge_reject(proposal, answer, reader=self._reading.reader())
        if verdict != "answered":
            return self._refuse(verdict)
        assert answer.utterance_id is not None  # judge_reject checked it
        return self._take_rejection(
            proposal, answer.evidence, utterance_id=answer.utterance_id, reader=self._reading.reader()
        )

    def decline(self) -> CaptureStep:
        """The caller does not want to give a number: capture ends (``declined``)."""
        self._begin_step()
        if self.done:
            return self._refuse("finished")
        self._memory.state = "declined"
        self._memory.on_table = None
        self._record(self._failed_event("declined"))
        return self._step("declined", self._texts["declined"])

    def keypad(self, digits: str, *, entry_id: str, turns_heard: int | None = None) -> CaptureStep:
        """Digits the caller typed on the keypad (one entry, finished with ``#`` or a pause). A valid number the
        caller has not rejected is proposed at once (``rule="keypad"``) and read back like any other; it stays
        on the table against speech until the caller answers. An entry that is no valid number, or one the caller
        rejected, asks the caller to type it again (``keypad_invalid``)."""
        return self._noted(self._keypad(digits, entry_id), turns_heard=turns_heard)

    def _keypad(self, digits: str, entry_id: str) -> CaptureStep:
        self._begin_step()
        memory = self._memory
        if self.done:
            return self._refuse("finished")
        if entry_id in memory.consumed_utterances:
            return self._refuse("utterance_reused")
        memory.consumed_utterances.add(entry_id)
        reader = self._reading.reader()
        typed = Evidence("keypad", "keypad", (Alternative(digits[:_MAX_KEYPAD_DIGITS], 1.0),))
        readings = self._reading.fuse([typed], reader) if digits.strip() else []
        if not readings:
            was_rejected = bool(digits.strip()) and bool(reader.phones(digits[:_MAX_KEYPAD_DIGITS]))
            return self._step("keypad_invalid", self._texts["keypad_rejected" if was_rejected else "keypad_invalid"])
        on_table = memory.on_table
        if on_table is not None and readings[0].e164 == on_table.e164:
            return self._step("same_proposal", self._proposal_instruction(on_table))
        memory.partial_pieces.clear()
        return self._propose(readings[0], utterance_id=entry_id, rule="keypad")

    # -- what may be offered -------------------------------------------------------------------------

    def _realtime_fallback(self) -> bool:
        return self._allow_realtime_only and not self._memory.rejected_numbers

    def _keypad_offered(self) -> bool:
        """Whether this call's caller may be asked to type at all."""
        return self._keypad_after is not None and self._keypad_available()

    def _keypad_due(self) -> bool:
        """Whether the next request for the number asks for the keypad."""
        if self._keypad_after is None or not self._keypad_available():
            return False
        return self._memory.keypad_requested or self._memory.failed_attempts >= self._keypad_after

    # -- transitions' parts -----------------------------------------------------------------------------

    def _noted(self, step: CaptureStep, *, turns_heard: int | None) -> CaptureStep:
        """``step``, with the read-back it puts to the caller (a new proposal, the same one heard again, a refusal
        that reads it again) noted at ``turns_heard`` caller turns and reported (``None``: the caller of the
        machine does not count turns, nothing is noted). A read-back past ``max_read_backs`` ends the capture."""
        memory = self._memory
        proposal = step.proposal
        if turns_heard is None or proposal is None or proposal is not memory.on_table or not _reads_back(step):
            return step
        repeated = any(pid == proposal.proposal_id for _, pid in memory.read_backs)
        already_noted = bool(memory.read_backs) and memory.read_backs[-1] == (turns_heard, proposal.proposal_id)
        if len(memory.read_backs) >= self._max_read_backs and not proposal.candidate.typed and not already_noted:
            return self._fail("max_read_backs", last=proposal)
        if memory.read_back(proposal.proposal_id, turns_heard=turns_heard):
            self._record(
                PhoneNumberReadBackEvent(
                    proposal_id=proposal.proposal_id,
                    e164=proposal.e164,
                    read_back=proposal.read_back,
                    turns_heard=turns_heard,
                    repeated=repeated,
                    created_at=self._now(),
                )
            )
        return dataclasses.replace(step, events=tuple(memory.events[self._step_start :]))

    def _escalate(self, evidence: Sequence[Evidence], reader: TextReader, *, utterance_id: str) -> CaptureStep:
        """The sidecar heard only rejected readings again: climb the next rung of the ladder."""
        memory = self._memory
        earlier = self._reading.earlier_alternative(reader)
        realtime = self._reading.realtime_reading(evidence, reader)
        available: list[Rung] = ["digit_by_digit"]
        if earlier is not None:
            available.append("earlier_alternative")
        if realtime is not None:
            available.append("realtime_reading")
        if self._keypad_offered() and not memory.keypad_requested:
            available.append("keypad")
        rung = next_rung(memory.climbed, available=available)
        memory.climbed.append(rung)
        self._record(
            CaptureEscalatedEvent(rung=rung, rejected_count=len(memory.rejected_numbers), created_at=self._now())
        )
        if rung == "earlier_alternative" and earlier is not None:
            return self._propose(earlier, utterance_id=utterance_id, rule="earlier_alternative", check_each_pair=True)
        if rung == "realtime_reading" and realtime is not None:
            return self._propose(realtime, utterance_id=utterance_id, rule="realtime_fallback")
        if rung == "give_up":
            return self._fail("no_new_reading")
        memory.state = "asking_again"
        if rung == "keypad":
            memory.keypad_requested = True
            return self._step("escalated", self._texts["ask_keypad"])
        return self._step("escalated", self._texts["ask_whole_digits"])

    def _take_rejection(
        self, proposal: Proposal, evidence: Sequence[Evidence], *, utterance_id: str, reader: TextReader
    ) -> CaptureStep:
        """Record the caller's no to ``proposal``; propose at once what the answer itself holds."""
        memory = self._memory
        memory.rejected_numbers.append(proposal.e164)
        memory.rejected_readings.update((proposal.e164, proposal.digits))
        memory.failed_attempts += 1
        memory.last_rejected = proposal
        memory.on_table = None
        memory.partial_pieces.clear()
        memory.misses_in_a_row = 0
        self._record(
            PhoneNumberRejectedEvent(
                proposal_id=proposal.proposal_id,
                e164=proposal.e164,
                digits=proposal.digits,
                attempt=proposal.attempt,
                sources=proposal.sources,
                created_at=self._now(),
            )
        )
        if len(memory.rejected_numbers) >= self._max_attempts:
            if not self._keypad_offered() or memory.keypad_requested:
                return self._fail("max_attempts", last=proposal)
            # the last resort before giving up, where the caller can type: the ladder's keypad rung
            memory.keypad_requested = True
            memory.state = "asking_again"
            memory.climbed.append("keypad")
            self._record(
                CaptureEscalatedEvent(
                    rung="keypad", rejected_count=len(memory.rejected_numbers), created_at=self._now()
                )
            )
            return self._step("escalated", self._texts["ask_keypad"])
        memory.state = "asking_again"
        if evidence and utterance_id not in memory.consumed_utterances:
            memory.consumed_utterances.add(utterance_id)
            usable = self._reading.usable(evidence)
            ranked = self._reading.rank_and_remember(usable, reader, has_digits=sidecar_heard_digits(usable, reader))
            readings = proposable(self._realtime_fallback(), ranked)
            if readings:
                return self._propose(readings[0], utterance_id=utterance_id, rule="sidecar")
            if self._reading.heard_only_rejected(usable, reader):
                return self._escalate(evidence, reader, utterance_id=utterance_id)
            step = self._try_correction(usable, reader, utterance_id=utterance_id, require_cue=False)
            if step is not None:
                return step
            if sidecar_heard_digits(usable, reader):
                memory.partial_pieces.append(usable)
        return self._step("rejected", self._ask_again_text())

    def _partial_or_unheard(
        self,
        usable: Utterance,
        reader: TextReader,
        *,
        utterance_id: str,
        has_digits: bool,
        weak_number: bool,
        pending: bool = False,
    ) -> CaptureStep:
        """Join a part of a number with the parts before it; else wait for the rest, or count a miss (unless the
        engines are still transcribing it: ``pending``)."""
        memory = self._memory
        for size in range(1, len(memory.partial_pieces) + 1):
            joined = tuple(join_evidence([*memory.partial_pieces[-size:], usable], weights=self._weights))
            readings = proposable(self._realtime_fallback(), self._reading.rank(joined, reader))
            if readings:
                memory.number_utterances.append(joined)
                memory.partial_pieces.clear()
                memory.misses_in_a_row = 0
                rule = proposal_rule(readings[0], "joined_turns")
                return self._propose(readings[0], utterance_id=utterance_id, rule=rule)
        if has_digits and sidecar_heard_whole_length(usable, self._language):
            # as many digits as a whole number, yet no valid one: the whole number again, never "the rest"
            memory.misses_in_a_row = 0
            return self._step("no_number", self._ask_again_text())
        if has_digits:
            memory.partial_pieces.append(usable)
            del memory.partial_pieces[: -self._max_pending]
            memory.misses_in_a_row = 0
            return self._step("partial_number", self._texts["ask_rest"])
        if pending and memory.pending_in_a_row < self._max_pending and utterance_id not in memory.counted_misses:
            # the engines are still transcribing it (a slow final, an engine starting): no miss yet
            memory.pending_in_a_row += 1
            return self._step("sidecar_pending", self._texts["sidecar_pending"])
        if utterance_id not in memory.counted_misses:
            memory.counted_misses.add(utterance_id)
            memory.misses_in_a_row += 1
            memory.failed_attempts += 1
        if memory.misses_in_a_row >= self._max_unheard:
            return self._fail("not_heard")
        if self._keypad_due():
            return self._step("no_number", self._texts["ask_keypad"])
        if weak_number:
            # the model's own ear (or its argument) holds a number the sidecar did not hear: say so plainly
            return self._refuse("no_sidecar_number", accepted=True)
        text = self._texts["not_heard"] if not memory.rejected_numbers else self._ask_again_text()
        return self._step("no_number", text)

    def _try_correction(
        self, usable: Utterance, reader: TextReader, *, utterance_id: str, require_cue: bool
    ) -> CaptureStep | None:
        """Apply a partial correction in the caller's words to the last rejected reading, and propose it."""
        reference = self._memory.last_rejected
        if reference is None:
            return None
        corrected, changed = correct_evidence(
            usable, reference, reader, max_alternatives=self._weights.max_alternatives, require_cue=require_cue
        )
        readings = self._reading.fuse(corrected, reader)
        if not readings:
            return None
        self._memory.partial_pieces.clear()
        best = readings[0]
        corrected_groups = changed.get(best.digits, ())
        return self._propose(best, utterance_id=utterance_id, rule="correction", corrected=corrected_groups)

    def _ask_which(self, choice: PendingChoice) -> CaptureStep:
        """Two numbers and no word saying which: the model asks the caller (never a silent pick)."""
        self._memory.pending_choice = choice
        variants = (*heard_variants(self._memory.number_texts(), language=self._language), *self._read_back_variants)
        text = ask_which_text(self._texts, choice, language=self._language, style=self._style(), variants=variants)
        return self._step("ask_which", text)

    def _style(self) -> ReadBackStyle:
        if len(self._memory.rejected_numbers) >= self._digits_after or self._language == "en":
            return "digits"
        return "pairs"

    def _propose(
        self,
        candidate: FusedCandidate,
        *,
        utterance_id: str,
        rule: ProposalRule,
        corrected: tuple[int, ...] = (),
        check_each_pair: bool = False,
    ) -> CaptureStep:
        memory = self._memory
        if candidate.e164 in memory.rejected_readings or candidate.digits in memory.rejected_readings:
            raise AssertionError("a rejected reading must never be proposed")
        style = self._style()
        # the forms the caller used (sju/syv), unless the app fixed them
        variants = (*heard_variants(memory.number_texts(), language=self._language), *self._read_back_variants)
        spoken = speak_number(candidate.e164, language=self._language, style=style, variants=variants)
        uncertain = uncertain_group(candidate, spoken.groups, below=self._uncertain_below)
        last = memory.last_rejected
        if corrected and last is not None and len(last.groups) != len(spoken.groups):
            corrected = ()  # indices into the last read-back's groups do not map onto a different grouping
        memory.proposals_made += 1
        proposal = Proposal(
            proposal_id=f"p{memory.proposals_made}",
            e164=candidate.e164,
            digits=candidate.digits,
            spoken=spoken,
            style=style,
            uncertain_group=uncertain,
            attempt=self.attempt,
            utterance_id=utterance_id,
            corrected_groups=corrected,
            candidate=candidate,
            check_each_pair=check_each_pair,
        )
        memory.on_table = proposal
        memory.state = "proposed"
        memory.misses_in_a_row = 0
        self._record(
            PhoneNumberProposedEvent(
                proposal_id=proposal.proposal_id,
                e164=proposal.e164,
                digits=proposal.digits,
                read_back=proposal.read_back,
                style=style,
                attempt=proposal.attempt,
                score=candidate.score,
                sources=candidate.sources,
                utterance_id=utterance_id,
                uncertain_group=uncertain,
                corrected_groups=corrected,
                rule=rule,
                created_at=self._now(),
            )
        )
        return self._step("proposed", self._proposal_instruction(proposal), proposal=proposal)

    def _proposal_instruction(self, proposal: Proposal) -> str:
        return proposal_instruction(self._texts, proposal)

    def _ask_again_text(self) -> str:
        digits = len(self._memory.rejected_numbers) >= self._digits_after
        return ask_again_text(self._texts, keypad_due=self._keypad_due(), digits=digits)

    def _failed_event(self, reason: CaptureFailureReason, last: Proposal | None = None) -> CaptureEvent:
        last = last or self._memory.last_rejected
        return PhoneNumberCaptureFailedEvent(
            reason=reason,
            attempt=self.attempt,
            rejected_count=len(self._memory.rejected_numbers),
            sources=last.sources if last is not None else (),
            created_at=self._now(),
        )

    def _fail(self, reason: CaptureFailureReason, *, last: Proposal | None = None) -> CaptureStep:
        self._memory.state = "failed"
        self._memory.on_table = None
        self._record(self._failed_event(reason, last))
        return self._step("failed", self._texts["failed"])

    # -- steps and events -------------------------------------------------------------------------------

    def _begin_step(self) -> None:
        self._step_start = len(self._memory.events)

    def _record(self, event: CaptureEvent) -> None:
        """The one way an event is kept: recorded when it happens, reported by the step that made it."""
        self._memory.events.append(event)

    def _refuse(self, reason: CaptureStepReason, *, accepted: bool = False) -> CaptureStep:
        """A call that changes nothing; the refusal is an event naming the rule that decided."""
        on_table = self._memory.on_table
        text = refusal_text(self._texts, reason, on_table)
        self._record(
            CaptureStepRefusedEvent(
                reason=reason, proposal_id=on_table.proposal_id if on_table else None, created_at=self._now()
            )
        )
        events = tuple(self._memory.events[self._step_start :])
        return CaptureStep(self._memory.state, on_table, text, events, reason, accepted=accepted)

    def _step(self, reason: CaptureStepReason, instruction: str, *, proposal: Proposal | None = None) -> CaptureStep:
        events = tuple(self._memory.events[self._step_start :])
        return CaptureStep(self._memory.state, proposal or self._memory.on_table, instruction, events, reason)


def _reads_back(step: CaptureStep) -> bool:
    """Whether ``step``'s instruction puts the reading on the table to the caller."""
    return step.reason in ("proposed", "same_proposal", "no_number") or step.reason in RE_READ_REFUSALS
