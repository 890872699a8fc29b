"""Post-call re-transcription of a recorded call and its reconciliation with the live capture."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import soundfile

from recorded_call import NUMBER, RecordedDialogue
from sidecar_stt.calls import CallStore, ReviewNeededEvent, reprocess_call
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]


def heard(*texts: str) -> ScriptedEngine:
    """A batch engine whose n-th recognize() hears the n-th text."""
    return ScriptedEngine([ScriptedUtterance(start_s=i, end_s=i + 1, text=t) for i, t in enumerate(texts)])


def stored_call(dialogue: RecordedDialogue, root: Path, *, drop: str | None = None) -> CallStore:
    folder = root / dialogue.call_id
    shutil.copytree(dialogue.folder, folder)
    if drop is not None:  # the live capture as if it had never got that far
        journal = folder / "call.jsonl"
        journal.write_text("".join(line for line in journal.read_text().splitlines(True) if drop not in line))
    store = CallStore(root=root)
    store.add_call(folder)
    return store


async def test_vad_segments_on_the_session_clock_and_agreement(
    tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    store = stored_call(recorded_dialogue, tmp_path)
    reviews: list[ReviewNeededEvent] = []
    engine = heard("nummeret mitt er nittito trettifire femtiseks syttiåtte", "ja det stemmer")
    result = await reprocess_call(
        store, recorded_dialogue.call_id, "scripted", engine=engine, on_review_needed=reviews.append
    )
    assert result.reconciliation.verdict == "agrees" and reviews == []
    # silero found the two utterances; each segment covers the span where the caller spoke
    assert len(result.segments) == 2
    for segment, (start_s, end_s) in zip(result.segments, recorded_dialogue.spans, strict=True):
        assert segment.start_s <= start_s + 0.3 and segment.end_s >= end_s - 0.3
    run = store.run(recorded_dialogue.call_id, "scripted", "vad")
    assert run is not None and run.status == "done" and run.verdict == "agrees" and run.numbers == [NUMBER]
    assert [s["alternatives"][0]["text"] for s in run.segments] == [s.text for s in result.segments]


async def test_disagreement_flags_the_call_and_calls_the_hook(
    tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    store = stored_call(recorded_dialogue, tmp_path)
    reviews: list[ReviewNeededEvent] = []
    engine = heard("nummeret mitt er nittito trettifire femtiseks syttisju")
    result = await reprocess_call(
        store, recorded_dialogue.call_id, "scripted", mode="whole", engine=engine, on_review_needed=reviews.append
    )
    assert result.reconciliation.verdict == "disagrees" and result.reconciliation.differing_groups == (3,)
    assert len(result.segments) == 1 and result.segments[0].start_s == 0.0
    [review] = reviews
    assert (
        review.type == "review_needed" and review.call_id == recorded_dialogue.call_id and review.verdict == "disagrees"
    )
    [flagged] = store.list_calls(needs_review=True)
    assert flagged.call_id == recorded_dialogue.call_id


async def test_live_capture_failed_but_the_recording_holds_a_number(
    tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    store = stored_call(recorded_dialogue, tmp_path, drop="phone_number_confirmed")
    stored = store.get(recorded_dialogue.call_id)
    assert stored is not None and stored.summary.live_outcome == "failed"
    engine = heard("nummeret mitt er nittito trettifire femtiseks syttiåtte")
    result = await reprocess_call(store, recorded_dialogue.call_id, "scripted", mode="whole", engine=engine)
    assert result.reconciliation.verdict == "recovered" and result.reconciliation.post_e164 == NUMBER


async def test_no_number_anywhere(tmp_path: Path, recorded_dialogue: RecordedDialogue) -> None:
    store = stored_call(recorded_dialogue, tmp_path, drop='"kind":"capture"')
    result = await reprocess_call(
        store, recorded_dialogue.call_id, "scripted", mode="whole", engine=heard("ja det stemmer")
    )
    assert result.reconciliation.verdict == "no_number" and store.list_calls(needs_review=True) == []


_KILLED_JOB = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from livekit.agents import stt
    from sidecar_stt.calls import CallStore, reprocess_call
    from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

    class DiesMidJob(ScriptedEngine):
        async def _recognize_impl(self, buffer, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)  # killed half-way, after the run was marked running

    store = CallStore(root=sys.argv[1])
    asyncio.run(reprocess_call(store, sys.argv[2], "scripted", mode="whole", engine=DiesMidJob([])))
    """
)


async def test_a_job_killed_half_way_reruns_cleanly(tmp_path: Path, recorded_dialogue: RecordedDialogue) -> None:
    store = stored_call(recorded_dialogue, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_JOB, str(tmp_path), recorded_dialogue.call_id], capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    left = store.run(recorded_dialogue.call_id, "scripted", "whole")
    assert left is not None and left.status == "running"
    engine = heard("nummeret mitt er nittito trettifire femtiseks syttiåtte")
    result = await reprocess_call(store, recorded_dialogue.call_id, "scripted", mode="whole", engine=engine)
    assert result.reconciliation.verdict == "agrees"
    stored = store.get(recorded_dialogue.call_id)
    assert stored is not None and [(r.status, r.verdict) for r in stored.runs] == [("done", "agrees")]


