"""``ListenPolicy``: in on-demand mode, when the engines are wanted and where in the buffered audio they start.

Ways in:

- **The agent asks for the number** (:func:`~sidecar_stt.core.listen_cues.asks_for_number` on the agent's message
  as it enters the conversation, at the end of its playout): the engines start at once, hearing from just before
  now (or from the start of a caller turn already under way), and stay until the model acts on the caller's
  answer: the capture tool it calls keeps them while the capture is open; a reply without one, once the caller
  has answered, lets them go after the grace. The answer is heard live: the tool waits no longer than with
  engines that ran the whole call.
- **Something reads a transcript first** (a capture tool, the transcript tool, ``CapturePhoneNumberTask``, or
  ``sidecar.listen()``, which also waits for the answer as above): the engines start with the buffer replayed
  from the start of the recent caller turn(s) (:meth:`ListenPolicy.replay_start`), the number the caller has just
  said.

Two rules keep a caller turn whole: running engines are not released while a caller turn is open (for at most
``MAX_HELD_TURN_S``), and an engine never starts hearing in the middle of a turn (:meth:`ListenPolicy.whole_turns`
moves its start back to the turn's). :meth:`ListenPolicy.is_held` says what keeps running engines; it only
reads the :class:`~.call_state.CallState` (every wait here runs on the session clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from livekit.agents import llm

from ...core.ledger import UserTurn
from ...core.listen_cues import asks_for_number
from ...core.numerals import parse_digit_readings
from .call_state import CallState

__all__ = ["WINDOW_LEAD_S", "ListenPolicy"]

WINDOW_LEAD_S: Final = 1.0
"""Audio kept before a window's start: a turn timed by wall clock or the sidecar's VAD starts after the first
syllable, and the agent's question enters the conversation when its playout ends, which a quick caller may talk
over."""
SERVER_AUDIO_LEAD_S: Final = 0.3
"""The lead before a turn timed by the realtime server's audio offsets: its ``audio_start_ms`` already includes the
server VAD's prefix padding, so only the mapping onto the tap's clock needs a margin."""


ANSWER_MIN_DIGITS: Final = 3
"""Digits in one caller turn that make it an answer to the question for the number (part of one is enough: the
model then opens a capture, which holds the engines)."""
MAX_HELD_TURN_S: Final = 60.0
"""A caller turn open longer than this no longer holds the engines (a turn end the session never reported)."""


@dataclass(frozen=True)
class _Ask:
    """The agent's latest question for the number."""

    answer_from_s: float
    """Where the caller's answer can begin (now, or the start of a caller turn already under way)."""
    asked_s: float
    """Session time of the question."""


class ListenPolicy:
    """The on-demand listening decisions of one call."""

    def __init__(self, state: CallState) -> None:
        options = state.options
        self._state = state
        self._ledger = state.ledger
        self._language = options.language
        self._replay_turns = options.on_demand_replay_turns  # at least 1 (SidecarOptions checks it)
        self._answer_wait_s = options.on_demand_answer_wait_s
        self._asked: _Ask | None = None

    def replay_start(self, buffer_start_s: float) -> float:
        """Where a window replayed for a transcript reader begins: a lead (``SERVER_AUDIO_LEAD_S`` for a turn the
        server timed, else ``WINDOW_LEAD_S``) before the earliest of the last ``replay_turns`` caller turns that
        began inside the buffer (the buffer's start when none did). The replay is what a tool's first call waits
        for: no more of it than needed."""
        recent = [t for t in self._ledger.turns[-self._replay_turns :] if t.start_s >= buffer_start_s]
        if not recent:
            return buffer_start_s
        first = min(recent, key=lambda t: t.start_s)
        return max(buffer_start_s, first.start_s - _lead_s(first))

    def whole_turns(self, start_s: float) -> float:
        """``start_s``, or the start (less the lead) of a caller turn it falls inside: an engine that starts
        hearing mid-turn loses the words before, so it hears the turn from its beginning."""
        for turn in reversed(self._ledger.turns[-4:]):
            if turn.start_s < start_s and (turn.end_s is None or start_s < turn.end_s):
                return turn.start_s - _lead_s(turn)
        return start_s

    def answer_window(self, item: object) -> float | None:
        """The agent's message ``item`` entered the conversation. If it asks for a phone number: where the
        engines should start hearing (the caller's answer is to come); else ``None`` (and a message after the
        caller answered ends the wait for that answer: the model replied without opening a capture)."""
        if not isinstance(item, llm.ChatMessage) or item.role != "assistant":
            return None
        if not asks_for_number(item.text_content or "", self._language):
            if self._asked is not None and self._answered(self._asked.answer_from_s):  # the model replied to it
                self._asked = None
            return None
        return self.expect_answer()

    def expect_answer(self) -> float:
        """The caller is about to answer (the agent asked for the number): hold the engines until the model acts
        on the answer. Returns where they should start hearing: just before now, never inside the caller turn
        before the question (it is no answer), or from the start of a caller turn already under way (a caller who
        talks over the question)."""
        now_s = self._state.audio_s
        start_s = now_s - WINDOW_LEAD_S
        begins_s = now_s
        latest = self._ledger.latest_turn()
        if latest is not None and latest.end_s is None:
            begins_s = latest.start_s
            start_s = min(start_s, latest.start_s - _lead_s(latest))
        elif latest is not None and latest.end_s is not None and latest.end_s > start_s:
            start_s = min(latest.end_s, now_s)
        self._asked = _Ask(answer_from_s=begins_s, asked_s=self._state.now_s())
        return max(0.0, start_s)

    def is_held(self) -> bool:
        """Whether running engines must stay: a capture is open, a caller turn is under way, or the caller was
        asked for the number and the model has not yet acted on the answer (it opens a capture — which holds them
        from then on — or replies; a caller who says nothing is waited for ``answer_wait_s``). A question, not a
        change: asking it twice gives the same answer."""
        state = self._state
        if state.capture_open:
            return True
        now_s = state.now_s()
        latest = self._ledger.latest_turn()
        if latest is not None and latest.end_s is None and now_s - latest.start_s < MAX_HELD_TURN_S:
            return True  # never cut a caller turn in two
        ask = self._asked
        if ask is None or (state.capture_opened_s is not None and state.capture_opened_s >= ask.asked_s):
            return False  # no question, or a capture since took it over (and its end released the engines)
        return state.now_s() - ask.asked_s <= self._answer_wait_s

    def _answered(self, asked_s: float) -> bool:
        """Whether the caller has given (part of) a number since the point the answer could begin: a caller turn
        that began around or after it (the lead covers a turn the session reports late) has ended and the
        sidecar heard digits in it. "Et øyeblikk, jeg må finne det fram" is no answer: the number is to come."""
        for turn in self._ledger.turns[-4:]:
            if turn.end_s is None or turn.end_s <= asked_s or turn.start_s < asked_s - WINDOW_LEAD_S:
                continue
            heard = " ".join(s.text for s in self._ledger.finals_for_turn(turn.turn_id))
            if parse_digit_readings(heard, language=self._language, min_digits=ANSWER_MIN_DIGITS):
                return True
        return False


def _lead_s(turn: UserTurn) -> float:
    """The audio kept before ``turn``'s start when an engine is to hear it."""
    return SERVER_AUDIO_LEAD_S if turn.timing == "server_audio" else WINDOW_LEAD_S
