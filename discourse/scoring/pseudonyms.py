"""Stable keyed pseudonyms for authors: the same name and key always give the same pseudonym."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import polars as pl

from discourse.model import Corpus
from discourse.scoring import dynamics


def pseudonym(name: str, key: str) -> str:
    """A stable pseudonym for an author: the same name and key always give the same pseudonym."""
    digest = hmac.new(key.encode("utf-8"), name.encode("utf-8"), hashlib.sha256).hexdigest()
    return "speaker-" + digest[:10]


def pseudonymize(corpus: Corpus, key: str) -> Corpus:
    """The corpus with every author replaced by :func:`pseudonym`; shared placeholders stay as they are."""
    authors = corpus.comments.get_column("author").unique().drop_nulls().to_list()
    mapping = {a: (a if a in dynamics.SHARED_AUTHORS else pseudonym(a, key)) for a in authors}
    comments = corpus.comments.with_columns(pl.col("author").replace_strict(mapping, default=None))
    return replace(corpus, comments=comments)
