"""Topic and actor lexicons: the data model, loading from TOML, one-regex compilation, and matching.

A lexicon maps *topics* (betrayal, concessions, ...) and *actors* (Russia, Turkey, ...) to entries: words,
multi-word phrases and suffix wildcards. The whole lexicon is compiled into one scanning regex, so a text is
read once whatever the number of entries. The file format is described in ``docs/lexicon.md``.

>>> lex = load_lexicon()
>>> [(h.label, h.matched) for h in match_text("Compromise is not treason", lex) if h.kind == "topic"]
[('concessions', 'Compromise'), ('betrayal', 'treason')]
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from discourse import schema
from discourse.errors import ConfigError, LexiconError
from discourse.native import enabled

if TYPE_CHECKING:
    from discourse.scoring.quotes import Quote

try:
    import discourse.scoring._scan as _scan
except ImportError:  # built without a C compiler: the scanner regex finds the same matches
    _scan = None

__all__ = [
    "CASE_RULES", "DEFAULT_WINDOW", "ENTRY_FORMS", "QUOTATION_RULES", "EVIDENCE_SCHEMA", "FORMAT_VERSION", "GAP_WORDS", "KINDS", "MODES",
    "NEGATION_WINDOW", "NEGATORS", "TAGS_SCHEMA",
    "Actor", "CompiledLexicon", "Entry", "Hit", "Implication", "Lexicon", "Topic", "word_forms",
    "compile_lexicon", "lexicon_from_data", "load_lexicon", "match_text", "match_units", "negator_before",
    "parse_lexicon_toml", "pattern_problem", "tag_units",
]

CASE_RULES = ("insensitive", "sensitive")
#: how a topic counts hits inside quotation marks: all, all but those in scare quotes, none in any quotation
QUOTATION_RULES = ("count", "scare", "quoted")
#: words either side of a hit searched for its context words (``only_near``, ``unless_near``, ``near``)
DEFAULT_WINDOW = 6
ENTRY_FORMS = ("word", "phrase", "wildcard")
KINDS = ("topic", "actor", "ignore")
MODES = ("extend", "replace")
FORMAT_VERSION = 1
#: ``...`` between two words of a phrase stands for 0 to GAP_WORDS intervening words.
GAP_WORDS = 3
#: A negator counts when it is one of the NEGATION_WINDOW tokens before a hit, in the same clause.
NEGATION_WINDOW = 3
NEGATORS = frozenset({
    "not", "no", "never", "nor", "neither", "without", "cannot", "none", "nobody", "nothing", "nowhere",
})

EVIDENCE_SCHEMA = schema.EVIDENCE.schema
TAGS_SCHEMA = schema.UNIT_TAGS.schema

_TOP_KEYS = ("format", "name", "description", "mode", "ignore", "topics", "actors")
_TOPIC_KEYS = ("label", "description", "negation", "quotation", "only_near", "unless_near", "window", "implied_by",
               "entries")
_ACTOR_KEYS = ("label", "description", "implies", "aliases")
_ENTRY_KEYS = ("pattern", "case", "note", "only_near", "unless_near", "window")
_IMPLIED_BY_KEYS = ("actors", "near", "unless_near", "window")
_IMPLIES_KEYS = ("topic", "near", "unless_near", "window")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_REGEX_SYNTAX = frozenset("\\^$|()[]{}+?")
_FORMS_MARK = "+"  # at the end of a word: its inflections (give+ : give, gives, gave, given, giving)
_PATTERN_HINT = ("patterns are literal text, not regular expressions: end a word with * for any ending "
                 "(betray*), put ... between words for a gap of up to 3 words (give back ... land)")
_APOSTROPHES = "'’"
_HYPHENS = "-‐‑"


# --------------------------------------------------------------------------------------------------- model

def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Return ``(problem, remedy)`` when ``pattern`` is not a valid lexicon pattern, else None."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "empty pattern", "write at least one word, or delete the entry"
    if ".*" in pattern:
        return f"pattern {pattern!r} uses the regex '.*'", "write a wildcard as a trailing * (betray*)"
    bad = sorted(_REGEX_SYNTAX.intersection(_strip_forms_marks(pattern)))
    if bad:
        return f"pattern {pattern!r} contains regex syntax {' '.join(bad)!r}", _PATTERN_HINT
    tokens = pattern.split()
    for i, token in enumerate(tokens):
        if token in ("...", "…"):
            if i == 0 or i == len(tokens) - 1 or tokens[i - 1] in ("...", "…"):
                return (f"pattern {pattern!r}: '...' must stand between two words",
                        "write the gap as: first words ... last word")
            continue
        if token.endswith(_FORMS_MARK):
            stem = token[:-1]
            if "*" in stem or not re.fullmatch(r"[^\W\d_]+(?:[\-‐‑][^\W\d_]+)*", stem) or len(stem) < 2:
                return (f"pattern {pattern!r}: '+' (word forms) must end a word of letters of at least two",
                        "write give+ for give, gives, gave, given, giving; not with * or digits")
            continue
        if "**" in token:
            return f"pattern {pattern!r} has a double wildcard '**'", "use a single trailing *"
        if "*" in token:
            stem = token.replace("*", "")
            if not stem:
                return (f"pattern {pattern!r} is a bare wildcard '*' that would match every word",
                        "give the wildcard a stem of at least two letters (concession*)")
            if len(re.findall(r"\w", stem)) < 2:
                return (f"pattern {pattern!r} has a wildcard stem shorter than two letters",
                        "lengthen the stem, a one-letter stem matches far too much")
        # a hyphen right before a final * is literal (fair-*: fair-minded, fair-play), as in LIWC dictionaries
        if token[0] in _HYPHENS or (token.rstrip("*")[-1] in _HYPHENS and not token.endswith("*")):
            return (f"pattern {pattern!r} has a hyphen at the edge of a word",
                    "a hyphen joins two parts of one word (cease-fire)")
    if not re.search(r"\w", pattern):
        return f"pattern {pattern!r} has no letter or digit", "a pattern must contain a word"
    return None


def _strip_forms_marks(pattern: str) -> str:
    """``pattern`` without the word-forms marks that end its words (``give+ up`` -> ``give up``)."""
    return " ".join(t[:-1] if t.endswith(_FORMS_MARK) and len(t) > 1 else t for t in pattern.split())


def _form_of(pattern: str) -> str:
    if len(pattern.split()) > 1:
        return "phrase"
    return "wildcard" if "*" in pattern else "word"


@dataclass(frozen=True)
class Entry:
    """One lexicon pattern of a topic or an actor.

    ``pattern`` is literal text with three extras: a trailing ``*`` (any word ending), ``...`` between words
    (a gap of up to ``GAP_WORDS`` words) and a hyphen, which also matches a space or nothing.
    """

    pattern: str
    label: str
    kind: str = "topic"
    case: str = "insensitive"
    note: str = ""
    only_near: tuple[str, ...] = ()
    unless_near: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LexiconError(f"entry {self.pattern!r}: unknown kind {self.kind!r}",
                               hint=f"valid kinds: {', '.join(KINDS)}")
        if self.case not in CASE_RULES:
            raise LexiconError(f"entry {self.pattern!r} of {self.label!r}: unknown case rule {self.case!r}",
                               hint=f"valid case rules: {', '.join(CASE_RULES)}")
        problem = pattern_problem(self.pattern)
        if problem:
            raise LexiconError(f"{self.kind} {self.label!r}: {problem[0]}", hint=problem[1])
        object.__setattr__(self, "pattern", " ".join(self.pattern.split()))
        for key in ("only_near", "unless_near"):
            words = _context_words(getattr(self, key), f"{self.kind} {self.label!r}: entry {self.pattern!r}: {key}")
            object.__setattr__(self, key, words)
        if (self.only_near or self.unless_near) and self.kind != "topic":
            raise LexiconError(f"{self.kind} {self.label!r}: entry {self.pattern!r} has context words",
                               hint="only_near and unless_near apply to topic entries")
        _check_window(self.window, f"{self.kind} {self.label!r}: entry {self.pattern!r}")

    @property
    def has_context(self) -> bool:
        """Whether the entry counts only near some words or not near others."""
        return bool(self.only_near or self.unless_near)

    @property
    def form(self) -> str:
        """``word``, ``phrase`` (several words, possibly with wildcards or gaps) or ``wildcard``."""
        return _form_of(self.pattern)


def _context_words(words: Any, who: str) -> tuple[str, ...]:
    """Validated context patterns (same syntax as entries), whitespace normalised."""
    if isinstance(words, str) or not isinstance(words, Iterable):
        raise LexiconError(f"{who} must be a list of words", hint='write ["word", "other*"]')
    out: list[str] = []
    for word in words:
        problem = pattern_problem(word)
        if problem:
            raise LexiconError(f"{who}: {problem[0]}", hint=problem[1])
        out.append(" ".join(word.split()))
    return tuple(out)


def _check_window(window: Any, who: str) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 50:
        raise LexiconError(f"{who}: window must be a whole number of words from 1 to 50, got {window!r}",
                           hint=f"the default is {DEFAULT_WINDOW} words either side")


@dataclass(frozen=True)
class Implication:
    """A topic implied by actor mentions: a mention of one of ``actors`` tags ``topic`` when one of the
    ``near`` patterns is within ``window`` words of it (with ``near`` empty, the mention alone does), unless one
    of the ``unless_near`` patterns is within ``window`` words of it too.

    Great powers named as allies, patrons or rivals ("Russia is our only protector") raise
    alliances and geopolitics although no topic entry matches; a bare mention does not, hence ``near``.
    Two great powers named together are great-power politics, except where the comment speaks of the past
    ("the French and the British were at war with the Ottomans in 1914"), hence ``unless_near``.
    """

    topic: str
    actors: tuple[str, ...]
    near: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW
    unless_near: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        who = f"implication of topic {self.topic!r}"
        if isinstance(self.actors, str) or not self.actors or not all(isinstance(a, str) for a in self.actors):
            raise LexiconError(f"{who}: actors must be a non-empty list of actor names",
                               hint='write actors = ["russia", "turkey"]')
        object.__setattr__(self, "actors", tuple(self.actors))
        object.__setattr__(self, "near", _context_words(self.near, f"{who}: near"))
        object.__setattr__(self, "unless_near", _context_words(self.unless_near, f"{who}: unless_near"))
        _check_window(self.window, who)

    def canonical(self) -> dict[str, Any]:
        # unless_near only where set: lexicons without it keep their hash
        out = {"topic": self.topic, "actors": list(self.actors), "near": list(self.near), "window": self.window}
        if self.unless_near:
            out["unless_near"] = list(self.unless_near)
        return out


def _own_entries(owner: str, kind: str, items: Iterable[Entry | str]) -> tuple[Entry, ...]:
    out: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        entry = Entry(item, label=owner, kind=kind) if isinstance(item, str) else item
        if not isinstance(entry, Entry):
            raise LexiconError(f"{kind} {owner!r}: entries must be Entry objects or strings, got {item!r}")
        if entry.label != owner or entry.kind != kind:
            raise LexiconError(f"{kind} {owner!r}: entry {entry.pattern!r} belongs to "
                               f"{entry.kind} {entry.label!r}", hint="build the entry with this owner's name")
        key = (entry.pattern, entry.case)
        if key in seen:
            raise LexiconError(f"{kind} {owner!r}: duplicate entry {entry.pattern!r}", hint="delete one of them")
        seen.add(key)
        out.append(entry)
    return tuple(out)


def _check_name(kind: str, name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise LexiconError(f"invalid {kind} name {name!r}",
                           hint="use letters, digits, '_', '.' or '-', starting with a letter or digit")


@dataclass(frozen=True)
class Topic:
    """A topic: a name (the tag), a human label, a description and its entries.

    ``negation=True`` (the default) means a negated hit ("is not treason") does not tag the topic.
    """

    name: str
    entries: tuple[Entry, ...] = ()
    label: str = ""
    description: str = ""
    negation: bool = True
    quotation: str = "count"
    implied_by: tuple[Implication, ...] = ()
    only_near: tuple[str, ...] = ()
    unless_near: tuple[str, ...] = ()
    window: int = DEFAULT_WINDOW

    def __post_init__(self) -> None:
        _check_name("topic", self.name)
        for key in ("only_near", "unless_near"):
            object.__setattr__(self, key, _context_words(getattr(self, key), f"topic {self.name!r}: {key}"))
        _check_window(self.window, f"topic {self.name!r}")
        if not isinstance(self.negation, bool):
            raise LexiconError(f"topic {self.name!r}: negation must be true or false, got {self.negation!r}")
        if self.quotation not in QUOTATION_RULES:
            raise LexiconError(f"topic {self.name!r}: unknown quotation rule {self.quotation!r}",
                               hint=f"valid quotation rules: {', '.join(QUOTATION_RULES)}")
        object.__setattr__(self, "label", self.label or self.name)
        object.__setattr__(self, "entries", _own_entries(self.name, "topic", self.entries))
        object.__setattr__(self, "implied_by", tuple(self.implied_by))
        for imp in self.implied_by:
            if not isinstance(imp, Implication) or imp.topic != self.name:
                raise LexiconError(f"topic {self.name!r}: implied_by holds {imp!r}",
                                   hint="build each implication with this topic's name")


@dataclass(frozen=True)
class Actor:
    """An actor (a state, a leader, an organisation) and the aliases that name it."""

    name: str
    aliases: tuple[Entry, ...] = ()
    label: str = ""
    description: str = ""
    implies: tuple[Implication, ...] = ()

    def __post_init__(self) -> None:
        _check_name("actor", self.name)
        object.__setattr__(self, "label", self.label or self.name)
        object.__setattr__(self, "aliases", _own_entries(self.name, "actor", self.aliases))
        object.__setattr__(self, "implies", tuple(self.implies))
        for imp in self.implies:
            if not isinstance(imp, Implication) or imp.actors != (self.name,):
                raise LexiconError(f"actor {self.name!r}: implies holds {imp!r}",
                                   hint="build each implication with actors=(this actor's name,)")


@dataclass(frozen=True)
class Lexicon:
    """Topics and actors. Immutable; ``compile_lexicon`` caches its compiled form on the instance.

    ``ignore`` holds phrases that contain entries but are no hit (an outlet named after a city, "The Moscow
    Post"; a place named after a direction, "West Bank"): the scanner reads each as one match, the longest
    at its position, so nothing inside it is tagged.
    """

    topics: tuple[Topic, ...] = ()
    actors: tuple[Actor, ...] = ()
    name: str = "lexicon"
    description: str = ""
    source: str = field(default="", compare=False)
    ignore: tuple[Entry, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics", tuple(self.topics))
        object.__setattr__(self, "actors", tuple(self.actors))
        object.__setattr__(self, "ignore", _own_entries("ignore", "ignore", self.ignore))
        for kind, items in (("topic", self.topics), ("actor", self.actors)):
            seen: dict[str, str] = {}
            for item in items:
                key = item.name.casefold()
                if key in seen:
                    raise LexiconError(f"duplicate {kind} {item.name!r} (also defined as {seen[key]!r})",
                                       path=self.source or None, hint=f"merge the two {kind}s into one")
                seen[key] = item.name
        topics = {t.name for t in self.topics}
        actors = {a.name for a in self.actors}
        for imp in self.implications:
            if imp.topic not in topics:
                raise LexiconError(f"an implication names the unknown topic {imp.topic!r}", path=self.source or None,
                                   hint=f"topics: {', '.join(sorted(topics))}")
            unknown = [a for a in imp.actors if a not in actors]
            if unknown:
                raise LexiconError(f"topic {imp.topic!r} is implied by the unknown actor {unknown[0]!r}",
                                   path=self.source or None, hint=f"actors: {', '.join(sorted(actors))}")

    @property
    def implications(self) -> tuple[Implication, ...]:
        """Every topic implied by actors: the topics' ``implied_by``, then the actors' ``implies``."""
        return (tuple(i for t in self.topics for i in t.implied_by)
                + tuple(i for a in self.actors for i in a.implies))

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry: topic entries first, then actor aliases, in file order."""
        return (tuple(e for t in self.topics for e in t.entries)
                + tuple(e for a in self.actors for e in a.aliases))

    def topic(self, name: str) -> Topic:
        """The topic called ``name``; KeyError lists the names that exist."""
        for t in self.topics:
            if t.name == name:
                return t
        raise KeyError(f"no topic {name!r}; topics: {', '.join(t.name for t in self.topics)}")

    def actor(self, name: str) -> Actor:
        """The actor called ``name``; KeyError lists the names that exist."""
        for a in self.actors:
            if a.name == name:
                return a
        raise KeyError(f"no actor {name!r}; actors: {', '.join(a.name for a in self.actors)}")

    def canonical(self) -> dict[str, Any]:
        """The content as plain data (no source path, no comments): the basis of ``sha256``."""
        # Keys of rules are present only where a rule is set: lexicons without rules keep their hash.
        def entry(e: Entry) -> dict[str, Any]:
            out: dict[str, Any] = {"pattern": e.pattern, "case": e.case, "note": e.note}
            if e.has_context:
                out.update(only_near=list(e.only_near), unless_near=list(e.unless_near), window=e.window)
            return out

        def topic(t: Topic) -> dict[str, Any]:
            out = {"name": t.name, "label": t.label, "description": t.description,
                   "negation": t.negation, "entries": [entry(e) for e in t.entries]}
            if t.quotation != "count":
                out["quotation"] = t.quotation
            if t.only_near or t.unless_near:
                out.update(only_near=list(t.only_near), unless_near=list(t.unless_near), window=t.window)
            if t.implied_by:
                out["implied_by"] = [i.canonical() for i in t.implied_by]
            return out

        def actor(a: Actor) -> dict[str, Any]:
            out = {"name": a.name, "label": a.label, "description": a.description,
                   "aliases": [entry(e) for e in a.aliases]}
            if a.implies:
                out["implies"] = [i.canonical() for i in a.implies]
            return out

        out: dict[str, Any] = {
            "format": FORMAT_VERSION, "name": self.name, "description": self.description,
            "topics": [topic(t) for t in self.topics], "actors": [actor(a) for a in self.actors],
        }
        if self.ignore:  # absent when empty: lexicons without it keep the hash they had before it existed
            out["ignore"] = [entry(e) for e in self.ignore]
        return out

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the canonical content: equal lexicons have equal hashes, whatever the file layout."""
        blob = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    @cached_property
    def _compiled(self) -> CompiledLexicon:
        return CompiledLexicon(self)

    def __getstate__(self) -> dict[str, Any]:
        # the compiled form is built again where the lexicon is unpickled (in each worker process)
        state = dict(self.__dict__)
        state.pop("_compiled", None)
        return state


# ------------------------------------------------------------------------------------------------- loading

def load_lexicon(path: str | Path | None = None, *, extend: bool | None = None) -> Lexicon:
    """Load the packaged default lexicon (``path=None``) or a user TOML file.

    A user file extends the default or replaces it. ``extend=None`` follows the file's ``mode`` key
    (``"extend"`` when absent); ``extend=True``/``False`` overrides the file. Raises ``LexiconError``.
    """
    if path is None:
        return _default_lexicon()
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")  # a byte order mark is not part of the text
    except (OSError, UnicodeDecodeError) as err:
        raise LexiconError(f"cannot read lexicon: {err}", path=path,
                           hint="give the path of a UTF-8 TOML lexicon file") from err
    data = parse_lexicon_toml(raw, source=str(path))
    mode = data.get("mode", "extend")
    if extend is not None:
        mode = "extend" if extend else "replace"
    user = lexicon_from_data(data, source=str(path), raw=raw)
    if mode == "replace":
        return user
    default_data = parse_lexicon_toml(_default_text(), source=_DEFAULT_SOURCE)
    merged = lexicon_from_data(_merge_data(default_data, data), source=f"{_DEFAULT_SOURCE}+{path}")
    return merged


_DEFAULT_SOURCE = "discourse/data/lexicon.toml"


def _default_text() -> str:
    return resources.files("discourse").joinpath("data", "lexicon.toml").read_text(encoding="utf-8")


@cache
def _default_lexicon() -> Lexicon:
    raw = _default_text()
    return lexicon_from_data(parse_lexicon_toml(raw, source=_DEFAULT_SOURCE), source=_DEFAULT_SOURCE, raw=raw)


def parse_lexicon_toml(raw: str, *, source: str = "<string>") -> dict[str, Any]:
    """Parse TOML text; syntax errors (duplicate tables included) become ``LexiconError`` with their line.

    A byte order mark at the start (Windows editors write one) is not part of the text.
    """
    try:
        return tomllib.loads(raw.removeprefix("\ufeff"))
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion; a few hundred levels exhaust it
        raise LexiconError("invalid TOML: values nested too deeply to read", path=source,
                           line=_deepest_line(raw),
                           hint="a lexicon nests at most a list of entry tables; flatten the value") from None
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        found = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(found.group(1)) if found else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        hint = "fix the TOML syntax"
        if "twice" in msg:
            hint = "each [topics.NAME] or [actors.NAME] table may appear once; merge the duplicates"
        raise LexiconError(f"invalid TOML: {msg}", path=source, line=line, hint=hint) from err


_NESTING_TOKEN_RE = re.compile(r""""(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|[\[\]{}\n]""")


