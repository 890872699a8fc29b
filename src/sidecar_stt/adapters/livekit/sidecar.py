"""``Sidecar``: accurate STT engines beside a realtime model, in the same LiveKit ``AgentSession``.

::

    sidecar = Sidecar(engines={"azure": AzureSpeechSTT(language="nb-NO")})
    agent = Agent(instructions=..., tools=sidecar.tools())
    await session.start(agent, room=ctx.room)
    await sidecar.attach(session)

``attach`` wraps ``session.input.audio`` in an :class:`AudioTap`. Every caller frame goes on to the realtime model
untouched; a copy goes to each engine through its :class:`EngineRunner`. Transcripts land in
:attr:`Sidecar.ledger` (never in the chat history, never in ``user_input_transcribed``), aligned to the caller's
turns as the session reports them (``user_state_changed`` and the realtime model's final transcripts).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from livekit import rtc
from livekit.agents import AgentSession, llm, stt, vad
from livekit.agents.voice.events import ConversationItemAddedEvent, UserStateChangedEvent

from ...core.ledger import TranscriptLedger, UserTurn
from ...core.segment import Segment
from ...errors import ConfigurationError
from ...log import logger
from .capture_tools import ConfirmedHook, PhoneCaptureTools
from .engine_runner import EngineRunner, EngineStats
from .events import FramesDroppedEvent, SidecarEventTypes, SidecarTranscriptEvent
from .tap import AudioTap
from .tools import build_transcript_tool

if TYPE_CHECKING:
    from ...recording import CallRecorder

__all__ = ["Sidecar", "SidecarOptions", "TurnTranscript"]


@dataclass(frozen=True)
class SidecarOptions:
    """Tuning of the live path.

    Attributes:
        language: caller language for parsing and read-back ("nb", "nn", "en", ...).
        region: default phone-number region ("NO").
        transcript_timeout_s: how long a tool waits for a sidecar final that is still on its way.
        queue_max_s: audio an engine may fall behind before frames are dropped for it (and counted).
        replay_max_s: audio kept since an engine's last final, replayed into it after a restart.
        restart_backoff_min_s: the wait before the first restart of a failed engine (doubling after each).
        restart_backoff_max_s: the longest wait between restarts.
        max_restarts: restarts per engine before it is given up.
        feed_interval_s: frames reach each engine in batches this often (adds at most this much latency).
        stall_timeout_s: an engine that produced nothing since a caller turn began, this long after the turn
            ended, is restarted (and the turn replayed into it).
        capture_max_attempts: rejected read-backs before the phone capture gives up.
    """

    language: str = "nb"
    region: str = "NO"
    transcript_timeout_s: float = 2.0
    queue_max_s: float = 10.0
    replay_max_s: float = 60.0
    restart_backoff_min_s: float = 0.2
    restart_backoff_max_s: float = 5.0
    max_restarts: int = 10
    feed_interval_s: float = 0.1
    stall_timeout_s: float = 10.0
    capture_max_attempts: int = 3


@dataclass(frozen=True)
class TurnTranscript:
    """The sidecar's finals for one caller turn, per engine (empty when none arrived in time)."""

    turn: UserTurn | None
    segments: tuple[Segment, ...]

    def text(self, source: str) -> str:
        return " ".join(s.text for s in self.segments if s.source == source and s.text)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.source for s in self.segments))


