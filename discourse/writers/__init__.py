"""Writing results out for other tools: tables (Parquet, CSV, NDJSON), ConvoKit corpus folders and GraphML
reply networks.

Writers take the polars tables discourse builds (schemas in :mod:`discourse.schema`) and write files;
they never print, and a file that cannot be written raises :class:`~discourse.errors.ReportError`.
"""

from discourse.writers.convokit import write_convokit
from discourse.writers.graphml import write_graphml
from discourse.writers.tables import write_tables

__all__ = ["write_tables", "write_convokit", "write_graphml"]
