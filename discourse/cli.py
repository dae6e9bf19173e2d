"""The ``discourse`` command: a thin shell over the library.

Each command parses its options, calls one library function and writes the result. Library errors
(:class:`~discourse.errors.DiscourseError`) become ``Error: <file>:<line>: <what> (<fix>)`` and exit code 1.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer
import typer.main

from discourse import schema
from discourse.errors import ConfigError, DiscourseError
from discourse.readers.base import DEFAULT_MAX_BYTES, ReadOptions

app = typer.Typer(
    name="discourse",
    help="Rebuild, score and compare the comment sections under news articles.\n\n"
         "Every command reads ./threads unless given paths.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"discourse {version('discourse')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Rebuild, score and compare the comment sections under news articles.

    Every command reads ./threads unless given paths."""

PathsArg = Annotated[Optional[list[Path]], typer.Argument(
    help="Thread files or folders (default: threads).", show_default=False)]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress bar or diagnostics on stderr (both are also off when stderr is not a terminal).")]
InOpt = Annotated[Optional[list[Path]], typer.Option("--in", help="Where to look (default: threads).")]

# ---- the read options: one definition, shared by every command that reads ------------------------------

FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="NAME",
    help="Read every file with this reader instead of detecting the format (`discourse formats` lists them).")]
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="Stop at the first file that cannot be read instead of reporting it and going on.")]
MapOpt = Annotated[Optional[str], typer.Option(
    "--map", metavar="KEY=COLUMN,...",
    help="For CSV/TSV/JSON Lines: which column holds id, parent, text, author, article, title, time, number, "
         "status (a key not given is read from a column of the same name), e.g. "
         "id=comment_id,parent=parent_id,text=body,author=user.")]
IncludeOpt = Annotated[Optional[str], typer.Option(
    "--include", metavar="pending,spam,trash,empty",
    help="Also keep what the source marks pending, spam or trash, and Disqus threads without posts; by "
         "default they are dropped and counted in the file's report.")]
MaxBytesOpt = Annotated[int, typer.Option(
    "--max-bytes", metavar="N",
    help="Refuse input files larger than N bytes; lines longer than 16 MiB are always refused.")]
TimezoneOpt = Annotated[Optional[str], typer.Option(
    "--timezone", metavar="ZONE",
    help="IANA time zone (Asia/Yerevan, Europe/Moscow) in which times printed without a zone are read "
         "(default: UTC); an unknown name stops before anything is read.")]

#: (parameter, type, default) of the read options, added to a command by :func:`reads`
READ_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("format", FormatOpt, None), ("strict", StrictOpt, False), ("mapping", MapOpt, None),
    ("include", IncludeOpt, None), ("max_bytes", MaxBytesOpt, DEFAULT_MAX_BYTES), ("timezone", TimezoneOpt, None),
)


def read_options(format: str | None = None, strict: bool = False, mapping: str | None = None,
                 include: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 timezone: str | None = None) -> ReadOptions:
    """The :class:`~discourse.readers.base.ReadOptions` the read options spell (``--map`` and ``--include``
    parsed; an unknown time zone raises here, before anything is read)."""
    pairs = []
    for item in (mapping or "").split(","):
        if item.strip():
            key, sep, value = item.partition("=")
            if not sep:
                raise typer.BadParameter(f"{item!r} is not key=column", param_hint="--map")
            pairs.append((key.strip(), value.strip()))
    kinds = frozenset(x.strip() for x in (include or "").split(",") if x.strip())
    return ReadOptions(format=format, strict=strict, mapping=tuple(pairs), include=kinds, max_bytes=max_bytes,
                       timezone=timezone)


C = TypeVar("C", bound=Callable[..., Any])


def _adds(options: tuple[tuple[str, Any, Any], ...], build: Callable[..., Any], into: str) -> Callable[[C], C]:
    """A decorator giving a command the parameters ``options`` ((name, type, default) each): its body
    receives them as one argument ``into``, built by ``build(**values)``."""

    def decorate(command: C) -> C:
        signature = inspect.signature(command, eval_str=True)
        own = [p for name, p in signature.parameters.items() if name != into]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
                 for name, hint, default in options]

        @functools.wraps(command)
        def with_options(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name, default) for name, _, default in options}
            return command(*args, **{into: build(**given)}, **kwargs)

        with_options.__signature__ = signature.replace(parameters=own + added)  # type: ignore[attr-defined]
        with_options.__annotations__ = {p.name: p.annotation for p in own + added}
        return with_options  # type: ignore[return-value]

    return decorate


#: gives a command the read options; its body receives them as ``options: ReadOptions``
reads = _adds(READ_OPTIONS, read_options, "options")


LexiconOpt = Annotated[Optional[Path], typer.Option(
    "--lexicon", help="Topic/actor lexicon (TOML) that extends or replaces the default, as its `mode` says.")]
