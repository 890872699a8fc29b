"""The LiveKit adapter: :class:`Sidecar` on a LiveKit ``AgentSession``, its audio tap, tools, task and events.

It is not the only package that imports ``livekit``: ``engines/`` (engines are LiveKit ``stt.STT`` objects),
``testing/``, ``demo/``, ``evaluation/``, ``recording/`` and ``calls/`` do too; ``core/`` never does.
"""

from .capture_tools import ConfirmedHook, PhoneCaptureResult, PhoneCaptureTools
from .engine_stats import EngineStats
from .events import (
    AudioFormatDetectedEvent,
    EngineFailedEvent,
    EngineOutputRepairedEvent,
    EngineRecoveredEvent,
    FramesDroppedEvent,
    KeypadEntryReceivedEvent,
    SidecarEventTypes,
    SidecarTranscriptEvent,
    TapLostEvent,
    TapReinstalledEvent,
    TurnSourceSelectedEvent,
)
from .keypad import KeypadListener
from .options import SidecarOptions
from .sidecar import Sidecar, TurnTranscript
from .tap import AudioTap
from .task import CapturePhoneNumberTask

__all__ = [
    "AudioFormatDetectedEvent",
    "AudioTap",
    "CapturePhoneNumberTask",
    "ConfirmedHook",
    "EngineFailedEvent",
    "EngineOutputRepairedEvent",
    "EngineRecoveredEvent",
    "EngineStats",
    "FramesDroppedEvent",
    "KeypadEntryReceivedEvent",
    "KeypadListener",
    "PhoneCaptureResult",
    "PhoneCaptureTools",
    "Sidecar",
    "SidecarEventTypes",
    "SidecarOptions",
    "SidecarTranscriptEvent",
    "TapLostEvent",
    "TapReinstalledEvent",
    "TurnSourceSelectedEvent",
    "TurnTranscript",
]
