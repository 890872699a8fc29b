"""Engine specs: one string names an STT engine and its options, for the CLI and configuration files.

Grammar: ``kind[:model][?key=value&key=value]``::

    azure:nb-NO                              Azure AI Speech, n-best (AZURE_SPEECH_KEY, AZURE_SPEECH_REGION)
    deepgram:nova-3?language=no              Deepgram via LiveKit's plugin (DEEPGRAM_API_KEY)
    openai:gpt-4o-transcribe?language=no     OpenAI transcription via LiveKit's plugin (OPENAI_API_KEY)
    openai:nb-whisper-large?base_url=http://gpu-box:8000/v1
                                             a self-hosted OpenAI-compatible server (no key needed)
    whisper:base?language=no&beam=5          local Whisper (a packaged name or a CTranslate2 directory)
    scripted:tests/data/script.json          the scripted test engine
    realtime:gpt-realtime?hearing=transcription&transcription_model=gpt-4o-transcribe
                                             what a realtime model's own input transcription heard
    realtime:gpt-realtime?hearing=tool       the number the realtime model passes as a tool argument
    realtime:my-deployment?hearing=tool&azure=true&base_url=https://res.openai.azure.com
                                             the same on Azure OpenAI's GA route (AZURE_OPENAI_API_KEY)

Each vendor gets number-friendly defaults: Deepgram ``numerals=True``; OpenAI and Whisper a prompt that reads a
phone number aloud in the target language; Azure a number-word phrase list. Other packages add kinds through
the ``sidecar_stt.engines`` entry-point group: ``name = "pkg.module:factory"`` with
``factory(model: str, params: dict[str, str]) -> livekit.agents.stt.STT``.

A missing extra or key, an unknown kind and an unknown or malformed parameter all raise one
:class:`~sidecar_stt.errors.ConfigurationError` line that says what to do. Which variables and extra each kind
needs is said once, in :data:`ENGINE_NEEDS`; :func:`missing_requirements` (one spec) and
:func:`check_requirements` (all of them, one line) check specs against an environment without building anything,
so that an application can refuse to start rather than fail in its first call.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from livekit.agents import stt

from ..errors import ConfigurationError
from .hints import base_language, number_prompt

__all__ = [
    "ENGINE_NEEDS",
    "ENTRY_POINT_GROUP",
    "EngineNeeds",
    "EngineSpec",
    "check_requirements",
    "describe_engine",
    "from_spec",
    "missing_requirements",
    "parse_spec",
]

ENTRY_POINT_GROUP = "sidecar_stt.engines"

EngineFactory = Callable[[str, dict[str, str]], stt.STT[Any]]


@dataclass(frozen=True)
class EngineSpec:
    """A parsed engine spec: ``kind``, ``model`` (may be empty: the kind's default) and string ``params``."""

    kind: str
    model: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        text = f"{self.kind}:{self.model}" if self.model else self.kind
        if self.params:
            text += "?" + "&".join(f"{k}={v}" for k, v in self.params.items())
        return text


@dataclass(frozen=True)
class EngineNeeds:
    """What an engine kind needs from its environment.

    Attributes:
        variables: environment variables; each entry lists alternatives, one of which must be set.
        module: the module its pip extra brings (``None``: it comes with Sidecar itself).
        extra: that pip extra.
        keyless_param: a spec parameter that makes the variables unnecessary (``base_url`` of a self-hosted
            server).
    """

    variables: tuple[tuple[str, ...], ...] = ()
    module: str | None = None
    extra: str | None = None
    keyless_param: str | None = None


ENGINE_NEEDS: dict[str, EngineNeeds] = {
    "azure": EngineNeeds(
        (("AZURE_SPEECH_KEY",), ("AZURE_SPEECH_REGION", "AZURE_SPEECH_HOST")), "azure.cognitiveservices.speech", "azure"
    ),
    "deepgram": EngineNeeds((("DEEPGRAM_API_KEY",),), "livekit.plugins.deepgram", "deepgram"),
    "openai": EngineNeeds((("OPENAI_API_KEY",),), keyless_param="base_url"),
    "whisper": EngineNeeds((), "faster_whisper", "whisper"),
    "realtime": EngineNeeds((("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY"),), keyless_param="base_url"),
}
"""The one statement of which variables and pip extra each built-in engine kind needs."""


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_requirements(spec: EngineSpec, env: Mapping[str, str] | None = None) -> tuple[list[str], str | None]:
    """What the engine of ``spec`` lacks in ``env`` (default ``os.environ``): the unset variables (alternatives
    joined with " or "), and the ``pip install`` command of a missing extra (or ``None``)."""
    needs = ENGINE_NEEDS.get(spec.kind, EngineNeeds())
    environ = os.environ if env is None else env
    missing: list[str] = []
    if needs.keyless_param is None or not spec.params.get(needs.keyless_param):
        for names in needs.variables:
            if not any(environ.get(name, "").strip() for name in names):
                missing.append(" or ".join(names))
    install = None
    if needs.module is not None and not _importable(needs.module):
        install = f'pip install "sidecar-stt[{needs.extra}]"'
    return missing, install


def check_requirements(
    specs: Sequence[str | EngineSpec], *, variables: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> None:
    """Check, without building anything, that every engine of ``specs`` has its variables and extra, and that
    ``variables`` (say the realtime model's ``OPENAI_API_KEY``) are set too. Call it when a worker starts.

    Raises:
        ConfigurationError: one line naming every missing variable and ``pip install`` command; or a malformed
            spec or unknown kind.
    """
    environ = os.environ if env is None else env
    missing = [name for name in variables if not environ.get(name, "").strip()]
    installs: list[str] = []
    for item in specs:
        spec = parse_spec(item) if isinstance(item, str) else item
        if spec.kind not in _BUILTIN and spec.kind not in _plugin_factories():
            raise ConfigurationError(f"unknown engine kind {spec.kind!r}; valid kinds: {', '.join(_valid_kinds())}")
        lacking, install = missing_requirements(spec, environ)
        missing += [name for name in lacking if name not in missing]
        if install is not None and install not in installs:
            installs.append(install)
    if missing or installs:
        shown = [f"({name})" if " or " in name else name for name in missing]
        parts = ([f"set {', '.join(shown)}"] if missing else []) + installs
        raise ConfigurationError("missing configuration: " + "; ".join(parts))


def _check_needs(kind: str, spec: EngineSpec) -> None:
    missing, install = missing_requirements(spec)
    if install is not None:
        raise ConfigurationError(f"the {kind} engine needs the {ENGINE_NEEDS[kind].extra} extra: {install}")
    if missing:
        raise ConfigurationError(f"the {kind} engine needs the environment variable {', '.join(missing)}")


@dataclass(frozen=True)
class _Kind:
    factory: EngineFactory
    params: tuple[str, ...]
    default_model: str
    needs_model: bool = False


def parse_spec(spec: str) -> EngineSpec:
    """Split ``kind[:model][?k=v&...]`` into an :class:`EngineSpec` (syntax only; kinds are checked later)."""
    text = spec.strip()
    if not text:
        raise ConfigurationError("empty engine spec; expected kind[:model][?key=value], e.g. azure:nb-NO")
    head, sep, query = text.partition("?")
    kind, _, model = head.partition(":")
    kind = kind.strip().lower()
    if not kind or not kind.replace("_", "").replace("-", "").isalnum():
        raise ConfigurationError(f"bad engine kind in spec {spec!r}; expected kind[:model][?key=value]")
    params: dict[str, str] = {}
    if sep:
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
        except ValueError as e:
            raise ConfigurationError(f"bad parameters in engine spec {spec!r}: use key=value&key=value") from e
        for key, value in pairs:
            if key in params:
                raise ConfigurationError(f"parameter {key!r} given twice in engine spec {spec!r}")
            params[key] = value
    return EngineSpec(kind=kind, model=model.strip(), params=params)


def _bool(value: str, *, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"parameter {name}={value!r} must be true or false")


def _int(value: str, *, name: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError as e:
        raise ConfigurationError(f"parameter {name}={value!r} must be an integer") from e
    if number < minimum:
        raise ConfigurationError(f"parameter {name}={value!r} must be at least {minimum}")
    return number


def _float(value: str, *, name: str) -> float:
    try:
        return float(value)
    except ValueError as e:
        raise ConfigurationError(f"parameter {name}={value!r} must be a number") from e


def _azure(model: str, params: dict[str, str]) -> stt.STT[Any]:
    from .azure import AzureSpeechSTT

    kwargs: dict[str, Any] = {"language": params.get("language", model or "nb-NO")}
    if "phrases" in params:
        raw = params["phrases"].strip()
        if raw.lower() != "default":
            kwargs["phrases"] = () if raw.lower() in ("", "none") else tuple(p.strip() for p in raw.split(","))
    if "phrase_weight" in params:
        kwargs["phrase_weight"] = _float(params["phrase_weight"], name="phrase_weight")
    if "silence_s" in params:
        kwargs["segmentation_silence_s"] = _float(params["silence_s"], name="silence_s")
    return AzureSpeechSTT(**kwargs)


def _deepgram(model: str, params: dict[str, str]) -> stt.STT[Any]:
    from livekit.plugins import deepgram

    key = os.environ["DEEPGRAM_API_KEY"].strip()
    kwargs: dict[str, Any] = {
        "model": model or "nova-3",
        "language": params.get("language", "no"),
        "numerals": _bool(params.get("numerals", "true"), name="numerals"),
        "api_key": key,
    }
    if "smart_format" in params:
        kwargs["smart_format"] = _bool(params["smart_format"], name="smart_format")
    if "endpointing_ms" in params:
        kwargs["endpointing_ms"] = _int(params["endpointing_ms"], name="endpointing_ms")
    if "interim" in params:
        kwargs["interim_results"] = _bool(params["interim"], name="interim")
    return deepgram.STT(**kwargs)


def _openai(model: str, params: dict[str, str]) -> stt.STT[Any]:
    from livekit.plugins import openai

    base_url = params.get("base_url", "").strip()
    # a self-hosted server needs no key, but the OpenAI client insists on one: any placeholder will do
    key = os.environ.get("OPENAI_API_KEY", "").strip() or ("not-needed" if base_url else "")
    language = base_language(params.get("language", "no"))
    prompt = params.get("prompt")
    if prompt is None:
        prompt = number_prompt(language) or ""
    kwargs: dict[str, Any] = {"model": model or "gpt-4o-transcribe", "language": language, "api_key": key}
    if base_url:
        kwargs["base_url"] = base_url
    if prompt and prompt.lower() != "none":
        kwargs["prompt"] = prompt
    return openai.STT(**kwargs)


def _whisper(model: str, params: dict[str, str]) -> stt.STT[Any]:
    from .whisper import WhisperSTT

    kwargs: dict[str, Any] = {"model": model or "base", "language": params.get("language", "no")}
    if "beam" in params:
        kwargs["beam_size"] = _int(params["beam"], name="beam", minimum=1)
    if "threads" in params:
        kwargs["cpu_threads"] = _int(params["threads"], name="threads")
    if "prompt" in params:
        kwargs["initial_prompt"] = None if params["prompt"].lower() in ("", "none") else params["prompt"]
    if "hotwords" in params:
        kwargs["hotwords"] = params["hotwords"] or None
    if "compute_type" in params:
        kwargs["compute_type"] = params["compute_type"]
    if "device" in params:
        kwargs["device"] = params["device"]
    return WhisperSTT(**kwargs)


def _realtime(model: str, params: dict[str, str]) -> stt.STT[Any]:
    from .realtime import RealtimeHearingOptions, RealtimeHearingSTT

    hearing = params.get("hearing", "transcription")
    if hearing not in ("transcription", "tool"):
        raise ConfigurationError(f"parameter hearing={hearing!r} must be transcription or tool")
    azure = _bool(params.get("azure", "false"), name="azure")
    base_url = params.get("base_url", "").strip()
    if azure and not base_url:
        raise ConfigurationError("a realtime engine with azure=true needs base_url=<the resource endpoint>")
    variable = "AZURE_OPENAI_API_KEY" if azure else "OPENAI_API_KEY"
    key = os.environ.get(variable, "").strip() or ("not-needed" if base_url else "")
    language = base_language(params.get("language", "no"))
    kwargs: dict[str, Any] = {
        "hearing": hearing,
        "model": model or "gpt-realtime",
        "transcription_model": params.get("transcription_model", "gpt-4o-transcribe"),
        "language": language,
        "prompt": params.get("prompt") or number_prompt(language),
        "azure": azure,
        "api_key": key,
    }
    if base_url:
        kwargs["base_url"] = base_url
    if "timeout_s" in params:
        kwargs["timeout_s"] = _float(params["timeout_s"], name="timeout_s")
    return RealtimeHearingSTT(RealtimeHearingOptions(**kwargs))


_BUILTIN: dict[str, _Kind] = {
    "azure": _Kind(_azure, ("language", "phrases", "phrase_weight", "silence_s"), "nb-NO"),
    "deepgram": _Kind(_deepgram, ("language", "numerals", "smart_format", "endpointing_ms", "interim"), "nova-3"),
    "openai": _Kind(_openai, ("language", "prompt", "base_url"), "gpt-4o-transcribe"),
    "whisper": _Kind(_whisper, ("language", "beam", "threads", "prompt", "hotwords", "compute_type", "device"), "base"),
    "realtime": _Kind(
        _realtime,
        ("hearing", "transcription_model", "language", "prompt", "base_url", "azure", "timeout_s"),
        "gpt-realtime",
    ),
}


def _plugin_factories() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in _BUILTIN}


def _valid_kinds() -> list[str]:
    return sorted({*_BUILTIN, *_plugin_factories()})


def from_spec(spec: str | EngineSpec) -> stt.STT[Any]:
    """Build the LiveKit STT a spec names (see the module docstring for the grammar).

    Non-streaming engines (``whisper``) come back as they are; :class:`sidecar_stt.Sidecar` wraps them in
    ``stt.StreamAdapter`` with a VAD (or use :func:`sidecar_stt.engines.whisper.whisper_stream_stt`).
    """
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    kind = _BUILTIN.get(parsed.kind)
    if kind is None:
        plugin = _plugin_factories().get(parsed.kind)
        if plugin is None:
            raise ConfigurationError(f"unknown engine kind {parsed.kind!r}; valid kinds: {', '.join(_valid_kinds())}")
        factory = plugin.load()
        engine = factory(parsed.model, dict(parsed.params))
        if not isinstance(engine, stt.STT):
            raise ConfigurationError(f"engine factory {parsed.kind!r} did not return a livekit stt.STT")
        return engine
    unknown = sorted(set(parsed.params) - set(kind.params))
    if unknown:
        raise ConfigurationError(
            f"unknown parameter {unknown[0]!r} for {parsed.kind} engines; valid: {', '.join(kind.params)}"
        )
    if kind.needs_model and not parsed.model:
        raise ConfigurationError(f"the {parsed.kind} engine needs a file: {parsed.kind}:<path>")
    if parsed.kind in ENGINE_NEEDS:
        _check_needs(parsed.kind, parsed)
    return kind.factory(parsed.model, dict(parsed.params))


def describe_engine(spec: str | EngineSpec) -> str:
    """A short human label for reports, e.g. ``"whisper base (local)"`` or ``"azure nb-NO"``."""
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    builtin = _BUILTIN.get(parsed.kind)
    model = parsed.model or (builtin.default_model if builtin else "")
    if parsed.kind == "whisper":
        name = Path(model).name if ("/" in model or os.sep in model) else model
        return f"whisper {name} (local)"
    if parsed.kind == "scripted":
        return f"scripted {Path(model).name}"
    if parsed.kind == "azure":
        return f"azure {parsed.params.get('language', model)}"
    if parsed.kind == "realtime":
        if parsed.params.get("hearing") == "tool":
            return f"realtime {model} (tool argument)"
        return f"realtime {model} (transcription {parsed.params.get('transcription_model', 'gpt-4o-transcribe')})"
    label = f"{parsed.kind} {model}".strip()
    language = parsed.params.get("language")
    if language is None and parsed.kind in ("deepgram", "openai"):
        language = "no"
    return f"{label} ({language})" if language else label
