"""AzureSpeechSTT: Detailed-result translation on payloads written from the documented shape and on real results
(`real_*.json`, sources in tests/data/azure/REAL_SOURCES.md), and the stream on a replaying backend."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, stt

from sidecar_stt.engines.azure import (
    AzureSpeechError,
    AzureSpeechOptions,
    AzureSpeechSTT,
    RecognizerEvent,
    cancellation_error,
    resolve_azure_credentials,
    translate_result,
)
from sidecar_stt.errors import ConfigurationError, EngineError

pytestmark = pytest.mark.engine

DATA = Path(__file__).parent / "data" / "azure"
TICKS = 10_000_000


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


# --- translation ---------------------------------------------------------------------------------------------


def test_final_keeps_every_nbest_entry_in_azure_order_with_lexical_text() -> None:
    raw = payload("final_pairs_right_second.json")
    ev = translate_result("recognized", json.dumps(raw), language="nb-NO")
    assert ev is not None
    assert ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT
    assert [a.text for a in ev.alternatives] == [e["Lexical"] for e in raw["NBest"]]
    assert ev.alternatives[1].text == "nittito trettifire femtiseks syttiåtte"
    # Azure's order is kept even though the second entry is the more confident one
    assert [a.confidence for a in ev.alternatives] == pytest.approx([e["Confidence"] for e in raw["NBest"]])
    assert ev.alternatives[1].confidence > ev.alternatives[0].confidence


def test_final_metadata_carries_itn_masked_itn_and_display() -> None:
    raw = payload("final_pairs_right_second.json")
    ev = translate_result("recognized", raw, language="nb-NO")
    assert ev is not None
    second = ev.alternatives[1]
    assert second.metadata is not None
    assert second.metadata["itn"] == "92 34 56 78"
    assert second.metadata["masked_itn"] == raw["NBest"][1]["MaskedITN"]
    assert second.metadata["display"] == "92 34 56 78."
    assert second.metadata["nbest_rank"] == 1
    assert str(second.language) == "nb-NO"


def test_final_times_are_ticks_to_seconds_shifted_to_the_session_clock() -> None:
    raw = payload("final_digits.json")
    offset = 12.5
    ev = translate_result("recognized", raw, language="nb-NO", start_time_offset=offset)
    assert ev is not None
    best = ev.alternatives[0]
    assert best.text == "ni to tre fire fem seks sju åtte"
    words = raw["NBest"][0]["Words"]
    assert best.words is not None and [str(w) for w in best.words] == [w["Word"] for w in words]
    for got, want in zip(best.words, words, strict=True):
        assert got.start_time == pytest.approx(want["Offset"] / TICKS + offset)
        assert got.end_time == pytest.approx((want["Offset"] + want["Duration"]) / TICKS + offset)
        assert got.start_time_offset == offset
    assert best.start_time == pytest.approx(words[0]["Offset"] / TICKS + offset)
    assert best.end_time == pytest.approx((words[-1]["Offset"] + words[-1]["Duration"]) / TICKS + offset)
    assert best.start_time >= raw["Offset"] / TICKS + offset
    assert best.end_time <= (raw["Offset"] + raw["Duration"]) / TICKS + offset


def test_interim_uses_the_partial_text_and_its_span() -> None:
    raw = payload("interim_digits.json")
    ev = translate_result("recognizing", raw, language="nb-NO", start_time_offset=2.0)
    assert ev is not None
    assert ev.type == stt.SpeechEventType.INTERIM_TRANSCRIPT
    assert [a.text for a in ev.alternatives] == ["ni to tre"]
    assert ev.alternatives[0].start_time == pytest.approx(raw["Offset"] / TICKS + 2.0)
    assert ev.alternatives[0].end_time == pytest.approx((raw["Offset"] + raw["Duration"]) / TICKS + 2.0)


def test_no_match_and_empty_partials_give_nothing() -> None:
    assert translate_result("recognized", payload("no_match.json"), language="nb-NO") is None
    assert translate_result("recognizing", {"Text": "  ", "Offset": 0, "Duration": 0}, language="nb-NO") is None
    silence = {"RecognitionStatus": "InitialSilenceTimeout", "Offset": 0, "Duration": 50_000_000}
    assert translate_result("recognized", silence, language="nb-NO") is None


def test_final_without_nbest_falls_back_to_display_text() -> None:
    raw = {"RecognitionStatus": "Success", "Offset": 10_000_000, "Duration": 20_000_000, "DisplayText": "Hei."}
    ev = translate_result("recognized", raw, language="nb-NO")
    assert ev is not None
    assert [a.text for a in ev.alternatives] == ["Hei."]
    assert ev.alternatives[0].start_time == pytest.approx(1.0)
    assert ev.alternatives[0].end_time == pytest.approx(3.0)


@pytest.mark.parametrize("case", json.loads((DATA / "canceled.json").read_text()), ids=lambda c: c["code"])
def test_cancellation_maps_to_an_engine_and_api_error_with_retryable(case: dict[str, Any]) -> None:
    err = cancellation_error(case["reason"], case["code"], case["details"])
    assert isinstance(err, AzureSpeechError)
    assert isinstance(err, EngineError) and isinstance(err, APIError)
    assert err.retryable is case["retryable"]
    assert err.code == case["code"]
    assert case["code"] in str(err)
    assert case["details"] not in err.message  # vendor text stays out of the log message


def test_end_of_stream_cancellation_is_not_an_error() -> None:
    assert cancellation_error("EndOfStream", "NoError") is None
    assert cancellation_error("CancelledByUser", "NoError") is None


# --- credentials and the import guard --------------------------------------------------------------------------


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION", "AZURE_SPEECH_HOST"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(ConfigurationError, match="AZURE_SPEECH_KEY") as info:
        AzureSpeechSTT()
    assert "\n" not in str(info.value)
    monkeypatch.setenv("AZURE_SPEECH_KEY", "k")
    with pytest.raises(ConfigurationError, match="AZURE_SPEECH_REGION"):
        AzureSpeechSTT()
    monkeypatch.setenv("AZURE_SPEECH_REGION", "norwayeast")
    engine = AzureSpeechSTT()
    assert engine.options.speech_region == "norwayeast"
    assert engine.options.language == "nb-NO"
    assert "nittito" in engine.options.phrases and "sju" in engine.options.phrases


def test_credentials_from_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_SPEECH_KEY", "env-key")
    monkeypatch.setenv("AZURE_SPEECH_HOST", "wss://env.example")
    assert resolve_azure_credentials(speech_key="arg-key") == ("arg-key", "", "wss://env.example")


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "azure.cognitiveservices.speech", None)
    with pytest.raises(ConfigurationError, match=r"sidecar-stt\[azure\]"):
        AzureSpeechSTT(speech_key="k", speech_region="norwayeast")


def test_unknown_locale_warns_and_sends_no_phrase_list(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="sidecar_stt"):
        engine = AzureSpeechSTT(language="fi-FI", backend_factory=lambda _o: _ReplayBackend([]))
    assert engine.options.phrases == ()
    assert any("phrase list" in r.getMessage() for r in caplog.records)


# --- the stream on a replaying backend -------------------------------------------------------------------------


class _ReplayBackend:
    """Replays recognizer events once the pushed audio reaches each event's time, from another thread."""

    def __init__(self, script: list[tuple[float, RecognizerEvent]]) -> None:
        self._script = sorted(script, key=lambda x: x[0])
        self._on_event: Callable[[RecognizerEvent], None] | None = None
        self.received = bytearray()
        self.stopped = False
        self.closed = False

    def start(self, on_event: Callable[[RecognizerEvent], None]) -> None:
        self._on_event = on_event

    def _emit_due(self, *, everything: bool) -> None:
        audio_s = len(self.received) / 2 / 16000
        due = [ev for at, ev in self._script if everything or at <= audio_s]
        self._script = self._script[len(due) :]
        if due:
            assert self._on_event is not None
            on_event = self._on_event
            t = threading.Thread(target=lambda: [on_event(e) for e in due])
            t.start()
            t.join()

    def write(self, pcm: bytes) -> None:
        self.received += pcm
        self._emit_due(everything=False)

    def close_input(self) -> None:
        self.closed = True
        self._emit_due(everything=True)
        assert self._on_event is not None
        self._on_event(RecognizerEvent("canceled", cancel_reason="EndOfStream", cancel_code="NoError"))
        self._on_event(RecognizerEvent("session_stopped"))

    def stop(self) -> None:
        self.stopped = True


