"""Sentiment scoring: an exact, fast VADER engine, text preparation and sentence scoring."""

from discourse.sentiment.engine import Explanation, explain, polarity_scores

__all__ = ["Explanation", "explain", "polarity_scores"]
