"""Helpers shared by the tests of several modules: small lexicons and text strategies for Hypothesis."""

from __future__ import annotations

from hypothesis import strategies as st

from discourse.scoring.lexicon import Actor, Entry, Lexicon, Topic
from discourse.sentiment import engine


def tiny(*topics: tuple[str, list[str | Entry]], actors: tuple[tuple[str, list[str | Entry]], ...] = ()) -> Lexicon:
    """A lexicon of the given topics (name, entries) and actors (name, aliases)."""
    return Lexicon(tuple(Topic(name, tuple(entries)) for name, entries in topics),
                   tuple(Actor(name, tuple(aliases)) for name, aliases in actors))


#: words and marks the lexicon rules look at, for texts built by Hypothesis
WORDS = ["Russia", "Russia’s", "betrayal", "not", "no", "treason", "cease-fire", "cease", "fire", "give", "back",
         "SOME", "land", "US", "us", "United", "States", "Western", "Armenia", "don’t", "“", "”", '"', "'", ",",
         ".", "-", "\n", "  ", "Nagorno", "Karabakh", "concessions", "é", "ǅ", "İ", "ß"]

# Entries that start or end with punctuation, and a gap, next to the default lexicon's words.
EDGES = tiny(("edges", ["u.s.", "#armenia", "give ... land", "turks'"]), actors=(("x", ["U.S.", "ru"]),))


# Hypothesis: texts built from the pieces the rules look at.
_LEXICON_SAMPLE = sorted(engine._tables().lexicon)[::97]  # every 97th lexicon entry, emoticons included
_WORDS = st.sampled_from(_LEXICON_SAMPLE + [
    "good", "bad", "great", "love", "hate", "kind", "no", "ok", "lol", "affection", "doubt", "shit", "bomb", "ass",
    "badass", "right", "yeah", "die", "heart", "death", "stop", "hand", "happy", "sad", "bus", "beating",
])
_MODIFIERS = st.sampled_from([
    "very", "extremely", "so", "this", "really", "kinda", "sort", "kind", "of", "just", "enough", "barely", "more",
    "not", "isn't", "isnt", "never", "without", "nor", "or", "no", "don't", "don’t", "ain't", "n't", "uh-uh",
    "despite", "but", "least", "at", "the", "a", "it", "is", "to", "for", "of", "I",
])
_EXTRAS = st.sampled_from([
    ":)", ":-(", ":D", ":P", "<3", ":'(", ";)", "😀", "😁", "👍", "👍🏽", "👨‍👩‍👧", "❤️", "❤", "🇺🇸", "©", "💔",
    "!", "!!", "!!!!!", "?", "??", "???", "????", "?!", "...", ",", ".", "-", "—", "’", "“", "&amp;",
    "ΟΔΟΣ", "Σ", "İ", "ǅ", "ß", "ﬁ",
])
_CASED = st.tuples(st.one_of(_WORDS, _MODIFIERS, _EXTRAS), st.sampled_from(["", "upper", "title"]),
                   st.sampled_from(["", "", "", "!", ",", ".", "?", "'", ")", "!?"]), st.sampled_from(["", "", "(", "\""]))


def _token(parts: tuple[str, str, str, str]) -> str:
    word, case, after, before = parts
    word = word.upper() if case == "upper" else word.title() if case == "title" else word
    return before + word + after


VADER_TEXTS = st.lists(st.tuples(st.one_of(_CASED.map(_token), st.text(max_size=4)),
                            st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "", "\u00a0"])),
                  max_size=40).map(lambda pairs: "".join(tok + sep for tok, sep in pairs))
