"""A bake-off dataset from one's own calls: each confirmed number's audio with the number as its label.

Writes ``OUT/manifest.jsonl`` in the format ``sidecar eval`` reads (``docs/DATASET.md``) and one WAV per call
under ``OUT/audio/``: the caller audio of the turn the confirmed number was proposed from (the caller saying
it), labelled with the number the caller confirmed — a ground truth the caller gave for free.
Each line's ``meta`` also carries what the whole call cost live (``call_audio_s``, ``live_audio_sent_s``,
``live_transcript_s``; ``None`` when not known), to set beside what the bake-off sends for the clip.
"""

from __future__ import annotations

from pathlib import Path

from ..evaluation.dataset import Recording, write_manifest
from ..log import logger
from .store import CallStore

__all__ = ["export_dataset"]


def _cut(source: Path, target: Path, start_s: float, end_s: float) -> float:
    import soundfile

    info = soundfile.info(str(source))
    rate = int(info.samplerate)
    data, _ = soundfile.read(str(source), start=int(start_s * rate), stop=int(end_s * rate), dtype="int16")
    soundfile.write(str(target), data, rate, subtype="PCM_16")
    return len(data) / rate


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def export_dataset(store: CallStore, out: str | Path, *, confirmed_only: bool = True) -> list[Recording]:
    """Write the dataset; returns its recordings. Without ``confirmed_only``, calls without a confirmed number
    are exported too, as whole recordings with no expected number (for transcripts and WER)."""
    folder = Path(out)
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    recordings: list[Recording] = []
    for summary in reversed(store.list_calls()):
        stored = store.get(summary.call_id)
        if stored is None or not stored.audio_path.is_file():
            continue
        record = stored.record
        confirmed_span = record.confirmed_span()
        expected = record.confirmed_e164 if confirmed_span is not None else None
        if confirmed_span is None and confirmed_only:
            continue
        span = confirmed_span or (0.0, record.audio_s)
        target = folder / "audio" / f"{record.call_id}.wav"
        duration_s = _cut(stored.audio_path, target, *span)
        recordings.append(
            Recording(
                id=record.call_id,
                audio=target.resolve(),
                language=record.language,
                expected_phone=expected,
                meta={
                    "call_id": record.call_id,
                    "start_s": round(span[0], 3),
                    "end_s": round(span[1], 3),
                    "duration_s": round(duration_s, 3),
                    "label": "confirmed" if expected else None,
                    "call_audio_s": round(record.audio_s, 3),
                    "live_audio_sent_s": _round(record.audio_sent_s),
                    "live_transcript_s": _round(record.transcript_s),
                },
            )
        )
    if recordings:
        write_manifest(folder / "manifest.jsonl", recordings)
    logger.info("dataset exported", extra={"recordings": len(recordings)})
    return recordings
