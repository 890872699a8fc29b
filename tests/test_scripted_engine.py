"""ScriptedEngine: transcripts keyed to audio time, n-best, stream offsets and injected faults."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, stt

from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = pytest.mark.livekit

SR = 16000


def frames(duration_s: float, *, frame_s: float = 0.02) -> list[rtc.AudioFrame]:
    n = int(SR * frame_s)
    pcm = np.zeros(n, dtype=np.int16)
    return [rtc.AudioFrame(pcm.tobytes(), SR, 1, n) for _ in range(round(duration_s / frame_s))]


async def collect(stream: stt.RecognizeStream, audio: list[rtc.AudioFrame]) -> list[stt.SpeechEvent]:
    for f in audio:
        stream.push_frame(f)
    stream.end_input()
    return [ev async for ev in stream]


UTTERANCES = [
    ScriptedUtterance(
        start_s=0.2,
        end_s=1.0,
        text="ni to tre fire fem seks sju åtte",
        confidence=0.8,
        alternatives=(("ni to tre fire fem seks sju fem", 0.6),),
        delay_s=0.2,
    ),
    ScriptedUtterance(start_s=1.5, end_s=2.0, text="ja", delay_s=0.2),
]


async def test_finals_carry_the_scripted_nbest_and_times() -> None:
    engine = ScriptedEngine(UTTERANCES)
    stream = engine.stream(conn_options=APIConnectOptions(max_retry=0))
    events = await collect(stream, frames(3.0))
    finals = [ev for ev in events if ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT]
    assert [f.alternatives[0].text for f in finals] == ["ni to tre fire fem seks sju åtte", "ja"]
    first = finals[0]
    assert [a.text for a in first.alternatives][1] == "ni to tre fire fem seks sju fem"
    assert first.alternatives[0].confidence == 0.8 and first.alternatives[1].confidence == 0.6
    assert first.alternatives[0].start_time == 0.2 and first.alternatives[0].end_time == 1.0
    assert first.alternatives[0].words and len(first.alternatives[0].words) == 8
    assert any(ev.type == stt.SpeechEventType.INTERIM_TRANSCRIPT for ev in events)
    assert len(engine.received_audio()) == 150 * 320 * 2


async def test_stream_offset_moves_the_stream_onto_the_session_clock() -> None:
    engine = ScriptedEngine(UTTERANCES)
    stream = engine.stream(conn_options=APIConnectOptions(max_retry=0))
    stream.start_time_offset = 1.2  # a restarted stream that begins after the first utterance's final
    events = await collect(stream, frames(1.5))
    finals = [ev.alternatives[0].text for ev in events if ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT]
    assert finals == ["ja"]


async def test_injected_failure_raises_once_then_recovers() -> None:
    engine = ScriptedEngine(UTTERANCES, fail_at_s=0.5)
    stream = engine.stream(conn_options=APIConnectOptions(max_retry=0))
    with pytest.raises(APIError):
        await collect(stream, frames(1.0))
    second = engine.stream(conn_options=APIConnectOptions(max_retry=0))
    events = await collect(second, frames(3.0))
    assert any(ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT for ev in events)
    assert engine.streams_started == 2


def test_from_file(tmp_path: Path) -> None:
    path = tmp_path / "script.json"
    path.write_text(
        json.dumps(
            {
                "language": "en",
                "utterances": [
                    {
                        "start_s": 0.1,
                        "end_s": 0.9,
                        "text": "nine two",
                        "alternatives": [{"text": "nine too", "confidence": 0.3}],
                    }
                ],
            }
        )
    )
    engine = ScriptedEngine.from_file(path)
    assert engine.utterances[0].alternatives == (("nine too", 0.3),)


async def test_batch_recognition_hears_the_script_in_order() -> None:
    engine = ScriptedEngine(UTTERANCES)
    texts = [(await engine.recognize(buffer=frames(0.5))).alternatives[0].text for _ in range(2)]
    assert texts == ["ni to tre fire fem seks sju åtte", "ja"]
    assert (await engine.recognize(buffer=frames(0.5))).alternatives == []