TaggerOpt = Annotated[Optional[Path], typer.Option(
    "--tagger", help="Model file from discourse train: comment topic tags and sentiment labels from the model.")]
WorkersOpt = Annotated[Optional[int], typer.Option(
    "--workers", "-w", metavar="N",
    help="Processes for reading and scoring (default: one per core, at most 8, once the corpus holds about "
         "4 MB of text, some 8,000 comments; one below that). The results are identical for any N.")]
PseudonymizeOpt = Annotated[bool, typer.Option(
    "--pseudonymize",
    help="Replace author names by stable keyed pseudonyms (speaker- and 10 hex digits) in every table and output "
         "(needs a key). Names written inside comment text are not replaced.")]
PseudonymKeyOpt = Annotated[Optional[str], typer.Option(
    "--pseudonym-key", metavar="KEY",
    help="Secret key for --pseudonymize (default: $DISCOURSE_PSEUDONYM_KEY); the same key gives the same "
         "pseudonyms, and the key is never recorded. There is no built-in key: pseudonyms made with a key anyone "
         "knows could be recomputed from a list of names.")]


SentimentRuleOpt = Annotated[Optional[str], typer.Option(
    "--sentiment-rule", metavar="conflict|topics",
    help="A rule on top of VADER's compound: conflict (negated negative words count 0, conflict words VADER "
         "lacks count negative) or topics (conflict, and topic words VADER scores positive, such as peace and "
         "united, count 0); docs/sentiment.md. Default: none, VADER's scores exactly.")]


@dataclass(frozen=True)
class ScoringOptions:
    """What the commands that score (export, report) pass on to :func:`discourse.analyze`."""

    lexicon: Path | None
    workers: int | None
    pseudonym_key: str | None
    pseudonymize: bool
    sentiment_rule: str | None = None

    @property
    def prep(self) -> Any:
        """The :class:`~discourse.sentiment.Preparation` the scores are made with."""
        from discourse.sentiment import Preparation

        return Preparation(rule=self.sentiment_rule)


def scoring_options(lexicon: Path | None = None, workers: int | None = None, pseudonymize: bool = False,
                    pseudonym_key: str | None = None, sentiment_rule: str | None = None) -> ScoringOptions:
    """The scoring options, the pseudonym key and the sentiment rule checked (the key taken from the environment)
    before anything is read."""
    from discourse.sentiment.prepare import check_rule

    check_rule(sentiment_rule)
    return ScoringOptions(lexicon, workers, _pseudonym_key(pseudonymize, pseudonym_key), pseudonymize, sentiment_rule)


SCORING_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("lexicon", LexiconOpt, None), ("workers", WorkersOpt, None), ("pseudonymize", PseudonymizeOpt, False),
    ("pseudonym_key", PseudonymKeyOpt, None), ("sentiment_rule", SentimentRuleOpt, None),
)
#: gives a command the scoring options; its body receives them as ``scoring: ScoringOptions``
scores = _adds(SCORING_OPTIONS, scoring_options, "scoring")


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


def reads_corpus(command: C) -> C:
    """A command that reads a corpus: the read options added (:data:`reads`), library errors turned into one
    line (:func:`handles_errors`)."""
    return handles_errors(reads(command))


def _paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [Path("threads")]


