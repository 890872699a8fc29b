"""TranscriptLedger: replacement of interims, turn alignment, queries and waiting for a final."""

from __future__ import annotations

import asyncio

import pytest

from sidecar_stt.core.ledger import TranscriptLedger
from sidecar_stt.core.segment import Alternative, Segment

pytestmark = pytest.mark.unit


def seg(source: str, sid: str, start: float, end: float, text: str, *, final: bool = True) -> Segment:
    return Segment(
        source=source,
        segment_id=sid,
        start_s=start,
        end_s=end,
        is_final=final,
        alternatives=(Alternative(text=text, confidence=0.9),),
    )


def test_interim_is_replaced_by_final_and_final_is_never_replaced() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "ni to", final=False))
    ledger.add(seg("azure", "a1", 0.0, 1.5, "ni to tre", final=False))
    assert [s.text for s in ledger.segments(finals_only=False)] == ["ni to tre"]
    ledger.add(seg("azure", "a1", 0.0, 2.0, "ni to tre fire"))
    ledger.add(seg("azure", "a1", 0.0, 2.0, "something else"))
    assert [s.text for s in ledger.segments()] == ["ni to tre fire"]
    assert ledger.segments(finals_only=False)[0].is_final


def test_segments_align_to_the_turn_they_overlap_most() -> None:
    ledger = TranscriptLedger()
    early = ledger.add(seg("azure", "a1", 1.0, 2.0, "hei"))
    assert early.turn_id is None  # no turn yet
    t1 = ledger.begin_turn(start_s=1.2)
    ledger.end_turn(end_s=2.5)
    t2 = ledger.begin_turn(start_s=5.0)
    ledger.end_turn(end_s=7.0)
    late = ledger.add(seg("azure", "a2", 5.1, 6.8, "nittito"))
    assert ledger.segments()[0].turn_id == t1.turn_id  # realigned when the turn opened
    assert late.turn_id == t2.turn_id
    labelled = ledger.label_turn(item_id="item_A", transcript="hei")
    assert labelled is not None and labelled.turn_id == t1.turn_id
    ledger.label_turn(item_id="item_B", transcript="nitti")
    assert [s.text for s in ledger.finals_for_turn("item_B")] == ["nittito"]
    assert [s.text for s in ledger.latest_turn_finals()] == ["nittito"]
    assert ledger.turn("item_A") == ledger.turns[0]


def test_window_and_source_filters() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "en"))
    ledger.add(seg("whisper", "w1", 0.1, 1.1, "én"))
    ledger.add(seg("azure", "a2", 3.0, 4.0, "to"))
    assert [s.text for s in ledger.window(0.5, 2.0)] == ["en", "én"]
    assert [s.text for s in ledger.window(0.5, 5.0, source="azure")] == ["en", "to"]
    assert ledger.sources == ("azure", "whisper")


def test_unclosed_turn_is_closed_by_the_next() -> None:
    ledger = TranscriptLedger()
    ledger.begin_turn(start_s=0.0)
    ledger.begin_turn(start_s=3.0)
    assert ledger.turns[0].end_s == 3.0
    assert ledger.turns[1].end_s is None


async def test_wait_for_final_returns_a_final_that_arrives_later() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "old"))

    async def deliver() -> None:
        await asyncio.sleep(0.05)
        ledger.add(seg("azure", "a2", 2.0, 3.0, "new", final=False))
        await asyncio.sleep(0.05)
        ledger.add(seg("azure", "a2", 2.0, 3.0, "new"))

    task = asyncio.create_task(deliver())
    got = await ledger.wait_for_final(after_s=1.5, timeout_s=2.0)
    await task
    assert got is not None and got.text == "new"


async def test_wait_for_final_times_out_with_none() -> None:
    ledger = TranscriptLedger()
    assert await ledger.wait_for_final(after_s=0.0, timeout_s=0.05) is None


