"""Corpora for the report tests: the bundled one, and small ones built in code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import discourse
from discourse.readers.asbarez import render

ROOT = Path(__file__).resolve().parents[2]

#: untrusted comment text and names a report must show as text, never run
XSS_COMMENTS = [
    (0, 'Eve "the <b>quote</b>" O\'Hara', "<script>document.title='pwned-script'</script> Russia betrayed us."),
    (1, "Mallory", "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> war is coming"),
    (0, "\"><svg onload=document.title='pwned-svg'>", "Click <a href=\"javascript:document.title='pwned-link'\">here</a> "
                                                      "or javascript:alert(1) for peace talks."),
    (1, "Trudy", "\"><svg onload=\"document.body.setAttribute('data-pwned','svg')\"> &amp; <!-- --> ]]> {{7*7}} $x^2$"),
    (0, "<iframe src=javascript:alert(1)>", "<style>body{display:none}</style><meta http-equiv=refresh content=0>"),
]


def write_corpus(folder: Path, articles: list[dict], *, manifest: bool = True) -> Path:
    """Write articles as Asbarez pages plus a manifest. Each article: id, title, paragraphs, comments
    [(depth, author, text)], and optionally published (YYYY-MM-DD) and date_estimated."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for a in articles:
        name = f"{a['id']}.txt"
        (folder / name).write_text(render(a.get("title", f"Article {a['id']}"), a["paragraphs"], a.get("comments", [])),
                                   encoding="utf-8")
        rows.append({"file": name, "id": a["id"], "title": a.get("title", f"Article {a['id']}"),
                     "published": a.get("published", ""),
                     "date_estimated": "true" if a.get("date_estimated") else "false", "url": a.get("url", "")})
    if manifest:
        with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=["file", "id", "title", "url", "published", "date_estimated"])
            w.writeheader()
            w.writerows(rows)
    return folder


PARAGRAPHS = [
    "Russia is not a reliable ally, the minister said. Peace talks failed again in Moscow.",
    "The war has cost thousands of lives. \"We will never accept concessions,\" Aliyev said.",
    "Armenia and Azerbaijan agreed to a ceasefire. Turkey welcomed the deal.",
]


@pytest.fixture()
def paragraphs():
    return list(PARAGRAPHS)


@pytest.fixture(scope="session")
def bundled():
    return discourse.analyze(ROOT / "threads")


@pytest.fixture()
def make_corpus(tmp_path):
    """``make_corpus(articles, manifest=True)`` writes a corpus under tmp_path and returns its folder."""
    def make(articles: list[dict], *, manifest: bool = True, name: str = "corpus") -> Path:
        return write_corpus(tmp_path / name, articles, manifest=manifest)

    return make


@pytest.fixture()
def xss_corpus(make_corpus):
    return make_corpus([
        {"id": "a<1>", "title": "<script>document.title='pwned-title'</script> & \"Quotes\"", "published": "2020-01-02",
         "url": "javascript:document.title='pwned-url'",
         "paragraphs": PARAGRAPHS, "comments": XSS_COMMENTS},
        {"id": "b", "title": "Second", "published": "2020-02-03", "date_estimated": True,
         "paragraphs": PARAGRAPHS[:2], "comments": [(0, "Ann", "Russia is a betrayer. Peace now."),
                                                    (1, "Bob", "Compromise is not treason.")]},
    ])
