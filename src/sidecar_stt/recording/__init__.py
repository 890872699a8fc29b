"""Call recording: the caller audio the tap saw and the call's record, written as the call goes.

:class:`CallRecorder` is opt-in (``Sidecar(engines, recorder=CallRecorder("calls/"))``) and best-effort: no
recording failure reaches the live call (``recording_failed`` / ``recording_frames_dropped`` events tell).
:func:`load_call_record` reads a recorded call back, also one cut short by a crash. See ``docs/POST_CALL.md``.
"""

from __future__ import annotations

from .call_id import CALL_ID_MAX_LENGTH, check_call_id, is_call_id, new_call_id
from .events import RecorderEventTypes, RecordingFailedEvent, RecordingFramesDroppedEvent
from .journal import JournalError, JournalWriter, SkippedLine, read_journal, read_journal_lines
from .protocols import CallSink, RecordedCall
from .record import (
    AUDIO_FILE,
    JOURNAL_FILE,
    CallRecord,
    LiveOutcome,
    RecordedMessage,
    RecordedToolCall,
    load_call_record,
    record_from_entries,
)
from .recorder import CallRecorder, engine_costs

__all__ = [
    "AUDIO_FILE",
    "CALL_ID_MAX_LENGTH",
    "JOURNAL_FILE",
    "CallRecord",
    "CallRecorder",
    "CallSink",
    "JournalError",
    "JournalWriter",
    "LiveOutcome",
    "RecordedCall",
    "RecordedMessage",
    "RecordedToolCall",
    "RecorderEventTypes",
    "RecordingFailedEvent",
    "RecordingFramesDroppedEvent",
    "SkippedLine",
    "check_call_id",
    "engine_costs",
    "is_call_id",
    "load_call_record",
    "new_call_id",
    "read_journal",
    "read_journal_lines",
    "record_from_entries",
]
