"""Events of the post-call flow."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from .reconciliation import Verdict

__all__ = ["ReviewHook", "ReviewNeededEvent"]


@dataclass(frozen=True, slots=True)
class ReviewNeededEvent:
    """A post-call transcription does not back the live capture: a human should look at the call.

    ``reason`` is a static sentence (no personal values); the numbers are in the call's reprocess run.
    """

    call_id: str
    verdict: Verdict
    reason: str
    engine_spec: str
    differing_groups: tuple[int, ...] = ()
    type: Literal["review_needed"] = "review_needed"
    created_at: float = field(default_factory=time.time)


ReviewHook = Callable[[ReviewNeededEvent], Awaitable[None] | None]
"""Called once per reprocess run whose reconciliation needs review (e.g. to open a ticket)."""
