"""When on-demand engines are held and where they start hearing (ListenPolicy over a real ledger)."""

from __future__ import annotations

from typing import Any

import pytest
from livekit.agents import llm

from sidecar_stt.adapters.livekit.call_state import CallState
from sidecar_stt.adapters.livekit.listen_policy import (
    MAX_HELD_TURN_S,
    SERVER_AUDIO_LEAD_S,
    WINDOW_LEAD_S,
    ListenPolicy,
)
from sidecar_stt.adapters.livekit.options import SidecarOptions
from sidecar_stt.core.ledger import TranscriptLedger
from sidecar_stt.core.segment import Alternative, Segment


class Clock:
    """The session clock, set by hand."""

    def __init__(self) -> None:
        self.audio_s = 0.0

    def now_s(self) -> float:
        return self.audio_s

    def audio_time_at(self, wall_time: float) -> float:
        return self.audio_s


class NoEvents:
    def emit(self, event: str, /, *args: Any) -> None:
        pass


def call() -> tuple[CallState, Clock]:
    options = SidecarOptions(on_demand=True, on_demand_answer_wait_s=15.0)
    state, clock = CallState(options=options, events=NoEvents(), engines=("azure",)), Clock()
    state.use_clock(clock)
    return state, clock


def policy(state: CallState) -> ListenPolicy:
    return ListenPolicy(state)


def caller_turn(ledger: TranscriptLedger, start_s: float, end_s: float | None, heard: str) -> None:
    turn = ledger.begin_turn(start_s=start_s, timing="server_audio")
    if end_s is not None:
        ledger.end_turn(end_s=end_s)
    ledger.add(
        Segment(
            source="azure",
            segment_id=f"s{start_s}",
            start_s=start_s,
            end_s=end_s if end_s is not None else start_s + 1.0,
            is_final=True,
            alternatives=(Alternative(heard),),
            turn_id=turn.turn_id,
        )
    )


def agent_says(text: str) -> llm.ChatMessage:
    return llm.ChatMessage(role="assistant", content=[text])


def test_the_question_starts_hearing_just_before_now_and_never_inside_the_turn_before() -> None:
    state, clock = call()
    ledger = state.ledger
    caller_turn(ledger, 1.0, 4.5, "hei, jeg vil bestille en time")
    clock.audio_s = 5.0
    start = policy(state).answer_window(agent_says("Gjerne. Hva er telefonnummeret ditt?"))
    # 1 s before now would be inside the turn before the question: that turn is no answer, it is not heard
    assert start == pytest.approx(4.5)
    clock.audio_s = 9.0
    start = policy(state).answer_window(agent_says("Hva er nummeret ditt?"))
    assert start == pytest.approx(9.0 - WINDOW_LEAD_S)
    assert policy(state).answer_window(agent_says("Mm, skjønner.")) is None


def test_a_question_the_caller_talks_over_waits_for_that_turn() -> None:
    state, clock = call()
    ledger = state.ledger
    caller_turn(ledger, 8.8, None, "nummeret mitt er")
    clock.audio_s = 10.0
    listen = policy(state)
    # the question enters the conversation when its playout ends; the caller began answering over its end
    start = listen.answer_window(agent_says("Hva er telefonnummeret ditt?"))
    assert start == pytest.approx(8.8 - SERVER_AUDIO_LEAD_S)
    assert listen.is_held()
    ledger.end_turn(end_s=13.5)
    ledger.add(
        Segment("azure", "s2", 9.0, 13.5, True, (Alternative("ni to tre fire fem seks sju åtte"),), turn_id="turn-1")
    )
    assert listen.is_held()  # answered, but the model has not acted on it yet
    listen.answer_window(agent_says("Takk, det er notert."))
    assert not listen.is_held()


def test_an_answer_without_digits_keeps_the_engines_for_the_number_to_come() -> None:
    state, clock = call()
    ledger = state.ledger
    clock.audio_s = 5.0
    listen = policy(state)
    listen.answer_window(agent_says("Hva er telefonnummeret ditt?"))
    caller_turn(ledger, 5.5, 8.0, "et øyeblikk, jeg må bare finne det fram")
    listen.answer_window(agent_says("Ja, ta den tiden du trenger."))
    assert listen.is_held()
    caller_turn(ledger, 12.0, 16.0, "nittito trettifire femtiseks syttiåtte")
    listen.answer_window(agent_says("Mm."))
    assert not listen.is_held()


def test_an_open_caller_turn_holds_the_engines_but_not_for_ever() -> None:
    state, clock = call()
    ledger = state.ledger
    listen = policy(state)
    assert not listen.is_held()
    caller_turn(ledger, 2.0, None, "og så")
    clock.audio_s = 3.0
    assert listen.is_held()
    clock.audio_s = 2.0 + MAX_HELD_TURN_S + 1.0  # a turn end the session never reported
    assert not listen.is_held()
    state.set_capture_open(True)
    assert listen.is_held()


def test_an_ask_nobody_answers_is_waited_for_a_bounded_time() -> None:
    state, clock = call()
    listen = policy(state)
    listen.answer_window(agent_says("Hva er telefonnummeret ditt?"))
    assert listen.is_held()
    assert listen.is_held()  # asking again changes nothing
    clock.audio_s = 14.0
    assert listen.is_held()
    clock.audio_s = 16.0  # the answer wait runs on the session clock
    assert not listen.is_held()


def test_a_capture_that_opened_after_the_ask_takes_it_over() -> None:
    state, clock = call()
    listen = policy(state)
    clock.audio_s = 3.0
    listen.answer_window(agent_says("Hva er telefonnummeret ditt?"))
    clock.audio_s = 5.0
    state.set_capture_open(True)
    assert listen.is_held()
    state.set_capture_open(False)  # the capture ended: its end releases the engines, the ask no longer holds
    assert not listen.is_held()


def test_an_engine_never_starts_inside_a_caller_turn() -> None:
    state, _ = call()
    ledger = state.ledger
    caller_turn(ledger, 4.6, 8.0, "ja, det er fint vær i dag")
    listen = policy(state)
    assert listen.whole_turns(5.2) == pytest.approx(4.6 - SERVER_AUDIO_LEAD_S)  # mid-turn: back to its start
    assert listen.whole_turns(4.4) == pytest.approx(4.4)  # in the lead before it: hears it whole already
    assert listen.whole_turns(8.5) == pytest.approx(8.5)  # after it
