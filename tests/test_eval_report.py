"""The bake-off reports: results.json, results.csv, report.md and report.html (rendered in headless Chromium)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from sidecar_stt.evaluation.dataset import Recording
from sidecar_stt.evaluation.output import EngineOutput, FinalTranscript
from sidecar_stt.evaluation.plots import PALETTE
from sidecar_stt.evaluation.report import CSV_COLUMNS, write_reports
from sidecar_stt.evaluation.results import EvalResults
from sidecar_stt.evaluation.scoring import score_output
from sidecar_stt.evaluation.summary import summarize

pytestmark = pytest.mark.unit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SAID = "nittito trettifire femtiseks syttiåtte"
STYLES = ("pairs", "digits", "mobile_323", "sentence")
SNRS = (None, 20.0, 10.0)


def _results() -> EvalResults:
    recs = [
        Recording(
            id=f"r{i:02d}",
            audio=Path(f"/data/r{i:02d}.wav"),
            reference=SAID,
            expected_phone="+4792345678",
            meta={"style": STYLES[i % 4], "snr_db": SNRS[i % 3]},
        )
        for i in range(24)
    ]
    specs = ["engine:a", "engine:b"]
    outputs: dict[str, dict[str, EngineOutput]] = {}
    scores = []
    for k, spec in enumerate(specs):
        outputs[spec] = {}
        for i, rec in enumerate(recs):
            right = (i + k) % (2 + k) != 0  # engine b does better than engine a
            text = SAID if right else "nittito trettifire"
            out = EngineOutput(
                spec=spec,
                recording_id=rec.id,
                audio_sha256="h",
                mode="recognize",
                finals=(FinalTranscript(alternatives=((text, 0.9),)),),
                time_to_final_s=0.2 + 0.05 * ((i * 7) % 10) + 0.4 * k,
                processing_s=0.5,
                audio_s=4.0,
                error="RuntimeError: boom" if (k == 0 and i == 5) else None,
                audio_sent_s=4.0,
                cached=k == 1 and i < 4,  # engine b's first four results came from the cache
            )
            outputs[spec][rec.id] = out
            scores.append(score_output(rec, out))
    return EvalResults(
        specs=specs,
        recordings=recs,
        outputs=outputs,
        scores=scores,
        rows=summarize(scores),
        runs=48,
        wall_s=12.5,
        settings={"pace": "max", "mode": "auto", "concurrency": 1},
    )


def test_json_csv_and_markdown(tmp_path: Path) -> None:
    results = _results()
    paths = write_reports(results, tmp_path, html=False)
    assert set(paths) == {"json", "csv", "markdown"}
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [r["engine"] for r in data["rows"]] == ["engine:a", "engine:b"]
    a, b = data["rows"]
    assert a["n"] == 24 and a["failures"] == 1
    assert a["phone_success_rate"] == pytest.approx(sum(s.success for s in results.scores[:24]) / 24, abs=1e-4)
    assert b["phone_success_rate"] > a["phone_success_rate"]
    assert len(data["per_recording"]) == 48
    assert data["settings"]["runs"] == 48
    with paths["csv"].open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        table = list(reader)
    assert float(table[1]["phone_success_rate"]) == b["phone_success_rate"]
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "| `engine:a` |" in md and "| `engine:b` |" in md
    # no times from the engine and no speech span in the manifest: each transcript counts the whole 4 s file
    assert (a["audio_sent_s"], a["audio_sent_cached_s"], a["transcript_s"], a["cached"]) == (96.0, 0.0, 96.0, 0)
    assert (b["audio_sent_s"], b["audio_sent_cached_s"], b["transcript_s"], b["cached"]) == (80.0, 16.0, 96.0, 4)
    assert float(table[1]["audio_sent_cached_s"]) == 16.0
    assert "| 96.0 s | 96.0 s |" in md and "| 80.0 s + 16.0 s cached | 96.0 s |" in md


def _close(image: np.ndarray, colour: str, tol: int = 12) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int32)
    close: np.ndarray = np.all(np.abs(image[:, :, :3].astype(np.int32) - rgb) <= tol, axis=2)
    return close


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
def test_html_renders_with_plots_in_headless_chromium(tmp_path: Path) -> None:
    import matplotlib.image

    results = _results()
    paths = write_reports(results, tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 4
    assert "http://" not in page and "https://" not in page  # self-contained
    assert "<td>80.0 s + 16.0 s cached</td><td>96.0 s</td>" in page and "cached (4.0 s earlier)" in page
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            paths["html"].resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), proc.stderr[-2000:]
    image = (matplotlib.image.imread(str(shot)) * 255).astype(np.uint8)
    height, width = image.shape[:2]
    assert (height, width) == (1600, 1200)
    assert image[:, :, :3].std() > 20  # not blank
    top, plots = image[: height // 5], image[height // 5 :]
    for colour in PALETTE[:2]:  # each engine's colour fills bars in the plot area, not only the table's dots
        assert _close(plots, colour).sum() > 3000, colour
    # the plots sit in two columns: both halves of the page carry engine colours
    left, right = plots[:, : width // 2], plots[:, width // 2 :]
    assert _close(left, PALETTE[0]).sum() > 1000 and _close(right, PALETTE[0]).sum() > 200
    assert _close(top, PALETTE[0]).sum() < 400  # above the plots only the small legend dots


def test_the_reports_say_which_dataset_when_and_which_version(tmp_path: Path) -> None:
    results = _results()
    results.settings.update(dataset="data/nb/manifest.jsonl", started_at="2026-11-29 22:40 UTC", sidecar_version="9.9")
    paths = write_reports(results, tmp_path)
    header = "dataset data/nb/manifest.jsonl · 2026-11-29 22:40 UTC · sidecar-stt 9.9"
    assert header in paths["markdown"].read_text(encoding="utf-8").splitlines()[:4]
    assert header in paths["html"].read_text(encoding="utf-8")


def test_long_engine_names_break_between_parts_not_inside_words(tmp_path: Path) -> None:
    results = _results()
    page = write_reports(results, tmp_path)["html"].read_text(encoding="utf-8")
    assert "break-all" not in page
    assert "engine:<wbr>a" in page


def test_a_dimension_with_one_value_gets_no_plot(tmp_path: Path) -> None:
    results = _results()
    for rec in results.recordings:
        rec.meta["snr_db"] = None  # every recording clean: an SNR plot would be one bar per engine
    results.scores = [
        score_output(rec, results.outputs[spec][rec.id]) for spec in results.specs for rec in results.recordings
    ]
    page = write_reports(results, tmp_path)["html"].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3 and "success per SNR" not in page
    assert "success per spoken style" in page
