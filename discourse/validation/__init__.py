"""Validation of discourse's measures on the user's own comments: a labelling sample and kit, labels files,
precision and recall with intervals, agreement between annotators, and shares corrected for the measured
misclassification (docs/validation.md).

This package sits beside the report: it uses the scored tables (``discourse.analyze``) and nothing below it
imports it.
"""

from __future__ import annotations

from pathlib import Path

from discourse.validation.kit import Kit, annotate
from discourse.validation.labels import Labels, read_labels, write_labels
from discourse.validation.output import write_validation
from discourse.validation.sample import draw_sample
from discourse.validation.validate import Validation, validate_labels

__all__ = ["annotate", "Kit", "draw_sample", "read_labels", "write_labels", "Labels", "validate_labels",
           "Validation", "write_validation", "validate_corpus"]


def validate_corpus(source, labels, out: str | Path, *, lexicon=None, replicates: int = 2000, seed: int = 0,
                    workers: int | None = 1) -> Validation:
    """Score ``source`` (paths, a corpus or an :class:`~discourse.Analysis`), validate it against the labels
    files and write the tables into the folder ``out`` (what ``discourse validate --labels`` does).

    >>> v = validate_corpus("threads", ["labels-ann.csv"], "validation")   # doctest: +SKIP
    >>> print(v.summary())                                                # doctest: +SKIP
    """
    from discourse.validation.kit import scored

    analysis = scored(source, lexicon, workers)
    validation = validate_labels(analysis, labels, replicates=replicates, seed=seed)
    write_validation(validation, out)
    return validation
