"""analyze(): the bundled corpus end to end, the pure batch scorer, workers, pseudonyms, determinism."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import discourse
from discourse import schema
from discourse.schema import UNITS
from discourse.scoring.batch import ScoringConfig, score_batch
from discourse.scoring.lexicon import load_lexicon
from discourse.scoring.pipeline import analyze
from discourse.scoring.pseudonyms import pseudonym
from discourse.sentiment import normalize, polarity_scores
from discourse.writers import export

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def analysis():
    return analyze(ROOT / "threads")


def tags_of(analysis, comment_id):
    return set(analysis.comments.filter(pl.col("comment_id") == comment_id).item(0, "topic_tags"))


def test_required_tags_on_the_bundled_comments(analysis):
    assert {"betrayal", "concessions"} <= tags_of(analysis, "002/1")            # Tavit
    assert "betrayal" in tags_of(analysis, "002/4")                             # vartan
    assert {"unity", "concessions"} <= tags_of(analysis, "002/7.1")            # jOE to Harutik
    assert "concessions" in tags_of(analysis, "002/8")                          # Armen
    assert not {"betrayal", "unity", "concessions"} & tags_of(analysis, "004/1")  # the poem


def test_every_tag_has_its_evidence(analysis):
    units = pl.concat([analysis.comments.select(pl.col("comment_id").alias("unit_id"), "text", "topic_tags"),
                       analysis.paragraphs.select(pl.col("paragraph_id").alias("unit_id"), "text", "topic_tags")])
    texts = dict(units.select("unit_id", "text").iter_rows())
    for unit_id, topics in units.select("unit_id", "topic_tags").iter_rows():
        ev = analysis.tags.filter((pl.col("unit_id") == unit_id) & pl.col("counted"))
        assert sorted(ev.get_column("topic").unique().to_list()) == topics
    for r in analysis.tags.iter_rows(named=True):
        assert texts[r["unit_id"]][r["start"]:r["end"]] == r["matched"]
        assert r["sentence_id"].startswith(r["unit_id"] + "#")


def test_tables_have_their_schemas(analysis):
    assert analysis.comments.columns == schema.SCORED_COMMENTS.names
    assert analysis.paragraphs.columns == schema.SCORED_PARAGRAPHS.names
    for name in ("sentences", "tags", "mentions", "actor_sentiment", "edges", "threads", "speakers"):
        assert getattr(analysis, name).schema == schema.TABLES[name].schema, name
    # scorers keep row count and order
    assert analysis.comments.get_column("comment_id").to_list() == \
        discourse.read(ROOT / "threads").comments.get_column("comment_id").to_list()


def test_sentence_scores_are_vader_on_prepared_sentences(analysis):
    for r in analysis.sentences.head(60).iter_rows(named=True):
        assert r["compound"] == polarity_scores(normalize(r["text"]))["compound"]
    c = analysis.comments.filter(pl.col("comment_id") == "002/4").row(0, named=True)
    s = analysis.sentences.filter(pl.col("unit_id") == "002/4")
    assert c["sent_mean"] == pytest.approx(s.get_column("compound").mean())
    assert c["sent_score"] == c["sent_mean"] and c["sent_label"] == "negative"
    assert c["sent_compound"] == polarity_scores(normalize(c["text"]))["compound"]


def test_empty_comment_has_no_score(analysis):
    joe = analysis.comments.filter(pl.col("comment_id") == "002/2.1").row(0, named=True)
    assert (joe["sent_n"], joe["sent_mean"], joe["sent_label"], list(joe["topic_tags"])) == (0, None, None, [])


def test_quoted_speech_is_separated(analysis):
    p = analysis.paragraphs.filter(pl.col("paragraph_id") == "000/p4").row(0, named=True)
    assert p["sent_n_quoted"] >= 20 and p["sent_quoted"] is not None
    quoted = analysis.sentences.filter((pl.col("unit_id") == "000/p4") & (pl.col("voice") == "quoted"))
    assert set(quoted.get_column("speaker").to_list()) == {"Putin"}
    own = analysis.paragraphs.filter(pl.col("paragraph_id") == "000/p5").item(0, "sent_n_quoted")
    assert own == 0


def test_actor_mentions_carry_their_sentence_score(analysis):
    m = analysis.mentions.join(analysis.sentences.select("sentence_id", pl.col("compound").alias("c")),
                               on="sentence_id")
    assert m.height == analysis.mentions.height and (m.get_column("compound") == m.get_column("c")).all()
    a = analysis.actor_sentiment.filter((pl.col("article_id") == "000") & (pl.col("actor") == "russia")
                                        & (pl.col("kind") == "article")).row(0, named=True)
    sents = analysis.mentions.filter((pl.col("article_id") == "000") & (pl.col("actor") == "russia")
                                     & (pl.col("kind") == "article")).unique("sentence_id")
    assert a["n"] == sents.height and a["mean"] == pytest.approx(sents.get_column("compound").mean())
    assert a["small"] == (a["n"] < 5)


def test_score_batch_is_pure_and_keeps_rows():
    units = pl.DataFrame({"unit_id": ["u1", "u2", "u3"], "article_id": ["a"] * 3, "kind": ["comment"] * 3,
                          "text": ["Compromise is not treason.", "", "Russia betrayed us!"],
                          "context": [None] * 3, "offset": [None] * 3}, schema=UNITS.schema)
    cfg = ScoringConfig(load_lexicon())
    a, b = score_batch(units, cfg), score_batch(units, cfg)
    for name in a:
        assert a[name].equals(b[name])
    assert a["units"].get_column("unit_id").to_list() == ["u1", "u2", "u3"]
    assert a["units"].get_column("topic_tags").to_list()[0] == ["concessions"]
    negated = a["tags"].filter(pl.col("unit_id") == "u1").filter(pl.col("topic") == "betrayal").row(0, named=True)
    assert negated["negated"] and negated["negator"] == "not"
    assert a["units"].get_column("topic_tags").to_list()[2] == ["betrayal"]
    assert a["units"].get_column("actor_tags").to_list()[2] == ["russia"]


def test_workers_give_the_same_result(monkeypatch):
    from discourse.scoring import run

    monkeypatch.setattr(run, "BATCH_UNITS", 40)
    monkeypatch.setattr(run, "BATCH_CHARS", 5_000)  # batches also end at multiples of 5,000 characters
    assert len(run._batch_bounds(discourse.read(ROOT / "threads"), 40, 5_000)) > 6
    one = analyze(ROOT / "threads", workers=1)
    two = analyze(ROOT / "threads", workers=2)
    for name, df in one.tables().items():
        assert df.equals(two.tables()[name]), name


def test_any_split_of_the_units_scores_the_same():
    from discourse.scoring.run import units_table

    units = units_table(discourse.read(ROOT / "threads"))
    assert units.schema == UNITS.schema and units.height == 81 + 14
    cfg = ScoringConfig(load_lexicon())
    whole = score_batch(units, cfg)
    parts = [score_batch(units.slice(a, b - a), cfg) for a, b in ((0, 7), (7, 60), (60, 95))]
    for name, df in whole.items():
        assert pl.concat([part[name] for part in parts]).equals(df), name


def test_pseudonyms_everywhere_and_stable():
    a = analyze(ROOT / "threads", pseudonym_key="secret")
    names = {"Tavit", "jOE", "Harutik", "vartan"}
    for frame, cols in ((a.comments, ["author"]), (a.edges, ["source", "target"]), (a.speakers, ["author"])):
        for c in cols:
            assert not names & set(frame.get_column(c).drop_nulls().to_list())
    assert a.comments.filter(pl.col("comment_id") == "002/7.1").item(0, "author") == pseudonym("jOE", "secret")
    assert pseudonym("jOE", "secret") != pseudonym("jOE", "other")
    b = analyze(ROOT / "threads", pseudonym_key="secret")
    assert a.speakers.equals(b.speakers)


def test_custom_lexicon_replaces_the_default(tmp_path):
    lex = tmp_path / "mine.toml"
    lex.write_text('format = 1\nmode = "replace"\n[topics.arms]\nentries = ["arms", "weapon*"]\n', encoding="utf-8")
    a = analyze(ROOT / "threads", lexicon=lex)
    assert set(a.tags.get_column("topic").unique().to_list()) == {"arms"}
    assert a.comments.filter(pl.col("comment_id") == "002/4.1").get_column("topic_tags").to_list() == [["arms"]]


def test_bad_settings_are_rejected():
    with pytest.raises(discourse.ConfigError, match="workers"):
        analyze(ROOT / "threads", workers=0)


def test_the_c_kernels_change_no_table(tmp_path):
    # the same export with every rule run in Python (the native switch off): byte for byte
    import os

    from discourse.native import native
    from discourse.sentiment.engine import native_kernel

    fast, python = tmp_path / "native", tmp_path / "python"
    export(ROOT / "threads", fast, "parquet")
    with native(False):
        assert native_kernel() is None
        export(ROOT / "threads", python, "parquet")
    files = sorted(p.name for p in fast.iterdir())
    assert files == sorted(p.name for p in python.iterdir()) and "sentences.parquet" in files
    assert [f for f in files if (fast / f).read_bytes() != (python / f).read_bytes()] == []
    if os.environ.get("DISCOURSE_REQUIRE_NATIVE") == "1":
        assert native_kernel() is not None


def test_scores_set_beside_units_are_the_join_in_one_piece():
    import polars as pl

    from discourse.scoring.pipeline import _attach

    units = pl.DataFrame({"comment_id": ["a", "b", "c"], "text": ["x", "y", "z"]})
    # scores of paragraphs then comments, in two pieces, as batches give them
    scores = pl.concat([pl.DataFrame({"unit_id": ["p1", "a"], "sent_score": [0.1, 0.2]}),
                        pl.DataFrame({"unit_id": ["b", "c"], "sent_score": [0.3, None]})], rechunk=False)
    joined = units.join(scores.rename({"unit_id": "comment_id"}), on="comment_id", how="left", maintain_order="left")
    beside = _attach(units, scores, "comment_id")
    assert beside.equals(joined) and all(s.n_chunks() == 1 for s in beside.get_columns())
    # ids that do not align row for row, repeat or are missing: the join
    for other in (units.reverse(), pl.concat([units, units.head(1)]),
                  units.with_columns(pl.Series("comment_id", ["a", None, "c"]))):
        want = other.join(scores.rename({"unit_id": "comment_id"}), on="comment_id", how="left", maintain_order="left")
        assert _attach(other, scores, "comment_id").equals(want)


def _mention_batches(seed: int, distinct: bool) -> list[pl.DataFrame]:
    """Mention rows (the columns actor sentiment reads) of 12 batches: each sentence's mentions in one
    batch, an actor often named twice in a sentence, a few sentences without id; with ``distinct`` False,
    units whose ids recur in later batches. Scores of many magnitudes, so that a sum in another order
    would differ in its last bits."""
    import random

    rng = random.Random(seed)
    batches = []
    for b in range(12):
        rows = []
        for u in range(rng.randint(0, 200)):
            unit = f"u{rng.randint(0, 300)}" if not distinct else f"u{b}-{u}"
            article, kind = f"a{rng.randint(0, 3)}", rng.choice(["article", "comment"])
            for position in range(1, rng.randint(1, 5)):
                sentence = None if rng.random() < 0.03 else f"{unit}#{position}"
                compound = None if sentence is None else rng.choice([1e-9, 0.3, -0.7]) * rng.random()
                for _ in range(rng.randint(1, 4)):
                    actor = rng.choice(["russia", "armenia", "putin"])
                    rows.append((article, unit, kind, sentence, actor, compound))
        batches.append(pl.DataFrame(rows, orient="row", schema={
            "article_id": pl.String, "unit_id": pl.String, "kind": pl.String, "sentence_id": pl.String,
            "actor": pl.String, "compound": pl.Float64}))
    return batches


@pytest.mark.parametrize("seed", range(6))
def test_actor_sentiment_batch_by_batch_is_the_whole_table(seed):
    from discourse.scoring.batch import mentioning_sentences
    from discourse.scoring.pipeline import actor_sentiment
    from discourse.scoring.run import _actor_rows, _compact

    for distinct in (True, False):
        batches = _mention_batches(seed, distinct)
        whole = pl.concat(batches)
        want = actor_sentiment(whole, min_group=3)
        assert want.height > 10 and want.get_column("n").max() > 100  # groups long enough for the order to count
        for assume_distinct in {distinct, False}:  # the fallback (sentence ids kept) holds for distinct ids too
            parts = [_compact(mentioning_sentences(b), assume_distinct) for b in batches]
            rows = _actor_rows(parts, assume_distinct)
            assert "sentence_id" not in rows.columns
            got = actor_sentiment(rows, min_group=3)
            assert got.equals(want) and got.schema == want.schema
            assert got.get_column("mean").to_list() == want.get_column("mean").to_list()  # bit for bit
        # the test can fail: the same rows in another order give other means
        shuffled = actor_sentiment(mentioning_sentences(whole).reverse(), min_group=3)
        assert shuffled.get_column("mean").to_list() != want.get_column("mean").to_list()


def test_analyze_actor_sentiment_is_the_whole_mentions_table(monkeypatch):
    from dataclasses import replace

    from discourse.scoring import run
    from discourse.scoring.pipeline import actor_sentiment

    monkeypatch.setattr(run, "BATCH_UNITS", 10)  # many batches
    corpus = discourse.read(ROOT / "threads")
    # and a corpus whose 14 comments come twice, the second time in other batches (their sentences with them)
    repeated = replace(corpus, comments=pl.concat([corpus.comments, corpus.comments]))
    for source in (corpus, repeated):
        a = analyze(source)
        assert a.actor_sentiment.height > 10
        assert a.actor_sentiment.equals(actor_sentiment(a.mentions))
    assert analyze(repeated).mentions.get_column("sentence_id").is_duplicated().any()
