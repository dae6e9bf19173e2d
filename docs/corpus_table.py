"""Print the "what each entry matches in the bundled corpus" table of docs/lexicon.md.

    python docs/corpus_table.py > /tmp/table.md

Units are the paragraphs (blank-line separated blocks) of threads/*.txt: article paragraphs and reader
comments alike, since the thread parser is not part of the lexicon. tests/scoring/test_lexicon.py checks
that docs/lexicon.md holds the current table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from discourse.scoring.lexicon import load_lexicon, match_units  # noqa: E402
from discourse.scoring.lexicon_check import check_lexicon  # noqa: E402


def corpus_units(threads: Path = ROOT / "threads") -> pl.DataFrame:
    """One unit per paragraph: ``unit_id`` is ``file-id:paragraph-number``."""
    rows = []
    for path in sorted(threads.glob("*.txt")):
        paragraphs = [p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]
        rows.extend((f"{path.name[:3]}:{i}", p) for i, p in enumerate(paragraphs))
    return pl.DataFrame(rows, schema={"unit_id": pl.String, "text": pl.String}, orient="row")


def corpus_table() -> str:
    """The markdown table (and a summary line) for the default lexicon on the bundled corpus."""
    lexicon = load_lexicon()
    units = corpus_units()
    check = check_lexicon(lexicon, units)
    files: dict[tuple[str, str, str], dict[str, int]] = {}
    for row in match_units(units, lexicon).iter_rows(named=True):
        per = files.setdefault((row["kind"], row["label"], row["entry"]), {})
        per[row["unit_id"][:3]] = per.get(row["unit_id"][:3], 0) + 1
    summary = (f"{check.n_units} paragraphs, {check.n_units - check.n_untagged} with a topic, "
               f"{check.n_untagged} without ({check.share_untagged:.0%}); "
               f"{check.entry_counts.height - check.unmatched.height} of {check.entry_counts.height} entries match.")
    lines = [
        summary,
        "",
        "| kind | label | entry | hits | negated | set aside | per file | matched forms |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for row in check.entry_counts.filter(pl.col("hits") > 0).iter_rows(named=True):
        per = files[(row["kind"], row["label"], row["entry"])]
        where = " ".join(f"{f}:{n}" for f, n in sorted(per.items()))
        forms = ", ".join(row["examples"]).replace("|", "\\|")
        lines.append(f"| {row['kind']} | {row['label']} | `{row['entry']}` | {row['hits']} | {row['negated']} "
                     f"| {row['set_aside']} | {where} | {forms} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(corpus_table())
