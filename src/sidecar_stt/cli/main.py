"""The ``sidecar`` command line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sidecar_stt.cli.options import require_extra
from sidecar_stt.errors import SidecarError

# Each module defines ``register(subparsers)`` and sets ``func`` on its parser; imported lazily so that
# ``sidecar extract`` never pays for livekit or Whisper.
_COMMAND_MODULES: tuple[str, ...] = ("extract", "dataset", "eval", "demo", "calls")

EXIT_USAGE = 2
"""A bad option, input or setup: one line on stderr names the cause and the fix."""

_EXTRAS: dict[str, str] = {
    "sqlalchemy": "calls",
    "alembic": "calls",
    "procrastinate": "queue",
    "psycopg": "postgres",
    "faster_whisper": "whisper",
    "matplotlib": "eval",
}
"""A module an extra brings → that extra (``soundfile`` is in two: the command decides, see :func:`_needs`)."""


def _needs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The modules the command about to run cannot do without, each with the extra that brings it."""
    if args.command == "calls":
        needs = [("sqlalchemy", "calls"), ("alembic", "calls"), ("soundfile", "calls")]
        if args.calls_command in ("enqueue", "worker"):
            needs.append(("procrastinate", "queue"))
        return needs
    if args.command == "demo":
        return [("faster_whisper", "whisper")]  # its sidecar is the local Whisper; [calls] only adds the recording
    return []  # eval and dataset check their own (their extras depend on the options)


def _check_extras(args: argparse.Namespace) -> None:
    command = f"sidecar {args.command}"
    if args.command == "calls":
        command += f" {args.calls_command}"
    for module, extra in _needs(args):
        require_extra(module, extra=extra, what=command)


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


def _warn_of_language_mismatch(args: argparse.Namespace) -> None:
    """``calls reprocess``/``enqueue``: a warning per call whose language the engine does not transcribe."""
    if args.command != "calls" or args.calls_command not in ("reprocess", "enqueue"):
        return
    from sidecar_stt.calls import CallStore
    from sidecar_stt.cli.language import language_mismatch

    ids = [args.call_id] if args.calls_command == "reprocess" else list(args.call_ids)
    with CallStore(args.db, root=args.root) as store:
        for call_id in ids:
            stored = store.get(call_id)
            if stored is None:
                continue  # the command itself says it is not found
            warning = language_mismatch(stored.record.language, args.engine)
            if warning is not None:
                print(f"sidecar calls: warning: {call_id}: {warning}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``sidecar`` command; a missing extra, or a :class:`SidecarError` it raises, becomes one line and exit
    code 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_extras(args)
        _warn_of_language_mismatch(args)
        code: int = args.func(args)
    except SidecarError as e:
        print(f"sidecar {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ModuleNotFoundError as e:  # a module of an extra imported deeper than the checks above look
        extra = _EXTRAS.get((e.name or "").partition(".")[0])
        if extra is None:
            raise
        print(
            f"sidecar {args.command}: error: it needs {e.name}, which the {extra} extra brings: "
            f'pip install "sidecar-stt[{extra}]"',
            file=sys.stderr,
        )
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
