"""``CallerTurns``: keeps the ledger's caller turns from the best source the session offers.

Best first:

1. The realtime server's own speech events (``input_audio_buffer.speech_started``/``speech_stopped`` on
   ``openai_server_event_received``), timed by their ``audio_start_ms``/``audio_end_ms`` reconciled onto the tap's
   clock (:class:`~sidecar_stt.core.server_clock.ServerAudioClock`; a recycled or dropped connection restarts the
   server's buffer, counted from the moment the old one was lost). ``audio_end_ms`` includes the silence the
   session's ``server_vad`` waits for (``silence_duration_ms``, read from the server's ``session.created``/
   ``session.updated``), which is taken off. These are the model's own turns, whatever drives the session's
   ``user_state_changed``. The silence an idle timeout commits (``input_audio_buffer.timeout_triggered``) is no
   caller turn and labels none.
2. The session's ``user_state_changed``, mapped from wall time onto the tap's clock (models that report turns
   without audio offsets; late by detection and round trip).
3. The sidecar's own VAD on the tapped audio (:class:`~.vad_turns.VadTurns`), for models that report no turns:
   chosen when the VAD heard the caller and no turn event came ``own_turns_after_s`` later (the utterances heard
   meanwhile become turns then). Speech the model was given silence for does not count.

Each turn records which (:attr:`UserTurn.timing`); ``turn_source_selected`` is reported on every change of source.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

from livekit.agents import APIConnectionError, llm, vad
from livekit.agents.voice.events import ConversationItemAddedEvent, UserStateChangedEvent

from ...core.ledger import TurnTiming, UserTurn
from ...core.server_clock import ServerAudioClock, included_silence_s
from ...log import logger
from .call_state import CallState
from .events import TurnSourceSelectedEvent
from .vad_turns import VadTurns

__all__ = ["CallerTurns", "TurnMode", "TurnSource"]

TurnMode = Literal["auto", "realtime", "vad"]
TurnSource = Literal["undecided", "realtime", "vad"]

_SPEECH_EVENTS = ("input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped")
_SESSION_EVENTS = ("session.created", "session.updated")
_IDLE_TIMEOUT = "input_audio_buffer.timeout_triggered"


class CallerTurns:
    """Turn bookkeeping of one call (created at attach): writes the call state's ledger turns, reports the source
    chosen (``turn_source_selected``) and each turn that ended."""

    def __init__(self, state: CallState, *, vad_model: vad.VAD | None) -> None:
        """``vad_model``: the sidecar's own VAD, when its turns may be needed (``turns`` is not ``"realtime"``)."""
        self._state = state
        self._ledger = state.ledger
        self._mode: TurnMode = state.options.turns
        self._own_turns_after_s = state.options.own_turns_after_s
        self._vad_turns = (
            VadTurns(vad_model, on_start=self._on_vad_start, on_end=self._on_vad_end)
            if vad_model is not None and self._mode != "realtime"
            else None
        )
        self._server_clock = ServerAudioClock()
        self._server_silence_s = 0.0  # the silence the server's turn ends include (its session's turn detection)
        self._connection_lost_s: float | None = None  # tap time when the realtime connection was lost
        self._realtime: llm.RealtimeSession[Any] | None = None
        self._source: TurnSource = "undecided"
        self._server_turns = False  # the realtime server's speech events drive the turns
        self._vad_spans_seen: list[tuple[float, float]] = []  # own-VAD utterances while undecided
        self._turn_walls: list[tuple[float, str]] = []  # (wall time the caller started speaking, turn id)
        self._item_turns: dict[str, str] = {}  # realtime item id -> ledger turn id
        self._silent_items: set[str] = set()  # user items the server committed on an idle timeout (no speech)
        self._closed = False
        self.cpu_s = 0.0
        """CPU seconds of turn bookkeeping (ledger turn writes) on the loop."""
        if self._mode == "vad":
            self._select("vad")

    @property
    def source(self) -> TurnSource:
        return self._source

    # -- inputs ---------------------------------------------------------------------------------------

    def push(self, mono: Any, start_s: float) -> None:
        """A mono caller frame at ``start_s`` (for the own VAD, while it may be needed)."""
        if self._vad_turns is not None:
            self._vad_turns.push(mono, start_s)

    def follow(self, realtime: llm.RealtimeSession[Any] | None) -> None:
        """Listen to ``realtime`` (the current agent's realtime session) instead of the previous one."""
        if realtime is self._realtime:
            return
        if self._realtime is not None:
            self._realtime.off("openai_server_event_received", self.on_server_event)
            self._realtime.off("session_reconnected", self._on_reconnected)
            self._realtime.off("error", self._on_model_error)
            self._server_clock.connection_started(tap_s=self._state.audio_s)  # another model session, another buffer
        self._realtime = realtime
        if realtime is not None:
            realtime.on("openai_server_event_received", self.on_server_event)
            realtime.on("session_reconnected", self._on_reconnected)
            realtime.on("error", self._on_model_error)

    def on_user_state(self, ev: UserStateChangedEvent) -> None:
        if self._server_turns or self._mode == "vad":
            return  # the server's own events (exact times) or the sidecar's VAD drive the turns
        self._select("realtime")
        at_s = self._state.audio_time_at(ev.created_at)
        if ev.new_state == "speaking":
            self._begin(at_s, "wall_clock", wall=ev.created_at)
        elif ev.old_state == "speaking":
            self._end(at_s, "wall_clock")

    def on_server_event(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind in _SESSION_EVENTS:
            self._follow_session(event.get("session"))
            return
        if kind == _IDLE_TIMEOUT and isinstance(event.get("item_id"), str):
            self._silent_items.add(event["item_id"])
            return
        if kind not in _SPEECH_EVENTS or self._mode == "vad":
            return
        started = kind == _SPEECH_EVENTS[0]
        offset_ms = event.get("audio_start_ms" if started else "audio_end_ms")
        if not isinstance(offset_ms, int | float) or isinstance(offset_ms, bool):
            return  # no usable offset: user_state_changed (wall clock) stands in
        latest = self._ledger.latest_turn()
        tap_s = self._state.audio_s
        if started:
            at_s = self._server_clock.to_session(offset_ms / 1000, tap_s=tap_s)
        else:
            open_start_s = latest.start_s if latest is not None and latest.end_s is None else 0.0
            at_s = self._server_clock.speech_end(
                offset_ms / 1000, silence_s=self._server_silence_s, start_s=open_start_s, tap_s=tap_s
            )
        if at_s is None:
            return
        first = not self._server_turns
        self._server_turns = True
        self._select("realtime")
        item_id = event.get("item_id")
        if started and first and latest is not None and latest.end_s is None and latest.timing == "wall_clock":
            # the session (a local VAD) reported this speech a moment earlier: it is the same turn, timed better
            self._ledger.retime_open_turn(start_s=at_s, timing="server_audio")
            turn_id = latest.turn_id
        elif started:
            turn_id = self._begin(at_s, "server_audio", wall=time.time()).turn_id
        else:
            self._end(at_s, "server_audio")
            return
        if isinstance(item_id, str):
            self._item_turns[item_id] = turn_id

    def on_conversation_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if not isinstance(item, llm.ChatMessage) or item.role != "user" or not self._turn_walls:
            return
        if item.id in self._silent_items:
            return  # the silence an idle timeout committed is no caller turn: it must not take one's label
        turn_id = self._item_turns.get(item.id)
        if turn_id is None:
            # the realtime model stamps the user message with the time its speech started: the turn that began
            # last at or before that moment is the one it transcribed
            started = [turn_id for wall, turn_id in self._turn_walls if wall <= item.created_at + 0.25]
            turn_id = started[-1] if started else self._turn_walls[0][1]
        self._ledger.label_turn(item_id=item.id, transcript=item.text_content or "", turn_id=turn_id)

    async def aclose(self) -> None:
        self._closed = True
        self.follow(None)
        if self._vad_turns is not None:
            await self._vad_turns.aclose()

    # -- the realtime connection ----------------------------------------------------------------------

    def _follow_session(self, session: object) -> None:
        audio = session.get("audio") if isinstance(session, dict) else None
        audio_input = audio.get("input") if isinstance(audio, dict) else None
        if isinstance(audio_input, dict):
            turn_detection = audio_input.get("turn_detection")
            self._server_silence_s = included_silence_s(turn_detection if isinstance(turn_detection, dict) else None)

    def _on_model_error(self, ev: llm.RealtimeModelError) -> None:
        if ev.recoverable and isinstance(ev.error, APIConnectionError) and self._connection_lost_s is None:
            # the connection is gone: the audio from now on is queued for the next one, whose buffer starts here
            self._connection_lost_s = self._state.audio_s

    def _on_reconnected(self, _: Any) -> None:
        # a new connection: the server's input buffer starts again with the audio sent on it (from the loss of the
        # old one, else from about now for a recycled one)
        lost_s, self._connection_lost_s = self._connection_lost_s, None
        tap_s = self._state.audio_s if lost_s is None else lost_s
        self._server_clock.connection_started(tap_s=tap_s)
        latest = self._ledger.latest_turn()
        if self._server_turns and latest is not None and latest.end_s is None and latest.timing == "server_audio":
            # speech under way when the connection was lost: the old server will never end it
            self._end(max(latest.start_s, tap_s), "server_audio")

    # -- the own VAD ----------------------------------------------------------------------------------

    def _on_vad_start(self, start_s: float) -> None:
        if self._source == "vad":
            self._begin(start_s, "sidecar_vad", wall=time.time())

    def _on_vad_end(self, start_s: float, end_s: float) -> None:
        if self._source == "vad":
            latest = self._ledger.latest_turn()
            if latest is None or latest.end_s is not None:
                self._begin(start_s, "sidecar_vad", wall=time.time())
            self._end(end_s, "sidecar_vad")
        elif self._source == "undecided" and self._ledger.heard_at((start_s + end_s) / 2):
            # (speech the model was given silence for cannot be expected to make a turn)
            self._vad_spans_seen.append((start_s, end_s))
            asyncio.get_running_loop().call_later(self._own_turns_after_s, self._decide)

    def _decide(self) -> None:
        """The VAD heard the caller a while ago and the realtime model reported no turn: make our own."""
        if self._source != "undecided" or self._closed:
            return
        self._select("vad")
        for start_s, end_s in self._vad_spans_seen:
            self._begin(start_s, "sidecar_vad", wall=time.time())
            self._end(end_s, "sidecar_vad")
        self._vad_spans_seen.clear()
        if self._vad_turns is not None and self._vad_turns.speech_start_s is not None:
            self._begin(self._vad_turns.speech_start_s, "sidecar_vad", wall=time.time())

    def _select(self, source: Literal["realtime", "vad"]) -> None:
        if self._source == source:
            return
        self._source = source
        timing: TurnTiming = "sidecar_vad" if source == "vad" else "wall_clock"
        if source == "realtime" and self._server_turns:
            timing = "server_audio"
        logger.info("sidecar caller turns selected", extra={"source": source})
        self._state.events.emit("turn_source_selected", TurnSourceSelectedEvent(source=source, timing=timing))
        if source == "realtime" and self._vad_turns is not None:
            vad_turns, self._vad_turns = self._vad_turns, None
            asyncio.get_running_loop().create_task(vad_turns.aclose())

    # -- ledger writes --------------------------------------------------------------------------------

    def _begin(self, start_s: float, timing: TurnTiming, *, wall: float) -> UserTurn:
        began = time.thread_time()
        turn = self._ledger.begin_turn(start_s=start_s, timing=timing)
        self._turn_walls.append((wall, turn.turn_id))
        self._ledger.notify()
        self.cpu_s += time.thread_time() - began
        return turn

    def _end(self, end_s: float, timing: TurnTiming) -> None:
        began = time.thread_time()
        ended = self._ledger.end_turn(end_s=end_s, timing=timing)
        self._ledger.notify()
        self.cpu_s += time.thread_time() - began
        if ended is not None:
            self._state.turn_ended(ended)
