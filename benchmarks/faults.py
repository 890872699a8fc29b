"""Fault suite: a bad day in production and a hostile model, replayed; every counter must stay 0 but the block.

Each case drives the real capture tools (``sidecar.phone``) over a real ``TranscriptLedger``, or a real
``EngineRunner`` over a real LiveKit stream, the way a live session does, and counts what must never happen:

- ``wrong_confirmed``: a number confirmed that the caller did not give (a different number);
- ``unsaid_confirmed``: a number confirmed although no sidecar engine heard the caller say it (only the realtime
  model's own hearing or its tool argument held it) — the bias loop Sidecar exists to break;
- ``engines_lost``: an engine given up for good during a call by a fault it could have survived (a malformed
  event, a sample-rate change, a flaky link, a stream whose close hangs);
- ``max_loop_block_ms``: the longest the event loop was blocked while the tools handled hostile input (a 3 KB,
  10 KB or 100 KB tool argument or transcript); it must stay at most 50 ms.

A ticker task wakes every 2 ms during each case; the loop thread's CPU time between two of its wakes is what our
code kept the loop busy (other processes on a shared machine do not count), and its wall-clock lateness is printed
beside it (``wall_late_ms``). Cases and their counters are printed one per
line; the last line is ``RESULT wrong_confirmed=<n> unsaid_confirmed=<n> max_loop_block_ms=<x> engines_lost=<n>``.
``tests/test_faults.py`` shows that each counter can move.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import LanguageCode, stt

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.adapters.livekit.engine_runner import EngineRunner
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

TRUTH = "+4792345678"
SAID = "nittito trettifire femtiseks syttiåtte"
DIGIT_WORDS = ("null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "tjue", "nitti")


@dataclass
class Tally:
    wrong_confirmed: int = 0
    unsaid_confirmed: int = 0
    engines_lost: int = 0
    max_loop_block_ms: float = 0.0
    max_wall_late_ms: float = 0.0
    lines: list[str] = field(default_factory=list)


class Call:
    """One call's ledger, written as the session would: caller turns, sidecar finals, the realtime transcript."""

    def __init__(self) -> None:
        self.sidecar = Sidecar(engines={"azure": ScriptedEngine([])})
        self.clock_s = 0.0
        self.sidecar_heard: set[str] = set()  # E.164 numbers a sidecar engine heard the caller say

    def say(self, *, sidecar: str | None, realtime: str | None) -> None:
        """One caller turn: what the sidecar engine heard (``None``: nothing, the engine is down or hung) and what
        the realtime model transcribed."""
        ledger = self.sidecar.ledger
        turn = ledger.begin_turn(start_s=self.clock_s + 0.2)
        end_s = self.clock_s + 2.0
        ledger.end_turn(end_s=end_s)
        if sidecar is not None:
            segment = Segment(
                "azure", turn.turn_id, self.clock_s + 0.3, end_s - 0.1, True, (Alternative(sidecar, 0.9),)
            )
            ledger.add(segment)
            from sidecar_stt.core.phone import extract_phone_numbers

            self.sidecar_heard.update(c.e164 for c in extract_phone_numbers(sidecar))
        if realtime is not None:
            ledger.label_turn(item_id=f"item-{turn.turn_id}", transcript=realtime, turn_id=turn.turn_id)
        self.clock_s = end_s

    def confirmed(self) -> str | None:
        machine = self.sidecar.phone.machine
        return machine.confirmed.e164 if machine.confirmed is not None else None


async def _measure(tally: Tally, work: Callable[[], Awaitable[None]]) -> float:
    """Run ``work``; the longest stretch, in ms, that it kept the event loop to itself.

    Measured as the loop thread's own CPU time between two ticks of a 2 ms ticker (``time.thread_time``), so other
    processes on a shared machine do not inflate it; the wall-clock lateness of the ticker is kept beside it
    (``Tally.max_wall_late_ms``)."""
    worst = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal worst
        while not done.is_set():
            wall, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.002)
            worst = max(worst, (time.thread_time() - cpu) * 1000)
            tally.max_wall_late_ms = max(tally.max_wall_late_ms, (time.perf_counter() - wall - 0.002) * 1000)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    try:
        await work()
    finally:
        done.set()
        await task
    tally.max_loop_block_ms = max(tally.max_loop_block_ms, worst)
    return worst


def _judge(tally: Tally, name: str, call: Call, truth: str | None) -> None:
    confirmed = call.confirmed()
    wrong = confirmed is not None and confirmed != truth
    unsaid = confirmed is not None and confirmed not in call.sidecar_heard
    tally.wrong_confirmed += wrong
    tally.unsaid_confirmed += unsaid
    tally.lines.append(f"{name:58} confirmed={confirmed or '-':12} wrong={int(wrong)} unsaid={int(unsaid)}")


