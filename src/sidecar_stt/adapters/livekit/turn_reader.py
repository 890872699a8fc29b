"""``TurnReader``: the sidecar's transcript of the caller's latest turn, once every engine has settled on it.

What the tools read: :meth:`TurnReader.turn_transcript` starts on-demand engines when needed and waits, on the
:class:`~.call_state.CallState`'s notifications (no polling), until each running engine has heard the turn's audio,
delivered a final in it and holds no interim of it still to become final; :meth:`TurnReader.realtime_transcripts`
waits for the realtime model's own transcripts, which arrive late.

A read that waited in vain asks the pool to restart the engines that heard the turn whole and said nothing (a hung
stream, found now rather than ``stall_timeout_s`` after the turn); while an engine is being restarted with the
turn replayed into it, the read waits up to ``recovery_wait_s`` more, and names the engines still recovering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ...core.ledger import UserTurn
from ...core.segment import Segment
from .call_state import CallState
from .engine_pool import EnginePool

__all__ = ["SETTLED_GAP_S", "TurnReader", "TurnTranscript"]

SETTLED_GAP_S: Final = 0.8
"""A turn is settled for an engine once its finals reach within this of the turn's end (the caller's last speech;
the realtime model's turn end may trail it by a little)."""


@dataclass(frozen=True)
class TurnTranscript:
    """The sidecar's finals for one caller turn, per engine (empty when none arrived in time)."""

    turn: UserTurn | None
    segments: tuple[Segment, ...]
    recovering: tuple[str, ...] = ()
    """Engines still being restarted when the read ended, with no final in the turn."""

    def text(self, source: str) -> str:
        return " ".join(s.text for s in self.segments if s.source == source and s.text)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.source for s in self.segments))


class TurnReader:
    """Reads the caller's turns from the call state, waiting for the running engines to settle on them (the pool
    starts on-demand engines for the read)."""

    def __init__(self, state: CallState, pool: EnginePool) -> None:
        self._state = state
        self._pool = pool

    async def turn_transcript(
        self, *, timeout_s: float | None = None, wait_for_recovery: bool = True
    ) -> TurnTranscript:
        """The sidecar finals of the caller's latest turn, once every running engine settled on it (waits up to
        ``timeout_s``, by default ``transcript_timeout_s``, plus ``on_demand_start_timeout_s`` when this read
        starts the engines, plus ``recovery_wait_s`` while an engine is being restarted, unless
        ``wait_for_recovery`` is false)."""
        options = self._state.options
        ledger = self._state.ledger
        timeout = options.transcript_timeout_s if timeout_s is None else timeout_s
        was_listening = self._pool.listening
        with self._pool.wanted():
            if self._pool.listening and not was_listening:
                timeout += options.on_demand_start_timeout_s
            turn = ledger.latest_turn()
            if turn is None:
                return TurnTranscript(turn=None, segments=())
            turn_id = turn.turn_id
            settled = await self._state.wait_until(lambda: self._settled(turn_id), timeout_s=timeout)
            if not settled:
                self._pool.check_stalls(ledger.turn(turn_id) or turn)
                if wait_for_recovery and self._state.engines_recovering:
                    await self._state.wait_until(lambda: self._settled(turn_id), timeout_s=options.recovery_wait_s)
        turn = ledger.turn(turn_id) or turn
        finals = tuple(ledger.finals_for_turn(turn_id))
        heard = {s.source for s in finals}
        recovering = tuple(n for n in self._state.engines_recovering if n not in heard)
        return TurnTranscript(turn=turn, segments=finals, recovering=recovering)

    async def realtime_transcripts(self, turn_ids: Sequence[str], *, timeout_s: float) -> dict[str, str | None]:
        """The realtime model's own transcripts of ``turn_ids`` (ledger turn ids), waiting up to ``timeout_s`` for
        those not in yet: the model's input transcription completes late, often after a tool call. ``None`` for a
        turn whose transcript did not arrive in time (say so, rather than treat it as silence)."""
        ledger = self._state.ledger

        def arrived() -> bool:
            return all((t := ledger.turn(i)) is None or t.realtime_transcript is not None for i in turn_ids)

        await self._state.wait_until(arrived, timeout_s=timeout_s)
        return {i: (t.realtime_transcript if (t := ledger.turn(i)) else None) for i in turn_ids}

    def finals_due(self, turn_id: str) -> tuple[str, ...]:
        """The running engines whose final for turn ``turn_id`` is still due (they have not heard the turn's audio,
        delivered a final reaching its end, or still hold an interim of it)."""
        ledger = self._state.ledger
        turn = ledger.turn(turn_id)
        if turn is None:
            return ()
        return tuple(
            name
            for name, hearing in self._state.hearing.items()
            if hearing.running and not hearing.failed and not self._engine_settled(turn, name, hearing.heard_until_s)
        )

    def _settled(self, turn_id: str) -> bool:
        return not self.finals_due(turn_id)

    def _engine_settled(self, turn: UserTurn, name: str, heard_until_s: float) -> bool:
        if turn.end_s is not None and heard_until_s < turn.end_s:
            return False
        segments = self._state.ledger.turn_segments(turn.turn_id, source=name, finals_only=False)
        if not any(s.is_final for s in segments) or any(not s.is_final for s in segments):
            return False
        # an engine can be handed audio it has not recognised yet: its finals must reach the turn's last
        # speech, or more of the turn is still on its way (the wait stays bounded by transcript_timeout_s)
        last_heard_s = max(s.end_s for s in segments)
        return turn.end_s is None or last_heard_s >= turn.end_s - SETTLED_GAP_S
