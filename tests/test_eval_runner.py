"""The bake-off runner: driving LiveKit STT engines over recordings, caching, failures, fusion rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from livekit import rtc
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions, LanguageCode, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr
from livekit.agents.utils import AudioBuffer

from sidecar_stt.errors import ConfigurationError
from sidecar_stt.evaluation.audio import load_audio
from sidecar_stt.evaluation.dataset import Recording
from sidecar_stt.evaluation.report import write_reports
from sidecar_stt.evaluation.runner import fusion_groups, run_evaluation
from sidecar_stt.evaluation.transcribe import pick_mode, transcribe
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = pytest.mark.livekit

SAID = "nittito trettifire femtiseks syttiåtte"


class WholeFileSTT(stt.STT[Any]):
    """Non-streaming fake: says ``text`` for every recording, fails on recordings longer than ``fail_over_s``."""

    def __init__(self, text: str, *, fail_over_s: float = 1e9) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self.text = text
        self.fail_over_s = fail_over_s
        self.calls = 0

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        self.calls += 1
        frame = rtc.combine_audio_frames(buffer)
        if frame.samples_per_channel / frame.sample_rate > self.fail_over_s:
            raise RuntimeError("decoder crashed")
        data = stt.SpeechData(language=LanguageCode("nb"), text=self.text, confidence=0.8)
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data])


def _recordings(tmp_path: Path, seconds: list[float], phones: list[str], *, rate: int = 16000) -> list[Recording]:
    out = []
    rng = np.random.default_rng(0)
    for i, (sec, phone) in enumerate(zip(seconds, phones, strict=True)):
        path = tmp_path / f"r{i}.wav"
        soundfile.write(str(path), (rng.standard_normal(int(sec * rate)) * 300).astype(np.int16), rate)
        out.append(
            Recording(
                id=f"r{i}",
                audio=path,
                language="nb",
                reference=SAID,
                expected_phone=phone,
                meta={"style": "pairs", "speech_end_s": sec - 0.2},
            )
        )
    return out


def _scripted() -> ScriptedEngine:
    return ScriptedEngine(
        [
            ScriptedUtterance(
                start_s=0.1, end_s=0.9, text=SAID, confidence=0.9, alternatives=(("nittito trettifire", 0.2),)
            )
        ]
    )


class Factory:
    def __init__(self) -> None:
        self.built: list[str] = []
        self.engines: dict[str, stt.STT[Any]] = {}

    def __call__(self, spec: str) -> stt.STT[Any]:
        self.built.append(spec)
        if spec == "scripted":
            engine: stt.STT[Any] = _scripted()
        elif spec == "whole":
            engine = WholeFileSTT("nitti to tretti fire femti seks sytti åtte", fail_over_s=1.6)
        else:
            raise ConfigurationError(f"unknown engine {spec}")
        self.engines[spec] = engine
        return engine


class Progress:
    def __init__(self) -> None:
        self.events: list[tuple[str, bool, bool]] = []
        self.started: list[tuple[str, int]] = []

    def engine_started(self, spec: str, total: int) -> None:
        self.started.append((spec, total))

    def recording_done(self, spec: str, *, cached: bool, failed: bool) -> None:
        self.events.append((spec, cached, failed))


async def test_runs_scores_caches_and_resumes(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, [1.2, 1.4, 1.8], ["+4792345678", "+4792345678", "+4741234567"])
    factory, progress = Factory(), Progress()
    first = await run_evaluation(
        recs, ["scripted", "whole"], out_dir=tmp_path / "out", engine_factory=factory, progress=progress, fusion=False
    )
    assert factory.built == ["scripted", "whole"]
    assert progress.started == [("scripted", 3), ("whole", 3)]
    assert sorted(progress.events) == sorted(
        [("scripted", False, False)] * 3 + [("whole", False, False)] * 2 + [("whole", False, True)]
    )
    rows = {r.engine: r for r in first.rows}
    assert rows["scripted"].successes == 2 and rows["scripted"].phone_n == 3
    assert rows["scripted"].failures == 0 and rows["scripted"].wer == 0.0
    assert rows["whole"].successes == 2 and rows["whole"].failures == 1  # the 1.8 s recording crashed
    assert first.outputs["scripted"]["r0"].mode == "stream"
    assert first.outputs["whole"]["r0"].mode == "recognize"
    assert first.outputs["whole"]["r2"].error == "RuntimeError: decoder crashed"
    assert (first.runs, first.cache_hits) == (6, 0)
    cached_files = list((tmp_path / "out" / "cache").rglob("*.json"))
    assert len(cached_files) == 6
    assert {json.loads(p.read_text(encoding="utf-8"))["spec"] for p in cached_files} == {"scripted", "whole"}

    again_factory, again_progress = Factory(), Progress()
    second = await run_evaluation(
        recs, ["scripted", "whole"], out_dir=tmp_path / "out", engine_factory=again_factory, progress=again_progress
    )
    assert again_factory.built == []  # nothing left to run: no engine is even built
    assert (second.runs, second.cache_hits) == (0, 6)
    assert all(cached for _s, cached, _f in again_progress.events)
    # the scores are the same; only what this run sent differs (nothing: the results came from the cache)
    cost = ("audio_sent_s", "audio_sent_cached_s", "cached")

    def scored(rows: list[Any]) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in r.to_json().items() if k not in cost} for r in rows if not r.engine.startswith("fusion:")
        ]

    assert scored(second.rows) == scored(first.rows)

    retry_factory = Factory()
    third = await run_evaluation(
        recs, ["whole"], out_dir=tmp_path / "out", engine_factory=retry_factory, retry_failed=True
    )
    assert retry_factory.built == ["whole"] and (third.runs, third.cache_hits) == (1, 2)
    whole = retry_factory.engines["whole"]
    assert isinstance(whole, WholeFileSTT) and whole.calls == 1


async def test_changed_audio_misses_the_cache(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, [1.0], ["+4792345678"])
    await run_evaluation(recs, ["scripted"], out_dir=tmp_path / "out", engine_factory=Factory())
    soundfile.write(str(recs[0].audio), np.zeros(16000, dtype=np.int16), 16000)
    factory = Factory()
    again = await run_evaluation(recs, ["scripted"], out_dir=tmp_path / "out", engine_factory=factory)
    assert factory.built == ["scripted"] and again.runs == 1


async def test_an_engine_that_cannot_be_built_fails_its_row_and_is_not_cached(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, [1.0, 1.0], ["+4792345678", "+4792345678"])
    results = await run_evaluation(recs, ["broken"], out_dir=tmp_path / "out", engine_factory=Factory())
    (row,) = results.rows
    assert row.failures == 2 and row.successes == 0
    assert "unknown engine broken" in (results.outputs["broken"]["r0"].error or "")
    assert not (tmp_path / "out" / "cache").exists() or not list((tmp_path / "out" / "cache").rglob("*.json"))


async def test_stream_at_realtime_pace_and_resampled_telephone_audio(tmp_path: Path) -> None:
    (rec,) = _recordings(tmp_path, [1.0], ["+4792345678"], rate=8000)
    audio = load_audio(rec.audio)
    engine = _scripted()
    out = await transcribe(
        engine, audio, spec="s", recording_id=rec.id, audio_sha256="h", pace="realtime", speech_end_s=0.8
    )
    assert out.error is None and out.mode == "stream"
    assert out.text == SAID
    assert out.nbest_texts() == [SAID, "nittito trettifire"]
    assert out.time_to_final_s is not None and out.time_to_final_s >= 0
    assert out.audio_s == pytest.approx(1.0, abs=0.01)
    received_s = len(engine.received_audio()) / 2 / 16000  # PCM16 at 16 kHz
    assert received_s == pytest.approx(1.0, abs=0.02)
    assert out.audio_sent_s == pytest.approx(received_s, abs=1e-9)  # counted, not copied from the file's length
    await engine.aclose()


async def test_audio_sent_and_transcript_seconds_per_recording_and_engine_and_a_cached_rerun(tmp_path: Path) -> None:
    seconds = [1.2, 1.4, 1.8]
    recs = _recordings(tmp_path, seconds, ["+4792345678", "+4792345678", "+4741234567"])
    real_s = [soundfile.info(str(r.audio)).frames / 16000 for r in recs]
    assert real_s == pytest.approx(seconds)
    factory = Factory()
    first = await run_evaluation(recs, ["scripted", "whole"], out_dir=tmp_path / "out", engine_factory=factory)
    scripted, whole = first.outputs["scripted"], first.outputs["whole"]
    received = factory.engines["scripted"]
    assert isinstance(received, ScriptedEngine)
    # the stream engine was sent every frame of every clip: what it received, and the clips' real lengths
    assert sum(o.audio_sent_s or 0 for o in scripted.values()) == pytest.approx(len(received.received_audio()) / 32000)
    for rec, length in zip(recs, real_s, strict=True):
        assert scripted[rec.id].audio_sent_s == pytest.approx(length)
        assert whole[rec.id].audio_sent_s == pytest.approx(length)  # the batch engine got the whole clip
    assert whole["r2"].error is not None and whole["r2"].audio_sent_s == pytest.approx(1.8)  # sent, then crashed

    scores = {(s.engine, s.recording_id): s for s in first.scores}
    # the scripted engine times its final 0.1–0.9 s; the batch engine gives no times: the speech span counts
    assert scores[("scripted", "r0")].transcript_s == pytest.approx(0.8)
    assert scores[("whole", "r1")].transcript_s == pytest.approx(1.4 - 0.2)  # meta speech_end_s
    assert scores[("whole", "r2")].transcript_s == 0.0  # it failed: no transcript
    rows = {r.engine: r for r in first.rows}
    assert rows["scripted"].audio_sent_s == pytest.approx(sum(real_s))
    assert rows["whole"].audio_sent_s == pytest.approx(sum(real_s))
    assert rows["scripted"].transcript_s == pytest.approx(3 * 0.8)
    assert rows["whole"].transcript_s == pytest.approx(1.0 + 1.2)
    fused = rows["fusion:scripted+whole"]
    assert fused.audio_sent_s == pytest.approx(2 * sum(real_s))  # a fusion bills both members
    assert fused.transcript_s == pytest.approx(3 * 0.8 + 2.2)
    assert all(r.cached == 0 and r.audio_sent_cached_s == 0 for r in first.rows)

    second = await run_evaluation(recs, ["scripted", "whole"], out_dir=tmp_path / "out", engine_factory=Factory())
    assert (second.runs, second.cache_hits) == (0, 6)
    again = {r.engine: r for r in second.rows}
    for engine in ("scripted", "whole"):
        assert again[engine].audio_sent_s == 0.0  # nothing sent in this run
        assert again[engine].audio_sent_cached_s == pytest.approx(sum(real_s))  # what the first run sent
        assert again[engine].cached == 3
        assert again[engine].transcript_s == pytest.approx(rows[engine].transcript_s)
    assert all(s.cached and s.audio_sent_s == 0.0 for s in second.scores)
    paths = write_reports(second, tmp_path / "out", html=False)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    row = next(r for r in data["rows"] if r["engine"] == "whole")
    assert row["audio_sent_s"] == 0.0 and row["audio_sent_cached_s"] == pytest.approx(4.4) and row["cached"] == 3
    per = next(p for p in data["per_recording"] if p["engine"] == "whole" and p["recording_id"] == "r0")
    assert per["cached"] and per["audio_sent_s"] == 0.0 and per["audio_sent_cached_s"] == pytest.approx(1.2)
    assert "0.0 s + 4.4 s cached" in paths["markdown"].read_text(encoding="utf-8")

    # a cache entry written before audio was counted says so instead of passing for zero
    for path in (tmp_path / "out" / "cache").rglob("*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        del entry["audio_sent_s"]
        path.write_text(json.dumps(entry), encoding="utf-8")
    old = await run_evaluation(recs, ["whole"], out_dir=tmp_path / "out", engine_factory=Factory())
    (old_row,) = old.rows
    assert old_row.audio_sent_s == 0.0 and old_row.audio_sent_cached_s is None


def test_pick_mode() -> None:
    assert pick_mode(_scripted()) == "stream"
    assert pick_mode(WholeFileSTT("x")) == "recognize"
    assert pick_mode(_scripted(), "recognize") == "recognize"
    with pytest.raises(ConfigurationError):
        pick_mode(WholeFileSTT("x"), "stream")


def test_fusion_groups() -> None:
    assert fusion_groups(["a"]) == []
    assert fusion_groups(["a", "b"]) == [("a", "b")]
    assert fusion_groups(["a", "b", "c", "a"]) == [("a", "b"), ("a", "c"), ("b", "c"), ("a", "b", "c")]


async def test_fusion_rows(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, [1.2, 1.4], ["+4792345678", "+4741234567"])
    results = await run_evaluation(recs, ["scripted", "whole"], out_dir=tmp_path / "out", engine_factory=Factory())
    rows = {r.engine: r for r in results.rows}
    fused = rows["fusion:scripted+whole"]
    assert fused.n == 2 and fused.phone_n == 2
    assert fused.successes == 1  # both engines hear 92345678; only the first recording expects it
    assert fused.wer is None
    per = [s for s in results.scores if s.engine == "fusion:scripted+whole"]
    assert per[0].found == "+4792345678" and per[0].success


class DropsConnectionSTT(stt.STT[Any]):
    """Streaming fake like Azure after a connection failure: the first attempt of every stream fails with a
    retryable error, LiveKit retries, and the retry finds the input already consumed and ends with no transcript.
    ``healthy`` makes it a working engine (for the rerun)."""

    def __init__(self) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=False))
        self.healthy = False
        self.streams = 0

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        raise NotImplementedError

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.RecognizeStream:
        self.streams += 1
        return _DroppingStream(self, APIConnectOptions(max_retry=2, retry_interval=0.01, timeout=5.0))


class _DroppingStream(stt.RecognizeStream):
    def __init__(self, engine: DropsConnectionSTT, conn_options: APIConnectOptions) -> None:
        super().__init__(stt=engine, conn_options=conn_options, sample_rate=16000)
        self._engine = engine
        self._attempts = 0

    async def _run(self) -> None:
        from livekit.agents import APIConnectionError

        self._attempts += 1
        if self._engine.healthy:
            async for _ in self._input_ch:
                pass
            data = stt.SpeechData(language=LanguageCode("nb"), text=SAID, confidence=0.9)
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data]))
            return
        if self._attempts == 1:
            async for _ in self._input_ch:
                raise APIConnectionError("ConnectionFailure")
        async for _ in self._input_ch:  # the retry: the input is gone, nothing to recognise
            pass


async def test_a_stream_that_failed_and_was_retried_is_cached_as_failed_and_retried_on_demand(tmp_path: Path) -> None:
    recs = _recordings(tmp_path, [1.0, 1.0], ["+4792345678", "+4792345678"])
    engine = DropsConnectionSTT()
    out = tmp_path / "out"
    first = await run_evaluation(recs, ["flaky"], out_dir=out, engine_factory=lambda spec: engine)
    assert all("ConnectionFailure" in (o.error or "") for o in first.outputs["flaky"].values())
    assert first.rows[0].failures == 2 and first.rows[0].successes == 0

    engine.healthy = True
    again = await run_evaluation(recs, ["flaky"], out_dir=out, engine_factory=lambda spec: engine)
    assert again.cache_hits == 2 and again.runs == 0 and again.rows[0].failures == 2  # cached, as failed

    streams = engine.streams
    retried = await run_evaluation(recs, ["flaky"], out_dir=out, engine_factory=lambda spec: engine, retry_failed=True)
    assert engine.streams == streams + 2 and retried.runs == 2
    assert retried.rows[0].failures == 0 and retried.rows[0].successes == 2


async def test_unusable_audio_files_are_named_before_any_engine_runs(tmp_path: Path) -> None:
    from sidecar_stt.errors import AudioError

    recs = _recordings(tmp_path, [1.0, 1.0, 1.0], ["+4792345678"] * 3)
    recs[0].audio.write_text("this is not audio\n", encoding="utf-8")
    soundfile.write(str(recs[1].audio), np.zeros(0, dtype=np.int16), 16000)
    factory = Factory()
    with pytest.raises(AudioError) as info:
        await run_evaluation(recs, ["scripted"], out_dir=tmp_path / "out", engine_factory=factory)
    message = str(info.value)
    assert "2 audio files cannot be used" in message and "r0.wav" in message and "r1.wav" in message
    assert "r2.wav" not in message and factory.built == []
