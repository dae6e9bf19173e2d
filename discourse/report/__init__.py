"""The report: figures, tables, an HTML page and a Markdown page for a scored corpus.

>>> from discourse.report import build_report
>>> build_report(discourse.analyze("threads"), "reports")     # doctest: +SKIP
PosixPath('reports')
"""

from discourse.report.build import build_report, report

__all__ = ["build_report", "report"]
