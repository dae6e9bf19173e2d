"""The GraphML reply-network writer: aggregation, attributes and their types, escaping, null authors,
determinism; read back with networkx and with a plain XML parser."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse import schema
from discourse.errors import ReportError
from discourse.writers import write_graphml
from discourse.writers.graphml import NO_AUTHOR

ROOT = Path(__file__).resolve().parents[2]
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
ODD = '<Zoë & "Ani">'
UNKNOWN = f"{NO_AUTHOR} #a1/2"  # the parent of a1/2.1 has no author: a speaker of its own


def edge(article, cid, pid, source, target, score=None, parent_score=None):
    delta = None if score is None or parent_score is None else score - parent_score
    return {"article_id": article, "comment_id": cid, "parent_id": pid, "source": source, "target": target,
            "score": score, "parent_score": parent_score, "delta": delta}


EDGES = schema.frame(schema.EDGES, [
    edge("a1", "a1/1.1", "a1/1", "Ani", "Sevan", 0.5, 0.1),
    edge("a2", "a2/1.1", "a2/1", "Ani", "Sevan", 0.3, 0.5),
    edge("a1", "a1/1.1.1", "a1/1.1", "Sevan", "Ani", -0.4, 0.5),
    edge("a1", "a1/2.1", "a1/2", "Ani", None, 0.0, 0.0),
    edge("a2", "a2/3.1", "a2/3", "Lori", "Ani"),
    edge("a2", "a2/4.1", "a2/4", "Lori", "Lori", -0.2, None),
    edge("a2", "a2/5.1", "a2/5", ODD, "bell\x07name", 0.1, 0.2),
])


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    nx = pytest.importorskip("networkx")
    path = write_graphml(EDGES, tmp_path_factory.mktemp("g") / "replies.graphml")
    return nx.read_graphml(path), path


def test_nodes_and_their_counts(graph):
    g, _ = graph
    assert sorted(g.nodes) == sorted(["Ani", "Sevan", "Lori", UNKNOWN, ODD, "bell\ufffdname"])
    # Ani's comments in a reply: a1/1.1, a2/1.1, a1/2.1 (replies) and a2/3 (replied to; a1/1.1 counted once)
    assert g.nodes["Ani"] == {"label": "Ani", "n_comments": 4, "replies_sent": 3, "replies_received": 2}
    assert g.nodes[UNKNOWN] == {"label": UNKNOWN, "n_comments": 1, "replies_sent": 0, "replies_received": 1}
    assert g.nodes[ODD]["label"] == ODD


def test_edges_are_aggregated_per_pair(graph):
    g, _ = graph
    assert g.is_directed() and g.number_of_edges() == 6
    e = g.edges["Ani", "Sevan"]
    assert (e["weight"], e["sign"], e["articles"]) == (2, 1, "a1,a2")
    assert e["mean_score"] == pytest.approx(0.4) and e["mean_delta"] == pytest.approx(0.1)
    assert isinstance(e["weight"], int) and isinstance(e["mean_score"], float)
    back = g.edges["Sevan", "Ani"]
    assert (back["weight"], back["sign"]) == (1, -1) and back["mean_delta"] == pytest.approx(-0.9)
    assert g.edges["Ani", UNKNOWN]["sign"] == 0
    unscored = g.edges["Lori", "Ani"]
    assert unscored == {"id": unscored["id"], "weight": 1, "articles": "a2"}  # no score: no sign or means
    loop = g.edges["Lori", "Lori"]
    assert loop["sign"] == -1 and "mean_delta" not in loop


def test_keys_declare_types(graph):
    _, path = graph
    root = ET.parse(path).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", NS)}
    assert keys == {("node", "label"): "string", ("node", "n_comments"): "int", ("node", "replies_sent"): "int",
                    ("node", "replies_received"): "int", ("edge", "weight"): "int", ("edge", "sign"): "int",
                    ("edge", "mean_score"): "double", ("edge", "mean_delta"): "double",
                    ("edge", "articles"): "string"}
    assert root.find("g:graph", NS).get("edgedefault") == "directed"
    assert b"&lt;Zo\xc3\xab &amp; &quot;Ani&quot;&gt;" in path.read_bytes()


def test_comments_give_full_counts_and_isolated_speakers(tmp_path):
    nx = pytest.importorskip("networkx")
    comments = pl.DataFrame({"comment_id": ["x/1", "x/2", "x/3", "a1/2"], "author": ["Ani", "Quiet", None, None]})
    g = nx.read_graphml(write_graphml(EDGES, tmp_path / "g.graphml", comments=comments))
    assert g.nodes["Quiet"]["n_comments"] == 1 and g.degree["Quiet"] == 0
    assert g.nodes["Ani"]["n_comments"] == 1  # from the comments table, not the edges
    assert g.nodes["Sevan"]["n_comments"] == 0 and g.nodes[UNKNOWN]["n_comments"] == 1
    assert g.nodes[f"{NO_AUTHOR} #x/3"]["n_comments"] == 1 and g.degree[f"{NO_AUTHOR} #x/3"] == 0


def test_deterministic_whatever_the_row_order(tmp_path):
    a = write_graphml(EDGES, tmp_path / "a.graphml").read_bytes()
    b = write_graphml(EDGES.reverse(), tmp_path / "b.graphml").read_bytes()
    assert a == b


def test_reply_network_of_the_bundled_corpus(tmp_path):
    nx = pytest.importorskip("networkx")
    c = discourse.read(ROOT / "threads").comments
    parents = c.select(pl.col("comment_id").alias("parent_id"), pl.col("author").alias("target"))
    edges = (c.filter(pl.col("parent_id").is_not_null()).join(parents, on="parent_id", how="left")
             .select("article_id", "comment_id", "parent_id", pl.col("author").alias("source"), "target",
                     pl.lit(None, pl.Float64).alias("score"), pl.lit(None, pl.Float64).alias("parent_score"),
                     pl.lit(None, pl.Float64).alias("delta")))
    g = nx.read_graphml(write_graphml(edges, tmp_path / "r.graphml", comments=c))
    assert sum(w for *_, w in g.edges(data="weight")) == edges.height == 3
    assert {(s, t) for s, t in g.edges} == {("jOE", "Vache"), ("jOE", "vartan"), ("jOE", "Harutik")}
    assert g.number_of_nodes() == c.get_column("author").n_unique()


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(ValueError, match="missing columns \\['delta'\\]"):
        write_graphml(EDGES.drop("delta"), tmp_path / "x.graphml")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="cannot write the GraphML file"):
        write_graphml(EDGES, tmp_path / "file" / "x.graphml")


def test_shared_names_are_one_speaker_per_comment_in_every_writer(tmp_path):
    """The policy of discourse.scoring.dynamics.speaker_of, the same in the speakers table, GraphML and
    ConvoKit: three "Anonymous" comments are three speakers, never one node."""
    nx = pytest.importorskip("networkx")
    rows = [("c1", "", "Anonymous", "Russia betrayed us."), ("c2", "c1", "Ani", "Not true, peace is near."),
            ("c3", "c2", "Anonymous", "You are naive."), ("c4", "", "Guest", "War again?"),
            ("c5", "c4", "Anonymous", "Sadly yes."), ("c6", "c5", "Sevan", "We need unity.")]
    (tmp_path / "shared.csv").write_text("id,parent,author,text\n" + "".join(",".join(r) + "\n" for r in rows),
                                         encoding="utf-8")
    analysis = discourse.analyze(discourse.read(tmp_path / "shared.csv"))
    anonymous = analysis.comments.filter(pl.col("author") == "Anonymous").get_column("comment_id").to_list()
    assert len(anonymous) == 3
    want = {f"Anonymous #{c}" for c in anonymous}
    table = set(analysis.speakers.get_column("author"))
    g = nx.read_graphml(write_graphml(analysis.edges, tmp_path / "g.graphml", comments=analysis.comments))
    from discourse.writers import write_convokit

    folder = write_convokit(analysis.comments, analysis.articles, tmp_path / "ck")
    ck = set(json.loads((folder / "speakers.json").read_text(encoding="utf-8"))) - {"[article]"}
    assert want <= table and want <= set(g.nodes) and want <= ck
    assert "Anonymous" not in table | set(g.nodes) | ck
    assert table == set(g.nodes) == ck
    assert all(g.nodes[s]["n_comments"] == 1 for s in want)
    # read back, the comments keep the name as shown
    back = discourse.read(folder)
    assert back.comments.filter(pl.col("author") == "Anonymous").height == 3
