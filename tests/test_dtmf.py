"""The in-band DTMF detector and the keypad entry (pure core)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from sidecar_stt.core.dtmf import DTMF_HIGH_HZ, DTMF_KEYS, DTMF_LOW_HZ, DtmfDetector
from sidecar_stt.core.keypad import KeypadEntry, asks_for_keypad
from sidecar_stt.testing.audio import synthesize_speech

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


@pytest.mark.parametrize("sample_rate", [8000, 24000])
@pytest.mark.parametrize("chunk_s", [0.0017, 0.02, 0.2, 10.0])
def test_the_keys_do_not_depend_on_how_the_samples_are_cut(sample_rate: int, chunk_s: float) -> None:
    """Blocks analysed together in one call (a whole batch, or the whole signal) give the keys one block at a time
    does, at the same starts."""
    rng = np.random.default_rng(7)
    x = keyed("5*09#", sample_rate, gap_s=0.043, tone_s=0.071)
    x = x + rng.normal(0, 0.01, x.size)
    one_block = detect(x, sample_rate, chunk=round(205 * sample_rate / 8000))
    assert [k for k, _ in one_block] == list("5*09#")
    cut = detect(x, sample_rate, chunk=max(1, round(chunk_s * sample_rate)))
    assert [k for k, _ in cut] == [k for k, _ in one_block]
    assert [s for _, s in cut] == pytest.approx([s for _, s in one_block], abs=1e-9)


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


def note(
    midi: int, sample_rate: int, overtones: list[float], *, duration_s: float = 0.3, vibrato: float = 0.0
) -> npt.NDArray[np.float64]:
    """One plucked or bowed note of the equal-tempered scale: its partials' amplitudes, a fast attack, a decay."""
    f = 440.0 * 2 ** ((midi - 69) / 12)
    t = np.arange(int(sample_rate * duration_s)) / sample_rate
    phase = 2 * np.pi * np.cumsum(f * (1 + vibrato * np.sin(2 * np.pi * 5 * t))) / sample_rate
    envelope = np.minimum(1.0, t / 0.01) * np.exp(-3.0 * t)
    partials = [a * np.sin(k * phase) for k, a in enumerate(overtones, start=1)]
    return envelope * np.sum(partials, axis=0)


TIMBRES = {
    "strings": ([1 / k for k in range(1, 9)], 0.006),
    "piano": ([1 / k**1.3 for k in range(1, 12)], 0.0),
    "brass": ([0.6, 1.0, 0.8, 0.6, 0.4, 0.3, 0.2], 0.0),
}


@pytest.mark.parametrize("sample_rate", [8000, 24000, 48000])
@pytest.mark.parametrize("timbre", sorted(TIMBRES))
def test_talk_off_two_note_chords_are_not_keys(sample_rate: int, timbre: str) -> None:
    """Every two-note chord of a note of the low group's octave (E5-B5, 659-988 Hz) and one of the high group's
    (C#6-G#6, 1109-1661 Hz) — among them F5 with F#6, which sit on 697 Hz and 1477 Hz (the key 3) — played by an
    instrument with overtones is music, not a key."""
    overtones, vibrato = TIMBRES[timbre]
    found = {}
    for low in range(76, 84):
        for high in range(85, 93):
            chord = 0.15 * (note(low, sample_rate, overtones, vibrato=vibrato) + note(high, sample_rate, overtones))
            if keys := detect(chord, sample_rate, chunk=sample_rate // 50):
                found[(low, high)] = keys
    assert found == {}


@pytest.mark.parametrize("sample_rate", [8000, 24000])
def test_talk_off_tone_pairs_off_the_keypad_frequencies_are_not_keys(sample_rate: int) -> None:
    """Pure tone pairs 4 % off a key's frequencies: beyond the 3.5 % the standard says a receiver must reject."""
    t = np.arange(int(sample_rate * 0.2)) / sample_rate
    found = []
    for low in DTMF_LOW_HZ:
        for high in DTMF_HIGH_HZ:
            for off_low in (0.96, 1.04):
                for off_high in (0.96, 1.04):
                    x = 0.15 * (np.sin(2 * np.pi * low * off_low * t) + np.sin(2 * np.pi * high * off_high * t))
                    found += detect(np.concatenate([x, np.zeros(sample_rate // 10)]), sample_rate)
    assert found == []


@pytest.mark.parametrize("voice", ["nb", "en", "nb+f2", "en+f3"])
def test_talk_off_speech_is_not_keys(voice: str) -> None:
    """espeak-ng speech, low to high voices, with the numbers and vowels a caller says, is not keys."""
    text = (
        "hei, jeg ringer om en bestilling. nummeret mitt er nittito trettifire femtiseks syttiåtte, "
        "ja, det stemmer, tusen takk. one two three four five six seven eight nine zero, eeee, aaaa, oooo"
    )
    for pitch in (10, 50, 99):
        speech = synthesize_speech(text, voice=voice, pitch=pitch, sample_rate=24000)
        assert detect(speech.astype(np.float64) / 32768.0, 24000) == [], pitch
