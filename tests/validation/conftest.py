"""Small corpora for the validation tests, written in code as comment tables (the `table` reader)."""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest

import discourse

#: (source id, parent source id, author, text, article id, article title)
COMMENTS = [
    ("c1", "", "Ani", "Russia betrayed us again. Shameful treason.", "a1", "Lavrov visits Yerevan"),
    ("c2", "c1", "Bob", "Peace and a ceasefire, finally. I am glad.", "a1", "Lavrov visits Yerevan"),
    ("c3", "", "Cem", "The war killed thousands of soldiers.", "a1", "Lavrov visits Yerevan"),
    ("c4", "c3", "Dan", "They sold us out and stabbed us in the back.", "a1", "Lavrov visits Yerevan"),
    ("c5", "", "Eve", "What time is the meeting tomorrow?", "a1", "Lavrov visits Yerevan"),
    ("c6", "", "Fay", "Wonderful news, thank you!", "a2", "Talks in Moscow"),
    ("c7", "c6", "Gor", "No concessions, not one inch of land.", "a2", "Talks in Moscow"),
    ("c8", "", "Hov", "Negotiations under the Minsk Group failed again; terrible.", "a2", "Talks in Moscow"),
    ("c9", "c8", "Isa", "We need unity, not infighting.", "a2", "Talks in Moscow"),
    ("c10", "", "Jon", "=HYPERLINK(\"x\") <script>alert('kit')</script> the diaspora, \"quoted\", and a comma", "a2",
     "Talks in Moscow"),
]


def write_table(folder: Path, rows=COMMENTS, name: str = "comments.csv") -> Path:
    return helpers.write_table(folder, rows, name)


@pytest.fixture(scope="session")
def corpus_path(tmp_path_factory) -> Path:
    return write_table(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def analysis(corpus_path):
    return discourse.analyze(corpus_path)


@pytest.fixture(scope="session")
def topics(analysis) -> list[str]:
    return [t.name for t in analysis.lexicon.topics]
