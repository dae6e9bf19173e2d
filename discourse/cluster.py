"""``discourse export --cluster``: read, link, score and write on a Dask cluster, as a partitioned Parquet
dataset with the same tables as ``discourse export`` on one machine.

The only module that imports Dask (the ``dask`` extra: ``pip install 'discourse[dask]'``). The work, in
two rounds of tasks, one task per input file:

1. **read**: each worker reads one file (any reader; a Pushshift ``.zst`` dump is streamed), links its
   reply trees and stages its tables as Parquet in ``<out>/.staging/``. It returns the keys of the
   articles that may continue in other files (Reddit submissions, :mod:`discourse.readers.join`).
2. **score**: the client finds the threads split across files; the task of each file joins the threads
   whose first part it holds (fetching the other parts from the staged files of the others) and drops
   those parts it holds of threads joined elsewhere, then scores its articles and comments
   (:func:`discourse.scoring.pipeline.analyze`, in one process per worker) and writes its partition of
   every table into ``<out>/<table>/``.

The client then writes what needs the whole corpus: ``speakers`` (from the ``author`` columns of
``comments`` and ``edges``, read column by column), ``actor_sentiment`` (sorted as on one machine), the
diagnostics that come after every file's, ``schema.json`` and ``export.json``. Every input path and the
output folder must be on storage every worker sees under the same path. See ``docs/cluster.md``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import ConfigError, MissingDependencyError
from discourse.model import Analysis, Corpus
from discourse.readers.base import Diagnostic, ReadOptions
from discourse.scoring.lexicon import Lexicon, load_lexicon
from discourse.sentiment import Preparation
from discourse.writers.exported import LEXICON, RECORD

DASK_HINT = "install the optional extra: pip install 'discourse[dask]'"

#: the staged tables of one input file, as written by the read round
_STAGED = ("articles", "paragraphs", "comments", "files", "keys", "orphans", "diagnostics")
#: tables split by unit kind: article paragraphs in ``a-<k>.parquet``, comments in ``c-<k>.parquet``, so that
#: the files in name order hold the rows in the single-machine order (every article paragraph first)
BY_KIND = ("sentences", "tags", "mentions")
#: tables the client writes whole, after every partition is done
WHOLE = ("actor_sentiment", "speakers")

Report = Callable[[str], None]


@dataclass(frozen=True)
class ClusterRun:
    """What a cluster export did: the paths written, and counts and seconds for the record."""

    written: list[Path]
    files: int
    comments: int
    joined_threads: int
    seconds: dict[str, float]
    workers: int


def _dask():
    try:
        import dask  # noqa: F401
        import distributed
    except ImportError:
        raise MissingDependencyError("--cluster needs Dask", hint=DASK_HINT) from None
    return distributed


def connect(address: str, workers: int | None = None, memory_limit: str | None = None):
    """A ``distributed.Client``: to the scheduler at ``address`` (``tcp://host:8786``), or with ``"local"`` to
    a new local cluster of ``workers`` processes (one per core by default), one thread each."""
    distributed = _dask()
    if address == "local":
        from discourse.parallel import default_workers

        n = workers or default_workers()
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, memory_limit=memory_limit or "auto")
        return distributed.Client(cluster)
    if workers is not None:
        raise ConfigError("--cluster-workers is for --cluster local",
                          hint="a running cluster has the workers started with it (dask worker ADDRESS)")
    try:
        return distributed.Client(address, timeout="20s")
    except OSError as err:
        raise ConfigError(f"no Dask scheduler answers at {address!r} ({err})",
                          hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, or use "
                               "--cluster local") from None


def _part_name(k: int) -> str:
    return f"part-{k:05d}.parquet"


def _staged(staging: Path, k: int) -> Path:
    return staging / f"file-{k:05d}"


def _read_file(k: int, path: Path, where: Path, entry, opts: ReadOptions, first: dict, staging: Path
               ) -> pl.DataFrame:
    """Round 1, on a worker: read and link one file, stage its tables; its joinable article keys.

    The file is read at ``where`` (its absolute path: a worker's working folder is not the client's) and
    recorded as ``path``, as given on the command line, as on one machine."""
    from dataclasses import replace

    from discourse.readers.load import _read_job, diagnostics_frame

    part = _read_job([(where, entry)], opts, first)
    given, read_at = str(path), str(where)
    as_given = pl.col("source_path").replace(read_at, given)
    folder = _staged(staging, k)
    folder.mkdir(parents=True, exist_ok=True)
    diagnostics = [replace(d, path=given) if d.path == read_at else d for d in part.diagnostics]
    tables = {"articles": part.articles.with_columns(as_given), "paragraphs": part.paragraphs.with_columns(as_given),
              "comments": part.comments.with_columns(as_given), "files": part.files.with_columns(as_given),
              "keys": part.keys, "orphans": part.orphans, "diagnostics": diagnostics_frame(diagnostics)}
    for name, table in tables.items():
        table.write_parquet(folder / f"{name}.parquet", compression="lz4", statistics=False)
    return part.keys


def _diagnostic_list(frame: pl.DataFrame) -> list[Diagnostic]:
    return [Diagnostic(**row) for row in frame.iter_rows(named=True)]


def _score_file(k: int, staging: Path, groups: list[list[str]], others: dict[int, list[str]], lexicon: Lexicon,
                prep: Preparation, pseudonym_key: str | None, min_group: int, out: Path
                ) -> tuple[list[Diagnostic], pl.DataFrame, int]:
    """Round 2, on a worker: join the split threads this file starts, score it, write its partitions.
    Returns the join's diagnostics (listed after every file's), its ``actor_sentiment`` rows and comments."""
    from discourse.readers.join import join_threads
    from discourse.scoring.pipeline import analyze

    folder = _staged(staging, k)
    load = {name: pl.read_parquet(folder / f"{name}.parquet") for name in _STAGED}
    articles, paragraphs, comments, orphans = load["articles"], load["paragraphs"], load["comments"], load["orphans"]
    diagnostics = _diagnostic_list(load["diagnostics"])
    notes: list[Diagnostic] = []
    if groups:
        extra: dict[str, list[pl.DataFrame]] = {"articles": [], "paragraphs": [], "comments": [], "orphans": []}
        for j, ids in others.items():
            keep = pl.col("article_id").is_in(pl.Series(ids, dtype=pl.String).implode())
            for name in ("articles", "paragraphs", "comments"):
                extra[name].append(pl.scan_parquet(_staged(staging, j) / f"{name}.parquet").filter(keep).collect())
            extra["orphans"].append(
                pl.scan_parquet(_staged(staging, j) / "orphans.parquet")
                .filter(pl.col("comment_id").str.split("/").list.first().is_in(
                    pl.Series(ids, dtype=pl.String).implode())).collect())
        articles = pl.concat([articles, *extra["articles"]])
        paragraphs = pl.concat([paragraphs, *extra["paragraphs"]])
        comments = pl.concat([comments, *extra["comments"]])
        orphans = pl.concat([orphans, *extra["orphans"]])
        joined = join_threads(articles, paragraphs, comments, groups, orphans)
        articles, paragraphs, comments = joined.articles, joined.paragraphs, joined.comments
        notes = joined.notes
        diagnostics = [d for d in diagnostics
                       if not (d.code in ("orphan", "cycle") and (d.path, d.line) in joined.stale)]
    from discourse.readers.load import diagnostics_frame

    corpus = Corpus(articles=articles, paragraphs=paragraphs, comments=comments,
                    diagnostics=diagnostics_frame(diagnostics), files=load["files"])
    with tempfile.TemporaryDirectory(prefix="discourse-cluster-") as spill:
        tables = analyze(corpus, lexicon, prep=prep, workers=1, pseudonym_key=pseudonym_key, min_group=min_group,
                         spill=spill).tables()
        for name, table in tables.items():
            if name in WHOLE:
                continue
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            if name in BY_KIND:
                lazy = table.lazy()
                for kind, prefix in (("article", "a"), ("comment", "c")):
                    lazy.filter(pl.col("kind") == kind).sink_parquet(
                        folder / f"{prefix}-{k:05d}.parquet", compression="zstd", statistics=False)
            else:
                _write(table, folder / _part_name(k))
        actor = tables["actor_sentiment"]
        assert isinstance(actor, pl.DataFrame)
    return notes, actor, corpus.comments.height


def _write(table: pl.DataFrame | pl.LazyFrame, path: Path) -> None:
    if isinstance(table, pl.LazyFrame):
        table.sink_parquet(path, compression="zstd", statistics=False)
    else:
        table.write_parquet(path, compression="zstd", statistics=False)


def export_on_cluster(paths: Sequence[str | Path], out: str | Path, *, client, lexicon: Lexicon | str | Path | None = None,
                      options: ReadOptions = ReadOptions(), prep: Preparation = Preparation(),
                      pseudonym_key: str | None = None, min_group: int | None = None,
                      report: Report | None = None) -> ClusterRun:
    """Export the corpus behind ``paths`` into ``out`` as a partitioned Parquet dataset, on the cluster of
    ``client`` (a ``distributed.Client``, e.g. from :func:`connect`)."""
    from discourse.readers.join import split_groups
    from discourse.readers.load import _ids_are_independent, diagnostics_frame, first_diagnostics, plan
    from discourse.scoring.dynamics import speakers
    from discourse.scoring.pipeline import MIN_GROUP
    from discourse.writers.exported import scan_table, write_record
    from discourse.writers.tables import schema_document

    say = report or (lambda message: None)
    min_group = MIN_GROUP if min_group is None else min_group
    if min_group < 1:
        raise ConfigError(f"min_group must be at least 1, got {min_group}", hint="a positive number of units")
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    found = plan(list(paths), options)
    entries = found.entries
    if not _ids_are_independent(entries):
        raise ConfigError("two input files would give the same article ids (the same file name in two folders, "
                          "or ':' or '~' in a name)",
                          hint="on a cluster each file is read on its own: give the files distinct names, or "
                               "distinct `id`s in manifest.csv")
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in Analysis.TABLES:  # a previous export's partitions would mix with this one's
        if (out / name).is_dir():
            shutil.rmtree(out / name)
        (out / f"{name}.parquet").unlink(missing_ok=True)
    for name in (RECORD, LEXICON, "schema.json"):  # written last: an export that stops half-way has none
        (out / name).unlink(missing_ok=True)
    staging = out / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    firsts = first_diagnostics([[e] for e in entries], found.manifest_diags)
    workers = len(client.scheduler_info().get("workers", {}))
    try:
        say(f"reading {len(entries)} files on {workers} workers")
        futures = [client.submit(_read_file, k, path, path.absolute(), entry, options, first, staging.absolute(),
                                 key=f"read-{k:05d}", pure=False)
                   for k, ((path, entry), first) in enumerate(zip(entries, firsts))]
        keys = client.gather(futures)
        del futures
        seconds["read and link"] = time.perf_counter() - start

        # the threads split across files, and which file's task joins each (the one holding its first part)
        lap = time.perf_counter()
        where = {aid: k for k, frame in enumerate(keys) for aid in frame.get_column("article_id").to_list()}
        groups = split_groups(pl.concat(keys) if keys else pl.DataFrame(schema={"article_id": pl.String,
                                                                                 "key": pl.String}))
        del keys
        mine: dict[int, list[list[str]]] = {}
        for group in groups:
            for aid in group:
                mine.setdefault(where[aid], []).append(group)
        lex_future = client.scatter(lex, broadcast=True)
        futures = []
        for k in range(len(entries)):
            own = mine.get(k, [])
            others: dict[int, list[str]] = {}
            for group in own:
                if where[group[0]] != k:
                    continue
                for aid in group[1:]:
                    others.setdefault(where[aid], []).append(aid)
            futures.append(client.submit(_score_file, k, staging.absolute(), own, others, lex_future, prep,
                                         pseudonym_key, min_group, out.absolute(), key=f"score-{k:05d}",
                                         pure=False))
        notes: list[Diagnostic] = []
        actors: list[pl.DataFrame] = []
        comments = 0
        for k, future in enumerate(futures):
            part_notes, part_actors, n = future.result()
            notes += part_notes
            actors.append(part_actors)
            comments += n
            future.release()
            say(f"scored file {k + 1} of {len(entries)}")
        seconds["join, score and write"] = time.perf_counter() - lap
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    lap = time.perf_counter()
    (out / "diagnostics").mkdir(exist_ok=True)
    diagnostics_frame(found.missing + notes).write_parquet(out / "diagnostics" / _part_name(len(entries)),
                                                          compression="zstd", statistics=False)
    (out / "actor_sentiment").mkdir(exist_ok=True)
    actor = pl.concat(actors) if actors else schema.frame(schema.ACTOR_SENTIMENT)
    actor = schema.conform(schema.ACTOR_SENTIMENT, actor.sort("article_id", "kind", "actor"))
    actor.write_parquet(out / "actor_sentiment" / _part_name(0), compression="zstd", statistics=False)
    scans = {name: scan_table(out, name) for name in ("comments", "edges")}
    who = scans["comments"].select("comment_id", "author", "article_id", "parent_id", "sent_score", "text_missing",
                                   "topic_tags").collect()
    replies = scans["edges"].select("source", "target").collect()
    (out / "speakers").mkdir(exist_ok=True)
    speakers(who, replies).write_parquet(out / "speakers" / _part_name(0), compression="zstd", statistics=False)
    del who, replies
    scans = partitions(out)
    doc = out / "schema.json"
    doc.write_text(json.dumps(schema_document(scans), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    settings = {"typography": prep.typography, "whitespace": prep.whitespace, "workers": workers,
                "pseudonymized": bool(pseudonym_key), "min_group": min_group, "lexicon": lex.sha256}
    written = [*write_record(out, lex, settings, layout="partitioned"), doc]
    written += sorted(p for name in Analysis.TABLES for p in (out / name).glob("*.parquet"))
    seconds["whole-corpus tables"] = time.perf_counter() - lap
    return ClusterRun(written, len(entries), comments, len(groups), seconds, workers)


def partitions(out: Path) -> dict[str, pl.LazyFrame]:
    """Every table of a partitioned export as a scan of its files in name order (the table's row order)."""
    from discourse.writers.exported import scan_table

    return {name: scan_table(out, name) for name in Analysis.TABLES}
