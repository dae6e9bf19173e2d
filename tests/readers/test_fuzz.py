"""Fuzzing every reader but the text-page one: generated files (hypothesis strategies) and mutated fixtures.

Every case is read with ``discourse.read(..., strict=True)`` under a per-case time limit, and must end in one
of two ways: the file is read, or it is refused with a :class:`~discourse.errors.DiscourseError` (a one-line
error naming the file). Three oracles:

- **no traceback**: any other exception fails the case;
- **no hang**: a case running over :data:`CASE_SECONDS` fails (``SIGALRM``);
- **no silent loss**: in a file that is read, every input record is accounted for, as a comment in the
  table or as a count in the file's report (``dropped``, ``repaired["duplicate-id"]``, submissions and
  article roots kept as articles). The input's records are counted independently of the reader: lines for
  JSON Lines, rows of Python's ``csv`` module for CSV, elements of an ElementTree parse for XML, the
  generator's own list for generated HTML. Mutated HTML pages are checked for tracebacks and hangs only
  (a mutation can turn any element into a comment or out of one).

A share runs in every test run (:data:`SHORT` examples per test, a few seconds in all). Set
``DISCOURSE_FUZZ_LONG=1`` for the long run (:data:`LONG` examples for each of the 14 tests: 5,040 cases): it
prints one line per test and a total, the figures quoted in docs/formats.md ("Fuzzing").
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
import zlib
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import discourse
from discourse.errors import DiscourseError
from discourse.readers.table import _delimiter
from discourse.readers.xmlsafe import local, namespace
from discourse.readers.wxr import WP_NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LONG_RUN = os.environ.get("DISCOURSE_FUZZ_LONG") == "1"
SHORT, LONG = 8, 360
EXAMPLES = int(os.environ.get("DISCOURSE_FUZZ_EXAMPLES", LONG if LONG_RUN else SHORT))
CASE_SECONDS = 30
#: report counts that are not input records (threads, items, events)
NOT_RECORDS = frozenset({"empty-threads", "duplicate-thread-record", "truncated-stream", "related-lines"})

TALLY: Counter = Counter()
SLOWEST: dict[str, float] = {}

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
                suppress_health_check=list(HealthCheck))

# ---- hostile values --------------------------------------------------------------------------------------

EARLY, LATE = "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"
HOSTILE_TIMES = [EARLY, LATE, "9" * 400, "-" + "9" * 400, "1e400", "nan", "inf", "", " ", "0000-00-00 00:00:00",
                 "2020-13-45T99:99:99", "1695900112", "1695900112000", "2023-09-28T14:21:52+03:00",
                 "2023-09-28 14:21:52", "0001-01-01", "9999-12-31T23:59:59", "March 3, 2012 at 10:14 pm"]
HOSTILE_TEXT = ["", " ", "[deleted]", "[removed]", "[ Removed by Reddit ]", "\ud800", "a\udfffb", "\x00", "\r",
                "\r\n\r\n", "\u2028", "\ufeff", "=cmd|' /C calc'!A0", "<script>x</script>", "&amp;amp;", "]]>",
                "\"quoted, text\"", "x" * 3000, "𝕏 😀", "said:", "t3_", "t1_"]
HOSTILE_IDS = ["", " ", "0", "-1", "t3_", "t1_", "t3_s", "\ud800", "null", "None", "9" * 50, "a/b", "1.1", "x" * 200]
HOSTILE_INSERTS = [b"[" * 5000, b"{" * 3000, b'"\\ud800"', b"9" * 5000, b"\r", b"\r\r", b"\x00", b"\xff\xfe",
                   b"\x81\x8d\x8f", b"\xc3", EARLY.encode(), LATE.encode(), b"t3_", b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
                   b"depth-" + b"9" * 5000, b"]]>", b"<![CDATA[", b"&#0;", b"&#xD800;", b"\xef\xbb\xbf", b"\n" * 50,
                   b"1e999", b"-0", b'", "parent_id": "t1_', b'<li id="comment-1" class="comment depth-2">']

_text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_TEXT))
_time = st.one_of(st.none(), st.sampled_from(HOSTILE_TIMES), st.integers(-10**30, 10**30),
                  st.floats(allow_nan=True, allow_infinity=True),
                  st.datetimes().map(lambda d: d.isoformat()),
                  st.builds(lambda d, h: d.isoformat() + f"{'+' if h >= 0 else '-'}{abs(h):02d}:00",
                            st.datetimes(), st.integers(-14, 14)))
_number = st.one_of(st.none(), st.integers(-10**25, 10**25), st.sampled_from(["7", "x", "1.5", "9" * 30, ""]))
_status = st.sampled_from(["", "visible", "approved", "deleted", "removed", "pending", "spam", "trash", "0", "1",
                           "weird"])


@st.composite
def records(draw, max_size=12):
    """Comments as dicts; parents point at earlier, later, missing or the comment's own id."""
    n = draw(st.integers(1, max_size))
    ids = [draw(st.one_of(st.integers(0, 40).map(lambda i: f"c{i}"), st.sampled_from(HOSTILE_IDS)))
           for _ in range(n)]
    out = []
    for i in range(n):
        parent = draw(st.one_of(st.none(), st.sampled_from(ids), st.sampled_from(HOSTILE_IDS)))
        out.append({"id": ids[i], "parent": parent, "author": draw(st.one_of(st.none(), _text)),
                    "text": draw(_text), "time": draw(_time), "number": draw(_number), "status": draw(_status),
                    "article": draw(st.sampled_from(["a1", "a2", "", "\ud800"]))})
    return out


