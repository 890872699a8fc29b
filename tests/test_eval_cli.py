"""``sidecar dataset synth`` and ``sidecar eval`` end to end, through the installed command."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

SIDECAR = Path(sys.executable).parent / "sidecar"
needs_tools = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="espeak-ng and sox are not installed"
)


def _run(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SIDECAR), *args], capture_output=True, text=True, timeout=timeout, check=False)


def _manifest(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_tools
def test_synth_then_eval_with_whisper_and_scripted_then_resume(tmp_path: Path) -> None:
    data = tmp_path / "set"
    done = _run("dataset", "synth", "--language", "en", "--count", "4", "--seed", "2", "--out", str(data))
    assert done.returncode == 0, done.stderr
    assert "4/4" in done.stderr  # the progress bar went to stderr
    lines = _manifest(data / "manifest.jsonl")
    assert len(lines) == 4 and all((data / str(line["audio"])).is_file() for line in lines)

    first = lines[0]
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps(
            {
                "language": "en",
                "utterances": [{"start_s": 0.3, "end_s": 2.0, "text": first["reference"], "delay_s": 0.2}],
            }
        ),
        encoding="utf-8",
    )
    expected_scripted = sum(line["expected"] == first["expected"] for line in lines)
    out = tmp_path / "out"
    args = ["eval", "--dataset", str(data / "manifest.jsonl"), "--engine", "whisper:tiny.en"]
    args += ["--engine", f"scripted:{script}", "--out", str(out), "--concurrency", "2"]
    ran = _run(*args)
    assert ran.returncode == 0, ran.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = {r["engine"]: r for r in results["rows"]}
    keys = {
        "engine",
        "phone_success_rate",
        "phone_success_in_nbest",
        "digit_error_rate",
        "wer",
        "time_to_final_s_p50",
        "rtf",
        "failures",
        "n",
    }
    for row in rows.values():
        assert keys <= set(row)
    scripted = rows[f"scripted:{script}"]
    assert scripted["n"] == 4 and scripted["failures"] == 0
    assert scripted["phone_success_rate"] == pytest.approx(expected_scripted / 4)
    whisper = rows["whisper:tiny.en"]
    assert whisper["n"] == 4 and whisper["failures"] == 0
    assert whisper["rtf"] > 0 and whisper["time_to_final_s_p50"] > 0
    assert whisper["wer"] is not None
    fused = rows[f"fusion:whisper:tiny.en+scripted:{script}"]
    assert fused["n"] == 4 and fused["wer"] is None
    per = [p for p in results["per_recording"] if p["engine"] == "whisper:tiny.en"]
    assert len(per) == 4
    assert all(p["success"] == (p["found"] == p["expected"]) for p in per)
    assert sum(p["success"] for p in per) == round(whisper["phone_success_rate"] * 4)
    assert sum(p["success"] for p in per) >= 2  # default-ish English espeak digits: tiny.en gets most
    assert results["settings"]["runs"] == 8 and results["settings"]["cache_hits"] == 0
    # each engine was sent every clip whole (batch whisper) or every frame of it (the scripted stream)
    real_s = {line["id"]: _duration_s(data / str(line["audio"])) for line in lines}
    for p in results["per_recording"]:
        if not p["engine"].startswith("fusion:"):
            assert p["audio_sent_s"] == pytest.approx(real_s[p["recording_id"]], abs=0.01) and not p["cached"]
    assert whisper["audio_sent_s"] == pytest.approx(sum(real_s.values()), abs=0.04)
    assert 0 < whisper["transcript_s"] <= sum(real_s.values()) and whisper["cached"] == 0
    assert "audio sent" in ran.stderr and "transcript" in ran.stderr  # the console summary
    with (out / "results.csv").open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert {r["engine"] for r in table} == set(rows)
    assert "| engine |" in (out / "report.md").read_text(encoding="utf-8")
    assert (out / "report.html").read_text(encoding="utf-8").count("data:image/png;base64,") >= 3

    again = _run(*args)
    assert again.returncode == 0, again.stderr
    resumed = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert resumed["settings"]["runs"] == 0 and resumed["settings"]["cache_hits"] == 8
    # the same scores; this run sent nothing, and says what the first run sent for the cached results
    for row, before in zip(resumed["rows"], results["rows"], strict=True):
        assert row["audio_sent_s"] == 0.0 and row["cached"] == 4
        assert row["audio_sent_cached_s"] == pytest.approx(before["audio_sent_s"])
        cost = ("audio_sent_s", "audio_sent_cached_s", "cached")
        assert {k: v for k, v in row.items() if k not in cost} == {k: v for k, v in before.items() if k not in cost}


def _duration_s(path: Path) -> float:
    import soundfile

    info = soundfile.info(str(path))
    return float(info.frames) / float(info.samplerate)


def test_eval_reports_manifest_errors_with_line_numbers(tmp_path: Path) -> None:
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"id": "a", "audio": "nowhere.wav"}\n', encoding="utf-8")
    bad = _run("eval", "--dataset", str(manifest), "--engine", "whisper:tiny.en", "--out", str(tmp_path / "o"))
    assert bad.returncode == 2
    assert f"{manifest}:1" in bad.stderr and "audio file not found" in bad.stderr
    manifest.write_text("{not json\n", encoding="utf-8")
    bad = _run("eval", "--dataset", str(manifest), "--engine", "whisper:tiny.en", "--out", str(tmp_path / "o"))
    assert bad.returncode == 2 and "invalid JSON" in bad.stderr and ":1:" in bad.stderr


def test_synth_rejects_bad_options(tmp_path: Path) -> None:
    bad = _run("dataset", "synth", "--count", "2", "--out", str(tmp_path), "--snr", "loud")
    assert bad.returncode == 2 and "not an SNR" in bad.stderr
    bad = _run("dataset", "synth", "--language", "en", "--styles", "old_counting", "--out", str(tmp_path))
    assert bad.returncode == 2 and "old_counting" in bad.stderr
