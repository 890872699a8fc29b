"""``realtime:`` engines: a realtime model's own hearing (its session's input transcription, or a number passed as
a tool argument) scored in the bake-off beside dedicated engines; offline against the fake GA server, whose
script is the model's hearing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from livekit import rtc
from livekit.agents import stt

from sidecar_stt.engines.realtime import RealtimeHearingError, RealtimeHearingOptions, realtime_ws_url
from sidecar_stt.engines.spec import describe_engine, from_spec, missing_requirements, parse_spec
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.evaluation.dataset import Recording
from sidecar_stt.evaluation.report import render_markdown
from sidecar_stt.evaluation.runner import run_evaluation
from sidecar_stt.testing.realtime_behaviour import ServerBehaviour
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall
from sidecar_stt.testing.realtime_server import FakeRealtimeServer
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(60)]

SAID = "nittito trettifire femtiseks syttiåtte"


def test_specs_name_the_hearing_and_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "k")
    assert describe_engine("realtime:gpt-realtime?hearing=tool") == "realtime gpt-realtime (tool argument)"
    assert describe_engine("realtime") == "realtime gpt-realtime (transcription gpt-4o-transcribe)"
    openai_url, openai_headers = realtime_ws_url(RealtimeHearingOptions("tool", api_key="k"))
    assert openai_url == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert openai_headers == {"Authorization": "Bearer k"}
    azure = RealtimeHearingOptions("transcription", model="dep", base_url="https://res.openai.azure.com", azure=True)
    assert realtime_ws_url(azure) == ("wss://res.openai.azure.com/openai/v1/realtime?model=dep", {"api-key": ""})
    with pytest.raises(ConfigurationError, match="hearing"):
        from_spec("realtime?hearing=guess&base_url=http://127.0.0.1:1/v1")
    with pytest.raises(ConfigurationError, match="base_url"):
        from_spec("realtime?azure=true")
    missing, _ = missing_requirements(parse_spec("realtime"), env={})
    assert missing == ["OPENAI_API_KEY or AZURE_OPENAI_API_KEY"]
    assert missing_requirements(parse_spec("realtime?base_url=http://127.0.0.1:1/v1"), env={}) == ([], None)


def _buffer(seconds: float, rate: int = 16000) -> rtc.AudioFrame:
    pcm = (np.random.default_rng(1).standard_normal(int(seconds * rate)) * 300).astype(np.int16)
    return rtc.AudioFrame(pcm.tobytes(), rate, 1, len(pcm))


@pytest.mark.parametrize("azure", [False, True], ids=["openai", "azure"])
async def test_the_sessions_own_transcription_is_what_the_engine_heard(azure: bool) -> None:
    script = [CallerTurn(transcript="nittito trettifire femtiseks syttisju")]
    behaviour = ServerBehaviour(transcript_logprob=-0.1)
    async with FakeRealtimeServer(script, behaviour=behaviour) as server:
        base = server.azure_endpoint if azure else server.base_url
        engine = from_spec(f"realtime:gpt-realtime?hearing=transcription&azure={str(azure).lower()}&base_url={base}")
        event = await engine.recognize(_buffer(1.0))
        await engine.aclose()
    assert event.type == stt.SpeechEventType.FINAL_TRANSCRIPT
    assert event.alternatives[0].text == "nittito trettifire femtiseks syttisju"
    assert event.alternatives[0].confidence == pytest.approx(np.exp(-0.1))
    session = server.session_updates()[0]
    assert session["audio"]["input"]["turn_detection"] is None
    assert session["audio"]["input"]["transcription"]["model"] == "gpt-4o-transcribe"
    assert session["audio"]["input"]["transcription"]["language"] == "no"
    assert server.connections[0].azure is azure
    assert len(server.received_audio) == 24000 * 2  # one second, resampled to the service's 24 kHz


async def test_the_number_passed_as_a_tool_argument_is_what_the_engine_heard() -> None:
    script = [
        CallerTurn(transcript="", function_calls=[ScriptedFunctionCall("record_phone_number", {"number": "92346678"})])
    ]
    async with FakeRealtimeServer(script) as server:
        engine = from_spec(f"realtime:gpt-realtime?hearing=tool&base_url={server.base_url}")
        event = await engine.recognize(_buffer(1.0))
        await engine.aclose()
    assert event.alternatives[0].text == "92346678"
    session = server.session_updates()[0]
    assert session["tool_choice"] == "required" and session["tools"][0]["name"] == "record_phone_number"
    assert "response.create" in server.client_event_types()


async def test_a_failed_transcription_is_an_engine_failure() -> None:
    behaviour = ServerBehaviour(failed_transcription_turns=frozenset({0}))
    async with FakeRealtimeServer([CallerTurn(transcript="x")], behaviour=behaviour) as server:
        engine = from_spec(f"realtime?base_url={server.base_url}")
        with pytest.raises(RealtimeHearingError):
            await engine.recognize(_buffer(0.5))
        await engine.aclose()


def _recordings(tmp_path: Path, phones: list[str]) -> list[Recording]:
    out = []
    rng = np.random.default_rng(0)
    for i, phone in enumerate(phones):
        path = tmp_path / f"r{i}.wav"
        soundfile.write(str(path), (rng.standard_normal(16000) * 300).astype(np.int16), 16000)
        out.append(Recording(id=f"r{i}", audio=path, language="nb", reference=SAID, expected_phone=phone))
    return out


async def test_a_scripted_bake_off_shows_the_two_realtime_rows_beside_the_engines(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, ["+4792345678", "+4792345678"])
    # the model's hearing, scripted per recording: its transcription gets one of two wrong, its tool argument both
    heard = ["nittito trettifire femtiseks syttiåtte", "nittito trettifire femtiseks syttisju"]
    argued = ["92345677", "92346678"]
    transcription_server = FakeRealtimeServer([CallerTurn(transcript=t) for t in heard])
    tool_server = FakeRealtimeServer(
        [
            CallerTurn(transcript="", function_calls=[ScriptedFunctionCall("record_phone_number", {"number": n})])
            for n in argued
        ]
    )
    async with transcription_server, tool_server:
        specs = [
            "scripted",
            f"realtime:gpt-realtime?hearing=transcription&base_url={transcription_server.base_url}",
            f"realtime:gpt-realtime?hearing=tool&base_url={tool_server.base_url}",
        ]

        def factory(spec: str) -> stt.STT[Any]:
            if spec == "scripted":
                return ScriptedEngine([ScriptedUtterance(start_s=0.1, end_s=0.9, text=SAID, confidence=0.9)])
            return from_spec(spec)

        results = await run_evaluation(recs, specs, out_dir=tmp_path / "out", engine_factory=factory, fusion=False)
    rows = {row.engine: row for row in results.rows}
    assert rows[specs[0]].successes == 2
    assert rows[specs[1]].successes == 1 and rows[specs[1]].failures == 0
    assert rows[specs[2]].successes == 0 and rows[specs[2]].failures == 0
    table = [line for line in render_markdown(results).splitlines() if line.startswith("| `")]
    assert [line.split("`")[1] for line in table] == specs  # the two realtime rows beside the engine
    assert "| 50.0 % (1/2) |" in table[1] and "| 0.0 % (0/2) |" in table[2]
