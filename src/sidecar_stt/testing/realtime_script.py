"""Script types and the energy VAD of :class:`~sidecar_stt.testing.realtime_server.FakeRealtimeServer`.

A script is a list of :class:`CallerTurn`. The *i*-th speech segment the server detects in the appended caller
audio is turn *i*: the server reports the turn's scripted ``transcript`` as the realtime model's own (possibly
wrong) input transcription, then answers with the turn's ``function_calls`` and spoken ``reply``::

    script = [
        CallerTurn(transcript="hei, jeg vil bestille time"),
        CallerTurn(
            transcript="nummeret mitt er ni to tre fire",
            function_calls=[ScriptedFunctionCall("capture_phone", {"number": "9234"})],
            reply=lambda outputs: f"Takk, jeg noterte {outputs[0].output}.",
        ),
    ]

Public names: :class:`ScriptedFunctionCall`, :class:`CallerTurn`, :class:`ToolOutput`, :class:`TurnSpan`,
:class:`VadOptions`, :class:`EnergyVad` (with :class:`SpeechBoundary`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

import numpy as np

__all__ = [
    "CallerTurn",
    "EnergyVad",
    "FakeServerState",
    "FollowUpCall",
    "ReplySpec",
    "ScriptedFunctionCall",
    "SpeechBoundary",
    "ToolOutput",
    "TurnSpan",
    "UnknownToolError",
    "VadOptions",
    "resolve_reply",
    "transcript_deltas",
]


class UnknownToolError(LookupError):
    """A scripted function call names a tool the client's session does not have (a typo, or the tool of another
    agent or task). The fake server records it as a failure: its waiters raise it at once."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        listed = ", ".join(sorted(known)) or "none"
        super().__init__(f"scripted function call {name!r} names no tool of the session (its tools: {listed})")
        self.name = name


class ToolOutput(NamedTuple):
    """A tool result the client sent back (``conversation.item.create`` of a ``function_call_output``)."""

    call_id: str
    name: str
    """Name of the function call this output answers ("" when the call is unknown to the server)."""
    output: str


ReplySpec = str | Callable[[list[ToolOutput]], str]
"""A spoken reply: fixed text, or a function of the tool outputs the client returned for the turn."""


@dataclass(frozen=True)
class ScriptedFunctionCall:
    """A function call the fake realtime model makes in answer to a caller turn."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


FollowUpCall = ScriptedFunctionCall | Callable[[list[ToolOutput]], ScriptedFunctionCall | None]
"""A call the model makes after the previous ones' results came back: fixed, or chosen from every output of the
turn so far (``None``: no further call; the model speaks its reply)."""


@dataclass(frozen=True)
class CallerTurn:
    """One caller turn of a script.

    Attributes:
        transcript: the realtime model's own transcript of the turn (sent as input audio transcription).
        function_calls: calls the model makes at once, in one response, before it speaks; the spoken reply then
            waits for the client's tool outputs and the client's ``response.create``.
        then: calls the model makes one after another in the same turn, each in its own response once the client
            returned the previous results (as a real model calls a second tool after reading the first one's
            answer); a callable sees every output so far and may stop the sequence. Without ``function_calls``
            the first of them opens the turn.
        reply: the spoken reply; a callable receives the tool outputs of this turn's calls.
    """

    transcript: str
    function_calls: Sequence[ScriptedFunctionCall] = ()
    reply: ReplySpec = ""
    then: Sequence[FollowUpCall] = ()

    def opening_calls(self) -> list[ScriptedFunctionCall]:
        """The calls of the turn's first response: ``function_calls``, else the first of ``then``."""
        if self.function_calls:
            return list(self.function_calls)
        first = self._then(0, [])
        return [first] if first is not None else []

    def next_call(self, made: int, outputs: list[ToolOutput]) -> ScriptedFunctionCall | None:
        """The call after the opening response and ``made`` follow-ups, given the outputs so far (``None``: the
        sequence ends and the model speaks)."""
        return self._then(made + (0 if self.function_calls else 1), outputs)

    def _then(self, index: int, outputs: list[ToolOutput]) -> ScriptedFunctionCall | None:
        if index >= len(self.then):
            return None
        step = self.then[index]
        return step if isinstance(step, ScriptedFunctionCall) else step(list(outputs))


