"""What a real deployment does to the sidecar, exercised offline: turn times from the server's audio offsets,
speech the model did not hear (echo-cancellation warm-up), realtime models that report no turns, a session VAD,
a tap that falls off the session's input, restart after close, and audio formats (8-48 kHz, stereo)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from livekit.agents import Agent, AgentSession, llm
from livekit.plugins import silero

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.adapters.livekit.tap import AudioTap
from sidecar_stt.core.instructions import model_texts
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.testing.audio import resample, synthesize_speech
from sidecar_stt.testing.caller import CallerAudioInput, planned_spans
from sidecar_stt.testing.realtime_double import ListeningRealtimeModel
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import OfflineCall, offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(90)]

HELLO = "hei, jeg vil gjerne bestille en time"
NUMBER = "nummeret mitt er ni to tre fire fem seks sju åtte"


@functools.cache
def speech(text: str, rate: int = 24000) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190, sample_rate=rate)


def engine_for(spans: Sequence[tuple[float, float]], texts: Sequence[str]) -> ScriptedEngine:
    return ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2) for (a, b), t in zip(spans, texts, strict=True)]
    )


def loud_samples(engine: ScriptedEngine) -> int:
    """How many samples of speech (not silence) the engine has received."""
    received = np.frombuffer(engine.received_audio(), dtype=np.int16)
    return int(np.count_nonzero(np.abs(received.astype(np.int32)) > 500))


def plain_agent(sidecar: Sidecar | None) -> Agent:
    return Agent(instructions="Du er en resepsjonist.")


async def eventually(predicate: Callable[[], bool], *, timeout_s: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def ledger_done(call: OfflineCall) -> bool:
    assert call.sidecar is not None
    latest = call.sidecar.ledger.latest_turn()
    return latest is not None and latest.end_s is not None


def closed_turns(call: OfflineCall) -> int:
    assert call.sidecar is not None
    return sum(1 for t in call.sidecar.ledger.turns if t.end_s is not None)


# -- turn times ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("azure", [False, True], ids=["openai", "azure"])
async def test_turn_times_come_from_the_servers_audio_offsets(azure: bool) -> None:
    texts = [HELLO, NUMBER]
    spans = planned_spans([speech(t) for t in texts])
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    async with offline_call(
        script, agent=plain_agent, engines={"azure": engine_for(spans, texts)}, azure=azure
    ) as call:
        assert call.sidecar is not None
        for i, text in enumerate(texts, start=1):
            call.caller.say(speech(text))
            await call.server.wait_for_turns(i, timeout_s=20)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        await call.sidecar.turn_transcript(timeout_s=15)
        turns, server_spans = call.sidecar.ledger.turns, call.server.turn_spans

    # the caller's audio is delivered at once: wall-clock times would put both ends at the end of the audio
    assert [t.timing for t in turns] == ["server_audio", "server_audio"]
    for turn, server, planned in zip(turns, server_spans, spans, strict=True):
        assert turn.start_s == pytest.approx(server.start_s, abs=0.011)
        assert turn.end_s == pytest.approx(server.end_s, abs=0.011)
        assert turn.start_s == pytest.approx(planned[0], abs=0.3) and turn.end_s == pytest.approx(planned[1], abs=0.3)
    assert [s.text for s in call.sidecar.ledger.finals_for_turn(turns[1].turn_id)] == [NUMBER]


async def test_a_session_vad_does_not_replace_the_models_own_turns() -> None:
    texts = [HELLO, NUMBER]
    spans = planned_spans([speech(t) for t in texts])
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    local_vad = silero.VAD.load()

    def with_vad(model: llm.RealtimeModel) -> AgentSession[None]:
        return AgentSession(llm=model, vad=local_vad, aec_warmup_duration=None)

    async with offline_call(
        script, agent=plain_agent, engines={"azure": engine_for(spans, texts)}, session=with_vad, speed=2.0
    ) as call:
        assert call.sidecar is not None
        for i, text in enumerate(texts, start=1):
            call.caller.say(speech(text))
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(i, timeout_s=20)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        turns, server_spans = call.sidecar.ledger.turns, call.server.turn_spans

    assert [t.timing for t in turns] == ["server_audio", "server_audio"]
    for turn, server in zip(turns, server_spans, strict=True):
        assert (turn.start_s, turn.end_s) == pytest.approx((server.start_s, server.end_s), abs=0.011)


# -- models that report no turns ----------------------------------------------------------------------------


async def test_a_model_that_reports_no_turns_gets_turns_from_the_sidecars_vad() -> None:
    texts = [HELLO, NUMBER]
    spans = planned_spans([speech(t) for t in texts])
    model = ListeningRealtimeModel()
    sources: list[str] = []
    async with offline_call(
        [], agent=plain_agent, engines={"azure": engine_for(spans, texts)}, model=model, speed=4.0
    ) as call:
        assert call.sidecar is not None
        call.sidecar.on("turn_source_selected", lambda ev: sources.append(ev.source))
        for text in texts:
            call.caller.say(speech(text))
            await call.caller.wait_idle(timeout_s=20)
        await eventually(lambda: closed_turns(call) == 2, timeout_s=15)
        transcript = await call.sidecar.turn_transcript(timeout_s=15)
        turns = call.sidecar.ledger.turns

    assert sources == ["vad"] and call.sidecar.turn_source == "vad"
    assert [t.timing for t in turns] == ["sidecar_vad", "sidecar_vad"]
    for turn, (start_s, end_s) in zip(turns, spans, strict=True):
        assert turn.start_s == pytest.approx(start_s, abs=0.2) and turn.end_s == pytest.approx(end_s, abs=0.2)
    assert transcript.text("azure") == NUMBER
    assert [s.text for s in call.sidecar.ledger.finals_for_turn(turns[0].turn_id)] == [HELLO]


async def test_a_model_that_reports_speech_only_as_it_happens_is_timed_by_wall_clock() -> None:
    texts = [HELLO]
    spans = planned_spans([speech(t) for t in texts])
    model = ListeningRealtimeModel(report_speech=True)
    async with offline_call(
        [], agent=plain_agent, engines={"azure": engine_for(spans, texts)}, model=model, speed=4.0
    ) as call:
        assert call.sidecar is not None
        call.caller.say(speech(HELLO))
        await call.caller.wait_idle(timeout_s=20)
        await eventually(lambda: closed_turns(call) == 1, timeout_s=10)
        turns = call.sidecar.ledger.turns

    assert call.sidecar.turn_source == "realtime"
    assert [t.timing for t in turns] == ["wall_clock"]


# -- speech the model did not hear --------------------------------------------------------------------------


@pytest.mark.parametrize("cause", ["echo_warmup", "uninterruptible_speech"])
async def test_speech_the_model_was_given_silence_for_is_unheard_and_not_handed_to_the_next_turn(cause: str) -> None:
    during, after = "hallo, er det noen der", NUMBER
    spans = planned_spans([speech(during), speech(after)])
    script = [CallerTurn(transcript=after, reply="Mm.")]

    def livekit_defaults(model: llm.RealtimeModel) -> AgentSession[None]:
        if cause == "echo_warmup":
            return AgentSession(llm=model, vad=None, aec_warmup_duration=3.0)  # LiveKit's default warm-up
        # uninterruptible speech needs client-side turn detection (the server's cannot be held off)
        return AgentSession(
            llm=model, vad=silero.VAD.load(), aec_warmup_duration=None, turn_handling={"turn_detection": "vad"}
        )

    async with offline_call(
        script,
        agent=plain_agent,
        engines={"azure": engine_for(spans, [during, after])},
        session=livekit_defaults,
        playback_speed=1.0,
        # a local VAD's turns are timed by wall clock: the caller must speak in real time for them to be right
        speed=None if cause == "echo_warmup" else 1.0,
        server_options={"default_reply": "Hei og velkommen, " * 6, "reply_audio_max_s": 2.5},
    ) as call:
        assert call.sidecar is not None
        call.session.generate_reply(instructions="Hils.", allow_interruptions=cause == "echo_warmup")
        await eventually(lambda: call.session.agent_state == "speaking", timeout_s=10)
        call.caller.say(speech(during))  # the caller talks over the greeting: the model gets silence
        await call.caller.wait_idle(timeout_s=10)
        await eventually(lambda: call.session.agent_state != "speaking", timeout_s=10)
        call.caller.say(speech(after))
        await call.server.wait_for_turns(1, timeout_s=20)
        await eventually(lambda: bool(closed_turns(call)) and ledger_done(call), timeout_s=15)
        transcript = await call.sidecar.turn_transcript(timeout_s=15)
        ledger = call.sidecar.ledger
        unheard = ledger.unheard_spans
        received = np.frombuffer(call.server.received_audio, dtype=np.int16)

    assert unheard and unheard[0][0] <= spans[0][0] and unheard[-1][1] >= spans[0][1]
    assert not received[: int(spans[0][1] * 24000)].any()  # the model heard only silence there
    assert transcript.text("azure") == after, (ledger.turns, ledger.segments(), unheard)  # not "hallo … <number>"
    assert [s.text for s in ledger.unheard_segments()] == [during]
    assert all(during not in [s.text for s in ledger.finals_for_turn(t.turn_id)] for t in ledger.turns)
    # with the server's turns the unheard speech made no turn; a local VAD reports it (the model skipped it)
    assert len(ledger.turns) == (1 if cause == "echo_warmup" else 2)


# -- tap health and restart ---------------------------------------------------------------------------------


async def test_a_replaced_input_is_tapped_again_and_a_removed_one_is_reported() -> None:
    texts = [HELLO]
    spans = planned_spans([speech(t) for t in texts])
    script = [CallerTurn(transcript=HELLO, reply="Mm.")]
    events: list[str] = []
    options = SidecarOptions(health_interval_s=0.05)
    engine = engine_for(spans, texts)
    async with offline_call(script, agent=plain_agent, engines={"azure": engine}, sidecar_options=options) as call:
        sidecar = call.sidecar
        assert sidecar is not None and sidecar.hearing
        for name in ("tap_reinstalled", "tap_lost"):
            sidecar.on(name, lambda ev: events.append(ev.type))
        console = CallerAudioInput(speed=None)
        call.session.input.audio = console  # what the console's text/audio toggle does
        await eventually(lambda: events == ["tap_reinstalled"], timeout_s=15)
        assert isinstance(call.session.input.audio, AudioTap) and call.session.input.audio.source is console
        console.say(speech(HELLO))
        await call.server.wait_for_turns(1, timeout_s=20)
        # the sidecar hears the caller through the new input: its engine receives the speech the console plays
        # (the console's clock starts where the tap's already is, so the scripted transcript's times would not fit)
        await eventually(lambda: loud_samples(engine) >= len(speech(HELLO)) // 4, timeout_s=15)
        call.session.input.audio = None
        await eventually(lambda: events == ["tap_reinstalled", "tap_lost"], timeout_s=15)
        assert not sidecar.hearing and "lost" in (sidecar.not_hearing_reason or "")
        answer = await sidecar.tools(phone=False)[0]()  # type: ignore[operator]
        assert answer == model_texts("nb")["sidecar_unavailable"]
        console.finish()


async def test_attaching_after_the_session_closed_is_refused_plainly_and_a_new_sidecar_works() -> None:
    texts = [HELLO]
    spans = planned_spans([speech(t) for t in texts])
    script = [CallerTurn(transcript=HELLO, reply="Mm.")]
    async with offline_call(script, agent=plain_agent, engines={"azure": engine_for(spans, texts)}) as call:
        sidecar = call.sidecar
        assert sidecar is not None
        await call.session.aclose()
        await eventually(lambda: not sidecar.hearing, timeout_s=15)
        assert "closed" in (sidecar.not_hearing_reason or "")
        await call.session.start(plain_agent(None))
        call.session.input.audio = caller = CallerAudioInput(speed=None)
        with pytest.raises(ConfigurationError, match="new Sidecar"):
            await sidecar.attach(call.session)
        fresh_engine = engine_for(spans, texts)
        fresh = Sidecar({"azure": fresh_engine})
        await fresh.attach(call.session)
        caller.say(speech(HELLO))
        await call.server.wait_for_turns(1, timeout_s=20)
        await eventually(lambda: loud_samples(fresh_engine) >= len(speech(HELLO)) // 4, timeout_s=15)
        assert fresh.hearing
        caller.finish()
        await fresh.aclose()


# -- formats ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [8000, 16000, 24000, 48000])
async def test_engines_get_the_callers_audio_at_any_rate_and_narrowband_is_detected(rate: int) -> None:
    pcm = speech(NUMBER, rate)
    spans = planned_spans([pcm], sample_rate=rate)
    engine = engine_for(spans, [NUMBER])
    formats: list[Any] = []
    caller = CallerAudioInput(speed=None, sample_rate=rate)
    script = [CallerTurn(transcript=NUMBER, reply="Mm.")]
    async with offline_call(script, agent=plain_agent, engines={"azure": engine}, caller=caller) as call:
        assert call.sidecar is not None
        call.sidecar.on("audio_format_detected", formats.append)
        caller.say(pcm)
        await call.server.wait_for_turns(1, timeout_s=20)
        await caller.wait_idle(timeout_s=10)
        delivered = caller.delivered_audio
        await eventually(lambda: len(engine.received_audio()) >= len(delivered), timeout_s=15)
        ledger = call.sidecar.ledger
        # the engine's final, in whichever caller turn(s) the server's energy VAD made of the utterance
        await eventually(lambda: any(s.is_final for s in ledger.segments()), timeout_s=15)
        stats = call.sidecar.stats()["azure"]
        turns, segments = ledger.turns, ledger.segments(finals_only=False)

    assert [s.text for s in segments if s.is_final] == [NUMBER], (turns, segments)
    assert (stats.restarts, stats.rate_changes, stats.frames_dropped) == (0, 0, 0)
    received = np.frombuffer(engine.received_audio(), dtype=np.int16)
    sent = np.frombuffer(delivered, dtype=np.int16)
    differ = np.flatnonzero(received[: len(sent)] != sent)
    assert len(received) == len(sent) and not differ.size, (len(received), len(sent), differ[:5])
    assert formats and formats[0].sample_rate == rate and formats[0].num_channels == 1
    assert formats[0].bandwidth == ("narrowband" if rate == 8000 else "wideband")


async def test_telephone_audio_in_wideband_frames_is_detected_as_narrowband() -> None:
    pcm = resample(speech(NUMBER, 8000), from_rate=8000, to_rate=24000)  # SIP audio as RoomIO delivers it
    spans = planned_spans([pcm])
    script = [CallerTurn(transcript=NUMBER, reply="Mm.")]
    async with offline_call(script, agent=plain_agent, engines={"azure": engine_for(spans, [NUMBER])}) as call:
        assert call.sidecar is not None
        call.caller.say(pcm)
        await call.server.wait_for_turns(1, timeout_s=20)
        assert call.sidecar.bandwidth == "narrowband"


async def test_stereo_frames_reach_the_engines_as_mono() -> None:
    pcm = speech(NUMBER)
    spans = planned_spans([pcm])
    engine = engine_for(spans, [NUMBER])
    caller = CallerAudioInput(speed=None, num_channels=2)
    async with offline_call([], agent=plain_agent, engines={"azure": engine}, caller=caller) as call:
        assert call.sidecar is not None
        caller.say(pcm)
        await caller.wait_idle(timeout_s=10)
        stereo = np.frombuffer(caller.delivered_audio, dtype=np.int16).reshape(-1, 2)
        await eventually(lambda: len(engine.received_audio()) >= stereo.size, timeout_s=10)
        await eventually(lambda: bool(call.sidecar and call.sidecar.ledger.segments()), timeout_s=10)

    mono = np.frombuffer(engine.received_audio(), dtype=np.int16)
    assert len(mono) == len(stereo)
    assert np.array_equal(mono, (stereo.astype(np.int32).sum(axis=1) // 2).astype(np.int16))
    assert [s.text for s in call.sidecar.ledger.segments()] == [NUMBER]


async def test_the_realtime_transcript_can_be_awaited_and_its_absence_is_said() -> None:
    texts = [HELLO]
    spans = planned_spans([speech(t) for t in texts])
    script = [CallerTurn(transcript=HELLO, reply="Mm.")]
    async with offline_call(script, agent=plain_agent, engines={"azure": engine_for(spans, texts)}) as call:
        assert call.sidecar is not None
        call.caller.say(speech(HELLO))
        await eventually(lambda: bool(call.sidecar and call.sidecar.ledger.turns), timeout_s=10)
        turn_id = call.sidecar.ledger.turns[0].turn_id
        got = await call.sidecar.realtime_transcripts([turn_id], timeout_s=10)
        assert got == {turn_id: HELLO}
        call.sidecar.ledger.begin_turn(start_s=100.0)  # a turn the model never transcribes
        missing = call.sidecar.ledger.turns[-1].turn_id
        assert (await call.sidecar.realtime_transcripts([missing], timeout_s=0.1)) == {missing: None}
