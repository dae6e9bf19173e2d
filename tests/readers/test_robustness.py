"""Hostile and damaged input: each crash cause and silent loss found by fuzzing, fixed at its root, and one
faulty file costing only that file."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import discourse
from discourse.cli import app
from discourse.errors import FormatError
from discourse.readers import detect, get_reader, readers
from discourse.readers.base import FileReading, LISTED_BAD_LINES, ReadOptions
from discourse.readers.jsonlines import MAX_DEPTH, depth, loads
from discourse.readers.markup import parse_iso
from discourse.readers.markup import to_utc as markup_to_utc
from discourse.readers.values import from_epoch, parse_time

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EARLY = "0001-01-01T00:00:00+05:00"  # before the year 1 once in UTC
LATE = "9999-12-31T23:00:00-05:00"  # after 9999 once in UTC
EPOCH_400 = "9" * 400


def codes(parsed):
    return [d.code for d in parsed.diagnostics]


def read_file(path: Path, fmt: str | None = None):
    reader = get_reader(fmt) if fmt else detect(path)
    return reader.read(path, ReadOptions())


def reddit_line(**kw) -> str:
    rec = {"id": "c1", "link_id": "t3_s", "parent_id": "t3_s", "author": "ani", "body": "text", "created_utc": 1}
    rec.update(kw)
    return json.dumps(rec)


# ---- per-file isolation --------------------------------------------------------------------------------

@pytest.fixture()
def corpus_with_ndjson(tmp_path):
    for f in (ROOT / "threads").iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "bad.ndjson").write_text(reddit_line() + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def faulty_reddit(monkeypatch):
    def boom(path, options):
        raise ZeroDivisionError("division by zero deep in a reader")

    monkeypatch.setitem(readers(), "reddit", dataclasses.replace(readers()["reddit"], read=boom))


def test_an_unexpected_fault_costs_one_file_and_is_reported(corpus_with_ndjson, faulty_reddit):
    corpus = discourse.read(corpus_with_ndjson)
    assert corpus.comments.height == 14 and corpus.articles.height == 5  # the five bundled pages, whole
    err = corpus.diagnostics.filter(pl.col("code") == "reader-fault").row(0, named=True)
    assert err["level"] == "error" and err["path"] == str(corpus_with_ndjson / "bad.ndjson")
    assert "the reddit reader failed with ZeroDivisionError: division by zero deep in a reader" in err["message"]
    assert "file skipped" in err["message"] and "--strict" in err["hint"]
    skipped = corpus.files.filter(pl.col("status") == "skipped")["source_path"].to_list()
    assert skipped == [str(corpus_with_ndjson / "bad.ndjson")]


def test_strict_still_stops_at_the_fault(corpus_with_ndjson, faulty_reddit):
    with pytest.raises(ZeroDivisionError):
        discourse.read(corpus_with_ndjson, strict=True)


def test_the_cli_goes_on_past_a_faulty_file(corpus_with_ndjson, faulty_reddit):
    r = CliRunner().invoke(app, ["parse", str(corpus_with_ndjson)])
    assert r.exit_code == 1, r.output            # the rest is read and printed; the failed file sets the exit code
    assert "articles     5" in r.stdout and "comments     14" in r.stdout
    assert f"{corpus_with_ndjson / 'bad.ndjson'}: the reddit reader failed with ZeroDivisionError" in r.stderr
    r = CliRunner().invoke(app, ["parse", str(corpus_with_ndjson), "--strict"])
    assert r.exit_code != 0


def test_a_fault_while_linking_leaves_no_half_file(tmp_path, monkeypatch):
    """The second article of a file breaks the linking stage: the file's first article is not kept either."""
    from discourse.readers.base import ArticleRecord, CommentRecord, ParsedFile

    good = ArticleRecord("ok", comments=[CommentRecord("1", None, "a", "fine")], key="a")
    bad = ArticleRecord("bad", comments=[CommentRecord("1", None, "a", None)], key="b")  # type: ignore[arg-type]

    def read(path, options):
        return ParsedFile(str(path), "reddit", [good, bad])

    monkeypatch.setitem(readers(), "reddit", dataclasses.replace(readers()["reddit"], read=read))
    (tmp_path / "two.ndjson").write_text(reddit_line() + "\n")
    shutil.copy(ROOT / "threads" / "004_b01ea09c9e7a5141.txt", tmp_path / "page.txt")
    corpus = discourse.read(tmp_path)
    assert corpus.articles["article_id"].to_list() == ["page"]
    assert corpus.comments.filter(pl.col("source_path").str.ends_with("two.ndjson")).height == 0
    assert "reader-fault" in corpus.diagnostics["code"].to_list()


