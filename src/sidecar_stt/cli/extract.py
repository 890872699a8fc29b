"""sidecar extract phone: phone numbers in transcripts, one JSON object per input line.

example:
  echo "nummeret er nittito trettifire femtiseks syttiåtte" | sidecar extract phone --language nb
  {"text": "nummeret er nittito …", "numbers": [{"e164": "+4792345678", "score": 0.97, "span": [12, 50],
   "read_back": "nittito, trettifire, femtiseks, syttiåtte"}]}

A line that is not valid UTF-8 gives {"text": null, "numbers": [], "error": "..."} on stdout and a one-line
message naming it on stderr; the other lines are still read, and the exit code is then 1. An unknown language
or region gives a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, BinaryIO, TextIO

import phonenumbers

from sidecar_stt.core.numerals import LANGUAGES, normalize_language
from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.readback import read_back

__all__ = ["register", "run_phone"]

EXIT_BAD_LINES = 1
EXIT_USAGE = 2
_PHONE_HELP = "phone numbers: one transcript per line on stdin, one JSON object per line on stdout"


def register(subparsers: Any) -> None:
    """Add ``extract phone`` to the ``sidecar`` command."""
    extract = subparsers.add_parser(
        "extract",
        help="extract entities from transcripts",
        description="Extract entities from transcripts.\n\nentities:\n  phone  " + _PHONE_HELP + "\n\n"
        'example:\n  echo "ring meg på nittito trettifire femtiseks syttiåtte" | sidecar extract phone',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = extract.add_subparsers(dest="entity", required=True, metavar="ENTITY")
    phone = kinds.add_parser(
        "phone", help=_PHONE_HELP, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    phone.add_argument("--language", default="nb", help=f"transcript language ({', '.join(LANGUAGES)}; nb-NO, no …)")
    phone.add_argument("--region", default="NO", help="region of numbers said without a country code (NO)")
    phone.set_defaults(func=run_phone)


def _fail(message: str, stderr: TextIO) -> int:
    print(f"sidecar extract: error: {message}", file=stderr)
    return EXIT_USAGE


def run_phone(
    args: argparse.Namespace,
    *,
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read transcripts from ``stdin`` (bytes, UTF-8) and write one JSON line per transcript (exit codes above)."""
    src = stdin if stdin is not None else sys.stdin.buffer
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        language = normalize_language(args.language)
    except ValueError:
        return _fail(f"unknown language {args.language!r}; expected one of {', '.join(LANGUAGES)}", err)
    region = str(args.region).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return _fail(f"unknown region {args.region!r}; expected a two-letter region code such as NO", err)
    code = 0
    for number, raw in enumerate(src, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            print(f"sidecar extract: error: line {number} is not valid UTF-8; skipped it", file=err)
            out.write(json.dumps({"text": None, "numbers": [], "error": "not valid UTF-8"}) + "\n")
            code = EXIT_BAD_LINES
            continue
        text = line.rstrip("\r\n")
        numbers = [
            {
                "e164": c.e164,
                "score": c.score,
                "span": [c.span[0], c.span[1]],
                "read_back": read_back(c, language=language),
            }
            for c in extract_phone_numbers(text, language=language, region=region)
        ]
        out.write(json.dumps({"text": text, "numbers": numbers}, ensure_ascii=False) + "\n")
    out.flush()
    return code
