"""``manifest.csv``: the metadata of the thread files in a folder, editable by hand.

One row per file; only ``file`` is required::

    file,id,title,outlet,url,published,date_estimated,date_basis
    002_f95fa880e584f71f.txt,002,What Does the Putin-Aliyev Embrace Mean for Artsakh?,Asbarez (editorial),http://...,2016-08-08,false,...

``published`` is ``YYYY-MM-DD``; ``date_estimated`` is ``true``/``false`` (empty means false).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from discourse.errors import ManifestError

FILENAME = "manifest.csv"
COLUMNS = ("file", "id", "title", "outlet", "url", "published", "date_estimated", "date_basis")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


@dataclass(frozen=True)
class Entry:
    file: str
    id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_estimated: bool = False
    date_basis: str | None = None
    line: int | None = None


def load(path: Path) -> dict[str, Entry]:
    """Entries by file name. Raises :class:`ManifestError` naming the line and column at fault."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ManifestError("not UTF-8", path=path, hint="save the manifest as UTF-8 CSV") from err
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if "file" not in header:
        raise ManifestError("no `file` column in the header", path=path, line=1,
                            hint="the first line must name the columns, e.g. " + ",".join(COLUMNS))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ManifestError(f"unknown column(s) {', '.join(map(repr, unknown))}", path=path, line=1,
                            hint="valid columns: " + ", ".join(COLUMNS))
    entries: dict[str, Entry] = {}
    ids: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ManifestError("more fields than columns", path=path, line=line,
                                hint="quote values that contain commas with double quotes")
        values = {k: (v.strip() if v is not None else "") for k, v in row.items()}
        name = values["file"]
        if not name:
            if any(values.values()):
                raise ManifestError("row without a file name", path=path, line=line, hint="fill in the `file` column")
            continue
        if name in entries:
            raise ManifestError(f"file {name!r} listed twice (first on line {entries[name].line})",
                                path=path, line=line, hint="keep one row per file")
        published = None
        if values.get("published"):
            try:
                published = dt.date.fromisoformat(values["published"])
            except ValueError:
                raise ManifestError(f"published {values['published']!r} is not a date", path=path, line=line,
                                    hint="write dates as YYYY-MM-DD, or leave the cell empty") from None
        est = values.get("date_estimated", "").lower()
        if est not in _TRUE | _FALSE:
            raise ManifestError(f"date_estimated {values['date_estimated']!r} is not true/false", path=path,
                                line=line, hint="write true or false")
        aid = values.get("id") or None
        if aid is not None:
            if "/" in aid or any(ch.isspace() for ch in aid):
                raise ManifestError(f"id {aid!r} contains '/' or spaces", path=path, line=line,
                                    hint="ids are used in comment ids like 002/7.1; use letters, digits, '-', '_', '.'")
            if aid in ids:
                raise ManifestError(f"id {aid!r} already used on line {ids[aid]}", path=path, line=line,
                                    hint="give every article its own id")
            ids[aid] = line
        entries[name] = Entry(
            file=name, id=aid, title=values.get("title") or None, outlet=values.get("outlet") or None,
            url=values.get("url") or None, published=published, date_estimated=est in _TRUE,
            date_basis=values.get("date_basis") or None, line=line)
    return entries
