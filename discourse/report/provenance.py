"""``provenance.json``: what made the report — software versions, the lexicon's hash, every input file's
hash, the command line, the settings — and when.

The timestamp is ``SOURCE_DATE_EPOCH`` when that is set (the reproducible-builds convention), otherwise the
newest modification time of the input files, so rebuilding from unchanged input gives a byte-identical
report; it is null when no input file can be found. It is never the wall-clock time of the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from discourse.errors import ConfigError
from discourse.model import rows

if TYPE_CHECKING:
    from discourse.model import Analysis
    from discourse.report.style import Style

#: packages whose versions decide the report's numbers and figures
PACKAGES = ("discourse", "vaderSentiment", "polars", "matplotlib", "numpy")


def versions() -> dict[str, str | None]:
    """Installed versions of :data:`PACKAGES` (None for one that is missing), and Python's."""
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["python"] = ".".join(str(v) for v in sys.version_info[:3])
    return out


def timestamp(analysis: Analysis, environ: dict[str, str] | None = None) -> tuple[str | None, str]:
    """The report's timestamp (ISO 8601, UTC) and where it came from: ``SOURCE_DATE_EPOCH``,
    ``input-mtime`` or ``none``."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            seconds = int(epoch)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH is not a whole number of seconds: {epoch!r}",
                              hint="set it to e.g. $(git log -1 --format=%ct), or unset it") from None
        return _iso(seconds), "SOURCE_DATE_EPOCH"
    times = []
    for path in analysis.files.get_column("source_path").to_list():
        try:
            times.append(int(Path(path).stat().st_mtime))
        except (OSError, TypeError):
            continue
    return (_iso(max(times)), "input-mtime") if times else (None, "none")


def _iso(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def provenance(analysis: Analysis, style: Style, *, command: list[str] | None = None,
               bootstrap: dict | None = None, environ: dict[str, str] | None = None) -> dict:
    """The provenance record as a dict (what ``provenance.json`` holds)."""
    when, source = timestamp(analysis, environ)
    lex = analysis.lexicon
    return {
        "generator": "discourse report",
        "versions": versions(),
        "timestamp": when,
        "timestamp_source": source,
        "command": command,
        "lexicon": {"name": lex.name, "sha256": lex.sha256, "source": lex.source or None,
                    "topics": len(lex.topics), "actors": len(lex.actors)},
        "inputs": [{"path": r["source_path"], "sha256": r["sha256"], "format": r["format"], "status": r["status"],
                    "articles": r["n_articles"], "comments": r["n_comments"]}
                   for r in analysis.files.iter_rows(named=True)],
        "settings": {"analysis": dict(analysis.settings), "figures": style.as_dict(),
                     "bootstrap": bootstrap or {}},
        "counts": {"articles": analysis.articles.height, "comments": analysis.comments.height,
                   "sentences": rows(analysis.sentences), "diagnostics": analysis.diagnostics.height},
    }


def dumps(record: dict) -> str:
    """``record`` as the text of ``provenance.json`` (stable key order, UTF-8, final newline)."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
