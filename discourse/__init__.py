"""discourse: rebuild, score and compare the comment sections under news articles.

>>> import discourse
>>> corpus = discourse.read("threads")          # doctest: +SKIP
>>> corpus.comments.select("comment_id", "author").head(3)   # doctest: +SKIP
"""

from discourse.errors import (
    ConfigError, DiscourseError, FormatError, InputError, LexiconError, ManifestError, MissingDependencyError,
    ReportError,
)
from discourse.model import Corpus, Tree, check_tree
from discourse.readers import read
from discourse.writers import write_convokit, write_graphml

__version__ = "0.1.0"

__all__ = [
    "__version__", "read", "Corpus", "Tree", "check_tree", "write_convokit", "write_graphml",
    "DiscourseError", "InputError", "FormatError", "ManifestError", "LexiconError", "ConfigError",
    "ReportError", "MissingDependencyError",
]
