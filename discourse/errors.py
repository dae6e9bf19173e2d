"""The exception hierarchy. Every error carries the file, the line where known, and a remedy."""

from __future__ import annotations

from pathlib import Path


class DiscourseError(Exception):
    """Base class: ``str(err)`` is one line naming the file, the line and what to do."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class InputError(DiscourseError):
    """A path that cannot be read as a thread file: missing, empty, binary, undecodable, too large."""


class FormatError(DiscourseError):
    """A file whose content no reader understands, or which breaks its format's rules."""


class ManifestError(DiscourseError):
    """A malformed ``manifest.csv``."""


class LexiconError(DiscourseError):
    """A malformed topic/actor lexicon."""


class ConfigError(DiscourseError):
    """An invalid option value."""


class ReportError(DiscourseError):
    """The report could not be written."""


class MissingDependencyError(DiscourseError):
    """An optional extra is needed for this feature."""


class LabelsError(DiscourseError):
    """A labels file (hand labels of comments, for ``discourse validate``) that cannot be used as it is."""
