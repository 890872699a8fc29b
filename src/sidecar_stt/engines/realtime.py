"""``RealtimeHearingSTT``: what a realtime speech-to-speech model hears, as an engine the bake-off can score.

The comparison Sidecar exists for — the realtime model's own hearing against a dedicated STT engine, on the same
call recordings — needs the realtime model as a row of the bake-off. Two hearings, as deployments use them:

``transcription``
    the realtime session's own input transcription (the session's ``audio.input.transcription`` model, e.g.
    ``gpt-4o-transcribe``): the recording is appended and committed, and the text is the user item's
    ``conversation.item.input_audio_transcription.completed``.
``tool``
    the realtime model asked to pass the number as a tool argument (what teams first try): the session offers one
    function, ``record_phone_number(number)``, and must call it; the text is its ``number`` argument.

Each ``recognize()`` opens one GA realtime WebSocket session (OpenAI ``wss://api.openai.com/v1/realtime``, any
``base_url``, or Azure OpenAI's GA route ``<endpoint>/openai/v1/realtime`` with ``azure=True``), sends the session
configuration with turn detection off, appends the recording as 24 kHz PCM16, commits it, and closes once the
hearing is known. It is not a streaming engine: the bake-off calls ``recognize()`` with the whole recording, as a
committed caller turn.
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
from dataclasses import dataclass
from typing import Any, Literal

import aiohttp
import numpy as np
from livekit import rtc
from livekit.agents import APIConnectionError, APIConnectOptions, APIStatusError, LanguageCode, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr
from livekit.agents.utils import AudioBuffer

from ..errors import EngineError

__all__ = [
    "PHONE_TOOL",
    "RealtimeHearing",
    "RealtimeHearingError",
    "RealtimeHearingOptions",
    "RealtimeHearingSTT",
    "realtime_ws_url",
]

RealtimeHearing = Literal["transcription", "tool"]

SAMPLE_RATE = 24_000
_APPEND_BYTES = 1_000_000  # well under the service's 15 MiB per append

PHONE_TOOL: dict[str, Any] = {
    "type": "function",
    "name": "record_phone_number",
    "description": "Record the phone number the caller said, as the digits you heard.",
    "parameters": {
        "type": "object",
        "properties": {"number": {"type": "string", "description": "the digits only, e.g. 92345678"}},
        "required": ["number"],
    },
}
_TOOL_INSTRUCTIONS = (
    "The caller says their phone number. Call record_phone_number with exactly the digits you heard. "
    "Do not say anything."
)


class RealtimeHearingError(APIStatusError, EngineError):
    """The realtime service refused or failed the session (an ``error`` event, or a failed transcription)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        APIStatusError.__init__(self, message, status_code=-1, retryable=retryable)


@dataclass(frozen=True)
class RealtimeHearingOptions:
    """Where and how to ask a realtime model what it heard.

    Attributes:
        hearing: ``transcription`` (the session's input transcription) or ``tool`` (a tool argument).
        model: the realtime model (the deployment name on Azure).
        transcription_model: the session's input transcription model (``transcription`` hearing).
        language: the transcription language (Whisper-style code: ``no`` for Norwegian).
        prompt: a transcription prompt, if any.
        base_url: ``https://api.openai.com/v1`` by default; an OpenAI-compatible server, or the Azure resource
            endpoint with ``azure``.
        azure: use Azure OpenAI's GA route and ``api-key`` header.
        api_key: the key.
        timeout_s: how long one recording may take.
    """

    hearing: RealtimeHearing
    model: str = "gpt-realtime"
    transcription_model: str = "gpt-4o-transcribe"
    language: str = "no"
    prompt: str | None = None
    base_url: str = "https://api.openai.com/v1"
    azure: bool = False
    api_key: str = ""
    timeout_s: float = 60.0


def realtime_ws_url(opts: RealtimeHearingOptions) -> tuple[str, dict[str, str]]:
    """The WebSocket URL and headers of a GA realtime session for ``opts``."""
    base = opts.base_url.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[len("http") :]
    if opts.azure:
        return f"{base}/openai/v1/realtime?model={opts.model}", {"api-key": opts.api_key}
    return f"{base}/realtime?model={opts.model}", {"Authorization": f"Bearer {opts.api_key}"}


