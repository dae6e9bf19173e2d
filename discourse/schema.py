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
    ("comment_id", _S, "`<article_id>/N` for the N-th top-level comment; `<article_id>/N.k` for the k-th reply in "
                       "thread N in display (depth-first) order, whatever its depth: `002/7.1` is the first reply "
                       "under the seventh top-level comment, `002/7.3` the third comment below it. Ids do not grow "
                       "with depth; `parent_id`, `depth` and `position` carry the tree."),
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
    ("role", _S, "`title`, `kicker`, `dateline`, `caption`, `body`, `related`, `policy`, `navigation`, `share`, "
                 "`cookie`, `furniture`, `comment_count`, `comments_closed`, `comment_form`, `comment_header`, "
                 "`comment_meta`, `comment_body`, `comment_suspected` (a line that looks like part of a comment the "
                 "reader could not delimit, kept out of the article) or `unrecognised` (the full line is kept in "
                 "`text`)."),
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
    ("topic_tags", _LS, "Topics with at least one counted lexicon hit (see `tags.counted`), sorted."),
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
    "Topic evidence: one row per lexicon hit, hits that do not tag the unit included and marked.",
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
    ("counted", _B, "True when the hit tags the unit: not negated and not set aside by a lexicon rule."),
    ("rule", _S, "The lexicon rule that decided, when one did: a context word (`unless_near: 'genocide' within 6 "
                 "words`), a quotation rule, or the actor that implied the topic."),
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
    ("source", _S, "Speaker of the reply: its author, or `<name> #<comment_id>` for a shared name (Anonymous, "
                   "Guest, [deleted]) or none, which is not one person."),
    ("target", _S, "Speaker of the comment replied to, in the same way."),
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
    "One row per speaker: per author (pseudonymised with `--pseudonymize`), and per comment for a shared name "
    "(Anonymous, Guest, [deleted] ...) or none, since such a name is not one person.",
    ("author", _S, "Display name or pseudonym; `<name> #<comment_id>` (`Anonymous #002/7.1`, `[unknown] #003/2`) "
                   "for a comment under a shared name or none."),
    ("n_comments", _I, "Comments written."),
    ("n_articles", _I, "Articles commented on."),
    ("n_replies", _I, "Of the comments, replies to someone."),
    ("mean_score", _F, "Mean `sent_score` of their comments with text; null when none."),
    ("topics", _LS, "Topics their comments were tagged with, sorted."),
    ("replies_to", _LS, "Speakers they replied to, sorted."),
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
    ("counted", _B, "True when the hit tags the unit: not negated and not set aside by a lexicon rule."),
    ("rule", _S, "The lexicon rule that decided, when one did (a context word, a quotation rule, the actor that implied the topic)."),
)

