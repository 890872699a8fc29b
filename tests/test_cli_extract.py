"""``sidecar extract phone``: JSON lines out; a bad line is reported and skipped (exit 1), bad options exit 2."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sidecar_stt.cli import extract

pytestmark = pytest.mark.unit

SIDECAR = Path(sys.executable).parent / "sidecar"


def run_inprocess(data: bytes, *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    parser = argparse.ArgumentParser(prog="sidecar")
    extract.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["extract", "phone", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = extract.run_phone(args, stdin=io.BytesIO(data), stdout=out, stderr=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_one_json_object_per_line() -> None:
    data = "nummeret er nittito trettifire femtiseks syttiåtte\ndet koster 299 kroner\n".encode()
    code, rows, err = run_inprocess(data)
    assert code == 0 and err == ""
    assert rows[1] == {"text": "det koster 299 kroner", "numbers": [], "values": []}
    (number,) = rows[0]["numbers"]
    (value,) = rows[0]["values"]
    assert value == {"value": "+4792345678", "score": number["score"], "read_back": number["read_back"]}
    assert number["e164"] == "+4792345678"
    assert number["span"] == [12, 50]
    assert number["read_back"] == "nittito, trettifire, femtiseks, syttiåtte"
    assert 0.9 < number["score"] <= 1.0


def test_language_and_region_options() -> None:
    code, rows, _ = run_inprocess(b"ninety-two thirty-four fifty-six seventy-eight\n", "--language", "en-US")
    assert code == 0
    assert rows[0]["numbers"][0]["read_back"] == "nine two, three four, five six, seven eight"
    code, rows, _ = run_inprocess(b"070 123 45 67\n", "--region", "se")
    assert rows[0]["numbers"][0]["e164"] == "+46701234567"


@pytest.mark.parametrize(
    ("data", "argv", "message"),
    [
        (b"x\n", ("--language", "klingon"), "unknown language"),
        (b"x\n", ("--region", "QQ"), "unknown region"),
    ],
)
def test_bad_input_exits_2_with_one_line(data: bytes, argv: tuple[str, ...], message: str) -> None:
    code, _, err = run_inprocess(data, *argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_an_invalid_line_is_reported_by_number_and_the_rest_is_read() -> None:
    code, rows, err = run_inprocess(b"ok\n\xff\xfe\nring 92 34 56 78\n\xc3\n")
    assert code == 1
    assert err.splitlines() == [
        "sidecar extract: error: line 2 is not valid UTF-8; skipped it",
        "sidecar extract: error: line 4 is not valid UTF-8; skipped it",
    ]
    assert [r["text"] for r in rows] == ["ok", None, "ring 92 34 56 78", None]
    assert rows[2]["numbers"][0]["e164"] == "+4792345678"
    assert rows[1] == {"text": None, "numbers": [], "values": [], "error": "not valid UTF-8"}


@pytest.mark.skipif(not SIDECAR.exists(), reason="console script not installed")
def test_console_script() -> None:
    ok = subprocess.run(
        [str(SIDECAR), "extract", "phone", "--language", "nb"],
        input=b"ring 92 34 56 78\n",
        capture_output=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["numbers"][0]["e164"] == "+4792345678"
    bad = subprocess.run([str(SIDECAR), "extract", "phone"], input=b"\xff\n", capture_output=True, check=False)
    assert bad.returncode == 1
    assert b"Traceback" not in bad.stderr
    assert bad.stderr.decode().count("\n") == 1
