"""The package's layers (pyproject's import-linter contract) hold, and no module imports itself back."""

from __future__ import annotations

import os
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_layer_contract_is_kept(monkeypatch):
    # cli -> cluster -> bench -> report -> validation -> writers -> scoring -> sentiment -> readers -> summary
    # -> model -> parallel -> native -> schema -> outputs -> errors: each imports only from the layers below it
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=os.fspath(ROOT / "pyproject.toml")) == 0


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    """No two modules import each other, directly or round a loop. A module may use names its own package
    gathers in ``__init__`` (the registry of readers, the compiled kernel): those edges are left out."""
    graph = grimp.build_graph("discourse", exclude_type_checking_imports=True)
    edges = {m: {t for t in graph.find_modules_directly_imported_by(m) if not m.startswith(t + ".")}
             for m in graph.modules}
    assert _cycles(edges) == []