def _deepest_line(raw: str) -> int | None:
    """The line where arrays and inline tables nest deepest in TOML text (strings and comments skipped)."""
    depth, deepest, line, at = 0, 0, 1, None
    for token in _NESTING_TOKEN_RE.finditer(raw):
        char = token.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif char in "]}":
            depth = max(depth - 1, 0)
    return at


def _merge_data(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Extend ``base`` with ``extra``: new topics/actors are added, shared ones gain entries and overrides."""
    out: dict[str, Any] = {k: v for k, v in base.items() if k not in ("topics", "actors", "mode")}
    if extra.get("name"):
        out["name"] = f"{base.get('name', 'lexicon')}+{extra['name']}"
    if "ignore" in extra:
        base_ignore = base.get("ignore", [])
        have = {_entry_key(e) for e in base_ignore} if isinstance(base_ignore, list) else set()
        extra_ignore = extra["ignore"]
        out["ignore"] = (list(base_ignore) + [e for e in extra_ignore if _entry_key(e) not in have]
                         if isinstance(extra_ignore, list) else extra_ignore)  # not a list: fails validation
    for section, list_key in (("topics", "entries"), ("actors", "aliases")):
        merged: dict[str, dict[str, Any]] = {k: dict(v) for k, v in base.get(section, {}).items()}
        by_fold = {k.casefold(): k for k in merged}
        for name, table in extra.get(section, {}).items():
            target = merged.setdefault(by_fold.get(name.casefold(), name), {})
            for key, value in table.items():
                if key == list_key:
                    have = {_entry_key(e) for e in target.get(list_key, [])}
                    target[list_key] = list(target.get(list_key, [])) + [
                        e for e in value if _entry_key(e) not in have]
                else:
                    target[key] = value
        out[section] = merged
    return out


def _entry_key(item: Any) -> tuple[str, str]:
    if isinstance(item, Mapping):
        return (" ".join(str(item.get("pattern", "")).split()), str(item.get("case", "insensitive")))
    return (" ".join(str(item).split()), "insensitive")


_HEADER_RE = re.compile(r"""\s*\[\s*(topics|actors)\s*\.\s*(?:"([^"]*)"|'([^']*)'|([^\s\]"']+))\s*\]""")
_TOP_KEY_RE = re.compile(r"\s*([A-Za-z0-9_\-]+)\s*=")
_STRING_START_RE = re.compile(r"[\"'#]")
_BASIC_REST_RE = re.compile(r'(?:[^"\\]|\\.)*"')


def _line_strings(line: str) -> Iterable[str]:
    """The quoted strings of one TOML line, decoded, left to right; a comment or an unclosed quote ends them."""
    pos = 0
    while (found := _STRING_START_RE.search(line, pos)) is not None:
        quote, start = found.group(), found.end()
        if quote == "#":
            return
        if quote == "'":
            end = line.find("'", start)
            if end < 0:
                return
            yield line[start:end]
            pos = end + 1
            continue
        rest = _BASIC_REST_RE.match(line, start)
        if rest is None:
            return
        value = line[start:rest.end() - 1]
        if "\\" in value:
            try:
                value = tomllib.loads(f'v = "{value}"')["v"]
            except tomllib.TOMLDecodeError:
                pass
        yield value
        pos = rest.end()


class _Locator:
    """Finds the line of a table or an entry in the TOML text, for error messages.

    One pass over the text indexes the first line of every ``[topics.NAME]``/``[actors.NAME]`` header and
    of every top-level key, and the lines of every quoted string within each of those blocks (a block runs to the next
    line that opens with ``[``), so each look-up is a dictionary get however many entries and tables there
    are. An entry's line is the first line of its block that holds its pattern as a quoted string (a
    duplicate's, the second).
    """

    def __init__(self, raw: str | None) -> None:
        self._tables: dict[tuple[str, str], int] = {}
        self._keys: dict[str, int] = {}
        self._strings: dict[tuple[str, str], dict[str, list[int]]] = {}
        strings: dict[str, list[int]] | None = None  # the strings of the block being read -> their lines
        top = True  # before the first table
        for number, line in enumerate(raw.splitlines() if raw else [], 1):
            if line.lstrip().startswith("["):
                top, strings = False, None
                head = _HEADER_RE.match(line)
                if head is not None:
                    block = (head.group(1), next(g for g in head.groups()[1:] if g is not None))
                    if block not in self._tables:
                        self._tables[block] = number
                        strings = self._strings[block] = {}
                continue
            if top and (key := _TOP_KEY_RE.match(line)) is not None and key.group(1) not in self._keys:
                self._keys[key.group(1)] = number
                strings = self._strings[("", key.group(1))] = {}
            if strings is not None:
                for value in _line_strings(line):
                    strings.setdefault(value, []).append(number)

    def table(self, section: str, name: str) -> int | None:
        return self._tables.get((section, name))

    def key(self, name: str) -> int | None:
        """The line of a top-level ``name = ...`` (before the first table)."""
        return self._keys.get(name)

    def item(self, section: str, name: str, needle: str, nth: int = 1) -> int | None:
        """The line of the ``nth`` quoted ``needle`` in the table (or top-level key) ``name`` (of the last
        when there are fewer); the table's own line when there is none."""
        start = self.key(name) if section == "" else self.table(section, name)
        if start is None or not needle:
            return start
        lines = self._strings.get((section, name), {}).get(needle, [])
        return lines[min(nth, len(lines)) - 1] if lines else start


def lexicon_from_data(data: Mapping[str, Any], *, source: str = "<data>", raw: str | None = None) -> Lexicon:
    """Validate parsed TOML data and build a ``Lexicon``; every problem names the file, line and entry."""
    where = _Locator(raw)

    def fail(message: str, hint: str, line: int | None = None) -> LexiconError:
        return LexiconError(message, path=source, line=line, hint=hint)

    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise fail(f"unknown top-level key {unknown[0]!r}", f"valid keys: {', '.join(_TOP_KEYS)}")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        raise fail(f"unsupported lexicon format {data.get('format')!r}", f"this version reads format = {FORMAT_VERSION}")
    if data.get("mode", "extend") not in MODES:
        raise fail(f"unknown mode {data.get('mode')!r}", f"valid modes: {', '.join(MODES)}")
    for key in ("name", "description"):
        if not isinstance(data.get(key, ""), str):
            raise fail(f"{key} must be a string", f"write {key} = \"...\"")

    def entries(section: str, kind: str, owner: str, items: Any, list_key: str) -> list[Entry]:
        # section "" is the top-level ``ignore`` list
        line = where.key(owner) if section == "" else where.table(section, owner)
        who = f"{kind} {owner!r}" if section else "the ignore list"
        if not isinstance(items, list):
            raise fail(f"{who}: {list_key} must be a list", f"write {list_key} = [\"word\", ...]", line)
        out: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        for item in items:
            if isinstance(item, str):
                spec: dict[str, Any] = {"pattern": item}
            elif isinstance(item, Mapping):
                spec = dict(item)
                bad = sorted(set(spec) - set(_ENTRY_KEYS))
                if bad:
                    raise fail(f"{who}: entry {spec.get('pattern')!r} has unknown key {bad[0]!r}",
                               f"valid entry keys: {', '.join(_ENTRY_KEYS)}",
                               where.item(section, owner, str(spec.get("pattern", ""))))
                if "pattern" not in spec:
                    raise fail(f"{who}: an entry table has no pattern",
                               "write { pattern = \"word\" }", line)
            else:
                raise fail(f"{who}: entry {item!r} is neither a string nor a table",
                           "write \"word\" or { pattern = \"word\", case = \"sensitive\" }", line)
            pattern = spec["pattern"]
            at = where.item(section, owner, pattern if isinstance(pattern, str) else "")
            if not isinstance(pattern, str):
                raise fail(f"{who}: pattern {pattern!r} is not a string", "quote the pattern", at)
            case = spec.get("case", "insensitive")
            if case not in CASE_RULES:
                raise fail(f"{who}: entry {pattern!r} has unknown case rule {case!r}",
                           f"valid case rules: {', '.join(CASE_RULES)}", at)
            problem = pattern_problem(pattern)
            if problem:
                raise fail(f"{who}: {problem[0]}", problem[1], at)
            note = spec.get("note", "")
            if not isinstance(note, str):
                raise fail(f"{who}: note of {pattern!r} must be a string", "quote the note", at)
            key = (" ".join(pattern.split()), case)
            if key in seen:
                raise fail(f"{who}: duplicate entry {pattern!r}", "delete one of the two",
                           where.item(section, owner, pattern, nth=2))
            seen.add(key)
            context = {k: spec[k] for k in ("only_near", "unless_near", "window") if k in spec}
            if context and kind != "topic":
                raise fail(f"{who}: entry {pattern!r} has {next(iter(context))}",
                           "only_near, unless_near and window apply to topic entries", at)
            for k in ("only_near", "unless_near"):
                if k in context and not (isinstance(context[k], list)
                                         and all(isinstance(w, str) for w in context[k])):
                    raise fail(f"{who}: entry {pattern!r}: {k} must be a list of words",
                               f'write {k} = ["word", "other*"]', at)
            rules: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in context.items()}
            out.append(_built(lambda: Entry(pattern, label=owner, kind=kind, case=case, note=note, **rules), at))
        return out

    def _built(make: Any, line: int | None) -> Any:
        try:
            return make()
        except LexiconError as err:
            if err.path is not None:  # already names the file (and its line)
                raise
            raise fail(err.message if hasattr(err, "message") else str(err), getattr(err, "hint", None) or
                       "see docs/lexicon.md", line) from None

    def implications(owner_kind: str, owner: str, items: Any, list_key: str) -> list[Implication]:
        section = "topics" if owner_kind == "topic" else "actors"
        line = where.table(section, owner)
        who = f"{owner_kind} {owner!r}: {list_key}"
        keys = _IMPLIED_BY_KEYS if owner_kind == "topic" else _IMPLIES_KEYS
        if not isinstance(items, list):
            raise fail(f"{who} must be a list of tables", f"write {list_key} = [{{ {keys[0]} = ..., near = [...] }}]",
                       line)
        out: list[Implication] = []
        for item in items:
            if not isinstance(item, Mapping):
                raise fail(f"{who}: {item!r} is not a table", f"write {{ {keys[0]} = ..., near = [...] }}", line)
            bad = sorted(set(item) - set(keys))
            if bad:
                raise fail(f"{who} has unknown key {bad[0]!r}", f"valid keys: {', '.join(keys)}", line)
            if keys[0] not in item:
                raise fail(f"{who}: a table has no {keys[0]}", f"write {{ {keys[0]} = ..., near = [...] }}", line)
            near = item.get("near", [])
            if not isinstance(near, list) or not all(isinstance(w, str) for w in near):
                raise fail(f"{who}: near must be a list of words", 'write near = ["ally", "protect*"]', line)
            unless = item.get("unless_near", [])
            if not isinstance(unless, list) or not all(isinstance(w, str) for w in unless):
                raise fail(f"{who}: unless_near must be a list of words", 'write unless_near = ["1915", "Ottoman*"]',
                           line)
            if owner_kind == "topic":
                actors = item["actors"]
                if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
                    raise fail(f"{who}: actors must be a list of actor names", 'write actors = ["russia"]', line)
                topic, actors = owner, tuple(actors)
            else:
                topic, actors = item["topic"], (owner,)
                if not isinstance(topic, str):
                    raise fail(f"{who}: topic must be a topic name", 'write topic = "alliances_geopolitics"', line)
            out.append(_built(lambda: Implication(topic, actors, tuple(near), item.get("window", DEFAULT_WINDOW),
                                                  tuple(unless)), line))
        return out

    def tables(section: str) -> Mapping[str, Any]:
        value = data.get(section, {})
        if not isinstance(value, Mapping):
            raise fail(f"{section} must be a table", f"write [{section}.NAME] sections")
        folded: dict[str, str] = {}
        for name, table in value.items():
            kind = section[:-1]
            line = where.table(section, name)
            if not _NAME_RE.match(name):
                raise fail(f"invalid {kind} name {name!r}",
                           "use letters, digits, '_', '.' or '-' (quote names that contain a dot)", line)
            if name.casefold() in folded:
                raise fail(f"duplicate {kind} {name!r} (also defined as {folded[name.casefold()]!r})",
                           f"merge the two {kind}s into one", line)
            folded[name.casefold()] = name
            if not isinstance(table, Mapping):
                raise fail(f"{kind} {name!r} must be a table", f"write [{section}.{name}] with its keys", line)
        return value

    def checked_keys(kind: str, name: str, table: Mapping, keys: tuple[str, ...], line: int | None) -> int | None:
        """Refuse a key the kind does not have, and a label or description that is not a string; the line."""
        bad = sorted(set(table) - set(keys))
        if bad:
            raise fail(f"{kind} {name!r} has unknown key {bad[0]!r}", f"valid {kind} keys: {', '.join(keys)}", line)
        for key in ("label", "description"):
            if not isinstance(table.get(key, ""), str):
                raise fail(f"{kind} {name!r}: {key} must be a string", f"write {key} = \"...\"", line)
        return line

    topics: list[Topic] = []
    for name, table in tables("topics").items():
        line = checked_keys("topic", name, table, _TOPIC_KEYS, where.table("topics", name))
        if not isinstance(table.get("negation", True), bool):
            raise fail(f"topic {name!r}: negation must be true or false", "write negation = true", line)
        if table.get("quotation", "count") not in QUOTATION_RULES:
            raise fail(f"topic {name!r}: unknown quotation rule {table.get('quotation')!r}",
                       f"valid quotation rules: {', '.join(QUOTATION_RULES)}", line)
        for k in ("only_near", "unless_near"):
            if k in table and not (isinstance(table[k], list) and all(isinstance(w, str) for w in table[k])):
                raise fail(f"topic {name!r}: {k} must be a list of words", f'write {k} = ["word", "other*"]', line)
        context: dict[str, Any] = {k: tuple(table[k]) if k != "window" else table[k]
                                   for k in ("only_near", "unless_near", "window") if k in table}
        topics.append(_built(lambda: Topic(
                            name, tuple(entries("topics", "topic", name, table.get("entries", []), "entries")),
                            label=table.get("label", ""), description=table.get("description", ""),
                            negation=table.get("negation", True), quotation=table.get("quotation", "count"),
                            implied_by=tuple(implications("topic", name, table.get("implied_by", []),
                                                          "implied_by")), **context), line))
    actors: list[Actor] = []
    for name, table in tables("actors").items():
        line = checked_keys("actor", name, table, _ACTOR_KEYS, where.table("actors", name))
        actors.append(Actor(name, tuple(entries("actors", "actor", name, table.get("aliases", []), "aliases")),
                            label=table.get("label", ""), description=table.get("description", ""),
                            implies=tuple(implications("actor", name, table.get("implies", []), "implies"))))
    ignore = entries("", "ignore", "ignore", data.get("ignore", []), "ignore")
    return _built(lambda: Lexicon(tuple(topics), tuple(actors), name=data.get("name", "lexicon"),
                                  description=data.get("description", ""), source=source, ignore=tuple(ignore)),
                  None)