def test_a_segment_after_the_last_turn_waits_for_the_next_turn() -> None:
    ledger = TranscriptLedger()
    ledger.begin_turn(start_s=2.4)
    ledger.end_turn(end_s=4.8)
    answer = ledger.add(seg("azure", "a1", 4.8, 5.26, "ja"))
    assert answer.turn_id is None
    t2 = ledger.begin_turn(start_s=6.1)  # the realtime model reports speech late: after the segment
    assert ledger.segments()[0].turn_id == t2.turn_id


def test_owned_span_runs_from_the_previous_turns_end() -> None:
    ledger = TranscriptLedger()
    first = ledger.begin_turn(start_s=1.0)
    ledger.end_turn(end_s=2.5)
    second = ledger.begin_turn(start_s=4.0)
    assert ledger.owned_span(first.turn_id) == (0.0, 2.5)
    assert ledger.owned_span(second.turn_id) == (2.5, None)
    assert ledger.owned_span("nope") is None


def test_speech_the_model_did_not_hear_belongs_to_no_turn() -> None:
    ledger = TranscriptLedger()
    ledger.mark_unheard(0.0, 1.0)
    ledger.mark_unheard(1.0, 2.5)  # grows frame by frame
    assert ledger.unheard_spans == ((0.0, 2.5),)
    during = ledger.add(seg("azure", "a1", 0.5, 2.0, "hallo"))
    turn = ledger.begin_turn(start_s=3.0, timing="server_audio")
    ledger.end_turn(end_s=5.0, timing="server_audio")
    after = ledger.add(seg("azure", "a2", 3.1, 4.9, "ni to"))
    assert during.turn_id is None and ledger.segments()[0].turn_id is None  # not handed to the next turn
    assert after.turn_id == turn.turn_id
    assert [s.text for s in ledger.unheard_segments()] == ["hallo"]
    assert [s.text for s in ledger.finals_for_turn(turn.turn_id)] == ["ni to"]
    assert not ledger.heard_at(1.0) and ledger.heard_at(3.0)


def test_a_turn_says_how_its_times_were_obtained() -> None:
    ledger = TranscriptLedger()
    ledger.begin_turn(start_s=0.4)
    assert ledger.turns[0].timing == "wall_clock"
    ledger.retime_open_turn(start_s=0.2, timing="server_audio")
    assert (ledger.turns[0].start_s, ledger.turns[0].timing) == (0.2, "server_audio")
    ledger.end_turn(end_s=1.0, timing="wall_clock")  # the less exact of start and end
    assert ledger.turns[0].timing == "wall_clock"
    ledger.begin_turn(start_s=2.0, timing="sidecar_vad")
    ledger.end_turn(end_s=3.0, timing="sidecar_vad")
    assert ledger.turns[1].timing == "sidecar_vad"


def test_control_characters_and_emoji_are_cleaned_and_digits_survive() -> None:
    ledger = TranscriptLedger()
    stored = ledger.add(seg("azure", "a1", 0.0, 1.0, "ni\x00 to\u200b 🙂tre\x1b[31m fire\n"))
    assert stored.text == "ni to tre [31m fire"
    huge = ledger.add(seg("azure", "a2", 1.0, 2.0, "ni " * 10_000))
    assert len(huge.text) <= 2000


def test_turn_work_does_not_grow_with_the_call() -> None:
    ledger = TranscriptLedger()
    touched: list[int] = []
    original = ledger._place

    def counting(key: tuple[str, str], segment: Segment) -> Segment:
        touched.append(1)
        return original(key, segment)

    ledger._place = counting  # type: ignore[method-assign]
    per_turn: list[int] = []
    for i in range(300):
        touched.clear()
        ledger.begin_turn(start_s=i * 3.0)
        ledger.end_turn(end_s=i * 3.0 + 2.0)
        per_turn.append(len(touched))
        for k in range(3):
            ledger.add(seg("azure", f"a{i}-{k}", i * 3.0 + k * 0.5, i * 3.0 + k * 0.5 + 0.4, "ja"))
    # each turn re-places only the segments of the latest turns, however long the call already is
    assert max(per_turn[-50:]) <= 6
    assert len(ledger.finals_for_turn(ledger.turns[-1].turn_id)) == 3
