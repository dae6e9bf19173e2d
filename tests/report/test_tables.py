"""The report's aggregate tables: bootstrap intervals and sentiment by article."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from discourse.report import tables as T


def test_bootstrap_needs_two_clusters_and_is_deterministic():
    assert T.bootstrap_mean([0.4]) is None
    assert T.bootstrap_mean([0.1, 0.2, 0.3], ["a", "a", "a"]) is None  # one cluster: nothing to resample
    values = [0.1, -0.3, 0.5, 0.2, 0.0, 0.7]
    low, high = T.bootstrap_mean(values)
    assert low < np.mean(values) < high and T.bootstrap_mean(values) == (low, high)
    # one value per cluster is the plain bootstrap
    assert T.bootstrap_mean(values, list("abcdef")) == (low, high)


def test_a_group_gets_the_same_interval_alone_and_among_others():
    rng = np.random.default_rng(3)
    sizes = [*rng.integers(1, 40, size=300), 2_500]  # 2,500 clusters: drawn in two blocks
    # every third group has one value per cluster: alone it takes the unweighted path, among the others
    # (same size, weighted) the weighted one; both must agree
    groups = [(rng.normal(size=m), np.ones(m) if k % 3 == 0 else rng.integers(1, 5, size=m).astype(float))
              for k, m in enumerate(sizes)]
    together = T.bootstrap_cluster_means(groups)
    assert together == [T.bootstrap_cluster_means([g])[0] for g in groups]
    assert together[40:90] == T.bootstrap_cluster_means(groups[40:90])
    assert sum(ci is None for ci in together) == sum(m < 2 for m in sizes)


def test_cluster_sums_give_the_interval_of_the_values():
    values = [0.5, 0.1, -0.2, 0.4, 0.3, -0.6, 0.9]
    clusters = ["p1", "p1", "p2", "p3", "p3", "p3", "p4"]
    sums = np.array([0.5 + 0.1, -0.2, 0.4 + 0.3 - 0.6, 0.9])  # p1, p2, p3, p4 in order of first appearance
    counts = np.array([2.0, 1.0, 3.0, 1.0])
    assert T.bootstrap_mean(values, clusters) == T.bootstrap_cluster_means([(sums, counts)])[0]


def test_intervals_cover_the_true_mean_about_95_times_in_100():
    rng = np.random.default_rng(11)
    groups = [rng.normal(0.2, 0.5, size=40) for _ in range(400)]
    cis = T.bootstrap_cluster_means([(g, np.ones_like(g)) for g in groups])
    covered = sum(lo <= 0.2 <= hi for lo, hi in cis) / len(cis)
    assert 0.90 <= covered <= 0.99, covered
    # wider for smaller groups
    small = T.bootstrap_cluster_means([(g[:8], np.ones(8)) for g in groups])
    assert np.mean([hi - lo for lo, hi in small]) > 1.8 * np.mean([hi - lo for lo, hi in cis])


def test_sentiment_by_article_counts_and_means(bundled):
    table = T.sentiment_by_article(bundled)
    assert table.height == 5 * len(T.SERIES)
    comments = bundled.comments.filter(pl.col("sent_score").is_not_null())
    for aid, group in comments.group_by("article_id"):
        row = table.filter((pl.col("article_id") == aid[0]) & (pl.col("series") == "comments")).row(0, named=True)
        scores = group.get_column("sent_score").to_list()
        assert (row["n"], row["clusters"]) == (len(scores), len(scores))
        assert row["mean"] == round(sum(scores) / len(scores), T.DECIMALS)
        assert row["small"] == (len(scores) < T.min_group(bundled))
        assert (row["ci_low"] is None) == (row["small"] or len(scores) < 2)
    own = table.filter((pl.col("article_id") == "002") & (pl.col("series") == "own")).row(0, named=True)
    body = bundled.paragraphs.filter((pl.col("article_id") == "002") & (pl.col("role") == "body"))
    sentences = bundled.sentences.filter(pl.col("unit_id").is_in(body.get_column("paragraph_id").implode())
                                         & (pl.col("voice") == "own"))  # captions are not article text
    assert own["n"] == sentences.height and own["clusters"] == sentences.get_column("unit_id").n_unique() \
        <= body.height
    assert own["ci_low"] < own["mean"] < own["ci_high"]


def test_a_group_is_small_by_its_clusters_not_its_sentences(bundled):
    table = T.sentiment_by_article(bundled)
    small_below = T.min_group(bundled)
    assert (table.get_column("small") == (table.get_column("clusters") < small_below)).all()
    assert table.filter(pl.col("small")).get_column("ci_low").null_count() == table.filter(pl.col("small")).height
    # article 000's quotations: many sentences from two paragraphs, so no interval
    quoted = table.filter((pl.col("article_id") == "000") & (pl.col("series") == "quoted")).row(0, named=True)
    assert quoted["n"] >= small_below > quoted["clusters"] and quoted["small"] and quoted["ci_low"] is None


def test_topic_shares_have_wilson_intervals_unless_small(bundled):
    shares = T.topic_shares(bundled)
    large = shares.filter(~pl.col("small"))
    assert large.height and large.get_column("ci_low").null_count() == 0
    assert ((large.get_column("ci_low") <= large.get_column("share"))
            & (large.get_column("share") <= large.get_column("ci_high"))).all()
    assert shares.filter(pl.col("small")).get_column("ci_high").null_count() == shares.filter(pl.col("small")).height
    # Wilson's interval for 0 of 13 still has an upper end above 0; for 3 of 10 it is [0.108, 0.603]
    assert abs(T.wilson(0, 13)[0]) < 1e-12 and 0.2 < T.wilson(0, 13)[1] < 0.3
    assert tuple(round(x, 3) for x in T.wilson(3, 10)) == (0.108, 0.603)
    for k, n in ((4, 3), (-1, 3), (0, 0)):
        with pytest.raises(ValueError, match=f"k={k}, n={n}"):
            T.wilson(k, n)


@pytest.mark.parametrize("series", T.SERIES)
def test_articles_without_units_have_n_zero(bundled, series):
    table = T.sentiment_by_article(bundled).filter(pl.col("series") == series)
    empty = table.filter(pl.col("n") == 0)
    assert empty.get_column("mean").null_count() == empty.height
    assert empty.get_column("small").all()


def test_actor_summary_one_actor_at_a_time_is_the_whole_table(bundled, tmp_path):
    """The summary reads each actor's mentions alone: the same rows as dropping repeats of a sentence and
    actor over the whole mentions table first, in memory or spilled to disk, with repeats in a sentence."""
    from dataclasses import replace

    from discourse.model import frame

    mentions = frame(bundled.mentions)
    assert mentions.select("sentence_id", "actor").is_duplicated().any()  # repeats to drop
    per_sentence = mentions.unique(["sentence_id", "actor"], keep="first", maintain_order=True)
    want = []
    for a in bundled.lexicon.actors:
        row: list = [a.name, a.label, mentions.filter(pl.col("actor") == a.name).height]
        for kind in T.KINDS:
            s = per_sentence.filter((pl.col("actor") == a.name) & (pl.col("kind") == kind))
            row += [s.height, T._r(s.get_column("compound").mean()) if s.height else None,
                    s.height < T.min_group(bundled)]
        row.append(mentions.filter(pl.col("actor") == a.name).get_column("article_id").n_unique())
        want.append(tuple(row))
    assert T.actor_summary(bundled).rows() == want
    mentions.write_ipc(tmp_path / "mentions.arrow")
    spilled = replace(bundled, mentions=pl.scan_ipc(tmp_path / "mentions.arrow"))
    assert T.actor_summary(spilled).rows() == want


def _sentiment_reference(analysis, units):
    # each group (article, series) alone: its values in row order, its clusters by label (bootstrap_mean)
    rows = {}
    for aid, series, cluster, value in units.iter_rows():
        rows.setdefault((aid, series), []).append((cluster, value))
    out = {}
    for key, members in rows.items():
        values = [v for _, v in members]
        clusters = [c for c, _ in members]
        k = len(set(clusters))
        ci = T.bootstrap_mean(values, clusters) if k >= T.min_group(analysis) else None
        out[key] = (len(values), k, round(sum(values) / len(values), T.DECIMALS),
                    tuple(round(x, T.DECIMALS) for x in ci) if ci else None)
    return out


@pytest.mark.parametrize("crafted", [False, True])
def test_sentiment_by_article_is_each_group_bootstrapped_alone(bundled, monkeypatch, crafted):
    # clusters numbered by their first rows and groups interleaved, clusters repeated out of order
    units = T.sentiment_units(bundled)
    if crafted:
        rng = np.random.default_rng(3)
        ids = bundled.articles.get_column("article_id").to_list()
        n = 600
        units = pl.DataFrame({
            "article_id": [ids[i] for i in rng.integers(0, len(ids), n)],
            "series": [T.SERIES[i] for i in rng.integers(0, 3, n)],
            "cluster": [f"u{i}" for i in rng.integers(0, 90, n)],
            "value": rng.normal(size=n)})
        monkeypatch.setattr(T, "sentiment_units", lambda analysis: units)
    expected = _sentiment_reference(bundled, units)
    table = T.sentiment_by_article(bundled)
    seen = 0
    for row in table.iter_rows(named=True):
        want = expected.get((row["article_id"], row["series"]))
        if want is None:
            assert row["n"] == 0
            continue
        seen += 1
        ci = (row["ci_low"], row["ci_high"]) if row["ci_low"] is not None else None
        assert (row["n"], row["clusters"], row["mean"], ci) == want, row
    assert seen == len(expected) > 5


def test_topic_shares_count_every_tag_of_every_unit(bundled, monkeypatch):
    # a tag listed twice in a unit counts twice, a unit without tags counts in n only
    units = T.topic_units(bundled)
    doubled = units.with_columns(pl.when(pl.col("topic_tags").list.len() > 0)
                                 .then(pl.concat_list("topic_tags", pl.col("topic_tags").list.head(1)))
                                 .otherwise(pl.col("topic_tags")).alias("topic_tags"))
    for frame_ in (units, doubled):
        monkeypatch.setattr(T, "topic_units", lambda analysis, f=frame_: f)
        if frame_ is doubled:  # k may pass n: no interval for it
            monkeypatch.setattr(T, "min_group", lambda analysis: 10**9)
        n, k = {}, {}
        for aid, kind, tags in frame_.select("article_id", "kind", "topic_tags").iter_rows():
            n[(aid, kind)] = n.get((aid, kind), 0) + 1
            for t in tags or ():
                k[(aid, kind, t)] = k.get((aid, kind, t), 0) + 1
        shares = T.topic_shares(bundled)
        assert shares.get_column("k").sum() == sum(v for (a, kd, t), v in k.items()
                                                   if t in {x.name for x in bundled.lexicon.topics})
        for row in shares.iter_rows(named=True):
            assert row["n"] == n.get((row["article_id"], row["kind"]), 0)
            assert row["k"] == k.get((row["article_id"], row["kind"], row["topic"]), 0)
            if not row["small"]:
                assert (row["ci_low"], row["ci_high"]) == tuple(round(x, T.DECIMALS) for x in T.wilson(row["k"], row["n"]))
