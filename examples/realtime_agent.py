"""A LiveKit voice agent on a realtime model with an accurate Norwegian sidecar STT and phone-number capture.

Run it as LiveKit 1.8 documents it, with the LiveKit CLI (``lk``) driving the module's ``server``::

    lk agent console examples/realtime_agent.py   # talk to it in the terminal, no LiveKit server needed
    lk agent dev examples/realtime_agent.py       # join rooms on LIVEKIT_URL, reload on change
    python examples/realtime_agent.py start       # production worker

``python examples/realtime_agent.py console`` and ``dev`` still work through LiveKit's deprecated built-in CLI;
its terminal audio needs the PortAudio library, and without it the program says so in one line.

What it builds (every setting comes from the environment, see ``docs/CONFIGURATION.md``):

- the realtime model: OpenAI (``OPENAI_API_KEY``, ``OPENAI_REALTIME_MODEL``) or, when ``AZURE_OPENAI_*`` is set,
  Azure OpenAI on the GA endpoint (``RealtimeModel.with_azure`` without ``api_version``). The model's own input
  transcription stays on (language ``no``) so the chat history keeps the caller's words;
- the sidecar: the engines of ``SIDECAR_ENGINES`` (default ``azure:nb-NO``, Azure Speech with n-best) on a copy
  of the caller's audio, in the same ``AgentSession``;
- the agent: it answers in Norwegian; when it needs to know who is calling it calls ``identify_customer``, which
  runs :class:`~sidecar_stt.CapturePhoneNumberTask` (ask, read back, confirm; the number comes from the
  sidecar's transcripts, never from the model's own hearing) and then the business lookup
  :func:`lookup_customer`, which an application replaces with its own.

Configuration is checked once at startup by :func:`load_config`; a missing key or extra ends the program with
one message naming what is missing and exit code 2. Started by ``lk agent ...`` (which imports the module and
runs its ``server``), the check runs when a job starts, and a job without its configuration ends with that one
message in the log instead of a traceback.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Literal

from livekit import rtc
from livekit.agents import Agent, AgentServer, AgentSession, JobContext, RunContext, cli, function_tool, llm, stt
from livekit.agents.llm.tool_context import ToolError
from livekit.agents.voice.room_io import RoomOptions
from livekit.plugins import openai
from openai.types.realtime import AudioTranscription

from sidecar_stt.adapters.livekit import CapturePhoneNumberTask, Sidecar, SidecarOptions
from sidecar_stt.engines import from_spec
from sidecar_stt.engines.spec import ENTRY_POINT_GROUP, EngineSpec, missing_requirements, parse_spec
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.log import logger

__all__ = [
    "AgentConfig",
    "CustomerLookup",
    "build_agent",
    "build_engines",
    "build_realtime_model",
    "build_sidecar",
    "entrypoint",
    "load_config",
    "log_sidecar_events",
    "lookup_customer",
    "main",
    "server",
    "start_session",
]

PROGRAM = "realtime_agent"
DEFAULT_ENGINES = "azure:nb-NO"
DEFAULT_OPENAI_MODEL = "gpt-realtime"
DEFAULT_TRANSCRIPTION = {"openai": "gpt-4o-mini-transcribe", "azure": "whisper-1"}
"""The realtime model's own input transcription by provider (LiveKit's defaults), with language ``no``."""
RUN_COMMANDS = ("console", "dev", "start", "connect")
"""Commands that run the agent, so need a valid configuration. ``--help`` and the like need none."""
_LIVEKIT_VARIABLES = ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")
_AZURE_OPENAI_VARIABLES = ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENT")

_BUILTIN_KINDS = ("azure", "deepgram", "openai", "whisper", "scripted")

CustomerLookup = Callable[[str], Mapping[str, Any] | Awaitable[Mapping[str, Any]]]
"""The business lookup: E.164 number in, customer record out (sync or async)."""


# ---------------------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class AgentConfig:
    """Everything the agent needs from the environment, validated.

    Attributes:
        realtime: ``"openai"`` or ``"azure"`` (Azure OpenAI, GA endpoint).
        realtime_model: the OpenAI model, or the Azure deployment name.
        realtime_api_key: the key for the realtime model (not shown in ``repr``).
        azure_endpoint: the Azure OpenAI resource endpoint (``azure`` only).
        realtime_transcription: the model's own input-transcription model, or ``None`` when turned off.
        engines: the sidecar engines, by the name they get in the ledger and in events.
        language: caller language for parsing and read-back.
        region: default phone-number region.
    """

    realtime: Literal["openai", "azure"]
    realtime_model: str
    realtime_api_key: str = field(repr=False)
    azure_endpoint: str | None = None
    realtime_transcription: str | None = DEFAULT_TRANSCRIPTION["openai"]
    engines: Mapping[str, EngineSpec] = field(default_factory=dict)
    language: str = "nb"
    region: str = "NO"


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _engine_names(specs: Sequence[EngineSpec]) -> dict[str, EngineSpec]:
    """Name each engine by its kind; a kind used twice gets ``-2``, ``-3`` ... after the first."""
    named: dict[str, EngineSpec] = {}
    for spec in specs:
        name, n = spec.kind, 1
        while name in named:
            n += 1
            name = f"{spec.kind}-{n}"
        named[name] = spec
    return named


def _parse_engines(text: str) -> list[EngineSpec]:
    specs: list[EngineSpec] = []
    plugin_kinds = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            spec = parse_spec(part)
        except ConfigurationError as e:
            raise ConfigurationError(f"SIDECAR_ENGINES: {e}") from e
        if spec.kind not in _BUILTIN_KINDS and spec.kind not in plugin_kinds:
            valid = ", ".join(sorted({*_BUILTIN_KINDS, *plugin_kinds}))
            raise ConfigurationError(
                f"SIDECAR_ENGINES: unknown engine kind {spec.kind!r} in {part.strip()!r}; valid kinds: {valid}"
            )
        specs.append(spec)
    if not specs:
        raise ConfigurationError(f"SIDECAR_ENGINES is empty; give at least one engine, e.g. {DEFAULT_ENGINES}")
    return specs


def load_config(env: Mapping[str, str], *, command: str | None = None) -> AgentConfig:
    """Read and check the configuration in ``env`` (usually ``os.environ``).

    ``command`` is the CLI command about to run; ``dev``, ``start`` and ``connect`` also need the LiveKit
    server variables (``console`` does not).

    Raises:
        ConfigurationError: one message naming every missing variable and extra, or the malformed setting.
    """
    missing: dict[str, list[str]] = {}  # what needs it -> variables
    extras: list[str] = []

    azure_given = [name for name in _AZURE_OPENAI_VARIABLES if _get(env, name)]
    transcription = _get(env, "SIDECAR_REALTIME_TRANSCRIPTION")
    realtime: Literal["openai", "azure"]
    if azure_given:
        realtime = "azure"
        absent = [name for name in _AZURE_OPENAI_VARIABLES if name not in azure_given]
        if absent:
            missing["Azure OpenAI realtime model"] = absent
        if _get(env, "OPENAI_API_VERSION"):
            raise ConfigurationError(
                "unset OPENAI_API_VERSION: with it LiveKit uses Azure's deprecated preview realtime endpoint; "
                "the GA endpoint needs no api version"
            )
        model = _get(env, "AZURE_OPENAI_DEPLOYMENT")
        api_key = _get(env, "AZURE_OPENAI_API_KEY")
        endpoint: str | None = _get(env, "AZURE_OPENAI_ENDPOINT")
    else:
        realtime = "openai"
        if not _get(env, "OPENAI_API_KEY"):
            missing[
                "realtime model; or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, AZURE_OPENAI_DEPLOYMENT for Azure"
            ] = ["OPENAI_API_KEY"]
        model = _get(env, "OPENAI_REALTIME_MODEL") or DEFAULT_OPENAI_MODEL
        api_key = _get(env, "OPENAI_API_KEY")
        endpoint = None
    if transcription.lower() in ("off", "none", "0", "false", "no"):
        realtime_transcription: str | None = None
    else:
        realtime_transcription = transcription or DEFAULT_TRANSCRIPTION[realtime]

    specs = _parse_engines(_get(env, "SIDECAR_ENGINES") or DEFAULT_ENGINES)
    for spec in specs:
        engine_missing, install = missing_requirements(spec, env)
        extra = None if install is None else f"the {spec.kind} engine needs {install}"
        already = {name for names in missing.values() for name in names}
        engine_missing = [name for name in engine_missing if name not in already]
        if engine_missing:
            missing.setdefault(f"{spec.kind} engine", engine_missing)
        if extra is not None and extra not in extras:
            extras.append(extra)

    if command in ("dev", "start", "connect"):
        absent = [name for name in _LIVEKIT_VARIABLES if not _get(env, name)]
        if absent:
            missing["LiveKit server"] = absent

    if missing or extras:
        parts = []
        if missing:
            parts.append("set " + "; ".join(f"{', '.join(names)} ({why})" for why, names in missing.items()))
        parts += extras
        raise ConfigurationError("missing configuration: " + "; ".join(parts) + ". See docs/CONFIGURATION.md")

    return AgentConfig(
        realtime=realtime,
        realtime_model=model,
        realtime_api_key=api_key,
        azure_endpoint=endpoint,
        realtime_transcription=realtime_transcription,
        engines=_engine_names(specs),
    )


# ---------------------------------------------------------------------------------------------- builders


def build_realtime_model(config: AgentConfig) -> llm.RealtimeModel:
    """The realtime model: OpenAI, or Azure OpenAI on the GA endpoint (no ``api_version``)."""
    transcription = (
        AudioTranscription(model=config.realtime_transcription, language="no")
        if config.realtime_transcription
        else None
    )
    if config.realtime == "azure":
        return openai.realtime.RealtimeModel.with_azure(
            azure_deployment=config.realtime_model,
            azure_endpoint=config.azure_endpoint,
            api_key=config.realtime_api_key,
            input_audio_transcription=transcription,
        )
    return openai.realtime.RealtimeModel(
        model=config.realtime_model, api_key=config.realtime_api_key, input_audio_transcription=transcription
    )


def build_engines(config: AgentConfig) -> dict[str, stt.STT[Any]]:
    """The sidecar engines of ``config`` (credentials are read from ``os.environ`` by each engine)."""
    return {name: from_spec(spec) for name, spec in config.engines.items()}


def build_sidecar(engines: Mapping[str, stt.STT[Any]], config: AgentConfig) -> Sidecar:
    """A :class:`~sidecar_stt.Sidecar` on ``engines`` with the configured language and region."""
    return Sidecar(engines, options=SidecarOptions(language=config.language, region=config.region))


def lookup_customer(e164: str) -> dict[str, Any]:
    """The business lookup, a stub: replace it with your CRM or order system (sync or async)."""
    return {"found": True, "customer_id": "demo-0001", "name": "Kari Nordmann", "open_orders": 1}


INSTRUCTIONS = (
    "Du er en vennlig kundebehandler som snakker norsk (bokmål). Svar kort og naturlig. "
    "Når du trenger å vite hvem som ringer, for eksempel for å finne en bestilling, kall identify_customer. "
    "Verktøyet spør selv etter telefonnummeret og får det bekreftet; ikke be om nummeret selv og ikke gjenta "
    "et nummer du har hørt. Når du trenger ordrett hva innringeren sa, kall get_accurate_transcript."
)


class CustomerServiceAgent(Agent):
    """Norwegian customer service that identifies the caller by phone number.

    ``identify_customer`` runs :class:`~sidecar_stt.CapturePhoneNumberTask` (whose instructions are
    :func:`~sidecar_stt.phone_capture_instructions` for ``language``) and then ``lookup`` on the confirmed E.164
    number; the record goes back to the model as JSON. The agent also gets ``get_accurate_transcript``.
    """

    def __init__(self, sidecar: Sidecar, lookup: CustomerLookup = lookup_customer, *, language: str = "nb") -> None:
        tools: list[llm.Tool | llm.Toolset] = [*sidecar.tools(phone=False)]
        super().__init__(instructions=INSTRUCTIONS, tools=tools)
        self._sidecar = sidecar
        self._lookup = lookup
        self._language = language

    @function_tool
    async def identify_customer(self, context: RunContext[None]) -> str:
        """Identify the caller: asks for their phone number, confirms it with them, and looks them up.
        Call it whenever you need to know who the caller is."""
        try:
            number = await CapturePhoneNumberTask(self._sidecar)
        except ToolError:
            logger.info("caller gave no phone number")
            return "Innringeren oppga ikke noe telefonnummer. Tilby å hjelpe på en annen måte."
        record = self._lookup(number.e164)
        if inspect.isawaitable(record):
            record = await record
        return "Kunden er slått opp. Kunderegister: " + json.dumps(dict(record), ensure_ascii=False)


def build_agent(sidecar: Sidecar, lookup: CustomerLookup = lookup_customer, *, language: str = "nb") -> Agent:
    """The agent of this example: a :class:`CustomerServiceAgent` on ``sidecar`` with the business ``lookup``."""
    return CustomerServiceAgent(sidecar, lookup, language=language)


def log_sidecar_events(sidecar: Sidecar) -> None:
    """Log the sidecar's events with static messages; numbers and transcripts stay out of the log."""
    sidecar.on(
        "sidecar_transcript",
        lambda ev: logger.debug("sidecar transcript", extra={"engine": ev.source, "final": ev.segment.is_final}),
    )
    sidecar.on(
        "engine_failed",
        lambda ev: logger.warning(
            "sidecar engine failed",
            extra={"engine": ev.source, "retryable": ev.retryable, "will_restart": ev.will_restart},
        ),
    )
    sidecar.on(
        "phone_number_proposed",
        lambda ev: logger.info("phone number read back", extra={"attempt": ev.attempt, "sources": ev.sources}),
    )
    sidecar.on(
        "phone_number_confirmed",
        lambda ev: logger.info("phone number confirmed", extra={"attempt": ev.attempt, "sources": ev.sources}),
    )
    sidecar.on("phone_number_rejected", lambda ev: logger.info("phone number rejected", extra={"attempt": ev.attempt}))
    sidecar.on(
        "phone_number_capture_failed",
        lambda ev: logger.info("phone number capture failed", extra={"reason": ev.reason, "attempt": ev.attempt}),
    )