# ----------------------------------------------------------------------------------------------- compiling

# An atom is one step of a pattern: ("c", char, sensitive), ("apos",), ("hyph",), ("sp",), ("gap",), ("wild",).
_Atom = tuple[Any, ...]
_ATOM_RANK = {"c": 0, "apos": 1, "hyph": 2, "sp": 3, "gap": 4, "wild": 5}
_WORD_CHARS = r"[\w'’\-‐‑]"


# Irregular English forms: a verb's base -> its other forms (past, participle, ...). Regular endings are added
# by rule; the word itself is always one of its forms.
_IRREGULAR = {
    "be": "is are was were been being", "begin": "began begun", "break": "broke broken", "bring": "brought",
    "buy": "bought", "choose": "chose chosen", "come": "came", "deal": "dealt", "do": "does did done doing",
    "draw": "drew drawn", "drive": "drove driven", "eat": "ate eaten", "fall": "fell fallen",
    "feel": "felt", "fight": "fought", "find": "found", "flee": "fled", "forget": "forgot forgotten",
    "forgive": "forgave forgiven", "get": "got gotten", "give": "gave given", "go": "went gone",
    "hang": "hung", "have": "has had having", "hear": "heard", "hide": "hid hidden", "hold": "held",
    "keep": "kept", "know": "knew known", "lay": "laid", "lead": "led", "leave": "left", "lose": "lost",
    "make": "made", "mean": "meant", "meet": "met", "pay": "paid", "ride": "rode ridden", "rise": "rose risen",
    "run": "ran", "say": "said", "see": "saw seen", "seek": "sought", "sell": "sold", "send": "sent",
    "shake": "shook shaken", "shoot": "shot", "sink": "sank sunk", "speak": "spoke spoken",
    "spend": "spent", "stand": "stood", "steal": "stole stolen", "stick": "stuck", "strike": "struck",
    "swear": "swore sworn", "take": "took taken", "teach": "taught", "tear": "tore torn", "tell": "told",
    "think": "thought", "throw": "threw thrown", "understand": "understood", "win": "won",
    "withdraw": "withdrew withdrawn", "write": "wrote written", "child": "children", "man": "men",
    "woman": "women", "person": "people",
}
_VOWELS = "aeiou"


