"""``KeypadListener``: SIP DTMF events from a real ``rtc.Room``, tones in frames, ``#`` and a pause finish."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from livekit import rtc
from livekit.rtc._proto import participant_pb2

from sidecar_stt import KeypadListener
from sidecar_stt.adapters.livekit.keypad import SEARCH_EVERY_S
from sidecar_stt.core.dtmf import DTMF_HIGH_HZ, DTMF_KEYS, DTMF_LOW_HZ

pytestmark = pytest.mark.livekit


def tone_frames(keys: str, sample_rate: int = 48000) -> list[rtc.AudioFrame]:
    """20 ms stereo frames of keypad tones (100 ms a key, 60 ms apart), then a quiet line for as long as the
    listener gathers audio before it searches it."""
    pieces = []
    for key in keys:
        row = next(i for i, k in enumerate(DTMF_KEYS) if key in k)
        t = np.arange(int(sample_rate * 0.1)) / sample_rate
        lo, hi = DTMF_LOW_HZ[row], DTMF_HIGH_HZ[DTMF_KEYS[row].index(key)]
        pieces += [0.15 * (np.sin(2 * np.pi * lo * t) + np.sin(2 * np.pi * hi * t)), np.zeros(int(sample_rate * 0.06))]
    pieces.append(np.zeros(int(sample_rate * SEARCH_EVERY_S)))
    pcm = (np.concatenate(pieces) * 32767).astype(np.int16)
    step = sample_rate // 50
    frames = []
    for i in range(0, pcm.size - step + 1, step):
        stereo = np.repeat(pcm[i : i + step], 2)
        frames.append(rtc.AudioFrame(stereo.tobytes(), sample_rate, 2, step))
    return frames


def dtmf(room: rtc.Room, keys: str) -> None:
    for key in keys:
        room.emit("sip_dtmf_received", rtc.SipDTMF(code=0, digit=key))


async def test_sip_events_gather_until_hash() -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a))
    room = rtc.Room()
    listener.listen_to_room(room)
    dtmf(room, "923*4123456")
    assert listener.pending == "4123456"
    dtmf(room, "7#")
    assert entries == [("41234567", "sip", "hash")]
    listener.close()
    dtmf(room, "5#")  # no longer listening
    assert entries == [("41234567", "sip", "hash")]


async def test_a_pause_finishes_an_entry_without_hash() -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a), timeout_s=0.05)
    room = rtc.Room()
    listener.listen_to_room(room)
    dtmf(room, "9234")
    await asyncio.sleep(0.02)
    dtmf(room, "5678")
    await asyncio.sleep(0.03)
    assert entries == []  # each press restarts the pause
    await asyncio.sleep(0.1)
    assert entries == [("92345678", "sip", "pause")]


async def test_tones_in_frames_are_keys_and_sip_events_take_over() -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a))
    start = 0.0
    for frame in tone_frames("4123"):
        listener.feed_audio(frame, start)
        start += 0.02
    assert listener.pending == "4123"
    # the trunk also reports the presses as events: counted once, from the events; tones are ignored from now on
    room = rtc.Room()
    listener.listen_to_room(room)
    dtmf(room, "4123")
    for frame in tone_frames("4567#"):
        listener.feed_audio(frame, start)
        start += 0.02
    dtmf(room, "4567#")
    assert entries == [("41234567", "sip", "hash")]


async def test_tones_can_be_turned_off() -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a), tones=False)
    for i, frame in enumerate(tone_frames("41234567#")):
        listener.feed_audio(frame, i * 0.02)
    assert entries == [] and listener.pending == ""


def join(room: rtc.Room, kind: participant_pb2.ParticipantKind.ValueType) -> rtc.Room:
    """``room`` (never connected) now holds a remote caller of ``kind``, as a connected room does once the caller
    joined (it fills that map from the server's events; there is no server here)."""
    owned = participant_pb2.OwnedParticipant()
    owned.info.identity, owned.info.kind = "caller", kind
    room._remote_participants["caller"] = rtc.RemoteParticipant(owned)
    return room


@pytest.mark.parametrize(
    ("kind", "searched"),
    [(rtc.ParticipantKind.PARTICIPANT_KIND_SIP, True), (rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD, False)],
)
async def test_tones_are_searched_only_where_a_keypad_can_play_them(
    kind: participant_pb2.ParticipantKind.ValueType, searched: bool
) -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a))
    listener.listen_to_room(join(rtc.Room(), kind))
    for i, frame in enumerate(tone_frames("41234567#")):
        listener.feed_audio(frame, i * 0.02)
    assert (entries == [("41234567", "tones", "hash")]) is searched
    assert (listener._detector is not None) is searched  # a web caller's audio is not even cut into blocks


async def test_a_room_not_known_is_searched_and_a_phone_caller_joining_later_is_searched_from_then() -> None:
    entries: list[tuple[str, str, str]] = []
    listener = KeypadListener(on_entry=lambda *a: entries.append(a))
    frames = tone_frames("41234567#")
    for i, frame in enumerate(frames):  # no room given: unknown, so searched
        listener.feed_audio(frame, i * 0.02)
    assert entries == [("41234567", "tones", "hash")]

    later = KeypadListener(on_entry=lambda *a: entries.append(a))
    room = rtc.Room()  # nobody joined yet: no keypad known
    later.listen_to_room(room)
    half = len(frames) // 2
    for i, frame in enumerate(frames[:half]):
        later.feed_audio(frame, i * 0.02)
    assert later.pending == ""
    join(room, rtc.ParticipantKind.PARTICIPANT_KIND_SIP)
    for i, frame in enumerate(frames, start=half):
        later.feed_audio(frame, i * 0.02)
    assert entries[-1] == ("41234567", "tones", "hash")
