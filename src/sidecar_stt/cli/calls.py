"""sidecar calls: recorded calls after the fact.

    $ sidecar calls list [--needs-review]
    $ sidecar calls show CALL_ID [--json | --redact]
    $ sidecar calls view CALL_ID [--out FILE.html] [--redact] [--audio-beside] [--serve]
    $ sidecar calls reprocess CALL_ID --engine "whisper:base?language=no&beam=5" [--mode vad|whole]
    $ sidecar calls export-dataset --confirmed-only OUT [--force]
    $ sidecar calls delete CALL_ID
    $ sidecar calls purge --retention-days 30
    $ sidecar calls import                       # calls under --root the store does not hold yet
    $ sidecar calls migrate                      # apply the store's migrations (also done on every open)
    $ sidecar calls enqueue CALL_ID... --engine SPEC   # on the job queue (PostgreSQL store)
    $ sidecar calls worker [--concurrency N] [--until-empty]

--root is the folder of the recordings ($SIDECAR_CALLS_DIR, default calls); --db the store's SQLAlchemy URL
($SIDECAR_CALLS_DB, default SQLite ROOT/calls.db; PostgreSQL: postgresql+psycopg://user@host/db). Every path
is resolved under --root: a moved or copied calls folder works where it lies. A call id is 1-64 of A-Z a-z 0-9
. _ - (starting with a letter or digit). The output holds personal data (numbers, transcripts) unless --redact;
control and escape sequences in it are removed. --serve serves the page alone (and its audio copy when the page
is not redacted) on 127.0.0.1, to loopback host names only.
Exit codes: 0 done, 1 not found or failed (or done in part: what was not is named), 2 bad usage or a missing
extra (calls; queue for enqueue and worker).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import sys
import threading
from typing import Any, TextIO

from sidecar_stt.calls.terminal import TerminalWriter
from sidecar_stt.errors import ConfigurationError, SidecarError

__all__ = ["register", "run_calls_command"]

EXIT_FAILED = 1
EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    """Add ``calls`` to the ``sidecar`` command."""
    calls = subparsers.add_parser(
        "calls",
        help="recorded calls: list, show, reprocess and reconcile, export a dataset, retention",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    calls.add_argument("--root", default=os.environ.get("SIDECAR_CALLS_DIR", "calls"), help="recordings folder")
    calls.add_argument("--db", default=os.environ.get("SIDECAR_CALLS_DB"), help="store URL (SQLite under --root)")
    actions = calls.add_subparsers(dest="calls_command", required=True, metavar="ACTION")

    p = actions.add_parser(
        "list",
        help="calls, newest first",
        description="List the stored calls, newest first: id, start, length, live outcome, review flag.",
    )
    p.add_argument("--needs-review", action="store_true", help="only calls a post-call run flagged")
    p = actions.add_parser(
        "show",
        help="one call: turns, transcripts, tool calls, capture events, post-call runs",
        description="Print one call: its turns, transcripts, tool calls, capture events and post-call runs.",
    )
    p.add_argument("call_id", help="the call's id, as sidecar calls list shows it")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="the stored record and runs as JSON")
    shown.add_argument("--redact", action="store_true", help="mask numbers, transcripts, tool data and errors")
    p = actions.add_parser(
        "view",
        help="one call's timeline page: a self-contained HTML file to open in a browser",
        description=(
            "Write one call's timeline page (waveform with turn spans, transcripts side by side, tool calls, capture "
            "marks): a self-contained HTML file to open in a browser."
        ),
    )
    p.add_argument("call_id", help="the call's id, as sidecar calls list shows it")
    p.add_argument("--out", default=None, help="the page's path (default: call.html in the call's folder)")
    p.add_argument("--redact", action="store_true", help="mask numbers, transcripts and errors, leave the audio out")
    p.add_argument("--audio-beside", action="store_true", help="the audio as a WAV next to the page, not inline")
    p.add_argument("--serve", action="store_true", help="serve the page on 127.0.0.1 until Ctrl-C")
    p.add_argument("--port", type=int, default=0, help="port for --serve (default: any free one)")
    p = actions.add_parser(
        "reprocess",
        help="transcribe a call again and reconcile it with the live capture",
        description=(
            "Transcribe a recorded call again with another engine and reconcile the number it finds with the number "
            "the live capture confirmed; the run is stored with the call."
        ),
    )
    p.add_argument("call_id", help="the call's id, as sidecar calls list shows it")
    p.add_argument("--engine", required=True, help='engine spec, e.g. "whisper:base?language=no&beam=5"')
    p.add_argument("--mode", choices=("vad", "whole"), default="vad", help="VAD segments (default) or whole file")
    p = actions.add_parser(
        "export-dataset",
        help="a bake-off manifest of confirmed numbers (sidecar eval)",
        description=(
            "Write the stored calls as a bake-off dataset (OUT/manifest.jsonl and the audio) for sidecar eval, the "
            "confirmed numbers as labels."
        ),
    )
    p.add_argument("out", help="the dataset's folder (created if needed)")
    p.add_argument("--confirmed-only", action="store_true", help="only calls with a confirmed number")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    p = actions.add_parser(
        "delete",
        help="delete a call's recording and rows",
        description=(
            "Delete one call: its recording folder, its rows in the store, and the pages, audio copies and exported "
            "clips written for it."
        ),
    )
    p.add_argument("call_id", help="the call's id, as sidecar calls list shows it")
    p = actions.add_parser(
        "purge",
        help="delete calls older than the retention period",
        description="Delete every call that started longer ago than the retention period: recordings and rows.",
    )
    p.add_argument(
        "--retention-days",
        type=_retention_days,
        required=True,
        help="keep calls younger than this many days (≥ 1)",
    )
    actions.add_parser(
        "import",
        help="store the recorded calls under --root that the store does not hold",
        description=(
            "Add to the store the recorded calls under --root it does not hold yet (say, calls recorded while the "
            "store could not be written)."
        ),
    )
    actions.add_parser(
        "migrate",
        help="apply the store's database migrations",
        description="Apply the store's Alembic migrations and print the revision (opening the store does it too).",
    )
    p = actions.add_parser(
        "enqueue",
        help="queue reprocess jobs (procrastinate on the store's PostgreSQL)",
        description=(
            "Queue a reprocess job per call on procrastinate, in the store's PostgreSQL database (--db); sidecar calls "
            "worker runs them."
        ),
    )
    p.add_argument("call_ids", nargs="+", help="the ids of the calls to reprocess")
    p.add_argument("--engine", required=True, help='engine spec, e.g. "whisper:base?language=no&beam=5"')
    p.add_argument("--mode", choices=("vad", "whole"), default="vad", help="VAD segments (default) or whole file")
    p = actions.add_parser(
        "worker",
        help="run queued reprocess jobs",
        description="Run the reprocess jobs queued on the store's PostgreSQL database (--db).",
    )
    p.add_argument("--concurrency", type=int, default=1, help="jobs at a time (1)")
    p.add_argument("--until-empty", action="store_true", help="stop when the queue is empty")
    calls.set_defaults(func=run_calls_command)


def _retention_days(text: str) -> float:
    try:
        days = float(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r}") from e
    if not days >= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"retention must be at least 1 day, not {text}")
    return days


def _when(ts: float) -> str:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def run_calls_command(args: argparse.Namespace, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    from sidecar_stt.calls.store import CallDeleteError

    out = TerminalWriter(stdout if stdout is not None else sys.stdout)
    err = TerminalWriter(stderr if stderr is not None else sys.stderr)
    try:
        return _dispatch(args, out, err)
    except KeyError as e:
        print(f"sidecar calls: not found: {e.args[0] if e.args else e}", file=err)
        return EXIT_FAILED
    except CallDeleteError as e:
        for path, reason in e.left:
            print(f"sidecar calls: could not remove {path}: {reason}", file=err)
        print(f"sidecar calls: error: {e}", file=err)
        return EXIT_FAILED
    except SidecarError as e:
        print(f"sidecar calls: error: {e}", file=err)
        return EXIT_USAGE
    except _DATABASE_ERRORS as e:
        print(f"sidecar calls: error: the store refused it: {_first_line(e)}", file=err)
        return EXIT_FAILED


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None)  # a SQLAlchemy error: the driver's own message
    text = str(orig if orig is not None else error).strip()
    return (text.splitlines() or [type(error).__name__])[0][:300]


class _NoDatabase(Exception):
    pass


def _database_errors() -> tuple[type[BaseException], ...]:
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover - without the calls extra there is no store either
        return (_NoDatabase,)
    return (SQLAlchemyError,)


_DATABASE_ERRORS = _database_errors()


def _call_id(value: str) -> str:
    from sidecar_stt.recording.call_id import check_call_id

    return check_call_id(value)


def _dispatch(args: argparse.Namespace, out: TerminalWriter, err: TerminalWriter) -> int:
    from sidecar_stt.calls import CallStore

    command = args.calls_command
    for call_id in [getattr(args, "call_id", None), *(getattr(args, "call_ids", None) or [])]:
        if call_id is not None:
            _call_id(call_id)
    if command in ("enqueue", "worker"):
        return _queue_command(args, out)
    with CallStore(args.db, root=args.root) as store:
        if command == "list":
            _print_list(store, out, needs_review=args.needs_review)
        elif command == "show":
            stored = store.get(args.call_id)
            if stored is None:
                raise KeyError(args.call_id)
            if args.json:
                runs = [_run_json(r) for r in stored.runs]
                out.json = True
                out.write(json.dumps({"record": stored.record.to_json(), "runs": runs}, ensure_ascii=False, indent=2))
                out.json = False
                out.write("\n")
            else:
                from sidecar_stt.calls.show import render_call

                render_call(stored, out, redact=args.redact)
        elif command == "view":
            _view(store, args, out)
        elif command == "reprocess":
            from sidecar_stt.calls import reprocess_call

            result = asyncio.run(reprocess_call(store, args.call_id, args.engine, mode=args.mode))
            from sidecar_stt.calls.show import render_reconciliation

            render_reconciliation(result, out)
        elif command == "export-dataset":
            return _export(store, args, out, err)
        elif command == "delete":
            if not store.delete_call(args.call_id):
                raise KeyError(args.call_id)
            print(f"deleted {args.call_id}", file=out)
        elif command == "purge":
            from sidecar_stt.calls.store import CallDeleteError

            try:
                deleted = store.purge(retention_s=args.retention_days * 86400)
            except CallDeleteError as e:
                print(f"deleted {_calls(len(e.deleted))} older than {args.retention_days:g} days", file=out)
                raise
            print(f"deleted {_calls(len(deleted))} older than {args.retention_days:g} days", file=out)
        elif command == "import":
            return _import(store, out, err)
        elif command == "migrate":
            from sidecar_stt.calls.migrate import current_revision

            print(f"database at revision {current_revision(store.engine)}", file=out)
    return 0


def _import(store: Any, out: TerminalWriter, err: TerminalWriter) -> int:
    result = store.import_calls()
    print(f"stored {_calls(len(result.added))}", file=out)
    for name, reason in result.refused:
        print(f"sidecar calls: {name} not stored: {reason}", file=err)
    for call_id, lines in result.skipped.items():
        for line in lines:
            print(f"sidecar calls: {call_id}: {line} skipped", file=err)
    return EXIT_FAILED if result.refused or result.skipped else 0


def _export(store: Any, args: argparse.Namespace, out: TerminalWriter, err: TerminalWriter) -> int:
    from sidecar_stt.calls.export import export_calls

    result = export_calls(store, args.out, confirmed_only=args.confirmed_only, force=args.force)
    count = len(result.recordings)
    print(f"{count} recording{'' if count == 1 else 's'} written to {result.manifest}", file=out)
    for call_id in result.no_audio:
        print(f"sidecar calls: {call_id} left out: its recording has no audio file", file=err)
    return EXIT_FAILED if result.no_audio else 0


def _view(store: Any, args: argparse.Namespace, out: TerminalWriter) -> None:
    from sidecar_stt.calls.call_page import serve_call_page, write_call_page

    stored = store.get(args.call_id)
    if stored is None:
        raise KeyError(args.call_id)
    if args.out is None and not stored.folder.is_dir():
        raise ConfigurationError(
            f"the call's folder {stored.folder} is missing; give --out to write the page elsewhere"
        )
    default = stored.folder / ("call.redacted.html" if args.redact else "call.html")
    beside = args.audio_beside and not args.redact
    page = write_call_page(stored, args.out or default, redact=args.redact, audio="beside" if beside else "inline")
    print(f"the call's page: {page.resolve()}", file=out)
    if args.serve:
        audio = page.with_suffix(".wav") if beside and page.with_suffix(".wav").is_file() else None
        with serve_call_page(page, audio=audio, port=args.port) as url:
            print(f"serving it at {url} (Ctrl-C stops)", file=out, flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()


def _print_list(store: Any, out: TerminalWriter, *, needs_review: bool) -> None:
    calls = store.list_calls(needs_review=True if needs_review else None)
    for c in calls:
        flag = "REVIEW" if c.needs_review else ""
        state = "" if c.complete else " (cut short)"
        reason = f"  {c.review_reason}" if c.review_reason else ""
        print(
            f"{c.call_id}  {_when(c.started_at)}  {c.audio_s:6.1f} s  {c.live_outcome:9}{state}  {flag}{reason}",
            file=out,
        )
    if not calls:
        print("no calls" + (" need review" if needs_review else ""), file=out)


def _run_json(run: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(run)


def _queue_command(args: argparse.Namespace, out: TerminalWriter) -> int:
    from sidecar_stt.calls import queue

    if not args.db:
        raise SidecarError("the job queue needs the store on PostgreSQL: --db postgresql+psycopg://…")
    app = queue.queue_app(args.db)
    asyncio.run(queue.prepare_queue(app))
    if args.calls_command == "enqueue":
        root = os.path.abspath(args.root)
        ids = asyncio.run(
            queue.enqueue_reprocess(app, args.call_ids, args.engine, store_url=args.db, root=root, mode=args.mode)
        )
        print(f"queued {len(ids)} job{'' if len(ids) == 1 else 's'}", file=out)
    else:
        asyncio.run(queue.run_worker(app, concurrency=args.concurrency, wait=not args.until_empty))
    return 0


def _calls(count: int) -> str:
    return f"{count} call{'' if count == 1 else 's'}"
