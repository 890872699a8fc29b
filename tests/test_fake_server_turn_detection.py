"""The fake realtime server follows the session's turn detection: a number said in pairs with short pauses is
several turns under Azure's GA default (server_vad, 200 ms) and one under OpenAI's (semantic_vad)."""

from __future__ import annotations

import numpy as np
import pytest
from livekit.agents import Agent

from sidecar_stt.testing.audio import concat, silence, synthesize_speech, trim_silence
from sidecar_stt.testing.realtime_script import CallerTurn, EnergyVad, VadOptions
from sidecar_stt.testing.session import offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(90)]

PAIRS = ["nittito", "trettifire", "femtiseks", "syttiåtte"]


def pairs_with_pauses(pause_s: float) -> np.ndarray:
    parts = []
    for text in PAIRS:
        parts.extend([trim_silence(synthesize_speech(text, voice="nb", rate_wpm=170)), silence(pause_s)])
    return concat(parts[:-1])


@pytest.mark.parametrize(("azure", "turns"), [(True, 4), (False, 1)], ids=["azure-server-vad-200ms", "openai-semantic"])
async def test_a_number_in_pairs_is_split_by_azures_default_and_not_by_openais(azure: bool, turns: int) -> None:
    script = [CallerTurn(transcript=p, reply="Mm.") for p in PAIRS[:turns]]  # one per turn the detector makes
    async with offline_call(
        script,
        agent=lambda _: Agent(instructions="Du er en resepsjonist."),
        azure=azure,
        server_options={"vad": "session"},
    ) as call:
        call.caller.say(pairs_with_pauses(0.3))
        call.caller.say(np.zeros(0, dtype=np.int16), pause_before_s=1.5)  # long enough for any detector
        await call.caller.wait_idle(timeout_s=20)
        await call.server.wait_for_turns(turns, timeout_s=20)
        await call.server.wait_idle(timeout_s=10)
        sent = [u.get("audio", {}).get("input", {}).get("turn_detection") for u in call.server.session_updates()]
        spans = list(call.server.turn_spans)

    detection = next(td for td in sent if td)
    assert detection["type"] == ("server_vad" if azure else "semantic_vad")
    if azure:
        assert detection["silence_duration_ms"] == 200
    assert len(spans) == turns


def test_server_vad_settings_map_onto_the_energy_vad() -> None:
    options = VadOptions.from_turn_detection(
        {"type": "server_vad", "threshold": 0.7, "silence_duration_ms": 200, "prefix_padding_ms": 100}
    )
    assert options.silence_s == pytest.approx(0.2) and options.prefix_padding_s == pytest.approx(0.1)
    assert options.threshold_dbfs == pytest.approx(-37.0)
    vad = EnergyVad(VadOptions(silence_s=1.0))
    loud = (np.ones(2400) * 3000).astype("<i2").tobytes()
    vad.push(loud)
    vad.configure(options)  # the clock keeps running; the new hangover applies to the speech under way
    ends = vad.push(bytes(2 * 24000 // 4))
    assert [b.kind for b in ends] == ["end"] and ends[0].time_s == pytest.approx(0.1)