def word_forms(word: str) -> tuple[str, ...]:
    """The inflections of an English word, itself first: plural and third person (-s, -es, -ies), past
    (-ed, -d, -ied, a doubled final consonant) and -ing (with a dropped e), plus irregular forms. A hyphenated
    word is inflected in its last part. Forms that are not words do no harm: they never occur in text.

    >>> word_forms("stab")
    ('stab', 'stabs', 'stabbed', 'stabbing', 'stabed', 'stabing')
    """
    head, sep, last = word.rpartition("-") if "-" in word else ("", "", word)
    low = last.lower()
    forms = [last]
    if low.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.append(last + "es")
    elif low.endswith("y") and len(low) > 2 and low[-2] not in _VOWELS:
        forms.append(last[:-1] + "ies")
    else:
        forms.append(last + "s")
    if low.endswith("e"):
        forms += [last + "d", last[:-1] + "ing"]
    elif low.endswith("y") and len(low) > 2 and low[-2] not in _VOWELS:
        forms += [last[:-1] + "ied", last + "ing"]
    elif (len(low) >= 3 and low[-1] not in _VOWELS + "wxy" and low[-2] in _VOWELS and low[-3] not in _VOWELS
          and len(re.findall(f"[{_VOWELS}]+", low)) == 1):
        forms += [last + last[-1] + "ed", last + last[-1] + "ing", last + "ed", last + "ing"]
    else:
        forms += [last + "ed", last + "ing"]
    forms += _IRREGULAR.get(low, "").split()
    out: list[str] = []
    for form in forms:
        full = head + sep + form
        if full not in out:
            out.append(full)
    return tuple(out)


def _pattern_variants(pattern: str) -> list[str]:
    """Every pattern a ``+`` pattern stands for (``give+ up`` -> ``give up``, ``gives up``, ...); a pattern
    without ``+`` is its only variant."""
    variants = [""]
    for token in pattern.split():
        if token.endswith(_FORMS_MARK) and len(token) > 1:
            options = word_forms(token[:-1])
        else:
            options = (token,)
        variants = [f"{v} {o}" if v else o for v in variants for o in options]
    # a letter whose case folding is longer ("ß" -> "ss") is matched as written and as folded
    folded = ["".join(c.casefold() if len(c.casefold()) > 1 else c for c in v) for v in variants]
    return variants + [f for f in folded if f not in variants]


def _atoms(entry: Entry, pattern: str | None = None) -> tuple[_Atom, ...]:
    """The atoms of ``entry`` (or of one of its ``+`` variants, ``pattern``)."""
    sensitive = entry.case == "sensitive"
    out: list[_Atom] = []
    tokens = (pattern if pattern is not None else entry.pattern).split()
    for i, token in enumerate(tokens):
        if token in ("...", "…"):
            out[-1:] = [("gap",)]  # replaces the separator just written
            continue
        for k, ch in enumerate(token):
            if ch == "*":
                out.append(("wild",))
            elif ch in _APOSTROPHES:
                out.append(("apos",))
            elif ch in _HYPHENS and token[k + 1:k + 2] == "*":
                out.append(("c", ch, True))  # fair-*: the hyphen must be there
            elif ch in _HYPHENS:
                out.append(("hyph",))
            else:
                folded = ch.casefold()
                out.append(("c", ch if sensitive else folded if len(folded) == 1 else ch.lower(), sensitive))
        if i < len(tokens) - 1:
            out.append(("sp",))
    return tuple(out)


