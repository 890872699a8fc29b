"""Phone-number capture: a pure state machine from the caller's utterances to one confirmed number.

States::

    waiting ──offer──► proposed ──confirm──► confirmed
       ▲  │ (partial:     │  ▲
       │  │  wait rest)   │  └─────────── offer / reject with a usable correction
       └──┘            reject ──► asking_again ──offer──► proposed …
                              └─(max_attempts rejections)──► failed
    any open state ──decline──► declined;  too many utterances without a number ──► failed

The machine reads evidence (what every source heard, see :mod:`.fusion`), proposes the best reading the caller
has not rejected, and tells the model exactly what to say: the read-back comes from :mod:`.readback`, the
model never transcribes. Rules:

- every rejected reading is remembered and never proposed again;
- after a rejection only the caller's own words count: tool arguments (the model's guess) are ignored from
  then on, and an utterance id is used once;
- a partial correction ("nei, det er førtiseks, ikke førtifem", "det siste er syttiåtte", "not forty-five,
  forty-six") is applied to the right group of the last read-back (:mod:`.correction`);
- a number given over several utterances ("nittito trettifire" … "femtiseks syttiåtte") is joined;
- earlier utterances of the number (discounted, rejected readings included as digit votes) help rank the
  readings of the latest one, but only the latest utterance's readings are proposed;
- from the ``digits_after_rejections``-th rejection on, the read-back goes digit by digit;
- a confirm must name the current proposal: a stale one (the number changed since) is refused.

No I/O and no clock reads except the injectable ``now`` used for ``created_at``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from .capture_events import (
    CaptureEvent,
    CaptureFailureReason,
    PhoneNumberCaptureFailedEvent,
    PhoneNumberConfirmedEvent,
    PhoneNumberProposedEvent,
    PhoneNumberRejectedEvent,
)
from .correction import apply_correction, has_correction_cue, parse_correction, says_no
from .fusion import DEFAULT_WEIGHTS, Evidence, FusedCandidate, FusionWeights, fuse_phone_evidence, join_evidence
from .instructions import capture_step_texts
from .numerals import normalize_language, parse_digit_readings
from .readback import ReadBackStyle, read_back, read_back_groups
from .segment import Alternative

__all__ = ["CaptureState", "CaptureStep", "CaptureStepReason", "PhoneCapture", "Proposal"]

CaptureState = Literal["waiting", "proposed", "asking_again", "confirmed", "declined", "failed"]
CaptureStepReason = Literal[
    "proposed",
    "same_proposal",
    "partial_number",
    "no_number",
    "rejected",
    "confirmed",
    "declined",
    "failed",
    "stale_proposal",
    "not_proposed",
    "utterance_reused",
    "finished",
]

_TERMINAL: Final = frozenset({"confirmed", "declined", "failed"})


@dataclass(frozen=True, slots=True)
class Proposal:
    """A reading read back to the caller, waiting for a yes or a no."""

    proposal_id: str
    """``"p1"``, ``"p2"``, …: a confirm must name the current one."""
    version: int
    e164: str
    digits: str
    groups: tuple[str, ...]
    """The groups as read back (pairs, or single digits when read digit by digit)."""
    read_back: str
    """The exact words the agent speaks."""
    style: ReadBackStyle
    uncertain_group: int | None
    """Index in :attr:`groups` of the group the sources agree on least, when notably uncertain."""
    attempt: int
    """1 for the first read-back round, +1 after every rejection."""
    utterance_id: str
    corrected_groups: tuple[int, ...]
    candidate: FusedCandidate

    @property
    def score(self) -> float:
        """The fused score of the reading."""
        return self.candidate.score

    @property
    def sources(self) -> tuple[str, ...]:
        """Sources that supported the reading."""
        return self.candidate.sources


@dataclass(frozen=True, slots=True)
class CaptureStep:
    """The result of one call: the new state, the proposal on the table, what the model should say."""

    state: CaptureState
    proposal: Proposal | None
    instruction: str
    events: tuple[CaptureEvent, ...]
    reason: CaptureStepReason
    accepted: bool = True
    """``False`` when the call was refused (stale confirm, reused utterance, capture already over)."""


class PhoneCapture:
    """The capture state machine for one phone number. Not thread-safe; one instance per capture."""

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
        now: Callable[[], float] = time.time,
    ) -> None:
        """``max_attempts`` rejections end in ``failed``; so do ``max_unheard`` utterances in a row without any
        digit. ``digits_after_rejections`` rejections switch the read-back to single digits. A group whose
        fused confidence is below ``uncertain_below`` (and below the others) is singled out in the instruction.
        ``max_pending`` utterances with part of a number are kept to be joined with the rest. Earlier
        utterances of the number help rank the readings of the latest one, their support multiplied by
        ``history_decay`` per utterance of age (0 turns this off); only the latest utterance's readings are
        proposed."""
        if max_attempts < 1 or max_unheard < 1 or max_pending < 1:
            raise ValueError("max_attempts, max_unheard and max_pending must be at least 1")
        self._language = normalize_language(language)
        self._region = region.upper()
        self._max_attempts = max_attempts
        self._max_unheard = max_unheard
        self._digits_after = digits_after_rejections
        self._uncertain_below = uncertain_below
        self._max_pending = max_pending
        self._history_decay = history_decay
        self._heard: list[tuple[Evidence, ...]] = []
        self._weights = weights
        self._now = now
        self._texts = capture_step_texts(self._language)
        self._state: CaptureState = "waiting"
        self._proposal: Proposal | None = None
        self._last: Proposal | None = None
        self._confirmed: Proposal | None = None
        self._rejected: list[str] = []
        self._rejected_keys: set[str] = set()
        self._used: set[str] = set()
        self._pending: list[tuple[Evidence, ...]] = []
        self._unheard = 0
        self._unheard_ids: set[str] = set()
        self._versions = itertools.count(1)
        self._history: list[CaptureEvent] = []

    # -- state -----------------------------------------------------------------------------------------

    @property
    def state(self) -> CaptureState:
        """The current state."""
        return self._state

    @property
    def proposal(self) -> Proposal | None:
        """The proposal waiting for the caller's answer, if any."""
        return self._proposal

    @property
    def confirmed(self) -> Proposal | None:
        """The confirmed proposal once the state is ``confirmed``."""
        return self._confirmed

    @property
    def rejected(self) -> tuple[str, ...]:
        """E.164 numbers the caller rejected, in order."""
        return tuple(self._rejected)

    @property
    def attempt(self) -> int:
        """The read-back round: 1 + the number of rejections."""
        return len(self._rejected) + 1

    @property
    def done(self) -> bool:
        """Whether the capture ended (confirmed, declined or failed)."""
        return self._state in _TERMINAL

    @property
    def events(self) -> tuple[CaptureEvent, ...]:
        """Every event emitted so far."""
        return tuple(self._history)

    # -- transitions -----------------------------------------------------------------------------------

    def offer(self, evidence: Sequence[Evidence], *, utterance_id: str) -> CaptureStep:
        """Read the evidence of the caller's latest utterance and propose the best reading not rejected.

        In ``proposed`` state a different number supersedes the proposal (a pending confirm becomes stale)
        unless the current one is heard again. A partial number waits for the rest; a partial correction
        with a cue word ("ikke …", "det siste …") applies to the last read-back.
        """
        if self.done:
            return self._refuse("finished")
        if utterance_id in self._used:
            return self._refuse("utterance_reused")
        usable = self._usable(evidence)
        if self._proposal is not None and self._says_no(usable):
            # "nei, det er …" given to capture rather than reject: it is a rejection all the same
            return self.reject(self._proposal.proposal_id, correction_evidence=evidence, utterance_id=utterance_id)
        if self._has_digits(usable):
            # an utterance without digits may be offered again once its transcripts are complete
            self._used.add(utterance_id)
        fused = self._heard_by_transcripts(self._fuse_heard(usable), usable)
        if fused:
            if self._proposal is not None and fused[0].e164 == self._proposal.e164:
                return self._step("same_proposal", self._proposal_instruction(self._proposal))
            return self._propose(fused[0], utterance_id=utterance_id)
        if self._state == "proposed":
            assert self._proposal is not None
            return self._step("no_number", self._texts["repeat"].format(read_back=self._proposal.read_back))
        if self._last is not None:
            step = self._try_correction(usable, utterance_id=utterance_id, require_cue=True)
            if step is not None:
                return step
        return self._partial_or_unheard(usable, utterance_id=utterance_id)

    def confirm(self, proposal_id: str) -> CaptureStep:
        """The caller said yes to ``proposal_id``. Refused when it is not the current proposal (stale)."""
        if self._confirmed is not None and proposal_id == self._confirmed.proposal_id:
            return self._step("confirmed", self._texts["confirmed"])
        if self.done:
            return self._refuse("finished")
        if self._proposal is None:
            return self._refuse("not_proposed")
        if proposal_id != self._proposal.proposal_id:
            return self._refuse("stale_proposal")
        proposal = self._proposal
        self._state = "confirmed"
        self._confirmed = proposal
        self._proposal = None
        event = PhoneNumberConfirmedEvent(
            proposal_id=proposal.proposal_id,
            e164=proposal.e164,
            digits=proposal.digits,
            attempt=proposal.attempt,
            sources=proposal.sources,
            created_at=self._now(),
        )
        return self._step("confirmed", self._texts["confirmed"], (event,), proposal=proposal)

    def reject(
        self,
        proposal_id: str | None = None,
        *,
        correction_evidence: Sequence[Evidence] = (),
        correction_text: str = "",
        utterance_id: str | None = None,
    ) -> CaptureStep:
        """The caller said no to the current proposal (``proposal_id``, when given, must name it).

        ``correction_evidence`` is what the sources heard in the caller's answer (utterance ``utterance_id``,
        required with evidence); ``correction_text`` a plain transcript of it, counted as a weak source. A
        whole number or a partial correction in it is proposed at once; otherwise the model asks again.
        """
        if self.done:
            return self._refuse("finished")
        if self._proposal is None:
            return self._refuse("not_proposed")
        if proposal_id is not None and proposal_id != self._proposal.proposal_id:
            return self._refuse("stale_proposal")
        evidence = list(correction_evidence)
        if correction_text.strip():
            evidence.append(
                Evidence(
                    source="correction_text", kind="realtime_transcript", alternatives=(Alternative(correction_text),)
                )
            )
        if evidence and utterance_id is None:
            raise ValueError("utterance_id is required with correction evidence")
        proposal = self._proposal
        self._record_rejection(proposal)
        self._proposal = None
        self._pending.clear()
        self._unheard = 0
        rejected = self._rejection_event(proposal)
        self._history.append(rejected)
        if len(self._rejected) >= self._max_attempts:
            return self._fail("max_attempts", prior=(rejected,))
        self._state = "asking_again"
        if evidence and utterance_id is not None and utterance_id not in self._used:
            self._used.add(utterance_id)
            usable = self._usable(evidence)
            fused = self._fuse_heard(usable)
            if fused:
                return self._propose(fused[0], utterance_id=utterance_id, prior=(rejected,))
            step = self._try_correction(usable, utterance_id=utterance_id, require_cue=False, prior=(rejected,))
            if step is not None:
                return step
            if self._has_digits(usable):
                self._pending.append(tuple(usable))
        return self._step("rejected", self._ask_again_text(), (rejected,), record=False)

    def decline(self) -> CaptureStep:
        """The caller does not want to give a number: capture ends (``declined``)."""
        if self.done:
            return self._refuse("finished")
        self._state = "declined"
        self._proposal = None
        event = self._failed_event("declined")
        return self._step("declined", self._texts["declined"], (event,))

    # -- internals -------------------------------------------------------------------------------------

    def _rejection_event(self, proposal: Proposal) -> PhoneNumberRejectedEvent:
        return PhoneNumberRejectedEvent(
            proposal_id=proposal.proposal_id,
            e164=proposal.e164,
            digits=proposal.digits,
            attempt=proposal.attempt,
            sources=proposal.sources,
            created_at=self._now(),
        )

    def _record_rejection(self, proposal: Proposal) -> None:
        self._rejected.append(proposal.e164)
        self._rejected_keys.update((proposal.e164, proposal.digits))
        self._last = proposal

    def _says_no(self, evidence: Sequence[Evidence]) -> bool:
        return any(
            says_no(e.alternatives[0].text, language=self._language)
            for e in evidence
            if e.kind == "sidecar" and e.alternatives
        )

    def _usable(self, evidence: Sequence[Evidence]) -> list[Evidence]:
        """The evidence that may count: after a rejection, never the model's tool argument."""
        if self._rejected:
            return [e for e in evidence if e.kind != "tool_argument"]
        return list(evidence)

    def _fuse(self, evidence: Sequence[Evidence]) -> list[FusedCandidate]:
        if not evidence:
            return []
        return fuse_phone_evidence(
            evidence,
            language=self._language,
            region=self._region,
            rejected=self._rejected_keys,
            weights=self._weights,
        )

    def _fuse_heard(self, usable: Sequence[Evidence], *, remember: bool = True) -> list[FusedCandidate]:
        """Readings of the latest utterance, ranked with the help of the earlier ones (discounted).

        ``remember`` keeps the utterance for later rankings when it holds digits."""
        current = self._fuse(usable)
        earlier = self._heard
        if (remember or current) and (current or self._has_digits(usable)):
            self._heard = [*earlier, tuple(usable)]
        if not current or not earlier or self._history_decay <= 0:
            return current
        older: list[Evidence] = []
        for age, piece in enumerate(reversed(earlier), start=1):
            factor = self._history_decay**age
            older.extend(replace(e, weight=e.weight * factor) for e in self._usable(piece))
        allowed = {c.e164 for c in current}
        ranked = [c for c in self._fuse([*usable, *older]) if c.e164 in allowed]
        return ranked or current

    def _heard_by_transcripts(self, fused: list[FusedCandidate], usable: Sequence[Evidence]) -> list[FusedCandidate]:
        """Drop readings only the model's tool argument supports while some transcript heard digits: then the
        transcripts hold part of a number, to be joined with the rest, and the model's guess must not fill in."""
        if not self._has_digits(usable):
            return fused
        return [c for c in fused if any(s.kind != "tool_argument" for s in c.support)]

    def _has_digits(self, evidence: Sequence[Evidence]) -> bool:
        for e in evidence:
            if e.kind == "tool_argument":
                continue
            for alt in e.alternatives[:1]:
                if any(
                    not all(g.weak for g in run.best.groups)
                    for run in parse_digit_readings(alt.text, language=self._language)
                ):
                    return True
        return False

    def _partial_or_unheard(self, usable: list[Evidence], *, utterance_id: str) -> CaptureStep:
        if self._pending:
            for size in range(1, len(self._pending) + 1):
                pieces = [*self._pending[-size:], tuple(usable)]
                fused = self._fuse_heard(join_evidence(pieces, weights=self._weights), remember=False)
                if fused:
                    self._pending.clear()
                    self._unheard = 0
                    return self._propose(fused[0], utterance_id=utterance_id)
        if self._has_digits(usable):
            self._pending.append(tuple(usable))
            del self._pending[: -self._max_pending]
            self._unheard = 0
            return self._step("partial_number", self._texts["ask_rest"])
        if utterance_id not in self._unheard_ids:  # the same utterance offered twice counts once
            self._unheard_ids.add(utterance_id)
            self._unheard += 1
        if self._unheard >= self._max_unheard:
            return self._fail("not_heard")
        text = self._texts["not_heard"] if not self._rejected else self._ask_again_text()
        return self._step("no_number", text)

    def _try_correction(
        self,
        usable: Sequence[Evidence],
        *,
        utterance_id: str,
        require_cue: bool,
        prior: tuple[CaptureEvent, ...] = (),
    ) -> CaptureStep | None:
        reference = self._last
        if reference is None:
            return None
        prefix = reference.e164[: len(reference.e164) - len(reference.digits)]
        changed: dict[str, tuple[int, ...]] = {}
        corrected: list[Evidence] = []
        for e in usable:
            if e.kind == "tool_argument":
                continue
            alts: list[Alternative] = []
            for alt in e.alternatives[: self._weights.max_alternatives]:
                text = ""
                if not require_cue or has_correction_cue(alt.text, language=self._language):
                    correction = parse_correction(alt.text, language=self._language)
                    applied = apply_correction(correction, reference.groups) if correction else None
                    if applied is not None:
                        text = prefix + applied[0]
                        changed.setdefault(applied[0], applied[1])
                alts.append(Alternative(text, alt.confidence))
            if any(a.text for a in alts):
                corrected.append(Evidence(e.source, e.kind, tuple(alts)))
        fused = self._fuse(corrected)
        if not fused:
            return None
        self._pending.clear()
        best = fused[0]
        return self._propose(best, utterance_id=utterance_id, corrected=changed.get(best.digits, ()), prior=prior)

    def _style(self) -> ReadBackStyle:
        if len(self._rejected) >= self._digits_after or self._language == "en":
            return "digits"
        return "pairs"

    def _propose(
        self,
        candidate: FusedCandidate,
        *,
        utterance_id: str,
        corrected: tuple[int, ...] = (),
        prior: tuple[CaptureEvent, ...] = (),
    ) -> CaptureStep:
        if candidate.e164 in self._rejected_keys or candidate.digits in self._rejected_keys:
            raise AssertionError("a rejected reading must never be proposed")
        style = self._style()
        paired = style == "pairs" or self._language == "en"
        groups = candidate.groups if paired else tuple(candidate.digits)
        confidence = candidate.group_confidence if paired else candidate.digit_confidence
        uncertain: int | None = None
        if confidence and min(confidence) < self._uncertain_below and min(confidence) < max(confidence):
            uncertain = min(range(len(confidence)), key=lambda i: (confidence[i], i))
        if corrected and self._last is not None and len(self._last.groups) != len(groups):
            corrected = ()  # indices into the last read-back's groups do not map onto a different grouping
        version = next(self._versions)
        proposal = Proposal(
            proposal_id=f"p{version}",
            version=version,
            e164=candidate.e164,
            digits=candidate.digits,
            groups=groups,
            read_back=read_back(candidate.e164, language=self._language, style=style),
            style=style,
            uncertain_group=uncertain,
            attempt=self.attempt,
            utterance_id=utterance_id,
            corrected_groups=corrected,
            candidate=candidate,
        )
        self._proposal = proposal
        self._state = "proposed"
        self._unheard = 0
        event = PhoneNumberProposedEvent(
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
            created_at=self._now(),
        )
        self._history.append(event)
        return self._step(
            "proposed", self._proposal_instruction(proposal), (*prior, event), record=False, proposal=proposal
        )

    def _proposal_instruction(self, proposal: Proposal) -> str:
        if proposal.corrected_groups:
            return self._texts["propose_corrected"].format(read_back=proposal.read_back)
        if proposal.uncertain_group is not None:
            # the group in the very words of the read-back ("seven eight", not "seventy-eight")
            spoken = proposal.read_back.split(", ")
            group = (
                spoken[proposal.uncertain_group]
                if len(spoken) == len(proposal.groups)
                else read_back_groups([proposal.groups[proposal.uncertain_group]], language=self._language)[0]
            )
            return self._texts["propose_uncertain"].format(read_back=proposal.read_back, group=group)
        return self._texts["propose"].format(read_back=proposal.read_back)

    def _ask_again_text(self) -> str:
        key = "ask_again_digits" if len(self._rejected) >= self._digits_after else "ask_again"
        return self._texts[key]

    def _failed_event(self, reason: CaptureFailureReason) -> PhoneNumberCaptureFailedEvent:
        last = self._proposal or self._last
        return PhoneNumberCaptureFailedEvent(
            reason=reason,
            attempt=self.attempt,
            rejected_count=len(self._rejected),
            sources=last.sources if last is not None else (),
            created_at=self._now(),
        )

    def _fail(self, reason: CaptureFailureReason, *, prior: tuple[CaptureEvent, ...] = ()) -> CaptureStep:
        self._state = "failed"
        self._proposal = None
        event = self._failed_event(reason)
        self._history.append(event)
        return self._step("failed", self._texts["failed"], (*prior, event), record=False)

    def _refuse(self, reason: CaptureStepReason) -> CaptureStep:
        if reason == "stale_proposal" and self._proposal is not None:
            text = self._texts["stale"].format(read_back=self._proposal.read_back)
        elif reason == "not_proposed":
            text = self._texts["not_proposed"]
        elif reason == "utterance_reused":
            text = self._texts["reused"]
        else:
            text = self._texts["finished"]
        return CaptureStep(self._state, self._proposal, text, (), reason, accepted=False)

    def _step(
        self,
        reason: CaptureStepReason,
        instruction: str,
        events: tuple[CaptureEvent, ...] = (),
        *,
        record: bool = True,
        proposal: Proposal | None = None,
    ) -> CaptureStep:
        if record:
            self._history.extend(events)
        return CaptureStep(self._state, proposal or self._proposal, instruction, events, reason)
