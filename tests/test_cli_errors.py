"""Every ``sidecar`` usage error is one line naming the cause and the fix, with a non-zero exit code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from sidecar_stt.cli.main import main

pytestmark = pytest.mark.engine

SAID = "nittito trettifire femtiseks syttiåtte"
needs_tools = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="espeak-ng and sox are not installed"
)


def _dataset(folder: Path, count: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(count):
        soundfile.write(str(folder / f"r{i}.wav"), np.zeros(8000, dtype=np.int16), 16000)
        lines.append(
            json.dumps({"id": f"r{i}", "audio": f"r{i}.wav", "reference": SAID, "expected": {"phone": "+4792345678"}})
        )
    manifest = folder / "manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def _script(folder: Path) -> Path:
    path = folder / "script.json"
    path.write_text(json.dumps({"utterances": [{"start_s": 0.0, "end_s": 0.4, "text": SAID}]}), encoding="utf-8")
    return path


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if "error:" in line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _run_blocked(module: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter where ``module`` cannot be imported (a missing extra)."""
    code = (
        f"import sys; sys.modules[{module!r}] = None; from sidecar_stt.cli.main import main; "
        f"sys.exit(main({list(argv)!r}))"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


# --------------------------------------------------------------------------------------------- eval: engines


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("nosuch:model", "unknown engine kind 'nosuch'"),
        ("whisper:tiny.en?bogus=1", "unknown parameter 'bogus'"),
        ("whisper:tiny.en?beam=zero", "beam='zero' must be an integer"),
        ("openai:gpt-4o-transcribe", "OPENAI_API_KEY"),
    ],
    ids=["unknown-kind", "unknown-parameter", "bad-parameter", "missing-key"],
)
def test_eval_names_an_engine_that_cannot_be_built_and_runs_and_writes_nothing(
    tmp_path: Path, spec: str, reason: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    manifest = _dataset(tmp_path / "set")
    out = tmp_path / "out"
    args = ["eval", "--dataset", str(manifest), "--out", str(out), "--no-html"]
    code = main([*args, "--engine", f"scripted:{_script(tmp_path)}", "--engine", spec])
    err = capsys.readouterr().err
    assert code == 2
    line = _one_error_line(err)
    assert line.startswith(f"sidecar eval: error: engine {spec} cannot be built:") and reason in line
    assert line.endswith("nothing was run or written")
    assert "engine scripted" not in err  # the engine that could be built is not blamed
    assert err.count("\n") == 1  # no progress bar, no rows
    assert not out.exists()


def test_a_failed_build_leaves_the_earlier_reports_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _dataset(tmp_path / "set")
    script = _script(tmp_path)
    out = tmp_path / "out"
    args = ["eval", "--dataset", str(manifest), "--out", str(out), "--no-html"]
    assert main([*args, "--engine", f"scripted:{script}"]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert out / "report.md" in before
    assert main([*args, "--engine", f"scripted:{script}", "--engine", "whisper:tiny.en?bogus=1"]) == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_eval_names_a_missing_engine_extra_and_exits_2(tmp_path: Path) -> None:
    manifest = _dataset(tmp_path / "set")
    done = _run_blocked(
        "livekit.plugins.deepgram",
        *("eval", "--dataset", str(manifest), "--out", str(tmp_path / "out"), "--no-html"),
        *("--engine", "deepgram:nova-3"),
    )
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert line.startswith("sidecar eval: error: engine deepgram:nova-3 cannot be built")
    assert 'pip install "sidecar-stt[deepgram]"' in line


def test_an_engine_that_failed_to_build_runs_once_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = _dataset(tmp_path / "set")
    script = _script(tmp_path)
    args = ["eval", "--dataset", str(manifest), "--out", str(tmp_path / "out"), "--no-html"]
    assert main([*args, "--engine", f"scripted:{script}?bogus=1"]) == 2
    assert main([*args, "--engine", f"scripted:{script}"]) == 0
    assert "2 runs, 0 cached" in capsys.readouterr().err


def test_cached_failures_are_said_to_be_cached_and_name_retry_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sidecar_stt import engines
    from sidecar_stt.testing import ScriptedEngine, ScriptedUtterance

    def failing(spec: str) -> ScriptedEngine:  # builds, then fails on every recording
        return ScriptedEngine([ScriptedUtterance(start_s=0.0, end_s=0.4, text=SAID)], fail_at_s=0.0, failures=99)

    monkeypatch.setattr(engines, "from_spec", failing)
    manifest = _dataset(tmp_path / "set")
    script = _script(tmp_path)
    args = ["eval", "--dataset", str(manifest), "--out", str(tmp_path / "out"), "--no-html"]
    args += ["--engine", f"scripted:{script}"]
    assert main(args) == 1
    first = _one_error_line(capsys.readouterr().err)
    assert "cached from" not in first and f"engine scripted:{script} could not run:" in first
    assert main(args) == 1
    err = capsys.readouterr().err
    again = _one_error_line(err)
    assert (
        f"engine scripted:{script} could not run (cached from an earlier run; --retry-failed runs them again):" in again
    )
    assert "0 runs, 2 cached" in err
    assert main([*args, "--retry-failed"]) == 1
    assert "cached from an earlier run" not in _one_error_line(capsys.readouterr().err)


# --------------------------------------------------------------------------------------------- extras, folders


@pytest.mark.parametrize(
    ("module", "argv"),
    [
        ("soundfile", ("dataset", "synth", "--count", "1", "--out", "{tmp}/set")),
        ("soundfile", ("eval", "--dataset", "{tmp}/m.jsonl", "--engine", "whisper:tiny.en", "--out", "{tmp}/o")),
        ("matplotlib", ("eval", "--dataset", "{tmp}/m.jsonl", "--engine", "whisper:tiny.en", "--out", "{tmp}/o")),
    ],
    ids=["synth-soundfile", "eval-soundfile", "eval-matplotlib"],
)
def test_a_missing_eval_extra_is_one_line(tmp_path: Path, module: str, argv: tuple[str, ...]) -> None:
    _dataset(tmp_path).rename(tmp_path / "m.jsonl")
    done = _run_blocked(module, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert module in line and 'pip install "sidecar-stt[eval]"' in line
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["eval", "synth"])
def test_an_unwritable_out_folder_is_one_line(tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    out = blocker / "out"
    if command == "eval":
        manifest = _dataset(tmp_path / "set")
        argv = ["eval", "--dataset", str(manifest), "--engine", f"scripted:{_script(tmp_path)}", "--out", str(out)]
    else:
        argv = ["dataset", "synth", "--count", "1", "--out", str(out)]
    assert main(argv) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert f"cannot write to --out {out}" in line and "choose another folder" in line


def test_unusable_audio_is_named_and_nothing_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = _dataset(tmp_path / "set", count=3)
    (tmp_path / "set" / "r0.wav").write_text("not audio at all\n", encoding="utf-8")
    soundfile.write(str(tmp_path / "set" / "r2.wav"), np.zeros(0, dtype=np.int16), 16000)
    out = tmp_path / "out"
    argv = ["eval", "--dataset", str(manifest), "--engine", f"scripted:{_script(tmp_path)}", "--out", str(out)]
    assert main([*argv, "--no-html"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "2 audio files cannot be used" in line and "r0.wav" in line and "r2.wav" in line and "r1.wav" not in line
    assert not (out / "cache").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ("eval", "--dataset", "m.jsonl", "--engine", "x", "--out", "o", "--limit", "-1"),
        ("eval", "--dataset", "m.jsonl", "--engine", "x", "--out", "o", "--limit", "0"),
        ("eval", "--dataset", "m.jsonl", "--engine", "x", "--out", "o", "--concurrency", "0"),
        ("dataset", "synth", "--out", "o", "--jobs", "0"),
        ("dataset", "synth", "--out", "o", "--count", "0"),
    ],
    ids=["limit-negative", "limit-zero", "concurrency-zero", "jobs-zero", "count-zero"],
)
def test_numbers_out_of_range_are_refused(argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    assert info.value.code == 2
    assert "must be at least 1" in _one_error_line(capsys.readouterr().err)


def test_synth_leaves_an_existing_dataset_alone_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _dataset(tmp_path)
    assert main(["dataset", "synth", "--count", "1", "--out", str(tmp_path)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "already holds a dataset" in line and "--force" in line
    assert (tmp_path / "r0.wav").is_file() and len((tmp_path / "manifest.jsonl").read_text().splitlines()) == 2


@needs_tools
def test_synth_force_replaces_the_dataset_and_its_stale_files(tmp_path: Path) -> None:
    argv = ["dataset", "synth", "--language", "en", "--out", str(tmp_path)]
    assert main([*argv, "--count", "2"]) == 0
    stale = tmp_path / "audio" / "stale.wav"
    stale.write_bytes(b"left from another run")
    assert main([*argv, "--count", "1", "--force"]) == 0
    assert not stale.exists()
    assert len((tmp_path / "manifest.jsonl").read_text().splitlines()) == 1
    assert len(list((tmp_path / "audio").iterdir())) == 1


# --------------------------------------------------------------------------------------------- the other commands


@pytest.mark.parametrize(
    ("module", "argv", "extra"),
    [
        ("sqlalchemy", ("calls", "--root", "{tmp}", "list"), "calls"),
        ("alembic", ("calls", "--root", "{tmp}", "migrate"), "calls"),
        ("procrastinate", ("calls", "--db", "postgresql+psycopg://u@h/db", "worker"), "queue"),
        ("faster_whisper", ("demo", "--speed", "max"), "whisper"),
    ],
    ids=["calls-sqlalchemy", "calls-alembic", "calls-worker-procrastinate", "demo-faster-whisper"],
)
def test_a_missing_extra_of_any_command_is_one_line_and_exit_2(
    tmp_path: Path, module: str, argv: tuple[str, ...], extra: str
) -> None:
    done = _run_blocked(module, *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert done.returncode == 2, done.stderr
    line = _one_error_line(done.stderr)
    assert module in line and f'pip install "sidecar-stt[{extra}]"' in line
    assert done.stderr.count("\n") == 1


def test_a_missing_database_driver_found_late_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _run_blocked("psycopg", "calls", "--root", str(tmp_path), "--db", "postgresql+psycopg://u@h/db", "list")
    assert done.returncode == 2, done.stderr
    line = _one_error_line(done.stderr)
    assert "psycopg" in line and 'pip install "sidecar-stt[postgres]"' in line
