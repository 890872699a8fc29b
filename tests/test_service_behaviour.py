"""The real service's timing and failures, each shown by the fake server on request (``ServerBehaviour``) and met
by the real ``AgentSession`` + LiveKit ``RealtimeModel`` with a sidecar attached: late or missing realtime
transcripts, turn ends that include the server's silence, barge-in over the read-back, a dropped connection,
``transcription.failed``, ``rate_limits.updated``, transcript logprobs and server errors."""

from __future__ import annotations

import asyncio
import functools
import math
import socket
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from livekit.agents import Agent, llm
from livekit.plugins import openai
from openai.types.realtime.realtime_audio_input_turn_detection import ServerVad

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import CallerAudioInput, planned_spans
from sidecar_stt.testing.realtime_behaviour import ServerBehaviour, TranscriptTiming
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import OfflineCall, offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

HELLO = "hei, jeg vil gjerne bestille en time"
NUMBER = "nummeret mitt er nittito trettifire femtiseks syttiåtte"
RIGHT = "+4792345678"


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def engine_for(texts: Sequence[str]) -> ScriptedEngine:
    spans = planned_spans([speech(t) for t in texts])
    return ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2) for (a, b), t in zip(spans, texts, strict=True)]
    )


def plain_agent(sidecar: Sidecar | None) -> Agent:
    return Agent(instructions="Du er en resepsjonist.")