class _Progress:
    """Progress bars on stderr when it is a terminal; nothing otherwise or with --quiet. One bar per stage
    (parsing, scoring, drawing): a stage ends when its count reaches its total."""

    STAGES = ("parsing", "scoring", "drawing")

    def __init__(self, quiet: bool, first: str = "parsing") -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.stage = self.STAGES.index(first)
        self.bar: Any = None  # a click progress bar, opened on the first call of a stage

    def __call__(self, done: int, total: int, item: str) -> None:
        if item == "scoring":
            self.stage = max(self.stage, 1)
        if not self.enabled or total <= 1:
            return
        if self.bar is None:
            self.bar = typer.progressbar(length=total, label=self.STAGES[self.stage], file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.stage = min(self.stage + 1, len(self.STAGES) - 1)


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
@reads_corpus
def parse(
    paths: PathsArg = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object {articles, comments, paragraphs, files, diagnostics} with the columns "
                       "of docs/schema.md; files[].report says what each reader kept, dropped and repaired.")] = False,
    lines: Annotated[bool, typer.Option(
        "--lines", help="Print the role given to every non-blank line (title, kicker, caption, body, related, "
                        "policy, furniture, comment_header, comment_body, comment_suspected or unrecognised), with the "
                        "paragraph or "
                        "comment it went to.")] = False,
    quiet: QuietOpt = False,
    *, options: ReadOptions,
) -> None:
    """Read thread files and folders and print a summary: files read and skipped, articles, comments (top
    level and replies), the deepest reply level, and every diagnostic (errors for skipped files, warnings for
    repairs and unrecognised lines, with file and line). A file that could not be read is reported, the rest
    of the corpus is read and printed, and the exit code is 1 (with --json and --lines too); --strict stops at
    that file instead.

    Example: discourse parse threads/002_f95fa880e584f71f.txt --lines

    Example: discourse parse --json > corpus.json
    """
    from discourse.readers import read

    corpus = read(_paths(paths), options=replace(options, roles=lines), progress=_Progress(quiet or as_json))
    if as_json:
        out = {name: _jsonable(getattr(corpus, name)) for name in ("articles", "comments", "paragraphs", "files",
                                                                    "diagnostics")}
        for f in out["files"]:
            f["report"] = json.loads(f["report"])
        if lines:
            out["line_roles"] = _jsonable(corpus.line_roles)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        _exit_if_skipped(corpus)
        return
    if lines:
        roles = corpus.line_roles if corpus.line_roles is not None else schema.frame(schema.LINE_ROLES)
        for path, group in roles.group_by("source_path", maintain_order=True):
            typer.echo(f"== {path[0]}")
            for r in group.iter_rows(named=True):
                typer.echo(f"{r['line']:>6}  {r['role']:<17} {r['ref'] or '':<12} {r['text']}")
        _echo_diagnostics(corpus.diagnostics, quiet)
        _exit_if_skipped(corpus)
        return
    from discourse.summary import corpus_summary

    typer.echo(corpus_summary(corpus))
    _echo_diagnostics(corpus.diagnostics, quiet)
    _exit_if_skipped(corpus)


def _exit_if_skipped(corpus) -> None:
    """Exit code 1 when a file could not be read (it is reported above, and the rest was read)."""
    import polars as pl

    if corpus.files.filter(pl.col("status") == "skipped").height:
        raise typer.Exit(1)


@app.command()
@reads_corpus
def tree(
    article: Annotated[str, typer.Argument(help="Article id (002), file name, stem or path.")],
    paths: InOpt = None,
    width: Annotated[int, typer.Option(help="Characters of text shown per comment.")] = 60,
    *, options: ReadOptions,
) -> None:
    """Print the reply tree of one article with each comment's id, author and first words.

    Replies more than 50 levels deep are indented as level 50 and marked "… +N" (N levels deeper), so no
    line grows with the depth of a thread.

    Example: discourse tree 002

    Example: discourse tree my-pages/page.txt
    """
    from discourse.readers import read
    from discourse.summary import render_tree

    source = [Path(article)] if Path(article).is_file() and not paths else _paths(paths)
    corpus = read(source, options=options)
    typer.echo(render_tree(corpus, corpus.article_id(article), width=width))


@app.command()
@reads_corpus
@scores
def export(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("export"),
    to: Annotated[str, typer.Option(
        "--to", "-t", metavar="parquet|csv|ndjson|convokit|graphml",
        help="What to write: every table as Parquet, CSV or NDJSON (with schema.json), a ConvoKit corpus folder "
             "(scores in each utterance's meta), or the reply network as replies.graphml (Gephi, networkx).")
    ] = "parquet",
    cluster: Annotated[Optional[str], typer.Option(
        "--cluster", metavar="ADDRESS|local",
        help="Read, link, score and write on a Dask cluster, one task per input file: `local` starts one on this "
             "machine, an address (tcp://host:8786) uses a running one. Writes every table as a folder of Parquet "
             "partitions (comments/part-00000.parquet, ...), row for row the tables of an export on one machine; "
             "the inputs and --out must be on storage every worker sees. Needs pip install 'discourse[dask]' "
             "(docs/cluster.md).")] = None,
    cluster_workers: Annotated[Optional[int], typer.Option(
        "--cluster-workers", help="Worker processes of --cluster local (default: one per core).")] = None,
    quiet: QuietOpt = False,
    tagger: TaggerOpt = None,
    *, options: ReadOptions, scoring: ScoringOptions,
) -> None:
    """Score the corpus and write every table (articles, paragraphs, comments, sentences, tags, mentions,
    actor_sentiment, edges, threads, speakers, diagnostics, files), an empty one too, with fixed column
    orders, plus schema.json describing each column (docs/schema.md is the same reference) and export.json and
    lexicon.toml (the settings and the lexicon the tables were scored with, which report --from reads); or a
    ConvoKit corpus; or the reply network as GraphML.

    A Reddit submission whose comments are in several dump files (monthly RC_YYYY-MM.zst dumps) is one
    article, its comments linked as one tree across the files (docs/cluster.md).

    schema.json gives every column its Table Schema type, and CSV and NDJSON exports also get a Frictionless
    datapackage.json, so pandas, DuckDB, R and frictionless keep ids such as 000 as strings and dates as
    dates; discourse.read_export(folder) reads any export back with exactly the types of docs/schema.md
    (docs/formats.md, "Table exports"). CSV cells beginning with =, +, -, @ (or fullwidth ＝＋－＠), tab or
    carriage return, after any blanks (spaces, no-break and zero-width spaces, a byte order mark), get a
    leading ' so a spreadsheet shows them instead of running them; list columns are joined with "; ".
    Parquet and NDJSON keep types exactly; Parquet files carry column statistics.
    Sentences, topic evidence and mentions go from the scoring processes to disk batch by batch (in the work
    folder beside --out), so memory holds only the per-comment tables (docs/performance.md). The tables are
    written beside --out and put in its place in one step: the folder holds the previous export or the new
    one, never a mix; files in it that an export does not write are kept.

    Example: discourse export --to csv --out export/

    Example: discourse export my-threads/ --lexicon my.toml --pseudonymize --pseudonym-key "$KEY" --out shared/

    Example: discourse export pushshift/ --out export/ --cluster local --cluster-workers 2
    """
    from discourse.writers import export as write

    if cluster is not None or cluster_workers is not None:
        _export_on_cluster(paths, out, to, scoring, options, cluster, cluster_workers, quiet)
        return

    written = write(_paths(paths), out, to, scoring.lexicon, prep=scoring.prep, workers=scoring.workers,
                    pseudonym_key=scoring.pseudonym_key, options=options,
                    progress=_Progress(quiet), on_read=lambda corpus: _echo_diagnostics(corpus.diagnostics, quiet),
                    tagger=tagger)
    if not quiet:
        typer.echo(f"wrote {len(written)} files to {out}", err=True)


