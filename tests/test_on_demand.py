"""On-demand mode in a live session: engines start only when transcription is wanted, hear the buffered window
first, and are released after the capture ends; nothing the caller said inside the window is lost."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from livekit.agents import Agent

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.core.readback import read_back
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import OfflineCall, offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

HELLO = "hei, jeg vil gjerne bestille en time hos frisøren på fredag"
WEATHER = "ja, det er fint vær i dag, så jeg tenkte å gå en tur etterpå"
NUMBER = "nummeret mitt er ni to tre fire fem seks sju åtte"
FIRST_HALF = "ni to tre fire"
SECOND_HALF = "fem seks sju åtte"
YES = "ja, det stemmer"
READ_BACK = read_back("+4792345678", language="nb", style="pairs")
SAMPLE_RATE = 24000


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def agent_with(sidecar: Sidecar | None) -> Agent:
    assert sidecar is not None
    return Agent(instructions="Du er en resepsjonist.", tools=sidecar.tools())


def capture_turn(transcript: str, tool: str = "capture_phone_number") -> CallerTurn:
    return CallerTurn(
        transcript=transcript,
        function_calls=[ScriptedFunctionCall(tool, {})],
        reply=lambda outputs: outputs[0].output if outputs else "",
    )


def engine_for(texts: list[str], **kwargs: Any) -> ScriptedEngine:
    """An engine keyed to the caller's speech; like a real one, a stream does not hear an utterance that began
    before its first audio (a window that starts too late loses it)."""
    spans = planned_spans([speech(t) for t in texts])
    kwargs.setdefault("hear_cut_utterances", False)
    return ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2) for (a, b), t in zip(spans, texts, strict=True)],
        **kwargs,
    )


def on_demand_call(
    script: list[CallerTurn], engine: ScriptedEngine, *, speed: float | None = 1.0, **options: Any
) -> AbstractAsyncContextManager[OfflineCall]:
    """An offline call whose sidecar runs ``engine`` on demand (``options``: more ``SidecarOptions``), caller audio
    at ``speed`` (real time by default: the window's start comes from the session's speech reports; ``None``:
    as fast as the session takes it)."""
    sidecar_options = SidecarOptions(on_demand=True, **options)
    return offline_call(
        script, agent=agent_with, engines={"azure": engine}, sidecar_options=sidecar_options, speed=speed
    )


async def say(call: OfflineCall, texts: list[str], first_turn: int = 1) -> None:
    for i, text in enumerate(texts, start=first_turn):
        call.caller.say(speech(text))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(i, timeout_s=20)
        await call.server.wait_idle(timeout_s=15)


async def eventually(predicate: Callable[[], bool], *, timeout_s: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def offset_s(received: bytes, delivered: bytes) -> float:
    """Where the audio an engine received begins in the caller's audio (it must be one contiguous piece)."""
    at = delivered.find(received)
    while at % 2:  # a match inside a sample is no match
        at = delivered.find(received, at + 1)
    assert at >= 0, "the engine's audio is not one piece of the caller's"
    return at / 2 / SAMPLE_RATE


async def test_a_number_said_before_the_tool_is_called_is_found() -> None:
    texts = [HELLO, WEATHER, NUMBER, YES]
    engine = engine_for(texts)
    script = [
        CallerTurn(transcript=HELLO, reply="Gjerne."),
        CallerTurn(transcript=WEATHER, reply="Så hyggelig."),
        capture_turn("nummeret mitt er ni to tre fire fem seks sju sju"),
        capture_turn("ja", "confirm_phone_number"),
    ]
    # the stall watchdog looks at every turn 1 s after it ended: turns said before the engine listened are not
    # its business (it would restart the engine and send the audio again)
    async with on_demand_call(script, engine, on_demand_grace_s=0.5, stall_timeout_s=1.0) as call:
        assert call.sidecar is not None
        sidecar = call.sidecar
        await say(call, [HELLO, WEATHER])
        # nothing wanted transcription yet: no engine connection, the audio waits in the ring
        assert engine.streams_started == 0 and not sidecar.listening
        assert sidecar.stats()["azure"].audio_sent_s == 0.0
        await say(call, [NUMBER, YES], first_turn=3)
        result = await asyncio.wait_for(sidecar.phone.wait_result(), 10)
        # released after the capture ended and the grace passed
        await eventually(lambda: not sidecar.listening, timeout_s=5)
        delivered = call.caller.delivered_audio
        stats = sidecar.stats()["azure"]

    assert result is not None and result.e164 == "+4792345678"
    outputs = call.server.tool_outputs()
    assert READ_BACK in outputs[0].output
    assert engine.streams_started == 1
    received = engine.received_audio()
    spans = planned_spans([speech(t) for t in texts])
    # the window began before the number, after the chat began: the hello was never sent
    assert spans[0][1] < offset_s(received, delivered) <= spans[2][0]
    assert stats.audio_sent_s == pytest.approx(len(received) / 2 / SAMPLE_RATE, abs=0.05)
    assert stats.transcript_s > 0
    # only the turns the engine heard are transcribed: the hello is not stored
    assert HELLO not in [s.text for s in sidecar.ledger.segments(source="azure")]


