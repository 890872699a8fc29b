"""Exact speech spans for engines that run behind ``stt.StreamAdapter``.

LiveKit's ``StreamAdapter`` cuts the audio into VAD segments and recognises each one, but the transcript it emits
carries times relative to the segment (or none at all). :class:`SpanRecordingVAD` wraps the VAD the adapter uses
and notes where each segment lay in the stream's audio (from the VAD's own sample clock), so the engine runner can
place every final on the session clock exactly, whatever the playback pace.
"""

from __future__ import annotations

from collections import deque
from typing import Any, cast

from livekit import rtc
from livekit.agents import vad

__all__ = ["SpanRecordingVAD"]


class SpanRecordingVAD(vad.VAD):
    """A pass-through VAD that records each speech segment's (start_s, end_s) relative to its stream's start."""

    def __init__(self, inner: vad.VAD) -> None:
        super().__init__(capabilities=inner.capabilities)
        self._inner = inner
        self.spans: deque[tuple[float, float]] = deque()

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def provider(self) -> str:
        return self._inner.provider

    def stream(self) -> vad.VADStream:
        self.spans.clear()  # a new stream starts a new clock
        return cast(vad.VADStream, _RecordingStream(self._inner.stream(), self.spans))


class _RecordingStream:
    """Delegates to a real VADStream and records END_OF_SPEECH spans (duck-typed for StreamAdapter)."""

    def __init__(self, inner: vad.VADStream, spans: deque[tuple[float, float]]) -> None:
        self._inner = inner
        self._spans = spans

    def push_frame(self, frame: rtc.AudioFrame) -> None:
        self._inner.push_frame(frame)

    def flush(self) -> None:
        self._inner.flush()

    def end_input(self) -> None:
        self._inner.end_input()

    async def aclose(self) -> None:
        await self._inner.aclose()

    def __aiter__(self) -> _RecordingStream:
        return self

    async def __anext__(self) -> vad.VADEvent:
        event = await self._inner.__anext__()
        if event.type == vad.VADEventType.END_OF_SPEECH:
            end_s = max(0.0, event.timestamp - event.silence_duration)
            self._spans.append((max(0.0, end_s - event.speech_duration), end_s))
        return event

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