class TurnSpan(NamedTuple):
    """A speech segment the server detected, in seconds on the clock of the appended audio stream."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class VadOptions:
    """Energy VAD settings of the fake server.

    Attributes:
        threshold_dbfs: a 10 ms frame whose RMS level is above this is voiced.
        min_speech_s: voiced audio needed (consecutively) before speech is reported.
        silence_s: hangover; unvoiced audio needed to end a speech segment.
        frame_s: analysis frame length.
    """

    threshold_dbfs: float = -45.0
    min_speech_s: float = 0.1
    silence_s: float = 0.5
    frame_s: float = 0.01
    prefix_padding_s: float = 0.0
    """Audio before the detected start that the reported start includes (``audio_start_ms``), as the service
    does with ``prefix_padding_ms``."""

    @classmethod
    def from_turn_detection(cls, turn_detection: dict[str, Any]) -> VadOptions:
        """The energy-VAD stand-in for a session's ``turn_detection``.

        ``server_vad``: ``silence_duration_ms`` is the hangover, ``prefix_padding_ms`` the padding, and
        ``threshold`` (a speech probability, 0.5 by default) maps onto the energy threshold around -45 dBFS
        (+/- 4 dB per 0.1). ``semantic_vad`` cannot judge meaning here: its ``eagerness`` becomes a silence
        hangover of a quarter of the service's longest wait (low 2 s, medium/auto 1 s, high 0.5 s)."""
        if turn_detection.get("type") == "semantic_vad":
            eagerness = str(turn_detection.get("eagerness") or "auto")
            return cls(silence_s=_SEMANTIC_SILENCE_S.get(eagerness, 1.0), prefix_padding_s=0.3)
        raw_threshold = turn_detection.get("threshold")
        threshold = float(raw_threshold) if isinstance(raw_threshold, int | float) else 0.5
        silence_ms = turn_detection.get("silence_duration_ms")
        padding_ms = turn_detection.get("prefix_padding_ms")
        return cls(
            threshold_dbfs=-45.0 + (threshold - 0.5) * 40.0,
            silence_s=(float(silence_ms) if silence_ms is not None else 500.0) / 1000.0,
            prefix_padding_s=(float(padding_ms) if padding_ms is not None else 300.0) / 1000.0,
        )


_SEMANTIC_SILENCE_S = {"low": 2.0, "medium": 1.0, "auto": 1.0, "high": 0.5}


@dataclass(frozen=True)
class SpeechBoundary:
    """A start or end of speech found by :class:`EnergyVad`, at ``time_s`` on the stream clock."""

    kind: Literal["start", "end"]
    time_s: float


