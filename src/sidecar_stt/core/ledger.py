"""``TranscriptLedger``: every sidecar transcript of a session, per source, on one session clock.

The ledger is not append-only: an interim segment is replaced by later interims and by its final (same
``source`` + ``segment_id``). Finals are only added: a final is never changed again except to record which user
turn it belongs to.
It never feeds the realtime model by itself; tools query it.

User turns come from the realtime model (its speech start/stop and its transcript item id), or from the sidecar's
own VAD when the model reports none; each turn says how its times were obtained (:data:`TurnTiming`). A turn owns
the caller audio from the end of the previous turn (the start of the session for the first) to its own end; a
segment belongs to the turn whose span holds the segment's midpoint. Extending each turn back to the end of the
previous one keeps the alignment right however late the start of speech is reported. A segment past the end of
the last closed turn stays unaligned until the next turn opens.

Spans the realtime model did not hear (it was given silence in their place: echo-cancellation warm-up, input
discarded during uninterruptible agent speech) are marked with :meth:`TranscriptLedger.mark_unheard`; a segment
whose midpoint lies in one belongs to no turn (the model never heard it), and :meth:`unheard_segments` lists them.

Cost: a turn operation touches the segments of the latest turn and the unaligned ones, never the whole call.

All times are float seconds on the session clock.
"""

from __future__ import annotations

import asyncio
import bisect
import dataclasses
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from .segment import Segment
from .transcript_text import clean_segment

__all__ = ["TranscriptLedger", "TurnTiming", "UserTurn"]

TurnTiming = Literal["server_audio", "sidecar_vad", "wall_clock"]
"""How a turn's times were obtained: ``server_audio`` from the realtime server's own audio offsets (exact up to
the reconciliation of its clock with the tap's), ``sidecar_vad`` from the sidecar's VAD on the tapped audio
(exact), ``wall_clock`` from when the session reported the change (late by detection and round trip)."""

_Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class UserTurn:
    """One caller turn as the realtime model saw it.

    ``turn_id`` is the ledger's own stable id ("turn-1", …); ``item_id`` the realtime model's conversation item
    id once its transcript arrived, with that transcript in ``realtime_transcript``. ``end_s`` is ``None`` while
    the caller is still speaking. ``timing`` says where the times came from (the least exact of start and end).
    """

    turn_id: str
    start_s: float
    end_s: float | None = None
    item_id: str | None = None
    realtime_transcript: str | None = None
    timing: TurnTiming = "wall_clock"


_PRECISION: dict[TurnTiming, int] = {"server_audio": 2, "sidecar_vad": 2, "wall_clock": 0}


