"""discourse.cluster: `discourse export --cluster local` on a Dask local cluster of two worker processes writes,
from a synthetic Reddit dump in several .zst files (threads split across them), the tables `discourse export`
writes on one machine, row for row; `discourse report --from` on that export draws the report `discourse report`
draws from the dump, figures and tables byte for byte (provenance aside)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytest.importorskip("zstandard")

from discourse.bench.reddit import generate_reddit
from discourse.cli import app
from discourse.model import Analysis
from discourse.writers.exported import table_files

runner = CliRunner()


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    dump = generate_reddit(root / "dumps", 800, files=4, seed=3, split=0.5)
    assert len(dump.files) == 4 and dump.split_threads >= 5
    # a dump cut off after its first bytes: reported and skipped on one machine and on the cluster alike
    (root / "dumps" / "RC_2016-05.zst").write_bytes(dump.files[0].read_bytes()[:40])
    # paths as a user gives them, relative to the working folder: the tables record them as given
    here = os.getcwd()
    os.chdir(root)
    try:
        invoke("export", "dumps", "--out", "single", "--workers", "1", "--quiet")
        run = invoke("export", "dumps", "--out", "cluster", "--cluster", "local", "--cluster-workers", 2)
    finally:
        os.chdir(here)
    return root, dump, run


def _table(folder: Path, name: str) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(p) for p in table_files(folder, name)])


@pytest.mark.parametrize("name", Analysis.TABLES)
def test_every_table_is_the_single_machine_one(runs, name):
    root, _, _ = runs
    single, cluster = pl.read_parquet(root / "single" / f"{name}.parquet"), _table(root / "cluster", name)
    assert single.height > 0
    assert cluster.schema == single.schema
    assert cluster.equals(single), name


def test_the_export_is_partitioned_by_input_file(runs):
    root, dump, run = runs
    out = root / "cluster"
    # one partition per input file (and the diagnostics after every file's); long tables split by unit kind
    assert sorted(p.name for p in (out / "comments").iterdir()) == [f"part-{k:05d}.parquet" for k in range(5)]
    assert len(list((out / "diagnostics").iterdir())) == 6
    assert sorted(p.name for p in (out / "sentences").iterdir()) == (
        [f"a-{k:05d}.parquet" for k in range(5)] + [f"c-{k:05d}.parquet" for k in range(5)])
    files = _table(out, "files")
    assert files.get_column("status").to_list() == ["read"] * 4 + ["skipped"]
    assert files.get_column("source_path").to_list() == [f"dumps/RC_2016-0{m}.zst" for m in range(1, 6)]
    assert [p.name for p in (out / "speakers").iterdir()] == ["part-00000.parquet"]
    assert not (out / ".staging").exists()
    assert {"export.json", "lexicon.toml", "schema.json"} <= {p.name for p in out.iterdir()}
    # a file's partition holds the articles first seen in it: a thread joined across files is in its first
    comments = pl.read_parquet(out / "comments" / "part-00001.parquet")
    assert set(comments.get_column("article_id").str.extract(r"^([^:]+):").unique()) == {"RC_2016-02"}
    assert "on 2 workers" in run.output and "threads joined across files" in run.output


def test_split_threads_are_joined(runs):
    root, dump, _ = runs
    comments = _table(root / "cluster", "comments")
    assert comments.filter(pl.col("orphan")).height == 0
    spread = comments.group_by("article_id").agg(pl.col("source_path").n_unique().alias("files"))
    assert spread.filter(pl.col("files") > 1).height >= 5
    notes = _table(root / "cluster", "diagnostics").filter(pl.col("code") == "joined-thread")
    assert notes.height == dump.split_threads


_CLIP_ID = re.compile(rb'(?<=["#])((?:f\d+-)?p)[0-9a-f]{10}(?=[")])')


def _clip_ids_numbered(svg: bytes) -> bytes:
    """SVG with its clip-path ids numbered in order. Matplotlib names a clip path by a hash of its rectangle
    at full float precision, whose last bits vary between runs of the same report (the rectangle written
    in the file, to six decimals, does not); the test compares what is drawn."""
    seen: dict[bytes, bytes] = {}
    return _CLIP_ID.sub(lambda m: seen.setdefault(m.group(0), m.group(1) + b"%d" % len(seen)), svg)


def _without_provenance(folder: Path) -> dict[str, bytes]:
    """Every file of a report, index.html and report.md without their provenance sections."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == "provenance.json":
            continue
        data = path.read_bytes()
        if path.name == "index.html":
            data = re.sub(rb'<section id="provenance">.*?</section>', b"", data, flags=re.S)
        elif path.name == "report.md":
            data = data.split(b"## Provenance")[0]
        if path.suffix in (".svg", ".html"):
            data = _clip_ids_numbered(data)
        out[str(path.relative_to(folder))] = data
    return out


def _discourse(cwd: Path, *args) -> None:
    done = subprocess.run([sys.executable, "-m", "discourse", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)
    assert done.returncode == 0, done.stderr


def test_report_from_the_cluster_export_is_the_report(runs):
    root, dump, _ = runs
    _discourse(root, "report", "dumps", "--out", "direct", "--workers", "1", "--quiet")
    _discourse(root, "report", "--from", "cluster", "--out", "from", "--quiet")
    direct, drawn = _without_provenance(root / "direct"), _without_provenance(root / "from")
    assert any(name.startswith("figures/") for name in direct) and any(name.startswith("tables/") for name in direct)
    assert sorted(drawn) == sorted(direct)
    differ = [name for name in direct if direct[name] != drawn[name]]
    assert differ == []


def test_cluster_options_are_checked(tmp_path):
    for args, message in ((("--cluster", "local", "--to", "csv"), "writes Parquet"),
                          (("--cluster", "local", "--workers", "2"), "--workers is for one machine"),
                          (("--cluster-workers", "2"), "needs --cluster local")):
        result = runner.invoke(app, ["export", "threads", "--out", str(tmp_path / "x"), *args])
        assert result.exit_code == 1 and message in result.output, result.output
