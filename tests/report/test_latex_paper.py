"""The report in a real two-column LaTeX paper: every table in both widths and every figure compile with
pdflatex, with no overfull box, no float too large and no Type 3 (bitmap) font in the PDF.

Needs pdflatex and pdffonts (TeX Live and poppler-utils). With ``DISCOURSE_REQUIRE_LATEX=1`` (set by
``.ci/run``, which installs them) a missing tool is a failure; otherwise the test is skipped and says why.
"""

from __future__ import annotations

import re


import discourse
from discourse.report import build_report
from helpers import compile_paper, problems

def test_the_bundled_report_fits_a_two_column_paper(bundled, tmp_path):
    report = build_report(bundled, tmp_path / "report")
    log, fonts = compile_paper(report)
    assert problems(log, fonts) == []
    # every table in both widths, the article key, and every figure went in
    assert log.count("tables/") >= 8 and sorted(p.stem for p in (report / "tables").glob("*.tex")) == [
        "actors", "actors-column", "articles", "articles-column", "articles_key", "articles_key-column",
        "topics", "topics-column"]
    # pdflatex logs a graphic the first time it is read; the paper places each twice (column and page width)
    figures = sorted(p.name for p in (report / "figures").glob("*.pdf"))
    assert len(figures) == 6 and sorted(set(re.findall(r"<figures/([a-z_]+\.pdf)", log))) == figures


def test_the_check_catches_a_table_too_wide(bundled, tmp_path):
    # the guard itself: a table as wide as the previous articles.tex (one line of notes) is reported
    report = build_report(bundled, tmp_path / "report")
    wide = "\\begin{tabular}{l}" + "x" * 400 + "\\\\\\end{tabular}\n"
    (report / "tables" / "wide-column.tex").write_text(wide, encoding="utf-8")
    log, fonts = compile_paper(report)
    assert any(p.startswith("Overfull \\hbox") for p in problems(log, fonts))


def test_the_check_catches_a_type3_font(bundled, tmp_path):
    # the guard itself: a figure whose text matplotlib wrote as Type 3 glyphs is reported
    import matplotlib
    from matplotlib.figure import Figure

    report = build_report(bundled, tmp_path / "report")
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        fig = Figure(figsize=(2, 1))
        fig.text(0.1, 0.5, "Type 3 text")
        fig.savefig(report / "figures" / "bitmap_text.pdf")
    log, fonts = compile_paper(report)
    assert any("Type 3" in p for p in problems(log, fonts)), fonts


def test_many_articles_and_other_scripts_still_fit(make_corpus, tmp_path, paragraphs):
    six = [f"{p} Part {j}." for j, p in enumerate(paragraphs * 2)]
    articles = [{"id": f"{i:03d}", "title": f"Մոսկվան և Արցախը: a long title about the talks, number {i}",
                 "published": f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}", "paragraphs": six,
                 "comments": [(0, "Վազգէն", "Russia betrayed us again."), (1, "Ann", "Unity is the answer.")]}
                for i in range(60)]
    report = build_report(discourse.analyze(make_corpus(articles)), tmp_path / "report")
    key = (report / "tables" / "articles_key.tex").read_text(encoding="utf-8")
    assert "[Armenian]" in key and "Մ" not in key and "tables/articles.csv has it as written" in key
    assert "The first 20 of 60 articles" in key
    articles_tex = (report / "tables" / "articles.tex").read_text(encoding="utf-8")
    # six paragraphs an article: own-voice means have intervals, set under them, so rows are two lines high
    assert "\\scriptsize [" in articles_tex and "The first 24 of 60 rows; all of them are in tables/articles.csv." in articles_tex
    log, fonts = compile_paper(report)
    assert problems(log, fonts) == []
