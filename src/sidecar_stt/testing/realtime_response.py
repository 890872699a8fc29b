"""Response streaming of :class:`~sidecar_stt.testing.realtime_server.FakeRealtimeServer`'s connections.

One response is ``response.created`` (then, as the behaviour asks, ``rate_limits.updated`` and a late user
transcript), the turn's function call items or the spoken reply — a quiet tone whose length follows the text,
streamed as ``response.output_audio.delta`` with its transcript — and ``response.done``. A cancelled response
(``response.cancel``, or caller speech over it with ``barge_in``) stops streaming and ends ``cancelled`` with the
reason the service gives.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sidecar_stt.testing.realtime_behaviour import ServerBehaviour, rate_limits_event
from sidecar_stt.testing.realtime_script import FakeServerState, ScriptedFunctionCall, transcript_deltas

__all__ = ["SAMPLE_RATE", "ActiveResponse", "ResponseStream"]

SAMPLE_RATE = 24000
_BYTES_PER_S = SAMPLE_RATE * 2


@dataclass
class ActiveResponse:
    """The response being streamed."""

    response_id: str
    cancelled: bool = False
    reason: str = "client_cancelled"
    speaking: bool = False
    """Its spoken reply is streaming (caller speech may interrupt it)."""
    announced: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the caller speech that interrupted it has been reported."""


class ResponseStream:
    """Streams scripted responses on a connection: ``response.created``, the function call items or the spoken
    reply (a quiet tone with its transcript), ``response.done``. Mixed into
    :class:`~sidecar_stt.testing.realtime_connection.ServerConnection`, which provides what is declared here."""

    _server: FakeServerState
    _behaviour: ServerBehaviour
    _response_lock: asyncio.Lock
    _active: ActiveResponse | None
    _conversation_id: str

    async def send(self, event: dict[str, Any]) -> None:
        raise NotImplementedError

    def _add_item(self, item_id: str, previous_item_id: str | None) -> str | None:
        raise NotImplementedError

    @property
    def _tail(self) -> str | None:
        raise NotImplementedError

    async def _send_transcript(self) -> None:
        raise NotImplementedError

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
            active = ActiveResponse(server._new_id("resp"))
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
                if self._behaviour.rate_limits:
                    await self.send(rate_limits_event())
                if self._behaviour.transcript_timing == "after_response_created":
                    await self._send_transcript()
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
                    response["status_details"] = {"type": "cancelled", "reason": active.reason}
                await self.send({"type": "response.done", "response": response})
                server.responses_done += 1
                return call_ids
            finally:
                self._active = None

    async def _send_function_call(
        self, active: ActiveResponse, output_index: int, name: str, call_id: str, arguments: str
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

    async def _send_spoken(self, active: ActiveResponse, output_index: int, text: str) -> dict[str, Any]:
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
        active.speaking = True
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
        active.speaking = False
        if active.cancelled and active.reason == "turn_detected":
            await active.announced.wait()  # the service reports the speech before it cancels the response
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
