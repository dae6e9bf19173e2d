"""The adapter to the installed vaderSentiment package: the only module that imports it.

The engine reads the two lexicon files through here; the parity tests and the benchmark use
:func:`analyzer`, the original implementation, as the oracle. Everything is loaded lazily and once.
vaderSentiment 3.3.2 prints only from ``_sentiment_laden_idioms_check``, which ``polarity_scores``
never calls, so the reference analyzer stays silent.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

PACKAGE = "vaderSentiment"
LEXICON_FILE = "vader_lexicon.txt"
EMOJI_LEXICON_FILE = "emoji_utf8_lexicon.txt"


def _read(name: str) -> str:
    # Bytes decoded as UTF-8, exactly as vaderSentiment's codecs.open reads them (CRLF kept).
    return importlib.resources.files(PACKAGE).joinpath(name).read_bytes().decode("utf-8")


@cache
def lexicon_text() -> str:
    """The text of ``vader_lexicon.txt`` as shipped with the installed vaderSentiment."""
    return _read(LEXICON_FILE)


@cache
def emoji_lexicon_text() -> str:
    """The text of ``emoji_utf8_lexicon.txt`` as shipped with the installed vaderSentiment."""
    return _read(EMOJI_LEXICON_FILE)


@cache
def version() -> str:
    """The installed vaderSentiment version, e.g. ``"3.3.2"``."""
    return importlib.metadata.version(PACKAGE)


@cache
def analyzer() -> Any:
    """The original ``SentimentIntensityAnalyzer``: the oracle for parity tests and benchmarks."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def rule_tables() -> Mapping[str, Any]:
    """vaderSentiment's rule constants (``NEGATE``, ``BOOSTER_DICT``, ``SPECIAL_CASES``, scalars), read-only.

    Lets a test check that the engine's copies are the same tables.
    """
    from vaderSentiment import vaderSentiment as module

    names = ("NEGATE", "BOOSTER_DICT", "SPECIAL_CASES", "B_INCR", "B_DECR", "C_INCR", "N_SCALAR")
    return MappingProxyType({name: getattr(module, name) for name in names})