def test_the_bundled_pages_and_a_hostile_ndjson_all_read(corpus_with_ndjson):
    """The reproducer from the issue: a lone surrogate id in an .ndjson beside the five pages."""
    (corpus_with_ndjson / "bad.ndjson").write_text(reddit_line(id="\ud800").replace("\\ud800", "\\ud800"))
    corpus = discourse.read(corpus_with_ndjson)
    assert corpus.articles.height == 6 and corpus.comments.height == 15
    assert not corpus.diagnostics.filter(pl.col("level") == "error").height


# ---- times out of range --------------------------------------------------------------------------------

def test_time_conversions_raise_value_errors_not_overflow():
    for value in (EARLY, LATE):
        with pytest.raises(ValueError, match="outside the years 1 to 9999"):
            parse_time(value)
        assert parse_iso(value)[0] is None
    with pytest.raises(ValueError, match="out of range"):
        from_epoch(10**400)
    with pytest.raises(ValueError):
        parse_time(EPOCH_400)
    import datetime as dt
    assert markup_to_utc(dt.datetime.fromisoformat(EARLY))[0] is None
    assert markup_to_utc(dt.datetime(1, 1, 1, 1), "Asia/Yerevan")[0] is None  # 4 hours before the year 1


@pytest.mark.parametrize("created", [EARLY, LATE, int(EPOCH_400)])
def test_reddit_times_out_of_range_leave_the_time_empty(tmp_path, created):
    p = tmp_path / "rc.ndjson"
    p.write_text(reddit_line(created_utc=created) + "\n" + reddit_line(id="c2", created_utc=1) + "\n")
    parsed = read_file(p)
    comments = parsed.articles[0].comments
    assert [c.created is None for c in comments] == [True, False] and comments[0].text == "text"
    warning = next(d for d in parsed.diagnostics if d.code == "bad-time")
    assert warning.line == 1 and len(warning.message) < 200  # a 400-digit value is not repeated whole


@pytest.mark.parametrize("value", [EARLY, LATE, EPOCH_400])
def test_csv_times_out_of_range_leave_the_time_empty(tmp_path, value):
    p = tmp_path / "t.csv"
    p.write_text(f"id,parent,text,time\n1,,hello,{value}\n2,1,reply,2020-01-01T00:00:00Z\n")
    parsed = read_file(p)
    comments = parsed.articles[0].comments
    assert [c.text for c in comments] == ["hello", "reply"] and comments[0].created is None
    assert next(d for d in parsed.diagnostics if d.code == "bad-time").line == 2


def test_wxr_disqus_and_wordpress_times_out_of_range(tmp_path):
    wxr = tmp_path / "w.xml"
    wxr.write_text((FIXTURES / "wxr" / "v11.xml").read_text().replace("2011-06-01 08:00:00", EARLY)
                   .replace("2011-06-01 12:00:00", LATE))
    comments = [c for a in read_file(wxr).articles for c in a.comments]
    assert comments and any(c.created is None for c in comments)
    dsq = tmp_path / "d.xml"
    dsq.write_text((FIXTURES / "disqus" / "export.xml").read_text().replace("2016-04-05T18:01:09Z", LATE))
    comments = [c for a in read_file(dsq).articles for c in a.comments]
    assert sum(c.created is None for c in comments) == 1
    page = tmp_path / "p.html"
    page.write_text((FIXTURES / "wordpress" / "html5.html").read_text()
                    .replace("2020-10-02T09:15:00+04:00", EARLY).replace("2020-10-02T10:00:00+04:00", LATE))
    comments = read_file(page).articles[0].comments
    assert len(comments) == 3 and all(c.text for c in comments)
    # the unusable datetime attributes give way to the printed dates, read as UTC
    assert [c.created.isoformat() for c in comments[:2]] == ["2020-10-02T09:15:00+00:00", "2020-10-02T10:00:00+00:00"]


