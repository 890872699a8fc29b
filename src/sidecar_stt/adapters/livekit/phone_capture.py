"""Phone-number capture in a live session: the tools the realtime model calls, over the sidecar's ledger.

:class:`PhoneNumberCapture` joins the pure state machine (:class:`~sidecar_stt.core.capture.PhoneCapture`) to a
:class:`~sidecar_stt.Sidecar`. When the model calls a tool, the capture collects the evidence of the caller's
latest turn — every sidecar engine's n-best finals, the realtime model's own transcript, and the number the
model passed (a weak prior) — fuses it, and returns the exact words to read back. The model never transcribes
the number itself, and a reading the caller rejected is never proposed again.

Tools (LiveKit's update/confirm/decline style):

- ``capture_phone_number(spoken_number="")`` — the caller said their number (or part of it).
- ``confirm_phone_number()`` — the caller said yes to the number just read back.
- ``reject_phone_number(correction="")`` — the caller said no; their answer is read from the sidecar.
- ``decline_phone_number_capture(reason="")`` — the caller will not give a number.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livekit.agents import llm

from ...core.capture import CaptureStep, PhoneCapture, Proposal
from ...core.correction import says_no
from ...core.fusion import Evidence, join_evidence
from ...core.ledger import UserTurn
from ...core.phone import extract_phone_numbers
from ...core.segment import Alternative, Segment
from ...log import logger

if TYPE_CHECKING:
    from .sidecar import Sidecar

__all__ = ["CapturedPhoneNumber", "ConfirmedHook", "PhoneNumberCapture"]


@dataclass(frozen=True)
class CapturedPhoneNumber:
    """A phone number the caller confirmed. Personal data."""

    e164: str
    digits: str
    region: str
    sources: tuple[str, ...]
    """The sources whose transcripts supported the confirmed reading."""
    attempts: int
    """Read-back rounds it took (1 = confirmed at the first read-back)."""


ConfirmedHook = Callable[[CapturedPhoneNumber], Awaitable[str | None] | str | None]
"""Called once when the caller confirms; may return text for the model (e.g. the result of a lookup)."""


class PhoneNumberCapture:
    """One phone-number capture over a sidecar's ledger. Usually reached as ``sidecar.phone``."""

    def __init__(
        self,
        sidecar: Sidecar,
        *,
        language: str | None = None,
        region: str | None = None,
        max_attempts: int = 3,
        on_confirmed: ConfirmedHook | None = None,
        on_finished: Callable[[CapturedPhoneNumber | None], None] | None = None,
    ) -> None:
        """``on_confirmed`` runs once when the caller confirms (the app's lookup; its text goes to the model);
        ``on_finished`` is told the result (``None`` when the capture failed or was declined)."""
        self._sidecar = sidecar
        self._on_finished = on_finished
        self.language = language or sidecar.options.language
        self.region = region or sidecar.options.region
        self._max_attempts = max_attempts
        self._on_confirmed = on_confirmed
        self._lock = asyncio.Lock()
        self.reset()

    def reset(self) -> None:
        """Start over for a new number (the previous result, if any, stays with its awaiters)."""
        self.machine = PhoneCapture(language=self.language, region=self.region, max_attempts=self._max_attempts)
        self._result: asyncio.Future[CapturedPhoneNumber | None] | None = None
        self._proposed_after_turn: dict[str, int] = {}  # proposal id -> number of caller turns when proposed

    def cancel(self) -> None:
        """End the capture without a number (the session closed): :meth:`wait_result` returns ``None``."""
        future = self._result
        if future is not None and not future.done():
            future.set_result(None)

    async def wait_result(self) -> CapturedPhoneNumber | None:
        """Wait until the capture ends: the confirmed number, or ``None`` when it failed or was declined."""
        return await self._future()

    # -- the tools ----------------------------------------------------------------------------------

    def tools(self) -> list[llm.Tool | llm.Toolset]:
        """The four capture tools, ready for ``Agent(tools=...)``."""

        @llm.function_tool(name="capture_phone_number")
        async def capture_phone_number(spoken_number: str = "") -> str:
            """Call this as soon as the caller has said their phone number, or part of it. Returns the exact
            words to read back to the caller; speak them exactly as given, then ask whether they are right.

            Args:
                spoken_number: the number as you understood it, digits only (optional).
            """
            return await self.on_number_said(spoken_number)

        @llm.function_tool(name="confirm_phone_number")
        async def confirm_phone_number() -> str:
            """Call this when the caller says yes to the phone number you just read back."""
            return await self.on_confirm()

        @llm.function_tool(name="reject_phone_number")
        async def reject_phone_number(correction: str = "") -> str:
            """Call this when the caller says the phone number you read back is wrong. Returns what to say next.

            Args:
                correction: what the caller said instead, if anything (optional; kept for the transcript — the
                    number is read from the caller's own words).
            """
            return await self.on_reject(correction)

        @llm.function_tool(name="decline_phone_number_capture")
        async def decline_phone_number_capture(reason: str = "") -> str:
            """Call this when the caller does not want to, or cannot, give a phone number.

            Args:
                reason: a short reason (optional).
            """
            return await self.on_decline()

        return [capture_phone_number, confirm_phone_number, reject_phone_number, decline_phone_number_capture]

    # -- what the tools do ------------------------------------------------------------------------------

    async def on_number_said(self, spoken_number: str = "") -> str:
        """The ``capture_phone_number`` tool: propose a reading from the caller's latest turn."""
        async with self._lock:
            if self.machine.done:
                self.reset()  # a new number after the last capture ended
            turn, evidence = await self._turn_evidence(tool_argument=spoken_number)
            if turn is None:
                return self._texts_not_heard()
            step = self.machine.offer(evidence, utterance_id=turn.turn_id)
            return await self._finish(step)

    async def on_confirm(self) -> str:
        """The ``confirm_phone_number`` tool: confirm the reading on the table, if the caller answered it."""
        async with self._lock:
            proposal = self.machine.proposal
            if proposal is not None and not self._answered_since(proposal):
                # offered in the same breath as the proposal: the caller has not heard this number yet
                return (
                    f'The caller has not answered this number yet. Read back exactly: "{proposal.read_back}" '
                    "and wait for their answer."
                )
            if proposal is not None:
                refusal = await self._answer_contradicts(proposal)
                if refusal:
                    return refusal
            step = self.machine.confirm(proposal.proposal_id if proposal else "")
            return await self._finish(step)

    async def on_reject(self, correction: str = "") -> str:
        """The ``reject_phone_number`` tool: record the no, and use the caller's answer as a correction."""
        async with self._lock:
            proposal = self.machine.proposal
            if proposal is None:
                step = self.machine.reject()
                return await self._finish(step)
            if not self._answered_since(proposal):
                return (
                    f'The caller has not answered this number yet. Read back exactly: "{proposal.read_back}" '
                    "and wait for their answer."
                )
            # the caller's answer as the sidecar heard it; the model's ``correction`` is its own hearing, the very
            # bias this flow breaks, so it is never used as evidence
            turn, evidence = await self._turn_evidence(tool_argument="")
            step = self.machine.reject(
                proposal.proposal_id,
                correction_evidence=evidence,
                utterance_id=turn.turn_id if turn is not None else None,
            )
            return await self._finish(step)

    async def on_decline(self) -> str:
        """The ``decline_phone_number_capture`` tool."""
        async with self._lock:
            return await self._finish(self.machine.decline())

    # -- internals ------------------------------------------------------------------------------------

    async def _turn_evidence(self, *, tool_argument: str) -> tuple[UserTurn | None, list[Evidence]]:
        transcript = await self._sidecar.turn_transcript()
        turn = transcript.turn
        if turn is None:
            return None, []
        evidence = [
            _source_evidence(source, [s for s in transcript.segments if s.source == source])
            for source in transcript.sources
        ]
        if turn.realtime_transcript:
            evidence.append(
                Evidence(
                    source="realtime", kind="realtime_transcript", alternatives=(Alternative(turn.realtime_transcript),)
                )
            )
        if tool_argument.strip():
            evidence.append(
                Evidence(
                    source="tool_argument", kind="tool_argument", alternatives=(Alternative(tool_argument.strip()),)
                )
            )
        return turn, evidence

    def _answered_since(self, proposal: Proposal) -> bool:
        """Whether a caller turn began after ``proposal`` was made (so the caller heard it and answered)."""
        return len(self._sidecar.ledger.turns) > self._proposed_after_turn.get(proposal.proposal_id, 0)

    async def _finish(self, step: CaptureStep) -> str:
        for event in step.events:
            self._sidecar.emit(event.type, event)
        if step.proposal is not None and step.state == "proposed":
            self._proposed_after_turn.setdefault(step.proposal.proposal_id, len(self._sidecar.ledger.turns))
        logger.info("phone capture step", extra={"state": step.state, "reason": step.reason})
        text = step.instruction
        if step.state == "confirmed" and step.accepted and step.proposal is not None:
            captured = CapturedPhoneNumber(
                e164=step.proposal.e164,
                digits=step.proposal.digits,
                region=self.region,
                sources=step.proposal.sources,
                attempts=step.proposal.attempt,
            )
            future = self._future()
            if not future.done():
                future.set_result(captured)
                extra = await self._call_hook(captured)
                if extra:
                    text = f"{text}\n{extra}"
                if self._on_finished is not None:
                    self._on_finished(captured)
        elif step.state in ("failed", "declined"):
            future = self._future()
            if not future.done():
                future.set_result(None)
                if self._on_finished is not None:
                    self._on_finished(None)
        return text

    async def _call_hook(self, captured: CapturedPhoneNumber) -> str | None:
        if self._on_confirmed is None:
            return None
        try:
            result = self._on_confirmed(captured)
            if inspect.isawaitable(result):
                result = await result
        except Exception:
            logger.exception("on_confirmed hook failed")
            return None
        return result

    async def _answer_contradicts(self, proposal: Proposal) -> str | None:
        """A refusal text when the caller's answer, as the sidecar heard it, says no or gives another number."""
        transcript = await self._sidecar.turn_transcript()
        heard = " ".join(s.text for s in transcript.segments)
        if not heard:
            return None
        numbers = {c.e164 for c in extract_phone_numbers(heard, language=self.language, region=self.region)}
        if says_no(heard, language=self.language) or (numbers and proposal.e164 not in numbers):
            return (
                "The caller did not say yes to this number. If they said no or corrected it, call "
                "reject_phone_number; if they said a new number, call capture_phone_number."
            )
        return None

    def _future(self) -> asyncio.Future[CapturedPhoneNumber | None]:
        if self._result is None:
            self._result = asyncio.get_running_loop().create_future()
        return self._result

    def _texts_not_heard(self) -> str:
        if self.language in ("nb", "nn", "no"):
            return "Innringeren har ikke sagt noe ennå. Be om telefonnummeret."
        return "The caller has not said anything yet. Ask for the phone number."


def _source_evidence(source: str, segments: list[Segment]) -> Evidence:
    """One source's evidence for a turn: its n-best list, joined over the turn's segments in order."""
    pieces = [[Evidence(source=source, kind="sidecar", alternatives=s.alternatives)] for s in segments]
    if len(pieces) == 1:
        return pieces[0][0]
    joined = join_evidence(pieces)
    return joined[0] if joined else Evidence(source=source, kind="sidecar", alternatives=())