def _export_on_cluster(paths, out: Path, to: str, scoring: ScoringOptions, options: ReadOptions,
                       cluster: str | None, cluster_workers: int | None, quiet: bool) -> None:
    from discourse.cluster import connect, export_on_cluster

    if cluster is None:
        raise ConfigError("--cluster-workers needs --cluster local", hint="add --cluster local")
    if to != "parquet":
        raise ConfigError(f"--cluster writes Parquet, not {to}", hint="export other formats on one machine")
    if scoring.workers is not None:
        raise ConfigError("--workers is for one machine", hint="with --cluster local, use --cluster-workers N")
    if cluster_workers is not None and cluster_workers < 1:
        raise ConfigError(f"--cluster-workers must be at least 1, got {cluster_workers}", hint="use 1 or more")

    def say(message: str) -> None:
        if not quiet:
            typer.echo(f"cluster: {message}", err=True)

    with connect(cluster, cluster_workers) as client:
        run = export_on_cluster(_paths(paths), out, client=client, lexicon=scoring.lexicon, options=options,
                                pseudonym_key=scoring.pseudonym_key, report=say)
    if not quiet:
        import polars as pl

        from discourse.writers.exported import scan_table

        took = ", ".join(f"{step} {s:.1f} s" for step, s in run.seconds.items())
        typer.echo(f"wrote {len(run.written)} files to {out}: {run.files} input files, {run.comments:,} comments, "
                   f"{run.joined_threads} threads joined across files, on {run.workers} workers ({took})", err=True)
        _echo_diagnostics(scan_table(out, "diagnostics").filter(pl.col("level") != "note").collect(), quiet)


@app.command()
@reads_corpus
def explain(
    unit: Annotated[str, typer.Argument(help="Comment (002/7.1), paragraph (000/p4) or sentence (002/7.1#2) id.")],
    lexicon: LexiconOpt = None,
    paths: InOpt = None,
    tagger: TaggerOpt = None,
    *, options: ReadOptions,
) -> None:
    """Show why a comment, paragraph or sentence got its scores and tags: the sentence-mean score and label,
    VADER's whole-text scores, the own-voice and quoted means, the prepared text when preparation changed it,
    then each sentence's words with their valence and the rules (boosters, negation, "but", capitals,
    idioms, punctuation emphasis) that changed them, and every topic and actor hit, negated hits marked.
    With --tagger (a comment id): the model's topic tags and sentiment label and the features that weighed
    most in each.

    Example: discourse explain 002/4

    Example: discourse explain 002/7.1#23
    """
    from discourse.readers import read
    from discourse.scoring.explain import explain_in
    from discourse.summary import render_explanation

    corpus = read(_paths(paths), options=options)
    typer.echo(render_explanation(explain_in(corpus, unit, lexicon)))
    if tagger is not None:   # with --tagger: the model's decisions for a comment and the features behind them
        from discourse.scoring.tagger import explain_unit

        typer.echo("\n".join(explain_unit(corpus, unit, tagger, lexicon)))


lexicon_app = typer.Typer(help="Inspect and convert topic lexicons.\n\nExample: discourse lexicon check",
                          no_args_is_help=True)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("check")
