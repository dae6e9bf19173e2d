"""The error-aware section of the report (``discourse report --labels``): how well the topic tags and the
sentiment labels agree with hand labels of the corpus's comments, and the per-article shares corrected for
the errors measured there, with intervals that carry the classification uncertainty. Every caption states
the measured quality of its measure.

The report does not compute the validation: it is given one (``discourse.validation.validate_labels``), read
through its tables and its ``quality()`` sentences only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from discourse.report.display import Cell, DisplayTable, num, text

if TYPE_CHECKING:
    import polars as pl

    from discourse.model import Analysis

#: the display tables of the section, in order
NAMES = ("measured_quality", "corrected_topics", "corrected_sentiment")


def _p(value: float | None, low: float | None = None, high: float | None = None) -> Cell:
    """A share as a percentage, with its interval under it when given; an en dash when missing."""
    if value is None:
        return Cell("\u2013", number=True)
    detail = f"[{100 * low:.0f}, {100 * high:.0f}]" if low is not None and high is not None else ""
    return Cell(f"{100 * value:.0f}%", number=True, detail=detail)


def _titles(analysis: Analysis) -> dict[str, str]:
    return dict(analysis.articles.select("article_id", "title").iter_rows())


def quality_table(analysis: Analysis, validation: Any) -> DisplayTable:
    """Per topic and for sentiment: what the labels say of the measure."""
    labels = {t.name: t.label for t in analysis.lexicon.topics}
    rows = []
    for r in validation.topics.iter_rows(named=True):
        name = {"micro": "All topics (micro)", "macro": "All topics (macro)"}.get(r["topic"], labels.get(r["topic"]))
        rows.append((text(str(name) + ("\u2020" if r["small"] else "")), num(r["n"] if r["topic"] != "macro" else None),
                     num(r["positives"]), num(r["tagged"]),
                     _p(r["precision"], r["precision_low"], r["precision_high"]),
                     _p(r["recall"], r["recall_low"], r["recall_high"]), _p(r["f1"], r["f1_low"], r["f1_high"])))
    methods = {"sentence_mean": "Sentiment label (sentence mean, used here)", "own_voice": "Sentiment, own voice",
               "whole_text": "Sentiment, whole text", "majority_class": "Sentiment, always the majority label"}
    for r in validation.sentiment.iter_rows(named=True):
        rows.append((text(methods.get(r["method"], r["method"])), num(r["n"]), num(None), num(None),
                     _p(r["accuracy"], r["accuracy_low"], r["accuracy_high"]), Cell("\u2013", number=True),
                     _p(r["macro_f1"], r["macro_f1_low"], r["macro_f1_high"])))
    s = validation.settings
    weighting = ("weighted by inverse inclusion probability" if s["weighted"] else "unweighted")
    return DisplayTable(
        "measured_quality", "Measured quality",
        f"The measures against hand labels of {s['comments_labelled']} comments by "
        f"{len(s['annotators'])} annotator(s) ({weighting}): per topic precision, recall and F1; for sentiment, "
        "accuracy (in the precision column) and macro-F1 (in the F1 column), beside always predicting the most "
        "frequent label. 95% intervals: Wilson for precision, recall and accuracy; bootstrap over comments for "
        "F1 and the averages.",
        ("Measure", "n", "Labelled yes", "Tagged", "Precision / accuracy", "Recall", "F1"), tuple(rows),
        (f"\u2020 fewer than five labelled or tagged comments. Labels: {', '.join(s['labels'])}.",),
        column_skip=frozenset({2, 3}),
        latex_header=("Measure", "n", "Labelled\nyes", "Tagged", "Precision", "Recall", "F1"))


def _corrected_table(analysis: Analysis, frame: pl.DataFrame, group: Callable[[dict], str], name: str, title: str,
                     caption: str, columns: tuple[str, str], note: str) -> DisplayTable:
    """A corrected-shares table: one row per article and topic or label (``group(row)``) with the article's
    comments, the observed share and the corrected share with its interval; ``columns`` names the group and
    the observed share."""
    titles = _titles(analysis)
    rows = tuple((text(r["article_id"]), text(titles.get(r["article_id"])), text(group(r)), num(r["n"]),
                  _p(r["observed"]), _p(r["corrected"], r["low"], r["high"])) for r in frame.iter_rows(named=True))
    return DisplayTable(
        name, title, caption, ("Article", "Title", columns[0], "Comments", columns[1], "Corrected [95% CI]"), rows,
        (note,), latex_skip=frozenset({1}), column_skip=frozenset({3}),
        latex_header=("Article", "", columns[0], "Com-\nments", columns[1], "Corrected"))


def corrected_topic_table(analysis: Analysis, validation: Any) -> DisplayTable:
    """Topic shares per article, tagged and corrected, for the topics the labels measured."""
    labels = {t.name: t.label for t in analysis.lexicon.topics}
    return _corrected_table(
        analysis, validation.corrected_topics, lambda r: labels.get(r["topic"], r["topic"]),
        "corrected_topics", "Topic shares corrected for misclassification",
        "The share of each article's comments tagged with a topic, and the share corrected for the tag's measured "
        "errors (Rogan-Gladen: (tagged + specificity \u2212 1) / (sensitivity + specificity \u2212 1)), with a "
        "95% bootstrap interval over both the labelled comments and the article's comments. "
        + validation.quality().get("topics", ""),
        ("Topic", "Tagged"),
        "A dash: the tag's sensitivity + specificity is not above 1 on the labels (or a rate has no labelled "
        "comment), so the labels cannot correct it. The correction assumes the rates measured on the labels hold "
        "in every article.")


def corrected_sentiment_table(analysis: Analysis, validation: Any) -> DisplayTable:
    """Sentiment-label shares per article, as labelled by discourse and corrected by the confusion matrix."""
    return _corrected_table(
        analysis, validation.corrected_sentiment, lambda r: r["label"],
        "corrected_sentiment", "Sentiment shares corrected for misclassification",
        "The share of each article's comments with each sentiment label (sent_label), and the shares corrected "
        "by the labels' confusion matrix (the shares p \u2265 0 summing to 1 that best explain the labelled "
        "shares), with 95% bootstrap intervals over the labelled comments and the article's comments. "
        + validation.quality().get("sentiment", ""),
        ("Label", "Labelled"),
        "A dash: a class has no labelled comment, so the confusion matrix is incomplete.")


def measured_tables(analysis: Analysis, validation: Any) -> dict[str, DisplayTable]:
    """The section's display tables by name (:data:`NAMES`)."""
    return {t.name: t for t in (quality_table(analysis, validation), corrected_topic_table(analysis, validation),
                                corrected_sentiment_table(analysis, validation))}