def _result(kind: str, name: str) -> RecognizerEvent:
    raw = payload(name)
    return RecognizerEvent(kind, json.dumps(raw), raw["Offset"], raw["Duration"])  # type: ignore[arg-type]


def _frames(seconds: float, *, rate: int = 48000, chunk_s: float = 0.02) -> list[rtc.AudioFrame]:
    n = int(rate * chunk_s)
    tone = (np.sin(np.arange(n) * 2 * np.pi * 440 / rate) * 3000).astype(np.int16).tobytes()
    return [rtc.AudioFrame(tone, rate, 1, n) for _ in range(round(seconds / chunk_s))]


async def _run_stream(engine: AzureSpeechSTT, *, seconds: float, offset: float) -> list[stt.SpeechEvent]:
    stream = engine.stream(conn_options=APIConnectOptions(max_retry=0, timeout=5))
    stream.start_time_offset = offset
    for frame in _frames(seconds):
        stream.push_frame(frame)
    stream.end_input()
    events = [ev async for ev in stream]
    await stream.aclose()
    return events


async def test_stream_end_to_end_gives_interims_and_nbest_finals_on_the_session_clock() -> None:
    backends: list[_ReplayBackend] = []
    seen_opts: list[AzureSpeechOptions] = []

    def factory(opts: AzureSpeechOptions) -> _ReplayBackend:
        seen_opts.append(opts)
        backend = _ReplayBackend(
            [
                (1.5, _result("recognizing", "interim_digits.json")),
                (3.3, _result("recognized", "final_digits.json")),
                (5.3, _result("recognizing", "interim_pairs.json")),
                (7.2, _result("recognized", "final_pairs_right_second.json")),
                (8.9, _result("recognized", "no_match.json")),
            ]
        )
        backends.append(backend)
        return backend

    engine = AzureSpeechSTT(backend_factory=factory)
    events = await _run_stream(engine, seconds=9.0, offset=30.0)

    kinds = [ev.type for ev in events if ev.type != stt.SpeechEventType.RECOGNITION_USAGE]
    start, interim, final, end = (
        stt.SpeechEventType.START_OF_SPEECH,
        stt.SpeechEventType.INTERIM_TRANSCRIPT,
        stt.SpeechEventType.FINAL_TRANSCRIPT,
        stt.SpeechEventType.END_OF_SPEECH,
    )
    assert kinds == [start, interim, final, end] * 2
    finals = [ev for ev in events if ev.type == final]
    assert finals[0].alternatives[0].text == "ni to tre fire fem seks sju åtte"
    assert [a.text for a in finals[1].alternatives][1] == "nittito trettifire femtiseks syttiåtte"
    assert len(finals[1].alternatives) == 3
    assert finals[1].alternatives[0].start_time == pytest.approx(30.0 + 3.9)
    assert finals[0].alternatives[0].confidence == pytest.approx(0.9123)

    usage = [ev.recognition_usage for ev in events if ev.type == stt.SpeechEventType.RECOGNITION_USAGE]
    assert sum(u.audio_duration for u in usage if u is not None) > 6.0

    (backend,) = backends
    assert backend.closed and backend.stopped
    # resampled from 48 kHz to 16 kHz mono 16-bit before it reaches the recognizer
    assert len(backend.received) / 2 / 16000 == pytest.approx(9.0, abs=0.1)
    assert seen_opts[0].language == "nb-NO"