class Sidecar(rtc.EventEmitter[SidecarEventTypes]):
    """Runs sidecar STT engines on the caller's audio of one ``AgentSession``.

    Events (see :mod:`sidecar_stt.adapters.livekit.events`): ``sidecar_transcript``, ``engine_failed``,
    ``frames_dropped``, and the phone-capture events ``phone_number_proposed``, ``phone_number_confirmed``,
    ``phone_number_rejected``, ``phone_number_capture_failed``.
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
        self.ledger = TranscriptLedger()
        self._engines = dict(engines)
        self._vad = vad
        self._runners: dict[str, EngineRunner] = {}
        self._tap: AudioTap | None = None
        self._session: AgentSession[Any] | None = None
        self._closed = False
        self._on_phone_confirmed = on_phone_confirmed
        self._recorder = recorder
        self._phone: PhoneCaptureTools | None = None
        self._close_task: asyncio.Task[None] | None = None
        self._turn_walls: list[tuple[float, str]] = []  # (wall time the caller started speaking, turn id)

    # -- lifecycle ------------------------------------------------------------------------------------

    async def attach(self, session: AgentSession[Any]) -> None:
        """Install the tap on ``session.input.audio`` and start the engines. Call after ``session.start()``."""
        if self._tap is not None:
            raise RuntimeError("this Sidecar is already attached to a session")
        source = session.input.audio
        if source is None:
            raise ConfigurationError(
                "the session has no audio input; call sidecar.attach(session) after session.start()"
            )
        vad_model = self._vad
        if vad_model is None and any(not e.capabilities.streaming for e in self._engines.values()):
            vad_model = _load_silero()
        for name, engine in self._engines.items():
            runner = EngineRunner(
                name,
                engine,
                on_segment=self._on_segment,
                on_failure=lambda ev: self.emit("engine_failed", ev),
                on_drop=self._on_drop,
                clock=self._clock,
                vad_model=vad_model,
                queue_max_s=self.options.queue_max_s,
                replay_max_s=self.options.replay_max_s,
                backoff_s=(self.options.restart_backoff_min_s, self.options.restart_backoff_max_s),
                max_restarts=self.options.max_restarts,
                feed_interval_s=self.options.feed_interval_s,
            )
            self._runners[name] = runner
            runner.start()
        self._session = session
        self._tap = AudioTap(source=source, on_frame=self._on_frame, clock=time.time)
        session.input.audio = self._tap
        session.on("user_state_changed", self._on_user_state)
        session.on("conversation_item_added", self._on_conversation_item)
        session.on("close", self._on_session_close)
        if self._recorder is not None:
            self._recorder.start(self, session)
        logger.info("sidecar attached", extra={"engines": list(self._engines)})

    async def aclose(self) -> None:
        """Stop the engines (each gets a moment to deliver the final it is working on) and detach from the
        session's events. The tap stays a pass-through. Called by itself when the session closes."""
        if self._closed:
            closing = self._close_task
            if closing is not None and closing is not asyncio.current_task():
                await asyncio.shield(closing)  # the close the session started: wait until it is done
            return
        self._closed = True
        if self._session is not None:
            self._session.off("user_state_changed", self._on_user_state)
            self._session.off("conversation_item_added", self._on_conversation_item)
            self._session.off("close", self._on_session_close)
        await asyncio.gather(*(r.aclose() for r in self._runners.values()))
        if self._phone is not None:
            self._phone.close()
        if self._recorder is not None:
            await self._recorder.aclose()

    # -- queries ----------------------------------------------------------------------------------------

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(self._engines)

    def stats(self) -> dict[str, EngineStats]:
        """Per-engine counters (frames in, frames dropped, restarts, finals): snapshots, safe to keep or edit."""
        return {name: dataclasses.replace(runner.stats) for name, runner in self._runners.items()}

    @property
    def audio_s(self) -> float:
        """Seconds of caller audio seen since :meth:`attach` (the session clock)."""
        return self._tap.audio_s if self._tap is not None else 0.0

    async def turn_transcript(self, *, timeout_s: float | None = None) -> TurnTranscript:
        """The sidecar finals of the caller's latest turn.

        Waits, up to ``timeout_s``, until every running engine has settled on the turn: it has heard the audio to
        the turn's end, delivered a final in it, and holds no interim of it that is still to become final.
        """
        timeout = self.options.transcript_timeout_s if timeout_s is None else timeout_s
        turn = self.ledger.latest_turn()
        if turn is None:
            return TurnTranscript(turn=None, segments=())
        turn_id = turn.turn_id
        await self.ledger.wait_until(lambda: self._settled(turn_id), timeout_s=timeout)
        turn = self.ledger.turn(turn_id) or turn
        return TurnTranscript(turn=turn, segments=tuple(self.ledger.finals_for_turn(turn_id)))

    def _settled(self, turn_id: str) -> bool:
        turn = self.ledger.turn(turn_id)
        if turn is None:
            return True
        for name, runner in self._runners.items():
            if runner.stats.failed:
                continue
            if turn.end_s is not None and runner.pushed_end_s < turn.end_s:
                return False
            segments = [s for s in self.ledger.segments(source=name, finals_only=False) if s.turn_id == turn_id]
            if not any(s.is_final for s in segments) or any(not s.is_final for s in segments):
                return False
        return True

    @property
    def on_phone_confirmed(self) -> ConfirmedHook | None:
        """The app's hook run when a caller confirms a number (also used by ``CapturePhoneNumberTask``)."""
        return self._on_phone_confirmed

    @property
    def phone(self) -> PhoneCaptureTools:
        """The session's one phone-number capture, behind :meth:`tools` and ``CapturePhoneNumberTask``
        (``await sidecar.phone.wait_result()``)."""
        if self._phone is None:
            self._phone = PhoneCaptureTools(
                self,
                language=self.options.language,
                region=self.options.region,
                max_attempts=self.options.capture_max_attempts,
                on_confirmed=self._on_phone_confirmed,
            )
        return self._phone

    def tools(self, *, phone: bool = True) -> list[llm.Tool | llm.Toolset]:
        """Function tools for the Agent: ``get_accurate_transcript`` and, with ``phone``, the phone-capture
        tools (``capture_phone_number``, ``confirm_phone_number``, ``reject_phone_number``,
        ``decline_phone_number_capture``)."""
        tools: list[llm.Tool | llm.Toolset] = [build_transcript_tool(self)]
        if phone:
            tools.extend(self.phone.tools())
        return tools

    # -- callbacks --------------------------------------------------------------------------------------

    def _clock(self) -> float:
        return self.audio_s

    def _on_frame(self, frame: rtc.AudioFrame, start_s: float) -> None:
        if self._recorder is not None:
            self._recorder.write_frame(frame, start_s)
        for runner in self._runners.values():
            try:
                runner.offer(frame, start_s)
            except Exception:  # one engine's trouble must not keep the frame from the others
                runner.stats.failed = True
                logger.exception("sidecar engine runner failed; engine stopped", extra={"engine": runner.name})

    def _on_segment(self, segment: Segment) -> None:
        stored = self.ledger.add(segment)
        self.emit("sidecar_transcript", SidecarTranscriptEvent(segment=stored))

    def _on_drop(self, ev: FramesDroppedEvent) -> None:
        logger.warning(
            "sidecar engine fell behind; frames dropped",
            extra={"engine": ev.source, "count": ev.count, "total": ev.total},
        )
        self.emit("frames_dropped", ev)

    def _on_user_state(self, ev: UserStateChangedEvent) -> None:
        if self._tap is None:
            return
        at_s = self._tap.audio_time_at(ev.created_at)
        if ev.new_state == "speaking":
            turn = self.ledger.begin_turn(start_s=at_s)
            self._turn_walls.append((ev.created_at, turn.turn_id))
        elif ev.old_state == "speaking":
            ended = self.ledger.end_turn(end_s=at_s)
            if ended is not None:
                asyncio.get_running_loop().call_later(self.options.stall_timeout_s, self._check_stalls, ended)
        self.ledger.notify()

    def _check_stalls(self, turn: UserTurn) -> None:
        span = self.ledger.owned_span(turn.turn_id)
        if self._closed or span is None:
            return
        began_s, end_s = span
        if end_s is None:
            return
        for runner in self._runners.values():
            heard_turn = runner.pushed_end_s >= end_s
            if not runner.stats.failed and heard_turn and runner.last_event_s <= began_s:
                logger.warning("sidecar engine stalled; restarting it", extra={"engine": runner.name})
                runner.restart_stalled()

    def _on_conversation_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if not isinstance(item, llm.ChatMessage) or item.role != "user" or not self._turn_walls:
            return
        # the realtime model stamps the user message with the time its speech started: the turn that began
        # last at or before that moment is the one it transcribed
        started = [turn_id for wall, turn_id in self._turn_walls if wall <= item.created_at + 0.25]
        turn_id = started[-1] if started else self._turn_walls[0][1]
        self.ledger.label_turn(item_id=item.id, transcript=item.text_content or "", turn_id=turn_id)

    def _on_session_close(self, _: Any) -> None:
        self._close_task = asyncio.get_running_loop().create_task(self.aclose())


def _load_silero() -> vad.VAD:
    from livekit.plugins import silero

    return silero.VAD.load()
