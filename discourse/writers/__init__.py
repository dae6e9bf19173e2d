"""Writing results out for other tools: tables (Parquet, CSV, NDJSON, with ``schema.json`` and a Frictionless
``datapackage.json``), ConvoKit corpus folders and GraphML reply networks; and reading a table export back.

Writers take the polars tables discourse builds (schemas in :mod:`discourse.schema`) and write files;
they never print, and a file that cannot be written raises :class:`~discourse.errors.ReportError`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from discourse.errors import ConfigError
from discourse.model import Analysis, Corpus
from discourse.outputs import replacing
from discourse.parallel import Progress
from discourse.readers import read
from discourse.readers.base import ReadOptions
from discourse.scoring.lexicon import Lexicon
from discourse.scoring.pipeline import MIN_GROUP, Source, analyze
from discourse.sentiment import Preparation
from discourse.writers.convokit import write_convokit
from discourse.writers.exported import write_record
from discourse.writers.graphml import write_graphml
from discourse.writers.tables import FORMATS as TABLE_FORMATS
from discourse.writers.tables import read_export, write_tables

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
    ``schema.json`` (and ``datapackage.json`` for CSV and NDJSON; :func:`read_export` reads them back),
    ``export.json`` and ``lexicon.toml`` (the settings and the lexicon, for ``discourse report --from``:
    :mod:`discourse.writers.exported`); ``convokit`` writes a ConvoKit corpus folder (our scores in each
    utterance's meta); ``graphml`` writes ``out/replies.graphml``.

    When a corpus is scored for a table format (parquet, csv, ndjson), the tables with a row per sentence or
    lexicon hit never sit in memory: each batch writes its rows to a temporary folder in ``out`` (from the
    worker process that scored it), and the final files are streamed from there.

    ``tagger`` is a model file from ``discourse train``: each comment's ``topic_tags`` and ``sent_label``
    then come from the model (:func:`discourse.scoring.tagger.apply_tagger`).

    >>> export("threads", "export", "csv", workers=2)       # doctest: +SKIP
    """
    # --tagger: a trained model replaces the comments' topic tags and sentiment labels (scoring/tagger.py)
    if tagger is not None:
        from discourse.scoring.tagger import apply_tagger, load_tagger

        model = load_tagger(tagger)
        tag = lambda analysis: apply_tagger(analysis, model)  # noqa: E731
    else:
        tag = lambda analysis: analysis  # noqa: E731
    written = _export(source, Path(out), to, lexicon, prep, workers, pseudonym_key, min_group, options, progress,
                      on_read, tag)
    if tagger is not None:   # provenance: which model made topic_tags and sent_label
        from discourse.scoring.tagger import provenance

        written.append(provenance(model, Path(out)))
    return written


def _export(source, out: Path, to: str, lexicon, prep, workers, pseudonym_key, min_group, options, progress,
            on_read, tag) -> list[Path]:
    if to not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {to!r}", hint="valid formats: " + ", ".join(EXPORT_FORMATS))
    out = Path(out)
    if isinstance(source, Analysis):
        return _write(tag(source), out, to)
    if isinstance(source, Corpus) or to not in TABLE_FORMATS:
        if not isinstance(source, Corpus):
            source = read(source, options=options, progress=progress, workers=workers)
        if on_read:
            on_read(source)
        on_read = None
    if to not in TABLE_FORMATS:
        return _write(tag(analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                                  min_group=min_group, progress=progress)), out, to)
    # the folder is replaced whole when every table is written (discourse.outputs), and the spill folder
    # lives in its work folder: a killed run leaves the previous export, which the next run finds intact.
    # Paths are read by analyze, which then holds the corpus alone and keeps its texts on disk while it scores.
    with replacing(out, keep=_not_exported) as work:
        spill = work / ".scoring"
        spill.mkdir()
        analysis = analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                           min_group=min_group, progress=progress, spill=spill, options=options, on_read=on_read)
        analysis = tag(analysis)
        # the tables are handed to the writer, which frees each once written (the comments, with their texts,
        # are then written with nothing else held): the analysis is not kept past this point
        tables, lexicon, settings = analysis.tables(), analysis.lexicon, analysis.settings
        del analysis
        written = (write_tables(tables, work, to, release=True)
                   + write_record(work, lexicon, settings, format=to))
        shutil.rmtree(spill)
    return [out / p.name for p in written]


#: files an export writes (tables in every format, their schema documents and record, GraphML, ConvoKit): a
#: new export replaces these; anything else in the folder is carried over
_EXPORTED = re.compile(r"[a-z_]+\.(parquet|csv|ndjson)|(schema|datapackage|export)\.json|lexicon\.toml"
                       r"|replies\.graphml|utterances\.jsonl|(speakers|conversations|corpus|index)\.json"
                       r"|\.discourse-scoring-.*")


def _not_exported(name: str) -> bool:
    return _EXPORTED.fullmatch(name) is None


def _write_tables(analysis: Analysis, folder: Path, to: str) -> list[Path]:
    # export.json and lexicon.toml: what `discourse report --from` needs beside the tables
    return write_tables(analysis.tables(), folder, to) + write_record(folder, analysis.lexicon, analysis.settings,
                                                                      format=to)


def _write(analysis: Analysis, out: Path, to: str) -> list[Path]:
    if to in TABLE_FORMATS:
        with replacing(out, keep=_not_exported) as work:
            written = _write_tables(analysis, work, to)
        return [out / p.name for p in written]
    if to == "convokit":
        return [write_convokit(analysis.comments, analysis.articles, out)]
    out.mkdir(parents=True, exist_ok=True)
    return [write_graphml(analysis.edges, out / "replies.graphml", comments=analysis.comments)]


__all__ = ["EXPORT_FORMATS", "export", "read_export", "write_tables", "write_convokit", "write_graphml"]
