"""``WhisperSTT``: local Whisper (faster-whisper, CTranslate2) as a non-streaming LiveKit ``stt.STT``.

Whisper has no partial results, so the engine is ``streaming=False``: :meth:`WhisperSTT.recognize` decodes one
buffer and returns one FINAL event. For live audio, wrap it in LiveKit's ``stt.StreamAdapter`` with a VAD —
:func:`whisper_stream_stt` does that, and :class:`sidecar_stt.Sidecar` wraps non-streaming engines itself, so
``from_spec("whisper:base")`` returns the plain engine.

Everything blocking runs in a worker thread: loading the model (once, shared by every engine with the same
weights and thread settings) and the whole decode — ``model.transcribe`` returns a lazy generator, and iterating
it is where the work happens, so the generator is consumed in the thread too.

Defaults are chosen for spoken numbers: ``temperature=0.0`` (the fallback ladder loops on digits),
``language="no"`` for Norwegian (Whisper rejects ``nb``; ``nb``/``nn``/``nb-NO`` map to ``no``), word timestamps,
and an ``initial_prompt`` that reads out a phone number in the target language. Weights never download:
``local_files_only=True``; see :mod:`sidecar_stt.engines.weights` for the packaged ``tiny.en`` and ``base``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import math
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from livekit import rtc
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions, LanguageCode, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from livekit.agents.utils import AudioBuffer, is_given

from ..errors import AudioError, ConfigurationError, EngineError
from ..log import logger
from .hints import base_language, number_prompt
from .models import PackagedWhisperModels, WhisperLanguages
from .weights import check_whisper_model, resolve_whisper_model

if TYPE_CHECKING:
    from livekit.agents import vad as lk_vad

__all__ = ["WhisperOptions", "WhisperSTT", "segments_to_event", "whisper_language", "whisper_stream_stt"]

SAMPLE_RATE = 16000
MAX_COMPRESSION_RATIO = 2.4
_EXTRA_HINT = 'pip install "sidecar-stt[whisper]"'
_PROMPT_LANGUAGES = ("no", "en")

_models: dict[tuple[str, int, str, str], Any] = {}
_models_lock = threading.Lock()


class _WordLike(Protocol):
    start: float
    end: float
    word: str
    probability: float


class _SegmentLike(Protocol):
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    tokens: Sequence[int]

    @property
    def words(self) -> Sequence[_WordLike] | None: ...


def whisper_language(language: str) -> str:
    """Whisper's code for a BCP-47-ish tag: ``nb``, ``nn``, ``no``, ``nb-NO`` → ``no``; ``en-US`` → ``en``."""
    if not language.strip():
        raise ConfigurationError("Whisper needs a language, e.g. language='no'")
    return base_language(language)


@dataclass(frozen=True)
class WhisperOptions:
    """The settings of one :class:`WhisperSTT`.

    Attributes:
        model: a packaged name (``tiny.en``, ``base``) or a CTranslate2 Whisper directory.
        language: Whisper language code (already mapped, e.g. ``no``).
        beam_size: beam width; 1 is greedy.
        initial_prompt: text that primes the decoder, or ``None``.
        hotwords: words to favour, or ``None``.
        cpu_threads: CTranslate2 threads; 0 lets it choose.
        compute_type: CTranslate2 compute type (``int8`` is fastest on CPU).
        device: ``cpu`` or ``cuda``.
    """

    model: str
    language: str
    beam_size: int
    initial_prompt: str | None
    hotwords: str | None
    cpu_threads: int
    compute_type: str
    device: str


def _english_only(model: str) -> bool:
    return Path(model).name.endswith(".en")


