"""The in-band DTMF detector and the keypad entry (pure core)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from sidecar_stt.core.dtmf import DTMF_HIGH_HZ, DTMF_KEYS, DTMF_LOW_HZ, DtmfDetector
from sidecar_stt.core.keypad import KeypadEntry, asks_for_keypad

pytestmark = pytest.mark.unit


def key_tone(key: str, sample_rate: int, duration_s: float = 0.1, amplitude: float = 0.3) -> npt.NDArray[np.float64]:
    row = next(i for i, keys in enumerate(DTMF_KEYS) if key in keys)
    low, high = DTMF_LOW_HZ[row], DTMF_HIGH_HZ[DTMF_KEYS[row].index(key)]
    t = np.arange(int(sample_rate * duration_s)) / sample_rate
    return amplitude * (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t)) / 2


def keyed(keys: str, sample_rate: int, *, gap_s: float = 0.06, tone_s: float = 0.1) -> npt.NDArray[np.float64]:
    gap = np.zeros(int(sample_rate * gap_s))
    return np.concatenate([gap] + [np.concatenate([key_tone(k, sample_rate, tone_s), gap]) for k in keys])


def detect(x: npt.NDArray[np.float64], sample_rate: int, *, chunk: int = 480) -> list[tuple[str, float]]:
    detector = DtmfDetector(sample_rate)
    pcm = np.clip(x * 32767, -32768, 32767).astype(np.int16)
    found = []
    for i in range(0, pcm.size, chunk):
        found += [(p.key, p.start_s) for p in detector.feed(pcm[i : i + chunk], i / sample_rate)]
    return found


@pytest.mark.parametrize("sample_rate", [8000, 16000, 24000, 48000])
def test_every_key_is_found_once_at_its_start(sample_rate: int) -> None:
    keys = "0123456789*#ABCD"
    rng = np.random.default_rng(sample_rate)
    x = keyed(keys, sample_rate) + rng.normal(0, 0.01, keyed(keys, sample_rate).size)
    found = detect(x, sample_rate, chunk=sample_rate // 50)
    assert "".join(k for k, _ in found) == keys
    starts = [0.06 + i * 0.16 for i in range(len(keys))]
    for (_, start_s), expected in zip(found, starts, strict=True):
        assert abs(start_s - expected) < 0.03


def test_a_held_key_counts_once_and_a_repeated_key_twice() -> None:
    sr = 16000
    assert [k for k, _ in detect(keyed("5", sr, tone_s=1.0), sr)] == ["5"]
    assert [k for k, _ in detect(keyed("55", sr), sr)] == ["5", "5"]


def test_a_blip_shorter_than_the_standard_minimum_is_not_a_key() -> None:
    sr = 8000
    assert detect(keyed("7", sr, tone_s=0.02), sr) == []


def test_speech_like_harmonics_noise_and_single_tones_are_not_keys() -> None:
    sr = 16000
    t = np.arange(sr * 3) / sr
    rng = np.random.default_rng(1)
    # a voiced sound whose 7th and 11th harmonics sit on 770 Hz and 1209 Hz: DTMF frequencies, but among many
    phase = 2 * np.pi * np.cumsum(110 * (1 + 0.02 * np.sin(2 * np.pi * 3 * t))) / sr
    voiced = 0.1 * sum(np.sin(k * phase) / k for k in range(1, 30))
    assert detect(voiced, sr) == []
    assert detect(rng.normal(0, 0.2, sr * 3), sr) == []
    assert detect(0.3 * np.sin(2 * np.pi * 941 * t), sr) == []  # one tone of a pair
    assert detect(keyed("1", sr) * 0.001, sr) == []  # below the silence floor


def test_a_key_under_speech_level_noise_is_still_found() -> None:
    sr = 8000
    rng = np.random.default_rng(2)
    x = keyed("9", sr)
    assert [k for k, _ in detect(x + rng.normal(0, 0.03, x.size), sr)] == ["9"]


def test_the_detector_can_miss_a_key_when_the_tones_are_buried() -> None:
    sr = 8000
    rng = np.random.default_rng(3)
    x = keyed("9", sr)
    assert detect(x + rng.normal(0, 0.3, x.size), sr) == []


def test_low_sample_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        DtmfDetector(2000)


def test_keypad_entry_gathers_digits_until_hash() -> None:
    entry = KeypadEntry()
    assert [entry.press(k) for k in "923"] == [None, None, None]
    assert entry.pending == "923"
    entry.press("*")  # start over
    assert entry.pending == ""
    for k in "9234567A8":
        assert entry.press(k) is None
    assert entry.press("#") == "92345678"
    assert entry.pending == ""
    assert entry.press("#") == ""
    entry.press("4")
    assert entry.finish() == "4"


def test_keypad_entry_is_bounded() -> None:
    entry = KeypadEntry()
    for _ in range(100):
        entry.press("1")
    assert entry.press("#") == "1" * 20


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("kan jeg taste det inn i stedet?", "nb", True),
        ("jeg taster det på tastaturet", "nb", True),
        ("nittito trettifire", "nb", False),
        ("det var fantastisk", "nb", False),
        ("can I type it in on the keypad?", "en", True),
        ("let me use the dial pad", "en", True),
        ("ninety-two thirty-four", "en", False),
    ],
)
def test_asks_for_keypad(text: str, language: str, expected: bool) -> None:
    assert asks_for_keypad(text, language) is expected
