"""The escalation ladder: what the capture tries when the sidecar keeps hearing a reading the caller rejected.

A capture must never loop. When the only reading the sidecar engines hear in the caller's latest words is one the
caller already said no to, the capture climbs one rung per such turn, each rung at most once, each an event
(:class:`~sidecar_stt.core.capture_events.CaptureEscalatedEvent`):

1. ``earlier_alternative`` — a lower-ranked reading of an earlier utterance of the number, not rejected, read
   back with "check each pair";
2. ``realtime_reading`` — the realtime model's own reading when it differs from every rejected one, labelled as
   the model's hearing and read back with "check each pair";
3. ``digit_by_digit`` — ask for the whole number one digit at a time;
4. ``keypad`` — ask the caller to type it, where the caller can type;
5. ``give_up`` — a clean end (``phone_number_capture_failed`` with reason ``no_new_reading``) the app can act on.

A rung whose evidence is missing (no other reading, the model heard nothing new, no keypad) is skipped.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final, Literal

__all__ = ["RUNGS", "Rung", "next_rung"]

Rung = Literal["earlier_alternative", "realtime_reading", "digit_by_digit", "keypad", "give_up"]

RUNGS: Final[tuple[Rung, ...]] = ("earlier_alternative", "realtime_reading", "digit_by_digit", "keypad", "give_up")


def next_rung(climbed: Collection[Rung], *, available: Collection[Rung]) -> Rung:
    """The next rung to try: the first not yet climbed whose evidence is ``available`` (``give_up`` always is)."""
    for rung in RUNGS:
        if rung not in climbed and (rung == "give_up" or rung in available):
            return rung
    return "give_up"
