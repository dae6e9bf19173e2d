"""The labelling kit: a self-contained offline page (``kit.html``), the same sample as a spreadsheet
(``sample.csv``) and the sample's weights (``weights.csv``).

The page holds everything it shows (no network: its Content-Security-Policy allows no request); it keeps an
annotator's work in the browser's localStorage, keyed by the kit and the annotator's name, so several annotators
can label the same kit independently, even on one machine; it exports and imports labels files
(:mod:`discourse.validation.labels`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from discourse.errors import ConfigError
from discourse.validation.labels import CONTEXT_COLUMNS, write_labels
from discourse.validation.output import write_atomic
from discourse.validation.sample import draw_sample
from discourse.writers.tables import neutralised



@dataclass(frozen=True)
class Kit:
    """What :func:`annotate` wrote: the files, and the sample (:data:`discourse.schema.SAMPLE`)."""

    paths: tuple[Path, ...]
    sample: pl.DataFrame


def kit_items(analysis, sample: pl.DataFrame) -> list[dict]:
    """One dict per sampled comment, in kit order: ids, article title, author, text, parent, predictions."""
    comments = analysis.comments
    info = {r["comment_id"]: r for r in comments.select(
        "comment_id", "article_id", "parent_id", "author", "text", "topic_tags", "sent_label").iter_rows(named=True)}
    titles = dict(analysis.articles.select("article_id", "title").iter_rows())
    items = []
    for cid, p in sample.select("comment_id", "inclusion_probability").iter_rows():
        c = info[cid]
        parent = info.get(c["parent_id"]) if c["parent_id"] else None
        items.append({
            "comment_id": cid, "article_id": c["article_id"], "article_title": titles.get(c["article_id"]),
            "author": c["author"], "text": c["text"] or "",
            "parent_author": parent["author"] if parent else None,
            "parent_text": (parent["text"] or "") if parent else None,
            "predicted_topics": list(c["topic_tags"] or []), "predicted_sentiment": c["sent_label"],
            "inclusion_probability": repr(float(p)),
        })
    return items


def render_kit(items: list[dict], topics: list[dict], *, kit_id: str, show_predictions: bool = False) -> str:
    """The page: the template with the kit's data embedded as JSON (``<`` escaped, so no text ends the script)."""
    if not show_predictions:
        items = [{**i, "predicted_topics": [], "predicted_sentiment": None} for i in items]
    data = {"kit_id": kit_id, "topics": topics, "items": items, "show_predictions": show_predictions,
            "context_columns": list(CONTEXT_COLUMNS)}
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    blob = blob.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    blob = blob.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    template = resources.files("discourse.validation").joinpath("kit.html").read_text(encoding="utf-8")
    return template.replace("/*KIT-DATA*/", blob)




def sample_rows(items: list[dict], *, annotator: str = "", show_predictions: bool = False) -> list[dict]:
    """Rows of ``sample.csv``: the labels columns empty, the context columns filled."""
    rows = []
    for i in items:
        rows.append({
            "comment_id": i["comment_id"], "annotator": annotator, "inclusion_probability": i["inclusion_probability"],
            "article": neutralised(i["article_title"]), "parent": neutralised(i["parent_text"]),
            "text": neutralised(i["text"]),
            "predicted_sentiment": i["predicted_sentiment"] if show_predictions else None,
            "predicted_topics": "; ".join(i["predicted_topics"]) if show_predictions else None,
        })
    return rows


def scored(source, lexicon=None, workers: int | None = 1):
    """``source`` itself when it is already an analysis (it has scored comments and a lexicon), else
    ``discourse.analyze(source, lexicon, workers=workers)``."""
    if hasattr(source, "comments") and hasattr(source, "lexicon"):
        return source
    from discourse.scoring.pipeline import analyze

    return analyze(source, lexicon, workers=workers)


def annotate(source, out: str | Path, *, size: int = 200, seed: int = 0, lexicon=None,
             show_predictions: bool = False, annotators: int = 1, workers: int | None = 1) -> Kit:
    """Score ``source`` (a corpus, paths, or an :class:`~discourse.Analysis`), draw a stratified sample of
    ``size`` comments and write the labelling kit into the folder ``out``: ``kit.html``, ``sample.csv``
    (with ``annotators > 1`` also ``sample-1.csv`` ... one per annotator, the annotator column filled in) and
    ``weights.csv``.

    >>> annotate("threads", "kit", size=100, seed=1)        # doctest: +SKIP
    """
    if annotators < 1:
        raise ConfigError(f"annotators must be at least 1, got {annotators}", hint="pass --annotators 1 or more")
    analysis = scored(source, lexicon, workers)
    topics = [{"name": t.name, "label": t.label, "description": t.description} for t in analysis.lexicon.topics]
    names = [t["name"] for t in topics]
    sample = draw_sample(analysis.comments, names, size, seed)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError("the output path is a file", path=out, hint="give --out a folder")
    out.mkdir(parents=True, exist_ok=True)
    items = kit_items(analysis, sample)
    digest = hashlib.sha256(json.dumps([analysis.lexicon.sha256, seed, size, [i["comment_id"] for i in items]])
                            .encode("utf-8")).hexdigest()[:16]
    written = []
    path = out / "kit.html"
    write_atomic(path, render_kit(items, topics, kit_id=digest, show_predictions=show_predictions))
    written.append(path)
    sheets = [("sample.csv", "")] + ([(f"sample-{k}.csv", f"annotator-{k}") for k in range(1, annotators + 1)]
                                     if annotators > 1 else [])
    for name, annotator in sheets:
        path = out / name
        write_atomic(path, write_labels(sample_rows(items, annotator=annotator, show_predictions=show_predictions),
                                        names, context=True))
        written.append(path)
    path = out / "weights.csv"
    write_atomic(path, sample.write_csv(float_precision=None))
    written.append(path)
    return Kit(tuple(written), sample)