@reads_corpus
def lexicon_check(
    paths: PathsArg = None,
    lexicon: LexiconOpt = None,
    show: Annotated[int, typer.Option(help="Unmatched entries to list.")] = 40,
    *, options: ReadOptions,
) -> None:
    """Check a lexicon (the packaged one unless --lexicon) against the corpus comments: the share of
    comments with no topic, the entries that never match, and entries listed under more than one topic or
    actor.

    Example: discourse lexicon check --lexicon my.toml
    """
    from discourse.readers import read
    from discourse.scoring.lexicon import load_lexicon
    from discourse.scoring.lexicon_check import check_corpus
    from discourse.summary import render_lexicon_check

    lex = load_lexicon(lexicon)
    typer.echo(render_lexicon_check(lex, check_corpus(read(_paths(paths), options=options), lex), show=show))


@lexicon_app.command("suggest")
@reads_corpus
def lexicon_suggest(
    topic: Annotated[str, typer.Argument(help="The topic to propose entries for (betrayal).")],
    labels: Annotated[list[Path], typer.Option(
        "--labels", help="Labels file(s), the CSV of discourse validate: comment_id, annotator, sentiment, one "
                         "0/1 column per topic.")],
    paths: PathsArg = None,
    lexicon: LexiconOpt = None,
    top: Annotated[int, typer.Option(help="Terms per list.")] = 15,
    min_comments: Annotated[int, typer.Option(help="A term must be in at least this many comments.")] = 2,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Also write both lists as CSV.")] = None,
    *, options: ReadOptions,
) -> None:
    """Propose lexicon entries for a topic from evidence, for the researcher to accept into her TOML: the
    words and phrases (1- to 3-grams) that set apart the labelled positives the lexicon missed from the
    labelled negatives, then the keyness of the comments tagged with the topic against the untagged ones (no
    labels needed). Both rank by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
    Quinn 2008), z-scored, with the counts in each group and example comments; terms the topic already
    matches, actor names and terms that start or end with a function word are left out. With several
    annotators a comment is positive when at least half of those who labelled the topic say so. The output
    ends with a TOML snippet of the missed-positive terms; --out writes both lists (lexicon_suggestions in
    docs/schema.md).

    Example: discourse lexicon suggest betrayal --labels labels.csv threads --top 20
    """
    from discourse.readers import read
    from discourse.scoring.lexicon_suggest import positives, render_suggestions, suggest_entries
    from discourse.scoring.pipeline import analyze
    from discourse.validation.labels import read_labels

    analysis = analyze(read(_paths(paths), options=options), lexicon)
    comments = analysis.comments
    labelled = read_labels(labels, comments, [t.name for t in analysis.lexicon.topics])
    result = suggest_entries(comments, analysis.lexicon, topic, positives(labelled.topics, topic),
                             top=top, min_units=min_comments)
    if out is not None:
        import polars as pl

        from discourse.outputs import replacing_file
        from discourse.writers.tables import neutralise_formulas

        with replacing_file(out) as part:  # a spreadsheet opens it: formulas in the examples are neutralised
            neutralise_formulas(result.table.with_columns(pl.col("examples").list.join(" "))).write_csv(part)
    typer.echo(render_suggestions(result, top))


