"""The README's agent runs as written: extracted to a file, it checks its configuration only for a worker command
(one line when a key is missing, the LiveKit variables included), names every engine apart, and its entrypoint
runs a real AgentSession (real RealtimeModel client against the fake server) with Sidecar attached; the test
docs/TESTING.md gives for such a file runs against it, with pytest, as a user would run it."""

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

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "TESTING.md"
LIVEKIT = {"LIVEKIT_URL": "wss://lk.example", "LIVEKIT_API_KEY": "key", "LIVEKIT_API_SECRET": "secret"}
TOOLS = ["get_accurate_transcript", "capture_phone_number", "confirm_phone_number", "reject_phone_number"]


@pytest.fixture
def agent_file(tmp_path: Path) -> Path:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert blocks, "the README has no Python block"
    path = tmp_path / "my_agent.py"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def _run(agent_file: Path, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(agent_file), *argv],
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _load(agent_file: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("my_agent", agent_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clean_env(**extra: str) -> dict[str, str]:
    drop = (
        "OPENAI_API_KEY",
        "AZURE_SPEECH_KEY",
        "AZURE_SPEECH_REGION",
        "AZURE_SPEECH_HOST",
        "SIDECAR_ENGINES",
        *LIVEKIT,
    )
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def test_a_missing_key_stops_the_worker_with_one_line(agent_file: Path) -> None:
    done = _run(agent_file, "start", OPENAI_API_KEY="sk-x", AZURE_SPEECH_REGION="norwayeast", **LIVEKIT)
    assert done.returncode == 1
    assert done.stderr == "my_agent: missing configuration: set AZURE_SPEECH_KEY\n"


def test_the_readme_quotes_the_message_it_prints(agent_file: Path) -> None:
    done = _run(agent_file, "start", OPENAI_API_KEY="sk-x", **LIVEKIT)
    assert done.returncode == 1
    assert done.stderr.strip() in README.read_text(encoding="utf-8")


def test_a_server_command_checks_the_livekit_variables_console_does_not(agent_file: Path) -> None:
    keys = {"OPENAI_API_KEY": "sk-x", "AZURE_SPEECH_REGION": "norwayeast"}
    done = _run(agent_file, "start", **keys)
    assert done.returncode == 1
    assert done.stderr == (
        "my_agent: missing configuration: set LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, AZURE_SPEECH_KEY\n"
    )
    console = _run(agent_file, "console", **keys)
    assert console.returncode == 1
    assert console.stderr == "my_agent: missing configuration: set AZURE_SPEECH_KEY\n"


def test_help_needs_no_configuration(agent_file: Path) -> None:
    done = _run(agent_file, "--help")
    assert done.returncode == 0, done.stderr
    assert "download-files" in done.stdout and "start" in done.stdout


def test_importing_the_file_checks_nothing(agent_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION", "SIDECAR_ENGINES", *LIVEKIT):
        monkeypatch.delenv(name, raising=False)
    module = _load(agent_file)  # no SystemExit: pytest of such a file, --help and download-files work keyless
    assert module.ENGINES == ["azure:nb-NO"]


def test_two_engines_of_one_kind_get_names_of_their_own(agent_file: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text(json.dumps({"utterances": []}), encoding="utf-8")
    engines = _load(agent_file).build_engines([f"scripted:{first}", f"scripted:{second}", f"scripted:{first}"])
    assert list(engines) == ["scripted", "scripted-2", "scripted-3"]
    assert len({id(engine) for engine in engines.values()}) == 3


def test_the_guides_test_for_an_agent_file_passes_on_the_readmes_agent(agent_file: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Testing the agent file you already have", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the section has no test, or more than one"
    test_file = agent_file.with_name("test_my_agent_file.py")
    test_file.write_text(blocks[0], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=agent_file.parent,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


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
        module = _load(agent_file)

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
