"""sidecar demo: an offline simulated phone call through the real stack, end to end.

examples:
    $ sidecar demo                        # Norwegian, caller audio in real time (~20 s)
    $ sidecar demo --speed max            # as fast as the machine goes
    $ sidecar demo --language en          # English, the real local Whisper tiny.en as the only sidecar
    $ sidecar demo --json                 # one JSON document instead of the timeline
    $ sidecar demo --number +4741234567   # another Norwegian 8-digit number
    $ sidecar demo --calls-dir calls      # keep the recorded call there (default: a new temporary folder)

A real LiveKit AgentSession runs the real OpenAI RealtimeModel client against a scripted fake realtime server
on 127.0.0.1; the caller is synthetic espeak-ng speech that answers what the agent reads back. In Norwegian the
sidecar runs a scripted stand-in for Azure Speech nb-NO and the real local Whisper base; in English only the
real local Whisper tiny.en. No network, no keys. The timeline goes to stdout, progress to stderr.

The call is recorded; after it, the recording is transcribed again with the local Whisper at beam 5 and
reconciled with the number the live capture confirmed (--no-post-call skips that), and the call's timeline
page (call.html in the recording folder: waveform, transcripts side by side, tool calls, marks) is written.

Exit code 0 when the number the caller confirmed is the number they spoke, 1 otherwise (the reason is
printed), 2 on a bad option or without the whisper extra (pip install "sidecar-stt[whisper]"). The timeline
and the JSON document are described in
https://github.com/sidecar-stt/sidecar-stt/blob/main/docs/DEMO.md
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sidecar_stt.errors import SidecarError

if TYPE_CHECKING:
    from sidecar_stt.calls import ReprocessResult

__all__ = ["configure_logging", "parse_speed", "register", "run_demo_command"]

EXIT_FAILED = 1
EXIT_USAGE = 2

_NOISY_LOGGERS = ("livekit", "livekit.agents", "livekit.plugins", "aiohttp", "asyncio", "faster_whisper", "websockets")


def parse_speed(value: str) -> float | None:
    """``--speed``: ``max`` (``None``: no pacing) or a positive factor of real time."""
    if value.strip().lower() == "max":
        return None
    try:
        speed = float(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected 'max' or a positive number, got {value!r}") from e
    if not speed > 0:
        raise argparse.ArgumentTypeError(f"expected 'max' or a positive number, got {value!r}")
    return speed


def register(subparsers: Any) -> None:
    """Add ``demo`` to the ``sidecar`` command."""
    p = subparsers.add_parser(
        "demo",
        help="an offline simulated Norwegian call through the real stack, shown as a timeline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--language", choices=("nb", "en"), default="nb", help="call language (nb)")
    p.add_argument(
        "--speed",
        type=parse_speed,
        default=1.0,
        metavar="max|FACTOR",
        help="pace of the caller's audio: 1.0 = real time (default), 2 = twice as fast, max = no pacing",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document instead of the timeline")
    p.add_argument("--number", default=None, help="the caller's Norwegian number (+4792345678)")
    p.add_argument("--verbose", action="store_true", help="show the libraries' log messages on stderr")
    p.add_argument("--calls-dir", default=None, help="folder for the recorded call (default: a new temp folder)")
    p.add_argument("--no-post-call", action="store_true", help="skip the post-call re-transcription")
    p.set_defaults(func=run_demo_command)


def configure_logging(*, verbose: bool = False, stream: TextIO | None = None) -> None:
    """Warnings (and, with ``verbose``, everything) to stderr; LiveKit, aiohttp and Whisper kept quiet."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("sidecar demo: %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.ERROR)
    logging.captureWarnings(True)


def run_demo_command(
    args: argparse.Namespace,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the demo call and print its timeline (or JSON); the exit code says whether the right number won."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    configure_logging(verbose=bool(args.verbose), stream=err)

    from rich.console import Console

    from sidecar_stt.demo import (
        DEFAULT_NUMBER,
        DemoOptions,
        DemoRecord,
        parse_demo_number,
        render_timeline,
        run_demo,
    )

    status = Console(file=err, highlight=False, soft_wrap=True)
    try:
        number = parse_demo_number(args.number or DEFAULT_NUMBER)
    except SidecarError as e:
        print(f"sidecar demo: error: {e}", file=err)
        return EXIT_USAGE
    # the recording, the post-call check and the call's page need the calls extra; without it the call still runs
    after_the_call = all(importlib.util.find_spec(m) is not None for m in ("sqlalchemy", "alembic", "soundfile"))
    if not after_the_call:
        print(
            "sidecar demo: the call is not recorded (no post-call check, no page): "
            "pip install 'sidecar-stt[calls]' adds them",
            file=err,
        )
    calls_dir: Path | None = None
    if after_the_call:
        calls_dir = Path(args.calls_dir) if args.calls_dir else Path(tempfile.mkdtemp(prefix="sidecar-demo-calls-"))
    options = DemoOptions(language=args.language, number=number, speed=args.speed, calls_dir=calls_dir)

    def progress(message: str) -> None:
        status.print(f"[dim]· {message}[/dim]")

    async def call_then_post_call() -> tuple[DemoRecord, ReprocessResult | None]:
        record = await run_demo(options, progress=progress)
        if record.call_id is None or calls_dir is None:
            return record, None
        from sidecar_stt.demo.post_call import reprocess_demo_call, write_demo_page

        post_call = None
        if not args.no_post_call:
            progress("after the call: transcribing the recording again with the local Whisper (beam 5)")
            post_call = await reprocess_demo_call(record, calls_dir)
        await asyncio.to_thread(write_demo_page, record, calls_dir)
        progress(f"the call's page: {record.page}")
        return record, post_call

    try:
        record, post_call = asyncio.run(call_then_post_call())
    except SidecarError as e:
        print(f"sidecar demo: failed: {e}", file=err)
        return EXIT_FAILED
    if args.json:
        out.write(json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n")
        out.flush()
    else:
        render_timeline(record, Console(file=out, highlight=False))
        if post_call is not None:
            from sidecar_stt.calls.show import render_reconciliation

            print("\nafter the call", file=out)
            render_reconciliation(post_call, out)
            print(
                "  (took: wall time of the post-call run on this machine: reading the recording, loading Whisper "
                "base and the voice activity detector, transcribing each speech segment at beam 5)",
                file=out,
            )
            print(f"  the recorded call: sidecar calls --root {calls_dir} show {record.call_id}", file=out)
        if record.page is not None:
            print(f"\nthe call's page (open it in a browser): {record.page}", file=out)
    reason = record.failure_reason()
    if reason is not None:
        print(f"sidecar demo: the demo failed: {reason}", file=err)
        return EXIT_FAILED
    return 0
