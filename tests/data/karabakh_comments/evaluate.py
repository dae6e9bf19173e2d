"""Measure the topic tags and the comment sentiment of discourse against the labelled development pages.

Only pages in the development part are read (the page-level split rule of GUIDELINES.md): a test page is
recognised by its url and skipped before any of its comments is looked at. Figures for the test part are
computed once, elsewhere, at the end; this script cannot produce them.

    python tests/data/karabakh_comments/evaluate.py                  # figures as Markdown
    python tests/data/karabakh_comments/evaluate.py --lexicon my.toml
    python tests/data/karabakh_comments/evaluate.py --misses betrayal   # dev comments the tags miss
    python tests/data/karabakh_comments/evaluate.py --json           # the figures as JSON
    python tests/data/karabakh_comments/evaluate.py --pages A-D      # only pages A01..D69 (the rounds' letters)
    python tests/data/karabakh_comments/evaluate.py --parts now=default old=old.toml   # A-D, E and whole
    python tests/data/karabakh_comments/evaluate.py --parts now=default --rounds A-E F  # A-E, F and whole
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
TOPICS = ("betrayal", "unity", "concessions", "war_violence", "peace_ceasefire", "negotiation_mediation",
          "history_genocide", "diaspora", "sovereignty_independence", "alliances_geopolitics")
CORE = ("betrayal", "unity", "concessions")
CLASSES = ("negative", "neutral", "positive")


def thread_key(url: str) -> str:
    """The address a page is split by (GUIDELINES.md): a permalink into a thread stands for the thread, so
    ``.../comments/<thread id>/...`` is cut after the thread id (as ``dataset.thread_key`` does)."""
    return re.sub(r"(/comments/[A-Za-z0-9]+)/.*", r"\1", url)


def is_test_page(url: str) -> bool:
    """The split rule of GUIDELINES.md: a page is in the test part when the SHA-1 of its thread key is 0 or 1
    mod 5."""
    return int(hashlib.sha1(thread_key(url).encode("utf-8")).hexdigest(), 16) % 5 in (0, 1)


@dataclass(frozen=True)
class Labelled:
    page: str
    comment_id: str
    text: str
    topics: frozenset[str]
    sentiment: str


def development_comments(pages: Path = PAGES) -> list[Labelled]:
    """The labelled comments of the development pages, in file order. Test pages are skipped on their url
    alone: their comments are never read into the result."""
    out: list[Labelled] = []
    for path in sorted(pages.glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        if is_test_page(page["url"]):
            continue
        for c in page["comments"]:
            out.append(Labelled(page["page"], f"{page['page']}/{c['id']}", c["text"], frozenset(c["topics"]),
                                c["sentiment"]))
    return out


def half(comments: list[Labelled], which: int, seed: int = 0) -> list[Labelled]:
    """One of two halves of the development comments, split by page (seeded): the split of
    ``discourse.validation.train.split_articles`` (half 1 is its first, the half a model is trained on there),
    so that a change can be checked on the half whose comments were not looked at."""
    import numpy as np

    pages = sorted({c.page for c in comments})
    first = {pages[k] for k in np.random.default_rng(seed).permutation(len(pages))[: len(pages) // 2]}
    return [c for c in comments if (c.page in first) == (which == 1)]


def page_letters(spec: str) -> frozenset[str]:
    """The round letters a ``--pages`` value names: ``"A-D"`` is A, B, C and D, ``"E"`` is E, ``"AC"`` A and C,
    ``"A-C,E"`` A, B, C and E."""
    letters: set[str] = set()
    for part in spec.replace(",", " ").split():
        for m in re.finditer(r"([A-Za-z])(?:-([A-Za-z]))?", part):
            first, last = m.group(1).upper(), (m.group(2) or m.group(1)).upper()
            if last < first:
                raise SystemExit(f"--pages {spec!r}: the range {first}-{last} runs backwards")
            letters |= {chr(c) for c in range(ord(first), ord(last) + 1)}
        if re.sub(r"[A-Za-z](?:-[A-Za-z])?", "", part):
            raise SystemExit(f"--pages {spec!r}: write round letters and ranges, e.g. A-D or E or A-C,E")
    if not letters:
        raise SystemExit(f"--pages {spec!r}: no round letter given")
    return frozenset(letters)


def on_pages(comments: list[Labelled], spec: str | None) -> list[Labelled]:
    """The comments of the pages whose id starts with one of the round letters of ``spec`` (all when None): the
    rounds of gathering are lettered (A-D the first two, E the third), so a round the revision never read can
    be measured on its own."""
    if spec is None:
        return comments
    letters = page_letters(spec)
    return [c for c in comments if c.page[:1].upper() in letters]


def score(comments: list[Labelled], lexicon=None, sentiment_rule: str | None = None):
    """discourse's scores of the comments: the units table of ``score_batch`` (one row per comment)."""
    import polars as pl

    from discourse.scoring.lexicon import load_lexicon
    from discourse.schema import UNITS
    from discourse.scoring.batch import ScoringConfig, score_batch

    UNITS_SCHEMA = UNITS.schema

    units = pl.DataFrame({
        "unit_id": [c.comment_id for c in comments], "article_id": [c.page for c in comments],
        "kind": ["comment"] * len(comments), "text": [c.text for c in comments],
        "context": [None] * len(comments), "offset": [None] * len(comments)}, schema=UNITS_SCHEMA)
    lex = (lexicon if lexicon is not None and not isinstance(lexicon, (str, Path))
           else load_lexicon(lexicon, extend=False) if lexicon is not None else load_lexicon())
    from discourse.sentiment import Preparation

    return score_batch(units, ScoringConfig(lex, Preparation(rule=sentiment_rule)))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def topic_figures(gold: list[frozenset[str]], predicted: list[frozenset[str]]) -> dict:
    per: dict[str, dict] = {}
    for t in TOPICS:
        tp = sum(t in g and t in p for g, p in zip(gold, predicted))
        fp = sum(t not in g and t in p for g, p in zip(gold, predicted))
        fn = sum(t in g and t not in p for g, p in zip(gold, predicted))
        per[t] = dict(zip(("precision", "recall", "f1"), prf(tp, fp, fn))) | {"tp": tp, "fp": fp, "fn": fn,
                                                                               "support": tp + fn}

    def micro(names) -> dict:
        tp, fp, fn = (sum(per[t][k] for t in names) for k in ("tp", "fp", "fn"))
        return dict(zip(("precision", "recall", "f1"), prf(tp, fp, fn))) | {"tp": tp, "fp": fp, "fn": fn}

    return {"per_topic": per, "micro": micro(TOPICS), "core": micro(CORE)}


