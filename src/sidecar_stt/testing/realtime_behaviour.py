"""``ServerBehaviour``: the timing and failures of the real realtime service that a test can ask the fake for.

Each field turns on one thing the real ``gpt-realtime`` service does (see ``docs/TESTING.md``, "What the fake
server does like the real service"); the defaults are the service's ordinary behaviour on a good connection::

    FakeRealtimeServer(script, behaviour=ServerBehaviour(transcript_timing="after_function_call"))

- ``transcript_timing``: the SDK documents that ``conversation.item.input_audio_transcription.completed`` "may come
  before or after the Response events". ``"before_response"`` sends it before ``response.created`` (the common
  order), ``"after_response_created"`` right after it, ``"after_function_call"`` after the response's function
  call items (the client runs its tools before the transcript arrives), ``"never"`` not at all;
  ``transcript_delay_s`` holds a late transcript back that much longer (without holding the response up).
- ``audio_end``: ``"protocol"`` reports ``speech_stopped.audio_end_ms`` as the protocol defines it — it "includes
  the min_silence_duration_ms configured in the Session" (``server_vad``'s ``silence_duration_ms``; a
  ``semantic_vad`` session configures none); ``"voiced"`` reports the end of the last voiced frame.
- ``barge_in``: caller speech while a reply plays is reported at once (``speech_started``) instead of after the
  exchange, and with ``interrupt_response`` (the default) the playing response is cancelled
  (``response.done`` status ``cancelled``, reason ``turn_detected``); the client truncates the assistant item.
- ``drop_after_turns``: close the socket (code 1011) once this many caller turns have completed; the client
  reconnects and the new connection's audio offsets start again at 0. ``drop_in_turn``: close it right after
  reporting the *n*-th speech start (0-based, on all connections); the rest of that speech is lost with it.
- ``failed_transcription_turns``: script turns (0-based) whose transcription ends in
  ``conversation.item.input_audio_transcription.failed`` instead of ``.completed``.
- ``rate_limits``: send ``rate_limits.updated`` at the beginning of every response.
- ``transcript_logprob``: send ``logprobs`` (with this log probability per word) on the transcription events
  (LiveKit turns them into the transcript's confidence).
- ``error_after_turns``: send a server ``error`` (type ``server_error``) after these caller turns have completed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AudioEndTiming",
    "ServerBehaviour",
    "TranscriptTiming",
    "logprobs_for",
    "rate_limits_event",
    "server_error_event",
    "silence_included_s",
    "transcription_failed_event",
]

TranscriptTiming = Literal["before_response", "after_response_created", "after_function_call", "never"]
AudioEndTiming = Literal["protocol", "voiced"]


@dataclass(frozen=True)
class ServerBehaviour:
    """Which of the real service's timing and failure behaviours the fake shows (see the module docstring)."""

    transcript_timing: TranscriptTiming = "before_response"
    transcript_delay_s: float = 0.0
    audio_end: AudioEndTiming = "protocol"
    barge_in: bool = False
    drop_after_turns: int | None = None
    drop_in_turn: int | None = None
    failed_transcription_turns: frozenset[int] = field(default_factory=frozenset)
    rate_limits: bool = False
    transcript_logprob: float | None = None
    error_after_turns: frozenset[int] = field(default_factory=frozenset)


def silence_included_s(turn_detection: dict[str, Any] | None, audio_end: AudioEndTiming) -> float:
    """Seconds of silence ``audio_end_ms`` includes after the last voiced audio, for a session's turn detection."""
    if audio_end != "protocol" or turn_detection is None or turn_detection.get("type") != "server_vad":
        return 0.0
    silence_ms = turn_detection.get("silence_duration_ms")
    return float(silence_ms) / 1000.0 if isinstance(silence_ms, int | float) else 0.5


def logprobs_for(words: Sequence[str], logprob: float | None) -> list[dict[str, Any]] | None:
    """The ``logprobs`` of transcript words (one token per word), or ``None`` when none are sent."""
    if logprob is None:
        return None
    return [{"token": w, "logprob": logprob, "bytes": list(w.encode("utf-8"))} for w in words]


def rate_limits_event() -> dict[str, Any]:
    """A ``rate_limits.updated`` as the service sends it at the start of a response."""
    return {
        "type": "rate_limits.updated",
        "rate_limits": [
            {"name": "requests", "limit": 5000, "remaining": 4999, "reset_seconds": 0.012},
            {"name": "tokens", "limit": 400000, "remaining": 395000, "reset_seconds": 0.75},
        ],
    }


def transcription_failed_event(item_id: str) -> dict[str, Any]:
    """The service could not transcribe the user item ``item_id``."""
    return {
        "type": "conversation.item.input_audio_transcription.failed",
        "item_id": item_id,
        "content_index": 0,
        "error": {"type": "server_error", "code": None, "message": "Input transcription failed.", "param": None},
    }


def server_error_event() -> dict[str, Any]:
    """A transient server ``error`` that answers no client event."""
    return {
        "type": "error",
        "error": {
            "type": "server_error",
            "code": None,
            "message": "The server had an error while processing your request.",
            "param": None,
            "event_id": None,
        },
    }
