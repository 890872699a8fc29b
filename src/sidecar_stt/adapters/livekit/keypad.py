"""``KeypadListener``: the caller's keypad presses in a live call, from SIP DTMF events or tones in the audio.

Two sources, one entry:

- SIP DTMF events: the room's ``sip_dtmf_received`` (``rtc.SipDTMF``), the signal LiveKit's SIP bridge sends
  for each key when the trunk reports presses out of band (the source LiveKit's ``GetDtmfTask`` listens to);
- tones in the caller's audio, for trunks that leave them in band: the tapped frames go through a
  :class:`~sidecar_stt.core.dtmf.DtmfDetector` where tones can arrive (a phone-line caller, or a room not known);
  a room of web and app callers only is not searched. A frame is only kept (a reference, no copy); the frames are
  searched together every ``SEARCH_EVERY_S`` of audio, which costs a small part of searching each frame as it
  comes, so a key is reported up to that much after its tone ended.

Once a SIP DTMF event has arrived the trunk reports presses out of band, and tones are ignored from then on (a
trunk that sends both would otherwise count each key twice; digits the tones gave before the first event are
dropped for the same reason). Presses gather in a :class:`~sidecar_stt.core.keypad.KeypadEntry`; ``#`` finishes
the entry, and so does a pause of ``timeout_s`` after the last digit. ``on_entry(digits, source, finished_by)``
gets every finished entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

import numpy as np
from livekit import rtc

from ...core.dtmf import DtmfDetector
from ...core.keypad import KeypadEntry
from ...log import logger

__all__ = ["KeypadListener", "KeypadSource"]

KeypadSource = Literal["sip", "tones"]
EntryCallback = Callable[[str, KeypadSource, Literal["hash", "pause"]], None]

SEARCH_EVERY_S = 0.5
"""Seconds of caller audio searched for tones at once: inside a call each search costs about as much in numpy's
per-call overhead as in arithmetic, so fewer searches are cheaper (half a second: the sidecar's own time per call
second 1.5–2.4 ms against 2.5–3.3 ms at 0.2 s, ``benchmarks/bench_tap.py``); a key is reported up to that long
after its tone ended, far inside the pause that ends an entry."""


class KeypadListener:
    """Gathers the caller's keypad presses into entries. Runs on the event loop; callbacks must not block."""

    def __init__(self, *, on_entry: EntryCallback, tones: bool = True, timeout_s: float = 5.0) -> None:
        self._on_entry = on_entry
        self._tones = tones
        self._timeout_s = timeout_s
        self._entry = KeypadEntry()
        self._entry_source: KeypadSource = "tones"
        self._detector: DtmfDetector | None = None
        self._waiting: list[memoryview] = []  # the frames' samples not searched yet
        self._waiting_samples = 0
        self._waiting_start_s = 0.0
        self._waiting_format = (0, 0)  # (sample rate, channels) of the waiting frames
        self._sip_seen = False
        self.keys_seen = False
        """Whether any key arrived in this call (the caller has a keypad)."""
        self._pause: asyncio.TimerHandle | None = None
        self._room: rtc.Room | None = None

    @property
    def pending(self) -> str:
        """The digits of the entry being typed."""
        return self._entry.pending

    def listen_to_room(self, room: rtc.Room) -> None:
        """Take keypad presses from ``room``'s SIP DTMF events."""
        if self._room is not None:
            self._room.off("sip_dtmf_received", self._on_sip_dtmf)
        self._room = room
        room.on("sip_dtmf_received", self._on_sip_dtmf)

    @property
    def caller_can_type(self) -> bool | None:
        """Whether the caller has a keypad: ``True`` once a key arrived or when the room holds a phone-line (SIP)
        participant, ``False`` when the room's participants are all web or app clients (or it has none yet),
        ``None`` when no room was given (unknown)."""
        if self.keys_seen:
            return True
        if self._room is None:
            return None
        sip = rtc.ParticipantKind.PARTICIPANT_KIND_SIP
        return any(p.kind == sip for p in self._room.remote_participants.values())

    def close(self) -> None:
        """Stop listening; an unfinished entry is dropped."""
        if self._room is not None:
            self._room.off("sip_dtmf_received", self._on_sip_dtmf)
            self._room = None
        if self._pause is not None:
            self._pause.cancel()
            self._pause = None
        self._entry.clear()
        self._waiting.clear()

    def feed_audio(self, frame: rtc.AudioFrame, start_s: float) -> None:
        """Look for keypad tones in one tapped frame (first channel), where tones can arrive: not once the trunk
        sends SIP DTMF events, and not while the room is known to hold only web or app callers (no keypad to
        play tones: :attr:`caller_can_type` is ``False``). An unknown room (none given) is searched. The frame
        waits until ``SEARCH_EVERY_S`` of audio has gathered (frames follow each other on the session clock); a
        batch starts only with a frame that came while a keypad could be in the room."""
        if not self._tones or self._sip_seen:
            self._stop_searching()
            return
        frame_format = (frame.sample_rate, frame.num_channels)
        if self._waiting and frame_format != self._waiting_format:
            self._search()  # a new format: search what came before on its own
        if not self._waiting:
            if self.caller_can_type is False:
                return  # no keypad in the room now: a batch starts with the first frame one could be in
            self._waiting_start_s, self._waiting_format = start_s, frame_format
        self._waiting.append(frame.data)
        self._waiting_samples += frame.samples_per_channel
        if self._waiting_samples >= SEARCH_EVERY_S * frame.sample_rate:
            self._search()

    def _search(self) -> None:
        """Search the waiting frames, if the room can hold a keypad now."""
        waiting, start_s = self._waiting, self._waiting_start_s
        self._waiting, self._waiting_samples = [], 0
        if self.caller_can_type is False:
            self._stop_searching()
            return
        sample_rate, channels = self._waiting_format
        if self._detector is None or self._detector.sample_rate != sample_rate:
            self._detector = DtmfDetector(sample_rate)
        samples = np.frombuffer(b"".join(waiting), dtype=np.int16)[:: max(1, channels)]
        for press in self._detector.feed(samples, start_s):
            self.press(press.key, "tones")

    def _stop_searching(self) -> None:
        self._detector = None  # a later search starts afresh, not in the middle of a stale block
        self._waiting.clear()
        self._waiting_samples = 0

    def press(self, key: str, source: KeypadSource) -> None:
        """One key from ``source``."""
        self.keys_seen = True
        if source == "sip" and not self._sip_seen:
            self._sip_seen = True
            if self._entry_source == "tones":
                self._entry.clear()  # the same presses arrive as events: count them once
        self._entry_source = source
        finished = self._entry.press(key)
        if self._pause is not None:
            self._pause.cancel()
            self._pause = None
        if finished is not None:
            self._finish(finished, "hash")
        elif self._entry.pending:
            self._pause = asyncio.get_running_loop().call_later(self._timeout_s, self._on_pause)

    def _on_sip_dtmf(self, ev: rtc.SipDTMF) -> None:
        digit = ev.digit or ""
        if len(digit) == 1 and digit in "0123456789*#ABCD":
            self.press(digit, "sip")

    def _on_pause(self) -> None:
        self._pause = None
        digits = self._entry.finish()
        if digits:
            self._finish(digits, "pause")

    def _finish(self, digits: str, finished_by: Literal["hash", "pause"]) -> None:
        logger.info("keypad entry finished", extra={"source": self._entry_source, "finished_by": finished_by})
        try:
            self._on_entry(digits, self._entry_source, finished_by)
        except Exception:
            logger.exception("keypad entry callback failed")