@pytest.mark.parametrize(("code", "retryable"), [("AuthenticationFailure", False), ("ServiceTimeout", True)])
async def test_stream_cancel_raises_the_mapped_error(code: str, retryable: bool) -> None:
    cancel = RecognizerEvent("canceled", cancel_reason="Error", cancel_code=code, error_details="details")
    engine = AzureSpeechSTT(backend_factory=lambda _o: _ReplayBackend([(0.5, cancel)]))
    errors: list[Any] = []
    engine.on("error", errors.append)
    with pytest.raises(AzureSpeechError) as info:
        await _run_stream(engine, seconds=2.0, offset=0.0)
    assert info.value.retryable is retryable
    assert info.value.code == code
    assert errors and errors[0].error is info.value


async def test_stream_language_override_reaches_the_backend() -> None:
    seen: list[str] = []

    def factory(opts: AzureSpeechOptions) -> _ReplayBackend:
        seen.append(opts.language)
        return _ReplayBackend([])

    engine = AzureSpeechSTT(backend_factory=factory)
    stream = engine.stream(language="nn-NO")
    stream.end_input()
    assert [ev async for ev in stream] == []
    await stream.aclose()
    assert seen == ["nn-NO"]


async def test_real_sdk_reports_a_retryable_connection_failure_on_a_closed_loopback_port() -> None:
    engine = AzureSpeechSTT(speech_key="0" * 32, speech_host="ws://127.0.0.1:9")
    stream = engine.stream(conn_options=APIConnectOptions(max_retry=0, timeout=10))
    for frame in _frames(0.5):
        stream.push_frame(frame)
    with pytest.raises(AzureSpeechError) as info:
        _ = [ev async for ev in stream]
    await stream.aclose()
    assert info.value.retryable is True
    assert info.value.code == "ConnectionFailure"


