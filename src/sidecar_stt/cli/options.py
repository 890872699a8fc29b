"""What the ``sidecar`` subcommands share: checked option types, the extras they need, a writable output folder.

Every problem is raised as one :class:`~sidecar_stt.errors.ConfigurationError` line naming the cause and the fix;
:func:`sidecar_stt.cli.main.main` prints it as ``sidecar COMMAND: error: …`` and exits with code 2.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigurationError

__all__ = ["at_least", "require_extra", "writable_dir"]


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer not below ``minimum`` (``--jobs 0`` is refused with the range it needs)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from e
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = f"integer ≥ {minimum}"
    return parse


def require_extra(module: str, *, extra: str, what: str) -> None:
    """Raise one line naming the pip extra when ``module`` does not import.

    ``what`` names the command or option that needs it, e.g. ``"sidecar eval"``.
    """
    try:
        importlib.import_module(module)
    except (ImportError, OSError) as e:  # soundfile raises OSError when libsndfile is missing
        raise ConfigurationError(
            f'{what} needs {module}, which the {extra} extra brings: pip install "sidecar-stt[{extra}]"'
        ) from e


def writable_dir(path: str | Path, *, option: str = "--out") -> Path:
    """Create ``path`` if needed and check that files can be written in it; return it.

    Raises one line naming the folder and the OS reason (a file in the way, no permission, a read-only disk).
    """
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise ConfigurationError(f"cannot write to {option} {folder}: {reason}; choose another folder") from e
    return folder
