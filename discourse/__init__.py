"""discourse: rebuild, score and compare the comment sections under news articles."""

from discourse.errors import DiscourseError, LexiconError, MissingDependencyError
from discourse.scoring.lexicon import (
    Actor,
    Entry,
    Hit,
    Lexicon,
    Topic,
    compile_lexicon,
    load_lexicon,
    match_text,
    match_units,
    tag_units,
)
from discourse.scoring.lexicon_check import LexiconCheck, check_lexicon
from discourse.scoring.lexicon_import import dump_lexicon_toml, import_lexicon
from discourse.scoring.quotes import Quote, find_quotes, sentence_voice

__all__ = [
    "Actor", "DiscourseError", "Entry", "Hit", "Lexicon", "LexiconCheck", "LexiconError",
    "MissingDependencyError", "Quote", "Topic", "check_lexicon", "compile_lexicon", "dump_lexicon_toml",
    "find_quotes", "import_lexicon", "load_lexicon", "match_text", "match_units", "sentence_voice", "tag_units",
]
