"""docs/TESTING.md: its example runs as written, and the fakes fail fast on the mistakes the guide names."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from livekit.agents import Agent

from sidecar_stt import Sidecar
from sidecar_stt.testing import (
    CallerTurn,
    ScriptedEngine,
    ScriptedFunctionCall,
    ScriptedUtterance,
    UnheardUtteranceError,
    UnknownToolError,
    UnplayedTurnsError,
    offline_call,
    planned_spans,
    synthesize_speech,
)

pytestmark = [
    pytest.mark.livekit,
    pytest.mark.timeout(120),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "TESTING.md"
SAID = "nummeret mitt er nittito trettifire femtiseks syttiåtte"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_guides_example_runs_as_written() -> None:
    block = python_blocks(GUIDE)[0]  # "A complete test"; the agent-file block is run by tests/test_readme.py
    module = ModuleType("test_my_agent")
    exec(compile(block, str(GUIDE), "exec"), module.__dict__)
    tests = [name for name in vars(module) if name.startswith("test_")]
    assert tests == ["test_the_sidecar_number_wins"]
    module.test_the_sidecar_number_wins()


def test_the_guides_live_dialogue_runs_as_written() -> None:
    (block,) = [b for b in python_blocks(GUIDE) if "LiveDialogue(call)" in b]
    module = ModuleType("test_live_dialogue")
    exec(compile(block, str(GUIDE), "exec"), module.__dict__)
    tests = [name for name in vars(module) if name.startswith("test_")]
    assert tests == ["test_the_caller_corrects_the_read_back"]
    module.test_the_caller_corrects_the_read_back()


def _agent(sidecar: Sidecar | None) -> Agent:
    assert sidecar is not None
    return Agent(instructions="Du tar imot telefonnummer.", tools=sidecar.tools())


async def test_a_misspelled_tool_name_fails_the_waiters_at_once_naming_it() -> None:
    pcm = synthesize_speech(SAID, voice="nb", rate_wpm=190)
    ((start, end),) = planned_spans([pcm])
    engine = ScriptedEngine([ScriptedUtterance(start_s=start, end_s=end, text=SAID)])
    script = [CallerTurn(transcript=SAID, function_calls=[ScriptedFunctionCall("captur_phone_number", {})])]
    with pytest.raises(UnknownToolError) as info:
        async with offline_call(script, agent=_agent, engines={"azure": engine}) as call:
            call.caller.say(pcm)
            await call.server.wait_for_turns(1, timeout_s=30)
    message = str(info.value)
    assert "'captur_phone_number' names no tool" in message and "capture_phone_number" in message


async def test_engine_spans_over_silence_are_reported_when_the_call_ends() -> None:
    pcm = synthesize_speech(SAID, voice="nb", rate_wpm=190)
    ((start, end),) = planned_spans([pcm])
    late = end + 1.0  # keyed after the caller stopped speaking: the trailing silence
    engine = ScriptedEngine(
        [
            ScriptedUtterance(start_s=start, end_s=end, text=SAID),
            ScriptedUtterance(start_s=late, end_s=late + 0.5, text="ni ni ni"),
        ]
    )
    with pytest.raises(UnheardUtteranceError) as info:
        async with offline_call(
            [CallerTurn(transcript=SAID, reply="Ok.")], agent=_agent, engines={"a": engine}
        ) as call:
            call.caller.say(pcm)
            call.caller.say(np.zeros(3 * 24000, dtype=np.int16))  # the line stays open, silent
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(1, timeout_s=30)
            for _ in range(500):  # the engine hears the audio a little after the realtime model
                if engine.unheard:
                    break
                await asyncio.sleep(0.02)
    assert [u.text for u in info.value.unheard] == ["ni ni ni"]
    assert "'ni ni ni' at" in str(info.value)
    assert "scripted engine 'a'" in str(info.value)  # named by the key the test gave it


async def test_leaving_before_the_scripted_turns_played_raises() -> None:
    pcm = synthesize_speech(SAID, voice="nb", rate_wpm=190)
    with pytest.raises(UnplayedTurnsError) as info:
        async with offline_call(
            [CallerTurn(transcript=SAID, reply="Ok."), CallerTurn(transcript="ja", reply="Takk.")],
            agent=lambda _: Agent(instructions="Du tar imot telefonnummer."),
        ) as call:
            call.caller.say(pcm)  # the second turn is never spoken, and no wait for the first
    assert "2 scripted caller turn(s) unanswered" in str(info.value)
