"""The report's tables as they are shown: headers, formatted cells and notes, rendered the same way to
HTML, Markdown and LaTeX. Numbers are formatted here once; each renderer only escapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from discourse.report import tables as T

if TYPE_CHECKING:
    from discourse.model import Analysis
    from discourse.report.tables import ReportTables


@dataclass(frozen=True)
class Cell:
    """A formatted cell. ``number`` cells are right-aligned and their ASCII minus is typeset by each
    renderer; ``score`` is the value behind a score cell (the HTML tints it)."""

    text: str
    number: bool = False
    score: float | None = None
    #: secondary text shown after the value (an interval)
    detail: str = ""

    @property
    def full(self) -> str:
        return f"{self.text} {self.detail}" if self.detail else self.text


@dataclass(frozen=True)
class DisplayTable:
    name: str
    title: str
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    #: columns left out of the LaTeX version (long text that does not fit a journal column)
    latex_skip: frozenset[int] = field(default_factory=frozenset)


def num(value: int | None) -> Cell:
    return Cell("\u2013" if value is None else str(value), number=True)


def score(value: float | None, *, mark: str = "", low: float | None = None, high: float | None = None) -> Cell:
    """A score with two decimals and an explicit sign (``+0.12``, ``-0.30``), and its interval when given;
    an en dash when missing."""
    if value is None:
        return Cell("\u2013", number=True)
    detail = f"[{low:+.2f}, {high:+.2f}]" if low is not None and high is not None else ""
    return Cell(f"{value:+.2f}{mark}", number=True, score=value, detail=detail)


def share(k: int, n: int) -> Cell:
    if not n:
        return Cell("\u2013", number=True)
    return Cell(f"{k}/{n} ({100 * k / n:.0f}%)", number=True)


def text(value: object) -> Cell:
    return Cell("" if value is None else str(value))


def article_table(analysis: Analysis, tables: ReportTables) -> DisplayTable:
    small = T.min_group(analysis)
    rows = []
    for r in tables.articles.iter_rows(named=True):
        date = "no date" if r["published"] is None else ("~" if r["date_estimated"] else "") + r["published"].isoformat()
        row = [text(r["article_id"]), text(date), text(r["title"]), num(r["paragraphs"]), num(r["comments"])]
        for s in T.SERIES:
            mark = "\u2020" if 0 < r[f"{s}_n"] < small else ""
            row += [score(r[f"{s}_mean"], mark=mark, low=r[f"{s}_ci_low"], high=r[f"{s}_ci_high"]), num(r[f"{s}_n"])]
        rows.append(tuple(row))
    notes = [f"\u2020 fewer than {small} units: no interval.",
             "Means of VADER compound scores (\u22121 to 1). Own voice and quoted: body sentences (n sentences); "
             "comments: comment scores (n comments with text). 95% percentile bootstrap intervals, "
             f"{T.RESAMPLES:,} resamples, seed {T.SEED}; article text resamples paragraphs."]
    if analysis.articles.get_column("date_estimated").any():
        notes.append("~ estimated date.")
    return DisplayTable(
        "articles", "Articles",
        "Each article in publication order: body paragraphs, comments, and the mean sentiment of its own "
        "voice, its quotations and its comments, each with its 95% interval [low, high] and n.",
        ("Article", "Date", "Title", "Paragraphs", "Comments",
         "Own voice [95% CI]", "n", "Quoted [95% CI]", "n", "Comment score [95% CI]", "n"),
        tuple(rows), tuple(notes), latex_skip=frozenset({2}))


def topic_table(analysis: Analysis, tables: ReportTables) -> DisplayTable:
    rows = tuple((text(r["label"]), share(r["article_k"], r["article_n"]), share(r["comment_k"], r["comment_n"]),
                  num(r["articles"]), num(r["hits"]), num(r["negated_hits"]))
                 for r in tables.topics.iter_rows(named=True))
    return DisplayTable(
        "topics", "Topics",
        "Each topic of the lexicon: the body paragraphs and the comments tagged with it (k of n units), the "
        "articles where any unit is, and its lexicon hits (negated hits do not tag a unit).",
        ("Topic", "Paragraphs tagged", "Comments tagged", "Articles", "Hits", "Negated hits"), rows)


def actor_table(analysis: Analysis, tables: ReportTables) -> DisplayTable:
    small = T.min_group(analysis)
    rows = []
    for r in tables.actors.iter_rows(named=True):
        row = [text(r["label"]), num(r["mentions"])]
        for kind in T.KINDS:
            n = r[f"{kind}_n"]
            row += [score(r[f"{kind}_mean"], mark="\u2020" if 0 < n < small else ""), num(n)]
        row.append(num(r["articles"]))
        rows.append(tuple(row))
    return DisplayTable(
        "actors", "Actors",
        "Each actor of the lexicon: its mentions (alias hits) and the mean VADER compound of the sentences that "
        "mention it, in article text and in comments, with n sentences (each counted once per actor).",
        ("Actor", "Mentions", "Article text", "n", "Comments", "n", "Articles"), tuple(rows),
        (f"\u2020 fewer than {small} sentences.",))


def speaker_table(analysis: Analysis, tables: ReportTables) -> DisplayTable:
    labels = {t.name: t.label for t in analysis.lexicon.topics}
    rows = tuple((text(r["author"] if r["author"] is not None else "(no name)"), num(r["n_comments"]),
                  num(r["n_articles"]), num(r["n_replies"]), score(r["mean_score"]),
                  text(", ".join(labels.get(t, t) for t in r["topics"] or ())),
                  text(", ".join(r["replies_to"] or ())))
                 for r in tables.speakers.iter_rows(named=True))
    return DisplayTable(
        "speakers", "Speakers",
        "Each comment author: comments written, articles commented on, replies to someone, the mean score of "
        "their comments with text, the topics of their comments and whom they replied to."
        + (" Authors are pseudonymised." if analysis.settings.get("pseudonymized") else ""),
        ("Author", "Comments", "Articles", "Replies", "Mean score", "Topics", "Replies to"), rows)


#: rows of a table shown in index.html and report.md, and characters of one cell; the CSV and LaTeX files
#: hold everything
SHOWN_ROWS = 200
SHOWN_CELL = 240


def shown(table: DisplayTable, file: str | None = None, *, rows: int = SHOWN_ROWS,
          cell: int = SHOWN_CELL) -> DisplayTable:
    """``table`` as the pages show it: its first ``rows`` rows, long cells cut, and a note pointing to the
    file that has them all. A table within the limits is returned unchanged."""
    long = any(len(c.text) > cell for row in table.rows[:rows] for c in row)
    if len(table.rows) <= rows and not long:
        return table
    where = f" in {file}" if file else ""
    kept = tuple(tuple(Cell(c.text[:cell].rstrip() + " …", c.number, c.score, c.detail) if len(c.text) > cell
                       else c for c in row) for row in table.rows[:rows])
    notes = list(table.notes)
    if len(table.rows) > rows:
        notes.append(f"Showing the first {rows:,} of {len(table.rows):,} rows; all of them are{where}.")
    if long:
        notes.append(f"Cells longer than {cell} characters are cut (…); they are whole{where}.")
    return DisplayTable(table.name, table.title, table.caption, table.header, kept, tuple(notes), table.latex_skip)


def display_tables(analysis: Analysis, tables: ReportTables) -> dict[str, DisplayTable]:
    """The shown tables by name, in report order."""
    return {t.name: t for t in (article_table(analysis, tables), topic_table(analysis, tables),
                                actor_table(analysis, tables), speaker_table(analysis, tables))}