def _atom_regex(atom: _Atom, *, capture: str | None = None) -> str:
    tag = atom[0]
    if tag == "c":
        char = re.escape(atom[1])
        return f"(?-i:{char})" if atom[2] else char
    if tag == "apos":
        return "['’]"
    if tag == "hyph":
        return r"(?:[\-‐‑]|\s+)?"
    if tag == "sp":
        return r"(?:\s+|\s*[\-‐‑]\s*)"
    if tag == "gap":
        body = rf"(?:\s+{_WORD_CHARS}+){{0,{GAP_WORDS}}}?"
        return (f"(?P<{capture}>{body})" if capture else body) + r"\s+"
    return r"\w*"


def _sequence_regex(atoms: Sequence[_Atom], *, capture: str | None = None) -> str:
    """The regex of a sequence of atoms; with ``capture``, its gaps are the groups ``{capture}_0``, ``_1``, ..."""
    if capture is None:
        return "".join(_atom_regex(a) for a in atoms)
    parts, gaps = [], 0
    for atom in atoms:
        if atom[0] == "gap":
            parts.append(_atom_regex(atom, capture=f"{capture}_{gaps}"))
            gaps += 1
        else:
            parts.append(_atom_regex(atom))
    return "".join(parts)


class _TrieNode(NamedTuple):
    edges: list[tuple[_Atom, _TrieNode]]  # in the order they are tried
    terminal: bool


def _trie(forms: Sequence[tuple[_Atom, ...]]) -> _TrieNode:
    """The patterns as a prefix tree, each node's branches in the order they are tried.

    At every node the branch that can run longest is tried first and stopping is tried last, so the regex
    engine's first success is the longest match in practice ("Western Armenia" before the case-sensitive
    "Western", "betrayal of trust" before "betray*"). A gap counts as its maximum width. Built with loops,
    not recursion: a pattern's length sets the depth of the tree.
    """
    root: dict[Any, Any] = {}
    end = object()
    for atoms in forms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[end] = True

    width = {"gap": GAP_WORDS * 8, "sp": 1, "wild": 1}
    order: list[dict[Any, Any]] = []  # every node before its children
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node[k] for k in node if k is not end)
    reach: dict[int, int] = {}
    built: dict[int, _TrieNode] = {}
    for node in reversed(order):  # children first
        keys = [k for k in node if k is not end]
        reach[id(node)] = max((width.get(k[0], 1) + reach[id(node[k])] for k in keys), default=0)
        keys.sort(key=lambda a: (-(width.get(a[0], 1) + reach[id(node[a])]), _ATOM_RANK[a[0]], a[1:]))
        built[id(node)] = _TrieNode([(k, built[id(node[k])]) for k in keys], end in node)
    return built[id(root)]


@functools.lru_cache(maxsize=4096)
def _case_forms(ch: str) -> frozenset[str]:
    """A character with every form the regex engine may equate with it when ignoring case (a superset)."""
    forms = {ch, ch.lower(), ch.upper(), ch.casefold()}
    try:
        from re import _casefix  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - before Python 3.11 the extra cases are not listed
        return frozenset(forms)
    for f in list(forms):
        if len(f) == 1:
            forms.update(chr(c) for c in _casefix._EXTRA_CASES.get(ord(f.lower()), ()))
    return frozenset(forms)


_SEPARATING = frozenset("-‐‑'’")


def _extendable_forms(trie: _TrieNode, forms: Sequence[tuple[_Atom, ...]]) -> list[bool]:
    """For each form, whether the regex engine's first match along it may be shorter than the longest match
    at the same start, so that :meth:`CompiledLexicon._longest` must look further.

    It may when the form has a lazy gap or a word ending, separator or hyphen that is not followed by a
    literal (another choice of how much they take could reach further), or when at a node on its path a
    branch tried later could follow the same text to the form's end and beyond. Otherwise the first match
    is the longest: a longer one would have to leave the form's path by a branch tried earlier, and the
    engine takes that first. Branches are followed in step with the form's atoms; a literal that differs
    from the form's character in every case form, or a separator facing a letter, ends a branch; anything
    this does not decide (gaps, word endings) counts as a possible longer match, which costs a check, never
    a wrong match."""

    def may_follow(rest: tuple[_Atom, ...], atom: _Atom, child: _TrieNode) -> bool:
        todo = [(rest, atom, child)]
        while todo:
            rest, atom, child = todo.pop()
            if not rest:
                return True  # the branch takes more text than the form
            a = rest[0]
            if "gap" in (atom[0], a[0]) or "wild" in (atom[0], a[0]):
                return True
            if atom[0] == a[0] and (a[0] != "c" or not _case_forms(atom[1]).isdisjoint(_case_forms(a[1]))):
                taken = rest[1:]  # both take the same text
            elif atom[0] == "c" and a[0] == "c":
                continue
            elif atom[0] == "hyph" and a[0] == "c":
                if a[1] in _SEPARATING or a[1].isspace():
                    return True
                taken = rest  # the branch's optional hyphen takes nothing
            elif a[0] == "hyph" and atom[0] == "c":
                if atom[1] in _SEPARATING or atom[1].isspace():
                    return True
                todo.append((rest[1:], atom, child))  # the form's optional hyphen takes nothing
                continue
            elif "c" in (atom[0], a[0]):
                letter = atom[1] if atom[0] == "c" else a[1]
                if letter in _SEPARATING or letter.isspace():
                    return True
                continue  # a separator or apostrophe against a letter
            else:
                return True
            if not taken:
                if child.edges:
                    return True
                continue
            todo.extend((taken, e, c) for e, c in child.edges)
        return False

    out = []
    for form in forms:
        risky = any(a[0] == "gap" or (a[0] in ("wild", "sp", "hyph") and k + 1 < len(form) and form[k + 1][0] != "c")
                    for k, a in enumerate(form))
        node = trie
        for k, atom in enumerate(form):
            if risky:
                break
            index = next(i for i, (a, _) in enumerate(node.edges) if a == atom)
            risky = any(may_follow(form[k:], later, child) for later, child in node.edges[index + 1:])
            node = node.edges[index][1]
        out.append(risky)
    return out


def _trie_regex(trie: _TrieNode) -> str:
    """One alternation shaped as the prefix tree (:func:`_trie`), written with a loop (the tree is as deep
    as the longest pattern)."""
    if not trie.edges:
        return "(?!)"
    out: list[str] = []
    todo: list[str | _TrieNode] = [trie]  # a stack: strings to write, nodes to expand
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        branches = len(item.edges) + item.terminal
        steps: list[str | _TrieNode] = []
        for i, (atom, child) in enumerate(item.edges):
            steps += ["|" if i else "", _atom_regex(atom), child]
        if branches == 1:
            todo.extend(reversed(steps))
        else:
            todo.extend(reversed(["(?:", *steps, "|" if item.terminal and item.edges else "", ")"]))
    return "".join(out)


_ATOM_CODES = {"c": 0, "apos": 1, "hyph": 2, "sp": 3, "gap": 4, "wild": 5}


def _trie_program(trie: _TrieNode) -> list[tuple[bool, list[tuple[int, str, bool, int]]]]:
    """The prefix tree as the node list the C scanner walks (``_scan.c``): node 0 is the root; each edge is
    ``(atom code, literal characters, case-sensitive, child node)``; nodes are numbered depth first."""
    nodes: list[tuple[bool, list[tuple[int, str, bool, int]]]] = []
    if not trie.edges:
        return nodes
    # (node, the edge list of its parent, the edge's atom); a loop, as the tree is as deep as a pattern is long
    stack: list[tuple[_TrieNode, list[tuple[int, str, bool, int]] | None, _Atom | None]] = [(trie, None, None)]
    while stack:
        node, parent, atom = stack.pop()
        index = len(nodes)
        edges: list[tuple[int, str, bool, int]] = []
        nodes.append((node.terminal, edges))
        if parent is not None and atom is not None:
            literal, sensitive = (atom[1], atom[2]) if atom[0] == "c" else ("", False)
            parent.append((_ATOM_CODES[atom[0]], literal, sensitive, index))
        stack.extend((child, edges, a) for a, child in reversed(node.edges))
    return nodes


# A match must start at a word start (not after a letter, nor after "don'") and end at a word end; a following
# apostrophe is allowed only for the possessive ('s or a bare '), so "don" never matches inside "don't".
# The scanner consumes the character before the word (hence texts are scanned with a space in front): a
# pattern that starts with a character class lets the regex engine skip every position inside a word in
# its own loop instead of trying the whole pattern there (a sixth off the scan of a typical comment).
_BEFORE = r"\W(?<!\w['’])"
_RIGHT = r"(?!\w)(?!['’](?!s\b)\w)"
_RIGHT_AT = re.compile(_RIGHT)


class Hit(NamedTuple):
    """One match of a lexicon entry in a text (immutable). ``text[start:end] == matched``.

    The fields are the evidence columns after ``unit_id``, in the same order. ``counted`` is False when the
    hit does not tag its unit (negated, or set aside by a rule of the lexicon); ``rule`` says which rule
    decided, when one did (see :meth:`CompiledLexicon.hits`).
    """

    kind: str
    label: str
    entry: str
    matched: str
    start: int
    end: int
    negated: bool = False
    negator: str | None = None
    counted: bool = True
    rule: str | None = None


_new_hit = tuple.__new__


def _hit_order(hit: Hit) -> tuple[int, bool, str]:
    """The order of a text's hits: by start, topics before actors, then by label."""
    return hit.start, hit.kind != "topic", hit.label


