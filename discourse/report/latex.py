r"""Tables as LaTeX ``tabular`` environments in booktabs style (``\toprule``, ``\midrule``, ``\bottomrule``),
for ``\input{tables/articles.tex}`` inside a ``table`` float of your own. Needs ``\usepackage{booktabs}``.

Every text is escaped: ``& % $ # _ { } ~ ^ \`` and ``< > |``, and line breaks become spaces, so no input
can run a LaTeX command.
"""

from __future__ import annotations

import re

from discourse.report.display import Cell, DisplayTable

_ESCAPES = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    "\u2020": r"\textsuperscript{\textdagger}", "\u2013": "--", "\u2212": "$-$",
}
_SPECIAL = re.compile("|".join(re.escape(k) for k in _ESCAPES))


def escape(value: str) -> str:
    r"""``value`` as LaTeX text: special characters escaped, all whitespace runs one space.

    >>> escape("50% of R&D_costs ~ $5 {net} ^ \\")
    '50\\% of R\\&D\\_costs \\textasciitilde{} \\$5 \\{net\\} \\textasciicircum{} \\textbackslash{}'
    """
    flat = " ".join(value.split())
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], flat)


def _cell(cell: Cell) -> str:
    # in a number, "-" is a minus sign, not a hyphen
    return escape(cell.full.replace("-", "\u2212") if cell.number else cell.full)


def to_latex(table: DisplayTable) -> str:
    """The table as a booktabs ``tabular``, with its caption and notes as comments above and below."""
    keep = [i for i in range(len(table.header)) if i not in table.latex_skip]
    numeric = [any(row[i].number for row in table.rows) if table.rows else False for i in keep]
    spec = "".join("r" if n else "l" for n in numeric)
    lines = [f"% {escape(table.title)}: {escape(table.caption)}",
             "% requires \\usepackage{booktabs}",
             f"\\begin{{tabular}}{{{spec}}}", "\\toprule",
             " & ".join(escape(table.header[i]) for i in keep) + " \\\\", "\\midrule"]
    for row in table.rows:
        lines.append(" & ".join(_cell(row[i]) for i in keep) + " \\\\")
    lines.append("\\bottomrule")
    for note in table.notes:
        lines.append(f"\\multicolumn{{{len(keep)}}}{{l}}{{\\footnotesize {escape(note)}}} \\\\")
    lines.append("\\end{tabular}")
    return "\n".join(lines) + "\n"
