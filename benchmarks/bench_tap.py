"""Process CPU per second of caller audio with a sidecar against without, measured over the whole process.

Each call is a real AgentSession + RealtimeModel against FakeRealtimeServer, the caller's audio played at real
time, with a ScriptedEngine sidecar engine (which does almost no work of its own). Around each call the process CPU
is taken (``time.process_time``: every thread of the process, so work handed to native threads such as a BLAS
pool counts), divided by the seconds of caller audio. Calls run in interleaved pairs (without a sidecar, then with
one engine), each call on freshly synthesised utterances (different words and numbers each pass), after one
warm-up call of each kind; the ratio is taken per pair and its spread printed. The Sidecar's own loop-thread time
(:attr:`Sidecar.cpu_s`) is printed beside it, as a share of the call, for where the cost lies. The target leaves
the engine's own work out: every task the engine's stream runs (LiveKit's stream machinery and the scripted
engine's work on the frames it is given: what a real engine's own client stands for; :data:`ENGINE_TASKS`) is
timed, step by step, in loop-thread time and subtracted from the call with a sidecar, for
``RESULT cpu_ratio_engine_excluded=…`` beside the raw ratio. Pushing frames into the stream and reading its events
stay the sidecar's.

The optional parts are switched per run: ``--keypad-tones off`` (no search for keypad tones in the caller's audio;
on by default, as in a call whose room is not known: none is given here), ``--recording`` (a
:class:`~sidecar_stt.recording.CallRecorder` writing the call into a temporary folder) and ``--on-demand``
(``SidecarOptions(on_demand=True)``: nobody asks for a number in these calls, so the engines never start and the
sidecar only keeps the caller audio in its ring buffer — the cost of a call that never needs them).

Last line: ``RESULT cpu_ratio=<median with/without> min=<..> median=<..> max=<..> cpu_per_audio_s=<with, median>
cpu_per_audio_s_without=<median> sidecar_own_share=<median> frames_dropped=<n> target=1.1 memory_mb=<..>
memory_mb_without=<..> keypad_tones=<on|off> recording=<on|off> on_demand=<on|off> feed_interval_s=<..>
frame_ms=<..>``: the
memory figures are the peak memory (tracemalloc: Python objects and numpy arrays) of one more call with and one
without a sidecar. The line before it, ``RESULT cpu_ratio_engine_excluded=<median> min=<..> median=<..> max=<..>
engine_cpu_per_audio_s=<median> cpu_ratio_speech_check_excluded=<median>``, is the same ratio with the engine's
own work subtracted (and, for comparison with earlier runs, with only its speech check subtracted).
``--feed-interval-s`` sets how often frames are handed to the engines (what batching them saves);
``--frame-ms`` the caller's frame length (default 50 ms, what LiveKit's RoomIO delivers; runs before this option
existed used 20 ms frames).
"""

from __future__ import annotations

import argparse
import asyncio
import collections.abc
import contextlib
import dataclasses
import logging
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from livekit import rtc
from livekit.agents import Agent

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.recording import CallRecorder
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import CallerAudioInput, planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

OPENINGS = [
    "hei, jeg ringer om en bestilling jeg gjorde i forrige uke",
    "god dag, jeg lurte på om dere har ledige timer på torsdag",
    "hallo, jeg vil gjerne endre adressen på abonnementet mitt",
    "hei, jeg har et spørsmål om fakturaen som kom i går",
]
CLOSINGS = [
    "ja, det stemmer, tusen takk for hjelpen",
    "nei, det var alt for i dag, ha det bra",
    "flott, takk skal du ha",
]
TENS = ["tjue", "tretti", "førti", "femti", "seksti", "sytti", "åtti", "nitti"]
ONES = ["en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]


class TimedScriptedEngine(ScriptedEngine):
    """A :class:`ScriptedEngine` that times its own speech check on each frame it is given (part of the engine's
    work; :class:`EngineTasks` times all of it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cpu_s = 0.0

    def _hear(self, frame: rtc.AudioFrame, start_s: float) -> None:
        began = time.thread_time()
        super()._hear(frame, start_s)
        self.cpu_s += time.thread_time() - began


ENGINE_TASKS = ("RecognizeStream._main_task", "RecognizeStream._metrics_monitor_task", "ScriptedStream._run.")
"""What an engine's stream runs in its own tasks (LiveKit's stream machinery and the scripted engine's work on the
frames it is given and the events it sends): the engine's own work, left out of the target. Pushing frames and
reading events run in the sidecar's tasks and count as the sidecar's."""


class _TimedCoroutine(collections.abc.Coroutine[Any, Any, Any]):
    """A coroutine whose every step's thread time is added to ``account``."""

    def __init__(self, coro: collections.abc.Coroutine[Any, Any, Any], account: list[float]) -> None:
        self._coro, self._account = coro, account

    def send(self, value: Any) -> Any:
        began = time.thread_time()
        try:
            return self._coro.send(value)
        finally:
            self._account[0] += time.thread_time() - began

    def throw(self, *args: Any) -> Any:
        began = time.thread_time()
        try:
            return self._coro.throw(*args)
        finally:
            self._account[0] += time.thread_time() - began

    def close(self) -> None:
        self._coro.close()

    def __next__(self) -> Any:
        return self.send(None)

    def __await__(self) -> Any:
        return self