async def start_session(
    session: AgentSession[Any],
    sidecar: Sidecar,
    agent: Agent,
    *,
    room: rtc.Room | None = None,
    room_options: RoomOptions | None = None,
) -> None:
    """Start ``session`` with ``agent``, then attach ``sidecar`` to its audio input and log its events."""
    log_sidecar_events(sidecar)
    kwargs: dict[str, Any] = {}
    if room is not None:
        kwargs["room"] = room
    if room_options is not None:
        kwargs["room_options"] = room_options
    await session.start(agent=agent, **kwargs)
    await sidecar.attach(session)


async def entrypoint(ctx: JobContext) -> None:
    """The LiveKit job: one call, one session, one sidecar."""
    try:
        config = load_config(os.environ)
    except ConfigurationError as e:
        logger.error("the agent is not configured; see the reason", extra={"reason": str(e)})
        ctx.shutdown(reason=str(e))
        return
    sidecar = build_sidecar(build_engines(config), config)
    session: AgentSession[None] = AgentSession(llm=build_realtime_model(config))
    ctx.add_shutdown_callback(sidecar.aclose)
    await start_session(session, sidecar, build_agent(sidecar, lookup_customer), room=ctx.room)


# ---------------------------------------------------------------------------------------------- main


def _command(argv: Sequence[str]) -> str | None:
    if any(a in ("-h", "--help") for a in argv):
        return None
    return next((a for a in argv if not a.startswith("-")), None)


