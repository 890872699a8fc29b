"""``ServerAudioClock``: the realtime server's audio offsets on the tap's session clock.

The OpenAI/Azure realtime server stamps its speech events with ``audio_start_ms``/``audio_end_ms``: offsets into
its input audio buffer, which starts with the connection (and restarts when the connection is recycled, about
every 20 minutes). The tap counts the same caller audio from the moment it was installed (the model is given
silence of the same length where it must not hear, so the two clocks advance together). The offset between them,
``base_s`` (session time = server offset + ``base_s``), is

- assumed when a connection starts: the tap's time then (0 for a connection that was open before the tap, which
  holds to within the audio the session forwarded before the tap was installed);
- tightened by causality: an event about server offset ``s`` that arrives when the tap has passed ``a`` seconds
  proves ``base_s <= a - s`` (the server cannot report audio the tap has not yet passed).

The end of a turn the server reports (``speech_stopped.audio_end_ms``) is not where the caller stopped: the
protocol says it "includes the min_silence_duration_ms configured in the Session" — with ``server_vad``, the
session's ``silence_duration_ms`` (:func:`included_silence_s`). :meth:`ServerAudioClock.speech_end` takes it off,
so a quick answer's audio lands in the turn after the one it follows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["ServerAudioClock", "included_silence_s"]


def included_silence_s(turn_detection: Mapping[str, object] | None) -> float:
    """Seconds of silence a server's ``audio_end_ms`` includes after the speech, for a session's ``turn_detection``
    (the effective one the server echoes in ``session.created``/``session.updated``): ``server_vad``'s
    ``silence_duration_ms`` (the service's default, 500 ms, when unset); 0 for ``semantic_vad`` (it configures no
    silence) and for no turn detection."""
    if turn_detection is None or turn_detection.get("type") != "server_vad":
        return 0.0
    silence_ms = turn_detection.get("silence_duration_ms")
    if isinstance(silence_ms, bool) or not isinstance(silence_ms, int | float):
        return 0.5
    return max(0.0, float(silence_ms)) / 1000.0 if math.isfinite(silence_ms) else 0.5


class ServerAudioClock:
    """Maps server audio offsets (seconds) onto the session clock. Pure; fed by the adapter."""

    def __init__(self, *, base_s: float = 0.0) -> None:
        self._base_s = base_s
        self.connections = 1
        self.tightened = 0
        """How often causality corrected the assumed offset."""

    @property
    def base_s(self) -> float:
        return self._base_s

    def connection_started(self, *, tap_s: float) -> None:
        """A new server connection (a new input buffer) began when the tap had passed ``tap_s``."""
        self._base_s = tap_s
        self.connections += 1

    def to_session(self, offset_s: float, *, tap_s: float) -> float | None:
        """The session time of server offset ``offset_s`` reported when the tap had passed ``tap_s``.

        Returns ``None`` for an offset that is not a finite, non-negative number."""
        if not math.isfinite(offset_s) or offset_s < 0:
            return None
        bound = tap_s - offset_s
        if bound < self._base_s - 1e-6:
            self._base_s = bound
            self.tightened += 1
        return offset_s + self._base_s

    def speech_end(self, audio_end_s: float, *, silence_s: float, start_s: float, tap_s: float) -> float | None:
        """The session time the caller stopped speaking, from a ``speech_stopped`` offset ``audio_end_s`` that
        includes ``silence_s`` of silence, never before the turn's ``start_s``. ``None`` for an unusable offset."""
        end_s = self.to_session(audio_end_s, tap_s=tap_s)  # the server did hear the silence: causality holds on it
        return None if end_s is None else max(start_s, end_s - silence_s)
