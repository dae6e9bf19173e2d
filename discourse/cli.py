"""The ``discourse`` command: a thin shell over the library.

Each command parses its options, calls one library function and writes the result. Library errors
(:class:`~discourse.errors.DiscourseError`) become ``Error: <file>:<line>: <what> (<fix>)`` and exit code 1.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from discourse.errors import DiscourseError
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
    "--include", help="Also keep comments the source marks as e.g. pending,spam,trash (dropped and counted by default).")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Refuse input files larger than this many bytes.")]


def _options(format: str | None, strict: bool, mapping: str | None, include: str | None, max_bytes: int,
             roles: bool = False):
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
                       roles=roles)


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
    quiet: QuietOpt = False,
) -> None:
    """Read thread files and summarise the articles and reply trees found.

    Example: discourse parse threads/002_f95fa880e584f71f.txt --lines
    """
    from discourse.readers import read

    options = _options(format, strict, mapping, include, max_bytes, roles=lines)
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
    paths: Annotated[Optional[list[Path]], typer.Option("--in", help="Where to look (default: threads).")] = None,
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
def formats() -> None:
    """List the input formats discourse can read.

    Example: discourse formats
    """
    from discourse.readers import readers

    for r in readers().values():
        typer.echo(f"{r.name:<16} {r.description}  [{' '.join(r.extensions) or 'folder'}]")


# ---- discourse report -------------------------------------------------------------------------------------

ReportOutOpt = Annotated[Path, typer.Option(
    "--out", "-o", help="Folder to write the report into; a previous report there is replaced as a whole.")]
ReportStyleOpt = Annotated[str, typer.Option("--style", help="Figure style: paper (7 pt fonts), slides (9 pt) or web (8 pt, light grid).")]
ReportWidthOpt = Annotated[str, typer.Option("--width", help="Figure width: single (3.5 in) or double (7.16 in).")]
LexiconOpt = Annotated[Optional[Path], typer.Option(
    "--lexicon", help="TOML lexicon of topics and actors; extends or replaces the default, as the file says.")]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Worker processes for scoring.")]
PseudonymizeOpt = Annotated[bool, typer.Option(
    "--pseudonymize", help="Replace author names by stable keyed pseudonyms (needs a key).")]
PseudonymKeyOpt = Annotated[Optional[str], typer.Option(
    "--pseudonym-key", help="Key for --pseudonymize (default: $DISCOURSE_PSEUDONYM_KEY); never recorded.")]


def _report_command(paths, out, style, width, lexicon, workers, pseudonymize, fmt, strict) -> list[str]:
    """The command as recorded in provenance.json: canonical, every option spelled out, the key left out."""
    cmd = ["discourse", "report", *[str(p) for p in _paths(paths)], "--out", str(out), "--style", style,
           "--width", width, "--workers", str(workers)]
    if lexicon is not None:
        cmd += ["--lexicon", str(lexicon)]
    if pseudonymize:
        cmd += ["--pseudonymize", "--pseudonym-key", "<redacted>"]
    if fmt:
        cmd += ["--format", fmt]
    if strict:
        cmd.append("--strict")
    return cmd


@app.command()
@handles_errors
def report(
    paths: PathsArg = None,
    out: ReportOutOpt = Path("reports"),
    style: ReportStyleOpt = "paper",
    width: ReportWidthOpt = "single",
    lexicon: LexiconOpt = None,
    workers: WorkersOpt = 1,
    pseudonymize: PseudonymizeOpt = False,
    pseudonym_key: PseudonymKeyOpt = None,
    format: FormatOpt = None,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Score the corpus and write the report: index.html (figures, tables, thread browser), figures as
    PDF, SVG and PNG, tables as CSV and LaTeX, report.md and provenance.json.

    Example: discourse report threads --out reports --style paper --width double
    """
    import os

    from discourse.errors import ConfigError
    from discourse.readers import read
    from discourse.report.build import build_report, check_target
    from discourse.report.style import Style
    from discourse.scoring.pipeline import analyze

    Style(style, width)  # a wrong name fails before the corpus is read
    check_target(out)
    if pseudonym_key is not None and not pseudonymize:
        raise ConfigError("--pseudonym-key is only used with --pseudonymize", hint="add --pseudonymize")
    key = (pseudonym_key or os.environ.get("DISCOURSE_PSEUDONYM_KEY")) if pseudonymize else None
    if pseudonymize and not key:
        raise ConfigError("--pseudonymize needs a key",
                          hint="pass --pseudonym-key KEY or set DISCOURSE_PSEUDONYM_KEY; the same key gives the "
                               "same pseudonyms")
    corpus = read(_paths(paths), format=format, strict=strict, progress=_Progress("parsing", quiet))
    _echo_diagnostics(corpus.diagnostics, quiet)
    analysis = analyze(corpus, lexicon, workers=workers, pseudonym_key=key, progress=_Progress("scoring", quiet))
    folder = build_report(analysis, out, style=style, width=width,
                          command=_report_command(paths, out, style, width, lexicon, workers, pseudonymize,
                                                  format, strict),
                          progress=_Progress("drawing", quiet))
    typer.echo(str(folder / "index.html"))


def main() -> None:
    app()
