"""Phone-number capture in a live session: the tools the realtime model calls, over the sidecar's ledger.

:class:`PhoneCaptureTools` joins the pure state machine (:class:`~sidecar_stt.core.capture.PhoneCaptureMachine`,
one for the whole call: ``sidecar.phone.machine``) to the call's :class:`~.call_state.CallState`. It only gathers
evidence: when the model calls a tool, it collects what was heard in the caller's latest turn — every sidecar
engine's n-best finals, the realtime model's own transcript, and the number the model passed (a weak prior). Every
decision (what to propose, which read-back a turn answered, whether a yes or a no counts) is the machine's, in
``sidecar_stt.core``. The model never transcribes
the number itself, and a reading the caller rejected is never proposed again.

Tools (LiveKit's update/confirm/decline style):

- ``capture_phone_number(spoken_number="")`` — the caller said their number (or part of it).
- ``confirm_phone_number()`` — the caller said yes to the number just read back.
- ``reject_phone_number(correction="")`` — the caller said no; their answer is read from the sidecar.
- ``decline_phone_number_capture(reason="")`` — the caller will not give a number.

One capture per session: ``sidecar.tools()`` and :class:`~sidecar_stt.CapturePhoneNumberTask` share
``sidecar.phone``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from livekit.agents import llm

from ...core.answer import CallerAnswer
from ...core.capture import CaptureStep, PhoneCaptureMachine
from ...core.capture_events import CaptureStepRefusedEvent
from ...core.fusion import Evidence, join_evidence
from ...core.instructions import model_texts
from ...core.ledger import UserTurn
from ...core.segment import Alternative, Segment
from ...log import logger
from .call_state import CallState
from .events import CaptureEvidenceGatheredEvent
from .turn_reader import TurnReader

__all__ = ["ConfirmedHook", "PhoneCaptureResult", "PhoneCaptureTools"]

MAX_ARGUMENT_CHARS: Final = 64
"""The model's ``spoken_number`` is cut to this: a phone number with spaces and a country code fits in 30."""
MAX_WINDOW_TURNS: Final = 6
"""Caller turns a capture reads at most (since it began or its last read-back)."""
MAX_APP_TEXT_CHARS: Final = 2000

MAX_RECOVERY_WAITS: Final = 1
"""How often one capture answers "one moment" for a recovering engine; after that it decides on what it heard, so
an engine that keeps being restarted (or hears nothing a restart can fix) never holds the capture in a loop."""
"""The ``on_confirmed`` hook's text is cut to this before it goes to the model."""


@dataclass(frozen=True)
class PhoneCaptureResult:
    """A phone number the caller confirmed. Personal data."""

    e164: str
    digits: str
    region: str
    sources: tuple[str, ...]
    """The sources whose transcripts supported the confirmed reading."""
    attempts: int
    """Read-back rounds it took (1 = confirmed at the first read-back)."""


ConfirmedHook = Callable[[PhoneCaptureResult], Awaitable[str | None] | str | None]
"""Called once when the caller confirms; may return text for the model (e.g. the result of a lookup)."""