class CompiledLexicon:
    """A lexicon compiled to two regexes: ``scanner`` reads texts; ``verifier`` names the entries of a match.

    The scanner is a single alternation over every topic entry and actor alias (a prefix tree, so matching
    is one left-to-right pass); it reads a text with one space in front and its group 1 is the match. At
    each position the longest match wins. The matched surface is then checked
    against every entry at once by the verifier (one optional lookahead per distinct pattern), so a surface
    that satisfies entries of two topics (or a topic and an actor) yields a hit for each; only the lookaheads
    of the patterns the surface's first character can begin are tried (:meth:`_verify`). The surface to
    entries map is memoised per instance.

    When discourse was built with a C compiler the scanner's tree is also walked in C (``_scan.c``), which
    finds the same matches several times faster; with the native switch off (:mod:`discourse.native`) the
    regex is used.
    """

    _MEMO_LIMIT = 100_000

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        form_index: dict[tuple[_Atom, ...], int] = {}
        self._form_entries: list[list[Entry]] = []
        for entry in lexicon.entries + lexicon.ignore:
            for variant in _pattern_variants(entry.pattern):
                atoms = _atoms(entry, variant)
                if atoms not in form_index:
                    form_index[atoms] = len(form_index)
                    self._form_entries.append([])
                if entry not in self._form_entries[form_index[atoms]]:
                    self._form_entries[form_index[atoms]].append(entry)
        forms = list(form_index)
        self._gapped = [sum(a[0] == "gap" for a in f) for f in forms]  # how many gaps each form has
        trie = _trie(forms)
        tree = _trie_regex(trie)
        self.scanner: re.Pattern[str] = re.compile(f"{_BEFORE}(?i:({tree}){_RIGHT})")
        # the tree alone, to try a longer end for a match the scanner found (see _longest)
        self._tree: re.Pattern[str] = re.compile(f"(?i:{tree})")
        # the most whitespace runs one match can contain: "\s*-\s*" has two, a gap one per word and one more
        self._max_runs = max((sum({"sp": 2, "hyph": 1, "gap": GAP_WORDS + 1}.get(a[0], 0) for a in f) for f in forms),
                             default=0)
        # which forms, found first by the regex engine, may hide a longer match at the same start
        self._extendable = _extendable_forms(trie, forms)
        self._extendable_memo: dict[str, bool] = {}
        self._native = _native_scanner(trie)
        self._verifier_parts = [f"(?:(?=(?P<f{i}>{_sequence_regex(f, capture=f'g{i}')})\\Z))?"
                                for i, f in enumerate(forms)]
        self.verifier: re.Pattern[str] = re.compile("".join(self._verifier_parts), re.IGNORECASE)
        # each form's first character, when it is one (a surface must start with a character it matches):
        # one regex per distinct first character of the forms
        self._first_atoms: dict[_Atom, re.Pattern[str]] = {}
        for f in forms:
            if f and f[0][0] == "c" and f[0] not in self._first_atoms:
                self._first_atoms[f[0]] = re.compile(_atom_regex(f[0]), re.IGNORECASE)
        self._first_char = [self._first_atoms[f[0]] if f and f[0][0] == "c" else None for f in forms]
        self._by_first: dict[str, tuple[re.Pattern[str], tuple[int, ...]]] = {}
        self._by_forms: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._negation = {t.name: t.negation for t in lexicon.topics}
        self._memo: dict[str, _Resolved] = {}
        self._rules = _Rules(lexicon)

    def __reduce__(self) -> tuple[Any, tuple[Lexicon]]:
        # compiled again where it is unpickled: the C scanner does not pickle
        return CompiledLexicon, (self.lexicon,)

    def _resolve(self, surface: str) -> _Resolved:
        """The entries satisfied by a matched surface (memoised): one per topic/actor, most specific first;
        none when the surface is an ``ignore`` phrase."""
        found = self._memo.get(surface)
        if found is not None:
            return found
        m, candidates = self._verify(surface)
        best: dict[tuple[str, str], tuple[tuple[bool, int, int], Entry]] = {}
        gaps: tuple[tuple[int, int], ...] | None = None
        order = 0
        if m is not None:
            for i in candidates:
                if m.group(f"f{i}") is None:
                    continue
                entries = self._form_entries[i]
                if any(e.kind == "ignore" for e in entries):
                    best, gaps = {}, None  # an ignored phrase: no hit, and its gaps are not searched
                    break
                if self._gapped[i] and gaps is None:
                    gaps = tuple(m.span(f"g{i}_{k}") for k in range(self._gapped[i]))
                for entry in entries:
                    order += 1
                    # Most specific entry per topic/actor: exact words before wildcards, longer before shorter.
                    rank = (entry.form != "wildcard", len(entry.pattern), -order)
                    key = (entry.kind, entry.label)
                    if key not in best or rank > best[key][0]:
                        best[key] = (rank, entry)
        chosen = sorted((e for _, e in best.values()), key=lambda e: (e.kind != "topic", e.label))
        items = tuple((e.kind, e.label, e.pattern, e.kind == "topic" and self._negation[e.label]) for e in chosen)
        result = _Resolved(items, any(i[3] for i in items), tuple(g for g in gaps or () if g[1] > g[0]))
        if len(self._memo) >= self._MEMO_LIMIT:
            self._memo.clear()
        self._memo[surface] = result
        return result

    def _verify(self, surface: str) -> tuple[re.Match[str] | None, tuple[int, ...]]:
        """``verifier.match(surface)``, searching only the forms whose first character ``surface`` can start
        with, and those forms' indices, in order: group ``f{i}`` (and ``g{i}_{k}``) of a form in the list is
        what the whole verifier's would be (each form is a lookahead of its own at the start, blind to the
        others), and a form left out is one whose group would be None (its first atom is one character,
        which the surface's first character does not match)."""
        first = surface[:1]
        found = self._by_first.get(first)
        if found is None:
            candidates = tuple(i for i, c in enumerate(self._first_char) if c is None or c.match(first))
            regex = self._by_forms.get(candidates)
            if regex is None:
                regex = self._by_forms[candidates] = re.compile(
                    "".join(self._verifier_parts[i] for i in candidates), re.IGNORECASE)
            if len(self._by_first) >= self._MEMO_LIMIT:
                self._by_first.clear()
            found = self._by_first[first] = (regex, candidates)
        regex, candidates = found
        return regex.match(surface), candidates

    def hits(self, text: str, quotes: Sequence[Quote] | None = None) -> list[Hit]:
        """Every hit in ``text`` as the lexicon's rules read it: :meth:`match`, then the rules pass.

        The pass marks topic hits that do not count (``counted=False`` with the ``rule`` that decided: a
        context word within the entry's window, a quotation the topic does not count) and adds the topic
        hits implied by actor mentions. Hits stay ordered by start offset, topics before actors.
        ``quotes``, when the caller has them, are ``find_quotes(text)`` (else found here when needed).
        """
        found = self.match(text)
        if not found or not self._rules.active:
            return found
        return self._rules.apply(text, found, quotes)

    def match(self, text: str) -> list[Hit]:
        """Every match of the scanner in ``text`` (no context, quotation or implication rules applied: see
        :meth:`hits`), ordered by start offset, topics before actors, then label."""
        if self._native is not None and enabled():
            hits, rescanned = self._native.hits(text, " " + text, self._memo, self._resolve, negator_before, Hit)
        else:
            hits = []
            rescanned = self._scan(text, " " + text, 0, len(text), hits)
        if rescanned:
            hits.sort(key=_hit_order)
        return hits

    def _scan(self, text: str, padded: str, pos: int, endpos: int, hits: list[Hit]) -> bool:
        """Append the hits in ``text[pos:endpos]``; True when a gap was rescanned (hits then need sorting).

        C twin: ``Scanner.hits`` in ``_scan.c`` (the whole text, with the memo of surfaces and callbacks to
        :meth:`_resolve` and :func:`negator_before` for what it does not hold).

        ``padded`` is ``" " + text``: there ``text[i]`` is at ``i + 1`` and the character before a word that
        starts at ``i`` is at ``i``. Matches do not overlap: the next one starts after this one ends, though
        the character before it may be this one's last (as when reading ``text`` with a lookbehind)."""
        rescanned = False
        resolve = self._resolve
        memo = self._memo
        for start, end in self._matches(padded, pos, endpos + 1):
            surface = text[start:end]
            res = memo.get(surface) or resolve(surface)
            negator = negator_before(text, start) if res.negatable else None
            for kind, label, pattern, negatable in res.items:
                # Hit's fields in order, built without Hit.__new__'s Python frame
                if negatable and negator is not None:
                    hits.append(_new_hit(Hit, (kind, label, pattern, surface, start, end, True, negator, False, None)))
                else:
                    hits.append(_new_hit(Hit, (kind, label, pattern, surface, start, end, False, None, True, None)))
            for gap_start, gap_end in res.gaps:
                # Words inside a gap ("give back SOME land") are not part of the phrase: scan them too.
                self._scan(text, padded, start + gap_start, start + gap_end, hits)
                rescanned = True
        return rescanned

    def _matches(self, padded: str, pos: int, endpos: int) -> list[tuple[int, int]]:
        """``(start, end)`` in the text of each match of ``scanner`` in ``padded[pos:endpos]``, each search
        starting at the end of the last match (in ``padded``, one before its last character): by the C
        scanner when it is built and the native switch is on, else by the regex.

        C twin: ``Scanner.scan`` in ``_scan.c`` (walks the same prefix tree as ``scanner``)."""
        if self._native is not None and enabled():
            return self._native.scan(padded, pos, endpos)
        found = []
        search = self.scanner.search
        while (m := search(padded, pos, endpos)) is not None:
            start, end = m.span(1)
            end = self._longest(padded, start, end, endpos)
            found.append((start - 1, end - 1))
            pos = end - 1
        return found

    def _longest(self, padded: str, start: int, end: int, endpos: int) -> int:
        """The furthest end of a match of the tree at ``start`` in ``padded[:endpos]``, given that the regex
        engine's first match there ends at ``end``.

        The engine takes the first branch that succeeds, which need not be the longest: with "give+ back" and
        "give* back ... land" the branch of "give back" (which also leads to "give back ... districts") is
        tried first and "give back the land" would yield "give back". Unless every form the surface matches is
        known to be the longest match (:func:`_extendable_forms`), every later end where a word may end
        (``_RIGHT``) is tried, furthest first, up to as many whitespace runs as the longest pattern can span."""
        surface = padded[start:end]
        extendable = self._extendable_memo.get(surface)
        if extendable is None:
            m, candidates = self._verify(surface)
            extendable = m is None or any(self._extendable[i] and m.group(f"f{i}") is not None
                                          for i in candidates)
            if len(self._extendable_memo) >= self._MEMO_LIMIT:
                self._extendable_memo.clear()
            self._extendable_memo[surface] = extendable
        if not extendable:
            return end
        runs, k, in_space = 0, start, False
        while k < endpos:
            space = padded[k].isspace()
            if space and not in_space:
                runs += 1
                if runs > self._max_runs:
                    break
            in_space = space
            k += 1
        if k <= end:
            return end
        right, tree = _RIGHT_AT.match, self._tree.fullmatch
        for t in range(k, end, -1):
            if right(padded, t, endpos) and tree(padded, start, t):
                return t
        return end