class EngineTasks:
    """While installed as the loop's task factory, times every task an engine's stream starts
    (:data:`ENGINE_TASKS`); :attr:`cpu_s` is their thread time."""

    def __init__(self) -> None:
        self._account = [0.0]

    @property
    def cpu_s(self) -> float:
        return self._account[0]

    def __call__(
        self, loop: asyncio.AbstractEventLoop, coro: collections.abc.Coroutine[Any, Any, Any], **kwargs: Any
    ) -> asyncio.Task[Any]:
        name = getattr(getattr(coro, "cr_code", None), "co_qualname", "")
        if name.startswith(ENGINE_TASKS):
            coro = _TimedCoroutine(coro, self._account)
        return asyncio.Task(coro, loop=loop, **kwargs)

    @contextlib.contextmanager
    def installed(self) -> Iterator[EngineTasks]:
        loop = asyncio.get_running_loop()
        before = loop.get_task_factory()
        loop.set_task_factory(self)
        try:
            yield self
        finally:
            loop.set_task_factory(before)


def fresh_texts(rng: random.Random) -> list[str]:
    pairs = " ".join(rng.choice(TENS) + rng.choice(ONES) for _ in range(4))
    return [rng.choice(OPENINGS), f"nummeret mitt er {pairs}", rng.choice(CLOSINGS)]


@dataclasses.dataclass(frozen=True)
class Engine:
    """The engine's own CPU in one call: its stream's tasks, and the speech check within them."""

    cpu_s: float = 0.0
    speech_check_s: float = 0.0


@dataclasses.dataclass(frozen=True)
class Parts:
    """The sidecar's optional parts switched on in a run."""

    keypad_tones: bool = True
    recording: bool = False
    on_demand: bool = False
    feed_interval_s: float = SidecarOptions.feed_interval_s
    """How often frames are handed to the engines (not an optional part: the batching's cost, for comparison)."""
    frame_ms: int = 50
    """The caller's frame length (not a part of the sidecar): LiveKit's RoomIO hands the session 24 kHz mono frames
    of 50 ms (``RoomInputOptions.audio_frame_size_ms``), SIP callers included; shorter frames cost both calls more
    per audio second."""

    def describe(self) -> str:
        onoff = {True: "on", False: "off"}
        return (
            f"keypad_tones={onoff[self.keypad_tones]} recording={onoff[self.recording]} "
            f"on_demand={onoff[self.on_demand]} feed_interval_s={self.feed_interval_s:g} frame_ms={self.frame_ms}"
        )


async def one_call(
    n_engines: int,
    texts: list[str],
    pcms: list[Any],
    speed: float,
    load: Callable[[], AbstractContextManager[Any]],
    parts: Parts = Parts(),
) -> tuple[float, float, float, int, Engine]:
    """Returns (process CPU s, sidecar CPU s, caller audio s, frames dropped, the engine's own CPU); ``load``
    runs around the timed part (``contextlib.nullcontext`` for none; the benchmark's test adds a spinning thread
    with it); ``parts`` are the sidecar's optional parts (a call without engines has no sidecar, so none)."""
    with tempfile.TemporaryDirectory(prefix="bench-tap-") as folder:
        recorder = CallRecorder(folder) if parts.recording and n_engines else None
        return await _timed_call(n_engines, texts, pcms, speed, load, parts, recorder)


