"""The example agent (``examples/realtime_agent.py``): configuration checks, the CLI's exit on missing keys, and
its real Agent class and session wiring in offline calls against the fake realtime server."""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import logging
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from sidecar_stt.adapters.livekit import SidecarOptions
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import CallerAudioInput, planned_spans
from sidecar_stt.testing.io import CollectingAudioOutput
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.realtime_server import FakeRealtimeServer
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call, quiet_session

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "realtime_agent.py"
RIGHT = "+4792345678"


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realtime_agent_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ra = _load_example()

SPEECH = {"AZURE_SPEECH_KEY": "speech-key", "AZURE_SPEECH_REGION": "norwayeast"}
AZURE_RT = {
    "AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com",
    "AZURE_OPENAI_API_KEY": "aoai-key",
    "AZURE_OPENAI_DEPLOYMENT": "my-realtime",
}


def config_error(env: Mapping[str, str], **kwargs: Any) -> str:
    with pytest.raises(ConfigurationError) as info:
        ra.load_config(env, **kwargs)
    return str(info.value)


# ------------------------------------------------------------------------------------------- load_config


def test_openai_realtime_with_an_openai_transcribe_sidecar_needs_only_the_openai_key() -> None:
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", "SIDECAR_ENGINES": "openai:gpt-4o-transcribe?language=no"})
    assert config.realtime == "openai"
    assert config.realtime_model == "gpt-realtime"
    assert config.realtime_transcription == "gpt-4o-mini-transcribe"
    assert list(config.engines) == ["openai"]
    assert config.engines["openai"].params == {"language": "no"}
    assert "sk-x" not in repr(config)


def test_openai_realtime_defaults_to_the_azure_speech_sidecar() -> None:
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", "OPENAI_REALTIME_MODEL": "gpt-realtime-mini", **SPEECH})
    assert config.realtime_model == "gpt-realtime-mini"
    assert {name: (s.kind, s.model) for name, s in config.engines.items()} == {"azure": ("azure", "nb-NO")}


def test_azure_realtime_and_azure_speech() -> None:
    config = ra.load_config(
        {**AZURE_RT, **SPEECH, "SIDECAR_ENGINES": "azure:nb-NO,deepgram:nova-3?language=no", "DEEPGRAM_API_KEY": "dg"}
    )
    assert config.realtime == "azure"
    assert config.realtime_model == "my-realtime"
    assert config.azure_endpoint == "https://example.openai.azure.com"
    assert config.realtime_transcription == "whisper-1"
    assert list(config.engines) == ["azure", "deepgram"]
    assert "aoai-key" not in repr(config)


def test_missing_speech_key_names_exactly_that_variable() -> None:
    message = config_error({"OPENAI_API_KEY": "sk-x", "AZURE_SPEECH_REGION": "norwayeast"})
    assert "AZURE_SPEECH_KEY" in message
    assert "AZURE_SPEECH_REGION" not in message
    assert "OPENAI_API_KEY" not in message


def test_empty_environment_names_every_missing_variable_in_one_message() -> None:
    message = config_error({})
    for name in ("OPENAI_API_KEY", "AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION"):
        assert name in message
    assert "\n" not in message


def test_speech_host_replaces_the_region() -> None:
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", "AZURE_SPEECH_KEY": "k", "AZURE_SPEECH_HOST": "wss://h"})
    assert list(config.engines) == ["azure"]


def test_partial_azure_openai_settings_name_the_missing_ones() -> None:
    message = config_error({"AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com", **SPEECH})
    assert "AZURE_OPENAI_API_KEY" in message and "AZURE_OPENAI_DEPLOYMENT" in message
    assert "AZURE_OPENAI_ENDPOINT," not in message


def test_api_version_is_refused_because_it_selects_the_preview_endpoint() -> None:
    message = config_error({**AZURE_RT, **SPEECH, "OPENAI_API_VERSION": "2024-10-01-preview"})
    assert "OPENAI_API_VERSION" in message


@pytest.mark.parametrize(
    ("engines", "expected"),
    [
        ("klingon:x", "unknown engine kind 'klingon'"),
        ("azure:nb-NO?phrases", "SIDECAR_ENGINES"),
        (" , ", "SIDECAR_ENGINES is empty"),
        ("azure:nb-NO,:x", "SIDECAR_ENGINES"),
    ],
)
def test_bad_engine_spec_is_one_message(engines: str, expected: str) -> None:
    message = config_error({"OPENAI_API_KEY": "sk-x", **SPEECH, "SIDECAR_ENGINES": engines})
    assert expected in message


def test_unknown_engine_parameter_is_caught_when_the_engines_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SPEECH.items():
        monkeypatch.setenv(name, value)
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", **SPEECH, "SIDECAR_ENGINES": "azure:nb-NO?colour=blue"})
    with pytest.raises(ConfigurationError, match="colour"):
        ra.build_engines(config)