# -- capture cases: the caller's words against the model's ----------------------------------------------------


async def engine_hung_model_number(tally: Tally) -> None:
    """No sidecar final for the turns (engine hung); the model's own transcript and argument hold a number."""
    call = Call()
    phone = call.sidecar.phone
    call.say(sidecar=None, realtime="nittito trettifire femtiseks syttisju")
    await phone.on_number_said("92345677")
    call.say(sidecar=None, realtime="ja")
    await phone.on_confirm()
    _judge(tally, "engine hung: model's transcript and argument", call, TRUTH)


async def no_number_said_model_argument(tally: Tally) -> None:
    """The caller asked for an appointment; the model passed a number; the caller said "hæ? hva sa du?"."""
    call = Call()
    phone = call.sidecar.phone
    call.say(sidecar="hei, jeg vil bestille en time", realtime="hei jeg vil bestille en time")
    await phone.on_number_said("92345678")
    call.say(sidecar="hæ? hva sa du?", realtime="hva sa du")
    await phone.on_confirm()
    _judge(tally, "no number said: model's argument, then 'hæ? hva sa du?'", call, None)


async def after_rejection_model_transcript(tally: Tally) -> None:
    """After a rejection the sidecar hears nothing; the model's transcript keeps its own reading."""
    call = Call()
    phone = call.sidecar.phone
    call.say(sidecar="nittito trettifire femtiseks syttini", realtime="nittito trettifire femtiseks syttini")
    await phone.on_number_said("92345679")
    call.say(sidecar="nei", realtime="nei")
    await phone.on_reject()
    call.say(sidecar=None, realtime="nittito trettifire femtiseks syttisju")
    await phone.on_number_said("92345677")
    call.say(sidecar="ja", realtime="ja")
    await phone.on_confirm()
    _judge(tally, "after a rejection: only the model's transcript", call, TRUTH)


async def after_decline_tool_argument(tally: Tally) -> None:
    """After a decline, a new capture with a number only the model's argument holds."""
    call = Call()
    phone = call.sidecar.phone
    call.say(sidecar="nei, det vil jeg ikke", realtime="nei det vil jeg ikke")
    await phone.on_decline()
    call.say(sidecar="ja", realtime="ja")
    await phone.on_number_said("92345678")
    call.say(sidecar="ja", realtime="ja")
    await phone.on_confirm()
    _judge(tally, "after a decline: a tool-argument-only number", call, None)


async def confirm_in_the_same_breath(tally: Tally) -> None:
    """The model confirms right after reading back, before the caller answered; the reading is wrong."""
    call = Call()
    phone = call.sidecar.phone
    call.say(sidecar="nittito trettifire femtiseks syttini", realtime="nittito trettifire femtiseks syttini")
    await phone.on_number_said("92345679")
    await phone.on_confirm()
    _judge(tally, "confirm in the same breath as the read-back", call, TRUTH)


CAPTURE_CASES = (
    engine_hung_model_number,
    no_number_said_model_argument,
    after_rejection_model_transcript,
    after_decline_tool_argument,
    confirm_in_the_same_breath,
)


# -- hostile sizes: the loop must not stall -----------------------------------------------------------------------


def _digit_words(size: int, rng: random.Random) -> str:
    return " ".join(rng.choice(DIGIT_WORDS) for _ in range(size // 4))[:size]


async def _tool_call(tally: Tally, name: str, call: Call, argument: str) -> None:
    """One ``capture_phone_number`` call, its loop block and the length of what it returned to the model."""
    outputs: list[str] = []

    async def work() -> None:
        outputs.append(await call.sidecar.phone.on_number_said(argument))

    block = await _measure(tally, work)
    tally.lines.append(f"{name:58} block_ms={block:.1f} output_chars={len(outputs[0])}")


async def hostile_sizes(tally: Tally) -> None:
    """A huge tool argument, and a huge transcript, of digit words."""
    rng = random.Random(11)
    for size in (3_000, 10_000, 100_000):
        call = Call()
        call.say(sidecar=SAID, realtime=SAID)
        await _tool_call(tally, f"tool argument of {size} chars", call, _digit_words(size, rng))
        call = Call()
        call.say(sidecar=f"{_digit_words(size, rng)} {SAID}", realtime=None)
        await _tool_call(tally, f"transcript of {size} chars", call, "")


# -- engine faults: a bad moment must not cost the engine for the rest of the call ----------------------------------


class _ScriptedStreamFaults(ScriptedEngine):
    """A scripted engine whose streams misbehave: finals with ``None`` text or garbage times, a close that hangs."""

    def __init__(self, *, bad_finals: bool = False, hang_close: bool = False, **kwargs: Any) -> None:
        super().__init__([ScriptedUtterance(start_s=0.6, end_s=1.4, text=SAID, delay_s=0.0)], **kwargs)
        self._bad_finals = bad_finals
        self._hang_close = hang_close

    def stream(self, **kwargs: Any) -> Any:
        inner = super().stream(**kwargs)
        if self._bad_finals:
            send = inner._event_ch.send_nowait

            def garbage_first(event: stt.SpeechEvent) -> None:
                if event.type == stt.SpeechEventType.FINAL_TRANSCRIPT:
                    for text, start, end in ((None, 0.1, 0.5), ("ni", math.nan, 0.5), ("to", 0.9, 0.2), ("x", 0, 1e12)):
                        data = stt.SpeechData(language=LanguageCode("nb"), text="", start_time=0.0, end_time=0.0)
                        object.__setattr__(data, "text", text)
                        data.start_time, data.end_time = start, end
                        send(stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data]))
                send(event)

            inner._event_ch.send_nowait = garbage_first  # type: ignore[method-assign]
        if self._hang_close:
            close = inner.aclose

            async def hang() -> None:
                await close()
                await asyncio.Event().wait()

            inner.aclose = hang  # type: ignore[method-assign]
        return inner


