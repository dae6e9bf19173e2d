"""discourse: rebuild, score and compare the comment sections under news articles.

>>> import discourse
>>> corpus = discourse.read("threads")                 # doctest: +SKIP
>>> analysis = discourse.analyze(corpus)                # doctest: +SKIP
>>> analysis.comments.select("comment_id", "author", "sent_score", "topic_tags")   # doctest: +SKIP
"""

from discourse.errors import (
    ConfigError,
    DiscourseError,
    FormatError,
    InputError,
    LexiconError,
    ManifestError,
    MissingDependencyError,
    ReportError,
)
from discourse.model import Analysis, Corpus, Tree, check_tree
from discourse.readers import read
from discourse.scoring.lexicon import Lexicon, load_lexicon
from discourse.scoring.lexicon_check import LexiconCheck, check_lexicon
from discourse.scoring.lexicon_import import dump_lexicon_toml, import_lexicon
from discourse.scoring.pipeline import analyze
from discourse.writers import write_convokit, write_graphml, write_tables

__version__ = "0.1.0"

__all__ = [
    "__version__", "read", "analyze", "Corpus", "Analysis", "Tree", "check_tree",
    "Lexicon", "load_lexicon", "LexiconCheck", "check_lexicon", "import_lexicon", "dump_lexicon_toml",
    "write_tables", "write_convokit", "write_graphml",
    "DiscourseError", "InputError", "FormatError", "ManifestError", "LexiconError", "ConfigError",
    "ReportError", "MissingDependencyError",
]

# The report: figure functions (matplotlib is imported only when one draws) and the report builder.
from discourse.report import (
    build_report,
    plots,
)

__all__ += ["plots", "build_report"]