class TranscriptLedger:
    """Time-aligned transcripts of every sidecar source (interims replaced by their finals, finals only added).
    Not thread-safe: use from one loop."""

    def __init__(self) -> None:
        self._segments: dict[_Key, Segment] = {}  # insertion order = arrival order
        self._by_turn: dict[str | None, dict[_Key, None]] = {None: {}}  # turn id -> its segments (ordered set)
        self._turns: list[UserTurn] = []
        self._index: dict[str, int] = {}  # turn id and item id -> position in _turns
        self._unlabelled = 0  # position of the first turn without an item id
        self._unheard: list[tuple[float, float]] = []  # sorted, disjoint
        self._unheard_keys: dict[_Key, None] = {}
        self._turn_ids = itertools.count(1)
        self._waiters: set[asyncio.Event] = set()

    # -- writing --------------------------------------------------------------------------------------

    def add(self, segment: Segment) -> Segment:
        """Record ``segment``; an interim or final replaces the interim with the same source and segment id.

        Returns the stored segment (aligned to a turn when one covers it). A final is never replaced: a second
        final with the same id is ignored and the first one returned. Control characters and symbols (emoji) in
        the texts are replaced by spaces.
        """
        key = (segment.source, segment.segment_id)
        previous = self._segments.get(key)
        if previous is not None and previous.is_final:
            return previous
        if previous is not None:
            self._unplace(key, previous)
            del self._segments[key]  # re-inserted so arrival order reflects the latest version
        stored = self._place(key, clean_segment(segment))
        self._notify()
        return stored

    def begin_turn(self, *, start_s: float, timing: TurnTiming = "wall_clock") -> UserTurn:
        """The caller started speaking at ``start_s``."""
        current = self.latest_turn()
        if current is not None and current.end_s is None:
            # a turn that never closed ends where the next one starts
            self._replace_turn(dataclasses.replace(current, end_s=max(start_s, current.start_s)))
        turn = UserTurn(turn_id=f"turn-{next(self._turn_ids)}", start_s=start_s, timing=timing)
        self._index[turn.turn_id] = len(self._turns)
        self._turns.append(turn)
        self._by_turn[turn.turn_id] = {}
        self._realign_tail()
        return turn

    def retime_open_turn(self, *, start_s: float, timing: TurnTiming) -> UserTurn | None:
        """Give the turn under way a better start (a more exact source reported the same speech); ``None`` when
        no turn is open."""
        current = self.latest_turn()
        if current is None or current.end_s is not None:
            return None
        turn = dataclasses.replace(current, start_s=start_s, timing=timing)
        self._replace_turn(turn)
        self._realign_tail()
        return turn

    def end_turn(self, *, end_s: float, timing: TurnTiming | None = None) -> UserTurn | None:
        """The caller stopped speaking at ``end_s``."""
        current = self.latest_turn()
        if current is None or current.end_s is not None:
            return None
        worst = current.timing if timing is None or _PRECISION[current.timing] <= _PRECISION[timing] else timing
        turn = dataclasses.replace(current, end_s=max(end_s, current.start_s), timing=worst)
        self._replace_turn(turn)
        self._realign_tail()
        return turn

    def label_turn(self, *, item_id: str, transcript: str, turn_id: str | None = None) -> UserTurn | None:
        """Attach the realtime model's item id and transcript to turn ``turn_id``, or, without it, to the oldest
        turn that has none yet (the realtime model transcribes turns in order)."""
        if turn_id is not None:
            position = self._index.get(turn_id)
        else:
            while self._unlabelled < len(self._turns) and self._turns[self._unlabelled].item_id is not None:
                self._unlabelled += 1
            position = self._unlabelled if self._unlabelled < len(self._turns) else None
        if position is None:
            return None
        labelled = dataclasses.replace(self._turns[position], item_id=item_id, realtime_transcript=transcript)
        self._replace_turn(labelled)
        self._index[item_id] = position
        self._notify()
        return labelled

    def mark_unheard(self, start_s: float, end_s: float) -> None:
        """The realtime model was given silence instead of the caller's audio between ``start_s`` and ``end_s``."""
        if end_s <= start_s:
            return
        if self._unheard and start_s <= self._unheard[-1][1] + 1e-6 and start_s >= self._unheard[-1][0]:
            begin, end = self._unheard[-1]
            self._unheard[-1] = (begin, max(end, end_s))  # the usual case: the span grows frame by frame
        else:
            bisect.insort(self._unheard, (start_s, end_s))
        self._realign_tail()

    def notify(self) -> None:
        """Wake the waiters of :meth:`wait_until` (for conditions that depend on more than the ledger)."""
        self._notify()

    # -- reading --------------------------------------------------------------------------------------

    @property
    def turns(self) -> tuple[UserTurn, ...]:
        return tuple(self._turns)

    @property
    def unheard_spans(self) -> tuple[tuple[float, float], ...]:
        """Spans of caller audio the realtime model was not given (it heard silence)."""
        return tuple(self._unheard)

    def heard_at(self, time_s: float) -> bool:
        """Whether the realtime model was given the caller's audio at ``time_s`` (see :meth:`mark_unheard`)."""
        return not self._is_unheard(time_s)

    def latest_turn(self) -> UserTurn | None:
        return self._turns[-1] if self._turns else None

    def turn(self, turn_id: str) -> UserTurn | None:
        """A turn by the ledger's turn id or by the realtime model's item id."""
        position = self._index.get(turn_id)
        return None if position is None else self._turns[position]

    def owned_span(self, turn_id: str) -> tuple[float, float | None] | None:
        """The audio a turn owns, ``(begin_s, end_s)``: from the end of the previous turn to its own end (``None``
        while the caller still speaks). The same rule aligns segments to turns."""
        position = self._index.get(turn_id)
        if position is None:
            return None
        return self._owned_begin(position), self._turns[position].end_s

    def segments(self, *, source: str | None = None, finals_only: bool = True) -> list[Segment]:
        """Segments in start-time order."""
        return _ordered(self._segments.values(), source=source, finals_only=finals_only)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for s, _ in self._segments))

    def turn_segments(self, turn_id: str, *, source: str | None = None, finals_only: bool = True) -> list[Segment]:
        """The segments aligned to a turn (by ledger turn id or realtime item id), in start-time order."""
        turn = self.turn(turn_id)
        if turn is None:
            return []
        keys = self._by_turn.get(turn.turn_id, {})
        return _ordered((self._segments[k] for k in keys), source=source, finals_only=finals_only)

    def finals_for_turn(self, turn_id: str, *, source: str | None = None) -> list[Segment]:
        """The finals aligned to a turn (by ledger turn id or realtime item id)."""
        return self.turn_segments(turn_id, source=source)

    def latest_turn_finals(self, *, source: str | None = None) -> list[Segment]:
        """The finals of the caller's latest turn."""
        turn = self.latest_turn()
        return [] if turn is None else self.finals_for_turn(turn.turn_id, source=source)

    def unheard_segments(self, *, source: str | None = None, finals_only: bool = True) -> list[Segment]:
        """Segments of speech the realtime model did not hear (see :meth:`mark_unheard`)."""
        return _ordered((self._segments[k] for k in self._unheard_keys), source=source, finals_only=finals_only)

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

    async def wait_until(self, predicate: Callable[[], bool], *, timeout_s: float) -> bool:
        """Wait until ``predicate()`` holds, re-checked on every change to the ledger and on every
        :meth:`notify` (a condition that depends on more than the ledger is notified by what it depends on).

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
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(changed)
        return True

    # -- internals ------------------------------------------------------------------------------------

    def _owned_begin(self, position: int) -> float:
        turn = self._turns[position]
        if position == 0:
            return min(0.0, turn.start_s)
        previous = self._turns[position - 1]
        return min(previous.end_s if previous.end_s is not None else previous.start_s, turn.start_s)

    def _is_unheard(self, middle_s: float) -> bool:
        i = bisect.bisect_right(self._unheard, (middle_s, float("inf")))
        return i > 0 and self._unheard[i - 1][0] <= middle_s <= self._unheard[i - 1][1]

    def _turn_for(self, start_s: float, end_s: float) -> str | None:
        middle_s = (start_s + max(start_s, end_s)) / 2
        if self._is_unheard(middle_s):
            return None
        # owned spans are contiguous and in order: walk back from the latest turn (late segments are rare)
        for position in range(len(self._turns) - 1, -1, -1):
            if middle_s >= self._owned_begin(position):
                turn = self._turns[position]
                return turn.turn_id if turn.end_s is None or middle_s <= turn.end_s else None
        return None

    def _place(self, key: _Key, segment: Segment) -> Segment:
        """Store ``segment`` under ``key`` aligned to its turn (in place when the key exists) and index it."""
        middle_s = (segment.start_s + max(segment.start_s, segment.end_s)) / 2
        turn_id = self._turn_for(segment.start_s, segment.end_s)
        stored = segment if segment.turn_id == turn_id else dataclasses.replace(segment, turn_id=turn_id)
        self._segments[key] = stored
        self._by_turn.setdefault(turn_id, {})[key] = None
        if turn_id is None and self._is_unheard(middle_s):
            self._unheard_keys[key] = None
        return stored

    def _unplace(self, key: _Key, segment: Segment) -> None:
        self._by_turn.get(segment.turn_id, {}).pop(key, None)
        self._unheard_keys.pop(key, None)

    def _realign_tail(self) -> None:
        """Re-place the segments a change at the end of the call can move: the two latest turns' and the
        unaligned ones."""
        tail = [t.turn_id for t in self._turns[-2:]]
        for key in [k for turn_id in (*tail, None) for k in self._by_turn.get(turn_id, {})]:
            segment = self._segments[key]
            self._unplace(key, segment)
            self._place(key, segment)
        self._notify()

    def _replace_turn(self, turn: UserTurn) -> None:
        self._turns[self._index[turn.turn_id]] = turn

    def _notify(self) -> None:
        for changed in self._waiters:
            changed.set()


def _ordered(segments: Iterable[Segment], *, source: str | None, finals_only: bool) -> list[Segment]:
    picked = [s for s in segments if (source is None or s.source == source) and (s.is_final or not finals_only)]
    return sorted(picked, key=lambda s: (s.start_s, s.source))
