"""``EngineStats``: the counters of one sidecar engine (its runner's, summed over every runner it had)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EngineStats"]


@dataclass
class EngineStats:
    """Counters of one engine since the sidecar attached."""

    frames_in: int = 0
    frames_dropped: int = 0
    restarts: int = 0
    finals: int = 0
    repaired: int = 0
    """Malformed engine events dropped or clamped."""
    rate_changes: int = 0
    recoveries: int = 0
    """Times the engine came back after failing."""
    hung_streams: int = 0
    """Streams restarted because they stopped taking audio."""
    abandoned_streams: int = 0
    """Streams whose close did not return in time and were left behind."""
    failed: bool = False
    audio_sent_s: float = 0.0
    """Seconds of audio pushed to the engine, replays included: what a cloud engine bills."""
    transcript_s: float = 0.0
    """Seconds of caller audio covered by the engine's finals kept in the ledger: the transcript stored."""
