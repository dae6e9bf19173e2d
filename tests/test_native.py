"""One native switch for both C kernels, and every Python function with a C twin names it."""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path

import pytest

from discourse import native
from discourse.scoring.lexicon import CompiledLexicon, native_scanner_available
from discourse.sentiment import engine, prepare, scoring

PACKAGE = Path(__file__).resolve().parents[1] / "discourse"


def test_the_switch_turns_both_kernels_off_and_restores_the_environment(monkeypatch):
    monkeypatch.delenv(native.VARIABLE, raising=False)
    built = engine.native_kernel() is not None
    with native.native(False):
        assert not native.enabled() and os.environ[native.VARIABLE] == "0"
        assert engine.native_kernel() is None and not native_scanner_available()
        with native.native(True):
            assert native.enabled() and (engine.native_kernel() is not None) == built
        assert not native.enabled()
    assert native.VARIABLE not in os.environ and native.enabled()
    monkeypatch.setenv(native.VARIABLE, "0")
    assert engine.native_kernel() is None


MODULES = {"engine": engine, "prepare": prepare, "scoring": scoring}


def _ported(c_file: str) -> set[str]:
    """The Python functions a C file says it ports (``engine._but``, ``prepare.split_sentences`` ...)."""
    text = (PACKAGE / c_file).read_text(encoding="utf-8")
    named = set(re.findall(r"\b((?:engine|prepare|scoring)\.[A-Za-z_]\w*)", text))
    return {n for n in named if inspect.isfunction(getattr(MODULES[n.split(".")[0]], n.split(".")[1], None))}


TWINS = sorted(_ported("sentiment/_vader.c") | {"engine._score", "prepare.normalize", "scoring.sentence_scores"})


def test_the_c_sources_name_what_they_port():
    assert {"engine._valences", "engine._but", "engine._scores", "prepare.split_sentences"} <= set(TWINS)


@pytest.mark.parametrize("name", TWINS)
def test_a_python_function_with_a_c_twin_names_it(name):
    module, function = name.split(".")
    doc = getattr(MODULES[module], function).__doc__ or ""
    assert re.search(r"C twin: ``[^`]+`` in ``_vader\.c``", doc), f"{name} does not name its C twin"


def test_the_lexicon_scanner_names_its_c_twin():
    assert "C twin: ``Scanner.scan`` in ``_scan.c``" in (CompiledLexicon._matches.__doc__ or "")


def test_a_held_switch_is_read_once_and_still_follows_the_native_block(monkeypatch):
    monkeypatch.setenv(native.VARIABLE, "1")
    with native.held():
        monkeypatch.setenv(native.VARIABLE, "0")  # not read again inside the block
        assert native.enabled()
        with native.native(False):
            assert not native.enabled() and engine.native_kernel() is None
        assert native.enabled()
    assert not native.enabled()  # the environment again, outside the block
    with native.held():
        assert not native.enabled()
        with native.native(True):
            assert native.enabled()
        assert not native.enabled()


def test_the_scoring_twins_name_their_c_twins():
    from discourse.scoring import batch
    from discourse.scoring.lexicon import _Rules

    assert "C twin: ``Scanner.hits`` in ``_scan.c``" in (CompiledLexicon._scan.__doc__ or "")
    assert "``Rules.apply`` in ``_scan.c``" in (_Rules._apply.__doc__ or "")
    assert "C twin: ``hit_rows`` in ``_scan.c``" in (batch._hit_rows.__doc__ or "")
