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

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SCALES = (1, 2, 4, 8)


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated input names: " + ", ".join(INPUTS))
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the best time counts (default 3)")
    ap.add_argument("--base", type=int, help="the 1x size, instead of each input's own")
    ap.add_argument("--one", nargs=2, metavar=("NAME", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    names = args.only.split(",") if args.only else list(INPUTS)
    print(f"{'input':<38}{'1x size':>18}" + "".join(f"{f'{s}x cpu s':>11}" for s in SCALES)
          + f"{'2x/1x':>7}{'4x/1x':>7}{'8x/1x':>7}{'8x MB':>7}")
    for name in names:
        what, unit, base, _ = INPUTS[name]
        base = args.base or base
        runs = []
        for s in SCALES:
            done = [subprocess.run([sys.executable, __file__, "--one", name, str(base * s)], capture_output=True,
                                   text=True) for _ in range(max(1, args.repeat))]
            failed = next((d for d in done if d.returncode != 0), None)
            if failed is not None:  # an older version may fail: say how, at which size
                last = (failed.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{what:<38}{f'{base:,} {unit}':>18}  fails at {s}x: {last[:80]}", flush=True)
                break
            tries = [json.loads(d.stdout) for d in done]
            runs.append(min(tries, key=lambda r: r["seconds"]) | {"peak_mb": max(r["peak_mb"] for r in tries)})
        if len(runs) < len(SCALES):
            continue
        t = [r["seconds"] for r in runs]
        print(f"{what:<38}{f'{base:,} {unit}':>18}" + "".join(f"{x:>11.3f}" for x in t)
              + "".join(f"{x / t[0]:>7.1f}" for x in t[1:]) + f"{runs[-1]['peak_mb']:>7.0f}", flush=True)


if __name__ == "__main__":
    main()