_json_junk = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), st.floats(),
                                    _text), lambda kids: st.lists(kids, max_size=3) |
                          st.dictionaries(_text, kids, max_size=3), max_leaves=8)


def _json(value, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _xml_chars(s: str | None) -> str:
    """The characters of ``s`` XML 1.0 can hold (others would make the whole file refused, a weaker test)."""
    return "".join(c for c in (s or "") if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c > "\uffff")


def _xml_safe(s: str | None) -> str:
    return html.escape(_xml_chars(s), quote=True)


def _cdata(s: str | None) -> str:
    return _xml_chars(s).replace("]]>", "")


# ---- generators: one file per format ---------------------------------------------------------------------

@st.composite
def reddit_files(draw):
    recs = draw(records())
    ascii_only = draw(st.booleans())
    lines = []
    for r in recs:
        obj = {"id": r["id"], "link_id": draw(st.sampled_from(["t3_s", "t3_t", "s", 12345, "", None, "t3_"])),
               "parent_id": None if r["parent"] is None else draw(st.sampled_from(["t1_", "t3_", ""])) + r["parent"],
               "author": r["author"], "body": r["text"], "created_utc": r["time"]}
        if draw(st.booleans()):
            obj["name"] = draw(st.sampled_from(["t1_" + r["id"], "t3_", "t3_" + r["id"], "t5_x", ""]))
        if draw(st.booleans()):
            obj["junk"] = draw(_json_junk)
        if draw(st.integers(0, 9)) == 0:  # a submission record instead
            obj = {"id": r["id"], "title": r["text"], "subreddit": "armenia", "selftext": r["author"],
                   "created_utc": r["time"], "permalink": draw(st.sampled_from(["/r/x", "", None]))}
        if draw(st.integers(0, 9)) == 0:
            obj = {"kind": draw(st.sampled_from(["t1", "t3", "t5", 7])), "data": obj}
        lines.append(_json(obj, ascii_only))
    lines += [draw(st.sampled_from([b"not json", b"[1, 2]", b"{" * 300 + b"}" * 300, b'"\\ud800"', b"9" * 5000]))
              for _ in range(draw(st.integers(0, 2)))]
    order = draw(st.permutations(range(len(lines))))
    data = b"\n".join(lines[i] for i in order) + b"\n"
    if draw(st.integers(0, 4)) == 0:
        data = gzip.compress(data)
        return {"rc.ndjson.gz": data}, "rc.ndjson.gz", "reddit"
    return {"rc.ndjson": data}, "rc.ndjson", "reddit"


@st.composite
def csv_files(draw):
    recs = draw(records())
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=ending)
    w.writerow(["id", "parent", "text", "author", "article", "time", "number", "status"])
    for r in recs:
        w.writerow([r["id"], r["parent"] or "", r["text"], r["author"] or "", r["article"],
                    "" if r["time"] is None else r["time"], "" if r["number"] is None else r["number"], r["status"]])
    text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-8-surrogate"]))
    if encoding == "utf-8-surrogate":
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = text.encode(encoding, "replace")
    return {"t.csv": data}, "t.csv", "table"


