"""Table export: every table, exact round trip through every format with read_export, formula-safe CSV,
schema.json and datapackage.json in types other tools read (polars, pandas, DuckDB, frictionless)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from discourse.errors import ConfigError
from discourse.scoring.pipeline import analyze
from discourse import schema
from discourse.errors import InputError
from discourse.writers.tables import neutralise_formulas, read_export, write_tables

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables():
    return analyze(ROOT / "threads").tables()


def test_parquet_round_trip_gives_the_same_frames(tables, tmp_path):
    write_tables(tables, tmp_path, "parquet")
    for name, df in tables.items():
        back = pl.read_parquet(tmp_path / f"{name}.parquet")
        assert back.equals(df), name
        assert back.schema == df.schema


def test_ndjson_keeps_values(tables, tmp_path):
    write_tables(tables, tmp_path, "ndjson")
    back = pl.read_ndjson(tmp_path / "comments.ndjson", schema=tables["comments"].schema)
    assert back.equals(tables["comments"])


def test_schema_json_describes_every_column(tables, tmp_path):
    write_tables(tables, tmp_path, "csv")
    doc = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    assert list(doc) == list(tables)
    for name, df in tables.items():
        assert [c["name"] for c in doc[name]["columns"]] == df.columns
        assert all(c["description"] for c in doc[name]["columns"]), name
        assert doc[name]["rows"] == df.height and doc[name]["file"] == f"{name}.csv"
        assert [c["polars_type"] for c in doc[name]["columns"]] == [str(t) for t in df.schema.values()]
    types = {c["name"]: c for c in doc["comments"]["columns"]}
    assert types["comment_id"]["type"] == "string" and types["depth"]["type"] == "integer"
    assert types["created"]["type"] == "datetime" and types["sent_score"]["type"] == "number"
    assert types["topic_tags"] == {"name": "topic_tags", "type": "list", "delimiter": "; ", "itemType": "string",
                                   "description": types["topic_tags"]["description"], "polars_type": "List(String)"}
    assert {c["name"]: c["type"] for c in doc["articles"]["columns"]}["published"] == "date"
    header = (tmp_path / "comments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == tables["comments"].columns


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    df = pl.DataFrame({"text": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "fine", None],
                       "tags": [["=bad"], [], None, ["a", "b"], ["x"], ["y"], ["z"]]})
    write_tables({"t": df}, tmp_path, "csv")
    back = pl.read_csv(tmp_path / "t.csv")
    assert back.get_column("text").to_list() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx",
                                                  "fine", None]
    assert back.get_column("tags").to_list()[:4] == ["'=bad", "", None, "a; b"]  # empty list vs null


def test_csv_escapes_are_undone_on_reading(tmp_path):
    texts = ["=1", "'=1", "''+x", "'tis", "-", "fine", "", None, "'"]
    df = pl.DataFrame({"text": texts, "tags": [["=a", "b"], [], None, ["'-x"], ["c"], ["d"], ["e"], ["f"], ["g"]]})
    write_tables({"t": df}, tmp_path, "csv")
    written = pl.read_csv(tmp_path / "t.csv", infer_schema=False).get_column("text").to_list()
    assert written == ["'=1", "''=1", "'" * 3 + "+x", "'tis", "'-", "fine", "", None, "'"]
    assert read_export(tmp_path)["t"].equals(df)


@pytest.mark.parametrize("fmt", ["parquet", "csv", "ndjson"])
def test_read_export_gives_back_every_table_exactly(tables, tmp_path, fmt):
    write_tables(tables, tmp_path, fmt)
    back = read_export(tmp_path)
    assert list(back) == list(tables)
    for name, df in tables.items():
        assert back[name].schema == df.schema, name
        assert back[name].equals(df), name
    assert back["articles"].get_column("article_id").to_list()[:2] == ["000", "001"]
    assert back["diagnostics"].height == 0 and back["diagnostics"].columns == schema.DIAGNOSTICS.names


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_empty_tables_and_null_columns_keep_their_types(tmp_path, fmt):
    empty = schema.frame(schema.SPEAKERS)
    nulls = schema.frame(schema.ARTICLES, [{"article_id": "007", "published": None, "n_comments": None}])
    write_tables({"speakers": empty, "articles": nulls}, tmp_path, fmt)
    back = read_export(tmp_path)
    assert back["speakers"].schema == schema.SPEAKERS.schema and back["speakers"].height == 0
    assert back["articles"].schema == schema.ARTICLES.schema and back["articles"].equals(nulls)
    if fmt == "csv":
        header = (tmp_path / "speakers.csv").read_text(encoding="utf-8")
        assert header == ",".join(schema.SPEAKERS.names) + "\n"


def test_parquet_files_carry_statistics(tables, tmp_path):
    import pyarrow.parquet as pq

    write_tables(tables, tmp_path, "parquet")
    meta = pq.ParquetFile(tmp_path / "comments.parquet").metadata
    stats = meta.row_group(0).column(tables["comments"].columns.index("depth")).statistics
    assert stats is not None and stats.has_min_max
    assert (stats.min, stats.max) == (0, tables["comments"].get_column("depth").max())


def test_read_export_errors_name_the_file(tables, tmp_path):
    with pytest.raises(InputError, match="no schema.json") as info:
        read_export(tmp_path)
    assert "discourse export" in info.value.hint
    write_tables({"articles": tables["articles"]}, tmp_path, "csv")
    path = tmp_path / "articles.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",false,", ",maybe,", 1), encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the table") as info:
        read_export(tmp_path)
    assert str(info.value.path) == str(path)
    path.unlink()
    with pytest.raises(InputError, match="table file is missing"):
        read_export(tmp_path)


def test_neutralising_keeps_rows_and_columns():
    df = pl.DataFrame({"a": ["=1"], "n": [1]})
    assert neutralise_formulas(df).shape == df.shape


def test_unknown_format(tables, tmp_path):
    with pytest.raises(ConfigError, match="valid formats: parquet, csv, ndjson"):
        write_tables(tables, tmp_path, "xlsx")


# ---- other tools read the exports with the types schema.json declares --------------------------------

POLARS = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date,
          "datetime": pl.Datetime("us", "UTC")}
DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
          "datetime": "TIMESTAMP WITH TIME ZONE", "list": "VARCHAR", "array": "VARCHAR[]"}


@pytest.fixture(scope="module", params=["csv", "ndjson"])
def exported(request, tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    write_tables(tables, folder, request.param)
    return request.param, folder, json.loads((folder / "schema.json").read_text(encoding="utf-8"))


def test_polars_reads_the_declared_types(exported, tables):
    fmt, folder, doc = exported
    for name, meta in doc.items():
        types = {c["name"]: POLARS.get(c["type"], pl.List(pl.String) if fmt == "ndjson" else pl.String)
                 for c in meta["columns"]}
        path = folder / meta["file"]
        df = pl.read_csv(path, schema=types) if fmt == "csv" else pl.read_ndjson(path, schema=types)
        assert df.schema == pl.Schema(types) and df.height == meta["rows"], name
    articles = pl.read_csv(folder / "articles.csv") if fmt == "csv" else None
    if articles is not None:  # without the schema polars guesses: the ids become integers
        assert articles.schema["article_id"] == pl.Int64


def test_pandas_reads_the_declared_types(exported, tables):
    pd = pytest.importorskip("pandas")
    fmt, folder, doc = exported
    for name, meta in doc.items():
        cols = meta["columns"]
        path = folder / meta["file"]
        dates = [c["name"] for c in cols if c["type"] in ("date", "datetime")]
        dtype = {c["name"]: {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean",
                             "list": "string"}.get(c["type"], "object") for c in cols if c["name"] not in dates}
        if fmt == "csv":
            df = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""])
        elif meta["rows"]:
            df = pd.read_json(path, lines=True, dtype=dtype)
        else:  # an empty NDJSON file has no header: the columns come from schema.json
            df = pd.DataFrame({c["name"]: pd.Series(dtype=dtype.get(c["name"], "object")) for c in cols})
        for c in dates:
            kind = next(x["type"] for x in cols if x["name"] == c)
            df[c] = pd.to_datetime(df[c], utc=kind == "datetime", format="ISO8601")
        assert list(df.columns) == [c["name"] for c in cols] and len(df) == meta["rows"], name
        for c in cols:
            got = str(df[c["name"]].dtype)
            want = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean",
                    "date": "datetime64", "datetime": "datetime64", "list": "string", "array": "object"}[c["type"]]
            assert got.startswith(want) and (c["type"] != "datetime" or "UTC" in got), (name, c["name"], got)
    articles = pd.read_csv(folder / "articles.csv", dtype={"article_id": "string"}) if fmt == "csv" else \
        pd.read_json(folder / "articles.ndjson", lines=True, dtype={"article_id": "string"})
    assert articles["article_id"].tolist() == tables["articles"].get_column("article_id").to_list()


def test_duckdb_reads_the_declared_types(exported, tables):
    duckdb = pytest.importorskip("duckdb")
    fmt, folder, doc = exported
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, meta in doc.items():
        columns = {c["name"]: DUCKDB[c["type"]] for c in meta["columns"]}
        path = str(folder / meta["file"])
        if fmt == "csv":
            rel = con.read_csv(path, header=True, columns=columns, auto_detect=False, quotechar='"', escapechar='"')
        else:
            rel = con.sql(f"SELECT * FROM read_json(?, format='newline_delimited', columns={columns!r})",
                          params=[path]) if meta["rows"] else None
            if rel is None:  # an empty NDJSON file: DuckDB reads nothing, the columns come from schema.json
                con.execute(f"CREATE OR REPLACE TABLE t ({', '.join(f'{k} {v}' for k, v in columns.items())})")
                rel = con.table("t")
        assert rel.columns == list(columns), name
        assert [str(t) for t in rel.types] == list(columns.values()), name
        assert rel.aggregate("count(*)").fetchall()[0][0] == meta["rows"], name
    ids = con.sql(f"SELECT article_id, published FROM read_{'csv' if fmt == 'csv' else 'json'}('{folder}/articles.{fmt}'"
                  + (f", columns={ {c['name']: DUCKDB[c['type']] for c in doc['articles']['columns']}!r}"
                     + (", header=true, auto_detect=false)" if fmt == "csv" else ", format='newline_delimited')"))
                  ).fetchall()
    want = tables["articles"].select("article_id", "published").rows()
    assert ids == want


def test_frictionless_validates_the_data_package(exported, tables):
    frictionless = pytest.importorskip("frictionless")
    fmt, folder, doc = exported
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == list(doc)
    for r in descriptor["resources"]:
        assert [f["name"] for f in r["schema"]["fields"]] == [c["name"] for c in doc[r["name"]]["columns"]]
        assert [f["type"] for f in r["schema"]["fields"]] == [c["type"] for c in doc[r["name"]]["columns"]]
    checked = frictionless.Package.validate_descriptor(str(folder / "datapackage.json"))
    assert checked.valid, checked.flatten(["type", "message"])[:3]
    package = frictionless.Package(str(folder / "datapackage.json"))
    # frictionless-py cannot open an empty NDJSON file (it finds no first row): those are left out here;
    # an empty CSV keeps its header and is validated
    kept = dict(descriptor, resources=[r for r in descriptor["resources"] if fmt == "csv" or doc[r["name"]]["rows"]])
    assert len(kept["resources"]) >= 10
    (folder / "check.json").write_text(json.dumps(kept), encoding="utf-8")
    try:
        report = frictionless.validate(str(folder / "check.json"))
    finally:
        (folder / "check.json").unlink()
    assert report.valid, report.flatten(["type", "message"])[:3]
    assert report.stats["tasks"] == len(kept["resources"])
    rows = package.get_resource("articles").read_rows()
    assert [r["article_id"] for r in rows] == tables["articles"].get_column("article_id").to_list()
    assert [r["published"] for r in rows] == tables["articles"].get_column("published").to_list()


def test_the_schema_reference_lists_exactly_what_export_writes(tables):
    # docs/schema.md is generated from schema.EXPORTED (test_docs checks it is current)
    assert list(schema.EXPORTED) == list(tables)
    for name, df in tables.items():
        assert schema.EXPORTED[name].schema == df.schema, name
    text = schema.markdown()
    exported, others = text.split("# Tables other commands write")
    assert [line[4:-1] for line in exported.splitlines() if line.startswith("## `")] == list(tables)
    assert "## `line_roles`" in others
    assert "| `sent_compound` |" in exported.split("## `paragraphs`")[1].split("## `comments`")[0]


@pytest.mark.parametrize("cell", [
    " =1+1", "  @SUM(A1)", "\n-2", "\u00a0=HYPERLINK(\"http://x\")", "\u200b+1", "\u200c=1", "\u200d=1",
    "\u2060=1", "\ufeff=1", "\u3000=1", "\u2003 \u00a0-5",
    "\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", " \uff1d1", "'\u00a0=1", "''\u200b\uff20x",
])
def test_formulas_after_blanks_or_in_fullwidth_are_neutralised(tmp_path, cell):
    # a spreadsheet skips leading whitespace, no-break and zero-width spaces and a byte order mark, and
    # reads the fullwidth ＝＋－＠ as = + - @
    df = pl.DataFrame({"text": [cell, f"x{cell}"], "tags": [[cell], [f"x{cell}"]]})
    write_tables({"t": df}, tmp_path, "csv")
    written = pl.read_csv(tmp_path / "t.csv", infer_schema=False)
    assert written.get_column("text").to_list() == ["'" + cell, f"x{cell}"]
    assert written.get_column("tags").to_list() == ["'" + cell, f"x{cell}"]
    assert read_export(tmp_path)["t"].equals(df)


def test_parquet_bytes_do_not_depend_on_how_a_table_is_chunked(tmp_path):
    # a table gathered from batches has several chunks per column; its file must equal the one-chunk table's
    topics = ["betrayal", "unity", "concessions", "war_violence", "diaspora"]
    rows = [{"comment_id": f"c{i}", "topic_tags": topics[: (i * 7919) % 5], "actor_tags": topics[(i * 31) % 5:]}
            for i in range(100_000)]
    whole = pl.DataFrame(rows)
    pieces = pl.concat([whole.slice(k, 997) for k in range(0, whole.height, 997)], rechunk=False)
    assert pieces.n_chunks() > 1 and pieces.equals(whole)
    write_tables({"comments": whole}, tmp_path / "a")
    write_tables({"comments": pieces}, tmp_path / "b")
    assert (tmp_path / "a" / "comments.parquet").read_bytes() == (tmp_path / "b" / "comments.parquet").read_bytes()


def test_parquet_bytes_of_a_list_column_do_not_depend_on_it_being_a_view(tmp_path):
    # scores set beside the comments are a slice of a longer table (paragraphs first): a view of its lists
    topics = ["betrayal", "unity", "concessions", "war_violence", "diaspora"]
    rows = [{"comment_id": f"c{i}", "topic_tags": topics[: (i * 7919) % 5]} for i in range(60_000)]
    view = pl.DataFrame(rows).slice(30_000, 30_000)
    copy = pl.DataFrame(rows[30_000:])
    assert view.equals(copy)
    write_tables({"comments": view}, tmp_path / "a")
    write_tables({"comments": copy}, tmp_path / "b")
    assert (tmp_path / "a" / "comments.parquet").read_bytes() == (tmp_path / "b" / "comments.parquet").read_bytes()


@pytest.mark.parametrize("fmt", ["parquet", "csv", "ndjson"])
def test_tables_handed_over_give_the_same_files_and_are_let_go(tables, tmp_path, fmt):
    # release=True writes the tables smallest first, each taken out of the dict as it is written
    # (discourse export hands its tables over so that each one's memory is freed once its file is written)
    topics = ["betrayal", "unity", "concessions"]
    rows = [{"comment_id": f"c{i}", "topic_tags": topics[: i % 4]} for i in range(6_000)]
    given = {**tables, "view": pl.DataFrame(rows).slice(2_000, 4_000),
             "streamed": pl.LazyFrame({"a": list(range(5_000))})}
    kept = write_tables(dict(given), tmp_path / "a", fmt)
    handed = dict(given)
    released = write_tables(handed, tmp_path / "b", fmt, release=True)
    assert handed == {}
    assert [p.name for p in released] == [p.name for p in kept]
    assert [p.name for p in released][:len(given)] == [f"{name}.{fmt}" for name in given]
    for a, b in zip(kept, released):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_tables_handed_over_must_be_a_dict(tables, tmp_path):
    from types import MappingProxyType

    with pytest.raises(TypeError):
        write_tables(MappingProxyType(dict(tables)), tmp_path, release=True)


def test_a_table_handed_over_is_freed_before_its_copy_is_written(tmp_path, monkeypatch):
    # the writer holds the only reference to a table it was handed: once it has the copy it writes (list
    # columns copied out), the table itself is gone, and so is every table written before it
    import weakref

    from discourse.writers import tables as writer

    handed_refs: list = []
    dead_at_write: list[list[bool]] = []
    compact, write = writer._compact, pl.DataFrame.write_parquet

    def spying_compact(df):
        handed_refs.append(weakref.ref(df))
        return compact(df)

    def spying_write(self, *args, **kwargs):
        dead_at_write.append([ref() is None for ref in handed_refs])
        return write(self, *args, **kwargs)

    monkeypatch.setattr(writer, "_compact", spying_compact)
    monkeypatch.setattr(pl.DataFrame, "write_parquet", spying_write)
    handed = {"big": pl.DataFrame({"x": list(range(1_000)), "l": [["a"]] * 1_000}),
              "small": pl.DataFrame({"y": [1, 2, 3]})}
    write_tables(handed, tmp_path, release=True)
    assert dead_at_write == [[True], [True, True]]
    # the same without release: the caller keeps its tables
    handed_refs.clear()
    dead_at_write.clear()
    kept = {"small": pl.DataFrame({"y": [1, 2, 3]})}
    write_tables(kept, tmp_path / "kept")
    assert dead_at_write == [[False]] and "small" in kept