def label(score: float | None) -> str:
    if score is None:
        return "neutral"
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def sentiment_figures(gold: list[str], scores: dict[str, list[float | None]]) -> dict:
    majority = max(CLASSES, key=gold.count)
    out = {}
    for name, values in [("always " + majority, [None] * len(gold))] + list(scores.items()):
        pred = [majority if name.startswith("always") else label(v) for v in values]
        acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
        f1s = []
        for c in CLASSES:
            tp = sum(g == c and p == c for g, p in zip(gold, pred))
            fp = sum(g != c and p == c for g, p in zip(gold, pred))
            fn = sum(g == c and p != c for g, p in zip(gold, pred))
            f1s.append(prf(tp, fp, fn)[2])
        confusion = {g: {p: sum(a == g and b == p for a, b in zip(gold, pred)) for p in CLASSES} for g in CLASSES}
        out[name] = {"accuracy": acc, "macro_f1": sum(f1s) / len(f1s), "confusion": confusion}
    return out


def evaluate(lexicon=None, sentiment_rules: tuple[str, ...] = ("conflict", "topics"), which: int | None = None,
             pages: str | None = None) -> dict:
    """Topic figures with ``lexicon`` (None: the packaged default); sentiment figures of VADER's scores and
    of each of ``sentiment_rules`` on top of them; on one half of the pages when ``which`` is 1 or 2; only on
    the rounds ``pages`` names (:func:`on_pages`) when it is given."""
    comments = on_pages(development_comments(), pages)
    if which is not None:
        comments = half(comments, which)
    units = score(comments, lexicon)["units"]
    predicted = [frozenset(t) for t in units.get_column("topic_tags").to_list()]
    gold = [c.topics for c in comments]
    unknown = sorted({t for g in gold for t in g} - set(TOPICS))
    if unknown:
        raise SystemExit(f"labels name unknown topics: {', '.join(unknown)}")
    scores = {}
    for rule, table in [(None, units)] + [(r, score(comments, lexicon, r)["units"]) for r in sentiment_rules]:
        suffix = f", rule {rule}" if rule else ""
        scores |= {f"sentence mean (sent_score){suffix}": table.get_column("sent_score").to_list(),
                   f"own voice (sent_own){suffix}": table.get_column("sent_own").to_list(),
                   f"whole text (sent_compound){suffix}": table.get_column("sent_compound").to_list()}
    sentiment = sentiment_figures([c.sentiment for c in comments], scores)
    return {"pages": len({c.page for c in comments}), "comments": len(comments),
            "topics": topic_figures(gold, predicted), "sentiment": sentiment}


