"""``AzureSpeechSTT``: Azure AI Speech as a streaming LiveKit ``stt.STT`` that keeps the whole n-best list.

LiveKit's own Azure plugin reports one alternative with ``confidence=1.0``. This engine asks for
``OutputFormat.Detailed`` with word timestamps and turns every ``NBest`` entry of a final result into a
``stt.SpeechData`` alternative, in Azure's order (the first entry is the recognition result, not necessarily the
most confident one), with its real confidence, its **Lexical** form as ``text`` (what our number parser reads)
and ``ITN``/``MaskedITN``/``Display`` in ``metadata``. Times are Azure's 100-ns ticks relative to the stream's
first audio, converted to seconds and shifted by the stream's ``start_time_offset`` onto the session clock.

The Speech SDK (extra ``[azure]``) sits behind a small seam, :class:`RecognizerBackend`: the stream pushes PCM
into it and receives :class:`RecognizerEvent` callbacks (on SDK threads, handed to the event loop). The
translation from Detailed JSON to ``SpeechEvent`` is the pure function :func:`translate_result`; cancellations
become :class:`AzureSpeechError` via :func:`cancellation_error`. Tests drive the stream with a fake backend.

Credentials come from the variables LiveKit's Azure plugin reads: ``AZURE_SPEECH_KEY`` and
``AZURE_SPEECH_REGION`` (or ``AZURE_SPEECH_HOST``). A number-word phrase list for the locale is sent by
default; Azure's language table does not list phrase-list support for every locale (nb-NO among them), and
the service then ignores it. Where Sidecar has no number words, or the SDK rejects the list, a warning is logged
and recognition runs without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectOptions, APIStatusError, LanguageCode, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from livekit.agents.utils import AudioBuffer, is_given

from ..errors import ConfigurationError, EngineError
from ..log import logger
from .hints import number_words
from .models import AzureLanguages

__all__ = [
    "AzureSpeechError",
    "AzureSpeechOptions",
    "AzureSpeechSTT",
    "RecognizerBackend",
    "RecognizerBackendFactory",
    "RecognizerEvent",
    "cancellation_error",
    "resolve_azure_credentials",
    "translate_result",
]

SAMPLE_RATE = 16000
TICKS_PER_SECOND = 10_000_000
_EXTRA_HINT = 'pip install "sidecar-stt[azure]"'

RecognizerEventKind = Literal["recognizing", "recognized", "canceled", "session_stopped"]


@dataclass(frozen=True)
class RecognizerEvent:
    """One callback of the recognizer, reduced to plain data.

    ``result_json`` is the SDK's ``result.json`` (Detailed format) for ``recognizing``/``recognized``; for
    ``canceled``, ``cancel_reason`` is the ``CancellationReason`` name (``Error``, ``EndOfStream``, ...) and
    ``cancel_code`` the ``CancellationErrorCode`` name (``AuthenticationFailure``, ``ConnectionFailure``, ...).
    """

    kind: RecognizerEventKind
    result_json: str = ""
    offset_ticks: int | None = None
    """The result object's ``offset`` (Microsoft advises it over the JSON's ``Offset``); ``None`` if unknown."""
    duration_ticks: int | None = None
    cancel_reason: str = ""
    cancel_code: str = ""
    error_details: str = ""


class RecognizerBackend(Protocol):
    """The recognizer seam: the SDK in production, a replaying fake in tests."""

    def start(self, on_event: Callable[[RecognizerEvent], None]) -> None:
        """Start continuous recognition; ``on_event`` may be called from any thread. Blocking."""

    def write(self, pcm: bytes) -> None:
        """Push 16-bit mono PCM at :data:`SAMPLE_RATE`. Must not block."""

    def close_input(self) -> None:
        """No more audio: the recognizer finishes what it has, then reports ``session_stopped``."""

    def stop(self) -> None:
        """Stop recognition and release resources. Blocking; safe to call twice."""


@dataclass(frozen=True)
class AzureSpeechOptions:
    """The settings of one :class:`AzureSpeechSTT`.

    Attributes:
        language: the recognition locale (``nb-NO``).
        phrases: phrase-list entries (number words by default).
        phrase_weight: phrase-list weight 0–2, or ``None`` for Azure's default.
        segmentation_silence_s: silence that ends a phrase, or ``None`` for Azure's default.
        speech_key, speech_region, speech_host: credentials (empty when a custom backend needs none).
    """

    language: str
    phrases: tuple[str, ...]
    phrase_weight: float | None = None
    segmentation_silence_s: float | None = None
    speech_key: str = field(default="", repr=False)
    speech_region: str = ""
    speech_host: str = ""


RecognizerBackendFactory = Callable[[AzureSpeechOptions], RecognizerBackend]


class AzureSpeechError(APIStatusError, EngineError):
    """Azure canceled recognition with an error. ``retryable`` is False for auth/bad-request failures."""

    def __init__(self, message: str, *, code: str, status_code: int, retryable: bool) -> None:
        APIStatusError.__init__(self, message, status_code=status_code, retryable=retryable)
        self.code = code


# CancellationErrorCode name -> (HTTP-like status, retryable)
_CANCEL_CODES: dict[str, tuple[int, bool]] = {
    "AuthenticationFailure": (401, False),
    "Forbidden": (403, False),
    "BadRequest": (400, False),
    "TooManyRequests": (429, True),
    "ConnectionFailure": (-1, True),
    "ServiceTimeout": (408, True),
    "ServiceError": (500, True),
    "ServiceUnavailable": (503, True),
    "ServiceRedirectTemporary": (307, True),
    "ServiceRedirectPermanent": (308, False),
    "RuntimeError": (-1, False),
    "EmbeddedModelError": (-1, False),
}


def cancellation_error(reason: str, code: str, details: str = "") -> AzureSpeechError | None:
    """The error for a ``canceled`` event, or ``None`` when the cancellation is a normal end of stream.

    ``details`` (Azure's error text) is kept out of the message for logs; it is in ``body``.
    """
    if reason != "Error":
        return None
    status, retryable = _CANCEL_CODES.get(code, (-1, True))
    err = AzureSpeechError(
        f"Azure Speech canceled recognition: {code or 'unknown error'}",
        code=code,
        status_code=status,
        retryable=retryable,
    )
    err.body = details or None
    return err


def _seconds(ticks: Any) -> float:
    return float(ticks) / TICKS_PER_SECOND if isinstance(ticks, int | float) else 0.0


# ``RecognitionStatus`` as the service sends it ("Success") and as the JS SDK and Speech Studio exports re-serialise
# it (the SDK's enum: 0 is Success).
_SUCCESS_STATUSES: tuple[object, ...] = ("Success", 0)


def _succeeded(status: object) -> bool:
    return not isinstance(status, bool) and status in _SUCCESS_STATUSES


def _words(entry: Mapping[str, Any], *, offset_s: float, start_time_offset: float) -> list[TimedString]:
    """The entry's timed words; ``offset_s`` moves Azure's word ticks onto the session clock."""
    words: list[TimedString] = []
    for w in entry.get("Words") or ():
        text = str(w.get("Word", "")).strip()
        if not text:
            continue
        start = _seconds(w.get("Offset")) + offset_s
        conf = w.get("Confidence")
        words.append(
            TimedString(
                text,
                start_time=start,
                end_time=start + _seconds(w.get("Duration")),
                confidence=float(conf) if isinstance(conf, int | float) else NOT_GIVEN,
                start_time_offset=start_time_offset,
            )
        )
    return words


def translate_result(
    kind: Literal["recognizing", "recognized"],
    result_json: str | Mapping[str, Any],
    *,
    language: str,
    start_time_offset: float = 0.0,
    request_id: str = "",
    offset_ticks: int | None = None,
    duration_ticks: int | None = None,
) -> stt.SpeechEvent | None:
    """Turn one Detailed-format result into a ``SpeechEvent`` (``None`` when there is nothing to report).

    ``recognizing`` → INTERIM_TRANSCRIPT with the partial ``Text`` (Azure gives no confidence for partials).
    ``recognized`` with ``RecognitionStatus`` ``"Success"`` (or ``0``, as the JS SDK and Speech Studio exports write
    it) → FINAL_TRANSCRIPT with one alternative per NBest entry, in Azure's order; any other status (``NoMatch``,
    ``InitialSilenceTimeout``...) → ``None``. The first NBest entry *is* the recognition: when its text is empty
    (a real result: ``Lexical`` "" at confidence 0, then single letters at 0.94) nothing was recognised and the
    other entries are not offered as readings → ``None``.
    Times are seconds on the session clock: Azure's stream-relative ticks plus ``start_time_offset``. The result
    object's ``offset_ticks``/``duration_ticks``, when given, win over the JSON's ``Offset``/``Duration`` (the SDK's
    fix-up of the JSON offset is not reliable, Speech SDK issue 1902); word times move with it.
    """
    payload: Mapping[str, Any] = json.loads(result_json) if isinstance(result_json, str) else result_json
    json_start_s = _seconds(payload.get("Offset"))
    object_start_s = json_start_s if offset_ticks is None else _seconds(offset_ticks)
    start_s = object_start_s + start_time_offset
    end_s = start_s + _seconds(payload.get("Duration") if duration_ticks is None else duration_ticks)
    word_offset_s = start_time_offset + object_start_s - json_start_s

    if kind == "recognizing":
        text = str(payload.get("Text", "")).strip()
        if not text:
            return None
        data = stt.SpeechData(
            language=LanguageCode(language), text=text, start_time=start_s, end_time=end_s, confidence=0.0
        )
        return stt.SpeechEvent(type=stt.SpeechEventType.INTERIM_TRANSCRIPT, request_id=request_id, alternatives=[data])

    if not _succeeded(payload.get("RecognitionStatus")):
        return None
    nbest = payload.get("NBest") or ()
    if nbest and not str(nbest[0].get("Lexical", "")).strip():
        return None
    alternatives: list[stt.SpeechData] = []
    for rank, entry in enumerate(nbest):
        words = _words(entry, offset_s=word_offset_s, start_time_offset=start_time_offset)
        conf = entry.get("Confidence")
        alternatives.append(
            stt.SpeechData(
                language=LanguageCode(language),
                text=str(entry.get("Lexical", "")).strip(),
                start_time=words[0].start_time if words and is_given(words[0].start_time) else start_s,
                end_time=words[-1].end_time if words and is_given(words[-1].end_time) else end_s,
                confidence=min(1.0, max(0.0, float(conf))) if isinstance(conf, int | float) else 0.0,
                words=words,
                metadata={
                    "itn": entry.get("ITN", ""),
                    "masked_itn": entry.get("MaskedITN", ""),
                    "display": entry.get("Display", ""),
                    "nbest_rank": rank,
                },
            )
        )
    if not alternatives:
        display = str(payload.get("DisplayText", "")).strip()
        if not display:
            return None
        alternatives.append(
            stt.SpeechData(
                language=LanguageCode(language), text=display, start_time=start_s, end_time=end_s, confidence=0.0
            )
        )
    return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, request_id=request_id, alternatives=alternatives)


def resolve_azure_credentials(
    *, speech_key: str | None = None, speech_region: str | None = None, speech_host: str | None = None
) -> tuple[str, str, str]:
    """``(key, region, host)`` from the arguments or ``AZURE_SPEECH_KEY``/``_REGION``/``_HOST``.

    Raises :class:`ConfigurationError` naming the missing variable.
    """
    key = speech_key or os.environ.get("AZURE_SPEECH_KEY", "")
    region = speech_region or os.environ.get("AZURE_SPEECH_REGION", "")
    host = speech_host or os.environ.get("AZURE_SPEECH_HOST", "")
    if not key:
        raise ConfigurationError("Azure Speech needs AZURE_SPEECH_KEY (or speech_key=...)")
    if not region and not host:
        raise ConfigurationError("Azure Speech needs AZURE_SPEECH_REGION or AZURE_SPEECH_HOST (or speech_region=...)")
    return key, region, host


def _speechsdk() -> Any:
    try:
        import azure.cognitiveservices.speech as speechsdk
    except ImportError as e:
        raise ConfigurationError(f"Azure Speech needs the azure extra: {_EXTRA_HINT}") from e
    return speechsdk


class _SdkBackend:
    """:class:`RecognizerBackend` on ``azure-cognitiveservices-speech``."""

    def __init__(self, opts: AzureSpeechOptions) -> None:
        sdk = _speechsdk()
        if opts.speech_host:
            config = sdk.SpeechConfig(subscription=opts.speech_key, host=opts.speech_host)
        else:
            config = sdk.SpeechConfig(subscription=opts.speech_key, region=opts.speech_region)
        config.speech_recognition_language = opts.language
        config.output_format = sdk.OutputFormat.Detailed
        config.request_word_level_timestamps()
        if opts.segmentation_silence_s is not None:
            config.set_property(
                sdk.PropertyId.Speech_SegmentationSilenceTimeoutMs, str(round(opts.segmentation_silence_s * 1000))
            )
        fmt = sdk.audio.AudioStreamFormat(samples_per_second=SAMPLE_RATE, bits_per_sample=16, channels=1)
        self._push = sdk.audio.PushAudioInputStream(stream_format=fmt)
        self._recognizer = sdk.SpeechRecognizer(
            speech_config=config, audio_config=sdk.audio.AudioConfig(stream=self._push)
        )
        self._sdk = sdk
        self._opts = opts
        self._stopped = False
        self._apply_phrases()

    def _apply_phrases(self) -> None:
        if not self._opts.phrases:
            return
        try:
            grammar = self._sdk.PhraseListGrammar.from_recognizer(self._recognizer)
            for phrase in self._opts.phrases:
                grammar.addPhrase(phrase)
            if self._opts.phrase_weight is not None:
                grammar.setWeight(self._opts.phrase_weight)
        except Exception:
            logger.warning("azure phrase list not applied; recognizing without it", exc_info=True)

    def start(self, on_event: Callable[[RecognizerEvent], None]) -> None:
        def result_event(kind: RecognizerEventKind) -> Callable[[Any], None]:
            def handler(evt: Any) -> None:
                r = evt.result
                on_event(RecognizerEvent(kind, r.json or "", int(r.offset), int(r.duration)))

            return handler

        def canceled(evt: Any) -> None:
            d = evt.cancellation_details
            on_event(
                RecognizerEvent(
                    "canceled",
                    cancel_reason=getattr(d.reason, "name", str(d.reason)),
                    cancel_code=getattr(d.code, "name", str(d.code)),
                    error_details=d.error_details or "",
                )
            )

        r = self._recognizer
        r.recognizing.connect(result_event("recognizing"))
        r.recognized.connect(result_event("recognized"))
        r.canceled.connect(canceled)
        r.session_stopped.connect(lambda _evt: on_event(RecognizerEvent("session_stopped")))
        r.start_continuous_recognition_async().get()

    def write(self, pcm: bytes) -> None:
        self._push.write(pcm)

    def close_input(self) -> None:
        self._push.close()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._recognizer.stop_continuous_recognition_async().get()
        for signal in ("recognizing", "recognized", "canceled", "session_stopped"):
            with contextlib.suppress(Exception):
                getattr(self._recognizer, signal).disconnect_all()


class AzureSpeechSTT(stt.STT[Any]):
    """Azure AI Speech, streaming, with the full n-best list and real confidences on every final.

    Args:
        language: recognition locale, ``nb-NO`` by default.
        phrases: phrase list; by default Norwegian (or the locale's) number words; ``()`` sends none.
        phrase_weight: phrase-list weight 0–2 (Azure's default when ``None``).
        segmentation_silence_s: silence that ends a phrase (Azure's default, ≈0.5 s, when ``None``).
        speech_key, speech_region, speech_host: override ``AZURE_SPEECH_KEY``/``_REGION``/``_HOST``.
        backend_factory: builds the recognizer for each stream; the Speech SDK by default. A custom factory
            (tests, other transports) needs no credentials.
    """

    def __init__(
        self,
        *,
        language: AzureLanguages | str = "nb-NO",
        phrases: NotGivenOr[tuple[str, ...] | list[str]] = NOT_GIVEN,
        phrase_weight: float | None = None,
        segmentation_silence_s: float | None = None,
        speech_key: str | None = None,
        speech_region: str | None = None,
        speech_host: str | None = None,
        backend_factory: RecognizerBackendFactory | None = None,
    ) -> None:
        super().__init__(
            capabilities=stt.STTCapabilities(
                streaming=True, interim_results=True, aligned_transcript="word", offline_recognize=False
            )
        )
        if is_given(phrases):
            phrase_list = tuple(phrases)
        else:
            phrase_list = number_words(language) or ()
            if not phrase_list:
                logger.warning("no number-word phrase list for this locale", extra={"language": language})
        key = region = host = ""
        if backend_factory is None:
            _speechsdk()
            key, region, host = resolve_azure_credentials(
                speech_key=speech_key, speech_region=speech_region, speech_host=speech_host
            )
        self._opts = AzureSpeechOptions(
            language=language,
            phrases=phrase_list,
            phrase_weight=phrase_weight,
            segmentation_silence_s=segmentation_silence_s,
            speech_key=key,
            speech_region=region,
            speech_host=host,
        )
        self._backend_factory: RecognizerBackendFactory = backend_factory or _SdkBackend

    @property
    def options(self) -> AzureSpeechOptions:
        """The engine's settings."""
        return self._opts

    @property
    def model(self) -> str:
        return f"azure-speech-{self._opts.language}"

    @property
    def provider(self) -> str:
        return "Azure AI Speech"

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        raise NotImplementedError("AzureSpeechSTT is streaming only; use stream()")

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> AzureSpeechStream:
        opts = self._opts
        if is_given(language) and language and language != opts.language:
            opts = dataclasses.replace(opts, language=language)
        return AzureSpeechStream(stt=self, opts=opts, backend_factory=self._backend_factory, conn_options=conn_options)


class AzureSpeechStream(stt.RecognizeStream):
    """One continuous recognition: frames in, interim/final ``SpeechEvent``s out."""

    def __init__(
        self,
        *,
        stt: AzureSpeechSTT,
        opts: AzureSpeechOptions,
        backend_factory: RecognizerBackendFactory,
        conn_options: APIConnectOptions,
    ) -> None:
        super().__init__(stt=stt, conn_options=conn_options, sample_rate=SAMPLE_RATE)
        self._opts = opts
        self._backend_factory = backend_factory
        self._speaking = False
        self._unreported_audio_s = 0.0

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        events: asyncio.Queue[RecognizerEvent] = asyncio.Queue()

        def on_event(ev: RecognizerEvent) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening any more
                loop.call_soon_threadsafe(events.put_nowait, ev)

        try:
            backend = await asyncio.to_thread(self._backend_factory, self._opts)
        except ConfigurationError:
            raise
        except Exception as e:
            raise AzureSpeechError(
                "Azure Speech recognizer could not be created", code="", status_code=-1, retryable=False
            ) from e
        request_id = uuid.uuid4().hex
        push_task: asyncio.Task[None] | None = None
        try:
            try:
                await asyncio.to_thread(backend.start, on_event)
            except Exception as e:
                raise AzureSpeechError(
                    "Azure Speech recognition could not start", code="", status_code=-1, retryable=True
                ) from e
            push_task = asyncio.create_task(self._push_audio(backend), name="AzureSpeechStream.push")

            def on_push_done(task: asyncio.Task[None]) -> None:
                if not task.cancelled() and task.exception() is not None:
                    events.put_nowait(RecognizerEvent("session_stopped"))

            push_task.add_done_callback(on_push_done)
            while True:
                ev = await events.get()
                if ev.kind == "session_stopped":
                    break
                if ev.kind == "canceled":
                    err = cancellation_error(ev.cancel_reason, ev.cancel_code, ev.error_details)
                    if err is not None:
                        logger.debug("azure cancellation details", extra={"details": ev.error_details})
                        raise err
                    break
                self._handle_result(ev, request_id=request_id)
            if push_task.done() and not push_task.cancelled() and (exc := push_task.exception()):
                raise exc
        finally:
            if push_task is not None and not push_task.done():
                push_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await push_task
            await asyncio.shield(asyncio.to_thread(backend.stop))

    async def _push_audio(self, backend: RecognizerBackend) -> None:
        async for item in self._input_ch:
            if isinstance(item, self._FlushSentinel):
                continue  # Azure segments on silence itself
            pcm = np.frombuffer(item.data, dtype=np.int16)
            if item.num_channels > 1:
                pcm = pcm.reshape(-1, item.num_channels).mean(axis=1).astype(np.int16)
            backend.write(pcm.tobytes())
            self._unreported_audio_s += item.samples_per_channel / item.sample_rate
        backend.close_input()

    def _handle_result(self, ev: RecognizerEvent, *, request_id: str) -> None:
        if ev.kind not in ("recognizing", "recognized") or not ev.result_json:
            return
        try:
            out = translate_result(
                ev.kind,
                ev.result_json,
                language=self._opts.language,
                start_time_offset=self.start_time_offset,
                request_id=request_id,
                offset_ticks=ev.offset_ticks,
                duration_ticks=ev.duration_ticks,
            )
        except (ValueError, TypeError, AttributeError):
            logger.warning("unreadable azure result skipped", exc_info=True)
            return
        if out is None:
            if ev.kind == "recognized" and self._speaking:
                self._speaking = False
                self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.END_OF_SPEECH))
            return
        if not self._speaking:
            self._speaking = True
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.START_OF_SPEECH))
        self._event_ch.send_nowait(out)
        if out.type == stt.SpeechEventType.FINAL_TRANSCRIPT:
            self._speaking = False
            self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.END_OF_SPEECH))
            if self._unreported_audio_s > 0:
                usage = stt.RecognitionUsage(audio_duration=self._unreported_audio_s)
                self._unreported_audio_s = 0.0
                self._event_ch.send_nowait(
                    stt.SpeechEvent(
                        type=stt.SpeechEventType.RECOGNITION_USAGE, request_id=request_id, recognition_usage=usage
                    )
                )