class WhisperSTT(stt.STT[Any]):
    """Local Whisper on faster-whisper: one FINAL event per :meth:`recognize` call (non-streaming).

    Args:
        model: ``"base"`` (multilingual, default), ``"tiny.en"`` (English) or a CTranslate2 Whisper directory.
        language: ``"no"``/``"nb"``/``"nb-NO"`` for Norwegian, ``"en"``...; English-only models always use ``en``.
        beam_size: beam width (5 by default; 1 is greedy and faster).
        initial_prompt: decoder prompt; by default a phone number read out in Norwegian or English; ``None``
            turns it off.
        hotwords: optional words to favour.
        cpu_threads: CTranslate2 CPU threads (0: its default).
        compute_type: CTranslate2 compute type, ``int8`` by default.
        device: ``cpu`` (default) or ``cuda``.
    """

    def __init__(
        self,
        *,
        model: PackagedWhisperModels | str = "base",
        language: WhisperLanguages | str = "no",
        beam_size: int = 5,
        initial_prompt: NotGivenOr[str | None] = NOT_GIVEN,
        hotwords: str | None = None,
        cpu_threads: int = 0,
        compute_type: str = "int8",
        device: str = "cpu",
    ) -> None:
        super().__init__(
            capabilities=stt.STTCapabilities(
                streaming=False, interim_results=False, aligned_transcript="word", offline_recognize=True
            )
        )
        if beam_size < 1:
            raise ConfigurationError(f"beam_size must be at least 1, got {beam_size}")
        if cpu_threads < 0:
            raise ConfigurationError(f"cpu_threads must be 0 or more, got {cpu_threads}")
        if importlib.util.find_spec("faster_whisper") is None:
            raise ConfigurationError(f"local Whisper needs the whisper extra: {_EXTRA_HINT}")
        check_whisper_model(model)
        lang = "en" if _english_only(model) else whisper_language(language)
        prompt = initial_prompt if is_given(initial_prompt) else self._default_prompt(lang)
        self._opts = WhisperOptions(
            model=model,
            language=lang,
            beam_size=beam_size,
            initial_prompt=prompt,
            hotwords=hotwords,
            cpu_threads=cpu_threads,
            compute_type=compute_type,
            device=device,
        )
        self._load_lock = asyncio.Lock()

    @staticmethod
    def _default_prompt(language: str) -> str | None:
        return number_prompt(language) if language in _PROMPT_LANGUAGES else None

    @property
    def options(self) -> WhisperOptions:
        """The engine's settings."""
        return self._opts

    @property
    def model(self) -> str:
        return self._opts.model

    @property
    def provider(self) -> str:
        return "faster-whisper"

    def _load_model_blocking(self) -> Any:
        """Resolve the weights and load the model once per (path, threads, compute type, device). Blocking."""
        try:
            from faster_whisper import WhisperModel
        except ImportError as e:
            raise ConfigurationError(f"local Whisper needs the whisper extra: {_EXTRA_HINT}") from e
        path = resolve_whisper_model(self._opts.model)
        key = (str(path), self._opts.cpu_threads, self._opts.compute_type, self._opts.device)
        with _models_lock:
            model = _models.get(key)
            if model is None:
                logger.info("loading whisper model", extra={"model": self._opts.model})
                try:
                    model = WhisperModel(
                        str(path),
                        device=self._opts.device,
                        compute_type=self._opts.compute_type,
                        cpu_threads=self._opts.cpu_threads,
                        local_files_only=True,
                    )
                except (RuntimeError, ValueError, OSError) as e:
                    raise ConfigurationError(f"cannot load Whisper model from {path}: {e}") from e
                _models[key] = model
            return model

    async def load(self) -> None:
        """Load the model now (in a worker thread) instead of on the first decode."""
        async with self._load_lock:
            await asyncio.to_thread(self._load_model_blocking)

    def prewarm(self) -> None:
        """Start loading the model in a background thread; returns at once."""
        threading.Thread(target=self._prewarm_blocking, name="sidecar-whisper-load", daemon=True).start()

    def _prewarm_blocking(self) -> None:
        try:
            self._load_model_blocking()
        except Exception:
            logger.exception("whisper model prewarm failed")

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        lang = self._opts.language
        if is_given(language) and language and not _english_only(self._opts.model):
            lang = whisper_language(language)
        frame = rtc.combine_audio_frames(buffer)
        return await asyncio.to_thread(self._decode_blocking, frame, lang)

    def _decode_blocking(self, frame: rtc.AudioFrame, language: str) -> stt.SpeechEvent:
        """The whole decode: model load, audio conversion, transcribe and generator iteration. Blocking."""
        model = self._load_model_blocking()
        audio = frame_to_float32(frame)
        prompt = self._opts.initial_prompt if language == self._opts.language else self._default_prompt(language)
        try:
            segments, _info = model.transcribe(
                audio,
                language=language,
                task="transcribe",
                beam_size=self._opts.beam_size,
                temperature=0.0,
                word_timestamps=True,
                initial_prompt=prompt,
                hotwords=self._opts.hotwords,
                condition_on_previous_text=False,
                vad_filter=False,
            )
            decoded = list(segments)
        except (RuntimeError, ValueError) as e:
            raise EngineError("whisper decode failed", retryable=False) from e
        return segments_to_event(decoded, language=language, request_id=uuid.uuid4().hex)


