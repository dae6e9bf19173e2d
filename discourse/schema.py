"""Every table discourse produces, its columns in order, their types and meaning, defined once.

Readers, scorers and writers build their frames through :func:`frame`, so column order and types are
fixed by this module; ``docs/schema.md`` and the ``schema`` file written by ``discourse export`` are
rendered from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

UTC_DATETIME = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _t(name: str, description: str, *columns: tuple[str, pl.DataType, str]) -> Table:
    return Table(name, description, tuple(Column(*c) for c in columns))


_S, _I, _F, _B = pl.String(), pl.Int64(), pl.Float64(), pl.Boolean()
_LS = pl.List(pl.String())

ARTICLES = _t(
    "articles",
    "One row per article (a page, a post, a submission), in corpus order.",
    ("article_id", _S, "Stable, readable id: the manifest `id`, else the file stem; `stem:key` for files holding several articles."),
    ("title", _S, "Title from the manifest, else from the page."),
    ("outlet", _S, "Publishing outlet (manifest); null when unknown."),
    ("url", _S, "Canonical address (manifest or page); null when unknown."),
    ("published", pl.Date(), "Publication date; null when unknown."),
    ("date_estimated", _B, "True when the date was worked out rather than printed on the page."),
    ("date_basis", _S, "How the date was established (manifest note); null when none given."),
    ("format", _S, "Name of the reader that parsed the file."),
    ("source_path", _S, "Path of the input file as given (relative when the input was)."),
    ("body", _S, "Article text: body paragraphs joined by blank lines (captions and link lists excluded)."),
    ("n_paragraphs", _I, "Body paragraphs (rows in `paragraphs` with role `body`)."),
    ("n_captions", _I, "Distinct photo captions, each counted once however often it repeats."),
    ("n_comments", _I, "Comments in the article's reply trees, placeholders included."),
    ("truncated", _B, "True when the page was cut off (a comment header or body missing at the end)."),
)

PARAGRAPHS = _t(
    "paragraphs",
    "Article text, one row per paragraph or caption, in page order.",
    ("article_id", _S, "Article the paragraph belongs to."),
    ("paragraph_id", _S, "`<article_id>/p<n>` (body) or `<article_id>/c<n>` (caption), 1-based."),
    ("role", _S, "`body` or `caption`."),
    ("position", _I, "1-based position among the article's paragraphs of the same role."),
    ("text", _S, "Paragraph text with its hard line breaks."),
    ("source_path", _S, "Input file."),
    ("line_start", _I, "First line of the paragraph in the input file (1-based); null for non-text formats."),
    ("line_end", _I, "Last line (inclusive); null for non-text formats."),
)

COMMENTS = _t(
    "comments",
    "One row per comment, in display order (depth-first: a comment, then its replies).",
    ("article_id", _S, "Article the comment was posted under."),
    ("comment_id", _S, "`<article_id>/<path>`: positions among siblings from the top, e.g. `002/7.1` is the first "
                       "reply to the seventh top-level comment."),
    ("parent_id", _S, "`comment_id` of the comment replied to; null for a top-level comment."),
    ("depth", _I, "0 for a top-level comment, parent's depth + 1 for a reply."),
    ("position", _I, "1-based position among its siblings."),
    ("number", _I, "Number displayed on the page (top-level comments of numbered lists); null otherwise."),
    ("author", _S, "Display name as shown; null when the source gives none."),
    ("text", _S, "Comment text with its paragraph breaks (`\\n\\n`) and hard line breaks (`\\n`)."),
    ("created", UTC_DATETIME, "Posting time in UTC; null when the source has no times."),
    ("source_id", _S, "The source's own comment id (WordPress, Disqus, Reddit ...); null for text dumps."),
    ("text_missing", _B, "True when the comment has no text (an empty body, or a deleted/removed comment)."),
    ("status", _S, "`visible`, `deleted`, `removed`, `placeholder` (kept so replies keep their parent), or "
                   "`pending`, `spam`, `trash` (kept only with `--include`)."),
    ("orphan", _B, "True when the parent named by the source was not found; the comment is attached at the top."),
    ("truncated", _B, "True when the page ends inside this comment."),
    ("source_path", _S, "Input file."),
    ("line_start", _I, "First line of the comment (its header) in the input file, 1-based; null when not line-based."),
    ("line_end", _I, "Last line of the comment's body (inclusive)."),
)

DIAGNOSTICS = _t(
    "diagnostics",
    "What reading reported: errors (file skipped), warnings (something repaired or not understood), notes.",
    ("level", _S, "`error`, `warning` or `note`."),
    ("code", _S, "Stable machine-readable code, e.g. `unrecognised-line`, `no-metadata`, `not-utf8`."),
    ("path", _S, "File concerned."),
    ("line", _I, "Line in that file, where known."),
    ("message", _S, "What happened."),
    ("hint", _S, "What to do about it."),
)

FILES = _t(
    "files",
    "One row per input file: which reader read it and what it kept, dropped and repaired.",
    ("source_path", _S, "Input file (or directory, for ConvoKit corpora)."),
    ("format", _S, "Reader used; null when the file could not be read."),
    ("status", _S, "`read`, or `skipped` when an error stopped it (see `diagnostics`)."),
    ("sha256", _S, "SHA-256 of the file's bytes (of `utterances.jsonl` for a ConvoKit folder); null when unreadable."),
    ("n_articles", _I, "Articles read from it."),
    ("n_comments", _I, "Comments kept."),
    ("report", _S, "JSON object with `kept`, `dropped` and `repaired` counts by reason."),
)

LINE_ROLES = _t(
    "line_roles",
    "The role assigned to every non-blank line of a line-based input file (`discourse parse FILE --lines`).",
    ("source_path", _S, "Input file."),
    ("line", _I, "1-based line number."),
    ("role", _S, "`title`, `kicker`, `caption`, `body`, `related`, `policy`, `furniture`, `comment_header`, "
                 "`comment_body` or `unrecognised`."),
    ("ref", _S, "The paragraph or comment id the line belongs to; null for roles without one."),
    ("text", _S, "The line as read (line ending removed)."),
)

# ---- scoring: columns the scorers add, and the long tables they return --------------------------

#: Columns ``discourse.analyze`` appends to ``comments`` and ``paragraphs`` (one value per unit).
UNIT_SCORES: tuple[Column, ...] = tuple(Column(*c) for c in (
    ("sent_compound", _F, "VADER compound of the whole prepared text, in [-1, 1] (saturates on long texts)."),
    ("sent_pos", _F, "VADER share of positive valence in the whole text."),
    ("sent_neu", _F, "VADER share of neutral valence in the whole text."),
    ("sent_neg", _F, "VADER share of negative valence in the whole text."),
    ("sent_mean", _F, "Mean of the sentence compounds (all sentences); null when the unit has no text."),
    ("sent_own", _F, "Mean compound of own-voice sentences; null when there are none."),
    ("sent_quoted", _F, "Mean compound of quoted sentences (someone else's voice); null when there are none."),
    ("sent_n", _I, "Sentences in the unit."),
    ("sent_n_quoted", _I, "Of which quoted."),
    ("sent_score", _F, "The unit's score used by tables and figures: `sent_mean` (see docs/sentiment.md)."),
    ("sent_label", _S, "`positive` (score >= 0.05), `negative` (<= -0.05), `neutral`, or null without text."),
    ("topic_tags", _LS, "Topics with at least one non-negated lexicon hit, sorted."),
    ("actor_tags", _LS, "Actors mentioned, sorted."),
))

#: Columns appended to ``comments`` only: how a reply moves against its parent.
THREAD_SCORES: tuple[Column, ...] = tuple(Column(*c) for c in (
    ("thread_replies", _I, "Direct replies to the comment."),
    ("thread_subtree", _I, "Comments in the subtree rooted here, itself included."),
    ("thread_parent_score", _F, "`sent_score` of the parent; null for top-level comments."),
    ("thread_delta", _F, "`sent_score` minus the parent's; null for top-level comments or without scores."),
    ("thread_turn", _B, "True when the reply flips the tone: its label and its parent's are opposite (positive vs negative)."),
))

SENTENCES = _t(
    "sentences",
    "One row per sentence of every comment and article paragraph.",
    ("article_id", _S, "Article."),
    ("unit_id", _S, "`comment_id` or `paragraph_id` the sentence belongs to."),
    ("kind", _S, "`comment` or `article`."),
    ("sentence_id", _S, "`<unit_id>#<n>`, 1-based."),
    ("position", _I, "1-based position in the unit."),
    ("start", _I, "Character offset of the sentence in the unit's `text`."),
    ("end", _I, "Offset one past its last character."),
    ("text", _S, "The sentence as written (before preparation)."),
    ("voice", _S, "`own`, or `quoted` when most of it lies inside quotation marks."),
    ("speaker", _S, "Who is quoted, when the text says so (`Putin said`); null otherwise."),
    ("compound", _F, "VADER compound of the prepared sentence."),
    ("pos", _F, "VADER positive share."),
    ("neu", _F, "VADER neutral share."),
    ("neg", _F, "VADER negative share."),
    ("label", _S, "`positive`, `neutral` or `negative` (thresholds +-0.05)."),
)

TAGS = _t(
    "tags",
    "Topic evidence: one row per lexicon hit, negated hits included and marked.",
    ("article_id", _S, "Article."),
    ("unit_id", _S, "Comment or paragraph id."),
    ("kind", _S, "`comment` or `article`."),
    ("sentence_id", _S, "Sentence containing the hit."),
    ("topic", _S, "Topic name from the lexicon."),
    ("entry", _S, "Lexicon entry that matched, as written in the lexicon (`betray*`)."),
    ("matched", _S, "Text that matched."),
    ("start", _I, "Character offset in the unit's `text`."),
    ("end", _I, "Offset one past the match."),
    ("negated", _B, "True when a negation governs the hit (`is not treason`); negated hits do not tag the unit."),
    ("negator", _S, "The negating word, when negated."),
)

MENTIONS = _t(
    "mentions",
    "Actor mentions: one row per alias found, with the sentiment of the sentence it is in.",
    ("article_id", _S, "Article."),
    ("unit_id", _S, "Comment or paragraph id."),
    ("kind", _S, "`comment` or `article`."),
    ("sentence_id", _S, "Sentence containing the mention."),
    ("actor", _S, "Actor name from the lexicon."),
    ("surface", _S, "Text that matched (`Kremlin`)."),
    ("start", _I, "Character offset in the unit's `text`."),
    ("end", _I, "Offset one past the match."),
    ("voice", _S, "Voice of the sentence (`own` or `quoted`)."),
    ("compound", _F, "Compound of the sentence: the actor-targeted sentiment of this mention."),
)

ACTOR_SENTIMENT = _t(
    "actor_sentiment",
    "Actor-targeted sentiment per article and unit kind: sentences that mention the actor.",
    ("article_id", _S, "Article."),
    ("kind", _S, "`comment` or `article`."),
    ("actor", _S, "Actor."),
    ("n", _I, "Sentences mentioning the actor (each counted once, however many aliases it holds)."),
    ("mean", _F, "Mean compound of those sentences."),
    ("small", _B, "True when n is below the report's minimum group size; interpret with care."),
)

EDGES = _t(
    "edges",
    "The reply network: one row per reply, from the replying author to the replied-to author.",
    ("article_id", _S, "Article."),
    ("comment_id", _S, "The reply."),
    ("parent_id", _S, "The comment replied to."),
    ("source", _S, "Author of the reply."),
    ("target", _S, "Author of the comment replied to."),
    ("score", _F, "`sent_score` of the reply."),
    ("parent_score", _F, "`sent_score` of the parent."),
    ("delta", _F, "`score - parent_score`."),
)

THREADS = _t(
    "threads",
    "One row per thread: a top-level comment and all replies below it.",
    ("article_id", _S, "Article."),
    ("root_id", _S, "`comment_id` of the top-level comment."),
    ("size", _I, "Comments in the thread."),
    ("depth", _I, "Deepest reply level (0 when no replies)."),
    ("breadth", _I, "Largest number of comments at one level."),
    ("reply_share", _F, "Share of the thread's comments that are replies: (size - 1) / size."),
    ("mean_abs_delta", _F, "Mean absolute `thread_delta` of the replies; null without replies."),
    ("n_turns", _I, "Replies that flip the tone of their parent."),
)

SPEAKERS = _t(
    "speakers",
    "One row per author (pseudonymised with `--pseudonymize`).",
    ("author", _S, "Display name or pseudonym."),
    ("n_comments", _I, "Comments written."),
    ("n_articles", _I, "Articles commented on."),
    ("n_replies", _I, "Of the comments, replies to someone."),
    ("mean_score", _F, "Mean `sent_score` of their comments with text; null when none."),
    ("topics", _LS, "Topics their comments were tagged with, sorted."),
    ("replies_to", _LS, "Authors they replied to, sorted."),
)

# ---- tables that stay in memory: what scorers take and what library functions return ---------------------

UNITS = _t(
    "units",
    "What the batch scorer takes (`discourse.scoring.batch.score_batch`): article paragraphs and comments, one row each.",
    ("unit_id", _S, "`paragraph_id` or `comment_id`."),
    ("article_id", _S, "Article the unit belongs to."),
    ("kind", _S, "`article` (a paragraph or caption) or `comment`."),
    ("text", _S, "The unit's text."),
    ("context", _S, "Text in which quotations are sought (the article's body for body paragraphs); null: the unit's own text."),
    ("offset", _I, "Where the unit starts in `context`; null without context."),
)

ARTICLE_BODIES = _t(
    "article_bodies",
    "The article bodies a batch of units needs, sent once with the batch rather than on every paragraph.",
    ("article_id", _S, "Article."),
    ("body", _S, "The article's body (`articles.body`)."),
)

EVIDENCE = _t(
    "evidence",
    "Lexicon hits in a table of units (`discourse.scoring.lexicon.match_units`), one row per hit, in unit order.",
    ("unit_id", _S, "Unit the hit is in."),
    ("kind", _S, "`topic` or `actor`: the kind of lexicon entry that matched."),
    ("label", _S, "Topic or actor name."),
    ("entry", _S, "Lexicon entry (pattern) that matched."),
    ("matched", _S, "Text as it appears in the unit."),
    ("start", _I, "Character offset of the match in the unit's text."),
    ("end", _I, "Character offset after the match."),
    ("negated", _B, "True when a negator precedes the hit in the same clause."),
    ("negator", _S, "The negating word; null when not negated."),
)

UNIT_TAGS = _t(
    "unit_tags",
    "Per unit, the topics and actors with at least one non-negated hit (`discourse.scoring.lexicon.tag_units`).",
    ("unit_id", _S, "Unit."),
    ("topics", _LS, "Topic names, sorted."),
    ("actors", _LS, "Actor names, sorted."),
)

ENTRY_COUNTS = _t(
    "entry_counts",
    "Every lexicon entry in lexicon order with its hits in a corpus (`discourse lexicon check`).",
    ("kind", _S, "`topic` or `actor`: the kind of lexicon entry."),
    ("label", _S, "Topic or actor name."),
    ("entry", _S, "The entry's pattern."),
    ("form", _S, "How the pattern matches (word, prefix, phrase ...)."),
    ("case", _S, "`insensitive` or `sensitive`."),
    ("hits", _I, "Hits in the units."),
    ("negated", _I, "Of which negated."),
    ("units", _I, "Units with at least one hit."),
    ("examples", _LS, "Up to three distinct matched surfaces."),
)

SHARED_ENTRIES = _t(
    "shared_entries",
    "Lexicon patterns that appear under more than one topic or actor (`discourse lexicon check`).",
    ("entry", _S, "The pattern (case-folded when case-insensitive)."),
    ("case", _S, "`insensitive` or `sensitive`."),
    ("kinds", _LS, "`topic` or `actor`, for each owner."),
    ("labels", _LS, "The owners' names, in lexicon order."),
)

TREE_PROBLEMS = _t(
    "tree_problems",
    "Integrity problems of a comments table (`discourse.check_tree`), one row each; empty when the trees are sound.",
    ("problem", _S, "`duplicate-id`, `missing-parent`, `cycle`, `depth` or `article`."),
    ("comment_id", _S, "The comment concerned (for a cycle, its smallest id)."),
    ("detail", _S, "What is wrong, in words."),
)

#: tables that library functions build and return but ``discourse export`` does not write
IN_MEMORY: dict[str, Table] = {t.name: t for t in (
    UNITS, ARTICLE_BODIES, EVIDENCE, UNIT_TAGS, ENTRY_COUNTS, SHARED_ENTRIES, TREE_PROBLEMS,
)}

TABLES: dict[str, Table] = {t.name: t for t in (
    ARTICLES, PARAGRAPHS, COMMENTS, DIAGNOSTICS, FILES, LINE_ROLES,
    SENTENCES, TAGS, MENTIONS, ACTOR_SENTIMENT, EDGES, THREADS, SPEAKERS,
)}


def extended(table: Table, *extra: tuple[Column, ...]) -> Table:
    """``table`` with scoring columns appended (the shape of ``Analysis.comments`` and ``.paragraphs``)."""
    cols = table.columns + tuple(c for group in extra for c in group)
    return Table(table.name, table.description, cols)


SCORED_COMMENTS = extended(COMMENTS, UNIT_SCORES, THREAD_SCORES)
SCORED_PARAGRAPHS = extended(PARAGRAPHS, UNIT_SCORES)


def frame(table: Table, rows: Mapping[str, Any] | Iterable[Mapping[str, Any]] | None = None) -> pl.DataFrame:
    """Build ``table`` from columns (a mapping of lists) or from row dicts, in the table's order and types.

    >>> frame(DIAGNOSTICS).columns[:2]
    ['level', 'code']
    """
    schema = table.schema
    if rows is None:
        return pl.DataFrame(schema=schema)
    if isinstance(rows, Mapping):
        missing = set(table.names) - set(rows)
        extra = set(rows) - set(table.names)
        if missing or extra:
            raise ValueError(f"{table.name}: missing columns {sorted(missing)}, unexpected {sorted(extra)}")
        return pl.DataFrame({n: rows[n] for n in table.names}, schema=schema, strict=False)
    return pl.DataFrame(list(rows), schema=schema, strict=False)


def conform(table: Table, df: pl.DataFrame) -> pl.DataFrame:
    """Select and cast ``df`` to ``table``'s columns and order; raises on a missing column."""
    missing = [n for n in table.names if n not in df.columns]
    if missing:
        raise ValueError(f"{table.name}: missing columns {missing}")
    return df.select([pl.col(c.name).cast(c.dtype) for c in table.columns])


def markdown(tables: Iterable[Table] | None = None) -> str:
    """The schema reference as Markdown (``docs/schema.md`` is this text)."""
    out = ["# Table schemas", "",
           "Every table is a polars DataFrame with exactly these columns, in this order. "
           "`discourse export` writes the same tables and a `schema.json` describing them.", ""]
    default = [TABLES[n] for n in ("articles", "paragraphs")] + [SCORED_COMMENTS] + [
        t for n, t in TABLES.items() if n not in ("articles", "paragraphs", "comments")]
    for t in tables if tables is not None else default:
        out += _table_markdown(t)
    if tables is None:
        out += ["# Tables in memory", "",
                "Tables that library functions take or return; `discourse export` does not write them.", ""]
        for t in IN_MEMORY.values():
            out += _table_markdown(t)
    return "\n".join(out)


def _table_markdown(t: Table) -> list[str]:
    return [f"## `{t.name}`", "", t.description, "", "| column | type | meaning |", "|---|---|---|",
            *(f"| `{c.name}` | {c.dtype} | {c.description} |" for c in t.columns), ""]
