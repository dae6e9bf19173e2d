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
from discourse.scoring.lexicon_suggest import _read_topic_labels, keyness, suggest_entries, terms_of
from discourse.scoring.pipeline import analyze

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


@pytest.fixture(scope="module")
def analysis():
    return analyze(ROOT / "threads")


def write_labels(tmp_path: Path, rows: list[str], name: str = "labels.csv") -> Path:
    path = tmp_path / name
    path.write_text("comment_id,annotator,sentiment,sovereignty_independence,betrayal\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


LABELS = ["002/6,ann,neutral,1,0", "002/2,ann,negative,1,0", "002/3,ann,negative,0,0", "002/4.1,ann,neutral,0,0",
          "002/5,ann,negative,0,", "002/5,bob,negative,1,", "002/9,ann,negative,0,0", "002/9,bob,negative,0,0"]


def test_labels_give_each_comment_a_majority(tmp_path, analysis):
    ids = analysis.comments.get_column("comment_id").to_list()
    got = _read_topic_labels(write_labels(tmp_path, LABELS), ids, "sovereignty_independence")
    assert got == {"002/6": True, "002/2": True, "002/3": False, "002/4.1": False, "002/5": True, "002/9": False}
    assert _read_topic_labels(write_labels(tmp_path, LABELS), ids, "betrayal")["002/6"] is False
    assert "002/5" not in _read_topic_labels(write_labels(tmp_path, LABELS), ids, "betrayal")  # no label


@pytest.mark.parametrize("rows, topic, message, line", [
    (["002/6,ann,neutral,1,0", "999/1,ann,neutral,1,0"], "betrayal", "does not have", 3),
    (["002/6,ann,neutral,yes,0"], "sovereignty_independence", "is 'yes'", 2),
    (["002/6,ann,neutral,1,0"], "unity", "no column 'unity'", 1),
])
def test_labels_errors_name_the_file_and_line(tmp_path, analysis, rows, topic, message, line):
    path = write_labels(tmp_path, rows)
    with pytest.raises(InputError) as info:
        _read_topic_labels(path, analysis.comments.get_column("comment_id").to_list(), topic)
    assert message in info.value.message and info.value.path == str(path) and info.value.line == line


def test_labels_may_name_a_comment_by_its_source_id(tmp_path, analysis):
    ids = analysis.comments.get_column("comment_id").to_list()
    path = write_labels(tmp_path, ["src-6,ann,neutral,1,0"])
    assert _read_topic_labels(path, ids, "betrayal", {"src-6": "002/6"}) == {"002/6": False}
    with pytest.raises(InputError, match="'src-6'"):
        _read_topic_labels(path, ids, "betrayal")


def test_suggestions_come_from_the_missed_positives(tmp_path, analysis):
    ids = analysis.comments.get_column("comment_id").to_list()
    positives = _read_topic_labels(write_labels(tmp_path, LABELS), ids, "sovereignty_independence")
    result = suggest_entries(analysis.comments, analysis.lexicon, "sovereignty_independence", positives,
                             min_units=1)
    missed = result.table.filter(pl.col("list") == "missed")
    # 002/5 ("Armenias ties with Iran next", one of two annotators) is labelled but untagged; 002/2 and 002/6
    # are tagged, so not missed
    assert result.n_missed == 1 and result.n_negatives == 3
    assert "ties with iran" in missed.get_column("term").to_list()
    row = missed.filter(pl.col("term") == "ties with iran").row(0, named=True)
    assert row["count_a"] == 1 and row["count_b"] == 0 and row["examples"] == ["002/5"] and row["z"] > 0
    assert "ties with Iran" in row["example_text"]
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
    assert "\"ties with iran\",  # z " in result.toml(top=30)


def test_an_unknown_topic_is_an_error(analysis):
    with pytest.raises(InputError, match="no topic 'nope'"):
        suggest_entries(analysis.comments, load_lexicon(), "nope", {})


def test_the_suggest_command(tmp_path):
    labels = write_labels(tmp_path, LABELS)
    out = tmp_path / "suggestions.csv"
    result = CliRunner().invoke(app, ["lexicon", "suggest", "sovereignty_independence", "--labels", str(labels),
                                      str(ROOT / "threads"), "--min-comments", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ties with iran" in result.output and "[topics.sovereignty_independence]" in result.output
    assert "labelled sovereignty_independence comments the lexicon missed" in result.output
    table = pl.read_csv(out)
    assert {"list", "term", "z", "count_a", "count_b", "examples"} <= set(table.columns)
    bad = CliRunner().invoke(app, ["lexicon", "suggest", "unity", "--labels", str(labels), str(ROOT / "threads")])
    assert bad.exit_code != 0 and "no column 'unity'" in bad.output
