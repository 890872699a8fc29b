"""``ListeningRealtimeModel``: an in-process ``llm.RealtimeModel`` that only listens.

A stand-in for realtime models other than OpenAI's (Gemini Live and others) that report no caller turns to
LiveKit: it takes the caller's audio (counting it in :attr:`ListeningRealtimeSession.received_s`) and never
speaks, never calls a tool and, unless ``report_speech`` is set, never emits ``input_speech_started`` /
``input_speech_stopped`` (so the session emits no ``user_state_changed``). With ``report_speech`` it runs the
fake server's energy VAD over the audio and emits those events the moment it detects them, as a model whose
turns reach LiveKit only by wall clock::

    session = AgentSession(llm=ListeningRealtimeModel(), vad=None, aec_warmup_duration=None)
"""

from __future__ import annotations

import asyncio
from typing import Literal

from livekit import rtc
from livekit.agents import llm
from livekit.agents.types import NOT_GIVEN, NotGivenOr

from .realtime_script import EnergyVad, VadOptions

__all__ = ["ListeningRealtimeModel", "ListeningRealtimeSession"]


class ListeningRealtimeModel(llm.RealtimeModel):
    """A realtime model double that listens and says nothing (see the module docstring)."""

    def __init__(self, *, report_speech: bool = False, vad: VadOptions | None = None) -> None:
        super().__init__(
            capabilities=llm.RealtimeCapabilities(
                message_truncation=False,
                turn_detection=True,
                user_transcription=False,
                auto_tool_reply_generation=False,
                audio_output=True,
                manual_function_calls=False,
            )
        )
        self.report_speech = report_speech
        self.vad_options = vad or VadOptions()
        self.sessions: list[ListeningRealtimeSession] = []

    @property
    def model(self) -> str:
        return "listening-double"

    @property
    def provider(self) -> str:
        return "sidecar-testing"

    def session(self, *, turn_detection_disabled: bool = False) -> ListeningRealtimeSession:
        session = ListeningRealtimeSession(self)
        self.sessions.append(session)
        return session

    async def aclose(self) -> None:
        for session in self.sessions:
            await session.aclose()


class ListeningRealtimeSession(llm.RealtimeSession[Literal["listening_double"]]):
    """The session of :class:`ListeningRealtimeModel`."""

    def __init__(self, model: ListeningRealtimeModel) -> None:
        super().__init__(model)
        self._model = model
        self._chat_ctx = llm.ChatContext.empty()
        self._tools = llm.ToolContext.empty()
        self._vad: EnergyVad | None = None
        self.received_s = 0.0
        """Seconds of caller audio pushed to the model."""

    @property
    def chat_ctx(self) -> llm.ChatContext:
        return self._chat_ctx.copy()

    @property
    def tools(self) -> llm.ToolContext:
        return self._tools.copy()

    async def update_instructions(self, instructions: str) -> None:
        return None

    async def update_chat_ctx(self, chat_ctx: llm.ChatContext) -> None:
        self._chat_ctx = chat_ctx.copy()

    async def update_tools(self, tools: list[llm.Tool]) -> None:
        self._tools = llm.ToolContext(tools)

    def update_options(self, *, tool_choice: NotGivenOr[llm.ToolChoice | None] = NOT_GIVEN) -> None:
        return None

    def push_audio(self, frame: rtc.AudioFrame) -> None:
        self.received_s += frame.samples_per_channel / frame.sample_rate
        if not self._model.report_speech:
            return
        if self._vad is None:
            self._vad = EnergyVad(self._model.vad_options, sample_rate=frame.sample_rate)
        for boundary in self._vad.push(bytes(frame.data.cast("B"))):
            if boundary.kind == "start":
                self.emit("input_speech_started", llm.InputSpeechStartedEvent())
            else:
                self.emit("input_speech_stopped", llm.InputSpeechStoppedEvent(user_transcription_enabled=False))

    def push_video(self, frame: rtc.VideoFrame) -> None:
        return None

    def generate_reply(
        self,
        *,
        instructions: NotGivenOr[str] = NOT_GIVEN,
        tool_choice: NotGivenOr[llm.ToolChoice] = NOT_GIVEN,
        tools: NotGivenOr[list[llm.Tool]] = NOT_GIVEN,
    ) -> asyncio.Future[llm.GenerationCreatedEvent]:
        future: asyncio.Future[llm.GenerationCreatedEvent] = asyncio.get_running_loop().create_future()
        future.set_exception(llm.RealtimeError("this realtime model double never replies"))
        return future

    def commit_audio(self) -> None:
        return None

    def clear_audio(self) -> None:
        return None

    def interrupt(self) -> None:
        return None

    def truncate(
        self,
        *,
        message_id: str,
        modalities: list[Literal["text", "audio"]],
        audio_end_ms: int,
        audio_transcript: NotGivenOr[str] = NOT_GIVEN,
    ) -> None:
        return None

    async def aclose(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"ListeningRealtimeSession(received_s={self.received_s:.2f})"
