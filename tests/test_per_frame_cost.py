"""The per-frame path stays off BLAS: the keypad-tone search, the bandwidth probe and the mono mix use no thread
pool. A matrix product per frame makes OpenBLAS's worker threads spin between frames (a core per call); the test
counts the CPU the process spent outside the calling thread while frames go through, with BLAS given two
threads (threadpoolctl), and checks the measure itself on a matrix product per frame."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
from livekit import rtc
from threadpoolctl import threadpool_info, threadpool_limits

from sidecar_stt import KeypadListener
from sidecar_stt.adapters.livekit.audio_format import BandwidthProbe, to_mono
from sidecar_stt.testing.audio import synthesize_speech

pytestmark = pytest.mark.livekit

RATE = 24000
STEP = RATE // 50  # 20 ms frames


def stereo_frames(seconds: float) -> list[rtc.AudioFrame]:
    """20 ms stereo frames of speech (espeak-ng) and noise: voiced, so every stage does its work."""
    speech = synthesize_speech("nummeret mitt er nittito trettifire femtiseks syttiåtte", sample_rate=RATE)
    noise = np.random.default_rng(0).normal(0, 600, int(RATE * seconds))
    pcm = np.clip(np.resize(speech, noise.size) + noise, -32768, 32767).astype(np.int16)
    return [
        rtc.AudioFrame(np.repeat(pcm[i : i + STEP], 2).tobytes(), RATE, 2, STEP)
        for i in range(0, pcm.size - STEP + 1, STEP)
    ]


def cpu_off_this_thread(per_frame: Callable[[rtc.AudioFrame, float], None], frames: list[rtc.AudioFrame]) -> float:
    """CPU seconds the process spent on other threads while ``per_frame`` ran on each frame, frames 2 ms apart
    (worker threads spin while they wait for the next product)."""
    process0, thread0 = time.process_time(), time.thread_time()
    for i, frame in enumerate(frames):
        per_frame(frame, i * 0.02)
        time.sleep(0.002)
    return (time.process_time() - process0) - (time.thread_time() - thread0)


@pytest.fixture
def blas_with_threads() -> object:
    if not any(pool["user_api"] == "blas" for pool in threadpool_info()):
        pytest.fail("numpy loaded no BLAS that threadpoolctl sees: the measure below would prove nothing")
    with threadpool_limits(limits=2, user_api="blas") as limits:
        yield limits


async def test_the_per_frame_path_uses_no_blas_threads(blas_with_threads: object) -> None:
    frames = stereo_frames(4.0)
    keypad = KeypadListener(on_entry=lambda *a: None)  # no room: tones may arrive, so they are searched
    probes = [BandwidthProbe(voiced_frames=10)]

    def per_frame(frame: rtc.AudioFrame, start_s: float) -> None:
        mono = to_mono(frame)
        if probes[-1].observe(mono):
            probes.append(BandwidthProbe(voiced_frames=10))  # decided: measure again, so spectra keep being taken
        keypad.feed_audio(mono, start_s)

    assert cpu_off_this_thread(per_frame, frames) < 0.05
    assert len(probes) > 5  # the probe's spectra were taken, several times


def test_the_bandwidth_probe_tells_telephone_audio_from_wideband() -> None:
    rng = np.random.default_rng(4)
    wide = rng.normal(0, 3000, RATE * 2)
    # telephone audio at 24 kHz: the same noise with nothing above about 3.4 kHz
    spectrum = np.fft.rfft(wide)
    spectrum[np.fft.rfftfreq(wide.size, 1 / RATE) > 3400] = 0
    narrow = np.fft.irfft(spectrum, wide.size)
    for pcm, expected in ((wide, "wideband"), (narrow, "narrowband")):
        probe = BandwidthProbe()
        samples = np.clip(pcm, -32768, 32767).astype(np.int16)
        decided = [
            probe.observe(rtc.AudioFrame(samples[i : i + STEP].tobytes(), RATE, 1, STEP))
            for i in range(0, samples.size, STEP)
        ]
        assert decided.count(True) == 1 and decided.index(True) == 39  # the 40th voiced frame decides
        assert probe.bandwidth == expected


async def test_the_measure_sees_a_matrix_product_per_frame(blas_with_threads: object) -> None:
    frames = stereo_frames(4.0)
    basis = np.exp(-2j * np.pi * np.outer(np.arange(16) * 97.0, np.arange(STEP) / RATE))

    def per_frame(frame: rtc.AudioFrame, start_s: float) -> None:
        x = np.frombuffer(frame.data, dtype=np.int16)[::2].astype(np.float64)
        np.abs(x.reshape(1, -1) @ basis.T)

    assert cpu_off_this_thread(per_frame, frames) > 0.2


@pytest.mark.parametrize("channels", [2, 3])
def test_to_mono_is_the_rounded_down_average_of_the_channels(channels: int) -> None:
    rng = np.random.default_rng(channels)
    pcm = rng.integers(-32768, 32768, size=(480, channels)).astype(np.int16)
    pcm[:3] = [[-32768] * channels, [32767] * channels, [-1] + [0] * (channels - 1)]
    mono = to_mono(rtc.AudioFrame(pcm.tobytes(), RATE, channels, 480))
    assert (mono.num_channels, mono.samples_per_channel, mono.sample_rate) == (1, 480, RATE)
    expected = (pcm.astype(np.int64).sum(axis=1) // channels).astype(np.int16)
    assert np.array_equal(np.frombuffer(mono.data, dtype=np.int16), expected)
    again = to_mono(rtc.AudioFrame(pcm[::-1].copy().tobytes(), RATE, channels, 480))
    assert np.array_equal(np.frombuffer(mono.data, dtype=np.int16), expected)  # the first frame kept its own data
    assert np.array_equal(np.frombuffer(again.data, dtype=np.int16), expected[::-1])
