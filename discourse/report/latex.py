r"""Tables as LaTeX ``tabular`` environments in booktabs style, sized for a paper.

Every table is written twice: ``NAME.tex`` fits the text width of a two-column page (``\input`` it inside a
``table*``) and ``NAME-column.tex`` fits one column (inside a ``table``). Each is a self-contained group that
sets its own font size, column spacing and notes, so it can be dropped into any float. Needs
``\usepackage{booktabs}`` and ``\usepackage{array}``.

- Intervals and percentages sit under their value in a smaller size, so a score column is as wide as its
  interval, not as wide as value and interval side by side.
- Notes are wrapped to the width of the float, not set on one line.
- Article titles and outlets are not columns: ``articles_key.tex`` maps each article id to them.
- A table longer than a float can hold shows its first rows and says where the rest is (the CSV file).
- Marks are math symbols (``$^\dagger$``, ``$\sim$``), never text-companion glyphs, which pdflatex can take from
  bitmap (Type 3) fonts that journals' PDF checks reject.
- pdflatex cannot set every script: a run of characters outside the Latin alphabets (Armenian, Cyrillic,
  Greek, CJK, emoji ...) is shown as ``[Armenian]`` and so on, and the table's notes say so; the CSV file has the
  text as written.

Every text is escaped: ``& % $ # _ { } ~ ^ \`` and ``< > |``, and line breaks become spaces, so no input can run a
LaTeX command.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from discourse.report.display import Cell, DisplayTable

_ESCAPES = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    "\u2020": r"$^\dagger$", "\u2013": "--", "\u2014": "---", "\u2212": "$-$",
}
_SPECIAL = re.compile("|".join(re.escape(k) for k in _ESCAPES))
#: punctuation beyond Latin-1 that pdflatex sets from its text fonts (with utf8 input, OT1 or T1)
_PUNCTUATION = set("\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u2020\u2013\u2014\u2212\u00a0")


def _settable(ch: str) -> bool:
    """Whether pdflatex with its default fonts can set ``ch`` (ASCII, Latin letters, common punctuation)."""
    code = ord(ch)
    if code < 0x80 or ch in _PUNCTUATION:
        return True
    if 0xA0 <= code <= 0x17F:                 # Latin-1 Supplement and Latin Extended-A
        return unicodedata.category(ch) not in {"Cc", "Cf"}
    return False


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if not name or unicodedata.category(ch) in {"So", "Sk", "Cs", "Co", "Cn"}:
        return "symbol"
    first = name.split()[0]
    return first.capitalize() if first.isalpha() else "symbol"


def settable(value: str) -> tuple[str, bool]:
    """``value`` with every run of characters pdflatex cannot set replaced by ``[Script]``; and whether any was.

    >>> settable("Վազգէն said: ok")
    ('[Armenian] said: ok', True)
    >>> settable("Café – “fine”")
    ('Café – “fine”', False)
    """
    out: list[str] = []
    replaced = False
    run: str | None = None
    for ch in value:
        if _settable(ch):
            run = None
            out.append(ch)
            continue
        # combining marks and joiners stay with the run they belong to
        script = run if run and unicodedata.category(ch) in {"Mn", "Me", "Cf"} else _script(ch)
        if script != run:
            out.append(f"[{script}]")
            run = script
        replaced = True
    # a run interrupted only by spaces is one run: "[Armenian] [Armenian]" reads as "[Armenian]"
    text = re.sub(r"(\[[A-Za-z]+\])(?:\s+\1)+", r"\1", "".join(out))
    return text, replaced


def escape(value: str) -> str:
    r"""``value`` as LaTeX text: special characters escaped, all whitespace runs one space.

    >>> escape("50% of R&D_costs ~ $5 {net} ^ \\")
    '50\\% of R\\&D\\_costs \\textasciitilde{} \\$5 \\{net\\} \\textasciicircum{} \\textbackslash{}'
    """
    flat = " ".join(value.split())
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], flat)


@dataclass(frozen=True)
class Width:
    """One target width: the columns it keeps, its font size and its row cap."""

    name: str
    suffix: str
    size: str
    colsep: str


PAGE = Width("page", "", r"\footnotesize", "4pt")
COLUMN = Width("column", "-column", r"\footnotesize", "2.5pt")
WIDTHS = (PAGE, COLUMN)
#: rows a float holds before the table is cut (two-line rows when any cell has an interval under it)
MAX_ROWS = 40
MAX_STACKED_ROWS = 24
#: articles in the key, whose titles wrap over two to four lines
MAX_KEY_ROWS = {"page": 20, "column": 14}


class _Text:
    """Escaping with the scripts that were replaced remembered, so the notes can say so."""

    def __init__(self) -> None:
        self.replaced = False

    def __call__(self, value: str) -> str:
        text, replaced = settable(value)
        self.replaced |= replaced
        return escape(text)


def _stack(top: str, bottom: str) -> str:
    return rf"\begin{{tabular}}[t]{{@{{}}r@{{}}}}{top}\\{{\scriptsize {bottom}}}\end{{tabular}}"


def _head(text: str, esc: _Text, numeric: bool) -> str:
    lines = [esc(part) for part in text.split("\n")]
    if len(lines) == 1:
        return lines[0]
    align = "r" if numeric else "l"
    return rf"\begin{{tabular}}[b]{{@{{}}{align}@{{}}}}" + r"\\".join(lines) + r"\end{tabular}"


def _cell(cell: Cell, esc: _Text) -> str:
    # in a number, "-" is a minus sign, not a hyphen
    value = cell.text.replace("-", "\u2212") if cell.number else cell.text
    if cell.detail:
        detail = cell.detail.replace("-", "\u2212") if cell.number else cell.detail
        return _stack(esc(value), esc(detail))
    return esc(value)


def _notes(notes: list[str], esc: _Text) -> list[str]:
    if not notes:
        return []
    body = " ".join(esc(n) for n in notes)
    return [r"\par\smallskip", rf"{{\scriptsize\raggedright {body}\par}}"]


#: a text column with a cell longer than this is wrapped in a paragraph column
WRAP_AT = 16


def _text_column(table: DisplayTable, i: int, width: Width) -> str:
    if max((len(row[i].text) for row in table.rows), default=0) <= WRAP_AT:
        return "l"
    share = "0.30" if width is COLUMN else "0.22"
    return rf">{{\raggedright\arraybackslash}}p{{{share}\linewidth}}"


def to_latex(table: DisplayTable, width: Width = PAGE) -> str:
    """The table as a booktabs ``tabular`` for ``width``, its caption as a comment above, its notes wrapped
    below."""
    esc = _Text()
    keep = [i for i in range(len(table.header)) if i not in table.latex_skip
            and not (width is COLUMN and i in table.column_skip)]
    numeric = [any(row[i].number for row in table.rows) if table.rows else False for i in keep]
    stacked = any(row[i].detail for row in table.rows for i in keep)
    cap = MAX_STACKED_ROWS if stacked else MAX_ROWS
    rows = table.rows[:cap]
    headers = table.latex_header or table.header
    spec = "".join("r" if n else _text_column(table, i, width) for i, n in zip(keep, numeric))
    lines = [f"% {esc(table.title)} ({width.name} width): {esc(table.caption)}",
             "% requires \\usepackage{booktabs} and \\usepackage{array}",
             "{" + width.size + rf"\setlength{{\tabcolsep}}{{{width.colsep}}}%",
             f"\\begin{{tabular}}{{@{{}}{spec}@{{}}}}", "\\toprule",
             " & ".join(_head(headers[i], esc, n) for i, n in zip(keep, numeric)) + " \\\\", "\\midrule"]
    for row in rows:
        lines.append(" & ".join(_cell(row[i], esc) for i in keep) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    notes = list(table.notes)
    if len(table.rows) > cap:
        notes.append(f"The first {cap:,} of {len(table.rows):,} rows; all of them are in tables/{table.name}.csv.")
    if esc.replaced:
        notes.append(f"Text in scripts pdflatex cannot set is shown as [Script]; tables/{table.name}.csv has it "
                     "as written.")
    lines += _notes(notes, esc)
    lines.append("}")
    return "\n".join(lines) + "\n"


def article_key(articles: list[tuple[str, str, str | None, str | None]], width: Width = PAGE) -> str:
    """``articles_key.tex``: each article id with its date, title and outlet, titles wrapped; ``articles``
    holds (id, date label, title, outlet) in report order."""
    esc = _Text()
    shown = articles[:MAX_KEY_ROWS[width.name]]
    # the column version leaves the date to the page version: a column has room for id, title and outlet
    dated = width is PAGE
    # ids can be long (`comments:A01` from a table file): in a column the id wraps in a paragraph of its own
    title, outlet = (r"0.55\linewidth", r"0.22\linewidth") if dated else (r"0.40\linewidth", r"0.24\linewidth")
    para = r">{\raggedright\arraybackslash}p"
    ident = "l" if dated else f"{para}{{0.22\\linewidth}}"
    spec = f"@{{}}{ident}" + ("l" if dated else "") + f"{para}{{{title}}}{para}{{{outlet}}}@{{}}"
    head = "Article & Date & Title & Outlet" if dated else "Article & Title & Outlet"
    lines = [f"% Article key ({width.name} width): each article id with its {'date, ' if dated else ''}title and "
             "outlet.",
             "% requires \\usepackage{booktabs} and \\usepackage{array}",
             "{" + width.size + rf"\setlength{{\tabcolsep}}{{{width.colsep}}}%",
             f"\\begin{{tabular}}{{{spec}}}", "\\toprule", head + " \\\\", "\\midrule"]
    for aid, date, name, where in shown:
        cells = [aid, date, name or "", where or ""] if dated else [aid, name or "", where or ""]
        lines.append(" & ".join(esc(c) for c in cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    notes = []
    if len(articles) > len(shown):
        notes.append(f"The first {len(shown):,} of {len(articles):,} articles; all of them are in "
                     "tables/articles.csv.")
    if esc.replaced:
        notes.append("Text in scripts pdflatex cannot set is shown as [Script]; tables/articles.csv has it as "
                     "written.")
    lines += _notes(notes, _Text())
    lines.append("}")
    return "\n".join(lines) + "\n"