async def _timed_call(
    n_engines: int,
    texts: list[str],
    pcms: list[Any],
    speed: float,
    load: Callable[[], AbstractContextManager[Any]],
    parts: Parts,
    recorder: CallRecorder | None,
) -> tuple[float, float, float, int, Engine]:
    spans = planned_spans(pcms)
    engines = {
        f"engine{i}": TimedScriptedEngine(
            [ScriptedUtterance(start_s=a, end_s=b, text=t) for (a, b), t in zip(spans, texts, strict=True)],
            record_audio=False,
        )
        for i in range(n_engines)
    }
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]

    def agent(sidecar: Sidecar | None) -> Agent:
        return Agent(instructions="Du er en resepsjonist.")

    options = SidecarOptions(
        keypad_tones=parts.keypad_tones, on_demand=parts.on_demand, feed_interval_s=parts.feed_interval_s
    )
    with EngineTasks().installed() as engine_tasks:
        caller = CallerAudioInput(speed=speed, frame_ms=parts.frame_ms)
        async with offline_call(
            script,
            agent=agent,
            engines=engines or None,
            speed=speed,
            sidecar_options=options,
            recorder=recorder,
            caller=caller,
        ) as call:
            with load():
                cpu0, engine_cpu0 = time.process_time(), engine_tasks.cpu_s
                sidecar_cpu0 = call.sidecar.cpu_s if call.sidecar else 0.0
                for i, pcm in enumerate(pcms, start=1):
                    call.caller.say(pcm)
                    await call.caller.wait_idle(timeout_s=60)
                    await call.server.wait_for_turns(i, timeout_s=60)
                cpu, engine_cpu = time.process_time() - cpu0, engine_tasks.cpu_s - engine_cpu0
        speech_check_cpu = sum(e.cpu_s for e in engines.values())
        sidecar_cpu = (call.sidecar.cpu_s - sidecar_cpu0) if call.sidecar else 0.0
        audio_s = call.caller.audio_s
        dropped = sum(s.frames_dropped for s in call.sidecar.stats().values()) if call.sidecar else 0
    return cpu, sidecar_cpu, audio_s, dropped, Engine(engine_cpu, speech_check_cpu)


def spread(values: list[float]) -> str:
    return f"min={min(values):.4f} median={statistics.median(values):.4f} max={max(values):.4f}"


@dataclasses.dataclass
class Pairs:
    """Per pair: process CPU per audio second without and with a sidecar, the sidecar's own share, drops."""

    without: list[float] = dataclasses.field(default_factory=list)
    with_sidecar: list[float] = dataclasses.field(default_factory=list)
    own_share: list[float] = dataclasses.field(default_factory=list)
    engine: list[float] = dataclasses.field(default_factory=list)
    """The engine's own CPU per audio second (its stream's tasks), in the call with a sidecar."""
    speech_check: list[float] = dataclasses.field(default_factory=list)
    """The part of it spent in the scripted engine's speech check on each frame."""
    dropped: int = 0

    @property
    def ratios(self) -> list[float]:
        return [w / wo for w, wo in zip(self.with_sidecar, self.without, strict=True)]

    @property
    def ratios_engine_excluded(self) -> list[float]:
        return [(w - e) / wo for w, e, wo in zip(self.with_sidecar, self.engine, self.without, strict=True)]

    @property
    def ratios_speech_check_excluded(self) -> list[float]:
        return [(w - e) / wo for w, e, wo in zip(self.with_sidecar, self.speech_check, self.without, strict=True)]

    def engine_excluded_line(self) -> str:
        ratios = self.ratios_engine_excluded
        only_check = statistics.median(self.ratios_speech_check_excluded)
        return (
            f"RESULT cpu_ratio_engine_excluded={statistics.median(ratios):.3f} {spread(ratios)} "
            f"engine_cpu_per_audio_s={statistics.median(self.engine):.4f} "
            f"cpu_ratio_speech_check_excluded={only_check:.3f} target=1.1"
        )

    def result_line(self) -> str:
        ratios = self.ratios
        return (
            f"RESULT cpu_ratio={statistics.median(ratios):.3f} {spread(ratios)} "
            f"cpu_per_audio_s={statistics.median(self.with_sidecar):.4f} "
            f"cpu_per_audio_s_without={statistics.median(self.without):.4f} "
            f"sidecar_own_share={statistics.median(self.own_share):.4f} frames_dropped={self.dropped} target=1.1"
        )