async def test_a_number_split_over_turns_is_joined() -> None:
    texts = [HELLO, FIRST_HALF, SECOND_HALF]
    engine = engine_for(texts)
    script = [
        CallerTurn(transcript=HELLO, reply="Gjerne. Hva er nummeret?"),
        capture_turn("ni to tre fire"),
        capture_turn("fem seks sju sju"),
    ]
    async with on_demand_call(script, engine, speed=None) as call:
        await say(call, texts)
        outputs = call.server.tool_outputs()
    assert "resten" in outputs[0].output  # the first half waits for the rest
    assert READ_BACK in outputs[1].output
    assert engine.streams_started == 1


@pytest.mark.parametrize("buffer_s", [None, "tight"])
async def test_a_number_at_the_very_start_of_the_window_is_heard(buffer_s: str | None) -> None:
    texts = [HELLO, NUMBER]
    spans = planned_spans([speech(t) for t in texts])
    engine = engine_for(texts)
    script = [CallerTurn(transcript=HELLO, reply="Gjerne."), capture_turn("nummeret mitt er ni to tre fire")]
    # the window is one turn: it begins where the number does (less the lead); "tight": the ring itself holds
    # no more than the number, its trailing silence and a few tenths of a second
    audio_end_s = spans[1][1] + 0.8  # CallerAudioInput's trailing silence
    ring_s = audio_end_s - spans[1][0] + 1.0 if buffer_s == "tight" else 30.0
    async with on_demand_call(script, engine, on_demand_replay_turns=1, on_demand_buffer_s=ring_s) as call:
        await say(call, texts)
        delivered = call.caller.delivered_audio
        outputs = call.server.tool_outputs()
    assert READ_BACK in outputs[0].output
    start = offset_s(engine.received_audio(), delivered)
    # the engine heard the number from its first sound, and at most the window's lead before it (0.3 s before a
    # turn the server timed by its audio offsets, as this one is, and a frame of timing jitter)
    assert spans[1][0] - 0.6 < start <= spans[1][0]


async def test_always_on_streams_the_whole_call() -> None:
    texts = [HELLO, NUMBER]
    engine = engine_for(texts)
    script = [CallerTurn(transcript=HELLO, reply="Gjerne."), capture_turn("nummeret mitt er ni to tre fire")]
    async with offline_call(script, agent=agent_with, engines={"azure": engine}) as call:
        assert call.sidecar is not None
        await say(call, texts)
        delivered = call.caller.delivered_audio
        stats = call.sidecar.stats()["azure"]
    assert engine.received_audio() == delivered
    assert stats.audio_sent_s == pytest.approx(len(delivered) / 2 / SAMPLE_RATE, abs=0.05)


async def test_listen_starts_the_engines_and_heard_audio_is_not_sent_twice() -> None:
    texts = [HELLO, WEATHER]
    engine = engine_for(texts, connect_delay_s=0.5)
    script = [CallerTurn(transcript=HELLO, reply="Gjerne."), CallerTurn(transcript=WEATHER, reply="Fint.")]
    # listen() waits for an answer: here none comes while the first listening lasts, so the wait is short
    async with on_demand_call(
        script, engine, on_demand_grace_s=1.0, on_demand_replay_turns=1, on_demand_answer_wait_s=0.5
    ) as call:
        assert call.sidecar is not None
        sidecar = call.sidecar
        await say(call, [HELLO])
        sidecar.listen()
        assert sidecar.listening
        await eventually(lambda: not sidecar.listening, timeout_s=5)
        await asyncio.sleep(1.2)  # a released engine gets up to 1 s to take its last frames and finals
        first = len(engine.received_audio())
        await say(call, [WEATHER], first_turn=2)
        sidecar.listen()
        # the stall watchdog checks the hello turn while the new stream is still connecting: that engine never
        # heard the turn (it listened from the weather on), so it is no stall
        await asyncio.sleep(0.3)
        sidecar._pool.check_stalls(sidecar.ledger.turns[0])
        await eventually(lambda: not sidecar.listening, timeout_s=5)
        await asyncio.sleep(1.2)
        delivered = call.caller.delivered_audio
    assert engine.streams_started == 2
    received = engine.received_audio()
    # each listening period sent one piece of the caller's audio; the second began after the first ended
    first_start, second_start = offset_s(received[:first], delivered), offset_s(received[first:], delivered)
    assert second_start >= first_start + first / 2 / SAMPLE_RATE
    assert [s.text for s in sidecar.ledger.segments(source="azure")] == [HELLO, WEATHER]


