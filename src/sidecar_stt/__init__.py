"""Sidecar: an accurate STT beside a realtime speech-to-speech model in LiveKit Agents.

The public API lives here. Names are resolved lazily so that ``import sidecar_stt.core`` (pure Python) never
imports livekit; the LiveKit adapter and the engines load on first use of a name that needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_getattr

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Alternative": "sidecar_stt.core.segment",
    "Segment": "sidecar_stt.core.segment",
    "Word": "sidecar_stt.core.segment",
    "TranscriptLedger": "sidecar_stt.core.ledger",
    "UserTurn": "sidecar_stt.core.ledger",
    "LANGUAGES": "sidecar_stt.core.numerals",
    "normalize_language": "sidecar_stt.core.numerals",
    "parse_digit_readings": "sidecar_stt.core.numerals",
    "PhoneCandidate": "sidecar_stt.core.phone",
    "extract_phone_numbers": "sidecar_stt.core.phone",
    "read_back": "sidecar_stt.core.readback",
    "read_back_groups": "sidecar_stt.core.readback",
    "Evidence": "sidecar_stt.core.fusion",
    "FusedCandidate": "sidecar_stt.core.fusion",
    "FusionWeights": "sidecar_stt.core.fusion",
    "fuse_phone_evidence": "sidecar_stt.core.fusion",
    "CaptureStep": "sidecar_stt.core.capture",
    "PhoneCapture": "sidecar_stt.core.capture",
    "Proposal": "sidecar_stt.core.capture",
    "PhoneNumberCaptureFailedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberConfirmedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberProposedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberRejectedEvent": "sidecar_stt.core.capture_events",
    "phone_capture_instructions": "sidecar_stt.core.instructions",
    "AudioError": "sidecar_stt.errors",
    "ConfigurationError": "sidecar_stt.errors",
    "EngineError": "sidecar_stt.errors",
    "EngineTimeoutError": "sidecar_stt.errors",
    "SidecarError": "sidecar_stt.errors",
    "AudioTap": "sidecar_stt.adapters.livekit",
    "CapturePhoneNumberTask": "sidecar_stt.adapters.livekit",
    "CapturedPhoneNumber": "sidecar_stt.adapters.livekit",
    "EngineFailedEvent": "sidecar_stt.adapters.livekit",
    "EngineStats": "sidecar_stt.adapters.livekit",
    "FramesDroppedEvent": "sidecar_stt.adapters.livekit",
    "PhoneNumberCapture": "sidecar_stt.adapters.livekit",
    "Sidecar": "sidecar_stt.adapters.livekit",
    "SidecarOptions": "sidecar_stt.adapters.livekit",
    "SidecarTranscriptEvent": "sidecar_stt.adapters.livekit",
    "TurnTranscript": "sidecar_stt.adapters.livekit",
    "AzureSpeechSTT": "sidecar_stt.engines",
    "WhisperSTT": "sidecar_stt.engines",
    "describe_engine": "sidecar_stt.engines",
    "from_spec": "sidecar_stt.engines",
    "CallRecord": "sidecar_stt.recording",
    "CallRecorder": "sidecar_stt.recording",
    "load_call_record": "sidecar_stt.recording",
    "CallStore": "sidecar_stt.calls",
    "Reconciliation": "sidecar_stt.calls",
    "ReviewNeededEvent": "sidecar_stt.calls",
    "export_dataset": "sidecar_stt.calls",
    "reconcile": "sidecar_stt.calls",
    "reprocess_call": "sidecar_stt.calls",
}

__all__ = sorted([*_EXPORTS, "__version__"], key=str.casefold)


__getattr__ = lazy_getattr(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return list(__all__)


if TYPE_CHECKING:
    from .adapters.livekit import AudioTap as AudioTap
    from .adapters.livekit import CapturedPhoneNumber as CapturedPhoneNumber
    from .adapters.livekit import CapturePhoneNumberTask as CapturePhoneNumberTask
    from .adapters.livekit import EngineFailedEvent as EngineFailedEvent
    from .adapters.livekit import EngineStats as EngineStats
    from .adapters.livekit import FramesDroppedEvent as FramesDroppedEvent
    from .adapters.livekit import PhoneNumberCapture as PhoneNumberCapture
    from .adapters.livekit import Sidecar as Sidecar
    from .adapters.livekit import SidecarOptions as SidecarOptions
    from .adapters.livekit import SidecarTranscriptEvent as SidecarTranscriptEvent
    from .adapters.livekit import TurnTranscript as TurnTranscript
    from .calls import CallStore as CallStore
    from .calls import Reconciliation as Reconciliation
    from .calls import ReviewNeededEvent as ReviewNeededEvent
    from .calls import export_dataset as export_dataset
    from .calls import reconcile as reconcile
    from .calls import reprocess_call as reprocess_call
    from .core.capture import CaptureStep as CaptureStep
    from .core.capture import PhoneCapture as PhoneCapture
    from .core.capture import Proposal as Proposal
    from .core.capture_events import PhoneNumberCaptureFailedEvent as PhoneNumberCaptureFailedEvent
    from .core.capture_events import PhoneNumberConfirmedEvent as PhoneNumberConfirmedEvent
    from .core.capture_events import PhoneNumberProposedEvent as PhoneNumberProposedEvent
    from .core.capture_events import PhoneNumberRejectedEvent as PhoneNumberRejectedEvent
    from .core.fusion import Evidence as Evidence
    from .core.fusion import FusedCandidate as FusedCandidate
    from .core.fusion import FusionWeights as FusionWeights
    from .core.fusion import fuse_phone_evidence as fuse_phone_evidence
    from .core.instructions import phone_capture_instructions as phone_capture_instructions
    from .core.ledger import TranscriptLedger as TranscriptLedger
    from .core.ledger import UserTurn as UserTurn
    from .core.numerals import LANGUAGES as LANGUAGES
    from .core.numerals import normalize_language as normalize_language
    from .core.numerals import parse_digit_readings as parse_digit_readings
    from .core.phone import PhoneCandidate as PhoneCandidate
    from .core.phone import extract_phone_numbers as extract_phone_numbers
    from .core.readback import read_back as read_back
    from .core.readback import read_back_groups as read_back_groups
    from .core.segment import Alternative as Alternative
    from .core.segment import Segment as Segment
    from .core.segment import Word as Word
    from .engines import AzureSpeechSTT as AzureSpeechSTT
    from .engines import WhisperSTT as WhisperSTT
    from .engines import describe_engine as describe_engine
    from .engines import from_spec as from_spec
    from .errors import AudioError as AudioError
    from .errors import ConfigurationError as ConfigurationError
    from .errors import EngineError as EngineError
    from .errors import EngineTimeoutError as EngineTimeoutError
    from .errors import SidecarError as SidecarError
    from .recording import CallRecord as CallRecord
    from .recording import CallRecorder as CallRecorder
    from .recording import load_call_record as load_call_record
