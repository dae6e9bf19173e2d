"""Synthetic comment archives in the Asbarez text layout, for benchmarks at any size.

:func:`generate` writes ``N`` comments under articles, one page per article plus ``manifest.csv``, through
:func:`discourse.readers.asbarez.render`, so the reader sees exactly the layout of real pages. The shape
follows real comment sections, heavy tails included:

- comments per article: lognormal (median 20, sigma 1.3; about 1 article in 7 has no comments) — many
  small sections, a few with thousands of comments;
- threads: a new comment opens a thread with probability 0.45, else it joins a thread chosen in proportion
  to its size (so a few threads grow long) and replies to its latest comment or to a random one; depth
  falls off geometrically and is capped at 8, like WordPress's nested replies;
- comment length in words: lognormal (median 45, sigma 1.0, mean about 74, capped at 6,000), so most
  comments are short and a few are essays of several thousand words; sentences average 14 words,
  paragraphs 4.5 sentences;
- words: neutral filler (76 % of tokens), VADER lexicon words (5 %; with the filler words VADER knows,
  about 9 % of tokens carry valence, as in the bundled comments), topic entries and actor aliases of the
  packaged lexicon (7 %; wildcards filled in, gaps with words in them), negations, boosters, "but", curly
  apostrophes, em dashes, ellipses, numbers, a few Armenian, Cyrillic and Azerbaijani words and emoji;
- quoted speech (“...,” Putin said. / Aliyev stated: "...") and scare quotes; article paragraphs quote
  more than comments; photo captions on half the articles;
- authors from a pool of Latin, Armenian, Cyrillic and Azerbaijani/Turkish names, a few very active;
- a ``manifest.csv`` with ids, titles, outlets and dates from 2016 to 2023.

The same ``seed`` (and numpy version) gives byte-identical files, whatever the number of worker processes.
Generation is vectorised with numpy: about 25,000 comments a second per core.

>>> stats = generate("bench-out/corpus-1k", 1_000, seed=1)     # doctest: +SKIP
>>> stats.comments, stats.articles                              # doctest: +SKIP
(1000, 25)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from discourse.readers.asbarez import render

__all__ = ["Shape", "SynthStats", "generate", "sample_texts"]

#: bumped whenever the generator's output changes, so cached corpora are rebuilt
VERSION = 1


@dataclass(frozen=True)
class Shape:
    """The distributions a synthetic corpus is drawn from (defaults: see the module docstring)."""

    comments_median: float = 20.0  # comments per commented article, lognormal
    comments_sigma: float = 1.3
    comments_max: int = 20_000
    uncommented: float = 0.15  # share of articles without comments
    words_median: float = 45.0  # words per comment, lognormal
    words_sigma: float = 1.0
    words_max: int = 6_000
    sentence_words: float = 14.0  # mean sentence length (geometric)
    paragraph_sentences: float = 4.5  # mean paragraph length in sentences (geometric)
    new_thread: float = 0.45  # a comment opens a new thread
    reply_latest: float = 0.35  # a reply answers the thread's latest comment (else a random one)
    max_depth: int = 8
    quotes_comment: float = 0.05  # share of comment sentences that quote someone
    quotes_article: float = 0.15
    empty: float = 0.005  # comments with no text
    article_words: float = 500.0  # words per article, lognormal (sigma 0.5)

    def __post_init__(self) -> None:
        for name in ("comments_median", "words_median", "sentence_words", "paragraph_sentences"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Shape.{name} must be positive, got {getattr(self, name)!r}")
        for name in ("uncommented", "new_thread", "reply_latest", "quotes_comment", "quotes_article", "empty"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"Shape.{name} must be in [0, 1], got {getattr(self, name)!r}")


@dataclass(frozen=True)
class SynthStats:
    """What :func:`generate` wrote."""

    path: Path
    files: int
    articles: int
    comments: int
    bytes: int


# ---- vocabulary ------------------------------------------------------------------------------------------

FILLER = (
    "the a and of to in is it that this was for on are with as be at by have from or one had what all were when "
    "we there can an your which their if do will each about how up out them then she many some these would "
    "other into has more her two like him see time could make than first been its who now people my made over "
    "did down only way find use may long little after words called just where most know get through back much "
    "go new write our me man too any day same right look think also around another came come work three word "
    "must because does part even place well such here take why things help put years different away again off "
    "went old number tell men say small every found still between name should home big give air line set own "
    "under read last us left end along while might next below saw something thought both few those always "
    "looked show large often together asked house world going want important until form keep children land "
    "side once life enough took sometimes four head above began almost live got need far hand high year mother "
    "night following being second soon times since days ever paper near better across during today others "
    "sure means knew try told young ways thing whole hear example heard several change answer room against top "
    "turned learn point city toward five using himself usually government country border region village "
    "president minister election history question policy law state nation border road"
).split()
NEGATIONS = ("not", "never", "no", "nothing", "without", "don’t", "doesn’t", "isn’t", "won’t", "can’t", "didn’t",
             "wouldn’t", "aren’t", "don't", "isn't", "nor", "hardly", "rarely")
BOOSTERS = ("very", "extremely", "really", "so", "totally", "absolutely", "incredibly", "deeply", "barely",
            "slightly", "somewhat", "kind of", "sort of", "most", "more", "hugely", "utterly", "least", "at least")
CONTRACTIONS = ("it’s", "that’s", "they’re", "we’re", "I’m", "you’re", "Armenia’s", "Russia’s", "Turkey’s",
                "people’s", "I’ve", "there’s", "let’s", "Putin’s", "it's", "that's")
OTHER_SCRIPTS = ("Հայաստան", "Արցախ", "ախպեր", "Россия", "Москва", "братья", "Azərbaycan", "şəhid", "Qarabağ",
                 "güneş")
EMOJI = ("👍", "😡", "🙏", "😂", "🇦🇲", "😢")
IDIOMS = ("yeah right", "the bomb", "kiss of death", "without doubt", "no doubt", "the shit")
SPEAKERS = ("Putin", "Aliyev", "Pashinyan", "Erdogan", "Lavrov", "President Putin", "Sarkisian", "he", "the minister")
TITLE_WORDS = ("Russia", "Artsakh", "Karabakh", "Turkey", "Azerbaijan", "Armenia", "Peace", "War", "Talks",
               "Kremlin", "Diaspora", "Ceasefire", "Future", "Crisis", "Border", "Moscow", "Why", "What", "How")
OUTLETS = ("Asbarez", "Asbarez (editorial)", "Asbarez (opinion)", "Armenian Weekly", "Hetq")

def _fill_pattern(pattern: str, variant: int) -> str:
    """A surface form of a lexicon entry: wildcards get an ending, gaps get 0-2 words."""
    endings = ("", "s", "ed", "ing", "al", "ly")
    fillers = ("", "some", "our old")
    words = []
    for token in pattern.split():
        if token in ("...", "…"):
            words.append(fillers[variant % len(fillers)])
        elif token.endswith("*"):
            words.append(token.rstrip("*") + endings[(variant + len(words)) % len(endings)])
        else:
            words.append(token)
    return " ".join(w for w in words if w)


@dataclass(frozen=True)
class _Vocab:
    words: np.ndarray  # object arrays: every token followed by a space,
    caps: np.ndarray  # the same with the first letter upper-cased,
    bare: np.ndarray  # every token alone,
    caps_bare: np.ndarray  # and upper-cased
    group_cdf: np.ndarray  # a token's group (filler, VADER words, ...) is drawn by weight,
    group_start: np.ndarray  # then a word uniformly within the group
    group_size: np.ndarray

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        u = rng.random((2, n))
        group = np.searchsorted(self.group_cdf, u[0], side="right")
        return self.group_start[group] + (u[1] * self.group_size[group]).astype(np.int64)


@cache
def _vocab() -> _Vocab:
    from discourse.scoring.lexicon import load_lexicon
    from discourse.sentiment import reference

    vader = sorted({line.split("\t", 1)[0] for line in reference.lexicon_text().splitlines() if line}
                   - set(FILLER))
    vader = [w for w in vader if w.isalpha() and w.islower() and len(w) > 2]
    lexicon = load_lexicon()
    topics = [_fill_pattern(e.pattern, k) for t in lexicon.topics for e in t.entries for k in range(3)]
    actors = [_fill_pattern(e.pattern, 0) for a in lexicon.actors for e in a.aliases]
    groups: list[tuple[Sequence[str], float]] = [
        (FILLER, 0.76), (vader, 0.05), (sorted(set(topics)), 0.035), (actors, 0.035), (NEGATIONS, 0.025),
        (BOOSTERS, 0.025), (("but",), 0.008), (CONTRACTIONS, 0.02), (("—",), 0.006),
        (tuple(str(y) for y in (1915, 1988, 1994, 2016, 2020, 3, 40, 100, 5000)), 0.008),
        (OTHER_SCRIPTS, 0.004), (EMOJI, 0.002), (IDIOMS, 0.002),
    ]
    bare: list[str] = []
    for words, _ in groups:
        bare.extend(words)
    weights = np.asarray([w for _, w in groups])
    return _Vocab(
        words=np.asarray([w + " " for w in bare], dtype=object),
        caps=np.asarray([w[:1].upper() + w[1:] + " " for w in bare], dtype=object),
        bare=np.asarray(bare, dtype=object), caps_bare=np.asarray([w[:1].upper() + w[1:] for w in bare], dtype=object),
        group_cdf=np.cumsum(weights) / weights.sum(),
        group_start=np.cumsum([0] + [len(w) for w, _ in groups[:-1]]),
        group_size=np.asarray([len(w) for w, _ in groups]))


# ---- texts -----------------------------------------------------------------------------------------------

_ENDS = np.asarray([".", ".", ".", ".", ".", ".", "!", "?", "?", "...", "…", "?!", "!!!"], dtype=object)
# quote styles: (prefix before the first word, closing that replaces the sentence's end punctuation)
_QUOTE_STYLES = (
    ("{s} said: “", ".”"),
    ("“", ",” {s} said."),
    ("{s} stated: \"", ".\""),
    ("According to {s}, “", ".”"),
    ("“", "?” {s} asked."),
)
_SEPS = np.asarray([" ", "\n\n", "\n", ""], dtype=object)


def _texts(rng: np.random.Generator, lengths: np.ndarray, shape: Shape, quotes: float) -> list[str]:
    """One text per entry of ``lengths`` (in tokens; 0 gives an empty text)."""
    v = _vocab()
    total = int(lengths.sum())
    if total == 0:
        return [""] * len(lengths)
    ids = v.draw(rng, total)
    offsets = np.cumsum(lengths) - lengths
    nonempty = lengths > 0
    first = np.zeros(total, dtype=bool)
    last = np.zeros(total, dtype=bool)
    first[offsets[nonempty]] = True
    last[(offsets + lengths - 1)[nonempty]] = True
    end = (rng.random(total) < 1.0 / shape.sentence_words) | last
    start = np.empty_like(end)
    start[0] = True
    start[1:] = end[:-1]
    start |= first
    tokens = v.words[ids]
    tokens[start] = v.caps[ids[start]]

    # sentence ends: punctuation, then a space, a paragraph break, a line break or (last) nothing
    start_idx = np.flatnonzero(start)
    end_idx = np.flatnonzero(end)
    n_sent = len(start_idx)
    u = rng.random((n_sent, 3))
    sep = np.where(last[end_idx], 3, np.where(u[:, 1] < 1.0 / shape.paragraph_sentences, 1,
                                              np.where(u[:, 1] > 0.985, 2, 0)))
    words = np.where(start[end_idx], v.caps_bare[ids[end_idx]], v.bare[ids[end_idx]])
    tokens[end_idx] = words + _ENDS[(u[:, 2] * len(_ENDS)).astype(np.int64)] + _SEPS[sep]

    # quoted speech: a few sentences get an attribution and quote marks
    quoted = np.flatnonzero(u[:, 0] < quotes)
    if len(quoted):
        style = rng.integers(0, len(_QUOTE_STYLES), len(quoted)).tolist()
        speaker = rng.integers(0, len(SPEAKERS), len(quoted)).tolist()
        seps = _SEPS[sep[quoted]].tolist()
        for k, st, sp, gap in zip(quoted.tolist(), style, speaker, seps):
            a, b = int(start_idx[k]), int(end_idx[k])
            prefix, close = _QUOTE_STYLES[st]
            who = SPEAKERS[sp]
            word = (v.caps_bare if a == b else v.bare)[ids[b]]
            tokens[b] = word + close.format(s=who) + gap
            tokens[a] = prefix.format(s=who[:1].upper() + who[1:]) + (tokens[b] if a == b else tokens[a])

    # scare quotes around a few single words inside sentences
    inner = np.flatnonzero(~start & ~end & (rng.random(total) < 0.003))
    if len(inner):
        tokens[inner] = "“" + v.bare[ids[inner]] + "” "

    flat = tokens.tolist()
    out = []
    pos = 0
    for n in lengths.tolist():
        out.append("".join(flat[pos:pos + n]))
        pos += n
    return out


def sample_texts(n: int, words: int, *, seed: int = 0, shape: Shape = Shape()) -> list[str]:
    """``n`` comment texts of about ``words`` words each, drawn like the corpus (for length curves)."""
    rng = np.random.default_rng([seed, 7])
    return _texts(rng, np.full(n, words, dtype=np.int64), shape, shape.quotes_comment)


# ---- trees -----------------------------------------------------------------------------------------------

def _tree(rng: np.random.Generator, n: int, shape: Shape) -> list[int]:
    """Depths of ``n`` comments in display order (depth-first, replies in posting order)."""
    if n == 0:
        return []
    u = rng.random((n, 4)).tolist()
    parent = [-1] * n
    depth = [0] * n
    thread = [0] * n
    members: dict[int, list[int]] = {}
    for k in range(n):
        r_new, r_pick, r_latest, r_member = u[k]
        if k == 0 or r_new < shape.new_thread:
            thread[k] = k
            members[k] = [k]
            continue
        joined = thread[int(r_pick * k)]  # the thread of a uniform earlier comment: threads chosen by size
        group = members[joined]
        p = group[-1] if r_latest < shape.reply_latest else group[int(r_member * len(group))]
        while depth[p] >= shape.max_depth:
            p = parent[p]
        parent[k], depth[k], thread[k] = p, depth[p] + 1, joined
        group.append(k)
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for k in range(n):
        (roots if parent[k] < 0 else children.setdefault(parent[k], [])).append(k)
    out: list[int] = []
    stack = roots[::-1]
    while stack:
        k = stack.pop()
        out.append(depth[k])
        stack.extend(reversed(children.get(k, ())))
    return out


# ---- the corpus ------------------------------------------------------------------------------------------

#: (first names, surnames) by script; a name is drawn from one group
NAMES = (
    (("Tavit", "Vache", "Armen", "Harutik", "vartan", "jOE", "Albertino", "Ani", "Gor", "Lilit", "Narek", "Sona",
      "Arn.Sweden.", "Vindicated Man", "GB", "Hagop", "Raffi", "Nairi", "Karine", "Sevak", "Tigran", "Mariam"),
     ("", "", "", "Sarkissian", "Petrosyan", "K.", "from LA", "Glendale", "1965", "_am", "Yerevan")),
    (("Արամ", "Անի", "Սերժ", "Լուսինե", "Գևորգ", "Նարինե", "Հայկ", "Մհեր"), ("", "", "Սարգսյան", "Պետրոսյան", "Ա.")),
    (("Дмитрий", "Ольга", "Сергей", "Наталья", "Андрей", "Ирина", "Владимир", "Ашот"),
     ("", "", "Иванов", "Петрова", "Саркисян", "из Москвы")),
    (("Əli", "Şəhla", "Gülnarə", "İlham", "Çağrı", "Rəşad", "Günay", "Ağasəf", "Ömer", "Şükrü", "Ayşe", "Gökhan"),
     ("", "", "Məmmədov", "Əliyeva", "Yılmaz", "Öztürk", "Bakı", "1990")),
    (("Guest", "Anonymous"), ("",)),
)
_NAME_GROUP_WEIGHTS = (0.55, 0.15, 0.12, 0.15, 0.03)


def thread_comments(rng: np.random.Generator, n: int, shape: Shape, pool: tuple[str, ...],
                    activity: np.ndarray) -> tuple[list[int], list[str], list[str]]:
    """One thread's ``n`` comments: their depths in display order, texts and author names (drawn from
    ``pool`` by ``activity``), in the order the random numbers are drawn for every corpus."""
    depths = _tree(rng, n, shape)
    lengths = np.clip(np.rint(rng.lognormal(math.log(shape.words_median), shape.words_sigma, n)), 1,
                      shape.words_max).astype(np.int64)
    lengths[rng.random(n) < shape.empty] = 0
    texts = _texts(rng, lengths, shape, shape.quotes_comment)
    names = [pool[i] for i in np.searchsorted(activity, rng.random(n), side="right").tolist()]
    return depths, texts, names


@cache
def _authors(seed: int, n: int) -> tuple[tuple[str, ...], np.ndarray]:
    """A pool of ``n`` distinct display names and their Zipf-like activity weights (cumulative)."""
    rng = np.random.default_rng([seed, 1])
    names: list[str] = []
    seen: set[str] = set()
    groups = rng.choice(len(NAMES), size=n, p=_NAME_GROUP_WEIGHTS).tolist()
    picks = rng.random((n, 2)).tolist()
    for g, (r1, r2) in zip(groups, picks):
        firsts, lasts = NAMES[g]
        first, last = firsts[int(r1 * len(firsts))], lasts[int(r2 * len(lasts))]
        name = first if not last else first + last if last.startswith("_") else f"{first} {last}"
        if name in seen:
            name = f"{name} {len(names)}"
        seen.add(name)
        names.append(name)
    weights = 1.0 / np.arange(1, n + 1) ** 1.1
    return tuple(names), np.cumsum(weights) / weights.sum()


def _sizes(rng: np.random.Generator, comments: int, shape: Shape) -> list[int]:
    """Comments per article, summing to ``comments`` exactly."""
    sizes: list[int] = []
    total = 0
    while total < comments:
        draw = rng.lognormal(math.log(shape.comments_median), shape.comments_sigma, 1024)
        none = rng.random(1024) < shape.uncommented
        for size, empty in zip(np.clip(np.rint(draw), 1, shape.comments_max).astype(int).tolist(), none.tolist()):
            size = 0 if empty else min(size, comments - total)
            sizes.append(size)
            total += size
            if total >= comments:
                break
    return sizes


def _title(rng: np.random.Generator) -> str:
    words = [TITLE_WORDS[i] for i in rng.integers(0, len(TITLE_WORDS), 3).tolist()]
    fill = [FILLER[i].capitalize() for i in rng.integers(0, len(FILLER), 4).tolist()]
    return f"{words[0]} {fill[0]} {fill[1]} {words[1]}: {fill[2]} {words[2]} {fill[3]}?"


#: articles per block; each block draws from its own random stream, so files do not depend on ``workers``
BLOCK = 50


def generate(out: str | Path, comments: int, *, seed: int = 0, shape: Shape = Shape(), workers: int = 1,
             overwrite: bool = True) -> SynthStats:
    """Write a synthetic corpus of exactly ``comments`` comments into the folder ``out``.

    Pages are ``<out>/<k>.txt`` (numbered from 0) with a ``manifest.csv``; an existing folder is replaced
    when ``overwrite``. The same seed gives byte-identical files, whatever ``workers`` (processes) is.
    """
    if comments < 0:
        raise ValueError(f"comments must be >= 0, got {comments}")
    out = Path(out)
    if out.exists():
        if not overwrite:
            raise FileExistsError(out)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = np.random.default_rng([seed, 0])
    sizes = _sizes(rng, comments, shape)
    day0 = dt.date(2016, 1, 1)
    days = np.sort(rng.integers(0, (dt.date(2023, 12, 31) - day0).days, len(sizes))).tolist()
    width = max(3, len(str(len(sizes) - 1)))
    authors = max(50, comments // 20)
    jobs = [(out, seed, shape, authors, width, k, sizes[k:k + BLOCK], days[k:k + BLOCK])
            for k in range(0, len(sizes), BLOCK)]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_block, jobs, chunksize=4))
    else:
        results = [_block(job) for job in jobs]
    manifest = io.StringIO()
    rows = csv.writer(manifest, lineterminator="\n")
    rows.writerow(("file", "id", "title", "outlet", "url", "published", "date_estimated", "date_basis"))
    written = 0
    for block_rows, block_bytes in results:
        rows.writerows(block_rows)
        written += block_bytes
    data = manifest.getvalue().encode("utf-8")
    (out / "manifest.csv").write_bytes(data)
    return SynthStats(out, len(sizes) + 1, len(sizes), comments, written + len(data))


def _block(job: tuple) -> tuple[list[tuple[str, str, str, str, str, str, str, str]], int]:
    """Write the pages of one block of articles; their manifest rows and the bytes written."""
    out, seed, shape, authors, width, first, sizes, days = job
    rng = np.random.default_rng([seed, 2, first])
    article_shape = replace(shape, paragraph_sentences=3.0)  # article paragraphs: 3 sentences, no hard breaks
    pool, activity = _authors(seed, authors)
    day0 = dt.date(2016, 1, 1)
    rows = []
    written = 0
    for k, n, day in zip(range(first, first + len(sizes)), sizes, days):
        title = _title(rng)
        words = np.clip(np.rint(rng.lognormal(math.log(shape.article_words), 0.5, 1)), 40, 5_000).astype(np.int64)
        body = _texts(rng, words, article_shape, shape.quotes_article)[0]
        paragraphs = [p.replace("\n", " ") for p in body.split("\n\n")]
        captions = (_texts(rng, np.asarray([12]), shape, 0.0)[0].replace("\n", " "),) if rng.random() < 0.5 else ()
        depths, texts, names = thread_comments(rng, n, shape, pool, activity)
        page = render(title, paragraphs, list(zip(depths, names, texts)), captions=captions)
        name = f"{k:0{width}d}.txt"
        data = page.encode("utf-8")
        (out / name).write_bytes(data)
        written += len(data)
        estimated = k % 11 == 0
        rows.append((name, f"a{k:0{width}d}", title, OUTLETS[k % len(OUTLETS)], f"https://example.org/{k}",
                     (day0 + dt.timedelta(days=day)).isoformat(), "true" if estimated else "false",
                     "estimated from neighbouring articles" if estimated else ""))
    return rows, written
