"""The command line: exit codes, messages, and output of every command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from discourse.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture()
def in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return runner.invoke(app, list(args))


def test_parse_summary_defaults_to_threads(in_root):
    r = invoke("parse")
    assert r.exit_code == 0, r.output
    assert "articles     5" in r.stdout
    assert "comments     14 (11 top-level, 3 replies)" in r.stdout
    assert "deepest      depth 1" in r.stdout
    assert "0 errors, 0 warnings" in r.stdout


def test_parse_json_has_the_tables_and_file_reports(in_root):
    r = invoke("parse", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert len(data["articles"]) == 5 and len(data["comments"]) == 14
    c = data["comments"][2]
    assert (c["comment_id"], c["parent_id"], c["author"], c["text"], c["depth"]) == ("002/2.1", "002/2", "jOE", "", 1)
    assert {"article_id", "comment_id", "parent_id", "depth", "position", "number", "author", "text",
            "source_path", "line_start", "line_end"} <= set(c)
    assert data["files"][2]["report"]["kept"]["comments"] == 12


def test_parse_lines_shows_every_role(in_root):
    r = invoke("parse", "threads/002_f95fa880e584f71f.txt", "--lines")
    assert r.exit_code == 0
    assert "    44  comment_header  002/1        " in r.stdout
    assert "     3  caption         002/c1" in r.stdout
    assert "    39  policy" in r.stdout


def test_tree_by_id_and_by_path(in_root):
    r = invoke("tree", "002")
    assert r.exit_code == 0
    assert "│  └─ 2.1  jOE: (no text)" in r.stdout
    assert "└─ 9  Albertino: Means nothing good." in r.stdout
    r2 = invoke("tree", "threads/002_f95fa880e584f71f.txt")
    assert r2.stdout == r.stdout


def test_tree_unknown_article(in_root):
    r = invoke("tree", "999")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no article '999' in the corpus (valid ids: 000, 001, 002, 003, 004)")


def test_missing_path_is_one_line_and_exit_1(tmp_path):
    r = invoke("parse", str(tmp_path / "nope"))
    assert r.exit_code == 1
    assert r.stderr == f"Error: {tmp_path / 'nope'}: no such file or directory (check the path; with no paths discourse reads ./threads)\n"


def test_bad_file_reported_rest_parsed_strict_fails(tmp_path):
    shutil.copy(ROOT / "threads" / "004_b01ea09c9e7a5141.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    r = invoke("parse", str(tmp_path))
    assert r.exit_code == 0
    assert "articles     1" in r.stdout
    assert f"error: {tmp_path / 'empty.txt'}: file is empty; file skipped" in r.stderr
    r = invoke("parse", str(tmp_path), "--strict")
    assert r.exit_code == 1 and "file is empty" in r.stderr


def test_formats_lists_the_readers():
    r = invoke("formats")
    assert r.exit_code == 0 and r.stdout.startswith("asbarez")


def test_python_dash_m(in_root):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "discourse", "tree", "004"], capture_output=True, text=True, check=True)
    assert "sylva portoian,MD" in out.stdout
