"""Labels files: read exactly, and every problem refused with its file and line; nothing dropped silently."""

from __future__ import annotations

import pytest

from discourse.errors import DiscourseError, LabelsError
from discourse.validation.labels import header, read_labels, write_labels


def _csv(topics, rows, cols=None) -> str:
    """A labels file: ``rows`` are dicts (missing columns empty) under the canonical header or ``cols``."""
    cols = cols or header(topics)
    lines = [",".join(cols)] + [",".join(str(r.get(c, "")) for c in cols) for r in rows]
    return "\n".join(lines) + "\n"


def _ids(analysis):
    return analysis.comments.get_column("comment_id").to_list()


@pytest.fixture()
def write(tmp_path):
    def w(text: str, name: str = "labels.csv", encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        return path
    return w


def test_reads_labels_and_resolves_source_ids(analysis, topics, write):
    ids = _ids(analysis)
    path = write(_csv(topics, [
        {"comment_id": ids[0], "annotator": "ann", "sentiment": "negative", "betrayal": 1, "unity": 0},
        {"comment_id": "c2", "annotator": "ann", "sentiment": "Positive", "note": "source id"},  # the source's own id
        {"comment_id": ids[0], "annotator": "bob", "sentiment": ""},                             # a row with no label
    ]))
    labels = read_labels(path, analysis.comments, topics)
    assert labels.rows.select("comment_id", "key", "annotator", "sentiment", "note", "line").rows() == [
        (ids[0], ids[0], "ann", "negative", None, 2),
        (ids[1], "c2", "ann", "positive", "source id", 3),
        (ids[0], ids[0], "bob", None, None, 4),
    ]
    assert labels.topics.select("comment_id", "topic", "label").rows() == [
        (ids[0], "betrayal", True), (ids[0], "unity", False)]     # empty cells are not labels
    assert labels.empty == 1 and labels.repeated == 0 and not labels.weighted
    assert labels.annotators == ["ann", "bob"]


def test_write_then_read_is_exact(analysis, topics, write):
    ids = _ids(analysis)
    rows = [{"comment_id": ids[k], "annotator": "a, \"b\"", "sentiment": s,
             **{t: v for t, v in zip(topics, [True, False, None] * 4)}, "note": "line one\nline two, \"quoted\"",
             "inclusion_probability": "0.25"} for k, s in enumerate(["negative", "neutral", "positive"])]
    path = write(write_labels(rows, topics))
    labels = read_labels(path, analysis.comments, topics)
    assert labels.weighted and labels.rows["inclusion_probability"].to_list() == [0.25] * 3
    assert labels.rows["note"].to_list() == ["line one\nline two, \"quoted\""] * 3
    assert labels.rows["line"].to_list() == [2, 4, 6]    # a note with a line break takes two lines
    back = [{"comment_id": r["comment_id"], "annotator": r["annotator"], "sentiment": r["sentiment"],
             "note": r["note"], "inclusion_probability": "0.25",
             **{t: v for c, t, v in labels.topics.filter(comment_id=r["comment_id"]).select(
                 "comment_id", "topic", "label").iter_rows()}} for r in labels.rows.iter_rows(named=True)]
    assert write_labels(back, topics) == path.read_text(encoding="utf-8")


def test_identical_repeated_rows_are_counted_once(analysis, topics, write):
    ids = _ids(analysis)
    row = {"comment_id": ids[0], "annotator": "ann", "sentiment": "negative", "betrayal": 1}
    labels = read_labels([write(_csv(topics, [row]), "a.csv"), write(_csv(topics, [row]), "b.csv")],
                         analysis.comments, topics)
    assert labels.rows.height == 1 and labels.repeated == 1


def test_semicolon_files_and_a_byte_order_mark_are_read(analysis, topics, write):
    ids = _ids(analysis)
    text = _csv(topics, [{"comment_id": ids[0], "annotator": "ann", "sentiment": "neutral"}]).replace(",", ";")
    labels = read_labels(write("\ufeff" + text), analysis.comments, topics)
    assert labels.rows["sentiment"].to_list() == ["neutral"]


# every error: (file content builder, expected line, words in the message)
def _cases(ids, topics):
    good = {"comment_id": ids[0], "annotator": "ann", "sentiment": "negative"}
    return {
        "unknown comment": (_csv(topics, [good, {**good, "comment_id": "nope"}, {**good, "comment_id": "gone"}]),
                            3, ["no comment with id 'nope'", "line 4"]),
        "unknown topic column": (_csv(topics, [good], header(topics) + ["betrayl"]), 1,
                                 ["unknown column 'betrayl'", "topics: betrayal"]),
        "missing topic column": (_csv(topics, [good], [c for c in header(topics) if c != "unity"]), 1,
                                 ["no column for topic unity", "empty cells"]),
        "missing key column": (_csv(topics, [good], [c for c in header(topics) if c != "annotator"]), 1,
                               ["missing column annotator"]),
        "repeated column": (_csv(topics, [good], header(topics) + ["note"]), 1, ["'note' appears twice"]),
        "invalid sentiment": (_csv(topics, [good, {**good, "annotator": "bob", "sentiment": "angry"}]), 3,
                              ["sentiment 'angry'", "negative, neutral or positive"]),
        "invalid topic value": (_csv(topics, [{**good, "betrayal": "yes"}]), 2, ["topic betrayal: 'yes'"]),
        "invalid probability": (_csv(topics, [{**good, "inclusion_probability": "2"}]), 2,
                                ["inclusion probability '2'"]),
        "conflict": (_csv(topics, [good, {"comment_id": "c2", "annotator": "x"}, {**good, "sentiment": "positive"}]),
                     4, ["annotator 'ann' labels comment", "differently", "line 2"]),
        "empty annotator": (_csv(topics, [{**good, "annotator": ""}]), 2, ["empty annotator"]),
        "empty comment id": (_csv(topics, [{**good, "comment_id": ""}]), 2, ["empty comment_id"]),
        "wrong cell count": (_csv(topics, [good]) + "x,y\n", 3, ["2 cells where the header has"]),
        "some rows weighted": (_csv(topics, [{**good, "inclusion_probability": "0.5"},
                                             {**good, "annotator": "bob"}]), 3, ["no inclusion probability"]),
        "probability differs": (_csv(topics, [{**good, "inclusion_probability": "0.5"},
                                              {**good, "annotator": "bob", "inclusion_probability": "0.25"}]), 3,
                                ["differs from 0.5"]),
        "empty file": ("", 1, ["empty"]),
        "broken quoting": (_csv(topics, [good]) + '"open,cell\n', 3, ["not a valid CSV file"]),
    }


@pytest.mark.parametrize("case", list(_cases(["x"], ["betrayal"])))
def test_every_error_names_the_file_and_line(case, analysis, topics, write):
    text, line, words = _cases(_ids(analysis), topics)[case]
    path = write(text)
    with pytest.raises(LabelsError) as err:
        read_labels(path, analysis.comments, topics)
    e = err.value
    assert isinstance(e, DiscourseError)
    assert e.path == str(path) and e.line == line, (case, str(e))
    assert str(e).startswith(f"{path}:{line}: ") and e.hint, str(e)
    for w in words:
        assert w in str(e), (case, str(e))


def test_not_utf8_names_the_line(analysis, topics, write):
    ids = _ids(analysis)
    text = _csv(topics, [{"comment_id": ids[0], "annotator": "ann", "sentiment": "negative"},
                         {"comment_id": ids[1], "annotator": "Zoë", "sentiment": "negative"}])
    path = write(text, encoding="latin-1")
    with pytest.raises(LabelsError, match=r"labels\.csv:3: not UTF-8 .*CSV UTF-8"):
        read_labels(path, analysis.comments, topics)


def test_conflict_across_files_names_both(analysis, topics, write):
    ids = _ids(analysis)
    a = write(_csv(topics, [{"comment_id": ids[0], "annotator": "ann", "sentiment": "negative"}]), "a.csv")
    b = write(_csv(topics, [{"comment_id": ids[1], "annotator": "ann", "sentiment": "neutral"},
                            {"comment_id": ids[0], "annotator": "ann", "sentiment": "neutral"}]), "b.csv")
    with pytest.raises(LabelsError) as err:
        read_labels([a, b], analysis.comments, topics)
    assert err.value.path == str(b) and err.value.line == 3 and f"{a} line 2" in str(err.value)


def test_ambiguous_source_id(analysis, topics, write, tmp_path):
    import polars as pl

    comments = analysis.comments.with_columns(pl.lit("dup").alias("source_id"))
    path = write(_csv(topics, [{"comment_id": "dup", "annotator": "ann", "sentiment": "negative"}]))
    with pytest.raises(LabelsError, match=r"labels\.csv:2: comment id 'dup' is the source id of 10 comments"):
        read_labels(path, comments, topics)


def test_missing_file(analysis, topics, tmp_path):
    with pytest.raises(LabelsError, match="labels file not found"):
        read_labels(tmp_path / "none.csv", analysis.comments, topics)


def test_the_documented_example_reads(tmp_path):
    """The labels file shown in docs/validation.md is valid for the bundled corpus and the default lexicon."""
    from pathlib import Path

    import discourse

    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "validation.md").read_text(encoding="utf-8").split("```csv\n")[1].split("```")[0]
    (tmp_path / "doc.csv").write_text(text, encoding="utf-8")
    analysis = discourse.analyze(root / "threads")
    labels = read_labels(tmp_path / "doc.csv", analysis.comments, [t.name for t in analysis.lexicon.topics])
    assert labels.rows["sentiment"].to_list() == ["negative", "neutral"] and labels.topics.height == 13
