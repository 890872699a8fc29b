"""Cost and data figures: audio-seconds sent to the engines and seconds of transcript, per call and per run.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = ("calls", "reprocess_runs")
_COLUMNS = ("audio_sent_s", "transcript_s")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _COLUMNS:
                batch.add_column(sa.Column(column, sa.Float(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _COLUMNS:
                batch.drop_column(column)
