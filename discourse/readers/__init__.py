"""Reading comment threads: a registry of readers by format name, detection by content, and :func:`read`.

Each built-in format lives in its own module exposing ``READER``; modules are imported only when their
format is needed, so an optional dependency of one reader never slows or breaks another. Third-party
readers register through the ``discourse.readers`` entry-point group.
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points
from pathlib import Path

from discourse.errors import FormatError, InputError
from discourse.readers.base import ParsedFile, Reader, ReadOptions, check_file, looks_binary

#: format name -> module holding its ``READER``, in the order ties in detection are broken
BUILTIN: dict[str, str] = {
    "asbarez": "discourse.readers.asbarez",
    "text-page": "discourse.readers.textpage",
    "wordpress-html": "discourse.readers.wordpress_html",
    "wxr": "discourse.readers.wxr",
    "disqus": "discourse.readers.disqus",
    "reddit": "discourse.readers.reddit",
    "convokit": "discourse.readers.convokit",
    "table": "discourse.readers.table",
}

SNIFF_BYTES = 64 * 1024


@functools.cache
def readers() -> dict[str, Reader]:
    """Every available reader by name: the built-ins, then installed plugins."""
    found: dict[str, Reader] = {}
    for name, module in BUILTIN.items():
        found[name] = importlib.import_module(module).READER
    for ep in entry_points(group="discourse.readers"):
        reader = ep.load()
        found.setdefault(reader.name, reader)
    return found


def get_reader(name: str) -> Reader:
    """The reader called ``name``; the error lists the names that exist."""
    available = readers()
    if name not in available:
        raise FormatError(f"unknown format {name!r}", hint="valid formats: " + ", ".join(available))
    return available[name]


def detect(path: Path, options: ReadOptions | None = None) -> Reader:
    """The reader most confident it can read ``path``, judged from its content."""
    head = b""
    is_dir = path.is_dir()
    if not is_dir:
        check_file(path, options or ReadOptions())
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    best, score = None, 0.0
    for reader in readers().values():
        if reader.directory != is_dir:
            continue
        s = reader.sniff(path, head)
        if s > score:
            best, score = reader, s
    if best is None:
        if looks_binary(head):
            raise InputError("binary file, not text", path=path,
                             hint="save the page as text (UTF-8), or name its format with --format")
        raise FormatError("no reader recognises this file", path=path,
                          hint="formats: " + ", ".join(readers()) + "; name one with --format")
    return best


def thread_extensions() -> frozenset[str]:
    """File extensions a folder scan picks up."""
    return frozenset(e for r in readers().values() for e in r.extensions)


from discourse.readers.load import read  # noqa: E402  (read() needs the registry above)

__all__ = ["BUILTIN", "Reader", "ReadOptions", "ParsedFile", "readers", "get_reader", "detect", "read",
           "thread_extensions"]
