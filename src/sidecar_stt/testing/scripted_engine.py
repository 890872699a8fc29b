"""``ScriptedEngine``: a streaming LiveKit ``stt.STT`` whose transcripts are scripted on the audio clock.

Tests and the offline demo use it as the "accurate STT": it hears exactly what the script says, at the audio
time the script says, with the n-best list and confidences the script gives. Time is keyed to the audio the
stream receives, so results do not depend on how fast the audio is played::

    engine = ScriptedEngine([
        ScriptedUtterance(start_s=0.4, end_s=2.6, text="ni to tre fire fem seks sju åtte",
                          confidence=0.93, alternatives=(("ni to tre fire fem seks sju fem", 0.41),)),
    ])

Each stream honours LiveKit's ``RecognizeStream.start_time_offset`` convention: the first audio it receives is
at ``start_time_offset`` seconds on the script's clock, and every time it reports is on that clock too. A final
is sent once the stream's audio reaches ``end_s + delay_s``, or ``delay_s`` of wall time after the audio reached
``end_s`` (so a final still arrives when the caller's audio pauses).

The engine also listens: it measures which of its audio holds speech (RMS above ``speech_dbfs``), and an
utterance whose span turns out to hold less than a quarter of speech when its final is due is *unheard*: a
script keyed to the wrong times. It is logged as a warning, kept in :attr:`ScriptedEngine.unheard`, and
:func:`~sidecar_stt.testing.offline_call` raises :class:`UnheardUtteranceError` for it when the call ends.

Faults can be injected to test recovery: ``fail_at_s`` raises ``APIConnectionError`` once the audio reaches that
time (``failures`` times over the engine's life); ``hang_at_s`` makes the stream that reaches it go silent
forever (streams opened later work);
``end_at_s`` closes the first stream cleanly at that time, as a server that drops the connection.

A vendor's costs of a fresh connection can be modelled: ``connect_delay_s`` passes before a new stream takes
audio, ``max_speed`` caps how much faster than real time a stream works through audio pushed in a burst (a replay),
and ``hear_cut_utterances=False`` makes a stream deaf to an utterance that began before its first audio (as a real
engine would hear only its tail).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import (
    DEFAULT_API_CONNECT_OPTIONS,
    APIConnectionError,
    APIConnectOptions,
    LanguageCode,
    stt,
)
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString
from livekit.agents.utils import AudioBuffer

from ..errors import ConfigurationError
from ..log import logger

__all__ = ["ScriptedEngine", "ScriptedUtterance", "UnheardUtteranceError", "engine_from_spec"]

_HEARD_FRACTION = 0.25
"""An utterance is heard when at least this share of its span holds speech."""


class UnheardUtteranceError(AssertionError):
    """Scripted utterances whose spans hold no caller speech: the script's times do not match the audio."""

    def __init__(self, label: str, unheard: Sequence[ScriptedUtterance]) -> None:
        spans = ", ".join(f"{u.text!r} at {u.start_s:.2f}-{u.end_s:.2f} s" for u in unheard)
        super().__init__(
            f"scripted engine {label!r}: no caller speech under {spans}; key the utterances to the times the caller "
            "speaks (testing.planned_spans gives them)"
        )
        self.unheard = tuple(unheard)


@dataclass(frozen=True)
class ScriptedUtterance:
    """What the scripted engine "hears" between ``start_s`` and ``end_s`` on the audio clock.

    ``text``/``confidence`` is the top hypothesis; ``alternatives`` are the further n-best entries as
    ``(text, confidence)`` pairs, in the engine's order. ``delay_s`` is the engine's latency after ``end_s``.
    """

    start_s: float
    end_s: float
    text: str
    confidence: float = 0.9
    alternatives: tuple[tuple[str, float], ...] = ()
    delay_s: float = 0.3
    interim: bool = True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScriptedUtterance:
        alternatives = tuple((str(a["text"]), float(a.get("confidence", 0.5))) for a in data.get("alternatives", ()))
        return cls(
            start_s=float(data["start_s"]),
            end_s=float(data["end_s"]),
            text=str(data["text"]),
            confidence=float(data.get("confidence", 0.9)),
            alternatives=alternatives,
            delay_s=float(data.get("delay_s", 0.3)),
            interim=bool(data.get("interim", True)),
        )