class EnergyVad:
    """Streaming RMS-energy voice activity detector over PCM16 mono.

    Feed bytes with :meth:`push`; it returns the boundaries completed by that audio. A start is reported at
    the first voiced frame of a run once ``min_speech_s`` of voiced frames follow it; an end at the end of
    the last voiced frame once ``silence_s`` of unvoiced audio follows.
    """

    def __init__(self, options: VadOptions | None = None, *, sample_rate: int = 24000) -> None:
        self._sample_rate = sample_rate
        self.configure(options or VadOptions())
        self._pending = b""
        self._frame_index = 0
        self._in_speech = False
        self._run_start: int | None = None
        self._run_len = 0
        self._last_voiced_end = 0
        self._silent_run = 0

    def configure(self, options: VadOptions) -> None:
        """Use ``options`` from now on (the audio clock keeps running; the frame length stays the first one)."""
        self._opts = options
        if not hasattr(self, "_frame_samples"):
            self._frame_samples = max(1, round(options.frame_s * self._sample_rate))
        frame_s = self._frame_samples / self._sample_rate
        self._threshold = 32768.0 * 10.0 ** (options.threshold_dbfs / 20.0)
        self._min_speech_frames = max(1, math.ceil(options.min_speech_s / frame_s - 1e-9))
        self._silence_frames = max(1, math.ceil(options.silence_s / frame_s - 1e-9))

    @property
    def options(self) -> VadOptions:
        return self._opts

    @property
    def in_speech(self) -> bool:
        """Whether a reported speech segment is still open."""
        return self._in_speech

    @property
    def time_s(self) -> float:
        """Audio time analysed so far (complete frames)."""
        return self._frame_index * self._frame_samples / self._sample_rate

    def reset(self) -> None:
        """Forget any open segment (the audio clock keeps running)."""
        self._in_speech = False
        self._run_start = None
        self._run_len = 0
        self._silent_run = 0

    def push(self, data: bytes) -> list[SpeechBoundary]:
        """Analyse more PCM16 little-endian mono audio; return the boundaries it completes."""
        buf = self._pending + data
        frame_bytes = self._frame_samples * 2
        n_frames = len(buf) // frame_bytes
        self._pending = buf[n_frames * frame_bytes :]
        if n_frames == 0:
            return []
        pcm = np.frombuffer(buf[: n_frames * frame_bytes], dtype="<i2").astype(np.float64)
        rms = np.sqrt(np.mean(pcm.reshape(n_frames, self._frame_samples) ** 2, axis=1))
        out: list[SpeechBoundary] = []
        for level in rms:
            self._step(bool(level > self._threshold), out)
        return out

    def _t(self, frame: int) -> float:
        return frame * self._frame_samples / self._sample_rate

    def _step(self, voiced: bool, out: list[SpeechBoundary]) -> None:
        idx = self._frame_index
        self._frame_index += 1
        if voiced:
            self._silent_run = 0
            self._last_voiced_end = idx + 1
            if not self._in_speech:
                if self._run_start is None:
                    self._run_start = idx
                    self._run_len = 0
                self._run_len += 1
                if self._run_len >= self._min_speech_frames:
                    self._in_speech = True
                    out.append(SpeechBoundary("start", self._t(self._run_start)))
                    self._run_start = None
            return
        if not self._in_speech:
            self._run_start = None
            self._run_len = 0
            return
        self._silent_run += 1
        if self._silent_run >= self._silence_frames:
            self._in_speech = False
            self._silent_run = 0
            out.append(SpeechBoundary("end", self._t(self._last_voiced_end)))


def resolve_reply(reply: ReplySpec, outputs: list[ToolOutput]) -> str:
    """The text of a scripted reply (a callable reply is given the tool outputs)."""
    return reply(outputs) if callable(reply) else reply


def transcript_deltas(text: str) -> list[str]:
    """A transcript in the word-by-word deltas the service streams."""
    parts = text.split(" ")
    return [p + " " for p in parts[:-1]] + [parts[-1]] if text else []


class FakeServerState(Protocol):
    """What a connection shares with its :class:`~sidecar_stt.testing.FakeRealtimeServer`: the script, the
    settings, the counters and logs the tests read (the server's own state, named here so the two modules do not
    import each other)."""

    vad_options: VadOptions | None
    default_reply: ReplySpec
    serialize_turns: bool
    reply_audio_s_per_char: float
    reply_audio_max_s: float
    reply_audio_speed: float | None
    tool_reply_timeout_s: float
    turn_gap_s: float
    client_events: list[dict[str, Any]]
    sent_events: list[dict[str, Any]]
    turn_spans: list[TurnSpan]
    completed_turns: int
    responses_done: int
    _received_audio: bytearray
    _call_names: dict[str, str]

    async def wait_until(self, predicate: Callable[[], bool], *, timeout_s: float = 10.0) -> None: ...

    def _notify(self) -> None: ...

    def _new_id(self, prefix: str) -> str: ...

    def _take_turn(self) -> CallerTurn: ...

    def _check_event(self, event: dict[str, Any]) -> None: ...

    def _record_failure(self, exc: BaseException) -> None: ...
