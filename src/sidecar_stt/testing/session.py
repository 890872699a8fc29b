"""``offline_call``: a real ``AgentSession`` on the real LiveKit OpenAI ``RealtimeModel``, fully offline.

The realtime model talks to a :class:`FakeRealtimeServer` on 127.0.0.1; the caller is a
:class:`CallerAudioInput`; the agent's audio goes to a :class:`CollectingAudioOutput`; a :class:`Sidecar` with the
given engines is attached. No LiveKit server, no keys::

    async with offline_call(script, engines={"azure": engine}, agent=lambda sc: MyAgent(sc.tools())) as call:
        call.caller.say(pcm)
        await call.server.wait_for_turns(1, timeout_s=10)      # the server has sent turn 1's whole exchange
        await call.wait_for_agent_messages(2, timeout_s=10)    # the session has the greeting and the reply

To script a conversation turn by turn while it runs (the caller answering what the agent actually said), wrap
the call in a :class:`~sidecar_stt.testing.dialogue.LiveDialogue`.

Two clocks: the server's waiters (``wait_for_turns``, ``wait_idle``) return when the server has *sent* an
exchange; the session adds the agent's reply to its chat history only once it has played it out. Assert on the
session (history, tool results) after :meth:`OfflineCall.wait_for_agent_messages`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from livekit import rtc
from livekit.agents import Agent, AgentSession, llm, stt, vad
from livekit.plugins import openai

from ..adapters.livekit import ConfirmedHook, Sidecar, SidecarOptions
from ..recording import CallRecorder
from .caller import CallerAudioInput
from .io import CollectingAudioOutput
from .realtime_script import CallerTurn
from .realtime_server import FakeRealtimeServer
from .scripted_engine import ScriptedEngine, UnheardUtteranceError

__all__ = ["OfflineCall", "UnplayedTurnsError", "offline_call", "quiet_session", "wait_for_agent_messages"]


class UnplayedTurnsError(AssertionError):
    """An offline call ended with scripted caller turns the server never answered, or caller audio never
    delivered: the test stopped waiting too early (or never spoke), so what it asserts did not happen."""


async def wait_for_agent_messages(
    session: AgentSession[Any],
    n: int,
    *,
    timeout_s: float = 10.0,
    failures: Sequence[BaseException] = (),
) -> list[llm.ChatMessage]:
    """Wait until the session's chat history holds ``n`` assistant messages (replies the agent has played out,
    or was interrupted in); return them all. ``failures`` is watched while waiting (a list another part
    appends to, such as :attr:`FakeRealtimeServer.errors`): its first entry is raised at once.

    Raises:
        TimeoutError: fewer than ``n`` within ``timeout_s``; the message says how many there were.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        replies = [m for m in session.history.items if isinstance(m, llm.ChatMessage) and m.role == "assistant"]
        if len(replies) >= n:
            return replies
        if failures:
            raise failures[0]
        if loop.time() >= deadline:
            raise TimeoutError(f"the session has {len(replies)} agent messages after {timeout_s} s, not {n}")
        await asyncio.sleep(0.02)


@dataclass
class OfflineCall:
    """Everything an offline call is made of; see :func:`offline_call`."""

    server: FakeRealtimeServer
    model: llm.RealtimeModel
    session: AgentSession[None]
    caller: CallerAudioInput
    output: CollectingAudioOutput
    sidecar: Sidecar | None
    engines: Mapping[str, stt.STT[Any]] = dataclasses.field(default_factory=dict)
    """The sidecar engines by the test's own keys."""
    room: rtc.Room | None = None

    async def wait_for_agent_messages(self, n: int, *, timeout_s: float = 10.0) -> list[llm.ChatMessage]:
        """:func:`wait_for_agent_messages` on this call's session; a failure of the server (an invalid event, an
        unknown tool in the script) is raised at once instead of waiting out the timeout."""
        return await wait_for_agent_messages(self.session, n, timeout_s=timeout_s, failures=self.server.errors)


def quiet_session(model: llm.RealtimeModel) -> AgentSession[None]:
    """An ``AgentSession`` on ``model`` with server-side turn detection and no local VAD or AEC warm-up."""
    return AgentSession(
        llm=model,
        vad=None,
        aec_warmup_duration=None,
        turn_handling={"turn_detection": "realtime_llm", "interruption": {"resume_false_interruption": False}},
    )


