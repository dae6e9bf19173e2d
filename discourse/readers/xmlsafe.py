"""Reading untrusted XML exports (WXR, Disqus) safely, as a stream, with line numbers.

Export files come from other people's servers, so they are parsed with defusedxml's expat parser with
every dangerous feature refused: a document type declaration (``<!DOCTYPE``), entity declarations
(billion laughs, quadratic blow-up) and external references (XXE, remote DTDs) stop the read with a
:class:`~discourse.errors.FormatError` before anything is expanded or fetched. The file is fed in
blocks and each record is handed to the reader as soon as its end tag is seen, then discarded, so a
several-hundred-megabyte export is never held whole; lines and element texts over
``ReadOptions.max_line`` and files over ``max_bytes`` (also after gzip decompression) are refused.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from discourse.errors import DiscourseError, FormatError, InputError
from discourse.readers.base import Diagnostic, ParsedFile, ReadOptions, check_file
from discourse.readers.jsonlines import GzipStream, stream_error

BLOCK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"

#: called at each end tag with the element (children and text filled in), its start and end line, and
#: the depth (root = 0); returning True detaches the element from its parent to free it
OnEnd = Callable[[Element, int, int, int], bool]

LONG_HINT = "the file is probably not a comment export; check it, or raise --max-line"
REFUSED_HINT = ("comment exports never need one; if this file is yours, remove the <!DOCTYPE ...> block, "
                "otherwise do not trust it")


def sniff_head(path: Path, head: bytes) -> bytes:
    """The first bytes of the document, decompressed when the file is gzip (``.xml.gz`` exports)."""
    if head.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1 << 16)
        except zlib.error:
            return b""
    return head


class _Target:
    """Builds elements like ElementTree's TreeBuilder, but notes the line of every tag and bounds text."""

    def __init__(self, on_end: OnEnd, max_text: int, path: Path) -> None:
        self.on_end = on_end
        self.max_text = max_text
        self.path = path
        self.expat = None  # set once the parser exists; its CurrentLineNumber is the line of the event
        self.stack: list[tuple[Element, int, list[str], list[int]]] = []

    def line(self) -> int:
        return self.expat.CurrentLineNumber if self.expat is not None else 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        elem = Element(tag, attrib)
        if self.stack:
            parent, _, text, _ = self.stack[-1]
            parent.append(elem)
            text.clear()  # text between child elements (layout whitespace) is not kept
        self.stack.append((elem, self.line(), [], [0]))

    def data(self, data: str) -> None:
        if not self.stack:
            return
        elem, line, text, size = self.stack[-1]
        if len(elem):
            return
        size[0] += len(data)
        if size[0] > self.max_text:
            raise InputError(f"the text of <{local(elem.tag)}> is over the {self.max_text:,}-character limit",
                             path=self.path, line=line,
                             hint=LONG_HINT)
        text.append(data)

    def end(self, tag: str) -> Element:
        elem, line, text, _ = self.stack.pop()
        if not len(elem):
            elem.text = "".join(text)
        if self.on_end(elem, line, self.line(), len(self.stack)) and self.stack:
            parent = self.stack[-1][0]
            if len(parent) and parent[-1] is elem:
                del parent[-1]
            else:
                parent.remove(elem)
        return elem

    def close(self) -> None:
        return None


class StreamReading(Protocol):
    """A reader's per-file state that takes the stream's elements (``on_end``) and builds the file."""

    path: Path
    options: ReadOptions
    diags: list[Diagnostic]

    def on_end(self, elem: Element, start: int, end: int, depth: int, /) -> bool: ...

    def finish(self) -> ParsedFile: ...


def read_streamed(reading: StreamReading) -> ParsedFile:
    """Stream the reading's file through its ``on_end`` (:func:`stream`), keep the stream's note, finish."""
    note = stream(reading.path, reading.options, reading.on_end)
    if note is not None:
        reading.diags.append(note)
    return reading.finish()


