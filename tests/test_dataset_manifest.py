"""The JSONL manifest and audio loading of the evaluation dataset."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from sidecar_stt.errors import AudioError, ConfigurationError
from sidecar_stt.evaluation.audio import file_sha256, load_audio
from sidecar_stt.evaluation.dataset import ManifestError, Recording, load_manifest, write_manifest

pytestmark = pytest.mark.unit


def _wav(path: Path, *, channels: int = 1, seconds: float = 0.2, rate: int = 16000) -> Path:
    n = int(seconds * rate)
    data = np.stack([np.full(n, 1000 * (c + 1), dtype=np.int16) for c in range(channels)], axis=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), data, rate, subtype="PCM_16")
    return path


def _manifest(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "manifest.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_loads_relative_paths_defaults_and_normalises_phone(tmp_path: Path) -> None:
    _wav(tmp_path / "audio" / "a.wav")
    _wav(tmp_path / "audio" / "b.wav", channels=2)
    p = _manifest(
        tmp_path,
        [
            "# a comment",
            json.dumps({"id": "a", "audio": "audio/a.wav", "expected": {"phone": "92 34 56 78"}}),
            "",
            json.dumps(
                {
                    "id": "b",
                    "audio": str((tmp_path / "audio" / "b.wav").resolve()),
                    "language": "en",
                    "channel": 1,
                    "reference": "nine two",
                    "meta": {"style": "pairs"},
                }
            ),
        ],
    )
    a, b = load_manifest(p)
    assert a.audio == (tmp_path / "audio" / "a.wav").resolve()
    assert (a.language, a.channel, a.reference, a.line) == ("nb", 0, None, 2)
    assert a.expected_phone == "+4792345678"
    assert a.expected_digits == "92345678"
    assert (b.language, b.channel, b.reference, b.expected_phone, b.line) == ("en", 1, "nine two", None, 4)
    assert b.meta == {"style": "pairs"}


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ('{"id": "a", "audio": "missing.wav"}', "audio file not found"),
        ('{"id": "a", "audio": "x.wav",', "invalid JSON"),
        ('["a"]', "JSON object"),
        ('{"audio": "x.wav"}', '"id"'),
        ('{"id": "a", "audio": "x.wav", "channel": -1}', '"channel"'),
        ('{"id": "a", "audio": "x.wav", "expected": {"phone": "12"}}', "expected.phone"),
        ('{"id": "a", "audio": "x.wav", "colour": "red"}', "unknown keys"),
        ('{"id": "a", "audio": "x.wav", "meta": []}', '"meta"'),
        ('{"id": "a", "audio": "x.wav", "language": "klingon"}', "unknown language"),
    ],
)
def test_bad_lines_name_the_line(tmp_path: Path, line: str, needle: str) -> None:
    _wav(tmp_path / "x.wav")
    good = json.dumps({"id": "ok", "audio": "x.wav"})
    p = _manifest(tmp_path, [good, good.replace('"ok"', '"ok2"'), line])
    with pytest.raises(ManifestError) as info:
        load_manifest(p)
    assert info.value.line == 3
    assert f"{p}:3" in str(info.value)
    assert needle in str(info.value)
    assert isinstance(info.value, ConfigurationError)


def test_duplicate_ids_and_empty_or_missing_manifest(tmp_path: Path) -> None:
    _wav(tmp_path / "x.wav")
    line = json.dumps({"id": "a", "audio": "x.wav"})
    with pytest.raises(ManifestError, match="duplicate id 'a' \\(first on line 1\\)"):
        load_manifest(_manifest(tmp_path, [line, line]))
    with pytest.raises(ManifestError, match="no recordings"):
        load_manifest(_manifest(tmp_path, ["# nothing"]))
    with pytest.raises(ManifestError, match="not found"):
        load_manifest(tmp_path / "nope.jsonl")


def test_write_then_load_round_trips(tmp_path: Path) -> None:
    audio = _wav(tmp_path / "audio" / "r.wav").resolve()
    rec = Recording(
        id="r", audio=audio, language="nb", reference="ni to", expected_phone="+4792345678", meta={"snr_db": 10.0}
    )
    write_manifest(tmp_path / "manifest.jsonl", [rec])
    line = json.loads((tmp_path / "manifest.jsonl").read_text(encoding="utf-8"))
    assert line["audio"] == "audio/r.wav"
    (back,) = load_manifest(tmp_path / "manifest.jsonl")
    assert (back.id, back.audio, back.reference, back.expected_phone, back.meta) == (
        "r",
        audio,
        "ni to",
        "+4792345678",
        {"snr_db": 10.0},
    )


def test_load_audio_picks_the_channel_and_reports_shape(tmp_path: Path) -> None:
    path = _wav(tmp_path / "st.wav", channels=2, seconds=0.5, rate=8000)
    left, right = load_audio(path, channel=0), load_audio(path, channel=1)
    assert (left.sample_rate, left.channels, len(left.samples)) == (8000, 2, 4000)
    assert left.duration_s == pytest.approx(0.5)
    assert int(left.samples[10]) == 1000 and int(right.samples[10]) == 2000
    with pytest.raises(AudioError, match="channel 2 does not exist"):
        load_audio(path, channel=2)


@pytest.mark.parametrize(
    ("fmt", "subtype", "suffix"),
    [("FLAC", "PCM_16", ".flac"), ("OGG", "VORBIS", ".ogg"), ("MP3", "MPEG_LAYER_III", ".mp3")],
)
def test_load_audio_reads_flac_ogg_and_mp3(tmp_path: Path, fmt: str, subtype: str, suffix: str) -> None:
    t = np.arange(16000) / 16000
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    path = tmp_path / f"tone{suffix}"
    soundfile.write(str(path), tone, 16000, format=fmt, subtype=subtype)
    got = load_audio(path)
    assert got.sample_rate == 16000
    assert abs(len(got.samples) - 16000) < 2000
    assert 4000 < int(np.abs(got.samples.astype(np.int32)).max()) < 12000


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
def test_load_audio_falls_back_to_sox_for_formats_soundfile_lacks(tmp_path: Path) -> None:
    src = _wav(tmp_path / "src.wav", seconds=0.25)
    smp = tmp_path / "clip.smp"  # SampleVision: sox writes it, libsndfile cannot read it
    subprocess.run(["sox", str(src), str(smp)], check=True, capture_output=True)
    with pytest.raises(soundfile.LibsndfileError):
        soundfile.read(str(smp))
    got = load_audio(smp)
    assert got.sample_rate == 16000 and len(got.samples) == 4000


def test_load_audio_errors(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="not found"):
        load_audio(tmp_path / "none.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(AudioError, match="cannot decode"):
        load_audio(junk)


def test_file_sha256_changes_with_content(tmp_path: Path) -> None:
    a = _wav(tmp_path / "a.wav")
    h1 = file_sha256(a)
    assert len(h1) == 64 and h1 == file_sha256(a)
    _wav(a, seconds=0.3)
    assert file_sha256(a) != h1
