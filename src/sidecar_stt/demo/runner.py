"""Run the demo call through the real stack and record it.

:func:`run_demo` starts a real LiveKit ``AgentSession`` on the real OpenAI ``RealtimeModel`` client, pointed at
the scripted :class:`~sidecar_stt.testing.realtime_server.FakeRealtimeServer` on 127.0.0.1, with a
:class:`~sidecar_stt.Sidecar` attached (:func:`~sidecar_stt.testing.session.offline_call`). The caller speaks
espeak-ng audio through :class:`~sidecar_stt.testing.caller.CallerAudioInput`, one turn at a time, each turn
decided by :class:`~sidecar_stt.demo.reactive_caller.ReactiveCaller` from what the agent said. Before the
caller speaks a turn, the runner appends that turn to the server's script (how the realtime model hears it and
which tool it calls) and, right after the audio is queued, to the stand-in engine's script (what it hears in
that span of audio; it answers only once its audio reaches the span).

Sidecar engines:

- ``nb``: ``azure-stand-in`` (a :class:`~sidecar_stt.testing.scripted_engine.ScriptedEngine`, the stand-in for
  Azure Speech nb-NO) and ``whisper`` (the real local Whisper base, ``whisper:base?language=no``);
- ``en``: ``whisper`` only (the real local Whisper tiny.en).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from livekit.agents import Agent, llm, stt
from livekit.agents.voice.events import ConversationItemAddedEvent, FunctionToolsExecutedEvent

from ..adapters.livekit import PhoneCaptureResult, Sidecar, SidecarOptions
from ..core.instructions import phone_capture_instructions
from ..core.phone import extract_phone_numbers
from ..engines import from_spec
from ..recording import CallRecorder, engine_costs
from ..testing.audio import synthesize_speech
from ..testing.realtime_script import CallerTurn, ScriptedFunctionCall, ToolOutput
from ..testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from ..testing.session import OfflineCall, offline_call
from .reactive_caller import ReactiveCaller
from .record import DemoRecord, EngineInfo, ToolCallRecord, TurnRecord
from .scenario import DEFAULT_NUMBER, DemoLanguage, Scenario, Utterance

__all__ = ["STAND_IN", "WHISPER", "DemoOptions", "run_demo"]

STAND_IN = "azure-stand-in"
WHISPER = "whisper"

_EVENTS = (
    "phone_number_proposed",
    "phone_number_rejected",
    "phone_number_confirmed",
    "phone_number_capture_failed",
    "engine_failed",
    "frames_dropped",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoOptions:
    """Settings of one demo call.

    Attributes:
        language: ``nb`` (stand-in + Whisper base) or ``en`` (Whisper tiny.en only).
        number: the caller's number (a valid 8-digit Norwegian number).
        speed: caller audio pace, 1.0 = real time; ``None`` = as fast as possible.
        max_turns: caller turns before the caller gives up.
        turn_timeout_s: longest wait for one exchange (audio, tools, reply).
        transcript_timeout_s: how long a capture tool waits for the engines to settle on a turn (Whisper's
            decode takes ~1–2 s; the wait ends as soon as every engine delivered its final).
        calls_dir: record the call (caller audio + call record) into this folder; ``None`` records nothing.
    """

    language: DemoLanguage = "nb"
    number: str = DEFAULT_NUMBER
    speed: float | None = 1.0
    max_turns: int = 6
    turn_timeout_s: float = 90.0
    transcript_timeout_s: float = 15.0
    calls_dir: Path | None = None


def _engines(language: DemoLanguage) -> tuple[dict[str, stt.STT[Any]], list[EngineInfo]]:
    if language == "nb":
        whisper_spec = "whisper:base?language=no"
        infos = [
            EngineInfo(STAND_IN, "stand-in for Azure Speech nb-NO (scripted)", "scripted-stand-in", "scripted"),
            EngineInfo(WHISPER, "Whisper base, local (real)", "local", whisper_spec),
        ]
        engines: dict[str, stt.STT[Any]] = {
            STAND_IN: ScriptedEngine([], language="nb", label=STAND_IN),
            WHISPER: from_spec(whisper_spec),
        }
    else:
        whisper_spec = "whisper:tiny.en"
        infos = [EngineInfo(WHISPER, "Whisper tiny.en, local (real)", "local", whisper_spec)]
        engines = {WHISPER: from_spec(whisper_spec)}
    return engines, infos


async def _load_engines(engines: dict[str, stt.STT[Any]]) -> None:
    """Load local models in worker threads before the call, so the first turn does not wait for them."""
    for engine in engines.values():
        load = getattr(engine, "load", None)
        if load is not None and asyncio.iscoroutinefunction(load):
            await load()


def _event_dict(event: Any, *, audio_s: float, turn_index: int) -> dict[str, Any]:
    data = dataclasses.asdict(event) if dataclasses.is_dataclass(event) and not isinstance(event, type) else {}
    out: dict[str, Any] = {"type": str(getattr(event, "type", "")), "audio_s": round(audio_s, 3), "turn": turn_index}
    for key, value in data.items():
        if key not in out:
            out[key] = list(value) if isinstance(value, tuple) else value
    return out


class _CallObserver:
    """Collects what the session and the sidecar report during the call."""

    def __init__(self, call: OfflineCall, record: DemoRecord) -> None:
        self.call = call
        self.record = record
        self.turn_index = 0
        self.lines_before_turn = 0  # the agent lines before the caller's current turn
        # the greeting may already be in the history when the observer starts
        self.agent_lines: list[str] = [
            item.text_content or ""
            for item in call.session.history.items
            if isinstance(item, llm.ChatMessage) and item.role == "assistant"
        ]
        self.changed = asyncio.Event()
        call.session.on("conversation_item_added", self._on_item)
        call.session.on("function_tools_executed", self._on_tools)
        sidecar = call.sidecar
        assert sidecar is not None
        for name in _EVENTS:
            sidecar.on(name, self._on_event)  # type: ignore[arg-type]

    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        item = ev.item
        if isinstance(item, llm.ChatMessage) and item.role == "assistant":
            self.agent_lines.append(item.text_content or "")
            self.changed.set()

    def _on_tools(self, ev: FunctionToolsExecutedEvent) -> None:
        for call, output in ev.zipped():
            try:
                arguments = json.loads(call.arguments or "{}")
            except ValueError:
                arguments = {"raw": call.arguments}
            self.record.tool_calls.append(
                ToolCallRecord(
                    turn_index=self.turn_index,
                    name=call.name,
                    arguments=arguments if isinstance(arguments, dict) else {"value": arguments},
                    output=output.output if output is not None else "",
                )
            )

    def _on_event(self, event: Any) -> None:
        sidecar = self.call.sidecar
        audio_s = sidecar.audio_s if sidecar is not None else 0.0
        self.record.events.append(_event_dict(event, audio_s=audio_s, turn_index=self.turn_index))

    async def wait_agent_line(self, count: int, *, timeout_s: float) -> str | None:
        """Wait until the agent has said ``count`` lines; return the last one (``None`` on timeout)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while len(self.agent_lines) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                return None
        return self.agent_lines[count - 1]


