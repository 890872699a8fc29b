"""Post-call data safety (issue 22), each attack run for real, on SQLite and on the PostgreSQL the suite starts:
serving, moved and copied stores, hostile call ids, terminal injection, bad input, retention, migrations."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from recorded_call import NUMBER, RecordedDialogue
from sidecar_stt.calls import CallStore, serve_call_page, write_call_page
from sidecar_stt.cli.main import main
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.recording import CallRecorder, load_call_record

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy_call(dialogue: RecordedDialogue, root: Path, call_id: str | None = None) -> Path:
    target = root / (call_id or dialogue.call_id)
    shutil.copytree(dialogue.folder, target)
    if call_id is not None:
        journal = target / "call.jsonl"
        journal.write_text(journal.read_text().replace(dialogue.call_id, call_id))
    return target


def get(url: str, path: str, *, host: str | None = None) -> tuple[int, bytes]:
    parsed = http.client.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    headers = {} if host is None else {"Host": host}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


# -- 1. --serve -----------------------------------------------------------------------------------------


def test_serve_answers_the_page_alone_and_only_to_loopback_names(
    tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    root = tmp_path / "calls"
    folder = copy_call(recorded_dialogue, root)
    (folder / "id_rsa").write_text("PRIVATE KEY")
    with CallStore(root=root) as store:
        store.add_call(folder)
        stored = store.get(recorded_dialogue.call_id)
        assert stored is not None
        page = write_call_page(stored, folder / "call.redacted.html", redact=True)
        with serve_call_page(page) as url:
            assert get(url, "/call.redacted.html")[0] == 200
            for path in ("/", "/caller.wav", "/call.jsonl", "/calls.db", "/id_rsa", "/../calls.db", "/call.html"):
                assert get(url, path)[0] == 404, path
            assert get(url, "/call.redacted.html", host="localhost")[0] == 200
            assert get(url, "/call.redacted.html", host="[::1]:8000")[0] == 200
            assert get(url, "/call.redacted.html", host="evil.example:80")[0] == 403
            assert get(url, "/call.redacted.html", host="127.0.0.1.evil.example")[0] == 403
        page = write_call_page(stored, tmp_path / "out" / "page.html", audio="beside")
        (tmp_path / "out" / "secret.txt").write_text("secret")
        with serve_call_page(page, audio=page.with_suffix(".wav")) as url:
            assert get(url, "/page.wav")[1][:4] == b"RIFF"
            assert get(url, "/secret.txt")[0] == 404


# -- 2. a moved or copied store -------------------------------------------------------------------------


def test_a_copied_store_works_where_it_lies_and_delete_stays_in_its_root(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    original = tmp_path / "calls"
    copy_call(recorded_dialogue, original)
    assert run("calls", "--root", str(original), "import", capsys=capsys)[0] == 0
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    call_id = recorded_dialogue.call_id
    code, out, _ = run(
        "calls", "--root", str(copy), "export-dataset", "--confirmed-only", str(tmp_path / "ds"), capsys=capsys
    )
    assert code == 0 and out.startswith("1 recording written") and (tmp_path / "ds" / "manifest.jsonl").is_file()
    assert run("calls", "--root", str(copy), "delete", call_id, capsys=capsys)[0] == 0
    assert (original / call_id / "caller.wav").is_file()  # the original is untouched
    assert not (copy / call_id).exists()
    assert (tmp_path / "ds" / "manifest.jsonl").read_text() == ""  # the clip's manifest line went with it
    assert not (tmp_path / "ds" / "audio" / f"{call_id}.wav").exists()


def test_a_store_with_absolute_folders_from_before_is_read_under_its_root(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    from sqlalchemy import update

    from sidecar_stt.calls.models import CallRow

    root = tmp_path / "calls"
    folder = copy_call(recorded_dialogue, root)
    outside = tmp_path / "elsewhere" / recorded_dialogue.call_id
    shutil.copytree(folder, outside)
    with CallStore(store_url, root=root) as store:
        store.add_call(folder)
        with store.engine.begin() as connection:  # as an older version stored it: absolute, somewhere else
            connection.execute(update(CallRow).values(folder=str(outside)))
        stored = store.get(recorded_dialogue.call_id)
        assert stored is not None and stored.folder == root / recorded_dialogue.call_id
        assert store.delete_call(recorded_dialogue.call_id)
    assert (outside / "caller.wav").is_file() and not folder.exists()


# -- 3. call ids ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call_id", ["/etc/cron.d/x", "../../outside/escaped", "..", ".hidden", "a/b", "x" * 65, "\x1b]0;t\x07"]
)
def test_a_hostile_call_id_is_refused_by_the_recorder(tmp_path: Path, call_id: str) -> None:
    with pytest.raises(ConfigurationError, match="not a call id"):
        CallRecorder(tmp_path, call_id=call_id)


def test_a_hostile_or_mismatched_journal_id_is_refused_on_import(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    copy_call(recorded_dialogue, root, "escaped")
    journal = root / "escaped" / "call.jsonl"
    journal.write_text(journal.read_text().replace('"call_id":"escaped"', '"call_id":"../../outside/escaped"', 1))
    copy_call(recorded_dialogue, root, "victim")
    copy_call(recorded_dialogue, root, "impostor")
    journal = root / "impostor" / "call.jsonl"
    journal.write_text(journal.read_text().replace('"call_id":"impostor"', '"call_id":"victim"', 1))
    copy_call(recorded_dialogue, root, "fine")
    argv = ["calls", "--root", str(root), *(["--db", store_url] if store_url else [])]
    code, out, err = run(*argv, "import", capsys=capsys)
    assert code == 1 and out == "stored 2 calls\n"
    assert "escaped not stored: line 1: not a call id" in err
    assert "impostor not stored:" in err and "names call 'victim', not its folder's 'impostor'" in err
    with CallStore(store_url, root=root) as store:
        assert sorted(c.call_id for c in store.list_calls()) == ["fine", "victim"]
        victim = store.get("victim")
        assert victim is not None and victim.folder == root / "victim"
    code, _, err = run(*argv, "show", "../../etc/passwd", capsys=capsys)
    assert code == 2 and err.startswith("sidecar calls: error: not a call id")
    assert not (tmp_path / "outside").exists()


def test_a_column_limit_gives_one_line(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    copy_call(recorded_dialogue, root)
    argv = ["calls", "--root", str(root), *(["--db", store_url] if store_url else [])]
    run(*argv, "import", capsys=capsys)
    code, _, err = run(*argv, "reprocess", recorded_dialogue.call_id, "--engine", "x" * 300, capsys=capsys)
    assert code in (1, 2) and len(err.strip().splitlines()) == 1 and "Traceback" not in err


# -- 6. terminal injection ------------------------------------------------------------------------------


def test_escape_sequences_never_reach_the_terminal(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    folder = copy_call(recorded_dialogue, root)
    journal = folder / "call.jsonl"
    text = journal.read_text(encoding="utf-8")
    hostile = "\\u001b]0;pwned\\u0007\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u001b[2J\\u009b31m"
    text = text.replace("nummeret mitt er", hostile + "nummeret mitt er")
    journal.write_text(text, encoding="utf-8")
    run("calls", "--root", str(root), "import", capsys=capsys)
    for argv in (["show", recorded_dialogue.call_id], ["list"], ["show", recorded_dialogue.call_id, "--json"]):
        code, out, err = run("calls", "--root", str(root), *argv, capsys=capsys)
        assert code == 0
        assert not any(ch in out + err for ch in "\x1b\x07\x9b"), argv
    code, out, _ = run("calls", "--root", str(root), "show", recorded_dialogue.call_id, "--json", capsys=capsys)
    texts = [a["text"] for seg in json.loads(out)["record"]["segments"] for a in seg["alternatives"]]
    assert any(t.startswith("\x1b]0;pwned\x07") for t in texts)  # the JSON still holds the data, escaped


# -- 8. bad input ----------------------------------------------------------------------------------------


def test_damaged_journal_lines_are_reported_and_the_rest_imports(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    first = copy_call(recorded_dialogue, root, "a-first")
    lines = (first / "call.jsonl").read_text(encoding="utf-8").splitlines()
    turn = next(i for i, line in enumerate(lines) if '"kind":"turn"' in line)
    segment = next(i for i, line in enumerate(lines) if '"kind":"segment"' in line)
    entry = json.loads(lines[turn])
    del entry["start_s"]
    lines[turn] = json.dumps(entry)
    entry = json.loads(lines[segment])
    entry["alternatives"][0]["confidence"] = "high"
    lines[segment] = json.dumps(entry)
    lines.insert(3, lines[3][: len(lines[3]) // 2])  # a line cut in the middle
    (first / "call.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy_call(recorded_dialogue, root, "b-later")
    argv = ["calls", "--root", str(root), *(["--db", store_url] if store_url else [])]
    code, out, err = run(*argv, "import", capsys=capsys)
    assert code == 1 and out == "stored 2 calls\n"

    def line_of(index: int) -> int:  # 1-based, after the cut line inserted as line 4
        return index + 1 if index < 3 else index + 2

    assert "a-first: line 4: not JSON (cut short or damaged) skipped" in err
    assert f"a-first: line {line_of(turn)}: a 'turn' entry with a missing or wrong field skipped" in err
    assert f"a-first: line {line_of(segment)}: a 'segment' entry" in err
    for call_id in ("a-first", "b-later"):
        code, out, _ = run(*argv, "show", call_id, capsys=capsys)
        assert code == 0 and NUMBER in out
    assert run(*argv, "view", "a-first", capsys=capsys)[0] == 0
    assert "journal lines were left out" in run(*argv, "show", "a-first", capsys=capsys)[1]


def test_export_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    copy_call(recorded_dialogue, root)
    run("calls", "--root", str(root), "import", capsys=capsys)
    out_dir = tmp_path / "dataset"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("mine")
    code, _, err = run("calls", "--root", str(root), "export-dataset", str(out_dir), capsys=capsys)
    assert code == 2 and "is not empty" in err and not (out_dir / "manifest.jsonl").exists()
    code, _, _ = run("calls", "--root", str(root), "export-dataset", str(out_dir), "--force", capsys=capsys)
    assert code == 0 and (out_dir / "manifest.jsonl").is_file() and (out_dir / "notes.txt").is_file()


def test_view_never_overwrites_what_is_not_its_page(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    folder = copy_call(recorded_dialogue, root)
    run("calls", "--root", str(root), "import", capsys=capsys)
    call_id = recorded_dialogue.call_id
    audio = (folder / "caller.wav").read_bytes()
    for out in (folder / "caller.wav", folder / "call.jsonl"):
        code, _, err = run("calls", "--root", str(root), "view", call_id, "--out", str(out), capsys=capsys)
        assert code == 2 and "is not a call page Sidecar wrote" in err
    code, _, err = run(
        "calls",
        "--root",
        str(root),
        "view",
        call_id,
        "--out",
        str(folder / "caller.html"),
        "--audio-beside",
        capsys=capsys,
    )
    assert code == 2 and "is not an audio copy" in err
    assert (folder / "caller.wav").read_bytes() == audio
    page = tmp_path / "page.html"
    assert run("calls", "--root", str(root), "view", call_id, "--out", str(page), capsys=capsys)[0] == 0
    assert run("calls", "--root", str(root), "view", call_id, "--out", str(page), "--redact", capsys=capsys)[0] == 0


def test_show_redact_and_redacted_errors(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    copy_call(recorded_dialogue, root)
    with CallStore(root=root) as store:
        store.import_calls()
        store.start_run(recorded_dialogue.call_id, "scripted", "whole")
        store.fail_run(recorded_dialogue.call_id, "scripted", "whole", error="EngineError: zebra 92345678 quit")
        stored = store.get(recorded_dialogue.call_id)
        assert stored is not None
        page = write_call_page(stored, tmp_path / "r.html", redact=True).read_text(encoding="utf-8")
    assert "zebra" not in page and "92345678" not in page
    code, out, _ = run("calls", "--root", str(root), "show", recorded_dialogue.call_id, "--redact", capsys=capsys)
    assert code == 0 and "[hidden]" in out and "[number hidden]" in out
    assert "92345678" not in out and "9234" not in out and "nittito" not in out and "zebra" not in out
    assert "nittito" in run("calls", "--root", str(root), "show", recorded_dialogue.call_id, capsys=capsys)[1]


# -- 7. retention --------------------------------------------------------------------------------------


def test_delete_removes_every_copy_and_reports_what_it_cannot(
    store_url: str | None,
    tmp_path: Path,
    recorded_dialogue: RecordedDialogue,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "calls"
    copy_call(recorded_dialogue, root)
    call_id = recorded_dialogue.call_id
    argv = ["calls", "--root", str(root), *(["--db", store_url] if store_url else [])]
    run(*argv, "import", capsys=capsys)
    page = tmp_path / "shared" / "page.html"
    assert run(*argv, "view", call_id, "--out", str(page), "--audio-beside", capsys=capsys)[0] == 0
    assert run(*argv, "export-dataset", str(tmp_path / "ds"), capsys=capsys)[0] == 0
    clip = tmp_path / "ds" / "audio" / f"{call_id}.wav"
    assert page.is_file() and page.with_suffix(".wav").is_file() and clip.is_file()

    real_unlink = Path.unlink

    def stuck(self: Path, missing_ok: bool = False) -> None:
        if self.name == "caller.wav":
            raise PermissionError(1, "Operation not permitted")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", stuck)
    code, out, err = run(*argv, "delete", call_id, capsys=capsys)
    assert code == 1 and out == "" and "caller.wav: Operation not permitted" in err
    monkeypatch.undo()
    assert call_id in run(*argv, "list", capsys=capsys)[1]  # kept: the next import cannot bring it back half
    assert run(*argv, "delete", call_id, capsys=capsys)[:2] == (0, f"deleted {call_id}\n")
    assert not page.exists() and not page.with_suffix(".wav").exists() and not clip.exists()
    assert (tmp_path / "ds" / "manifest.jsonl").read_text() == ""
    assert not (root / call_id).exists()


def test_purge_takes_crashed_calls_never_imported_by_journal_age(
    tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    import os

    root = tmp_path / "calls"
    crashed = copy_call(recorded_dialogue, root, "crashed-old")
    recent = copy_call(recorded_dialogue, root, "crashed-new")
    old = time.time() - 40 * 86400
    os.utime(crashed / "call.jsonl", (old, old))
    with CallStore(root=root) as store:
        assert store.purge(retention_s=30 * 86400) == ["crashed-old"]
        with pytest.raises(ConfigurationError, match="at least 1 day"):
            store.purge(retention_s=-86400)
    assert not crashed.exists() and recent.exists()


# -- 4. recording is best-effort -------------------------------------------------------------------------


@pytest.mark.timeout(240)
def test_a_recorder_that_cannot_write_never_takes_the_call_down(tmp_path: Path) -> None:
    import asyncio

    from recorded_call import record_dialogue

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recordings folder should be")
    recorder = CallRecorder(blocker / "calls")
    failed: list[str] = []
    recorder.on("recording_failed", lambda ev: failed.append(ev.part))
    dialogue = asyncio.run(record_dialogue(blocker / "calls", recorder=recorder))
    assert failed and failed[0] == "folder"
    assert dialogue.audio_s > 1.0  # the call ran to its end


@pytest.mark.timeout(240)
def test_audio_failing_mid_call_keeps_the_journal_and_the_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from recorded_call import record_dialogue
    from sidecar_stt.recording import audio_file

    written = {"n": 0}
    real_write = audio_file.AudioFileWriter.write

    def full_disk(self: audio_file.AudioFileWriter, samples: object) -> None:
        written["n"] += 1
        if written["n"] > 20:
            raise OSError(28, "No space left on device")
        real_write(self, samples)  # type: ignore[arg-type]

    monkeypatch.setattr(audio_file.AudioFileWriter, "write", full_disk)
    recorder = CallRecorder(tmp_path, call_id="disk-full")
    failed: list[str] = []
    recorder.on("recording_failed", lambda ev: failed.append(ev.part))
    asyncio.run(record_dialogue(tmp_path, recorder=recorder))
    assert failed == ["audio"]
    record = load_call_record(tmp_path / "disk-full")
    assert record.complete and record.audio_failed and record.live_outcome == "confirmed"
    assert record.confirmed_e164 == NUMBER
    [gap] = record.gaps
    assert gap["reason"] == "audio_failed" and gap["duration_s"] > 0


def test_a_slow_writer_drops_frames_counts_them_and_notes_the_gap(tmp_path: Path) -> None:
    import threading

    from livekit import rtc

    class Call:
        engines = ("x",)

        class options:
            language = "nb"
            region = "NO"

        class ledger:
            turns = ()

            @staticmethod
            def segments(**_: object) -> list[object]:
                return []

        audio_s = 0.0

        def stats(self) -> dict[str, object]:
            return {}

        def on(self, *_: object) -> None: ...

        def off(self, *_: object) -> None: ...

    class Session:
        def on(self, *_: object) -> None: ...

        def off(self, *_: object) -> None: ...

    recorder = CallRecorder(tmp_path, call_id="slow", batch_s=0.1, max_pending_s=0.5)
    gate = threading.Event()
    recorder._queue.put({"kind": "x", "created_at": 0.0})
    import sidecar_stt.recording.recorder as module

    real = module._Writer.entry

    def slow(self: object, entry: dict[str, object]) -> None:
        if entry.get("kind") == "call_started":
            gate.wait(10)
        real(self, entry)  # type: ignore[arg-type]

    module._Writer.entry = slow  # type: ignore[method-assign]
    try:
        recorder.start(Call(), Session())  # type: ignore[arg-type]
        frame = rtc.AudioFrame(b"\x01\x00" * 160, 16000, 1, 160)
        started = time.perf_counter()
        for i in range(200):  # 2 s of audio while the writer is stuck
            recorder.write_frame(frame, i * 0.01)
        assert time.perf_counter() - started < 0.5  # no frame waited for the disk
        assert recorder.frames_dropped > 100
        gate.set()
        import asyncio

        asyncio.run(recorder.aclose())
    finally:
        module._Writer.entry = real  # type: ignore[method-assign]
    record = load_call_record(tmp_path / "slow")
    [gap] = record.gaps
    assert gap["reason"] == "dropped" and gap["duration_s"] > 1.0
    assert record.audio_s == pytest.approx(2.0, abs=0.02)


# -- 5. migrations ---------------------------------------------------------------------------------------

_OPEN = (
    "import sys\nfrom sidecar_stt.calls import CallStore\nCallStore(sys.argv[1] or None, root=sys.argv[2]).close()\n"
)


def test_six_processes_opening_one_fresh_store_all_succeed(store_url: str | None, tmp_path: Path) -> None:
    root = tmp_path / "calls"
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPEN, store_url or "", str(root)], stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors


def test_a_downgrade_never_empties_the_runs(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    from alembic import command
    from sqlalchemy import text

    from sidecar_stt.calls.migrate import alembic_config, downgrade_database

    root = tmp_path / "calls"
    with CallStore(store_url, root=root) as store:
        store.add_call(copy_call(recorded_dialogue, root))
        store.start_run(recorded_dialogue.call_id, "x", "vad")
        downgrade_database(store.engine, "0001")
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM reprocess_runs")).scalar() == 1
        # and through Alembic on the store's own engine (foreign keys on), as the attack did it
        from sidecar_stt.calls.migrate import upgrade_database

        upgrade_database(store.engine)
        config = alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM reprocess_runs")).scalar() == 1


def test_a_store_from_a_newer_version_gives_one_line(
    store_url: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    root = tmp_path / "calls"
    CallStore(store_url, root=root).close()
    url = store_url or f"sqlite:///{root / 'calls.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    argv = ["calls", "--root", str(root), *(["--db", store_url] if store_url else [])]
    code, _, err = run(*argv, "list", capsys=capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "revision 0099, newer than this sidecar-stt knows (its latest is 0002)" in err
