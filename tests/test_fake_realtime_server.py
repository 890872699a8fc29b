"""Protocol-level tests of ``FakeRealtimeServer`` with a plain aiohttp WebSocket client (no LiveKit)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import numpy as np
import pytest

from sidecar_stt.testing import realtime_connection
from sidecar_stt.testing.realtime_script import (
    CallerTurn,
    EnergyVad,
    ScriptedFunctionCall,
    ToolOutput,
    VadOptions,
)
from sidecar_stt.testing.realtime_server import FakeRealtimeServer, InvalidServerEventError
from sidecar_stt.testing.realtime_validation import validate_server_event

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(30)]

RATE = 24000
TRANSCRIPTION_ON = {
    "type": "realtime",
    "audio": {"input": {"transcription": {"model": "gpt-4o-transcribe", "language": "no"}}},
}


def _tone(duration_s: float, amplitude: float = 8000.0) -> np.ndarray:
    t = np.arange(round(duration_s * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 300 * t)).astype(np.int16)


def _quiet(duration_s: float) -> np.ndarray:
    return np.zeros(round(duration_s * RATE), dtype=np.int16)


class _Client:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.received: list[dict[str, Any]] = []

    async def send(self, event: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(event))

    async def append(self, pcm: np.ndarray, *, chunk_s: float = 0.1) -> None:
        step = round(chunk_s * RATE)
        for i in range(0, len(pcm), step):
            data = pcm[i : i + step].astype("<i2").tobytes()
            await self.send({"type": "input_audio_buffer.append", "audio": base64.b64encode(data).decode()})

    async def next_of(self, etype: str, *, timeout_s: float = 5.0) -> dict[str, Any]:
        for ev in self.received:
            if ev["type"] == etype and not ev.get("_seen"):
                ev["_seen"] = True
                return ev
        while True:
            msg = await asyncio.wait_for(self.ws.receive(), timeout_s)
            if msg.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"connection ended while waiting for {etype}: {msg.type}")
            new: dict[str, Any] = json.loads(msg.data)
            self.received.append(new)
            if new["type"] == etype:
                new["_seen"] = True
                return new

    async def drain(self, *, quiet_s: float = 0.2) -> None:
        while True:
            try:
                msg = await asyncio.wait_for(self.ws.receive(), quiet_s)
            except TimeoutError:
                return
            if msg.type != aiohttp.WSMsgType.TEXT:
                return
            self.received.append(json.loads(msg.data))

    def types(self) -> list[str]:
        return [ev["type"] for ev in self.received]


@asynccontextmanager
async def _connect(server: FakeRealtimeServer, path: str = "/v1/realtime?model=gpt-realtime") -> AsyncIterator[_Client]:
    url = f"ws://127.0.0.1:{server.port}{path}"
    async with aiohttp.ClientSession() as http, http.ws_connect(url, headers={"Authorization": "Bearer x"}) as ws:
        yield _Client(ws)


async def test_full_scripted_turn_validates_and_covers_protocol() -> None:
    script = [
        CallerTurn(
            transcript="nummeret er ni to",
            function_calls=[ScriptedFunctionCall("save_number", {"number": "92"})],
            reply=lambda outs: f"Notert {outs[0].output}",
        )
    ]
    save_number = {"type": "function", "name": "save_number", "description": "", "parameters": {"type": "object"}}
    async with FakeRealtimeServer(script) as server, _connect(server) as client:
        created = await client.next_of("session.created")
        assert created["session"]["type"] == "realtime"
        await client.send({"type": "session.update", "session": {**TRANSCRIPTION_ON, "tools": [save_number]}})
        updated = await client.next_of("session.updated")
        assert updated["session"]["audio"]["input"]["transcription"]["language"] == "no"
        # merged, not replaced: the default turn detection survives
        assert updated["session"]["audio"]["input"]["turn_detection"]["type"] == "server_vad"

        await client.append(np.concatenate([_quiet(0.3), _tone(0.6), _quiet(0.7)]))
        started = await client.next_of("input_audio_buffer.speech_started")
        stopped = await client.next_of("input_audio_buffer.speech_stopped")
        assert abs(started["audio_start_ms"] - 300) <= 20
        # as the protocol defines it: the end of the speech plus the session's silence_duration_ms (500)
        assert abs(stopped["audio_end_ms"] - (900 + 500)) <= 20
        committed = await client.next_of("input_audio_buffer.committed")
        assert committed["item_id"] == started["item_id"] == stopped["item_id"]
        completed = await client.next_of("conversation.item.input_audio_transcription.completed")
        assert completed["transcript"] == "nummeret er ni to"

        args_done = await client.next_of("response.function_call_arguments.done")
        assert args_done["name"] == "save_number"
        assert json.loads(args_done["arguments"]) == {"number": "92"}
        first_done = await client.next_of("response.done")
        assert first_done["response"]["output"][0]["type"] == "function_call"

        await client.send(
            {
                "type": "conversation.item.create",
                "event_id": "ev_out",
                "item": {"type": "function_call_output", "call_id": args_done["call_id"], "output": "OK-92"},
            }
        )
        added = await client.next_of("conversation.item.added")
        while added["item"]["type"] != "function_call_output":
            added = await client.next_of("conversation.item.added")
        assert added["item"]["call_id"] == args_done["call_id"]
        await client.send({"type": "response.create", "response": {"metadata": {"client_event_id": "abc"}}})
        created_resp = await client.next_of("response.created")
        while created_resp["response"].get("metadata") != {"client_event_id": "abc"}:
            created_resp = await client.next_of("response.created")
        transcript_done = await client.next_of("response.output_audio_transcript.done")
        assert transcript_done["transcript"] == "Notert OK-92"
        await server.wait_for_turns(1, timeout_s=5)
        await client.drain()

        audio = b"".join(
            base64.b64decode(ev["delta"]) for ev in client.received if ev["type"] == "response.output_audio.delta"
        )
        assert 0 < len(audio) <= server.reply_audio_max_s * RATE * 2
        deltas = "".join(
            ev["delta"] for ev in client.received if ev["type"] == "response.output_audio_transcript.delta"
        )
        assert deltas == "Notert OK-92"

    assert server.tool_outputs() == [ToolOutput(args_done["call_id"], "save_number", "OK-92")]
    assert len(server.turn_spans) == 1
    # everything the client saw was sent, and every sent event validated against the SDK models
    assert server.validated_event_count == len(server.sent_events)
    assert [ev["event_id"] for ev in server.sent_events] == [ev["event_id"] for ev in client.received]
    for ev in server.sent_events:
        validate_server_event(ev)
    expected = {
        "session.created",
        "session.updated",
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
        "conversation.item.added",
        "conversation.item.done",
        "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.completed",
        "response.created",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_audio.delta",
        "response.output_audio.done",
        "response.output_audio_transcript.delta",
        "response.output_audio_transcript.done",
    }
    assert expected <= set(server.sent_event_types())


async def test_received_audio_is_byte_exact_and_turns_follow_script() -> None:
    script = [CallerTurn(transcript="en"), CallerTurn(transcript="to", reply="svar to")]
    pcm = np.concatenate([_quiet(0.2), _tone(0.4), _quiet(0.6), _tone(0.5, 3000), _quiet(0.6)])
    async with FakeRealtimeServer(script, default_reply="standard") as server, _connect(server) as client:
        await client.send({"type": "session.update", "session": TRANSCRIPTION_ON})
        await client.append(pcm, chunk_s=0.037)
        spans = await server.wait_for_turns(2, timeout_s=5)
        await server.wait_idle(timeout_s=5)
        await client.drain()
    assert server.received_audio == pcm.astype("<i2").tobytes()
    assert server.transcripts() == ["en", "to"]
    assert [round(s.start_s, 2) for s in spans] == [0.2, 1.2]
    assert [round(s.end_s, 2) for s in spans] == [0.6, 1.7]
    transcripts = [ev["transcript"] for ev in client.received if ev["type"] == "response.output_audio_transcript.done"]
    # the first turn has no reply text: its response has no output
    assert transcripts == ["svar to"]
    assert server.unscripted_turns == 0


async def test_transcription_off_sends_no_transcripts_and_unscripted_turn_gets_default() -> None:
    async with FakeRealtimeServer([], default_reply="hei") as server, _connect(server) as client:
        await client.append(np.concatenate([_tone(0.3), _quiet(0.6)]))
        await server.wait_for_turns(1, timeout_s=5)
        await client.drain()
    assert "conversation.item.input_audio_transcription.completed" not in client.types()
    assert server.unscripted_turns == 1
    done = [ev for ev in client.received if ev["type"] == "response.output_audio_transcript.done"]
    assert [ev["transcript"] for ev in done] == ["hei"]


async def test_manual_turn_detection_commit_and_response_create() -> None:
    script = [CallerTurn(transcript="manuell", reply="svar")]
    async with FakeRealtimeServer(script) as server, _connect(server) as client:
        await client.send(
            {
                "type": "session.update",
                "session": {
                    **TRANSCRIPTION_ON,
                    "audio": {"input": {"transcription": {"model": "whisper-1"}, "turn_detection": None}},
                },
            }
        )
        await client.next_of("session.updated")
        await client.send({"type": "input_audio_buffer.commit", "event_id": "c0"})
        err = await client.next_of("error")
        assert err["error"]["code"] == "input_audio_buffer_commit_empty"
        assert err["error"]["event_id"] == "c0"
        await client.append(np.concatenate([_tone(0.4), _quiet(0.6)]))
        await client.send({"type": "input_audio_buffer.commit"})
        committed = await client.next_of("input_audio_buffer.committed")
        completed = await client.next_of("conversation.item.input_audio_transcription.completed")
        assert completed["item_id"] == committed["item_id"]
        assert completed["transcript"] == "manuell"
        await client.send({"type": "response.create"})
        done = await client.next_of("response.output_audio_transcript.done")
        assert done["transcript"] == "svar"
        await server.wait_for_turns(1, timeout_s=5)
        await client.drain()
    assert "input_audio_buffer.speech_started" not in client.types()
    assert server.turn_spans[0].end_s == pytest.approx(1.0)


async def test_item_create_delete_truncate_clear_and_cancel() -> None:
    async with (
        FakeRealtimeServer([], default_reply="x " * 200, reply_audio_speed=2.0) as server,
        _connect(server) as client,
    ):
        item = {"id": "msg_1", "type": "message", "role": "user", "content": [{"type": "input_text", "text": "hei"}]}
        await client.send({"type": "conversation.item.create", "item": item, "event_id": "e1"})
        added = await client.next_of("conversation.item.added")
        assert added["item"]["id"] == "msg_1" and added["previous_item_id"] is None
        await client.next_of("conversation.item.done")
        await client.send({"type": "conversation.item.create", "item": item, "event_id": "e2"})
        dup = await client.next_of("error")
        assert dup["error"]["code"] == "item_create_duplicate_item_id"
        assert dup["error"]["event_id"] == "e2"
        await client.send(
            {"type": "conversation.item.truncate", "item_id": "msg_1", "content_index": 0, "audio_end_ms": 120}
        )
        truncated = await client.next_of("conversation.item.truncated")
        assert truncated["audio_end_ms"] == 120
        await client.send({"type": "conversation.item.delete", "item_id": "msg_1"})
        deleted = await client.next_of("conversation.item.deleted")
        assert deleted["item_id"] == "msg_1"
        await client.send({"type": "input_audio_buffer.clear"})
        await client.next_of("input_audio_buffer.cleared")

        await client.send({"type": "response.create"})
        await client.next_of("response.output_audio.delta")
        await client.send({"type": "response.cancel"})
        done = await client.next_of("response.done")
        assert done["response"]["status"] == "cancelled"
        assert done["response"]["status_details"]["reason"] == "client_cancelled"
        await server.wait_idle(timeout_s=5)
    assert server.client_event_types().count("conversation.item.create") == 2


async def test_azure_route_and_connection_info() -> None:
    async with FakeRealtimeServer([]) as server, _connect(server, "/openai/v1/realtime?model=dep") as client:
        await client.next_of("session.created")
    assert server.azure_endpoint == f"http://127.0.0.1:{server.port}"
    assert server.base_url.endswith("/v1")
    info = server.connections[0]
    assert info.azure and info.model == "dep" and info.path == "/openai/v1/realtime"
    assert info.has_bearer_token and not info.has_api_key_header


async def test_invalid_event_is_loud(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_session(sample_rate: int) -> dict[str, Any]:
        return {"type": "not-a-session-type"}

    monkeypatch.setattr(realtime_connection, "default_session", broken_session)
    server = FakeRealtimeServer([])
    await server.start()
    async with _connect(server) as client:
        msg = await asyncio.wait_for(client.ws.receive(), 5)
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
    with pytest.raises(InvalidServerEventError):
        await server.wait_idle(timeout_s=1)
    with pytest.raises(InvalidServerEventError):
        await server.aclose()


def test_validator_rejects_undeclared_fields_and_bad_shapes() -> None:
    good = {"type": "input_audio_buffer.cleared", "event_id": "e"}
    validate_server_event(good)
    with pytest.raises(InvalidServerEventError):
        validate_server_event({**good, "typo_field": 1})
    validate_server_event({**good, "typo_field": 1}, strict=False)
    with pytest.raises(InvalidServerEventError):
        validate_server_event({"type": "response.output_audio.delta", "event_id": "e"})
    with pytest.raises(InvalidServerEventError):
        validate_server_event({"type": "response.audio.delta", "event_id": "e"})  # a beta name


def test_energy_vad_boundaries_and_hangover() -> None:
    vad = EnergyVad(VadOptions(silence_s=0.3, min_speech_s=0.05))
    pcm = np.concatenate([_quiet(0.1), _tone(0.2), _quiet(0.2), _tone(0.1), _quiet(0.4), _tone(0.02), _quiet(0.4)])
    out = vad.push(pcm.astype("<i2").tobytes()[:1001]) + vad.push(pcm.astype("<i2").tobytes()[1001:])
    # the 200 ms pause is shorter than the hangover; the 20 ms click is shorter than min speech
    assert [(b.kind, round(b.time_s, 2)) for b in out] == [("start", 0.1), ("end", 0.6)]
    assert not vad.in_speech
