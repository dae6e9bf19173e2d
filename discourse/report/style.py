"""Figure styles (``paper``, ``slides``, ``web``) and widths (``single``, ``double``) as matplotlib rc
settings, applied with ``matplotlib.rc_context`` around drawing and saving, never globally.

Every style: DejaVu Sans (shipped with matplotlib, so every machine draws the same glyphs), fonts embedded
as TrueType in PDF (``pdf.fonttype`` 42) and drawn as paths in SVG (``svg.fonttype`` "path": the SVG needs
no font to look right, which journals and browsers accept alike), the Okabe-Ito colour cycle, no top or
right spines, a fixed ``svg.hashsalt`` so SVG ids are the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

from discourse.errors import ConfigError

#: figure widths in inches: one journal column and the full page width
WIDTHS = {"single": 3.5, "double": 7.16}
#: base font size in points, per style
FONT_SIZES = {"paper": 7.0, "slides": 9.0, "web": 8.0}
STYLES = tuple(FONT_SIZES)
#: resolution of the PNG files
PNG_DPI = 300

_COMMON = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "mathtext.fontset": "dejavusans",
    "axes.unicode_minus": True,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": "discourse-report",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "axes.titlesize": "medium",
    "axes.labelsize": "medium",
    "xtick.labelsize": "small",
    "ytick.labelsize": "small",
    "legend.fontsize": "small",
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": PNG_DPI,
    "hatch.linewidth": 0.4,
    "hatch.color": "0.45",
    "path.simplify": True,
    "figure.constrained_layout.h_pad": 0.03,
    "figure.constrained_layout.w_pad": 0.03,
}


@dataclass(frozen=True)
class Style:
    """A figure style and width. Invalid names raise :class:`ConfigError` listing the valid ones.

    >>> Style("paper", "double").width_in
    7.16
    """

    name: str = "paper"
    width: str = "single"

    def __post_init__(self) -> None:
        if self.name not in FONT_SIZES:
            raise ConfigError(f"unknown style {self.name!r}", hint="valid styles: " + ", ".join(STYLES))
        if self.width not in WIDTHS:
            raise ConfigError(f"unknown width {self.width!r}", hint="valid widths: " + ", ".join(WIDTHS))

    @property
    def width_in(self) -> float:
        return WIDTHS[self.width]

    @property
    def font_size(self) -> float:
        return FONT_SIZES[self.name]

    @property
    def double(self) -> bool:
        return self.width == "double"

    def rc(self) -> dict:
        """The rc settings of this style (for ``matplotlib.rc_context``)."""
        from cycler import cycler

        from discourse.report.palettes import OKABE_ITO

        size = self.font_size
        scale = size / FONT_SIZES["paper"]
        rc = dict(_COMMON)
        rc.update({
            "font.size": size,
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "axes.linewidth": 0.6 * scale,
            "xtick.major.width": 0.6 * scale,
            "ytick.major.width": 0.6 * scale,
            "xtick.major.size": 2.5 * scale,
            "ytick.major.size": 2.5 * scale,
            "lines.linewidth": 1.0 * scale,
            "lines.markersize": 3.6 * scale,
            "patch.linewidth": 0.6 * scale,
        })
        if self.name == "web":
            rc.update({"axes.grid": True, "axes.grid.axis": "y", "grid.color": "0.9", "grid.linewidth": 0.5})
        return rc

    def as_dict(self) -> dict:
        return {"style": self.name, "width": self.width, "width_in": self.width_in, "font_size_pt": self.font_size}