@st.composite
def jsonl_files(draw):
    recs = draw(records())
    ascii_only = draw(st.booleans())
    lines = []
    for r in recs:
        obj = {k: v for k, v in r.items() if draw(st.integers(0, 6))}  # drop a key now and then
        obj.setdefault("text", r["text"])
        if draw(st.booleans()):
            obj["nested"] = draw(_json_junk)
        lines.append(_json(obj, ascii_only))
    return {"t.jsonl": b"\n".join(lines) + b"\n"}, "t.jsonl", "table"


def _when(t) -> str:
    return _xml_safe(str(t) if t is not None else "")


@st.composite
def wxr_files(draw):
    recs = draw(records())
    items = []
    for k in range(draw(st.integers(1, 2))):
        comments = []
        for r in recs[k::2]:
            comments.append(
                "<wp:comment>"
                f"<wp:comment_id>{_xml_safe(r['id'])}</wp:comment_id>"
                f"<wp:comment_author><![CDATA[{_cdata(r['author'])}]]></wp:comment_author>"
                f"<wp:comment_date>{_when(draw(_time))}</wp:comment_date>"
                f"<wp:comment_date_gmt>{_when(r['time'])}</wp:comment_date_gmt>"
                f"<wp:comment_content>{_xml_safe(r['text'])}</wp:comment_content>"
                f"<wp:comment_approved>{draw(st.sampled_from(['1', '0', 'spam', 'trash', 'post-trashed', 'x']))}"
                "</wp:comment_approved>"
                f"<wp:comment_type>{draw(st.sampled_from(['', 'comment', 'pingback', 'trackback', 'odd']))}"
                "</wp:comment_type>"
                f"<wp:comment_parent>{_xml_safe(r['parent'] or '0')}</wp:comment_parent>"
                "</wp:comment>")
        post_type = draw(st.sampled_from(["post", "page", "attachment", "nav_menu_item", ""]))
        items.append(f"<item><title>{_xml_safe(draw(_text))}</title><wp:post_id>{k}</wp:post_id>"
                     f"<wp:post_type>{post_type}</wp:post_type><wp:post_date_gmt>{_when(draw(_time))}"
                     f"</wp:post_date_gmt><content:encoded>{_xml_safe(draw(_text))}</content:encoded>"
                     + "".join(comments) + "</item>")
    version = draw(st.sampled_from(["1.0", "1.1", "1.2"]))
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            f'xmlns:wp="http://wordpress.org/export/{version}/">'
            "<channel>" + "\n".join(items) + "</channel></rss>\n")
    return {"w.xml": data.encode("utf-8")}, "w.xml", "wxr"


@st.composite
def disqus_files(draw):
    recs = draw(records())
    links = st.sampled_from(["https://x.am/1/", "https://www.x.am/1", "", "http://[", "https://y.am/2"])
    threads = [f'<thread dsq:id="{t}"><link>{_xml_safe(draw(links))}'
               f"</link><title>{_xml_safe(draw(_text))}</title><createdAt>{_when(draw(_time))}</createdAt>"
               f"<isDeleted>{draw(st.sampled_from(['false', 'true']))}</isDeleted></thread>" for t in ("T1", "T2")]
    posts = []
    for r in recs:
        parent = "" if r["parent"] is None else f'<parent dsq:id="{_xml_safe(r["parent"])}"/>'
        thread = draw(st.sampled_from(['<thread dsq:id="T1"/>', '<thread dsq:id="T2"/>', '<thread dsq:id="T9"/>', ""]))
        posts.append(f'<post dsq:id="{_xml_safe(r["id"])}"><message><![CDATA[{_cdata(r["text"])}]]>'
                     f"</message><createdAt>{_when(r['time'])}</createdAt>"
                     f"<isDeleted>{draw(st.sampled_from(['false', 'true']))}</isDeleted>"
                     f"<isSpam>{draw(st.sampled_from(['false', 'true']))}</isSpam>"
                     f"<author><name>{_xml_safe(r['author'])}</name></author>{thread}{parent}</post>")
    body = [*threads, *posts]
    order = draw(st.permutations(range(len(body))))
    data = ('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n' + "\n".join(body[i] for i in order) + "\n</disqus>\n")
    return {"d.xml": data.encode("utf-8")}, "d.xml", "disqus"


