"""``SidecarOptions``: the tuning of one :class:`~sidecar_stt.Sidecar`'s live path (docs/CONFIGURATION.md has the
table and the trade-offs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["SidecarOptions"]


@dataclass(frozen=True)
class SidecarOptions:
    """Tuning of the live path.

    Attributes:
        language: caller language for parsing and read-back ("nb", "nn", "en", ...).
        region: default phone-number region ("NO").
        transcript_timeout_s: how long a tool waits for a sidecar final that is still on its way.
        queue_max_s: audio an engine may fall behind before frames are dropped for it (and counted).
        replay_max_s: audio kept since an engine's last final, replayed into it after a restart.
        restart_backoff_min_s: the wait before the first restart of a failed engine (doubling after each).
        restart_backoff_max_s: the longest wait between restarts.
        max_restarts: restarts per engine within ``restart_window_s`` before it is given up.
        restart_window_s: the window of ``max_restarts``.
        close_timeout_s: an engine stream whose close takes longer is abandoned.
        feed_interval_s: frames reach each engine in batches this often (adds at most this much latency).
        stall_timeout_s: an engine that produced nothing since a caller turn began, this long after the turn
            ended, is restarted (and the turn replayed into it).
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
