"""``TranscriptLedger``: every sidecar transcript of a session, per source, on one session clock.

The ledger is append-only: an interim segment is replaced by later interims and by its final (same
``source`` + ``segment_id``), and a final is never changed again except to record which user turn it belongs to.
It never feeds the realtime model by itself; tools query it.

User turns come from the realtime model (its speech start/stop and its transcript item id). A turn owns the caller
audio from the end of the previous turn (the start of the session for the first) to its own end; a segment
belongs to the turn whose span holds the segment's midpoint. Extending each turn back to the end of the previous
one keeps the alignment right however late the realtime model reports the start of speech (it reports it after
hearing some, and the caller's audio may be played faster than real time in tests). A segment past the end of
the last closed turn stays unaligned until the next turn opens.

All times are float seconds on the session clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .segment import Segment

__all__ = ["TranscriptLedger", "UserTurn"]


@dataclass(frozen=True, slots=True)
class UserTurn:
    """One caller turn as the realtime model saw it.

    ``turn_id`` is the ledger's own stable id ("turn-1", …); ``item_id`` the realtime model's conversation item
    id once its transcript arrived, with that transcript in ``realtime_transcript``. ``end_s`` is ``None`` while
    the caller is still speaking.
    """

    turn_id: str
    start_s: float
    end_s: float | None = None
    item_id: str | None = None
    realtime_transcript: str | None = None


class TranscriptLedger:
    """Append-only, time-aligned transcripts of every sidecar source. Not thread-safe: use from one loop."""

    def __init__(self) -> None:
        self._segments: dict[tuple[str, str], Segment] = {}  # insertion order = arrival order
        self._turns: list[UserTurn] = []
        self._turn_ids = itertools.count(1)
        self._waiters: set[asyncio.Event] = set()

    # -- writing --------------------------------------------------------------------------------------

    def add(self, segment: Segment) -> Segment:
        """Record ``segment``; an interim or final replaces the interim with the same source and segment id.

        Returns the stored segment (aligned to a turn when one covers it). A final is never replaced: a second
        final with the same id is ignored and the first one returned.
        """
        key = (segment.source, segment.segment_id)
        previous = self._segments.get(key)
        if previous is not None and previous.is_final:
            return previous
        stored = dataclasses.replace(segment, turn_id=self._turn_for(segment.start_s, segment.end_s))
        if previous is not None:
            del self._segments[key]  # re-insert so arrival order reflects the latest version
        self._segments[key] = stored
        self._notify()
        return stored

    def begin_turn(self, *, start_s: float) -> UserTurn:
        """The realtime model heard the caller start speaking at ``start_s``."""
        current = self.latest_turn()
        if current is not None and current.end_s is None:
            # a turn that never closed ends where the next one starts
            self._replace_turn(dataclasses.replace(current, end_s=start_s))
        turn = UserTurn(turn_id=f"turn-{next(self._turn_ids)}", start_s=start_s)
        self._turns.append(turn)
        self._realign()
        return turn

    def end_turn(self, *, end_s: float) -> UserTurn | None:
        """The realtime model heard the caller stop speaking at ``end_s``."""
        current = self.latest_turn()
        if current is None or current.end_s is not None:
            return None
        turn = dataclasses.replace(current, end_s=max(end_s, current.start_s))
        self._replace_turn(turn)
        self._realign()
        return turn

    def label_turn(self, *, item_id: str, transcript: str, turn_id: str | None = None) -> UserTurn | None:
        """Attach the realtime model's item id and transcript to turn ``turn_id``, or, without it, to the oldest
        turn that has none yet (the realtime model transcribes turns in order)."""
        for turn in self._turns:
            if turn.turn_id == turn_id or (turn_id is None and turn.item_id is None):
                labelled = dataclasses.replace(turn, item_id=item_id, realtime_transcript=transcript)
                self._replace_turn(labelled)
                self._notify()
                return labelled
        return None

    def notify(self) -> None:
        """Wake the waiters of :meth:`wait_until` (for conditions that depend on more than the ledger)."""
        self._notify()

    # -- reading --------------------------------------------------------------------------------------

    @property
    def turns(self) -> tuple[UserTurn, ...]:
        return tuple(self._turns)

    def latest_turn(self) -> UserTurn | None:
        return self._turns[-1] if self._turns else None

    def turn(self, turn_id: str) -> UserTurn | None:
        """A turn by the ledger's turn id or by the realtime model's item id."""
        return next((t for t in self._turns if turn_id in (t.turn_id, t.item_id)), None)

    def owned_span(self, turn_id: str) -> tuple[float, float | None] | None:
        """The audio a turn owns, ``(begin_s, end_s)``: from the end of the previous turn to its own end (``None``
        while the caller still speaks). The same rule aligns segments to turns."""
        return next(
            ((begin_s, turn.end_s) for turn, begin_s in self._owned_spans() if turn_id in (turn.turn_id, turn.item_id)),
            None,
        )

    def segments(self, *, source: str | None = None, finals_only: bool = True) -> list[Segment]:
        """Segments in start-time order."""
        picked = [
            s
            for s in self._segments.values()
            if (source is None or s.source == source) and (s.is_final or not finals_only)
        ]
        return sorted(picked, key=lambda s: (s.start_s, s.source))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for s, _ in self._segments))

    def finals_for_turn(self, turn_id: str, *, source: str | None = None) -> list[Segment]:
        """The finals aligned to a turn (by ledger turn id or realtime item id)."""
        turn = self.turn(turn_id)
        if turn is None:
            return []
        return [s for s in self.segments(source=source) if s.turn_id == turn.turn_id]

    def latest_turn_finals(self, *, source: str | None = None) -> list[Segment]:
        """The finals of the caller's latest turn."""
        turn = self.latest_turn()
        return [] if turn is None else self.finals_for_turn(turn.turn_id, source=source)

    def window(
        self, start_s: float, end_s: float, *, source: str | None = None, finals_only: bool = True
    ) -> list[Segment]:
        """Segments that overlap ``[start_s, end_s]``."""
        return [
            s
            for s in self.segments(source=source, finals_only=finals_only)
            if s.end_s >= start_s and s.start_s <= end_s
        ]

    async def wait_for_final(self, *, after_s: float, timeout_s: float, source: str | None = None) -> Segment | None:
        """Wait until a final that ends after ``after_s`` exists (from ``source`` if given).

        Returns it (the earliest such final), or ``None`` when none came within ``timeout_s``.
        """

        def found() -> Segment | None:
            return next((s for s in self.segments(source=source) if s.end_s > after_s), None)

        await self.wait_until(lambda: found() is not None, timeout_s=timeout_s)
        return found()

    async def wait_until(self, predicate: Callable[[], bool], *, timeout_s: float, poll_s: float = 0.05) -> bool:
        """Wait until ``predicate()`` holds, re-checked on every change to the ledger (and every ``poll_s``).

        Returns whether it held before ``timeout_s`` ran out.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            changed = asyncio.Event()
            self._waiters.add(changed)
            try:
                await asyncio.wait_for(changed.wait(), min(remaining, poll_s))
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(changed)
        return True

    # -- internals ------------------------------------------------------------------------------------

    def _owned_spans(self) -> Iterator[tuple[UserTurn, float]]:
        """Each turn with the start of the audio it owns: the end of the previous turn (or its own start)."""
        previous_end = 0.0
        for turn in self._turns:
            yield turn, min(previous_end, turn.start_s)
            previous_end = turn.end_s if turn.end_s is not None else turn.start_s

    def _turn_for(self, start_s: float, end_s: float) -> str | None:
        middle_s = (start_s + max(start_s, end_s)) / 2
        for turn, begin_s in self._owned_spans():
            if turn.end_s is None or middle_s <= turn.end_s:
                return turn.turn_id if middle_s >= begin_s else None
        return None

    def _realign(self) -> None:
        for key, seg in list(self._segments.items()):
            turn_id = self._turn_for(seg.start_s, seg.end_s)
            if turn_id != seg.turn_id:
                self._segments[key] = dataclasses.replace(seg, turn_id=turn_id)
        self._notify()

    def _replace_turn(self, turn: UserTurn) -> None:
        self._turns = [turn if t.turn_id == turn.turn_id else t for t in self._turns]

    def _notify(self) -> None:
        for changed in self._waiters:
            changed.set()
