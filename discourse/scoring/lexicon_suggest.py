"""Lexicon entries proposed from evidence: words and phrases that set the labelled comments the lexicon
missed apart from the labelled negatives, and the keyness of tagged against untagged comments. Backs
``discourse lexicon suggest``.

Both lists rank terms (word 1- to 3-grams) by the log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words", section 3.5), z-scored: for a term *w* with counts
``y_a``, ``y_b`` in the two groups of ``n_a``, ``n_b`` term tokens, and a prior ``alpha_w = alpha0 * p_w``
from the term's share ``p_w`` in the whole corpus,

    delta_w = log((y_a + alpha_w) / (n_a + alpha0 - y_a - alpha_w)) - log((y_b + alpha_w) / (n_b + alpha0 - y_b - alpha_w))
    z_w     = delta_w / sqrt(1 / (y_a + alpha_w) + 1 / (y_b + alpha_w))

The prior shrinks rare terms toward the corpus rate, so a word seen twice in one group does not top the
list. Terms the topic's entries already match, and terms that begin or end with a function word, are left
out, as are actor names (an actor alias matches the whole term): what remains is what the researcher might
add to her TOML. Function words are English, German, French and Italian.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from discourse import schema
from discourse.errors import InputError
from discourse.scoring.lexicon import Lexicon, compile_lexicon

__all__ = ["ALPHA0", "STOPWORDS", "Suggestions", "keyness", "positives", "render_suggestions", "suggest_entries",
           "terms_of"]

#: the prior's total weight (Monroe et al. scale the prior to the background corpus; here, to the corpus)
ALPHA0 = 500.0
#: terms are word n-grams of these lengths
MAX_N = 3
#: function words: a term may not begin or end with one, nor be one
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could did do does doing don't down during each few for from further had has have having
he her here hers herself him himself his how i if in into is isn't it it's its itself just me more most my myself
no nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that that's the their theirs them themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your yours yourself yourselves
i'm you're they're we're he's she's there's let's can't won't didn't doesn't wasn't weren't hasn't haven't
one two also even still yet much many every never
der die das den dem des ein eine einen einem einer und oder aber nicht ist sind war waren wird werden hat haben
ich du er sie es wir ihr mit von zu auf für aus bei nach auch noch nur schon sehr wie als dass so da
le la les un une des du de et ou mais est sont pas que qui ne il elle ils nous vous en au aux pour par sur dans
il lo gli una di che non per con sono
""".split())
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_BREAK = re.compile(r"[.!?;:,()\[\]{}\"“”«»—–\n]")


def terms_of(text: str, max_n: int = MAX_N) -> list[str]:
    """The term tokens of a text: lower-cased word n-grams (1 to ``max_n``) within a clause, none that is,
    starts or ends with a function word or is a number.

    >>> terms_of("They hung us out to dry.")
    ['hung', 'dry', 'hung us']
    """
    out: list[str] = []
    for clause in _BREAK.split(text):
        words = [w.casefold().replace("’", "'") for w in _TOKEN.findall(clause)]
        for n in range(1, max_n + 1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] in STOPWORDS or gram[-1] in STOPWORDS or gram[0].isdigit() or gram[-1].isdigit():
                    continue
                if n == 1 and len(gram[0]) < 3:
                    continue
                out.append(" ".join(gram))
    return out


def keyness(a: Counter[str], b: Counter[str], prior: Counter[str], alpha0: float = ALPHA0) -> dict[str, tuple[float, float]]:
    """``term -> (log-odds ratio, z)`` of every term of ``a`` (Monroe, Colaresi & Quinn 2008, informative
    Dirichlet prior with total weight ``alpha0`` spread by the term shares of ``prior``)."""
    n_a, n_b, n_p = sum(a.values()), sum(b.values()), sum(prior.values())
    out: dict[str, tuple[float, float]] = {}
    if not n_p:
        return out
    for term, y_a in a.items():
        alpha = alpha0 * prior.get(term, 0) / n_p
        if alpha <= 0:
            continue
        y_b = b.get(term, 0)
        delta = (math.log((y_a + alpha) / (n_a + alpha0 - y_a - alpha))
                 - math.log((y_b + alpha) / (n_b + alpha0 - y_b - alpha)))
        out[term] = (delta, delta / math.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha)))
    return out


@dataclass(frozen=True)
class Suggestions:
    """The result of :func:`suggest_entries`: ``table`` (:data:`schema.LEXICON_SUGGESTIONS`) and the sizes
    of the groups compared."""

    topic: str
    table: pl.DataFrame
    n_missed: int
    n_negatives: int
    n_tagged: int
    n_untagged: int

    def toml(self, source: str = "missed", top: int = 15) -> str:
        """The top terms of one list as a TOML snippet to paste under ``[topics.TOPIC]``."""
        rows = self.table.filter(pl.col("list") == source).head(top)
        lines = [f"[topics.{self.topic}]", "entries = ["]
        for r in rows.iter_rows(named=True):
            quoted = r["term"].replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'    "{quoted}",  # z {r["z"]:.1f}: {r["count_a"]} vs {r["count_b"]}')
        return "\n".join(lines + ["]"]) + "\n"