def test_a_kind_used_twice_gets_distinct_names() -> None:
    config = ra.load_config(
        {"OPENAI_API_KEY": "sk-x", "DEEPGRAM_API_KEY": "dg", "SIDECAR_ENGINES": "deepgram:nova-3,deepgram:nova-2"}
    )
    assert {name: s.model for name, s in config.engines.items()} == {"deepgram": "nova-3", "deepgram-2": "nova-2"}


def test_missing_extra_names_the_pip_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.engines import spec

    needs = dict(spec.ENGINE_NEEDS)
    needs["azure"] = dataclasses.replace(needs["azure"], module="sidecar_stt_no_such_module")
    monkeypatch.setattr(spec, "ENGINE_NEEDS", needs)
    message = config_error({"OPENAI_API_KEY": "sk-x", **SPEECH})
    assert 'pip install "sidecar-stt[azure]"' in message


def test_a_self_hosted_openai_compatible_engine_needs_no_openai_key() -> None:
    env = {**AZURE_RT, "SIDECAR_ENGINES": "openai:nb-whisper-large?base_url=http://gpu-box:8000/v1"}
    config = ra.load_config(env)
    assert config.engines["openai"].params == {"base_url": "http://gpu-box:8000/v1"}
    assert "OPENAI_API_KEY" in config_error({**AZURE_RT, "SIDECAR_ENGINES": "openai:gpt-4o-transcribe"})


