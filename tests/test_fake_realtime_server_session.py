"""End to end: a real ``AgentSession`` with the real LiveKit OpenAI ``RealtimeModel`` against ``FakeRealtimeServer``."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from livekit.agents import Agent, AgentSession, function_tool, llm
from livekit.plugins import openai

from sidecar_stt.testing.audio import build_caller_audio, concat, silence
from sidecar_stt.testing.io import CollectingAudioOutput, FramesAudioInput
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.realtime_server import FakeRealtimeServer
from sidecar_stt.testing.session import wait_for_agent_messages

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(60)]

FIRST = "hei, jeg vil bestille en time"
SECOND = "nummeret mitt er ni to tre fire fem seks sju åtte"


def _script() -> list[CallerTurn]:
    return [
        CallerTurn(transcript=FIRST, reply="Gjerne. Hva er nummeret ditt?"),
        CallerTurn(
            transcript=SECOND,
            function_calls=[ScriptedFunctionCall("save_number", {"number": "92345678"})],
            reply=lambda outputs: f"Jeg har notert {outputs[0].output}." if outputs else "Ingen svar.",
        ),
    ]


class _Receptionist(Agent):
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls
        super().__init__(instructions="Du er en resepsjonist.")

    @function_tool
    async def save_number(self, number: str) -> str:
        """Save the caller's phone number.

        Args:
            number: the phone number, digits only.
        """
        self.calls.append(number)
        return f"lagret {number}"


ModelFactory = Callable[[FakeRealtimeServer], llm.RealtimeModel]


def _openai_model(server: FakeRealtimeServer) -> llm.RealtimeModel:
    return openai.realtime.RealtimeModel(base_url=server.base_url, api_key="x")


def _azure_model(server: FakeRealtimeServer) -> llm.RealtimeModel:
    return openai.realtime.RealtimeModel.with_azure(
        azure_endpoint=server.azure_endpoint, azure_deployment="gpt-realtime", api_key="x"
    )


@pytest.fixture(scope="module")
def caller_audio() -> tuple[bytes, list[tuple[float, float]]]:
    caller = build_caller_audio([(FIRST, 0.7), (SECOND, 0.2)], lead_in_s=0.3)
    # the LiveKit client sends audio in 100 ms chunks and keeps a partial chunk until a commit, so the
    # caller audio is padded to whole chunks to compare everything byte for byte
    chunk = caller.sample_rate // 10
    pcm = concat(caller.pcm, silence((-len(caller.pcm) % chunk) / caller.sample_rate, sample_rate=24000))
    assert len(pcm) % chunk == 0
    return pcm.tobytes(), caller.spans


@pytest.mark.parametrize(("factory", "azure"), [(_openai_model, False), (_azure_model, True)], ids=["openai", "azure"])
async def test_two_turn_session_with_tool(
    factory: ModelFactory, azure: bool, caller_audio: tuple[bytes, list[tuple[float, float]]]
) -> None:
    import numpy as np

    pcm_bytes, spans = caller_audio
    calls: list[str] = []
    async with FakeRealtimeServer(_script(), default_reply="Velkommen!") as server:
        model = factory(server)
        session: AgentSession[None] = AgentSession(
            llm=model,
            vad=None,
            aec_warmup_duration=None,
            turn_handling={"turn_detection": "realtime_llm", "interruption": {"resume_false_interruption": False}},
        )
        output = CollectingAudioOutput()
        session.output.audio = output
        output.watch_session(session)
        await session.start(_Receptionist(calls))
        await session.generate_reply(instructions="Greet the caller.")
        audio_in = FramesAudioInput(np.frombuffer(pcm_bytes, dtype=np.int16), speed=None, trailing_silence_s=0.7)
        session.input.audio = audio_in
        try:
            await audio_in.wait_done(timeout_s=10)
            detected = await server.wait_for_turns(2, timeout_s=15)
            await server.wait_idle(timeout_s=10)
            await server.wait_for_audio_bytes(len(audio_in.delivered_audio), timeout_s=5)
            await wait_for_agent_messages(session, 3, timeout_s=10, failures=server.errors)  # greeting + 2 replies
        finally:
            await session.aclose()
            await model.aclose()

    # the right endpoint was used
    assert server.connections and server.connections[0].azure is azure
    assert server.connections[0].path == ("/openai/v1/realtime" if azure else "/v1/realtime")
    assert server.connections[0].model == "gpt-realtime"

    # every byte the input delivered reached the realtime model's server, byte for byte
    assert server.received_audio == audio_in.delivered_audio
    assert audio_in.delivered_audio[: len(pcm_bytes)] == pcm_bytes

    # both utterances were detected where the audio has them (within VAD resolution)
    assert len(detected) == 2
    for (start_s, end_s), (exp_start, exp_end) in zip(detected, spans, strict=True):
        assert abs(start_s - exp_start) < 0.15
        assert abs(end_s - exp_end) < 0.15

    # history holds the scripted user transcripts and the replies
    messages = [m for m in session.history.items if isinstance(m, llm.ChatMessage)]
    user_texts = [m.text_content for m in messages if m.role == "user"]
    assert user_texts == [FIRST, SECOND]
    assistant_texts = [m.text_content for m in messages if m.role == "assistant"]
    assert assistant_texts[0] == "Velkommen!"  # the greeting asked for with generate_reply
    assert "Gjerne. Hva er nummeret ditt?" in assistant_texts
    assert "Jeg har notert lagret 92345678." in assistant_texts

    # the tool ran with the scripted arguments and its output reached the server
    assert calls == ["92345678"]
    fn_calls = [i for i in session.history.items if isinstance(i, llm.FunctionCall)]
    assert [json.loads(c.arguments) for c in fn_calls] == [{"number": "92345678"}]
    outputs = server.tool_outputs()
    assert [(o.name, o.output) for o in outputs] == [("save_number", "lagret 92345678")]
    assert isinstance(outputs[0], ToolOutput)

    # the agent's speech reached the output, with playback reported
    assert len(output.segments) == 3
    assert all(not s.interrupted for s in output.segments)
    transcripts = [s.transcript for s in output.segments]
    assert transcripts == ["Velkommen!", "Gjerne. Hva er nummeret ditt?", "Jeg har notert lagret 92345678."]

    # every event the server sent validated against the SDK models
    assert server.validated_event_count == len(server.sent_events) > 0
    assert server.errors == []
