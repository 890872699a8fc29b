"""Running one LiveKit ``stt.STT[Any]`` engine over one recording, the way the live path would feed it.

Two modes, picked from the engine's capabilities unless forced:

``stream``
    Streaming engines get the audio in 20 ms frames, either at real-time pace (``pace="realtime"``: each frame
    is pushed when its time has come, as from a caller) or as fast as the engine takes them (``"max"``). The
    time to final is the wall time from pushing the frame that holds the end of speech to the last final
    transcript. The stream's input is ended after the last frame, which flushes the engine.
``recognize``
    Engines without streaming (local Whisper) get ``recognize()`` of the whole recording, as a sidecar does
    after voice-activity detection closed the utterance; the time to final is the decode time. This is the
    simplest honest measure: no VAD of ours sits between the audio and the engine's result.

All audio is delivered as 16 kHz mono PCM16 frames (resampled with LiveKit's resampler when needed). The
audio sent is counted in the samples handed to the engine: the whole recording for ``recognize``, the frames
pushed for ``stream`` (a stream whose engine failed half-way stops early). LiveKit's own retries of a failed
``recognize()`` request send the recording again and are not counted.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from livekit import rtc
from livekit.agents import stt

from ..errors import ConfigurationError
from .audio import LoadedAudio
from .output import EngineOutput, FinalTranscript, TranscribeMode

__all__ = ["Pace", "pick_mode", "transcribe"]

Pace = Literal["realtime", "max"]

SAMPLE_RATE: Final = 16_000
FRAME_S: Final = 0.02
_MIN_TIMEOUT_S: Final = 30.0


def pick_mode(engine: stt.STT[Any], forced: TranscribeMode | None = None) -> TranscribeMode:
    """``stream`` for streaming engines, ``recognize`` otherwise; a forced mode the engine lacks is an error."""
    streaming = engine.capabilities.streaming
    if forced == "stream" and not streaming:
        raise ConfigurationError("this engine does not stream; use --mode recognize or auto")
    if forced == "recognize" and not engine.capabilities.offline_recognize:
        raise ConfigurationError("this engine has no recognize(); use --mode stream or auto")
    if forced is not None:
        return forced
    return "stream" if streaming else "recognize"


def _to_16k(audio: LoadedAudio) -> rtc.AudioFrame:
    data = audio.samples.astype(np.int16).tobytes()
    frame = rtc.AudioFrame(data, audio.sample_rate, 1, len(audio.samples))
    if audio.sample_rate == SAMPLE_RATE:
        return frame
    resampler = rtc.AudioResampler(audio.sample_rate, SAMPLE_RATE, num_channels=1)
    frames = [*resampler.push(frame), *resampler.flush()]
    return rtc.combine_audio_frames(frames)


def _final(event: stt.SpeechEvent) -> FinalTranscript:
    alternatives = tuple(
        (a.text, float(a.confidence) if a.confidence is not None else None) for a in event.alternatives
    )
    start_s = float(event.alternatives[0].start_time) if event.alternatives else 0.0
    end_s = float(event.alternatives[0].end_time) if event.alternatives else 0.0
    return FinalTranscript(alternatives=alternatives, start_s=start_s, end_s=end_s)


@dataclass
class _Sent:
    """Samples handed to the engine so far (kept when the engine fails half-way)."""

    samples: int = 0


async def _stream(
    engine: stt.STT[Any], frame: rtc.AudioFrame, *, pace: Pace, speech_end_s: float, sent: _Sent
) -> tuple[list[FinalTranscript], float | None]:
    samples = frame.samples_per_channel
    step = int(SAMPLE_RATE * FRAME_S)
    pcm = np.frombuffer(frame.data, dtype=np.int16)
    finals: list[FinalTranscript] = []
    last_final_at: float | None = None
    speech_end_at: float | None = None
    stream = engine.stream()

    async def collect() -> None:
        nonlocal last_final_at
        async for event in stream:
            if event.type == stt.SpeechEventType.FINAL_TRANSCRIPT and event.alternatives:
                finals.append(_final(event))
                last_final_at = time.perf_counter()

    collector = asyncio.create_task(collect())
    try:
        origin = time.perf_counter()
        for k, start in enumerate(range(0, samples, step)):
            if collector.done():
                break  # the engine failed; its error is raised below
            chunk = pcm[start : start + step]
            stream.push_frame(rtc.AudioFrame(chunk.tobytes(), SAMPLE_RATE, 1, len(chunk)))
            sent.samples += len(chunk)
            end_of_chunk_s = (start + len(chunk)) / SAMPLE_RATE
            if speech_end_at is None and end_of_chunk_s >= speech_end_s:
                speech_end_at = time.perf_counter()
            if pace == "realtime":
                delay = origin + (k + 1) * FRAME_S - time.perf_counter()
                await asyncio.sleep(max(0.0, delay))
            else:
                await asyncio.sleep(0)
        if speech_end_at is None:
            speech_end_at = time.perf_counter()
        if not collector.done():
            stream.end_input()
        timeout = max(_MIN_TIMEOUT_S, 3 * samples / SAMPLE_RATE)
        await asyncio.wait_for(asyncio.shield(collector), timeout=timeout)
    finally:
        if not collector.done():
            collector.cancel()
        await stream.aclose()
    ttf = None if last_final_at is None else max(0.0, last_final_at - speech_end_at)
    return finals, ttf


async def transcribe(
    engine: stt.STT[Any],
    audio: LoadedAudio,
    *,
    spec: str,
    recording_id: str,
    audio_sha256: str,
    pace: Pace = "max",
    mode: TranscribeMode | None = None,
    speech_end_s: float | None = None,
) -> EngineOutput:
    """Run ``engine`` over ``audio``; an engine failure is returned in ``EngineOutput.error``, never raised.

    A failure is an exception, or, in ``stream`` mode, an ``error`` event the engine emits while the stream
    runs: a stream that LiveKit retried after a connection failure has lost the audio the failed attempt took,
    so its (often empty) transcript is not the engine's result for this recording. The event does not say which
    stream failed, so with several recordings in flight on one engine each of them counts as failed (and
    ``--retry-failed`` runs them again). ``recognize()`` retries send the whole recording again, so a recovered
    retry there is a result.

    ``speech_end_s`` (audio time) is where the caller stopped speaking; the end of the audio when unknown.
    """
    chosen = pick_mode(engine, mode)
    reported: list[stt.STTError] = []
    engine.on("error", reported.append)
    frame = _to_16k(audio)
    audio_s = frame.samples_per_channel / SAMPLE_RATE
    end_s = audio_s if speech_end_s is None else min(max(0.0, speech_end_s), audio_s)
    started = time.perf_counter()
    finals: list[FinalTranscript] = []
    ttf: float | None = None
    error: str | None = None
    sent = _Sent()
    try:
        if chosen == "recognize":
            sent.samples = frame.samples_per_channel
            event = await engine.recognize(frame)
            ttf = time.perf_counter() - started
            if event.alternatives:
                finals.append(_final(event))
        else:
            finals, ttf = await _stream(engine, frame, pace=pace, speech_end_s=end_s, sent=sent)
    except asyncio.CancelledError:
        raise
    except TimeoutError:
        error = "EngineTimeoutError: no end of stream after the audio ended"
    except Exception as e:  # a failing engine is a result of the bake-off, not a crash of it
        error = f"{type(e).__name__}: {e}"[:500]
    finally:
        engine.off("error", reported.append)
    if error is None and reported and chosen == "stream":
        first = reported[0].error
        error = f"{type(first).__name__}: {first}"[:500]
    processing_s = time.perf_counter() - started
    return EngineOutput(
        spec=spec,
        recording_id=recording_id,
        audio_sha256=audio_sha256,
        mode=chosen,
        finals=tuple(finals),
        time_to_final_s=None if error else ttf,
        processing_s=processing_s,
        audio_s=audio_s,
        error=error,
        audio_sent_s=sent.samples / SAMPLE_RATE,
    )
