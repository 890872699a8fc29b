"""docs/TOOLS.md's event table is pinned to the event payloads the code defines: every event name of
``SidecarEventTypes`` and every payload dataclass (found by introspecting the modules, by the Literal value of its
``type`` field) has a row naming the class and each of its fields; an event added to the code without a row fails."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from pathlib import Path
from types import ModuleType

import pytest

from sidecar_stt.adapters.livekit import events
from sidecar_stt.core import capture_events

pytestmark = pytest.mark.unit

TOOLS = Path(__file__).resolve().parents[1] / "docs" / "TOOLS.md"
_COMMON = ("type", "created_at")  # on every payload; the prose above the table says so


def _payload_classes(module: ModuleType) -> dict[str, type]:
    """Event name → the payload dataclass defined in ``module`` whose ``type`` field is that name's Literal."""
    found: dict[str, type] = {}
    for obj in vars(module).values():
        if not (inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__):
            continue
        hint = typing.get_type_hints(obj).get("type")
        if hint is None:
            continue
        (name,) = typing.get_args(hint)
        assert name not in found, f"two payloads for {name}"
        found[name] = obj
    return found


def _doc_rows() -> dict[str, tuple[str, str]]:
    """Event name → (payload class, fields cell) from the table under "## Events"."""
    section = TOOLS.read_text(encoding="utf-8").split("\n## Events\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z_]+)` \| `([A-Za-z]+)` \| (.*) \|$", line)
        if match:
            name, payload, fields = match.groups()
            assert name not in rows, f"two rows for {name}"
            rows[name] = (payload, fields)
    return rows


CODE = {**_payload_classes(events), **_payload_classes(capture_events)}
DOC = _doc_rows()


def test_every_event_name_has_a_payload_and_a_row() -> None:
    names = set(typing.get_args(events.SidecarEventTypes))
    assert len(names) == 18
    assert set(CODE) == names, "SidecarEventTypes and the payload classes disagree"
    assert set(DOC) == names, f"rows missing: {sorted(names - set(DOC))}; rows for no event: {sorted(set(DOC) - names)}"


@pytest.mark.parametrize("name", sorted(CODE))
def test_the_row_names_the_payload_and_each_of_its_fields(name: str) -> None:
    assert name in DOC, f"docs/TOOLS.md has no row for {name}"
    payload, cell = DOC[name]
    cls = CODE[name]
    assert payload == cls.__name__
    for field in dataclasses.fields(cls):
        if field.name not in _COMMON:
            assert re.search(rf"`{field.name}[`:]", cell), f"the {name} row does not name {field.name}"
