"""Check a lexicon against a set of units: dead entries, entries shared by topics, coverage.

>>> import polars as pl
>>> from discourse.scoring.lexicon import load_lexicon
>>> units = pl.DataFrame({"unit_id": ["a", "b"], "text": ["They betrayed us", "Nice weather"]})
>>> check = check_lexicon(load_lexicon(), units)
>>> (check.n_units, check.n_untagged, check.share_untagged)
(2, 1, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from discourse import schema
from discourse.model import Corpus
from discourse.scoring.lexicon import Lexicon, match_units, tag_units

__all__ = ["ENTRY_COUNTS_SCHEMA", "SHARED_SCHEMA", "LexiconCheck", "check_corpus", "check_lexicon"]

ENTRY_COUNTS_SCHEMA = schema.ENTRY_COUNTS.schema
SHARED_SCHEMA = schema.SHARED_ENTRIES.schema


@dataclass(frozen=True)
class LexiconCheck:
    """The result of ``check_lexicon``.

    ``entry_counts``: every entry in lexicon order with its hits, negated hits, units and up to three
    distinct matched surfaces (``ENTRY_COUNTS_SCHEMA``). ``unmatched``: the entries with no hit (same
    columns). ``shared``: patterns that appear under more than one topic or actor (``SHARED_SCHEMA``).
    ``untagged``: the ``unit_id`` of units with no topic. A unit counts as tagged when it has a non-negated
    topic hit; actors do not count.
    """

    entry_counts: pl.DataFrame
    unmatched: pl.DataFrame
    shared: pl.DataFrame
    untagged: pl.DataFrame
    n_units: int
    n_untagged: int

    @property
    def share_untagged(self) -> float:
        """Share of units without a topic (0.0 when there are no units)."""
        return self.n_untagged / self.n_units if self.n_units else 0.0


def check_lexicon(lexicon: Lexicon, units: pl.DataFrame, *, evidence: pl.DataFrame | None = None) -> LexiconCheck:
    """Match ``lexicon`` on ``units`` (columns ``unit_id``, ``text``) and report on each entry.

    Pass ``evidence`` (the output of ``match_units`` for the same units and lexicon) to skip re-matching.
    """
    if evidence is None:
        evidence = match_units(units, lexicon)
    stats = (evidence.group_by(["kind", "label", "entry"])
             .agg(pl.len().cast(pl.Int64).alias("hits"),
                  pl.col("negated").sum().cast(pl.Int64).alias("negated"),
                  pl.col("unit_id").n_unique().cast(pl.Int64).alias("units"),
                  pl.col("matched").unique(maintain_order=True).head(3).alias("examples")))
    base = pl.DataFrame(
        {"kind": [e.kind for e in lexicon.entries], "label": [e.label for e in lexicon.entries],
         "entry": [e.pattern for e in lexicon.entries], "form": [e.form for e in lexicon.entries],
         "case": [e.case for e in lexicon.entries]},
        schema={k: ENTRY_COUNTS_SCHEMA[k] for k in ("kind", "label", "entry", "form", "case")})
    counts = (base.join(stats, on=["kind", "label", "entry"], how="left", maintain_order="left")
              .with_columns(pl.col("hits", "negated", "units").fill_null(0),
                            pl.col("examples").fill_null(pl.lit([], dtype=pl.List(pl.String()))))
              .select(list(ENTRY_COUNTS_SCHEMA)).cast(ENTRY_COUNTS_SCHEMA))

    owners: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for e in lexicon.entries:
        owners.setdefault((e.pattern.casefold() if e.case == "insensitive" else e.pattern, e.case), []).append(
            (e.kind, e.label))
    shared_rows = [(pattern, case, [k for k, _ in who], [label for _, label in who])
                   for (pattern, case), who in owners.items() if len(who) > 1]
    shared = pl.DataFrame(shared_rows, schema=SHARED_SCHEMA, orient="row")

    tags = tag_units(evidence, units)
    untagged = tags.filter(pl.col("topics").list.len() == 0).select("unit_id")
    return LexiconCheck(entry_counts=counts, unmatched=counts.filter(pl.col("hits") == 0), shared=shared,
                        untagged=untagged, n_units=tags.height, n_untagged=untagged.height)


def check_corpus(corpus: Corpus, lexicon: Lexicon) -> LexiconCheck:
    """:func:`check_lexicon` on the comments of ``corpus`` (what ``discourse lexicon check`` reports)."""
    units = corpus.comments.select(pl.col("comment_id").alias("unit_id"), "text")
    return check_lexicon(lexicon, units)
