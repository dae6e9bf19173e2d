"""Reading a corpus: the bundled threads, manifests, bad input, one bad file among good ones."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse.errors import DiscourseError, FormatError, InputError, ManifestError

ROOT = Path(__file__).resolve().parents[2]
THREADS = ROOT / "threads"
GOLDEN = ROOT / "tests" / "golden" / "bundled_corpus.json"


@pytest.fixture(scope="module")
def corpus():
    return discourse.read(THREADS)


def test_bundled_corpus_counts(corpus):
    assert corpus.articles.height == 5
    assert corpus.comments.height == 14
    per_article = dict(corpus.articles.select("article_id", "n_comments").iter_rows())
    assert per_article == {"000": 0, "001": 0, "002": 12, "003": 0, "004": 2}
    c002 = corpus.comments.filter(pl.col("article_id") == "002")
    assert c002.filter(pl.col("depth") == 0).get_column("number").to_list() == list(range(1, 10))
    replies = c002.filter(pl.col("depth") == 1)
    assert replies.get_column("author").to_list() == ["jOE"] * 3
    parents = c002.join(replies.select(pl.col("parent_id").alias("comment_id"), pl.col("text").alias("reply")),
                        on="comment_id")
    assert parents.get_column("author").to_list() == ["Vache", "vartan", "Harutik"]
    assert parents.get_column("reply").str.len_chars().to_list()[0] == 0
    assert replies.get_column("text_missing").to_list() == [True, False, False]
    assert corpus.diagnostics.height == 0
    assert corpus.check().height == 0


def test_manifest_metadata_applied(corpus):
    a = corpus.articles.filter(pl.col("article_id") == "002").row(0, named=True)
    assert a["outlet"] == "Asbarez (editorial)" and str(a["published"]) == "2016-08-08"
    assert a["date_estimated"] is False and a["url"].startswith("http://asbarez.com/153770/")
    assert corpus.articles.filter(pl.col("date_estimated")).height == 4
    assert a["source_path"].endswith("002_f95fa880e584f71f.txt")


def _golden_view(corpus) -> dict:
    return {
        "comments": corpus.comments.select("comment_id", "parent_id", "depth", "position", "number", "author",
                                           "text", "line_start", "line_end").to_dicts(),
        "paragraphs": corpus.paragraphs.select("paragraph_id", "role", "text", "line_start").to_dicts(),
        "articles": corpus.articles.select("article_id", "title", "n_paragraphs", "n_captions", "body").to_dicts(),
    }


def test_golden_trees_and_bodies(corpus):
    view = _golden_view(corpus)
    if os.environ.get("DISCOURSE_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(view, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert view == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_ids_do_not_shift_when_a_file_is_added(tmp_path, corpus):
    shutil.copytree(THREADS, tmp_path / "t")
    (tmp_path / "t" / "0000_first.txt").write_text("Early page\n\nText.\n\n  1. Ani said:\n\n    Hi.\n",
                                                    encoding="utf-8")
    bigger = discourse.read(tmp_path / "t")
    old = corpus.comments.select("comment_id", "text")
    new = bigger.comments.filter(pl.col("article_id") != "0000_first").select("comment_id", "text")
    assert old.equals(new)
    w = bigger.diagnostics.filter(pl.col("code") == "no-metadata").row(0, named=True)
    assert w["path"].endswith("0000_first.txt") and "manifest.csv" in w["hint"]
    assert bigger.articles.filter(pl.col("article_id") == "0000_first").item(0, "title") == "Early page"


def test_missing_path():
    with pytest.raises(InputError, match="no such file or directory"):
        discourse.read("does/not/exist")


def test_folder_without_thread_files(tmp_path):
    (tmp_path / "notes.md").write_text("hi")
    with pytest.raises(InputError, match="no thread files") as err:
        discourse.read(tmp_path)
    assert str(tmp_path) in str(err.value)


@pytest.mark.parametrize("content, code, message", [
    (b"", "input-error", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "input-error", "binary file"),
])
def test_bad_file_is_skipped_and_reported(tmp_path, content, code, message):
    shutil.copy(THREADS / "002_f95fa880e584f71f.txt", tmp_path / "good.txt")
    (tmp_path / "bad.txt").write_bytes(content)
    corpus = discourse.read(tmp_path)
    assert corpus.articles.get_column("article_id").to_list() == ["good"]
    err = corpus.diagnostics.filter(pl.col("level") == "error").row(0, named=True)
    assert err["code"] == code and message in err["message"] and err["path"].endswith("bad.txt")
    assert err["hint"]
    assert corpus.files.filter(pl.col("status") == "skipped").get_column("source_path").to_list()[0].endswith("bad.txt")
    with pytest.raises(InputError, match=message):
        discourse.read(tmp_path, strict=True)


def test_cp1252_fallback_warns_with_file_and_line(tmp_path):
    (tmp_path / "old.txt").write_bytes("Title\n\nCaf\xe9 text \x93quoted\x94.\n".encode("latin-1"))
    corpus = discourse.read(tmp_path / "old.txt")
    assert corpus.paragraphs.item(0, "text") == "Café text “quoted”."
    w = corpus.diagnostics.filter(pl.col("code") == "not-utf8").row(0, named=True)
    assert w["line"] == 3 and w["path"].endswith("old.txt") and w["level"] == "warning"


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(FormatError, match="valid formats: asbarez"):
        discourse.read(THREADS, format="nope")


def test_bad_manifest_is_reported_and_metadata_ignored(tmp_path):
    shutil.copy(THREADS / "004_b01ea09c9e7a5141.txt", tmp_path / "a.txt")
    (tmp_path / "manifest.csv").write_text("file,published\na.txt,23 Oct 2020\n", encoding="utf-8")
    corpus = discourse.read(tmp_path)
    err = corpus.diagnostics.filter(pl.col("code") == "bad-manifest").row(0, named=True)
    assert err["line"] == 2 and "YYYY-MM-DD" in err["hint"]
    assert corpus.articles.height == 1
    with pytest.raises(ManifestError):
        discourse.read(tmp_path, strict=True)


@pytest.mark.parametrize("text, match", [
    ("name,title\na.txt,x\n", "no `file` column"),
    ("file,colour\na.txt,red\n", "unknown column"),
    ("file,id\na.txt,x\nb.txt,x\n", "already used on line 2"),
    ("file,date_estimated\na.txt,maybe\n", "not true/false"),
    ("file,id\na.txt,0/1\n", "contains '/'"),
])
def test_manifest_errors_name_the_line(tmp_path, text, match):
    from discourse.readers import manifest

    (tmp_path / "manifest.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=match) as err:
        manifest.load(tmp_path / "manifest.csv")
    assert err.value.line is not None and err.value.hint


def test_manifest_lists_a_missing_file(tmp_path):
    shutil.copy(THREADS / "004_b01ea09c9e7a5141.txt", tmp_path / "a.txt")
    (tmp_path / "manifest.csv").write_text("file,id\na.txt,A\ngone.txt,G\n", encoding="utf-8")
    corpus = discourse.read(tmp_path)
    assert corpus.articles.item(0, "article_id") == "A"
    assert corpus.diagnostics.filter(pl.col("code") == "manifest-missing-file").height == 1


def test_single_file_gets_its_folders_manifest():
    corpus = discourse.read(THREADS / "002_f95fa880e584f71f.txt")
    assert corpus.articles.item(0, "article_id") == "002"
    assert corpus.articles.item(0, "outlet") == "Asbarez (editorial)"


def test_duplicate_article_ids_are_renamed_and_reported(tmp_path):
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "page.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    corpus = discourse.read(tmp_path)
    assert corpus.articles.get_column("article_id").to_list() == ["page", "page~2"]
    assert corpus.diagnostics.filter(pl.col("code") == "duplicate-article-id").height == 1


def test_line_limit_protects_memory(tmp_path):
    from discourse.readers.base import ReadOptions

    (tmp_path / "long.txt").write_text("T\n\n" + "x" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="over the 1,000 limit") as err:
        discourse.read(tmp_path, strict=True, options=ReadOptions(max_line=1000))
    assert err.value.line == 3


def test_errors_are_discourse_errors():
    assert issubclass(InputError, DiscourseError) and issubclass(ManifestError, DiscourseError)


def _mixed_corpus(root):
    """Two folders: a good one with its manifest, one with a bad manifest, a broken file and a missing row."""
    shutil.copytree(THREADS, root / "a")
    (root / "b").mkdir()
    for k in range(4):
        shutil.copy(THREADS / "002_f95fa880e584f71f.txt", root / "b" / f"b{k}.txt")
    (root / "b" / "b2.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "b" / "manifest.csv").write_text("file,published\nb1.txt,23 Oct 2020\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("roles", [False, True])
def test_worker_processes_read_the_same_corpus(tmp_path, monkeypatch, roles):
    from discourse.readers import load

    root = _mixed_corpus(tmp_path)
    one = discourse.read(root, roles=roles)
    monkeypatch.setattr(load, "CHUNK_FILES", 2)
    assert len(load._jobs([(p, None) for p in load.expand([root])], 2, load.ReadOptions())) > 3
    two = discourse.read(root, roles=roles, workers=2)
    for name in ("articles", "paragraphs", "comments", "files", "diagnostics", "line_roles"):
        a, b = getattr(one, name), getattr(two, name)
        assert (a is None and b is None) or a.equals(b), name
    assert one.diagnostics.filter(pl.col("code") == "bad-manifest").height == 1


def test_worker_processes_keep_duplicate_ids_in_order(tmp_path, monkeypatch):
    from discourse.readers import load

    for d in ("x", "y", "z"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "page.txt").write_text("T\n\nBody.\n", encoding="utf-8")
    monkeypatch.setattr(load, "CHUNK_FILES", 1)
    corpus = discourse.read(tmp_path, workers=2)  # ids that depend on other files: read in one process
    assert corpus.articles.get_column("article_id").to_list() == ["page", "page~2", "page~3"]
