"""Writing results out for other tools: tables (Parquet, CSV, NDJSON), ConvoKit corpus folders and GraphML
reply networks.

Writers take the polars tables discourse builds (schemas in :mod:`discourse.schema`) and write files;
they never print, and a file that cannot be written raises :class:`~discourse.errors.ReportError`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from discourse.errors import ConfigError
from discourse.model import Analysis, Corpus
from discourse.parallel import Progress
from discourse.readers import read
from discourse.readers.base import ReadOptions
from discourse.scoring.lexicon import Lexicon
from discourse.scoring.pipeline import MIN_GROUP, Source, analyze
from discourse.sentiment import Preparation
from discourse.writers.convokit import write_convokit
from discourse.writers.graphml import write_graphml
from discourse.writers.tables import FORMATS as TABLE_FORMATS
from discourse.writers.tables import write_tables

#: every ``discourse export --to``
EXPORT_FORMATS = (*TABLE_FORMATS, "convokit", "graphml")


def export(source: Analysis | Source, out: str | Path, to: str = "parquet",
           lexicon: Lexicon | str | Path | None = None, *, prep: Preparation = Preparation(),
           workers: int | None = 1, pseudonym_key: str | None = None, min_group: int = MIN_GROUP,
           options: ReadOptions | None = None, progress: Progress | None = None,
           on_read: Callable[[Corpus], None] | None = None, tagger: str | Path | None = None) -> list[Path]:
    """Write a scored corpus into the folder ``out`` in one of :data:`EXPORT_FORMATS`; the paths written.

    ``source`` is an :class:`~discourse.model.Analysis`, written as it is, or what
    :func:`~discourse.scoring.pipeline.analyze` takes (a corpus, or paths to read one from), scored first
    with the other arguments (as ``analyze`` takes them; paths are read with ``options``, and
    ``on_read(corpus)`` is called once they are read). Tables go to ``out/<table>.<format>`` with
    ``schema.json``; ``convokit`` writes a ConvoKit corpus folder (our scores in each utterance's meta);
    ``graphml`` writes ``out/replies.graphml``.

    When a corpus is scored for a table format (parquet, csv, ndjson), the tables with a row per sentence or
    lexicon hit never sit in memory: each batch writes its rows to a temporary folder in ``out`` (from the
    worker process that scored it), and the final files are streamed from there.

    ``tagger`` is a model file from ``discourse train``: each comment's ``topic_tags`` and ``sent_label``
    then come from the model (:func:`discourse.validation.train.apply_tagger`).

    >>> export("threads", "export", "csv", workers=2)       # doctest: +SKIP
    """
    # --tagger: a trained model replaces the comments' topic tags and sentiment labels (validation/train.py)
    if tagger is not None:
        from discourse.validation.train import apply_tagger, load_tagger

        model = load_tagger(tagger)
        tag = lambda analysis: apply_tagger(analysis, model)  # noqa: E731
    else:
        tag = lambda analysis: analysis  # noqa: E731
    written = _export(source, Path(out), to, lexicon, prep, workers, pseudonym_key, min_group, options, progress,
                      on_read, tag)
    if tagger is not None:   # provenance: which model made topic_tags and sent_label
        from discourse.validation.train import provenance

        written.append(provenance(model, Path(out)))
    return written


def _export(source, out: Path, to: str, lexicon, prep, workers, pseudonym_key, min_group, options, progress,
            on_read, tag) -> list[Path]:
    if to not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {to!r}", hint="valid formats: " + ", ".join(EXPORT_FORMATS))
    out = Path(out)
    if isinstance(source, Analysis):
        return _write(tag(source), out, to)
    if not isinstance(source, Corpus):
        source = read(source, options=options, progress=progress, workers=workers)
    if on_read:
        on_read(source)
    if to not in TABLE_FORMATS:
        return _write(tag(analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                                  min_group=min_group, progress=progress)), out, to)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".discourse-scoring-", dir=out) as spill:
        analysis = analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                           min_group=min_group, progress=progress, spill=spill)
        analysis = tag(analysis)
        return write_tables(analysis.tables(), out, to)


def _write(analysis: Analysis, out: Path, to: str) -> list[Path]:
    if to in TABLE_FORMATS:
        return write_tables(analysis.tables(), out, to)
    if to == "convokit":
        return [write_convokit(analysis.comments, analysis.articles, out)]
    out.mkdir(parents=True, exist_ok=True)
    return [write_graphml(analysis.edges, out / "replies.graphml", comments=analysis.comments)]


__all__ = ["EXPORT_FORMATS", "export", "write_tables", "write_convokit", "write_graphml"]
