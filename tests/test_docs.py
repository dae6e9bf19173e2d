"""Every command has help with an example and appears in the docs; the schema reference is current."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from discourse import schema
from discourse.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands(group, prefix=""):
    for name, cmd in group.commands.items():
        yield prefix + name, cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + name + " ")


ALL = dict(_commands(get_command(app)))
COMMANDS = sorted(ALL)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_example(name):
    cmd = ALL[name]
    assert cmd.help and "Example: discourse " in cmd.help, f"{name} needs help text with an example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name):
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"discourse {name}" in text, f"docs/cli.md does not describe `discourse {name}`"


def test_cli_reference_is_current():
    from discourse.cli import markdown

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == markdown(), \
        "regenerate with: python -c 'import discourse.cli as c; print(c.markdown(), end=\"\")' > docs/cli.md"


def test_schema_reference_is_current():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema.markdown() + "\n", \
        "regenerate with: python -c 'import discourse.schema as s; print(s.markdown())' > docs/schema.md"


def test_every_reader_is_documented():
    from discourse.readers import readers

    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for name in readers():
        assert f"(`{name}`)" in text, f"docs/formats.md has no section for the `{name}` reader"