def test_convokit_epoch_of_400_digits(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "convokit" / "armenia_sample", folder)
    utts = folder / "utterances.jsonl"
    utts.write_text(utts.read_text().replace('"timestamp": 1695899000', f'"timestamp": {EPOCH_400}'))
    parsed = read_file(folder)
    assert "bad-time" in codes(parsed)


# ---- deep nesting, surrogates, huge numbers -----------------------------------------------------------

def test_depth_is_measured_outside_strings_and_guarded():
    assert depth('{"a": "[[[[", "b": [{}]}') == 3
    deep = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ValueError, match=f"over the limit of {MAX_DEPTH}"):
        loads(deep)
    assert loads('{"a": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}")[0]  # at the limit: read


def test_deep_json_lines_are_reported_with_their_line(tmp_path):
    deep = '{"id": "x", "text": ' + "[" * 50_000 + "]" * 50_000 + "}"
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "1", "text": "first"}\n' + deep + '\n{"id": "2", "text": "third"}\n')
    parsed = read_file(p)
    assert [c.text for c in parsed.articles[0].comments] == ["first", "third"]
    bad = next(d for d in parsed.diagnostics if d.code == "bad-json")
    assert bad.line == 2 and "nested 50,001 levels deep" in bad.message
    assert parsed.report.dropped["bad-json"] == 1


def test_reddit_sniffer_and_reader_survive_deep_json(tmp_path):
    p = tmp_path / "rc.ndjson"
    p.write_text('{"x": ' + "[" * 20_000 + "]" * 20_000 + "}\n" + reddit_line() + "\n")  # within the sniffed 64 KiB
    assert detect(p).name == "reddit"
    parsed = read_file(p)
    assert len(parsed.articles[0].comments) == 1 and parsed.report.dropped["bad-json"] == 1


def test_convokit_deep_json_in_utterances_and_side_files(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "convokit" / "armenia_sample", folder)
    with (folder / "utterances.jsonl").open("a") as fh:
        fh.write('{"id": "deep", "meta": ' + "{\"a\": " * 20_000 + "1" + "}" * 20_000 + "}\n")
    (folder / "conversations.json").write_text("[" * 100_000 + "]" * 100_000)
    parsed = read_file(folder)
    assert parsed.report.dropped["bad-json"] == 1
    side = next(d for d in parsed.diagnostics if d.code == "bad-json" and d.path.endswith("conversations.json"))
    assert "nested" in side.message


def test_lone_surrogate_ids_are_replaced_and_reported(tmp_path):
    p = tmp_path / "rc.ndjson"
    p.write_text('{"id": "\\ud800", "link_id": "t3_s", "parent_id": "t3_s", "body": "a \\udfff b"}\n'
                 '{"id": "ok", "link_id": "t3_s", "parent_id": "t3_s", "body": "pair \\ud83d\\ude00 kept"}\n')
    corpus = discourse.read(p)  # schema.frame (polars) must accept every string
    assert corpus.comments["source_id"].to_list() == ["\ufffd", "ok"]
    assert corpus.comments["text"].to_list() == ["a \ufffd b", "pair \U0001F600 kept"]
    warning = corpus.diagnostics.filter(pl.col("code") == "lone-surrogate").row(0, named=True)
    assert warning["line"] == 1


