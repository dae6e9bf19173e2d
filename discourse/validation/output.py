"""A validation as files (CSV and LaTeX tables, settings as JSON) and as a printed summary.

LaTeX tables are booktabs ``tabular`` environments (``\\usepackage{booktabs}``); every text is escaped, so no
comment can run a LaTeX command.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from discourse.errors import ConfigError
from discourse.writers.tables import neutralise_formulas

_ESCAPES = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
_SPECIAL = re.compile("|".join(re.escape(k) for k in _ESCAPES))

#: the tables written as LaTeX, with the columns shown (the CSV files have every column)
LATEX = {
    "validation_topics": ("topic", "n", "positives", "tagged", "precision", "precision_low", "precision_high",
                          "recall", "recall_low", "recall_high", "f1", "f1_low", "f1_high"),
    "validation_sentiment": ("method", "n", "accuracy", "accuracy_low", "accuracy_high", "macro_f1",
                             "macro_f1_low", "macro_f1_high"),
    "validation_agreement": ("measure", "statistic", "annotators", "n", "value"),
    "validation_entries": ("topic", "entry", "n", "correct", "precision", "precision_low", "precision_high"),
    "corrected_topics": ("article_id", "topic", "n", "observed", "corrected", "low", "high"),
    "corrected_sentiment": ("article_id", "label", "n", "observed", "corrected", "low", "high"),
}


def escape(value: str) -> str:
    """``value`` as LaTeX text: special characters escaped, whitespace runs one space."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], " ".join(value.split()))


def _cell(value) -> str:
    if value is None:
        return "--"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".replace("-", "$-$")
    return escape(str(value))


