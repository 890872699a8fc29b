"""docs/CONFIGURATION.md documents every field of SidecarOptions with its real default, and every argument of the
Sidecar constructor."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from sidecar_stt.adapters.livekit import Sidecar, SidecarOptions

pytestmark = pytest.mark.unit

CONFIGURATION = Path(__file__).resolve().parents[1] / "docs" / "CONFIGURATION.md"
SECTION = CONFIGURATION.read_text(encoding="utf-8").split("\n## `SidecarOptions`\n", 1)[1].split("\n## ", 1)[0]


def test_every_option_has_a_row_with_its_default() -> None:
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| `([^`]*)` \|", SECTION, flags=re.MULTILINE))
    fields = {f.name: f.default for f in dataclasses.fields(SidecarOptions)}
    assert set(rows) == set(fields), f"undocumented: {sorted(set(fields) - set(rows))}; gone: {set(rows) - set(fields)}"
    for name, default in fields.items():
        assert rows[name] == (f'"{default}"' if isinstance(default, str) else repr(default)), name


def test_every_constructor_argument_is_named() -> None:
    parameters = [p for p in inspect.signature(Sidecar.__init__).parameters if p != "self"]
    call = re.search(r"`Sidecar\((.*?)\)`", SECTION)
    assert call is not None
    assert [part.split("=")[0].strip() for part in call.group(1).split(",")] == parameters
    for name in parameters[2:]:
        assert f"`{name}`" in SECTION, f"{name} is not described"