@st.composite
def wordpress_files(draw):
    recs = draw(records())
    nested = draw(st.booleans())
    items = []
    for n, r in enumerate(recs, 1):
        kind = draw(st.sampled_from(["comment", "comment", "comment", "pingback", "trackback"]))
        depth = draw(st.sampled_from(["1", "2", "3", "0", "9" * 20, ""]))
        when = _xml_safe(str(r["time"]))
        pending = '<em class="comment-awaiting-moderation">Awaiting</em>' if draw(st.integers(0, 5)) == 0 else ""
        item = (f'<li id="comment-{n}" class="{kind} depth-{depth}"><article class="comment-body">'
                f'<footer class="comment-meta"><b class="fn">{_xml_safe(r["author"])}</b>'
                f'<div class="comment-metadata"><a href="#c"><time datetime="{when}">{when}</time></a></div>{pending}'
                f'</footer><div class="comment-content"><p>{_xml_safe(r["text"])}</p></div></article>')
        items.append(item + ("" if nested and n % 3 else "</li>"))
    closes = "</li>" * sum(1 for n in range(1, len(recs) + 1) if nested and n % 3)
    count = draw(st.sampled_from(["3", "one", "no", "9" * 5000, "1,234"]))
    page = ("<!doctype html><html><head><title>T</title></head><body><h1 class='entry-title'>T</h1>"
            "<div class='entry-content'><p>Body</p></div><div id='comments'>"
            f"<h2 class='comments-title'>{count} comments</h2><ol class='comment-list'>"
            + "\n".join(items) + closes + "</ol></div></body></html>")
    return {"p.html": page.encode("utf-8", "surrogatepass")}, "p.html", "wordpress-html", len(recs)


@st.composite
def convokit_folders(draw):
    recs = draw(records())
    lines = []
    for r in recs:
        obj = {"id": r["id"], "speaker": r["author"], "conversation_id": draw(st.sampled_from([None, "c0", r["id"]])),
               draw(st.sampled_from(["reply-to", "reply_to"])): r["parent"], "timestamp": r["time"], "text": r["text"],
               "meta": draw(st.one_of(st.just({}), st.fixed_dictionaries(
                   {"number": _number, "status": _status, "discourse_kind": st.sampled_from(["article", "x"])}),
                   _json_junk))}
        lines.append(_json(obj, draw(st.booleans())))
    files = {"corpus/utterances.jsonl": b"\n".join(lines) + b"\n"}
    if draw(st.booleans()):
        files["corpus/conversations.json"] = _json(
            draw(st.dictionaries(st.sampled_from(["c0", "c1", recs[0]["id"]]), st.one_of(
                st.fixed_dictionaries({"meta": st.fixed_dictionaries({"title": _text})}), _json_junk))), True)
    if draw(st.booleans()):
        files["corpus/speakers.json"] = draw(st.sampled_from([b"{}", b"[", b"[" * 3000 + b"]" * 3000,
                                                              b'{"\\ud800": 1}']))
    return files, "corpus", "convokit"


# ---- mutations of the fixtures ---------------------------------------------------------------------------

def _fixture_files() -> dict[str, list[tuple[Path, str]]]:
    out: dict[str, list[tuple[Path, str]]] = {}
    for path, fmt in [*[(p, "reddit") for p in sorted((FIXTURES / "reddit").glob("*.ndjson"))],
                      *[(p, "table") for p in sorted((FIXTURES / "table").iterdir())],
                      *[(p, "wxr") for p in sorted((FIXTURES / "wxr").glob("*.xml"))],
                      *[(p, "disqus") for p in sorted((FIXTURES / "disqus").glob("*.xml"))],
                      *[(p, "wordpress-html") for p in sorted((FIXTURES / "wordpress").glob("*.html"))],
                      *[(p, "convokit") for p in sorted((FIXTURES / "convokit").iterdir()) if p.is_dir()],
                      (FIXTURES / "same_conversation" / "reddit.ndjson", "reddit"),
                      (FIXTURES / "same_conversation" / "table.csv", "table"),
                      (FIXTURES / "same_conversation" / "wxr.xml", "wxr"),
                      (FIXTURES / "same_conversation" / "disqus.xml", "disqus"),
                      (FIXTURES / "same_conversation" / "wordpress-html.html", "wordpress-html")]:
        out.setdefault(fmt, []).append((path, fmt))
    return out


FIXTURE_FILES = _fixture_files()


