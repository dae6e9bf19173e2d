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
    assert "    44  comment_header    002/1        " in r.stdout
    assert "     3  caption           002/c1" in r.stdout
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
    assert r.exit_code == 1                      # a file failed: reported, the rest read, exit code 1
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


def test_export_writes_every_table(in_root, tmp_path):
    r = invoke("export", "--to", "parquet", "--out", str(tmp_path / "x"), "--quiet")
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "x").iterdir())
    assert names == sorted([f"{t}.parquet" for t in ("articles", "paragraphs", "comments", "sentences", "tags",
                                                      "mentions", "actor_sentiment", "edges", "threads", "speakers",
                                                      "diagnostics", "files")]
                          + ["export.json", "lexicon.toml", "schema.json"])


def test_export_pseudonymized_has_no_names(in_root, tmp_path):
    r = invoke("export", "--to", "csv", "--out", str(tmp_path), "--pseudonymize", "--pseudonym-key", "k", "-q")
    assert r.exit_code == 0
    for f in ("comments.csv", "edges.csv", "speakers.csv"):
        text = (tmp_path / f).read_text(encoding="utf-8")
        assert "Tavit" not in text and "jOE" not in text and "speaker-" in text


@pytest.mark.parametrize("command", ["export", "report"])
def test_pseudonyms_need_a_secret_key_in_every_command(in_root, tmp_path, monkeypatch, command):
    # a default key anyone knows would let anyone recompute the pseudonyms from a list of names
    monkeypatch.delenv("DISCOURSE_PSEUDONYM_KEY", raising=False)
    out = tmp_path / "out"
    r = invoke(command, "--out", str(out), "--pseudonymize", "-q")
    assert r.exit_code == 1 and "--pseudonymize needs a key" in r.stderr and "DISCOURSE_PSEUDONYM_KEY" in r.stderr
    assert not out.exists()  # refused before anything was read or written
    r = invoke(command, "--out", str(out), "--pseudonym-key", "k", "-q")
    assert r.exit_code == 1 and "--pseudonym-key is only used with --pseudonymize" in r.stderr
    monkeypatch.setenv("DISCOURSE_PSEUDONYM_KEY", "k")
    assert invoke(command, "--out", str(out), "-q").exit_code == 0  # the variable alone changes nothing


@pytest.mark.parametrize("command", ["parse", "export", "report"])
def test_an_unknown_time_zone_stops_every_reading_command(in_root, tmp_path, command):
    out = tmp_path / "out"
    args = [command, "--timezone", "Armenia/Yerevan"] + ([] if command == "parse" else ["--out", str(out)])
    r = invoke(*args)
    assert r.exit_code == 1 and "unknown time zone 'Armenia/Yerevan'" in r.stderr and "Asia/Yerevan" in r.stderr
    assert not out.exists()


def test_export_takes_the_key_from_the_environment(in_root, tmp_path, monkeypatch):
    monkeypatch.setenv("DISCOURSE_PSEUDONYM_KEY", "k")
    assert invoke("export", "--to", "csv", "--out", str(tmp_path / "env"), "--pseudonymize", "-q").exit_code == 0
    assert invoke("export", "--to", "csv", "--out", str(tmp_path / "flag"), "--pseudonymize",
                  "--pseudonym-key", "k", "-q").exit_code == 0
    env, flag = ((tmp_path / d / "speakers.csv").read_text(encoding="utf-8") for d in ("env", "flag"))
    assert env == flag and "speaker-" in env and "jOE" not in env


def test_export_unknown_format(in_root, tmp_path):
    r = invoke("export", "--to", "xlsx", "--out", str(tmp_path))
    assert r.exit_code == 1 and "valid formats: parquet, csv, ndjson, convokit, graphml" in r.stderr


def test_export_convokit_reads_back_as_the_same_trees(in_root, tmp_path):
    import discourse

    r = invoke("export", "--to", "convokit", "--out", str(tmp_path / "ck"), "-q")
    assert r.exit_code == 0, r.output
    back = discourse.read(tmp_path / "ck")
    orig = discourse.read("threads")
    assert back.comments.select("depth", "author", "text").equals(orig.comments.select("depth", "author", "text"))
    first = (tmp_path / "ck" / "utterances.jsonl").read_text(encoding="utf-8").splitlines()
    assert any('"sent_score"' in line and '"topic_tags"' in line for line in first)