def _stand_in_utterance(utterance: Utterance, span: tuple[float, float]) -> ScriptedUtterance:
    (text, confidence), *rest = utterance.stand_in
    return ScriptedUtterance(
        start_s=span[0], end_s=span[1], text=text, confidence=confidence, alternatives=tuple(rest), delay_s=0.3
    )


def _first_phone(text: str | None, *, language: str) -> str | None:
    if not text:
        return None
    found = extract_phone_numbers(text, language=language, region="NO")
    return found[0].e164 if found else None


async def run_demo(options: DemoOptions | None = None, *, progress: Progress | None = None) -> DemoRecord:
    """Run the demo call; return its record (``record.ok`` tells whether the right number was confirmed)."""
    opts = options or DemoOptions()
    say = progress or (lambda _message: None)
    started = time.monotonic()
    scenario = Scenario(language=opts.language, number=opts.number)
    caller_logic = ReactiveCaller(scenario)
    phrases = scenario.phrases
    engines, infos = _engines(opts.language)
    record = DemoRecord(
        language=opts.language, spoken_phone=scenario.e164, speed=opts.speed, engines=infos, greeting=phrases.greeting
    )
    pace = "as fast as possible" if opts.speed is None else f"caller audio at {opts.speed:g}× real time"
    say(f"an offline simulated call ({pace}); the timeline follows when it ends")
    say("loading the local Whisper model (worker thread)")
    await _load_engines(engines)

    async def speech(text: str) -> npt.NDArray[np.int16]:
        return await asyncio.to_thread(synthesize_speech, text, voice=phrases.voice, rate_wpm=phrases.rate_wpm)

    confirmed: list[PhoneCaptureResult] = []

    def on_confirmed(number: PhoneCaptureResult) -> None:
        confirmed.append(number)

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        instructions = f"{phrases.instructions}\n{phone_capture_instructions(opts.language)}"
        return Agent(instructions=instructions, tools=sidecar.tools())

    sidecar_options = SidecarOptions(
        language=opts.language, region="NO", transcript_timeout_s=opts.transcript_timeout_s
    )
    speed: float | Literal["max"] | None = opts.speed
    recorder = CallRecorder(opts.calls_dir) if opts.calls_dir is not None else None
    if recorder is not None:
        record.call_id, record.recording = recorder.call_id, str(recorder.folder)
    say("starting the call: AgentSession + RealtimeModel → fake realtime server on 127.0.0.1")
    async with offline_call(
        [],
        agent=agent,
        engines=engines,
        sidecar_options=sidecar_options,
        speed=speed,
        greeting="Greet the caller and ask for their phone number.",
        server_options={"default_reply": phrases.greeting, "tool_reply_timeout_s": opts.turn_timeout_s},
        on_phone_confirmed=on_confirmed,
        recorder=recorder,
    ) as call:
        assert call.sidecar is not None
        observer = _CallObserver(call, record)
        greeting = await observer.wait_agent_line(1, timeout_s=opts.turn_timeout_s)
        record.greeting = greeting or phrases.greeting
        utterance: Utterance | None = caller_logic.first()
        for index in range(opts.max_turns):
            if utterance is None:
                break
            turn = await _play_turn(call, observer, utterance, index, scenario=scenario, engines=engines, speech=speech)
            record.turns.append(turn)
            say(f"turn {index + 1}: caller says {utterance.text!r} ({turn.start_s:.2f}–{turn.end_s:.2f} s)")
            try:
                await call.caller.wait_idle(timeout_s=opts.turn_timeout_s)
                await call.server.wait_for_turns(index + 1, timeout_s=opts.turn_timeout_s)
            except TimeoutError:
                record.error = f"turn {index + 1} did not finish within {opts.turn_timeout_s:.0f} s"
                break
            turn.agent_said = await observer.wait_agent_line(observer.lines_before_turn + 1, timeout_s=10.0)
            if turn.agent_said is not None:
                say(f"turn {index + 1}: agent says {turn.agent_said!r}")
            if call.sidecar.phone.machine.done or turn.agent_said is None:
                break
            utterance = caller_logic.answer(turn.agent_said)
        else:
            record.error = f"the caller gave up after {opts.max_turns} turns"
        say("waiting for the sidecar engines' last transcripts")
        await call.sidecar.turn_transcript(timeout_s=opts.transcript_timeout_s)
        _fill_transcripts(call, record)
        record.call_audio_s = call.sidecar.audio_s
        record.costs = engine_costs(call.sidecar)

    _summarize(record, confirmed, language=opts.language)
    record.elapsed_s = time.monotonic() - started
    return record