def mutate(data: bytes, rng: random.Random, rounds: int) -> bytes:
    """``data`` after ``rounds`` random edits: byte flips, cuts, repeats, swaps and hostile insertions."""
    buf = bytearray(data)
    for _ in range(rounds):
        op = rng.randrange(8)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            del buf[at:at + rng.randrange(1, 200)]
        elif op == 2:
            end = min(len(buf), at + rng.randrange(1, 400))
            buf[at:at] = buf[at:end] * rng.randrange(1, 4)
        elif op == 3:
            buf[at:at] = rng.choice(HOSTILE_INSERTS)
        elif op == 4:
            del buf[at:]  # cut off
        elif op == 5:
            lines = bytes(buf).split(b"\n")
            rng.shuffle(lines)
            buf = bytearray(b"\n".join(lines))
        elif op == 6:  # a run of digits made huge
            for k in range(at, min(len(buf), at + 300)):
                if 48 <= buf[k] <= 57:
                    buf[k:k + 1] = b"9" * rng.choice([30, 400, 5000])
                    break
        else:
            buf = bytearray(bytes(buf).replace(b"\n", rng.choice([b"\r", b"\r\n", b"\n\n"])))
    return bytes(buf)


@st.composite
def mutated(draw, fmt: str):
    src, _ = draw(st.sampled_from(FIXTURE_FILES[fmt]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    rounds = draw(st.integers(1, 6))
    if src.is_dir():
        files = {f"corpus/{p.name}": p.read_bytes() for p in sorted(src.iterdir()) if p.suffix != ".p"}
        victim = draw(st.sampled_from(sorted(files)))
        files[victim] = mutate(files[victim], rng, rounds)
        return files, "corpus", fmt
    data = mutate(src.read_bytes(), rng, rounds)
    name = "m" + src.suffix
    if fmt == "reddit" and draw(st.integers(0, 3)) == 0:  # a damaged compressed dump
        packed = gzip.compress(src.read_bytes())
        data = mutate(packed, rng, 1) if draw(st.booleans()) else packed[: rng.randrange(10, len(packed))]
        name = "m.ndjson.gz"
    return {name: data}, name, fmt


# ---- running a case and its oracles ----------------------------------------------------------------------

class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: int):
    def on_alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _jsonl_records(data: bytes) -> int | None:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return None  # the reader reads to the break and says so; what follows is unknowable
    return sum(1 for line in data.split(b"\n") if line.strip())


def _csv_records(path: Path, data: bytes) -> int | None:
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    first = text.splitlines()[0] if text.splitlines() else ""
    old = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, first)))
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(old)
    return sum(1 for row in rows[1:] if any(cell.strip() for cell in row))


