"""Real-time factor of local Whisper (decode seconds / audio seconds) for tiny.en and base on this CPU.

Audio is ~10 s of espeak-ng speech (English for tiny.en, Norwegian for base), resampled to 16 kHz by sox. Each
model is loaded and warmed up on a short clip first; the figure is one timed decode through
``WhisperSTT.recognize`` (worker thread included), with the engine's defaults (beam 5, temperature 0, word
timestamps). Last line: ``RESULT rtf_tiny=<x> rtf_base=<y>``.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

from livekit import rtc

from sidecar_stt.engines.whisper import WhisperSTT

EN_TEXT = (
    "Hello, this is about my order. You can call me back on six one seven, two five three, four nine one two. "
    "If I do not answer, try my office at four one five, eight six seven, five three zero nine."
)
NB_TEXT = (
    "Hei, jeg ringer om bestillingen min. Du kan ringe meg tilbake på nittito trettifire femtiseks syttiåtte. "
    "Hvis jeg ikke svarer, prøv kontoret på ni to tre fire fem seks sju åtte."
)


def synthesize(text: str, *, voice: str, path: Path) -> rtc.AudioFrame:
    speech = subprocess.run(["espeak-ng", "-v", voice, "--stdout", text], check=True, capture_output=True).stdout
    subprocess.run(["sox", "-t", "wav", "-", "-r", "16000", "-c", "1", "-b", "16", str(path)], input=speech, check=True)
    with wave.open(str(path)) as w:
        return rtc.AudioFrame(w.readframes(w.getnframes()), w.getframerate(), w.getnchannels(), w.getnframes())


async def rtf(model: str, language: str, audio: rtc.AudioFrame, warmup: rtc.AudioFrame) -> float:
    engine = WhisperSTT(model=model, language=language)
    t0 = time.perf_counter()
    await engine.load()
    load_s = time.perf_counter() - t0
    await engine.recognize(warmup)
    t0 = time.perf_counter()
    event = await engine.recognize(audio)
    decode_s = time.perf_counter() - t0
    audio_s = audio.samples_per_channel / audio.sample_rate
    ratio = decode_s / audio_s
    print(f"{model:8s} load {load_s:5.2f} s  audio {audio_s:5.2f} s  decode {decode_s:5.2f} s  rtf {ratio:.3f}")
    print(f"         text: {event.alternatives[0].text}")
    return ratio


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        en = synthesize(EN_TEXT, voice="en-us", path=d / "en.wav")
        nb = synthesize(NB_TEXT, voice="nb", path=d / "nb.wav")
        en_short = synthesize("Hello there.", voice="en-us", path=d / "en_short.wav")
        nb_short = synthesize("Hei der.", voice="nb", path=d / "nb_short.wav")
        rtf_tiny = await rtf("tiny.en", "en", en, en_short)
        rtf_base = await rtf("base", "no", nb, nb_short)
    print(f"RESULT rtf_tiny={rtf_tiny:.3f} rtf_base={rtf_base:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