def test_wordpress_5000_digit_depth_classes_and_counts(tmp_path):
    p = tmp_path / "p.html"
    p.write_text('<html><body><h2 class="comments-title">' + "9" * 5000 + ' comments</h2><ol class="comment-list">'
                 '<li id="comment-1" class="comment depth-' + "9" * 5000 + '"><div class="comment-content">'
                 "<p>kept</p></div></li></ol></body></html>")
    parsed = read_file(p)
    assert [c.text for c in parsed.articles[0].comments] == ["kept"]
    assert any("5,000-digit comment count" in d.message for d in parsed.diagnostics)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_numbers_beyond_int64_are_reported_not_nulled(tmp_path, suffix):
    p = tmp_path / f"t{suffix}"
    big = "99999999999999999999999"
    if suffix == ".csv":
        p.write_text(f"id,text,number\n1,hello,{big}\n2,again,7\n")
    else:
        p.write_text(f'{{"id": "1", "text": "hello", "number": {big}}}\n{{"id": "2", "text": "again", "number": 7}}\n')
    corpus = discourse.read(p)
    assert corpus.comments["number"].to_list() == [None, 7]
    warning = corpus.diagnostics.filter(pl.col("code") == "bad-number").row(0, named=True)
    assert big in warning["message"] and "64-bit" in warning["message"]
    assert warning["line"] in (1, 2)


# ---- encodings and line ends ----------------------------------------------------------------------------

def test_csv_neither_utf8_nor_cp1252_is_decoded_line_by_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"id,parent,text\n1,,caf\xc3\xa9\n2,1,bad \x81 byte\n3,1,na\xefve cp1252\n")
    parsed = read_file(p)
    assert [c.text for c in parsed.articles[0].comments] == ["café", "bad \ufffd byte", "naïve cp1252"]
    by_code = {d.code: d for d in parsed.diagnostics}
    assert by_code["undecodable"].line == 3 and by_code["not-utf8"].line == 4


def test_csv_with_cr_line_ends(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b'id,parent,text\r1,,hello\r2,1,"two\rlines"\r3,1,last')
    assert detect(p).name == "table"
    comments = read_file(p).articles[0].comments
    assert [(c.source_id, c.text, c.line_start) for c in comments] == [
        ("1", "hello", 2), ("2", "two\nlines", 3), ("3", "last", 5)]


def test_csv_with_crlf_split_across_read_blocks(tmp_path):
    rows = "".join(f"{i},,{'x' * 50}\r\n" for i in range(40_000))  # > 1 MiB: CRLFs fall on block edges
    p = tmp_path / "t.csv"
    p.write_bytes(("id,parent,text\r\n" + rows).encode())
    comments = read_file(p).articles[0].comments
    assert len(comments) == 40_000 and comments[-1].line_start == 40_001
    assert all(c.text == "x" * 50 for c in comments)


@pytest.mark.parametrize("fmt", ["wxr", "disqus"])
@pytest.mark.parametrize("encoding", ["x-nonsense", "shift_jis"])
def test_xml_encoding_python_cannot_use(tmp_path, fmt, encoding):
    p = tmp_path / "e.xml"
    p.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">'
                  "</rss>".encode())
    with pytest.raises(FormatError, match="encoding that cannot be read") as err:
        read_file(p, fmt)
    assert "UTF-8" in err.value.hint


# ---- silent losses -------------------------------------------------------------------------------------

def test_a_comment_named_t3_is_not_a_submission(tmp_path):
    p = tmp_path / "rc.ndjson"
    p.write_text(reddit_line(name="t3_") + "\n" + reddit_line(id="c2", name="t3_c2") + "\n")
    comments = read_file(p).articles[0].comments
    assert [(c.source_id, c.text) for c in comments] == [("c1", "text"), ("c2", "text")]


