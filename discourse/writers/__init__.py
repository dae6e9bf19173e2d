"""Writing results out for other tools: tables (Parquet, CSV, NDJSON, with ``schema.json`` and a Frictionless
``datapackage.json``), ConvoKit corpus folders and GraphML reply networks; and reading a table export back.

Writers take the polars tables discourse builds (schemas in :mod:`discourse.schema`) and write files;
they never print, and a file that cannot be written raises :class:`~discourse.errors.ReportError`.
"""

from discourse.writers.convokit import write_convokit
from discourse.writers.graphml import write_graphml
from discourse.writers.tables import read_export, write_tables

from pathlib import Path

from discourse.errors import ConfigError
from discourse.writers.tables import FORMATS as TABLE_FORMATS

#: every ``discourse export --format``
EXPORT_FORMATS = (*TABLE_FORMATS, "convokit", "graphml")


def export(analysis, out_dir: str | Path, format: str = "parquet") -> list[Path]:
    """Write an :class:`~discourse.scoring.pipeline.Analysis` in one of :data:`EXPORT_FORMATS`; the paths written.

    Tables go to ``out_dir/<table>.<format>`` with ``schema.json`` (and ``datapackage.json`` for CSV and
    NDJSON); ``convokit`` writes a ConvoKit corpus folder (our scores in each utterance's meta); ``graphml``
    writes ``out_dir/replies.graphml``.
    """
    out = Path(out_dir)
    if format in TABLE_FORMATS:
        return write_tables(analysis.tables(), out, format)
    if format == "convokit":
        return [write_convokit(analysis.comments, analysis.articles, out)]
    if format == "graphml":
        out.mkdir(parents=True, exist_ok=True)
        return [write_graphml(analysis.edges, out / "replies.graphml", comments=analysis.comments)]
    raise ConfigError(f"unknown export format {format!r}", hint="valid formats: " + ", ".join(EXPORT_FORMATS))


__all__ = ["EXPORT_FORMATS", "export", "read_export", "write_tables", "write_convokit", "write_graphml"]
