"""WhisperSTT: real decodes with the packaged weights on espeak-ng speech, and the worker-thread rule."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from livekit import rtc
from livekit.agents import stt

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.engines.whisper import WhisperSTT, segments_to_event, whisper_language, whisper_stream_stt
from sidecar_stt.errors import ConfigurationError

pytestmark = [pytest.mark.engine, pytest.mark.slow]

needs_tools = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="espeak-ng and sox are needed"
)

EN_TEXT = "My phone number is 6 1 7, 2 5 3, 4 9 1 2."
NB_TEXT = "Nummeret mitt er ni to tre fire fem seks sju åtte"


def synthesize(text: str, *, voice: str, path: Path) -> rtc.AudioFrame:
    """espeak-ng speech resampled to 16 kHz mono 16-bit by sox, as one AudioFrame."""
    speech = subprocess.run(["espeak-ng", "-v", voice, "--stdout", text], check=True, capture_output=True).stdout
    subprocess.run(["sox", "-t", "wav", "-", "-r", "16000", "-c", "1", "-b", "16", str(path)], input=speech, check=True)
    with wave.open(str(path)) as w:
        data = w.readframes(w.getnframes())
        return rtc.AudioFrame(data, w.getframerate(), w.getnchannels(), w.getnframes())


def duration_s(frame: rtc.AudioFrame) -> float:
    return frame.samples_per_channel / frame.sample_rate


@pytest.fixture(scope="module")
def english_audio(tmp_path_factory: pytest.TempPathFactory) -> rtc.AudioFrame:
    return synthesize(EN_TEXT, voice="en-us", path=tmp_path_factory.mktemp("audio") / "en.wav")


@pytest.fixture(scope="module")
def norwegian_audio(tmp_path_factory: pytest.TempPathFactory) -> rtc.AudioFrame:
    return synthesize(NB_TEXT, voice="nb", path=tmp_path_factory.mktemp("audio") / "nb.wav")


DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}


def digits_in(text: str) -> str:
    tokens = re.findall(r"[a-z]+|\d", text.lower())
    return "".join(DIGIT_WORDS.get(t, t) for t in tokens if t.isdigit() or t in DIGIT_WORDS)


@needs_tools
async def test_tiny_en_hears_an_english_phone_number(english_audio: rtc.AudioFrame) -> None:
    engine = WhisperSTT(model="tiny.en", language="en")
    event = await engine.recognize(english_audio)
    assert event.type == stt.SpeechEventType.FINAL_TRANSCRIPT
    (best,) = event.alternatives
    assert digits_in(best.text) == "6172534912"
    assert 0.0 < best.confidence <= 1.0
    assert best.words and 0.0 <= best.start_time < best.end_time <= duration_s(english_audio) + 0.05
    found = extract_phone_numbers(best.text, language="en", region="US")
    assert [c.e164 for c in found] == ["+16172534912"]


@needs_tools
async def test_base_decodes_norwegian_into_timed_segments_inside_the_audio(norwegian_audio: rtc.AudioFrame) -> None:
    engine = WhisperSTT(model="base", language="nb-NO")
    assert engine.options.language == "no"
    event = await engine.recognize(norwegian_audio)
    (best,) = event.alternatives
    assert best.text.strip()
    assert str(best.language) == "no"
    end = duration_s(norwegian_audio) + 0.05
    assert best.words
    for w in best.words:
        assert 0.0 <= w.start_time <= w.end_time <= end
    assert best.metadata is not None
    for seg in best.metadata["segments"]:
        assert 0.0 <= seg["start_s"] < seg["end_s"] <= end
    # the words are Norwegian number words or digits, not an English or Danish reading
    assert re.search(r"\b(ni|to|tre|fire|fem|seks|sju|åtte)\b|\d", best.text.lower())


@needs_tools
async def test_decode_runs_in_a_worker_thread_while_the_loop_keeps_ticking(english_audio: rtc.AudioFrame) -> None:
    engine = WhisperSTT(model="tiny.en", beam_size=5)
    await engine.load()
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    try:
        await engine.recognize(english_audio)
    finally:
        done.set()
        await task
    assert ticks > 10


# --- pure parts --------------------------------------------------------------------------------------------------


@dataclass
class FakeWord:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class FakeSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float = 0.01
    compression_ratio: float = 1.0
    tokens: list[int] = field(default_factory=lambda: [1, 2, 3])
    words: list[FakeWord] | None = None


def test_segments_to_event_joins_text_shifts_times_and_drops_repetition_loops() -> None:
    segs = [
        FakeSegment(
            0.2, 1.4, " ni to tre", -0.2, words=[FakeWord(0.2, 0.5, " ni", 0.9), FakeWord(0.6, 0.9, " to", 0.8)]
        ),
        FakeSegment(1.5, 2.5, " fire fem", -0.4, words=[FakeWord(1.5, 2.0, " fire", 0.7)]),
        FakeSegment(2.5, 2.6, " det er, det er, det er, det er", -0.9, compression_ratio=3.4),
    ]
    event = segments_to_event(segs, language="no", start_time_offset=10.0)
    (best,) = event.alternatives
    assert best.text == "ni to tre fire fem"
    assert best.start_time == pytest.approx(10.2) and best.end_time == pytest.approx(12.5)
    assert [str(w) for w in best.words or []] == ["ni", "to", "fire"]
    assert best.words is not None and best.words[2].start_time == pytest.approx(11.5)
    assert best.confidence == pytest.approx(2.718281828 ** (-0.3))
    assert best.metadata is not None and best.metadata["dropped_segments"] == 1


def test_segments_to_event_clamps_confidence_and_handles_silence() -> None:
    event = segments_to_event([FakeSegment(0.0, 1.0, "hei", 0.3)], language="no")
    assert event.alternatives[0].confidence == 1.0
    empty = segments_to_event([], language="no")
    assert empty.type == stt.SpeechEventType.FINAL_TRANSCRIPT
    assert [a.text for a in empty.alternatives] == [""]


@pytest.mark.parametrize(
    ("code", "expected"), [("nb", "no"), ("nn", "no"), ("nb-NO", "no"), ("no", "no"), ("en-US", "en")]
)
def test_whisper_language_mapping(code: str, expected: str) -> None:
    assert whisper_language(code) == expected


def test_defaults_prompt_with_number_words_and_english_models_use_english() -> None:
    nb = WhisperSTT(model="base", language="nb")
    assert nb.options.initial_prompt is not None and "ni to tre" in nb.options.initial_prompt
    assert nb.capabilities.streaming is False
    tiny = WhisperSTT(model="tiny.en", language="no")
    assert tiny.options.language == "en"
    assert tiny.options.initial_prompt is not None and "nine" in tiny.options.initial_prompt
    assert WhisperSTT(model="base", initial_prompt=None).options.initial_prompt is None


def test_unpackaged_model_name_asks_for_a_path() -> None:
    with pytest.raises(ConfigurationError, match="pass the path"):
        WhisperSTT(model="large-v3")


def test_stream_helper_wraps_whisper_in_a_stream_adapter() -> None:
    from livekit.plugins import silero

    adapter = whisper_stream_stt(vad=silero.VAD.load(), model="tiny.en")
    assert isinstance(adapter, stt.StreamAdapter)
    assert adapter.capabilities.streaming is True
    assert isinstance(adapter.wrapped_stt, WhisperSTT)