# --- real results (tests/data/azure/REAL_SOURCES.md) ----------------------------------------------------------


@pytest.mark.parametrize("name", ["real_js394_empty_primary_status0.json", "real_sdk1596_empty_primary_success.json"])
def test_a_real_result_with_an_empty_first_entry_is_no_text_whatever_follows(name: str) -> None:
    raw = payload(name)
    assert not raw["NBest"][0]["Lexical"] and max(e["Confidence"] for e in raw["NBest"][1:]) > 0.8
    assert translate_result("recognized", raw, language="nb-NO") is None


def test_an_empty_first_entry_is_no_number_and_no_yes_with_norwegian_junk_behind_it() -> None:
    # the real result's shape with Norwegian single words: a "ja" or a digit at 0.94 behind an empty recognition
    raw = payload("real_js394_empty_primary_status0.json")
    raw["NBest"][1]["Lexical"] = "ja"
    raw["NBest"][2]["Lexical"] = "ni"
    assert translate_result("recognized", raw, language="nb-NO") is None


@pytest.mark.parametrize("status", ["Success", 0])
def test_string_and_numeric_success_statuses_both_give_a_final(status: object) -> None:
    raw = payload("final_digits.json")
    raw["RecognitionStatus"] = status
    ev = translate_result("recognized", raw, language="nb-NO")
    assert ev is not None and ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT


@pytest.mark.parametrize("status", ["NoMatch", 1, 2, "InitialSilenceTimeout", True, "0"])
def test_other_statuses_give_nothing(status: object) -> None:
    raw = payload("final_digits.json")
    raw["RecognitionStatus"] = status
    assert translate_result("recognized", raw, language="nb-NO") is None


def test_the_result_objects_offset_wins_and_the_words_move_with_it() -> None:
    raw = payload("final_digits.json")
    first_word = raw["NBest"][0]["Words"][0]["Offset"] / TICKS
    object_offset = raw["Offset"] + 30 * TICKS  # the JSON's offset was not fixed up: it is 30 s behind
    ev = translate_result(
        "recognized", raw, language="nb-NO", start_time_offset=1.0, offset_ticks=object_offset, duration_ticks=TICKS
    )
    assert ev is not None
    best = ev.alternatives[0]
    assert best.words and best.words[0].start_time == pytest.approx(first_word + 30 + 1.0)
    assert best.start_time == pytest.approx(first_word + 30 + 1.0)
    # without the object's offset, the JSON's is used
    plain = translate_result("recognized", raw, language="nb-NO", start_time_offset=1.0)
    assert plain is not None and plain.alternatives[0].start_time == pytest.approx(first_word + 1.0)


async def test_the_stream_times_a_final_by_the_result_objects_offset_and_drops_an_empty_recognition() -> None:
    raw = payload("final_digits.json")
    object_offset = raw["Offset"] + 2 * TICKS  # the SDK's result object says 2 s later than its JSON
    empty = payload("real_js394_empty_primary_status0.json")
    script = [
        (1.0, RecognizerEvent("recognized", json.dumps(empty), 1 * TICKS, empty["Duration"])),
        (3.3, RecognizerEvent("recognized", json.dumps(raw), object_offset, raw["Duration"])),
    ]
    engine = AzureSpeechSTT(backend_factory=lambda _o: _ReplayBackend(script))
    events = await _run_stream(engine, seconds=4.0, offset=10.0)
    finals = [ev for ev in events if ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT]
    assert len(finals) == 1  # the empty recognition made none
    first_word_s = raw["NBest"][0]["Words"][0]["Offset"] / TICKS
    assert finals[0].alternatives[0].start_time == pytest.approx(10.0 + first_word_s + 2.0)
