"""The caller audio's format as the engines get it: mono always, and its bandwidth measured.

- :func:`to_mono`: a multi-channel frame averaged to one channel (LiveKit's STT resampler is mono-only and
  garbles stereo; engines expect mono). A mono frame is returned as it is.
- :func:`resampled` and :func:`silence_like`: the audio replayed into a restarted engine stream converted to the
  rate of the frames arriving now, and silence in place of frames an engine did not get.
- :class:`BandwidthProbe`: looks at the first voiced frames of a session and says whether the audio is
  narrowband (telephone, ~8 kHz content, whatever the frame rate: SIP audio arrives resampled to 24 kHz) or
  wideband. Cheap: an energy check per frame until ``voiced_frames`` voiced frames came, their spectra in one
  pass, then nothing.

The per-frame functions (:func:`to_mono` and the probe) stay off BLAS (no float matrix or dot products, whose worker
threads would spin between frames; integer ones run in numpy's own loops) and write into buffers made once per frame
length where they can.
"""

from __future__ import annotations

import functools
from collections import deque
from typing import Literal

import numpy as np
import numpy.fft  # imported here, not on the first voiced frame (numpy loads it lazily)
import numpy.typing as npt
from livekit import rtc

__all__ = ["Bandwidth", "BandwidthProbe", "resampled", "silence_like", "to_mono"]

Bandwidth = Literal["unknown", "narrowband", "wideband"]

_VOICED_RMS = 300.0  # about -40 dBFS: a frame this loud carries speech worth measuring
_NARROWBAND_EDGE_HZ = 4000.0


def to_mono(frame: rtc.AudioFrame) -> rtc.AudioFrame:
    """``frame`` averaged to one channel (the same frame when it is mono); the average rounds down."""
    channels = frame.num_channels
    if channels == 1:
        return frame
    pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, channels)
    total = _int32_scratch(pcm.shape[0])
    np.add.reduce(pcm, axis=1, dtype=np.int32, out=total)
    np.floor_divide(total, channels, out=total)
    out = bytearray(2 * pcm.shape[0])  # the new frame keeps this buffer: it cannot be one made once
    np.copyto(np.frombuffer(out, dtype=np.int16), total, casting="unsafe")  # the average fits int16
    return rtc.AudioFrame(out, frame.sample_rate, 1, frame.samples_per_channel)


class BandwidthProbe:
    """Decides narrowband or wideband from the share of voiced energy above 4 kHz.

    Each frame's energy is checked as it comes (an integer dot product); the voiced frames are kept (references,
    no copy) until ``voiced_frames`` of them have come, and their spectra are then taken together, in one pass.

    Args:
        voiced_frames: voiced frames to look at before deciding.
        high_share: above this share of energy over 4 kHz the audio is wideband.
    """

    def __init__(self, *, voiced_frames: int = 40, high_share: float = 0.005) -> None:
        self._needed = voiced_frames
        self._high_share = high_share
        self._voiced: list[memoryview] = []
        self._wide: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.bandwidth: Bandwidth = "unknown"

    @property
    def decided(self) -> bool:
        return self.bandwidth != "unknown"

    def observe(self, frame: rtc.AudioFrame) -> bool:
        """Look at one mono frame; returns ``True`` when this frame decided the bandwidth."""
        if self.decided:
            return False
        if frame.sample_rate <= 2 * _NARROWBAND_EDGE_HZ:
            self.bandwidth = "narrowband"  # the frame rate itself cannot carry more
            return True
        pcm = np.frombuffer(frame.data, dtype=np.int16)
        if len(pcm) < 64:
            return False
        if self._wide.size != len(pcm):
            self._wide = np.empty(len(pcm), dtype=np.int64)
            self._voiced.clear()  # frames of another length: start over
        np.copyto(self._wide, pcm)
        # the frame's energy as an integer dot product: numpy's own loop (a float dot product would go to BLAS)
        if int(np.dot(self._wide, self._wide)) < _VOICED_RMS * _VOICED_RMS * len(pcm):
            return False  # unvoiced
        self._voiced.append(frame.data)
        if len(self._voiced) < self._needed:
            return False
        voiced = np.frombuffer(b"".join(self._voiced), dtype=np.int16).reshape(len(self._voiced), len(pcm))
        self._voiced.clear()
        spectra = numpy.fft.rfft(voiced * _window(len(pcm)), axis=1)
        power = np.square(spectra.real) + np.square(spectra.imag)
        total = float(power.sum())
        share = float(power[:, _high_band(len(pcm), frame.sample_rate)].sum()) / total if total > 0 else 0.0
        self.bandwidth = "wideband" if share > self._high_share else "narrowband"
        return True


@functools.cache
def _window(length: int) -> npt.NDArray[np.float64]:
    return np.hanning(length)


@functools.cache
def _high_band(length: int, sample_rate: int) -> npt.NDArray[np.bool_]:
    """Which of the ``rfft`` bins of a ``length``-sample frame lie above the narrowband edge."""
    return numpy.fft.rfftfreq(length, 1.0 / sample_rate) > _NARROWBAND_EDGE_HZ


@functools.lru_cache(maxsize=8)
def _int32_scratch(length: int) -> npt.NDArray[np.int32]:
    """A scratch buffer for :func:`to_mono`'s channel sums (the loop thread alone calls it; used and done within
    one call)."""
    return np.empty(length, dtype=np.int32)


def silence_like(frame: rtc.AudioFrame, duration_s: float) -> rtc.AudioFrame:
    """``duration_s`` of silence in ``frame``'s format (in place of frames an engine did not get)."""
    samples = max(1, round(duration_s * frame.sample_rate))
    return rtc.AudioFrame(bytes(samples * frame.num_channels * 2), frame.sample_rate, frame.num_channels, samples)


def resampled(frames: deque[tuple[rtc.AudioFrame, float]], rate: int) -> list[tuple[rtc.AudioFrame, float]]:
    """``frames`` (with their session start times) converted to ``rate``; runs at another rate are resampled."""
    out: list[tuple[rtc.AudioFrame, float]] = []
    run: list[tuple[rtc.AudioFrame, float]] = []

    def flush_run() -> None:
        if not run:
            return
        resampler = rtc.AudioResampler(run[0][0].sample_rate, rate, num_channels=1)
        position_s = run[0][1]
        converted = [f for frame, _ in run for f in resampler.push(frame)] + list(resampler.flush())
        for f in converted:
            out.append((f, position_s))
            position_s += f.samples_per_channel / f.sample_rate
        run.clear()

    for frame, start_s in frames:
        if frame.sample_rate == rate:
            flush_run()
            out.append((frame, start_s))
        else:
            run.append((frame, start_s))
    flush_run()
    return out
