"""`validate --labels` against a hand computation on the ten-comment fixture (tests/validation/conftest.py).

What discourse predicts for the fixture (asserted first, so that the hand computation rests on it):

    comment  tags                    sent_label      hand topics                          hand sentiment
    c1       betrayal                negative        betrayal, alliances_geopolitics      negative
    c2       peace_ceasefire         positive        peace_ceasefire                      positive
    c3       war_violence            negative        war_violence                         neutral
    c4       betrayal                negative        betrayal                             negative
    c5       -                       neutral         -                                    neutral
    c6       -                       positive        -                                    positive
    c7       concessions             negative        concessions, sovereignty_independence negative
    c8       negotiation_mediation   negative        negotiation_mediation                negative
    c9       unity                   neutral         unity                                positive
    c10      diaspora                neutral         -                                    neutral

Every topic cell of the hand labels is filled (1 or 0).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from discourse.validation import validate_labels
from discourse.validation.labels import write_labels
from discourse.validation.metrics import cohen_kappa, krippendorff_alpha, wilson

PREDICTED = {
    "c1": (["betrayal"], "negative"), "c2": (["peace_ceasefire"], "positive"), "c3": (["war_violence"], "negative"),
    "c4": (["betrayal"], "negative"), "c5": ([], "neutral"), "c6": ([], "positive"),
    "c7": (["concessions"], "negative"), "c8": (["negotiation_mediation"], "negative"), "c9": (["unity"], "neutral"),
    "c10": (["diaspora"], "neutral"),
}
HAND = {
    "c1": (["betrayal", "alliances_geopolitics"], "negative"), "c2": (["peace_ceasefire"], "positive"),
    "c3": (["war_violence"], "neutral"), "c4": (["betrayal"], "negative"), "c5": ([], "neutral"),
    "c6": ([], "positive"), "c7": (["concessions", "sovereignty_independence"], "negative"),
    "c8": (["negotiation_mediation"], "negative"), "c9": (["unity"], "positive"), "c10": ([], "neutral"),
}
Z = 1.959963984540054


def _rows(topics, hand, annotator="ann", probability=None):
    return [{"comment_id": cid, "annotator": annotator, "sentiment": s, **{t: t in ts for t in topics},
             "inclusion_probability": probability(cid) if probability else None} for cid, (ts, s) in hand.items()]


@pytest.fixture()
def labels_file(tmp_path, topics):
    path = tmp_path / "ann.csv"
    path.write_text(write_labels(_rows(topics, HAND), topics), encoding="utf-8")
    return path


def test_fixture_predictions(analysis):
    got = {s: (t, lab) for s, t, lab in analysis.comments.select("source_id", "topic_tags", "sent_label").iter_rows()}
    assert got == PREDICTED
    # the three comment scores give the same labels here (every sentence is in the writer's own voice)
    c = analysis.comments
    assert c["sent_own"].to_list() == c["sent_score"].to_list()
    assert (np.sign(c["sent_compound"]) == np.sign(c["sent_score"])).all()


def test_topics_match_the_hand_computation(analysis, labels_file):
    v = validate_labels(analysis, labels_file, replicates=500)
    t = {r["topic"]: r for r in v.topics.iter_rows(named=True)}
    # betrayal: tagged c1, c4; labelled c1, c4 -> tp 2, fp 0, fn 0: precision 2/2, recall 2/2, F1 1
    assert (t["betrayal"]["tp"], t["betrayal"]["fp"], t["betrayal"]["fn"]) == (2, 0, 0)
    assert t["betrayal"]["precision"] == 1 and t["betrayal"]["recall"] == 1 and t["betrayal"]["f1"] == 1
    # Wilson interval of 2/2: centre (p + z^2/2n) / (1 + z^2/n), half z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n)
    n, p = 2, 1.0
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    assert t["betrayal"]["precision_low"] == pytest.approx(centre - half) == pytest.approx(0.3424, abs=1e-4)
    assert t["betrayal"]["precision_high"] == 1.0
    # alliances_geopolitics: labelled c1, never tagged -> tp 0, fn 1: precision undefined, recall 0, F1 0
    assert t["alliances_geopolitics"]["precision"] is None and t["alliances_geopolitics"]["recall"] == 0
    assert t["alliances_geopolitics"]["f1"] == 0
    # sovereignty_independence: labelled c7, not tagged -> the same
    assert (t["sovereignty_independence"]["fn"], t["sovereignty_independence"]["f1"]) == (1, 0)
    # diaspora: tagged c10, labelled nowhere -> fp 1: precision 0/1, recall undefined, F1 0
    assert (t["diaspora"]["fp"], t["diaspora"]["precision"], t["diaspora"]["recall"], t["diaspora"]["f1"]) == (
        1, 0, None, 0)
    # history_genocide: neither tagged nor labelled -> nothing to score
    assert t["history_genocide"]["f1"] is None and t["history_genocide"]["n"] == 10
    for topic in ("concessions", "war_violence", "peace_ceasefire", "negotiation_mediation", "unity"):
        assert (t[topic]["tp"], t[topic]["fp"], t[topic]["fn"], t[topic]["f1"]) == (1, 0, 0, 1)
    # micro: tp 2 + 5 x 1 = 7, fp 1 (diaspora), fn 2 (alliances, sovereignty):
    #   precision 7/8, recall 7/9, F1 2*7 / (2*7 + 1 + 2) = 14/17
    micro = t["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"], micro["n"]) == (7, 1, 2, 100)
    assert micro["precision"] == pytest.approx(7 / 8) and micro["recall"] == pytest.approx(7 / 9)
    assert micro["f1"] == pytest.approx(14 / 17)
    # macro: F1 over the 9 topics with a tag or a label: 6 ones and 3 zeros -> 6/9; precision over the 7 topics
    # with tags (6 ones, diaspora 0) -> 6/7; recall over the 8 topics with labels (6 ones, 2 zeros) -> 6/8
    macro = t["macro"]
    assert macro["f1"] == pytest.approx(6 / 9) and macro["precision"] == pytest.approx(6 / 7)
    assert macro["recall"] == pytest.approx(6 / 8)
    # bootstrap intervals hold their estimate
    for r in (micro, macro):
        assert r["f1_low"] <= r["f1"] <= r["f1_high"]
    # every topic has fewer than 5 positives: flagged small; micro pools 9 positives and 8 tags: not small
    assert v.topics.filter(~pl.col("topic").is_in(["micro", "macro"]))["small"].all()
    assert not micro["small"] and macro["small"]


def test_sentiment_matches_the_hand_computation(analysis, labels_file):
    v = validate_labels(analysis, labels_file, replicates=500)
    s = {r["method"]: r for r in v.sentiment.iter_rows(named=True)}
    # sentence mean: right on 8 of 10 (c3 neutral -> negative, c9 positive -> neutral): accuracy 0.8,
    # Wilson on n = 10
    assert s["sentence_mean"]["n"] == 10 and s["sentence_mean"]["accuracy"] == pytest.approx(0.8)
    assert (s["sentence_mean"]["accuracy_low"], s["sentence_mean"]["accuracy_high"]) == pytest.approx(wilson(8, 10))
    # per class F1 = 2tp / (2tp + fp + fn): negative 8/9 (tp 4, fp 1: c3), neutral 4/6 (tp 2, fp c9, fn c3),
    # positive 4/5 (tp 2, fn c9) -> macro (8/9 + 4/6 + 4/5) / 3
    assert s["sentence_mean"]["macro_f1"] == pytest.approx((8 / 9 + 4 / 6 + 4 / 5) / 3)
    for method in ("own_voice", "whole_text"):
        assert s[method]["accuracy"] == s["sentence_mean"]["accuracy"]
    # majority class: negative (4 of 10) -> accuracy 0.4; F1 negative 2*4/(2*4 + 6) = 8/14, the others 0
    assert s["majority_class"]["accuracy"] == pytest.approx(0.4)
    assert s["majority_class"]["macro_f1"] == pytest.approx((8 / 14) / 3)
    # confusion: gold neutral (c3, c5, c10) -> negative 1, neutral 2; gold positive (c2, c6, c9) -> positive 2,
    # neutral 1; gold negative -> negative 4
    m = {(r["gold"], r["predicted"]): (r["n"], r["share"])
         for r in v.confusion.filter(method="sentence_mean").iter_rows(named=True)}
    assert m[("neutral", "negative")] == (1, pytest.approx(1 / 3)) and m[("neutral", "neutral")][0] == 2
    assert m[("positive", "neutral")][0] == 1 and m[("positive", "positive")][0] == 2
    assert m[("negative", "negative")] == (4, 1.0) and m[("negative", "neutral")] == (0, 0.0)


def test_entries_and_errors(analysis, labels_file):
    v = validate_labels(analysis, labels_file, replicates=200)
    e = {(r["topic"], r["entry"]): (r["n"], r["correct"], r["precision"]) for r in v.entries.iter_rows(named=True)}
    # betray* and treason fired in c1, sell+ ... out ("sold us out") in c4: all right; diaspora* fired in c10: wrong
    assert e[("betrayal", "betray*")] == (1, 1, 1.0) and e[("betrayal", "sell+ ... out")] == (1, 1, 1.0)
    assert e[("diaspora", "diaspora*")] == (1, 0, 0.0)
    assert len(e) == 15
    errors = {(r["topic"], r["error"]): r for r in v.errors.iter_rows(named=True)}
    assert set(errors) == {("alliances_geopolitics", "missed"), ("sovereignty_independence", "missed"),
                           ("diaspora", "wrong")}
    missed = errors[("sovereignty_independence", "missed")]
    assert missed["text"] == "No concessions, not one inch of land." and missed["article_title"] == "Talks in Moscow"
    assert missed["parent_text"] == "Wonderful news, thank you!" and missed["entries"] is None
    assert errors[("diaspora", "wrong")]["entries"] == "diaspora*"


def test_weights_enter_the_estimates(analysis, topics, tmp_path):
    # c10 drawn with probability 1/4 (weight 4), every other comment with 1/2 (weight 2): micro precision is
    # sum(w tp) / sum(w tagged) = (7 x 2) / (7 x 2 + 4) = 14/18
    path = tmp_path / "weighted.csv"
    path.write_text(write_labels(_rows(topics, HAND, probability=lambda c: "0.25" if c == "c10" else "0.5"), topics),
                    encoding="utf-8")
    v = validate_labels(analysis, path, replicates=200)
    assert v.settings["weighted"]
    micro = v.topics.filter(topic="micro").row(0, named=True)
    assert micro["precision"] == pytest.approx(14 / 18) and micro["tp"] == 7      # counts stay counts
    # accuracy: the two errors (c3, c9) have weight 2 of a total 9 x 2 + 4 = 22 -> 18/22
    assert v.sentiment.filter(method="sentence_mean")["accuracy"].item() == pytest.approx(18 / 22)


def test_agreement_matches_the_hand_computation(analysis, labels_file, topics, tmp_path):
    # bob labels c1-c4: sentiment negative, positive, negative, negative (ann: negative, positive, neutral,
    # negative); betrayal 1, 0, 0, 1 as ann; the other topics not labelled
    bob = {"c1": "negative", "c2": "positive", "c3": "negative", "c4": "negative"}
    rows = [{"comment_id": c, "annotator": "bob", "sentiment": s, "betrayal": c in ("c1", "c4")} for c, s in bob.items()]
    path = tmp_path / "bob.csv"
    path.write_text(write_labels(rows, topics), encoding="utf-8")
    v = validate_labels(analysis, [labels_file, path], replicates=200)
    a = {(r["measure"], r["statistic"]): r for r in v.agreement.iter_rows(named=True)}
    # Cohen's kappa on sentiment: observed 3/4; chance: ann (neg 1/2, pos 1/4, neu 1/4) x bob (neg 3/4, pos 1/4)
    # = 3/8 + 1/16 = 7/16 -> (3/4 - 7/16) / (1 - 7/16) = 5/9
    assert a[("sentiment", "cohen_kappa")]["value"] == pytest.approx(5 / 9)
    assert a[("sentiment", "cohen_kappa")]["annotators"] == "ann|bob" and a[("sentiment", "cohen_kappa")]["n"] == 4
    # Krippendorff's alpha (nominal): coincidences o(neg,neg) 4, o(pos,pos) 2, o(neg,neu) = o(neu,neg) = 1;
    # n_neg 5, n_pos 2, n_neu 1, n 8: alpha = 1 - (n - 1) * 2 / (8^2 - (25 + 4 + 1)) = 1 - 14/34
    assert a[("sentiment", "krippendorff_alpha")]["value"] == pytest.approx(1 - 14 / 34)
    assert a[("sentiment", "krippendorff_alpha")]["n"] == 4
    # betrayal: full agreement on 4 comments
    assert a[("betrayal", "cohen_kappa")]["value"] == pytest.approx(1.0)
    assert a[("betrayal", "krippendorff_alpha")]["value"] == pytest.approx(1.0)
    # unity: only ann labelled it -> no shared comment, nothing to measure
    assert a[("unity", "krippendorff_alpha")]["n"] == 0 and a[("unity", "krippendorff_alpha")]["value"] is None
    # gold is the majority: c3's sentiment is tied (neutral vs negative) and left out, and counted
    assert v.settings["ties"] == {"sentiment": 1}
    assert v.sentiment.filter(method="sentence_mean")["n"].item() == 9


@pytest.mark.filterwarnings("ignore::UserWarning")  # scikit-learn warns where kappa is undefined (one label)
def test_cohen_kappa_agrees_with_scikit_learn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(2, 40))
        k = int(rng.integers(2, 4))
        a = [str(x) for x in rng.integers(0, k, n)]
        b = [x if rng.random() < 0.6 else str(rng.integers(0, k)) for x in a]
        ours, theirs = cohen_kappa(a, b), cohen_kappa_score(a, b)
        assert (math.isnan(ours) and math.isnan(theirs)) or ours == pytest.approx(theirs)


def test_krippendorff_alpha_undefined_for_one_category():
    assert math.isnan(krippendorff_alpha(np.array([[1.0, 1.0], [1.0, np.nan]])))


def test_labels_for_another_lexicon_are_refused(analysis, tmp_path):
    from discourse.errors import LabelsError
    from discourse.validation.labels import Labels, read_labels

    labels = read_labels(_one(tmp_path, analysis), analysis.comments, [t.name for t in analysis.lexicon.topics])
    other = Labels(labels.rows, labels.topics, ("betrayal",), labels.files)
    with pytest.raises(LabelsError, match="other topics"):
        validate_labels(analysis, other)


def _one(tmp_path, analysis):
    topics = [t.name for t in analysis.lexicon.topics]
    path = tmp_path / "one.csv"
    path.write_text(write_labels(_rows(topics, {"c1": HAND["c1"]}), topics), encoding="utf-8")
    return path


def test_same_input_same_tables(analysis, labels_file, tmp_path):
    from discourse.validation import write_validation

    a = write_validation(validate_labels(analysis, labels_file, replicates=300, seed=4), tmp_path / "a")
    b = write_validation(validate_labels(analysis, labels_file, replicates=300, seed=4), tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.name
    assert pl.read_csv(tmp_path / "a" / "validation_topics.csv").height == 12


def test_latex_tables_compile(analysis, labels_file, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    from discourse.validation import write_validation

    written = write_validation(validate_labels(analysis, labels_file, replicates=200), tmp_path / "v")
    body = "".join(f"\\input{{{p.name}}}\\par\\bigskip\n" for p in written if p.suffix == ".tex")
    (tmp_path / "v" / "all.tex").write_text(
        "\\documentclass{article}\\usepackage{booktabs}\\usepackage[margin=1cm,landscape]{geometry}\n"
        f"\\begin{{document}}\n{body}\\end{{document}}\n", encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "all.tex"], cwd=tmp_path / "v",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "v" / "all.pdf").stat().st_size > 1000


def test_corrected_shares_match_the_hand_computation(analysis, labels_file):
    v = validate_labels(analysis, labels_file, replicates=500)
    t = {(r["article_id"], r["topic"]): r for r in v.corrected_topics.iter_rows(named=True)}
    # betrayal: sensitivity 2/2, specificity 8/8 -> Rogan-Gladen (q + 1 - 1) / (1 + 1 - 1) = q
    a1 = t[("comments:a1", "betrayal")]
    assert (a1["n"], a1["observed"], a1["sensitivity"], a1["specificity"]) == (5, 0.4, 1, 1)
    assert a1["corrected"] == pytest.approx(0.4)
    # sovereignty: sensitivity 0/1 -> sensitivity + specificity - 1 = 0: no correction possible
    assert t[("comments:a2", "sovereignty_independence")]["corrected"] is None
    # diaspora: specificity 9/10, no gold positive (sensitivity undefined) -> none
    assert t[("comments:a2", "diaspora")]["corrected"] is None
    # sentiment: C (rows gold negative, neutral, positive; columns predicted) = [[1, 0, 0], [1/3, 2/3, 0],
    # [0, 1/3, 2/3]]. Article a1 predicts (c1 neg, c2 pos, c3 neg, c4 neg, c5 neu): q = (3/5, 1/5, 1/5);
    # q = C'p: p_pos = (1/5) / (2/3) = 0.3; 2/3 p_neu + 1/3 p_pos = 1/5 -> p_neu = 0.15; p_neg + p_neu / 3 = 3/5
    # -> p_neg = 0.55. Article a2 (c6 pos, c7 neg, c8 neg, c9 neu, c10 neu): q = (2/5, 2/5, 1/5) -> p_pos 0.3,
    # p_neu (0.4 - 0.1) x 3/2 = 0.45, p_neg 0.4 - 0.15 = 0.25
    s = {(r["article_id"], r["label"]): r for r in v.corrected_sentiment.iter_rows(named=True)}
    for article, expected in (("comments:a1", (0.55, 0.15, 0.3)), ("comments:a2", (0.25, 0.45, 0.3))):
        got = tuple(s[(article, label)]["corrected"] for label in ("negative", "neutral", "positive"))
        assert got == pytest.approx(expected)
        for label in ("negative", "neutral", "positive"):
            r = s[(article, label)]
            assert r["low"] <= r["corrected"] + 1e-9 and r["corrected"] - 1e-9 <= r["high"]
            assert r["n"] == 5 and r["n_labelled"] == 10


def test_quality_notes_state_the_measured_quality(analysis, labels_file):
    v = validate_labels(analysis, labels_file, replicates=500)
    q = v.quality()
    micro = v.topics.filter(topic="micro").row(0, named=True)
    assert q["topics"].startswith("Topic tags, measured on 10 hand-labelled comments: precision 0.88 [")
    assert f"F1 0.82 [{micro['f1_low']:.2f}, {micro['f1_high']:.2f}] (95% intervals)." in q["topics"]
    assert q["topic:alliances_geopolitics"].startswith("The alliances_geopolitics tag, measured on 10 hand-labelled")
    assert "precision undefined, recall 0.00 [" in q["topic:alliances_geopolitics"]
    assert q["topic:betrayal"].endswith("few labelled examples, read with care.")
    assert q["sentiment"].startswith("Sentiment labels, measured on 10 hand-labelled comments: accuracy 0.80 [0.49, 0.94]")
    assert "always the most frequent label: accuracy 0.40 [" in q["sentiment"]


def test_wilson_refuses_more_successes_than_trials():
    assert all(x != x for x in wilson(0, 0))  # NaN: no trials, no interval
    for k, n in ((11, 10), (-1, 10)):
        with pytest.raises(ValueError, match=f"{k} of {n}"):
            wilson(k, n)
