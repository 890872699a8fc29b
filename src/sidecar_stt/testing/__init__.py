"""Public test doubles for offline work: a GA realtime server on loopback, a scripted STT engine, audio I/O.

Names load lazily: ``sidecar_stt.testing.audio`` works without livekit, the rest imports it on first use::

    from sidecar_stt.testing import FakeRealtimeServer, ScriptedEngine, ScriptedUtterance, offline_call
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr

_EXPORTS: dict[str, str] = {
    "CallerAudio": "sidecar_stt.testing.audio",
    "build_caller_audio": "sidecar_stt.testing.audio",
    "concat": "sidecar_stt.testing.audio",
    "pcm_to_frames": "sidecar_stt.testing.audio",
    "read_wav": "sidecar_stt.testing.audio",
    "resample": "sidecar_stt.testing.audio",
    "silence": "sidecar_stt.testing.audio",
    "synthesize_speech": "sidecar_stt.testing.audio",
    "trim_silence": "sidecar_stt.testing.audio",
    "voiced_bounds": "sidecar_stt.testing.audio",
    "write_wav": "sidecar_stt.testing.audio",
    "CallerAudioInput": "sidecar_stt.testing.caller",
    "planned_spans": "sidecar_stt.testing.caller",
    "EngineHearing": "sidecar_stt.testing.dialogue",
    "LiveDialogue": "sidecar_stt.testing.dialogue",
    "LiveTurn": "sidecar_stt.testing.dialogue",
    "CollectingAudioOutput": "sidecar_stt.testing.io",
    "FramesAudioInput": "sidecar_stt.testing.io",
    "SpokenSegment": "sidecar_stt.testing.io",
    "CallerTurn": "sidecar_stt.testing.realtime_script",
    "EnergyVad": "sidecar_stt.testing.realtime_script",
    "FollowUpCall": "sidecar_stt.testing.realtime_script",
    "ScriptedFunctionCall": "sidecar_stt.testing.realtime_script",
    "ToolOutput": "sidecar_stt.testing.realtime_script",
    "TurnSpan": "sidecar_stt.testing.realtime_script",
    "UnknownToolError": "sidecar_stt.testing.realtime_script",
    "VadOptions": "sidecar_stt.testing.realtime_script",
    "TemporaryPostgres": "sidecar_stt.testing.postgres",
    "FakeRealtimeServer": "sidecar_stt.testing.realtime_server",
    "ServerBehaviour": "sidecar_stt.testing.realtime_behaviour",
    "ListeningRealtimeModel": "sidecar_stt.testing.realtime_double",
    "InvalidServerEventError": "sidecar_stt.testing.realtime_validation",
    "validate_server_event": "sidecar_stt.testing.realtime_validation",
    "ScriptedEngine": "sidecar_stt.testing.scripted_engine",
    "ScriptedUtterance": "sidecar_stt.testing.scripted_engine",
    "UnheardUtteranceError": "sidecar_stt.testing.scripted_engine",
    "OfflineCall": "sidecar_stt.testing.session",
    "offline_call": "sidecar_stt.testing.session",
    "UnplayedTurnsError": "sidecar_stt.testing.session",
    "wait_for_agent_messages": "sidecar_stt.testing.session",
    "quiet_session": "sidecar_stt.testing.session",
}

__all__ = sorted(_EXPORTS, key=str.casefold)


__getattr__ = lazy_getattr(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return list(__all__)


if TYPE_CHECKING:
    from .audio import CallerAudio as CallerAudio
    from .audio import build_caller_audio as build_caller_audio
    from .audio import concat as concat
    from .audio import pcm_to_frames as pcm_to_frames
    from .audio import read_wav as read_wav
    from .audio import resample as resample
    from .audio import silence as silence
    from .audio import synthesize_speech as synthesize_speech
    from .audio import trim_silence as trim_silence
    from .audio import voiced_bounds as voiced_bounds
    from .audio import write_wav as write_wav
    from .caller import CallerAudioInput as CallerAudioInput
    from .caller import planned_spans as planned_spans
    from .dialogue import EngineHearing as EngineHearing
    from .dialogue import LiveDialogue as LiveDialogue
    from .dialogue import LiveTurn as LiveTurn
    from .io import CollectingAudioOutput as CollectingAudioOutput
    from .io import FramesAudioInput as FramesAudioInput
    from .io import SpokenSegment as SpokenSegment
    from .postgres import TemporaryPostgres as TemporaryPostgres
    from .realtime_behaviour import ServerBehaviour as ServerBehaviour
    from .realtime_double import ListeningRealtimeModel as ListeningRealtimeModel
    from .realtime_script import CallerTurn as CallerTurn
    from .realtime_script import EnergyVad as EnergyVad
    from .realtime_script import FollowUpCall as FollowUpCall
    from .realtime_script import ScriptedFunctionCall as ScriptedFunctionCall
    from .realtime_script import ToolOutput as ToolOutput
    from .realtime_script import TurnSpan as TurnSpan
    from .realtime_script import UnknownToolError as UnknownToolError
    from .realtime_script import VadOptions as VadOptions
    from .realtime_server import FakeRealtimeServer as FakeRealtimeServer
    from .realtime_validation import InvalidServerEventError as InvalidServerEventError
    from .realtime_validation import validate_server_event as validate_server_event
    from .scripted_engine import ScriptedEngine as ScriptedEngine
    from .scripted_engine import ScriptedUtterance as ScriptedUtterance
    from .scripted_engine import UnheardUtteranceError as UnheardUtteranceError
    from .session import OfflineCall as OfflineCall
    from .session import UnplayedTurnsError as UnplayedTurnsError
    from .session import offline_call as offline_call
    from .session import quiet_session as quiet_session
    from .session import wait_for_agent_messages as wait_for_agent_messages