def stream(path: Path, options: ReadOptions, on_end: OnEnd) -> Diagnostic | None:
    """Parse ``path`` with every DTD, entity and external reference refused, calling ``on_end`` per element.

    Raises :class:`InputError` for size and length limits and for gzip data that breaks off before the XML
    ends, :class:`FormatError` for refused or malformed XML. Bytes after the end of a ``.xml.gz`` file's
    gzip data that are not gzip (trailing garbage) do not stop a complete document: the returned
    ``truncated-stream`` warning says how many bytes were left unread.
    """
    check_file(path, options)
    target = _Target(on_end, options.max_line, path)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.expat = parser.parser
    with path.open("rb") as raw:
        gz = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        fh = io.BufferedReader(GzipStream(raw), buffer_size=BLOCK) if gz else raw
        total = 0
        line = 1
        since_newline = 0
        try:
            while block := fh.read(BLOCK):
                total += len(block)
                if total > options.max_bytes:
                    raise InputError(f"file is over the {options.max_bytes:,}-byte limit"
                                     + (" once decompressed" if gz else ""), path=path,
                                     hint="split the file, or raise the limit with --max-bytes")
                # line lengths are checked on the raw bytes, before expat buffers a line whole
                last = block.rfind(b"\n")
                if last < 0:
                    since_newline += len(block)
                else:
                    first = block.find(b"\n")
                    longest = max(since_newline + first, _longest_inner(block, first, last))
                    since_newline = len(block) - last - 1
                    if longest > options.max_line:
                        raise InputError(f"a line near line {line:,} is over the {options.max_line:,}-byte limit",
                                         path=path, line=line,
                                         hint=LONG_HINT)
                    line += block.count(b"\n")
                if since_newline > options.max_line:
                    raise InputError(f"line {line:,} is over the {options.max_line:,}-byte limit", path=path,
                                     line=line,
                                     hint=LONG_HINT)
                parser.feed(block)
            broken = stream_error(fh) if gz else None
            if broken is not None:
                try:
                    parser.close()
                except ParseError:
                    raise InputError(f"damaged gzip file: {broken}, before the end of the XML (line {line:,})",
                                     path=path, line=line, hint="download the export again") from None
                return Diagnostic("warning", "truncated-stream", str(path), line,
                                  f"{broken}; the XML before them is complete and was read", "download the export again")
            parser.close()
            return None
        except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as err:
            raise _refused(err, path, target.line()) from None
        except (LookupError, ValueError) as err:  # the <?xml encoding="..."?> names a codec expat cannot use
            if isinstance(err, (DiscourseError, ParseError)) or not _encoding_error(err):
                raise
            raise FormatError(f"the XML declaration names an encoding that cannot be read ({err})", path=path,
                              line=target.line() or 1,
                              hint='convert the file to UTF-8 and write encoding="UTF-8" in its first line') from None
        except ParseError as err:
            at = getattr(err, "position", (None, None))[0]
            message = str(err).split(": line ")[0]
            raise FormatError(f"not well-formed XML: {message}", path=path, line=at,
                              hint="the export may be cut off or damaged; export it again") from None
        except (OSError, EOFError, zlib.error) as err:
            if not gz:
                raise
            raise InputError(f"damaged gzip file: {err}", path=path, hint="download the export again") from None


def _encoding_error(err: Exception) -> bool:
    text = str(err).lower()
    return isinstance(err, LookupError) or "encoding" in text or "multi-byte" in text


def _longest_inner(block: bytes, first: int, last: int) -> int:
    """Longest line strictly between the first and last newline of ``block``."""
    if first == last:
        return 0
    return max(len(x) for x in block[first + 1:last].split(b"\n"))


def _refused(err: Exception, path: Path, line: int) -> FormatError:
    if isinstance(err, DTDForbidden):
        what = f"declares a document type (<!DOCTYPE {err.name}"
        what += f' SYSTEM "{err.sysid}"' if err.sysid else ""
        what += ">)"
        detail = "DTDs can define entities that expand without limit or fetch files and URLs"
    elif isinstance(err, ExternalReferenceForbidden):
        what = f"refers to an external entity ({err.sysid or err.pubid})"
        detail = "external references would read local files or fetch URLs"
    else:
        what = f"declares an entity ({getattr(err, 'name', None)})"
        detail = "entity declarations allow expansion bombs and external references"
    return FormatError(f"refused: the file {what}; {detail}, so XML with them is not read", path=path,
                       line=line or None, hint=REFUSED_HINT)


def local(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    """``{namespace}name`` -> ``namespace`` ('' when none)."""
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""
