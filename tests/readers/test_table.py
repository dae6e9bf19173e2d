"""The CSV / TSV / JSONL table reader: the column mapping and its errors, statuses, times, odd rows, limits."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import discourse
from discourse.cli import app
from discourse.errors import FormatError, InputError
from discourse.readers import detect, table
from discourse.readers.base import ReadOptions

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "table"
UTC = dt.timezone.utc
CLI_MAP = ("id=comment_id,parent=parent_id,text=body,author=user,article=thread,title=thread_title,"
           "time=created_at,status=state")


def mapping(spec: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(item.split("=", 1)) for item in spec.split(","))  # type: ignore[misc]


def read(path, spec=None, **kw):
    return discourse.read(path, options=ReadOptions(mapping=mapping(spec) if spec else (), **kw))


def tree(corpus, article_id=None):
    c = corpus.comments if article_id is None else corpus.comments.filter(pl.col("article_id") == article_id)
    return [(r["depth"], r["source_id"], r["author"], r["text"], r["status"], r["orphan"])
            for r in c.iter_rows(named=True)]


@pytest.fixture(scope="module")
def mapped():
    return read(FIX / "mapped.csv", CLI_MAP)


def test_mapped_csv_articles(mapped):
    assert mapped.articles.select("article_id", "title", "n_comments").rows() == [
        ("mapped:t-lavrov", "Lavrov Visits Yerevan", 6), ("mapped:t-peace", "Peace Talks Resume", 1),
        ("mapped", "mapped", 1)]


def test_mapped_csv_tree(mapped):
    # one comment has an unreadable time, so its article keeps file order
    assert tree(mapped, "mapped:t-lavrov") == [
        (0, "1001", "Sevan", 'Moscow sells tanks to Baku, and calls it "balance".', "visible", False),
        (1, "1002", "Hayk", "Replying before the parent row.", "visible", False),
        (1, "1003", None, "", "deleted", False),
        (2, "1004", "Nare", "Answering a deleted comment.\nSecond line.", "visible", False),
        (0, "1007", "Ani", "My parent was never exported.", "visible", True),
        (0, "1008", "Lori", "Top level by thread id.", "visible", False),
    ]
    # the short row has no article value: its own article, and its parent is elsewhere
    assert tree(mapped, "mapped") == [(0, "2002", None, "Short row", "visible", True)]
    assert mapped.check().height == 0


def test_mapped_csv_times_lines_and_report(mapped):
    rows = {r["source_id"]: r for r in mapped.comments.iter_rows(named=True)}
    assert rows["1004"]["created"] == dt.datetime(2023, 9, 28, 11, 35, tzinfo=UTC)  # epoch milliseconds
    assert rows["1007"]["created"] == dt.datetime(2023, 9, 28, 11, 50, tzinfo=UTC)  # no zone: UTC
    assert rows["2001"]["created"] == dt.datetime.fromtimestamp(1695990000, UTC)
    assert rows["1008"]["created"] is None
    assert (rows["1004"]["line_start"], rows["1004"]["line_end"]) == (5, 6)
    report = json.loads(mapped.files.item(0, "report"))
    assert report == {
        "kept": {"articles": 3, "comments": 8},
        "dropped": {"no-id": 1, "pending": 1, "spam": 1},
        "repaired": {"bad-time": 1, "orphan": 2, "parent-as-root": 2, "ragged-row": 1}}
    d = {(r["code"], r["line"]) for r in mapped.diagnostics.iter_rows(named=True)}
    assert {("ragged-row", 12), ("no-id", 13), ("bad-time", 10), ("naive-time", None), ("orphan", 9)} <= d


def test_include_keeps_pending_and_spam():
    corpus = read(FIX / "mapped.csv", CLI_MAP, include=frozenset({"pending", "spam"}))
    statuses = dict(corpus.comments.select("source_id", "status").iter_rows())
    assert (statuses["1005"], statuses["1006"]) == ("spam", "pending")
    assert corpus.comments.filter(pl.col("source_id") == "1006").item(0, "created") == \
        dt.datetime(2023, 9, 28, 7, 45, tzinfo=UTC)  # +04:00 converted


def test_times_without_a_zone_are_read_in_the_given_zone(mapped):
    # 1007 carries no zone (11:50 read as UTC above); 1006 carries +04:00 and 1004 is an epoch: neither moves
    yerevan = read(FIX / "mapped.csv", CLI_MAP, timezone="Asia/Yerevan")
    rows = {r["source_id"]: r["created"] for r in yerevan.comments.iter_rows(named=True)}
    before = {r["source_id"]: r["created"] for r in mapped.comments.iter_rows(named=True)}
    assert rows["1007"] == dt.datetime(2023, 9, 28, 7, 50, tzinfo=UTC)
    assert rows["1004"] == before["1004"] and rows["2001"] == before["2001"]
    note = yerevan.diagnostics.filter(pl.col("code") == "naive-time").row(0, named=True)
    assert note["message"].endswith("taken as Asia/Yerevan") and note["hint"] is None
    plain = mapped.diagnostics.filter(pl.col("code") == "naive-time").row(0, named=True)
    assert plain["message"].endswith("taken as UTC") and "--timezone" in plain["hint"]


def test_cli_timezone_option(tmp_path):
    args = ["parse", str(FIX / "mapped.csv"), "--map", CLI_MAP, "--json", "--quiet"]
    result = CliRunner().invoke(app, [*args, "--timezone", "Asia/Yerevan"])
    assert result.exit_code == 0, result.output
    created = {c["source_id"]: c["created"] for c in json.loads(result.stdout)["comments"]}
    assert created["1007"].startswith("2023-09-28T07:50")
    bad = CliRunner().invoke(app, [*args, "--timezone", "Yerevan"])
    assert bad.exit_code == 1 and "unknown time zone 'Yerevan'" in bad.stderr and "Asia/Yerevan" in bad.stderr


@pytest.mark.parametrize(("zone", "printed", "utc"), [
    ("Europe/Berlin", dt.datetime(2020, 7, 1, 12, 0), dt.datetime(2020, 7, 1, 10, 0)),      # summer time, +2
    ("Europe/Berlin", dt.datetime(2020, 1, 1, 12, 0), dt.datetime(2020, 1, 1, 11, 0)),      # winter, +1
    ("Europe/Berlin", dt.datetime(2020, 10, 25, 2, 30), dt.datetime(2020, 10, 25, 0, 30)),  # repeated hour: earlier
    ("Asia/Yerevan", dt.datetime(2016, 4, 2, 23, 0), dt.datetime(2016, 4, 2, 19, 0)),
    (None, dt.datetime(2016, 4, 2, 23, 0), dt.datetime(2016, 4, 2, 23, 0)),
])
def test_localize(zone, printed, utc):
    from discourse.readers.values import localize, parse_time

    assert localize(printed, zone) == utc.replace(tzinfo=UTC)
    assert parse_time(printed.isoformat(), zone) == (utc.replace(tzinfo=UTC), True)


def test_an_unknown_zone_fails_before_reading():
    from discourse.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        ReadOptions(timezone="Mars/Olympus")


def test_cli_passes_the_mapping(tmp_path):
    result = CliRunner().invoke(app, ["parse", str(FIX / "mapped.csv"), "--map", CLI_MAP, "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["comments"]) == 8 and out["files"][0]["format"] == "table"
    bad = CliRunner().invoke(app, ["parse", str(FIX / "mapped.csv"), "--map", "id=comment_id,text=message",
                                   "--strict"])
    assert bad.exit_code == 1
    assert "mapped column(s) not in the file: text=message" in bad.output
    columns = "comment_id, parent_id, body, user, thread, thread_title, created_at, state"
    assert f"the file's columns: {columns}" in bad.output


def test_missing_required_mapping_lists_columns_and_keys():
    with pytest.raises(FormatError) as err:
        table.read(FIX / "mapped.csv", ReadOptions())
    msg = str(err.value)
    assert "no column for id and text" in msg
    assert "comment_id, parent_id, body" in msg and "valid keys: id, parent, text, author" in msg


def test_unknown_key_is_refused():
    with pytest.raises(FormatError, match="unknown mapping key.*body.*valid keys"):
        table.read(FIX / "mapped.csv", ReadOptions(mapping=(("body", "body"),)))


def test_default_mapping_and_tsv():
    corpus = discourse.read(FIX / "comments.tsv", strict=True)
    assert tree(corpus) == [(0, "1", "Sevan", "Tab separated.", "visible", False),
                            (1, "2", "Ani K.", "A reply.", "visible", False)]
    assert corpus.articles.item(0, "article_id") == "comments"


def test_jsonl_nested_columns_integer_ids_and_missing_keys():
    corpus = read(FIX / "comments.jsonl", "text=body,author=author.name,time=ts,article=thread")
    assert tree(corpus) == [
        (0, "1", "Sevan", "Top-level, no parent key at all.", "visible", False),
        (1, "2", "Ani K.", "Integer ids become strings.", "visible", False),
        (2, "5", "Lori", '["a", "list"]', "visible", False),
        (0, "3", None, "Empty author name is no author.", "visible", False),
    ]
    assert corpus.articles.item(0, "article_id") == "comments:77"
    assert json.loads(corpus.files.item(0, "report"))["dropped"] == {"bad-json": 1}
    assert corpus.diagnostics.filter(pl.col("code") == "bad-json").item(0, "line") == 4


def test_jsonl_mapped_key_that_never_occurs():
    with pytest.raises(FormatError, match="author=writer"):
        table.read(FIX / "comments.jsonl", ReadOptions(mapping=(("text", "body"), ("author", "writer"))))


def write_csv(path: Path, rows, **kw) -> Path:
    with path.open("w", newline="", encoding=kw.pop("encoding", "utf-8")) as fh:
        csv.writer(fh, **kw).writerows(rows)
    return path


def test_semicolons_cp1252_and_long_fields(tmp_path):
    long = "ü" * 200_000  # longer than csv's default 128 KiB field limit
    path = write_csv(tmp_path / "x.csv", [["id", "text", "author"], ["1", long, "Jürgen"], ["2", "Grüße", "Zoë"]],
                     delimiter=";", encoding="cp1252")
    parsed = table.read(path, ReadOptions())
    assert [c.text for c in parsed.articles[0].comments] == [long, "Grüße"]
    assert [c.author for c in parsed.articles[0].comments] == ["Jürgen", "Zoë"]
    assert parsed.diagnostics[0].code == "not-utf8"
    assert csv.field_size_limit() == 131072  # the csv module's limit is restored


def test_file_size_limit():
    with pytest.raises(InputError, match="over the 500-byte limit"):
        table.read(FIX / "mapped.csv", ReadOptions(max_bytes=500, mapping=mapping(CLI_MAP)))


def test_line_limit_names_the_line(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["id", "text"], ["1", "short"], ["2", "x" * 500]])
    with pytest.raises(InputError) as err:
        table.read(path, ReadOptions(max_line=100))
    assert err.value.line == 3


def test_duplicate_ids_and_cycles_go_to_the_tree_module(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["id", "parent", "text"], ["a", "b", "A"], ["b", "a", "B"],
                                          ["c", "", "C"], ["c", "", "C"], ["d", "d", "D"]])
    corpus = discourse.read(path, strict=True)
    assert corpus.comments.height == 4 and corpus.check().height == 0
    report = json.loads(corpus.files.item(0, "report"))
    assert report["repaired"] == {"cycle": 2} and report["dropped"] == {"duplicate-record": 1}


def test_header_only_is_an_error(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["id", "text"]])
    with pytest.raises(FormatError, match="no comment rows"):
        table.read(path, ReadOptions())


@pytest.mark.parametrize("name, content, expected", [
    ("a.csv", "comment_id,parent_id,body\n1,,x\n", "table"),
    ("a.csv", "foo,bar\n1,2\n", "table"),
    ("a.jsonl", '{"id": 1, "parent": null, "text": "x"}\n', "table"),
    ("a.jsonl", '{"id":"a","parent_id":"t3_x","link_id":"t3_x","body":"hi"}\n', "reddit"),
    ("a.ndjson", '{"comment_id": 1, "reply_to": null, "text": "x"}\n', "table"),
])
def test_detection(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect(path).name == expected


def test_sniff_confidence_below_reddit_for_pushshift_json(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id":"a","parent_id":"t3_x","link_id":"t3_x","body":"hi"}\n', encoding="utf-8")
    head = path.read_bytes()
    assert 0 < table.sniff(path, head) < discourse.readers.reddit.sniff(path, head)
