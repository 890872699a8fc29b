"""EngineRunner under faults: a transient fault never loses the engine, a permanent one fails once with its reason,
and memory stays bounded under an engine that stops taking audio or whose close hangs."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import aiohttp
import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectionError, APIConnectOptions, APIStatusError, LanguageCode, stt

from sidecar_stt.adapters.livekit.engine_runner import MAX_ABANDONED_STREAMS, EngineRunner
from sidecar_stt.core.segment import Segment

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(60)]

FRAME = rtc.AudioFrame(np.zeros(320, dtype=np.int16).tobytes(), 16000, 1, 320)


def _final(*alternatives: Any) -> stt.SpeechEvent:
    return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=list(alternatives))


def _data(text: Any = "ok", **fields: Any) -> stt.SpeechData:
    data = stt.SpeechData(language=LanguageCode("nb"), text="x")
    object.__setattr__(data, "text", text)
    for name, value in fields.items():
        object.__setattr__(data, name, value)
    return data


class _Stream(stt.RecognizeStream):
    def __init__(self, engine: _Engine, conn_options: APIConnectOptions) -> None:
        super().__init__(stt=engine, conn_options=conn_options)
        self.engine = engine

    def push_frame(self, frame: rtc.AudioFrame) -> None:
        if self.engine.pushes_fail > 0:
            self.engine.pushes_fail -= 1
            raise RuntimeError("socket is closed")
        super().push_frame(frame)
        self.engine.most_unread = max(self.engine.most_unread, self._input_ch.qsize())

    async def aclose(self) -> None:
        if self.engine.close_hangs:
            while self.engine.close_hangs:  # ignores its cancellation while the engine is stuck
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.Event().wait()
                if not self.engine.swallow_cancel:
                    break
        await super().aclose()

    async def _run(self) -> None:
        engine = self.engine
        if engine.close_hangs:
            raise aiohttp.ServerDisconnectedError()
        if engine.refusing:
            await asyncio.sleep(0)  # the vendor refuses the connection once the stream has been given its replay
            raise APIConnectionError("vendor unavailable")
        engine.working_origins_s.append(self.start_time_offset)
        if engine.never_reads or engine.streams >= engine.hangs_from_stream:
            await asyncio.Event().wait()
        # by the audio it is given, however it is batched: a fault after 0.1 s, an event every 0.2 s
        heard_s, next_event_s = 0.0, 0.2
        async for item in self._input_ch:
            if isinstance(item, rtc.AudioFrame):
                heard_s += item.samples_per_channel / item.sample_rate
            if engine.refusing:
                raise APIConnectionError("vendor connection lost")
            if heard_s >= 0.1 - 1e-9 and engine.raise_once is not None:
                error, engine.raise_once = engine.raise_once, None
                raise error
            while heard_s >= next_event_s - 1e-9:
                next_event_s += 0.2
                if not engine.silent:
                    self._event_ch.send_nowait(engine.events.pop(0) if engine.events else _final(_data("ok")))


class _Engine(stt.STT[Any]):
    def __init__(self) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=False))
        self.streams = 0
        self.open_fails: BaseException | None = None
        self.raise_once: BaseException | None = None
        self.pushes_fail = 0
        self.never_reads = False
        self.hangs_from_stream = 1_000_000  # the stream (counted from 1) from which every stream never reads
        self.close_hangs = False
        self.swallow_cancel = False
        self.refusing = False  # the live stream fails at its next frame, and every new one as it connects
        self.silent = False  # streams take audio and say nothing
        self.events: list[stt.SpeechEvent] = []
        self.most_unread = 0  # most frames a stream held pushed and not read
        self.working_origins_s: list[float] = []  # start_time_offset of each stream that connected

    async def _recognize_impl(self, buffer: Any, *, language: Any = None, conn_options: Any = None) -> Any:
        raise NotImplementedError

    def stream(self, *, language: Any = None, conn_options: Any = None) -> _Stream:
        self.streams += 1
        if self.open_fails is not None:
            error, self.open_fails = self.open_fails, None
            raise error
        return _Stream(self, conn_options)


class _Probe:
    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.failures: list[Any] = []
        self.recovered: list[Any] = []
        self.repairs: list[Any] = []


def _runner(engine: _Engine, probe: _Probe, **kwargs: Any) -> EngineRunner:
    options: dict[str, Any] = {
        "on_segment": probe.segments.append,
        "on_failure": probe.failures.append,
        "on_drop": lambda ev: None,
        "on_recovered": probe.recovered.append,
        "on_repair": probe.repairs.append,
        "clock": lambda: 0.0,
        "vad_model": None,
        "queue_max_s": 10.0,
        "replay_max_s": 60.0,
        "backoff_s": (0.01, 0.05),
        "max_restarts": 3,
        "slow_backoff_max_s": 0.2,
        "feed_interval_s": 0.01,
        "close_timeout_s": 0.05,
    }
    options.update(kwargs)
    runner = EngineRunner("azure", engine, **options)
    runner.start()
    return runner


async def _talk(runner: EngineRunner, seconds: float, start_s: float = 0.0, *, burst: int = 5) -> float:
    at_s = start_s
    for i in range(round(seconds / 0.02)):
        runner.offer(FRAME, at_s)
        at_s += 0.02
        if i % burst == burst - 1:
            await asyncio.sleep(0.012)
    return at_s


@pytest.mark.parametrize(
    "error",
    [
        KeyError("text"),
        ValueError("bad frame"),
        json.JSONDecodeError("Expecting value", "", 0),
        asyncio.IncompleteReadError(b"", 10),
        aiohttp.ServerDisconnectedError(),
        RuntimeError("stream task ended"),
        AttributeError("'NoneType' object has no attribute 'text'"),
    ],
    ids=lambda e: type(e).__name__,
)
async def test_one_transient_fault_restarts_the_engine_and_it_is_back(error: BaseException) -> None:
    engine, probe = _Engine(), _Probe()
    engine.raise_once = error
    runner = _runner(engine, probe)
    await _talk(runner, 1.0)
    await asyncio.sleep(0.1)
    await runner.aclose()
    assert not runner.stats.failed and runner.stats.restarts == 1 and runner.stats.recoveries == 1
    assert [(f.fault, f.will_restart) for f in probe.failures] == [("transient", True)]
    assert [r.attempts for r in probe.recovered] == [1]
    assert len([s for s in probe.segments if s.is_final]) >= 3


async def test_a_stream_that_cannot_be_opened_is_a_fault_like_any_other() -> None:
    engine, probe = _Engine(), _Probe()
    engine.open_fails = aiohttp.ServerDisconnectedError()
    runner = _runner(engine, probe)
    await _talk(runner, 0.6)
    await asyncio.sleep(0.1)
    await runner.aclose()
    assert not runner.stats.failed and runner.stats.restarts == 1 and engine.streams == 2
    assert probe.segments


async def test_a_permanent_fault_fails_the_engine_once_naming_the_reason() -> None:
    engine, probe = _Engine(), _Probe()
    engine.raise_once = APIStatusError("invalid key", status_code=401)
    runner = _runner(engine, probe)
    await _talk(runner, 0.6)
    await asyncio.sleep(0.1)
    await runner.aclose()
    assert runner.stats.failed and runner.stats.restarts == 0 and engine.streams == 1
    assert [(f.fault, f.will_restart, f.retryable) for f in probe.failures] == [("authentication", False, False)]


async def test_pushes_that_fail_in_the_live_feed_and_in_the_replay_are_restarted_until_they_work() -> None:
    engine, probe = _Engine(), _Probe()
    runner = _runner(engine, probe)
    at_s = await _talk(runner, 0.4)
    engine.pushes_fail = 5  # the live push, then the replay push of the next restarts
    await _talk(runner, 2.0, at_s)
    await asyncio.sleep(0.3)
    await runner.aclose()
    assert not runner.stats.failed and runner.stats.restarts >= 3 and runner.stats.recoveries == 1
    assert any(f.backoff_s == pytest.approx(0.1) for f in probe.failures)  # past 3 quick ones: the slow wait


async def test_malformed_events_are_repaired_and_counted_and_the_engine_stays() -> None:
    engine, probe = _Engine(), _Probe()
    engine.events = [
        _final(None),
        _final(_data("ni", metadata=[1, 2])),
        _final(_data("to", confidence="high")),
        _final(_data("tre", words=42)),
        _final(_data("fire")),
    ]
    runner = _runner(engine, probe)
    await _talk(runner, 1.2)
    await asyncio.sleep(0.1)
    await runner.aclose()
    assert not runner.stats.failed and runner.stats.restarts == 0
    assert [s.text for s in probe.segments][:4] == ["ni", "to", "tre", "fire"]
    assert runner.stats.repaired == 4 == len(probe.repairs)
    assert probe.segments[0].alternatives[0].metadata == {}


async def test_a_stream_that_stops_taking_audio_is_restarted_without_a_caller_turn() -> None:
    engine, probe = _Engine(), _Probe()
    engine.never_reads = True
    runner = _runner(engine, probe, queue_max_s=1.0, replay_max_s=2.0)
    peak = 0
    at_s = 0.0
    for _ in range(20):  # 20 s of a silent caller, as fast as the runner takes it
        at_s = await _talk(runner, 1.0, at_s, burst=25)
        peak = max(peak, runner._queue.__len__() + _backlog(runner))
    await runner.aclose()
    assert runner.stats.hung_streams >= 3 and not runner.stats.failed
    # held at most: the queue (1 s), the replay given at open (2 s), the backlog past it (1 s), a batch
    assert peak <= (1.0 + 2.0 + 1.0 + 1.0) / 0.02


def _backlog(runner: EngineRunner) -> int:
    import gc

    return max((s._input_ch.qsize() for s in gc.get_objects() if isinstance(s, _Stream)), default=0)


async def test_a_hung_close_is_abandoned_and_cancelled_so_none_piles_up() -> None:
    engine, probe = _Engine(), _Probe()
    engine.close_hangs = True  # every stream fails at once, and its close hangs until cancelled
    runner = _runner(engine, probe, backoff_s=(0.005, 0.01), slow_backoff_max_s=0.01)
    await _talk(runner, 1.0)
    await asyncio.sleep(1.0)
    assert runner.stats.abandoned_streams >= 5 and len(runner._abandoned) <= 1
    await asyncio.wait_for(runner.aclose(), 5.0)


async def test_closes_that_ignore_cancellation_are_capped() -> None:
    engine, probe = _Engine(), _Probe()
    engine.close_hangs = engine.swallow_cancel = True
    runner = _runner(engine, probe, backoff_s=(0.005, 0.01), slow_backoff_max_s=0.01)
    await _talk(runner, 1.0)
    await asyncio.sleep(1.0)
    assert len(runner._abandoned) == runner.stats.abandoned_streams == MAX_ABANDONED_STREAMS  # no more pile up
    await asyncio.wait_for(runner.aclose(), 5.0)  # the runner itself stops
    engine.close_hangs = False  # let the stuck closes end, so the test's loop can
    for task in list(runner._abandoned):
        task.cancel()
    await asyncio.sleep(0.05)
    assert not runner._abandoned


async def test_a_restarted_stream_that_takes_no_audio_is_not_taken_for_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.adapters.livekit import engine_runner

    monkeypatch.setattr(engine_runner, "RECOVERED_AFTER_S", 0.05)
    engine, probe = _Engine(), _Probe()
    engine.raise_once = aiohttp.ServerDisconnectedError()
    engine.hangs_from_stream = 2  # the restarted stream accepts pushes but never reads them
    runner = _runner(engine, probe)
    at_s = 0.0
    for _ in range(10):
        at_s = await _talk(runner, 0.2, at_s)
        await asyncio.sleep(0.02)
    assert runner.stats.restarts == 1 and probe.recovered == [] and runner.stats.recoveries == 0
    await runner.aclose()


async def _talk_live(runner: EngineRunner, seconds: float, start_s: float = 0.0) -> float:
    """Caller audio at twice real time (a vendor's outage lasts wall time)."""
    at_s = start_s
    for _ in range(round(seconds / 0.1)):
        at_s = await _talk(runner, 0.1, at_s, burst=1000)
        await asyncio.sleep(0.05)
    return at_s


async def test_an_outage_longer_than_the_queue_replays_only_its_newest_audio() -> None:
    engine, probe = _Engine(), _Probe()
    runner = _runner(engine, probe, queue_max_s=1.0)
    at_s = await _talk_live(runner, 0.6)
    engine.refusing = True
    at_s = await _talk_live(runner, 4.0, at_s)  # refused again and again for 4 s of audio
    engine.refusing = False
    back_at_s = at_s
    at_s = await _talk_live(runner, 1.0, at_s)
    await runner.aclose()
    assert runner.stats.restarts >= 3 and runner.stats.recoveries == 1 and not runner.stats.failed
    # the stream that connected began at most queue_max_s (and a batch) before the vendor was back
    assert engine.working_origins_s[-1] >= back_at_s - 1.0 - 0.2
    # no stream, refused or not, was handed the whole outage: at most the queue and a batch of the live feed
    assert engine.most_unread <= (1.0 + 0.2) / 0.02
    assert any(s.is_final and s.start_s >= back_at_s - 1.2 for s in probe.segments)


async def test_a_slow_restart_wait_is_cut_short_while_transcription_is_wanted() -> None:
    wanted = False
    runners: list[tuple[_Engine, EngineRunner]] = []
    for hurried in (True, False):
        engine = _Engine()
        engine.refusing = True
        # one quick restart, then waits of 2 s and more; while wanted, 1 s at most
        options: dict[str, Any] = {"backoff_s": (0.01, 1.0), "max_restarts": 1, "slow_backoff_max_s": 60.0}
        if hurried:
            options["wanted"] = lambda: wanted
        runners.append((engine, _runner(engine, _Probe(), **options)))
    at_s = await _talk_live(runners[0][1], 0.1)
    await asyncio.sleep(0.2)
    assert [e.streams for e, _ in runners] == [2, 2]  # both in their 2 s wait
    await asyncio.sleep(1.0)
    wanted = True  # a capture reads: past 1 s of the wait, the hurried engine is restarted at once
    runners[0][1].hurry()
    await asyncio.sleep(0.2)
    assert [e.streams for e, _ in runners] == [3, 2]
    for _, runner in runners:
        await runner.aclose()
    del at_s


async def test_the_watchdog_restarts_a_stream_that_took_its_audio_once_per_silence() -> None:
    engine, probe = _Engine(), _Probe()
    engine.silent = True  # hears nothing (or its connection stopped answering): takes audio, says nothing
    runner = _runner(engine, probe)
    at_s = await _talk_live(runner, 0.5)
    assert runner.restart_stalled()  # the first silence: a restart tells a stuck connection from deaf ears
    at_s = await _talk_live(runner, 0.5, at_s)
    assert engine.streams == 2
    assert not runner.restart_stalled()  # silent again after the restart: left alone
    assert not runner.restart_stalled()
    engine.silent = False
    at_s = await _talk_live(runner, 0.5, at_s)  # it speaks again
    engine.silent = True
    at_s = await _talk_live(runner, 0.5, at_s)
    assert runner.restart_stalled()  # a new silence after it spoke: one restart again
    await _talk_live(runner, 0.3, at_s)
    await runner.aclose()
    assert engine.streams == 3 and runner.stats.restarts == 2


async def test_the_watchdog_restarts_a_stream_that_stopped_taking_audio_every_time() -> None:
    engine, probe = _Engine(), _Probe()
    engine.hangs_from_stream = 1  # every stream stops reading
    runner = _runner(engine, probe)
    at_s = 0.0
    for streams in (1, 2, 3):
        at_s = await _talk_live(runner, 1.5, at_s)  # more than STALLED_INPUT_S unread, less than queue_max_s
        assert engine.streams == streams and runner.restart_stalled()
        await asyncio.sleep(0.1)
    await runner.aclose()
    assert runner.stats.restarts == 3