async def test_the_agent_asking_for_the_number_starts_the_engines_before_the_answer() -> None:
    texts = [HELLO, WEATHER, NUMBER, YES]
    engine = engine_for(texts, connect_delay_s=0.3)
    script = [
        CallerTurn(transcript=HELLO, reply="Gjerne."),
        CallerTurn(transcript=WEATHER, reply="Så hyggelig. Hva er telefonnummeret ditt?"),
        capture_turn("nummeret mitt er ni to tre fire fem seks sju sju"),
        capture_turn("ja", "confirm_phone_number"),
    ]
    async with on_demand_call(script, engine, on_demand_grace_s=0.5) as call:
        assert call.sidecar is not None
        sidecar = call.sidecar
        await say(call, [HELLO])
        assert engine.streams_started == 0
        await say(call, [WEATHER], first_turn=2)
        # the agent's question entered the conversation: the engine listens before the caller answers
        await eventually(lambda: engine.streams_started == 1, timeout_s=5)
        assert sidecar.listening
        await say(call, [NUMBER, YES], first_turn=3)
        result = await asyncio.wait_for(sidecar.phone.wait_result(), 10)
        await eventually(lambda: not sidecar.listening, timeout_s=5)
        delivered = call.caller.delivered_audio
    assert result is not None and result.e164 == "+4792345678"
    assert READ_BACK in call.server.tool_outputs()[0].output
    assert engine.streams_started == 1
    spans = planned_spans([speech(t) for t in texts])
    # the engine heard from just before the answer (the window's 1 s lead before the audio's end when the agent
    # asked: this caller sends only 0.8 s of silence after speaking): the hello and the weather were not sent
    assert spans[1][1] - 1.0 < offset_s(engine.received_audio(), delivered) <= spans[2][0]
    assert [s.text for s in sidecar.ledger.segments(source="azure")] == [NUMBER, YES]


async def test_a_reply_that_only_mentions_a_number_starts_nothing() -> None:
    texts = [HELLO, WEATHER]
    engine = engine_for(texts)
    script = [
        CallerTurn(transcript=HELLO, reply="Takk, nummeret ditt er registrert. Noe mer?"),
        CallerTurn(transcript=WEATHER, reply="Fint."),
    ]
    async with on_demand_call(script, engine, speed=None) as call:
        await say(call, texts)
        assert call.sidecar is not None and not call.sidecar.listening
    assert engine.streams_started == 0


async def test_the_engines_stay_while_a_tool_waits_for_them() -> None:
    # the tool's call starts the engine; its connection and the replay of the number take longer than the grace:
    # the engine must not be released while the tool still waits for its transcript
    texts = [HELLO, NUMBER]
    engine = engine_for(texts, connect_delay_s=0.5, max_speed=2.0)
    script = [CallerTurn(transcript=HELLO, reply="Gjerne."), capture_turn("nummeret mitt er ni to tre fire")]
    async with on_demand_call(script, engine, on_demand_grace_s=0.1) as call:
        await say(call, texts)
        outputs = call.server.tool_outputs()
    assert READ_BACK in outputs[0].output
    assert engine.streams_started == 1


async def test_a_caller_who_needs_a_moment_is_heard_whole() -> None:
    # the agent asks, the caller needs a moment, the model answers that without a tool (which ends the wait for
    # the answer): the engines must not be let go while the caller is saying the number
    moment = "et øyeblikk, jeg må bare finne det fram"
    texts = [HELLO, moment, NUMBER, YES]
    engine = engine_for(texts, connect_delay_s=0.3)
    script = [
        CallerTurn(transcript=HELLO, reply="Gjerne. Hva er telefonnummeret ditt?"),
        CallerTurn(transcript=moment, reply="Ja, ta den tiden du trenger."),
        capture_turn("nummeret mitt er ni to tre fire fem seks sju sju"),
        capture_turn("ja", "confirm_phone_number"),
    ]
    async with on_demand_call(script, engine, on_demand_grace_s=0.2) as call:
        await say(call, texts)
        outputs = call.server.tool_outputs()
    assert READ_BACK in outputs[0].output
    assert engine.streams_started == 1  # held through the number, not released and started again
