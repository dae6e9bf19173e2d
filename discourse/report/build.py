"""Build the report into a folder: figures (PDF, SVG, PNG), tables (CSV, LaTeX), ``index.html``,
``report.md`` and ``provenance.json``.

The report is written into a work folder next to the target and put in its place in one step when
complete (:mod:`discourse.outputs`): the folder holds the previous report or the new one, never a mix, even
when a run is killed; the next run clears what a killed one left, and two runs into one folder do not
overlap (the second stops with a message). A target folder holding anything other than a report (except hidden files such as ``.gitkeep``,
which are carried over) is refused rather than replaced.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from discourse.errors import ReportError
from discourse.model import Corpus
from discourse.outputs import replacing
from discourse.parallel import Progress
from discourse.report import tables as T
from discourse.report.display import display_tables, shown
from discourse.report.style import PNG_DPI, Style
from discourse.report.texts import in_spill, set_aside
from discourse.sentiment.prepare import Preparation
from discourse.writers.tables import neutralise_formulas

if TYPE_CHECKING:
    from discourse.model import Analysis
    from discourse.readers.base import ReadOptions
    from discourse.report.html import FigureOut, Skipped
    from discourse.report.texts import TextsAside
    from discourse.scoring.lexicon import Lexicon


#: what a report folder holds; anything else in a target folder stops the build
OWNED = frozenset({"index.html", "report.md", "provenance.json", "figures", "tables"})
FIGURE_FORMATS = ("pdf", "svg", "png")


def _metadata(fmt: str, title: str) -> dict[str, str | None]:
    # No dates and no software versions inside the files: the same input gives the same bytes, and the
    # versions are in provenance.json.
    if fmt == "pdf":
        return {"Title": title, "Creator": None, "Producer": None, "CreationDate": None, "ModDate": None}
    if fmt == "svg":
        return {"Title": title, "Creator": None, "Date": None, "Format": None, "Type": None}
    return {"Title": title, "Software": None}


def check_target(out: Path) -> None:
    """Refuse a target that is a file, or a folder holding anything but a report and hidden files."""
    if out.exists() and not out.is_dir():
        raise ReportError("exists and is not a folder", path=out, hint="choose another --out")
    if out.is_dir():
        foreign = sorted(n for n in os.listdir(out) if n not in OWNED and not n.startswith("."))
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise ReportError(f"the folder holds files that are not part of a report ({shown})", path=out,
                              hint="the report replaces the whole folder: choose a new or empty --out folder")


def notes_for(analysis: Analysis) -> list[str]:
    """What a reader of the report should know about this corpus before reading the figures."""
    notes = []
    a = analysis.articles
    if analysis.comments.height == 0:
        notes.append("The corpus has no comments: the comment series, thread trees and reply dynamics are left out.")
    if a.height == 1:
        notes.append("The corpus has one article: nothing can shift across articles, so the topic shift figure "
                     "is left out and the other figures show a single article.")
    n_dated = T.dated(a)
    if n_dated == 0:
        notes.append("No article has a publication date: articles are shown in corpus order, not in time.")
    elif n_dated < a.height:
        notes.append(f"{a.height - n_dated} of {a.height} articles have no date: they are shown after the dated "
                     "ones, in corpus order.")
    if analysis.settings.get("pseudonymized"):
        notes.append("Authors are pseudonymised: each name is replaced by a stable keyed pseudonym.")
    errors = analysis.diagnostics.filter(pl.col("level") == "error").height
    if errors:
        notes.append(f"{errors} input file(s) could not be read and are not in the report "
                     "(see \u201cWhat reading reported\u201d).")
    return notes


def _write_tables(tables: T.ReportTables, display: dict, folder: Path) -> dict[str, list[str]]:
    from discourse.report.latex import WIDTHS, article_key, to_latex

    folder.mkdir()
    files: dict[str, list[str]] = {}
    for name, (stem, tex) in T.ReportTables.FILES.items():
        df = getattr(tables, name)
        neutralise_formulas(df).write_csv(folder / f"{stem}.csv")
        files[name] = [f"tables/{stem}.csv"]
        if tex:
            for width in WIDTHS:
                (folder / f"{stem}{width.suffix}.tex").write_text(to_latex(display[name], width), encoding="utf-8")
                files[name].append(f"tables/{stem}{width.suffix}.tex")
    key = [(r["article_id"], T.date_label(r["published"], r["date_estimated"]), r["title"], r["outlet"])
           for r in tables.articles.iter_rows(named=True)]
    for width in WIDTHS:
        (folder / f"articles_key{width.suffix}.tex").write_text(article_key(key, width), encoding="utf-8")
        files["articles"].append(f"tables/articles_key{width.suffix}.tex")
    return files


def _draw(analysis: Analysis, tables: T.ReportTables, style: Style, folder: Path,
          step: Callable[[str], None]) -> tuple[list[FigureOut], list[Skipped]]:
    import matplotlib

    from discourse.report import figures as F
    from discourse.report.html import FigureOut, Skipped, inline_svg

    folder.mkdir()
    drawn: list[FigureOut] = []
    skipped: list[Skipped] = []
    analysis, tables, note = F.figure_view(analysis, tables)
    for spec in F.FIGURES:
        reason = spec.skip(analysis, tables)
        if reason:
            skipped.append(Skipped(spec.name, spec.title, reason))
            continue
        step(f"figure {spec.name}")
        caption = spec.caption(analysis, tables) + (note if spec.name in F.PER_ARTICLE else "")
        with matplotlib.rc_context(style.rc()):
            fig = spec.draw(analysis, tables, style)
            for fmt in FIGURE_FORMATS:
                dpi: dict[str, Any] = {"dpi": PNG_DPI} if fmt == "png" else {}  # else the style's
                fig.savefig(folder / f"{spec.name}.{fmt}", format=fmt, metadata=_metadata(fmt, spec.title), **dpi)
        number = len(drawn) + 1
        svg = inline_svg((folder / f"{spec.name}.svg").read_text(encoding="utf-8"), f"f{number}",
                         f"Figure {number}. {spec.title}")
        drawn.append(FigureOut(spec.name, number, spec.title, caption, svg,
                               tuple(f"figures/{spec.name}.{fmt}" for fmt in FIGURE_FORMATS)))
    return drawn, skipped


def _write_measured(analysis: Analysis, validation: Any, display: dict, folder: Path) -> dict[str, list[str]]:
    """The error-aware tables (``discourse report --labels``): CSV of the validation's tables, LaTeX of the
    shown ones."""
    from discourse.report.latex import WIDTHS, to_latex

    sources = {"measured_quality": validation.topics, "corrected_topics": validation.corrected_topics,
               "corrected_sentiment": validation.corrected_sentiment}
    files: dict[str, list[str]] = {}
    for name, df in sources.items():
        neutralise_formulas(df).write_csv(folder / f"{name}.csv")
        files[name] = [f"tables/{name}.csv"]
        if name == "measured_quality":
            validation.sentiment.write_csv(folder / "measured_sentiment.csv")
            files[name].append("tables/measured_sentiment.csv")
        for width in WIDTHS:
            (folder / f"{name}{width.suffix}.tex").write_text(to_latex(display[name], width), encoding="utf-8")
            files[name].append(f"tables/{name}{width.suffix}.tex")
    return files


def _write(analysis: Analysis, folder: Path, style: Style, command: list[str] | None,
           progress: Progress | None, validation: Any = None, texts: TextsAside | None = None) -> None:
    from discourse.report import figures as F
    from discourse.report.html import page
    from discourse.report.markdown import report_md
    from discourse.report.provenance import dumps, provenance

    total = 1 + len(F.FIGURES) + 1
    done = 0

    def step(item: str) -> None:
        nonlocal done
        if progress:
            progress(done, total, item)
        done += 1

    step("tables")
    tables = T.report_tables(analysis)
    display = display_tables(analysis, tables)
    table_files = _write_tables(tables, display, folder / "tables")
    if validation is not None:
        from discourse.report.measured import measured_tables

        measured = measured_tables(analysis, validation)
        table_files.update(_write_measured(analysis, validation, measured, folder / "tables"))
        display.update(measured)
    display = {name: shown(t, table_files[name][0]) for name, t in display.items()}  # the pages: the first rows
    figures, skipped = _draw(analysis, tables, style, folder / "figures", step)
    done = 1 + len(F.FIGURES)
    step("pages")
    record = provenance(analysis, style, command=command,
                        bootstrap={"method": "percentile", "level": T.LEVEL, "resamples": T.RESAMPLES,
                                   "seed": T.SEED, "rng": "numpy.random.default_rng"})
    if validation is not None:
        record["validation"] = validation.settings
    (folder / "provenance.json").write_text(dumps(record), encoding="utf-8")
    notes = notes_for(analysis)
    (folder / "index.html").write_text(page(analysis, tables, display, figures, skipped, record, notes, table_files,
                                            texts), encoding="utf-8")
    from discourse.report.html import overview

    (folder / "report.md").write_text(report_md(overview(analysis), display, figures, skipped, notes, record,
                                                table_files), encoding="utf-8")
    if progress:
        progress(total, total, "done")


def _check_articles(analysis: Analysis) -> None:
    if analysis.articles.height == 0:
        raise ReportError("no articles to report on",
                          hint="check the paths: nothing was read from them (see the diagnostics)")


def build_report(analysis: Analysis, out_dir: str | Path = "reports", *, style: str = "paper",
                 width: str = "single", command: list[str] | None = None, progress: Progress | None = None,
                 validation: Any = None, texts: TextsAside | None = None) -> Path:
    """Write the report on ``analysis`` into ``out_dir`` (replacing a previous report there) and return
    the folder. ``style`` is ``paper``, ``slides`` or ``web``; ``width`` ``single`` (3.5 in) or ``double``
    (7.16 in); ``command`` is recorded in ``provenance.json``; ``progress(done, total, item)`` is called
    as figures are drawn. ``validation`` (from ``discourse.validation.validate_labels`` on the same
    analysis) adds the measured quality of the tags and sentiment labels and the shares corrected for it.
    ``texts``: where the texts of an analysis without them are (:mod:`discourse.report.texts`), for the
    thread browser.

    >>> build_report(discourse.analyze("threads"), "reports")    # doctest: +SKIP
    PosixPath('reports')
    """
    figure_style = Style(style, width)
    out = Path(out_dir)
    if out.is_symlink():
        out = out.resolve()
    check_target(out)
    _check_articles(analysis)
    with replacing(out) as work:
        _write(analysis, work, figure_style, command, progress, validation, texts)
    return out


def report(source: Corpus | str | Path | Sequence[str | Path], out_dir: str | Path = "reports", *,
           style: str = "paper", width: str = "single", lexicon: Lexicon | str | Path | None = None,
           workers: int | None = None, pseudonym_key: str | None = None, options: ReadOptions | None = None,
           command: list[str] | None = None, progress: Progress | None = None,
           on_read: Callable[[Corpus], None] | None = None,
           validate: Callable[[Analysis], Any] | None = None, prep: Preparation = Preparation(),
           tagger: str | Path | None = None) -> Path:
    """Read (unless given a corpus), score and report: what ``discourse report`` does. Returns the folder.

    ``tagger``: a model file from ``discourse train``; the comments' topic tags and sentiment labels then come
    from it (recorded in provenance.json under ``settings.analysis.tagger``).

    ``style``, ``width`` and the folder are checked before anything is read; ``on_read(corpus)`` is called
    once the corpus is read (the CLI prints its diagnostics); ``validate(analysis)``, when given, returns the
    validation the report shows (``discourse.validation.labels_check(paths)``: ``discourse report
    --labels``). While scoring, sentences, topic evidence and mentions stay on disk in a temporary folder
    beside the report, removed at the end. The other arguments
    are those of :func:`~discourse.scoring.pipeline.analyze` and :func:`build_report`.

    >>> report("threads", "reports", style="slides")    # doctest: +SKIP
    PosixPath('reports')
    """
    from discourse.scoring.pipeline import analyze

    Style(style, width)  # a wrong name fails before the corpus is read
    model = None
    if tagger is not None:   # --tagger: read (and check) the model before the corpus (scoring/tagger.py)
        from discourse.scoring.tagger import load_tagger

        model = load_tagger(tagger)
    out = Path(out_dir)
    check_target(out)
    if isinstance(source, Corpus) and on_read:
        on_read(source)
    # the whole run holds the report's lock, and the spill folder lives in its work folder: what a killed run
    # leaves behind is cleared with it by the next run. Paths are read by analyze, which then holds the corpus
    # alone and keeps its texts on disk while it scores.
    with replacing(out) as work:
        spill = work / ".scoring"
        spill.mkdir()
        # the aggregates and figures are computed without the texts, and the thread browser reads back only
        # those it shows (discourse.report.texts): the texts stay on disk from scoring on, unless a tagger
        # model or validation labels need them, in which case they come back and are set aside again after
        needs_texts = model is not None or validate is not None
        analysis = analyze(source, lexicon, prep=prep, workers=workers, pseudonym_key=pseudonym_key,
                           progress=progress, spill=spill, options=options,
                           on_read=None if isinstance(source, Corpus) else on_read, keep_texts=needs_texts)
        if model is not None:
            from discourse.scoring.tagger import apply_tagger

            analysis = apply_tagger(analysis, model)
        _check_articles(analysis)
        validation = validate(analysis) if validate is not None else None
        if needs_texts:
            analysis, texts = set_aside(analysis, spill)
        else:
            texts = in_spill(analysis, spill)
        _write(analysis, work, Style(style, width), command, progress, validation, texts)
        del analysis
        shutil.rmtree(spill)
    return out