async def _play_turn(
    call: OfflineCall,
    observer: _CallObserver,
    utterance: Utterance,
    index: int,
    *,
    scenario: Scenario,
    engines: Mapping[str, stt.STT[Any]],
    speech: Callable[[str], Awaitable[npt.NDArray[np.int16]]],
) -> TurnRecord:
    """Script the realtime model's side of one caller turn, and say it: the caller's audio, and what the scripted
    stand-in engine hears in it."""
    observer.turn_index = index
    tool = utterance.tool

    def reply(outputs: list[ToolOutput], tool: str = tool) -> str:
        return scenario.agent_reply(tool, outputs[0].output if outputs else "")

    call.server.script.append(
        CallerTurn(
            transcript=utterance.realtime_heard,
            function_calls=[ScriptedFunctionCall(utterance.tool, dict(utterance.tool_arguments))],
            reply=reply,
        )
    )
    pcm = await speech(utterance.text)
    observer.lines_before_turn = len(observer.agent_lines)
    span = call.caller.say(pcm)
    stand_in = engines.get(STAND_IN)
    if isinstance(stand_in, ScriptedEngine) and utterance.stand_in:
        stand_in.add_utterance(_stand_in_utterance(utterance, span))
    return TurnRecord(index=index, kind=utterance.kind, caller_said=utterance.text, start_s=span[0], end_s=span[1])


def _summarize(record: DemoRecord, confirmed: Sequence[PhoneCaptureResult], *, language: str) -> None:
    """The numbers the call ended with: the one confirmed, and what each ear heard in the caller's number turn."""
    if confirmed:
        record.confirmed_phone = confirmed[0].e164
    number_turn = next((t for t in record.turns if t.kind == "number"), None)
    if number_turn is not None:
        record.realtime_phone = _first_phone(number_turn.realtime_transcript, language=language)
        record.sidecar_phones = {
            name: _first_phone(text, language=language) for name, text in number_turn.sidecar.items()
        }


def _fill_transcripts(call: OfflineCall, record: DemoRecord) -> None:
    """Each turn's realtime transcript and each engine's finals whose midpoint falls in the turn's audio."""
    sidecar = call.sidecar
    assert sidecar is not None
    realtime = call.server.transcripts()
    ledger_turns = sidecar.ledger.turns
    for i, turn in enumerate(record.turns):
        if i < len(ledger_turns) and ledger_turns[i].realtime_transcript is not None:
            turn.realtime_transcript = ledger_turns[i].realtime_transcript
        elif i < len(realtime):
            turn.realtime_transcript = realtime[i]
        begin = turn.start_s - 0.5
        end = record.turns[i + 1].start_s if i + 1 < len(record.turns) else float("inf")
        for name in sidecar.engines:
            finals = [
                s
                for s in sidecar.ledger.segments(source=name)
                if begin <= (s.start_s + s.end_s) / 2 < end and s.text.strip()
            ]
            turn.sidecar[name] = " ".join(s.text for s in finals)
            turn.nbest[name] = [
                (a.text, None if a.confidence is None else round(a.confidence, 3))
                for s in finals
                for a in s.alternatives
            ]
