"""Entries proposed from evidence: keyness with an informative Dirichlet prior, the labels the proposals
start from, and `discourse lexicon suggest`."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from discourse.cli import app
from discourse.errors import InputError
from discourse.scoring.lexicon import load_lexicon
from discourse.scoring.lexicon_suggest import keyness, positives, suggest_entries, terms_of
from discourse.scoring.pipeline import analyze
from discourse.validation.labels import read_labels

ROOT = Path(__file__).resolve().parents[2]


def test_keyness_matches_a_hand_computation():
    a, b = Counter({"x": 3, "y": 1}), Counter({"x": 1, "y": 3})
    scores = keyness(a, b, a + b, alpha0=10)
    # alpha_x = 10 * 4/8 = 5; delta = log(8/6) - log(6/8); sd = sqrt(1/8 + 1/6)
    assert scores["x"][0] == pytest.approx(0.575364, abs=1e-6)
    assert scores["x"][1] == pytest.approx(0.575364 / math.sqrt(1 / 8 + 1 / 6), abs=1e-6)
    assert scores["y"][0] == pytest.approx(-0.575364, abs=1e-6)
    # the prior shrinks: a term seen twice in a and never in b scores lower with a heavier prior
    few = Counter({"rare": 2, "x": 10})
    many = Counter({"x": 10})
    assert keyness(few, many, few + many, alpha0=1)["rare"][0] > keyness(few, many, few + many, alpha0=100)["rare"][0]


def test_terms_are_clause_ngrams_without_function_words_at_their_edges():
    assert terms_of("They hung us out to dry.") == ["hung", "dry", "hung us"]
    assert "the protocols" not in terms_of("the protocols, the plan")
    assert "protocols" in terms_of("the protocols, the plan")
    assert "protocols the" not in terms_of("the protocols, the plan")  # a comma ends a clause
    assert terms_of("1915 and 2020") == []


TOPICS = [t.name for t in load_lexicon().topics]
SOV = "sovereignty_independence"


@pytest.fixture(scope="module")
def lexicon_path(tmp_path_factory) -> Path:
    """The default lexicon without the actor implications of sovereignty_independence: with them, "part of
    Azerbaijan" tags 002/6 ("Artsakh decided to become idependent"), the missed positive these tests need."""
    import dataclasses

    from discourse.scoring.lexicon_import import dump_lexicon_toml

    lex = load_lexicon()
    topics = tuple(dataclasses.replace(t, implied_by=()) if t.name == SOV else t for t in lex.topics)
    path = tmp_path_factory.mktemp("lexicon") / "lexicon.toml"
    path.write_text(dump_lexicon_toml(dataclasses.replace(lex, topics=topics)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def analysis(lexicon_path):
    return analyze(ROOT / "threads", lexicon_path)


def write_labels(tmp_path: Path, rows: list[tuple[str, str, dict[str, str]]], name: str = "labels.csv") -> Path:
    """A labels file: (comment_id, annotator, {topic: "0"/"1"}) per row; topics not given are left empty."""
    path = tmp_path / name
    lines = [",".join(["comment_id", "annotator", "sentiment", *TOPICS])]
    for cid, who, cells in rows:
        lines.append(",".join([cid, who, "", *[cells.get(t, "") for t in TOPICS]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LABELS = [("002/6", "ann", {SOV: "1", "betrayal": "0"}), ("002/2", "ann", {SOV: "1", "betrayal": "0"}),
          ("002/3", "ann", {SOV: "0", "betrayal": "0"}), ("002/4.1", "ann", {SOV: "0", "betrayal": "0"}),
          ("002/5", "ann", {SOV: "0"}), ("002/5", "bob", {SOV: "1"}),
          ("002/9", "ann", {SOV: "0", "betrayal": "0"}), ("002/9", "bob", {SOV: "0", "betrayal": "0"})]


def test_labels_give_each_comment_a_majority(tmp_path, analysis):
    labels = read_labels(write_labels(tmp_path, LABELS), analysis.comments, TOPICS)
    assert positives(labels.topics, SOV) == {"002/6": True, "002/2": True, "002/3": False, "002/4.1": False,
                                             "002/5": True, "002/9": False}
    assert positives(labels.topics, "betrayal")["002/6"] is False
    assert "002/5" not in positives(labels.topics, "betrayal")  # no label


def test_suggestions_come_from_the_missed_positives(tmp_path, analysis):
    labels = read_labels(write_labels(tmp_path, LABELS), analysis.comments, TOPICS)
    result = suggest_entries(analysis.comments, analysis.lexicon, SOV, positives(labels.topics, SOV), min_units=1)
    missed = result.table.filter(pl.col("list") == "missed")
    # 002/6 ("Artsakh decided to become idependent") and 002/5 (one of two annotators) are labelled but
    # untagged; 002/2 is tagged, so not missed
    assert result.n_missed == 2 and result.n_negatives == 3
    assert "idependent" in missed.get_column("term").to_list()
    row = missed.filter(pl.col("term") == "idependent").row(0, named=True)
    assert row["count_a"] == 1 and row["count_b"] == 0 and row["examples"] == ["002/6"] and row["z"] > 0
    assert "idependent" in row["example_text"]
    # keyness needs no labels: tagged against untagged comments of the whole corpus
    tagged = analysis.comments.filter(pl.col("topic_tags").list.contains("sovereignty_independence")).height
    assert result.n_tagged == tagged and result.n_tagged + result.n_untagged == analysis.comments.height
    keyed = result.table.filter(pl.col("list") == "keyness")
    assert keyed.height and (keyed.get_column("units_a") >= 1).all()
    # terms the topic already matches are not proposed
    terms = set(result.table.get_column("term").to_list())
    assert not terms & {"independence", "status", "recognize", "territorial integrity"}
    assert not terms & {"russia", "russian", "turkish", "artsakh", "putin"}  # actor names are no candidates
    z = keyed.get_column("z").to_list()
    assert z == sorted(z, reverse=True)
    assert "\"idependent\",  # z " in result.toml(top=30)


def test_an_unknown_topic_is_an_error(analysis):
    with pytest.raises(InputError, match="no topic 'nope'"):
        suggest_entries(analysis.comments, load_lexicon(), "nope", {})


def test_the_suggest_command(tmp_path, lexicon_path):
    labels = write_labels(tmp_path, LABELS)
    out = tmp_path / "suggestions.csv"
    result = CliRunner().invoke(app, ["lexicon", "suggest", "sovereignty_independence", "--labels", str(labels),
                                      str(ROOT / "threads"), "--lexicon", str(lexicon_path), "--min-comments", "1",
                                      "--top", "30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "idependent" in result.output and "[topics.sovereignty_independence]" in result.output
    assert "labelled sovereignty_independence comments the lexicon missed" in result.output
    table = pl.read_csv(out)
    assert {"list", "term", "z", "count_a", "count_b", "examples"} <= set(table.columns)
    unknown = write_labels(tmp_path, [("999/1", "ann", {SOV: "1"})], "unknown.csv")
    bad = CliRunner().invoke(app, ["lexicon", "suggest", SOV, "--labels", str(unknown), str(ROOT / "threads")])
    assert bad.exit_code != 0 and "unknown.csv" in bad.output and "999/1" in bad.output
