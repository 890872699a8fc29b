"""What one engine made of one recording: its final transcripts with their n-best lists, and timings.

This is the raw material the bake-off caches and scores; scores are computed from it, so changing a metric
never requires running an engine again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["EngineOutput", "FinalTranscript", "TranscribeMode"]

TranscribeMode = Literal["stream", "recognize"]


@dataclass(frozen=True, slots=True)
class FinalTranscript:
    """One final result of an engine: its n-best list as ``(text, confidence)``, best first."""

    alternatives: tuple[tuple[str, float | None], ...]
    start_s: float = 0.0
    end_s: float = 0.0

    @property
    def text(self) -> str:
        """The best hypothesis ("" when the engine heard nothing)."""
        return self.alternatives[0][0] if self.alternatives else ""


@dataclass(frozen=True, slots=True)
class EngineOutput:
    """The result of running ``spec`` over recording ``recording_id`` (audio hash ``audio_sha256``).

    ``time_to_final_s`` is the wall time from the end of speech (as it was fed to a stream) to the last final,
    or the decode time of ``recognize()``; ``processing_s`` is the wall time of the whole run and ``audio_s``
    the audio's length. ``error`` holds ``"ExceptionType: message"`` when the engine failed.

    ``audio_sent_s`` is the audio the run that produced this result passed to the engine, counted in samples:
    the whole clip for ``recognize()``, the frames pushed for a stream (fewer when the engine failed half-way),
    0 when the engine could not be built or the audio not read; ``None`` for a cached result written before it
    was counted. ``cached`` is set when this run read the result from the cache instead of running the engine
    (it is not stored in the cache file).
    """

    spec: str
    recording_id: str
    audio_sha256: str
    mode: TranscribeMode
    finals: tuple[FinalTranscript, ...] = ()
    time_to_final_s: float | None = None
    processing_s: float = 0.0
    audio_s: float = 0.0
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    audio_sent_s: float | None = 0.0
    cached: bool = field(default=False, compare=False)

    @property
    def text(self) -> str:
        """The best transcript of the whole recording (finals joined by a space)."""
        return " ".join(t for t in (f.text for f in self.finals) if t)

    def transcript_s(self, speech_span: tuple[float, float]) -> float:
        """Seconds of transcript this result holds: the summed spans of the finals that hold text, as the engine
        timed them; when the engine gave no times (every such final spans 0 s, as batch engines without word
        times do), ``speech_span`` (the clip's speech, ``(start_s, end_s)``) once if any final holds text."""
        spoken = [f for f in self.finals if f.text.strip()]
        timed = sum(max(0.0, f.end_s - f.start_s) for f in spoken)
        if timed > 0 or not spoken:
            return timed
        return max(0.0, speech_span[1] - speech_span[0])

    def nbest_texts(self) -> list[str]:
        """The best transcript, then each final's further alternatives put in its place, best first."""
        best = [f.text for f in self.finals]
        out = [" ".join(t for t in best if t)]
        for i, final in enumerate(self.finals):
            for text, _conf in final.alternatives[1:]:
                variant = [*best[:i], text, *best[i + 1 :]]
                joined = " ".join(t for t in variant if t)
                if joined not in out:
                    out.append(joined)
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (see :meth:`from_json`)."""
        return {
            "spec": self.spec,
            "recording_id": self.recording_id,
            "audio_sha256": self.audio_sha256,
            "mode": self.mode,
            "finals": [
                {"alternatives": [[t, c] for t, c in f.alternatives], "start_s": f.start_s, "end_s": f.end_s}
                for f in self.finals
            ],
            "time_to_final_s": self.time_to_final_s,
            "processing_s": self.processing_s,
            "audio_s": self.audio_s,
            "error": self.error,
            "extra": self.extra,
            "audio_sent_s": self.audio_sent_s,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EngineOutput:
        """The inverse of :meth:`to_json`; raises ``KeyError``/``TypeError``/``ValueError`` on bad data."""
        mode = data["mode"]
        if mode not in ("stream", "recognize"):
            raise ValueError(f"unknown mode {mode!r}")
        finals = tuple(
            FinalTranscript(
                alternatives=tuple((str(t), None if c is None else float(c)) for t, c in f["alternatives"]),
                start_s=float(f.get("start_s", 0.0)),
                end_s=float(f.get("end_s", 0.0)),
            )
            for f in data["finals"]
        )
        ttf = data.get("time_to_final_s")
        sent = data.get("audio_sent_s")
        return cls(
            spec=str(data["spec"]),
            recording_id=str(data["recording_id"]),
            audio_sha256=str(data["audio_sha256"]),
            mode=mode,
            finals=finals,
            time_to_final_s=None if ttf is None else float(ttf),
            processing_s=float(data.get("processing_s", 0.0)),
            audio_s=float(data.get("audio_s", 0.0)),
            error=None if data.get("error") is None else str(data["error"]),
            extra=dict(data.get("extra") or {}),
            audio_sent_s=None if sent is None else float(sent),
        )