class PhoneCaptureTools:
    """The session's phone-number capture over a sidecar's ledger, reached as ``sidecar.phone``."""

    def __init__(self, state: CallState, reader: TurnReader, *, on_confirmed: ConfirmedHook | None = None) -> None:
        """``on_confirmed`` runs once when the caller confirms (the app's lookup; its text goes to the model). The
        options come from the call state: ``language``, ``region``, ``capture_max_attempts`` and
        ``keypad_after_failures`` (failed attempts before the caller is asked to type; ``None``: never)."""
        options = state.options
        self._state = state
        self._reader = reader
        self.language = options.language
        self.region = options.region
        self._keypad_entries = 0
        self._waited_turns: set[str] = set()  # turns a capture tool answered "one moment" for
        self._recovery_waits = 0  # "one moment" answers in the current capture
        self._on_confirmed = on_confirmed
        self._texts: Mapping[str, str] = model_texts(self.language)
        self._lock = asyncio.Lock()
        self._closed = False
        self.machine = PhoneCaptureMachine(
            language=self.language,
            region=self.region,
            max_attempts=options.capture_max_attempts,
            keypad_after=options.keypad_after_failures,
            keypad_available=self._caller_may_type,
            read_back_variants=options.read_back_variants,
        )
        """The capture's state machine: one object for the whole call (each new capture restarts it)."""
        self._result: asyncio.Future[PhoneCaptureResult | None] | None = None

    def start(self) -> None:
        """Begin a new capture if the last one ended (its result stays with its awaiters)."""
        if self.machine.done:
            self.machine.restart(turns_heard=len(self._state.ledger.turns))
            self._result = None
            self._recovery_waits = 0

    def close(self) -> None:
        """End the capture without a number (the session closed): :meth:`wait_result` returns ``None``."""
        self._closed = True
        future = self._result
        if future is not None and not future.done():
            future.set_result(None)
        self._state.set_capture_open(False)

    @property
    def is_open(self) -> bool:
        """Whether a capture is under way: a tool was called or a task waits, and it has not ended."""
        return not self._closed and self._result is not None and not self._result.done()

    async def wait_result(self) -> PhoneCaptureResult | None:
        """Wait until the capture ends: the confirmed number, or ``None`` when it failed or was declined."""
        if self._closed:
            return None
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
            self.start()  # a new number after the last capture ended
            if self._sidecar_down():
                self._state.events.emit(
                    "capture_step_refused",
                    CaptureStepRefusedEvent(reason="sidecar_unavailable", proposal_id=None, created_at=time.time()),
                )
                return self._texts["sidecar_unavailable"]
            window = await self._window_evidence()
            if not window:
                return self._texts["nothing_said"]
            if self._wait_for_recovering_engine(window[-1]):
                return self._texts["engine_recovering"]
            argument = spoken_number[:MAX_ARGUMENT_CHARS].strip()
            if argument:
                window[-1][1].append(Evidence("tool_argument", "tool_argument", (Alternative(argument),)))
            utterances = [(t.turn_id, ev) for t, ev in window]
            pending = bool(self._reader.finals_due(window[-1][0].turn_id))
            step = self.machine.offer_window(utterances, turns_heard=self._turns_heard(), pending=pending)
            return await self._finish(step)

    async def on_confirm(self) -> str:
        """The ``confirm_phone_number`` tool: the machine judges whether the caller's answer confirms."""
        async with self._lock:
            answer = await self._answer()
            return await self._finish(self.machine.confirm(answer, turns_heard=self._turns_heard()))

    async def on_reject(self, correction: str = "") -> str:
        """The ``reject_phone_number`` tool. The model's ``correction`` is its own hearing — the very bias this flow
        breaks — so it is never evidence: the caller's answer is read from the sidecar."""
        async with self._lock:
            answer = await self._answer()
            return await self._finish(self.machine.reject(answer, turns_heard=self._turns_heard()))

    async def on_decline(self) -> str:
        """The ``decline_phone_number_capture`` tool."""
        async with self._lock:
            return await self._finish(self.machine.decline())

    async def on_keypad_entry(self, digits: str) -> str:
        """Digits the caller typed (one finished entry): proposed directly, outranking speech. Returns what the
        model should say next."""
        async with self._lock:
            self.start()
            self._keypad_entries += 1
            entry_id = f"keypad-{self._keypad_entries}"
            return await self._finish(self.machine.keypad(digits, entry_id=entry_id, turns_heard=self._turns_heard()))

    # -- gathering evidence ---------------------------------------------------------------------------

    def _caller_may_type(self) -> bool:
        """Whether the capture may ask the caller to type: unknown counts as yes, so ``keypad_after`` decides."""
        return self._state.caller_can_type is not False

    def _sidecar_down(self) -> bool:
        """Whether the attached sidecar does not hear the caller (its tap lost, every engine failed for good)."""
        return self._state.attached and self._state.not_hearing_reason is not None

    def _may_wait_for_recovery(self) -> bool:
        """Whether a read may wait ``recovery_wait_s`` for an engine being restarted: only while this capture has
        not used up its "one moment" answers (an engine restarted again and again must not slow every tool call)."""
        return self._recovery_waits < MAX_RECOVERY_WAITS

    def _wait_for_recovering_engine(self, latest: tuple[UserTurn, list[Evidence]]) -> bool:
        """Whether to have the model say "one moment" instead of deciding on the caller's latest turn: an engine
        is being restarted and has not transcribed the turn yet (its replay is on the way). Once per turn and at most
        :data:`MAX_RECOVERY_WAITS` times per capture, so the capture never waits on restarts in a loop."""
        turn, evidence = latest
        heard = {e.source for e in evidence}
        if (
            turn.turn_id in self._waited_turns
            or self._recovery_waits >= MAX_RECOVERY_WAITS
            or all(n in heard for n in self._state.engines_recovering)
        ):
            return False
        self._waited_turns.add(turn.turn_id)
        self._recovery_waits += 1
        logger.info("phone capture waits for a recovering engine", extra={"turn_id": turn.turn_id})
        return True

    def _turns_heard(self) -> int:
        return len(self._state.ledger.turns)

    async def _latest_turn_evidence(self) -> tuple[UserTurn | None, list[Evidence]]:
        """What every source heard in the caller's latest turn (once the sidecar engines settled on it)."""
        transcript = await self._reader.turn_transcript(wait_for_recovery=self._may_wait_for_recovery())
        if transcript.turn is None:
            return None, []
        return transcript.turn, _turn_evidence(transcript.turn, transcript.segments)

    async def _window_evidence(self) -> list[tuple[UserTurn, list[Evidence]]]:
        """What every source heard in each caller turn since the number was asked for — since this capture began
        or its last read-back, at most :data:`MAX_WINDOW_TURNS` turns — oldest first, the latest always included
        (once the engines settled on it). The realtime model's turn detection may cut one number into several
        turns, and the model may answer a part without calling a tool."""
        transcript = await self._reader.turn_transcript(wait_for_recovery=self._may_wait_for_recovery())
        latest = transcript.turn
        if latest is None:
            return []
        ledger = self._state.ledger
        turns = ledger.turns
        first = max(self.machine.window_from, len(turns) - MAX_WINDOW_TURNS)
        window = [t for t in turns[first:] if t.turn_id != latest.turn_id and t.end_s is not None] + [latest]
        ids = [t.turn_id for t in window]
        if latest.realtime_transcript is None:  # the model's transcript comes late: wait for it a bounded moment
            await self._reader.realtime_transcripts(
                [latest.turn_id], timeout_s=self._state.options.realtime_transcript_wait_s
            )
        window = [ledger.turn(i) or t for i, t in zip(ids, window, strict=True)]
        gathered = [(t, _turn_evidence(t, ledger.finals_for_turn(t.turn_id))) for t in window]
        self._state.events.emit(
            "capture_evidence_gathered",
            CaptureEvidenceGatheredEvent(
                tool="capture_phone_number",
                turn_ids=tuple(ids),
                sources=tuple(dict.fromkeys(e.source for _, evidence in gathered for e in evidence)),
                realtime_missing=tuple(t.turn_id for t in window if t.realtime_transcript is None),
            ),
        )
        return gathered

    async def _answer(self) -> CallerAnswer:
        """The caller's latest turn as an answer (the machine knows which read-back it answered), with the running
        engines whose final for it is still due after the bounded wait: while one is, the realtime model's own
        hearing does not decide."""
        turn, evidence = await self._latest_turn_evidence()
        if turn is None:
            return CallerAnswer(proposal_id=None)
        if turn.realtime_transcript is None:  # it comes late; the answer may rest on it when no engine heard
            await self._reader.realtime_transcripts(
                [turn.turn_id], timeout_s=self._state.options.realtime_transcript_wait_s
            )
            turn = self._state.ledger.turn(turn.turn_id) or turn
            evidence = _turn_evidence(turn, self._state.ledger.finals_for_turn(turn.turn_id))
        turn_index = next(i for i, t in enumerate(self._state.ledger.turns) if t.turn_id == turn.turn_id)
        answer = self.machine.answer(turn_index=turn_index, utterance_id=turn.turn_id, evidence=evidence)
        return dataclasses.replace(answer, finals_due=self._reader.finals_due(turn.turn_id))

    # -- results --------------------------------------------------------------------------------------

    async def _finish(self, step: CaptureStep) -> str:
        for event in step.events:
            self._state.events.emit(event.type, event)
        logger.info("phone capture step", extra={"state": step.state, "reason": step.reason})
        text = step.instruction
        future = self._future()
        if future.done() or not step.accepted:
            return text
        if step.state == "confirmed" and step.proposal is not None:
            captured = PhoneCaptureResult(
                e164=step.proposal.e164,
                digits=step.proposal.digits,
                region=self.region,
                sources=step.proposal.sources,
                attempts=step.proposal.attempt,
            )
            future.set_result(captured)
            extra = await self._call_hook(captured)
            if extra:
                text = f"{text}\n{str(extra)[:MAX_APP_TEXT_CHARS]}"
        elif step.state in ("failed", "declined"):
            future.set_result(None)
        if future.done():
            self._state.set_capture_open(False)
        return text

    async def _call_hook(self, captured: PhoneCaptureResult) -> str | None:
        if self._on_confirmed is None:
            return None
        try:
            result = self._on_confirmed(captured)
            if inspect.isawaitable(result):
                result = await result
        except Exception as e:
            # the app's message may hold the number: its type at ERROR, the message and traceback at DEBUG only
            logger.error("on_confirmed hook failed", extra={"error_type": type(e).__name__})
            logger.debug("on_confirmed hook error", exc_info=True)
            return None
        return result

    def _future(self) -> asyncio.Future[PhoneCaptureResult | None]:
        if self._result is None:
            self._result = asyncio.get_running_loop().create_future()
            self._state.set_capture_open(not self._closed)
        return self._result


def _turn_evidence(turn: UserTurn, segments: Sequence[Segment]) -> list[Evidence]:
    """What each source heard in one caller turn: every engine's n-best, and the realtime model's transcript."""
    sources = dict.fromkeys(s.source for s in segments)
    evidence = [_source_evidence(source, [s for s in segments if s.source == source]) for source in sources]
    if turn.realtime_transcript:
        evidence.append(Evidence("realtime", "realtime_transcript", (Alternative(turn.realtime_transcript),)))
    return evidence


def _source_evidence(source: str, segments: list[Segment]) -> Evidence:
    """One source's evidence for a turn: its n-best list, joined over the turn's segments in order."""
    pieces = [[Evidence(source=source, kind="sidecar", alternatives=s.alternatives)] for s in segments]
    if len(pieces) == 1:
        return pieces[0][0]
    joined = join_evidence(pieces)
    return joined[0] if joined else Evidence(source=source, kind="sidecar", alternatives=())
