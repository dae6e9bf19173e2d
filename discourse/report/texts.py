"""The report's texts on disk while it computes its aggregates and draws.

Of the corpus's texts the report shows only what the thread browser shows: about
:data:`~discourse.report.html.BROWSER_SHOWN` comments and the paragraphs of at most
:data:`~discourse.report.html.BROWSER_TEXTS` articles. Every other part of it (the aggregate tables, the
figures, the pages' other sections) reads scores, tags and ids only. So once the corpus is scored,
:func:`set_aside` writes the comments' and paragraphs' texts to a folder, a Parquet file each in row groups
of :data:`ROWS` rows, and drops them from memory (with the article bodies, which the report does not show);
:meth:`TextsAside.restore` reads back the texts of the rows the browser shows, a row group at a time. A report
drawn from an export (:func:`in_export`) reads the tables without their texts, which stay in the export's files;
``discourse report`` scores with ``analyze(..., keep_texts=False)``, which leaves the texts on disk from the
start instead of reading them back (:func:`in_spill`), unless a tagger model or validation labels need them.

>>> analysis, texts = set_aside(analysis, folder)                              # doctest: +SKIP
>>> shown = texts.restore("comments", analysis.comments.head(3), pl.Series([0, 1, 2]))   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from discourse.model import Analysis

#: the text column of each table the browser shows, put aside on disk
COLUMNS = {"comments": "text", "paragraphs": "text"}
#: text columns the report never reads, dropped without being kept
DROPPED = {"articles": "body"}
#: rows of a row group of the files the texts are put aside in: what one read brings back at most
ROWS = 65_536


@dataclass(frozen=True)
class TextsAside:
    """Where each table's text column is (:func:`set_aside`, :func:`in_export`): the files holding it (in
    row order), the column, its position among the table's columns and the table's rows."""

    files: dict[str, tuple[list[Path], str, int, int]]

    def restore(self, table: str, rows: pl.DataFrame, positions: pl.Series) -> pl.DataFrame:
        """``rows`` (the rows of the text-less ``table`` at ``positions``, in that order) with their text
        column back in its place, read from disk a row group at a time (only the groups holding a row)."""
        paths, column, position, height = self.files[table]
        at = positions.cast(pl.Int64)
        if at.len() != rows.height:
            raise ValueError(f"{at.len()} positions for {rows.height} rows")
        if at.len() and (at.min() < 0 or at.max() >= height):  # type: ignore[operator]
            raise ValueError(f"positions outside the {height} rows of {table}")
        found: dict[int, str | None] = {}
        wanted = sorted(set(at.to_list()))
        groups: dict[int, list[int]] = {}
        for p in wanted:
            groups.setdefault(p // ROWS, []).append(p)
        scan = pl.scan_parquet(paths).select(column)
        for g, members in groups.items():
            chunk = scan.slice(g * ROWS, ROWS).collect().get_column(column)
            offsets = pl.Series([p - g * ROWS for p in members], dtype=pl.Int64)
            found.update(zip(members, chunk.gather(offsets).to_list()))
        text = pl.Series(column, [found[p] for p in at.to_list()], dtype=pl.String)
        return rows.clone().insert_column(position, text)  # insert_column changes the frame it is called on


def set_aside(analysis: Analysis, folder: str | Path) -> tuple[Analysis, TextsAside]:
    """``analysis`` without the texts of its comments and paragraphs (written to ``folder``, which must
    exist) and without the article bodies; and where the texts are, for :meth:`TextsAside.restore`.

    The memory of the texts is freed only when the caller lets go of the ``analysis`` it passed."""
    folder = Path(folder)
    files = {}
    tables: dict[str, Any] = {}
    for name, column in COLUMNS.items():
        frame: pl.DataFrame = getattr(analysis, name)
        path = folder / f"{name}-{column}.parquet"
        frame.select(column).write_parquet(path, compression="lz4", row_group_size=ROWS, statistics=False)
        files[name] = ([path], column, frame.columns.index(column), frame.height)
        tables[name] = frame.drop(column)
    for name, column in DROPPED.items():
        tables[name] = getattr(analysis, name).drop(column)
    return replace(analysis, **tables), TextsAside(files)


def in_spill(analysis: Analysis, folder: str | Path) -> TextsAside:
    """Where the texts of an analysis made by ``analyze(..., spill=folder, keep_texts=False)`` are: the files
    it left them in (:func:`discourse.scoring.pipeline.text_file`), never read back whole."""
    from discourse import schema
    from discourse.scoring.pipeline import text_file

    names = {"comments": schema.SCORED_COMMENTS.names, "paragraphs": schema.SCORED_PARAGRAPHS.names}
    files = {}
    for name, column in COLUMNS.items():
        frame: pl.DataFrame = getattr(analysis, name)
        if column in frame.columns:
            raise ValueError(f"the analysis's {name} hold their {column}: it was not made with keep_texts=False")
        path = text_file(folder, name)
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        if rows != frame.height:
            raise ValueError(f"{path} holds {rows} texts for the {frame.height} rows of {name}")
        files[name] = ([path], column, names[name].index(column), frame.height)
    return TextsAside(files)


def in_export(folder: str | Path) -> tuple[Analysis, TextsAside]:
    """The analysis of an export (:func:`~discourse.writers.exported.open_export`) read without the texts of
    its comments and paragraphs and without the article bodies; the texts are read back from the export's
    own files, for what the thread browser shows."""
    from discourse.writers.exported import open_export, table_files

    folder = Path(folder)
    analysis = open_export(folder, without={**COLUMNS, **DROPPED})
    files = {}
    for name, column in COLUMNS.items():
        paths = table_files(folder, name)
        position = list(pl.read_parquet_schema(paths[0])).index(column)
        files[name] = (paths, column, position, getattr(analysis, name).height)
    return analysis, TextsAside(files)


__all__ = ["COLUMNS", "DROPPED", "ROWS", "TextsAside", "in_export", "in_spill", "set_aside"]
