"""In-band DTMF: the keypad tones a caller's phone plays into the audio, found with the Goertzel algorithm.

Some trunks send keypad presses as signalling (LiveKit's ``sip_dtmf_received``); others leave them as tones in
the audio. :class:`DtmfDetector` finds those tones in the caller's audio, block by block:

- the audio is cut into blocks of about 25.6 ms (205 samples at 8 kHz, the classic choice: the 8 keypad
  frequencies fall in distinct bins); audio at a multiple of 8 kHz is first averaged down to 8 kHz (the keypad
  frequencies and their 2nd harmonics all lie below 4 kHz), so a block costs the same at any rate;
- in each block, the power at each of the 8 frequencies is the Goertzel power, computed as the equivalent
  single-bin DFT: the block's sum of products with a precomputed cosine and sine of each frequency. Every whole
  block of the samples given to one :meth:`DtmfDetector.feed` is analysed in one pass (``np.einsum`` without its
  ``optimize`` path: numpy's own loops, nothing handed to BLAS, whose worker threads would spin between calls),
  into buffers kept from call to call; feeding a few hundred milliseconds at a time costs far less than a frame
  at a time. Silent blocks stop after their energy, and the overtones (below) are computed only for the rare
  block whose two tones passed every other test;
- a block holds a key when the strongest low and the strongest high frequency together hold most of the block's
  energy (speech and noise spread theirs), each stands well above its group's runner-up, the two are within
  the twist the standard allows, their 2nd and 3rd harmonics are faint (a keypad plays pure tones; voices and
  instruments play notes with overtones, which is how music on a keypad's frequencies is told apart), and the
  block is not silence;
- a key is reported once, when it has held for ``min_blocks`` blocks in a row (about 50 ms; the standard's
  shortest valid tone is 40 ms); it must stop (a block without it) before the same key counts again.

Pure numpy; no I/O. Feed it mono samples (int16 or float) as they come, in any size: they fill blocks; a key
is reported by the call whose samples completed its ``min_blocks``-th block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["DTMF_HIGH_HZ", "DTMF_KEYS", "DTMF_LOW_HZ", "DtmfDetector", "KeyPress"]

DTMF_LOW_HZ: Final = (697.0, 770.0, 852.0, 941.0)
DTMF_HIGH_HZ: Final = (1209.0, 1336.0, 1477.0, 1633.0)
DTMF_KEYS: Final = ("123A", "456B", "789C", "*0#D")
"""``DTMF_KEYS[low][high]``: the key whose tone pairs ``DTMF_LOW_HZ[low]`` with ``DTMF_HIGH_HZ[high]``."""

_BLOCK_S: Final = 205 / 8000
_PITCHES: Final = (0.98, 1.0, 1.02)


@dataclass(frozen=True, slots=True)
class KeyPress:
    """A key found in the audio; ``start_s`` is when its tone began, on the clock of the samples fed."""

    key: str
    start_s: float


class DtmfDetector:
    """Finds keypad tones in one mono audio stream. Not thread-safe; one instance per stream."""

    def __init__(
        self,
        sample_rate: int,
        *,
        min_blocks: int = 2,
        min_tone_share: float = 0.6,
        min_peak_ratio: float = 6.0,
        max_twist: float = 6.3,
        max_harmonics: float = 0.1,
        min_rms: float = 0.003,
    ) -> None:
        """``min_tone_share``: the share of a block's energy the two tones must hold (a clean key: about 0.9).
        ``min_peak_ratio``: how many times its group's runner-up each tone's power must be. ``max_twist``: the
        largest power ratio between the two tones (6.3 = 8 dB). ``max_harmonics``: the largest power at the two
        tones' 2nd and 3rd harmonics, as a share of the tones' own (a keypad's tones are pure; a clean key:
        below 0.06). ``min_rms``: blocks quieter than this (full scale = 1.0) hold no key."""
        if sample_rate < 4000:
            raise ValueError("DTMF needs a sample rate of at least 4 kHz")
        self.sample_rate = sample_rate
        # a rate that is a multiple of 8 kHz is averaged down to 8 kHz (the average is the anti-alias filter)
        self._step_by = sample_rate // 8000 if sample_rate % 8000 == 0 else 1
        rate = sample_rate / self._step_by
        n = max(1, round(rate * _BLOCK_S))
        self._n = n
        self._min_blocks = max(1, min_blocks)
        self._min_share = min_tone_share
        self._min_peak = min_peak_ratio
        self._max_twist = max_twist
        self._max_harmonics = max_harmonics
        self._min_energy = min_rms * min_rms * n
        tones = np.array(DTMF_LOW_HZ + DTMF_HIGH_HZ)
        # 0-7 the tones; then each tone's 2nd and 3rd harmonic, each at three pitches (a note a little off a
        # keypad frequency has its overtones further off): 8 + 24·k + 3·t + j for harmonic k+2 of tone t, pitch j
        freqs = np.concatenate([tones] + [np.outer(tones * (k + 2), _PITCHES).ravel() for k in range(2)])
        angles = 2 * np.pi * np.outer(freqs, np.arange(n) / rate)
        audible = (freqs < 0.95 * rate / 2)[:, None]  # a harmonic past the band the rate carries counts as none
        # the average attenuates a little toward 4 kHz (0.5 dB at 1633 Hz from 24 kHz): undone in the tables
        gain = np.abs(np.exp(-2j * np.pi * np.outer(freqs, np.arange(self._step_by)) / sample_rate).mean(axis=1))
        weights = audible / gain[:, None]
        # rows: the cosine of each frequency, then the sine; a bin's power is (x·cos)² + (x·sin)²; the keypad's
        # 8 tones in one table (every voiced block), their overtones in another (a block that passed the rest)
        cos, sin = np.cos(angles) * weights, np.sin(angles) * weights
        self._tone_tables = np.concatenate([cos[:8], sin[:8]])
        self._overtone_tables = np.concatenate([cos[8:], sin[8:]])
        # the block being filled across calls (in [-1, 1]), and the analysis buffers, grown to the largest batch
        self._partial = np.zeros(n * self._step_by)
        self._filled = 0
        self._partial_start_s = 0.0
        self._x = np.empty((0, n))
        self._energies = np.empty(0)
        self._tone_sums = np.empty((0, len(self._tone_tables)))
        self._overtone_sums = np.empty(len(self._overtone_tables))
        self._candidate: str | None = None
        self._candidate_start_s = 0.0
        self._held = 0
        self._reported = False

    @property
    def block_s(self) -> float:
        """The length of one analysis block, in seconds."""
        return self._partial.size / self.sample_rate

    def feed(self, samples: npt.ArrayLike, start_s: float) -> list[KeyPress]:
        """Analyse ``samples`` (mono; int16 or float in [-1, 1]) that begin at ``start_s``; the keys that began.

        Every whole block, the one left unfinished by the previous call first, is analysed in one pass; what
        remains waits, unfinished, for the next call."""
        raw = np.asarray(samples)
        unit = 1.0 / 32768.0 if raw.dtype == np.int16 else 1.0
        length, filled = self._partial.size, self._filled
        if filled + raw.size < length:  # not a block yet: it waits
            np.multiply(raw, unit, out=self._partial[filled : filled + raw.size])
            self._filled += raw.size
            if not filled:
                self._partial_start_s = start_s
            return []
        if filled:  # the unfinished block and the new samples, in one array
            joined = np.empty(filled + raw.size)
            joined[:filled] = self._partial[:filled]
            np.multiply(raw, unit, out=joined[filled:])
            raw, unit, start_s = joined, 1.0, self._partial_start_s
        whole = raw.size // length
        found = self._analyse(raw[: whole * length].reshape(whole, length), unit, start_s)
        self._filled = raw.size - whole * length
        if self._filled:
            self._partial_start_s = start_s + whole * self.block_s
            np.multiply(raw[whole * length :], unit, out=self._partial[: self._filled])
        return found

    def _analyse(self, blocks: npt.NDArray[np.generic], unit: float, start_s: float) -> list[KeyPress]:
        """The keys that began in ``blocks`` (one block a row, as fed; ``unit`` scales them to [-1, 1]), the first
        starting at ``start_s``: each block's energy and tone powers in one pass, the tests block by block."""
        count = len(blocks)
        if len(self._x) < count:
            self._x = np.empty((count, self._n))
            self._energies = np.empty(count)
            self._tone_sums = np.empty((count, len(self._tone_tables)))
        x = self._x[:count]
        step = self._step_by
        if step > 1:  # averaged down to 8 kHz: the sums here (strided adds: far faster than a reduce over an
            # axis of ``step``), the division in ``scale`` below
            np.add(blocks[:, 0::step], blocks[:, 1::step], out=x, dtype=np.float64)
            for offset in range(2, step):
                np.add(x, blocks[:, offset::step], out=x)
        else:
            np.copyto(x, blocks)
        energies = np.einsum("bj,bj->b", x, x, out=self._energies[:count]).tolist()
        tone_sums = np.einsum("kj,bj->bk", self._tone_tables, x, out=self._tone_sums[:count]).tolist()
        scale = (unit / self._step_by) ** 2  # from the sums' squares to the energy of the block in [-1, 1]
        found: list[KeyPress] = []
        for i in range(count):
            key = None
            if energies[i] * scale >= self._min_energy:
                key = self._block_key(x, i, energies[i], _powers(tone_sums[i]))
            press = self._step(key, start_s + i * self.block_s)
            if press is not None:
                found.append(press)
        return found

    def _block_key(self, x: npt.NDArray[np.float64], i: int, energy: float, power: list[float]) -> str | None:
        """The key the voiced block ``x[i]`` holds, if any (see the module docstring for the tests), from its energy
        and tone powers (all in the same units: the tests compare ratios)."""
        low, high = power[0:4], power[4:8]
        # a tone of amplitude a has block energy a²n/2 and bin power (a·n/2)²: the share is 2·power/(n·energy)
        if (max(low) + max(high)) * 2.0 < self._min_share * self._n * energy:
            return None  # the test most blocks fail (speech spreads its energy), before any other work
        lo, lo_p, lo_second = _strongest(low)
        hi, hi_p, hi_second = _strongest(high)
        if min(lo_p, hi_p) <= 0:
            return None
        if lo_p < self._min_peak * lo_second or hi_p < self._min_peak * hi_second:
            return None
        if max(lo_p, hi_p) / min(lo_p, hi_p) > self._max_twist:
            return None
        # overtone 24·k + 3·t + j: harmonic k+2 of tone t (0-7) at pitch j
        overtones = _powers(np.einsum("ij,j->i", self._overtone_tables, x[i], out=self._overtone_sums).tolist())
        harmonics = sum(max(overtones[24 * k + 3 * t : 24 * k + 3 * t + 3]) for k in range(2) for t in (lo, 4 + hi))
        if harmonics > self._max_harmonics * (lo_p + hi_p):
            return None  # an instrument's or a voice's notes: tones with overtones
        return DTMF_KEYS[lo][hi]

    def _step(self, key: str | None, block_start_s: float) -> KeyPress | None:
        """Debounce: a key counts once it held ``min_blocks`` blocks; it must stop before it counts again."""
        if key != self._candidate:
            self._candidate = key
            self._candidate_start_s = block_start_s
            self._held = 0
            self._reported = False
        if key is None:
            return None
        self._held += 1
        if self._held >= self._min_blocks and not self._reported:
            self._reported = True
            return KeyPress(key, self._candidate_start_s)
        return None


def _powers(sums: list[float]) -> list[float]:
    """Bin powers from sums of products: the cosine rows' sums, then the sine rows' (``cos² + sin²`` per bin)."""
    half = len(sums) // 2
    return [sums[i] * sums[i] + sums[i + half] * sums[i + half] for i in range(half)]


def _strongest(powers: list[float]) -> tuple[int, float, float]:
    """The index and power of the strongest of ``powers``, and the runner-up's power."""
    best = max(range(len(powers)), key=powers.__getitem__)
    second = max(p for i, p in enumerate(powers) if i != best)
    return best, powers[best], second
