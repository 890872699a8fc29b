"""``sidecar … --help``: every command describes itself, examples stay on their own lines, no reST markup."""

from __future__ import annotations

import argparse

import pytest

from sidecar_stt.cli.main import build_parser, main

pytestmark = pytest.mark.unit

COMMANDS = [
    (),
    ("extract",),
    ("extract", "phone"),
    ("extract", "birth-number"),
    ("extract", "card-number"),
    ("dataset",),
    ("dataset", "synth"),
    ("eval",),
    ("demo",),
    ("calls",),
]


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sidecar")
def test_help_has_a_description_and_no_rest_markup(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(capsys, *command)
    usage, _, rest = text.partition("\n\n")
    assert usage.startswith("usage: sidecar")
    assert rest.strip() and not rest.startswith(("positional arguments", "options"))  # a description first
    assert "``" not in text and ":func:" not in text


@pytest.mark.parametrize(
    ("command", "example"),
    [
        (("extract",), "\n  echo "),
        (("extract", "phone"), "\n  echo "),
        (("dataset",), "\n  sidecar dataset synth --language nb"),
        (("dataset", "synth"), "\n  sidecar dataset synth --language nb"),
        (("eval",), "\n  sidecar eval --dataset"),
    ],
)
def test_examples_keep_their_own_lines(
    command: tuple[str, ...], example: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert example in _help(capsys, *command)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


CALLS_ACTIONS = sorted(_subparsers(_subparsers(build_parser())["calls"]))


@pytest.mark.parametrize("action", CALLS_ACTIONS)
def test_every_calls_action_describes_itself_and_each_argument(action: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser = _subparsers(_subparsers(build_parser())["calls"])[action]
    assert parser.description, f"sidecar calls {action} has no description"
    for argument in parser._actions:
        if isinstance(argument, argparse._HelpAction):
            continue
        assert argument.help, f"sidecar calls {action}: {argument.dest} has no description"
    text = _help(capsys, "calls", action)
    assert parser.description.split()[0] in text


def test_the_calls_actions_are_the_ones_the_docstring_lists() -> None:
    from sidecar_stt.cli import calls

    assert calls.__doc__ is not None
    for action in CALLS_ACTIONS:
        assert f"$ sidecar calls {action}" in calls.__doc__
