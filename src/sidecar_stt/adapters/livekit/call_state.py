"""``CallState``: what one call knows, in one place, with a notification on every change.

The parts of a :class:`~sidecar_stt.Sidecar` (the engine pool and its runners, the listen policy, the caller-turn
sources, the capture tools, the recorder) each depend on this object, never on ``Sidecar`` and never on each
other's callables:

- the **session clock**: seconds of caller audio that passed the tap (:attr:`CallState.audio_s`; for waits
  :meth:`CallState.now_s`, which carries on while the input delivers nothing), and the mapping of a wall-clock
  moment onto it (:meth:`CallState.audio_time_at`); the tap is the clock, re-given on reinstall;
- the **ledger**: the caller turns and every engine's transcripts;
- the **engines**: which are listening, from when and up to where each has heard, which are recovering from a
  failure (restarted with replay) and which failed for good;
- the **capture**: whether one is open, and since when (the read-back on the table is the capture machine's);
- whether the sidecar **hears** the caller at all (attached, closed, tap lost), in plain words for a tool;
- the **events** sink the parts report through (the ``Sidecar``'s typed emitter).

Every change wakes the waiters of :meth:`CallState.wait_until` (no polling); a caller turn that ends is announced
to the parts that subscribed with :meth:`CallState.on_turn_ended`. Use from the event loop only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ...core.ledger import TranscriptLedger, UserTurn
from .events import SidecarEventTypes
from .options import SidecarOptions

__all__ = ["CallState", "EngineHearing", "EventSink", "SessionClock"]


class SessionClock(Protocol):
    """The session clock (the tap): caller audio seconds since the sidecar attached."""

    @property
    def audio_s(self) -> float: ...

    def now_s(self) -> float: ...

    def audio_time_at(self, wall_time: float) -> float: ...


class EventSink(Protocol):
    """Where the parts of a call report their public events (the ``Sidecar`` emitter)."""

    def emit(self, event: SidecarEventTypes, /, *args: Any) -> None: ...


class KeypadStatus(Protocol):
    @property
    def caller_can_type(self) -> bool | None: ...


@dataclass
class EngineHearing:
    """How far one engine has heard the caller in its current listening period."""

    running: bool = False
    failed: bool = False
    """Failed for good (a permanent fault): nobody waits for it."""
    recovering: bool = False
    """Failed and being restarted, with the audio since its last final replayed: worth a bounded wait."""
    heard_from_s: float = 0.0
    """Session time from which it hears (0 for an always-on engine)."""
    heard_until_s: float = 0.0
    """Session time of the end of the last audio handed to its stream."""


class CallState:
    """The state of one call, shared by the parts of one :class:`~sidecar_stt.Sidecar`."""

    def __init__(self, *, options: SidecarOptions, events: EventSink, engines: tuple[str, ...]) -> None:
        self.options = options
        self.events = events
        self.ledger = TranscriptLedger()
        self.engines = engines
        self.hearing = {name: EngineHearing() for name in engines}
        self._clock: SessionClock | None = None
        self.attached = False
        self.closed = False
        self.tap_lost = False
        self.keypad: KeypadStatus | None = None
        self.capture_open = False
        self.capture_opened_s: float | None = None
        """Session time the latest capture opened (``None`` before the first)."""
        self._turn_ended: list[Callable[[UserTurn], None]] = []

    # -- the session clock ------------------------------------------------------------------------------

    def use_clock(self, clock: SessionClock) -> None:
        """The tap now on the session's input keeps the clock."""
        self._clock = clock
        self.attached = True

    @property
    def audio_s(self) -> float:
        """Seconds of caller audio seen since the sidecar attached (the session clock)."""
        return self._clock.audio_s if self._clock is not None else 0.0

    def now_s(self) -> float:
        """The session clock for waits: :attr:`audio_s`, carried on at wall-clock pace while no caller audio
        arrives (the grace and the answer wait must pass when the input stops)."""
        return self._clock.now_s() if self._clock is not None else 0.0

    def audio_time_at(self, wall_time: float) -> float:
        """The session time of the caller audio that had passed the tap at ``wall_time``."""
        return self._clock.audio_time_at(wall_time) if self._clock is not None else 0.0

    # -- changes ----------------------------------------------------------------------------------------

    def changed(self) -> None:
        """Something the waiters may depend on changed: wake them."""
        self.ledger.notify()

    async def wait_until(self, predicate: Callable[[], bool], *, timeout_s: float) -> bool:
        """Wait until ``predicate()`` holds, re-checked on every change (ledger, engines, capture); returns
        whether it held before ``timeout_s`` ran out."""
        return await self.ledger.wait_until(predicate, timeout_s=timeout_s)

    def on_turn_ended(self, listener: Callable[[UserTurn], None]) -> None:
        """Call ``listener`` with each caller turn once it ended."""
        self._turn_ended.append(listener)

    def turn_ended(self, turn: UserTurn) -> None:
        for listener in list(self._turn_ended):
            listener(turn)

    # -- engines ----------------------------------------------------------------------------------------

    def engine_started(self, name: str, *, heard_from_s: float) -> None:
        self.hearing[name] = EngineHearing(running=True, heard_from_s=heard_from_s)
        self.changed()

    def engine_heard(self, name: str, *, until_s: float) -> None:
        """The engine ``name`` was handed the caller's audio up to ``until_s``."""
        hearing = self.hearing[name]
        if until_s != hearing.heard_until_s:  # a restarted stream hears its replay again: it may go back
            hearing.heard_until_s = until_s
            self.changed()

    def engine_failed(self, name: str) -> None:
        self.hearing[name].failed = True
        self.hearing[name].recovering = False
        self.changed()

    def engine_recovering(self, name: str) -> None:
        self.hearing[name].recovering = True
        self.changed()

    def engine_recovered(self, name: str) -> None:
        self.hearing[name].recovering = False
        self.changed()

    @property
    def engines_recovering(self) -> tuple[str, ...]:
        """The running engines being restarted after a transient fault."""
        return tuple(n for n, h in self.hearing.items() if h.running and h.recovering and not h.failed)

    def engine_stopped(self, name: str) -> None:
        self.hearing[name].running = False
        self.changed()

    # -- capture ----------------------------------------------------------------------------------------

    def set_capture_open(self, is_open: bool) -> None:
        if is_open and not self.capture_open:
            self.capture_opened_s = self.now_s()
        self.capture_open = is_open
        self.changed()

    # -- hearing ----------------------------------------------------------------------------------------

    @property
    def caller_can_type(self) -> bool | None:
        return self.keypad.caller_can_type if self.keypad is not None else None

    @property
    def not_hearing_reason(self) -> str | None:
        """Why the sidecar is not hearing the caller (plain words for a tool answer), or ``None``."""
        if not self.attached:
            return "the sidecar is not attached to the call"
        if self.closed:
            return "the sidecar has stopped (the session closed)"
        if self.tap_lost:
            return "the sidecar lost the caller's audio input"
        running = [h for h in self.hearing.values() if h.running or h.failed]
        if running and all(h.failed for h in running):
            return "every sidecar speech engine has failed"
        return None
