"""The held-out comment pages (tests/data/comment_pages_heldout/): an honest estimate of the text reader.

The reader is never tuned on these pages (their README says why and how), so no page here is expected to be
read right: the test reads every page with the development set's judge (``test_comment_pages.compare``),
checks that nothing crashes and no line is lost (every non-blank line gets exactly one role, and no line of
a comment or an unrecognised line counts as article text), and that the figures the README states are the
figures the reader gets today. ``python -m pytest tests/readers/test_comment_pages_heldout.py -s`` prints
the page-by-page table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from discourse.readers import textpage

from .test_comment_pages import compare, read_page

HELD = Path(__file__).resolve().parents[1] / "data" / "comment_pages_heldout"
GOLD = {p.name.removesuffix(".gold.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(HELD.glob("*.gold.json"))}


def comment_problems(problems: list[str]) -> list[str]:
    """The judge's problems that the issue's own measure counts: each visible comment read once, with the
    right author and parent. A wrong title and a wrong cut flag are left to the strict judge."""
    return [p for p in problems if not p.startswith("title ") and "truncated=" not in p]


def figures() -> tuple[dict[str, int], list[str]]:
    f = dict.fromkeys(("pages", "right", "with_comments", "with_comments_right", "comments_right", "visible",
                       "found", "cut", "cut_flagged", "silent"), 0)
    rows = []
    for page, gold in GOLD.items():
        problems, c = compare(page, HELD, gold)
        f["pages"] += 1
        f["right"] += not problems
        f["with_comments"] += bool(c["visible"])
        f["with_comments_right"] += bool(c["visible"]) and not problems
        f["comments_right"] += bool(c["visible"]) and not comment_problems(problems)
        f["visible"] += c["visible"]
        f["found"] += c["found"]
        f["cut"] += c["cut"]
        f["cut_flagged"] += c["cut"] and c["cut_flagged"]
        f["silent"] += c["silent_zero"]
        rows.append(f"{page:4} {'right' if not problems else 'WRONG':5} {c['found']:>2}/{c['visible']:<2} "
                    + "; ".join(problems))
    return f, rows


@pytest.mark.parametrize("page", list(GOLD))
def test_every_line_has_one_role(page):
    text = (HELD / f"{page}.txt").read_text(encoding="utf-8")
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    parsed = read_page(page, HELD)
    assert [r[0] for r in parsed.roles] == [i + 1 for i, ln in enumerate(lines) if ln.strip()]
    assert {r[1] for r in parsed.roles} <= set(textpage.ROLES)
    spans = [(p.line_start, p.line_end) for p in parsed.articles[0].paragraphs]
    for line, role, _, _text in parsed.roles:
        if role.startswith("comment") or role in ("unrecognised", "comments_closed"):
            assert not any(a <= line <= b for a, b in spans), f"{page}:{line} counted as article text"


def test_readme_states_todays_figures(capsys):
    f, rows = figures()
    with capsys.disabled():
        print(f"\nheld-out pages: {f}")
        for r in rows:
            print("  " + r)
    readme = (HELD / "README.md").read_text(encoding="utf-8")
    stated = (f"pages read right: **{f['right']} of {f['pages']}**; pages with comments read right: "
              f"**{f['with_comments_right']} of {f['with_comments']}**; pages with comments whose comments are "
              f"right (each once, author, parent): **{f['comments_right']} of {f['with_comments']}**; "
              f"comments found: **{f['found']} of "
              f"{f['visible']}**; cut pages flagged: **{f['cut_flagged']} of {f['cut']}**; pages with comments "
              f"that yield none and no warning: **{f['silent']}**")
    assert stated in " ".join(readme.split()), f"README should state: {stated}"


def test_comment_problems_leaves_only_title_and_cut_flag_aside():
    problems = ["title 'Home', gold None", "comment 2: truncated=True, gold cut=False",
                "comment 3: author 'At 10:14 pm', gold 'Karl'", "comment 4 (Jo: 'text') not found",
                "comment 5: parent 'L12', gold comment 4", "1 comment(s) not in the gold: line 40 (None)"]
    assert comment_problems(problems) == problems[2:]
