"""docs/report.md: the embedding example runs, and every figure function is described."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from discourse.report import plots

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "report.md"


def test_embedding_example_runs(tmp_path, monkeypatch):
    code = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)[0]
    shutil.copytree(ROOT / "threads", tmp_path / "threads")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(code, namespace)
    pdf = (tmp_path / "my_figure.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf
    left, right = namespace["fig"].axes[:2]
    assert left.get_title(loc="left") == "a" and right.get_xlabel() == "Parent comment's score (mean sentence compound)"


def test_every_figure_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in plots.FIGURES:
        assert f"**`{name}`**" in text, name
