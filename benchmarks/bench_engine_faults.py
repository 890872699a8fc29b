"""One engine's faults against one ``EngineRunner``: what each fault does to the engine for the rest of the call.

Each case builds a fresh runner over a fault-injecting LiveKit ``stt.STT`` (no cloud service) and feeds it caller
audio at a fast pace (frames are offered as quickly as the runner takes them; backoffs are scaled down 10×: the
quick restarts wait 0.02–0.5 s, the slow ones up to 3 s). Cases:

- ``transient_<Error>``: a stream raises that error once mid-call; ``lost`` = the engine was given up,
  ``back`` = it delivered a final after the fault.
- ``push_raises``: ``push_frame`` raises ``RuntimeError`` on every push for 1.5 s (the vendor's socket is gone),
  the replay push at reopen included; then it works: ``lost_after_s`` from the first failing push, or
  ``back_after_s`` from the pushes working again to the engine's next final.
- ``malformed_<shape>``: one final with ``alternatives=[None]``, ``metadata`` as a list, a confidence that is a
  string, words that are not a list; the engine must stay and deliver the next final.
- ``outage``: every stream fails for 4.5 s (a 45 s outage scaled 1/10), then the vendor is back:
  ``back_after_s`` is from the vendor's return to the engine's next final; ``most_unread_frames`` the most frames
  a stream held pushed and not read (a refused stream holds what it was given). ``outage_capture``: the same, and
  a capture opens as the vendor comes back (the runner's ``wanted`` turns true and it is hurried, where the runner
  has them).
  ``push_raises``, ``outage`` and ``outage_capture`` run 3 fresh passes: ``lost``/``back`` count them,
  ``back_after_s`` is spread min/median/max, the other figures are the first pass's.
- ``hung_input``: a stream that never reads its input while 30 minutes (``BENCH_HUNG_CALL_MIN``) of a silent
  caller's audio arrive: ``peak_backlog_frames`` in the stream's own input; ``held_mb_at_10min``/``_end`` traced
  memory still held (after a collection) after 10 minutes and at the end; ``peak_mb`` the traced peak
  (uncollected garbage included).
- ``words_<n>``: one final with n word timings, 5 fresh ones: the runner's and the ledger's CPU time for each
  (``block_ms_min/median/max``).
- ``hung_close``: every stream fails at once and its ``aclose()`` never returns (``swallows`` even ignores
  cancellation): ``pending`` closes left after 3 s; ``runner_closed`` whether the runner's own close returned;
  ``still_running_after_close`` closes still running after it (those keep ``asyncio.run``, so the process,
  from ending: the bench releases them itself).
- ``handler_<Error>``: an app's ``phone_number_confirmed`` handler raises: ``escapes`` = the exception reached the
  code that emitted; ``logs_number`` = log records holding the number.

Run against any checkout (``PYTHONPATH=<src>``): the script uses only what every version of the runner has.
Prints ``RESULT case=<name> key=value ...`` per case; arguments: the numbers (from 0) of the cases to run.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import logging
import os
import statistics
import sys
import time
import tracemalloc
import weakref
from collections.abc import Callable
from typing import Any

import aiohttp
from livekit import rtc
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectionError, APIConnectOptions, LanguageCode, stt
from livekit.agents.types import TimedString
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from sidecar_stt.adapters.livekit.engine_runner import EngineRunner
from sidecar_stt.core.ledger import TranscriptLedger
from sidecar_stt.core.segment import Segment

SR = 16000


def data(text: Any = "ok", **fields: Any) -> stt.SpeechData:
    d = stt.SpeechData(language=LanguageCode("nb"), text="x", start_time=0.0, end_time=0.0)
    object.__setattr__(d, "text", text)
    for k, v in fields.items():
        object.__setattr__(d, k, v)
    return d


def final(*alternatives: Any) -> stt.SpeechEvent:
    return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=list(alternatives))


class FaultStream(stt.RecognizeStream):
    def __init__(self, engine: FaultEngine, conn_options: APIConnectOptions) -> None:
        super().__init__(stt=engine, conn_options=conn_options)
        self.engine = engine
        engine.live.add(self)
        engine.streams += 1
        self.number = engine.streams

    def push_frame(self, frame: rtc.AudioFrame) -> None:
        if self.engine.push_raises_until > time.monotonic():
            raise RuntimeError("socket is closed")
        super().push_frame(frame)
        self.engine.most_unread = max(self.engine.most_unread, self._input_ch.qsize())

    async def aclose(self) -> None:
        if self.engine.close_hangs:
            if self.engine.close_swallows:
                while self.engine.close_hangs:
                    try:
                        await asyncio.Event().wait()
                    except asyncio.CancelledError:
                        continue
            else:
                await asyncio.Event().wait()
        await super().aclose()

    async def _run(self) -> None:
        engine = self.engine
        if engine.down_until > time.monotonic() or engine.close_hangs:
            raise APIConnectionError("vendor down")
        if engine.never_reads:
            await asyncio.Event().wait()
        heard = 0
        async for _ in self._input_ch:
            heard += 1
            if engine.down_until > time.monotonic():
                raise APIConnectionError("vendor down")
            if heard == 10 and engine.raise_once is not None:
                error, engine.raise_once = engine.raise_once, None
                raise error
            if heard % 25 == 0:
                event = engine.events.pop(0) if engine.events else final(data("ok"))
                self._event_ch.send_nowait(event)


class FaultEngine(stt.STT[Any]):
    def __init__(self) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=False))
        self.streams = 0
        self.live: weakref.WeakSet[FaultStream] = weakref.WeakSet()
        self.raise_once: BaseException | None = None
        self.push_raises_until = 0.0
        self.down_until = 0.0
        self.never_reads = False
        self.close_hangs = False
        self.close_swallows = False
        self.events: list[stt.SpeechEvent] = []
        self.most_unread = 0

    async def _recognize_impl(self, buffer: Any, *, language: Any = None, conn_options: Any = None) -> Any:
        raise NotImplementedError

    def stream(self, *, language: Any = None, conn_options: Any = DEFAULT_API_CONNECT_OPTIONS) -> FaultStream:
        return FaultStream(self, conn_options)


class Probe:
    def __init__(self) -> None:
        self.finals: list[tuple[float, Segment]] = []
        self.failures: list[Any] = []
        self.recovered: list[Any] = []


def runner_for(engine: FaultEngine, probe: Probe, **extra: Any) -> EngineRunner:
    kwargs: dict[str, Any] = {
        "on_segment": lambda s: probe.finals.append((time.monotonic(), s)) if s.is_final else None,
        "on_failure": probe.failures.append,
        "on_drop": lambda ev: None,
        "clock": lambda: 0.0,
        "vad_model": None,
        "queue_max_s": 10.0,
        "replay_max_s": 60.0,
        "backoff_s": (0.02, 0.5),
        "max_restarts": 10,
        "feed_interval_s": 0.01,
        "restart_window_s": 6.0,
        "close_timeout_s": 0.1,
    }
    accepted = inspect.signature(EngineRunner).parameters
    if "on_recovered" in accepted:
        kwargs["on_recovered"] = probe.recovered.append
    if "slow_backoff_max_s" in accepted:
        kwargs["slow_backoff_max_s"] = 3.0
    kwargs.update({k: v for k, v in extra.items() if k in accepted})
    runner = EngineRunner("azure", engine, **kwargs)
    runner.start()
    return runner


HUNG_CALL_MIN = float(os.environ.get("BENCH_HUNG_CALL_MIN", "30"))
"""Minutes of caller audio in the ``hung_input`` case."""


async def talk(runner: EngineRunner, seconds: float, *, start_s: float = 0.0, pace: float = 1.0) -> float:
    """Offer ``seconds`` of audio (a fresh 20 ms frame each, as from the tap), at ``pace`` times real time (0: as
    fast as the runner takes it)."""
    at_s = start_s
    for i in range(round(seconds / 0.02)):
        runner.offer(rtc.AudioFrame(bytes(640), SR, 1, 320), at_s)
        at_s += 0.02
        if pace:
            await asyncio.sleep(0.02 / pace)
        elif i % 50 == 49:
            await asyncio.sleep(0.011)
    return at_s


def result(case: str, **values: Any) -> None:
    shown = " ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items())
    print(f"RESULT case={case} {shown}", flush=True)


async def transient(name: str, error: BaseException) -> None:
    engine, probe = FaultEngine(), Probe()
    engine.raise_once = error
    runner = runner_for(engine, probe)
    await talk(runner, 3.0, pace=4)
    await asyncio.sleep(0.3)
    back = any(t > 0 for t, _ in probe.finals) and engine.streams > 1 and len(probe.finals) >= 3
    result(f"transient_{name}", lost=runner.stats.failed, back=back, restarts=runner.stats.restarts)
    await runner.aclose()


async def push_raises() -> None:
    await _passes("push_raises", _push_raises_once)


async def outage() -> None:
    await _passes("outage", _outage_once)


async def outage_capture() -> None:
    await _passes("outage_capture", lambda: _outage_once(capture=True))


async def _passes(case: str, once: Callable[[], Any], passes: int = 3) -> None:
    """``passes`` fresh runs of a case: its outcome in each, and the spread of ``back_after_s``."""
    outcomes = [await once() for _ in range(passes)]
    back = sorted(o["back_after_s"] for o in outcomes if o["back"])
    spread = (
        {"back_after_s_min": back[0], "back_after_s_median": statistics.median(back), "back_after_s_max": back[-1]}
        if back
        else {}
    )
    result(
        case,
        passes=passes,
        lost=sum(o["lost"] for o in outcomes),
        back=sum(o["back"] for o in outcomes),
        **({k: v for k, v in outcomes[0].items() if k not in ("lost", "back", "back_after_s")}),
        **spread,
    )


async def _push_raises_once() -> dict[str, Any]:
    engine, probe = FaultEngine(), Probe()
    runner = runner_for(engine, probe)
    at_s = await talk(runner, 0.5, pace=4)
    engine.push_raises_until = time.monotonic() + 1.5
    fault_at = time.monotonic()
    while time.monotonic() < engine.push_raises_until + 6.0 and not runner.stats.failed:
        at_s = await talk(runner, 0.5, start_s=at_s, pace=1)
        if any(t > engine.push_raises_until for t, _ in probe.finals):
            break
    after = [t for t, _ in probe.finals if t > engine.push_raises_until]
    await runner.aclose()
    return {
        "lost": runner.stats.failed,
        "lost_after_s": (time.monotonic() - fault_at) if runner.stats.failed else -1.0,
        "failures": len(probe.failures),
        "back": bool(after),
        "back_after_s": (after[0] - engine.push_raises_until) if after else -1.0,
    }


async def malformed(name: str, event: stt.SpeechEvent) -> None:
    engine, probe = FaultEngine(), Probe()
    engine.events = [final(data("ok")), event]
    runner = runner_for(engine, probe)
    await talk(runner, 2.5, pace=4)
    await asyncio.sleep(0.2)
    result(
        f"malformed_{name}",
        lost=runner.stats.failed,
        finals_after=len(probe.finals) - 1,
        repaired=runner.stats.repaired,
    )
    await runner.aclose()


async def _outage_once(*, capture: bool = False) -> dict[str, Any]:
    engine, probe = FaultEngine(), Probe()
    wanted = False
    runner = runner_for(engine, probe, wanted=lambda: wanted)

    def open_capture() -> None:
        nonlocal wanted
        wanted = True
        getattr(runner, "hurry", lambda: None)()

    at_s = await talk(runner, 0.5, pace=4)
    engine.down_until = time.monotonic() + 4.5  # the live stream fails at its next frame, and every new one
    if capture:
        asyncio.get_running_loop().call_later(4.5, open_capture)
    at_s = await talk(runner, 0.3, start_s=at_s, pace=1)
    while time.monotonic() < engine.down_until + 6.0:
        at_s = await talk(runner, 0.5, start_s=at_s, pace=1)
        if any(t > engine.down_until for t, _ in probe.finals):
            break
    after = [t for t, _ in probe.finals if t > engine.down_until]
    await runner.aclose()
    return {
        "lost": runner.stats.failed,
        "back": bool(after),
        "back_after_s": (after[0] - engine.down_until) if after else -1.0,
        "restarts": runner.stats.restarts,
        "recovered_events": len(probe.recovered),
        "most_unread_frames": engine.most_unread,
    }


async def hung_input() -> None:
    engine, probe = FaultEngine(), Probe()
    engine.never_reads = True
    tracemalloc.start()
    runner = runner_for(engine, probe, queue_max_s=10.0, replay_max_s=60.0)
    peak_backlog = 0
    at_s = 0.0
    held_mb: list[float] = []
    for _ in range(round(HUNG_CALL_MIN * 60 / 50)):  # 50 s at a time
        at_s = await talk(runner, 50.0, start_s=at_s, pace=0)
        peak_backlog = max([peak_backlog, *(stream._input_ch.qsize() for stream in engine.live)])
        gc.collect()  # what is still held, not the garbage the collector has yet to free
        held_mb.append(tracemalloc.get_traced_memory()[0] / 1e6)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result(
        "hung_input",
        audio_min=at_s / 60,
        peak_backlog_frames=peak_backlog,
        held_mb_at_10min=held_mb[11],
        held_mb_at_end=held_mb[-1],
        peak_mb=peak / 1e6,
        lost=runner.stats.failed,
        restarts=runner.stats.restarts,
    )
    await runner.aclose()


async def words(n: int, passes: int = 5) -> None:
    """``passes`` fresh finals of ``n`` words each: the runner's and the ledger's CPU time (min/median/max)."""
    blocks: list[float] = []
    kept = 0
    for p in range(passes):
        engine, probe = FaultEngine(), Probe()
        runner = runner_for(engine, probe)
        at_s = await talk(runner, 1.0, pace=0)
        ledger = TranscriptLedger()
        timed = [TimedString(f"w{p}x{i}", start_time=0.0, end_time=0.01) for i in range(n)]
        event = final(data(" ".join(str(w) for w in timed[:500]), words=timed, start_time=0.0, end_time=at_s))
        runner._on_segment = ledger.add  # type: ignore[attr-defined]  # the ledger's door, as the pool wires it
        began = time.thread_time()
        runner._take_event(event)  # type: ignore[attr-defined]
        blocks.append((time.thread_time() - began) * 1000)
        kept = max((len(s.alternatives[0].words) for s in ledger.segments() if s.alternatives), default=0)
        await runner.aclose()
    blocks.sort()
    result(
        f"words_{n}",
        block_ms_min=blocks[0],
        block_ms_median=statistics.median(blocks),
        block_ms_max=blocks[-1],
        words_kept=kept,
    )


async def hung_close(swallows: bool) -> None:
    engine, probe = FaultEngine(), Probe()
    engine.close_hangs, engine.close_swallows = True, swallows
    runner = runner_for(engine, probe, close_timeout_s=0.05, backoff_s=(0.01, 0.05))
    await talk(runner, 3.0, pace=1)
    abandoned = list(runner._abandoned)  # type: ignore[attr-defined]
    try:
        await asyncio.wait_for(runner.aclose(), 5.0)
        runner_closed = True
    except TimeoutError:
        runner_closed = False
    await asyncio.sleep(0.1)
    result(
        "hung_close_swallows" if swallows else "hung_close",
        pending=len(abandoned),
        abandoned=runner.stats.abandoned_streams,
        lost=runner.stats.failed,
        runner_closed=runner_closed,
        still_running_after_close=sum(not t.done() for t in abandoned),
    )
    engine.close_hangs = False  # the bench's own clean-up: a close that swallows cancellation would keep
    for task in abandoned:  # asyncio.run (and so the process) from ending
        task.cancel()
    await asyncio.gather(*abandoned, return_exceptions=True)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage() + json.dumps({k: str(v) for k, v in record.__dict__.items()})
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if record.levelno >= logging.INFO:
            self.texts.append(text)


async def handler(error: type[Exception]) -> None:
    from sidecar_stt import Sidecar

    number = "+4792345678"
    sidecar = Sidecar({"azure": FaultEngine()})

    def app_handler(ev: Any) -> None:
        raise error(f"no customer for {number}")

    sidecar.on("phone_number_confirmed", app_handler)
    records = _Records()
    for name in ("livekit", "sidecar_stt"):
        logging.getLogger(name).addHandler(records)
        logging.getLogger(name).setLevel(logging.DEBUG)
    escapes = False
    try:
        sidecar.emit("phone_number_confirmed", {"e164": number})
    except Exception:
        escapes = True
    for name in ("livekit", "sidecar_stt"):
        logging.getLogger(name).removeHandler(records)
        logging.getLogger(name).setLevel(logging.NOTSET)
    result(f"handler_{error.__name__}", escapes=escapes, logs_number=sum(number in t for t in records.texts))


def _request_info() -> aiohttp.RequestInfo:
    url = URL("wss://stt.example/v1/listen")
    return aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)


async def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)
    cases: list[Callable[[], Any]] = [
        lambda: transient("KeyError", KeyError("text")),
        lambda: transient("ValueError", ValueError("bad frame")),
        lambda: transient("ServerDisconnectedError", aiohttp.ServerDisconnectedError()),
        lambda: transient(
            "WSServerHandshakeError",
            aiohttp.WSServerHandshakeError(request_info=_request_info(), history=(), status=503),
        ),
        lambda: transient("IncompleteReadError", asyncio.IncompleteReadError(b"", 10)),
        lambda: transient("JSONDecodeError", json.JSONDecodeError("Expecting value", "", 0)),
        push_raises,
        lambda: malformed("alternatives_none", final(None)),
        lambda: malformed("metadata_list", final(data("ok", metadata=[1, 2]))),
        lambda: malformed("confidence_str", final(data("ok", confidence="high"))),
        lambda: malformed("words_not_list", final(data("ok", words=42))),
        outage,
        hung_input,
        lambda: words(25_000),
        lambda: words(250_000),
        lambda: hung_close(False),
        lambda: hung_close(True),
        lambda: handler(TypeError),
        lambda: handler(ValueError),
        outage_capture,
    ]
    only = sys.argv[1:]  # case numbers (from 0) to run, or all
    for i, case in enumerate(cases):
        if not only or str(i) in only:
            await case()


if __name__ == "__main__":
    asyncio.run(main())
