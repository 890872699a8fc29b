"""Shared fixtures: a recorded offline call, and a throwaway PostgreSQL server started by the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recorded_call import RecordedDialogue, record_dialogue
from sidecar_stt.testing.postgres import TemporaryPostgres


@pytest.fixture(scope="session")
def recorded_dialogue(tmp_path_factory: pytest.TempPathFactory) -> RecordedDialogue:
    """One offline call (number said, read back, confirmed) recorded with a CallRecorder."""
    import asyncio

    return asyncio.run(record_dialogue(tmp_path_factory.mktemp("calls")))


@pytest.fixture(scope="session")
def postgres() -> Iterator[TemporaryPostgres]:
    """A PostgreSQL server started by the test suite (as the postgres user when the tests run as root)."""
    with TemporaryPostgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """``None`` (the default SQLite file under the store's root) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    server: TemporaryPostgres = request.getfixturevalue("postgres")
    return server.create_database()
