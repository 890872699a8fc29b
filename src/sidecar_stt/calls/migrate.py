"""Applying the call store's Alembic migrations (shipped in the package) to a database.

Safe under concurrency: one process migrates while the others wait (a transaction-level advisory lock on
PostgreSQL, an exclusive file lock beside the database file on SQLite), and each then finds the database at head.
Never cascade-deletes: on SQLite the migrations run with foreign keys off (a batch migration rebuilds a table by
dropping it, which would fire ``ON DELETE CASCADE`` on its children) and the keys are checked after. A database
stamped by a newer version than this one knows gives one line naming both revisions.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from ..errors import ConfigurationError

__all__ = ["alembic_config", "current_revision", "downgrade_database", "head_revision", "upgrade_database"]

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY: Final = zlib.crc32(b"sidecar_stt.calls.migrate")
"""The PostgreSQL advisory lock the migrating process holds (a fixed 32-bit key of this package)."""


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations (no ``alembic.ini`` needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: SQLite's own locking is all there is
        yield
        return
    with open(f"{database}.migrate.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _check_known(connection: Connection, script: ScriptDirectory) -> None:
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None:
        return
    try:
        known = script.get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        raise ConfigurationError(
            f"the call store's database is at revision {current}, newer than this sidecar-stt knows "
            f"(its latest is {script.get_current_head()}); upgrade sidecar-stt"
        )


def _migrate(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    sqlite = engine.dialect.name == "sqlite"
    with _sqlite_file_lock(engine) if sqlite else contextlib.nullcontext(), engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or it does nothing
            connection.commit()
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
                _check_known(connection, script)
                config.attributes["connection"] = connection
                getattr(command, action)(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ConfigurationError(f"the migration left {len(broken)} rows without their call")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the latest by default); a database already there is left alone."""
    _migrate(engine, "upgrade", revision)


def downgrade_database(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision``, with the same locking and foreign-key care as the upgrade."""
    _migrate(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
