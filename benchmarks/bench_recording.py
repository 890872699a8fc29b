"""Cost of recording a call: CPU seconds per second of caller audio, next to the session's own CPU.

Two measurements, each pass on fresh audio and in a fresh folder, passes interleaved:

1. **Recorder alone**: 60 s of fresh random 24 kHz audio in 20 ms frames through ``CallRecorder.write_frame``
   (frames queued, written by its thread, WAV header rewritten every second) and ``aclose``; the same loop
   without a recorder is the baseline, subtracted. Process CPU time, so the writer thread counts.
2. **In a session**: the same scripted offline call as ``bench_tap.py`` (real AgentSession + RealtimeModel
   against FakeRealtimeServer, caller audio at real time, one ScriptedEngine) without and with a recorder.

``samples_missing`` counts samples the tap passed that are not in the recorded file (it is non-zero if the
recorder ever loses audio). Last line: ``RESULT recorder_cpu_s_per_audio_s=<1> session_cpu_s_per_audio_s=<2,
without> session_with_recording_cpu_s_per_audio_s=<2, with> recording_overhead_ratio=<with / without>
samples_missing=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from livekit import rtc
from livekit.agents import Agent

from sidecar_stt import Sidecar, SidecarOptions, TranscriptLedger
from sidecar_stt.recording import AUDIO_FILE, CallRecorder
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

RATE = 24_000
FRAME = 480  # 20 ms
TEXTS = [
    "hei, jeg ringer om en bestilling jeg gjorde i forrige uke",
    "nummeret mitt er nittito trettifire femtiseks syttiåtte",
    "ja, det stemmer, tusen takk for hjelpen",
    "nei, det var alt for i dag, ha det bra",
]


class _Sidecar(rtc.EventEmitter[Any]):
    """What the recorder reads of a Sidecar, for the recorder-alone measurement."""

    engines = ("bench",)
    options = SidecarOptions()

    def __init__(self) -> None:
        super().__init__()
        self.ledger = TranscriptLedger()
        self.audio_s = 0.0


def _frames(seed: int, seconds: float) -> list[rtc.AudioFrame]:
    rng = np.random.default_rng(seed)
    pcm = rng.integers(-3000, 3000, size=int(seconds * RATE), dtype=np.int16)
    return [rtc.AudioFrame(pcm[i : i + FRAME].tobytes(), RATE, 1, FRAME) for i in range(0, len(pcm) - FRAME + 1, FRAME)]


async def recorder_alone(seed: int, seconds: float, *, record: bool) -> tuple[float, float, int]:
    frames = _frames(seed, seconds)
    with tempfile.TemporaryDirectory(prefix="bench-rec-") as tmp:
        recorder = CallRecorder(tmp) if record else None
        if recorder is not None:
            recorder.start(_Sidecar(), rtc.EventEmitter())  # type: ignore[arg-type]
        cpu0 = time.process_time()
        start_s = 0.0
        for frame in frames:
            if recorder is not None:
                recorder.write_frame(frame, start_s)
            start_s += FRAME / RATE
        if recorder is not None:
            await recorder.aclose()
        cpu = time.process_time() - cpu0
        missing = 0
        if recorder is not None:
            written = soundfile.info(str(recorder.folder / AUDIO_FILE)).frames
            missing = len(frames) * FRAME - written
    return cpu, start_s, missing


async def one_call(pcms: list[Any], *, record: bool) -> tuple[float, float, int]:
    spans = planned_spans(pcms)
    engine = ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t) for (a, b), t in zip(spans, TEXTS, strict=True)],
        record_audio=False,
    )
    script = [CallerTurn(transcript=t, reply="Mm.") for t in TEXTS]
    with tempfile.TemporaryDirectory(prefix="bench-rec-") as tmp:
        recorder = CallRecorder(tmp) if record else None

        def agent(sidecar: Sidecar | None) -> Agent:
            return Agent(instructions="Du er en resepsjonist.")

        async with offline_call(script, agent=agent, engines={"e": engine}, speed=1.0, recorder=recorder) as call:
            cpu0 = time.process_time()
            for i, pcm in enumerate(pcms, start=1):
                call.caller.say(pcm)
                await call.caller.wait_idle(timeout_s=60)
                await call.server.wait_for_turns(i, timeout_s=60)
            sidecar = call.sidecar
            assert sidecar is not None
            await sidecar.aclose()  # the recorder's files are closed inside the measured span
            cpu = time.process_time() - cpu0
        missing = 0
        if recorder is not None:
            written = soundfile.info(str(Path(recorder.folder) / AUDIO_FILE)).frames
            missing = max(0, round(sidecar.audio_s * RATE) - written)
    return cpu, sidecar.audio_s, missing


def _spread(values: list[float]) -> str:
    return f"min={min(values):.5f} median={statistics.median(values):.5f} max={max(values):.5f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="passes of the recorder-alone measurement")
    parser.add_argument("--call-repeats", type=int, default=3, help="passes of the in-session measurement")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    missing_total = 0

    await recorder_alone(0, 2.0, record=True)  # warm-up, not counted
    alone: list[float] = []
    for k in range(args.repeats):
        base_cpu, audio_s, _ = await recorder_alone(1000 + k, args.seconds, record=False)
        rec_cpu, _, missing = await recorder_alone(2000 + k, args.seconds, record=True)
        missing_total += missing
        per_s = (rec_cpu - base_cpu) / audio_s
        alone.append(per_s)
        print(f"recorder alone: baseline_cpu_s={base_cpu:.3f} recording_cpu_s={rec_cpu:.3f} per_audio_s={per_s:.5f}")
    print(f"recorder alone, CPU s per audio s: {_spread(alone)}")

    pcms = [synthesize_speech(t, voice="nb", rate_wpm=170) for t in TEXTS]
    await one_call(pcms, record=True)  # warm-up, not counted
    session: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.call_repeats):
        for record in (False, True):
            cpu, audio_s, missing = await one_call(pcms, record=record)
            missing_total += missing
            session[record].append(cpu / audio_s)
            print(f"session record={record} cpu_s={cpu:.3f} audio_s={audio_s:.2f} per_audio_s={cpu / audio_s:.5f}")
    for record in (False, True):
        print(f"session record={record}, CPU s per audio s: {_spread(session[record])}")
    without, with_rec = statistics.median(session[False]), statistics.median(session[True])
    print(
        f"RESULT recorder_cpu_s_per_audio_s={statistics.median(alone):.5f} session_cpu_s_per_audio_s={without:.5f} "
        f"session_with_recording_cpu_s_per_audio_s={with_rec:.5f} recording_overhead_ratio={with_rec / without:.3f} "
        f"samples_missing={missing_total}"
    )


if __name__ == "__main__":
    asyncio.run(main())
