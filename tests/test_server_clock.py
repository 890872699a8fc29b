"""ServerAudioClock: the realtime server's audio offsets on the tap's session clock."""

from __future__ import annotations

import math

import pytest

from sidecar_stt.core.server_clock import ServerAudioClock

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