def to_latex(df: pl.DataFrame, columns: Sequence[str], caption: str) -> str:
    """``df``'s ``columns`` as a booktabs tabular, its caption as a comment above."""
    numeric = [df.schema[c].is_numeric() for c in columns]
    lines = [f"% {escape(caption)}", "% requires \\usepackage{booktabs}",
             f"\\begin{{tabular}}{{{''.join('r' if n else 'l' for n in numeric)}}}", "\\toprule",
             " & ".join(escape(c) for c in columns) + " \\\\", "\\midrule"]
    for row in df.select(columns).iter_rows():
        lines.append(" & ".join(_cell(v) for v in row) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def _csv(df: pl.DataFrame) -> str:
    """CSV for spreadsheets: text cells a spreadsheet would run as a formula get a leading apostrophe
    (:func:`discourse.writers.tables.neutralise_formulas`)."""
    return neutralise_formulas(df).write_csv(float_precision=6)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so no half file is left."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_validation(validation, out: str | Path) -> list[Path]:
    """Write every table as ``<name>.csv``, the main ones as ``<name>.tex``, and ``validation.json`` (the
    settings); returns the paths written, in order."""
    from discourse import schema

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError("the output path is a file", path=out, hint="give --out a folder")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in validation.tables().items():
        path = out / f"{name}.csv"
        write_atomic(path, _csv(df))
        written.append(path)
        if name in LATEX:
            path = out / f"{name}.tex"
            write_atomic(path, to_latex(df, LATEX[name], schema.VALIDATION[name].description))
            written.append(path)
    path = out / "validation.json"
    write_atomic(path, json.dumps(validation.settings, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    written.append(path)
    return written


def _num(value, digits: int = 2) -> str:
    return "  -- " if value is None else f"{value:.{digits}f}"


def _ci(low, high) -> str:
    return "[  --  ]" if low is None or high is None else f"[{low:.2f}, {high:.2f}]"


def render_summary(validation) -> str:
    """The validation as text for a terminal: topics, sentiment, agreement, and what was read."""
    s = validation.settings
    lines = [f"labels: {s['rows']} rows from {len(s['labels'])} file(s), {s['comments_labelled']} comments, "
             f"annotators: {', '.join(s['annotators'])}; "
             + ("weighted by inverse inclusion probability" if s["weighted"] else "unweighted")]
    if s["repeated_rows"] or s["empty_rows"]:
        lines.append(f"  {s['repeated_rows']} repeated row(s) counted once; {s['empty_rows']} row(s) without any label")
    if s["ties"]:
        lines.append("  annotators tied (left out): " + ", ".join(f"{k} {v}" for k, v in sorted(s["ties"].items())))
    lines += ["", "Topics (95% intervals; * = fewer than 5 positives or tags)",
              f"{'topic':<26}{'n':>5}{'pos':>5}{'tag':>5}  {'precision':<19}{'recall':<19}{'F1':<19}"]
    for r in validation.topics.iter_rows(named=True):
        lines.append(f"{r['topic'] + ('*' if r['small'] else ''):<26}{r['n']:>5}{_opt(r['positives']):>5}"
                     f"{_opt(r['tagged']):>5}  {_num(r['precision'])} {_ci(r['precision_low'], r['precision_high']):<14}"
                     f"{_num(r['recall'])} {_ci(r['recall_low'], r['recall_high']):<14}"
                     f"{_num(r['f1'])} {_ci(r['f1_low'], r['f1_high']):<14}")
    lines += ["", "Sentiment (three classes at +-0.05)", f"{'method':<16}{'n':>5}  {'accuracy':<19}{'macro-F1':<19}"]
    for r in validation.sentiment.iter_rows(named=True):
        lines.append(f"{r['method']:<16}{r['n']:>5}  {_num(r['accuracy'])} {_ci(r['accuracy_low'], r['accuracy_high']):<14}"
                     f"{_num(r['macro_f1'])} {_ci(r['macro_f1_low'], r['macro_f1_high']):<14}")
    if validation.agreement.height:
        lines += ["", "Agreement (Krippendorff's alpha, all annotators)"]
        for r in validation.agreement.filter(pl.col("statistic") == "krippendorff_alpha").iter_rows(named=True):
            lines.append(f"{r['measure']:<26}{r['n']:>5}  {_num(r['value'])}")
    return "\n".join(lines)


def _opt(value) -> str:
    return "" if value is None else str(value)


def _est(value, low, high) -> str:
    if value is None:
        return "undefined"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]" if low is not None and high is not None else f"{value:.2f}"


def quality_notes(validation) -> dict[str, str]:
    """One sentence per measure stating its quality as measured on the labels, for captions: ``topics``
    (micro averages), ``topic:<name>`` for each topic, and ``sentiment`` (``sent_label`` beside the majority
    class)."""
    s = validation.settings
    sample = "a weighted sample of " if s["weighted"] else ""
    notes = {}
    for r in validation.topics.iter_rows(named=True):
        if r["topic"] == "macro":
            continue
        micro = r["topic"] == "micro"
        n = s["comments_labelled"] if micro else r["n"]
        notes["topics" if micro else f"topic:{r['topic']}"] = (
            f"{'Topic tags' if micro else 'The ' + r['topic'] + ' tag'}, measured on {sample}{n} hand-labelled "
            f"comments: precision {_est(r['precision'], r['precision_low'], r['precision_high'])}, "
            f"recall {_est(r['recall'], r['recall_low'], r['recall_high'])}, "
            f"F1 {_est(r['f1'], r['f1_low'], r['f1_high'])} (95% intervals)"
            + ("; few labelled examples, read with care." if r["small"] else "."))
    methods = {r["method"]: r for r in validation.sentiment.iter_rows(named=True)}
    if "sentence_mean" in methods and methods["sentence_mean"]["n"]:
        m, base = methods["sentence_mean"], methods["majority_class"]
        notes["sentiment"] = (
            f"Sentiment labels, measured on {sample}{m['n']} hand-labelled comments: accuracy "
            f"{_est(m['accuracy'], m['accuracy_low'], m['accuracy_high'])}, macro-F1 "
            f"{_est(m['macro_f1'], m['macro_f1_low'], m['macro_f1_high'])}; always the most frequent label: accuracy "
            f"{_est(base['accuracy'], base['accuracy_low'], base['accuracy_high'])}.")
    return notes
