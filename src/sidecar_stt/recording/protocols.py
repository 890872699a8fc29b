"""What the recorder needs of the call it records and of the store it hands the call to, as small Protocols.

The recorder depends on these, not on ``Sidecar`` or ``CallStore``: recording/ imports neither the adapter nor
calls/, so the modules of the three never import each other in a circle. ``Sidecar`` and ``CallStore`` satisfy
them as they are (mypy checks it where a ``CallRecorder`` is passed to them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..core.ledger import UserTurn
from ..core.segment import Segment

__all__ = ["CallSink", "RecordedCall", "RecordedLedger", "RecordedOptions", "RecordedStats"]


class CallSink(Protocol):
    """Where a recorded call goes when it ends (a ``CallStore``)."""

    def add_call(self, folder: str | Path) -> object: ...


class RecordedLedger(Protocol):
    @property
    def turns(self) -> Sequence[UserTurn]: ...

    def segments(self, *, source: str | None = None, finals_only: bool = True) -> Sequence[Segment]: ...


class RecordedOptions(Protocol):
    @property
    def language(self) -> str: ...

    @property
    def region(self) -> str: ...


class RecordedStats(Protocol):
    """One engine's counters as the end entry keeps them."""

    @property
    def audio_sent_s(self) -> float: ...

    @property
    def transcript_s(self) -> float: ...


class RecordedCall(Protocol):
    """The live side of a call as the recorder reads it (a ``Sidecar``): its engines, options, ledger, clock,
    per-engine counters and events."""

    @property
    def engines(self) -> tuple[str, ...]: ...

    @property
    def options(self) -> RecordedOptions: ...

    @property
    def ledger(self) -> RecordedLedger: ...

    @property
    def audio_s(self) -> float: ...

    def stats(self) -> Mapping[str, RecordedStats]: ...

    def on(self, event: Any, callback: Callable[..., Any] | None = None) -> Callable[..., Any]: ...

    def off(self, event: Any, callback: Callable[..., Any]) -> None: ...
