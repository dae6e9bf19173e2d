"""``python -m discourse.bench`` is ``discourse bench``."""

from discourse.cli import app

app(["bench", *__import__("sys").argv[1:]])
