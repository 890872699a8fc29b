"""``SidecarOptions``: the tuning of one :class:`~sidecar_stt.Sidecar`'s live path (docs/CONFIGURATION.md has the
table and the trade-offs).

The options check themselves when built (also by ``dataclasses.replace``): a bad value raises one
:class:`~sidecar_stt.ConfigurationError` line naming the field, the value and what is allowed. Each field has one
rule in ``_RULES`` below; a test fails when a field has none.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Final, Literal, get_args, get_type_hints

from ...core.numerals import LANGUAGES, normalize_language
from ...core.readback import check_variants
from ...core.validation import region_info
from ...errors import ConfigurationError

__all__ = ["SidecarOptions"]


@dataclass(frozen=True)
class SidecarOptions:
    """Tuning of the live path.

    Attributes:
        language: caller language for parsing and read-back ("nb", "nn", "en", ...).
        region: default phone-number region ("NO").
        transcript_timeout_s: how long a tool waits for a sidecar final that is still on its way.
        queue_max_s: audio an engine may fall behind before frames are dropped for it (and counted); an engine
            that is down keeps the newest this much, and after an outage longer than this replays only that.
        replay_max_s: audio kept since an engine's last final, replayed into it after a restart.
        restart_backoff_min_s: the wait before the first restart of a failed engine (doubling after each).
        restart_backoff_max_s: the longest wait between quick restarts, and of any restart while a capture is
            open or a transcript read waits.
        max_restarts: quick restarts of an engine that fails with a transient fault: in a row, and within
            ``restart_window_s``. Past them the engine is never given up but restarted ever more slowly (waits
            doubling from ``restart_backoff_max_s`` up to ``restart_backoff_slow_s``), as long as the call lasts.
            A permanent fault (authentication, quota, configuration) gives the engine up at once.
        restart_window_s: the window of ``max_restarts``.
        restart_backoff_slow_s: the longest wait between restarts once the quick ones are used up (while no
            capture is open and no read waits): an engine is back at most this long after its vendor is.
        recovery_wait_s: how much longer a capture tool waits for the caller's turn when an engine is being
            restarted (with the audio since its last final replayed); if the turn is still not transcribed, the
            model is told to say "one moment" and to call the tool again, once per turn.
        close_timeout_s: an engine stream whose close takes longer is abandoned.
        feed_interval_s: frames reach each engine in batches this often (adds at most this much latency).
        stall_timeout_s: an engine that produced nothing since a caller turn began, this long after the turn
            ended, is restarted (and the turn replayed into it) if its stream stopped taking audio, or once per
            silence if it took it (an engine that heard no words is not restarted after every turn).
        capture_max_attempts: rejected read-backs before the phone capture gives up.
        realtime_transcript_wait_s: how long a capture tool waits, after the sidecar engines settled, for the
            realtime model's own transcript of the caller's latest turn (it arrives late); the capture then goes on
            without it and its ``capture_evidence_gathered`` event names the turns whose transcript was missing.
        turns: where caller turns come from. ``"auto"``: the realtime model's turn events, or the sidecar's own
            VAD when the model reported none by ``own_turns_after_s`` after the VAD heard a caller utterance;
            ``"realtime"``: the model's only; ``"vad"``: the sidecar's VAD only.
        own_turns_after_s: see ``turns``.
        health_interval_s: how often the tap's place on ``session.input.audio`` is checked.
        reinstall_tap: wrap a replaced ``session.input.audio`` in the tap again (else only report it).
        keypad_after_failures: failed attempts (rejected read-backs and utterances without a number) after which
            the model asks the caller to type the number on the keypad, ending with ``#``. Only a caller who can
            type is asked (:attr:`Sidecar.caller_can_type`: a SIP participant in the room given to ``attach`` or a
            key already pressed; never a room of web or app clients); ``None`` never asks. The caller may also ask
            to type at any time.
        keypad_tones: look for keypad tones in the caller's audio (trunks that do not send SIP DTMF events);
            ignored once the room's SIP DTMF events arrive.
        keypad_timeout_s: a keypad entry without ``#`` is finished after this pause.
        read_back_variants: forms of the number words the read-back always uses (``("sju", "tyve")``); without
            them it follows the forms the caller (as the engines heard them) used, else the language's default.
        on_demand: engines hold no vendor connection until transcription is wanted (the agent asks for a phone
            number, a capture opens, a transcript tool is called, ``CapturePhoneNumberTask`` starts, or
            :meth:`Sidecar.listen`); the recent caller audio waits in a ring buffer and is replayed into them first
            (see :mod:`~sidecar_stt.adapters.livekit.listen_policy`). Off: the engines stream the whole call. See
            docs/CONFIGURATION.md for the trade-off.
        on_demand_buffer_s: seconds of caller audio the ring buffer keeps (30 s of 24 kHz mono: 1.4 MB).
        on_demand_replay_turns: the replayed window starts at the start of this many caller turns back (those
            that began inside the buffer); 1 (the latest turn) is what the tools read.
        on_demand_answer_wait_s: after the agent asks for a number, the engines wait for the answer and the
            model's next step (a capture opens, or it replies); a caller who stays silent is waited for this long.
        on_demand_grace_s: engines are released this long after the last want of transcription once no capture
            is open and no asked-for answer is due (a later want replays the buffer, so a long grace only bills).
        on_demand_start_timeout_s: added to ``transcript_timeout_s`` when a tool's call starts the engines: the
            vendor connection and the replay of the window take their time.
    """

    language: str = "nb"
    region: str = "NO"
    transcript_timeout_s: float = 2.0
    queue_max_s: float = 10.0
    replay_max_s: float = 60.0
    restart_backoff_min_s: float = 0.2
    restart_backoff_max_s: float = 5.0
    max_restarts: int = 10
    restart_window_s: float = 60.0
    restart_backoff_slow_s: float = 30.0
    recovery_wait_s: float = 6.0
    close_timeout_s: float = 2.0
    feed_interval_s: float = 0.1
    stall_timeout_s: float = 10.0
    capture_max_attempts: int = 3
    realtime_transcript_wait_s: float = 0.5
    turns: Literal["auto", "realtime", "vad"] = "auto"
    own_turns_after_s: float = 3.0
    health_interval_s: float = 0.5
    reinstall_tap: bool = True
    keypad_after_failures: int | None = 2
    keypad_tones: bool = True
    keypad_timeout_s: float = 5.0
    on_demand: bool = False
    on_demand_buffer_s: float = 30.0
    on_demand_replay_turns: int = 1
    on_demand_answer_wait_s: float = 15.0
    on_demand_grace_s: float = 1.0
    on_demand_start_timeout_s: float = 2.0
    read_back_variants: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field in fields(self):
            value: object = getattr(self, field.name)
            problem = _RULES[field.name](value)
            if problem is not None:
                raise ConfigurationError(f"SidecarOptions.{field.name}={_shown(value)}: expected {problem}")
        try:
            check_variants(self.read_back_variants, language=self.language)
        except ValueError as e:
            raise ConfigurationError(f"SidecarOptions.read_back_variants={_shown(self.read_back_variants)}: {e}") from e
        if self.restart_backoff_max_s < self.restart_backoff_min_s:
            raise ConfigurationError(
                f"SidecarOptions.restart_backoff_max_s={_shown(self.restart_backoff_max_s)}: expected at least "
                f"restart_backoff_min_s ({_shown(self.restart_backoff_min_s)})"
            )


# -- the rule of each field: None when the value is fine, else what is expected -------------------------------

_Rule = Callable[[object], str | None]


def _shown(value: object) -> str:
    """``value`` as it would be typed, on one line and cut short."""
    return reprlib.repr(value)


def _seconds(*, zero: str | None = None) -> _Rule:
    """A finite number of seconds above 0; at least 0 when ``zero`` says what 0 does."""
    expected = "a finite number of seconds " + (f"at least 0 (0: {zero})" if zero else "above 0")

    def rule(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return expected
        ok = math.isfinite(value) and (value >= 0 if zero else value > 0)
        return None if ok else expected

    return rule


def _count(minimum: int, *, meaning: str = "", none: str | None = None) -> _Rule:
    """A whole number of at least ``minimum`` (``meaning`` tells what the lowest does), or None when ``none``
    says what None does."""
    expected = f"a whole number at least {minimum}{f' ({meaning})' if meaning else ''}"
    if none is not None:
        expected += f", or None ({none})"

    def rule(value: object) -> str | None:
        if value is None and none is not None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            return expected
        return None

    return rule


def _words(value: object) -> str | None:
    ok = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    return None if ok else "a tuple of number-word forms, such as ('sju', 'tyve')"


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "True or False"


def _turns(value: object) -> str | None:
    allowed = _TURN_MODES
    return None if value in allowed else "one of " + ", ".join(repr(mode) for mode in allowed)


def _language(value: object) -> str | None:
    expected = f"a language tag of {', '.join(LANGUAGES)} (also 'no', 'nb-NO', 'en_US', ...)"
    if not isinstance(value, str):
        return expected
    try:
        normalize_language(value)
    except ValueError:
        return expected
    return None


def _region(value: object) -> str | None:
    expected = "a phone-number region code phonenumbers knows, such as 'NO', 'SE', 'DK'"
    if not isinstance(value, str):
        return expected
    try:
        region_info(value.upper())  # the capture reads the region upper-cased
    except ValueError:
        return expected
    return None


_TURN_MODES: Final[tuple[str, ...]] = get_args(get_type_hints(SidecarOptions)["turns"])

_RULES: Final[Mapping[str, _Rule]] = {
    "language": _language,
    "region": _region,
    "transcript_timeout_s": _seconds(zero="the tool answers with what is already there"),
    "queue_max_s": _seconds(),
    "replay_max_s": _seconds(zero="nothing is replayed after a restart"),
    "restart_backoff_min_s": _seconds(),
    "restart_backoff_max_s": _seconds(),
    "max_restarts": _count(0, meaning="0: a failed engine is never restarted"),
    "restart_window_s": _seconds(),
    "restart_backoff_slow_s": _seconds(),
    "recovery_wait_s": _seconds(zero="a recovering engine is not waited for"),
    "close_timeout_s": _seconds(),
    "feed_interval_s": _seconds(zero="each frame is handed on at once"),
    "stall_timeout_s": _seconds(),
    "capture_max_attempts": _count(1),
    "realtime_transcript_wait_s": _seconds(zero="the capture does not wait for it"),
    "turns": _turns,
    "own_turns_after_s": _seconds(zero="the VAD's turns are taken as soon as it hears the caller"),
    "health_interval_s": _seconds(),
    "reinstall_tap": _flag,
    "keypad_after_failures": _count(0, meaning="0: asked before any failure", none="never asked"),
    "keypad_tones": _flag,
    "keypad_timeout_s": _seconds(),
    "on_demand": _flag,
    "on_demand_buffer_s": _seconds(),
    "on_demand_replay_turns": _count(1, meaning="1: the latest turn"),
    "on_demand_answer_wait_s": _seconds(zero="a silent caller is not waited for"),
    "on_demand_grace_s": _seconds(zero="released as soon as nothing wants transcription"),
    "on_demand_start_timeout_s": _seconds(zero="no extra wait"),
    "read_back_variants": _words,
}
