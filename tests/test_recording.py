"""Call recording: the caller audio as the tap saw it, on the session clock, and the call's record."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile

from recorded_call import NUMBER, RT_HEARD, SIDECAR_NBEST, RecordedDialogue
from sidecar_stt.recording import AUDIO_FILE, JOURNAL_FILE, load_call_record, read_journal, record_from_entries

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]


def test_audio_is_the_callers_audio_on_the_session_clock(recorded_dialogue: RecordedDialogue) -> None:
    data, rate = soundfile.read(str(recorded_dialogue.folder / AUDIO_FILE), dtype="int16")
    assert rate == 24000
    # every sample the tap passed is in the file, back to back: the file's length is the session clock
    assert abs(len(data) / rate - recorded_dialogue.audio_s) < 0.02
    for (start_s, _), pcm in zip(recorded_dialogue.spans, recorded_dialogue.utterances, strict=True):
        offset = round(start_s * rate)
        np.testing.assert_array_equal(data[offset : offset + len(pcm)], pcm)


def test_record_holds_turns_transcripts_tools_and_the_confirmed_number(recorded_dialogue: RecordedDialogue) -> None:
    record = load_call_record(recorded_dialogue.folder)
    assert record.complete and record.call_id == recorded_dialogue.call_id
    assert record.engines == ("azure",)
    assert len(record.turns) == 2
    for turn, (start_s, end_s) in zip(record.turns, recorded_dialogue.spans, strict=True):
        owned = record.owned_span(turn)  # the audio the ledger gave the turn holds what the caller said in it
        # the turn ends where the server's VAD heard the speech end: espeak's quiet tail may lie just past it
        assert turn.end_s is not None and owned[0] <= start_s and owned[1] >= end_s - 0.3
        assert turn.timing == "server_audio"
    assert [t.realtime_transcript for t in record.turns] == list(RT_HEARD)
    finals = record.finals(source="azure")
    assert [[(a.text, a.confidence) for a in s.alternatives] for s in finals] == [list(n) for n in SIDECAR_NBEST]
    assert [s.turn_id for s in finals] == [t.turn_id for t in record.turns]
    assert [c.name for c in record.tool_calls] == ["capture_phone_number", "confirm_phone_number"]
    assert record.tool_calls[0].arguments == {"spoken_number": "92345677"}
    assert "nittito, trettifire, femtiseks, syttiåtte" in record.tool_calls[0].output
    assert [e["type"] for e in record.capture_events] == [
        "phone_number_proposed",
        "phone_number_read_back",  # every read-back put to the caller is in the record
        "phone_number_confirmed",
    ]
    assert record.confirmed_e164 == NUMBER and record.live_outcome == "confirmed"
    assert [m.role for m in record.messages if m.role == "user"] == ["user", "user"]
    span = record.confirmed_span()
    said_start, said_end = recorded_dialogue.spans[0]
    assert span is not None and span[0] <= said_start and span[1] >= said_end - 0.3  # up to espeak's quiet tail


def test_record_carries_each_live_engines_audio_sent_and_transcript_kept(recorded_dialogue: RecordedDialogue) -> None:
    record = load_call_record(recorded_dialogue.folder)
    # the figures sidecar.stats() had when the call ended, as written into the record at close
    assert record.costs == recorded_dialogue.costs and set(record.costs) == {"azure"}
    azure = record.costs["azure"]
    # the engine heard the caller: at most every second the tap saw, at least the speech of both turns
    speech_s = sum(end_s - start_s for start_s, end_s in recorded_dialogue.spans)
    assert speech_s < azure["audio_sent_s"] <= recorded_dialogue.audio_s + 0.02
    # the transcript kept is the span of each final the engine delivered
    finals = record.finals(source="azure")
    assert (
        azure["transcript_s"] == pytest.approx(sum(s.end_s - s.start_s for s in finals)) and azure["transcript_s"] > 0
    )
    assert record.audio_sent_s == azure["audio_sent_s"] and record.transcript_s == azure["transcript_s"]
    # a call cut short has no figures: not known is not zero
    entries = [e for e in read_journal(recorded_dialogue.folder / JOURNAL_FILE) if e["kind"] != "call_ended"]
    cut = record_from_entries(entries)
    assert not cut.complete and cut.costs is None and cut.audio_sent_s is None


def test_no_personal_values_in_log_messages(recorded_dialogue: RecordedDialogue) -> None:
    assert any("call recording" in m for m in recorded_dialogue.messages_logged)
    for message in recorded_dialogue.messages_logged:
        assert "92345678" not in message and "nittito" not in message and "+47" not in message


def test_journal_round_trips_through_json(recorded_dialogue: RecordedDialogue) -> None:
    from sidecar_stt.recording import CallRecord

    record = load_call_record(recorded_dialogue.folder)
    again = CallRecord.from_json(record.to_json())
    assert again.to_json() == record.to_json()


_CRASHING_CALL = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    sys.path.insert(0, sys.argv[2])
    from pathlib import Path
    import recorded_call
    from sidecar_stt.testing import session as session_module

    async def main() -> None:
        real = session_module.offline_call

        def crash_after_first_turn(*args, **kwargs):
            manager = real(*args, **kwargs)

            class Wrapper:
                async def __aenter__(self):
                    call = await manager.__aenter__()
                    original = call.server.wait_for_turns

                    async def wait_then_die(n, **kw):
                        await original(n, **kw)
                        await asyncio.sleep(1.5)  # past a checkpoint of the audio file
                        os.kill(os.getpid(), signal.SIGKILL)

                    call.server.wait_for_turns = wait_then_die
                    return call

                async def __aexit__(self, *exc):
                    return await manager.__aexit__(*exc)

            return Wrapper()

        recorded_call.offline_call = crash_after_first_turn
        await recorded_call.record_dialogue(Path(sys.argv[1]), call_id="crashed")

    asyncio.run(main())
    """
)