def test_export_graphml_is_the_reply_network(in_root, tmp_path):
    import networkx as nx

    r = invoke("export", "--to", "graphml", "--out", str(tmp_path), "-q")
    assert r.exit_code == 0, r.output
    g = nx.read_graphml(tmp_path / "replies.graphml")
    assert sorted(g.successors("jOE")) == ["Harutik", "Vache", "vartan"]
    assert g["jOE"]["vartan"]["weight"] == 1


def test_explain_shows_words_rules_and_evidence(in_root):
    r = invoke("explain", "002/4")
    assert r.exit_code == 0, r.output
    assert "comment 002/4 by vartan (article 002)" in r.stdout
    assert "betrayal         -2.800  lexicon -2.80" in r.stdout
    assert "topic betrayal                 treason                'treason'" in r.stdout
    r = invoke("explain", "002/4#9")
    assert r.exit_code == 1 and "002/4 has no sentence '9'" in r.stderr


def test_explain_shows_negation_rules(in_root, tmp_path):
    (tmp_path / "p.txt").write_text("T\n\nBody.\n\n  1. Ani said:\n\n    Compromise is not treason. I am not happy.\n",
                                    encoding="utf-8")
    r = invoke("explain", "p/1", "--in", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "NEGATED by 'not' (does not tag)" in r.stdout
    assert "negation 'not'" in r.stdout


def test_lexicon_check_reports_coverage(in_root):
    r = invoke("lexicon", "check")
    assert r.exit_code == 0
    assert "units     14 comments; 2 with no topic (14.3%)" in r.stdout
    assert "never match this corpus" in r.stdout


def test_lexicon_import_liwc(tmp_path):
    dic = tmp_path / "m.dic"
    dic.write_text("%\n1\tloyalty\n2\tbetrayal\n%\nloyal*\t1\nbetray*\t2\nsold out\t2\n", encoding="utf-8")
    r = invoke("lexicon", "import", str(dic), "--out", str(tmp_path / "m.toml"))
    assert r.exit_code == 0, r.output
    text = (tmp_path / "m.toml").read_text(encoding="utf-8")
    assert "loyal*" in text and "sold out" in text


def test_malformed_lexicon_names_the_entry(in_root, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\n[topics.x]\nentries = ["**"]\n', encoding="utf-8")
    r = invoke("export", "--lexicon", str(bad), "--out", str(tmp_path / "o"))
    assert r.exit_code == 1 and str(bad) in r.stderr and "**" in r.stderr


def test_validate_prints_the_table(in_root):
    r = invoke("validate")
    assert r.exit_code == 0
    assert "tweets   snippet   whole            4200   0.872   0.948" in r.stdout


def test_shared_options_are_spelled_the_same_in_every_command():
    # --workers takes -w; --lexicon and the pseudonym options say the same thing, wherever a command offers them
    import typer.main

    def leaves(group):
        for sub in group.commands.values():
            yield from leaves(sub) if hasattr(sub, "commands") else [sub]

    commands = list(leaves(typer.main.get_command(app)))
    assert len(commands) >= 10
    seen: dict[str, set[tuple]] = {}
    for sub in commands:
        for param in sub.params:
            if {"--workers", "--lexicon", "--pseudonymize", "--pseudonym-key"} & set(param.opts):
                seen.setdefault(param.opts[-1] if param.opts[-1].startswith("--") else param.opts[0], set()).add(
                    (tuple(sorted(param.opts)), param.help))
    assert set(seen) == {"--workers", "--lexicon", "--pseudonymize", "--pseudonym-key"}
    for opt, spellings in seen.items():
        assert len(spellings) == 1, (opt, spellings)
    assert "-w" in next(iter(seen["--workers"]))[0]


def test_report_records_the_read_options_it_used():
    from discourse.cli import ScoringOptions, _report_command, read_options

    cmd = _report_command([Path("threads")], Path("r"), "paper", "single", ScoringOptions(None, None, None, False),
                          read_options(timezone="Asia/Yerevan"))
    assert cmd == ["discourse", "report", "threads", "--out", "r", "--style", "paper", "--width", "single",
                   "--timezone", "Asia/Yerevan"]
    cmd = _report_command(None, Path("r"), "web", "double", ScoringOptions(None, 2, "k", True),
                          read_options(format="table", mapping="id=cid, text=body", include="spam,pending",
                                       max_bytes=1000))
    assert cmd == ["discourse", "report", "threads", "--out", "r", "--style", "web", "--width", "double",
                   "--workers", "2", "--pseudonymize", "--pseudonym-key", "<redacted>", "--format", "table",
                   "--map", "id=cid,text=body", "--include", "pending,spam", "--max-bytes", "1000"]


READ_OPTIONS = {"--format", "--strict", "--map", "--include", "--max-bytes", "--timezone"}


def test_every_command_that_reads_has_the_same_read_options():
    import typer.main

    group = typer.main.get_command(app)
    reading = {"parse": group.commands["parse"], "tree": group.commands["tree"],
               "export": group.commands["export"], "explain": group.commands["explain"],
               "report": group.commands["report"], "lexicon check": group.commands["lexicon"].commands["check"]}
    for name, command in reading.items():
        options = {p.opts[-1] if p.opts[-1].startswith("--") else p.opts[0]: (tuple(sorted(p.opts)), p.help)
                   for p in command.params}
        assert READ_OPTIONS <= set(options), name
        assert options["--format"][0] == ("--format", "-f"), name  # always the input format
    assert "--input-format" not in {o for c in reading.values() for p in c.params for o in p.opts}


def test_report_reads_with_a_column_mapping(tmp_path):
    table = tmp_path / "comments.csv"
    table.write_text("cid,parent,body,user,article\n1,,Russia betrayed us.,Ann,a\n2,1,Peace now.,Bob,a\n",
                     encoding="utf-8")
    r = invoke("report", str(table), "--out", str(tmp_path / "r"), "--map",
               "id=cid,text=body,author=user", "-q")
    assert r.exit_code == 0, r.output
    record = json.loads((tmp_path / "r" / "provenance.json").read_text(encoding="utf-8"))
    assert record["command"][-2:] == ["--map", "id=cid,text=body,author=user"]
    assert record["counts"]["comments"] == 2


def test_parse_exits_1_when_a_file_failed_in_every_output_mode(tmp_path):
    shutil.copy(ROOT / "threads" / "004_b01ea09c9e7a5141.txt", tmp_path / "good.txt")
    assert invoke("parse", str(tmp_path)).exit_code == 0
    (tmp_path / "empty.txt").write_bytes(b"")
    for extra in ((), ("--json",), ("--lines",)):
        r = invoke("parse", str(tmp_path), *extra)
        assert r.exit_code == 1, (extra, r.output)
    assert json.loads(invoke("parse", str(tmp_path), "--json").stdout)["articles"]   # the good file is read


def test_version_and_short_help():
    from importlib.metadata import version

    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout == f"discourse {version('discourse')}\n"
    for args in (["-h"], ["parse", "-h"], ["lexicon", "import", "-h"]):
        r = invoke(*args)
        assert r.exit_code == 0 and "Usage:" in r.stdout, args
        assert r.stdout == invoke(*args[:-1], "--help").stdout


def test_shell_completion_is_offered():
    r = invoke("--help")
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout
    import subprocess
    import sys

    env = {"_DISCOURSE_COMPLETE": "complete_bash", "COMP_WORDS": "discourse rep", "COMP_CWORD": "1",
           "PATH": "/usr/bin:/bin"}
    script = Path(sys.executable).with_name("discourse")          # the console script pip installed
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True)
    assert "report" in done.stdout, (done.stdout, done.stderr)


def test_validate_runs_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                  # no tests/ here: the corpora come with the package
    r = invoke("validate")
    assert r.exit_code == 0, r.output
    assert "tweets   snippet   whole            4200   0.872   0.948" in r.stdout


MAPPED = """art,cid,reply_to,user,body
a1,1,,Ann,Russia betrayed us again.
a1,2,1,Bob,No betrayal here: peace talks go on.
a1,3,,Cy,Unity matters.
"""


def test_tree_and_explain_read_columns_through_map(tmp_path):
    (tmp_path / "c.csv").write_text(MAPPED, encoding="utf-8")
    mapping = "id=cid,parent=reply_to,author=user,text=body,article=art"
    r = invoke("tree", "c:a1", "--in", str(tmp_path), "--map", mapping)   # ids: file stem, article
    assert r.exit_code == 0, r.output
    assert "Ann" in r.stdout and "Bob" in r.stdout and r.stdout.index("Ann") < r.stdout.index("Bob")
    assert invoke("tree", "c:a1", "--in", str(tmp_path)).exit_code == 1     # without --map no id column
    r = invoke("explain", "c:a1/2", "--in", str(tmp_path), "--map", mapping)
    assert r.exit_code == 0, r.output
    assert "by Cy" in r.stdout and "topic unity" in r.stdout   # comments are numbered in display order
