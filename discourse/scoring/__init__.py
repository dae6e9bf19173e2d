"""Scorers: each maps units of text to scores or evidence tables."""