class _Resolved(NamedTuple):
    items: tuple[tuple[str, str, str, bool], ...]  # (kind, label, pattern, negatable)
    negatable: bool
    gaps: tuple[tuple[int, int], ...]  # the non-empty gaps of the phrase, in the surface


def native_scanner_available() -> bool:
    """Whether lexicons are scanned in C (``_scan.c``): discourse was built with it, the regex engine's case
    table is where it was (``re._casefix``, Python 3.11 and later) and the native switch is on."""
    return enabled() and _native_scanner_built()


def _native_scanner_built() -> bool:
    if _scan is None:
        return False
    try:
        from re import _casefix  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True


def _native_scanner(trie: _TrieNode) -> Any:
    """The C scanner over ``trie`` (``_scan.c``), or None when discourse was built without it or the regex
    engine's case table is not where it was (see :func:`native_scanner_available`)."""
    if not _native_scanner_built():
        return None
    from re import _casefix  # type: ignore[attr-defined]  # the extra case equivalents the regex engine matches under IGNORECASE

    return _scan.Scanner(nodes=_trie_program(trie), fixes=dict(_casefix._EXTRA_CASES), gap_words=GAP_WORDS)


def compile_lexicon(lexicon: Lexicon) -> CompiledLexicon:
    """The compiled form of ``lexicon``, built on first use and cached on the (immutable) lexicon."""
    return lexicon._compiled


# --------------------------------------------------------------------------------------------------- rules

_QUOTE_OPEN = "\"“„«‘'"
_QUOTE_CLOSE = {"\"": "\"“”", "“": "”\"", "„": "“”\"", "«": "»", "‘": "’'", "'": "'’"}
#: a short quotation in single or double marks, at most four words, not across a line: 'traitor', “patriots”
_SHORT_QUOTE = re.compile(r"(?<![\w'’])(['‘\"“„«])(?=\w)([^\n'‘’\"“”„«»]{1,60}?)(['’\"”»])(?![\w'’])")


class _Rules:
    """The rules pass over the scanner's hits (:meth:`CompiledLexicon.hits`), built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        # an entry's own context words, else its topic's
        self.context: dict[tuple[str, str], Entry | Topic] = {
            (e.label, e.pattern): e if e.has_context else t for t in lexicon.topics for e in t.entries
            if e.has_context or t.only_near or t.unless_near}
        # a topic's unless_near also applies to its entries with unless_near of their own (an entry with
        # only_near names the sense it counts in, so the topic's words do not overrule it)
        self.topic_unless: dict[str, Topic] = {t.name: t for t in lexicon.topics if t.unless_near}
        self.quotation = {t.name: t.quotation for t in lexicon.topics if t.quotation != "count"}
        self.implied: dict[str, list[Implication]] = {}
        for imp in lexicon.implications:
            for actor in imp.actors:
                self.implied.setdefault(actor, []).append(imp)
        self.active = bool(self.context or self.quotation or self.implied)
        # one regex per distinct list of context words, compiled with the lexicon
        self._near: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._dispatch: dict[tuple[str, ...], _NearDispatch | None] = {}
        self._native: dict[tuple[str, ...], Any] = {}  # the C scanner of each list (None without one)
        for owner in self.context.values():
            for words in (owner.only_near, owner.unless_near):
                if words:
                    self.near_regex(words)
        for imp in lexicon.implications:
            for words in (imp.near, imp.unless_near):
                if words:
                    self.near_regex(words)
        self._c = self._native_rules()  # the C twin of _apply, or None

    def _native_rules(self) -> Any:
        """The rules as ``_scan.Rules`` (the C twin of :meth:`_apply`), or None when discourse was built without
        the scanner: each rule's context-word scanners and the pieces of its rule texts, by label."""
        if not _native_scanner_built():
            return None

        missing = [words for words, found in self._native.items() if found is None]
        if missing:
            return None

        def scanner(words: tuple[str, ...]) -> Any:
            return self._native[words] if words else None

        context: dict[str, dict[str, tuple]] = {}
        for (label, pattern), owner in self.context.items():
            topic = self.topic_unless.get(label)
            over = topic if topic is not None and owner is not topic and not owner.only_near else None
            context.setdefault(label, {})[pattern] = (
                scanner(owner.unless_near), scanner(owner.only_near), scanner(over.unless_near) if over else None,
                owner.window, over.window if over else 1, f"' within {owner.window} words",
                f"only_near: none within {owner.window} words", f"' within {over.window} words" if over else "")
        implied = {actor: tuple((imp.topic, scanner(imp.near), scanner(imp.unless_near), imp.window,
                                 f"implied by actor {actor}: '", f"' within {imp.window} words",
                                 f"implied by actor {actor}: named") for imp in imps)
                   for actor, imps in self.implied.items()}
        quotation = {label: (f"quotation = {rule}: inside ", rule == "scare") for label, rule in self.quotation.items()}
        return _scan.Rules(hit=Hit, context=context, implied=implied, quotation=quotation)

    def near_regex(self, words: tuple[str, ...]) -> re.Pattern[str]:
        found = self._near.get(words)
        if found is None:
            probe = Entry("x", label="near")
            alternatives = [_sequence_regex(_atoms(probe, v)) for w in words for v in _pattern_variants(w)]
            found = self._near[words] = _near_pattern(alternatives)
            self._dispatch[words] = _NearDispatch.of(alternatives)
            self._native[words] = _native_alternatives(
                [_atoms(probe, v) for w in words for v in _pattern_variants(w)])
        return found

    def near_word(self, words: tuple[str, ...], text: str, padded: str, starts: Sequence[int], a: int, b: int,
                  native: bool = True) -> str | None:
        """What :meth:`near_search` matches, as text (None when nothing): by the C scanner of ``words`` when
        it is built and ``native`` (the native switch, read by the caller once per text) is on (``padded``
        is ``" " + text``), else by :meth:`near_search`.

        C twin: ``Scanner.first`` in ``_scan.c``, over the alternatives of ``near_regex(words)`` in order
        (:func:`_native_alternatives`)."""
        scanner = self._native.get(words) if native else None
        if scanner is not None:
            found = scanner.first(padded, a, b + 1)
            return text[found[0]:found[1]] if found is not None else None
        m = self.near_search(words, text, starts, a, b)
        return m.group() if m is not None else None

    def near_search(self, words: tuple[str, ...], text: str, starts: Sequence[int], a: int, b: int
                    ) -> re.Match[str] | None:
        """``near_regex(words).search(text, a, b)``, given the starts of the text's word tokens (``_TOKEN``).

        When every alternative of the regex begins with an ASCII letter or digit it can only match where a
        token starts (such a letter matches word characters alone, even ignoring case, and the regex's
        lookbehinds rule out the inside of a token), and only alternatives whose first letter matches the
        token's first character can match there: only those are tried, at each token start in turn. Else
        the regex searches."""
        pattern = self.near_regex(words)
        dispatch = self._dispatch[words]
        if dispatch is None:
            return pattern.search(text, a, b)
        k = bisect.bisect_left(starts, a)
        n = len(starts)
        while k < n and (p := starts[k]) < b:
            sub = dispatch.at(text[p])
            if sub is not None and (m := sub.match(text, p, b)) is not None:
                return m
            k += 1
        return None

    def apply(self, text: str, hits: list[Hit], quotes: Sequence[Quote] | None = None) -> list[Hit]:
        """The hits as the rules read them (:meth:`CompiledLexicon.hits`): by the C twin of :meth:`_apply`
        when discourse was built with it and the native switch is on, else by :meth:`_apply`."""
        if self._c is not None and enabled():
            out, added = self._c.apply(text, hits, _TextView(text, quotes).quoted)
            if added:
                out.sort(key=_hit_order)
            return out
        return self._apply(text, hits, quotes)

    def _apply(self, text: str, hits: list[Hit], quotes: Sequence[Quote] | None = None) -> list[Hit]:
        """The rules pass (the specification of its C twin, ``Rules.apply`` in ``_scan.c``)."""
        view = _TextView(text, quotes)
        out: list[Hit] = []
        added = False
        for hit in hits:
            if hit.kind == "actor":
                out.append(hit)
                implied: set[str] = set()  # one implied hit per topic; an actor may imply several topics
                for imp in self.implied.get(hit.label, ()):
                    if imp.topic in implied:
                        continue
                    word = view.near(self, imp.near, imp.window, hit.start, hit.end) if imp.near else ""
                    if word is not None and imp.unless_near and view.near(
                            self, imp.unless_near, imp.window, hit.start, hit.end) is not None:
                        continue  # a word of the unless list is near: this implication does not apply
                    if word is not None:
                        why = f"'{word}' within {imp.window} words" if imp.near else "named"
                        out.append(Hit("topic", imp.topic, hit.entry, hit.matched, hit.start, hit.end,
                                       rule=f"implied by actor {hit.label}: {why}"))
                        added = True
                        implied.add(imp.topic)
                continue
            if not hit.counted:
                out.append(hit)
                continue
            entry = self.context.get((hit.label, hit.entry))
            if entry is not None:
                if entry.unless_near:
                    word = view.near(self, entry.unless_near, entry.window, hit.start, hit.end)
                    if word is not None:
                        out.append(hit._replace(counted=False, rule=f"unless_near: '{word}' within "
                                                                    f"{entry.window} words"))
                        continue
                if entry.only_near:
                    word = view.near(self, entry.only_near, entry.window, hit.start, hit.end)
                    if word is None:
                        out.append(hit._replace(counted=False, rule=f"only_near: none within {entry.window} words"))
                        continue
                    hit = hit._replace(rule=f"only_near: '{word}' within {entry.window} words")
                topic = self.topic_unless.get(hit.label)
                if topic is not None and entry is not topic and not entry.only_near:
                    word = view.near(self, topic.unless_near, topic.window, hit.start, hit.end)
                    if word is not None:
                        out.append(hit._replace(counted=False, rule=f"unless_near: '{word}' within "
                                                                    f"{topic.window} words"))
                        continue
            rule = self.quotation.get(hit.label)
            if rule is not None:
                inside = view.quoted(hit.start, hit.end, scare_only=rule == "scare")
                if inside:
                    out.append(hit._replace(counted=False, rule=f"quotation = {rule}: inside {inside}"))
                    continue
            out.append(hit)
        if added:
            out.sort(key=lambda h: (h.start, h.kind != "topic", h.label))
        return out


