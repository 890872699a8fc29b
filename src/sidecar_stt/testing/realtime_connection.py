"""``ServerConnection``: the protocol state machine of one client connection to ``FakeRealtimeServer``.

It dispatches client events, runs the energy VAD over the appended audio, turns detected speech into scripted
turns (speech events, user item, input transcription, response), streams scripted responses (function calls or
a spoken reply with a quiet tone), and answers item, buffer and cancel events. Every event goes out through
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

import numpy as np
from aiohttp import WSMsgType, web

from sidecar_stt.log import logger
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

SAMPLE_RATE = 24000
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
class _ActiveResponse:
    response_id: str
    cancelled: bool = False


class _Cleared:
    """Queue marker: the client cleared the input buffer."""


class ServerConnection:
    """State of one client connection."""

    def __init__(self, server: FakeServerState, ws: web.WebSocketResponse) -> None:
        self._server = server
        self._ws = ws
        self._session = default_session(SAMPLE_RATE)
        self._vad = EnergyVad(self._vad_options(), sample_rate=SAMPLE_RATE)
        self._stream_bytes = 0
        self._uncommitted_bytes = 0
        self._boundaries: asyncio.Queue[SpeechBoundary | _Cleared] = asyncio.Queue()
        self._items: list[str] = []
        self._conversation_id = server._new_id("conv")
        self._response_lock = asyncio.Lock()
        self._active: _ActiveResponse | None = None
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

    async def _open_output_item(self, response_id: str, output_index: int, item: dict[str, Any]) -> str | None:
        """Announce a new output item of a response and add it to the conversation; returns the previous item."""
        await self.send(
            {
                "type": "response.output_item.added",
                "response_id": response_id,
                "output_index": output_index,
                "item": copy.deepcopy(item),
            }
        )
        prev = self._add_item(item["id"], self._tail)
        await self.send({"type": "conversation.item.added", "item": copy.deepcopy(item), "previous_item_id": prev})
        return prev

    async def _close_output_item(
        self, response_id: str, output_index: int, item: dict[str, Any], previous_item_id: str | None
    ) -> None:
        """Finish an output item of a response, in the response and in the conversation."""
        await self.send(
            {
                "type": "response.output_item.done",
                "response_id": response_id,
                "output_index": output_index,
                "item": copy.deepcopy(item),
            }
        )
        done = {"type": "conversation.item.done", "item": copy.deepcopy(item), "previous_item_id": previous_item_id}
        await self.send(done)

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
            self._boundaries.put_nowait(boundary)

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
        await self._commit_user_item(self._server._new_id("item"), turn, duration_s=end_s - start_s)
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

    def _ready_for_turn(self) -> bool:
        return not self._exchange_active and self._active is None and self._pending_tool is None

    async def _run_vad_turn(self, item_id: str, span: TurnSpan, vad: dict[str, Any]) -> None:
        turn = self._server._take_turn()
        self._server.turn_spans.append(span)
        await self.send(
            {
                "type": "input_audio_buffer.speech_stopped",
                "audio_end_ms": round(span.end_s * 1000),
                "item_id": item_id,
            }
        )
        self._uncommitted_bytes = 0
        await self._commit_user_item(item_id, turn, duration_s=span.end_s - span.start_s)
        if vad.get("create_response", True) is not False:
            await self._answer_turn(turn, metadata=None)
        else:
            self._manual_turns.append(turn)

    async def _commit_user_item(self, item_id: str, turn: CallerTurn, *, duration_s: float) -> None:
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
        for delta in transcript_deltas(turn.transcript):
            await self.send(
                {
                    "type": "conversation.item.input_audio_transcription.delta",
                    "item_id": item_id,
                    "content_index": 0,
                    "delta": delta,
                }
            )
        await self.send(
            {
                "type": "conversation.item.input_audio_transcription.completed",
                "item_id": item_id,
                "content_index": 0,
                "transcript": turn.transcript,
                "usage": {"type": "duration", "seconds": round(max(duration_s, 0.0), 3)},
            }
        )

    async def _answer_turn(self, turn: CallerTurn, *, metadata: dict[str, Any] | None) -> None:
        calls = turn.opening_calls()
        if not calls:
            await self._respond(reply=resolve_reply(turn.reply, []), metadata=metadata)
            return
        self._check_tools(calls)
        pending = _PendingToolTurn(turn=turn, call_ids=[])
        self._pending_tool = pending
        pending.call_ids.extend(await self._respond(calls=calls, metadata=metadata))
        try:
            await asyncio.wait_for(pending.done.wait(), self._server.tool_reply_timeout_s)
        except TimeoutError:
            logger.warning("fake realtime server: no response.create after function calls")
            if self._pending_tool is pending:
                self._pending_tool = None

    # --------------------------------------------------------------------------------------------- responses

    async def _respond(
        self,
        *,
        calls: Sequence[ScriptedFunctionCall] = (),
        reply: str = "",
        metadata: dict[str, Any] | None,
    ) -> list[str]:
        """Send one response: the function ``calls``, else the spoken ``reply``. Return the call ids."""
        server = self._server
        async with self._response_lock:
            active = _ActiveResponse(server._new_id("resp"))
            self._active = active
            try:
                response: dict[str, Any] = {
                    "id": active.response_id,
                    "object": "realtime.response",
                    "conversation_id": self._conversation_id,
                    "status": "in_progress",
                    "output": [],
                    "output_modalities": ["audio"],
                    "metadata": metadata,
                }
                await self.send({"type": "response.created", "response": copy.deepcopy(response)})
                outputs: list[dict[str, Any]] = []
                call_ids: list[str] = []
                if calls:
                    for call in calls:
                        call_id = server._new_id("call")
                        server._call_names[call_id] = call.name
                        call_ids.append(call_id)
                        outputs.append(
                            await self._send_function_call(
                                active, len(outputs), call.name, call_id, json.dumps(call.arguments)
                            )
                        )
                elif reply:
                    outputs.append(await self._send_spoken(active, len(outputs), reply))
                response["status"] = "cancelled" if active.cancelled else "completed"
                response["output"] = outputs
                if active.cancelled:
                    response["status_details"] = {"type": "cancelled", "reason": "client_cancelled"}
                await self.send({"type": "response.done", "response": response})
                server.responses_done += 1
                return call_ids
            finally:
                self._active = None

    async def _send_function_call(
        self, active: _ActiveResponse, output_index: int, name: str, call_id: str, arguments: str
    ) -> dict[str, Any]:
        item_id = self._server._new_id("item")
        item: dict[str, Any] = {
            "id": item_id,
            "object": "realtime.item",
            "type": "function_call",
            "status": "in_progress",
            "name": name,
            "call_id": call_id,
            "arguments": "",
        }
        ids = {"response_id": active.response_id, "item_id": item_id, "output_index": output_index}
        prev = await self._open_output_item(active.response_id, output_index, item)
        await self.send(
            {"type": "response.function_call_arguments.delta", **ids, "call_id": call_id, "delta": arguments}
        )
        await self.send(
            {
                "type": "response.function_call_arguments.done",
                **ids,
                "call_id": call_id,
                "name": name,
                "arguments": arguments,
            }
        )
        item.update(status="completed", arguments=arguments)
        await self._close_output_item(active.response_id, output_index, item, prev)
        return item

    def _reply_audio(self, text: str) -> bytes:
        server = self._server
        duration_s = min(max(0.1, len(text) * server.reply_audio_s_per_char), server.reply_audio_max_s)
        t = np.arange(round(duration_s * SAMPLE_RATE)) / SAMPLE_RATE
        tone = 1000.0 * np.sin(2.0 * np.pi * 220.0 * t)
        return tone.astype("<i2").tobytes()

    async def _send_spoken(self, active: _ActiveResponse, output_index: int, text: str) -> dict[str, Any]:
        item_id = self._server._new_id("item")
        item: dict[str, Any] = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "role": "assistant",
            "status": "in_progress",
            "content": [],
        }
        ids = {"response_id": active.response_id, "item_id": item_id, "output_index": output_index, "content_index": 0}
        prev = await self._open_output_item(active.response_id, output_index, item)
        await self.send({"type": "response.content_part.added", **ids, "part": {"type": "audio", "transcript": ""}})
        audio = self._reply_audio(text)
        chunk = _BYTES_PER_S // 10
        chunks = [audio[i : i + chunk] for i in range(0, len(audio), chunk)]
        words = transcript_deltas(text)
        per_chunk = max(1, math.ceil(len(words) / max(1, len(chunks))))
        spoken = ""
        for i, data in enumerate(chunks):
            if active.cancelled:
                break
            for w in words[i * per_chunk : (i + 1) * per_chunk]:
                spoken += w
                await self.send({"type": "response.output_audio_transcript.delta", **ids, "delta": w})
            await self.send(
                {"type": "response.output_audio.delta", **ids, "delta": base64.b64encode(data).decode("ascii")}
            )
            speed = self._server.reply_audio_speed
            await asyncio.sleep(len(data) / _BYTES_PER_S / speed if speed else 0)
        if not active.cancelled:
            for w in words[len(chunks) * per_chunk :]:
                spoken += w
                await self.send({"type": "response.output_audio_transcript.delta", **ids, "delta": w})
        await self.send({"type": "response.output_audio.done", **ids})
        await self.send({"type": "response.output_audio_transcript.done", **ids, "transcript": spoken})
        await self.send({"type": "response.content_part.done", **ids, "part": {"type": "audio", "transcript": spoken}})
        item.update(
            status="incomplete" if active.cancelled else "completed",
            content=[{"type": "output_audio", "transcript": spoken}],
        )
        await self._close_output_item(active.response_id, output_index, item, prev)
        return item
