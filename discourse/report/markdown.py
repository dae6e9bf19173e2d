"""``report.md``: the report for people who live in Markdown — the tables, every figure as a link to its
PNG with its caption, and the notes. Text from the input is escaped so that it cannot become Markdown or
HTML (a title cannot open a link or a tag).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from discourse.report.display import SHOWN_ROWS, Cell, DisplayTable

if TYPE_CHECKING:
    from discourse.report.html import FigureOut, Skipped

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape(value: str) -> str:
    r"""``value`` as literal Markdown text on one line: punctuation that Markdown or HTML would act on is
    backslash-escaped, ``&`` is written as an entity, line breaks become spaces.

    >>> escape("[click](javascript:alert(1)) <b>|</b> & co")
    '\\[click\\](javascript:alert(1)) \\<b\\>\\|\\</b\\> &amp; co'
    """
    flat = " ".join(value.split()).replace("&", "&amp;")
    return _SPECIAL.sub(r"\\\1", flat)


def _cell(c: Cell) -> str:
    return escape(c.full.replace("-", "\u2212") if c.number else c.full)


def table_md(table: DisplayTable, files: list[str] | None = None) -> str:
    align = ["---:" if table.rows and any(row[i].number for row in table.rows) else "---"
             for i in range(len(table.header))]
    lines = [f"**{escape(table.title)}.** {escape(table.caption)}"
             + (" (" + ", ".join(f"[{f.rsplit('.', 1)[-1].upper()}]({f})" for f in files) + ")" if files else ""),
             "", "| " + " | ".join(escape(h) for h in table.header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    lines += [""] + [f"_{escape(n)}_  " for n in table.notes]
    return "\n".join(lines).rstrip() + "\n"


_MEASURED = ("measured_quality", "corrected_topics", "corrected_sentiment")


def report_md(overview: str, display: dict[str, DisplayTable], figures: list[FigureOut], skipped: list[Skipped],
              notes: list[str], record: dict, table_files: dict[str, list[str]]) -> str:
    """The complete ``report.md``."""
    out = ["# discourse report", "", escape(overview) + ".", ""]
    out += [f"> {escape(n)}\n" for n in notes]
    out += ["## Corpus overview", "", table_md(display["articles"], table_files["articles"]), "## Figures", ""]
    for f in figures:
        png = next(p for p in f.files if p.endswith(".png"))
        others = ", ".join(f"[{p.rsplit('.', 1)[-1].upper()}]({p})" for p in f.files)
        out += [f"### Figure {f.number}. {escape(f.title)}", "", f"![{escape(f.title)}]({png})", "",
                f"{escape(f.caption)} ({others})", ""]
    for s in skipped:
        out += [f"> **{escape(s.title)}** is not drawn: {escape(s.reason)}.", ""]
    out += ["## Topics and actors", "", table_md(display["topics"], table_files["topics"]),
            table_md(display["actors"], table_files["actors"]),
            *(["## Measured quality and corrected shares", ""]
              + [table_md(display[n], table_files[n]) for n in _MEASURED]
              if all(n in display for n in _MEASURED) else []),
            "## Speakers", "", table_md(display["speakers"], table_files["speakers"]),
            "## Provenance", ""]
    v = record["versions"]
    out.append(", ".join(f"{escape(k)} {escape(str(val))}" for k, val in v.items()) + ".  ")
    out.append(f"Lexicon {escape(record['lexicon']['name'])}, SHA-256 `{record['lexicon']['sha256']}`.  ")
    command = " ".join(record["command"]) if record["command"] else "(built from Python)"
    out.append(f"Command: {escape(command)}.  ")
    out.append(f"Timestamp: {escape(record['timestamp'] or 'none')} ({escape(record['timestamp_source'])}).  ")
    out += ["", "| input | format | SHA-256 |", "|---|---|---|"]
    out += [f"| {escape(i['path'] or '')} | {escape(i['format'] or '')} | `{i['sha256'] or ''}` |"
            for i in record["inputs"][:SHOWN_ROWS]]
    if len(record["inputs"]) > SHOWN_ROWS:
        out += ["", f"_The first {SHOWN_ROWS:,} of {len(record['inputs']):,} inputs; all of them are in "
                "provenance.json._"]
    out += ["", "The full record is in [provenance.json](provenance.json); the thread browser is in "
            "[index.html](index.html).", ""]
    return "\n".join(out)
