"""Post-call re-transcription of a recorded call, reconciled with its live capture.

::

    result = await reprocess_call(store, call_id, "whisper:base?language=no&beam=5")
    result.reconciliation.verdict        # agrees / disagrees / not_in_recording / recovered / no_number

Latency does not matter here, so any engine spec goes, at any beam or model size. ``mode="vad"`` (default)
cuts the recording into speech segments with silero VAD and transcribes each (times stay on the session clock);
``mode="whole"`` gives the engine the whole recording in one request. The numbers the transcript yields are
found with the same parser as the live path and reconciled with the number the caller confirmed.

The run records what it cost: ``audio_sent_s``, the audio handed to the engine (counted in samples: the padded
speech segments in ``vad`` mode, the whole recording in ``whole`` mode; what a cloud engine bills), and
``transcript_s``, the seconds of transcript stored (the spans of the segments that yielded text).

A run is one job keyed by (call, engine spec, mode): it is marked ``running`` first and its result is written
in one transaction at the end, so a run killed half-way leaves a ``running`` row that the next run of the same
job replaces — rerunning is always safe.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt

from ..core.phone import extract_phone_numbers
from ..core.segment import Alternative, Segment
from ..log import logger
from ..recording.record import segment_to_json
from .events import ReviewHook, ReviewNeededEvent
from .reconciliation import Reconciliation, reconcile

if TYPE_CHECKING:
    from livekit.agents import stt, vad

    from .store import CallStore

__all__ = ["ReprocessMode", "ReprocessResult", "reprocess_call", "speech_spans"]

ReprocessMode = Literal["vad", "whole"]

SAMPLE_RATE: Final = 16_000
_FRAME: Final = 320  # 20 ms at 16 kHz
_PAD_S: Final = 0.2


@dataclass(frozen=True, slots=True)
class ReprocessResult:
    call_id: str
    engine_spec: str
    mode: ReprocessMode
    segments: tuple[Segment, ...]
    reconciliation: Reconciliation
    processing_s: float
    audio_s: float
    audio_sent_s: float = 0.0
    """Audio handed to the engine (what a cloud engine bills)."""
    transcript_s: float = 0.0
    """Seconds of transcript stored: the spans of :attr:`segments`."""


def _to_16k(samples: npt.NDArray[np.int16], rate: int) -> npt.NDArray[np.int16]:
    if rate == SAMPLE_RATE or not len(samples):
        return samples
    from livekit import rtc

    resampler = rtc.AudioResampler(rate, SAMPLE_RATE, num_channels=1)
    frame = rtc.AudioFrame(samples.tobytes(), rate, 1, len(samples))
    out = [np.frombuffer(f.data, dtype=np.int16) for f in (*resampler.push(frame), *resampler.flush())]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int16)


async def speech_spans(samples: npt.NDArray[np.int16], vad_model: vad.VAD) -> list[tuple[float, float]]:
    """Speech segments of 16 kHz audio as ``(start_s, end_s)``, from the VAD's own sample clock."""
    from livekit import rtc
    from livekit.agents import vad as vad_module

    stream = vad_model.stream()
    spans: list[tuple[float, float]] = []

    async def collect() -> None:
        async for event in stream:
            if event.type == vad_module.VADEventType.END_OF_SPEECH:
                end_s = max(0.0, event.timestamp - event.silence_duration)
                spans.append((max(0.0, end_s - event.speech_duration), end_s))

    collector = asyncio.create_task(collect())
    for start in range(0, len(samples), _FRAME):
        chunk = samples[start : start + _FRAME]
        stream.push_frame(rtc.AudioFrame(chunk.tobytes(), SAMPLE_RATE, 1, len(chunk)))
        if start % (_FRAME * 50) == 0:
            await asyncio.sleep(0)
    stream.end_input()
    await collector
    await stream.aclose()
    return spans


def _numbers(segments: list[Segment], *, language: str, region: str) -> list[str]:
    found: list[str] = []
    for segment in segments:
        found.extend(c.e164 for c in extract_phone_numbers(segment.text, language=language, region=region))
    return found


