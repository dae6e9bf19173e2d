"""The synthetic corpus generator: exact sizes, determinism, a layout the reader reads without complaint."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

import discourse
from discourse.bench.synth import Shape, generate, sample_texts


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "corpus"
    stats = generate(out, 600, seed=3)
    return stats, discourse.read(out)


def test_exact_size_and_clean_reading(small):
    stats, corpus = small
    assert stats.comments == 600 == corpus.comments.height
    assert stats.articles == corpus.articles.height and stats.files == stats.articles + 1
    assert stats.bytes == sum(p.stat().st_size for p in stats.path.iterdir())
    # the only thing the reader may note is an empty last comment, which looks like a cut-off page
    assert set(corpus.diagnostics.get_column("code").to_list()) <= {"truncated"}
    assert corpus.check().height == 0
    assert corpus.articles.get_column("published").null_count() == 0


def test_realistic_shape(small):
    _, corpus = small
    c = corpus.comments
    words = c.get_column("text").str.count_matches(r"\S+")
    assert 40 < words.median() < 55 and words.max() > 400
    assert c.get_column("depth").max() >= 3 and c.filter(pl.col("depth") == 0).height < c.height * 0.7
    text = "\n".join(c.get_column("text").to_list())
    for mark in ("’", "“", "”", "—", "…", " but ", " not "):
        assert mark in text, mark
    scripts = {unicodedata.name(ch).split()[0] for ch in "".join(c.get_column("author").to_list()) if ch.isalpha()}
    assert {"LATIN", "ARMENIAN", "CYRILLIC"} <= scripts
    assert set("əşğüöç") & set("".join(c.get_column("author").to_list()).lower())  # Azerbaijani/Turkish
    sizes = corpus.articles.get_column("n_comments")
    assert sizes.max() > 3 * sizes.median()


def test_same_seed_same_bytes_whatever_the_workers(tmp_path):
    a = generate(tmp_path / "a", 300, seed=9)
    b = generate(tmp_path / "b", 300, seed=9, workers=2)
    c = generate(tmp_path / "c", 300, seed=10)
    names = sorted(p.name for p in a.path.iterdir())
    assert names == sorted(p.name for p in b.path.iterdir())
    assert all((a.path / n).read_bytes() == (b.path / n).read_bytes() for n in names)
    assert (a.path / "manifest.csv").read_bytes() != (c.path / "manifest.csv").read_bytes()


def test_sample_texts_have_the_asked_length():
    texts = sample_texts(20, 400, seed=1)
    assert len(texts) == 20 and all(len(t.split()) >= 400 for t in texts)
    assert sample_texts(20, 400, seed=1) == texts


def test_bad_shape_and_size_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="words_median"):
        Shape(words_median=0)
    with pytest.raises(ValueError, match="comments"):
        generate(tmp_path / "x", -1)
