"""sidecar extract KIND: structured answers in transcripts, one JSON object per input line.

kinds: phone, birth-number, date-of-birth, postcode, email, account-number, org-number, card-number

example:
  echo "fødselsnummeret mitt er femten ti åttiseks nittifem null åtte åtte" | sidecar extract birth-number
  {"text": "fødselsnummeret mitt er …", "values": [{"value": "15108695088", "score": 1.0,
   "read_back": "femten ti åttiseks, nittifem null åtte åtte"}]}

Values are normalised (digits; an ISO date; the lower-cased address; E.164 for phone numbers), best first.
phone also keeps its own fields: {"numbers": [{"e164", "score", "span", "read_back"}]}. Card numbers are
printed because the command was asked for them; nothing logs them.

A line that is not valid UTF-8 gives {"text": null, "values": [], "error": "..."} on stdout and a one-line
message naming it on stderr; the other lines are still read, and the exit code is then 1. An unknown language
or region gives a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO, TextIO

import phonenumbers

from sidecar_stt.core.kinds import KINDS, Kind, KindCandidate
from sidecar_stt.core.kinds.phone import PhoneKind
from sidecar_stt.core.numerals import LANGUAGES, normalize_language
from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.readback import read_back

__all__ = ["register", "run_kind", "run_phone"]

EXIT_BAD_LINES = 1
EXIT_USAGE = 2
_HELP = {
    "phone": "phone numbers",
    "birth-number": "fødselsnummer and D-nummer (11 digits, both control digits)",
    "date-of-birth": "dates of birth (ISO date)",
    "postcode": "Norwegian postcodes (4 digits; form only, no register)",
    "email": "e-mail addresses spelled out or printed",
    "account-number": "Norwegian account numbers (11 digits, MOD11)",
    "org-number": "Norwegian organisation numbers (9 digits, MOD11)",
    "card-number": "payment card numbers (13-19 digits, Luhn)",
}
_LINES = "one transcript per line on stdin, one JSON object per line on stdout"


def register(subparsers: Any) -> None:
    """Add ``extract KIND`` to the ``sidecar`` command."""
    listing = "\n".join(f"  {name:<15}{_HELP[name]}" for name in KINDS)
    extract = subparsers.add_parser(
        "extract",
        help="extract entities from transcripts",
        description=f"Extract entities from transcripts ({_LINES}).\n\nentities:\n{listing}\n\n"
        'example:\n  echo "ring meg på nittito trettifire femtiseks syttiåtte" | sidecar extract phone',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = extract.add_subparsers(dest="entity", required=True, metavar="ENTITY")
    for name in KINDS:
        parser = kinds.add_parser(
            name,
            help=f"{_HELP[name]}: {_LINES}",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument(
            "--language", default="nb", help=f"transcript language ({', '.join(LANGUAGES)}; nb-NO, no …)"
        )
        if name == "phone":
            parser.add_argument("--region", default="NO", help="region of numbers said without a country code (NO)")
            parser.set_defaults(func=run_phone)
        else:
            parser.set_defaults(func=run_kind)


def _fail(message: str, stderr: TextIO) -> int:
    print(f"sidecar extract: error: {message}", file=stderr)
    return EXIT_USAGE


def _lines(src: BinaryIO, out: TextIO, err: TextIO, empty: dict[str, Any]) -> Any:
    """Each decoded line of ``src``; a line that is not UTF-8 is reported and answered with ``empty``."""
    for number, raw in enumerate(src, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            print(f"sidecar extract: error: line {number} is not valid UTF-8; skipped it", file=err)
            out.write(json.dumps({"text": None, **empty, "error": "not valid UTF-8"}) + "\n")
            yield None
            continue
        yield line.rstrip("\r\n")


def _values(kind: Kind, candidates: Iterable[KindCandidate], language: str) -> list[dict[str, Any]]:
    return [
        {"value": c.value, "score": c.score, "read_back": kind.read_back(c.value, language=language).text}
        for c in candidates
    ]


def _language(args: argparse.Namespace, err: TextIO) -> str | None:
    """The ``--language`` asked for, normalised; ``None`` (and a message on ``err``) when it is unknown."""
    try:
        return normalize_language(args.language)
    except ValueError:
        _fail(f"unknown language {args.language!r}; expected one of {', '.join(LANGUAGES)}", err)
        return None


def _answer(
    row: Callable[[str], dict[str, Any]],
    empty: dict[str, Any],
    stdin: BinaryIO | None,
    stdout: TextIO | None,
    stderr: TextIO | None,
) -> int:
    """``row(text)`` as one JSON line per transcript of ``stdin``; :data:`EXIT_BAD_LINES` if a line was not UTF-8."""
    src = stdin if stdin is not None else sys.stdin.buffer
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    code = 0
    for text in _lines(src, out, err, empty):
        if text is None:
            code = EXIT_BAD_LINES
            continue
        out.write(json.dumps(row(text), ensure_ascii=False) + "\n")
    out.flush()
    return code


def run_kind(
    args: argparse.Namespace,
    *,
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Read transcripts from ``stdin`` (bytes, UTF-8) and write one JSON line per transcript (exit codes above)."""
    language = _language(args, stderr if stderr is not None else sys.stderr)
    if language is None:
        return EXIT_USAGE
    kind = KINDS[args.entity]

    def row(text: str) -> dict[str, Any]:
        return {"text": text, "values": _values(kind, kind.candidates(text, language=language), language)}

    return _answer(row, {"values": []}, stdin, stdout, stderr)


def run_phone(
    args: argparse.Namespace,
    *,
    stdin: BinaryIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """``extract phone``: :func:`run_kind`'s ``values`` and the phone reader's own ``numbers``, from one reading."""
    err = stderr if stderr is not None else sys.stderr
    language = _language(args, err)
    if language is None:
        return EXIT_USAGE
    region = str(args.region).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return _fail(f"unknown region {args.region!r}; expected a two-letter region code such as NO", err)
    kind = PhoneKind(region=region)

    def row(text: str) -> dict[str, Any]:
        found = extract_phone_numbers(text, language=language, region=region)
        numbers = [
            {
                "e164": c.e164,
                "score": c.score,
                "span": [c.span[0], c.span[1]],
                "read_back": read_back(c, language=language),
            }
            for c in found
        ]
        values = _values(kind, kind.candidates_of(text, found, language=language), language)
        return {"text": text, "numbers": numbers, "values": values}

    return _answer(row, {"numbers": [], "values": []}, stdin, stdout, stderr)
