"""Link flat comment records into reply trees, the same way for every format.

Index first, link second, so children may come before their parents. Repairs are reported, never silent:
duplicate records are dropped and counted, duplicate ids keep the latest retrieval, a comment whose parent
is missing is kept at the top and flagged ``orphan``, a cycle is broken at its earliest comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

from discourse.readers.base import CommentRecord, Diagnostic, ReadReport

DEAD = frozenset({"deleted", "removed"})


def prune_dead(records: list[CommentRecord], report: ReadReport) -> list[CommentRecord]:
    """Drop deleted/removed comments nobody replied to; keep the others as ``placeholder`` nodes.

    Readers of formats that keep deleted rows (Disqus, WXR trash) call this so replies are not re-rooted.
    """
    by_id = {r.source_id: r for r in records}
    alive_below: set[str] = set()
    for r in records:
        if r.status in DEAD:
            continue
        seen: set[str] = set()
        p = r.parent
        while p is not None and p in by_id and p not in seen and p not in alive_below:
            seen.add(p)
            alive_below.add(p)
            p = by_id[p].parent
    kept = []
    for r in records:
        if r.status in DEAD:
            if r.source_id not in alive_below:
                report.dropped[r.status] += 1
                continue
            r.status = "placeholder"
            report.repaired["placeholder"] += 1
        kept.append(r)
    return kept


def _same(a: CommentRecord, b: CommentRecord) -> bool:
    return (a.parent, a.author, a.text, a.created, a.status) == (b.parent, b.author, b.text, b.created, b.status)


def _dedupe(records: Iterable[CommentRecord], path: str, report: ReadReport,
            diagnostics: list[Diagnostic]) -> dict[str, CommentRecord]:
    index: dict[str, CommentRecord] = {}
    for r in records:
        old = index.get(r.source_id)
        if old is None:
            index[r.source_id] = r
            continue
        if _same(old, r):
            report.dropped["duplicate-record"] += 1
            continue
        report.repaired["duplicate-id"] += 1
        newer = (r.retrieved or float("-inf")) > (old.retrieved or float("-inf"))
        diagnostics.append(Diagnostic(
            "warning", "duplicate-id", path, r.line_start,
            f"comment id {r.source_id!r} appears twice with different content; kept the "
            + ("later retrieval" if newer else "first record"),
            "check whether two exports were merged"))
        if newer:
            index[r.source_id] = r
    return index


def link(article_id: str, records: list[CommentRecord], path: str, report: ReadReport,
         diagnostics: list[Diagnostic]) -> tuple[list[dict], dict[str, str]]:
    """Rows of the ``comments`` table for one article in display (depth-first) order, and a map from
    each record's ``source_id`` to the ``comment_id`` it was given.

    Ids: the N-th top-level comment is ``ART/N``; a reply is ``ART/N.k``, the k-th reply in thread N in
    display order (depth-first), whatever its depth; ``parent_id``, ``depth`` and ``position`` (its place
    among its siblings) carry the structure. Time and memory are linear in the number of comments.
    """
    index = _dedupe(records, path, report, diagnostics)
    nodes = list(index.values())
    timed = bool(nodes) and all(r.created is not None for r in nodes)

    def key(r: CommentRecord):
        return (r.created, r.order) if timed else (r.order,)

    parent: dict[str, str | None] = {}
    orphan: set[str] = set()
    for r in nodes:
        p = r.parent
        if p is not None and p not in index:
            orphan.add(r.source_id)
            report.repaired["orphan"] += 1
            diagnostics.append(Diagnostic(
                "warning", "orphan", path, r.line_start,
                f"comment {r.source_id!r} replies to {p!r}, which is not in the file; kept at the top, flagged orphan",
                None))
            p = None
        parent[r.source_id] = p

    ordered = sorted(nodes, key=key)
    # break cycles: anything that does not reach a root by walking up is on or under a cycle; there is none
    # when every comment comes after its parent in display order (as in every page written top to bottom)
    position = {r.source_id: k for k, r in enumerate(ordered)}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = reaches a root
    for r in ordered if any(p is not None and position[p] >= position[c] for c, p in parent.items()) else ():
        walk = []
        n: str | None = r.source_id
        while n is not None and state.get(n) is None:
            state[n] = 1
            walk.append(n)
            n = parent[n]
        if n is not None and state[n] == 1:  # closed a loop: cut it at its earliest comment
            loop = walk[walk.index(n):]
            cut = min(loop, key=lambda i: key(index[i]))
            parent[cut] = None
            orphan.add(cut)
            report.repaired["cycle"] += 1
            diagnostics.append(Diagnostic(
                "warning", "cycle", path, index[cut].line_start,
                f"comments {' -> '.join(loop)} reply to each other in a loop; {cut!r} was made top-level",
                "the source's parent ids are corrupt"))
        for w in walk:
            state[w] = 2

    children: dict[str | None, list[CommentRecord]] = {}
    for r in ordered:
        children.setdefault(parent[r.source_id], []).append(r)

    rows: list[dict] = []
    ids: dict[str, str] = {}
    # ids: a top-level comment is ART/N (its place among the top-level comments), a reply ART/N.k (its
    # place in thread N in display order), so an id's length grows with log(n), never with depth
    stack: list[tuple[CommentRecord, str | None, int, int]] = []
    top = children.get(None, [])
    stack += zip(reversed(top), repeat(None), repeat(0), range(len(top), 0, -1))
    thread = ""
    k = 0
    append, push = rows.append, stack.extend
    while stack:
        r, pid, depth, pos = stack.pop()
        sid = r.source_id
        if depth == 0:
            thread, k = f"{article_id}/{pos}", 0
            cid = thread
        else:
            k += 1
            cid = f"{thread}.{k}"
        ids[sid] = cid
        text = r.text
        append({
            "article_id": article_id, "comment_id": cid, "parent_id": pid, "depth": depth, "position": pos,
            "number": r.number, "author": r.author, "text": text, "created": r.created,
            "source_id": sid if r.native_id else None,
            "text_missing": not text.strip(), "status": r.status, "orphan": sid in orphan,
            "truncated": r.truncated, "source_path": path, "line_start": r.line_start, "line_end": r.line_end,
        })
        kids = children.get(sid)
        if kids:  # pushed last first, so that the first is read next
            push(zip(reversed(kids), repeat(cid), repeat(depth + 1), range(len(kids), 0, -1)))
    report.kept["comments"] += len(rows)
    return rows, ids
