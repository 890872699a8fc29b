"""Call ids: what a call's folder is named, its key in the store, and the name of its exported clip.

A call id is one path component of a documented character set and a length the database holds::

    ASCII letters and digits, then letters, digits, '.', '_' or '-'; at most 64 characters

so it can never name a path elsewhere (no ``/``, no ``..``, no leading dot or dash, no control character).
:func:`check_call_id` is applied wherever an id enters: the recorder, a journal on import, the command line.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Final

from ..errors import ConfigurationError

__all__ = ["CALL_ID_MAX_LENGTH", "check_call_id", "is_call_id", "new_call_id"]

CALL_ID_MAX_LENGTH: Final = 64
"""The store's ``call_id`` column is ``VARCHAR(64)``."""

_CALL_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def is_call_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= CALL_ID_MAX_LENGTH
        and _CALL_ID.fullmatch(value) is not None
        and ".." not in value
    )


def check_call_id(value: object) -> str:
    """``value`` if it is a valid call id; else one :class:`ConfigurationError` line (the value shown escaped)."""
    if not is_call_id(value):
        shown = ascii(value)[:80]
        raise ConfigurationError(
            f"not a call id: {shown} (1-{CALL_ID_MAX_LENGTH} of A-Z a-z 0-9 . _ -, starting with a letter or digit)"
        )
    return str(value)


def new_call_id() -> str:
    """A sortable unique id: UTC start time and a random suffix (``20261129T221500Z-3f9a1c2e``)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
