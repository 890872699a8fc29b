"""What the Sidecar reads from a LiveKit ``AgentSession`` beyond its public events (LiveKit Agents 1.8.9).

- :func:`realtime_session`: the realtime model session of the current agent, if any.
- :func:`model_hears_silence`: whether the session is giving the realtime model silence instead of the caller's
  frame right now: the same rule as ``AgentActivity.push_audio`` (echo-cancellation warm-up while the agent
  speaks, and input discarded during uninterruptible agent speech). It reads private attributes; when they are
  missing (another LiveKit version) it answers ``False``.
- :func:`input_chain_holds`: whether an audio input is still on ``session.input.audio`` (directly or wrapped).
- :func:`reports_server_turns`: whether a realtime session is LiveKit's OpenAI/Azure one, whose server reports
  the caller's turns with audio offsets (``openai_server_event_received``).
"""

from __future__ import annotations

from typing import Any

from livekit.agents import AgentSession, llm
from livekit.agents.voice import io

__all__ = ["input_chain_holds", "model_hears_silence", "realtime_session", "reports_server_turns"]


def realtime_session(session: AgentSession[Any]) -> llm.RealtimeSession[Any] | None:
    """The realtime session of the session's current agent, or ``None`` (no agent running, no realtime model)."""
    try:
        return session.current_agent.realtime_llm_session
    except RuntimeError:
        return None


def model_hears_silence(session: AgentSession[Any]) -> bool:
    """Whether the session currently substitutes silence for the caller's audio on the realtime model's path.

    Asked for every caller frame: the tests that are false in most frames (no echo-cancellation warm-up running,
    no speech or one that can be interrupted) come first."""
    warmup = getattr(session, "_aec_warmup_timer", None) is not None
    if warmup and getattr(session, "_aec_warmup_remaining", 0.0) > 0 and session.agent_state == "speaking":
        return True
    speech = getattr(getattr(session, "_activity", None), "_current_speech", None)
    if speech is None or speech.allow_interruptions or speech.interrupted or speech.done():
        return False
    interruption = getattr(session.options, "interruption", None)
    return bool(isinstance(interruption, dict) and interruption.get("discard_audio_if_uninterruptible"))


def input_chain_holds(session: AgentSession[Any], audio_input: io.AudioInput) -> bool:
    """Whether ``audio_input`` is ``session.input.audio`` or wrapped by it (``.source`` links)."""
    current = session.input.audio
    seen = 0
    while current is not None and seen < 32:
        if current is audio_input:
            return True
        current = current.source
        seen += 1
    return False


def reports_server_turns(realtime: llm.RealtimeSession[Any] | None) -> bool:
    """Whether ``realtime`` is LiveKit's OpenAI (or Azure) realtime session, which reports caller turns."""
    if realtime is None:
        return False
    try:
        from livekit.plugins.openai.realtime import RealtimeSession
    except ImportError:  # pragma: no cover - the OpenAI plugin is a dependency
        return False
    return isinstance(realtime, RealtimeSession)
