"""The timeline page of one recorded call, rendered and driven in headless Chromium (Debian's, through
Playwright): it loads clean, shows what the record holds, plays a turn's span on click, redacts for sharing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from recorded_call import NUMBER, SAID, RecordedDialogue
from sidecar_stt.calls import CallStore, StoredCall, reprocess_call, serve_call_page, write_call_page
from sidecar_stt.calls.call_view import HIDDEN_TEXT
from sidecar_stt.core.readback import pair_groups
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.recording.record import segment_to_json
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(240)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
POST_CALL_HEARD = "nummeret mitt er nittito trettifire femtiseks syttisju"  # the last pair differs
NATIONAL = NUMBER.removeprefix("+47")
NUMBER_WORDS = ("nittito", "trettifire", "femtiseks", "syttiåtte", "syttisju")

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, recorded_dialogue: RecordedDialogue) -> StoredCall:
    """The recorded dialogue in a store, with a post-call run that disagrees with the confirmed number."""
    import asyncio

    root = tmp_path_factory.mktemp("view")
    shutil.copytree(recorded_dialogue.folder, root / recorded_dialogue.call_id)
    with CallStore(root=root) as store:
        store.add_call(root / recorded_dialogue.call_id)
        engine = ScriptedEngine([ScriptedUtterance(start_s=0.0, end_s=1.0, text=POST_CALL_HEARD)])
        asyncio.run(reprocess_call(store, recorded_dialogue.call_id, "scripted", mode="whole", engine=engine))
        result = store.get(recorded_dialogue.call_id)
    assert result is not None and result.runs[0].verdict == "disagrees"
    return result


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page opened in the browser, with its console errors and uncaught exceptions collected."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def texts(self, selector: str) -> list[str]:
        return [t.strip() for t in self.page.locator(selector).all_inner_texts()]

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def page_of(browser: Any) -> Iterator[Any]:
    opened: list[Page] = []

    def open_page(path: Path) -> Page:
        opened.append(Page(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


@needs_chromium
def test_the_page_loads_clean_and_shows_what_the_record_holds(stored: StoredCall, tmp_path: Path, page_of: Any) -> None:
    path = write_call_page(stored, tmp_path / "call.html")
    source = path.read_text(encoding="utf-8")
    assert "http://" not in source and "https://" not in source  # self-contained: nothing to fetch
    assert source.count("data:audio/wav;base64,") == 1
    page = page_of(path)
    page.page.wait_for_timeout(300)
    assert page.errors == []
    record = stored.record
    assert page.page.locator("article.turn").count() == len(record.turns) == 2
    assert page.page.locator(".turn-span").count() == len(record.turns)
    for turn in record.turns:
        article = f"article.turn[data-turn='{turn.turn_id}']"
        assert page.texts(f"{article} .source.realtime .transcript") == [turn.realtime_transcript]
        for engine in record.engines:
            finals = [s for s in record.finals(source=engine) if s.turn_id == turn.turn_id]
            shown = page.texts(f"{article} .source[data-source='{engine}'] .transcript")
            assert shown == [a.text for s in finals for a in s.alternatives]
            confidences = page.texts(f"{article} .source[data-source='{engine}'] .conf")
            assert confidences == [f"{a.confidence:.2f}" for s in finals for a in s.alternatives]
    # the numbers each source yields, against the confirmed one: the realtime model misheard the last pair
    first = "article.turn[data-turn='turn-1']"
    assert page.page.locator(f"{first} .source.realtime .yields .number.wrong").count() == 1
    assert page.texts(f"{first} .source.realtime .yields .pair.differs") == ["77"]
    assert page.page.locator(f"{first} .source[data-source='azure'] .yields .number.right").count() == 1
    # tool calls with their arguments and the exact text returned
    outputs = page.texts(".tool .tool-output")
    assert outputs == [c.output.strip() for c in record.tool_calls] and all(outputs)
    assert '"spoken_number": "92345677"' in page.texts(".tool")[0]
    # capture events as marks on the timeline
    kinds = page.page.eval_on_selector_all(".lane.marks .flag", "els => els.map(e => e.dataset.kind)")
    assert kinds.count("proposed") == 1 and kinds.count("confirmed") == 1 and kinds.count("tool") == 2
    # the post-call reconciliation, the differing pair highlighted on both numbers
    card = page.page.locator(".post-call")
    assert card.get_attribute("data-verdict") == "disagrees" and "alert" in (card.get_attribute("class") or "")
    assert page.texts(".post-call .pair.differs") == ["78", "77"]
    assert page.texts(".post-call .transcript") == [POST_CALL_HEARD]
    # what the call cost: the live engine's audio sent and transcript kept, and the post-call run's
    live = record.costs["azure"] if record.costs else {}
    sent, kept = live["audio_sent_s"], live["transcript_s"]
    assert page.texts("header .meta.costs") == [
        f"live engines: azure {sent:.1f} s of audio sent, {kept:.1f} s of transcript kept"
    ]
    run = stored.runs[0]
    assert run.audio_sent_s is not None and run.audio_sent_s == pytest.approx(record.audio_s, abs=0.01)  # whole mode
    assert page.texts(".post-call .costs") == [
        f"{run.audio_sent_s:.1f} s of audio sent, {run.transcript_s:.1f} s of transcript stored"
    ]
    # the waveform was drawn from the recording
    drawn = page.page.evaluate(
        """() => { const c = document.querySelector('#wave canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert drawn > 5000


@needs_chromium
def test_clicking_a_turn_or_a_transcript_plays_that_span(stored: StoredCall, tmp_path: Path, page_of: Any) -> None:
    path = write_call_page(stored, tmp_path / "call.html")
    played = """() => { const a = document.getElementById('audio');
                       return {paused: a.paused, t: a.currentTime,
                               starts: Array.from({length: a.played.length}, (_, i) => a.played.start(i))}; }"""
    for turn in stored.record.turns:
        begin, end = stored.record.owned_span(turn)
        page = page_of(path)
        page.page.click(f".turn-span[data-turn='{turn.turn_id}']")
        page.page.wait_for_function(
            "() => !document.getElementById('audio').paused && document.getElementById('audio').played.length > 0"
        )
        state = page.page.evaluate(played)
        assert state["starts"][0] == pytest.approx(begin, abs=0.05)
        assert begin <= state["t"] <= end
        assert page.page.locator(f"article.turn[data-turn='{turn.turn_id}'].playing").count() == 1
        assert page.errors == []
    # the last turn plays to its end and stops there
    page.page.wait_for_function("() => document.getElementById('audio').paused", timeout=15_000)
    assert page.page.evaluate(played)["t"] == pytest.approx(end, abs=0.3)
    # a sidecar transcript plays the span of its segment
    segment = next(s for s in stored.record.segments if s.turn_id == "turn-1")
    page = page_of(path)
    page.page.click("article.turn[data-turn='turn-1'] .source[data-source='azure'] .transcript >> nth=0")
    page.page.wait_for_function("() => document.getElementById('audio').played.length > 0")
    assert page.page.evaluate(played)["starts"][0] == pytest.approx(segment.start_s, abs=0.05)


def _personal_hits(page: Page) -> list[str]:
    """The number (whole, national, any read-back pair) and any spoken word, wherever the page shows them."""
    text = page.page.evaluate(
        """() => { const parts = [document.body.innerText];
                   for (const el of document.querySelectorAll('*'))
                     for (const a of el.attributes) if (a.name !== 'style') parts.push(a.value);
                   return parts.join('\\n'); }"""
    )
    html = page.page.content()
    hits = [n for n in (NUMBER, NATIONAL) if n in text or n in html]
    # a pair on its own: not a part of a time ("3.34 s", the call's "23:56:34 UTC") or a date
    hits += [g for g in pair_groups(NATIONAL) if re.search(rf"(?<![\w.:-]){g}(?![\w.:-])", text)]
    words = {w for said in SAID for w in re.findall(r"\w+", said.lower())} | set(NUMBER_WORDS)
    hits += sorted(w for w in words if re.search(rf"\b{w}\b", html.lower()))
    return hits


@needs_chromium
def test_redact_leaves_no_digit_of_the_number_in_the_dom(stored: StoredCall, tmp_path: Path, page_of: Any) -> None:
    plain = page_of(write_call_page(stored, tmp_path / "call.html"))
    assert NUMBER in _personal_hits(plain) and "nittito" in _personal_hits(plain)  # the check sees them
    page = page_of(write_call_page(stored, tmp_path / "shared.html", redact=True))
    assert page.errors == []
    assert _personal_hits(page) == []
    personal = page.texts(".pd")
    assert personal and not [t for t in personal if re.search(r"\d", t)]
    assert page.page.locator("audio").count() == 0  # the voice says the number
    assert page.texts("article.turn .source.realtime .transcript") == [HIDDEN_TEXT, HIDDEN_TEXT]
    # what is not personal stays: turns, verdicts, which pair differs
    assert page.page.locator(".turn-span").count() == 2
    assert page.page.locator(".post-call .pair.differs").count() == 2
    assert page.page.locator("article.turn .number.wrong").count() == 1


@needs_chromium
def test_unheard_speech_refusals_and_engine_failures_are_shown(
    recorded_dialogue: RecordedDialogue, tmp_path: Path, page_of: Any
) -> None:
    """A call whose journal (as the recorder writes it) also holds speech in no turn, a refused step and an
    engine failure."""
    folder = tmp_path / recorded_dialogue.call_id
    shutil.copytree(recorded_dialogue.folder, folder)
    unheard = Segment(
        source="azure",
        segment_id="late-1",
        start_s=recorded_dialogue.audio_s - 0.6,
        end_s=recorded_dialogue.audio_s - 0.1,
        is_final=True,
        alternatives=(Alternative("hallo, er du der", 0.7),),
    )
    entries = [
        {"kind": "segment", "created_at": 0.0, **segment_to_json(unheard)},
        {
            "kind": "capture",
            "created_at": 0.0,
            "at_s": 1.0,
            "event": {"type": "capture_step_refused", "reason": "not_answered", "proposal_id": None},
        },
        {
            "kind": "engine",
            "created_at": 0.0,
            "at_s": 2.0,
            "event": {"type": "engine_failed", "source": "azure", "error": "RuntimeError: boom", "attempt": 1},
        },
    ]
    journal = folder / "call.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    end = next(i for i, line in enumerate(lines) if '"call_ended"' in line)
    lines[end:end] = [json.dumps(e, ensure_ascii=False) + "\n" for e in entries]
    journal.write_text("".join(lines), encoding="utf-8")
    with CallStore(root=tmp_path) as store:
        store.add_call(folder)
        stored = store.get(recorded_dialogue.call_id)
    assert stored is not None
    page = page_of(write_call_page(stored, tmp_path / "call.html"))
    assert page.errors == []
    assert page.page.locator(".unheard-span").count() == 1
    assert page.texts("#unheard .transcript") == ["hallo, er du der"]
    kinds = page.page.eval_on_selector_all(".lane.marks .flag", "els => els.map(e => e.dataset.kind)")
    assert "refused" in kinds and "engine_failed" in kinds
    events = " ".join(page.texts("#events li"))
    assert "reason: not_answered" in events and "error: RuntimeError: boom" in events
    assert page.page.locator(".post-call").count() == 0  # no post-call run: no section


def _close(image: np.ndarray, colour: str, tol: int = 10) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int32)
    close: np.ndarray = np.all(np.abs(image[:, :, :3].astype(np.int32) - rgb) <= tol, axis=2)
    return close


@needs_chromium
def test_screenshot_shows_the_waveform_turns_and_verdicts(stored: StoredCall, tmp_path: Path, page_of: Any) -> None:
    import matplotlib.image

    page = page_of(write_call_page(stored, tmp_path / "call.html"))
    shot = tmp_path / "shot.png"
    page.page.screenshot(path=str(shot))
    image = (matplotlib.image.imread(str(shot)) * 255).astype(np.uint8)
    height, width = image.shape[:2]
    assert (height, width) == (1000, 1280)
    assert image[:, :, :3].std() > 20  # not blank
    box = page.page.locator("#wave").bounding_box()
    x0, y0, w, h = (round(box[k]) for k in ("x", "y", "width", "height"))
    wave = image[y0 + 4 : y0 + h - 4, x0 + 4 : x0 + w - 4]
    # the waveform's bars drawn over the turn spans (blue tint over the wave's background)
    assert _close(wave, "#475569", tol=40).sum() > 3000
    assert _close(wave, "#dbe5fa").sum() > 0.3 * wave.shape[0] * wave.shape[1]
    # the verdict badges above the fold: confirmed live (green), post-call disagrees (red), the differing pair
    top = image[: y0 + h]
    assert _close(top, "#dcfce7").sum() > 500
    assert _close(top, "#fee2e2").sum() > 500
    assert _close(image, "#fecaca").sum() > 100


def test_serve_and_cli(stored: StoredCall, tmp_path: Path) -> None:
    page = write_call_page(stored, tmp_path / "call.html", audio="beside")
    assert (tmp_path / "call.wav").read_bytes() == stored.audio_path.read_bytes()
    assert 'src="./call.wav"' in page.read_text(encoding="utf-8")
    with serve_call_page(page, audio=tmp_path / "call.wav") as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"<canvas>" in response.read()
        with urllib.request.urlopen(url.replace("call.html", "call.wav"), timeout=10) as response:
            assert response.read(4) == b"RIFF"
    sidecar = Path(sys.executable).with_name("sidecar")
    root = stored.folder.parent
    out = tmp_path / "cli.html"
    proc = subprocess.run(
        [str(sidecar), "calls", "--root", str(root), "view", stored.record.call_id, "--out", str(out), "--redact"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert str(out.resolve()) in proc.stdout
    assert 'data-redacted="true"' in out.read_text(encoding="utf-8")
    proc = subprocess.run(
        [str(sidecar), "calls", "--root", str(root), "view", "no-such-call"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and "not found" in proc.stderr
