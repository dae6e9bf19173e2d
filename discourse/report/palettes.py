"""The report's colours: palettes, the sentiment and share scales, and their matplotlib colour maps.

Every colour of the figures and of the HTML page comes from here. matplotlib is imported only by the
functions that build colour maps, so :func:`score_color` and the constants need no matplotlib at all.

>>> score_color(0.0), score_color(None) == NO_SCORE
('#f6f7f7', True)
"""

from __future__ import annotations

#: Okabe & Ito (2008), the categorical palette of every figure: distinguishable with every common colour
#: vision deficiency. Yellow is last because it is faint on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
#: marker shapes paired with the categorical colours, so categories differ in shape as well as colour
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: the sentiment series of :func:`sentiment_shift`
SERIES_STYLE = {"own": ("#0072B2", "o"), "quoted": ("#CC79A7", "s"), "comments": ("#E69F00", "^")}
#: ColorBrewer RdBu (11 classes), negative (red) to positive (blue): diverging, colour-blind safe, with a
#: near-white neutral midpoint. Every sentiment colour in the report (figures and HTML) comes from it.
DIVERGING = ("#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
             "#4393c3", "#2166ac", "#053061")
#: ColorBrewer Purples (9 classes), for shares (0 to 1): a hue the sentiment scale does not use
SEQUENTIAL = ("#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d")
#: a unit without a score (a comment without text)
NO_SCORE = "#9e9e9e"
#: the sentiment scale: score -> colour is symmetric around 0 on [-1, 1]
SCORE_RANGE = (-1.0, 1.0)
#: levels of the colour maps (matplotlib's default), so :func:`score_color` equals the figures' colours
LEVELS = 256
SMALL_HATCH = "////"
#: opacity of the colour of a cell resting on too few units
SMALL_ALPHA = 0.45
#: background of an actor-by-article cell without mentions
NOT_MENTIONED = "#e8e8e8"
SCORE_LABEL = "Sentiment (mean sentence compound, \u22121 to 1)"
PANEL_TITLES = {"article": "Article text (paragraphs)", "comment": "Comments"}
SERIES_LEGEND = {"own": "Article, own voice (sentences)", "quoted": "Article, quoted (sentences)",
                 "comments": "Comments (comment scores)"}
SERIES_SHORT = {"own": "own", "quoted": "quot.", "comments": "comm."}


def _hex_to_rgb(h: str) -> tuple[float, float, float]:
    return tuple(int(h[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _interpolate(stops: tuple[str, ...], t: float) -> tuple[float, float, float]:
    rgb = [_hex_to_rgb(s) for s in stops]
    x = t * (len(rgb) - 1)
    i = min(int(x), len(rgb) - 2)
    f = x - i
    return tuple(a + (b - a) * f for a, b in zip(rgb[i], rgb[i + 1]))  # type: ignore[return-value]


def _lut_color(stops: tuple[str, ...], t: float) -> str:
    # the colour matplotlib's LinearSegmentedColormap.from_list(stops, N=LEVELS) gives for t in [0, 1]
    t = min(max(t, 0.0), 1.0)
    level = min(int(t * LEVELS), LEVELS - 1)
    r, g, b = _interpolate(stops, level / (LEVELS - 1))
    return "#{:02x}{:02x}{:02x}".format(*(int(round(c * 255)) for c in (r, g, b)))


def score_color(score: float | None) -> str:
    """The colour of a sentiment score on the report's diverging scale (hex), :data:`NO_SCORE` for None.

    >>> score_color(-1.0), score_color(0.0), score_color(1.0), score_color(None)
    ('#67001f', '#f6f7f7', '#053061', '#9e9e9e')
    """
    if score is None:
        return NO_SCORE
    lo, hi = SCORE_RANGE
    return _lut_color(DIVERGING, (score - lo) / (hi - lo))


def share_color(share: float) -> str:
    """The colour of a share (0 to 1) on the sequential scale (hex)."""
    return _lut_color(SEQUENTIAL, share)


def score_cmap():
    """The diverging sentiment colour map (matplotlib), built from :data:`DIVERGING`."""
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("discourse_sentiment", DIVERGING, N=LEVELS)
    return cmap.with_extremes(bad=NO_SCORE)


def share_cmap():
    """The sequential colour map for shares, built from :data:`SEQUENTIAL`."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("discourse_share", SEQUENTIAL, N=LEVELS)


def score_norm():
    """Normalisation of scores onto the colour map: -1 to 1, centred on 0."""
    from matplotlib.colors import Normalize

    return Normalize(*SCORE_RANGE)


def score_mappable():
    """A ``ScalarMappable`` for a sentiment colour bar: ``fig.colorbar(score_mappable(), ax=axes)``."""
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=score_norm(), cmap=score_cmap())


def share_mappable():
    """A ``ScalarMappable`` for a colour bar of shares (0 to 1)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    return ScalarMappable(norm=Normalize(0, 1), cmap=share_cmap())


def text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on ``hex_color``."""
    r, g, b = _hex_to_rgb(hex_color)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "black"
