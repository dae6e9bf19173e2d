"""The labelled Karabakh comments as discourse reads them: a corpus file and a labels file per part.

The pages in ``pages/`` are the source (one JSON file per page, comments with their labels, written by
reading them; see GUIDELINES.md). This module applies the thread-level split of GUIDELINES.md and writes,
for each part, ``comments.jsonl`` (one comment per line, for discourse's table reader) and ``labels.csv``
(the labels in the format ``discourse validate --labels`` reads: ``comment_id``, ``annotator``,
``sentiment`` and one 0/1 column per topic, the ids being the pages' own comment ids).

    python tests/data/karabakh_comments/dataset.py      # rewrite dev/ and test/ from pages/
    discourse validate --labels tests/data/karabakh_comments/dev/labels.csv \\
        tests/data/karabakh_comments/dev/comments.jsonl

``tests/test_karabakh_dataset.py`` checks that the written files are what this module writes from the
pages, so they cannot drift apart.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
PARTS = ("dev", "test")
TOPICS = ("betrayal", "unity", "concessions", "war_violence", "peace_ceasefire", "negotiation_mediation",
          "history_genocide", "diaspora", "sovereignty_independence", "alliances_geopolitics")
#: the reader who labelled the pages
ANNOTATOR = "reader-1"


def thread_key(url: str) -> str:
    """The address a page is split by: a permalink into a thread stands for the thread.

    >>> thread_key("https://r.example/r/armenia/comments/198gr81/why/kia9yzx/?context=3")
    'https://r.example/r/armenia/comments/198gr81'
    """
    return re.sub(r"(/comments/[A-Za-z0-9]+)/.*", r"\1", url)


def part_of(url: str) -> str:
    """``test`` when the SHA-1 of the page's thread key is 0 or 1 modulo 5, else ``dev`` (GUIDELINES.md)."""
    return "test" if int(hashlib.sha1(thread_key(url).encode("utf-8")).hexdigest(), 16) % 5 in (0, 1) else "dev"


def pages(part: str, folder: Path = PAGES) -> list[dict]:
    """The pages of one part, in page-id order. Pages of the other part are skipped on their address alone."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; parts: {', '.join(PARTS)}")
    out = []
    for path in sorted(folder.glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        if part_of(page["url"]) == part:
            out.append(page)
    return out


def corpus_lines(part: str) -> str:
    """``comments.jsonl`` of a part: article (page id), title, url, id, parent, author, text."""
    buf = io.StringIO()
    for page in pages(part):
        for c in page["comments"]:
            row = {"article": page["page"], "title": page.get("title") or page["page"], "url": page["url"],
                   "id": c["id"], "parent": c.get("parent") or "", "author": c.get("author") or "",
                   "text": c["text"]}
            buf.write(json.dumps(row, ensure_ascii=False) + "\n")
    return buf.getvalue()


def labels_csv(part: str) -> str:
    """``labels.csv`` of a part: one row per comment, the reader's topics as 0/1 columns."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["comment_id", "annotator", "sentiment", *TOPICS])
    for page in pages(part):
        for c in page["comments"]:
            unknown = set(c["topics"]) - set(TOPICS)
            if unknown:
                raise ValueError(f"{page['page']}: comment {c['id']} has unknown topics {sorted(unknown)}")
            w.writerow([c["id"], ANNOTATOR, c["sentiment"], *(int(t in c["topics"]) for t in TOPICS)])
    return buf.getvalue()


def files() -> dict[Path, str]:
    """Every file this module writes, by path, with its content."""
    out = {}
    for part in PARTS:
        out[HERE / part / "comments.jsonl"] = corpus_lines(part)
        out[HERE / part / "labels.csv"] = labels_csv(part)
    return out


def main() -> None:
    for path, text in files().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"{path.relative_to(HERE)}: {text.count(chr(10)) - path.name.endswith('.csv')} comments")


if __name__ == "__main__":
    main()
