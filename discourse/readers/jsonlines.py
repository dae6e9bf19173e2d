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
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from discourse.errors import InputError, MissingDependencyError
from discourse.readers.base import LISTED_BAD_LINES, Diagnostic, ReadOptions, ReadReport, check_file

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: Pushshift and Arctic Shift dumps are written with a long window; zstd refuses them under the default limit.
ZSTD_MAX_WINDOW = 2**31

ZST_HINT = "install the optional extra: pip install 'discourse[zst]'"
#: JSON nested deeper than this is refused line by line (no comment record comes close; Python's parser
#: would run out of stack near 1,000 levels)
MAX_DEPTH = 200
#: compressed bytes read, and decompressed bytes made, per step of a gzip stream
_GZ_IN = 1 << 16
_GZ_OUT = 1 << 20

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def depth(text: str) -> int:
    """How deeply ``[`` and ``{`` nest in a JSON text (brackets inside strings do not count), in one pass.

    >>> depth('{"a": [1, {"b": "[[["}]}')
    3
    """
    deepest = level = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):
        if m[0] in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def _without_surrogates(value: Any) -> Any:
    """``value`` with every unpaired UTF-16 surrogate (which no UTF-8 file can hold) made U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


def loads(text: str) -> tuple[Any, bool]:
    """A JSON value, and whether unpaired surrogate escapes (``"\\ud800"``) in it were replaced by U+FFFD.

    Raises ``ValueError`` for text that is not JSON, and for JSON nested deeper than :data:`MAX_DEPTH`
    (checked before parsing, so hostile nesting costs one linear scan, never the stack).

    >>> loads('{"id": "\\\\ud800x"}')
    ({'id': '\ufffdx'}, True)
    """
    if text.count("[") + text.count("{") > MAX_DEPTH:
        d = depth(text)
        if d > MAX_DEPTH:
            raise ValueError(f"nested {d:,} levels deep, over the limit of {MAX_DEPTH}")
    try:
        value = json.loads(text)
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise ValueError("nested too deeply") from None
    if _SURROGATE_ESCAPE.search(text):
        cleaned = _without_surrogates(value)
        return cleaned, cleaned != value
    return value, False


class GzipStream(io.RawIOBase):
    """The decompressed bytes of one or more gzip members, read in bounded steps.

    Where the data is cut off, corrupt, or followed by bytes that are not gzip, the stream ends and
    ``error`` says why: the bytes before the break are all returned, never lost to an exception.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.error: str | None = None
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._tail = b""
        self._out = b""
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()
        super().close()

    def _stop(self, why: str | None) -> None:
        self.error = why
        self._done = True

    def _fill(self) -> None:
        d = self._d
        if d.eof:
            rest = d.unused_data
            while True:
                rest = rest.lstrip(b"\0")  # gzip allows zero padding after a member
                if len(rest) >= 2:
                    break
                more = self.raw.read(_GZ_IN)
                if not more:
                    break
                rest += more
            if not rest:
                return self._stop(None)
            if not rest.startswith(GZIP_MAGIC):
                return self._stop(f"{len(rest):,}+ bytes after the end of the gzip data are not gzip")
            d = self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._tail = rest
        data = self._tail or self.raw.read(_GZ_IN)
        if not data:  # the file ends: what zlib still holds comes out, then the member must be complete
            try:
                self._out, self._pos = d.flush(), 0
            except zlib.error as err:
                return self._stop(f"corrupt gzip data ({err})")
            if not d.eof:
                self._stop("the gzip data ends early: the file is cut off")
            return
        try:
            self._out = d.decompress(data, _GZ_OUT)
        except zlib.error as err:
            return self._stop(f"corrupt gzip data ({err})")
        self._tail = d.unconsumed_tail
        self._pos = 0

    def readinto(self, b) -> int:  # type: ignore[override]
        while self._pos >= len(self._out):
            if self._done:
                return 0
            self._fill()
        n = min(len(b), len(self._out) - self._pos)
        b[:n] = self._out[self._pos:self._pos + n]
        self._pos += n
        return n


def stream_error(fh: IO[bytes]) -> str | None:
    """Why a stream from :func:`open_binary` ended before its data did (``None``: it did not)."""
    return getattr(getattr(fh, "raw", None), "error", None)


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
        return io.BufferedReader(GzipStream(raw), buffer_size=1 << 20), kind
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
                why = stream_error(fh)
                if why is not None:
                    diagnostics.append(Diagnostic(
                        "warning", "truncated-stream", str(path), lineno + 1,
                        f"{why}; the {lineno:,} lines before it were read",
                        "download the file again"))
                    report.dropped["truncated-stream"] += 1
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
    surrogates = 0
    for lineno, text in iter_lines(path, options, diagnostics, report):
        try:
            obj, replaced = loads(text)
        except ValueError as err:
            _bad(bad, "bad-json", lineno, f"not valid JSON ({err.args[0] if err.args else err}); line skipped",
                 path, diagnostics, report)
            continue
        if not isinstance(obj, dict):
            _bad(bad, "not-an-object", lineno, f"a JSON {type(obj).__name__}, not an object; line skipped",
                 path, diagnostics, report)
            continue
        if replaced:
            surrogates += 1
            report.repaired["lone-surrogate"] += 1
            if surrogates <= LISTED_BAD_LINES:
                diagnostics.append(Diagnostic(
                    "warning", "lone-surrogate", str(path), lineno,
                    "an unpaired UTF-16 surrogate escape (such as \\ud800) stands for no character; "
                    "replaced with U+FFFD", "the record was written by a tool that split a character in two"))
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