async def _recognize(engine: stt.STT[Any], samples: npt.NDArray[np.int16]) -> tuple[Alternative, ...]:
    from livekit import rtc

    event = await engine.recognize(rtc.AudioFrame(samples.tobytes(), SAMPLE_RATE, 1, len(samples)))
    return tuple(
        Alternative(text=a.text, confidence=None if a.confidence is None else float(a.confidence))
        for a in event.alternatives
        if a.text.strip()
    )


async def reprocess_call(
    store: CallStore,
    call_id: str,
    engine_spec: str,
    *,
    mode: ReprocessMode = "vad",
    engine: stt.STT[Any] | None = None,
    vad_model: vad.VAD | None = None,
    on_review_needed: ReviewHook | None = None,
) -> ReprocessResult:
    """Transcribe the call's recording with ``engine_spec`` (or the given ``engine``, stored under that spec),
    reconcile it with the live capture, store the run and the call's review flag, and call
    ``on_review_needed`` when a human should look."""
    stored = store.get(call_id)
    if stored is None:
        raise KeyError(f"no call {call_id!r} in the store")
    record = stored.record
    store.start_run(call_id, engine_spec, mode)
    started = time.perf_counter()
    own_engine = engine is None
    sent_samples = 0
    try:
        from ..engines import from_spec
        from ..evaluation.audio import load_audio

        audio = await asyncio.to_thread(load_audio, stored.audio_path)
        samples = await asyncio.to_thread(_to_16k, audio.samples, audio.sample_rate)
        audio_s = len(samples) / SAMPLE_RATE
        if engine is None:
            engine = from_spec(engine_spec)
        load = getattr(engine, "load", None)
        if load is not None and inspect.iscoroutinefunction(load):
            await load()
        spans = [(0.0, audio_s)]
        if mode == "vad":
            if vad_model is None:
                from livekit.plugins import silero

                vad_model = silero.VAD.load()
            spans = await speech_spans(samples, vad_model) or spans
        segments: list[Segment] = []
        for index, (start_s, end_s) in enumerate(spans):
            a = max(0, int((start_s - _PAD_S) * SAMPLE_RATE))
            b = min(len(samples), int((end_s + _PAD_S) * SAMPLE_RATE))
            if b <= a:
                continue
            sent_samples += b - a
            alternatives = await _recognize(engine, samples[a:b])
            if alternatives:
                segments.append(
                    Segment(
                        source=engine_spec,
                        segment_id=f"post-{index}",
                        start_s=a / SAMPLE_RATE,
                        end_s=b / SAMPLE_RATE,
                        is_final=True,
                        alternatives=alternatives,
                    )
                )
        numbers = _numbers(segments, language=record.language, region=record.region)
        result = reconcile(record.confirmed_e164, numbers)
        processing_s = time.perf_counter() - started
        transcript_s = sum(s.end_s - s.start_s for s in segments)
        store.finish_run(
            call_id,
            engine_spec,
            mode,
            segments=[segment_to_json(s) for s in segments],
            reconciliation=result,
            processing_s=processing_s,
            audio_sent_s=sent_samples / SAMPLE_RATE,
            transcript_s=transcript_s,
        )
    except BaseException as e:
        store.fail_run(
            call_id, engine_spec, mode, error=f"{type(e).__name__}: {e}", audio_sent_s=sent_samples / SAMPLE_RATE
        )
        raise
    finally:
        if own_engine and engine is not None:
            await engine.aclose()
    logger.info(
        "call reprocessed",
        extra={"call_id": call_id, "verdict": result.verdict, "processing_s": round(processing_s, 2)},
    )
    if result.needs_review and on_review_needed is not None:
        event = ReviewNeededEvent(
            call_id=call_id,
            verdict=result.verdict,
            reason=result.reason or "",
            engine_spec=engine_spec,
            differing_groups=result.differing_groups,
        )
        outcome = on_review_needed(event)
        if inspect.isawaitable(outcome):
            await outcome
    return ReprocessResult(
        call_id=call_id,
        engine_spec=engine_spec,
        mode=mode,
        segments=tuple(segments),
        reconciliation=result,
        processing_s=processing_s,
        audio_s=audio_s,
        audio_sent_s=sent_samples / SAMPLE_RATE,
        transcript_s=transcript_s,
    )
