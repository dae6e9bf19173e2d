"""Outputs are replaced whole or not at all: discourse.outputs, and export and report killed at random points."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from discourse.errors import OutputError
from discourse.outputs import _clean, replacing, replacing_file

ROOT = Path(__file__).resolve().parents[1]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """What a run may leave beside or inside its output: work folders, old copies, locks, spill folders."""
    beside = [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}")]
    inside = [p.name for p in folder.iterdir() if p.name.startswith((".scoring", ".discourse-scoring"))] \
        if folder.is_dir() else []
    return beside + inside


# ---- the mechanism -----------------------------------------------------------------------------------------

def test_a_new_folder_appears_whole(tmp_path):
    with replacing(tmp_path / "deep" / "out") as work:
        assert not (tmp_path / "deep" / "out").exists()
        (work / "a.csv").write_text("1")
    assert files(tmp_path / "deep" / "out") == {"a.csv": b"1"}
    assert leftovers(tmp_path / "deep" / "out") == []


def test_a_folder_is_replaced_whole_and_hidden_files_are_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old")
    (out / ".gitkeep").write_text("")
    with replacing(out) as work:
        (work / "new.csv").write_text("new")
    assert files(out) == {".gitkeep": b"", "new.csv": b"new"}
    assert leftovers(out) == []


def test_a_failing_block_leaves_the_previous_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("old")
    with pytest.raises(RuntimeError), replacing(out) as work:
        (work / "new.csv").write_text("half")
        raise RuntimeError("killed")
    assert files(out) == {"old.csv": b"old"} and leftovers(out) == []


def test_a_second_writer_is_refused_while_the_first_writes(tmp_path):
    out = tmp_path / "out"
    with replacing(out) as work:
        with pytest.raises(OutputError, match="another discourse run is writing here"):
            with replacing(out):
                pass
        (work / "a").write_text("first")
    assert files(out) == {"a": b"first"}
    with replacing(out) as work:        # and the lock is free again
        (work / "b").write_text("second")
    assert files(out) == {"b": b"second"}


def test_a_swap_killed_between_two_renames_is_repaired(tmp_path):
    # where there is no atomic exchange, a kill between "old aside" and "new in" leaves only the old copy
    out = tmp_path / "out"
    (tmp_path / ".out-0123456789ab.old").mkdir()
    (tmp_path / ".out-0123456789ab.old" / "kept.csv").write_text("previous")
    (tmp_path / ".out-ba9876543210.partial").mkdir()
    _clean(out)
    assert files(out) == {"kept.csv": b"previous"} and leftovers(out) == []


def test_wrong_kinds_of_path_give_one_line_errors(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder") as err:
        with replacing(tmp_path / "file"):
            pass
    assert str(err.value) == f"{tmp_path / 'file'}: exists and is not a folder (choose another --out)"
    with pytest.raises(OutputError, match="cannot create the folder"):
        with replacing(tmp_path / "file" / "below"):
            pass
    with pytest.raises(OutputError, match="folder to write into does not exist"):
        with replacing_file(tmp_path / "missing" / "lexicon.toml"):
            pass
    with pytest.raises(OutputError, match="is a folder, not a file"):
        with replacing_file(tmp_path):
            pass


def test_a_file_is_replaced_whole(tmp_path):
    target = tmp_path / "lexicon.toml"
    target.write_text("old")
    with pytest.raises(RuntimeError), replacing_file(target) as work:
        work.write_text("half")
        raise RuntimeError
    assert target.read_text() == "old"
    with replacing_file(target) as work:
        work.write_text("new")
    assert target.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["lexicon.toml"]


# ---- export and report killed at random points ---------------------------------------------------------------

def _run(args: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.Popen([sys.executable, "-m", "discourse", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _complete(args: list[str], cwd: Path) -> None:
    done = _run(args, cwd)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err.decode(errors="replace")


def _kill_at_random_points(args: list[str], out: Path, tmp_path: Path, trials: int, seed: int,
                           same: callable) -> None:
    # a complete run first, to time one and to have a previous output; then runs killed (SIGKILL, with their
    # worker processes) at random moments within that time: the folder holds the previous output or the
    # complete new one, and the next complete run leaves nothing behind
    start = time.monotonic()
    _complete(args, tmp_path)
    took = time.monotonic() - start
    reference = files(out)
    rng = random.Random(seed)
    for _ in range(trials):
        proc = _run(args, tmp_path)
        time.sleep(rng.uniform(0.05, took))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        assert out.is_dir(), "a killed run left no output folder"
        assert same(files(out), reference), "a killed run left a mix of old and new output"
    _complete(args, tmp_path)
    assert same(files(out), reference) and leftovers(out) == []


def test_export_killed_at_random_points_leaves_old_or_new(tmp_path):
    out = tmp_path / "export"
    _kill_at_random_points(["export", str(ROOT / "threads"), "--out", str(out), "--to", "csv", "-w", "1"],
                           out, tmp_path, trials=5, seed=15, same=lambda a, b: a == b)


def test_report_killed_at_random_points_leaves_old_or_new(tmp_path):
    out = tmp_path / "report"

    def same(a: dict[str, bytes], b: dict[str, bytes]) -> bool:
        # provenance.json records when and how the report was made; every other file is byte-identical
        return a.keys() == b.keys() and all(a[k] == b[k] for k in a if k != "provenance.json")

    _kill_at_random_points(["report", str(ROOT / "threads"), "--out", str(out), "--quiet", "-w", "1"],
                           out, tmp_path, trials=3, seed=16, same=same)


def test_the_cli_names_the_path_when_it_cannot_write(tmp_path):
    from typer.testing import CliRunner

    from discourse.cli import app

    dic = tmp_path / "moral.dic"
    dic.write_text("%\n1\tcare\n%\nharm*\t1\n", encoding="utf-8")
    missing = tmp_path / "no" / "such" / "moral.toml"
    res = CliRunner().invoke(app, ["lexicon", "import", str(dic), "--out", str(missing)])
    assert res.exit_code == 1 and res.output.strip().splitlines() == [
        f"Error: {missing.parent}: the folder to write into does not exist (create it first, or name a file in an "
        "existing folder)"]
    (tmp_path / "file").write_text("x")
    res = CliRunner().invoke(app, ["export", str(ROOT / "threads"), "--out", str(tmp_path / "file"), "-w", "1"])
    assert res.exit_code == 1 and res.output.strip().splitlines()[-1] == \
        f"Error: {tmp_path / 'file'}: exists and is not a folder (choose another --out)"
    written = tmp_path / "moral.toml"
    res = CliRunner().invoke(app, ["lexicon", "import", str(dic), "--out", str(written)])
    assert res.exit_code == 0 and "[topics." in written.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "moral.dic", "moral.toml"]