async def measure(
    repeats: int,
    speed: float,
    rng: random.Random,
    *,
    load: Callable[[], AbstractContextManager[Any]] = contextlib.nullcontext,
    warm_up: bool = True,
    texts: Callable[[random.Random], list[str]] | None = None,
    parts: Parts = Parts(),
) -> Pairs:
    """``repeats`` interleaved pairs (without, then with one engine), every call on fresh utterances; ``load`` runs
    around the calls with a sidecar only."""
    draw = texts or fresh_texts

    def fresh() -> tuple[list[str], list[Any]]:
        chosen = draw(rng)
        return chosen, [synthesize_speech(t, voice="nb", rate_wpm=170) for t in chosen]

    if warm_up:  # imports, schema building, silero load: not counted
        await one_call(0, *fresh(), speed, contextlib.nullcontext)
        await one_call(1, *fresh(), speed, contextlib.nullcontext, parts)
    pairs = Pairs()
    for _ in range(repeats):
        for n in (0, 1):
            cpu, sidecar_cpu, audio_s, dropped, engine = await one_call(
                n, *fresh(), speed, load if n else contextlib.nullcontext, parts
            )
            (pairs.with_sidecar if n else pairs.without).append(cpu / audio_s)
            if n:
                pairs.own_share.append(sidecar_cpu / cpu)
                pairs.engine.append(engine.cpu_s / audio_s)
                pairs.speech_check.append(engine.speech_check_s / audio_s)
            pairs.dropped += dropped
            print(
                f"engines={n} call_cpu_s={cpu:.3f} sidecar_own_cpu_s={sidecar_cpu:.4f} audio_s={audio_s:.2f} "
                f"cpu_per_audio_s={cpu / audio_s:.4f} engine_cpu_s={engine.cpu_s:.4f} dropped={dropped}",
                flush=True,
            )
    return pairs


async def memory_per_call(speed: float, rng: random.Random, parts: Parts = Parts()) -> tuple[float, float]:
    """Peak Python and numpy memory (tracemalloc) of one call without and one with a sidecar, in MB: the session's
    and server's own objects are in both; the difference is the sidecar's."""
    peaks = []
    for n in (0, 1):
        texts = fresh_texts(rng)
        pcms = [synthesize_speech(t, voice="nb", rate_wpm=170) for t in texts]
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            await one_call(n, texts, pcms, speed, contextlib.nullcontext, parts)
            peaks.append((tracemalloc.get_traced_memory()[1] - base) / 1e6)
        finally:
            tracemalloc.stop()
    return peaks[0], peaks[1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="interleaved pairs (without, with a sidecar)")
    parser.add_argument("--speed", type=float, default=1.0, help="caller audio pace (1.0 = real time)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keypad-tones", choices=["on", "off"], default="on", help="search the audio for key tones")
    parser.add_argument("--recording", action="store_true", help="record the calls (CallRecorder, temporary folder)")
    parser.add_argument("--on-demand", action="store_true", help="SidecarOptions(on_demand=True)")
    parser.add_argument("--feed-interval-s", type=float, default=Parts.feed_interval_s, help="SidecarOptions'")
    parser.add_argument("--frame-ms", type=int, default=Parts.frame_ms, help="caller frame length (RoomIO: 50)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    parts = Parts(
        keypad_tones=args.keypad_tones == "on",
        recording=args.recording,
        on_demand=args.on_demand,
        feed_interval_s=args.feed_interval_s,
        frame_ms=args.frame_ms,
    )
    print(f"sidecar parts: {parts.describe()}")
    pairs = await measure(args.repeats, args.speed, rng, parts=parts)
    memory_without, memory_with = await memory_per_call(args.speed, rng, parts)
    print(f"peak traced memory of a call: without a sidecar {memory_without:.1f} MB, with one {memory_with:.1f} MB")
    print(f"process CPU s per audio s without a sidecar: {spread(pairs.without)}")
    print(f"process CPU s per audio s with one engine:   {spread(pairs.with_sidecar)}")
    print(f"with / without, per pair: {', '.join(f'{r:.3f}' for r in pairs.ratios)}")
    print(f"the sidecar's own loop-thread share of the call: {spread(pairs.own_share)}")
    excluded = ", ".join(f"{r:.3f}" for r in pairs.ratios_engine_excluded)
    print(f"with the engine's own work subtracted / without, per pair: {excluded}")
    print(pairs.engine_excluded_line())
    print(
        f"{pairs.result_line()} memory_mb={memory_with:.1f} memory_mb_without={memory_without:.1f} {parts.describe()}"
    )


if __name__ == "__main__":
    asyncio.run(main())
