"""Live dialogues: the caller's turns added while an offline call runs, each answering what the agent just said.

:class:`LiveDialogue` wraps an :class:`~sidecar_stt.testing.session.OfflineCall`. :meth:`LiveDialogue.say` adds one
caller turn at once everywhere it has to be: the speech on the caller's line, what each scripted engine hears in
it (keyed to the voiced part of that speech), and what the realtime model hears and does (a
:class:`~sidecar_stt.testing.CallerTurn` appended to the server's script). :meth:`LiveDialogue.wait_for_reply`
returns once the agent's answer to that turn has played out, so the test reads what was said before the caller
answers it::

    dialogue = LiveDialogue(call)
    turn = dialogue.say(
        "nittito trettifire femtiseks syttiåtte",
        engines={"azure": [("nittito trettifire femtiseks syttiåtte", 0.8), ("... syttisju", 0.5)]},
        model=CallerTurn("nittito trettifire femtiseks syttisju", then=[ScriptedFunctionCall("capture_phone_number")]),
    )
    await dialogue.wait_for_reply(turn)
    print(dialogue.events)  # every Sidecar event: read-backs, refusals (with their reason), confirmations ...

Engines are named by the key the test gave them in ``offline_call(engines=...)``, in every error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, get_args

import numpy as np
import numpy.typing as npt
from livekit import rtc
from livekit.agents import llm

from ..adapters.livekit.events import SidecarEventTypes
from ..core.capture_events import CaptureStepRefusedEvent
from .audio import synthesize_speech, voiced_bounds
from .realtime_script import CallerTurn
from .scripted_engine import ScriptedEngine, ScriptedUtterance

if TYPE_CHECKING:
    from livekit.agents import stt

    from .realtime_server import FakeRealtimeServer
    from .session import OfflineCall

__all__ = ["EngineHearing", "LiveDialogue", "LiveTurn"]

SILENT_NBEST: Final[tuple[tuple[str, float], ...]] = ()
"""An engine's n-best for a turn it heard nothing in."""


@dataclass(frozen=True)
class EngineHearing:
    """What one scripted engine hears in a caller turn: its n-best list (best first; empty: nothing) and how long
    after the voiced end of the turn its final arrives."""

    nbest: Sequence[tuple[str, float]]
    delay_s: float = 0.3


Heard = EngineHearing | Sequence[tuple[str, float]] | str
"""An engine's hearing: an :class:`EngineHearing`, an n-best list, or one text (confidence 0.9)."""


@dataclass(frozen=True)
class LiveTurn:
    """A caller turn added by :meth:`LiveDialogue.say`."""

    index: int
    """1-based: the server's ``wait_for_turns(index)`` covers it."""
    span: tuple[float, float]
    """The voiced part of the turn on the caller's audio clock (where the engines' utterances are keyed)."""
    spoken_before: int
    """Spoken responses the server had sent when the turn was added."""


