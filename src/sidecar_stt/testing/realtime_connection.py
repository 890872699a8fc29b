"""``ServerConnection``: the protocol state machine of one client connection to ``FakeRealtimeServer``.

It dispatches client events, runs the energy VAD over the appended audio, turns detected speech into scripted
turns (speech events, user item, input transcription, response), streams scripted responses (function calls or
a spoken reply with a quiet tone, :mod:`~sidecar_stt.testing.realtime_response`), and answers item, buffer and
cancel events; the real service's timing and failures follow its
:class:`~sidecar_stt.testing.realtime_behaviour.ServerBehaviour`. Every event goes out through
:meth:`ServerConnection.send`, which validates it with the server's settings and records it. Behaviour is
described in :mod:`sidecar_stt.testing.realtime_server`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import copy
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from sidecar_stt.log import logger
from sidecar_stt.testing.realtime_behaviour import (
    ServerBehaviour,
    logprobs_for,
    server_error_event,
    silence_included_s,
    transcription_failed_event,
)
from sidecar_stt.testing.realtime_response import SAMPLE_RATE, ActiveResponse, ResponseStream
from sidecar_stt.testing.realtime_script import (
    CallerTurn,
    EnergyVad,
    FakeServerState,
    ScriptedFunctionCall,
    SpeechBoundary,
    ToolOutput,
    TurnSpan,
    UnknownToolError,
    VadOptions,
    resolve_reply,
    transcript_deltas,
)
from sidecar_stt.testing.realtime_session import default_session, update_session
from sidecar_stt.testing.realtime_validation import InvalidServerEventError

__all__ = ["SAMPLE_RATE", "ServerConnection"]

_BYTES_PER_S = SAMPLE_RATE * 2
_MIN_COMMIT_BYTES = _BYTES_PER_S // 10  # the service needs at least 100 ms of audio to commit


@dataclass
class _PendingToolTurn:
    turn: CallerTurn
    call_ids: list[str]
    outputs: list[ToolOutput] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    follow_ups: int = 0
    """Calls of the turn's ``then`` made so far."""


@dataclass
class _UserTranscript:
    """A user item's transcription, sent when the behaviour's ``transcript_timing`` says."""

    item_id: str
    text: str
    duration_s: float
    failed: bool


@dataclass(frozen=True)
class _Announced:
    """Queue marker: caller speech that barged in and was reported at once (``speech_started`` already sent)."""

    boundary: SpeechBoundary
    item_id: str


class _Cleared:
    """Queue marker: the client cleared the input buffer."""


