"""The labelling sample: its size, its strata, its inclusion probabilities, and the kit's files."""

from __future__ import annotations

import csv

import numpy as np
import polars as pl
import pytest

from discourse.errors import ConfigError
from discourse.validation import annotate, draw_sample
from discourse.validation.sample import allocate


def _comments(spec):
    """A comments table: spec is [(article, tags, label, count)]; one comment with no text is added."""
    rows = []
    for article, tags, label, count in spec:
        for _ in range(count):
            rows.append({"comment_id": f"{article}/{len(rows)}", "article_id": article, "text_missing": False,
                         "topic_tags": list(tags), "sent_label": label})
    rows.append({"comment_id": "x/empty", "article_id": "x", "text_missing": True, "topic_tags": [], "sent_label": None})
    return pl.DataFrame(rows, schema={"comment_id": pl.String, "article_id": pl.String, "text_missing": pl.Boolean,
                                      "topic_tags": pl.List(pl.String), "sent_label": pl.String})


SPEC = [("a", [], "neutral", 200), ("a", ["war_violence"], "negative", 60), ("a", ["war_violence", "betrayal"],
        "negative", 6), ("b", ["unity"], "positive", 3), ("b", [], "negative", 30)]
TOPICS = ["betrayal", "unity", "war_violence"]


def test_allocation_is_square_root_capped_and_exact():
    # sqrt sizes 20 : 10 : 1 would give tiny 40/31 > 1 draws: it is capped at 1, and 39 are shared 2 : 1
    alloc = allocate({"big": 400, "mid": 100, "tiny": 1}, 40)
    assert alloc == {"big": pytest.approx(26.0), "mid": pytest.approx(13.0), "tiny": 1.0}
    alloc = allocate({"big": 400, "mid": 100, "tiny": 1}, 25)
    assert sum(alloc.values()) == pytest.approx(25) and alloc["big"] / alloc["mid"] == pytest.approx(2.0)
    assert allocate({"a": 3, "b": 2}, 10) == {"a": 3.0, "b": 2.0}  # more asked than there are: everything


def test_sample_size_strata_and_weights():
    comments = _comments(SPEC)
    s = draw_sample(comments, TOPICS, 40, seed=1)
    assert s.height == 40 and s["comment_id"].n_unique() == 40 and s["position"].to_list() == list(range(1, 41))
    assert "x/empty" not in s["comment_id"].to_list()             # nothing without text is drawn
    strata = dict(s.select("stratum", "stratum_size").unique().iter_rows())
    # the rarest tag decides: the six war+betrayal comments form the betrayal stratum; untagged comments are strata
    assert strata["a|betrayal|negative"] == 6 and strata["a|untagged|neutral"] == 200
    assert set(strata) <= {"a|untagged|neutral", "a|war_violence|negative", "a|betrayal|negative",
                           "b|unity|positive", "b|untagged|negative"}
    p = dict(s.select("stratum", "inclusion_probability").unique().iter_rows())
    assert p["a|betrayal|negative"] > p["a|war_violence|negative"] > p["a|untagged|neutral"]   # rare oversampled
    assert (s["weight"] * s["inclusion_probability"]).to_list() == pytest.approx([1.0] * 40)
    # the same seed, the same sample; another seed, another one
    assert draw_sample(comments, TOPICS, 40, seed=1).equals(s)
    assert not draw_sample(comments, TOPICS, 40, seed=2).equals(s)


def test_inclusion_probabilities_are_the_drawing_frequencies():
    comments = _comments([("a", [], "neutral", 12), ("a", ["unity"], "positive", 3), ("b", ["betrayal"], "negative", 1),
                          ("b", [], "negative", 5)])
    runs = 1500
    hits: dict[str, int] = {}
    probability: dict[str, float] = {}
    sizes = set()
    for seed in range(runs):
        s = draw_sample(comments, TOPICS, 7, seed=seed)
        sizes.add(s.height)
        for cid, p in s.select("comment_id", "inclusion_probability").iter_rows():
            hits[cid] = hits.get(cid, 0) + 1
            probability[cid] = p
    assert sizes == {7}
    for cid, p in probability.items():
        se = np.sqrt(p * (1 - p) / runs)
        assert abs(hits[cid] / runs - p) < 4 * se + 1e-9, (cid, hits[cid] / runs, p)
    # Horvitz-Thompson: the weights of a sample sum to the frame size on average
    totals = [draw_sample(comments, TOPICS, 7, seed=s)["weight"].sum() for s in range(300)]
    assert np.mean(totals) == pytest.approx(21, rel=0.03)


def test_bad_sizes():
    with pytest.raises(ConfigError, match="at least 1"):
        draw_sample(_comments(SPEC), TOPICS, 0)
    with pytest.raises(ConfigError, match="no comment with text"):
        draw_sample(_comments([]), TOPICS, 5)


def test_kit_files(analysis, topics, tmp_path):
    kit = annotate(analysis, tmp_path / "kit", size=6, seed=2, annotators=2)
    assert [p.name for p in kit.paths] == ["kit.html", "sample.csv", "sample-1.csv", "sample-2.csv", "weights.csv"]
    with (tmp_path / "kit" / "sample-2.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["comment_id"] for r in rows] == kit.sample["comment_id"].to_list()
    assert {r["annotator"] for r in rows} == {"annotator-2"}
    assert all(r[t] == "" for r in rows for t in topics) and all(r["sentiment"] == "" for r in rows)
    # the context a spreadsheet annotator reads; a text a spreadsheet would run as a formula is defused
    texts = {r["comment_id"]: r for r in rows}
    by_source = dict(analysis.comments.select("comment_id", "source_id").iter_rows())
    for cid, r in texts.items():
        if by_source[cid] == "c10":
            assert r["text"].startswith("'=HYPERLINK")
    weights = pl.read_csv(tmp_path / "kit" / "weights.csv")
    assert weights.columns[:3] == ["position", "comment_id", "article_id"] and weights.height == 6
    # the page embeds its data without a raw "<": no comment can end the script
    page = (tmp_path / "kit" / "kit.html").read_text(encoding="utf-8")
    data = page.split('<script id="kit-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "http" not in page.lower().replace("http-equiv", "")
    # the same corpus, seed and size write the same bytes
    again = annotate(analysis, tmp_path / "again", size=6, seed=2, annotators=2)
    for a, b in zip(kit.paths, again.paths):
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize("text", ["=1+1", " =1+1", "\u00a0+cmd", "\u200b-2", "\ufeff@SUM(A1)", "\uff1d1+1",
                                  "\t=1", "'=1"])
def test_sample_sheet_defuses_disguised_formulas(text):
    # the sample sheet is opened in a spreadsheet: the same rule as the exports' CSV (writers.tables)
    from discourse.validation.kit import sample_rows

    item = {"comment_id": "a/1", "inclusion_probability": 0.5, "article_title": text, "parent_text": None,
            "text": text, "predicted_sentiment": None, "predicted_topics": []}
    row = sample_rows([item])[0]
    assert row["text"] == "'" + text and row["article"] == "'" + text and row["parent"] is None
    assert sample_rows([{**item, "text": "plain words", "article_title": "a - b"}])[0]["text"] == "plain words"