@dataclass
class _FaultState:
    failures_left: int
    streams_started: int = 0
    recognized: int = 0
    received: list[bytes] = field(default_factory=list)


class ScriptedEngine(stt.STT[Any]):
    """A streaming STT that emits scripted transcripts keyed to audio time. Public test double."""

    def __init__(
        self,
        utterances: Sequence[ScriptedUtterance],
        *,
        language: str = "nb",
        fail_at_s: float | None = None,
        failures: int = 1,
        hang_at_s: float | None = None,
        end_at_s: float | None = None,
        record_audio: bool = True,
        label: str = "scripted",
        speech_dbfs: float = -45.0,
        connect_delay_s: float = 0.0,
        max_speed: float | None = None,
        hear_cut_utterances: bool = True,
    ) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=True))
        self._utterances = sorted(utterances, key=lambda u: u.start_s)
        self._language = language
        self._fail_at_s = fail_at_s
        self._hang_at_s = hang_at_s
        self._end_at_s = end_at_s
        self._record_audio = record_audio
        self._faults = _FaultState(failures_left=failures if fail_at_s is not None else 0)
        self._label = label
        self._speech_level = 32768.0 * 10.0 ** (speech_dbfs / 20.0)
        self._speech: list[tuple[float, float]] = []  # spans of received audio that hold speech, script clock
        self._unheard: list[ScriptedUtterance] = []
        self._connect_delay_s = connect_delay_s
        self._max_speed = max_speed
        self._hear_cut = hear_cut_utterances

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> ScriptedEngine:
        """Load a script: ``{"language": "nb", "utterances": [{"start_s": .., "end_s": .., "text": ..,
        "confidence": .., "alternatives": [{"text": .., "confidence": ..}], "delay_s": ..}]}``."""
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            utterances = [ScriptedUtterance.from_dict(u) for u in data["utterances"]]
        except FileNotFoundError as e:
            raise ConfigurationError(f"scripted engine file not found: {p}") from e
        except (ValueError, KeyError, TypeError) as e:
            raise ConfigurationError(f"scripted engine file {p} is not a valid script: {e}") from e
        kwargs.setdefault("language", str(data.get("language", "nb")))
        return cls(utterances, **kwargs)

    @property
    def model(self) -> str:
        return "scripted"

    @property
    def provider(self) -> str:
        return "sidecar-stt"

    @property
    def utterances(self) -> tuple[ScriptedUtterance, ...]:
        return tuple(self._utterances)

    def add_utterance(self, utterance: ScriptedUtterance) -> None:
        """Script one more utterance while the engine runs (for callers that react to the agent)."""
        self._utterances.append(utterance)
        self._utterances.sort(key=lambda u: u.start_s)

    @property
    def unheard(self) -> tuple[ScriptedUtterance, ...]:
        """Utterances finalised over audio that held (almost) no speech: see the module docstring."""
        return tuple(self._unheard)

    def _hear(self, frame: rtc.AudioFrame, start_s: float) -> None:
        pcm = np.frombuffer(frame.data, dtype=np.int16).astype(np.int64)
        # the frame's RMS against the speech level, squared: an integer dot product (numpy's own loop, no BLAS)
        if pcm.size == 0 or int(np.dot(pcm, pcm)) <= self._speech_level**2 * pcm.size:
            return
        end_s = start_s + frame.samples_per_channel / frame.sample_rate
        if self._speech and start_s - self._speech[-1][1] < 1e-6:
            self._speech[-1] = (self._speech[-1][0], end_s)
        else:
            self._speech.append((start_s, end_s))

    def _check_heard(self, u: ScriptedUtterance) -> None:
        span = u.end_s - u.start_s
        speech = sum(max(0.0, min(b, u.end_s) - max(a, u.start_s)) for a, b in self._speech)
        if span > 0 and speech < _HEARD_FRACTION * span and u not in self._unheard:
            self._unheard.append(u)
            logger.warning(
                "scripted utterance has no caller speech under its span",
                extra={"engine": self._label, "start_s": u.start_s, "end_s": u.end_s},
            )

    @property
    def streams_started(self) -> int:
        """How many streams were opened (1 + the number of restarts)."""
        return self._faults.streams_started

    def received_audio(self) -> bytes:
        """All PCM16 bytes every stream of this engine received, in order (replays included); empty when the
        engine was made with ``record_audio=False``."""
        return b"".join(self._faults.received)

    async def _recognize_impl(
        self,
        buffer: AudioBuffer,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        # a batch request carries no position on the script's clock: each one hears the next utterance
        index = self._faults.recognized
        self._faults.recognized += 1
        if index >= len(self._utterances):
            return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[])
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=self._speech_data(self._utterances[index], final=True),
        )

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> ScriptedStream:
        self._faults.streams_started += 1
        return ScriptedStream(engine=self, conn_options=conn_options)

    # -- used by the stream --------------------------------------------------------------------------

    def _speech_data(self, u: ScriptedUtterance, *, final: bool) -> list[stt.SpeechData]:
        words = u.text.split()
        if not final:
            partial = " ".join(words[: max(1, len(words) // 2)])
            return [
                stt.SpeechData(
                    language=LanguageCode(self._language),
                    text=partial,
                    start_time=u.start_s,
                    end_time=(u.start_s + u.end_s) / 2,
                    confidence=u.confidence,
                )
            ]
        step = (u.end_s - u.start_s) / max(1, len(words))
        timed = [
            TimedString(w, start_time=u.start_s + i * step, end_time=u.start_s + (i + 1) * step)
            for i, w in enumerate(words)
        ]
        primary = stt.SpeechData(
            language=LanguageCode(self._language),
            text=u.text,
            start_time=u.start_s,
            end_time=u.end_s,
            confidence=u.confidence,
            words=timed,
        )
        rest = [
            stt.SpeechData(
                language=LanguageCode(self._language), text=t, start_time=u.start_s, end_time=u.end_s, confidence=c
            )
            for t, c in u.alternatives
        ]
        return [primary, *rest]

    def _should_end(self, audio_s: float) -> bool:
        if self._end_at_s is None or audio_s < self._end_at_s:
            return False
        self._end_at_s = None
        return True

    def _should_fail(self, audio_s: float) -> bool:
        if self._fail_at_s is None or self._faults.failures_left <= 0 or audio_s < self._fail_at_s:
            return False
        self._faults.failures_left -= 1
        return True


_CUT_TOLERANCE_S = 0.02
"""An utterance that begins this little before a stream's first audio still counts as heard from its start."""


def engine_from_spec(model: str, params: dict[str, str]) -> ScriptedEngine:
    """The ``scripted:<script.json>[?language=..&label=..]`` engine kind: registered as a plugin in the
    ``sidecar_stt.engines`` entry-point group (the library never imports the test kit itself)."""
    unknown = sorted(set(params) - {"language", "label"})
    if unknown:
        raise ConfigurationError(f"unknown parameter {unknown[0]!r} for scripted engines; valid: language, label")
    if not model:
        raise ConfigurationError("the scripted engine needs a file: scripted:<path>")
    kwargs: dict[str, Any] = {key: params[key] for key in ("language", "label") if key in params}
    return ScriptedEngine.from_file(model, **kwargs)


class _StreamEnded(Exception):
    """Internal: the scripted server closed the stream."""


class ScriptedStream(stt.RecognizeStream):
    """The stream of a :class:`ScriptedEngine`; see the module docstring for its timing."""

    def __init__(self, *, engine: ScriptedEngine, conn_options: APIConnectOptions) -> None:
        super().__init__(stt=engine, conn_options=conn_options)
        self._engine = engine

    async def _run(self) -> None:
        engine = self._engine
        origin_s = self.start_time_offset
        audio_s = origin_s
        done: set[int] = set()  # utterances this stream has finished with

        def pending() -> list[ScriptedUtterance]:
            # heard only if it ends after the stream began (or, strictly, begins after); read live so added
            # utterances count
            return [
                u
                for u in engine._utterances
                if u.end_s > origin_s
                and (engine._hear_cut or u.start_s >= origin_s - _CUT_TOLERANCE_S)
                and id(u) not in done
            ]

        started: set[int] = set()
        interim_sent: set[int] = set()
        reached_end_at: dict[int, float] = {}
        hung = False
        rescheduled = asyncio.Event()  # set when a final's wall-clock deadline appears

        async def consume() -> None:
            nonlocal audio_s
            if engine._connect_delay_s > 0:
                await asyncio.sleep(engine._connect_delay_s)
            began = time.monotonic()
            async for item in self._input_ch:
                if isinstance(item, rtc.AudioFrame):
                    if engine._record_audio:
                        engine._faults.received.append(bytes(item.data.cast("B")))
                    engine._hear(item, audio_s)
                    audio_s += item.samples_per_channel / item.sample_rate
                    if engine._max_speed is not None:
                        ahead_s = (audio_s - origin_s) / engine._max_speed - (time.monotonic() - began)
                        if ahead_s > 0:
                            await asyncio.sleep(ahead_s)
                    if self._input_ch.empty():  # once per batch of frames the sidecar pushed
                        step()
                else:  # a flush marks the end of a batch too
                    step()

        def step() -> None:
            nonlocal hung
            if hung:
                return
            if engine._hang_at_s is not None and audio_s >= engine._hang_at_s:
                hung = True
                engine._hang_at_s = None  # one stream hangs; a restarted one works
                return
            if engine._should_end(audio_s):
                raise _StreamEnded
            if engine._should_fail(audio_s):
                raise APIConnectionError("scripted engine disconnected", retryable=True)
            now = time.monotonic()
            for u in pending():
                key = id(u)
                if audio_s >= u.start_s and key not in started:
                    started.add(key)
                    self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.START_OF_SPEECH))
                if u.interim and audio_s >= (u.start_s + u.end_s) / 2 and key not in interim_sent:
                    interim_sent.add(key)
                    self._event_ch.send_nowait(
                        stt.SpeechEvent(
                            type=stt.SpeechEventType.INTERIM_TRANSCRIPT,
                            alternatives=engine._speech_data(u, final=False),
                        )
                    )
                if audio_s >= u.end_s:
                    if key not in reached_end_at:
                        reached_end_at[key] = now
                        rescheduled.set()
                    if audio_s >= u.end_s + u.delay_s or now - reached_end_at[key] >= u.delay_s:
                        done.add(key)
                        engine._check_heard(u)
                        self._event_ch.send_nowait(
                            stt.SpeechEvent(
                                type=stt.SpeechEventType.FINAL_TRANSCRIPT,
                                alternatives=engine._speech_data(u, final=True),
                            )
                        )
                        self._event_ch.send_nowait(stt.SpeechEvent(type=stt.SpeechEventType.END_OF_SPEECH))

        def flush_heard() -> None:
            # end of input: whatever was heard completely is final now
            for u in pending():
                if audio_s >= u.end_s:
                    done.add(id(u))
                    engine._check_heard(u)
                    self._event_ch.send_nowait(
                        stt.SpeechEvent(
                            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
                            alternatives=engine._speech_data(u, final=True),
                        )
                    )

        consumer = asyncio.create_task(consume())
        try:
            # a final whose delay runs out while the caller's audio pauses is sent on a timer
            while not consumer.done():
                waits = [reached_end_at[id(u)] + u.delay_s for u in pending() if id(u) in reached_end_at]
                timeout = max(0.0, min(waits) - time.monotonic()) if waits and not hung else None
                rescheduled.clear()
                waiter = asyncio.ensure_future(rescheduled.wait())
                try:
                    await asyncio.wait({consumer, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiter.cancel()
                if not consumer.done():
                    step()
            consumer.result()
            if not hung:
                flush_heard()
        except _StreamEnded:
            return  # the "server" closed the stream in the middle of the audio
        finally:
            if not consumer.done():
                consumer.cancel()
