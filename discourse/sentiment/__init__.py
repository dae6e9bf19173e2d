"""Sentiment scoring: an exact, fast VADER engine, text preparation and sentence-level comment scores."""

from discourse.sentiment.engine import Explanation, Step, TokenExplanation, explain, polarity_scores
from discourse.sentiment.prepare import Preparation, normalize, split_sentences
from discourse.sentiment.scoring import (
    POSITIVE_THRESHOLD,
    SentenceScore,
    TextScore,
    label,
    score_text,
    score_texts,
)

__all__ = [
    "POSITIVE_THRESHOLD",
    "Explanation",
    "Preparation",
    "SentenceScore",
    "Step",
    "TextScore",
    "TokenExplanation",
    "explain",
    "label",
    "normalize",
    "polarity_scores",
    "score_text",
    "score_texts",
    "split_sentences",
]
