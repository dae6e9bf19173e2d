"""A Cornell ConvoKit corpus folder: ``utterances.jsonl`` plus ``speakers.json``, ``conversations.json``,
``corpus.json`` and ``index.json``.

Each conversation becomes one article, keyed by its conversation id. ``utterances.jsonl`` is streamed; the
older ``utterances.json`` (one JSON array) is read whole, within ``ReadOptions.max_bytes``. Every spelling
ConvoKit's own loader accepts is accepted: ``reply-to`` or ``reply_to``, ``speaker`` or ``user``,
``conversation_id`` or ``root``, ``speakers.json`` or ``users.json``, meta stored as ``{"meta": ...,
"vectors": ...}`` or as the meta dict itself. Missing conversation ids are filled by walking the replies up.

**The conversation root.** A conversation whose root utterance is a *post* — the root of ConvoKit's Reddit
corpora, or the article utterance :func:`discourse.writers.write_convokit` writes — gives the article: its
text becomes the article body and the utterances replying to it become top-level comments. The root counts
as a post when the conversation's meta has a ``title`` or the utterance's meta says
``"discourse_kind": "article"``. Otherwise (the Supreme Court corpus, Conversations Gone Awry) the root is a
comment like the others, at depth 0.

A conversation whose meta says ``"timestamps": "order"`` (what the writer does for comments without times)
has display positions, not times, as timestamps; comment times are then read from the utterance meta
``created``.

Binary metadata (``<##bin{N}&&@**>`` placeholders pointing into ``*-bin.p`` pickles) stays opaque: pickles
can run code, so they are never opened; the fields are named in a note. Speakers ``[deleted]``,
``[removed]`` and ``[unknown]`` name no one: their comments get a null author, as do the per-comment
speakers discourse's writer gives comments without an author (``[unknown] #<id>``); for a shared name
(``Anonymous #<id>``) the name is taken from the utterance's meta ``author``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from discourse.errors import FormatError, InputError
from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, FileReading, Paragraph, ParsedFile, Reader, ReadOptions, ReadReport,
    Status, check_file,
)
from discourse.readers.jsonlines import iter_json, loads
from discourse.readers.values import dead, id_string, parse_time

NAME = "convokit"

UTTERANCE_FILES = ("utterances.jsonl", "utterances.json")
SPEAKER_FILES = ("speakers.json", "users.json")
BIN_PLACEHOLDER = re.compile(r"<##bin\{\d+\}&&@\*\*>")
#: speaker ids that stand for no one (Reddit's deleted accounts; the writer's author-less comments)
NO_SPEAKER = frozenset({"[deleted]", "[removed]", "[unknown]"})
#: utterance meta key and value marking a root utterance that holds an article
KIND_KEY, ARTICLE_KIND = "discourse_kind", "article"
STATUSES = frozenset(get_args(Status))


def sniff(path: Path, head: bytes) -> float:
    """A folder holding ``utterances.jsonl`` or ``utterances.json``."""
    if not path.is_dir():
        return 0.0
    return 0.95 if any((path / f).is_file() for f in UTTERANCE_FILES) else 0.0


@dataclass
class _Utt:
    id: str
    reply_to: str | None
    speaker: str | None
    conversation: str | None
    text: str
    created: dt.datetime | None
    meta: dict[str, Any]
    line: int | None
    order: int


def _meta(value: object) -> dict[str, Any]:
    """The meta dict of a speakers/conversations entry in either layout (new: under ``meta``)."""
    if not isinstance(value, dict):
        return {}
    inner = value.get("meta")
    return inner if isinstance(inner, dict) else value


class _Reading(FileReading):
    def __init__(self, folder: Path, options: ReadOptions) -> None:
        super().__init__(folder, options, NAME)
        self.folder = folder
        self.binary_fields: set[str] = set()

    def load_json(self, name: str) -> Any:
        """A side file (speakers, conversations, corpus, index) or ``None`` when absent or unreadable."""
        path = self.folder / name
        if not path.is_file():
            return None
        check_file(path, self.options)
        try:
            value, replaced = loads(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
        except (ValueError, UnicodeDecodeError) as err:
            self.warn("bad-json", None, f"not valid JSON ({err}); ignored",
                      "re-export the corpus, or delete the file", path=path)
            return None
        if replaced:
            self.report.repaired["lone-surrogate"] += 1
            self.warn("lone-surrogate", None, "unpaired UTF-16 surrogate escapes (such as \\ud800) stand for no "
                      "character; replaced with U+FFFD", None, path=path)
        return value

    def utterances(self) -> Iterator[tuple[Path, int | None, dict[str, Any]]]:
        jsonl = self.folder / UTTERANCE_FILES[0]
        if jsonl.is_file():
            for line, obj in iter_json(jsonl, self.options, self.diags, self.report):
                yield jsonl, line, obj
            return
        path = self.folder / UTTERANCE_FILES[1]
        data = self.load_json(UTTERANCE_FILES[1])
        if not isinstance(data, list):
            raise FormatError("utterances.json is not a JSON array of utterances", path=path,
                              hint="ConvoKit writes utterances.jsonl, one utterance per line")
        for k, obj in enumerate(data, 1):
            if isinstance(obj, dict):
                yield path, None, obj
            else:
                self.report.dropped["not-an-object"] += 1
                self.warn("not-an-object", None, f"utterance #{k} is a JSON {type(obj).__name__}; skipped",
                          path=path)

    def utterance(self, path: Path, line: int | None, obj: dict[str, Any], order: int) -> _Utt | None:
        uid = id_string(obj.get("id"))
        if uid is None:
            self.report.dropped["no-id"] += 1
            self.warn("no-id", line, "utterance without an id; skipped", path=path)
            return None
        reply = obj["reply-to"] if "reply-to" in obj else obj.get("reply_to")
        speaker = obj["speaker"] if "speaker" in obj else obj.get("user")
        conv = obj["conversation_id"] if "conversation_id" in obj else obj.get("root")
        text = obj.get("text")
        meta: dict[str, Any] = obj["meta"] if isinstance(obj.get("meta"), dict) else {}
        for k, v in meta.items():
            if isinstance(v, str) and BIN_PLACEHOLDER.fullmatch(v):
                self.binary_fields.add(k)
        try:
            created = parse_time(obj.get("timestamp"), self.options.timezone)[0]
        except ValueError as err:
            created = None
            self.report.repaired["bad-time"] += 1
            self.warn("bad-time", line, f"timestamp of utterance {uid!r}: {err}; left empty", path=path)
        return _Utt(uid, id_string(reply), id_string(speaker) if not isinstance(speaker, dict) else None,
                    id_string(conv), text if isinstance(text, str) else "", created, meta, line, order)


def _fill_conversations(utts: list[_Utt], report: ReadReport) -> None:
    """Give an utterance without a conversation id that of the utterance it replies to, up to a root."""
    by_id = {u.id: u for u in utts}
    for u in utts:
        if u.conversation is not None:
            continue
        chain, seen, top = [u], {u.id}, u
        while top.conversation is None and top.reply_to in by_id and top.reply_to not in seen:
            top = by_id[top.reply_to]
            seen.add(top.id)
            chain.append(top)
        conv = top.conversation or (top.reply_to if top.reply_to is not None else top.id)
        for c in chain:
            if c.conversation is None:
                c.conversation = conv
                report.repaired["conversation-id"] += 1


def _status(u: _Utt) -> tuple[Status, str]:
    s = u.meta.get("status")
    if isinstance(s, str) and s in STATUSES:
        return s, u.text  # type: ignore[return-value]
    d = dead(u.text)
    return (d, "") if d else ("visible", u.text)


def _retrieved(meta: dict[str, Any]) -> float | None:
    for k in ("retrieved_on", "retrieved_utc"):
        v = meta.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def _meta_time(value: object) -> dt.datetime | None:
    try:
        return parse_time(value)[0] if isinstance(value, str) else None
    except ValueError:
        return None


def _published(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def read(path: Path, options: ReadOptions) -> ParsedFile:
    if not path.is_dir():
        raise InputError("not a ConvoKit corpus folder", path=path,
                         hint="pass the folder that holds utterances.jsonl")
    if not any((path / f).is_file() for f in UTTERANCE_FILES):
        raise InputError("no utterances.jsonl or utterances.json in this folder", path=path,
                         hint="pass the corpus folder itself (the one with utterances.jsonl)")
    r = _Reading(path, options)

    utts: list[_Utt] = []
    for k, (upath, line, obj) in enumerate(r.utterances()):
        u = r.utterance(upath, line, obj, k)
        if u is not None:
            utts.append(u)
    r.report.kept["utterances"] = len(utts)
    if not utts:
        raise FormatError("the corpus has no utterances", path=path, hint="check utterances.jsonl")
    _fill_conversations(utts, r.report)

    convs_raw = r.load_json("conversations.json")
    conv_meta = {str(k): _meta(v) for k, v in convs_raw.items()} if isinstance(convs_raw, dict) else {}
    if convs_raw is None:
        r.diags.append(Diagnostic("note", "no-conversations-file", str(path), None,
                                  "no conversations.json: conversations have no titles", None))
    speakers_raw = next((r.load_json(f) for f in SPEAKER_FILES if (path / f).is_file()), None)
    if isinstance(speakers_raw, dict):
        r.report.kept["speakers"] = len(speakers_raw)
    index = r.load_json("index.json")
    if isinstance(index, dict):
        for key in ("utterances-index", "speakers-index", "users-index", "conversations-index", "overall-index"):
            fields = index.get(key)
            for field, types in (fields.items() if isinstance(fields, dict) else ()):
                if types == "bin" or (isinstance(types, list) and types[:1] == ["bin"]):
                    r.binary_fields.add(field)
    if r.binary_fields:
        r.diags.append(Diagnostic(
            "note", "binary-meta", str(path), None,
            "binary (pickled) metadata left unread: " + ", ".join(sorted(r.binary_fields)),
            "pickles can run code when opened; load them with ConvoKit only if you trust the corpus"))

    groups: dict[str, list[_Utt]] = {}
    for u in utts:
        groups.setdefault(u.conversation, []).append(u)  # type: ignore[arg-type]

    articles: list[ArticleRecord] = []
    untitled: list[str] = []
    for conv, members in groups.items():
        meta = conv_meta.get(conv, {})
        title = meta.get("title") if isinstance(meta.get("title"), str) and meta["title"].strip() else None
        if meta.get("timestamps") == "order":
            # written by discourse for untimed comments: timestamps are display positions, times are in meta
            for u in members:
                u.created = _meta_time(u.meta.get("created"))
        root = next((u for u in members if u.id == conv and u.reply_to is None), None)
        is_post = title is not None or (root is not None and root.meta.get(KIND_KEY) == ARTICLE_KIND)
        art = ArticleRecord(title=title.strip() if title else None, key=conv,
                            url=meta.get("url") if isinstance(meta.get("url"), str) else None,
                            published=_published(meta.get("published")))
        if is_post and root is not None:
            r.report.kept["article-roots"] += 1
            if not dead(root.text):
                for para in re.split(r"\n[ \t]*\n", root.text.replace("\r\n", "\n")):
                    if para.strip():
                        art.paragraphs.append(Paragraph(para.strip(), "body", root.line, root.line))
            if art.published is None and root.created is not None:
                art.published = root.created.date()
        for u in members:
            if is_post and u is root:
                continue
            parent = u.reply_to
            if is_post and parent == conv:
                parent = None  # a reply to the post is a top-level comment
            status, text = _status(u)
            number = u.meta.get("number")
            if isinstance(number, int) and not isinstance(number, bool) and not -(2**63) <= number < 2**63:
                r.report.repaired["bad-number"] += 1
                r.warn("bad-number", u.line, f"meta number of utterance {u.id!r} is beyond the 64-bit range; "
                       "left empty", None, path=path / UTTERANCE_FILES[0] if u.line is not None else None)
                number = None
            author = None if u.speaker in NO_SPEAKER else u.speaker
            if u.meta.get(KIND_KEY) == "comment" and author is not None and author.endswith(" #" + u.id):
                # discourse's writer gives a comment under a shared name (or none) a speaker of its own
                author = u.meta["author"] if isinstance(u.meta.get("author"), str) else None
            art.comments.append(CommentRecord(
                source_id=u.id, parent=parent, author=author, text=text,
                created=u.created, number=number if isinstance(number, int) and not isinstance(number, bool) else None,
                status=status, line_start=u.line, line_end=u.line, order=u.order, retrieved=_retrieved(u.meta)))
        if art.title is None:
            art.title = f"conversation {conv}"
            untitled.append(conv)
        articles.append(art)
    if untitled:
        shown = ", ".join(untitled[:5]) + (" ..." if len(untitled) > 5 else "")
        r.diags.append(Diagnostic("note", "no-title", str(path), None,
                                  f"{len(untitled):,} conversation(s) have no title in conversations.json ({shown}); "
                                  "titled 'conversation <id>'", None))
    r.parsed.articles = articles
    return r.finished()


READER = Reader(NAME, "ConvoKit corpus folder (utterances.jsonl, speakers.json, conversations.json)",
                (), sniff, read, directory=True)
