"""Which engine failures a restart can cure: the fault taxonomy.

A failure is **permanent** when the vendor or the engine says that trying again cannot help, and **transient**
otherwise. Permanent, each with its reason:

- ``authentication``: HTTP 401 or 403 (LiveKit's ``APIStatusError``, the ``openai`` SDK's
  ``AuthenticationError``/``PermissionDeniedError``, an ``aiohttp`` handshake refused, Azure's
  ``AuthenticationFailure``/``Forbidden`` mapped to those codes);
- ``quota``: HTTP 402, or an error whose ``code`` or ``type`` names a quota (the ``openai`` SDK's
  ``insufficient_quota``);
- ``configuration``: any other 4xx but 408, 429 and 499 (LiveKit's own rule for ``APIStatusError``), a missing
  extra, key or setting (``ConfigurationError``, ``ImportError``), an engine that cannot stream
  (``NotImplementedError``);
- ``not_retryable``: an error that carries ``retryable=False`` (LiveKit's ``APIError``, Sidecar's ``EngineError``).

Everything else is transient: network and protocol errors (``OSError``, ``TimeoutError``, ``aiohttp``'s
disconnects, ``asyncio.IncompleteReadError``), decode errors (``ValueError`` and its ``JSONDecodeError``,
``KeyError``), a vendor's own exceptions, ``RuntimeError`` from a stream that ended, and anything unexpected a
stream raises: a restart with replay costs little, and the :class:`~.restart_budget.RestartBudget` slows down an
engine that keeps failing. The error is read by duck typing (``status_code``/``status``, ``response.status_code``,
``code``, ``type``, ``retryable``), so no vendor SDK is imported here.
"""

from __future__ import annotations

from typing import Literal

from ..errors import ConfigurationError

__all__ = ["Fault", "classify_fault"]

Fault = Literal["transient", "authentication", "quota", "configuration", "not_retryable"]

_TRANSIENT_CLIENT_STATUSES = frozenset({408, 429, 499})


def classify_fault(error: BaseException) -> Fault:
    """Whether ``error`` is transient, or why it is permanent."""
    if isinstance(error, ConfigurationError | ImportError | NotImplementedError):
        return "configuration"
    status = _status(error)
    if status == 402 or _names_quota(error):
        return "quota"
    if status in (401, 403):
        return "authentication"
    if status is not None and 400 <= status < 500 and status not in _TRANSIENT_CLIENT_STATUSES:
        return "configuration"
    if getattr(error, "retryable", True) is False:
        return "not_retryable"
    return "transient"


def _status(error: BaseException) -> int | None:
    for value in (
        getattr(error, "status_code", None),
        getattr(error, "status", None),
        getattr(getattr(error, "response", None), "status_code", None),
    ):
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _names_quota(error: BaseException) -> bool:
    # plain attributes only: a property may be deprecated (aiohttp's ``code``) or compute something else
    values = (error.__dict__.get(name, getattr(type(error), name, None)) for name in ("code", "type"))
    return any(isinstance(value, str) and "quota" in value.lower() for value in values)
