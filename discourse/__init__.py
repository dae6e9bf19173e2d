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

__version__ = "0.1.0"

__all__ = [
    "__version__", "read", "Corpus", "Tree", "check_tree",
    "DiscourseError", "InputError", "FormatError", "ManifestError", "LexiconError", "ConfigError",
    "ReportError", "MissingDependencyError",
]
