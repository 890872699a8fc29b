"""Tests of ``sidecar_stt.testing.audio`` and ``sidecar_stt.testing.io``."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import numpy as np
import pytest

from sidecar_stt.errors import AudioError
from sidecar_stt.testing.audio import (
    build_caller_audio,
    concat,
    pcm_to_frames,
    read_wav,
    resample,
    silence,
    synthesize_speech,
    trim_silence,
    voiced_bounds,
    write_wav,
)
from sidecar_stt.testing.io import CollectingAudioOutput, FramesAudioInput

pytestmark = pytest.mark.livekit


def _sine(freq: float, duration_s: float, rate: int, amplitude: float = 10000.0) -> np.ndarray:
    t = np.arange(round(duration_s * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def _peak_hz(pcm: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(pcm.astype(np.float64) * np.hanning(len(pcm))))
    return float(np.fft.rfftfreq(len(pcm), 1 / rate)[int(np.argmax(spectrum))])


def test_silence_and_concat() -> None:
    s = silence(0.25, sample_rate=16000)
    assert s.dtype == np.int16 and len(s) == 4000 and not s.any()
    a = np.array([1, 2], dtype=np.int16)
    b = np.array([3], dtype=np.int16)
    assert concat(a, b).tolist() == [1, 2, 3]
    assert concat([a, b, a]).tolist() == [1, 2, 3, 1, 2]
    assert len(concat()) == 0


@pytest.mark.parametrize(("src", "dst"), [(22050, 24000), (24000, 16000), (48000, 24000)])
def test_resample_keeps_pitch_and_length(src: int, dst: int) -> None:
    pcm = _sine(440.0, 0.5, src)
    out = resample(pcm, from_rate=src, to_rate=dst)
    assert out.dtype == np.int16
    assert abs(len(out) - len(pcm) * dst / src) <= 1
    assert abs(_peak_hz(out, dst) - 440.0) < 5.0
    # amplitude is preserved in the middle (away from the edges)
    mid = out[len(out) // 4 : 3 * len(out) // 4]
    assert 9000 < np.abs(mid).max() < 11000


def test_resample_downsampling_removes_content_above_new_nyquist() -> None:
    pcm = _sine(10000.0, 0.3, 48000)  # above the 8 kHz Nyquist of 16 kHz
    out = resample(pcm, from_rate=48000, to_rate=16000)
    mid = out[len(out) // 4 : 3 * len(out) // 4]
    assert np.abs(mid).max() < 1500


def test_wav_round_trip(tmp_path: Path) -> None:
    pcm = _sine(300.0, 0.1, 24000)
    path = tmp_path / "a.wav"
    write_wav(path, pcm, 24000)
    back, rate = read_wav(path)
    assert rate == 24000 and np.array_equal(back, pcm)
    with pytest.raises(AudioError):
        read_wav(tmp_path / "missing.wav")
    (tmp_path / "bad.wav").write_bytes(b"not a wav")
    with pytest.raises(AudioError):
        read_wav(tmp_path / "bad.wav")


def test_pcm_to_frames_covers_every_sample() -> None:
    pcm = np.arange(1000, dtype=np.int16)
    frames = pcm_to_frames(pcm, sample_rate=24000, frame_ms=20)
    assert [f.samples_per_channel for f in frames] == [480, 480, 40]
    assert b"".join(bytes(f.data.cast("B")) for f in frames) == pcm.tobytes()


def test_trim_silence() -> None:
    pcm = concat(silence(0.1), _sine(200.0, 0.2, 24000), silence(0.3))
    trimmed = trim_silence(pcm)
    assert abs(len(trimmed) / 24000 - 0.2) <= 0.011
    assert len(trim_silence(silence(0.5))) == 0


def test_voiced_bounds_and_planned_spans_cover_only_the_voiced_audio() -> None:
    from sidecar_stt.testing.caller import planned_spans

    tone = (np.sin(np.arange(4800) / 5.0) * 8000).astype(np.int16)
    pcm = concat(silence(0.1), tone, silence(0.3))  # a quiet lead-in and tail, as synthetic speech has
    assert voiced_bounds(pcm) == (2400, 2400 + 4800)
    assert voiced_bounds(silence(0.2)) == (0, 0)
    ((start, end),) = planned_spans([pcm])
    assert (start, end) == pytest.approx((0.1, 0.3))
    ((start, end),) = planned_spans([pcm], voiced=False)
    assert (start, end) == pytest.approx((0.0, 0.6))


def test_build_caller_audio_spans_match_the_audio() -> None:
    def fake_tts(text: str) -> np.ndarray:
        return concat(silence(0.05), _sine(250.0, 0.1 * len(text), 24000), silence(0.05))

    caller = build_caller_audio([("ab", 0.5), ("abc", 0.3)], lead_in_s=0.2, synthesize=fake_tts)
    assert [t for span in caller.spans for t in span] == pytest.approx([0.2, 0.4, 0.9, 1.2])
    assert caller.duration_s == pytest.approx(1.5)
    for start_s, end_s in caller.spans:
        inside = caller.pcm[round(start_s * 24000) : round(end_s * 24000)]
        assert np.abs(inside).max() > 5000
    gap = caller.pcm[round(0.4 * 24000) : round(0.9 * 24000)]
    assert not gap.any()


def test_synthesize_speech_with_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    pcm = synthesize_speech("ni to tre fire", sample_rate=16000)
    assert pcm.dtype == np.int16 and pcm.ndim == 1
    assert 0.4 < len(pcm) / 16000 < 4.0
    assert np.abs(pcm).max() > 3000
    slow = synthesize_speech("ni to tre fire", rate_wpm=90, sample_rate=16000)
    assert len(slow) > len(pcm)


def test_synthesize_speech_without_espeak_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(AudioError, match=r"apt-get install espeak-ng"):
        synthesize_speech("hei")


async def test_frames_audio_input_delivers_everything_then_ends() -> None:
    pcm = _sine(200.0, 0.1, 24000)
    source = FramesAudioInput(pcm, speed=None, trailing_silence_s=0.04)
    frames = [f async for f in source]
    assert source.done and len(frames) == source.total_frames == 7
    assert source.delivered_audio == pcm.tobytes() + b"\0" * 1920
    await source.wait_done(timeout_s=0.1)


async def test_frames_audio_input_paces_in_audio_time() -> None:
    pcm = _sine(200.0, 0.2, 24000)
    source = FramesAudioInput(pcm, speed=4.0, trailing_silence_s=0.0)
    loop = asyncio.get_running_loop()
    start = loop.time()
    count = 0
    async for _ in source:
        count += 1
    elapsed = loop.time() - start
    # the last frame may only be delivered once the audio before it has "played" at 4x
    assert count == 10
    assert elapsed >= 0.04


async def test_collecting_audio_output_reports_playback() -> None:
    out = CollectingAudioOutput()
    started: list[float] = []
    finished: list[tuple[float, bool]] = []
    out.on("playback_started", lambda ev: started.append(ev.created_at))
    out.on("playback_finished", lambda ev: finished.append((ev.playback_position, ev.interrupted)))
    for frame in pcm_to_frames(_sine(200.0, 0.1, 24000)):
        await out.capture_frame(frame)
    out.flush()
    ev = await asyncio.wait_for(out.wait_for_playout(), 1)
    assert ev.playback_position == pytest.approx(0.1)
    assert len(started) == 1 and len(finished) == 1
    assert finished[0][0] == pytest.approx(0.1) and finished[0][1] is False
    for frame in pcm_to_frames(_sine(200.0, 0.04, 24000)):
        await out.capture_frame(frame)
    out.clear_buffer()
    assert finished[-1][0] == pytest.approx(0.04) and finished[-1][1] is True
    assert [s.interrupted for s in out.segments] == [False, True]
    assert bytes(out.segments[0].audio) == _sine(200.0, 0.1, 24000).tobytes()
    assert out.spoken_s == pytest.approx(0.14)


async def test_collecting_audio_output_paced_playout_can_be_interrupted() -> None:
    out = CollectingAudioOutput(playback_speed=1.0)
    for frame in pcm_to_frames(_sine(200.0, 1.0, 24000)):
        await out.capture_frame(frame)
    out.flush()
    await asyncio.sleep(0.05)
    out.clear_buffer()
    ev = await asyncio.wait_for(out.wait_for_playout(), 1)
    assert ev.interrupted and 0.0 < ev.playback_position < 1.0
