"""The live path end to end: a real AgentSession and the real LiveKit RealtimeModel against FakeRealtimeServer,
with sidecar engines attached through the audio tap."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from livekit import rtc
from livekit.agents import Agent, LanguageCode, llm, stt

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import OfflineCall, offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(90)]

HELLO = "hei, jeg vil gjerne bestille en time"
NUMBER = "nummeret mitt er ni to tre fire fem seks sju åtte"
NUMBER_RT = "nummeret mitt er ni to tre fire fem seks sju sju"  # what the realtime model wrongly hears


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def script_asking_for_transcript() -> list[CallerTurn]:
    return [
        CallerTurn(transcript=HELLO, reply="Gjerne. Hva er nummeret ditt?"),
        CallerTurn(
            transcript=NUMBER_RT,
            function_calls=[ScriptedFunctionCall("get_accurate_transcript", {})],
            reply=lambda outputs: outputs[0].output if outputs else "ingen",
        ),
    ]


def engine_for(spans: Sequence[tuple[float, float]], texts: Sequence[str], **kwargs: Any) -> ScriptedEngine:
    return ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2) for (a, b), t in zip(spans, texts, strict=True)],
        **kwargs,
    )


def spans_of(texts: Sequence[str]) -> list[tuple[float, float]]:
    """Where CallerAudioInput.say will put each utterance."""
    return planned_spans([speech(text) for text in texts])


def agent_with(sidecar: Sidecar | None) -> Agent:
    assert sidecar is not None
    return Agent(instructions="Du er en resepsjonist.", tools=sidecar.tools())


async def converse(call: OfflineCall, texts: Sequence[str]) -> None:
    for i, text in enumerate(texts, start=1):
        call.caller.say(speech(text))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(i, timeout_s=20)
    await call.server.wait_idle(timeout_s=10)


async def eventually(predicate: Callable[[], bool], *, timeout_s: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)


def user_messages(call: OfflineCall) -> list[str]:
    return [
        m.text_content or "" for m in call.session.history.items if isinstance(m, llm.ChatMessage) and m.role == "user"
    ]


@pytest.mark.parametrize("azure", [False, True], ids=["openai", "azure"])
async def test_tool_returns_sidecar_text_while_history_keeps_the_realtime_transcript(azure: bool) -> None:
    texts = [HELLO, NUMBER]
    engine = engine_for(spans_of(texts), texts)
    transcripts: list[str] = []
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": engine}, azure=azure
    ) as call:
        assert call.sidecar is not None
        call.sidecar.on("sidecar_transcript", lambda ev: transcripts.append(ev.segment.text))
        await converse(call, texts)
        await call.server.wait_for_audio_bytes(len(call.caller.delivered_audio), timeout_s=5)
        sidecar, server, delivered = call.sidecar, call.server, call.caller.delivered_audio

    # the realtime model received every frame, byte for byte; the engine received the same audio
    assert server.received_audio == delivered
    assert engine.received_audio() == delivered
    # the tool answered from the sidecar, not from the realtime transcript
    outputs = server.tool_outputs()
    assert [o.name for o in outputs] == ["get_accurate_transcript"]
    assert NUMBER in outputs[0].output and NUMBER_RT not in outputs[0].output
    # history holds only the realtime model's transcripts
    assert user_messages(call) == [HELLO, NUMBER_RT]
    history = json.dumps(call.session.history.to_dict())
    assert "ni to tre fire fem seks sju åtte" not in history.replace(outputs[0].output, "")
    # the ledger aligned each final to its turn and kept the realtime item ids
    turns = sidecar.ledger.turns
    assert len(turns) == 2 and all(t.item_id for t in turns)
    assert [s.text for s in sidecar.ledger.finals_for_turn(turns[0].turn_id)] == [HELLO]
    assert [s.text for s in sidecar.ledger.finals_for_turn(turns[1].item_id or "")] == [NUMBER]
    assert NUMBER in transcripts
    assert sidecar.stats()["azure"].frames_dropped == 0


async def test_two_engines_both_hear_everything() -> None:
    texts = [HELLO, NUMBER]
    spans = spans_of(texts)
    first = engine_for(spans, texts)
    second = engine_for(spans, [HELLO, "nummeret mitt er nittito trettifire femtiseks syttiåtte"])
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": first, "deepgram": second}
    ) as call:
        await converse(call, texts)
        delivered = call.caller.delivered_audio
        server = call.server
    assert first.received_audio() == delivered == second.received_audio()
    output = server.tool_outputs()[0].output
    assert f"azure: {NUMBER}" in output
    assert "deepgram: nummeret mitt er nittito trettifire femtiseks syttiåtte" in output


@pytest.mark.parametrize("fault", ["raise", "disconnect"])
async def test_failing_engine_delays_nothing_and_loses_no_speech(fault: str) -> None:
    texts = [HELLO, NUMBER]
    spans = spans_of(texts)
    mid_number = (spans[1][0] + spans[1][1]) / 2
    kwargs = {"fail_at_s": mid_number} if fault == "raise" else {"end_at_s": mid_number}
    engine = engine_for(spans, texts, **kwargs)
    errors: list[Any] = []
    options = SidecarOptions(restart_backoff_min_s=0.05, restart_backoff_max_s=0.5)
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": engine}, sidecar_options=options
    ) as call:
        assert call.sidecar is not None
        call.sidecar.on("engine_failed", errors.append)
        await converse(call, texts)
        sidecar, server, delivered = call.sidecar, call.server, call.caller.delivered_audio

    assert server.received_audio == delivered  # the realtime path never noticed
    assert len(errors) == 1 and errors[0].will_restart and errors[0].retryable
    assert engine.streams_started == 2 and sidecar.stats()["azure"].restarts == 1
    # the utterance cut in half by the failure was replayed into the new stream and heard whole
    assert NUMBER in server.tool_outputs()[0].output
    assert [s.text for s in sidecar.ledger.segments(source="azure")] == [HELLO, NUMBER]


async def test_hanging_engine_delays_nothing_and_the_tool_says_so_plainly() -> None:
    texts = [HELLO, NUMBER]
    engine = engine_for(spans_of(texts), texts, hang_at_s=0.0)
    # no watchdog restart, and no wait for the restart the read itself starts
    options = SidecarOptions(transcript_timeout_s=0.3, stall_timeout_s=600, recovery_wait_s=0.0)
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": engine}, sidecar_options=options
    ) as call:
        await converse(call, texts)
        server, delivered = call.server, call.caller.delivered_audio
    assert server.received_audio == delivered
    assert "Ingen nøyaktig transkripsjon" in server.tool_outputs()[0].output  # the sidecar language: nb
    assert user_messages(call) == [HELLO, NUMBER_RT]


class _BatchSTT(stt.STT[Any]):
    """A batch-only STT: the sidecar must run it behind StreamAdapter + silero VAD."""

    def __init__(self) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self.durations_s: list[float] = []

    async def _recognize_impl(self, buffer: Any, *, language: Any = None, conn_options: Any = None) -> stt.SpeechEvent:
        frame = rtc.combine_audio_frames(buffer)
        self.durations_s.append(frame.samples_per_channel / frame.sample_rate)
        data = stt.SpeechData(language=LanguageCode("nb"), text=f"segment {len(self.durations_s)}", confidence=0.5)
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data])


async def test_non_streaming_engine_runs_behind_vad_segmentation() -> None:
    texts = [HELLO, NUMBER]
    spans = spans_of(texts)
    batch = _BatchSTT()
    options = SidecarOptions(transcript_timeout_s=5.0)
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"whisper": batch}, sidecar_options=options
    ) as call:
        await converse(call, texts)
        assert call.sidecar is not None
        ledger = call.sidecar.ledger
        # VAD + batch recognition may still be catching up on a loaded machine
        await eventually(lambda: len(ledger.segments(source="whisper")) >= 2, timeout_s=30)
        segments = ledger.segments(source="whisper")
    # silero found each utterance; each became one final, placed inside the utterance's span on the session clock
    assert len(batch.durations_s) == 2
    for duration, (start, end) in zip(batch.durations_s, spans, strict=True):
        # silero's segment holds the speech plus its prefix padding and the closing silence
        assert end - start - 0.2 <= duration <= end - start + 1.3
    assert [s.text for s in segments] == ["segment 1", "segment 2"]
    for seg, (start, end) in zip(segments, spans, strict=True):
        assert start - 0.8 <= seg.start_s <= end and start <= seg.end_s <= end + 1.2


async def test_stalled_engine_is_restarted_and_the_turn_replayed() -> None:
    texts = [HELLO, NUMBER]
    engine = engine_for(spans_of(texts), texts, hang_at_s=0.0)
    errors: list[Any] = []
    # the stall check fires 0.3 s after a turn ends; the tool waits long enough for the replayed final
    options = SidecarOptions(
        stall_timeout_s=0.3, transcript_timeout_s=5.0, restart_backoff_min_s=0.05, restart_backoff_max_s=0.5
    )
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": engine}, sidecar_options=options
    ) as call:
        assert call.sidecar is not None
        call.sidecar.on("engine_failed", errors.append)
        await converse(call, texts)
        server = call.server
    assert errors and "stalled" in errors[0].error and errors[0].will_restart
    assert engine.streams_started >= 2
    assert NUMBER in server.tool_outputs()[0].output


async def test_a_read_that_waits_in_vain_restarts_a_hung_engine_and_waits_for_its_replay() -> None:
    texts = [HELLO, NUMBER]
    engine = engine_for(spans_of(texts), texts, hang_at_s=0.0)
    failed: list[Any] = []
    recovered: list[Any] = []
    # no stall watchdog here: the tool's read itself finds the hung stream
    options = SidecarOptions(
        transcript_timeout_s=0.5,
        stall_timeout_s=600,
        recovery_wait_s=10.0,
        restart_backoff_min_s=0.05,
        restart_backoff_max_s=0.5,
    )
    async with offline_call(
        script_asking_for_transcript(), agent=agent_with, engines={"azure": engine}, sidecar_options=options
    ) as call:
        assert call.sidecar is not None
        call.sidecar.on("engine_failed", failed.append)
        call.sidecar.on("engine_recovered", recovered.append)
        await converse(call, texts)
        server = call.server
    assert failed and "stalled" in failed[0].error and failed[0].fault == "transient"
    assert recovered and recovered[0].source == "azure"
    assert NUMBER in server.tool_outputs()[0].output


async def test_an_engine_that_hears_nothing_turn_after_turn_is_restarted_once_not_after_every_turn() -> None:
    texts = [HELLO, "det er fint vær i dag", "jeg tenker litt på saken", "takk skal du ha"]
    # the engine hears the first turn only: then it takes the audio and says nothing (no words it knows)
    engine = engine_for(spans_of(texts)[:1], texts[:1])
    failed: list[Any] = []
    options = SidecarOptions(stall_timeout_s=0.3, restart_backoff_min_s=0.05, restart_backoff_max_s=0.5)
    script = [CallerTurn(transcript=text, reply="Ja.") for text in texts]
    async with offline_call(script, agent=agent_with, engines={"azure": engine}, sidecar_options=options) as call:
        assert call.sidecar is not None
        call.sidecar.on("engine_failed", failed.append)
        await converse(call, texts)
        await asyncio.sleep(1.0)  # past the last turn's stall check
        stats = call.sidecar.stats()["azure"]
    # the first silent turn restarts the stream (a stuck connection would answer its replay); the restarted one
    # stays silent, so the two turns after are not restarted for
    assert len(failed) == 1 and "stalled" in failed[0].error
    assert engine.streams_started == 2 and stats.restarts == 1 and not stats.failed
