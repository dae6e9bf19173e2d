"""How the steps after reading grow with hostile input: lexicons, YAML dictionaries, the sentence splitter and
the reply tree, each at 1x, 2x, 4x and 8x its size.

    python benchmarks/bench_steps.py                         # every input, best of 3
    python benchmarks/bench_steps.py --only lexicon-entries --repeat 1 --base 2500

Each run builds its input, then times one step on it in a fresh process: the CPU time of the step
(``time.process_time``, so a busy shared machine does not bend the ratios) and the process's peak
memory. The best time of ``--repeat`` runs counts. Linear growth shows as time ratios near 2, 4 and 8.
``--base`` replaces the 1x size of the inputs named with ``--only`` (to time an old, slower version at
smaller sizes). The script only prints. Single process, single core.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import scaling

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))



def lexicon_entries(d: Path, n: int) -> Callable[[], object]:
    """A TOML lexicon with one topic of n entries (lines were looked up per entry: 50,000 took 198 s)."""
    from discourse.scoring.lexicon import load_lexicon

    p = d / "entries.toml"
    p.write_text('format = 1\nmode = "replace"\n[topics.big]\nlabel = "Big"\nentries = [\n'
                 + "".join(f'  "w{i:07d}x",\n' for i in range(n)) + "]\n", encoding="utf-8")
    return lambda: load_lexicon(p)


def lexicon_topics(d: Path, n: int) -> Callable[[], object]:
    """A TOML lexicon of n topics with two entries each (each topic rescanned the file: 8,000 took 56 s)."""
    from discourse.scoring.lexicon import load_lexicon

    p = d / "topics.toml"
    p.write_text('format = 1\nmode = "replace"\n' + "".join(
        f'[topics.t{i}]\nlabel = "T{i}"\nentries = ["a{i}x", {{ pattern = "b{i}y", note = "n" }}]\n\n'
        for i in range(n)), encoding="utf-8")
    return lambda: load_lexicon(p)


def long_entry(d: Path, n: int) -> Callable[[], object]:
    """One entry of n characters, compiled and matched (the prefix tree was recursive: 400 characters failed)."""
    from discourse.scoring.lexicon import Entry, Lexicon, Topic, match_text

    pattern = " ".join(["war"] * (n // 4))
    text = f"and {pattern} then"

    def step() -> object:
        lex = Lexicon((Topic("t", (Entry(pattern, label="t"),)),))
        return match_text(text, lex)
    return step


def yaml_categories(d: Path, n: int) -> Callable[[], object]:
    """A quanteda YAML dictionary of n nested categories with three patterns each."""
    from discourse.scoring.lexicon_import import import_lexicon

    p = d / "dict.yml"
    p.write_text("".join(f"group{i}:\n  cat{i}:\n    - word{i}a\n    - word{i}b*\n    - two words{i}\n"
                         for i in range(n)), encoding="utf-8")
    return lambda: import_lexicon(p)


def _splitter(make: Callable[[int], str]) -> Callable[[Path, int], Callable[[], object]]:
    def build(d: Path, n: int) -> Callable[[], object]:
        from discourse.native import native
        from discourse.sentiment.prepare import split_sentences

        text = make(n)

        def step() -> object:
            with native(False):  # the Python splitter; the C twin is timed by bench_sentiment.py
                return split_sentences(text)
        return step
    return build


def tree_chain(d: Path, n: int) -> Callable[[], object]:
    """`discourse tree` of a reply chain n deep (recursive, and each line as wide as its depth)."""
    import discourse
    from discourse.summary import render_tree

    p = d / "chain.csv"
    p.write_text("id,parent,text\n" + "".join(f"{i},{i - 1 if i else ''},reply {i}\n" for i in range(n)))
    corpus = discourse.read([p], format="table")
    article = corpus.articles["article_id"][0]
    return lambda: render_tree(corpus, article)


# name -> (what it is, unit, 1x size, builder(folder, n) -> the step to time)
INPUTS: dict[str, tuple[str, str, int, Callable[[Path, int], Callable[[], object]]]] = {
    "lexicon-entries": ("TOML lexicon, one topic", "entries", 10_000, lexicon_entries),
    "lexicon-topics": ("TOML lexicon, many topics", "topics", 1_000, lexicon_topics),
    "long-entry": ("one long lexicon entry", "chars", 1_000, long_entry),
    "yaml-categories": ("YAML dictionary, nested categories", "categories", 2_000, yaml_categories),
    "split-spaces": ("splitter: a run of spaces", "chars", 1_000_000, _splitter(lambda n: "a" + " " * n + "b")),
    "split-bangs": ("splitter: a run of '!'", "chars", 1_000_000, _splitter(lambda n: "!" * n + "x")),
    "split-sentences": ("splitter: 'a. ' repeated", "chars", 1_000_000, _splitter(lambda n: "a. " * (n // 3))),
    "split-dots": ("splitter: '. ' repeated", "chars", 1_000_000, _splitter(lambda n: ". " * (n // 2))),
    "split-abbreviations": ("splitter: 'Mr.' repeated", "chars", 1_000_000, _splitter(lambda n: "Mr." * (n // 3))),
    "split-blank-lines": ("splitter: blank lines", "chars", 1_000_000, _splitter(lambda n: "a" + "\n " * (n // 2) + "b")),
    "tree-chain": ("discourse tree, reply chain", "deep", 5_000, tree_chain),
}


def one(name: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        step = INPUTS[name][3](Path(tmp), n)
        start = time.process_time()
        step()
        seconds = time.process_time() - start
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    scaling.main(__doc__, __file__, INPUTS, one)
