"""The ``sidecar`` command line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sidecar_stt.errors import SidecarError

# Each module defines ``register(subparsers)`` and sets ``func`` on its parser; imported lazily so that
# ``sidecar extract`` never pays for livekit or Whisper.
_COMMAND_MODULES: tuple[str, ...] = ("extract", "dataset", "eval", "demo", "calls")

EXIT_USAGE = 2
"""A bad option, input or setup: one line on stderr names the cause and the fix."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sidecar",
        description="Sidecar: an accurate STT beside a realtime speech-to-speech model. Parse phone numbers from "
        "transcripts, run the STT bake-off, watch an offline call end to end (sidecar demo), or check recorded calls "
        "after the fact (sidecar calls).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(f"sidecar_stt.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``sidecar`` command; a :class:`SidecarError` it raises becomes one line and exit code 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except SidecarError as e:
        print(f"sidecar {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