@lexicon_app.command("import")
@handles_errors
def lexicon_import(
    source: Annotated[Path, typer.Argument(help="LIWC .dic or quanteda YAML dictionary.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="TOML file to write.")],
    format: Annotated[Optional[str], typer.Option("--format", help="liwc or yaml (default: from the file name).")] = None,
    negation: Annotated[bool, typer.Option(
        "--negation", help="Let a negator before a hit ('not fair') keep it from tagging the unit. "
                           "Off by default: every hit counts, as in LIWC and quanteda.")] = False,
) -> None:
    """Convert a LIWC-style .dic (the Moral Foundations Dictionary 1.0 included) or quanteda-style YAML
    dictionary into a discourse TOML lexicon, wildcards (betray*, colo*r, fair-*) and multi-word entries
    preserved. Every hit counts, as in LIWC and quanteda, unless --negation is given. The lexicon has topics
    and no actors: discourse report --lexicon OUT.toml reports on it without the actor figure and tables.

    Example: discourse lexicon import moral.dic --out moral.toml
    """
    from discourse.scoring.lexicon_import import import_lexicon, write_lexicon_toml

    lex = import_lexicon(source, format, negation=negation)
    if "(read as " in lex.description:
        typer.echo(f"note: {source}: {lex.description}", err=True)
    write_lexicon_toml(lex, out)
    typer.echo(f"wrote {out}: {len(lex.topics)} topics, {sum(len(t.entries) for t in lex.topics)} entries", err=True)


@app.command()
@handles_errors
def validate(
    paths: PathsArg = None,
    labels: Annotated[Optional[list[Path]], typer.Option(
        "--labels", help="Labels file (CSV, docs/validation.md); repeat for several annotators or parts.")] = None,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the tables (with --labels).")] = Path("validation"),
    lexicon: LexiconOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap intervals (with --labels).")] = 0,
    data: Annotated[Optional[Path], typer.Option(
        "--data", help="Folder with the VADER ground-truth corpora (without --labels; default: the copies shipped "
                       "with discourse).", show_default=False)] = None,
) -> None:
    """With --labels: compare the topic tags and sentiment labels with hand labels of the corpus's comments
    (precision, recall and F1 per topic with 95% intervals, sentiment confusion matrices beside the majority
    class, agreement between annotators, the precision of every lexicon entry, missed comments, and shares
    corrected for the measured errors), write them as CSV and LaTeX into --out and print a summary.
    Without --labels: score the four human-rated corpora of the VADER paper and print Pearson r and 3-class F1
    for whole-text and sentence-mean scoring, for snippets and for whole documents.

    Example: discourse validate --labels labels-ann.csv --labels labels-bob.csv threads --out validation
    """
    if labels:
        from discourse.validation import validate_corpus

        typer.echo(validate_corpus(_paths(paths), labels, out, lexicon=lexicon, seed=seed).summary())
        typer.echo(f"wrote the tables to {out}", err=True)
        return
    if paths:
        raise ConfigError("paths are only read with --labels", hint="add --labels FILE, or leave the paths out")
    from discourse.sentiment.validate import ground_truth_dir
    from discourse.sentiment.validate import validate as run

    table = run(data if data is not None else ground_truth_dir())
    typer.echo(f"{'corpus':<8} {'level':<9} {'method':<14} {'n':>6} {'r':>7} {'F1':>7}")
    for r in table.iter_rows(named=True):
        typer.echo(f"{r['corpus']:<8} {r['level']:<9} {r['method']:<14} {r['n']:>6} {r['r']:>7.3f} {r['f1']:>7.3f}")


@app.command()
@handles_errors
def train(
    paths: PathsArg = None,
    labels: Annotated[Optional[list[Path]], typer.Option(
        "--labels", help="Labels file (CSV, docs/validation.md); repeat for several annotators or parts.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Model file to write (JSON).")] = Path("tagger.json"),
    lexicon: LexiconOpt = None,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds (groups of articles).")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split into folds.")] = 0,
    c: Annotated[float, typer.Option("--C", help="Inverse regularisation strength of the regressions.")] = 1.0,
) -> None:
    """Fit a supervised tagger on hand labels: one regularised logistic regression per topic and one for the
    sentiment label, on word and two-word phrase presence, the lexicon's topic tags and VADER's scores.
    Prints cross-validated precision, recall and F1 per topic and sentiment accuracy and macro-F1 beside the
    lexicon's and VADER's on the same comments, and writes the model as JSON for export --tagger.
    Needs scikit-learn (pip install 'discourse[train]'); applying the model needs only numpy.

    Example: discourse train threads --labels labels.csv --out tagger.json
    """
    from discourse.validation.train import render, train_corpus

    if not labels:
        raise ConfigError("discourse train needs --labels", hint="pass a labels file: --labels labels.csv")
    model, table = train_corpus(_paths(paths), labels, out, lexicon=lexicon, folds=folds, seed=seed, c=c)
    typer.echo(render(table, f"cross-validated over {folds} groups of articles (seed {seed}); "
                             f"{model.settings['trained_on']} labelled comments"))
    typer.echo(f"wrote {out} ({len(model.vocabulary)} words and phrases, {len(model.topics)} topics)", err=True)


@app.command()
@handles_errors
def annotate(
    paths: PathsArg = None,
    size: Annotated[int, typer.Option("--size", "-n", help="Comments to draw.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draw: the same seed, the same sample.")] = 0,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the kit.")] = Path("kit"),
    show_predictions: Annotated[bool, typer.Option(
        "--show-predictions", help="Show discourse's tags and sentiment label beside each comment (hidden by "
                                   "default, so that labels are blind).")] = False,
    annotators: Annotated[int, typer.Option(
        "--annotators", help="Annotators who will label the same sample: also writes sample-1.csv ... one "
                             "spreadsheet each.")] = 1,
    lexicon: LexiconOpt = None,
) -> None:
    """Draw a seeded sample of comments, stratified by article, predicted topic and sentiment label, and write
    a labelling kit into --out: kit.html (an offline page: labels kept in the browser, exported as CSV),
    sample.csv for spreadsheet work, and weights.csv (each comment's inclusion probability).

    Example: discourse annotate threads --size 200 --seed 1 --out kit
    """
    from discourse.validation import annotate as make_kit

    kit = make_kit(_paths(paths), out, size=size, seed=seed, lexicon=lexicon, show_predictions=show_predictions,
                   annotators=annotators)
    typer.echo(f"{out / 'kit.html'}: {kit.sample.height} comments")


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
    end_to_end_only: Annotated[bool, typer.Option(
        "--end-to-end-only", help="Time only discourse export and report (and the machine's two-process ceiling).")] = False,
) -> None:
    """Generate synthetic comment archives of each size and print, as Markdown tables: parsing, scoring and
    topic-matching throughput, the VADER engine against vaderSentiment 3.3.2, two workers against one,
    end-to-end export and report times, peak memory, and scoring time by comment length.

    Example: discourse bench --sizes 1k,100k,1M
    """
    from discourse.bench.harness import parse_size, run_benchmarks

    counts = [parse_size(x) for x in sizes.split(",") if x.strip()]
    result = run_benchmarks(counts, out, seed=seed, sample=sample, report=report, parse_runs=parse_runs,
                            end_to_end_only=end_to_end_only, progress=lambda message: typer.echo(f"bench: {message}", err=True))
    typer.echo(result.machine_line())
    typer.echo("")
    typer.echo(result.markdown())