def _session(opts: RealtimeHearingOptions) -> dict[str, Any]:
    audio_input: dict[str, Any] = {"format": {"type": "audio/pcm", "rate": SAMPLE_RATE}, "turn_detection": None}
    session: dict[str, Any] = {"type": "realtime", "output_modalities": ["text"]}
    if opts.hearing == "transcription":
        transcription: dict[str, Any] = {"model": opts.transcription_model, "language": opts.language}
        if opts.prompt:
            transcription["prompt"] = opts.prompt
        audio_input["transcription"] = transcription
        session["include"] = ["item.input_audio_transcription.logprobs"]
    else:
        audio_input["transcription"] = None
        session.update(instructions=_TOOL_INSTRUCTIONS, tools=[PHONE_TOOL], tool_choice="required")
    session["audio"] = {"input": audio_input}
    return session


def _pcm24k(buffer: AudioBuffer) -> bytes:
    frame = rtc.combine_audio_frames(buffer) if isinstance(buffer, list) else buffer
    if frame.num_channels > 1:
        pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels).mean(axis=1)
        frame = rtc.AudioFrame(pcm.astype(np.int16).tobytes(), frame.sample_rate, 1, len(pcm))
    if frame.sample_rate != SAMPLE_RATE:
        resampler = rtc.AudioResampler(frame.sample_rate, SAMPLE_RATE, num_channels=1)
        frames = [*resampler.push(frame), *resampler.flush()]
        frame = rtc.combine_audio_frames(frames)
    return bytes(frame.data.cast("B"))


def _confidence(logprobs: object) -> float:
    values = [p.get("logprob") for p in logprobs if isinstance(p, dict)] if isinstance(logprobs, list) else []
    finite = [float(v) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    return math.exp(sum(finite) / len(finite)) if finite else 0.0


class RealtimeHearingSTT(stt.STT[Any]):
    """A realtime model's hearing as a non-streaming LiveKit ``stt.STT`` (see the module docstring)."""

    def __init__(self, options: RealtimeHearingOptions) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self._opts = options

    @property
    def options(self) -> RealtimeHearingOptions:
        return self._opts

    @property
    def model(self) -> str:
        return self._opts.model

    @property
    def provider(self) -> str:
        return "azure-openai-realtime" if self._opts.azure else "openai-realtime"

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions,
    ) -> stt.SpeechEvent:
        audio = _pcm24k(buffer)
        url, headers = realtime_ws_url(self._opts)
        try:
            async with aiohttp.ClientSession() as http, http.ws_connect(url, headers=headers) as ws:
                text, confidence = await asyncio.wait_for(self._hear(ws, audio), self._opts.timeout_s)
        except aiohttp.ClientError as e:
            raise APIConnectionError(f"realtime session failed: {type(e).__name__}") from e
        except TimeoutError as e:
            raise APIConnectionError("the realtime session gave no hearing in time") from e
        data = stt.SpeechData(
            language=LanguageCode(self._opts.language),
            text=text,
            start_time=0.0,
            end_time=len(audio) / 2 / SAMPLE_RATE,
            confidence=confidence,
        )
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data])

    async def _hear(self, ws: aiohttp.ClientWebSocketResponse, audio: bytes) -> tuple[str, float]:
        await ws.send_json({"type": "session.update", "session": _session(self._opts)})
        for start in range(0, len(audio), _APPEND_BYTES):
            chunk = base64.b64encode(audio[start : start + _APPEND_BYTES]).decode("ascii")
            await ws.send_json({"type": "input_audio_buffer.append", "audio": chunk})
        await ws.send_json({"type": "input_audio_buffer.commit"})
        if self._opts.hearing == "tool":
            await ws.send_json({"type": "response.create"})
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(msg.data)
            kind = event.get("type")
            if kind == "error":
                error = event.get("error") or {}
                raise RealtimeHearingError(str(error.get("message") or "realtime error"))
            if self._opts.hearing == "transcription":
                if kind == "conversation.item.input_audio_transcription.completed":
                    return str(event.get("transcript") or ""), _confidence(event.get("logprobs"))
                if kind == "conversation.item.input_audio_transcription.failed":
                    raise RealtimeHearingError("the input transcription failed")
            elif kind == "response.function_call_arguments.done" and event.get("name") == PHONE_TOOL["name"]:
                try:
                    arguments = json.loads(str(event.get("arguments") or "{}"))
                except json.JSONDecodeError:
                    arguments = {}
                number = arguments.get("number") if isinstance(arguments, dict) else None
                return (str(number) if number is not None else ""), 0.0
            elif kind == "response.done":
                return "", 0.0  # the model answered without calling the tool
        raise APIConnectionError("the realtime session closed before it said what it heard")
