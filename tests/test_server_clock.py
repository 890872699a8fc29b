"""ServerAudioClock: the realtime server's audio offsets on the tap's session clock."""

from __future__ import annotations

import math

import pytest

from sidecar_stt.core.server_clock import ServerAudioClock, included_silence_s

pytestmark = pytest.mark.unit


def test_offsets_map_onto_the_session_clock_and_causality_tightens_the_assumption() -> None:
    clock = ServerAudioClock()
    assert clock.to_session(1.2, tap_s=1.5) == pytest.approx(1.2)
    # a tap installed 0.3 s after the connection (the assumption says 0): an event proves the base is lower
    clock = ServerAudioClock(base_s=0.0)
    assert clock.to_session(2.0, tap_s=1.7) == pytest.approx(1.7)
    assert clock.tightened == 1 and clock.base_s == pytest.approx(-0.3)


def test_a_recycled_connection_restarts_the_servers_buffer() -> None:
    clock = ServerAudioClock()
    clock.connection_started(tap_s=1200.0)
    assert clock.to_session(0.5, tap_s=1201.0) == pytest.approx(1200.5)
    assert clock.connections == 2


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_offsets_that_are_not_times_are_refused(bad: float) -> None:
    assert ServerAudioClock().to_session(bad, tap_s=1.0) is None


@pytest.mark.parametrize(
    ("turn_detection", "silence_s"),
    [
        ({"type": "server_vad", "silence_duration_ms": 200}, 0.2),  # Azure's GA default
        ({"type": "server_vad"}, 0.5),  # unset: the service's default
        ({"type": "server_vad", "silence_duration_ms": math.nan}, 0.5),
        ({"type": "semantic_vad", "eagerness": "high"}, 0.0),  # configures no silence
        (None, 0.0),  # no turn detection: the client commits
    ],
)
def test_the_silence_a_servers_turn_end_includes_follows_the_sessions_turn_detection(
    turn_detection: dict[str, object] | None, silence_s: float
) -> None:
    assert included_silence_s(turn_detection) == pytest.approx(silence_s)


def test_a_turn_ends_where_the_speech_ended_not_where_the_silence_did() -> None:
    clock = ServerAudioClock()
    # speech from 1.0 to 2.0 s; the server reports audio_end_ms 2500 with 500 ms of silence in it
    assert clock.speech_end(2.5, silence_s=0.5, start_s=1.0, tap_s=2.6) == pytest.approx(2.0)
    # causality is judged on the offset the server heard, silence included
    assert clock.speech_end(2.5, silence_s=0.5, start_s=1.0, tap_s=2.4) == pytest.approx(1.9)
    assert clock.tightened == 1
    # never before the turn began (a session whose silence is longer than the turn reported)
    assert clock.speech_end(1.2, silence_s=0.5, start_s=1.0, tap_s=3.0) == pytest.approx(1.0)
    assert clock.speech_end(math.nan, silence_s=0.5, start_s=1.0, tap_s=3.0) is None
