"""Alembic migrations of the call store (applied by :func:`sidecar_stt.calls.migrate.upgrade_database`)."""