def _tone(rate: int, ms: int = 20) -> rtc.AudioFrame:
    n = rate * ms // 1000
    pcm = (3000 * np.sin(np.arange(n) / rate * 2 * np.pi * 300)).astype(np.int16)
    return rtc.AudioFrame(pcm.tobytes(), rate, 1, n)


async def _engine_case(tally: Tally, name: str, engine: stt.STT[Any], rates: list[int], **options: Any) -> None:
    """Feed 2 s of audio per rate in ``rates`` into a runner with the Sidecar's default budget; was it lost?"""
    defaults = SidecarOptions()
    segments: list[Segment] = []
    runner = EngineRunner(
        "azure",
        engine,
        on_segment=segments.append,
        on_failure=lambda ev: None,
        on_drop=lambda ev: None,
        clock=lambda: 0.0,
        vad_model=None,
        queue_max_s=defaults.queue_max_s,
        replay_max_s=defaults.replay_max_s,
        backoff_s=(0.01, 0.05),
        max_restarts=defaults.max_restarts,
        feed_interval_s=0.01,
        restart_window_s=options.get("restart_window_s", defaults.restart_window_s),
        close_timeout_s=0.2,
    )
    runner.start()
    at_s = 0.0
    for rate in rates:
        for _ in range(100):
            runner.offer(_tone(rate), at_s)
            at_s += 0.02
            await asyncio.sleep(options.get("pace_s", 0))
    # let the engine recover, or be given up; a case that expects the worst may wait longer (a loaded machine)
    deadline = time.monotonic() + options.get("settle_s", 0.5)
    while time.monotonic() < deadline and not runner.stats.failed:
        await asyncio.sleep(0.02)
    lost = runner.stats.failed
    await asyncio.wait_for(runner.aclose(), 5.0)
    heard = any(s.is_final and s.text == SAID for s in segments)
    tally.engines_lost += lost
    tally.lines.append(f"{name:58} lost={int(lost)} heard_the_number={int(heard)}")


async def engine_faults(tally: Tally) -> None:
    bad_finals = _ScriptedStreamFaults(bad_finals=True)
    await _engine_case(tally, "engine: finals with None text and garbage times", bad_finals, [16000])
    await _engine_case(tally, "engine: sample rate changes mid-call", _ScriptedStreamFaults(), [24000, 16000, 48000])
    hanging = _ScriptedStreamFaults(hang_close=True, fail_at_s=0.2)
    await _engine_case(tally, "engine: a stream whose close hangs, after a failure", hanging, [16000])
    # a flaky link: a failure now and then for a long call (12 in all, more than the budget of 10 at once, but
    # spread out) — the budget is per time window (here 0.3 s, in place of a minute, to keep the suite short)
    await _engine_case(
        tally,
        "engine: a flaky link (12 failures, spread out)",
        ScriptedEngine([], fail_at_s=0.0, failures=12),
        [16000] * 8,
        restart_window_s=0.3,
        pace_s=0.002,
    )


async def run() -> Tally:
    tally = Tally()
    for case in CAPTURE_CASES:
        await _measure(tally, lambda case=case: case(tally))
    await hostile_sizes(tally)
    await engine_faults(tally)
    return tally


def main() -> None:
    logging.getLogger("sidecar_stt").setLevel(logging.ERROR)  # the faults are on purpose: their warnings are noise here
    tally = asyncio.run(run())
    for line in tally.lines:
        print(line)
    print(
        f"RESULT wrong_confirmed={tally.wrong_confirmed} unsaid_confirmed={tally.unsaid_confirmed} "
        f"max_loop_block_ms={tally.max_loop_block_ms:.1f} engines_lost={tally.engines_lost} "
        f"wall_late_ms={tally.max_wall_late_ms:.1f}"
    )


if __name__ == "__main__":
    main()
