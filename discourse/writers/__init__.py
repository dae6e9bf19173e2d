"""Writing corpora and networks out for other tools: ConvoKit corpus folders and GraphML reply networks.

Writers take the polars tables discourse builds (schemas in :mod:`discourse.schema`) and write files;
they never print. ``discourse export`` is the command-line shell over them.
"""

from discourse.writers.convokit import write_convokit
from discourse.writers.graphml import write_graphml

__all__ = ["write_convokit", "write_graphml"]