def _dump(n: int = 300) -> bytes:
    return b"".join(reddit_line(id=f"c{i}", body="words " * 20).encode() + b"\n" for i in range(n))


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_gzip_dump_reads_to_the_break(tmp_path, damage):
    data = gzip.compress(_dump())
    p = tmp_path / "RC.ndjson.gz"
    p.write_bytes(data[: len(data) // 2] if damage == "truncated" else data + b"not gzip at all")
    corpus = discourse.read(p)  # detected, not refused as a binary file
    assert corpus.files["format"].to_list() == ["reddit"]
    n = corpus.comments.height
    assert (0 < n < 300) if damage == "truncated" else n == 300
    warning = corpus.diagnostics.filter(pl.col("code") == "truncated-stream").row(0, named=True)
    assert f"the {n if damage == 'garbage' else n + 1:,} lines before it were read" in warning["message"]
    report = json.loads(corpus.files["report"][0])
    assert report["dropped"]["truncated-stream"] == 1


def test_gzip_members_and_zero_padding_read_whole(tmp_path):
    p = tmp_path / "RC.ndjson.gz"
    p.write_bytes(gzip.compress(_dump(10)) + gzip.compress(_dump(5)) + b"\0" * 100)
    corpus = discourse.read(p)
    assert corpus.files["report"].str.contains("truncated").to_list() == [False]
    assert json.loads(corpus.files["report"][0])["dropped"]["duplicate-record"] == 5


@pytest.mark.parametrize("fmt, fixture", [("wxr", "wxr/v11.xml"), ("disqus", "disqus/export.xml")])
def test_xml_gz_with_trailing_garbage_reads_whole_with_a_warning(tmp_path, fmt, fixture):
    plain = tmp_path / "export.xml"
    plain.write_bytes((FIXTURES / fixture).read_bytes())
    p = tmp_path / "export.xml.gz"
    p.write_bytes(gzip.compress(plain.read_bytes()) + b"GARBAGE \x00\x01 not gzip" * 4)
    corpus = discourse.read(p)  # detected, not refused as damaged
    assert corpus.files["format"].to_list() == [fmt]
    whole = discourse.read(plain)
    same = ["source_id", "author", "text", "depth", "status", "created"]
    assert corpus.comments.height == whole.comments.height > 0
    assert corpus.comments.select(same).equals(whole.comments.select(same))
    warning = corpus.diagnostics.filter(pl.col("code") == "truncated-stream").row(0, named=True)
    assert warning["level"] == "warning" and warning["path"] == str(p)
    assert re.match(r"\d+\+ bytes after the end of the gzip data are not gzip; the XML before them is complete",
                    warning["message"])


def test_xml_gz_cut_off_names_the_break(tmp_path):
    data = gzip.compress((FIXTURES / "wxr" / "v11.xml").read_bytes())
    p = tmp_path / "export.xml.gz"
    p.write_bytes(data[: len(data) // 2])
    corpus = discourse.read(p)
    [error] = corpus.diagnostics.filter(pl.col("level") == "error").rows(named=True)
    assert "the gzip data ends early" in error["message"] and "before the end of the XML" in error["message"]
    assert error["path"] == str(p) and error["line"] is not None


def test_csv_lines_with_nul_bytes_are_read_and_reported(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"id,parent,text\n1,,hello\n2,1,bro\x00ken\n" + b"\x00" * 4096 + b"\n3,1,after\n" + b"\x00" * 5000)
    assert detect(p).name == "table"
    parsed = read_file(p)
    assert [(c.source_id, c.text) for c in parsed.articles[0].comments] == [
        ("1", "hello"), ("2", "bro\ufffdken"), ("3", "after")]
    nul = [(d.line, d.message) for d in parsed.diagnostics if d.code == "nul-bytes"]
    assert nul == [(3, "line holds 1 NUL bytes; each was read as U+FFFD"),
                   (4, "line is 4,096 NUL bytes and nothing else (a zeroed block); read as empty"),
                   (6, "line is 5,000 NUL bytes and nothing else (a zeroed block); read as empty")]


@pytest.mark.parametrize("data", [
    "id,parent,text\n1,,hello\n".encode("utf-16"), "id,parent,text\n1,,hello\n".encode("utf-16-le"),
    b"id,par\x00ent,text\n1,,hello\n"])
def test_a_csv_with_nul_in_its_header_is_binary(tmp_path, data):
    p = tmp_path / "t.csv"
    p.write_bytes(data)
    corpus = discourse.read(p)
    assert corpus.diagnostics["message"].to_list() == ["binary file, not text; file skipped"]


# ---- linear growth -------------------------------------------------------------------------------------

def test_reply_ids_do_not_grow_with_depth(tmp_path):
    n = 5000
    lines = ["id,parent,text"] + [f"{i},{i - 1 if i else ''},c{i}" for i in range(n)]
    p = tmp_path / "chain.csv"
    p.write_text("\n".join(lines) + "\n")
    comments = discourse.read(p).comments
    assert comments["comment_id"].to_list()[:3] == ["chain/1", "chain/1.1", "chain/1.2"]
    assert comments["comment_id"][-1] == f"chain/1.{n - 1}" and comments["depth"].max() == n - 1
    assert comments["parent_id"].to_list()[1:] == comments["comment_id"].to_list()[:-1]


def test_reply_ids_count_in_display_order_within_each_thread():
    from discourse.readers.base import CommentRecord, ReadReport
    from discourse.readers.tree import link

    recs = [CommentRecord(i, p, "a", i, order=k) for k, (i, p) in enumerate(
        [("a", None), ("b", "a"), ("c", "b"), ("d", "a"), ("e", None), ("f", "e")])]
    rows, ids = link("X", recs, "f", ReadReport(), [])
    assert ids == {"a": "X/1", "b": "X/1.1", "c": "X/1.2", "d": "X/1.3", "e": "X/2", "f": "X/2.1"}
    assert [r["position"] for r in rows] == [1, 1, 1, 2, 2, 1]


def test_wordpress_line_numbers_from_one_pass(tmp_path):
    items = "".join(f'<li id="comment-{i}" class="comment depth-1">\n<div class="comment-content">\n<p>c{i}</p>\n'
                    f"</div>\n</li>\n" for i in range(1, 2001))
    p = tmp_path / "p.html"
    p.write_text('<html><body>\n<ol class="comment-list">\n' + items + "</ol></body></html>")
    comments = read_file(p).articles[0].comments
    assert [c.line_start for c in comments] == [3 + 5 * k for k in range(2000)]


# ---- one reader base -----------------------------------------------------------------------------------

def test_every_reader_keeps_its_state_in_file_reading():
    import discourse.readers.convokit as convokit
    import discourse.readers.disqus as disqus
    import discourse.readers.reddit as reddit
    import discourse.readers.table as table
    import discourse.readers.wordpress_html as wp
    import discourse.readers.wxr as wxr

    for cls in (convokit._Reading, disqus._Reader, reddit._Reading, table._Reading, wp._Page, wxr._Reader):
        assert issubclass(cls, FileReading) and cls.warn is FileReading.warn


def test_warnings_are_capped_per_code_with_a_summary(tmp_path):
    r = FileReading(tmp_path / "f", ReadOptions(), "table")
    for k in range(12):
        r.warn("bad-time", k + 1, f"time {k}")
    r.warn("no-id", 3, "once")
    r.finish_warnings()
    assert [d.code for d in r.diags] == ["bad-time"] * LISTED_BAD_LINES + ["no-id", "bad-time"]
    assert r.diags[-1].message == f"12 bad-time warnings in all; the first {LISTED_BAD_LINES} are listed"


@pytest.mark.parametrize("kind", ["runs", "random", "empty", "lines"])
def test_gzip_stream_gives_back_exactly_what_was_compressed(kind):
    """Highly compressible data makes more than one step of output per step of input: none of it is lost."""
    import io
    import random

    from discourse.readers.jsonlines import GzipStream

    data = {"runs": b"x" * (5 << 20) + b"\n", "random": random.Random(1).randbytes(1 << 20), "empty": b"",
            "lines": b"a\n" * 300_000}[kind]
    packed = gzip.compress(data)
    for blob, want in ((packed, data), (packed + packed, data + data)):
        stream = GzipStream(io.BytesIO(blob))
        assert io.BufferedReader(stream).read() == want and stream.error is None
    if data:
        stream = GzipStream(io.BytesIO(packed[:-5]))  # the trailer cut off
        out = io.BufferedReader(stream).read()
        assert data.startswith(out) and "cut off" in stream.error