def capture_agent(events: list[Any]) -> Callable[[Sidecar | None], Agent]:
    def build(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        for name in ("capture_evidence_gathered", "phone_number_proposed", "phone_number_rejected"):
            sidecar.on(name, events.append)  # type: ignore[arg-type]
        return Agent(instructions="Du tar imot telefonnummer.", tools=sidecar.tools())

    return build


def speak_tool_output(outputs: list[ToolOutput]) -> str:
    return outputs[0].output if outputs else ""


async def eventually(predicate: Callable[[], bool], *, timeout_s: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def closed_turns(call: OfflineCall) -> int:
    assert call.sidecar is not None
    return sum(1 for t in call.sidecar.ledger.turns if t.end_s is not None)


async def speak_turns(call: OfflineCall, texts: Sequence[str]) -> None:
    for i, text in enumerate(texts, start=1):
        call.caller.say(speech(text))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(i, timeout_s=30)


# -- late, missing and failed realtime transcripts ----------------------------------------------------------


async def capture_with(behaviour: ServerBehaviour, options: SidecarOptions) -> tuple[OfflineCall, list[Any]]:
    events: list[Any] = []
    script = [
        CallerTurn(
            transcript=NUMBER,
            function_calls=[ScriptedFunctionCall("capture_phone_number", {"spoken_number": "92345678"})],
            reply=speak_tool_output,
        )
    ]
    async with offline_call(
        script,
        agent=capture_agent(events),
        engines={"azure": engine_for([NUMBER])},
        sidecar_options=options,
        server_options={"behaviour": behaviour},
    ) as call:
        await speak_turns(call, [NUMBER])
        await call.server.wait_idle(timeout_s=15)
        await asyncio.sleep(0.5)  # a transcript held back past the tool has arrived by now
    return call, events


@pytest.mark.parametrize("timing", ["before_response", "after_response_created", "after_function_call"])
async def test_a_late_realtime_transcript_is_waited_for_and_counts(timing: TranscriptTiming) -> None:
    behaviour = ServerBehaviour(transcript_timing=timing, transcript_delay_s=0.3)
    call, events = await capture_with(behaviour, SidecarOptions(transcript_timeout_s=3.0, realtime_transcript_wait_s=2))
    sent = call.server.sent_event_types()
    completed = sent.index("conversation.item.input_audio_transcription.completed")
    if timing == "before_response":
        assert completed < sent.index("response.created")
    else:
        assert completed > sent.index(
            "response.output_item.done" if timing == "after_function_call" else "response.created"
        )
    gathered = [e for e in events if e.type == "capture_evidence_gathered"]
    assert len(gathered) == 1
    assert gathered[0].realtime_missing == ()
    assert "realtime" in gathered[0].sources and "azure" in gathered[0].sources
    assert [e.e164 for e in events if e.type == "phone_number_proposed"] == [RIGHT]


async def test_a_transcript_later_than_the_wait_is_reported_missing_and_the_sidecar_still_decides() -> None:
    behaviour = ServerBehaviour(transcript_timing="after_function_call", transcript_delay_s=1.5)
    call, events = await capture_with(
        behaviour, SidecarOptions(transcript_timeout_s=3.0, realtime_transcript_wait_s=0.2)
    )
    gathered = [e for e in events if e.type == "capture_evidence_gathered"]
    assert call.sidecar is not None
    turn_id = call.sidecar.ledger.turns[0].turn_id
    assert gathered[0].realtime_missing == (turn_id,) and gathered[0].sources == ("azure",)
    assert [e.e164 for e in events if e.type == "phone_number_proposed"] == [RIGHT]
    # it did come, after the capture decided: the ledger has it for what follows
    assert call.sidecar.ledger.turns[0].realtime_transcript == NUMBER


@pytest.mark.parametrize("failure", ["never", "failed"])
async def test_a_transcript_that_never_comes_is_missing_and_the_call_goes_on(failure: str) -> None:
    behaviour = (
        ServerBehaviour(transcript_timing="never")
        if failure == "never"
        else ServerBehaviour(failed_transcription_turns=frozenset({0}))
    )
    call, events = await capture_with(
        behaviour, SidecarOptions(transcript_timeout_s=3.0, realtime_transcript_wait_s=0.3)
    )
    assert call.sidecar is not None
    sent = call.server.sent_event_types()
    assert "conversation.item.input_audio_transcription.completed" not in sent
    assert ("conversation.item.input_audio_transcription.failed" in sent) == (failure == "failed")
    turn_id = call.sidecar.ledger.turns[0].turn_id
    gathered = [e for e in events if e.type == "capture_evidence_gathered"]
    assert gathered[0].realtime_missing == (turn_id,)
    assert [e.e164 for e in events if e.type == "phone_number_proposed"] == [RIGHT]
    assert call.sidecar.ledger.turns[0].realtime_transcript is None


# -- turn ends ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("silence_ms", [200, 700])
async def test_turns_end_where_the_speech_ended_not_where_the_servers_silence_did(silence_ms: int) -> None:
    texts = [HELLO, NUMBER]
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    port = free_port()
    model = openai.realtime.RealtimeModel(
        base_url=f"http://127.0.0.1:{port}/v1",
        api_key="offline",
        turn_detection=ServerVad(type="server_vad", silence_duration_ms=silence_ms, prefix_padding_ms=0),
    )
    async with offline_call(
        script,
        agent=plain_agent,
        engines={"azure": engine_for(texts)},
        server_options={"vad": "session", "port": port},
        model=model,
    ) as call:
        await speak_turns(call, texts)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        assert call.sidecar is not None
        turns, spans = call.sidecar.ledger.turns, call.server.turn_spans
        stopped = [e for e in call.server.sent_events if e["type"] == "input_audio_buffer.speech_stopped"]

    for turn, span, event in zip(turns, spans, stopped, strict=True):
        # the server said the turn ended silence_ms after the speech; the ledger has where the speech ended
        assert event["audio_end_ms"] / 1000 == pytest.approx(span.end_s + silence_ms / 1000, abs=0.011)
        assert turn.end_s == pytest.approx(span.end_s, abs=0.011)
        assert turn.timing == "server_audio"


# -- barge-in -----------------------------------------------------------------------------------------------


async def test_a_no_over_the_read_back_cancels_it_and_rejects_the_reading_it_interrupted() -> None:
    events: list[Any] = []
    texts = [NUMBER, "nei"]
    script = [
        CallerTurn(
            transcript=NUMBER,
            function_calls=[ScriptedFunctionCall("capture_phone_number", {"spoken_number": "92345678"})],
            reply=speak_tool_output,
        ),
        CallerTurn(transcript="nei", function_calls=[ScriptedFunctionCall("reject_phone_number", {})]),
    ]
    server_options = {
        "behaviour": ServerBehaviour(barge_in=True),
        "reply_audio_speed": 1.0,
        "reply_audio_max_s": 4.0,
        "reply_audio_s_per_char": 0.05,
    }
    async with offline_call(
        script,
        agent=capture_agent(events),
        engines={"azure": engine_for(texts)},
        sidecar_options=SidecarOptions(transcript_timeout_s=3.0),
        server_options=server_options,
        playback_speed=1.0,
    ) as call:
        call.caller.say(speech(NUMBER))
        await call.caller.wait_idle(timeout_s=20)
        # the read-back is playing: the caller says "nei" over it
        await call.server.wait_until(lambda: len(call.server.tool_outputs()) == 1, timeout_s=20)
        await eventually(lambda: call.output.spoken_s >= 0.5, timeout_s=10)
        call.caller.say(speech("nei"))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(2, timeout_s=30)
        await call.server.wait_idle(timeout_s=15)

    done = [e["response"] for e in call.server.sent_events if e["type"] == "response.done"]
    cancelled = [r for r in done if r["status"] == "cancelled"]
    assert [r["status_details"]["reason"] for r in cancelled] == ["turn_detected"]
    sent = call.server.sent_event_types()
    assert sent.index("input_audio_buffer.speech_started", sent.index("response.output_audio.delta")) < sent.index(
        "response.done", sent.index("response.output_audio.delta")
    )
    assert "conversation.item.truncate" in call.server.client_event_types()  # LiveKit cut the read-back short
    proposed = [e for e in events if e.type == "phone_number_proposed"]
    rejected = [e for e in events if e.type == "phone_number_rejected"]
    assert [e.e164 for e in proposed] == [RIGHT]
    assert [e.e164 for e in rejected] == [RIGHT]
    assert rejected[0].proposal_id == proposed[0].proposal_id


# -- a dropped connection -----------------------------------------------------------------------------------


async def test_a_dropped_connection_loses_no_turn_and_puts_no_segment_in_the_wrong_turn() -> None:
    texts = [HELLO, NUMBER, "ja, det stemmer"]
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    reconnected: list[Any] = []
    async with offline_call(
        script,
        agent=plain_agent,
        engines={"azure": engine_for(texts)},
        server_options={"behaviour": ServerBehaviour(drop_after_turns=1)},
    ) as call:
        assert call.sidecar is not None
        session = call.session.current_agent.realtime_llm_session

        def on_error(ev: llm.RealtimeModelError) -> None:
            if ev.recoverable and not reconnected:
                call.caller.say(speech(texts[1]))  # the caller speaks on while the connection is down

        session.on("error", on_error)
        session.on("session_reconnected", reconnected.append)
        await speak_turns(call, texts[:1])
        await call.server.wait_for_turns(2, timeout_s=30)
        assert len(call.server.connections) == 2 and reconnected
        call.caller.say(speech(texts[2]))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(3, timeout_s=30)
        await eventually(lambda: closed_turns(call) == 3, timeout_s=15)
        await call.sidecar.turn_transcript(timeout_s=15)
        ledger = call.sidecar.ledger
        turns = ledger.turns
        finals = [[s.text for s in ledger.finals_for_turn(t.turn_id)] for t in turns]
        starts_ms = [
            e["audio_start_ms"] for e in call.server.sent_events if e["type"] == "input_audio_buffer.speech_started"
        ]

    planned = planned_spans([speech(t) for t in texts])
    assert len(turns) == 3 and [t.timing for t in turns] == ["server_audio"] * 3
    assert finals == [[t] for t in texts]
    # the new connection's offsets start again at 0 (its buffer holds the audio queued while it was down); the
    # ledger's times stay on the call's clock
    assert starts_ms[1] / 1000 < planned[1][0] - 0.5
    for turn, (start_s, end_s) in zip(turns, planned, strict=True):
        assert turn.start_s == pytest.approx(start_s, abs=0.35) and turn.end_s == pytest.approx(end_s, abs=0.35)


# -- what the service sends beside the turns ----------------------------------------------------------------


async def test_rate_limits_logprobs_and_a_server_error_leave_the_call_whole() -> None:
    texts = [HELLO, NUMBER]
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    behaviour = ServerBehaviour(rate_limits=True, transcript_logprob=-0.25, error_after_turns=frozenset({1}))
    errors: list[llm.RealtimeModelError] = []
    async with offline_call(
        script, agent=plain_agent, engines={"azure": engine_for(texts)}, server_options={"behaviour": behaviour}
    ) as call:
        call.session.current_agent.realtime_llm_session.on("error", errors.append)
        await speak_turns(call, texts)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        await call.wait_for_agent_messages(2, timeout_s=15)
        assert call.sidecar is not None
        ledger_transcripts = [t.realtime_transcript for t in call.sidecar.ledger.turns]
        users = [m for m in call.session.history.items if isinstance(m, llm.ChatMessage) and m.role == "user"]

    sent = call.server.sent_event_types()
    assert sent.count("rate_limits.updated") == sent.count("response.created") == 2
    assert sent.count("error") == 1 and len(call.server.connections) == 1
    assert [e.recoverable for e in errors] == [True]
    assert ledger_transcripts == texts
    # LiveKit turns the logprobs into the transcript's confidence (no longer always 1.0)
    assert [m.transcript_confidence for m in users] == [pytest.approx(math.exp(-0.25))] * 2


async def test_an_idle_timeout_makes_no_caller_turn_and_takes_no_transcript_from_one() -> None:
    texts = [HELLO, NUMBER]
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    quiet = np.zeros(24000 * 2, dtype=np.int16)  # the caller says nothing for two seconds
    first, _, second = planned_spans([speech(HELLO), quiet, speech(NUMBER)])
    engine = ScriptedEngine(
        [
            ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2)
            for (a, b), t in zip((first, second), texts, strict=True)
        ]
    )
    port = free_port()
    model = openai.realtime.RealtimeModel(
        base_url=f"http://127.0.0.1:{port}/v1",
        api_key="offline",
        turn_detection=ServerVad(type="server_vad", silence_duration_ms=500, idle_timeout_ms=1000),
    )
    async with offline_call(
        script,
        agent=plain_agent,
        engines={"azure": engine},
        server_options={"port": port, "default_reply": "Er du der?"},
        model=model,
        caller=CallerAudioInput(trailing_silence_s=0.8),
    ) as call:
        await speak_turns(call, texts[:1])
        call.caller.say(quiet)
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_until(
            lambda: "input_audio_buffer.timeout_triggered" in call.server.sent_event_types(), timeout_s=15
        )
        await call.server.wait_idle(timeout_s=15)
        call.caller.say(speech(texts[1]))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(2, timeout_s=30)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        assert call.sidecar is not None
        await call.sidecar.turn_transcript(timeout_s=15)
        await call.wait_for_agent_messages(3, timeout_s=15)
        turns = call.sidecar.ledger.turns
        finals = [[s.text for s in call.sidecar.ledger.finals_for_turn(t.turn_id)] for t in turns]

    # once or twice, as the audio reached the server: every idle_timeout_ms of silence after an exchange
    assert call.server.sent_event_types().count("input_audio_buffer.timeout_triggered") >= 1
    assert len(turns) == 2 and finals == [[t] for t in texts]
    # the silent item the timeout committed labels no caller turn
    assert [t.realtime_transcript for t in turns] == texts


async def test_speech_under_way_when_the_connection_drops_stays_a_turn_of_its_own() -> None:
    texts = [HELLO, NUMBER, "ja, det stemmer"]
    # the model never hears the second utterance (lost with the connection): its second scripted turn is the third
    script = [CallerTurn(transcript=texts[0], reply="Mm."), CallerTurn(transcript=texts[2], reply="Mm.")]
    async with offline_call(
        script,
        agent=plain_agent,
        engines={"azure": engine_for(texts)},
        server_options={"behaviour": ServerBehaviour(drop_in_turn=1)},
    ) as call:
        assert call.sidecar is not None
        await speak_turns(call, texts[:1])
        call.caller.say(speech(texts[1]))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_until(lambda: len(call.server.connections) == 2, timeout_s=20)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        call.caller.say(speech(texts[2]))
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(2, timeout_s=30)
        await eventually(lambda: closed_turns(call) == 3, timeout_s=15)
        await call.sidecar.turn_transcript(timeout_s=15)
        ledger = call.sidecar.ledger
        turns = ledger.turns
        finals = [[s.text for s in ledger.finals_for_turn(t.turn_id)] for t in turns]

    planned = planned_spans([speech(t) for t in texts])
    assert len(turns) == 3 and finals == [[t] for t in texts]
    assert turns[1].realtime_transcript is None  # the model never heard it
    assert [t.realtime_transcript for t in (turns[0], turns[2])] == [texts[0], texts[2]]
    assert turns[1].start_s == pytest.approx(planned[1][0], abs=0.35)
    assert turns[2].start_s == pytest.approx(planned[2][0], abs=0.35)
