"""A bake-off dataset from one's own calls: each confirmed number's audio with the number as its label.

Writes ``OUT/manifest.jsonl`` in the format ``sidecar eval`` reads (``docs/DATASET.md``) and one WAV per call
under ``OUT/audio/``: the caller audio of the turn the confirmed number was proposed from (the caller saying
it), labelled with the number the caller confirmed — a ground truth the caller gave for free.
Each line's ``meta`` also carries what the whole call cost live (``call_audio_s``, ``live_audio_sent_s``,
``live_transcript_s``; ``None`` when not known), to set beside what the bake-off sends for the clip.

A folder that already holds anything is refused (``force=True`` writes into it, replacing the manifest). The
manifest is always written, also with no recording in it. Each clip is noted in its call's index of written files
(:mod:`.written`), so deleting the call removes the clip and its manifest line too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigurationError
from ..evaluation.dataset import Recording, write_manifest
from ..log import logger
from ..recording.call_id import check_call_id
from .store import CallStore
from .written import note_written

__all__ = ["ExportResult", "export_calls", "export_dataset"]


def _cut(source: Path, target: Path, start_s: float, end_s: float) -> float:
    import soundfile

    info = soundfile.info(str(source))
    rate = int(info.samplerate)
    data, _ = soundfile.read(str(source), start=int(start_s * rate), stop=int(end_s * rate), dtype="int16")
    soundfile.write(str(target), data, rate, subtype="PCM_16")
    return len(data) / rate


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True, slots=True)
class ExportResult:
    recordings: list[Recording]
    manifest: Path
    no_audio: list[str] = field(default_factory=list)
    """Calls left out because their recording has no audio file."""


def export_dataset(
    store: CallStore, out: str | Path, *, confirmed_only: bool = True, force: bool = False
) -> list[Recording]:
    """Write the dataset; returns its recordings (see :func:`export_calls` for the calls left out)."""
    return export_calls(store, out, confirmed_only=confirmed_only, force=force).recordings


def export_calls(
    store: CallStore, out: str | Path, *, confirmed_only: bool = True, force: bool = False
) -> ExportResult:
    """Write the dataset. Without ``confirmed_only``, calls without a confirmed number are exported too, as
    whole recordings with no expected number (for transcripts and WER). ``ConfigurationError`` (one line) for a
    folder that is not empty, unless ``force``."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(f"{folder} is a file, not a folder for the dataset")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ConfigurationError(f"{folder} is not empty; choose an empty folder, or add --force to write into it")
    (folder / "audio").mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.jsonl"
    recordings: list[Recording] = []
    no_audio: list[str] = []
    for summary in reversed(store.list_calls()):
        stored = store.get(summary.call_id)
        if stored is None:
            continue
        record = stored.record
        confirmed_span = record.confirmed_span()
        expected = record.confirmed_e164 if confirmed_span is not None else None
        if confirmed_span is None and confirmed_only:
            continue
        if not stored.audio_path.is_file():
            no_audio.append(summary.call_id)
            continue
        span = confirmed_span or (0.0, record.audio_s)
        target = folder / "audio" / f"{check_call_id(record.call_id)}.wav"
        duration_s = _cut(stored.audio_path, target, *span)
        note_written(stored.folder, store.root, target, "clip", manifest=manifest)
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
    write_manifest(manifest, recordings)
    logger.info("dataset exported", extra={"recordings": len(recordings), "no_audio": len(no_audio)})
    return ExportResult(recordings, manifest, no_audio)
