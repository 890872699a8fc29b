"""The synthetic phone-number speech set (espeak-ng + sox)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import phonenumbers
import pytest
import soundfile

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.errors import ConfigurationError
from sidecar_stt.evaluation.dataset import load_manifest
from sidecar_stt.evaluation.synth import (
    STYLES,
    SynthOptions,
    plan_dataset,
    random_norwegian_number,
    synthesize_dataset,
)

pytestmark = pytest.mark.unit

needs_tools = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None, reason="espeak-ng and sox are not installed"
)


@pytest.mark.parametrize("mobile", [True, False])
def test_random_numbers_are_valid_and_of_the_asked_type(mobile: bool) -> None:
    rng = random.Random(7)
    for _ in range(200):
        e164 = random_norwegian_number(rng, mobile=mobile)
        number = phonenumbers.parse(e164, None)
        assert phonenumbers.is_valid_number(number)
        national = phonenumbers.national_significant_number(number)
        assert len(national) == 8
        if mobile:
            assert national[0] in "49"
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        else:
            assert national[0] in "23567"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_plan_is_deterministic_and_every_text_parses_back(language: str) -> None:
    options = SynthOptions(language=language, count=40, seed=11, snr_db=(None, 20.0, 10.0))
    plan = plan_dataset(options)
    assert plan == plan_dataset(options)
    assert plan != plan_dataset(SynthOptions(language=language, count=40, seed=12, snr_db=(None, 20.0, 10.0)))
    assert {s.style for s in plan} == set(STYLES[language])
    assert {s.snr_db for s in plan} == {None, 20.0, 10.0}
    for style in STYLES[language]:  # every style meets every SNR
        assert {s.snr_db for s in plan if s.style == style} == {None, 20.0, 10.0}
    assert len({s.id for s in plan}) == 40
    assert len({s.voice for s in plan}) > 3 and len({s.rate_wpm for s in plan}) > 3
    for spec in plan:
        found = extract_phone_numbers(spec.text, language=language)
        assert found and found[0].e164 == spec.e164, (spec.style, spec.text)
        if spec.style == "mobile_323":
            assert phonenumbers.national_significant_number(phonenumbers.parse(spec.e164, None))[0] in "49"


def test_old_counting_and_sentence_frames_say_what_they_claim() -> None:
    plan = plan_dataset(SynthOptions(language="nb", count=30, seed=3))
    old = [s.text for s in plan if s.style == "old_counting"]
    assert old and any("og" in w for t in old for w in t.split(", ") if not w.startswith("null"))
    sentences = [s.text for s in plan if s.style == "sentence"]
    assert sentences and all(len(t.split()) > 8 for t in sentences)


def test_bad_options_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        plan_dataset(SynthOptions(language="de"))
    with pytest.raises(ConfigurationError):
        plan_dataset(SynthOptions(language="en", styles=("old_counting",)))
    with pytest.raises(ConfigurationError):
        plan_dataset(SynthOptions(count=0))


@needs_tools
def test_same_seed_same_bytes_and_manifest_loads(tmp_path: Path) -> None:
    options = SynthOptions(language="nb", count=3, seed=5, snr_db=(None, 10.0))
    calls: list[tuple[int, int]] = []
    a = synthesize_dataset(tmp_path / "a", options, on_progress=lambda d, t: calls.append((d, t)))
    synthesize_dataset(tmp_path / "b", options)
    assert calls == [(1, 3), (2, 3), (3, 3)]
    ma = (tmp_path / "a" / "manifest.jsonl").read_text(encoding="utf-8")
    assert ma == (tmp_path / "b" / "manifest.jsonl").read_text(encoding="utf-8")
    for rec in a:
        name = rec.audio.name
        assert (tmp_path / "a" / "audio" / name).read_bytes() == (tmp_path / "b" / "audio" / name).read_bytes()
    loaded = load_manifest(tmp_path / "a" / "manifest.jsonl")
    assert [r.id for r in loaded] == [r.id for r in a]
    first = json.loads(ma.splitlines()[0])
    assert first["audio"].startswith("audio/")
    assert set(first["meta"]) >= {"style", "voice", "rate_wpm", "pitch", "snr_db", "telephone"}
    for rec in loaded:
        data, rate = soundfile.read(str(rec.audio), dtype="int16")
        assert rate == 16000
        assert rec.meta["speech_start_s"] < rec.meta["speech_end_s"] <= len(data) / rate
        assert np.abs(data).max() > 5000  # speech, not silence


def _band_energy(x: np.ndarray, rate: int, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


@needs_tools
def test_telephone_band_and_noise_level(tmp_path: Path) -> None:
    (clean,) = synthesize_dataset(tmp_path / "c", SynthOptions(language="nb", count=1, seed=9))
    (phone,) = synthesize_dataset(tmp_path / "t", SynthOptions(language="nb", count=1, seed=9, telephone=True))
    (noisy,) = synthesize_dataset(tmp_path / "n", SynthOptions(language="nb", count=1, seed=9, snr_db=(5.0,)))
    c, c_rate = soundfile.read(str(clean.audio), dtype="int16")
    t, t_rate = soundfile.read(str(phone.audio), dtype="int16")
    n, _ = soundfile.read(str(noisy.audio), dtype="int16")
    assert (c_rate, t_rate) == (16000, 8000)
    assert phone.meta["telephone"] is True and phone.meta["sample_rate"] == 8000
    # below 300 Hz the telephone band keeps far less of the energy than the wide band does
    c_low = _band_energy(c, c_rate, 0, 250) / _band_energy(c, c_rate, 300, 3400)
    t_low = _band_energy(t, t_rate, 0, 250) / _band_energy(t, t_rate, 300, 3400)
    assert t_low < c_low / 5
    # the noisy copy is the clean one plus noise at about 5 dB below the speech
    start, end = int(clean.meta["speech_start_s"] * 16000), int(clean.meta["speech_end_s"] * 16000)
    noise = n.astype(np.float64) - c.astype(np.float64)
    speech_power = float(np.mean(c[start:end].astype(np.float64) ** 2))
    snr = 10 * np.log10(speech_power / float(np.mean(noise**2)))
    assert snr == pytest.approx(5.0, abs=0.5)
