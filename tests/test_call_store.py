"""The call store on SQLite (default) and on a real PostgreSQL server started by the tests."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from recorded_call import NUMBER, RecordedDialogue
from sidecar_stt.calls import CallStore, reconcile
from sidecar_stt.calls.migrate import current_revision, head_revision
from sidecar_stt.recording import load_call_record

pytestmark = [pytest.mark.timeout(120)]


def copy_call(dialogue: RecordedDialogue, root: Path, call_id: str | None = None) -> Path:
    target = root / (call_id or dialogue.call_id)
    shutil.copytree(dialogue.folder, target)
    if call_id is not None:  # give the copy its own id in its journal
        journal = target / "call.jsonl"
        journal.write_text(journal.read_text().replace(dialogue.call_id, call_id))
    return target


def test_store_add_get_list_review_delete(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    with CallStore(store_url, root=tmp_path) as store:
        assert current_revision(store.engine) == head_revision()
        folder = copy_call(recorded_dialogue, tmp_path)
        store.add_call(folder)
        store.add_call(folder)  # idempotent
        [summary] = store.list_calls()
        assert summary.call_id == recorded_dialogue.call_id and summary.live_outcome == "confirmed"
        stored = store.get(summary.call_id)
        assert stored is not None
        assert stored.record.to_json() == load_call_record(folder).to_json()
        assert stored.audio_path.is_file()
        assert store.list_calls(needs_review=True) == []

        store.start_run(summary.call_id, "whisper:base", "vad")
        assert store.run(summary.call_id, "whisper:base", "vad").status == "running"  # type: ignore[union-attr]
        disagreeing = reconcile(NUMBER, ["+4792345677"])
        store.finish_run(
            summary.call_id,
            "whisper:base",
            "vad",
            segments=[],
            reconciliation=disagreeing,
            processing_s=1.0,
            audio_sent_s=2.5,
            transcript_s=0.0,
        )
        [flagged] = store.list_calls(needs_review=True)
        assert flagged.review_reason is not None and "groups 4" in flagged.review_reason
        run = store.run(summary.call_id, "whisper:base", "vad")
        assert run is not None and run.verdict == "disagrees" and run.differing_groups == [3]

        # rerunning the same job replaces its row
        store.start_run(summary.call_id, "whisper:base", "vad")
        store.finish_run(
            summary.call_id,
            "whisper:base",
            "vad",
            segments=[],
            reconciliation=reconcile(NUMBER, [NUMBER]),
            processing_s=1.0,
            audio_sent_s=2.5,
            transcript_s=0.0,
        )
        again = store.get(summary.call_id)
        assert again is not None and len(again.runs) == 1 and again.runs[0].verdict == "agrees"
        assert store.list_calls(needs_review=True) == []

        assert store.delete_call(summary.call_id)
        assert not folder.exists() and store.get(summary.call_id) is None and store.list_calls() == []
        assert not store.delete_call(summary.call_id)


def test_retention_purges_old_calls_only(
    store_url: str | None, tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    with CallStore(store_url, root=tmp_path) as store:
        old = copy_call(recorded_dialogue, tmp_path, "old-call")
        new = copy_call(recorded_dialogue, tmp_path, "new-call")
        store.add_call(old)
        store.add_call(new)
        started = load_call_record(old).started_at
        # as seen 40 days after the call, with a 30 day retention: both go; with 50 days, both stay
        assert store.purge(retention_s=50 * 86400, now=started + 40 * 86400) == []
        store.start_run("old-call", "x", "vad")
        assert sorted(store.purge(retention_s=30 * 86400, now=started + 40 * 86400)) == ["new-call", "old-call"]
        assert not old.exists() and not new.exists()


def test_import_folder_takes_calls_the_store_missed(tmp_path: Path, recorded_dialogue: RecordedDialogue) -> None:
    with CallStore(root=tmp_path) as store:
        copy_call(recorded_dialogue, tmp_path)
        assert store.import_folder() == [recorded_dialogue.call_id]
        assert store.import_folder() == []


def test_models_match_the_migrations(store_url: str | None, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sidecar_stt.calls.models import Base

    store = CallStore(store_url, root=tmp_path)
    engine = create_engine(store.url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    store.close()
    assert diff == []


def test_an_existing_database_is_migrated_only_once(tmp_path: Path) -> None:
    CallStore(root=tmp_path).close()
    started = time.perf_counter()
    with CallStore(root=tmp_path) as store:
        assert current_revision(store.engine) == head_revision() == "0002"
    assert time.perf_counter() - started < 10


def test_a_store_from_before_the_cost_figures_is_upgraded_and_can_go_back(
    store_url: str | None, tmp_path: Path
) -> None:
    from alembic import command
    from sqlalchemy import MetaData, Table, inspect

    from sidecar_stt.calls.migrate import alembic_config, upgrade_database

    url = store_url or f"sqlite:///{tmp_path / 'calls.db'}"
    engine = create_engine(url)
    upgrade_database(engine, "0001")
    calls = Table("calls", MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        connection.execute(
            calls.insert().values(
                call_id="old",
                started_at=1.0,
                audio_s=3.0,
                folder=str(tmp_path / "old"),
                language="nb",
                region="NO",
                engines=["azure"],
                complete=True,
                live_outcome="none",
                needs_review=False,
                record={},
            )
        )
    with CallStore(url, root=tmp_path) as store:
        assert current_revision(store.engine) == "0002"
        [old] = store.list_calls()
        assert old.call_id == "old" and old.audio_s == 3.0
        assert old.audio_sent_s is None and old.transcript_s is None  # not known, not zero
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    columns = {c["name"] for c in inspect(engine).get_columns("reprocess_runs")}
    assert "audio_sent_s" not in columns and "processing_s" in columns
    assert current_revision(engine) == "0001"
    engine.dispose()
