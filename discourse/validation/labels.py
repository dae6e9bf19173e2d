"""Labels files: hand labels of comments, one CSV format shared by the labelling kit, spreadsheets and
``discourse validate``.

Columns, by name in any order::

    comment_id, annotator, sentiment, <one column per topic of the lexicon>[, note][, inclusion_probability]

A topic cell is ``1`` (the comment raises the topic), ``0`` (it does not) or empty (not labelled); the
sentiment cell is ``negative``, ``neutral``, ``positive`` or empty. ``comment_id`` is discourse's
``comment_id`` (``002/7.1``) or, when no comment has that id, the source's own id (``source_id``) when exactly
one comment carries it. ``inclusion_probability`` is the chance the comment had of being drawn into the sample
(written by ``discourse annotate``); validation weights by its inverse. The context columns of
:data:`CONTEXT_COLUMNS` (what ``sample.csv`` shows a spreadsheet annotator) are allowed and not read.

:func:`read_labels` checks everything and raises :class:`~discourse.errors.LabelsError` naming the file and
line; nothing is dropped silently: a row that repeats an annotator's labels of a comment exactly is counted
(``Labels.repeated``), a row with no label at all is kept and counted (``Labels.empty``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from discourse import schema
from discourse.errors import LabelsError

SENTIMENTS = ("negative", "neutral", "positive")
#: columns every labels file has, before the topic columns
KEY_COLUMNS = ("comment_id", "annotator", "sentiment")
#: optional columns read from a labels file
OPTIONAL_COLUMNS = ("note", "inclusion_probability")
#: columns ``sample.csv`` carries for a spreadsheet annotator to read; allowed in a labels file, not read
CONTEXT_COLUMNS = ("article", "parent", "text", "predicted_sentiment", "predicted_topics")

_MAX_LISTED = 8


def header(topics: Sequence[str], *, context: bool = False) -> list[str]:
    """The columns of a labels file in their canonical order (``context`` adds the columns of ``sample.csv``)."""
    cols = [*KEY_COLUMNS, *topics, *OPTIONAL_COLUMNS]
    return cols + list(CONTEXT_COLUMNS) if context else cols


@dataclass(frozen=True)
class Labels:
    """Labels read from one or more files.

    ``rows`` has the :data:`schema.LABELS` columns (one row per comment and annotator, in file order);
    ``topics`` the :data:`schema.TOPIC_LABELS` columns (one row per labelled topic cell).
    """

    rows: pl.DataFrame
    topics: pl.DataFrame
    topic_keys: tuple[str, ...]
    files: tuple[str, ...]
    repeated: int = 0
    empty: int = 0

    @property
    def annotators(self) -> list[str]:
        return sorted(set(self.rows.get_column("annotator").to_list()))

    @property
    def weighted(self) -> bool:
        """True when every row carries an inclusion probability (a weighted sample)."""
        return self.rows.height > 0 and self.rows.get_column("inclusion_probability").null_count() == 0


def _fail(message: str, path: Path, line: int | None, hint: str, others: Sequence[int] = ()) -> LabelsError:
    if others:
        shown = ", ".join(str(n) for n in others[:_MAX_LISTED])
        more = f" and {len(others) - _MAX_LISTED} more" if len(others) > _MAX_LISTED else ""
        message += f" (the same on line{'s' if len(others) > 1 else ''} {shown}{more})"
    return LabelsError(message, path=path, line=line, hint=hint)


def _records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the records of a CSV file, each with the line it starts on."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LabelsError("labels file not found", path=path, hint="check the path given to --labels") from None
    except OSError as err:
        raise LabelsError(f"cannot read the labels file ({err.strerror})", path=path,
                          hint="check the path and its permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise LabelsError(f"not UTF-8 (byte {raw[err.start]:#04x})", path=path, line=line,
                          hint="save the file as CSV UTF-8") from None
    if not text.strip():
        raise LabelsError("the labels file is empty", path=path, line=1,
                          hint="a labels file starts with the header line comment_id,annotator,sentiment,<topics>")
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = max(";\t", key=first.count)
        if first.count(delimiter) == 0:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        head = next(reader)
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            records.append((start, record))
    except csv.Error as err:
        raise LabelsError(f"not a valid CSV file ({err})", path=path, line=reader.line_num,
                          hint="save the file as CSV from the spreadsheet, or repair the quoting on this line") from None
    return head, records


def read_labels(paths: str | Path | Iterable[str | Path], comments: pl.DataFrame, topics: Sequence[str]) -> Labels:
    """Read and check labels files against the comments they label and the lexicon's topics.

    ``comments`` needs the columns ``comment_id`` and ``source_id`` (``Analysis.comments`` has them);
    ``topics`` are the lexicon's topic names, in its order. Raises :class:`LabelsError` for unknown comments,
    unknown or missing topic columns, invalid values and conflicting labels, naming the file and line.

    >>> labels = read_labels("labels.csv", analysis.comments, [t.name for t in analysis.lexicon.topics])  # doctest: +SKIP
    """
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise LabelsError("no labels file given", hint="pass one or more labels files")
    ids = set(comments.get_column("comment_id").to_list())
    by_source: dict[str, list[str]] = {}
    for cid, sid in comments.select("comment_id", "source_id").iter_rows():
        if sid is not None:
            by_source.setdefault(sid, []).append(cid)
    topics = list(topics)
    rows: list[dict] = []
    topic_rows: list[dict] = []
    seen: dict[tuple[str, str], tuple[tuple, str, int]] = {}
    probability: dict[str, tuple[float, str, int]] = {}
    repeated = empty = 0
    for path in files:
        head, records = _records(path)
        cols = _check_header(head, path, topics)
        index = {name: k for k, name in enumerate(head)}
        unknown: list[tuple[int, str]] = []
        for line, record in records:
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(record) != len(head):
                raise _fail(f"{len(record)} cells where the header has {len(head)} columns", path, line,
                            "every line needs one cell per column; quote cells that hold commas")
            cell = {name: record[index[name]].strip() for name in cols}
            key = cell["comment_id"]
            if not key:
                raise _fail("empty comment_id", path, line, "every row names the comment it labels")
            if key in ids:
                cid = key
            elif len(by_source.get(key, ())) == 1:
                cid = by_source[key][0]
            elif key in by_source:
                raise _fail(f"comment id {key!r} is the source id of {len(by_source[key])} comments "
                            f"({', '.join(by_source[key][:4])})", path, line,
                            "use discourse's comment_id for these comments")
            else:
                unknown.append((line, key))
                continue
            annotator = cell["annotator"]
            if not annotator:
                raise _fail("empty annotator", path, line, "name the annotator in every row (initials will do)")
            sentiment = cell["sentiment"].lower() or None
            if sentiment is not None and sentiment not in SENTIMENTS:
                raise _fail(f"sentiment {cell['sentiment']!r} is not a label", path, line,
                            "use negative, neutral or positive, or leave the cell empty when not labelled")
            values: dict[str, bool | None] = {}
            for topic in topics:
                v = cell[topic]
                if v not in ("", "0", "1"):
                    raise _fail(f"topic {topic}: {v!r} is not 1, 0 or empty", path, line,
                                "write 1 when the comment raises the topic, 0 when it does not, nothing when not "
                                "labelled")
                values[topic] = None if v == "" else v == "1"
            p = _probability(cell.get("inclusion_probability", ""), path, line)
            if p is not None:
                before = probability.setdefault(cid, (p, str(path), line))
                if before[0] != p:
                    raise _fail(f"inclusion probability {p} of {cid} differs from {before[0]} given in "
                                f"{before[1]} line {before[2]}", path, line,
                                "labels of one sample carry the probabilities written by discourse annotate")
            note = cell.get("note", "") or None
            labelled = (sentiment, tuple(values[t] for t in topics))
            if sentiment is None and all(v is None for v in values.values()):
                empty += 1
            pair = (cid, annotator)
            if pair in seen:
                content, where, at = seen[pair]
                if content == (labelled, note):
                    repeated += 1
                    continue
                raise _fail(f"annotator {annotator!r} labels comment {cid} differently from {where} line {at}",
                            path, line, "keep one row per comment and annotator; delete or correct the other")
            seen[pair] = ((labelled, note), str(path), line)
            rows.append({"comment_id": cid, "key": key, "annotator": annotator, "sentiment": sentiment,
                         "note": note, "inclusion_probability": p, "source_path": str(path), "line": line})
            topic_rows += [{"comment_id": cid, "annotator": annotator, "topic": t, "label": v,
                            "source_path": str(path), "line": line} for t, v in values.items() if v is not None]
        if unknown:
            first_line, first_key = unknown[0]
            raise _fail(f"no comment with id {first_key!r} in the corpus", path, first_line,
                        "label the comments of the corpus given to validate (same files, same lexicon); ids are "
                        "discourse comment_ids or unique source ids", [n for n, _ in unknown[1:]])
    weighted = [r["inclusion_probability"] is not None for r in rows]
    if any(weighted) and not all(weighted):
        r = rows[weighted.index(False)]
        raise _fail("this row has no inclusion probability while others have one", Path(r["source_path"]),
                    r["line"], "give every row its probability from the sample's weights.csv, or none at all")
    return Labels(schema.frame(schema.LABELS, rows), schema.frame(schema.TOPIC_LABELS, topic_rows), tuple(topics),
                  tuple(str(p) for p in files), repeated, empty)


def _check_header(head: list[str], path: Path, topics: list[str]) -> list[str]:
    """The columns to read; raises on missing, unknown or repeated columns."""
    names = [h.strip() for h in head]
    head[:] = names
    hint_cols = "the header is comment_id,annotator,sentiment," + ",".join(topics) + "[,note]"
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise LabelsError(f"column {repeated[0]!r} appears twice in the header", path=path, line=1,
                          hint="keep one column of each name")
    missing_keys = [c for c in KEY_COLUMNS if c not in names]
    if missing_keys:
        raise LabelsError(f"missing column{'s' if len(missing_keys) > 1 else ''} {', '.join(missing_keys)}",
                          path=path, line=1, hint=hint_cols)
    known = set(KEY_COLUMNS) | set(topics) | set(OPTIONAL_COLUMNS) | set(CONTEXT_COLUMNS)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise LabelsError(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}: "
                          "not a topic of the lexicon", path=path, line=1,
                          hint="topics: " + ", ".join(topics) + "; validate with the lexicon the labels were made "
                          "for (--lexicon), or rename the column")
    missing = [t for t in topics if t not in names]
    if missing:
        raise LabelsError(f"no column for topic{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                          path=path, line=1,
                          hint="add the column with empty cells where the topic was not labelled")
    return [n for n in names if n not in CONTEXT_COLUMNS]


def _probability(value: str, path: Path, line: int) -> float | None:
    if value == "":
        return None
    try:
        p = float(value)
    except ValueError:
        p = math.nan
    if not (0 < p <= 1):
        raise _fail(f"inclusion probability {value!r} is not a number in (0, 1]", path, line,
                    "copy the probabilities from the sample's weights.csv, or leave the column out")
    return p


def write_labels(rows: Iterable[dict], topics: Sequence[str], *, context: bool = False) -> str:
    """Rows (dicts with the columns of :func:`header`; topic values True, False or None) as a labels file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = header(topics, context=context)
    writer.writerow(cols)
    for row in rows:
        cells = []
        for c in cols:
            v = row.get(c)
            if c in topics:
                cells.append("" if v is None else "1" if v else "0")
            elif isinstance(v, float):
                cells.append(repr(v))
            else:
                cells.append("" if v is None else str(v))
        writer.writerow(cells)
    return out.getvalue()
