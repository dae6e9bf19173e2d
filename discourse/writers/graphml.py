"""Write the reply network as GraphML, for Gephi, networkx, igraph or Cytoscape.

Nodes are speakers (``id`` = author name). A shared name (Anonymous, Guest, [deleted] ...) or a missing one
is not one person: each comment under it is a node of its own, ``<name> #<comment_id>`` (the policy of
:func:`discourse.scoring.dynamics.speaker_of`, the same in the ``speakers`` table and ConvoKit corpora).
Edges are directed, from the speaker of a reply to the speaker of the comment replied to, one per (source,
target) pair, with:

=============  ========  ===================================================================================
``weight``     int       number of replies
``sign``       int       sign of ``mean_score``: +1, -1 or 0
``mean_score`` double    mean ``score`` (the reply's ``sent_score``) over the replies that have one
``mean_delta`` double    mean ``delta`` (reply minus parent score) over the replies that have one
``articles``   string    the articles the replies were posted under, sorted, comma-joined
=============  ========  ===================================================================================

``sign``, ``mean_score`` and ``mean_delta`` are left out of an edge when none of its replies has a score.
Nodes carry ``label`` (the name), ``n_comments`` (the author's comments in ``comments`` when that table is
given, else the distinct comments of theirs that take part in a reply), ``replies_sent`` and
``replies_received``. With ``comments`` given, speakers nobody replied to and who replied to nobody are
isolated nodes.

Characters XML 1.0 cannot hold (control characters) are replaced with U+FFFD. Nodes and edges are sorted,
so the same table gives the same file.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.outputs import replacing_file
from discourse.errors import ReportError
from discourse.scoring.dynamics import NO_AUTHOR, speaker_of

__all__ = ["NO_AUTHOR", "write_graphml"]
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

#: (key id, for, attr.name, attr.type)
NODE_KEYS = (("d0", "node", "label", "string"), ("d1", "node", "n_comments", "int"),
             ("d2", "node", "replies_sent", "int"), ("d3", "node", "replies_received", "int"))
EDGE_KEYS = (("d4", "edge", "weight", "int"), ("d5", "edge", "sign", "int"), ("d6", "edge", "mean_score", "double"),
             ("d7", "edge", "mean_delta", "double"), ("d8", "edge", "articles", "string"))


def _clean(s: str) -> str:
    return _INVALID_XML.sub("\ufffd", s)


def _number(x: float) -> str:
    return repr(float(x))


@dataclass
class _Edge:
    weight: int = 0
    scores: list[float] = field(default_factory=list)
    deltas: list[float] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def write_graphml(edges: pl.DataFrame, out_path: str | Path, *, comments: pl.DataFrame | None = None) -> Path:
    """Write ``edges`` (the ``edges`` table, :data:`discourse.schema.EDGES`) as a GraphML reply network.

    ``comments`` (optional, with ``author`` and ``comment_id``) gives each speaker's full comment count and
    adds the speakers who are in no reply. Returns ``out_path``.

    >>> write_graphml(analysis.edges, "out/replies.graphml")      # doctest: +SKIP
    PosixPath('out/replies.graphml')
    """
    missing = [c for c in schema.EDGES.names if c not in edges.columns]
    if missing:
        raise ValueError(f"edges: missing columns {missing} (see discourse.schema.EDGES)")
    out = Path(out_path)

    pairs: dict[tuple[str, str], _Edge] = defaultdict(_Edge)
    sent: dict[str, int] = defaultdict(int)
    received: dict[str, int] = defaultdict(int)
    touched: dict[str, set[str]] = defaultdict(set)  # author -> their comments that take part in a reply
    for r in edges.iter_rows(named=True):
        s = _clean(speaker_of(r["source"], str(r["comment_id"])))
        t = _clean(speaker_of(r["target"], str(r["parent_id"])))
        e = pairs[(s, t)]
        e.weight += 1
        if _finite(r["score"]):
            e.scores.append(float(r["score"]))
        if _finite(r["delta"]):
            e.deltas.append(float(r["delta"]))
        if r["article_id"] is not None:
            e.articles.add(str(r["article_id"]))
        sent[s] += 1
        received[t] += 1
        if r["comment_id"] is not None:
            touched[s].add(r["comment_id"])
        if r["parent_id"] is not None:
            touched[t].add(r["parent_id"])

    n_comments: dict[str, int] = {a: len(c) for a, c in touched.items()}
    if comments is not None:
        missing = [c for c in ("author", "comment_id") if c not in comments.columns]
        if missing:
            raise ValueError(f"comments: missing columns {missing}")
        counts: dict[str, int] = defaultdict(int)
        for a, cid in comments.select("author", "comment_id").iter_rows():
            counts[_clean(speaker_of(a, str(cid)))] += 1
        n_comments = {a: 0 for a in n_comments} | counts
    nodes = sorted(set(n_comments) | set(sent) | set(received))

    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    for kid, kfor, kname, ktype in NODE_KEYS + EDGE_KEYS:
        ET.SubElement(root, "key", {"id": kid, "for": kfor, "attr.name": kname, "attr.type": ktype})
    graph = ET.SubElement(root, "graph", {"id": "replies", "edgedefault": "directed"})
    for a in nodes:
        node = ET.SubElement(graph, "node", {"id": a})
        for kid, value in (("d0", a), ("d1", str(n_comments.get(a, 0))), ("d2", str(sent.get(a, 0))),
                           ("d3", str(received.get(a, 0)))):
            ET.SubElement(node, "data", {"key": kid}).text = value
    for k, ((s, t), e) in enumerate(sorted(pairs.items())):
        edge = ET.SubElement(graph, "edge", {"id": f"e{k}", "source": s, "target": t})
        data = [("d4", str(e.weight))]
        if e.scores:
            mean = math.fsum(e.scores) / len(e.scores)
            data += [("d5", str((mean > 0) - (mean < 0))), ("d6", _number(mean))]
        if e.deltas:
            data.append(("d7", _number(math.fsum(e.deltas) / len(e.deltas))))
        data.append(("d8", _clean(",".join(sorted(e.articles)))))
        for kid, value in data:
            ET.SubElement(edge, "data", {"key": kid}).text = value
    ET.indent(root)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with replacing_file(out) as work:   # the previous file or the complete new one, never a part
            ET.ElementTree(root).write(work, encoding="utf-8", xml_declaration=True)
    except OSError as err:
        raise ReportError(f"cannot write the GraphML file: {err.strerror or err}", path=out,
                          hint="check that the folder is writable") from None
    return out