@contextlib.asynccontextmanager
async def offline_call(
    script: Sequence[CallerTurn],
    *,
    agent: Callable[[Sidecar | None], Agent],
    engines: Mapping[str, stt.STT[Any]] | None = None,
    sidecar_options: SidecarOptions | None = None,
    azure: bool = False,
    speed: float | Literal["max"] | None = None,
    greeting: str | None = None,
    server_options: Mapping[str, Any] | None = None,
    on_phone_confirmed: ConfirmedHook | None = None,
    recorder: CallRecorder | None = None,
    model: llm.RealtimeModel | None = None,
    session: Callable[[llm.RealtimeModel], AgentSession[None]] = quiet_session,
    caller: CallerAudioInput | None = None,
    playback_speed: float | None = None,
    sidecar_vad: vad.VAD | None = None,
    room: rtc.Room | None = None,
) -> AsyncIterator[OfflineCall]:
    """Run one offline call; on exit the session, model, sidecar and server are closed in that order.

    When the call ends without an error, a :class:`ScriptedEngine` among ``engines`` that finalised an utterance
    over audio without speech raises :class:`UnheardUtteranceError` naming it by its key (its script's times are
    wrong), and scripted turns the server never answered or caller audio still queued raise
    :class:`UnplayedTurnsError` (the test left before the call did what it asserts).

    ``agent`` builds the Agent from the Sidecar (``None`` without engines) so it can take ``sidecar.tools()``.
    ``greeting``, if given, is asked for with ``generate_reply`` before the caller speaks. ``recorder`` records
    the call (see :class:`~sidecar_stt.recording.CallRecorder`).
    ``model`` replaces the LiveKit OpenAI model on the fake server (e.g. ``ListeningRealtimeModel``); ``session``
    builds the ``AgentSession`` (default :func:`quiet_session`; pass one with LiveKit's defaults to exercise them);
    ``caller`` replaces the default caller (another sample rate, stereo); ``playback_speed`` paces the agent's
    playback (``None``: instant); ``sidecar_vad`` is the Sidecar's VAD. ``room`` (an unconnected ``rtc.Room`` is
    fine) is given to ``sidecar.attach`` for its SIP DTMF events.
    """
    async with FakeRealtimeServer(script, **dict(server_options or {})) as server:
        if model is not None:
            realtime = model
        elif azure:
            realtime = openai.realtime.RealtimeModel.with_azure(
                azure_endpoint=server.azure_endpoint, azure_deployment="gpt-realtime", api_key="offline"
            )
        else:
            realtime = openai.realtime.RealtimeModel(base_url=server.base_url, api_key="offline")
        sidecar = (
            Sidecar(
                engines,
                options=sidecar_options,
                vad=sidecar_vad,
                on_phone_confirmed=on_phone_confirmed,
                recorder=recorder,
            )
            if engines
            else None
        )
        agent_session = session(realtime)
        output = CollectingAudioOutput(playback_speed=playback_speed)
        agent_session.output.audio = output
        output.watch_session(agent_session)
        caller = caller or CallerAudioInput(speed=speed)
        try:
            await agent_session.start(agent(sidecar))
            if greeting is not None:
                await agent_session.generate_reply(instructions=greeting)
            agent_session.input.audio = caller
            if sidecar is not None:
                await sidecar.attach(agent_session, room=room)
            yield OfflineCall(
                server=server,
                model=realtime,
                session=agent_session,
                caller=caller,
                output=output,
                sidecar=sidecar,
                engines=dict(engines or {}),
                room=room,
            )
            _check_played(server, caller)
        finally:
            caller.finish()
            async with contextlib.AsyncExitStack() as closing:  # every part is closed even if one fails
                closing.push_async_callback(output.aclose)
                if sidecar is not None:
                    closing.push_async_callback(sidecar.aclose)
                closing.push_async_callback(realtime.aclose)
                closing.push_async_callback(agent_session.aclose)
        for key, engine in (engines or {}).items():
            if isinstance(engine, ScriptedEngine) and engine.unheard:
                raise UnheardUtteranceError(key, engine.unheard)


def _check_played(server: FakeRealtimeServer, caller: CallerAudioInput) -> None:
    """Raise :class:`UnplayedTurnsError` when the call is left with scripted turns unanswered or speech queued."""
    unplayed = len(server.script) - server.completed_turns
    if caller.speech_queued_s > 0.0 or unplayed > 0:
        raise UnplayedTurnsError(
            f"the offline call ended with {unplayed} scripted caller turn(s) unanswered and "
            f"{caller.speech_queued_s:.1f} s of caller speech not delivered; wait for them "
            "(call.server.wait_for_turns(n), caller.wait_idle(), LiveDialogue.wait_for_reply) before leaving "
            "offline_call"
        )