def suggest_entries(comments: pl.DataFrame, lexicon: Lexicon, topic: str, positives: Mapping[str, bool],
                    *, top: int = 30, min_units: int = 2, examples: int = 3) -> Suggestions:
    """Propose entries for ``topic``.

    ``comments`` has ``comment_id``, ``text`` and ``topic_tags`` (``Analysis.comments``); ``positives`` maps
    labelled comment ids to whether the labels give them the topic. Two lists, ``top`` terms each, every term
    in at least ``min_units`` comments of the first group:

    * ``missed``: labelled positives the lexicon did not tag, against labelled negatives;
    * ``keyness``: every comment tagged with the topic, against every untagged comment (no labels needed).
    """
    try:
        lexicon.topic(topic)
    except KeyError as err:
        raise InputError(str(err).strip("'\""), hint="give a topic of the lexicon") from None
    compiled = compile_lexicon(lexicon)
    ids = comments.get_column("comment_id").to_list()
    texts = [t or "" for t in comments.get_column("text").to_list()]
    tagged = [topic in (tags or ()) for tags in comments.get_column("topic_tags").to_list()]
    terms = [terms_of(t) for t in texts]
    prior: Counter[str] = Counter()
    for ts in terms:
        prior.update(ts)
    covered: dict[str, bool] = {}

    def known(term: str) -> bool:  # the topic's entries, or an actor's aliases, already match the whole term
        if term not in covered:
            covered[term] = any((h.kind == "actor" or h.label == topic) and h.start == 0 and h.end == len(term)
                                for h in compiled.match(term))
        return covered[term]

    groups = {
        "missed": ([i for i, c in enumerate(ids) if positives.get(c) is True and not tagged[i]],
                   [i for i, c in enumerate(ids) if positives.get(c) is False]),
        "keyness": ([i for i in range(len(ids)) if tagged[i]], [i for i in range(len(ids)) if not tagged[i]]),
    }
    rows: list[dict] = []
    for name, (ga, gb) in groups.items():
        a: Counter[str] = Counter()
        b: Counter[str] = Counter()
        units_a: Counter[str] = Counter()
        units_b: Counter[str] = Counter()
        for i in ga:
            a.update(terms[i])
            units_a.update(set(terms[i]))
        for i in gb:
            b.update(terms[i])
            units_b.update(set(terms[i]))
        scored = [(z, delta, term) for term, (delta, z) in keyness(a, b, prior).items()
                  if units_a[term] >= min_units and z > 0 and not known(term)]
        scored.sort(key=lambda r: (-r[0], r[2]))
        for z, delta, term in scored[:top]:
            where = [ids[i] for i in ga if term in terms[i]][:examples]
            rows.append({"list": name, "term": term, "z": z, "log_odds": delta, "count_a": a[term],
                         "count_b": b.get(term, 0), "units_a": units_a[term], "units_b": units_b.get(term, 0),
                         "n_a": len(ga), "n_b": len(gb), "examples": where,
                         "example_text": _snippet(texts[ids.index(where[0])], term) if where else None})
    table = schema.frame(schema.LEXICON_SUGGESTIONS, rows) if rows else schema.frame(schema.LEXICON_SUGGESTIONS)
    (missed, negatives), (pos, neg) = groups["missed"], groups["keyness"]
    return Suggestions(topic, table, len(missed), len(negatives), len(pos), len(neg))


def _snippet(text: str, term: str, width: int = 60) -> str:
    """The text around the first occurrence of ``term`` (words separated by anything but a clause break)."""
    words = [re.escape(w) for w in term.split()]
    m = re.search(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", text, re.IGNORECASE)
    if m is None:
        return text[:2 * width].replace("\n", " ")
    a, b = max(0, m.start() - width), min(len(text), m.end() + width)
    return (("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")).replace("\n", " ")


def positives(topic_labels: pl.DataFrame, topic: str) -> dict[str, bool]:
    """Per labelled comment, whether its labels give it ``topic``: ``topic_labels`` is the
    :data:`schema.TOPIC_LABELS` table (``discourse.validation.labels.read_labels(...).topics``). With several
    annotators a comment is positive when at least half of those who labelled the topic marked it."""
    votes = (topic_labels.filter(pl.col("topic") == topic).group_by("comment_id", maintain_order=True)
             .agg(pl.col("label").cast(pl.Int64).sum().alias("yes"), pl.len().alias("n")))
    return {cid: 2 * yes >= n for cid, yes, n in votes.select("comment_id", "yes", "n").iter_rows()}


def render_suggestions(s: Suggestions, top: int = 15) -> str:
    """``discourse lexicon suggest`` output: both lists with counts and an example, then TOML to paste."""
    lines = []
    for name, title, a, b in (
            ("missed", f"terms of the {s.n_missed} labelled {s.topic} comments the lexicon missed, against the "
                       f"{s.n_negatives} labelled without {s.topic}", "missed", "negatives"),
            ("keyness", f"keyness: the {s.n_tagged} comments tagged {s.topic} against the {s.n_untagged} untagged",
             "tagged", "untagged")):
        rows = s.table.filter(pl.col("list") == name).head(top)
        lines += ["", title, f"  {'z':>6} {'log-odds':>8} {a:>8} {b:>9}  term  (comments: example)"]
        if not rows.height:
            lines.append("  (no term in at least the minimum number of comments)")
        for r in rows.iter_rows(named=True):
            lines.append(f"  {r['z']:6.2f} {r['log_odds']:8.2f} {r['count_a']:>8} {r['count_b']:>9}  {r['term']}  "
                         f"({', '.join(r['examples'])}: {r['example_text']})")
    lines += ["", "to accept, paste the terms you agree with into your lexicon TOML:", s.toml("missed", top)]
    return "\n".join(lines).lstrip("\n")
