"""Alembic environment of the call store: runs on the connection the caller passes in ``config.attributes``, or
on ``sqlalchemy.url`` (``alembic -c`` with a config of one's own)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sidecar_stt.calls.models import Base


def _run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None and connection.dialect.name == "sqlite":
        # a batch migration drops and rebuilds a table: with foreign keys on, that cascades to its children
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes['connection']")
    engine = create_engine(url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


_run()