def _report_command(paths: list[Path] | None, out: Path, style: str, width: str, scoring: ScoringOptions,
                    options: ReadOptions, labels: list[Path] | None = None,
                    tagger: Path | None = None) -> list[str]:
    """The command as recorded in provenance.json: canonical, every option spelled out but ``--workers`` when
    it was not given (the report does not depend on it; the settings record the number used) and read
    options left at their defaults, the key left out."""
    cmd = ["discourse", "report", *[str(p) for p in _paths(paths)], "--out", str(out), "--style", style,
           "--width", width]
    if scoring.workers is not None:
        cmd += ["--workers", str(scoring.workers)]
    if scoring.lexicon is not None:
        cmd += ["--lexicon", str(scoring.lexicon)]
    if tagger is not None:
        cmd += ["--tagger", str(tagger)]
    if scoring.pseudonymize:
        cmd += ["--pseudonymize", "--pseudonym-key", "<redacted>"]
    if options.format:
        cmd += ["--format", options.format]
    if options.strict:
        cmd.append("--strict")
    if options.mapping:
        cmd += ["--map", ",".join(f"{key}={column}" for key, column in options.mapping)]
    if options.include:
        cmd += ["--include", ",".join(sorted(options.include))]
    if options.max_bytes != DEFAULT_MAX_BYTES:
        cmd += ["--max-bytes", str(options.max_bytes)]
    if options.timezone:
        cmd += ["--timezone", options.timezone]
    for path in labels or ():
        cmd += ["--labels", str(path)]
    if scoring.sentiment_rule:
        cmd += ["--sentiment-rule", scoring.sentiment_rule]
    return cmd


@app.command()
@reads_corpus
@scores
def report(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder to write the report into; a previous report there is replaced as a whole, "
                            "and a folder holding anything else is refused.")] = Path("reports"),
    style: Annotated[str, typer.Option(
        "--style", help="Figure style: paper (7 pt fonts), slides (9 pt) or web (8 pt, light grid).")] = "paper",
    width: Annotated[str, typer.Option(
        "--width", help="Figure width: single (3.5 in, one journal column) or double (7.16 in).")] = "single",
    labels: Annotated[Optional[list[Path]], typer.Option(
        "--labels", help="Hand labels of the corpus's comments (a labels CSV, docs/validation.md; repeat for several "
                         "files): adds a section with the measured quality of the topic tags and sentiment labels "
                         "and the per-article shares corrected for it, every caption stating the measured "
                         "quality.")] = None,
    source: Annotated[Optional[Path], typer.Option(
        "--from", metavar="EXPORT",
        help="Draw the report from an export (discourse export, on one machine or --cluster) instead of reading "
             "and scoring: the same report as from the input, provenance aside. Sentences, topic evidence and "
             "mentions are read lazily from its Parquet files, and the texts only for the thread browser. Reading "
             "and scoring options are refused with it (docs/cluster.md).")] = None,
    quiet: QuietOpt = False,
    tagger: TaggerOpt = None,
    *, options: ReadOptions, scoring: ScoringOptions,
) -> None:
    """Score the corpus and write the report into a folder: index.html (one self-contained page: overview,
    figures with captions, topic and actor tables, a thread browser, speakers, provenance), figures/ (every
    figure as PDF, SVG and 300 dpi PNG), tables/ (CSV, and LaTeX for the article, topic and actor tables),
    report.md and provenance.json (docs/report.md describes every output). The folder is replaced only once
    the new report is complete; hidden files in it (.gitkeep) are kept. The path of index.html is printed on
    stdout.

    Example: discourse report threads --out reports --style paper --width double

    Example: DISCOURSE_PSEUDONYM_KEY=secret discourse report --pseudonymize --out shareable

    Example: discourse report threads --labels labels-ann.csv --labels labels-bob.csv

    Example: discourse report --from export/ --out reports/
    """
    from discourse.report import report as write_report
    from discourse.validation import labels_check

    if source is not None:
        _report_from(source, paths, out, style, width, scoring, options, quiet)
        return

    folder = write_report(_paths(paths), out, style=style, width=width, lexicon=scoring.lexicon, prep=scoring.prep,
                          workers=scoring.workers, pseudonym_key=scoring.pseudonym_key, options=options,
                          progress=_Progress(quiet),
                          command=_report_command(paths, out, style, width, scoring, options, labels, tagger),
                          on_read=lambda corpus: _echo_diagnostics(corpus.diagnostics, quiet),
                          validate=labels_check(labels) if labels else None, tagger=tagger)
    typer.echo(str(folder / "index.html"))


