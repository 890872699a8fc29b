"""A number said in pairs with short pauses, under Azure's GA turn detection (server_vad, 200 ms of silence): the
realtime model cuts it into four turns and answers "mm" between them without calling a tool; the capture, called
once at the end with the model's own (wrong) reading, reads every turn since it began and confirms the right
number. Under OpenAI's default (semantic_vad) the same audio is one turn, and the capture confirms it too."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from livekit.agents import Agent

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.testing.audio import concat, silence, synthesize_speech, trim_silence
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

PAIRS = ["nittito", "trettifire", "femtiseks", "syttiåtte"]
PAUSE_S = 0.3
SR = 24000


def read_back(outputs: list[ToolOutput]) -> str:
    return outputs[0].output if outputs else ""


@pytest.mark.parametrize(("azure", "turns"), [(True, 4), (False, 1)], ids=["azure-server-vad-200ms", "openai-semantic"])
async def test_a_number_cut_into_turns_by_the_models_vad_is_captured_whole(azure: bool, turns: int) -> None:
    pieces = [trim_silence(synthesize_speech(text, voice="nb", rate_wpm=170)) for text in PAIRS]
    audio = concat([p for piece in pieces for p in (piece, silence(PAUSE_S))][:-1])
    # the model's turns: "mm" after each part, the capture called once at the end with its own wrong reading
    number_turns = [CallerTurn(transcript=p, reply="Mm.") for p in PAIRS[: turns - 1]]
    last = CallerTurn(
        transcript="syttisju" if turns > 1 else "nittito trettifire femtiseks syttisju",
        function_calls=[ScriptedFunctionCall("capture_phone_number", {"spoken_number": "92345677"})],
        reply=read_back,
    )
    yes = CallerTurn(
        transcript="ja det stemmer",
        function_calls=[ScriptedFunctionCall("confirm_phone_number", {})],
        reply="Takk.",
    )
    engine = ScriptedEngine([])
    events: list[Any] = []

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        for name in ("phone_number_proposed", "phone_number_confirmed", "capture_evidence_gathered"):
            sidecar.on(name, events.append)  # type: ignore[arg-type]
        return Agent(instructions="Du tar imot telefonnummer.", tools=sidecar.tools())

    async with offline_call(
        [*number_turns, last, yes],
        agent=agent,
        engines={"azure": engine},
        azure=azure,
        server_options={"vad": "session"},
        sidecar_options=SidecarOptions(transcript_timeout_s=3.0),
    ) as call:
        assert call.sidecar is not None
        start_s, _ = call.caller.say(audio)
        at_s = start_s
        for text, piece in zip(PAIRS, pieces, strict=True):  # the sidecar hears each part where it was said
            end_s = at_s + len(piece) / SR
            engine.add_utterance(ScriptedUtterance(start_s=at_s, end_s=end_s, text=text, delay_s=0.1))
            at_s = end_s + PAUSE_S
        call.caller.say(np.zeros(0, dtype=np.int16), pause_before_s=1.5)  # silence long enough for any detector
        await call.caller.wait_idle(timeout_s=30)
        await call.server.wait_for_turns(turns, timeout_s=30)
        await call.server.wait_idle(timeout_s=15)
        yes_audio = trim_silence(synthesize_speech("ja, det stemmer", voice="nb", rate_wpm=170))
        yes_start, yes_end = call.caller.say(yes_audio, pause_before_s=1.0)
        engine.add_utterance(ScriptedUtterance(start_s=yes_start, end_s=yes_end, text="ja det stemmer", delay_s=0.1))
        call.caller.say(np.zeros(0, dtype=np.int16), pause_before_s=1.5)
        await call.caller.wait_idle(timeout_s=30)
        await call.server.wait_for_turns(turns + 1, timeout_s=30)
        await call.server.wait_idle(timeout_s=15)
        machine = call.sidecar.phone.machine
        spans = list(call.server.turn_spans)

    assert len(spans) == turns + 1
    gathered = [e for e in events if e.type == "capture_evidence_gathered"]
    assert gathered and len(gathered[0].turn_ids) == turns  # every part was read, tool called once
    assert [e.e164 for e in events if e.type == "phone_number_proposed"] == ["+4792345678"]
    assert machine.state == "confirmed" and machine.confirmed is not None
    assert machine.confirmed.e164 == "+4792345678"