def test_a_crash_mid_call_leaves_a_readable_recording(tmp_path: Path) -> None:
    tests_dir = str(Path(__file__).parent)
    proc = subprocess.run(
        [sys.executable, "-c", _CRASHING_CALL, str(tmp_path), tests_dir],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    folder = tmp_path / "crashed"
    # any WAV reader sees the audio up to the last checkpoint, header included
    with wave.open(str(folder / AUDIO_FILE)) as w:
        frames = w.getnframes()
        assert w.getframerate() == 24000
    data, rate = soundfile.read(str(folder / AUDIO_FILE), dtype="int16")
    assert frames <= len(data)
    first = __import__("recorded_call").speech(__import__("recorded_call").SAID[0])
    assert frames >= len(first)  # the whole first utterance made it to disk
    np.testing.assert_array_equal(data[: len(first)], first)
    record = load_call_record(folder)
    assert not record.complete
    assert record.audio_s == pytest.approx(len(data) / rate)
    assert record.turns and record.turns[0].realtime_transcript == RT_HEARD[0]
    assert any(e["kind"] == "segment" for e in read_journal(folder / JOURNAL_FILE))
    assert os.path.getsize(folder / JOURNAL_FILE) > 0


@pytest.mark.parametrize(("corrected", "span"), [([2], (0.0, 4.0)), ([], (4.0, 7.0))])
def test_confirmed_span_is_where_the_caller_said_the_whole_number(
    corrected: list[int], span: tuple[float, float]
) -> None:
    from sidecar_stt.core.ledger import UserTurn
    from sidecar_stt.recording import CallRecord

    turns = [UserTurn("turn-1", 1.0, 4.0), UserTurn("turn-2", 5.0, 7.0), UserTurn("turn-3", 8.0, 9.0)]
    events = [
        {
            "type": "phone_number_proposed",
            "proposal_id": "p1",
            "e164": "+4792346678",
            "utterance_id": "turn-1",
            "corrected_groups": [],
        },
        {"type": "phone_number_rejected", "proposal_id": "p1", "e164": "+4792346678"},
        {
            "type": "phone_number_proposed",
            "proposal_id": "p2",
            "e164": NUMBER,
            "utterance_id": "turn-2",
            "corrected_groups": corrected,
        },
        {"type": "phone_number_confirmed", "proposal_id": "p2", "e164": NUMBER},
    ]
    record = CallRecord(call_id="c", started_at=0.0, audio_s=9.0, turns=turns, capture_events=events)
    assert record.confirmed_span() == span
    assert CallRecord(call_id="c", started_at=0.0, turns=turns, capture_events=events[:3]).confirmed_span() is None