def frame_to_float32(frame: rtc.AudioFrame) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Mono float32 samples at 16 kHz in [-1, 1], as faster-whisper expects. Blocking for long audio."""
    if frame.samples_per_channel == 0:
        return np.zeros(0, dtype=np.float32)
    if frame.sample_rate != SAMPLE_RATE:
        resampler = rtc.AudioResampler(
            frame.sample_rate, SAMPLE_RATE, num_channels=frame.num_channels, quality=rtc.AudioResamplerQuality.HIGH
        )
        frames = [*resampler.push(frame), *resampler.flush()]
        if not frames:
            return np.zeros(0, dtype=np.float32)
        frame = rtc.combine_audio_frames(frames)
    try:
        pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels)
    except ValueError as e:
        raise AudioError("audio frame has an inconsistent channel layout") from e
    mono: np.ndarray[Any, np.dtype[np.float32]] = (pcm.astype(np.float32).mean(axis=1) / 32768.0).astype(np.float32)
    return mono


def _confidence(segments: Sequence[_SegmentLike]) -> float:
    weights = [max(len(s.tokens), 1) for s in segments]
    mean_logprob = sum(s.avg_logprob * w for s, w in zip(segments, weights, strict=True)) / sum(weights)
    return min(1.0, max(0.0, math.exp(mean_logprob)))


def segments_to_event(
    segments: Iterable[_SegmentLike],
    *,
    language: str,
    request_id: str = "",
    start_time_offset: float = 0.0,
    max_compression_ratio: float = MAX_COMPRESSION_RATIO,
) -> stt.SpeechEvent:
    """One FINAL ``SpeechEvent`` from decoded Whisper segments (times relative to the buffer + offset).

    Segments whose gzip compression ratio exceeds ``max_compression_ratio`` are repetition loops ("det er
    velder, det er velder, ...") — Whisper's own threshold for a failed decode; with ``temperature=0`` there is
    no fallback, so they are dropped (counted in ``metadata["dropped_segments"]``). ``confidence`` is ``exp``
    of the token-weighted mean ``avg_logprob``, clamped to [0, 1]. An empty decode yields a FINAL event with
    one empty alternative.
    """
    kept = [s for s in segments if s.text.strip()]
    segs = [s for s in kept if s.compression_ratio <= max_compression_ratio]
    dropped = len(kept) - len(segs)
    if not segs:
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            request_id=request_id,
            alternatives=[stt.SpeechData(language=LanguageCode(language), text="", confidence=0.0)],
        )
    words: list[TimedString] = []
    for seg in segs:
        for w in seg.words or ():
            text = w.word.strip()
            if text:
                words.append(
                    TimedString(
                        text,
                        start_time=float(w.start) + start_time_offset,
                        end_time=float(w.end) + start_time_offset,
                        confidence=float(w.probability),
                        start_time_offset=start_time_offset,
                    )
                )
    data = stt.SpeechData(
        language=LanguageCode(language),
        text=" ".join(s.text.strip() for s in segs),
        start_time=float(segs[0].start) + start_time_offset,
        end_time=float(segs[-1].end) + start_time_offset,
        confidence=_confidence(segs),
        words=words,
        metadata={
            "segments": [
                {
                    "start_s": float(s.start) + start_time_offset,
                    "end_s": float(s.end) + start_time_offset,
                    "text": s.text.strip(),
                    "avg_logprob": float(s.avg_logprob),
                    "no_speech_prob": float(s.no_speech_prob),
                }
                for s in segs
            ],
            "dropped_segments": dropped,
        },
    )
    return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=request_id, alternatives=[data])


def whisper_stream_stt(*, vad: lk_vad.VAD | None = None, **whisper_kwargs: Any) -> stt.StreamAdapter:
    """A streaming STT for live audio: :class:`WhisperSTT` behind LiveKit's ``StreamAdapter`` and a VAD.

    ``vad`` defaults to ``silero.VAD.load()``; ``whisper_kwargs`` go to :class:`WhisperSTT`. Each VAD segment
    becomes one FINAL event (no interim results); its times are relative to the segment.
    """
    if vad is None:
        from livekit.plugins import silero

        vad = silero.VAD.load()
    return stt.StreamAdapter(stt=WhisperSTT(**whisper_kwargs), vad=vad)
