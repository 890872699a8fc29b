"""A recorded offline call for the post-call tests: the caller says a number, the sidecar reads it back, the
caller confirms. Real AgentSession + RealtimeModel against the fake server, ScriptedEngine as the sidecar."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from livekit.agents import Agent

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.recording import CallRecorder
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

NUMBER = "+4792345678"
SAID = ("nummeret mitt er nittito trettifire femtiseks syttiåtte", "ja, det stemmer")
RT_HEARD = ("nummeret mitt er nittito trettifire femtiseks syttisju", "ja, det stemmer")
SIDECAR_NBEST = (
    (("nummeret mitt er nittito trettifire femtiseks syttiåtte", 0.92), ("nummeret mitt er nittito trettifire", 0.4)),
    (("ja det stemmer", 0.95),),
)


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


@dataclass(frozen=True)
class RecordedDialogue:
    folder: Path
    call_id: str
    audio_s: float
    spans: Sequence[tuple[float, float]]
    utterances: Sequence[npt.NDArray[np.int16]]
    messages_logged: Sequence[str]
    costs: dict[str, dict[str, float]]
    """``sidecar.stats()`` after the call closed: engine → ``audio_sent_s``, ``transcript_s``."""


def _speak(outputs: list[ToolOutput]) -> str:
    return outputs[0].output if outputs else ""


async def record_dialogue(
    root: Path, *, call_id: str | None = None, recorder: CallRecorder | None = None
) -> RecordedDialogue:
    import logging

    utterances = [speech(text) for text in SAID]
    spans = planned_spans(utterances)
    engine = ScriptedEngine(
        [
            ScriptedUtterance(
                start_s=a, end_s=b, text=nbest[0][0], confidence=nbest[0][1], alternatives=nbest[1:], delay_s=0.2
            )
            for (a, b), nbest in zip(spans, SIDECAR_NBEST, strict=True)
        ]
    )
    script = [
        CallerTurn(
            transcript=RT_HEARD[0],
            function_calls=[ScriptedFunctionCall("capture_phone_number", {"spoken_number": "92345677"})],
            reply=_speak,
        ),
        CallerTurn(
            transcript=RT_HEARD[1], function_calls=[ScriptedFunctionCall("confirm_phone_number", {})], reply=_speak
        ),
    ]
    recorder = CallRecorder(root, call_id=call_id) if recorder is None else recorder

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        return Agent(instructions="Du tar imot telefonnummer.", tools=sidecar.tools())

    logged: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    handler = Collect(level=logging.INFO)
    package_logger = logging.getLogger("sidecar_stt")
    previous = package_logger.level
    package_logger.addHandler(handler)
    package_logger.setLevel(logging.INFO)
    try:
        async with offline_call(
            script,
            agent=agent,
            engines={"azure": engine},
            sidecar_options=SidecarOptions(transcript_timeout_s=3.0),
            recorder=recorder,
        ) as call:
            for i, pcm in enumerate(utterances, start=1):
                call.caller.say(pcm)
                await call.caller.wait_idle(timeout_s=20)
                await call.server.wait_for_turns(i, timeout_s=30)
            await call.server.wait_idle(timeout_s=10)
            sidecar = call.sidecar
            assert sidecar is not None
            await sidecar.turn_transcript(timeout_s=3.0)
    finally:
        package_logger.removeHandler(handler)
        package_logger.setLevel(previous)
    return RecordedDialogue(
        folder=recorder.folder,
        call_id=recorder.call_id,
        audio_s=sidecar.audio_s,  # after the call: every frame the tap passed
        spans=spans,
        utterances=utterances,
        messages_logged=logged,
        costs={n: {"audio_sent_s": s.audio_sent_s, "transcript_s": s.transcript_s} for n, s in sidecar.stats().items()},
    )
