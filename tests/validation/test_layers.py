"""discourse.validation sits beside the report: it uses the scored tables, and nothing below it imports it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "discourse"
#: what validation may import from discourse (not the top-level package: it imports the report)
ALLOWED = {"discourse.errors", "discourse.schema", "discourse.model", "discourse.scoring",
           "discourse.sentiment", "discourse.readers", "discourse.validation"}


def _discourse_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "discourse"}
        elif isinstance(node, ast.ImportFrom) and node.module == "discourse":
            found |= {f"discourse.{a.name}" for a in node.names}   # from discourse import schema
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "discourse":
            found.add(node.module)
    return found


def test_validation_imports_only_what_lies_below_it():
    for path in (PACKAGE / "validation").glob("*.py"):
        for module in _discourse_imports(path):
            assert any(module == a or module.startswith(a + ".") for a in ALLOWED), f"{path.name} imports {module}"


def test_nothing_below_imports_validation():
    users = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if any(m.startswith("discourse.validation") for m in _discourse_imports(p))
             and "validation" not in p.relative_to(PACKAGE).parts}
    assert users <= {"cli.py"}, sorted(users)
