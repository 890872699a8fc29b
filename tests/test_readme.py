"""The README's agent runs as written: extracted to a file, it stops with one line when a key is missing, and its
entrypoint runs a real AgentSession (real RealtimeModel client against the fake server) with Sidecar attached."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from livekit import rtc
from livekit.agents import AgentSession

from sidecar_stt.adapters.livekit.tap import AudioTap
from sidecar_stt.testing import FakeRealtimeServer

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

README = Path(__file__).resolve().parents[1] / "README.md"
TOOLS = ["get_accurate_transcript", "capture_phone_number", "confirm_phone_number", "reject_phone_number"]


@pytest.fixture
def agent_file(tmp_path: Path) -> Path:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks, "the README has no Python block"
    path = tmp_path / "my_agent.py"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def _clean_env(**extra: str) -> dict[str, str]:
    drop = ("OPENAI_API_KEY", "AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION", "AZURE_SPEECH_HOST", "SIDECAR_ENGINES")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def test_a_missing_key_stops_the_worker_with_one_line(agent_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(agent_file), "start"],
        env=_clean_env(OPENAI_API_KEY="sk-x", AZURE_SPEECH_REGION="norwayeast"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "my_agent: missing configuration: set AZURE_SPEECH_KEY\n"


def test_the_readme_quotes_the_message_it_prints(agent_file: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(agent_file), "start"],
        env=_clean_env(OPENAI_API_KEY="sk-x"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() in README.read_text(encoding="utf-8")


async def test_the_entrypoint_runs_a_session_with_the_sidecar_attached(
    agent_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "engine.json"
    script.write_text(json.dumps({"utterances": []}), encoding="utf-8")
    sessions: list[AgentSession[Any]] = []
    start = AgentSession.start

    async def recording_start(self: AgentSession[Any], *args: Any, **kwargs: Any) -> Any:
        sessions.append(self)  # to close it at the end, as the job's shutdown would
        return await start(self, *args, **kwargs)

    monkeypatch.setattr(AgentSession, "start", recording_start)
    async with FakeRealtimeServer([]) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "offline")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("SIDECAR_ENGINES", f"scripted:{script}")
        spec = importlib.util.spec_from_file_location("my_agent", agent_file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)

        shutdown: list[Any] = []
        ctx = types.SimpleNamespace(room=rtc.Room(), add_shutdown_callback=shutdown.append)
        try:
            await module.entrypoint(ctx)
            await server.wait_until(lambda: any(u.get("tools") for u in server.session_updates()), timeout_s=10)
            tapped = sessions[0].input.audio
        finally:
            for callback in shutdown:
                await callback()
            for session in sessions:
                await session.aclose()

    tools = [t["name"] for u in server.session_updates() for t in (u.get("tools") or [])]
    assert all(name in tools for name in TOOLS)
    instructions = " ".join(str(u.get("instructions", "")) for u in server.session_updates())
    assert "capture_phone_number" in instructions  # phone_capture_instructions reached the model
    assert len(shutdown) == 1 and len(sessions) == 1
    assert isinstance(tapped, AudioTap)  # sidecar.attach tapped the session's audio input
