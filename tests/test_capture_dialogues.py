"""Phone capture end to end: real AgentSession + RealtimeModel against FakeRealtimeServer, ScriptedEngine as the
accurate sidecar, the capture tools answering from the ledger."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from livekit.agents import Agent

from sidecar_stt import PhoneCaptureResult, Sidecar, SidecarOptions
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

RIGHT = "+4792345678"


@dataclass
class Turn:
    """One caller turn: what the caller says, what the realtime model hears and calls, what each engine hears."""

    said: str
    rt_heard: str
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    heard: dict[str, Sequence[tuple[str, float]]] = field(default_factory=dict)  # engine -> n-best


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def spans(turns: Sequence[Turn]) -> list[tuple[float, float]]:
    return planned_spans([speech(turn.said) for turn in turns])


def speak_tool_output(outputs: list[ToolOutput]) -> str:
    return outputs[0].output if outputs else ""


async def run_dialogue(turns: Sequence[Turn], engines: Sequence[str] = ("azure",)) -> dict[str, Any]:
    where = spans(turns)
    scripted: dict[str, list[ScriptedUtterance]] = {name: [] for name in engines}
    for turn, (start, end) in zip(turns, where, strict=True):
        for name in engines:
            nbest = turn.heard.get(name, [(turn.said, 0.9)])
            (text, conf), *rest = nbest
            scripted[name].append(
                ScriptedUtterance(
                    start_s=start, end_s=end, text=text, confidence=conf, alternatives=tuple(rest), delay_s=0.2
                )
            )
    script = [
        CallerTurn(
            transcript=turn.rt_heard,
            function_calls=[ScriptedFunctionCall(turn.tool, turn.args)] if turn.tool else (),
            reply=speak_tool_output if turn.tool else "Mm.",
        )
        for turn in turns
    ]
    engine_map = {name: ScriptedEngine(u) for name, u in scripted.items()}
    events: list[Any] = []
    confirmed: list[PhoneCaptureResult] = []

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        for name in (
            "phone_number_proposed",
            "phone_number_confirmed",
            "phone_number_rejected",
            "phone_number_capture_failed",
            "phone_number_read_back",
            "capture_step_refused",
        ):
            sidecar.on(name, events.append)  # type: ignore[arg-type]
        return Agent(instructions="Du tar imot telefonnummer.", tools=sidecar.tools())

    async def lookup(number: PhoneCaptureResult) -> str:
        confirmed.append(number)
        return "Kunden er Kari Nordmann."

    options = SidecarOptions(transcript_timeout_s=3.0)
    async with offline_call(
        script, agent=agent, engines=engine_map, sidecar_options=options, on_phone_confirmed=lookup
    ) as call:
        assert call.sidecar is not None
        for i, turn in enumerate(turns, start=1):
            call.caller.say(speech(turn.said))
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(i, timeout_s=30)
        await call.server.wait_idle(timeout_s=10)
        result = call.sidecar.phone.machine

        outputs = call.server.tool_outputs()
    return {"events": events, "outputs": outputs, "machine": result, "confirmed": confirmed}


def proposals(result: dict[str, Any]) -> list[str]:
    return [e.e164 for e in result["events"] if e.type == "phone_number_proposed"]


async def test_sidecar_reading_wins_over_the_models_biased_transcript_and_argument() -> None:
    result = await run_dialogue(
        [
            Turn(
                "nummeret mitt er nittito trettifire femtiseks syttiåtte",
                rt_heard="nummeret mitt er nittito trettifire femtiseks syttisju",
                tool="capture_phone_number",
                args={"spoken_number": "92345677"},
            ),
            Turn("ja, det stemmer", rt_heard="ja, det stemmer", tool="confirm_phone_number"),
        ]
    )
    assert proposals(result) == [RIGHT]
    assert "nittito, trettifire, femtiseks, syttiåtte" in result["outputs"][0].output
    assert [c.e164 for c in result["confirmed"]] == [RIGHT]
    assert "Kari Nordmann" in result["outputs"][1].output  # the app's lookup reached the model
    confirmed = [e for e in result["events"] if e.type == "phone_number_confirmed"]
    assert confirmed and "azure" in confirmed[0].sources


async def test_rejection_with_partial_correction_never_reproposes_the_rejected_reading() -> None:
    result = await run_dialogue(
        [
            Turn(
                "nummeret mitt er nittito trettifire femtiseks syttiåtte",
                rt_heard="nummeret mitt er nittito trettifire sekstiseks syttisju",
                tool="capture_phone_number",
                args={"spoken_number": "92346677"},
                heard={"azure": [("nummeret mitt er nittito trettifire sekstiseks syttiåtte", 0.8)]},
            ),
            Turn(
                "nei, det er femtiseks, ikke sekstiseks",
                rt_heard="nei, det er femtisju, ikke sekstiseks",
                tool="reject_phone_number",
                args={"correction": "femtisju"},
            ),
            Turn("ja", rt_heard="ja", tool="confirm_phone_number"),
        ]
    )
    assert proposals(result) == ["+4792346678", RIGHT]
    assert [e.e164 for e in result["events"] if e.type == "phone_number_rejected"] == ["+4792346678"]
    assert [c.e164 for c in result["confirmed"]] == [RIGHT]
    assert "femtiseks" in result["outputs"][1].output


async def test_right_reading_second_in_nbest_is_proposed_when_other_evidence_backs_it() -> None:
    result = await run_dialogue(
        [
            Turn(
                "nittito trettifire femtiseks syttiåtte",
                rt_heard="nittito trettifire femtiseks sytti",
                tool="capture_phone_number",
                args={"spoken_number": "9234567"},
                heard={
                    "azure": [
                        ("nittito trettifire sekstiseks syttiåtte", 0.52),
                        ("nittito trettifire femtiseks syttiåtte", 0.50),
                    ],
                    "deepgram": [("92 34 56 78", 0.7)],
                },
            ),
            Turn("ja", rt_heard="ja", tool="confirm_phone_number"),
        ],
        engines=("azure", "deepgram"),
    )
    assert proposals(result) == [RIGHT]
    assert [c.e164 for c in result["confirmed"]] == [RIGHT], result["events"]


async def test_two_engines_disagree_the_confident_one_wins_and_the_weak_group_is_singled_out() -> None:
    result = await run_dialogue(
        [
            Turn(
                "nittito trettifire femtiseks syttiåtte",
                rt_heard="nittito trettifire femtiseks syttisju",
                tool="capture_phone_number",
                args={},
                heard={"azure": [("nittito trettifire femtiseks syttiåtte", 0.92)], "whisper": [("92 34 56 77", 0.35)]},
            ),
            Turn("ja", rt_heard="ja", tool="confirm_phone_number"),
        ],
        engines=("azure", "whisper"),
    )
    assert proposals(result) == [RIGHT]
    proposed = next(e for e in result["events"] if e.type == "phone_number_proposed")
    assert proposed.sources[0] == "azure"


async def test_nothing_usable_said_asks_again_without_proposing() -> None:
    result = await run_dialogue(
        [
            Turn(
                "eh, vent litt, jeg må finne det",
                rt_heard="eh vent litt jeg må finne det",
                tool="capture_phone_number",
                args={"spoken_number": "12"},
            ),
        ]
    )
    assert proposals(result) == []
    assert result["machine"].state == "waiting"
    assert "nummer" in result["outputs"][0].output.lower()


async def test_number_given_over_two_turns_is_joined() -> None:
    result = await run_dialogue(
        [
            Turn("nittito trettifire", rt_heard="nittito trettifire", tool="capture_phone_number", args={}),
            Turn(
                "femtiseks syttiåtte",
                rt_heard="femtiseks syttisju",
                tool="capture_phone_number",
                args={"spoken_number": "92345677"},
            ),
            Turn("ja", rt_heard="ja", tool="confirm_phone_number"),
        ]
    )
    assert proposals(result) == [RIGHT]
    assert [c.e164 for c in result["confirmed"]] == [RIGHT]


async def test_reject_never_takes_the_models_correction_as_the_callers() -> None:
    result = await run_dialogue(
        [
            Turn(
                "nittito trettifire femtiseks syttiåtte",
                rt_heard="nittito trettifire femtiseks syttini",
                tool="capture_phone_number",
                heard={"azure": [("nittito trettifire femtiseks syttini", 0.7)]},
            ),
            # the caller only says no; the model "helpfully" passes its own guess as the correction
            Turn("nei", rt_heard="nei", tool="reject_phone_number", args={"correction": "92345677"}),
        ]
    )
    assert proposals(result) == ["+4792345679"]  # nothing proposed from the model's guess
    assert result["machine"].state == "asking_again"
