"""Random reply forests for property tests, and their Reddit-dump spelling."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from discourse.readers.values import dead

AUTHORS = st.sampled_from(["Sevan", "Ani K.", "Վազգէն", "dedi_ki", None])
TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=30).filter(
    lambda t: dead(t) is None)


@st.composite
def forests(draw):
    """``(parent index or None, author, text)`` per comment; a parent always comes earlier."""
    n = draw(st.integers(1, 12))
    return [(draw(st.none() | st.integers(0, i - 1)) if i else None, draw(AUTHORS), draw(TEXTS)) for i in range(n)]


def expected_rows(forest) -> list[tuple]:
    """(depth, author, text) in display order: depth first, siblings by time (= index here)."""
    kids: dict[int | None, list[int]] = {}
    for i, (p, _, _) in enumerate(forest):
        kids.setdefault(p, []).append(i)
    out, stack = [], [(i, 0) for i in reversed(kids.get(None, []))]
    while stack:
        i, d = stack.pop()
        out.append((d, forest[i][1], forest[i][2]))
        stack.extend((k, d + 1) for k in reversed(kids.get(i, [])))
    return out


def dump_lines(forest, order) -> list[str]:
    lines = []
    for i in order:
        p, author, text = forest[i]
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as Reddit escapes it
        lines.append(json.dumps({"id": f"c{i}", "parent_id": "t3_s1" if p is None else f"t1_c{p}",
                                 "link_id": "t3_s1", "author": "[deleted]" if author is None else author,
                                 "body": body, "created_utc": 1700000000 + i}, ensure_ascii=False))
    return lines