def _xml_records(data: bytes, fmt: str) -> int | None:
    try:
        root = ElementTree.fromstring(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    except (ElementTree.ParseError, ValueError, LookupError, OSError, EOFError, zlib.error):
        return None
    if fmt == "wxr":
        return sum(1 for e in root.iter() if local(e.tag) == "comment" and WP_NAMESPACE.fullmatch(namespace(e.tag)))
    return sum(1 for e in root.iter() if local(e.tag) == "post")


def expected_records(files: dict[str, bytes], target: str, fmt: str, tmp: Path) -> int | None:
    """How many records the input holds, counted without the reader; None when it cannot be told."""
    if fmt == "convokit":
        data = files.get("corpus/utterances.jsonl")
        return None if data is None else _jsonl_records(data)
    data = files[target]
    if fmt == "reddit" or target.endswith(".jsonl"):
        return _jsonl_records(data)
    if fmt == "table":
        return _csv_records(tmp / target, data)
    if fmt in ("wxr", "disqus"):
        return _xml_records(data, fmt)
    return None


def accounted(corpus) -> int:
    n = corpus.comments.height
    for raw in corpus.files["report"].to_list():
        report = json.loads(raw)
        n += sum(v for k, v in report["dropped"].items() if k not in NOT_RECORDS and not k.endswith("-items"))
        n += report["repaired"].get("duplicate-id", 0)
        n += report["kept"].get("submissions", 0) + report["kept"].get("article-roots", 0)
    return n


def run_case(test: str, files: dict[str, bytes], target: str, fmt: str, expected: int | None = None,
             check_loss: bool = True) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
        if expected is None and check_loss:
            expected = expected_records(files, target, fmt, tmp)
        start = time.perf_counter()
        TALLY[test, "cases"] += 1
        try:
            with time_limit(CASE_SECONDS):
                corpus = discourse.read([tmp / target], format=fmt, strict=True)
        except DiscourseError as err:
            TALLY[test, "refused"] += 1
            assert str(tmp / target) in str(err) or str(tmp) in str(err), f"error does not name the file: {err}"
            return
        except Hang:
            TALLY[test, "hangs"] += 1
            raise
        except Exception:
            TALLY[test, "tracebacks"] += 1
            raise
        finally:
            SLOWEST[test] = max(SLOWEST.get(test, 0.0), time.perf_counter() - start)
        TALLY[test, "read"] += 1
        TALLY[test, "comments"] += corpus.comments.height
        if check_loss and expected is not None:
            TALLY[test, "records"] += expected
            got = accounted(corpus)
            if got != expected:
                TALLY[test, "losses"] += 1
            assert got == expected, (f"{expected} records in, {got} accounted for: "
                                     f"{corpus.files['report'].to_list()} {corpus.diagnostics.rows()[:8]}")


# ---- the tests -------------------------------------------------------------------------------------------

@FUZZ
@given(case=reddit_files())
def test_fuzz_reddit_generated(case):
    run_case("reddit generated", *case)


@FUZZ
@given(case=mutated("reddit"))
def test_fuzz_reddit_mutated(case):
    run_case("reddit mutated", *case)


@FUZZ
@given(case=csv_files())
def test_fuzz_csv_generated(case):
    run_case("csv generated", *case)


@FUZZ
@given(case=jsonl_files())
def test_fuzz_jsonl_generated(case):
    run_case("jsonl generated", *case)


@FUZZ
@given(case=mutated("table"))
def test_fuzz_table_mutated(case):
    run_case("table mutated", *case)


@FUZZ
@given(case=wxr_files())
def test_fuzz_wxr_generated(case):
    run_case("wxr generated", *case)


@FUZZ
@given(case=mutated("wxr"))
def test_fuzz_wxr_mutated(case):
    run_case("wxr mutated", *case)


@FUZZ
@given(case=disqus_files())
def test_fuzz_disqus_generated(case):
    run_case("disqus generated", *case)


@FUZZ
@given(case=mutated("disqus"))
def test_fuzz_disqus_mutated(case):
    run_case("disqus mutated", *case)


@FUZZ
@given(case=wordpress_files())
def test_fuzz_wordpress_generated(case):
    files, target, fmt, n = case
    run_case("wordpress-html generated", files, target, fmt, expected=n)


@FUZZ
@given(case=mutated("wordpress-html"))
def test_fuzz_wordpress_mutated(case):
    run_case("wordpress-html mutated", *case, check_loss=False)


@FUZZ
@given(case=convokit_folders())
def test_fuzz_convokit_generated(case):
    run_case("convokit generated", *case)


@FUZZ
@given(case=mutated("convokit"))
def test_fuzz_convokit_mutated(case):
    run_case("convokit mutated", *case)


@FUZZ
@given(case=st.one_of(reddit_files(), csv_files(), wxr_files(), disqus_files(), convokit_folders()))
def test_fuzz_detection(case):
    """The same files with no format named: detection must not fail where reading would not."""
    files, target, _ = case
    run_case("detected", files, target, None, check_loss=False)  # type: ignore[arg-type]


@pytest.fixture(scope="module", autouse=True)
def fuzz_figures():
    yield
    if not LONG_RUN:
        return
    tests = sorted({t for t, _ in TALLY})
    lines = [f"{'test':<26}{'cases':>7}{'read':>7}{'refused':>8}{'records':>9}{'tracebacks':>11}{'hangs':>6}"
             f"{'losses':>7}{'slowest s':>10}"]
    for t in tests:
        lines.append(f"{t:<26}{TALLY[t, 'cases']:>7}{TALLY[t, 'read']:>7}{TALLY[t, 'refused']:>8}"
                     f"{TALLY[t, 'records']:>9}{TALLY[t, 'tracebacks']:>11}{TALLY[t, 'hangs']:>6}"
                     f"{TALLY[t, 'losses']:>7}{SLOWEST.get(t, 0):>10.2f}")
    total = {k: sum(TALLY[t, k] for t in tests) for k in ("cases", "read", "refused", "records", "tracebacks",
                                                          "hangs", "losses")}
    lines.append(f"{'all':<26}{total['cases']:>7}{total['read']:>7}{total['refused']:>8}{total['records']:>9}"
                 f"{total['tracebacks']:>11}{total['hangs']:>6}{total['losses']:>7}"
                 f"{max(SLOWEST.values(), default=0):>10.2f}")
    sys.stderr.write("\n" + "\n".join(lines) + "\n")
    out = os.environ.get("DISCOURSE_FUZZ_FIGURES")
    if out:
        Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
