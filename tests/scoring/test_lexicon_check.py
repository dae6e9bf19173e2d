"""Tests for discourse.scoring.lexicon_check."""

from __future__ import annotations

import polars as pl
import pytest

from discourse.scoring.lexicon import Actor, Entry, Lexicon, Topic, match_units
from discourse.scoring.lexicon_check import ENTRY_COUNTS_SCHEMA, SHARED_SCHEMA, check_lexicon

LEX = Lexicon(
    (Topic("peace", ("peace talks", "truce", "cease-fire")),
     Topic("talks", ("Peace Talks", "negotiat*")),
     Topic("betrayal", ("betray*",))),
    (Actor("russia", ("Russia", Entry("TRUCE", label="russia", kind="actor", case="sensitive"))),),
)
UNITS = pl.DataFrame({
    "unit_id": ["u1", "u2", "u3", "u4"],
    "text": ["Peace talks in Moscow", "They never betrayed us", "Russia negotiates, a cease fire", "Weather"],
})


def test_entry_counts() -> None:
    check = check_lexicon(LEX, UNITS)
    assert dict(check.entry_counts.schema) == ENTRY_COUNTS_SCHEMA
    assert check.entry_counts.select("kind", "label", "entry", "hits", "negated", "units").rows() == [
        ("topic", "peace", "peace talks", 1, 0, 1),
        ("topic", "peace", "truce", 0, 0, 0),
        ("topic", "peace", "cease-fire", 1, 0, 1),
        ("topic", "talks", "Peace Talks", 1, 0, 1),
        ("topic", "talks", "negotiat*", 1, 0, 1),
        ("topic", "betrayal", "betray*", 1, 1, 1),
        ("actor", "russia", "Russia", 1, 0, 1),
        ("actor", "russia", "TRUCE", 0, 0, 0),
    ]
    assert check.entry_counts.filter(pl.col("entry") == "cease-fire").get_column("examples").to_list() == [
        ["cease fire"]]


def test_unmatched_shared_and_coverage() -> None:
    check = check_lexicon(LEX, UNITS)
    assert check.unmatched.select("label", "entry").rows() == [("peace", "truce"), ("russia", "TRUCE")]
    assert dict(check.shared.schema) == SHARED_SCHEMA
    # "peace talks" and "Peace Talks" are one case-insensitive pattern in two topics; "TRUCE" is case-sensitive
    assert check.shared.rows() == [("peace talks", "insensitive", ["topic", "topic"], ["peace", "talks"])]
    # u2 has only a negated hit, u4 none
    assert check.untagged.get_column("unit_id").to_list() == ["u2", "u4"]
    assert (check.n_units, check.n_untagged, check.share_untagged) == (4, 2, 0.5)


def test_precomputed_evidence_gives_the_same_result() -> None:
    a = check_lexicon(LEX, UNITS)
    b = check_lexicon(LEX, UNITS, evidence=match_units(UNITS, LEX))
    assert a.entry_counts.equals(b.entry_counts) and a.untagged.equals(b.untagged)


def test_no_units() -> None:
    empty = pl.DataFrame({"unit_id": [], "text": []}, schema={"unit_id": pl.String, "text": pl.String})
    check = check_lexicon(LEX, empty)
    assert check.n_units == 0 and check.share_untagged == 0.0
    assert check.unmatched.height == len(LEX.entries)


def test_check_is_frozen() -> None:
    check = check_lexicon(LEX, UNITS)
    with pytest.raises(AttributeError):
        check.n_units = 3  # type: ignore[misc]