def _report_from(source: Path, paths, out: Path, style: str, width: str, scoring: ScoringOptions,
                 options: ReadOptions, quiet: bool) -> None:
    from discourse.report import build_report
    from discourse.report.build import check_target
    from discourse.report.style import Style
    from discourse.report.texts import in_export

    given = [name for name, value in (
        ("paths", paths), ("--lexicon", scoring.lexicon), ("--workers", scoring.workers),
        ("--pseudonymize", scoring.pseudonymize), ("read options", options != ReadOptions())) if value]
    if given:
        raise ConfigError(f"--from reports on an export as it was scored; {', '.join(given)} cannot change it",
                          hint="drop them, or export again with them")
    Style(style, width)  # a wrong name fails before the export is read
    check_target(out)
    command = ["discourse", "report", "--from", str(source), "--out", str(out), "--style", style, "--width", width]
    # the comments' and paragraphs' texts stay in the export's files; the thread browser reads those it shows
    analysis, texts = in_export(source)
    folder = build_report(analysis, out, style=style, width=width, command=command,
                          progress=_Progress(quiet, "drawing"), texts=texts)
    typer.echo(str(folder / "index.html"))


# ---- docs/cli.md ---------------------------------------------------------------------------------------------

_DOC_INTRO = """# Command line

Every command reads `./threads` when given no paths, prints errors as one line
`Error: <file>:<line>: <what happened> (<what to do>)` on stderr and exits with code 1 on error.
`python -m discourse` is the same as `discourse`. The commands that read a corpus (parse, tree, export,
explain, lexicon check, report) take the same read options: `--format`, `--strict`, `--map`, `--include`,
`--max-bytes` and `--timezone`. `discourse --version` prints the version; `-h` and `--help` show the help of
any command (`discourse report -h`). Shell completion (bash, zsh, fish, PowerShell): `discourse
--install-completion` installs it for the current shell, `discourse --show-completion` prints the script.

This page is generated from the commands' help (`discourse COMMAND --help` says the same):
`python -c 'import discourse.cli as c; print(c.markdown(), end="")' > docs/cli.md`.
"""


def markdown() -> str:
    """The command reference as Markdown (``docs/cli.md`` is this text), from the commands' help."""
    group = typer.main.get_command(app)
    out = [_DOC_INTRO]
    for name, command in _leaves(group):
        ctx = typer.Context(command, info_name=f"discourse {name}")
        usage = " ".join(_usage(param) for param in command.params if param.param_type_name == "argument")
        text, examples = [], []
        for paragraph in (command.help or "").split("\n\n"):
            flat = " ".join(paragraph.split())
            if flat.startswith("Example: "):
                examples.append(flat.removeprefix("Example: "))
            elif flat:
                text.append(flat)
        out += [f"## `discourse {name}{' ' + usage if usage else ''}`", "", *_wrap_paragraphs(text)]
        rows = [_option_row(param, ctx) for param in command.params]
        if rows:
            out += ["| option | meaning |", "|---|---|", *rows, ""]
        if examples:
            out += ["```sh", *examples, "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _leaves(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found += _leaves(command, prefix + name + " ")
        else:
            found.append((prefix + name, command))
    return found


def _wrap_paragraphs(paragraphs: list[str]) -> list[str]:
    import textwrap

    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*textwrap.wrap(paragraph, 110, break_on_hyphens=False, break_long_words=False), ""]
    return lines


def _usage(argument: Any) -> str:
    name = argument.name.upper() + ("..." if argument.nargs == -1 else "")
    return name if argument.required else f"[{name}]"


def _option_row(param: Any, ctx: Any) -> str:
    """A row of the option table: the option as ``--help`` spells it and its help, default included."""
    spelled, meaning = param.get_help_record(ctx) or (param.name, "")
    meaning = " ".join(meaning.split()).replace("|", "\\|")
    return f"| `{spelled.replace('|', chr(92) + '|')}` | {meaning} |"


def main() -> None:
    app()
