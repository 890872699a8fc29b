"""Validation of realtime server events against the ``openai`` SDK's ``types.realtime`` models.

:func:`validate_server_event` parses an event dict with the SDK's ``RealtimeServerEvent`` union (discriminated
by ``type``) and, in strict mode, also rejects any field the SDK model does not declare — the SDK models accept
unknown fields silently, so a misspelt field would otherwise pass. It raises :class:`InvalidServerEventError`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sidecar_stt.errors import SidecarError

__all__ = ["InvalidServerEventError", "validate_server_event"]

# Subtrees that echo what the client sent (the session configuration), where unknown fields are the
# client's business, not the server's.
_ECHOED_FIELDS = frozenset({"session"})

_adapter: TypeAdapter[Any] | None = None


class InvalidServerEventError(SidecarError):
    """A server event the fake realtime server was about to send does not match the OpenAI GA models."""


def _get_adapter() -> TypeAdapter[Any]:
    global _adapter
    if _adapter is None:
        from openai.types.realtime import RealtimeServerEvent

        _adapter = TypeAdapter(RealtimeServerEvent)
    return _adapter


def _extra_fields(model: BaseModel, path: str) -> list[str]:
    found: list[str] = []
    extra = model.model_extra or {}
    found.extend(f"{path}.{name}" if path else name for name in extra)
    for name in type(model).model_fields:
        if not path and name in _ECHOED_FIELDS:
            continue
        found.extend(_extra_in_value(getattr(model, name), f"{path}.{name}" if path else name))
    return found


def _extra_in_value(value: object, path: str) -> list[str]:
    if isinstance(value, BaseModel):
        return _extra_fields(value, path)
    if isinstance(value, list | tuple):
        found: list[str] = []
        for i, v in enumerate(value):
            found.extend(_extra_in_value(v, f"{path}[{i}]"))
        return found
    return []


def validate_server_event(event: dict[str, Any], *, strict: bool = True) -> BaseModel:
    """Validate one server event; return the parsed SDK model.

    Args:
        event: the JSON-ready event dict.
        strict: also reject fields the SDK models do not declare (outside the echoed session).

    Raises:
        InvalidServerEventError: the event does not validate.
    """
    try:
        model = _get_adapter().validate_python(event)
    except ValidationError as e:
        raise InvalidServerEventError(f"invalid realtime server event {event.get('type')!r}: {e}") from e
    if not isinstance(model, BaseModel):  # pragma: no cover - the union holds models only
        raise InvalidServerEventError(f"unexpected model for event {event.get('type')!r}")
    if strict:
        extras = _extra_fields(model, "")
        if extras:
            raise InvalidServerEventError(
                f"realtime server event {event.get('type')!r} has undeclared fields: {', '.join(extras)}"
            )
    return model
