"""The caller audio's format as the engines get it: mono always, and its bandwidth measured.

- :func:`to_mono`: a multi-channel frame averaged to one channel (LiveKit's STT resampler is mono-only and
  garbles stereo; engines expect mono). A mono frame is returned as it is.
- :class:`BandwidthProbe`: looks at the first voiced frames of a session and says whether the audio is
  narrowband (telephone, ~8 kHz content, whatever the frame rate: SIP audio arrives resampled to 24 kHz) or
  wideband. Cheap: an FFT of at most ``max_frames`` frames, then nothing.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
import numpy.fft  # imported here, not on the first voiced frame (numpy loads it lazily)
from livekit import rtc

__all__ = ["Bandwidth", "BandwidthProbe", "to_mono"]

Bandwidth = Literal["unknown", "narrowband", "wideband"]

_VOICED_RMS = 300.0  # about -40 dBFS: a frame this loud carries speech worth measuring
_NARROWBAND_EDGE_HZ = 4000.0


def to_mono(frame: rtc.AudioFrame) -> rtc.AudioFrame:
    """``frame`` averaged to one channel (the same frame when it is mono)."""
    if frame.num_channels == 1:
        return frame
    pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels)
    mono = pcm.astype(np.int32).sum(axis=1) // frame.num_channels
    return rtc.AudioFrame(mono.astype(np.int16).tobytes(), frame.sample_rate, 1, frame.samples_per_channel)


class BandwidthProbe:
    """Decides narrowband or wideband from the share of voiced energy above 4 kHz.

    Args:
        voiced_frames: voiced frames to look at before deciding.
        high_share: above this share of energy over 4 kHz the audio is wideband.
    """

    def __init__(self, *, voiced_frames: int = 40, high_share: float = 0.005) -> None:
        self._needed = voiced_frames
        self._high_share = high_share
        self._seen = 0
        self._high = 0.0
        self._total = 0.0
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
        pcm = np.frombuffer(frame.data, dtype=np.int16).astype(np.float64)
        if len(pcm) < 64 or float(np.sqrt(np.mean(pcm**2))) < _VOICED_RMS:
            return False
        power = np.abs(numpy.fft.rfft(pcm * _window(len(pcm)))) ** 2
        freqs = numpy.fft.rfftfreq(len(pcm), 1.0 / frame.sample_rate)
        self._high += float(power[freqs > _NARROWBAND_EDGE_HZ].sum())
        self._total += float(power.sum())
        self._seen += 1
        if self._seen < self._needed:
            return False
        share = self._high / self._total if self._total > 0 else 0.0
        self.bandwidth = "wideband" if share > self._high_share else "narrowband"
        return True


@functools.cache
def _window(length: int) -> np.ndarray:
    return np.hanning(length)
