"""Write articles and their comments as a ConvoKit corpus folder, loadable with ``convokit.Corpus(filename=...)``.

Layout (what ConvoKit's own ``Corpus.dump`` writes):

- ``utterances.jsonl``: one utterance per line with the keys ``id, conversation_id, text, speaker, meta,
  reply-to, timestamp, vectors``.
- ``speakers.json``: ``{speaker: {"meta": {"n_comments": n}, "vectors": []}}``.
- ``conversations.json``: ``{article_id: {"meta": {"title", "url", "outlet", "published", "timestamps"},
  "vectors": []}}``.
- ``corpus.json``: ``{"name": ..., "source": "discourse"}``.
- ``index.json``: the type of every meta field (``"<class 'float'>"`` ...), in ConvoKit's index format.

**Each article is one conversation, rooted at an article utterance.** ConvoKit needs exactly one root per
conversation; news comments answer the article, so the root is a synthetic utterance whose id is the
``article_id``, whose text is the article body, whose speaker is ``[article]`` and whose meta is
``{"discourse_kind": "article"}``. Top-level comments reply to it; replies reply to their parent comment (a
parent missing from the article is replaced by the root). Utterance ids are ``comment_id`` values.

**Timestamps.** ConvoKit orders replies by ``timestamp`` and cannot compare a missing one, so every
utterance gets one. When every comment of an article has a time (conversation meta
``"timestamps": "epoch"``), timestamps are Unix epochs (an int, or a float with microseconds), and the root's
is the publication date at midnight UTC, else the first comment's time. When some or all comments have no
time (Asbarez pages), the conversation meta says ``"timestamps": "order"``: the root is 0 and the comments
are numbered 1, 2, ... in display order, and each comment's real time (or null) is kept in its meta as
``created`` (ISO 8601).

Comment utterances carry ``{"discourse_kind": "comment"}`` and every column of ``comments`` other than the
ones that have a place of their own (``comment_id``, ``article_id``, ``parent_id``, ``author``, ``text``,
``created``) in their meta: ``depth``, ``number``, ``status``, ``orphan``, ``source_id`` ... and the scores
(``sent_*``, ``topic_tags``, ``actor_tags``, ``thread_*``) when present. Dates become ISO 8601 strings, NaN
becomes null. A comment without an author gets the speaker ``[unknown]``.

Reading the folder back with discourse's ``convokit`` reader gives the same trees (depth, author, text) and
article bodies. The output is deterministic: files, keys and utterances are always in the same order.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

from discourse.errors import ReportError

ARTICLE_SPEAKER = "[article]"
NO_AUTHOR = "[unknown]"
KIND_KEY = "discourse_kind"
#: comment columns that map onto utterance fields rather than meta
CORE = ("comment_id", "article_id", "parent_id", "author", "text", "created")
FILES = ("utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO 8601, non-finite floats as null, keys sorted."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _epoch(t: dt.datetime | None) -> int | float | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    delta = t - _EPOCH
    seconds = delta.days * 86400 + delta.seconds
    return seconds if delta.microseconds == 0 else seconds + delta.microseconds / 1e6


class _Index:
    """Meta field -> the types seen, in first-seen order, as ConvoKit records them."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = {}

    def add(self, meta: dict[str, Any]) -> None:
        for k, v in meta.items():
            seen = self.types.setdefault(k, [])
            if v is not None and str(type(v)) not in seen:
                seen.append(str(type(v)))

    def dict(self) -> dict[str, list[str]]:
        return dict(sorted(self.types.items()))


def _check(df: pl.DataFrame, needed: tuple[str, ...], name: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing} (see discourse.schema)")


