"""Streaming line-delimited JSON, plain or compressed, for the readers that need it (Reddit, ConvoKit, tables).

Files are read line by line, never whole: Pushshift dumps run to tens of gigabytes. gzip comes from the
standard library; zstd needs the optional ``zstandard`` package (``pip install 'discourse[zst]'``), imported
only when a ``.zst`` file is opened. Compression is recognised by the file's magic bytes, not its name.
Every line is checked against ``ReadOptions.max_line``; decompressed data against ``ReadOptions.max_bytes``.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from discourse.errors import InputError, MissingDependencyError
from discourse.readers.base import Diagnostic, ReadOptions, ReadReport, check_file

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Pushshift and Arctic Shift dumps are written with a long window; zstd refuses them under the default limit.
ZSTD_MAX_WINDOW = 2**31
#: bad lines listed one by one in the diagnostics; the rest are counted in one summary line
LISTED_BAD_LINES = 5

ZST_HINT = "install the optional extra: pip install 'discourse[zst]'"


def compression(head: bytes) -> str | None:
    """``"gzip"``, ``"zstd"`` or ``None`` from a file's first bytes."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def _zstandard():
    try:
        import zstandard
    except ImportError:
        return None
    return zstandard


def open_binary(path: Path) -> tuple[IO[bytes], str | None]:
    """The file's decompressed bytes as a buffered stream, and its compression (``None`` when plain)."""
    raw = path.open("rb")
    kind = compression(raw.read(4))
    raw.seek(0)
    if kind == "gzip":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")), kind
    if kind == "zstd":
        zstandard = _zstandard()
        if zstandard is None:
            raw.close()
            raise MissingDependencyError("reading a .zst file needs the zstandard package", path=path,
                                         hint=ZST_HINT)
        dctx = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
        reader = dctx.stream_reader(raw, read_across_frames=True, closefd=True)
        return io.BufferedReader(reader, buffer_size=1 << 20), kind
    return raw, None


def peek(path: Path, head: bytes, size: int = 64 * 1024) -> bytes:
    """The first ``size`` decompressed bytes, for sniffing; ``head`` itself for a plain file.

    Returns ``b""`` when the data cannot be decompressed here (no zstandard, corrupt file).
    """
    if compression(head) is None:
        return head
    try:
        fh, _ = open_binary(path)
    except (OSError, MissingDependencyError):
        return b""
    try:
        with fh:
            return fh.read(size)
    except Exception:
        return b""


def _stream_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [EOFError, gzip.BadGzipFile, OSError]
    zstandard = _zstandard()
    if zstandard is not None:
        errors.append(zstandard.ZstdError)
    return tuple(errors)


def iter_lines(path: Path, options: ReadOptions, diagnostics: list[Diagnostic],
               report: ReadReport) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for every non-blank line, decoded from UTF-8.

    Raises :class:`InputError` for a line over ``options.max_line`` bytes or decompressed data over
    ``options.max_bytes``. A compressed stream that ends early keeps the lines before the break and adds
    a warning. A line that is not UTF-8 is decoded with replacement characters and reported.
    """
    check_file(path, options)
    fh, kind = open_binary(path)
    errors = _stream_errors()
    total = 0
    lineno = 0
    bad_utf8 = 0
    with fh:
        while True:
            try:
                raw = fh.readline(options.max_line + 2)
            except errors as err:
                diagnostics.append(Diagnostic(
                    "warning", "truncated-stream", str(path), lineno + 1,
                    f"the {kind or 'file'} data is cut off or corrupt after line {lineno} ({err}); "
                    "the lines before it were read",
                    "download the file again"))
                report.dropped["truncated-stream"] += 1
                return
            if not raw:
                return
            lineno += 1
            total += len(raw)
            if kind is not None and total > options.max_bytes:
                raise InputError(f"decompressed data passes the {options.max_bytes:,}-byte limit at line {lineno:,}",
                                 path=path, line=lineno, hint="split the file, or raise the limit with --max-bytes")
            content = raw.rstrip(b"\r\n")
            if len(content) > options.max_line:
                raise InputError(f"line is longer than the {options.max_line:,}-byte limit", path=path,
                                 line=lineno, hint="check the file is one JSON object per line, or raise the limit")
            if not content.strip():
                continue
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                text = content.decode("utf-8", "replace")
                bad_utf8 += 1
                report.repaired["bad-utf8"] += 1
                if bad_utf8 <= LISTED_BAD_LINES:
                    diagnostics.append(Diagnostic(
                        "warning", "not-utf8", str(path), lineno,
                        "line is not valid UTF-8; undecodable bytes were replaced with U+FFFD",
                        "convert the file to UTF-8"))
            yield lineno, text.removeprefix("\ufeff") if lineno == 1 else text


def iter_json(path: Path, options: ReadOptions, diagnostics: list[Diagnostic],
              report: ReadReport) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for every line holding a JSON object.

    Lines that are not JSON are counted in ``report.dropped["bad-json"]``, JSON values that are not objects
    in ``report.dropped["not-an-object"]``; the first few of each are listed with their line number, and
    one summary diagnostic gives the total. Never raises for bad content.
    """
    bad: dict[str, list[int]] = {"bad-json": [], "not-an-object": []}  # the first few line numbers
    for lineno, text in iter_lines(path, options, diagnostics, report):
        try:
            obj = json.loads(text)
        except ValueError as err:
            _bad(bad, "bad-json", lineno, f"not valid JSON ({err.args[0] if err.args else err}); line skipped",
                 path, diagnostics, report)
            continue
        if not isinstance(obj, dict):
            _bad(bad, "not-an-object", lineno, f"a JSON {type(obj).__name__}, not an object; line skipped",
                 path, diagnostics, report)
            continue
        yield lineno, obj
    for code, lines in bad.items():
        n = report.dropped[code]
        if n > LISTED_BAD_LINES:
            diagnostics.append(Diagnostic(
                "warning", code, str(path), None,
                f"{n:,} lines skipped as {code} in all (the first {LISTED_BAD_LINES} are listed); "
                f"lines {', '.join(map(str, lines))}{' ...' if n > len(lines) else ''}",
                "check whether the file was cut off or concatenated from several sources"))


def _bad(bad: dict[str, list[int]], code: str, lineno: int, message: str, path: Path,
         diagnostics: list[Diagnostic], report: ReadReport) -> None:
    report.dropped[code] += 1
    if len(bad[code]) < 10:
        bad[code].append(lineno)
    if report.dropped[code] <= LISTED_BAD_LINES:
        diagnostics.append(Diagnostic("warning", code, str(path), lineno, message, None))
