"""docs/ENTITIES.md: every ``sidecar extract`` example runs and prints exactly what the page shows, and every kind
has one."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest

from sidecar_stt.cli.main import build_parser
from sidecar_stt.core.kinds import KINDS

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parents[1] / "docs" / "ENTITIES.md"
_EXAMPLE = re.compile(r"```console\n\$ echo (\".*?\") \| sidecar (extract .*?)\n(.*?)\n```", re.DOTALL)


def _examples() -> list[tuple[str, list[str], str]]:
    found = _EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    return [(shlex.split(text)[0], shlex.split(command), out) for text, command, out in found]


def test_every_kind_has_an_example() -> None:
    assert {argv[1] for _, argv, _ in _examples()} == set(KINDS)


@pytest.mark.parametrize(("text", "argv", "shown"), _examples(), ids=lambda v: v if isinstance(v, str) else None)
def test_the_example_prints_what_the_page_shows(text: str, argv: list[str], shown: str) -> None:
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    code = args.func(args, stdin=io.BytesIO((text + "\n").encode()), stdout=out, stderr=err)
    assert code == 0 and err.getvalue() == ""
    assert json.loads(out.getvalue()) == json.loads(shown)