server = AgentServer()
"""The worker ``lk agent console|dev`` finds in this module; ``main`` runs it too."""
server.rtc_session(entrypoint)


def _terminal_audio_problem() -> str | None:
    """Why LiveKit's built-in ``console`` cannot play and record here, or ``None``."""
    try:
        import sounddevice  # noqa: F401  (LiveKit's console imports it; it loads PortAudio)
    except (ImportError, OSError):
        return (
            "console needs the PortAudio library (Debian, Ubuntu: apt-get install libportaudio2; macOS: brew "
            "install portaudio), or run it with the LiveKit CLI: lk agent console examples/realtime_agent.py"
        )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Check the configuration, then hand over to LiveKit's CLI (``console``, ``dev``, ``start``, ...)."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = _command(args)
    if command in RUN_COMMANDS:
        try:
            config = load_config(os.environ, command=command)
            build_engines(config)  # catches unknown or malformed engine parameters before any call comes in
        except ConfigurationError as e:
            print(f"{PROGRAM}: {e}", file=sys.stderr)
            return 2
    if command == "console" and (problem := _terminal_audio_problem()) is not None:
        print(f"{PROGRAM}: {problem}", file=sys.stderr)
        return 2

    warnings.filterwarnings("ignore", message="the built-in Python CLI is deprecated", category=DeprecationWarning)
    sys.argv = [sys.argv[0], *args]
    cli.run_app(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
