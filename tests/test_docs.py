"""Docs tested against the code (after datasette's test_docs.py): every setting, command and API
route a user can meet is documented."""

import re
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.live import api

ROOT = Path(__file__).resolve().parent.parent
CODE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "dashboard").rglob("*.py"))
SETTINGS = sorted(set(re.findall(r"REACH_[A-Z_]+[A-Z]", CODE)))


def test_there_are_settings():
    assert {"REACH_DB", "REACH_INGEST_SECRET", "REACH_NETWORK_PAGES"} <= set(SETTINGS)


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_setting_is_in_docs_settings(setting):
    assert f"`{setting}`" in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def _commands(parser, prefix="reach"):
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            if sub._subparsers:
                yield from _commands(sub, f"{prefix} {name}")
            else:
                yield f"{prefix} {name}"


COMMANDS = sorted(_commands(cli._parser()))


def test_there_are_commands():
    assert "reach live clear-rehearsals" in COMMANDS and "reach report" in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"`{command}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted({route.path for route in api.routes()}))
def test_every_api_route_is_in_docs_api(path):
    assert path in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