class LiveDialogue:
    """Caller turns added while an offline call runs; see the module docstring."""

    def __init__(
        self,
        call: OfflineCall,
        *,
        voice: str = "nb",
        rate_wpm: int = 190,
        default_delay_s: Mapping[str, float] | None = None,
    ) -> None:
        """``default_delay_s``: each engine's final latency when a turn does not give one (0.3 s otherwise)."""
        self.call = call
        self._voice = voice
        self._rate_wpm = rate_wpm
        self._delays = dict(default_delay_s or {})
        self.events: list[Any] = []
        """Every event the call's Sidecar emitted, in order."""
        sidecar = call.sidecar
        if sidecar is not None:
            for name in get_args(SidecarEventTypes):
                sidecar.on(name, self.events.append)

    @property
    def refusals(self) -> list[CaptureStepRefusedEvent]:
        """The capture's refused tool calls, each with the rule that refused it (``reason``)."""
        return [e for e in self.events if isinstance(e, CaptureStepRefusedEvent)]

    @property
    def engines(self) -> Mapping[str, stt.STT[Any]]:
        """The call's sidecar engines, by the test's own keys."""
        return self.call.engines

    def say(
        self,
        said: str | npt.NDArray[np.int16],
        *,
        model: CallerTurn | None = None,
        engines: Mapping[str, Heard] | None = None,
        pause_before_s: float = 0.0,
    ) -> LiveTurn:
        """Add a caller turn now: ``said`` (text spoken with espeak-ng, or PCM) goes on the caller's line; each
        scripted engine hears ``engines[key]`` in it (an engine left out hears ``said`` itself when it is text,
        nothing when it is audio); the realtime model hears and does ``model`` (by default: hears ``said`` and
        answers "Mm.")."""
        hearing = dict(engines or {})
        unknown = sorted(set(hearing) - set(self.engines))
        if unknown:
            raise KeyError(f"no engine {unknown[0]!r} in this call (its engines: {', '.join(sorted(self.engines))})")
        for key in hearing:
            if not isinstance(self.engines[key], ScriptedEngine):
                raise TypeError(f"engine {key!r} is not a ScriptedEngine: its hearing cannot be scripted")
        text = said if isinstance(said, str) else None
        pcm = synthesize_speech(said, voice=self._voice, rate_wpm=self._rate_wpm) if isinstance(said, str) else said
        server = self.call.server
        turn = model or CallerTurn(transcript=text or "", reply="Mm.")
        server.script.append(turn)
        spoken_before = _spoken_responses(server)
        # nothing awaits between queuing the audio and scripting the engines: no frame is delivered in between
        start_s, _ = self.call.caller.say(pcm, pause_before_s=pause_before_s)
        first, end = voiced_bounds(pcm, sample_rate=self.call.caller.sample_rate)
        if end <= first:
            first, end = 0, len(pcm)
        rate = self.call.caller.sample_rate
        span = (start_s + first / rate, start_s + end / rate)
        for key, engine in self.engines.items():
            if not isinstance(engine, ScriptedEngine):
                continue
            heard = _hearing(hearing.get(key, text or ""), self._delays.get(key, 0.3))
            if heard.nbest:
                (best, confidence), *rest = heard.nbest
                engine.add_utterance(
                    ScriptedUtterance(
                        start_s=span[0],
                        end_s=span[1],
                        text=best,
                        confidence=confidence,
                        alternatives=tuple(rest),
                        delay_s=heard.delay_s,
                    )
                )
        return LiveTurn(index=len(server.script), span=span, spoken_before=spoken_before)

    async def wait_for_reply(self, turn: LiveTurn, *, timeout_s: float = 30.0) -> list[llm.ChatMessage]:
        """Wait until the caller's audio was delivered, the server answered ``turn`` (its tool calls and reply)
        and the session has played every spoken reply the server sent for it; return the agent's messages."""
        call = self.call
        await call.caller.wait_idle(timeout_s=timeout_s)
        await call.server.wait_for_turns(turn.index, timeout_s=timeout_s)
        await call.server.wait_idle(timeout_s=timeout_s)
        return await self.wait_for_played(timeout_s=timeout_s)

    async def wait_for_played(self, *, timeout_s: float = 30.0) -> list[llm.ChatMessage]:
        """Wait until the session has played every spoken response the server sent so far."""
        spoken = _spoken_responses(self.call.server)
        return await self.call.wait_for_agent_messages(spoken, timeout_s=timeout_s)

    async def press_keys(self, keys: str, *, timeout_s: float = 30.0) -> None:
        """The caller types ``keys`` (digits, ``*``, ``#``) on a phone line: SIP DTMF events on the call's room
        (``offline_call(room=...)``); returns once the agent's reply to them has played."""
        room = self.call.room
        if room is None:
            raise RuntimeError("press_keys needs offline_call(room=...): a phone line's keys arrive on the room")
        server = self.call.server
        before = server.responses_done
        for key in keys:
            code = {"*": 10, "#": 11}.get(key)
            room.emit("sip_dtmf_received", rtc.SipDTMF(code=int(key) if code is None else code, digit=key))
        await server.wait_until(lambda: server.responses_done > before, timeout_s=timeout_s)
        await server.wait_idle(timeout_s=timeout_s)
        await self.wait_for_played(timeout_s=timeout_s)


def _hearing(heard: Heard, delay_s: float) -> EngineHearing:
    if isinstance(heard, EngineHearing):
        return heard
    if isinstance(heard, str):
        return EngineHearing(((heard, 0.9),) if heard.strip() else SILENT_NBEST, delay_s)
    return EngineHearing(tuple((str(t), float(c)) for t, c in heard), delay_s)


def _spoken_responses(server: FakeRealtimeServer) -> int:
    """Spoken responses the server has sent (each becomes one agent message once played)."""
    return sum(1 for e in server.sent_events if e.get("type") == "response.output_audio_transcript.done")
