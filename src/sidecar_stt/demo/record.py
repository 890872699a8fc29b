"""What one demo call produced: turns, tool calls, capture events and the verdict, as data and as JSON.

:meth:`DemoRecord.to_json` gives the document ``sidecar demo --json`` prints (schema in ``docs/DEMO.md``).
The numbers in it are synthetic, so it holds them in plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["DemoRecord", "EngineInfo", "EngineKind", "ToolCallRecord", "TurnRecord"]

EngineKind = Literal["scripted-stand-in", "local"]


@dataclass(frozen=True)
class EngineInfo:
    """A sidecar engine of the demo: its ledger ``name``, a human ``label``, what it is and how it was built."""

    name: str
    label: str
    kind: EngineKind
    spec: str


@dataclass
class TurnRecord:
    """One caller turn: what was said, when (on the caller's audio clock), and how every party heard it."""

    index: int
    kind: str
    caller_said: str
    start_s: float
    end_s: float
    realtime_transcript: str | None = None
    sidecar: dict[str, str] = field(default_factory=dict)
    """Engine name → its final transcript of the turn ("" when it produced none)."""
    agent_said: str | None = None
    """What the agent said in answer."""
    nbest: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    """Engine name → its n-best ``(text, confidence)`` of the turn (the alternatives of its finals)."""


@dataclass(frozen=True)
class ToolCallRecord:
    """A tool the realtime model called, with its arguments and the text the tool returned."""

    turn_index: int
    name: str
    arguments: dict[str, Any]
    output: str


@dataclass
class DemoRecord:
    """Everything the demo reports about one call."""

    language: str
    spoken_phone: str
    speed: float | None
    """Caller audio pace (1.0 = real time); ``None`` = as fast as possible."""
    engines: list[EngineInfo]
    greeting: str = ""
    turns: list[TurnRecord] = field(default_factory=list)
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    confirmed_phone: str | None = None
    realtime_phone: str | None = None
    """The number our parser finds in the realtime model's own transcript of the first number turn."""
    sidecar_phones: dict[str, str | None] = field(default_factory=dict)
    """Engine name → the number our parser finds in that engine's transcript of the first number turn."""
    call_audio_s: float = 0.0
    """Seconds of caller audio the sidecar saw."""
    costs: dict[str, dict[str, float]] = field(default_factory=dict)
    """Engine name → ``audio_sent_s`` (what a cloud engine bills) and ``transcript_s`` (transcript stored)."""
    elapsed_s: float = 0.0
    error: str | None = None
    """Why the call ended early, if it did."""
    call_id: str | None = None
    """The recorded call's id (``sidecar calls show``), when the demo recorded the call."""
    recording: str | None = None
    """The folder of the call's recording and record."""
    post_call: dict[str, Any] | None = None
    """The post-call re-transcription and its reconciliation with the live capture, when it ran."""
    page: str | None = None
    """The call's timeline page (``sidecar calls view``), when the demo recorded the call."""

    @property
    def ok(self) -> bool:
        """Whether the confirmed number is the number the caller spoke."""
        return self.confirmed_phone is not None and self.confirmed_phone == self.spoken_phone

    def verdict(self) -> str:
        """One line: the confirmed number against the spoken one, and what the realtime model alone gave."""
        if self.confirmed_phone is None:
            head = f"no number confirmed ✗ (spoken {self.spoken_phone})"
        elif self.ok:
            head = f"confirmed {self.confirmed_phone} = spoken number ✓"
        else:
            head = f"confirmed {self.confirmed_phone} ≠ spoken {self.spoken_phone} ✗"
        if self.realtime_phone is None:
            tail = "the realtime model's own transcript held no valid number ✗"
        elif self.realtime_phone == self.spoken_phone:
            tail = f"the realtime model's own transcript gave {self.realtime_phone} ✓"
        else:
            tail = f"the realtime model's own transcript gave {self.realtime_phone} ✗"
        return f"{head}; {tail}"

    def failure_reason(self) -> str | None:
        """Why the demo failed, or ``None`` when it succeeded."""
        if self.ok:
            return None
        if self.error:
            return self.error
        if self.confirmed_phone is None:
            return "the caller never confirmed a number"
        return f"the caller confirmed {self.confirmed_phone}, but spoke {self.spoken_phone}"

    def to_json(self) -> dict[str, Any]:
        """The JSON document of ``sidecar demo --json``."""
        return {
            "spoken_phone": self.spoken_phone,
            "confirmed_phone": self.confirmed_phone,
            "realtime_phone": self.realtime_phone,
            "sidecar_phones": dict(self.sidecar_phones),
            "language": self.language,
            "ok": self.ok,
            "verdict": self.verdict(),
            "speed": "max" if self.speed is None else self.speed,
            "elapsed_s": round(self.elapsed_s, 2),
            "call_audio_s": round(self.call_audio_s, 2),
            "costs": {name: {k: round(v, 2) for k, v in c.items()} for name, c in self.costs.items()},
            "error": self.error,
            "call_id": self.call_id,
            "recording": self.recording,
            "post_call": self.post_call,
            "page": self.page,
            "engines": [{"name": e.name, "label": e.label, "kind": e.kind, "spec": e.spec} for e in self.engines],
            "greeting": self.greeting,
            "turns": [
                {
                    "index": t.index,
                    "kind": t.kind,
                    "caller_said": t.caller_said,
                    "start_s": round(t.start_s, 3),
                    "end_s": round(t.end_s, 3),
                    "realtime_transcript": t.realtime_transcript,
                    "sidecar": dict(t.sidecar),
                    "sidecar_nbest": {
                        name: [{"text": text, "confidence": conf} for text, conf in alts]
                        for name, alts in t.nbest.items()
                    },
                    "agent_said": t.agent_said,
                }
                for t in self.turns
            ],
            "tool_calls": [
                {"turn_index": c.turn_index, "name": c.name, "arguments": c.arguments, "output": c.output}
                for c in self.tool_calls
            ],
            "events": list(self.events),
        }
