"""The fake realtime server held against real ``gpt-realtime`` events (tests/data/realtime/REAL_SOURCES.md): the
``openai`` SDK's models accept what the service sent, except the ``obfuscation`` field the installed models do not
declare; the fake sends a caller turn's events in the service's order; the silence the service's turn ends include
is read from its real session."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest

from sidecar_stt.core.server_clock import included_silence_s
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.realtime_server import FakeRealtimeServer
from sidecar_stt.testing.realtime_validation import InvalidServerEventError, validate_server_event

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(30)]

REAL = Path(__file__).parent / "data" / "realtime" / "real_gpt_realtime_sip_gateway.jsonl"
RATE = 24000


def real_events() -> list[dict[str, Any]]:
    return [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_sdk_models_accept_every_real_event_but_the_undeclared_obfuscation_field() -> None:
    rejected: list[str] = []
    for event in real_events():
        try:
            validate_server_event(event, strict=True)
        except InvalidServerEventError as e:
            assert "obfuscation" in str(e)
            rejected.append(event["type"])
            validate_server_event(event, strict=False)  # declared fields all valid
            without = {k: v for k, v in event.items() if k != "obfuscation"}
            validate_server_event(without, strict=True)
    # the gap: the service sends `obfuscation` on every delta, the installed SDK models do not declare it
    assert rejected == ["response.output_audio_transcript.delta"]


def test_strict_validation_fails_on_an_undeclared_field_and_accepts_every_declared_one() -> None:
    started = next(e for e in real_events() if e["type"] == "input_audio_buffer.speech_started")
    with pytest.raises(InvalidServerEventError, match="audio_start"):
        validate_server_event({**started, "audio_start": 1})
    done = next(e for e in real_events() if e["type"] == "response.done")
    validate_server_event(done)  # usage with token details, audio, status_details null: all declared


def test_the_real_sessions_turn_ends_include_its_200_ms_of_silence() -> None:
    created = real_events()[0]
    assert included_silence_s(created["session"]["audio"]["input"]["turn_detection"]) == pytest.approx(0.2)


async def test_the_fake_sends_a_caller_turn_in_the_real_services_order() -> None:
    real = real_events()
    first = next(i for i, e in enumerate(real) if e["type"] == "input_audio_buffer.speech_started")
    real_turn = [e["type"] for e in real[first : first + 10]]

    tone = (8000 * np.sin(2 * np.pi * 300 * np.arange(round(0.6 * RATE)) / RATE)).astype(np.int16)
    pcm = np.concatenate([np.zeros(RATE // 2, np.int16), tone, np.zeros(RATE, np.int16)])
    # the real session: server_vad with 200 ms of silence, no input transcription
    turn_detection = real[1]["session"]["audio"]["input"]["turn_detection"]
    session = {"type": "realtime", "audio": {"input": {"turn_detection": turn_detection}}}
    audio = base64.b64encode(pcm.astype("<i2").tobytes()).decode()
    script = [CallerTurn(transcript="", reply="Hei, hva kan jeg hjelpe med?")]
    async with (
        FakeRealtimeServer(script) as server,
        aiohttp.ClientSession() as http,
        http.ws_connect(f"ws://127.0.0.1:{server.port}/v1/realtime") as ws,
    ):
        await ws.send_str(json.dumps({"type": "session.update", "session": session}))
        await ws.send_str(json.dumps({"type": "input_audio_buffer.append", "audio": audio}))
        await server.wait_for_responses(1, timeout_s=10)
    sent = server.sent_event_types()
    fake_first = sent.index("input_audio_buffer.speech_started")
    assert sent[fake_first : fake_first + 10] == real_turn
    stopped = next(e for e in server.sent_events if e["type"] == "input_audio_buffer.speech_stopped")
    # and its turn end is the protocol's: the speech (0.5 + 0.6 s) plus the session's 200 ms
    assert stopped["audio_end_ms"] == pytest.approx(1100 + 200, abs=20)