def test_server_commands_need_the_livekit_variables_console_does_not() -> None:
    env = {"OPENAI_API_KEY": "sk-x", **SPEECH}
    assert ra.load_config(env, command="console").realtime == "openai"
    message = config_error(env, command="dev")
    for name in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"):
        assert name in message
    full = {**env, "LIVEKIT_URL": "wss://lk", "LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "s"}
    assert ra.load_config(full, command="start").realtime == "openai"


@pytest.mark.parametrize("value", ["off", "none"])
def test_realtime_transcription_can_be_turned_off(value: str) -> None:
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", **SPEECH, "SIDECAR_REALTIME_TRANSCRIPTION": value})
    assert config.realtime_transcription is None
    assert ra.build_realtime_model(config).capabilities.user_transcription is False


def test_realtime_transcription_is_on_by_default() -> None:
    config = ra.load_config({"OPENAI_API_KEY": "sk-x", **SPEECH})
    assert ra.build_realtime_model(config).capabilities.user_transcription is True


# ------------------------------------------------------------------------------------------- the CLI


def test_main_exits_2_with_the_message_when_keys_are_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "OPENAI_API_KEY",
        "AZURE_SPEECH_KEY",
        "AZURE_SPEECH_REGION",
        "AZURE_SPEECH_HOST",
        "SIDECAR_ENGINES",
        *ra._AZURE_OPENAI_VARIABLES,
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    monkeypatch.setenv("AZURE_SPEECH_REGION", "norwayeast")
    assert ra.main(["console"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("realtime_agent: missing configuration") and "AZURE_SPEECH_KEY" in err
    assert "Traceback" not in err


def test_console_without_portaudio_is_one_line_naming_both_ways_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-x")
    monkeypatch.setenv("SIDECAR_ENGINES", "openai:gpt-4o-transcribe")
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # as when PortAudio is missing
    assert ra.main(["console"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PortAudio" in err and "lk agent console examples/realtime_agent.py" in err


async def test_a_job_without_configuration_ends_with_the_reason_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import types

    for name in ("OPENAI_API_KEY", "SIDECAR_ENGINES", *ra._AZURE_OPENAI_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    reasons: list[str] = []
    ctx = types.SimpleNamespace(shutdown=lambda reason: reasons.append(reason))
    await ra.entrypoint(ctx)
    assert len(reasons) == 1 and reasons[0].startswith("missing configuration") and "OPENAI_API_KEY" in reasons[0]


def test_the_livekit_cli_finds_the_worker_in_the_module() -> None:
    from livekit.agents import AgentServer
    from livekit.agents.cli.discover import get_import_data

    data = get_import_data(path=EXAMPLE)
    assert data.app_name == "server"
    assert isinstance(ra.server, AgentServer)


def _clean_env(**extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra}


def test_cli_help_works_without_configuration() -> None:
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), "--help"], env=_clean_env(), capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    for command in ("console", "dev", "start"):
        assert command in run.stdout


def test_cli_without_configuration_prints_one_message_and_no_traceback() -> None:
    run = subprocess.run(
        [sys.executable, str(EXAMPLE), "console"], env=_clean_env(), capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "OPENAI_API_KEY" in lines[0] and "AZURE_SPEECH_KEY" in lines[0]
    assert "Traceback" not in run.stderr


# ------------------------------------------------------------------------------------------- offline calls

SAID = (
    "hei, jeg lurer på bestillingen min",
    "nummeret mitt er nittito trettifire femtiseks syttiåtte",
)


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def scripted_engine(said: Sequence[str]) -> ScriptedEngine:
    """The accurate sidecar: hears each utterance right, at the time the caller says it."""
    spans = planned_spans([speech(text) for text in said])
    return ScriptedEngine(
        [
            ScriptedUtterance(start_s=start, end_s=end, text=text, confidence=0.9, delay_s=0.2)
            for (start, end), text in zip(spans, said, strict=True)
        ]
    )


def speak_output(outputs: list[ToolOutput]) -> str:
    return outputs[0].output if outputs else ""


def script(last: CallerTurn) -> list[CallerTurn]:
    """Turn 1 asks for help (the model calls identify_customer); the task's greeting answers it; turn 2 gives
    the number, which the model hears wrong; ``last`` is the caller's answer to the read-back."""
    return [
        CallerTurn(
            "hei jeg lurer på bestillingen min",
            function_calls=[ScriptedFunctionCall("identify_customer", {})],
            reply="Hva er telefonnummeret ditt?",
        ),
        CallerTurn(
            "nummeret mitt er nittito trettifire femtiseks syttisju",
            function_calls=[ScriptedFunctionCall("capture_phone_number", {"spoken_number": "92345677"})],
            reply=speak_output,
        ),
        last,
    ]


class Lookups:
    """A stand-in for the app's business lookup that records what it was asked."""

    def __init__(self) -> None:
        self.numbers: list[str] = []

    async def __call__(self, e164: str) -> dict[str, Any]:
        self.numbers.append(e164)
        return {"found": True, "name": "Kari Nordmann"}


async def test_task_captures_the_sidecars_number_and_calls_the_lookup(caplog: pytest.LogCaptureFixture) -> None:
    said = (*SAID, "ja, det stemmer")
    lookups = Lookups()
    events: list[Any] = []

    def agent(sidecar: Any) -> Any:
        assert sidecar is not None
        ra.log_sidecar_events(sidecar)
        sidecar.on("phone_number_confirmed", events.append)
        return ra.build_agent(sidecar, lookups)

    turns = script(
        CallerTurn("ja det stemmer", function_calls=[ScriptedFunctionCall("confirm_phone_number", {})], reply="Takk.")
    )
    caplog.set_level(logging.DEBUG, logger="sidecar_stt")
    async with offline_call(
        turns,
        agent=agent,
        engines={"azure": scripted_engine(said)},
        sidecar_options=SidecarOptions(transcript_timeout_s=3.0),
    ) as call:
        for i, text in enumerate(said, start=1):
            call.caller.say(speech(text))
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(i, timeout_s=30)
        await call.server.wait_until(lambda: len(call.server.tool_outputs()) >= 3, timeout_s=20)
        outputs = {o.name: o.output for o in call.server.tool_outputs()}

    assert lookups.numbers == [RIGHT]  # the sidecar's 78, not the model's 77
    assert "syttiåtte" in outputs["capture_phone_number"]
    assert "Kari Nordmann" in outputs["identify_customer"]
    assert [e.e164 for e in events] == [RIGHT]
    assert any(r.getMessage() == "phone number confirmed" for r in caplog.records)
    assert not any("92345678" in r.getMessage() or "+4792" in r.getMessage() for r in caplog.records)


async def test_azure_model_and_start_session_wiring_when_the_caller_declines() -> None:
    said = (*SAID, "nei, det vil jeg ikke si")
    lookups = Lookups()
    turns = script(
        CallerTurn(
            "nei det vil jeg ikke si",
            function_calls=[ScriptedFunctionCall("decline_phone_number_capture", {})],
            reply="Greit.",
        )
    )
    async with FakeRealtimeServer(turns) as server:
        config = ra.load_config(
            {**AZURE_RT, **SPEECH, "AZURE_OPENAI_ENDPOINT": server.azure_endpoint, "SIDECAR_ENGINES": "scripted:x"}
        )
        model = ra.build_realtime_model(config)
        sidecar = ra.build_sidecar({"azure": scripted_engine(said)}, config)
        session = quiet_session(model)
        output = CollectingAudioOutput()
        session.output.audio = output
        output.watch_session(session)
        caller = CallerAudioInput()
        session.input.audio = caller
        try:
            await ra.start_session(session, sidecar, ra.build_agent(sidecar, lookups))
            assert session.input.audio is not caller  # the sidecar's tap wraps the caller
            for i, text in enumerate(said, start=1):
                caller.say(speech(text))
                await caller.wait_idle(timeout_s=20)
                await server.wait_for_turns(i, timeout_s=30)
            await server.wait_until(lambda: len(server.tool_outputs()) >= 3, timeout_s=20)
            outputs = {o.name: o.output for o in server.tool_outputs()}
            connections = list(server.connections)
            updates = server.session_updates()
        finally:
            caller.finish()
            await session.aclose()
            await model.aclose()
            await sidecar.aclose()
            await output.aclose()

    assert connections and all(c.azure and c.model == "my-realtime" for c in connections)
    transcription = [
        u["audio"]["input"]["transcription"] for u in updates if "transcription" in u.get("audio", {}).get("input", {})
    ]
    assert transcription and transcription[0]["language"] == "no"
    assert lookups.numbers == []
    assert "oppga ikke" in outputs["identify_customer"]
    assert sidecar.stats()["azure"].frames_in > 0
