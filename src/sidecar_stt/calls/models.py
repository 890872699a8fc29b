"""The call store's tables (SQLAlchemy 2 declarative). The schema is created and changed only by the Alembic
migrations in ``migrations/``; these classes must match the latest migration (a test checks it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "CallRow", "ReprocessRow"]


class Base(DeclarativeBase):
    pass


class CallRow(Base):
    """One recorded call: its summary columns and the whole record as JSON."""

    __tablename__ = "calls"

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[float] = mapped_column(Float, index=True)
    ended_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    audio_s: Mapped[float] = mapped_column(Float, default=0.0)
    folder: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(8))
    engines: Mapped[list[str]] = mapped_column(JSON)
    complete: Mapped[bool] = mapped_column(Boolean)
    live_outcome: Mapped[str] = mapped_column(String(16))
    live_e164: Mapped[str | None] = mapped_column(String(32), nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    review_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    audio_sent_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    """Audio-seconds sent to the live sidecar engines, all together (per engine: ``record["costs"]``)."""
    transcript_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    """Seconds of transcript the live sidecar engines kept, all together."""


class ReprocessRow(Base):
    """One post-call transcription of a call with one engine spec; rerunning the same job replaces it."""

    __tablename__ = "reprocess_runs"
    __table_args__ = (UniqueConstraint("call_id", "engine_spec", "mode", name="uq_reprocess_call_spec_mode"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(String(64), ForeignKey("calls.call_id", ondelete="CASCADE"), index=True)
    engine_spec: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    processing_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    segments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    numbers: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    found_e164: Mapped[str | None] = mapped_column(String(32), nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
    differing_groups: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    audio_sent_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    """Audio-seconds the run sent to its engine (also for a run that failed half-way)."""
    transcript_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    """Seconds of transcript the run stored (the spans of its segments)."""
