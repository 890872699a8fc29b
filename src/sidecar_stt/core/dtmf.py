"""In-band DTMF: the keypad tones a caller's phone plays into the audio, found with the Goertzel algorithm.

Some trunks send keypad presses as signalling (LiveKit's ``sip_dtmf_received``); others leave them as tones in
the audio. :class:`DtmfDetector` finds those tones in the caller's audio, block by block:

- the audio is cut into blocks of about 25.6 ms (205 samples at 8 kHz, the classic choice: the 8 keypad
  frequencies fall in distinct bins);
- in each block, the power at each of the 8 frequencies is the Goertzel power (computed here as the equivalent
  single-bin DFT: one matrix product for the 8 frequencies);
- a block holds a key when the strongest low and the strongest high frequency together hold most of the block's
  energy (speech and noise spread theirs), each stands well above its group's runner-up, the two are within
  the twist the standard allows, and the block is not silence;
- a key is reported once, when it has held for ``min_blocks`` blocks in a row (about 50 ms; the standard's
  shortest valid tone is 40 ms); it must stop (a block without it) before the same key counts again.

Pure numpy; no I/O. Feed it mono samples (int16 or float) as they come, in any block size.
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
        min_rms: float = 0.003,
    ) -> None:
        """``min_tone_share``: the share of a block's energy the two tones must hold (a clean key: about 0.9).
        ``min_peak_ratio``: how many times its group's runner-up each tone's power must be. ``max_twist``: the
        largest power ratio between the two tones (6.3 = 8 dB). ``min_rms``: blocks quieter than this (full
        scale = 1.0) hold no key."""
        if sample_rate < 4000:
            raise ValueError("DTMF needs a sample rate of at least 4 kHz")
        self.sample_rate = sample_rate
        self._n = max(1, round(sample_rate * _BLOCK_S))
        self._min_blocks = max(1, min_blocks)
        self._min_share = min_tone_share
        self._min_peak = min_peak_ratio
        self._max_twist = max_twist
        self._min_energy = min_rms * min_rms * self._n
        t = np.arange(self._n) / sample_rate
        freqs = np.array(DTMF_LOW_HZ + DTMF_HIGH_HZ)
        self._basis = np.exp(-2j * np.pi * np.outer(freqs, t))
        self._pending = np.zeros(0, dtype=np.float64)
        self._pending_start_s = 0.0
        self._candidate: str | None = None
        self._candidate_start_s = 0.0
        self._held = 0
        self._reported = False

    @property
    def block_s(self) -> float:
        """The length of one analysis block, in seconds."""
        return self._n / self.sample_rate

    def feed(self, samples: npt.ArrayLike, start_s: float) -> list[KeyPress]:
        """Analyse ``samples`` (mono; int16 or float in [-1, 1]) that begin at ``start_s``; the keys that began."""
        raw = np.asarray(samples)
        x = raw.astype(np.float64) / 32768.0 if raw.dtype == np.int16 else raw.astype(np.float64)
        if self._pending.size == 0:
            self._pending_start_s = start_s
        self._pending = np.concatenate([self._pending, x])
        blocks = self._pending.size // self._n
        if blocks == 0:
            return []
        used = blocks * self._n
        matrix = self._pending[:used].reshape(blocks, self._n)
        origin = self._pending_start_s
        self._pending = self._pending[used:]
        self._pending_start_s = origin + used / self.sample_rate
        keys = self._block_keys(matrix)
        found: list[KeyPress] = []
        for i, key in enumerate(keys):
            press = self._step(key, origin + i * self._n / self.sample_rate)
            if press is not None:
                found.append(press)
        return found

    def _block_keys(self, blocks: npt.NDArray[np.float64]) -> list[str | None]:
        """The key each block holds, if any (see the module docstring for the tests)."""
        power = np.abs(blocks @ self._basis.T) ** 2  # (blocks, 8)
        energy = np.sum(blocks * blocks, axis=1)
        # a tone of amplitude a has block energy a²n/2 and bin power (a·n/2)²: the share is 2·power/(n·energy)
        share = 2.0 * power / (self._n * np.maximum(energy, 1e-12))[:, None]
        out: list[str | None] = []
        for row, block_energy in zip(share, energy, strict=True):
            out.append(self._key_of(row, float(block_energy)))
        return out

    def _key_of(self, share: npt.NDArray[np.float64], energy: float) -> str | None:
        if energy < self._min_energy:
            return None
        low, high = share[:4], share[4:]
        lo, hi = int(np.argmax(low)), int(np.argmax(high))
        lo_p, hi_p = float(low[lo]), float(high[hi])
        if lo_p + hi_p < self._min_share or min(lo_p, hi_p) <= 0:
            return None
        if lo_p < self._min_peak * float(np.partition(low, -2)[-2]):
            return None
        if hi_p < self._min_peak * float(np.partition(high, -2)[-2]):
            return None
        if max(lo_p, hi_p) / min(lo_p, hi_p) > self._max_twist:
            return None
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
