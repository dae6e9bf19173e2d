"""How reading grows with hostile and damaged input: each pathological file at 1x, 2x, 4x and 8x its size.

    python benchmarks/bench_growth.py                 # every input
    python benchmarks/bench_growth.py --only csv-chain,wp-comments

Each run reads one generated file with ``discourse.read`` in a fresh process and reports the CPU time of the
read (``time.process_time``: every thread of the process, none of the time it waits for a core, so a busy
shared machine does not bend the ratios) and the process's peak memory. Every size runs ``--repeat`` times
(3) and the best time counts. Linear growth shows as time ratios near 2, 4 and 8; the last
columns give the ratios, the peak resident memory at 8x (MB) and the longest comment id at 8x (characters).
Single process, single core.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import scaling

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))



def _reddit(i: int, parent: str, body: str = "text", **kw) -> str:
    return json.dumps({"id": i if isinstance(i, str) else f"c{i}", "link_id": "t3_s", "parent_id": parent,
                       "author": "ani", "body": body, "created_utc": 1_700_000_000 + (i if isinstance(i, int) else 0),
                       **kw})


# every input: name -> (what it is, unit of the base size, base size, writer(path folder, n) -> (path, format))

def csv_chain(d: Path, n: int):
    """A reply chain n deep in a CSV (ids were paths: 32,000 deep needed 3.3 GB)."""
    p = d / "chain.csv"
    p.write_text("id,parent,text\n" + "".join(f"{i},{i - 1 if i else ''},reply number {i}\n" for i in range(n)))
    return p, "table"


def reddit_chain(d: Path, n: int):
    p = d / "chain.ndjson"
    p.write_text("".join(_reddit(i, f"t1_c{i - 1}" if i else "t3_s") + "\n" for i in range(n)))
    return p, "reddit"


def wxr_chain(d: Path, n: int):
    comments = "".join(f"<wp:comment><wp:comment_id>{i + 1}</wp:comment_id><wp:comment_content>reply {i}"
                       f"</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{i}"
                       f"</wp:comment_parent><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt>"
                       "</wp:comment>\n" for i in range(n))
    p = d / "chain.xml"
    p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
                 f"<item><title>T</title><wp:post_id>1</wp:post_id>{comments}</item></channel></rss>\n")
    return p, "wxr"


def disqus_chain(d: Path, n: int):
    parent = '<parent dsq:id="{}"/>'
    posts = "".join(f'<post dsq:id="{i + 1}"><message>reply {i}</message><createdAt>2020-01-01T00:00:00Z</createdAt>'
                    f'<thread dsq:id="T"/>{parent.format(i) if i else ""}</post>\n' for i in range(n))
    p = d / "chain.xml"
    p.write_text('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
                 'xmlns:dsq="http://disqus.com/disqus-internals"><thread dsq:id="T"><link>https://x.am/1</link>'
                 f"<title>T</title></thread>\n{posts}</disqus>\n")
    return p, "disqus"


def convokit_chain(d: Path, n: int):
    folder = d / "corpus"
    folder.mkdir()
    (folder / "utterances.jsonl").write_text("".join(
        json.dumps({"id": f"u{i}", "speaker": "s", "conversation_id": None, "reply-to": f"u{i - 1}" if i else None,
                    "timestamp": 1_700_000_000 + i, "text": f"reply {i}", "meta": {}}) + "\n" for i in range(n)))
    return folder, "convokit"


def wp_comments(d: Path, n: int):
    """A saved WordPress page with n comments (line numbers were counted per comment: 20k took 19 s)."""
    items = "".join(f'<li id="comment-{i}" class="comment depth-1">\n<article class="comment-body">\n'
                    f'<footer class="comment-meta"><b class="fn">A{i}</b><time datetime="2020-10-02T09:15:00+04:00">'
                    f'x</time></footer>\n<div class="comment-content"><p>comment {i}</p></div>\n</article>\n</li>\n'
                    for i in range(1, n + 1))
    p = d / "page.html"
    p.write_text(f'<html><body><h1 class="entry-title">T</h1><div class="entry-content"><p>Body</p></div>'
                 f'<ol class="comment-list">\n{items}</ol></body></html>\n')
    return p, "wordpress-html"


def wp_nested(d: Path, n: int):
    """WordPress comments nested n deep (each the reply to the one before)."""
    opens = "".join(f'<li id="comment-{i}" class="comment depth-{i}"><div class="comment-content"><p>c{i}</p>'
                    '</div><ol class="children">\n' for i in range(1, n + 1))
    p = d / "nested.html"
    p.write_text('<html><body><ol class="comment-list">\n' + opens + "</ol></li>" * n + "</ol></body></html>\n")
    return p, "wordpress-html"


def json_nesting(d: Path, n: int):
    """One JSON Lines record nested n levels deep between two good ones (was a RecursionError)."""
    p = d / "deep.jsonl"
    p.write_text('{"id": "1", "text": "a"}\n{"id": "2", "text": ' + "[" * n + "]" * n + '}\n{"id": "3", "text": "b"}\n')
    return p, "table"


def surrogate_ids(d: Path, n: int):
    """n Reddit comments whose ids and bodies hold lone surrogates (was a UnicodeEncodeError)."""
    p = d / "surrogates.ndjson"
    p.write_text("".join(_reddit(f"\\ud800{i}", "t3_s", body="a \\udfff b").replace("\\\\u", "\\u") + "\n"
                         for i in range(n)))
    return p, "reddit"


def csv_cr(d: Path, n: int):
    """A CSV with CR line ends only (was a csv.Error in the sniffer)."""
    p = d / "cr.csv"
    p.write_bytes(b"id,parent,text\r" + b"".join(f"{i},,comment {i}\r".encode() for i in range(n)))
    return p, "table"


def csv_undecodable(d: Path, n: int):
    """A CSV whose every other line is neither UTF-8 nor cp1252 (was a UnicodeDecodeError)."""
    p = d / "bytes.csv"
    p.write_bytes(b"id,parent,text\n" + b"".join(
        (f"{i},,bad \x81 byte {i}\n" if i % 2 else f"{i},,caf\u00e9 {i}\n").encode("latin-1") for i in range(n)))
    return p, "table"


def out_of_range_times(d: Path, n: int):
    """n CSV rows whose times overflow once in UTC, or are 400-digit epochs (were OverflowErrors)."""
    times = ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "9" * 400)
    p = d / "times.csv"
    p.write_text("id,parent,text,time\n" + "".join(f"{i},,c {i},{times[i % 3]}\n" for i in range(n)))
    return p, "table"


def big_numbers(d: Path, n: int):
    """n JSON Lines rows with numbers beyond int64 (were nulled silently)."""
    p = d / "numbers.jsonl"
    p.write_text("".join(f'{{"id": "{i}", "text": "c", "number": {10**30 + i}}}\n' for i in range(n)))
    return p, "table"


def long_digit_runs(d: Path, n: int):
    """A WordPress page whose depth class and comment count are n-digit numbers (were ValueErrors)."""
    p = d / "digits.html"
    p.write_text(f'<html><body><h2 class="comments-title">{"9" * n} comments</h2><ol class="comment-list">'
                 f'<li id="comment-1" class="comment depth-{"9" * n}"><div class="comment-content"><p>x</p></div>'
                 "</li></ol></body></html>")
    return p, "wordpress-html"


def truncated_gzip(d: Path, n: int):
    """A gzip Reddit dump of n lines cut off half way (was refused as a binary file)."""
    data = gzip.compress("".join(_reddit(i, "t3_s", body="words " * 10) + "\n" for i in range(n)).encode())
    p = d / "RC.ndjson.gz"
    p.write_bytes(data[: len(data) // 2])
    return p, "reddit"


def csv_nul(d: Path, n: int):
    """A CSV whose every tenth row holds a NUL byte, ending in a zeroed block (was refused as binary)."""
    p = d / "nul.csv"
    p.write_bytes(b"id,parent,text\n" + b"".join(
        (f"{i},,bro\x00ken {i}\n" if i % 10 == 9 else f"{i},,comment {i}\n").encode() for i in range(n))
        + b"\x00" * 4096)
    return p, "table"


def xml_gz_garbage(d: Path, n: int):
    """A .xml.gz WXR export of n comments followed by bytes that are not gzip (was refused as damaged)."""
    path, _ = wxr_chain(d, n)
    p = d / "export.xml.gz"
    p.write_bytes(gzip.compress(path.read_bytes()) + b"trailing bytes, not gzip " * 40)
    return p, "wxr"


INPUTS = {
    "csv-chain": ("CSV reply chain", "deep", 4000, csv_chain),
    "reddit-chain": ("Reddit reply chain", "deep", 4000, reddit_chain),
    "wxr-chain": ("WXR reply chain", "deep", 4000, wxr_chain),
    "disqus-chain": ("Disqus reply chain", "deep", 4000, disqus_chain),
    "convokit-chain": ("ConvoKit reply chain, no conversation ids", "deep", 4000, convokit_chain),
    "wp-comments": ("WordPress page, comments", "comments", 2500, wp_comments),
    "wp-nested": ("WordPress page, nested comments", "deep", 500, wp_nested),
    "json-nesting": ("JSON Lines record nesting", "levels", 250_000, json_nesting),
    "surrogates": ("Reddit lone-surrogate ids", "lines", 4000, surrogate_ids),
    "csv-cr": ("CSV with CR line ends", "rows", 10_000, csv_cr),
    "csv-bytes": ("CSV lines neither UTF-8 nor cp1252", "rows", 10_000, csv_undecodable),
    "times": ("CSV times out of range", "rows", 10_000, out_of_range_times),
    "int64": ("JSON Lines numbers beyond int64", "rows", 10_000, big_numbers),
    "digits": ("WordPress n-digit depth class and count", "digits", 50_000, long_digit_runs),
    "gzip-cut": ("gzip dump cut half way", "lines", 10_000, truncated_gzip),
    "csv-nul": ("CSV rows with NUL bytes", "rows", 10_000, csv_nul),
    "xml-gz-garbage": ("WXR .xml.gz with trailing garbage", "comments", 4000, xml_gz_garbage),
}


def one(name: str, n: int) -> dict:
    """Write input ``name`` at size ``n``, read it, and return the seconds and the comments read."""
    import discourse

    with tempfile.TemporaryDirectory() as d:
        path, fmt = INPUTS[name][3](Path(d), n)
        start = time.process_time()
        corpus = discourse.read([path], format=fmt)
        seconds = time.process_time() - start
    errors = corpus.diagnostics.filter(corpus.diagnostics["level"] == "error")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "comments": corpus.comments.height, "errors": errors.height, "peak_mb": peak_mb,
            "longest_id": int(corpus.comments["comment_id"].str.len_chars().max() or 0)}


if __name__ == "__main__":
    scaling.main(__doc__, __file__, INPUTS, one, name_width=44, size_width=14, extra=(("8x id", "longest_id"),))
