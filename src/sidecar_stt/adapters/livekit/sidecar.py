"""``Sidecar``: accurate STT engines beside a realtime model, in the same LiveKit ``AgentSession``.

::

    sidecar = Sidecar(engines={"azure": AzureSpeechSTT(language="nb-NO")})
    agent = Agent(instructions=..., tools=sidecar.tools())
    await session.start(agent, room=ctx.room)
    await sidecar.attach(session)

``attach`` wraps ``session.input.audio`` in an :class:`AudioTap`. Every caller frame goes on to the realtime model
untouched; a mono copy goes to each engine through its :class:`EngineRunner`. Transcripts land in
:attr:`Sidecar.ledger` (never in the chat history, never in ``user_input_transcribed``), aligned to the caller's
turns.

Caller turns come from the best source the session offers (:class:`~.caller_turns.CallerTurns`): the realtime
server's own speech events with their audio offsets, the session's ``user_state_changed`` by wall clock, or the
sidecar's own VAD when the model reports none. Spans where the session gave the model silence instead of the
caller (echo-cancellation warm-up, discarded input) are marked unheard in the ledger.

``Sidecar`` is the public face that assembles the parts of one call around its
:class:`~.call_state.CallState` (the session clock, the ledger, the engines' hearing, the capture's status): the
:class:`~.engine_pool.EnginePool` and its runners, the :class:`~.listen_policy.ListenPolicy`, the
:class:`~.caller_turns.CallerTurns`, the :class:`~.turn_reader.TurnReader` the tools read through, and the
:class:`~.capture_tools.PhoneCaptureTools`. Each depends on the state, none on ``Sidecar``.

A watchdog checks every ``health_interval_s`` that the tap is still on ``session.input.audio``; when the input was
replaced it wraps the new one (``tap_reinstalled``), when it is gone it says so (``tap_lost``) and
:attr:`Sidecar.hearing` turns false.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from livekit import rtc
from livekit.agents import AgentSession, llm, stt, vad
from livekit.agents.voice.events import ConversationItemAddedEvent, UserStateChangedEvent

from ...errors import ConfigurationError
from ...log import logger
from .audio_format import BandwidthProbe, to_mono
from .call_state import CallState
from .caller_turns import CallerTurns, TurnSource
from .capture_tools import ConfirmedHook, PhoneCaptureTools
from .engine_pool import EnginePool
from .engine_stats import EngineStats
from .event_guard import GuardedEmitter
from .events import (
    AudioFormatDetectedEvent,
    KeypadEntryReceivedEvent,
    SidecarEventTypes,
    TapLostEvent,
    TapReinstalledEvent,
)
from .keypad import KeypadListener, KeypadSource
from .listen_policy import ListenPolicy
from .options import SidecarOptions
from .session_probe import input_chain_holds, model_hears_silence, realtime_session, reports_server_turns
from .tap import AudioTap
from .tools import build_transcript_tool
from .turn_reader import TurnReader, TurnTranscript

if TYPE_CHECKING:
    from ...recording import CallRecorder

KEYPAD_ANSWER_WAIT_S = 3.0
"""How long the answer to a keypad entry waits for the caller's turn (the tones, taken for speech) to end."""

__all__ = ["Sidecar", "TurnTranscript"]


