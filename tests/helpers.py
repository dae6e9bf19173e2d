"""Helpers shared by the tests of several modules: small lexicons and text strategies for Hypothesis."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hypothesis import strategies as st

from discourse.scoring.lexicon import Actor, Entry, Lexicon, Topic
from discourse.sentiment import engine


def write_table(folder: Path, rows: list[tuple], name: str = "comments.csv") -> Path:
    """Comments as a CSV table for the `table` reader: rows of (source id, parent source id, author, text,
    article id, article title)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "parent", "author", "text", "article", "title"])
        w.writerows(rows)
    return path


def calls(fn: Callable[..., object], *args: object, **kwargs: object) -> int:
    """How many Python and C functions ``fn(*args, **kwargs)`` calls: a measure of work that does not depend
    on the machine or its load. Growth tests compare it at two sizes (a linear step makes about k times the
    calls on k times the input, a quadratic one k squared); wall-clock speed belongs to benchmarks/.
    Work done inside one C call (a regular expression's own backtracking) is not seen."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return count


def tiny(*topics: tuple[str, list[str | Entry]], actors: tuple[tuple[str, list[str | Entry]], ...] = ()) -> Lexicon:
    """A lexicon of the given topics (name, entries) and actors (name, aliases)."""
    return Lexicon(tuple(Topic(name, tuple(entries)) for name, entries in topics),
                   tuple(Actor(name, tuple(aliases)) for name, aliases in actors))


#: words and marks the lexicon rules look at, for texts built by Hypothesis
WORDS = ["Russia", "Russia’s", "betrayal", "not", "no", "treason", "cease-fire", "cease", "fire", "give", "back",
         "SOME", "land", "US", "us", "United", "States", "Western", "Armenia", "don’t", "“", "”", '"', "'", ",",
         ".", "-", "\n", "  ", "Nagorno", "Karabakh", "concessions", "é", "ǅ", "İ", "ß"]

# Entries that start or end with punctuation, and a gap, next to the default lexicon's words.
EDGES = tiny(("edges", ["u.s.", "#armenia", "give ... land", "turks'"]), actors=(("x", ["U.S.", "ru"]),))


# Hypothesis: texts built from the pieces the rules look at.
_LEXICON_SAMPLE = sorted(engine._tables().lexicon)[::97]  # every 97th lexicon entry, emoticons included
_WORDS = st.sampled_from(_LEXICON_SAMPLE + [
    "good", "bad", "great", "love", "hate", "kind", "no", "ok", "lol", "affection", "doubt", "shit", "bomb", "ass",
    "badass", "right", "yeah", "die", "heart", "death", "stop", "hand", "happy", "sad", "bus", "beating",
])
_MODIFIERS = st.sampled_from([
    "very", "extremely", "so", "this", "really", "kinda", "sort", "kind", "of", "just", "enough", "barely", "more",
    "not", "isn't", "isnt", "never", "without", "nor", "or", "no", "don't", "don’t", "ain't", "n't", "uh-uh",
    "despite", "but", "least", "at", "the", "a", "it", "is", "to", "for", "of", "I",
])
_EXTRAS = st.sampled_from([
    ":)", ":-(", ":D", ":P", "<3", ":'(", ";)", "😀", "😁", "👍", "👍🏽", "👨‍👩‍👧", "❤️", "❤", "🇺🇸", "©", "💔",
    "!", "!!", "!!!!!", "?", "??", "???", "????", "?!", "...", ",", ".", "-", "—", "’", "“", "&amp;",
    "ΟΔΟΣ", "Σ", "İ", "ǅ", "ß", "ﬁ",
])
_CASED = st.tuples(st.one_of(_WORDS, _MODIFIERS, _EXTRAS), st.sampled_from(["", "upper", "title"]),
                   st.sampled_from(["", "", "", "!", ",", ".", "?", "'", ")", "!?"]), st.sampled_from(["", "", "(", "\""]))


def _token(parts: tuple[str, str, str, str]) -> str:
    word, case, after, before = parts
    word = word.upper() if case == "upper" else word.title() if case == "title" else word
    return before + word + after


VADER_TEXTS = st.lists(st.tuples(st.one_of(_CASED.map(_token), st.text(max_size=4)),
                            st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "", "\u00a0"])),
                  max_size=40).map(lambda pairs: "".join(tok + sep for tok, sep in pairs))


# ---- a two-column LaTeX paper of a report (tests/report) ------------------------------------------------

PREAMBLE = r"""\documentclass[10pt,twocolumn]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[letterpaper,margin=0.75in,columnsep=0.25in]{geometry}
\usepackage{booktabs,array,graphicx}
\begin{document}
"""


def tools() -> tuple[str, str]:
    found = shutil.which("pdflatex"), shutil.which("pdffonts")
    if all(found):
        return found  # type: ignore[return-value]
    message = ("pdflatex and pdffonts are needed (apt-get install texlive-latex-recommended "
               "texlive-fonts-recommended lmodern poppler-utils) for the LaTeX paper test")
    if os.environ.get("DISCOURSE_REQUIRE_LATEX") == "1":
        pytest.fail(message + " and DISCOURSE_REQUIRE_LATEX=1 requires them")
    pytest.skip(message)


def paper(report: Path) -> str:
    """A two-column paper that puts every LaTeX table of ``report`` in a float of its width and every figure
    at the column width and at the page width."""
    body = [PREAMBLE, "Tables and figures of a discourse report.\n"]
    for tex in sorted((report / "tables").glob("*.tex")):
        star = "" if tex.stem.endswith("-column") else "*"
        body.append(f"\\begin{{table{star}}}\\centering\n\\input{{tables/{tex.name}}}\n"
                    f"\\caption{{{tex.stem.replace('_', ' ')}}}\\end{{table{star}}}\n")
    for pdf in sorted((report / "figures").glob("*.pdf")):
        for star, width in (("", r"\columnwidth"), ("*", r"\textwidth")):
            body.append(f"\\begin{{figure{star}}}\\centering\n"
                        f"\\includegraphics[width={width},height=0.8\\textheight,keepaspectratio]"
                        f"{{figures/{pdf.name}}}\n\\caption{{{pdf.stem.replace('_', ' ')}}}\\end{{figure{star}}}\n")
        body.append("\\clearpage\n")
    body.append("\\end{document}\n")
    return "".join(body)


def compile_paper(report: Path) -> tuple[str, str]:
    """The pdflatex log and the pdffonts listing of the paper built from ``report``."""
    pdflatex, pdffonts = tools()
    (report / "paper.tex").write_text(paper(report), encoding="utf-8")
    done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
                          cwd=report, capture_output=True, text=True, timeout=300)
    log = (report / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    fonts = subprocess.run([pdffonts, str(report / "paper.pdf")], capture_output=True, text=True, timeout=60)
    assert fonts.returncode == 0, fonts.stderr
    return log, fonts.stdout


def problems(log: str, fonts: str) -> list[str]:
    found = re.findall(r"^(Overfull \\[hv]box.*)$", log, re.M)
    found += re.findall(r"^(LaTeX Warning: Float too large.*)$", log, re.M)
    found += [line for line in fonts.splitlines() if "Type 3" in line]
    return found


# A lexicon with every kind of context rule (tests/scoring/test_lexicon_rules.py and test_scan_c.py)
RULES = '''
[topics.sovereignty]
entries = [
    { pattern = "recogni*", unless_near = ["genocid*"], window = 4 },
    { pattern = "status", only_near = ["Karabakh", "Artsakh"] },
    "independen*",
]

[topics.war]
unless_near = ["1915"]
window = 8
negation = false
entries = ["kill+", { pattern = "war", unless_near = ["und"], window = 2 }]

[topics.betrayal]
quotation = "scare"
entries = ["traitor*", "hang+ ... out to dry", "back-stab+", "sell+ ... out"]

[topics.quoted]
quotation = "quoted"
entries = ["surrender"]

[topics.alliances]
implied_by = [
    { actors = ["russia", "turkey"], near = ["ally", "protect+"], window = 5 },
    { actors = ["russia"], near = ["Turkey"], unless_near = ["1915", "Ottoman*"], window = 6 },
]
entries = ["alliance"]

[topics.region]
entries = []

[actors.russia]
aliases = ["Russia"]

[actors.turkey]
aliases = ["Turkey"]

[actors.iran]
aliases = ["Iran"]
implies = [{ topic = "region", near = [] }]
'''
