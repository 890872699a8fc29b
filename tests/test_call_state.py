"""The call state: one session clock, changes that wake waiters (no polling), what hearing means."""

from __future__ import annotations

import asyncio
from typing import Any

from sidecar_stt.adapters.livekit.call_state import CallState
from sidecar_stt.adapters.livekit.options import SidecarOptions


class Clock:
    def __init__(self) -> None:
        self.audio_s = 0.0
        self.idle_s = 0.0

    def now_s(self) -> float:
        return self.audio_s + self.idle_s

    def audio_time_at(self, wall_time: float) -> float:
        return self.audio_s


class Events:
    def __init__(self) -> None:
        self.emitted: list[str] = []

    def emit(self, event: str, /, *args: Any) -> None:
        self.emitted.append(event)


def call(engines: tuple[str, ...] = ("azure", "whisper")) -> tuple[CallState, Clock]:
    state, clock = CallState(options=SidecarOptions(), events=Events(), engines=engines), Clock()
    state.use_clock(clock)
    return state, clock


async def test_a_wait_is_woken_by_a_change_and_only_by_a_change() -> None:
    state, _ = call()
    outside = {"ready": False}
    # a condition on something the state was not told about is never re-checked: nobody polls
    waiter = asyncio.ensure_future(state.wait_until(lambda: outside["ready"], timeout_s=5.0))
    await asyncio.sleep(0.3)
    outside["ready"] = True
    await asyncio.sleep(0.3)
    assert not waiter.done()
    state.changed()
    assert await asyncio.wait_for(waiter, 1.0) is True


async def test_an_engine_hearing_further_wakes_the_waiters() -> None:
    state, _ = call()
    state.engine_started("azure", heard_from_s=0.0)
    waiter = asyncio.ensure_future(state.wait_until(lambda: state.hearing["azure"].heard_until_s >= 2.0, timeout_s=5))
    await asyncio.sleep(0.05)
    state.engine_heard("azure", until_s=1.0)
    await asyncio.sleep(0.05)
    assert not waiter.done()
    state.engine_heard("azure", until_s=2.0)
    assert await asyncio.wait_for(waiter, 1.0) is True


async def test_a_wait_that_times_out_says_so() -> None:
    state, _ = call()
    assert await state.wait_until(lambda: False, timeout_s=0.1) is False


def test_hearing_in_plain_words() -> None:
    state = CallState(options=SidecarOptions(), events=Events(), engines=("azure", "whisper"))
    assert state.not_hearing_reason == "the sidecar is not attached to the call"
    state.use_clock(Clock())
    assert state.not_hearing_reason is None
    state.engine_started("azure", heard_from_s=0.0)
    state.engine_started("whisper", heard_from_s=0.0)
    state.engine_failed("azure")
    assert state.not_hearing_reason is None  # one engine still hears
    state.engine_failed("whisper")
    assert state.not_hearing_reason == "every sidecar speech engine has failed"
    state.engine_started("azure", heard_from_s=3.0)  # a new listening period: a fresh runner
    assert state.not_hearing_reason is None
    state.tap_lost = True
    assert state.not_hearing_reason == "the sidecar lost the caller's audio input"


def test_a_capture_opens_on_the_session_clock_and_turn_ends_reach_subscribers() -> None:
    state, clock = call()
    clock.audio_s, clock.idle_s = 4.0, 1.5
    state.set_capture_open(True)
    assert state.capture_open and state.capture_opened_s == 5.5
    clock.audio_s = 9.0
    state.set_capture_open(True)  # still the same capture
    assert state.capture_opened_s == 5.5
    ended = []
    state.on_turn_ended(ended.append)
    turn = state.ledger.begin_turn(start_s=1.0)
    state.turn_ended(turn)
    assert ended == [turn]


async def test_an_engine_being_restarted_is_recovering_until_back_or_failed_and_each_change_wakes() -> None:
    state, _ = call()
    state.engine_started("azure", heard_from_s=0.0)
    state.engine_started("whisper", heard_from_s=0.0)
    waiter = asyncio.create_task(state.wait_until(lambda: bool(state.engines_recovering), timeout_s=5.0))
    await asyncio.sleep(0)
    state.engine_recovering("azure")
    assert await waiter and state.engines_recovering == ("azure",)
    assert state.not_hearing_reason is None  # recovering is not failed
    state.engine_recovered("azure")
    assert state.engines_recovering == ()
    state.engine_recovering("whisper")
    state.engine_failed("whisper")  # a permanent fault after a transient one: nobody waits for it any more
    assert state.engines_recovering == () and state.hearing["whisper"].failed
    state.engine_recovering("azure")
    state.engine_stopped("azure")  # a released engine is not waited for either
    assert state.engines_recovering == ()
