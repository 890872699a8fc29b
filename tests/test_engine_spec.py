"""Engine specs: parsing, building engines with number-friendly defaults, and the error messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from livekit.agents import stt

from sidecar_stt.engines import EngineSpec, describe_engine, from_spec, parse_spec
from sidecar_stt.engines import spec as spec_module
from sidecar_stt.errors import ConfigurationError

pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION", "AZURE_SPEECH_HOST", "DEEPGRAM_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(
    ("text", "kind", "model", "params"),
    [
        ("azure:nb-NO", "azure", "nb-NO", {}),
        ("deepgram:nova-3?language=no", "deepgram", "nova-3", {"language": "no"}),
        ("openai:gpt-4o-transcribe?language=no", "openai", "gpt-4o-transcribe", {"language": "no"}),
        ("whisper:/models/nb-whisper-base?language=no&beam=5", "whisper", "/models/nb-whisper-base",
         {"language": "no", "beam": "5"}),
        ("scripted:tests/data/x.json", "scripted", "tests/data/x.json", {}),
        ("Whisper", "whisper", "", {}),
    ],
)  # fmt: skip
def test_parse_spec(text: str, kind: str, model: str, params: dict[str, str]) -> None:
    parsed = parse_spec(text)
    assert parsed == EngineSpec(kind=kind, model=model, params=params)


def test_spec_round_trips_through_str() -> None:
    parsed = parse_spec("whisper:base?language=no&beam=5")
    assert parse_spec(str(parsed)) == parsed


@pytest.mark.parametrize("bad", ["", "   ", ":base", "whisper:base?beam", "whisper:base?beam=1&beam=2", "wh isper:x"])
def test_malformed_specs_are_configuration_errors(bad: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_spec(bad)


def test_unknown_kind_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigurationError) as info:
        from_spec("vosk:small")
    message = str(info.value)
    for kind in ("azure", "deepgram", "openai", "whisper", "scripted"):
        assert kind in message
    assert "\n" not in message


def test_unknown_param_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigurationError, match="beams") as info:
        from_spec("whisper:tiny.en?beams=3")
    assert "beam" in str(info.value).split("valid:")[1]


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("whisper:tiny.en?beam=zero", "integer"),
        ("whisper:tiny.en?beam=0", "at least 1"),
        ("deepgram:nova-3?numerals=maybe", "true or false"),
        ("azure:nb-NO?phrase_weight=heavy", "number"),
    ],
)
def test_bad_param_values(text: str, pattern: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPGRAM_API_KEY", "k")
    monkeypatch.setenv("AZURE_SPEECH_KEY", "k")
    monkeypatch.setenv("AZURE_SPEECH_REGION", "norwayeast")
    with pytest.raises(ConfigurationError, match=pattern):
        from_spec(text)


@pytest.mark.parametrize(
    ("text", "variable"),
    [
        ("azure:nb-NO", "AZURE_SPEECH_KEY"),
        ("deepgram:nova-3?language=no", "DEEPGRAM_API_KEY"),
        ("openai:gpt-4o-transcribe?language=no", "OPENAI_API_KEY"),
    ],
)
def test_missing_key_names_the_variable(text: str, variable: str) -> None:
    with pytest.raises(ConfigurationError, match=variable) as info:
        from_spec(text)
    assert "\n" not in str(info.value)


def test_deepgram_defaults_to_numerals_and_the_spec_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from livekit.plugins import deepgram

    monkeypatch.setenv("DEEPGRAM_API_KEY", "k")
    engine = from_spec("deepgram:nova-3?language=no")
    assert isinstance(engine, deepgram.STT)
    assert engine._opts.numerals is True
    assert engine._opts.language == "no"
    assert engine.model == "nova-3"
    off = from_spec("deepgram:nova-3?numerals=false")
    assert isinstance(off, deepgram.STT) and off._opts.numerals is False


def test_openai_defaults_to_a_number_prompt_in_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from livekit.plugins import openai

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    engine = from_spec("openai:gpt-4o-transcribe?language=nb-NO")
    assert isinstance(engine, openai.STT)
    assert engine.model == "gpt-4o-transcribe"
    assert engine._opts.languages == ["no"]
    assert "ni to tre" in engine._opts.prompt


def test_azure_spec_builds_the_nbest_engine_with_a_number_phrase_list(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.engines.azure import AzureSpeechSTT

    monkeypatch.setenv("AZURE_SPEECH_KEY", "k")
    monkeypatch.setenv("AZURE_SPEECH_REGION", "norwayeast")
    engine = from_spec("azure:nb-NO?phrase_weight=1.5")
    assert isinstance(engine, AzureSpeechSTT)
    assert engine.options.language == "nb-NO" and engine.options.phrase_weight == 1.5
    assert "femtiseks" in engine.options.phrases
    bare = from_spec("azure:nb-NO?phrases=none")
    assert isinstance(bare, AzureSpeechSTT) and bare.options.phrases == ()
    custom = from_spec("azure:nb-NO?phrases=Oslo,Bergen")
    assert isinstance(custom, AzureSpeechSTT) and custom.options.phrases == ("Oslo", "Bergen")


def test_whisper_spec_maps_language_and_beam() -> None:
    from sidecar_stt.engines.whisper import WhisperSTT

    engine = from_spec("whisper:base?language=nb&beam=3&threads=2")
    assert isinstance(engine, WhisperSTT)
    assert engine.capabilities.streaming is False
    assert (engine.options.language, engine.options.beam_size, engine.options.cpu_threads) == ("no", 3, 2)
    assert engine.options.initial_prompt is not None
    assert from_spec("whisper:base?prompt=none").options.initial_prompt is None  # type: ignore[attr-defined]


def test_whisper_spec_with_an_unpackaged_name_asks_for_a_path() -> None:
    with pytest.raises(ConfigurationError, match="path"):
        from_spec("whisper:large-v3")


def test_scripted_spec_loads_the_script(tmp_path: Path) -> None:
    from sidecar_stt.testing.scripted_engine import ScriptedEngine

    script = tmp_path / "script.json"
    script.write_text(
        json.dumps({"utterances": [{"start_s": 0.5, "end_s": 2.0, "text": "ni to tre fire fem seks sju åtte"}]})
    )
    engine = from_spec(f"scripted:{script}")
    assert isinstance(engine, ScriptedEngine)
    assert [u.text for u in engine.utterances] == ["ni to tre fire fem seks sju åtte"]
    with pytest.raises(ConfigurationError, match="needs a file"):
        from_spec("scripted")


class _FakeEntryPoint:
    def __init__(self, name: str, factory: Any) -> None:
        self.name = name
        self._factory = factory

    def load(self) -> Any:
        return self._factory


def test_entry_points_add_engine_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.testing.scripted_engine import ScriptedEngine

    calls: list[tuple[str, dict[str, str]]] = []

    def factory(model: str, params: dict[str, str]) -> stt.STT[Any]:
        calls.append((model, params))
        return ScriptedEngine([])

    def fake_entry_points(*, group: str) -> list[_FakeEntryPoint]:
        assert group == "sidecar_stt.engines"
        return [_FakeEntryPoint("mycorp", factory), _FakeEntryPoint("broken", lambda _m, _p: object())]

    monkeypatch.setattr(spec_module, "entry_points", fake_entry_points)
    engine = from_spec("mycorp:v2?language=no&x=1")
    assert isinstance(engine, ScriptedEngine)
    assert calls == [("v2", {"language": "no", "x": "1"})]
    with pytest.raises(ConfigurationError, match="mycorp"):
        from_spec("nope:x")
    with pytest.raises(ConfigurationError, match="did not return"):
        from_spec("broken:x")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("whisper:base", "whisper base (local)"),
        ("whisper", "whisper base (local)"),
        ("whisper:/models/nb-whisper-small?beam=1", "whisper nb-whisper-small (local)"),
        ("azure:nb-NO", "azure nb-NO"),
        ("deepgram:nova-3?language=no", "deepgram nova-3 (no)"),
        ("openai:gpt-4o-transcribe", "openai gpt-4o-transcribe (no)"),
        ("scripted:tests/data/calls/call1.json", "scripted call1.json"),
    ],
)
def test_describe_engine(text: str, label: str) -> None:
    assert describe_engine(text) == label


def test_check_requirements_names_everything_missing_in_one_line() -> None:
    from sidecar_stt.engines import check_requirements

    with pytest.raises(ConfigurationError) as info:
        check_requirements(["azure:nb-NO", "deepgram:nova-3", "openai:x?base_url=http://h/v1"], variables=["K"], env={})
    assert str(info.value) == (
        "missing configuration: set K, AZURE_SPEECH_KEY, (AZURE_SPEECH_REGION or AZURE_SPEECH_HOST), DEEPGRAM_API_KEY"
    )
    check_requirements(["azure:nb-NO"], env={"AZURE_SPEECH_KEY": "k", "AZURE_SPEECH_HOST": "h"})
    with pytest.raises(ConfigurationError, match="unknown engine kind 'nope'"):
        check_requirements(["nope:x"], env={})


def test_an_openai_engine_with_a_base_url_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    engine = from_spec("openai:nb-whisper-large?base_url=http://127.0.0.1:9/v1&language=no")
    assert engine.model == "nb-whisper-large" and not engine.capabilities.streaming
