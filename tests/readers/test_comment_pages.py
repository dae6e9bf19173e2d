"""Real comment pages saved as text (tests/data/comment_pages/) read against gold written by hand.

Each ``<id>.txt`` is a page as saved; ``<id>.gold.json`` lists its title and every visible comment (author,
parent, first and last words, cut flag), written by reading the page before any reader ran. A page is
*right* when every visible comment is read once, in order, with the gold author, parent and cut flag, and
the title is the gold title. ``python -m pytest tests/readers/test_comment_pages.py -s`` prints the table.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from discourse.readers import detect, textpage
from discourse.readers.base import ReadOptions

PAGES = Path(__file__).resolve().parents[1] / "data" / "comment_pages"
GOLD = {p.name.removesuffix(".gold.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(PAGES.glob("*.gold.json"))}

#: pages the reader does not get right yet: [the page's layout, from its gold] what the reader gets wrong
KNOWN_WRONG = {
    'p08': "[Blogger comments printed with no headers at all] comment 1 (None: 'Hi Roy Looks like your going t') not found; comment 2 (None: 'Two wonderful aspects to that ') not found; comment 3 (None: 'i too have a cherry tomato pla') not found; comment 4 (Non...",
    'p36': "[Tumblr reblog] title 'Diary of a loser', gold None",
    'p43': "[WordPress comment printed as a body indented 4 columns with its header] comment 1 (None: 'until last November, when the ') not found",
    'p47': "[WordPress photo post whose text is only comments] comment 1 (None: 'I’m so jealous! Hiking is the ') not found; comment 2 (None: 'Thank you! It was truly gorgeo') not found",
    'p52': '[personal blog with headerless comments] title \'"And all the world is glad with May" said John Burroughs\', gold None; comment 1 (None: \'What a splendid medley of phot\') not found; comment 2 (None: \'What a gorgeous garden! Your a\') not found;...',
    'q05': "[comments appended to the article with no headers, no names, no dates, ] comment 1 (None: 'Hi Carolyn,') not found; comment 2 (None: 'Here you go! Textured Interwea') not found",
    'q16': '[Drupal \'reply to comment\' page of a company blog] comment 1 (None: "I\'ve been doing this informall") not found',
    'q21': '[community discussion site] title None, gold "Just saw our book club\'s chat go from a calm 3 messages a week to a 300-message WAR over whether the main character in \'The Midnight Library\' was selfish or just sad."',
    'q25': '[craft-magazine gallery post] comment 1: truncated=True, gold cut=False',
    'q33': "[car-news WordPress theme] title 'Honda Transmission Problem Shifting Expectations...', gold None",
    'q41': "[comment permalink page of a political news site] comment 1 (rmt5 in MA: 'Why balance the budget and red') not found; 1 comment(s) not in the gold: line 5 (rmt5 in MA)",
    'q44': '[petition-site comment permalink] comment 1 (Ashley Mullin: "I think it\'s really unfair tha") not found',
    'q47': "[photography forum thread page as main text] comment 1 (None: 'If Canon has a firmware fix th') not found; comment 2 (None: 'Well if Canon were 100% confid') not found; comment 3 (None: 'I would have to agree. I think') not found; comment 4 (Non...",
    'q50': "[garden-magazine list article ('Name'] title 'Varieties to choose from for your garden', gold 'Choice climbers for Western gardens'",
    'q54': "[Scoop community-blog single-comment view] comment 1 (Frank Schnittger: 'It is a reasonable aspiration ') not found",
    'q55': "[personal economics/politics blog] title 'Labour has delivered a good manifesto for the UK', gold 'Mmmm, yes, ermine suits'",
    'q56': "[TypePad-engine local bike blog] comment 1 (None: 'Including bike infrastructure ') not found; comment 2 (None: 'I want the best bus infrastruc') not found",
    'q57': "[city government public-comment board, per-user view] title 'Linda Clover (user 348) - Comments by Date', gold None; comment 1 (Linda Clover: 'Please retain all the evening ') not found",
    'r03': '[Typepad comments with the \'Posted by] title \'Caroline M\', gold None; comment 1 (Caroline M: "I can think of times when you\'") not found; comment 2 (None: \'I always get a kick out of "fa\') not found; comment 3 (None: \'Getting back into the...',
    'r04': '[Typepad comments with no names or dates] comment 1 (None: "there\'s always blocking! maybe") not found; comment 2 (None: \'double point needles, as if th\') not found; comment 3 (None: \'i hope this works and i apolog\') not found; comment 4 (Non...',
    'r15': "[Blogger comments with the 'said...' lost] comment 1 (Karen Lange: 'Spring is nice:) Okay, so you ') not found",
    'r16': "[Typepad comments printed as a name line over the text] title 'It sure is a different world. Hard to adapt', gold None; comment 1 (None: 'It sure is a different world. ') not found; comment 2 (None: 'I need to confess i frequently') not found; comment 3 (N...",
    's06': "[Lemmy comment context: replies as '  • Name' bullets with the age line] comment 1 (None: 'Makes me feel a bit better abo') not found",
    's21': "[comments as top-level '  • ' bullets with no name, date or furniture, ] comment 1 (None: 'You only have to read the comm') not found; comment 2 (None: 'Somewhere, King Canute is laug') not found",
    's22': "[news weekly's per-user comment list: the commented story's teaser line] comment 1 (None: '<sarcasm> How truly sad, I am ') not found",
    's28': "[Lemmy comment permalink: '• name@instance' bullet header followed by o] comment 1: truncated=True, gold cut=False",
    's32': "[UBB.threads single post: one line of text, then the member's signature] comment 1 (None: 'Mngmnt wants to break the Unio') not found",
    's35': "[political blog post whose title line carries the comment count glued o] title 'Time for Nicola to Pick a Fight 276', gold 'Time for Nicola to Pick a Fight'",
    's40': "[news aggregator's report-comment page printed as ONE line: the form he] comment 1 (None: '<p>PLEASE READ:</p> <p>You may') not found",
}
#: the number of pages read right may not fall below this
RIGHT_FLOOR = 157


def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return " ".join(s.split())


def read_page(page: str, folder: Path = PAGES):
    path = folder / f"{page}.txt"
    reader = detect(path)
    return reader.read(path, ReadOptions(roles=True))


def compare(page: str, folder: Path = PAGES, gold: dict | None = None) -> tuple[list[str], dict]:
    """What is wrong with the reading of ``page`` (empty when right), and its counts; ``folder`` and
    ``gold`` name another set of pages with the same layout of files."""
    gold = GOLD[page] if gold is None else gold
    parsed = read_page(page, folder)
    art = parsed.articles[0]
    got = art.comments
    problems: list[str] = []
    if _norm(art.title) != _norm(gold["title"]):
        problems.append(f"title {art.title!r}, gold {gold['title']!r}")
    # each gold comment is the read comment whose text starts and ends with the gold words
    matched: dict[int, int] = {}
    used: set[int] = set()
    for g in gold["comments"]:
        want_start, want_end = _norm(g["starts"]), _norm(g["ends"])
        for k, c in enumerate(got):
            text = _norm(c.text)
            if k in used or matched and k < max(matched.values()):
                continue
            if g["starts"] is None and (not text or c.truncated) or g["starts"] is not None and text.startswith(
                    want_start) and (text.endswith(want_end) or g["cut"] and want_end in text):
                matched[g["n"]] = k
                used.add(k)
                break
        else:
            problems.append(f"comment {g['n']} ({g['author']}: {(g['starts'] or '')[:30]!r}) not found")
    extra = [k for k in range(len(got)) if k not in used]
    if extra:
        problems.append(f"{len(extra)} comment(s) not in the gold: "
                        + ", ".join(f"line {got[k].line_start} ({got[k].author})" for k in extra))
    if list(matched.values()) != sorted(matched.values()):
        problems.append("comments out of page order")
    ids = {n: got[k].source_id for n, k in matched.items()}
    for g in gold["comments"]:
        if g["n"] not in matched:
            continue
        c = got[matched[g["n"]]]
        if g["author"] is not None and _norm(c.author) != _norm(g["author"]) or g["author"] is None and c.author:
            problems.append(f"comment {g['n']}: author {c.author!r}, gold {g['author']!r}")
        want_parent = ids.get(g["parent"]) if g["parent"] is not None else None
        if c.parent != want_parent:
            problems.append(f"comment {g['n']}: parent {c.parent!r}, gold comment {g['parent']!r}")
        if c.truncated != g["cut"]:
            problems.append(f"comment {g['n']}: truncated={c.truncated}, gold cut={g['cut']}")
    warned = any(d.level == "warning" for d in parsed.diagnostics)
    counts = {"visible": len(gold["comments"]), "found": len(matched), "read": len(got),
              "cut": bool(gold.get("cut_off")),
              "cut_flagged": any(c.truncated for c in got) or art.truncated,
              "silent_zero": bool(gold["comments"]) and not got and not warned}
    return problems, counts


@pytest.mark.parametrize("page", [pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_WRONG[p], strict=True))
                                  if p in KNOWN_WRONG else p for p in GOLD])
def test_page_reads_as_its_gold(page):
    problems, _ = compare(page)
    assert not problems, f"{page}: " + "; ".join(problems)


def test_no_page_with_comments_yields_none_silently():
    silent = [p for p in GOLD if compare(p)[1]["silent_zero"]]
    assert not silent, f"pages whose visible comments all went unread with no warning: {silent}"


def test_every_cut_page_is_flagged():
    missed = [p for p in GOLD if (c := compare(p)[1])["cut"] and not c["cut_flagged"]]
    assert not missed, f"pages ending inside a comment with no comment flagged truncated: {missed}"


def test_every_line_has_one_role_on_every_page():
    for page in GOLD:
        text = (PAGES / f"{page}.txt").read_text(encoding="utf-8")
        lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
        nonblank = [i + 1 for i, ln in enumerate(lines) if ln.strip()]
        parsed = read_page(page)
        assert [r[0] for r in parsed.roles] == nonblank, page
        assert {r[1] for r in parsed.roles} <= set(textpage.ROLES), page
        spans = [(p.line_start, p.line_end) for p in parsed.articles[0].paragraphs]
        for line, role, _, _text in parsed.roles:
            if role.startswith("comment") or role in ("unrecognised", "comments_closed"):
                assert not any(a <= line <= b for a, b in spans), f"{page}:{line} counted as article text"


def test_summary(capsys):
    rows, right, visible, found, cut, cut_flagged = [], 0, 0, 0, 0, 0
    for page in GOLD:
        problems, c = compare(page)
        right += not problems
        visible += c["visible"]
        found += c["found"]
        cut += c["cut"]
        cut_flagged += c["cut"] and c["cut_flagged"]
        rows.append(f"{page:5} {'right' if not problems else 'WRONG':5} {c['found']:>3}/{c['visible']:<3} "
                    + ("; ".join(problems) if problems else ""))
    with capsys.disabled():
        print(f"\ncomment pages: {right} of {len(GOLD)} right; comments found {found} of {visible} visible; "
              f"cut pages flagged {cut_flagged} of {cut}")
        for r in rows:
            print("  " + r)
    assert right >= RIGHT_FLOOR
    assert right == len(GOLD) - sum(p in KNOWN_WRONG for p in GOLD)
