"""Third-party imports are fenced: each heavy or optional package is imported by one place only, and
`discourse --help` loads neither matplotlib nor any reader's parser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "discourse"

#: package -> the modules allowed to import it
FENCES = {
    "vaderSentiment": {"sentiment/reference.py"},
    "matplotlib": {"report/plots.py", "report/palettes.py", "report/build.py", "report/figures.py"},
    "selectolax": {"readers/markup.py", "readers/wordpress_html.py"},
    "defusedxml": {"readers/xmlsafe.py"},
    "yaml": {"scoring/lexicon_import.py"},
    "zstandard": {"readers/jsonlines.py", "bench/reddit.py"},  # reading dumps; writing synthetic ones
    "krippendorff": {"validation/metrics.py"},
    "typer": {"cli.py"},
    "dask": {"cluster.py"},
    "distributed": {"cluster.py"},
    "click": set(),  # typer vendors what it needs; never import click directly
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FENCES))
def test_package_is_imported_only_behind_its_fence(package):
    users = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if package in _imports(p)}
    assert users <= FENCES[package], f"{package} imported outside its fence: {sorted(users - FENCES[package])}"


def test_help_loads_no_plotting_or_parsers():
    code = ("import sys\nfrom discourse.cli import app\n"
            "print(','.join(sorted(m for m in ('matplotlib', 'selectolax', 'defusedxml', 'vaderSentiment', 'dask',"
            " 'distributed')"
            " if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_test_module_imports_another():
    # shared helpers live in tests/helpers.py, tests/threadgen.py and conftest fixtures
    tests = Path(__file__).resolve().parent
    offenders = {str(p.relative_to(tests)): sorted(m for m in _imports(p) if m.startswith(("test_", "conftest")))
                 for p in tests.rglob("*.py") if "data" not in p.parts}
    assert {k: v for k, v in offenders.items() if v} == {}