class ServerConnection(ResponseStream):
    """State of one client connection."""

    def __init__(self, server: FakeServerState, ws: web.WebSocketResponse, behaviour: ServerBehaviour) -> None:
        self._server = server
        self._ws = ws
        self._behaviour = behaviour
        self._session = default_session(SAMPLE_RATE)
        self._vad = EnergyVad(self._vad_options(), sample_rate=SAMPLE_RATE)
        self._stream_bytes = 0
        self._uncommitted_bytes = 0
        self._boundaries: asyncio.Queue[SpeechBoundary | _Announced | _Cleared] = asyncio.Queue()
        self._transcript: _UserTranscript | None = None  # the latest user item's, until sent
        self._idle_from_s: float | None = None  # stream time the last exchange ended (for idle_timeout_ms)
        self._items: list[str] = []
        self._conversation_id = server._new_id("conv")
        self._response_lock = asyncio.Lock()
        self._active: ActiveResponse | None = None
        self._pending_tool: _PendingToolTurn | None = None
        self._manual_turns: list[CallerTurn] = []
        self._exchange_active = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def idle(self) -> bool:
        return self._closed or (
            self._boundaries.empty()
            and not self._exchange_active
            and self._active is None
            and self._pending_tool is None
            and not self._tasks
        )

    # --------------------------------------------------------------------------------------------- plumbing

    async def run(self) -> None:
        runner = asyncio.create_task(self._guard(self._turn_runner()), name="fake_rt_turn_runner")
        try:
            await self.send({"type": "session.created", "session": copy.deepcopy(self._session)})
            async for msg in self._ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    event = json.loads(msg.data)
                except json.JSONDecodeError:
                    await self._send_error("invalid_json", "the message is not JSON")
                    continue
                if not isinstance(event, dict):
                    await self._send_error("invalid_event", "the message is not a JSON object")
                    continue
                self._server.client_events.append(event)
                await self._dispatch(event)
                self._server._notify()
        except InvalidServerEventError:
            await self._ws.close(code=1011, message=b"invalid server event")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        except Exception as e:
            self._server._record_failure(e)
            await self._ws.close(code=1011, message=b"fake server failure")
        finally:
            self._closed = True
            runner.cancel()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(runner, *self._tasks, return_exceptions=True)

    async def close(self) -> None:
        if not self._ws.closed:
            await self._ws.close()

    async def _guard(self, coro: Any) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except InvalidServerEventError:
            await self._ws.close(code=1011, message=b"invalid server event")
        except Exception as e:
            self._server._record_failure(e)
            await self._ws.close(code=1011, message=b"fake server failure")

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(self._guard(coro))
        self._tasks.add(task)

        def _done(t: asyncio.Task[None]) -> None:
            self._tasks.discard(t)
            self._server._notify()

        task.add_done_callback(_done)

    async def send(self, event: dict[str, Any]) -> None:
        server = self._server
        event = {"event_id": server._new_id("event"), **event}
        try:
            server._check_event(event)
        except InvalidServerEventError as e:
            server._record_failure(e)
            raise
        server.sent_events.append(event)
        if not self._ws.closed:
            with contextlib.suppress(ConnectionResetError):
                await self._ws.send_str(json.dumps(event))
        server._notify()

    async def _send_error(self, code: str, message: str, *, event_id: str | None = None) -> None:
        error: dict[str, Any] = {"type": "invalid_request_error", "code": code, "message": message}
        if event_id is not None:
            error["event_id"] = event_id
        await self.send({"type": "error", "error": error})

    @property
    def _tail(self) -> str | None:
        return self._items[-1] if self._items else None

    def _add_item(self, item_id: str, previous_item_id: str | None) -> str | None:
        """Insert an item id after ``previous_item_id`` (end if unknown, start if "root"); return its predecessor."""
        if previous_item_id == "root":
            self._items.insert(0, item_id)
            return None
        if previous_item_id is not None and previous_item_id in self._items:
            self._items.insert(self._items.index(previous_item_id) + 1, item_id)
            return previous_item_id
        prev = self._tail
        self._items.append(item_id)
        return prev

    @property
    def _server_vad(self) -> dict[str, Any] | None:
        td = self._session.get("audio", {}).get("input", {}).get("turn_detection")
        return td if isinstance(td, dict) else None

    def _check_tools(self, calls: Sequence[ScriptedFunctionCall]) -> None:
        """Raise :class:`UnknownToolError` when a scripted call names no tool of the session."""
        tools = self._session.get("tools") or []
        known = [str(t.get("name")) for t in tools if isinstance(t, dict) and t.get("name")]
        for call in calls:
            if call.name not in known:
                raise UnknownToolError(call.name, known)

    def _vad_options(self) -> VadOptions:
        if self._server.vad_options is not None:
            return self._server.vad_options
        td = self._server_vad
        return VadOptions() if td is None else VadOptions.from_turn_detection(td)

    @property
    def _transcription_on(self) -> bool:
        return self._session.get("audio", {}).get("input", {}).get("transcription") is not None

    # --------------------------------------------------------------------------------------------- client events

    async def _dispatch(self, event: dict[str, Any]) -> None:
        etype = event.get("type")
        if etype == "input_audio_buffer.append":
            self._on_append(event)
        elif etype == "session.update":
            update_session(self._session, dict(event.get("session") or {}))
            self._vad.configure(self._vad_options())
            await self.send({"type": "session.updated", "session": copy.deepcopy(self._session)})
        elif etype == "input_audio_buffer.commit":
            await self._on_commit(event)
        elif etype == "input_audio_buffer.clear":
            self._vad.reset()
            self._uncommitted_bytes = 0
            self._boundaries.put_nowait(_Cleared())
            await self.send({"type": "input_audio_buffer.cleared"})
        elif etype == "conversation.item.create":
            await self._on_item_create(event)
        elif etype == "conversation.item.delete":
            item_id = str(event.get("item_id", ""))
            if item_id in self._items:
                self._items.remove(item_id)
            await self.send({"type": "conversation.item.deleted", "item_id": item_id})
        elif etype == "conversation.item.truncate":
            await self.send(
                {
                    "type": "conversation.item.truncated",
                    "item_id": str(event.get("item_id", "")),
                    "content_index": int(event.get("content_index", 0)),
                    "audio_end_ms": int(event.get("audio_end_ms", 0)),
                }
            )
        elif etype == "response.create":
            self._spawn(self._on_response_create(event))
        elif etype == "response.cancel" and self._active is not None:
            self._active.cancelled = True
        # other client events (output_audio_buffer.clear, conversation.item.retrieve, ...) are recorded only

    def _on_append(self, event: dict[str, Any]) -> None:
        try:
            data = base64.b64decode(str(event.get("audio", "")), validate=True)
        except (binascii.Error, ValueError):
            self._spawn(self._send_error("invalid_audio", "audio is not base64"))
            return
        self._server._received_audio.extend(data)
        self._stream_bytes += len(data)
        self._uncommitted_bytes += len(data)
        for boundary in self._vad.push(data):
            self._boundaries.put_nowait(self._barge_in(boundary) or boundary)
        self._check_idle()

    def _check_idle(self) -> None:
        """The session's ``idle_timeout_ms`` passed in silence since the last exchange: the service says so
        (``input_audio_buffer.timeout_triggered``), commits the silence as a user item and responds."""
        vad, since = self._server_vad, self._idle_from_s
        idle_ms = vad.get("idle_timeout_ms") if vad is not None else None
        if not isinstance(idle_ms, int | float) or isinstance(idle_ms, bool) or since is None:
            return
        if self._vad.in_speech or not self._boundaries.empty() or not self._ready_for_turn():
            return
        now_s = self._stream_bytes / _BYTES_PER_S
        if now_s - since >= idle_ms / 1000:
            self._idle_from_s = None
            self._exchange_active = True
            self._spawn(self._on_idle_timeout(since, now_s))

    async def _on_idle_timeout(self, start_s: float, end_s: float) -> None:
        item_id = self._server._new_id("item")
        timeout = {"audio_start_ms": round(start_s * 1000), "audio_end_ms": round(end_s * 1000), "item_id": item_id}
        try:
            await self.send({"type": "input_audio_buffer.timeout_triggered", **timeout})
            self._uncommitted_bytes = 0
            silence = CallerTurn(transcript="", reply=self._server.default_reply)
            await self._commit_user_item(item_id, silence, duration_s=end_s - start_s, script_index=None)
            await self._answer_turn(silence, metadata=None)
        finally:
            self._exchange_active = False
        self._idle_from_s = self._stream_bytes / _BYTES_PER_S

    def _barge_in(self, boundary: SpeechBoundary) -> _Announced | None:
        """Caller speech over a playing reply, with ``barge_in``: report it now and cancel the reply as the service
        does with ``interrupt_response``."""
        active, vad = self._active, self._server_vad
        if not (self._behaviour.barge_in and boundary.kind == "start" and vad is not None):
            return None
        if active is None or not active.speaking:
            return None
        item_id = self._server._new_id("item")
        start_s = max(0.0, boundary.time_s - self._vad.options.prefix_padding_s)
        started = {"type": "input_audio_buffer.speech_started", "audio_start_ms": round(start_s * 1000)}
        if vad.get("interrupt_response", True) is not False:
            active.cancelled, active.reason = True, "turn_detected"

        async def announce() -> None:
            try:
                await self.send({**started, "item_id": item_id})
            finally:
                active.announced.set()

        self._spawn(announce())
        return _Announced(boundary, item_id)

    async def _on_commit(self, event: dict[str, Any]) -> None:
        if self._uncommitted_bytes < _MIN_COMMIT_BYTES:
            await self._send_error(
                "input_audio_buffer_commit_empty",
                "buffer too small: at least 100ms of audio is needed to commit",
                event_id=event.get("event_id"),
            )
            return
        end_s = self._stream_bytes / _BYTES_PER_S
        start_s = (self._stream_bytes - self._uncommitted_bytes) / _BYTES_PER_S
        self._uncommitted_bytes = 0
        turn = self._server._take_turn()
        self._server.turn_spans.append(TurnSpan(start_s, end_s))
        index = len(self._server.turn_spans) - 1
        await self._commit_user_item(self._server._new_id("item"), turn, duration_s=end_s - start_s, script_index=index)
        self._manual_turns.append(turn)

    async def _on_item_create(self, event: dict[str, Any]) -> None:
        item = copy.deepcopy(event.get("item") or {})
        item_id = str(item.get("id") or self._server._new_id("item"))
        if item_id in self._items:
            await self._send_error(
                "item_create_duplicate_item_id",
                "an item with this id already exists",
                event_id=event.get("event_id"),
            )
            return
        item["id"] = item_id
        item["object"] = "realtime.item"
        item.setdefault("status", "completed")
        prev = self._add_item(item_id, event.get("previous_item_id"))
        if item.get("type") == "function_call":
            self._server._call_names[str(item.get("call_id", ""))] = str(item.get("name", ""))
        if item.get("type") == "function_call_output" and self._pending_tool is not None:
            call_id = str(item.get("call_id", ""))
            if call_id in self._pending_tool.call_ids:
                name = self._server._call_names.get(call_id, "")
                self._pending_tool.outputs.append(ToolOutput(call_id, name, str(item.get("output", ""))))
        await self.send({"type": "conversation.item.added", "item": item, "previous_item_id": prev})
        await self.send({"type": "conversation.item.done", "item": item, "previous_item_id": prev})

    async def _on_response_create(self, event: dict[str, Any]) -> None:
        params = event.get("response") or {}
        metadata = params.get("metadata") if isinstance(params, dict) else None
        metadata = metadata if isinstance(metadata, dict) else None
        pending = self._pending_tool
        if pending is not None:
            # a model that reads the results may call a further tool (the turn's ``then``) before it speaks
            call = pending.turn.next_call(pending.follow_ups, pending.outputs)
            if call is not None:
                pending.follow_ups += 1
                self._check_tools([call])
                pending.call_ids.extend(await self._respond(calls=[call], metadata=metadata))
                return
            self._pending_tool = None
            await self._respond(reply=resolve_reply(pending.turn.reply, pending.outputs), metadata=metadata)
            pending.done.set()
        elif self._manual_turns:
            turn = self._manual_turns.pop(0)
            self._exchange_active = True
            try:
                await self._answer_turn(turn, metadata=metadata)
            finally:
                self._exchange_active = False
                self._server.completed_turns += 1
            await self._after_turn()
        else:
            await self._respond(reply=resolve_reply(self._server.default_reply, []), metadata=metadata)

    # --------------------------------------------------------------------------------------------- turns

    async def _turn_runner(self) -> None:
        speech_item: str | None = None
        speech_start_s = 0.0
        while True:
            boundary = await self._boundaries.get()
            if isinstance(boundary, _Cleared):
                if speech_item is not None:
                    speech_item = None
                    self._exchange_active = False
                continue
            vad = self._server_vad
            if isinstance(boundary, _Announced):  # barged in: speech_started went out already
                speech_item = boundary.item_id
                speech_start_s = max(0.0, boundary.boundary.time_s - self._vad.options.prefix_padding_s)
                continue
            if boundary.kind == "start":
                if self._server.serialize_turns:
                    await self._server.wait_until(self._ready_for_turn, timeout_s=math.inf)
                    if self._server.turn_gap_s > 0:
                        await asyncio.sleep(self._server.turn_gap_s)
                speech_item = self._server._new_id("item")
                speech_start_s = max(0.0, boundary.time_s - self._vad.options.prefix_padding_s)
                if vad is not None:
                    self._exchange_active = True
                    await self.send(
                        {
                            "type": "input_audio_buffer.speech_started",
                            "audio_start_ms": round(speech_start_s * 1000),
                            "item_id": speech_item,
                        }
                    )
                    if self._behaviour.drop_in_turn == self._speech_reported() - 1:
                        logger.debug("fake realtime server drops the connection mid-speech")
                        await self._ws.close(code=1011, message=b"connection dropped")
                continue
            if speech_item is None:
                continue
            item_id, speech_item = speech_item, None
            if vad is None:
                self._server.turn_spans.append(TurnSpan(speech_start_s, boundary.time_s))
                self._server._notify()
                continue
            self._exchange_active = True
            try:
                await self._run_vad_turn(item_id, TurnSpan(speech_start_s, boundary.time_s), vad)
            finally:
                self._exchange_active = False
                self._server.completed_turns += 1
            self._idle_from_s = self._stream_bytes / _BYTES_PER_S
            await self._after_turn()

    async def _after_turn(self) -> None:
        """The failures the behaviour schedules after a completed caller turn: a server error, a dropped socket."""
        done = self._server.completed_turns
        if done in self._behaviour.error_after_turns:
            await self.send(server_error_event())
        if self._behaviour.drop_after_turns == done:
            logger.debug("fake realtime server drops the connection", extra={"turns": done})
            await self._ws.close(code=1011, message=b"connection dropped")

    def _speech_reported(self) -> int:
        """How many speech starts the server has reported, on every connection."""
        return sum(1 for ev in self._server.sent_events if ev.get("type") == "input_audio_buffer.speech_started")

    def _ready_for_turn(self) -> bool:
        return not self._exchange_active and self._active is None and self._pending_tool is None

    async def _run_vad_turn(self, item_id: str, span: TurnSpan, vad: dict[str, Any]) -> None:
        turn = self._server._take_turn()
        self._server.turn_spans.append(span)
        end_s = span.end_s + silence_included_s(vad, self._behaviour.audio_end)
        await self.send(
            {"type": "input_audio_buffer.speech_stopped", "audio_end_ms": round(end_s * 1000), "item_id": item_id}
        )
        self._uncommitted_bytes = 0
        index = len(self._server.turn_spans) - 1
        await self._commit_user_item(item_id, turn, duration_s=span.end_s - span.start_s, script_index=index)
        if vad.get("create_response", True) is not False:
            await self._answer_turn(turn, metadata=None)
        else:
            self._manual_turns.append(turn)

    async def _commit_user_item(
        self, item_id: str, turn: CallerTurn, *, duration_s: float, script_index: int | None
    ) -> None:
        """Commit the user item of ``turn`` (``script_index``: its place in the script, ``None`` for none)."""
        prev = self._tail
        await self.send({"type": "input_audio_buffer.committed", "item_id": item_id, "previous_item_id": prev})
        self._add_item(item_id, prev)
        item: dict[str, Any] = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        await self.send({"type": "conversation.item.added", "item": item, "previous_item_id": prev})
        await self.send({"type": "conversation.item.done", "item": item, "previous_item_id": prev})
        if not self._transcription_on:
            return
        failed = script_index is not None and script_index in self._behaviour.failed_transcription_turns
        self._transcript = _UserTranscript(item_id, turn.transcript, duration_s, failed)
        if self._behaviour.transcript_timing == "before_response":
            await self._send_transcript()

    async def _send_transcript(self) -> None:
        """Send the pending user transcript (deltas and ``.completed``, or ``.failed``), unless it is never sent."""
        pending, self._transcript = self._transcript, None
        if pending is None or self._behaviour.transcript_timing == "never":
            return
        delay_s = self._behaviour.transcript_delay_s
        if delay_s > 0 and self._behaviour.transcript_timing != "before_response":
            self._spawn(self._deliver_transcript(pending, delay_s=delay_s))
        else:
            await self._deliver_transcript(pending, delay_s=0.0)

    async def _deliver_transcript(self, pending: _UserTranscript, *, delay_s: float) -> None:
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        if pending.failed:
            await self.send(transcription_failed_event(pending.item_id))
            return
        logprob = self._behaviour.transcript_logprob
        ids = {"item_id": pending.item_id, "content_index": 0}
        words = transcript_deltas(pending.text)
        for delta in words:
            event = {"type": "conversation.item.input_audio_transcription.delta", **ids, "delta": delta}
            if logprob is not None:
                event["logprobs"] = logprobs_for([delta], logprob)
            await self.send(event)
        completed: dict[str, Any] = {
            "type": "conversation.item.input_audio_transcription.completed",
            **ids,
            "transcript": pending.text,
            "usage": {"type": "duration", "seconds": round(max(pending.duration_s, 0.0), 3)},
        }
        if logprob is not None:
            completed["logprobs"] = logprobs_for(words, logprob)
        await self.send(completed)

    async def _answer_turn(self, turn: CallerTurn, *, metadata: dict[str, Any] | None) -> None:
        calls = turn.opening_calls()
        if not calls:
            await self._respond(reply=resolve_reply(turn.reply, []), metadata=metadata)
            await self._send_transcript()  # a transcript due after a function call that never came
            return
        self._check_tools(calls)
        pending = _PendingToolTurn(turn=turn, call_ids=[])
        self._pending_tool = pending
        pending.call_ids.extend(await self._respond(calls=calls, metadata=metadata))
        await self._send_transcript()
        try:
            await asyncio.wait_for(pending.done.wait(), self._server.tool_reply_timeout_s)
        except TimeoutError:
            logger.warning("fake realtime server: no response.create after function calls")
            if self._pending_tool is pending:
                self._pending_tool = None