def markdown(fig: dict, title: str) -> str:
    t = fig["topics"]
    lines = [f"### {title}", "", f"{fig['comments']} comments from {fig['pages']} development pages.", "",
             "| topic | support | tp | fp | fn | precision | recall | F1 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in t["per_topic"].items():
        lines.append(f"| {name} | {r['support']} | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.2f} | "
                     f"{r['recall']:.2f} | {r['f1']:.2f} |")
    for name, key in (("**micro, ten topics**", "micro"), ("**micro, betrayal/unity/concessions**", "core")):
        r = t[key]
        lines.append(f"| {name} | {r['tp'] + r['fn']} | {r['tp']} | {r['fp']} | {r['fn']} | {r['precision']:.2f} | "
                     f"{r['recall']:.2f} | **{r['f1']:.2f}** |")
    lines += ["", "| comment score | accuracy | macro-F1 | negative labelled positive |", "| --- | ---: | ---: | ---: |"]
    for name, r in fig["sentiment"].items():
        wrong = r["confusion"]["negative"]["positive"]
        total = sum(r["confusion"]["negative"].values())
        lines.append(f"| {name} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {wrong} of {total} |")
    return "\n".join(lines) + "\n"


def _micro_header(part: str) -> list[str]:
    """The head of :func:`halves_table` and :func:`parts_table`, whose second column is named ``part``."""
    return [f"| lexicon | {part} | comments | micro P | micro R | micro F1 | core P | core R | core F1 (positives) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]


def _micro_row(name: str, part: str, comments: list[Labelled], lexicon) -> str:
    """One row of :func:`halves_table` and :func:`parts_table`: the lexicon's topic micro and core figures."""
    units = score(comments, lexicon)["units"]
    fig = topic_figures([c.topics for c in comments], [frozenset(t) for t in units.get_column("topic_tags").to_list()])
    m, c = fig["micro"], fig["core"]
    return (f"| {name} | {part} | {len(comments)} | {m['precision']:.2f} | {m['recall']:.2f} | **{m['f1']:.2f}** | "
            f"{c['precision']:.2f} | {c['recall']:.2f} | **{c['f1']:.2f}** ({c['tp'] + c['fn']}) |")


def halves_table(lexicons: list[tuple[str, object]]) -> str:
    """Topic micro figures of each ``(name, lexicon)`` on the whole development part and on each half of its
    pages (:func:`half`), as a Markdown table: a change that helps only the half it was made on shows here."""
    lines = _micro_header("part")
    everything = development_comments()
    for name, lexicon in lexicons:
        for part, comments in (("whole", everything), ("half 1", half(everything, 1)), ("half 2", half(everything, 2))):
            lines.append(_micro_row(name, part, comments, lexicon))
    return "\n".join(lines) + "\n"


def parts_table(lexicons: list[tuple[str, object]], parts: tuple[str, ...] = ("A-D", "E")) -> str:
    """Topic micro figures of each ``(name, lexicon)`` on the rounds of pages in ``parts`` and on the whole
    development part, as a Markdown table: a change made by reading the errors of some rounds (A-D) shows on
    another (E) whether it carries over."""
    lines = _micro_header("pages")
    everything = development_comments()
    for name, lexicon in lexicons:
        for part, comments in [(p, on_pages(everything, p)) for p in parts] + [("whole", everything)]:
            lines.append(_micro_row(name, part, comments, lexicon))
    return "\n".join(lines) + "\n"


def misses(topic: str, lexicon=None, kind: str = "fn", which: int | None = None, pages: str | None = None) -> str:
    """The development comments where the tags and the labels disagree on ``topic``: ``fn`` (missed) or
    ``fp`` (tagged without the label), with the hits that fired; only on the rounds ``pages`` names when it
    is given."""
    from discourse.scoring.lexicon import compile_lexicon, load_lexicon

    comments = on_pages(development_comments(), pages)
    if which is not None:
        comments = half(comments, which)
    units = score(comments, lexicon)["units"]
    lex = (lexicon if lexicon is not None and not isinstance(lexicon, (str, Path))
           else load_lexicon(lexicon, extend=False) if lexicon is not None else load_lexicon())
    compiled = compile_lexicon(lex)
    out = []
    for c, tags in zip(comments, units.get_column("topic_tags").to_list()):
        hit = topic in tags
        if (kind == "fn" and topic in c.topics and not hit) or (kind == "fp" and hit and topic not in c.topics):
            evidence = [f"{h.matched}({h.rule or h.entry})" for h in compiled.hits(c.text)
                        if h.kind == "topic" and h.label == topic]
            out.append(f"--- {c.comment_id} gold={sorted(c.topics)} {evidence}\n{c.text[:700]}\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicon", help="a TOML lexicon (default: the packaged one)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--misses", metavar="TOPIC", help="print the development comments the tags miss")
    parser.add_argument("--false", metavar="TOPIC", help="print the development comments tagged without the label")
    parser.add_argument("--title", default="Development figures")
    parser.add_argument("--halves", nargs="+", metavar="NAME=LEXICON",
                        help="micro figures on the whole part and each half, one row block per lexicon "
                             "(LEXICON 'default' is the packaged one)")
    parser.add_argument("--half", type=int, choices=(1, 2),
                        help="only one half of the development pages (split by page, seed 0)")
    parser.add_argument("--pages", metavar="LETTERS",
                        help="only the development pages of these rounds: A-D, E, A-C,E (a page's id starts with "
                             "its round's letter)")
    parser.add_argument("--parts", nargs="+", metavar="NAME=LEXICON",
                        help="micro figures on pages A-D, on pages E and on the whole part, one row block per "
                             "lexicon (LEXICON 'default' is the packaged one)")
    parser.add_argument("--rounds", nargs="+", metavar="LETTERS", default=["A-D", "E"],
                        help="the rounds of pages --parts gives a row each, before the whole part (default: A-D E; "
                             "A-E F for the fourth revision's read and blind pages)")
    args = parser.parse_args(argv)
    if args.pages is not None:
        page_letters(args.pages)  # a malformed value fails before any scoring
    for rounds in args.rounds:
        page_letters(rounds)
    if args.parts:
        pairs = [item.split("=", 1) for item in args.parts]
        print(parts_table([(name, None if path == "default" else path) for name, path in pairs], tuple(args.rounds)))
        return 0
    if args.halves:
        pairs = [item.split("=", 1) for item in args.halves]
        print(halves_table([(name, None if path == "default" else path) for name, path in pairs]))
        return 0
    if args.misses or args.false:
        print(misses(args.misses or args.false, args.lexicon, "fn" if args.misses else "fp", args.half, args.pages))
        return 0
    fig = evaluate(args.lexicon, which=args.half, pages=args.pages)
    print(json.dumps(fig, indent=1) if args.json else markdown(fig, args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
