"""Call recording: the caller audio the tap saw and the call's record, written as the call goes.

:class:`CallRecorder` is opt-in (``Sidecar(engines, recorder=CallRecorder("calls/"))``);
:func:`load_call_record` reads a recorded call back, also one cut short by a crash. See ``docs/POST_CALL.md``.
"""

from __future__ import annotations

from .journal import JournalWriter, read_journal
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
from .recorder import CallRecorder, engine_costs, new_call_id

__all__ = [
    "AUDIO_FILE",
    "JOURNAL_FILE",
    "CallRecord",
    "CallRecorder",
    "JournalWriter",
    "LiveOutcome",
    "RecordedMessage",
    "RecordedToolCall",
    "engine_costs",
    "load_call_record",
    "new_call_id",
    "read_journal",
    "record_from_entries",
]