def _native_alternatives(alternatives: Sequence[tuple[_Atom, ...]]) -> Any:
    """The C scanner (``_scan.c``) of a context-word regex (:func:`_near_pattern`): its alternatives, not
    merged into a prefix tree, are the root's branches in their order, so the scanner, which tries branches
    in order and takes the first path that reaches the end, matches what the regex's alternation matches.
    None when discourse was built without the scanner (see :func:`native_scanner_available`)."""
    if not _native_scanner_built() or not alternatives:
        return None
    edges: list[tuple[_Atom, _TrieNode]] = []
    for atoms in alternatives:
        node = _TrieNode([], True)
        for atom in reversed(atoms[1:]):
            node = _TrieNode([(atom, node)], False)
        edges.append((atoms[0], node))
    return _native_scanner(_TrieNode(edges, False))


def _near_pattern(alternatives: Sequence[str]) -> re.Pattern[str]:
    """A context-word regex: any of ``alternatives`` as a whole word (the first that matches, in order)."""
    return re.compile(rf"(?<![\w])(?<!\w['’])(?:{'|'.join(alternatives)}){_RIGHT}", re.IGNORECASE)


class _NearDispatch:
    """A context-word regex's alternatives by the character a match starts with (:meth:`_Rules.near_search`):
    for a character, the regex of only the alternatives whose first letter matches it, in their order."""

    def __init__(self, alternatives: list[str]) -> None:
        self.alternatives = alternatives
        self._firsts = sorted({a[0] for a in alternatives})
        self._by_char: dict[str, re.Pattern[str] | None] = {}
        # compiled with the lexicon: one regex per first letter (a character matches at most one ASCII
        # letter or digit ignoring case; should one ever match several, their regex is compiled when met)
        self._by_firsts: dict[tuple[str, ...], re.Pattern[str] | None] = {
            (f,): _near_pattern([a for a in alternatives if a[0] == f]) for f in self._firsts}
        self._by_firsts[()] = None

    @classmethod
    def of(cls, alternatives: list[str]) -> _NearDispatch | None:
        """None unless every alternative starts with a literal ASCII letter or digit (not quantified)."""
        if alternatives and all(a[0].isascii() and a[0].isalnum() and a[1:2] not in ("?", "*", "+", "{")
                                for a in alternatives):
            return cls(alternatives)
        return None

    def at(self, char: str) -> re.Pattern[str] | None:
        try:
            return self._by_char[char]
        except KeyError:
            firsts = tuple(f for f in self._firsts if re.match(f, char, re.IGNORECASE))
            if firsts not in self._by_firsts:
                alts = [a for a in self.alternatives if a[0] in firsts]
                self._by_firsts[firsts] = _near_pattern(alts) if alts else None
            found = self._by_char[char] = self._by_firsts[firsts]
            return found


class _TextView:
    """What the rules ask of one text, each computed once: word positions and quotation spans."""

    def __init__(self, text: str, quotes: Sequence[Quote] | None = None) -> None:
        self.text = text
        self.native = _scan is not None and enabled()  # the C kernels, decided once per text
        self._words: Any = None  # _scan.Words(text), when native
        self._padded: str | None = None
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._quotes: list[tuple[int, int, bool]] | None = None
        self._short: dict[int, list[tuple[int, int]]] = {}  # the short quotations of a line, by its start
        self._found = quotes  # find_quotes(text), when known

    def _tokens(self) -> tuple[list[int], list[int]]:
        if self._starts is None:
            self._starts, self._ends = (_scan.tokens(self.text) if self.native
                                        else token_spans(self.text))
        return self._starts, self._ends

    def near(self, rules: _Rules, words: tuple[str, ...], window: int, start: int, end: int) -> str | None:
        """The first of ``words`` found within ``window`` word tokens before ``start`` or after ``end``.

        C twin: ``Words.near`` in ``_scan.c`` (with the C scanner of ``words``, :meth:`_Rules.near_word`)."""
        if self.native:
            scanner = rules._native.get(words)
            if scanner is not None:
                if self._words is None:
                    self._words = _scan.Words(self.text)
                return self._words.near(scanner, window, start, end)
        starts, ends = self._tokens()
        i = bisect.bisect_left(starts, start)  # first token at or after the hit
        left = starts[max(0, i - window)] if i > 0 else start
        j = bisect.bisect_left(starts, end)  # first token after the hit
        right = ends[min(len(ends), j + window) - 1] if j < len(starts) else end
        if self._padded is None:
            self._padded = " " + self.text
        for a, b in ((left, start), (end, right)):
            if b > a:
                word = rules.near_word(words, self.text, self._padded, starts, a, b, self.native)
                if word is not None:
                    return word
        return None

    def quoted(self, start: int, end: int, *, scare_only: bool) -> str | None:
        """``scare quotes`` or ``a quotation`` when the span lies inside one, else None.

        First the short quotations (:data:`_SHORT_QUOTE`, scare quotes), then :func:`find_quotes`'s. A short
        quotation holds no line break, so only the line where the span starts is searched for them: its
        matches there are those of a search of the whole text (a match ends before the line break, and the
        search of a line sees the same characters either side of it)."""
        text = self.text
        line = text.rfind("\n", 0, start) + 1
        short = self._short.get(line)
        if short is None:
            stop = text.find("\n", line)
            short = self._short[line] = [
                (m.start(), m.end()) for m in _SHORT_QUOTE.finditer(text, line, len(text) if stop < 0 else stop)
                if m.group(3) in _QUOTE_CLOSE.get(m.group(1), "") and len(m.group(2).split()) <= 4]
        for a, b in short:
            if a <= start and end <= b:
                return "scare quotes"
        if self._quotes is None:
            from discourse.scoring.quotes import quotation_spans

            spans = []
            if any(mark in text for mark in "\"“„«"):
                # find_quotes(text)'s spans and scare flags; its speakers are not needed here
                spans = ([(q.start, q.end, q.scare) for q in self._found] if self._found is not None
                         else quotation_spans(text))
            self._quotes = spans
        for a, b, scare in self._quotes:
            if a <= start and end <= b and (scare or not scare_only):
                return "scare quotes" if scare else "a quotation"
        return None


def token_spans(text: str) -> tuple[list[int], list[int]]:
    """The starts and ends of the word tokens (``_TOKEN``) of ``text``.

    C twin: ``tokens`` in ``_scan.c``."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return [a for a, _ in spans], [b for _, b in spans]


# ------------------------------------------------------------------------------------------------ negation

_CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]{}\"“”«»—–]|\s-+\s|\n|\b(?:but|however|although)\b", re.IGNORECASE)
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_NEGATOR_HINT = re.compile(r"\b(?:" + "|".join(sorted(NEGATORS)) + r")\b|n['’]t\b", re.IGNORECASE)
_NOT_NEGATING_NEXT = frozenset({"only", "just", "merely", "simply", "least", "necessarily"})
_LOOKBACK = 80


def negator_before(text: str, start: int) -> str | None:
    """The negator governing a hit at ``start``, or None.

    A negator counts when it is one of the ``NEGATION_WINDOW`` word tokens right before the hit and no clause
    break (punctuation, a line break, or but/however/although) lies between them. Negators are ``NEGATORS``
    and contractions in n't (isn't, didn't, won't). "not only/just/merely ..." does not negate.

    >>> negator_before("Compromise is not treason", 18)
    'not'
    """
    window = text[max(0, start - _LOOKBACK):start]
    if not _NEGATOR_HINT.search(window):
        return None
    last = None
    for last in _CLAUSE_BREAK.finditer(window):  # noqa: B007 (the last match is wanted)
        pass
    if last is not None:
        window = window[last.end():]
    tokens: list[str] = _TOKEN.findall(window)[-NEGATION_WINDOW:]
    head = _TOKEN.match(text, start)
    following = [*tokens[1:], head.group() if head else ""]
    for token, after in reversed(list(zip(tokens, following))):
        low = token.casefold().replace("’", "'")
        if (low in NEGATORS or low.endswith("n't")) and after.casefold() not in _NOT_NEGATING_NEXT:
            return token
    return None


# ---------------------------------------------------------------------------------------------- row tables

def match_text(text: str, lexicon: Lexicon | None = None) -> list[Hit]:
    """All topic and actor hits in one text (``lexicon=None``: the packaged default).

    >>> [h.label for h in match_text("Russia will backstab us again")]
    ['russia', 'betrayal']
    """
    return compile_lexicon(lexicon if lexicon is not None else load_lexicon()).hits(text)


def match_units(units: pl.DataFrame, lexicon: Lexicon | None = None) -> pl.DataFrame:
    """Long evidence table for ``units`` (columns ``unit_id``, ``text``): one row per hit, ``EVIDENCE_SCHEMA``.

    Rows follow the units' order, then the hit order of ``match_text``. Null texts yield no rows.
    """
    missing = [c for c in ("unit_id", "text") if c not in units.columns]
    if missing:
        raise ConfigError(f"units table lacks column(s) {', '.join(missing)}",
                          hint=f"give a table with columns unit_id and text; it has: {', '.join(units.columns)}")
    lex = lexicon if lexicon is not None else load_lexicon()
    rows: list[tuple[Any, ...]] = []
    ids = units.get_column("unit_id").cast(pl.String).to_list()
    texts = units.get_column("text").cast(pl.String).to_list()
    for unit_id, text in zip(ids, texts):
        if text:
            rows.extend((unit_id, *hit) for hit in match_text(text, lex))
    columns = list(zip(*rows)) if rows else [() for _ in EVIDENCE_SCHEMA]
    return pl.DataFrame(dict(zip(EVIDENCE_SCHEMA, map(list, columns))), schema=EVIDENCE_SCHEMA)


def tag_units(evidence: pl.DataFrame, units: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per unit, the sorted topics and actors with at least one counted hit (``TAGS_SCHEMA``).

    With ``units`` the result has one row per unit in the units' order (empty lists when untagged);
    without, one row per unit that appears in ``evidence``, in order of first appearance.
    """
    ids = (units.get_column("unit_id").cast(pl.String) if units is not None
           else evidence.get_column("unit_id").unique(maintain_order=True))
    base = pl.DataFrame({"unit_id": ids}, schema={"unit_id": pl.String()})
    valid = evidence.filter(pl.col("counted"))
    out = base
    for kind, column in (("topic", "topics"), ("actor", "actors")):
        agg = (valid.filter(pl.col("kind") == kind).group_by("unit_id")
               .agg(pl.col("label").unique().sort().alias(column)))
        out = out.join(agg, on="unit_id", how="left", maintain_order="left")
        out = out.with_columns(pl.col(column).fill_null(pl.lit([], dtype=pl.List(pl.String()))))
    return out.select(list(TAGS_SCHEMA)).cast(TAGS_SCHEMA)