@pytest.mark.slow
@pytest.mark.engine
async def test_local_whisper_reprocesses_the_call(tmp_path: Path, recorded_dialogue: RecordedDialogue) -> None:
    """The real local Whisper base over the recording; what it hears is its own, the bookkeeping must hold."""
    from sidecar_stt.calls import reconcile

    store = stored_call(recorded_dialogue, tmp_path)
    result = await reprocess_call(store, recorded_dialogue.call_id, "whisper:base?language=no&beam=5")
    assert result.segments and all(0.0 <= s.start_s < s.end_s <= result.audio_s + 0.01 for s in result.segments)
    assert any(s.text.strip() for s in result.segments)
    assert result.reconciliation == reconcile(NUMBER, list(result.reconciliation.numbers))
    run = store.run(recorded_dialogue.call_id, "whisper:base?language=no&beam=5", "vad")
    assert run is not None and run.status == "done" and run.processing_s is not None and run.processing_s > 0


class Unavailable(ScriptedEngine):
    """A batch engine whose service fails every request."""

    async def _recognize_impl(self, buffer: Any, **kwargs: Any) -> Any:
        raise RuntimeError("service unavailable")


async def test_live_and_post_call_costs_are_stored(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    """The live engines' audio sent and transcript kept come from the record; each post-call run counts the audio
    it hands its engine and the transcript it stores. On SQLite and on PostgreSQL."""
    folder = tmp_path / recorded_dialogue.call_id
    shutil.copytree(recorded_dialogue.folder, folder)
    call_id = recorded_dialogue.call_id
    with CallStore(store_url, root=tmp_path) as store:
        store.add_call(folder)
        stored = store.get(call_id)
        assert stored is not None
        live = recorded_dialogue.costs["azure"]
        assert stored.summary.audio_sent_s == pytest.approx(live["audio_sent_s"]) and live["audio_sent_s"] > 0
        assert stored.summary.transcript_s == pytest.approx(live["transcript_s"]) and live["transcript_s"] > 0
        assert stored.record.costs == recorded_dialogue.costs

        # whole: the engine gets the whole recording, and the transcript is the one segment it heard
        info = soundfile.info(str(stored.audio_path))
        whole = await reprocess_call(store, call_id, "scripted", mode="whole", engine=heard("ja det stemmer"))
        assert whole.audio_sent_s == pytest.approx(info.frames / info.samplerate, abs=1e-3)
        assert whole.transcript_s == pytest.approx(whole.audio_sent_s)
        # vad: only the padded speech segments are sent; the second one yields no text, so no transcript is stored
        said = "nummeret mitt er nittito trettifire femtiseks syttiåtte"
        vad = await reprocess_call(store, call_id, "scripted", mode="vad", engine=heard(said, ""))
        [segment] = vad.segments
        speech_s = sum(end_s - start_s for start_s, end_s in recorded_dialogue.spans)
        assert speech_s - 0.6 <= vad.audio_sent_s < whole.audio_sent_s  # silence between turns is left out
        assert vad.transcript_s == pytest.approx(segment.end_s - segment.start_s)
        assert 0 < vad.transcript_s < vad.audio_sent_s

        runs = {r.mode: r for r in store.get(call_id).runs}  # type: ignore[union-attr]
        assert (runs["whole"].audio_sent_s, runs["whole"].transcript_s) == pytest.approx(
            (whole.audio_sent_s, whole.transcript_s)
        )
        assert (runs["vad"].audio_sent_s, runs["vad"].transcript_s) == pytest.approx(
            (vad.audio_sent_s, vad.transcript_s)
        )

        # a run that fails keeps the audio it had sent: here the first segment's request, which failed
        with pytest.raises(RuntimeError):
            await reprocess_call(store, call_id, "failing", mode="vad", engine=Unavailable([]))
        failed = store.run(call_id, "failing", "vad")
        assert failed is not None and failed.status == "failed" and failed.transcript_s is None
        assert failed.audio_sent_s == pytest.approx(segment.end_s - segment.start_s)

        from sidecar_stt.calls.show import render_call

        render_call(store.get(call_id), sys.stdout)  # type: ignore[arg-type]
    shown = capsys.readouterr().out
    assert f"live engines: azure {live['audio_sent_s']:.1f} s of audio sent, {live['transcript_s']:.1f} s" in shown
    assert f"{vad.audio_sent_s:.1f} s of audio sent, {vad.transcript_s:.1f} s of transcript stored" in shown
    assert f"{failed.audio_sent_s:.1f} s of audio sent before it stopped" in shown