class Sidecar(GuardedEmitter[SidecarEventTypes]):
    """Runs sidecar STT engines on the caller's audio of one ``AgentSession``.

    Events (see :mod:`sidecar_stt.adapters.livekit.events`): ``sidecar_transcript``, ``engine_failed``,
    ``engine_recovered``, ``frames_dropped``, ``engine_output_repaired``, ``tap_lost``, ``tap_reinstalled``,
    ``audio_format_detected``, ``turn_source_selected``, and the phone-capture events ``phone_number_proposed``,
    ``phone_number_confirmed``, ``phone_number_rejected``, ``phone_number_capture_failed``. A handler that raises
    is logged with its exception's type only and skipped (:class:`~.event_guard.GuardedEmitter`): the capture,
    the ``on_phone_confirmed`` hook and ``wait_result()`` go on.
    """

    def __init__(
        self,
        engines: Mapping[str, stt.STT[Any]],
        *,
        options: SidecarOptions | None = None,
        vad: vad.VAD | None = None,
        on_phone_confirmed: ConfirmedHook | None = None,
        recorder: CallRecorder | None = None,
    ) -> None:
        """``recorder`` (opt-in) writes the caller audio and the call's record as the call goes."""
        super().__init__()
        if not engines:
            raise ConfigurationError("Sidecar needs at least one engine, e.g. engines={'azure': AzureSpeechSTT()}")
        self.options = options or SidecarOptions()
        self._engines = dict(engines)
        self.state = CallState(options=self.options, events=self, engines=tuple(self._engines))
        """What this call knows (session clock, ledger, engines' hearing, capture), shared by its parts."""
        self.ledger = self.state.ledger
        self._vad_model = vad
        self._listen = ListenPolicy(self.state)
        self._pool = EnginePool(self.state, self._engines, policy=self._listen, vad_model=vad)
        self._reader = TurnReader(self.state, self._pool)
        self._on_phone_confirmed = on_phone_confirmed
        self._phone = PhoneCaptureTools(self.state, self._reader, on_confirmed=on_phone_confirmed)
        self._recorder = recorder
        self._tap: AudioTap | None = None
        self._session: AgentSession[Any] | None = None
        self._close_task: asyncio.Task[None] | None = None
        self._turns: CallerTurns | None = None
        self._bandwidth = BandwidthProbe()
        self._frame_format: tuple[int, int] = (0, 0)
        self._health_task: asyncio.Task[None] | None = None
        self._cpu_s = 0.0

        self._keypad = KeypadListener(
            on_entry=self._on_keypad_entry,
            tones=self.options.keypad_tones,
            timeout_s=self.options.keypad_timeout_s,
        )
        self.state.keypad = self._keypad
        self._keypad_tasks: set[asyncio.Task[None]] = set()

    # -- lifecycle ------------------------------------------------------------------------------------

    async def attach(self, session: AgentSession[Any], *, room: rtc.Room | None = None) -> None:
        """Install the tap on ``session.input.audio`` and start the engines. Call after ``session.start()``.
        With ``room`` (``ctx.room``), the caller's keypad presses also come from its SIP DTMF events."""
        if self.state.closed:
            raise ConfigurationError(
                "this Sidecar was closed (its session closed); a restarted session needs a new Sidecar"
            )
        if self._tap is not None:
            raise ConfigurationError("this Sidecar is already attached to a session")
        source = session.input.audio
        if source is None:
            raise ConfigurationError(
                "the session has no audio input; call sidecar.attach(session) after session.start()"
            )
        vad_model = self._vad_model
        # the sidecar's own VAD turns are needed unless the model's server reports its turns with audio offsets
        own_turns = self.options.turns == "vad" or (
            self.options.turns == "auto" and not reports_server_turns(realtime_session(session))
        )
        if vad_model is None and (own_turns or any(not e.capabilities.streaming for e in self._engines.values())):
            vad_model = _load_silero()
        self._vad_model = self._pool.vad_model = vad_model
        self._pool.start()
        self._session = session
        self._tap = AudioTap(source=source, on_frame=self._on_frame, clock=time.time)
        session.input.audio = self._tap
        self.state.use_clock(self._tap)
        self._turns = turns = CallerTurns(self.state, vad_model=vad_model if own_turns else None)
        turns.follow(realtime_session(session))
        session.on("user_state_changed", turns.on_user_state)
        session.on("conversation_item_added", turns.on_conversation_item)
        session.on("conversation_item_added", self._on_conversation_item)
        session.on("close", self._on_session_close)
        if room is not None:
            self._keypad.listen_to_room(room)
        if self._recorder is not None:
            self._recorder.start(self, session)
        self._health_task = asyncio.get_running_loop().create_task(self._watch_health())
        logger.info("sidecar attached", extra={"engines": list(self._engines)})

    async def aclose(self) -> None:
        """Stop the engines (each gets a moment to deliver the final it is working on) and detach from the
        session's events. The tap stays a pass-through. Called by itself when the session closes."""
        if self.state.closed:
            closing = self._close_task
            if closing is not None and closing is not asyncio.current_task():
                await asyncio.shield(closing)  # the close the session started: wait until it is done
            return
        self.state.closed = True
        self.state.changed()
        if self._session is not None and self._turns is not None:
            self._session.off("user_state_changed", self._turns.on_user_state)
            self._session.off("conversation_item_added", self._turns.on_conversation_item)
            self._session.off("conversation_item_added", self._on_conversation_item)
            self._session.off("close", self._on_session_close)
        if self._health_task is not None:
            self._health_task.cancel()
        if self._turns is not None:
            await self._turns.aclose()
        self._keypad.close()
        await self._pool.aclose()
        self._phone.close()
        if self._recorder is not None:
            await self._recorder.aclose()

    # -- queries ----------------------------------------------------------------------------------------

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(self._engines)

    def stats(self) -> dict[str, EngineStats]:
        """Per-engine counters (frames in, frames dropped, restarts, finals, engine audio-seconds sent and
        seconds of transcript stored): snapshots, safe to keep or edit."""
        stats = self._pool.stats()
        for segment in self.ledger.segments(finals_only=True):
            if segment.source in stats:
                stats[segment.source].transcript_s += segment.end_s - segment.start_s
        return stats

    def listen(self) -> None:
        """The caller is about to give the number, or just gave it (on-demand mode; e.g. the app's own flow asked
        for it): the engines start now, hear the latest caller turn from the buffer first, and stay until the
        model acts on the answer (a capture opens, or it replies). The agent's own question does this by itself;
        the tools and ``CapturePhoneNumberTask`` start the engines when they need them. Always-on: does
        nothing."""
        if self._pool.on_demand:
            self._listen.expect_answer()
            self._pool.listen()

    @property
    def listening(self) -> bool:
        """Whether the engines are running (always, in always-on mode, once attached)."""
        return self._pool.listening

    @property
    def audio_s(self) -> float:
        """Seconds of caller audio seen since :meth:`attach` (the session clock)."""
        return self.state.audio_s

    @property
    def cpu_s(self) -> float:
        """CPU seconds the sidecar's own code used on the event loop: the tap callback (copy, downmix, queueing),
        the engine runners' feeding and event handling (with the ledger writes) and the turn bookkeeping. The
        engines' own work and the VAD's inference are not included."""
        turns = self._turns.cpu_s if self._turns is not None else 0.0
        return self._cpu_s + turns + sum(r.cpu_s for r in self._pool.runners.values())

    @property
    def attached(self) -> bool:
        """Whether :meth:`attach` installed the tap on a session."""
        return self._tap is not None

    @property
    def hearing(self) -> bool:
        """Whether the sidecar hears the caller now: attached, its tap on the session's input, not closed, and
        at least one engine running. Tools say plainly when it does not (:attr:`not_hearing_reason`)."""
        return self.not_hearing_reason is None

    @property
    def not_hearing_reason(self) -> str | None:
        """Why the sidecar is not hearing the caller (plain words for a tool answer), or ``None``."""
        return self.state.not_hearing_reason

    @property
    def bandwidth(self) -> Literal["unknown", "narrowband", "wideband"]:
        """Whether the caller audio is telephone-narrowband (≈ 8 kHz content), once enough speech was heard."""
        return self._bandwidth.bandwidth

    @property
    def caller_can_type(self) -> bool | None:
        """Whether the caller has a keypad (see :attr:`~.keypad.KeypadListener.caller_can_type`): a phone-line
        caller in the room given to :meth:`attach` or a key already pressed says yes, a room of web or app clients
        says no, no room leaves it unknown. The capture asks a caller without one to say the number, never to
        type it."""
        return self._keypad.caller_can_type

    @property
    def turn_source(self) -> TurnSource:
        """Where the ledger's caller turns come from (see :attr:`SidecarOptions.turns`)."""
        return self._turns.source if self._turns is not None else "undecided"

    async def turn_transcript(self, *, timeout_s: float | None = None) -> TurnTranscript:
        """The sidecar finals of the caller's latest turn.

        Waits, up to ``timeout_s``, until every running engine has settled on the turn: it has heard the audio to
        the turn's end, delivered a final in it, and holds no interim of it that is still to become final.
        """
        return await self._reader.turn_transcript(timeout_s=timeout_s)

    async def realtime_transcripts(self, turn_ids: Sequence[str], *, timeout_s: float) -> dict[str, str | None]:
        """The realtime model's own transcripts of ``turn_ids`` (ledger turn ids), waiting up to ``timeout_s`` for
        those not in yet: the model's input transcription completes late, often after a tool call. ``None`` for a
        turn whose transcript did not arrive in time (say so, rather than treat it as silence)."""
        return await self._reader.realtime_transcripts(turn_ids, timeout_s=timeout_s)

    @property
    def on_phone_confirmed(self) -> ConfirmedHook | None:
        """The app's hook run when a caller confirms a number (also used by ``CapturePhoneNumberTask``)."""
        return self._on_phone_confirmed

    @property
    def phone(self) -> PhoneCaptureTools:
        """The session's one phone-number capture, behind :meth:`tools` and ``CapturePhoneNumberTask``
        (``await sidecar.phone.wait_result()``)."""
        return self._phone

    def tools(self, *, phone: bool = True) -> list[llm.Tool | llm.Toolset]:
        """Function tools for the Agent: ``get_accurate_transcript`` and, with ``phone``, the phone-capture
        tools (``capture_phone_number``, ``confirm_phone_number``, ``reject_phone_number``,
        ``decline_phone_number_capture``)."""
        tools: list[llm.Tool | llm.Toolset] = [build_transcript_tool(self.state, self._reader)]
        if phone:
            tools.extend(self.phone.tools())
        return tools

    # -- callbacks --------------------------------------------------------------------------------------

    def _on_frame(self, frame: rtc.AudioFrame, start_s: float) -> None:
        began = time.thread_time()
        try:
            self._take_frame(frame, start_s)
        finally:
            self._cpu_s += time.thread_time() - began

    def _take_frame(self, frame: rtc.AudioFrame, start_s: float) -> None:
        if self._recorder is not None:
            self._recorder.write_frame(frame, start_s)
        if (frame.sample_rate, frame.num_channels) != self._frame_format:
            self._frame_format = (frame.sample_rate, frame.num_channels)
            if self._bandwidth.decided:
                self._bandwidth = BandwidthProbe()  # a new format: measure again
        mono = to_mono(frame)
        if self._bandwidth.observe(mono):
            self.emit("audio_format_detected", AudioFormatDetectedEvent(*self._frame_format, self._bandwidth.bandwidth))
        if self._session is not None and model_hears_silence(self._session):
            self.ledger.mark_unheard(start_s, start_s + frame.samples_per_channel / frame.sample_rate)
        if self._turns is not None:
            self._turns.push(mono, start_s)
        self._keypad.feed_audio(mono, start_s)
        self._pool.offer(mono, start_s)

    def _on_conversation_item(self, ev: ConversationItemAddedEvent) -> None:
        if self._pool.on_demand and (since_s := self._listen.answer_window(ev.item)) is not None:
            self._pool.listen(since_s=since_s)  # the agent asked for the number: hear the answer live

    def _on_keypad_entry(self, digits: str, source: KeypadSource, finished_by: Literal["hash", "pause"]) -> None:
        self.emit(
            "keypad_entry_received", KeypadEntryReceivedEvent(digits=digits, source=source, finished_by=finished_by)
        )
        if self.state.closed:
            return
        task = asyncio.get_running_loop().create_task(self._answer_keypad(digits))
        self._keypad_tasks.add(task)
        task.add_done_callback(self._keypad_tasks.discard)

    async def _answer_keypad(self, digits: str) -> None:
        """Give the typed digits to the capture and tell the model what to say, at once (nothing the model heard
        holds them)."""
        instruction = await self.phone.on_keypad_entry(digits)
        session = self._session
        if session is None or self.state.closed:
            return
        # keypad tones are sound: the session may take them for the caller speaking; answer once that turn ended
        await _caller_quiet(session, timeout_s=KEYPAD_ANSWER_WAIT_S)
        if self.state.closed:
            return
        with contextlib.suppress(RuntimeError):  # nothing to interrupt, or a reply that may not be interrupted
            session.interrupt()
        try:
            session.generate_reply(instructions=instruction)
        except RuntimeError:
            logger.warning("keypad entry not answered; the session is not running")

    # -- health ---------------------------------------------------------------------------------------

    async def _watch_health(self) -> None:
        while not self.state.closed:
            await asyncio.sleep(self.options.health_interval_s)
            self.check_health()

    def check_health(self) -> bool:
        """Check now that the tap is on the session's input (re-install it or report it lost) and follow the
        current agent's realtime session. Returns :attr:`hearing`. Runs by itself every ``health_interval_s``."""
        session, tap = self._session, self._tap
        if session is None or tap is None or self.state.closed:
            return self.hearing
        if self._turns is not None:
            self._turns.follow(realtime_session(session))
        if input_chain_holds(session, tap):
            return self.hearing
        current = session.input.audio
        if current is not None and self.options.reinstall_tap:
            self._tap = AudioTap(source=current, on_frame=self._on_frame, clock=time.time, start_s=tap.audio_s)
            session.input.audio = self._tap
            self.state.use_clock(self._tap)
            self.state.tap_lost = False
            logger.warning("sidecar tap was replaced on the session's input; re-installed")
            self.emit("tap_reinstalled", TapReinstalledEvent(audio_s=tap.audio_s))
        elif not self.state.tap_lost:
            self.state.tap_lost = True
            logger.warning("sidecar tap is no longer on the session's input; the sidecar is not hearing the caller")
            self.emit("tap_lost", TapLostEvent(audio_s=tap.audio_s))
        return self.hearing

    def _on_session_close(self, _: Any) -> None:
        self._close_task = asyncio.get_running_loop().create_task(self.aclose())


async def _caller_quiet(session: AgentSession[Any], *, timeout_s: float) -> None:
    """Return once the session's caller is not speaking (at most ``timeout_s`` later)."""
    if session.user_state != "speaking":
        return
    quiet = asyncio.Event()

    def on_state(ev: UserStateChangedEvent) -> None:
        if ev.new_state != "speaking":
            quiet.set()

    session.on("user_state_changed", on_state)
    try:
        await asyncio.wait_for(quiet.wait(), timeout_s)
    except TimeoutError:
        pass
    finally:
        session.off("user_state_changed", on_state)


@functools.cache
def _load_silero() -> vad.VAD:
    """Silero, loaded once per process (loading blocks the loop; its streams are independent)."""
    from livekit.plugins import silero

    return silero.VAD.load()
