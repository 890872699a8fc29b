"""``GuardedEmitter``: an ``rtc.EventEmitter`` whose handlers cannot break the emitter's caller.

Sidecar's events are sent from inside the capture flow, the engines' read loops and the tap. LiveKit's emitter
re-raises a handler's ``TypeError`` into the code that emitted (a ``phone_number_confirmed`` handler's bug would
stop the capture before its result and hook) and logs any other exception with its message and traceback at
ERROR (a handler's message may quote the phone number or a transcript). Here every handler runs on its own:
an exception is counted (:attr:`GuardedEmitter.handler_errors`) and logged with the event's name and the
exception's type only; its message and traceback go to DEBUG. The payload is never logged. Handlers receive as
many of the event's arguments as they take positionally, as with LiveKit's emitter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from livekit import rtc

from ...log import logger

__all__ = ["GuardedEmitter"]

T = TypeVar("T")


class GuardedEmitter(rtc.EventEmitter[T]):
    """An event emitter for which a failing handler is logged (type only) and skipped."""

    def __init__(self) -> None:
        super().__init__()
        self.handler_errors = 0
        """Exceptions raised by event handlers (and kept from the code that emitted)."""

    def emit(self, event: T, *args: Any) -> None:
        for callback in list(self._events.get(event, ())):
            try:
                callback(*_arguments_for(callback, args))
            except Exception as e:
                self.handler_errors += 1
                logger.error(
                    "sidecar event handler failed", extra={"event": str(event), "error_type": type(e).__name__}
                )
                logger.debug("sidecar event handler error", exc_info=True)


def _arguments_for(callback: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """As many of ``args`` as ``callback`` takes positionally (all of them for ``*args`` or an unreadable
    signature)."""
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return args
    positional = 0
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            return args
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            positional += 1
    return args[:positional]
