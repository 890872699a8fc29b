"""The engine fault taxonomy and the restart budget: pure decisions, one table each."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from livekit.agents import APIConnectionError, APIError, APIStatusError, APITimeoutError
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from sidecar_stt.core.engine_faults import classify_fault
from sidecar_stt.core.restart_budget import RestartBudget
from sidecar_stt.engines.azure import cancellation_error
from sidecar_stt.errors import ConfigurationError, EngineError

pytestmark = pytest.mark.unit


def _handshake(status: int) -> aiohttp.WSServerHandshakeError:
    url = URL("wss://stt.example/v1")
    info = aiohttp.RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return aiohttp.WSServerHandshakeError(request_info=info, history=(), status=status)


class _OpenAIQuota(Exception):
    status_code = 429
    code = "insufficient_quota"


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (KeyError("text"), "transient"),
        (ValueError("bad frame"), "transient"),
        (json.JSONDecodeError("Expecting value", "", 0), "transient"),
        (asyncio.IncompleteReadError(b"", 10), "transient"),
        (aiohttp.ServerDisconnectedError(), "transient"),
        (_handshake(503), "transient"),
        (RuntimeError("socket closed"), "transient"),
        (OSError("reset"), "transient"),
        (TimeoutError(), "transient"),
        (AttributeError("'NoneType' has no attribute 'text'"), "transient"),
        (APIConnectionError(), "transient"),
        (APITimeoutError(), "transient"),
        (APIStatusError("busy", status_code=429), "transient"),
        (APIStatusError("down", status_code=503), "transient"),
        (EngineError("stalled"), "transient"),
        (APIStatusError("no key", status_code=401), "authentication"),
        (_handshake(403), "authentication"),
        (APIStatusError("pay", status_code=402), "quota"),
        (_OpenAIQuota(), "quota"),
        (APIStatusError("bad model", status_code=400), "configuration"),
        (_handshake(404), "configuration"),
        (ConfigurationError("AZURE_SPEECH_KEY missing"), "configuration"),
        (ImportError("azure"), "configuration"),
        (NotImplementedError(), "configuration"),
        (APIError("nope", retryable=False), "not_retryable"),
        (EngineError("gone", retryable=False), "not_retryable"),
        (cancellation_error("Error", "AuthenticationFailure"), "authentication"),
        (cancellation_error("Error", "ServiceUnavailable"), "transient"),
        (cancellation_error("Error", "RuntimeError"), "not_retryable"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(v),
)
def test_each_error_is_transient_or_permanent_with_its_reason(error: BaseException, fault: str) -> None:
    assert classify_fault(error) == fault


def _budget(**kwargs: float) -> RestartBudget:
    options = {"backoff_min_s": 0.2, "backoff_max_s": 5.0, "slow_max_s": 30.0, "quick_restarts": 10, "window_s": 60.0}
    options.update(kwargs)
    return RestartBudget(**options)  # type: ignore[arg-type]


def test_an_outage_is_retried_quickly_then_ever_slower_and_never_given_up() -> None:
    budget = _budget()
    waits: list[float] = []
    now = 0.0
    for _ in range(200):  # over an hour of failures in a row
        wait = budget.next_wait(now)
        assert wait is not None
        waits.append(wait)
        now += wait
    assert waits[:10] == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0, 5.0, 5.0])
    assert sum(waits[:10]) == pytest.approx(31.2)  # the ten quick restarts
    assert waits[10:13] == pytest.approx([10.0, 20.0, 30.0]) and set(waits[12:]) == {30.0}
    assert budget.slowed and now > 3600


def test_an_engine_that_comes_back_starts_again_from_the_shortest_wait() -> None:
    budget = _budget()
    for i in range(12):
        budget.next_wait(i * 100.0)  # spread out: never more than one in the window
        budget.recovered()
    assert budget.next_wait(1300.0) == pytest.approx(0.2) and not budget.slowed


def test_an_engine_that_flaps_is_slowed_by_the_window() -> None:
    budget = _budget(quick_restarts=3, window_s=60.0)
    waits = []
    for i in range(5):
        waits.append(budget.next_wait(i * 1.0))
        budget.recovered()  # back each time, yet failing again a second later
    assert waits[:3] == pytest.approx([0.2, 0.2, 0.2]) and waits[3:] == pytest.approx([10.0, 20.0])


def test_a_slow_wait_is_cut_to_the_quick_ones_while_transcription_is_wanted() -> None:
    budget = _budget()
    assert budget.wait_left(20.0, 3.0, wanted=False) == pytest.approx(17.0)
    assert budget.wait_left(20.0, 3.0, wanted=True) == pytest.approx(2.0)  # at most backoff_max_s (5 s) in all
    assert budget.wait_left(20.0, 12.0, wanted=True) == 0.0  # a capture opening late in a slow wait: restart now
    assert budget.wait_left(0.8, 0.0, wanted=True) == pytest.approx(0.8)  # a quick wait stays as it is


def test_no_quick_restarts_means_never_restarted() -> None:
    assert _budget(quick_restarts=0).next_wait(0.0) is None
