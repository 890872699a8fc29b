"""``FakeRealtimeServer``: a scripted OpenAI Realtime **GA** WebSocket server on loopback.

The real LiveKit ``RealtimeModel`` (OpenAI or ``with_azure`` without ``api_version``) connects to it unchanged::

    async with FakeRealtimeServer(script) as server:
        model = openai.realtime.RealtimeModel(base_url=server.base_url, api_key="x")
        azure = openai.realtime.RealtimeModel.with_azure(
            azure_endpoint=server.azure_endpoint, azure_deployment="gpt-realtime", api_key="x")
        ...
        await server.wait_for_turns(2, timeout_s=10)
        assert server.received_audio == delivered_bytes
        assert server.tool_outputs()[0].name == "capture_phone"

Routes: ``/v1/realtime?model=…`` (OpenAI) and ``/openai/v1/realtime?model=…`` (Azure GA).

Behaviour. On connect it sends ``session.created``; it answers ``session.update`` with ``session.updated`` (the
merged session). Appended PCM16 24 kHz audio goes through an energy VAD (:class:`VadOptions`); the *i*-th speech
segment is script turn *i* (:class:`CallerTurn`). With ``vad="session"`` the VAD follows the session's
``turn_detection`` (``server_vad`` silence, threshold and prefix padding; ``semantic_vad`` eagerness, see
:meth:`VadOptions.from_turn_detection`), so a session runs with Azure's GA default (``server_vad``, 200 ms) or
OpenAI's (``semantic_vad``) as the client configured it; otherwise the VAD is fixed (``VadOptions``, default
500 ms of silence) whatever the session says. With server turn detection (the default) it sends
``input_audio_buffer.speech_started``/``speech_stopped``/``committed``, the user item (``conversation.item.added``
and ``.done``), the scripted transcript as ``conversation.item.input_audio_transcription.delta``/``.completed``
(when the session has transcription on) and then a response: scripted function calls as ``function_call`` output
items, or the spoken reply (``response.output_audio.delta`` with a quiet tone whose length follows the text,
``response.output_audio_transcript.delta``/``.done``, content part and item events, ``response.done``). After
function calls the reply waits for the client's ``function_call_output`` items and its ``response.create``; a
callable ``reply`` receives those outputs. Any other ``response.create`` (e.g. ``generate_reply``) gets the
``default_reply``; with the session's turn detection off, ``input_audio_buffer.commit`` makes the next turn and
the next ``response.create`` answers it. ``response.cancel``, ``input_audio_buffer.clear``,
``conversation.item.create``/``.delete``/``.truncate`` are answered as the real service does.

``speech_stopped.audio_end_ms`` is the protocol's: the end of the speech plus the session's ``server_vad``
``silence_duration_ms`` (:attr:`TurnSpan` records the speech itself). A session with ``idle_timeout_ms`` gets
``input_audio_buffer.timeout_triggered`` after that much silence since the last exchange, the silence committed as
a user item and a ``default_reply``.

With ``serialize_turns`` (default) the server finishes each scripted exchange before it reports the next speech
segment, so a test may push caller audio faster than real time without the turns barging into each other.

The real service's timing and failures are chosen per test with ``behaviour``
(:class:`~sidecar_stt.testing.realtime_behaviour.ServerBehaviour`): late or missing input transcripts,
``transcription.failed``, barge-in over a playing reply (cancelled with reason ``turn_detected``), a dropped
connection, ``rate_limits.updated``, transcript ``logprobs`` and server ``error`` events.

Every event it sends is validated against the ``openai`` SDK's ``RealtimeServerEvent`` models (``validate=True``,
strict about undeclared fields); an invalid event is recorded in :attr:`FakeRealtimeServer.errors`, closes the
connection with code 1011, makes the ``wait_*`` helpers raise, and is raised again by :meth:`aclose`.

Records: :attr:`client_events`, :attr:`sent_events`, :attr:`received_audio`, :attr:`turn_spans`,
:attr:`connections`, :meth:`tool_outputs`, :meth:`session_updates`. Waiters: :meth:`wait_for_turns`,
:meth:`wait_for_responses`, :meth:`wait_for_audio_bytes`, :meth:`wait_idle`, :meth:`wait_until`.

The per-connection protocol state machine lives in :mod:`sidecar_stt.testing.realtime_connection` (its response
streaming in :mod:`sidecar_stt.testing.realtime_response`), the script types and VAD in
:mod:`sidecar_stt.testing.realtime_script`, the event validation in :mod:`sidecar_stt.testing.realtime_validation`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Literal, NamedTuple

from aiohttp import web

from sidecar_stt.log import logger
from sidecar_stt.testing.realtime_behaviour import ServerBehaviour
from sidecar_stt.testing.realtime_connection import ServerConnection
from sidecar_stt.testing.realtime_script import CallerTurn, ReplySpec, ToolOutput, TurnSpan, VadOptions
from sidecar_stt.testing.realtime_validation import InvalidServerEventError, validate_server_event

__all__ = ["ConnectionInfo", "FakeRealtimeServer", "InvalidServerEventError"]


class ConnectionInfo(NamedTuple):
    """One WebSocket connection the server accepted."""

    path: str
    model: str | None
    azure: bool
    """True for the Azure GA route ``/openai/v1/realtime``."""
    has_api_key_header: bool
    has_bearer_token: bool


class FakeRealtimeServer:
    """Scripted OpenAI Realtime GA server on 127.0.0.1 (see the module docstring).

    Args:
        script: the caller turns, in order.
        host: interface to bind (loopback).
        port: 0 picks a free port.
        vad: fixed energy VAD settings, or ``"session"`` to follow each session's ``turn_detection``.
        default_reply: reply to a ``response.create`` that answers no scripted turn (or to unscripted turns).
        serialize_turns: finish each exchange before reporting the next detected speech.
        validate: validate every sent event against the ``openai`` SDK models.
        strict: with ``validate``, also reject fields the SDK models do not declare.
        reply_audio_s_per_char: length of the reply tone per character of reply text.
        reply_audio_max_s: cap on the reply tone length.
        reply_audio_speed: ``None`` streams reply audio as fast as possible; a number paces it at that many
            times real time (so a ``response.cancel`` can land mid-response).
        tool_reply_timeout_s: how long a turn with function calls waits for the client's ``response.create``.
        turn_gap_s: pause between the end of one exchange and the next reported speech (with serialization).
        behaviour: the real service's timing and failures to show (late transcripts, barge-in, dropped
            connections, ...); see :class:`~sidecar_stt.testing.realtime_behaviour.ServerBehaviour`.
    """

    def __init__(
        self,
        script: Sequence[CallerTurn] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        vad: VadOptions | Literal["session"] | None = None,
        default_reply: ReplySpec = "Ok.",
        serialize_turns: bool = True,
        validate: bool = True,
        strict: bool = True,
        reply_audio_s_per_char: float = 0.02,
        reply_audio_max_s: float = 1.0,
        reply_audio_speed: float | None = None,
        tool_reply_timeout_s: float = 5.0,
        turn_gap_s: float = 0.05,
        behaviour: ServerBehaviour | None = None,
    ) -> None:
        self.script: list[CallerTurn] = list(script)
        self._host = host
        self._port = port
        self.vad_options: VadOptions | None = None if vad == "session" else vad or VadOptions()
        """The fixed VAD, or ``None`` when the VAD follows each session's ``turn_detection``."""
        self.default_reply = default_reply
        self.serialize_turns = serialize_turns
        self.validate = validate
        self.strict = strict
        self.reply_audio_s_per_char = reply_audio_s_per_char
        self.reply_audio_max_s = reply_audio_max_s
        self.reply_audio_speed = reply_audio_speed
        self.tool_reply_timeout_s = tool_reply_timeout_s
        self.turn_gap_s = turn_gap_s
        self.behaviour = behaviour or ServerBehaviour()

        self.client_events: list[dict[str, Any]] = []
        """Every client event received, in order (append events keep their base64 audio)."""
        self.sent_events: list[dict[str, Any]] = []
        """Every server event sent, in order."""
        self.validated_event_count = 0
        """How many sent events passed validation."""
        self.turn_spans: list[TurnSpan] = []
        """Speech segments detected (or committed), on the clock of the appended audio of their connection."""
        self.connections: list[ConnectionInfo] = []
        self.errors: list[BaseException] = []
        """Failures inside the server (invalid events first of all)."""
        self.completed_turns = 0
        """Caller turns whose exchange (response, tool round trip and reply) has finished."""
        self.responses_done = 0
        self.unscripted_turns = 0
        """Turns detected beyond the end of the script."""

        self._received_audio = bytearray()
        self._next_turn_index = 0
        self._call_names: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._conns: list[ServerConnection] = []

    # ----------------------------------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind and start serving."""
        if self._runner is not None:
            return
        app = web.Application()
        app.router.add_get("/v1/realtime", self._handle_openai)
        app.router.add_get("/openai/v1/realtime", self._handle_azure)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None)
        if sockets:
            self._port = int(sockets[0].getsockname()[1])
        logger.debug("fake realtime server started", extra={"port": self._port})

    async def aclose(self) -> None:
        """Close every connection and stop; raise the first recorded server failure, if any."""
        for conn in list(self._conns):
            await conn.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.errors:
            raise self.errors[0]

    async def __aenter__(self) -> FakeRealtimeServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            with contextlib.suppress(Exception):
                await self.aclose()
            return
        await self.aclose()

    # ----------------------------------------------------------------------------------------------- addresses

    @property
    def port(self) -> int:
        """The bound port (after :meth:`start`)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``RealtimeModel(base_url=server.base_url, api_key=...)`` connects to ``/v1/realtime``."""
        return f"http://{self._host}:{self._port}/v1"

    @property
    def azure_endpoint(self) -> str:
        """``RealtimeModel.with_azure(azure_endpoint=...)`` (no ``api_version``) uses ``/openai/v1/realtime``."""
        return f"http://{self._host}:{self._port}"

    # ----------------------------------------------------------------------------------------------- records

    @property
    def received_audio(self) -> bytes:
        """Every byte of ``input_audio_buffer.append`` audio received, in order, across connections."""
        return bytes(self._received_audio)

    def tool_outputs(self) -> list[ToolOutput]:
        """Tool results the client sent (``function_call_output`` items), in order."""
        out: list[ToolOutput] = []
        for ev in self.client_events:
            item = ev.get("item") if ev.get("type") == "conversation.item.create" else None
            if isinstance(item, dict) and item.get("type") == "function_call_output":
                call_id = str(item.get("call_id", ""))
                out.append(ToolOutput(call_id, self._call_names.get(call_id, ""), str(item.get("output", ""))))
        return out

    def session_updates(self) -> list[dict[str, Any]]:
        """The ``session`` payloads of every ``session.update`` the client sent."""
        return [dict(ev.get("session") or {}) for ev in self.client_events if ev.get("type") == "session.update"]

    def client_event_types(self) -> list[str]:
        """Types of the client events received, in order."""
        return [str(ev.get("type")) for ev in self.client_events]

    def sent_event_types(self) -> list[str]:
        """Types of the server events sent, in order."""
        return [str(ev.get("type")) for ev in self.sent_events]

    def transcripts(self) -> list[str]:
        """Input transcripts the server sent (``...input_audio_transcription.completed``), in order."""
        return [
            str(ev["transcript"])
            for ev in self.sent_events
            if ev.get("type") == "conversation.item.input_audio_transcription.completed"
        ]

    # ----------------------------------------------------------------------------------------------- waiters

    async def wait_until(self, predicate: Callable[[], bool], *, timeout_s: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (checked after every event in or out).

        Raises:
            TimeoutError: it did not hold within ``timeout_s``.
            InvalidServerEventError: (or another recorded failure) the server failed meanwhile.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            if self.errors:
                raise self.errors[0]
            if predicate():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("fake realtime server: condition not reached in time")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.1))

    async def wait_for_turns(self, n: int, *, timeout_s: float = 10.0) -> list[TurnSpan]:
        """Wait until ``n`` caller turns have completed their exchange; return the detected spans."""
        await self.wait_until(lambda: self.completed_turns >= n, timeout_s=timeout_s)
        return list(self.turn_spans)

    async def wait_for_responses(self, n: int, *, timeout_s: float = 10.0) -> None:
        """Wait until ``n`` ``response.done`` events have been sent."""
        await self.wait_until(lambda: self.responses_done >= n, timeout_s=timeout_s)

    async def wait_for_audio_bytes(self, n: int, *, timeout_s: float = 10.0) -> None:
        """Wait until at least ``n`` bytes of input audio have been received."""
        await self.wait_until(lambda: len(self._received_audio) >= n, timeout_s=timeout_s)

    async def wait_idle(self, *, timeout_s: float = 10.0) -> None:
        """Wait until no connection has a turn, response or tool round trip under way."""
        await self.wait_until(lambda: all(c.idle for c in self._conns), timeout_s=timeout_s)

    # ----------------------------------------------------------------------------------------------- internals

    def _notify(self) -> None:
        old = self._changed
        self._changed = asyncio.Event()
        old.set()

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def _take_turn(self) -> CallerTurn:
        index = self._next_turn_index
        self._next_turn_index += 1
        if index < len(self.script):
            return self.script[index]
        self.unscripted_turns += 1
        return CallerTurn(transcript="", reply=self.default_reply)

    def _check_event(self, event: dict[str, Any]) -> None:
        if self.validate:
            validate_server_event(event, strict=self.strict)
            self.validated_event_count += 1

    def _record_failure(self, exc: BaseException) -> None:
        if any(exc is e for e in self.errors):
            return
        self.errors.append(exc)
        logger.error("fake realtime server failed", exc_info=exc)
        self._notify()

    async def _handle_openai(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, azure=False)

    async def _handle_azure(self, request: web.Request) -> web.StreamResponse:
        return await self._handle(request, azure=True)

    async def _handle(self, request: web.Request, *, azure: bool) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=16 * 1024 * 1024, autoping=True)
        if not ws.can_prepare(request).ok:
            return web.Response(status=426, text="websocket upgrade required")
        await ws.prepare(request)
        info = ConnectionInfo(
            path=request.path,
            model=request.query.get("model"),
            azure=azure,
            has_api_key_header="api-key" in request.headers,
            has_bearer_token=request.headers.get("Authorization", "").startswith("Bearer "),
        )
        self.connections.append(info)
        conn = ServerConnection(self, ws, self.behaviour)
        self._conns.append(conn)
        try:
            await conn.run()
        finally:
            self._notify()
        return ws
