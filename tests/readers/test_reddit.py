"""The Reddit / Pushshift reader: prefixes, null and integer parents, deleted comments, duplicates, bad lines,
compression, limits."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import shutil
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadgen import dump_lines, expected_rows, forests

import discourse
from discourse.errors import FormatError, InputError, MissingDependencyError
from discourse.readers import detect, reddit
from discourse.readers.base import ReadOptions

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "reddit"
UTC = dt.timezone.utc


def tree(corpus, article_id=None):
    c = corpus.comments if article_id is None else corpus.comments.filter(pl.col("article_id") == article_id)
    return [(r["depth"], r["source_id"], r["author"], r["text"], r["status"], r["orphan"])
            for r in c.iter_rows(named=True)]


def write_lines(path: Path, objects) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objects), encoding="utf-8")
    return path


def comment(cid, parent, body="text", link="t3_s1", **kw):
    return {"id": cid, "parent_id": parent, "link_id": link, "author": kw.pop("author", "u_" + cid),
            "body": body, "created_utc": kw.pop("created_utc", 1700000000), "subreddit": "armenia", **kw}


def test_documented_example_lines():
    corpus = discourse.read(FIX / "doc_example.ndjson", strict=True)
    assert corpus.articles.rows() == [(
        "doc_example:16x0abc", "r/armenia submission 16x0abc", None, None, None, False, None, "reddit",
        str(FIX / "doc_example.ndjson"), "", 0, 0, 4, False)]
    assert tree(corpus) == [
        (0, "k3m9q2a", "yerevan_dev", "Russia&#x27;s peacekeepers just watched. Shameful.", "visible", False),
        (1, "k3mb1zz", None, "", "deleted", False),
        (2, "k3mc7hh", "baku_watcher", "", "removed", False),
        (0, "k3md0aa", "lori_guy", "> quote\n\nreply to a comment we don't have", "visible", True),
    ]
    # int, quoted and float epochs all become UTC times
    assert corpus.comments.get_column("created").to_list() == [
        dt.datetime.fromtimestamp(t, UTC) for t in (1695900112, 1695900840, 1695901220, 1695902000)]
    assert corpus.comments.get_column("text_missing").to_list() == [False, True, True, False]
    codes = corpus.diagnostics.get_column("code").to_list()
    assert codes.count("orphan") == 1 and codes.count("no-submission") == 1
    report = json.loads(corpus.files.item(0, "report"))
    assert report["kept"] == {"articles": 1, "comments": 4, "deleted": 1, "removed": 1}
    assert report["repaired"] == {"orphan": 1}
    assert corpus.check().height == 0


@pytest.fixture(scope="module")
def messy():
    return discourse.read(FIX / "messy_month.ndjson")


def test_messy_month_threads_and_submission(messy):
    arts = messy.articles.select("article_id", "title", "url", "published", "body", "n_comments").rows()
    assert arts == [
        ("messy_month:17abcde", "Armenia & Russia: what now?", "https://example.org/news/armenia-russia",
         dt.date(2023, 10, 11), "First paragraph of the post.\n\nSecond > paragraph.", 7),
        ("messy_month:17zzzzz", "r/armenia submission 17zzzzz", None, None, "", 2),
    ]
    # one comment has no usable time, so the article keeps line order; the cycle is cut at its first comment
    assert tree(messy, "messy_month:17abcde") == [
        (0, "n1a0000", "artsakh_ru", "Edited version, captured later.", "visible", False),
        (1, "n1b2c3d", "gyumri_1988", "Replying before my parent appears in the dump.", "visible", False),
        (1, "n1e0000", None, "My account is gone but this text stayed.", "visible", False),
        (1, "n1f0000", "moderated", "", "removed", False),
        (1, "n1j0000", "bad_time", "My timestamp is garbage.", "visible", False),
        (0, "n1g0000", "loop_a", "Corrupt parent one.", "visible", True),
        (1, "n1h0000", "loop_b", "Corrupt parent two.", "visible", False),
    ]
    assert tree(messy, "messy_month:17zzzzz") == [
        (0, "n2a0000", "shushi_voice", "Another thread, no submission record.", "visible", False),
        (1, "n2b0000", "api_shape", "From the live API, wrapped in kind/data.", "visible", False),
    ]
    assert messy.check().height == 0


def test_messy_month_report_and_diagnostics(messy):
    report = json.loads(messy.files.item(0, "report"))
    assert report["dropped"] == {"bad-json": 2, "not-an-object": 1, "no-link-id": 1}
    assert report["repaired"] == {"bad-time": 1, "cycle": 1, "duplicate-id": 1}
    assert report["kept"] == {"articles": 2, "comments": 9, "removed": 1, "submissions": 1}
    d = {(r["code"], r["line"]) for r in messy.diagnostics.iter_rows(named=True)}
    assert {("bad-json", 8), ("bad-json", 9), ("not-an-object", 10), ("no-link-id", 14), ("bad-time", 16),
            ("duplicate-id", 3), ("cycle", 6), ("no-submission", None)} <= d


def test_times_order_siblings_when_all_present(tmp_path):
    path = write_lines(tmp_path / "t.ndjson", [
        comment("c", None, created_utc=300), comment("a", "t3_s1", created_utc="100"),
        comment("b", "t3_s1", created_utc=200.5)])
    corpus = discourse.read(path, strict=True)
    assert corpus.comments.get_column("source_id").to_list() == ["a", "b", "c"]
    assert corpus.comments.item(1, "created") == dt.datetime(1970, 1, 1, 0, 3, 20, 500000, tzinfo=UTC)


def test_null_and_integer_parent_ids(tmp_path):
    parent_id = "k3m0005"
    path = write_lines(tmp_path / "t.ndjson", [
        comment(parent_id, None), comment("k3m0006", int(parent_id, 36)), comment("k3m0007", "k3m0006")])
    parsed = reddit.read(path, ReadOptions())
    recs = parsed.articles[0].comments
    assert [(r.source_id, r.parent) for r in recs] == [("k3m0005", None), ("k3m0006", "k3m0005"),
                                                       ("k3m0007", "k3m0006")]
    assert parsed.report.repaired == {"null-parent": 1, "integer-parent": 1}


def test_duplicates_keep_latest_retrieval_either_order(tmp_path):
    old = comment("a", "t3_s1", body="old", retrieved_on=10)
    new = comment("a", "t3_s1", body="new", retrieved_utc=20)
    for objs in ([old, new], [new, old]):
        corpus = discourse.read(write_lines(tmp_path / "t.ndjson", objs), strict=True)
        assert corpus.comments.get_column("text").to_list() == ["new"]


def test_html_is_unescaped_once(tmp_path):
    path = write_lines(tmp_path / "t.ndjson", [comment("a", None, body="&amp;lt; &lt;b&gt; caf&#233; &amp;amp;")])
    assert discourse.read(path).comments.item(0, "text") == "&lt; <b> café &amp;"


def test_many_bad_lines_are_counted_not_all_listed(tmp_path):
    path = write_lines(tmp_path / "t.ndjson", ["{oops"] * 12 + [comment("a", None)])
    corpus = discourse.read(path, strict=True)
    assert corpus.comments.height == 1
    bad = corpus.diagnostics.filter(pl.col("code") == "bad-json")
    assert bad.get_column("line").to_list() == [1, 2, 3, 4, 5, None]
    assert "12 lines skipped" in bad.item(5, "message")
    assert json.loads(corpus.files.item(0, "report"))["dropped"] == {"bad-json": 12}


def test_not_reddit_json_is_a_format_error(tmp_path):
    path = write_lines(tmp_path / "t.ndjson", [{"hello": "world"}, "nope"])
    with pytest.raises(FormatError, match="no Reddit comments"):
        reddit.read(path, ReadOptions())


def test_line_length_limit_names_the_line(tmp_path):
    path = write_lines(tmp_path / "t.ndjson", [comment("a", None), comment("b", None, body="x" * 500)])
    with pytest.raises(InputError) as err:
        reddit.read(path, ReadOptions(max_line=200))
    assert err.value.line == 2 and "200-byte limit" in str(err.value)
    assert reddit.read(path, ReadOptions(max_line=1000)).articles[0].comments[1].text == "x" * 500


def test_file_size_limit(tmp_path):
    path = shutil.copy(FIX / "doc_example.ndjson", tmp_path / "d.ndjson")
    with pytest.raises(InputError, match="over the 100-byte limit"):
        reddit.read(Path(path), ReadOptions(max_bytes=100))


def test_reads_without_loading_the_whole_file(tmp_path, monkeypatch):
    path = shutil.copy(FIX / "doc_example.ndjson", tmp_path / "d.ndjson")

    def refuse(*a, **k):
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    assert len(reddit.read(Path(path), ReadOptions()).articles[0].comments) == 4


def _plain_rows(corpus):
    return corpus.comments.select("depth", "source_id", "author", "text", "status", "created").rows()


def test_gzip_reads_like_plain(tmp_path):
    plain = discourse.read(FIX / "messy_month.ndjson")
    gz = tmp_path / "messy_month.ndjson.gz"
    gz.write_bytes(gzip.compress((FIX / "messy_month.ndjson").read_bytes()))
    assert detect(gz).name == "reddit"
    corpus = discourse.read(gz)
    assert _plain_rows(corpus) == _plain_rows(plain)
    assert corpus.files.item(0, "report") == plain.files.item(0, "report")


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(b"".join(json.dumps(comment(f"c{i}", None)).encode() + b"\n" for i in range(2000)))
    path = tmp_path / "cut.ndjson.gz"
    path.write_bytes(data[: len(data) // 2])
    parsed = reddit.read(path, ReadOptions())
    n = len(parsed.articles[0].comments)
    assert 0 < n < 2000
    assert any(d.code == "truncated-stream" for d in parsed.diagnostics)


def _zstd_long_window(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=30)
    buf = io.BytesIO()
    with zstandard.ZstdCompressor(compression_params=params).stream_writer(buf, closefd=False) as w:
        w.write(data)
    return buf.getvalue()


def test_zstd_with_a_long_window_reads_like_plain(tmp_path):
    zstandard = pytest.importorskip("zstandard")
    data = (FIX / "messy_month.ndjson").read_bytes()
    blob = _zstd_long_window(data)
    with pytest.raises(zstandard.ZstdError):  # the default decoder refuses a 1 GiB window: the dumps need more
        zstandard.ZstdDecompressor().stream_reader(io.BytesIO(blob)).read()
    path = tmp_path / "RC_2023-10.zst"
    path.write_bytes(blob)
    assert detect(path).name == "reddit"
    assert _plain_rows(discourse.read(path)) == _plain_rows(discourse.read(FIX / "messy_month.ndjson"))


def test_zstd_decompressed_size_is_limited(tmp_path):
    path = tmp_path / "big.zst"
    path.write_bytes(_zstd_long_window(b"".join(
        json.dumps(comment(f"c{i}", None)).encode() + b"\n" for i in range(500))))
    with pytest.raises(InputError, match="decompressed data passes the 10,000-byte limit"):
        reddit.read(path, ReadOptions(max_bytes=10_000))


def test_zstd_without_the_extra_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "RC_2023-10.zst"
    path.write_bytes(_zstd_long_window((FIX / "doc_example.ndjson").read_bytes()))
    monkeypatch.setitem(sys.modules, "zstandard", None)  # import zstandard now raises ImportError
    assert detect(path).name == "reddit"
    with pytest.raises(MissingDependencyError) as err:
        discourse.read(path, strict=True)
    assert "pip install 'discourse[zst]'" in str(err.value)
    corpus = discourse.read(path)  # not strict: the file is reported and skipped
    assert corpus.diagnostics.item(0, "code") == "missingdependency-error"


@pytest.mark.parametrize("first_line, expected", [
    ('{"id":"a","parent_id":"t3_x","link_id":"t3_x","body":"hi"}', "reddit"),
    ('{"id":"x","title":"T","subreddit":"armenia","selftext":""}', "reddit"),
    ('{"kind":"t1","data":{"id":"a","parent_id":"t3_x","link_id":"t3_x","body":"hi"}}', "reddit"),
])
def test_detection(tmp_path, first_line, expected):
    path = tmp_path / "x.ndjson"
    path.write_text(first_line + "\n", encoding="utf-8")
    assert detect(path).name == expected


def test_sniff_gives_nothing_for_other_json(tmp_path):
    path = tmp_path / "x.ndjson"
    path.write_text('{"comment_id": 1, "parent_id": null, "body": "x"}\n', encoding="utf-8")
    assert reddit.sniff(path, path.read_bytes()) == 0.0


# ---- property: any forest, written as a dump in any line order, reads back as the same tree -----------

@settings(max_examples=60, deadline=None)
@given(forest=forests(), data=st.data())
def test_any_forest_in_any_line_order_reads_back(forest, data, tmp_path_factory):
    order = data.draw(st.permutations(range(len(forest))))
    path = tmp_path_factory.mktemp("p") / "dump.ndjson"
    path.write_text("\n".join(dump_lines(forest, order)) + "\n", encoding="utf-8")
    corpus = discourse.read(path, strict=True)
    assert corpus.comments.select("depth", "author", "text").rows() == expected_rows(forest)
    assert corpus.check().height == 0
