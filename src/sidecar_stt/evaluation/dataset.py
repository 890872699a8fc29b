"""The evaluation dataset: a JSONL manifest, one recording per line.

::

    {"id": "nb-0001", "audio": "audio/nb-0001.wav", "language": "nb", "channel": 0,
     "reference": "nummeret er nittito trettifire femtiseks syttiåtte",
     "expected": {"phone": "+4792345678"}, "meta": {"style": "pairs", "snr_db": 20}}

``audio`` is relative to the manifest's folder (or absolute); ``channel`` picks the caller in a stereo file;
``reference`` and ``expected`` are optional. Blank lines and lines starting with ``#`` are skipped. Every
error names the manifest and its line number. The format: docs/DATASET.md in the repository.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

from ..core.numerals import normalize_language
from ..errors import ConfigurationError

__all__ = ["ManifestError", "Recording", "load_manifest", "write_manifest"]

_KNOWN_KEYS = frozenset({"id", "audio", "language", "channel", "reference", "expected", "meta"})


class ManifestError(ConfigurationError):
    """A manifest line that cannot be used; ``line`` is 1-based (0 when the file itself is the problem)."""

    def __init__(self, message: str, *, path: Path, line: int) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Recording:
    """One recording of the dataset."""

    id: str
    audio: Path
    """Absolute path of the audio file."""
    language: str = "nb"
    channel: int = 0
    reference: str | None = None
    expected_phone: str | None = None
    """E.164 (``"+4792345678"``), normalised from the manifest's ``expected.phone``."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    line: int = 0
    """Line of the manifest this recording came from."""

    @property
    def expected_digits(self) -> str | None:
        """The national significant number of :attr:`expected_phone` (``"92345678"``)."""
        if self.expected_phone is None:
            return None
        return phonenumbers.national_significant_number(phonenumbers.parse(self.expected_phone, None))

    def to_json(self, *, relative_to: Path | None = None) -> dict[str, Any]:
        """The manifest line of this recording (``audio`` relative to ``relative_to`` when inside it)."""
        audio = self.audio
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                audio = audio.relative_to(relative_to.resolve())
        out: dict[str, Any] = {"id": self.id, "audio": audio.as_posix(), "language": self.language}
        out["channel"] = self.channel
        if self.reference is not None:
            out["reference"] = self.reference
        if self.expected_phone is not None:
            out["expected"] = {"phone": self.expected_phone}
        if self.meta:
            out["meta"] = self.meta
        return out


def _normalize_phone(value: Any, *, region: str, path: Path, line: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ManifestError("expected.phone must be a non-empty string", path=path, line=line)
    text = value.strip()
    try:
        parsed = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as e:
        raise ManifestError(f"expected.phone is not a phone number: {e}", path=path, line=line) from e
    if not phonenumbers.is_valid_number(parsed):
        raise ManifestError("expected.phone is not a valid phone number", path=path, line=line)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _parse_line(data: Any, *, base: Path, path: Path, line: int, region: str, check_audio: bool) -> Recording:
    if not isinstance(data, dict):
        raise ManifestError("each line must be a JSON object", path=path, line=line)
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ManifestError(f"unknown keys {unknown}", path=path, line=line)
    rec_id = data.get("id")
    if not isinstance(rec_id, str) or not rec_id:
        raise ManifestError('"id" must be a non-empty string', path=path, line=line)
    audio_value = data.get("audio")
    if not isinstance(audio_value, str) or not audio_value:
        raise ManifestError('"audio" must be a non-empty string (a path)', path=path, line=line)
    audio = Path(audio_value).expanduser()
    if not audio.is_absolute():
        audio = base / audio
    audio = audio.resolve()
    if check_audio and not audio.is_file():
        raise ManifestError(f"audio file not found: {audio}", path=path, line=line)
    language = data.get("language", "nb")
    if not isinstance(language, str) or not language:
        raise ManifestError('"language" must be a string such as "nb" or "en"', path=path, line=line)
    try:
        normalize_language(language)
    except ValueError as e:
        raise ManifestError(f"unknown language {language!r}", path=path, line=line) from e
    channel = data.get("channel", 0)
    if not isinstance(channel, int) or isinstance(channel, bool) or channel < 0:
        raise ManifestError('"channel" must be an integer >= 0', path=path, line=line)
    reference = data.get("reference")
    if reference is not None and not isinstance(reference, str):
        raise ManifestError('"reference" must be a string', path=path, line=line)
    expected = data.get("expected", {})
    if expected is None:
        expected = {}
    if not isinstance(expected, dict):
        raise ManifestError('"expected" must be an object such as {"phone": "+47..."}', path=path, line=line)
    phone = expected.get("phone")
    expected_phone = None if phone is None else _normalize_phone(phone, region=region, path=path, line=line)
    meta = data.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ManifestError('"meta" must be an object', path=path, line=line)
    return Recording(
        id=rec_id,
        audio=audio,
        language=language,
        channel=channel,
        reference=reference,
        expected_phone=expected_phone,
        meta=meta,
        line=line,
    )


def load_manifest(path: str | Path, *, region: str = "NO", check_audio: bool = True) -> list[Recording]:
    """Read a JSONL manifest; raises :class:`ManifestError` naming the line of the first problem.

    ``region`` is used for expected numbers written without a country code. ``check_audio`` checks that
    every audio file exists (reading it is left to :func:`~sidecar_stt.evaluation.audio.load_audio`).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ManifestError("manifest not found", path=p, line=0) from e
    except (OSError, UnicodeDecodeError) as e:
        raise ManifestError(f"manifest cannot be read: {e}", path=p, line=0) from e
    base = p.resolve().parent
    out: list[Recording] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as e:
            raise ManifestError(f"invalid JSON: {e.msg} (column {e.colno})", path=p, line=number) from e
        rec = _parse_line(data, base=base, path=p, line=number, region=region, check_audio=check_audio)
        if rec.id in seen:
            raise ManifestError(f"duplicate id {rec.id!r} (first on line {seen[rec.id]})", path=p, line=number)
        seen[rec.id] = number
        out.append(rec)
    if not out:
        raise ManifestError("manifest holds no recordings", path=p, line=0)
    return out


def write_manifest(path: str | Path, recordings: Iterable[Recording] | Sequence[Recording]) -> None:
    """Write ``recordings`` as JSONL; audio paths inside the manifest's folder are written relative."""
    p = Path(path)
    base = p.resolve().parent
    lines = [json.dumps(r.to_json(relative_to=base), ensure_ascii=False, sort_keys=False) for r in recordings]
    p.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
