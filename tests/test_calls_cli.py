"""``sidecar calls``: list, show, reprocess, export-dataset (read back by ``sidecar eval``), delete, purge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import soundfile

from recorded_call import NUMBER, RecordedDialogue
from sidecar_stt.cli.main import main
from sidecar_stt.evaluation.dataset import load_manifest
from sidecar_stt.recording import load_call_record

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]


def sidecar(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def script_hearing(tmp_path: Path, text: str) -> str:
    path = tmp_path / f"heard-{abs(hash(text))}.json"
    path.write_text(json.dumps({"utterances": [{"start_s": 0.0, "end_s": 1.0, "text": text}]}), encoding="utf-8")
    return f"scripted:{path}"


@pytest.fixture
def root(tmp_path: Path, recorded_dialogue: RecordedDialogue) -> Path:
    root = tmp_path / "calls"
    shutil.copytree(recorded_dialogue.folder, root / recorded_dialogue.call_id)
    return root


def test_list_show_reprocess_review(
    root: Path, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    call_id = recorded_dialogue.call_id
    r = str(root)
    assert sidecar("calls", "--root", r, "import", capsys=capsys) == (0, "stored 1 call\n")
    code, out = sidecar("calls", "--root", r, "list", capsys=capsys)
    assert code == 0 and call_id in out and "confirmed" in out and "REVIEW" not in out
    code, out = sidecar("calls", "--root", r, "show", call_id, capsys=capsys)
    assert code == 0 and "turn-1" in out and "turn-2" in out and "capture_phone_number" in out and NUMBER in out
    assert "realtime: nummeret mitt er nittito trettifire femtiseks syttisju" in out
    assert "azure: nummeret mitt er nittito trettifire femtiseks syttiåtte (0.92) | nummeret mitt er" in out
    live = recorded_dialogue.costs["azure"]
    assert f"live engines: azure {live['audio_sent_s']:.1f} s of audio sent" in out

    wrong = script_hearing(tmp_path, "nummeret mitt er nittito trettifire femtiseks syttisju")
    code, out = sidecar("calls", "--root", r, "reprocess", call_id, "--engine", wrong, "--mode", "whole", capsys=capsys)
    assert code == 0 and "verdict: disagrees" in out and "+4792345677" in out and "groups 4" in out
    whole_s = load_call_record(root / call_id).audio_s
    assert f"{whole_s:.1f} s of audio sent, " in out  # mode whole: the whole recording went to the engine
    code, out = sidecar("calls", "--root", r, "list", "--needs-review", capsys=capsys)
    assert call_id in out and "REVIEW" in out
    code, out = sidecar("calls", "--root", r, "show", call_id, "--json", capsys=capsys)
    shown = json.loads(out)
    assert shown["runs"][0]["verdict"] == "disagrees" and shown["record"]["call_id"] == call_id
    assert shown["record"]["costs"] == recorded_dialogue.costs
    assert shown["runs"][0]["audio_sent_s"] == pytest.approx(whole_s, abs=0.01) and shown["runs"][0]["transcript_s"] > 0

    right = script_hearing(tmp_path, "nummeret mitt er nittito trettifire femtiseks syttiåtte")
    code, out = sidecar("calls", "--root", r, "reprocess", call_id, "--engine", right, "--mode", "whole", capsys=capsys)
    assert "verdict: agrees" in out
    assert sidecar("calls", "--root", r, "list", "--needs-review", capsys=capsys)[1] == "no calls need review\n"

    assert sidecar("calls", "--root", r, "show", "nope", capsys=capsys)[0] == 1
    assert sidecar("calls", "--root", r, "delete", call_id, capsys=capsys)[0] == 0
    assert not (root / call_id).exists()
    assert sidecar("calls", "--root", r, "list", capsys=capsys)[1] == "no calls\n"


def test_export_dataset_is_read_by_sidecar_eval(
    root: Path, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    r = str(root)
    sidecar("calls", "--root", r, "import", capsys=capsys)
    out_dir = tmp_path / "dataset"
    code, out = sidecar("calls", "--root", r, "export-dataset", "--confirmed-only", str(out_dir), capsys=capsys)
    assert code == 0 and "1 recording written" in out
    [recording] = load_manifest(out_dir / "manifest.jsonl")
    assert recording.expected_phone == NUMBER and recording.language == "nb"
    record = load_call_record(root / recorded_dialogue.call_id)
    span = record.confirmed_span()
    assert span is not None
    clip, rate = soundfile.read(str(recording.audio), dtype="int16")
    whole, _ = soundfile.read(str(root / recorded_dialogue.call_id / "caller.wav"), dtype="int16")
    start = int(span[0] * rate)
    assert (clip == whole[start : start + len(clip)]).all() and len(clip) == int(span[1] * rate) - start
    # beside the clip, what the whole call cost live
    live = recorded_dialogue.costs["azure"]
    assert recording.meta["call_audio_s"] == pytest.approx(record.audio_s, abs=1e-3)
    assert recording.meta["live_audio_sent_s"] == pytest.approx(live["audio_sent_s"], abs=1e-3)
    assert recording.meta["live_transcript_s"] == pytest.approx(live["transcript_s"], abs=1e-3)

    engine = script_hearing(tmp_path, "nittito trettifire femtiseks syttiåtte")
    eval_out = tmp_path / "eval"
    code = main(
        [
            "eval",
            "--dataset",
            str(out_dir / "manifest.jsonl"),
            "--engine",
            engine,
            "--out",
            str(eval_out),
            "--mode",
            "recognize",
        ]
    )
    assert code == 0
    rows = json.loads((eval_out / "results.json").read_text())["rows"]
    assert rows[0]["phone_success_rate"] == 1.0 and rows[0]["n"] == 1
    assert rows[0]["audio_sent_s"] == pytest.approx(len(clip) / rate, abs=0.01)  # the clip, not the call


def age_call(folder: Path, days: float) -> None:
    """Make the recorded call in ``folder`` look ``days`` old (its journal's start entry and its file times)."""
    import os
    import time

    journal = folder / "call.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    start = json.loads(lines[0])
    shift = start["created_at"] - (time.time() - days * 86400)
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        entry["created_at"] -= shift
    journal.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    old = time.time() - days * 86400
    os.utime(journal, (old, old))


def test_purge_by_retention(
    root: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    r = str(root)
    age_call(root / recorded_dialogue.call_id, 40)
    sidecar("calls", "--root", r, "import", capsys=capsys)
    assert sidecar("calls", "--root", r, "purge", "--retention-days", "50", capsys=capsys)[1].startswith("deleted 0")
    for bad in ("0", "-1", "0.5", "nan"):
        with pytest.raises(SystemExit) as exited:
            main(["calls", "--root", r, "purge", "--retention-days", bad])
        assert exited.value.code == 2
    assert recorded_dialogue.call_id in sidecar("calls", "--root", r, "list", capsys=capsys)[1]
    assert sidecar("calls", "--root", r, "purge", "--retention-days", "30", capsys=capsys)[1].startswith("deleted 1")
    assert sidecar("calls", "--root", r, "list", capsys=capsys)[1] == "no calls\n"
    assert not (root / recorded_dialogue.call_id).exists()
