"""The vaderSentiment adapter, and the fence around it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from discourse.sentiment import reference

PACKAGE = Path(__file__).resolve().parents[2] / "discourse"


def test_lexicons_and_version():
    assert reference.version() == "3.3.2"
    assert reference.lexicon_text().startswith("$:\t-1.5\t")
    assert "\U0001F600\tgrinning face" in reference.emoji_lexicon_text()
    assert reference.analyzer().polarity_scores("good")["compound"] == 0.4404


def test_only_the_adapter_imports_vader_sentiment():
    importers = sorted(
        str(path.relative_to(PACKAGE.parent)) for path in PACKAGE.rglob("*.py")
        if any(line.lstrip().startswith(("import vaderSentiment", "from vaderSentiment"))
               for line in path.read_text(encoding="utf-8").splitlines()))
    assert importers == ["discourse/sentiment/reference.py"]


def test_importing_does_no_work():
    code = ("import sys, discourse.sentiment as s; from discourse.sentiment import engine; "
            "print('vaderSentiment' in sys.modules, engine._tables.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE.parent)
    assert out.stdout.split() == ["False", "0"]
    assert out.stderr == ""
