"""``sidecar demo``: an offline simulated phone call through the real stack, shown as a timeline.

:func:`run_demo` runs the call and returns a :class:`DemoRecord`; :func:`render_timeline` prints it with
``rich``; :meth:`DemoRecord.to_json` is the ``--json`` document. See ``docs/DEMO.md``.
"""

from __future__ import annotations

from .reactive_caller import ReactiveCaller
from .record import DemoRecord, EngineInfo, EngineKind, ToolCallRecord, TurnRecord
from .runner import DemoOptions, run_demo
from .scenario import DEFAULT_NUMBER, DemoLanguage, Scenario, Utterance, parse_demo_number
from .timeline import render_timeline

__all__ = [
    "DEFAULT_NUMBER",
    "DemoLanguage",
    "DemoOptions",
    "DemoRecord",
    "EngineInfo",
    "EngineKind",
    "ReactiveCaller",
    "Scenario",
    "ToolCallRecord",
    "TurnRecord",
    "Utterance",
    "parse_demo_number",
    "render_timeline",
    "run_demo",
]