def write_convokit(comments: pl.DataFrame, articles: pl.DataFrame, out_dir: str | Path, *,
                   name: str | None = None) -> Path:
    """Write ``comments`` (the ``comments`` table, scored or not) and ``articles`` as a ConvoKit corpus in
    ``out_dir`` (created if needed; the five corpus files are replaced). Returns ``out_dir``.

    ``name`` goes into ``corpus.json`` (default: the folder name).

    >>> corpus = discourse.read("threads")                                   # doctest: +SKIP
    >>> write_convokit(corpus.comments, corpus.articles, "out/convokit")     # doctest: +SKIP
    PosixPath('out/convokit')
    """
    _check(comments, CORE, "comments")
    _check(articles, ("article_id",), "articles")
    out = Path(out_dir)
    extra = [c for c in comments.columns if c not in CORE]

    article_rows = {r["article_id"]: r for r in articles.iter_rows(named=True)}
    by_article: dict[str, list[dict[str, Any]]] = {aid: [] for aid in article_rows}
    for row in comments.iter_rows(named=True):
        by_article.setdefault(row["article_id"], []).append(row)
    clash = sorted(set(by_article) & {r["comment_id"] for rows in by_article.values() for r in rows})
    if clash:
        raise ValueError(f"article ids also used as comment ids: {clash[:5]}; utterance ids must be unique")

    lines: list[str] = []
    utt_index, convo_index = _Index(), _Index()
    speakers: Counter = Counter()
    conversations: dict[str, dict[str, Any]] = {}
    for aid, rows in by_article.items():
        art = article_rows.get(aid, {})
        published = art.get("published")
        timed = all(r["created"] is not None for r in rows) if rows else isinstance(published, dt.date)
        convo_meta = _plain({k: art.get(k) for k in ("title", "url", "outlet", "published")}
                            | {"timestamps": "epoch" if timed else "order"})
        convo_index.add(convo_meta)
        conversations[aid] = {"meta": convo_meta, "vectors": []}
        if not timed:
            root_time: int | float | None = 0
        elif isinstance(published, dt.date):
            root_time = _epoch(dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC))
        else:
            root_time = _epoch(min(r["created"] for r in rows))
        root_meta = {KIND_KEY: "article"}
        utt_index.add(root_meta)
        speakers[ARTICLE_SPEAKER] += 0
        lines.append(_utterance(aid, aid, art.get("body") or "", ARTICLE_SPEAKER, root_meta, None, root_time))
        ids = {r["comment_id"] for r in rows}
        for i, r in enumerate(rows, 1):
            fields = {KIND_KEY: "comment"} | {c: r[c] for c in extra}
            if not timed:
                fields["created"] = r["created"]
            meta = _plain(fields)
            utt_index.add(meta)
            speaker = r["author"] if r["author"] is not None else NO_AUTHOR
            speakers[speaker] += 1
            parent = r["parent_id"] if r["parent_id"] in ids else aid
            lines.append(_utterance(r["comment_id"], aid, r["text"] or "", speaker, meta, parent,
                                    _epoch(r["created"]) if timed else i))

    speakers_json = {s: {"meta": {"n_comments": n}, "vectors": []} for s, n in sorted(speakers.items())}
    corpus_meta = {"name": name if name is not None else out.name, "source": "discourse"}
    index = {
        "utterances-index": utt_index.dict(),
        "speakers-index": {"n_comments": ["<class 'int'>"]} if speakers_json else {},
        "conversations-index": convo_index.dict(),
        "overall-index": {k: [str(type(v))] for k, v in sorted(corpus_meta.items())},
        "version": 1,
        "vectors": [],
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "utterances.jsonl").write_text("".join(lines), encoding="utf-8", newline="\n")
        side = (("speakers.json", speakers_json), ("conversations.json", dict(sorted(conversations.items()))),
                ("corpus.json", corpus_meta), ("index.json", index))
        for fname, obj in side:
            (out / fname).write_text(json.dumps(obj, sort_keys=True) + "\n", encoding="utf-8", newline="\n")
    except OSError as err:
        raise ReportError(f"cannot write the ConvoKit corpus: {err.strerror or err}", path=out,
                          hint="check that the folder is writable") from None
    return out


def _utterance(uid: str, convo: str, text: str, speaker: str, meta: dict[str, Any], reply_to: str | None,
               timestamp: int | float | None) -> str:
    # key order as ConvoKit's dump_utterances writes it
    return json.dumps({"id": uid, "conversation_id": convo, "text": text, "speaker": speaker, "meta": meta,
                       "reply-to": reply_to, "timestamp": timestamp, "vectors": []}) + "\n"
