"""The session object of :class:`~sidecar_stt.testing.realtime_server.FakeRealtimeServer`: its defaults and how a
client's ``session.update`` changes it (GA shape, nested ``audio.input``/``audio.output``)."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["default_session", "update_session"]


def default_session(sample_rate: int) -> dict[str, Any]:
    """The effective session a fresh connection starts with (echoed in ``session.created``)."""
    return {
        "type": "realtime",
        "object": "realtime.session",
        "id": "sess_fake",
        "model": "gpt-realtime",
        "output_modalities": ["audio"],
        "instructions": "",
        "tool_choice": "auto",
        "tools": [],
        "max_output_tokens": "inf",
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": sample_rate},
                "transcription": None,
                "noise_reduction": None,
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                    "create_response": True,
                    "interrupt_response": True,
                },
            },
            "output": {"format": {"type": "audio/pcm", "rate": sample_rate}, "voice": "marin", "speed": 1.0},
        },
    }


def update_session(base: dict[str, Any], update: dict[str, Any]) -> None:
    """Apply a ``session.update`` to the effective session: nested objects merge, other values replace."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            update_session(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
