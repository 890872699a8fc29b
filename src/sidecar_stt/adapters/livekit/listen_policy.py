"""``ListenPolicy``: in on-demand mode, when the engines are wanted and where in the buffered audio they start.

Two ways in:

- **The agent asks for the number** (:func:`~sidecar_stt.core.listen_cues.asks_for_number` on the agent's message
  as it enters the conversation): the engines start at once, hearing from just before now (or from the start of a
  caller turn already under way), and stay until the model acts on the caller's answer: the capture tool it
  calls keeps them while the capture is open, and a reply without one lets them go after the grace. The answer
  is heard live: the tool waits no longer than with engines that ran the whole call.
- **Something reads a transcript first** (a capture tool, the transcript tool, ``CapturePhoneNumberTask``,
  ``sidecar.listen()``): the engines start with the buffer replayed from the start of the recent caller turn(s)
  (:meth:`ListenPolicy.replay_start`), the number the caller has just said.

:meth:`ListenPolicy.is_held` keeps running engines from being released: a capture is open, or an asked-for answer
has not been acted on yet (bounded by ``answer_wait_s`` while the caller is silent).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from livekit.agents import llm

from ...core.ledger import TranscriptLedger
from ...core.listen_cues import asks_for_number

__all__ = ["WINDOW_LEAD_S", "ListenPolicy"]

WINDOW_LEAD_S: Final = 1.0
"""Audio kept before a window's start: the session's VAD reports speech start after the first syllable, and the
agent's question enters the conversation when its playout ends, which a quick caller may talk over."""


class ListenPolicy:
    """The on-demand listening decisions of one :class:`~sidecar_stt.Sidecar`."""

    def __init__(
        self,
        ledger: TranscriptLedger,
        *,
        language: str,
        replay_turns: int,
        answer_wait_s: float,
        audio_s: Callable[[], float],
        capture_open: Callable[[], bool],
    ) -> None:
        self._ledger = ledger
        self._language = language
        self._replay_turns = max(1, replay_turns)
        self._answer_wait_s = answer_wait_s
        self._audio_s = audio_s
        self._capture_open = capture_open
        self._asked: tuple[float, float] | None = None  # (session time, monotonic time) of the agent's latest ask
        self.asked_count = 0
        """How many of the agent's messages asked for a number."""

    def replay_start(self, buffer_start_s: float) -> float:
        """Where a window replayed for a transcript reader begins: ``WINDOW_LEAD_S`` before the earliest of the
        last ``replay_turns`` caller turns that began inside the buffer (the buffer's start when none did)."""
        recent = self._ledger.turns[-self._replay_turns :]
        starts = [t.start_s for t in recent if t.start_s >= buffer_start_s]
        return max(buffer_start_s, min(starts) - WINDOW_LEAD_S) if starts else buffer_start_s

    def answer_window(self, item: object) -> float | None:
        """The agent's message ``item`` entered the conversation. If it asks for a phone number: where the
        engines should start hearing (the caller's answer is to come); else ``None`` (and a message after the
        caller answered ends the wait for that answer: the model replied without opening a capture)."""
        if not isinstance(item, llm.ChatMessage) or item.role != "assistant":
            return None
        if not asks_for_number(item.text_content or "", self._language):
            if self._asked is not None and self._answered(self._asked[0]):
                self._asked = None
            return None
        now_s = self._audio_s()
        self._asked = (now_s, time.monotonic())
        self.asked_count += 1
        start_s = now_s - WINDOW_LEAD_S
        latest = self._ledger.latest_turn()
        if latest is not None and latest.end_s is None:  # the caller is already talking
            start_s = min(start_s, latest.start_s - WINDOW_LEAD_S)
        return max(0.0, start_s)

    def is_held(self) -> bool:
        """Whether running engines must stay: a capture is open, or the agent asked for the number and the model
        has not yet acted on the caller's answer (it opens a capture or replies; a caller who says nothing is
        waited for ``answer_wait_s``)."""
        if self._capture_open():
            self._asked = None  # the capture holds them from here, and its end releases them
            return True
        if self._asked is None:
            return False
        latest = self._ledger.latest_turn()
        talking = latest is not None and latest.end_s is None
        if not talking and time.monotonic() - self._asked[1] > self._answer_wait_s:
            self._asked = None
            return False
        return True

    def _answered(self, asked_s: float) -> bool:
        """Whether a caller turn that began around or after the ask has ended."""
        return any(
            t.end_s is not None and t.end_s > asked_s and t.start_s >= asked_s - WINDOW_LEAD_S
            for t in self._ledger.turns[-4:]
        )
