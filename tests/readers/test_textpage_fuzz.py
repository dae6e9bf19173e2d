"""Fuzzing the text-page reader with mutations of real pages: no crash, no line lost without a report.

Each case takes a development page (tests/data/comment_pages/) or a bundled thread and applies one to
four seeded mutations: deleted, duplicated and swapped lines, CR / LF / CRLF mixes, bad bytes,
truncation at any byte, indentation noise. The reader must not raise, must give every non-blank line
exactly one role, must report every ``unrecognised`` and
``comment_suspected`` line in a diagnostic that names it, and must warn
about every line holding a byte that is not UTF-8.

A short run (300 cases) is part of the normal test run; ``DISCOURSE_FUZZ_LONG=1`` runs 6,000 cases
(``DISCOURSE_FUZZ_CASES=N`` sets the number, ``DISCOURSE_FUZZ_SEED=S`` the seed) and prints the figures.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from discourse.readers import textpage

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "tests" / "data" / "comment_pages").glob("*.txt")) + sorted((ROOT / "threads").glob("*.txt"))
PAGES = [p.read_bytes() for p in SOURCES]
LONG = os.environ.get("DISCOURSE_FUZZ_LONG") == "1"
CASES = int(os.environ.get("DISCOURSE_FUZZ_CASES", "6000" if LONG else "300"))
SEED = int(os.environ.get("DISCOURSE_FUZZ_SEED", "20261207"))
_MARKER = re.compile(r"^\s*(?:\d{1,5}[.)]|[•◦▪▫‣○●■□*\-–])[ \t]+")
_RANGE = re.compile(r"lines ([\d, -]+) are kept aside")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """``data`` with one to four mutations, and their names."""
    done = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["delete", "duplicate", "swap", "line-ends", "bad-byte", "truncate", "indent"])
        lines = _lines(data)
        n = len(lines)
        if kind == "delete" and n > 1:
            for _ in range(rng.randint(1, 3)):
                if len(lines) > 1:
                    del lines[rng.randrange(len(lines))]
        elif kind == "duplicate":
            i = rng.randrange(n)
            lines[i:i] = [lines[i]] * rng.randint(1, 3)
        elif kind == "swap" and n > 1:
            i, j = rng.randrange(n), rng.randrange(n)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "line-ends":
            ends = [b"\n", b"\r\n", b"\r"]
            out = b""
            for k, ln in enumerate(lines):
                out += ln + (rng.choice(ends) if k < n - 1 else b"")
            data = out
            done.append(kind)
            continue
        elif kind == "bad-byte":
            i = rng.randrange(n)
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + bytes([rng.choice([0x80, 0x81, 0x8d, 0x9d, 0xc0, 0xe9, 0xff, 0xfe])]) + lines[i][at:]
        elif kind == "truncate":
            data = data[:rng.randint(1, max(1, len(data)))]
            done.append(kind)
            continue
        elif kind == "indent":
            for _ in range(rng.randint(1, 6)):
                i = rng.randrange(n)
                op = rng.choice(["add", "strip", "tab"])
                if op == "add":
                    lines[i] = b" " * rng.randint(1, 6) + lines[i]
                elif op == "strip":
                    lines[i] = lines[i].lstrip()
                else:
                    lines[i] = b"\t" + lines[i]
        data = b"\n".join(lines)
        done.append(kind)
    return data, done


def check(data: bytes, where: str) -> Counter:
    """Read ``data`` as a page and check the promises; returns counts of what was found."""
    diags: list = []
    raw = textpage.split_lines(data)
    lines = textpage.decode_lines(raw, where, diags)
    parsed = textpage.parse_lines(lines, where, roles=True, diags=diags)
    nonblank = [i + 1 for i, ln in enumerate(lines) if ln.strip()]
    got = [r[0] for r in parsed.roles]
    assert got == nonblank, f"{where}: not every non-blank line has exactly one role"
    roles = Counter(r[1] for r in parsed.roles)
    assert set(roles) <= set(textpage.ROLES), f"{where}: unknown roles {set(roles) - set(textpage.ROLES)}"
    named: set[int] = {d.line for d in parsed.diagnostics if d.line is not None}
    for d in parsed.diagnostics:
        m = _RANGE.search(d.message)
        if m:
            for part in m[1].split(", "):
                a, _, b = part.partition("-")
                named.update(range(int(a), int(b or a) + 1))
    lost = [r[0] for r in parsed.roles if r[1] in ("unrecognised", "comment_suspected") and r[0] not in named]
    assert not lost, f"{where}: unrecognised or suspected-comment lines {lost} reported nowhere"
    bad = [k + 1 for k, b in enumerate(raw) if _not_utf8(b)]
    warned = {d.line for d in parsed.diagnostics if d.code in ("bad-bytes", "not-utf8")}
    assert set(bad) <= warned, f"{where}: lines {sorted(set(bad) - warned)} hold bad bytes with no warning"
    art = parsed.articles[0]
    by_id = {c.source_id: c for c in art.comments}
    for line, role, ref, text in parsed.roles:
        if role == "comment_body":
            words = _MARKER.sub("", text).strip()
            assert words in by_id[ref].text, f"{where}:{line} missing from its comment"
        elif role in ("body", "caption"):
            assert any(text.strip() in p.text for p in art.paragraphs), f"{where}:{line} missing from the article"
    out = Counter(roles)
    out["comments"] = len(art.comments)
    out["warnings"] = sum(d.level == "warning" for d in parsed.diagnostics)
    return out


def _not_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def test_every_source_page_reads_unchanged():
    for path, data in zip(SOURCES, PAGES):
        check(data, path.name)


@pytest.mark.parametrize("block", range(4))
def test_mutated_pages(block):
    n = CASES // 4
    rng = random.Random(SEED + block)
    kinds: Counter = Counter()
    totals: Counter = Counter()
    start = time.perf_counter()
    for case in range(n):
        k = rng.randrange(len(PAGES))
        data, done = mutate(PAGES[k], rng)
        kinds.update(done)
        totals.update(check(data, f"{SOURCES[k].name}#case{block}.{case}({','.join(done)})"))
    if LONG:
        print(f"\nfuzz block {block}: {n} cases in {time.perf_counter() - start:.1f} s, no crash, no line lost; "
              f"mutations {dict(sorted(kinds.items()))}; lines by role {dict(sorted(totals.items()))}")
