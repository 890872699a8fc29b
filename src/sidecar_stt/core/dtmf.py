"""In-band DTMF: the keypad tones a caller's phone plays into the audio, found with the Goertzel algorithm.

Some trunks send keypad presses as signalling (LiveKit's ``sip_dtmf_received``); others leave them as tones in
the audio. :class:`DtmfDetector` finds those tones in the caller's audio, block by block:

- the audio is cut into blocks of about 25.6 ms (205 samples at 8 kHz, the classic choice: the 8 keypad
  frequencies fall in distinct bins); audio at a multiple of 8 kHz is first averaged down to 8 kHz (the keypad
  frequencies and their 2nd harmonics all lie below 4 kHz), so a block costs the same at any rate;
- in each block, the power at each of the 8 frequencies is the Goertzel power, computed as the equivalent
  single-bin DFT: the block times a precomputed cosine and sine of each frequency, summed. Elementwise work into
  buffers made once, so nothing per block is handed to BLAS (whose worker threads would spin between blocks)
  and nothing is allocated but the block's few Python floats; silent blocks stop after their energy;
- a block holds a key when the strongest low and the strongest high frequency together hold most of the block's
  energy (speech and noise spread theirs), each stands well above its group's runner-up, the two are within
  the twist the standard allows, their 2nd and 3rd harmonics are faint (a keypad plays pure tones; voices and
  instruments play notes with overtones, which is how music on a keypad's frequencies is told apart), and the
  block is not silence;
- a key is reported once, when it has held for ``min_blocks`` blocks in a row (about 50 ms; the standard's
  shortest valid tone is 40 ms); it must stop (a block without it) before the same key counts again.

Pure numpy; no I/O. Feed it mono samples (int16 or float) as they come, in any size: they fill blocks.
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
        # keypad frequency has its overtones further off): 8 + 8·k·3 + j for harmonic k+2 and pitch j
        freqs = np.concatenate([tones] + [np.outer(tones * (k + 2), _PITCHES).ravel() for k in range(2)])
        angles = 2 * np.pi * np.outer(freqs, np.arange(n) / rate)
        audible = (freqs < 0.95 * rate / 2)[:, None]  # a harmonic past the band the rate carries counts as none
        # the average attenuates a little toward 4 kHz (0.5 dB at 1633 Hz from 24 kHz): undone in the tables
        gain = np.abs(np.exp(-2j * np.pi * np.outer(freqs, np.arange(self._step_by)) / sample_rate).mean(axis=1))
        weights = audible / gain[:, None]
        # rows: the cosine of each frequency, then the sine; a bin's power is (x·cos)² + (x·sin)²
        self._tables = np.concatenate([np.cos(angles) * weights, np.sin(angles) * weights])
        # every buffer the per-block work writes into, made once
        self._raw = np.zeros(n * self._step_by)  # the block as fed; averaged into ``_block`` when a rate is reduced
        self._block = np.zeros(n) if self._step_by > 1 else self._raw
        self._squares = np.empty(n)
        self._products = np.empty((len(self._tables), n))
        self._sums = np.empty(len(self._tables))
        self._scale = 1.0 / self._step_by
        self._filled = 0
        self._block_start_s = 0.0
        self._candidate: str | None = None
        self._candidate_start_s = 0.0
        self._held = 0
        self._reported = False

    @property
    def block_s(self) -> float:
        """The length of one analysis block, in seconds."""
        return self._raw.size / self.sample_rate

    def feed(self, samples: npt.ArrayLike, start_s: float) -> list[KeyPress]:
        """Analyse ``samples`` (mono; int16 or float in [-1, 1]) that begin at ``start_s``; the keys that began.

        The samples are copied into the block being filled; each block that fills up is analysed at once."""
        raw = np.asarray(samples)
        scale = self._scale / 32768.0 if raw.dtype == np.int16 else self._scale
        block = self._raw
        found: list[KeyPress] = []
        pos, size = 0, raw.size
        while pos < size:
            if self._filled == 0:
                self._block_start_s = start_s + pos / self.sample_rate
            take = min(block.size - self._filled, size - pos)
            np.multiply(raw[pos : pos + take], scale, out=block[self._filled : self._filled + take])
            self._filled += take
            pos += take
            if self._filled == block.size:
                self._filled = 0
                press = self._step(self._block_key(), self._block_start_s)
                if press is not None:
                    found.append(press)
        return found

    def _block_key(self) -> str | None:
        """The key the full block holds, if any (see the module docstring for the tests).

        Elementwise products summed row by row, into buffers made once: numpy hands none of it to BLAS (a matrix
        or dot product would, and BLAS's worker threads then spin between blocks)."""
        x = self._block
        if self._step_by > 1:
            np.add.reduce(self._raw.reshape(self._n, self._step_by), axis=1, out=x)
        np.multiply(x, x, out=self._squares)
        energy = float(self._squares.sum())
        if energy < self._min_energy:
            return None
        np.multiply(self._tables, x, out=self._products)
        np.add.reduce(self._products, axis=1, out=self._sums)
        sums = self._sums.tolist()
        half = len(sums) // 2
        power = [sums[i] * sums[i] + sums[i + half] * sums[i + half] for i in range(half)]
        # a tone of amplitude a has block energy a²n/2 and bin power (a·n/2)²: the share is 2·power/(n·energy)
        norm = 2.0 / (self._n * energy)
        lo, lo_p, lo_second = _strongest(power[0:4])
        hi, hi_p, hi_second = _strongest(power[4:8])
        if (lo_p + hi_p) * norm < self._min_share or min(lo_p, hi_p) <= 0:
            return None
        if lo_p < self._min_peak * lo_second or hi_p < self._min_peak * hi_second:
            return None
        if max(lo_p, hi_p) / min(lo_p, hi_p) > self._max_twist:
            return None
        harmonics = sum(max(power[8 + 24 * k + 3 * t : 11 + 24 * k + 3 * t]) for k in range(2) for t in (lo, 4 + hi))
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


def _strongest(powers: list[float]) -> tuple[int, float, float]:
    """The index and power of the strongest of ``powers``, and the runner-up's power."""
    best = max(range(len(powers)), key=powers.__getitem__)
    second = max(p for i, p in enumerate(powers) if i != best)
    return best, powers[best], second
