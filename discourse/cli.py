"""The ``discourse`` command: a thin shell over the library.

Each command parses its options, calls one library function and writes the result. Library errors
(:class:`~discourse.errors.DiscourseError`) become ``Error: <file>:<line>: <what> (<fix>)`` and exit code 1.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from discourse.errors import ConfigError, DiscourseError
from discourse.readers.base import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="discourse",
    help="Rebuild, score and compare the comment sections under news articles.\n\n"
         "Every command reads ./threads unless given paths.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

PathsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Thread files or folders (default: threads).", show_default=False)]
FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="Read every file with this reader instead of detecting it (see `discourse formats`).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Stop at the first file that cannot be read.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary on stderr.")]
MapOpt = Annotated[Optional[str], typer.Option(
    "--map", help="Column mapping for CSV/JSONL input, e.g. id=comment_id,parent=parent_id,text=body,author=user.")]
IncludeOpt = Annotated[Optional[str], typer.Option(
    "--include", help="Also keep what the source marks pending, spam or trash, and empty Disqus threads "
                      "(e.g. pending,spam,trash,empty); dropped and counted by default.")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Refuse input files larger than this many bytes.")]
InOpt = Annotated[Optional[list[Path]], typer.Option("--in", help="Where to look (default: threads).")]
TimezoneOpt = Annotated[Optional[str], typer.Option(
    "--timezone", help="IANA time zone (e.g. Asia/Yerevan) of times the pages print without one (default: UTC).")]


LexiconOpt = Annotated[Optional[Path], typer.Option(
    "--lexicon", help="Topic/actor lexicon (TOML) that extends or replaces the default, as its `mode` says.")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", "-w",
    help="Processes for reading and scoring (default: one per core, at most 8; one for a small corpus). "
         "Results are identical.")]
PseudonymizeOpt = Annotated[bool, typer.Option(
    "--pseudonymize", help="Replace author names by stable keyed pseudonyms in every table and output (needs a key).")]
PseudonymKeyOpt = Annotated[Optional[str], typer.Option(
    "--pseudonym-key", help="Secret key for --pseudonymize (default: $DISCOURSE_PSEUDONYM_KEY); never recorded.")]


def _pseudonym_key(pseudonymize: bool, key: str | None) -> str | None:
    """The key to pseudonymise with, or None. A pseudonym made with a key anyone knows can be undone by
    hashing candidate names, so there is no default key."""
    if key is not None and not pseudonymize:
        raise ConfigError("--pseudonym-key is only used with --pseudonymize", hint="add --pseudonymize")
    if not pseudonymize:
        return None
    key = key or os.environ.get("DISCOURSE_PSEUDONYM_KEY")
    if not key:
        raise ConfigError("--pseudonymize needs a key",
                          hint="pass --pseudonym-key KEY or set DISCOURSE_PSEUDONYM_KEY; the same key gives the "
                               "same pseudonyms")
    return key


def _options(format: str | None, strict: bool, mapping: str | None, include: str | None, max_bytes: int,
             roles: bool = False, timezone: str | None = None):
    from discourse.readers.base import ReadOptions

    pairs = []
    for item in (mapping or "").split(","):
        if item.strip():
            key, sep, value = item.partition("=")
            if not sep:
                raise typer.BadParameter(f"{item!r} is not key=column", param_hint="--map")
            pairs.append((key.strip(), value.strip()))
    kinds = frozenset(x.strip() for x in (include or "").split(",") if x.strip())
    return ReadOptions(format=format, strict=strict, mapping=tuple(pairs), include=kinds, max_bytes=max_bytes,
                       roles=roles, timezone=timezone)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


def handles_errors(fn):
    """Turn library errors into one line on stderr and exit code 1 (the CLI's single error path)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DiscourseError as err:
            raise _fail(str(err)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


def _paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [Path("threads")]


class _Progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise or with --quiet."""

    def __init__(self, label: str, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int, item: str) -> None:
        if not self.enabled or total <= 1:
            return
        if self.bar is None:
            self.bar = typer.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.bar.__exit__(None, None, None)


def _echo_diagnostics(diagnostics, quiet: bool, limit: int = 50) -> None:
    if quiet or diagnostics.height == 0:
        return
    rows = diagnostics.iter_rows(named=True)
    for k, d in enumerate(rows):
        if k == limit:
            typer.echo(f"... and {diagnostics.height - limit} more (see --json)", err=True)
            break
        where = (d["path"] or "") + (f":{d['line']}" if d["line"] is not None else "")
        hint = f" ({d['hint']})" if d["hint"] else ""
        typer.echo(f"{d['level']}: {where}: {d['message']}{hint}", err=True)


def _jsonable(df) -> list[dict]:
    return json.loads(df.write_json())


@app.command()
@handles_errors
def parse(
    paths: PathsArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with every table, for scripts.")] = False,
    lines: Annotated[bool, typer.Option("--lines", help="Show the role given to every line of the input.")] = False,
    format: FormatOpt = None,
    strict: StrictOpt = False,
    mapping: MapOpt = None,
    include: IncludeOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timezone: TimezoneOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Read thread files and summarise the articles and reply trees found.

    Example: discourse parse threads/002_f95fa880e584f71f.txt --lines
    """
    from discourse.readers import read

    options = _options(format, strict, mapping, include, max_bytes, roles=lines, timezone=timezone)
    corpus = read(_paths(paths), options=options, progress=_Progress("parsing", quiet or as_json))
    if as_json:
        out = {name: _jsonable(getattr(corpus, name)) for name in ("articles", "comments", "paragraphs", "files",
                                                                    "diagnostics")}
        for f in out["files"]:
            f["report"] = json.loads(f["report"])
        if lines:
            out["line_roles"] = _jsonable(corpus.line_roles)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    if lines:
        for path, group in corpus.line_roles.group_by("source_path", maintain_order=True):
            typer.echo(f"== {path[0]}")
            for r in group.iter_rows(named=True):
                typer.echo(f"{r['line']:>6}  {r['role']:<15} {r['ref'] or '':<12} {r['text']}")
        _echo_diagnostics(corpus.diagnostics, quiet)
        return
    from discourse.summary import corpus_summary

    typer.echo(corpus_summary(corpus))
    _echo_diagnostics(corpus.diagnostics, quiet)


@app.command()
@handles_errors
def tree(
    article: Annotated[str, typer.Argument(help="Article id (002), file name or path.")],
    paths: InOpt = None,
    width: Annotated[int, typer.Option(help="Characters of text shown per comment.")] = 60,
    format: FormatOpt = None,
) -> None:
    """Print the reply tree of one article: authors and the first words of each comment.

    Example: discourse tree 002
    """
    from discourse.readers import read
    from discourse.summary import render_tree

    source = [Path(article)] if Path(article).is_file() and not paths else _paths(paths)
    corpus = read(source, format=format)
    typer.echo(render_tree(corpus, corpus.article_id(article), width=width))


@app.command()
@handles_errors
def export(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the tables into.")] = Path("export"),
    to: Annotated[str, typer.Option(
        "--format", "-t", help="parquet, csv, ndjson (every table), convokit (a ConvoKit corpus folder) or "
                               "graphml (the reply network).")] = "parquet",
    lexicon: LexiconOpt = None,
    workers: WorkersOpt = None,
    pseudonymize: PseudonymizeOpt = False,
    pseudonym_key: PseudonymKeyOpt = None,
    input_format: Annotated[Optional[str], typer.Option("--input-format", help="Reader for every input file.")] = None,
    strict: StrictOpt = False,
    mapping: MapOpt = None,
    include: IncludeOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    timezone: TimezoneOpt = None,
    cluster: Annotated[Optional[str], typer.Option(
        "--cluster", help="Read, score and write on a Dask cluster: a scheduler address (tcp://host:8786) or "
                          "`local`; writes every table as a folder of Parquet partitions (docs/cluster.md). "
                          "Needs pip install 'discourse[dask]'.")] = None,
    cluster_workers: Annotated[Optional[int], typer.Option(
        "--cluster-workers", help="Worker processes of --cluster local (default: one per core).")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Score the corpus and write every table (articles, comments, sentences, tags, mentions, edges,
    threads, speakers ...) plus schema.json describing each column, export.json and lexicon.toml (what
    `discourse report --from` needs); or a ConvoKit corpus; or the reply network as GraphML.

    Example: discourse export --format csv --out export/
    """
    from discourse.readers import read
    from discourse.writers import EXPORT_FORMATS
    from discourse.writers import export as export_tables

    if to not in EXPORT_FORMATS:
        raise _fail(f"unknown export format {to!r} (valid formats: {', '.join(EXPORT_FORMATS)})")
    key = _pseudonym_key(pseudonymize, pseudonym_key)
    options = _options(input_format, strict, mapping, include, max_bytes, timezone=timezone)
    if cluster is not None or cluster_workers is not None:
        _export_on_cluster(paths, out, to, lexicon, workers, key, options, cluster, cluster_workers, quiet)
        return
    corpus = read(_paths(paths), options=options, progress=_Progress("parsing", quiet), workers=workers)
    written = export_tables(corpus, out, to, lexicon, workers=workers, pseudonym_key=key,
                            progress=_Progress("scoring", quiet))
    if not quiet:
        typer.echo(f"wrote {len(written)} files to {out}", err=True)
    _echo_diagnostics(corpus.diagnostics, quiet)


def _export_on_cluster(paths, out, to, lexicon, workers, key, options, cluster, cluster_workers, quiet) -> None:
    from discourse.cluster import connect, export_on_cluster

    if cluster is None:
        raise ConfigError("--cluster-workers needs --cluster local", hint="add --cluster local")
    if to != "parquet":
        raise ConfigError(f"--cluster writes Parquet, not {to}", hint="export other formats on one machine")
    if workers is not None:
        raise ConfigError("--workers is for one machine", hint="with --cluster local, use --cluster-workers N")
    if cluster_workers is not None and cluster_workers < 1:
        raise ConfigError(f"--cluster-workers must be at least 1, got {cluster_workers}", hint="use 1 or more")

    def say(message: str) -> None:
        if not quiet:
            typer.echo(f"cluster: {message}", err=True)

    with connect(cluster, cluster_workers) as client:
        run = export_on_cluster(_paths(paths), out, client=client, lexicon=lexicon, options=options,
                                pseudonym_key=key, report=say)
    if not quiet:
        took = ", ".join(f"{step} {s:.1f} s" for step, s in run.seconds.items())
        typer.echo(f"wrote {len(run.written)} files to {out}: {run.files} input files, {run.comments:,} comments, "
                   f"{run.joined_threads} threads joined across files, on {run.workers} workers ({took})", err=True)
        import polars as pl

        from discourse.writers.exported import scan_table

        diagnostics = scan_table(out, "diagnostics").collect()
        _echo_diagnostics(diagnostics.filter(pl.col("level") != "note"), quiet)


@app.command()
@handles_errors
def explain(
    unit: Annotated[str, typer.Argument(help="Comment (002/7.1), paragraph (000/p4) or sentence (002/7.1#2) id.")],
    paths: InOpt = None,
    lexicon: LexiconOpt = None,
) -> None:
    """Show why a comment, paragraph or sentence got its scores and tags: the prepared text, each
    sentence's words with their valence and the rules (boosters, negation, "but", capitals) that changed
    them, and every topic and actor hit.

    Example: discourse explain 002/4
    """
    from discourse.readers import read
    from discourse.scoring.explain import explain_unit
    from discourse.scoring.pipeline import analyze
    from discourse.summary import render_explanation

    corpus = read(_paths(paths)).only(unit.split("/", 1)[0])
    typer.echo(render_explanation(explain_unit(analyze(corpus, lexicon), unit)))


lexicon_app = typer.Typer(help="Inspect and convert topic lexicons.\n\nExample: discourse lexicon check",
                          no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("check")
@handles_errors
def lexicon_check(
    paths: PathsArg = None,
    lexicon: LexiconOpt = None,
    show: Annotated[int, typer.Option(help="Unmatched entries to list.")] = 40,
) -> None:
    """Check a lexicon against the corpus: entries that never match, entries in two topics, and the
    share of comments with no topic.

    Example: discourse lexicon check --lexicon my.toml
    """
    from discourse.readers import read
    from discourse.scoring.lexicon import load_lexicon
    from discourse.scoring.lexicon_check import check_lexicon
    from discourse.summary import render_lexicon_check

    corpus = read(_paths(paths))
    lex = load_lexicon(lexicon)
    units = corpus.comments.select(corpus.comments.get_column("comment_id").alias("unit_id"), "text")
    typer.echo(render_lexicon_check(lex, check_lexicon(lex, units), show=show))


@lexicon_app.command("import")
@handles_errors
def lexicon_import(
    source: Annotated[Path, typer.Argument(help="LIWC .dic or quanteda YAML dictionary.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="TOML file to write.")],
    format: Annotated[Optional[str], typer.Option("--format", help="liwc or yaml (default: from the file name).")] = None,
) -> None:
    """Convert a LIWC-style .dic or quanteda-style YAML dictionary into a discourse TOML lexicon,
    wildcards and multi-word entries preserved.

    Example: discourse lexicon import moral.dic --out moral.toml
    """
    from discourse.scoring.lexicon_import import dump_lexicon_toml, import_lexicon

    lex = import_lexicon(source, format)
    out.write_text(dump_lexicon_toml(lex), encoding="utf-8")
    typer.echo(f"wrote {out}: {len(lex.topics)} topics, {sum(len(t.entries) for t in lex.topics)} entries", err=True)


@app.command()
@handles_errors
def validate(
    data: Annotated[Path, typer.Option("--data", help="Folder with the VADER ground-truth corpora.")] = Path(
        "tests/data/vader-ground-truth"),
) -> None:
    """Score the four human-rated corpora of the VADER paper and print Pearson r and 3-class F1 for
    whole-text and sentence-mean scoring, for snippets and for whole documents.

    Example: discourse validate --data tests/data/vader-ground-truth
    """
    from discourse.sentiment.validate import validate as run

    table = run(data)
    typer.echo(f"{'corpus':<8} {'level':<9} {'method':<14} {'n':>6} {'r':>7} {'F1':>7}")
    for r in table.iter_rows(named=True):
        typer.echo(f"{r['corpus']:<8} {r['level']:<9} {r['method']:<14} {r['n']:>6} {r['r']:>7.3f} {r['f1']:>7.3f}")


@app.command()
def formats() -> None:
    """List the input formats discourse can read.

    Example: discourse formats
    """
    from discourse.readers import readers

    for r in readers().values():
        typer.echo(f"{r.name:<16} {r.description}  [{' '.join(r.extensions) or 'folder'}]")


@app.command()
@handles_errors
def bench(
    sizes: Annotated[str, typer.Option("--sizes", help="Corpus sizes in comments, comma-separated (1k, 100k, 1M).")] = "1k,100k",
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the synthetic corpora (kept and reused) and outputs.")] = Path("bench-out"),
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic corpora: the same seed, the same files.")] = 0,
    sample: Annotated[int, typer.Option("--sample", help="Comments timed for topic matching and against vaderSentiment.")] = 20_000,
    report: Annotated[bool, typer.Option("--report/--no-report", help="Also time discourse report.")] = True,
    parse_runs: Annotated[int, typer.Option("--parse-runs", help="Times the parse step runs; the table shows the best and every run.")] = 3,
) -> None:
    """Generate synthetic comment archives of each size and print, as Markdown tables: parsing, scoring and
    topic-matching throughput, the VADER engine against vaderSentiment 3.3.2, two workers against one,
    end-to-end export and report times, peak memory, and scoring time by comment length.

    Example: discourse bench --sizes 1k,100k,1M
    """
    from discourse.bench.harness import parse_size, run_benchmarks

    counts = [parse_size(x) for x in sizes.split(",") if x.strip()]
    result = run_benchmarks(counts, out, seed=seed, sample=sample, report=report, parse_runs=parse_runs,
                            progress=lambda message: typer.echo(f"bench: {message}", err=True))
    typer.echo(result.machine_line())
    typer.echo("")
    typer.echo(result.markdown())


# ---- discourse report -------------------------------------------------------------------------------------

ReportOutOpt = Annotated[Path, typer.Option(
    "--out", "-o", help="Folder to write the report into; a previous report there is replaced as a whole.")]
ReportStyleOpt = Annotated[str, typer.Option("--style", help="Figure style: paper (7 pt fonts), slides (9 pt) or web (8 pt, light grid).")]
ReportWidthOpt = Annotated[str, typer.Option("--width", help="Figure width: single (3.5 in) or double (7.16 in).")]


def _report_command(paths, out, style, width, lexicon, workers, pseudonymize, fmt, strict, timezone,
                    source: Path | None = None) -> list[str]:
    """The command as recorded in provenance.json: canonical, every option spelled out but ``--workers`` when
    it was not given (the report does not depend on it; the settings record the number used), the key left
    out."""
    where = ["--from", str(source)] if source is not None else [str(p) for p in _paths(paths)]
    cmd = ["discourse", "report", *where, "--out", str(out), "--style", style, "--width", width]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    if lexicon is not None:
        cmd += ["--lexicon", str(lexicon)]
    if pseudonymize:
        cmd += ["--pseudonymize", "--pseudonym-key", "<redacted>"]
    if fmt:
        cmd += ["--format", fmt]
    if strict:
        cmd.append("--strict")
    if timezone:
        cmd += ["--timezone", timezone]
    return cmd


@app.command()
@handles_errors
def report(
    paths: PathsArg = None,
    out: ReportOutOpt = Path("reports"),
    style: ReportStyleOpt = "paper",
    width: ReportWidthOpt = "single",
    lexicon: LexiconOpt = None,
    workers: WorkersOpt = None,
    pseudonymize: PseudonymizeOpt = False,
    pseudonym_key: PseudonymKeyOpt = None,
    format: FormatOpt = None,
    strict: StrictOpt = False,
    timezone: TimezoneOpt = None,
    source: Annotated[Optional[Path], typer.Option(
        "--from", help="Draw the report from an export (`discourse export`, on one machine or --cluster) "
                       "instead of reading and scoring: nothing is scored again.")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Score the corpus and write the report: index.html (figures, tables, thread browser), figures as
    PDF, SVG and PNG, tables as CSV and LaTeX, report.md and provenance.json.

    Example: discourse report threads --out reports --style paper --width double
    """
    import tempfile

    from discourse.readers import read
    from discourse.readers.base import ReadOptions
    from discourse.report.build import build_report, check_target
    from discourse.report.style import Style
    from discourse.scoring.pipeline import analyze

    Style(style, width)  # a wrong name fails before the corpus is read
    check_target(out)
    if source is not None:
        given = [name for name, value in (("paths", paths), ("--lexicon", lexicon), ("--workers", workers),
                                          ("--pseudonymize", pseudonymize), ("--format", format),
                                          ("--strict", strict), ("--timezone", timezone)) if value]
        if given:
            raise ConfigError(f"--from reports on an export as it was scored; {', '.join(given)} cannot change it",
                              hint="drop them, or export again with them")
        from discourse.writers.exported import open_export

        folder = build_report(open_export(source), out, style=style, width=width,
                              command=_report_command(None, out, style, width, None, None, False, None, False,
                                                      None, source),
                              progress=_Progress("drawing", quiet))
        typer.echo(str(folder / "index.html"))
        return
    key = _pseudonym_key(pseudonymize, pseudonym_key)
    corpus = read(_paths(paths), format=format, strict=strict, options=ReadOptions(timezone=timezone),
                  progress=_Progress("parsing", quiet), workers=workers)
    _echo_diagnostics(corpus.diagnostics, quiet)
    # sentences, topic evidence and mentions stay on disk, in a temporary folder beside the report
    out.absolute().parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".discourse-scoring-", dir=out.absolute().parent) as spill:
        analysis = analyze(corpus, lexicon, workers=workers, pseudonym_key=key, progress=_Progress("scoring", quiet),
                           spill=spill)
        folder = build_report(analysis, out, style=style, width=width,
                              command=_report_command(paths, out, style, width, lexicon, workers, pseudonymize,
                                                      format, strict, timezone),
                              progress=_Progress("drawing", quiet))
    typer.echo(str(folder / "index.html"))


def main() -> None:
    app()