UNIT_TAGS = _t(
    "unit_tags",
    "Per unit, the topics and actors with at least one counted hit (`discourse.scoring.lexicon.tag_units`).",
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
    ("set_aside", _I, "Of which set aside by a rule of the lexicon (a context word, a quotation)."),
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


# ---- validation: hand labels, the sample drawn for them, and how the measures compare -------------------

SAMPLE = _t(
    "sample",
    "A labelling sample (`discourse annotate`, `weights.csv`): one row per comment drawn, in the order of the kit.",
    ("position", _I, "1-based position in the kit and in `sample.csv` (the draw shuffled, so that strata are mixed)."),
    ("comment_id", _S, "Comment drawn."),
    ("article_id", _S, "Its article."),
    ("stratum", _S, "`<article_id>|<topic>|<label>`: the article, the rarest topic the comment is tagged "
     "with (`untagged` when none) and its sentiment label."),
    ("stratum_size", _I, "Comments with text in the stratum (the sampling frame)."),
    ("expected", _F, "Expected draws from the stratum (square-root allocation); the stratum gets its floor or ceiling."),
    ("inclusion_probability", _F, "Chance the comment had of being drawn: `expected / stratum_size`."),
    ("weight", _F, "`1 / inclusion_probability`: how many comments of the corpus it stands for."),
)

LABELS = _t(
    "labels",
    "Hand labels as read from labels files: one row per comment and annotator (docs/validation.md).",
    ("comment_id", _S, "Comment labelled (resolved from the file's id)."),
    ("key", _S, "The id as written in the file (a `comment_id` or the source's own id)."),
    ("annotator", _S, "Who labelled it."),
    ("sentiment", _S, "`negative`, `neutral` or `positive`; null when not labelled."),
    ("note", _S, "The annotator's note; null when none."),
    ("inclusion_probability", _F, "Chance the comment had of being sampled; null for an unweighted set."),
    ("source_path", _S, "Labels file."),
    ("line", _I, "Line of the row in that file."),
)

TOPIC_LABELS = _t(
    "topic_labels",
    "Hand topic labels: one row per labelled topic cell (empty cells have no row).",
    ("comment_id", _S, "Comment labelled."),
    ("annotator", _S, "Who labelled it."),
    ("topic", _S, "Topic."),
    ("label", _B, "True when the comment raises the topic (cell 1), false when not (0)."),
    ("source_path", _S, "Labels file."),
    ("line", _I, "Line of the row."),
)

VALIDATION_TOPICS = _t(
    "validation_topics",
    "Topic tags against hand labels, per topic, then the `micro` and `macro` averages. Gold is the label "
    "most annotators gave; estimates are weighted by inverse inclusion probability when the labels carry it.",
    ("topic", _S, "Topic, or `micro` (pooled over topics) or `macro` (mean of the per-topic values)."),
    ("n", _I, "Labelled comments (with a gold label for this topic); for `micro` and `macro`, comment-topic pairs."),
    ("positives", _I, "Of which labelled as raising the topic."),
    ("tagged", _I, "Of which tagged by discourse."),
    ("tp", _I, "Tagged and labelled positive."),
    ("fp", _I, "Tagged, labelled negative."),
    ("fn", _I, "Labelled positive, not tagged."),
    ("precision", _F, "tp / tagged (weighted); null when nothing is tagged."),
    ("precision_low", _F, "95% interval, lower end (Wilson on the effective sample size; bootstrap for averages)."),
    ("precision_high", _F, "95% interval, upper end."),
    ("recall", _F, "tp / positives (weighted); null without positives."),
    ("recall_low", _F, "95% interval, lower end."),
    ("recall_high", _F, "95% interval, upper end."),
    ("f1", _F, "2 precision recall / (precision + recall); 0 when tp is 0; macro: the mean over topics with positives or tags."),
    ("f1_low", _F, "95% bootstrap interval over comments, lower end."),
    ("f1_high", _F, "95% bootstrap interval, upper end."),
    ("small", _B, "True when positives or tagged are below the minimum group size: read with care."),
)

VALIDATION_SENTIMENT = _t(
    "validation_sentiment",
    "Comment sentiment labels against hand labels, per comment score, beside always predicting the majority class.",
    ("method", _S, "`sentence_mean` (`sent_score`), `own_voice` (`sent_own`, else `sent_score`), "
     "`whole_text` (`sent_compound`) or `majority_class`."),
    ("n", _I, "Comments with a gold sentiment label."),
    ("accuracy", _F, "Share labelled as the gold label (weighted)."),
    ("accuracy_low", _F, "95% Wilson interval on the effective sample size, lower end."),
    ("accuracy_high", _F, "Upper end."),
    ("macro_f1", _F, "Mean F1 over the three classes."),
    ("macro_f1_low", _F, "95% bootstrap interval over comments, lower end."),
    ("macro_f1_high", _F, "Upper end."),
)

VALIDATION_CONFUSION = _t(
    "validation_confusion",
    "Confusion matrices of the sentiment labels: one row per method, gold label and predicted label.",
    ("method", _S, "Comment score (as in `validation_sentiment`)."),
    ("gold", _S, "Hand label."),
    ("predicted", _S, "Label from the score (thresholds +-0.05)."),
    ("n", _I, "Comments."),
    ("share", _F, "Weighted share of the gold class predicted so: P(predicted | gold)."),
)

VALIDATION_AGREEMENT = _t(
    "validation_agreement",
    "Agreement between annotators on the comments several of them labelled.",
    ("measure", _S, "`sentiment` or a topic."),
    ("statistic", _S, "`krippendorff_alpha` (nominal, all annotators) or `cohen_kappa` (one pair)."),
    ("annotators", _S, "`all`, or the pair `A|B`."),
    ("n", _I, "Comments labelled by at least two of them (by both, for a pair)."),
    ("value", _F, "The statistic; null when undefined (a single category throughout)."),
)

VALIDATION_ENTRIES = _t(
    "validation_entries",
    "Precision of every lexicon entry that fired (a non-negated hit) in a labelled comment.",
    ("topic", _S, "Topic of the entry."),
    ("entry", _S, "Entry as written in the lexicon."),
    ("n", _I, "Labelled comments it fired in."),
    ("correct", _I, "Of which labelled as raising its topic."),
    ("precision", _F, "correct / n (weighted)."),
    ("precision_low", _F, "95% Wilson interval, lower end."),
    ("precision_high", _F, "Upper end."),
)

VALIDATION_ERRORS = _t(
    "validation_errors",
    "Comments the tags got wrong, with their context: `missed` (labelled, not tagged) and `wrong` (tagged, labelled not).",
    ("topic", _S, "Topic."),
    ("error", _S, "`missed` or `wrong`."),
    ("comment_id", _S, "Comment."),
    ("article_title", _S, "Title of its article."),
    ("parent_text", _S, "Text of the comment it replies to; null for a top-level comment."),
    ("text", _S, "The comment."),
    ("entries", _S, "Entries that fired for the topic (`wrong`), joined by `; `; null for `missed`."),
)

CORRECTED_TOPICS = _t(
    "corrected_topics",
    "Topic shares per article corrected for misclassification (Rogan-Gladen with the sensitivity and specificity measured on the labels).",
    ("article_id", _S, "Article."),
    ("topic", _S, "Topic."),
    ("n", _I, "Comments with text."),
    ("observed", _F, "Share tagged by discourse."),
    ("corrected", _F, "(observed + specificity - 1) / (sensitivity + specificity - 1), clipped to [0, 1]; "
     "null when sensitivity + specificity <= 1."),
    ("low", _F, "95% bootstrap interval (labelled sample and the article's comments resampled), lower end."),
    ("high", _F, "Upper end."),
    ("sensitivity", _F, "Recall of the tag on the labels."),
    ("specificity", _F, "Share of labelled negatives not tagged."),
    ("n_labelled", _I, "Labelled comments the two rates come from."),
)

CORRECTED_SENTIMENT = _t(
    "corrected_sentiment",
    "Sentiment-label shares per article corrected by the confusion matrix of `sent_label` (constrained least squares).",
    ("article_id", _S, "Article."),
    ("label", _S, "`negative`, `neutral` or `positive`."),
    ("n", _I, "Comments with text."),
    ("observed", _F, "Share with this `sent_label`."),
    ("corrected", _F, "Share p solving observed = confusion' p with p >= 0 summing to 1 (least squares)."),
    ("low", _F, "95% bootstrap interval, lower end."),
    ("high", _F, "Upper end."),
    ("n_labelled", _I, "Labelled comments the confusion matrix comes from."),
)

LEXICON_SUGGESTIONS = _t(
    "lexicon_suggestions",
    "`discourse lexicon suggest`: terms proposed as entries of a topic, ranked by z-scored log-odds with an "
    "informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).",
    ("list", _S, "`missed`: labelled positives the lexicon missed (group a) against labelled negatives (b); "
                 "`keyness`: comments tagged with the topic (a) against untagged ones (b)."),
    ("term", _S, "A word 1- to 3-gram, lower-cased."),
    ("z", _F, "The log-odds ratio divided by its estimated standard deviation."),
    ("log_odds", _F, "The log-odds ratio of the term in group a against group b, prior included."),
    ("count_a", _I, "Occurrences in group a."),
    ("count_b", _I, "Occurrences in group b."),
    ("units_a", _I, "Comments of group a containing the term."),
    ("units_b", _I, "Comments of group b containing the term."),
    ("n_a", _I, "Comments in group a."),
    ("n_b", _I, "Comments in group b."),
    ("examples", _LS, "Up to three comments of group a containing the term."),
    ("example_text", _S, "The text around the term in the first example."),
)

TABLES: dict[str, Table] = {t.name: t for t in (
    ARTICLES, PARAGRAPHS, COMMENTS, DIAGNOSTICS, FILES, LINE_ROLES,
    SENTENCES, TAGS, MENTIONS, ACTOR_SENTIMENT, EDGES, THREADS, SPEAKERS,
)}
IN_MEMORY[LEXICON_SUGGESTIONS.name] = LEXICON_SUGGESTIONS
#: the tables of ``discourse annotate`` and ``discourse validate --labels`` (docs/validation.md)
VALIDATION: dict[str, Table] = {t.name: t for t in (
    SAMPLE, LABELS, TOPIC_LABELS, VALIDATION_TOPICS, VALIDATION_SENTIMENT, VALIDATION_CONFUSION, VALIDATION_AGREEMENT,
    VALIDATION_ENTRIES, VALIDATION_ERRORS, CORRECTED_TOPICS, CORRECTED_SENTIMENT,
)}


# ---- the report's tables: aggregates per article, topic and actor ----------------------------------------

_SERIES = ("own", "quoted", "comments")

REPORT_SENTIMENT = _t(
    "sentiment",
    "`sentiment.csv` of `discourse report` (the data of the sentiment-shift figure): one row per article "
    "(publication order) and series.",
    ("article_id", _S, "Article."),
    ("series", _S, "`own` (article sentences in the author's voice), `quoted` (article sentences quoting "
     "someone) or `comments`."),
    ("unit", _S, "What was averaged: `sentences` or `comments`."),
    ("n", _I, "Units averaged; 0 when the article has none (mean null)."),
    ("clusters", _I, "Clusters the bootstrap resamples: paragraphs for article text, comments for comments."),
    ("mean", _F, "Mean compound (sentences) or `sent_score` (comments)."),
    ("ci_low", _F, "95% cluster-bootstrap interval, lower end; null when `small` or fewer than two clusters."),
    ("ci_high", _F, "Upper end."),
    ("small", _B, "Fewer clusters than the minimum group (5 by default): shown, flagged, no interval."),
)

REPORT_TOPIC_SHARES = _t(
    "topics_by_article",
    "`topics_by_article.csv` of `discourse report` (the data of the topic figures): one row per article "
    "(publication order), unit kind and topic (lexicon order).",
    ("article_id", _S, "Article."),
    ("kind", _S, "`article` (body paragraphs) or `comment`: the units counted."),
    ("topic", _S, "Topic name."),
    ("label", _S, "Topic label from the lexicon."),
    ("k", _I, "Units tagged with the topic."),
    ("n", _I, "Units of this kind in the article."),
    ("share", _F, "k / n; null when n is 0."),
    ("ci_low", _F, "95% Wilson interval, lower end; null when `small`."),
    ("ci_high", _F, "Upper end."),
    ("small", _B, "n below the minimum group (5 by default)."),
)

REPORT_TOPICS = _t(
    "topics",
    "`topics.csv` of `discourse report`: one row per topic (lexicon order) over the whole corpus.",
    ("topic", _S, "Topic name."),
    ("label", _S, "Topic label."),
    ("article_k", _I, "Body paragraphs tagged."),
    ("article_n", _I, "Body paragraphs."),
    ("article_share", _F, "article_k / article_n."),
    ("comment_k", _I, "Comments tagged."),
    ("comment_n", _I, "Comments."),
    ("comment_share", _F, "comment_k / comment_n."),
    ("articles", _I, "Articles where a paragraph or comment is tagged."),
    ("hits", _I, "Lexicon hits (rows of `tags`)."),
    ("negated_hits", _I, "Of which negated."),
)

REPORT_ACTORS_BY_ARTICLE = _t(
    "actors_by_article",
    "`actors_by_article.csv` of `discourse report` (the data of the actor figure): `actor_sentiment` in "
    "publication and lexicon order with the actor's label.",
    ("article_id", _S, "Article."),
    ("kind", _S, "`article` or `comment`: the units whose sentences mention the actor."),
    ("actor", _S, "Actor name."),
    ("label", _S, "Actor label from the lexicon (the name when it has none)."),
    ("n", _I, "Sentences mentioning the actor."),
    ("mean", _F, "Their mean compound."),
    ("small", _B, "n below the minimum group."),
)

REPORT_ACTORS = _t(
    "actors",
    "`actors.csv` of `discourse report`: one row per actor (lexicon order) over the whole corpus.",
    ("actor", _S, "Actor name."),
    ("label", _S, "Actor label."),
    ("mentions", _I, "Alias hits (rows of `mentions`)."),
    ("article_n", _I, "Article sentences mentioning the actor, each counted once."),
    ("article_mean", _F, "Their mean compound."),
    ("article_small", _B, "article_n below the minimum group."),
    ("comment_n", _I, "Comment sentences mentioning the actor."),
    ("comment_mean", _F, "Their mean compound."),
    ("comment_small", _B, "comment_n below the minimum group."),
    ("articles", _I, "Articles where the actor is mentioned."),
)

REPORT_ARTICLES = _t(
    "article_summary",
    "`articles.csv` of `discourse report`: one row per article in publication order.",
    ("article_id", _S, "Article."),
    ("published", pl.Date(), "Publication date."),
    ("date_estimated", _B, "True when the date is estimated (see `articles`)."),
    ("title", _S, "Title."),
    ("outlet", _S, "Outlet."),
    ("paragraphs", _I, "Body paragraphs."),
    ("sentences", _I, "Body sentences."),
    ("comments", _I, "Comments, placeholders of deleted ones included."),
    ("authors", _I, "Distinct comment authors."),
    ("replies", _I, "Comments that reply to another comment."),
    *((f"{s}_{c}", t, d.format(s=s)) for s in _SERIES for c, t, d in (
        ("n", _I, "`{s}` series (as in `sentiment`): units averaged."),
        ("mean", _F, "`{s}` series: mean."),
        ("ci_low", _F, "`{s}` series: 95% interval, lower end."),
        ("ci_high", _F, "`{s}` series: upper end."))),
)

#: the tables ``discourse report`` writes as CSV beside its figures (docs/report.md)
REPORT: dict[str, Table] = {t.name: t for t in (
    REPORT_ARTICLES, REPORT_SENTIMENT, REPORT_TOPICS, REPORT_TOPIC_SHARES, REPORT_ACTORS, REPORT_ACTORS_BY_ARTICLE,
)}

# ---- the VADER paper's corpora (``discourse validate`` without labels) -----------------------------------

VADER_CORPUS = _t(
    "vader_corpus",
    "The human-rated corpora of the VADER paper as `discourse.sentiment.validate.read_corpora` returns them "
    "(`documents` adds `n_snippets`).",
    ("corpus", _S, "`tweets`, `movie`, `amazon` or `nyt`."),
    ("id", _S, "Snippet id as in the file."),
    ("rating", _F, "Mean human rating."),
    ("text", _S, "The snippet."),
)

VADER_VALIDATION = _t(
    "vader_validation",
    "`discourse validate` on the VADER paper's corpora: one row per corpus, level and method.",
    ("corpus", _S, "Corpus."),
    ("level", _S, "`snippet` or `document` (snippets rebuilt into their documents)."),
    ("method", _S, "`whole` (VADER on the whole text) or `sentence_mean`."),
    ("n", _I, "Snippets or documents."),
    ("r", _F, "Pearson correlation with the mean human rating."),
    ("f1", _F, "Weighted F1 of the three labels."),
)
VALIDATION[VADER_CORPUS.name] = VADER_CORPUS
VALIDATION[VADER_VALIDATION.name] = VADER_VALIDATION


def extended(table: Table, *extra: tuple[Column, ...]) -> Table:
    """``table`` with scoring columns appended (the shape of ``Analysis.comments`` and ``.paragraphs``)."""
    cols = table.columns + tuple(c for group in extra for c in group)
    return Table(table.name, table.description, cols)


SCORED_COMMENTS = extended(COMMENTS, UNIT_SCORES, THREAD_SCORES)
SCORED_PARAGRAPHS = extended(PARAGRAPHS, UNIT_SCORES)

#: The tables ``discourse export`` writes, in its order, with the columns it writes.
EXPORTED: dict[str, Table] = {t.name: t for t in (
    ARTICLES, SCORED_PARAGRAPHS, SCORED_COMMENTS, SENTENCES, TAGS, MENTIONS, ACTOR_SENTIMENT, EDGES, THREADS,
    SPEAKERS, DIAGNOSTICS, FILES,
)}

# ---- types other tools read: Frictionless Table Schema ---------------------------------------------------

#: Table Schema field types (https://specs.frictionlessdata.io/table-schema/) of the column types in use.
TABLE_SCHEMA_TYPES: dict[pl.DataType, str] = {
    _S: "string", _I: "integer", _F: "number", _B: "boolean", pl.Date(): "date", UTC_DATETIME: "datetime",
    _LS: "list",
}
#: How a list of strings is joined in a CSV cell.
LIST_DELIMITER = "; "


def field(name: str, dtype: pl.DataType, description: str = "", *, format: str = "csv") -> dict:
    """The Table Schema field of a column as written in ``format`` (``csv``, ``ndjson`` or ``parquet``): a
    list of strings is a ``list`` joined by ``"; "`` in CSV and a JSON ``array`` elsewhere.

    >>> field("published", pl.Date())
    {'name': 'published', 'type': 'date'}
    """
    kind = TABLE_SCHEMA_TYPES.get(dtype)
    if kind is None:
        raise ValueError(f"column {name!r}: no Table Schema type for {dtype}")
    out: dict = {"name": name, "type": kind}
    if kind == "list":
        out |= {"delimiter": LIST_DELIMITER, "itemType": "string"} if format == "csv" else {"type": "array"}
    if description:
        out["description"] = description
    return out


def dtype_of(field: Mapping) -> pl.DataType:
    """The polars type of a Table Schema field written by :func:`field` (its inverse).

    >>> dtype_of({"name": "created", "type": "datetime"})
    Datetime(time_unit='us', time_zone='UTC')
    """
    kind = field.get("type")
    if kind in ("list", "array"):
        return _LS
    for dtype, name in TABLE_SCHEMA_TYPES.items():
        if name == kind:
            return dtype
    raise ValueError(f"column {field.get('name')!r}: unknown Table Schema type {kind!r}")


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
    """The schema reference as Markdown (``docs/schema.md`` is this text): the tables ``discourse export``
    writes, then the tables other commands write."""
    out = ["# Table schemas", "",
           "Every table is a polars DataFrame with exactly these columns, in this order (an `Analysis` holds "
           "the exported ones). `discourse export` writes each of them, empty or not, with every column "
           "listed here, beside a `schema.json` and, for CSV and NDJSON, a Frictionless `datapackage.json` "
           "describing them; `discourse.read_export(folder)` reads an export back with these types. The "
           "type columns give the polars type and the Table Schema type other tools read.", ""]

    def section(t: Table) -> list[str]:
        rows = [f"## `{t.name}`", "", t.description, "", "| column | type | Table Schema | meaning |",
                "|---|---|---|---|"]
        rows += [f"| `{c.name}` | {c.dtype} | {_ts_label(c.dtype)} | {c.description} |" for c in t.columns]
        return rows + [""]

    if tables is not None:
        for t in tables:
            out += section(t)
        return "\n".join(out)
    for t in EXPORTED.values():
        out += section(t)
    out += ["# Tables other commands write", "",
            "Not part of `discourse export`; listed here because they follow the same rules.", ""]
    for t in TABLES.values():
        if t.name not in EXPORTED:
            out += section(t)
    out += ["# Tables in memory", "",
            "Tables that library functions take or return; `discourse export` does not write them.", ""]
    for t in IN_MEMORY.values():
        out += section(t)
    out += ["# Report tables", "",
            "The aggregates `discourse report` writes as CSV beside its figures ([report.md](report.md)).", ""]
    for t in REPORT.values():
        out += section(t)
    out += ["# Validation tables", "",
            "The sample `discourse annotate` draws, the labels `discourse validate --labels` reads and the tables "
            "it writes ([validation.md](validation.md)).", ""]
    for t in VALIDATION.values():
        out += section(t)
    return "\n".join(out)


def _ts_label(dtype: pl.DataType) -> str:
    kind = TABLE_SCHEMA_TYPES.get(dtype, "")
    return "list (CSV, `; `) / array" if kind == "list" else kind
