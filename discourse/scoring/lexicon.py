"""Topic and actor lexicons: the data model, loading from TOML, one-regex compilation, and matching.

A lexicon maps *topics* (betrayal, concessions, ...) and *actors* (Russia, Turkey, ...) to entries: words,
multi-word phrases and suffix wildcards. The whole lexicon is compiled into one scanning regex, so a text is
read once whatever the number of entries. The file format is described in ``docs/lexicon.md``.

>>> lex = load_lexicon()
>>> [(h.label, h.matched) for h in match_text("Compromise is not treason", lex) if h.kind == "topic"]
[('concessions', 'Compromise'), ('betrayal', 'treason')]
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from discourse import schema
from discourse.errors import ConfigError, LexiconError
from discourse.native import enabled

try:
    import discourse.scoring._scan as _scan
except ImportError:  # built without a C compiler: the scanner regex finds the same matches
    _scan = None

__all__ = [
    "CASE_RULES", "ENTRY_FORMS", "EVIDENCE_SCHEMA", "FORMAT_VERSION", "GAP_WORDS", "KINDS", "MODES",
    "NEGATION_WINDOW", "NEGATORS", "TAGS_SCHEMA",
    "Actor", "CompiledLexicon", "Entry", "Hit", "Lexicon", "Topic",
    "compile_lexicon", "lexicon_from_data", "load_lexicon", "match_text", "match_units", "negator_before",
    "parse_lexicon_toml", "pattern_problem", "tag_units",
]

CASE_RULES = ("insensitive", "sensitive")
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
_TOPIC_KEYS = ("label", "description", "negation", "entries")
_ACTOR_KEYS = ("label", "description", "aliases")
_ENTRY_KEYS = ("pattern", "case", "note")
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_REGEX_SYNTAX = frozenset("\\^$|()[]{}+?")
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
    bad = sorted(_REGEX_SYNTAX.intersection(pattern))
    if bad:
        return f"pattern {pattern!r} contains regex syntax {' '.join(bad)!r}", _PATTERN_HINT
    tokens = pattern.split()
    for i, token in enumerate(tokens):
        if token in ("...", "…"):
            if i == 0 or i == len(tokens) - 1 or tokens[i - 1] in ("...", "…"):
                return (f"pattern {pattern!r}: '...' must stand between two words",
                        "write the gap as: first words ... last word")
            continue
        if "**" in token:
            return f"pattern {pattern!r} has a double wildcard '**'", "use a single trailing *"
        if "*" in token:
            stem = token.rstrip("*")
            if not stem:
                return (f"pattern {pattern!r} is a bare wildcard '*' that would match every word",
                        "give the wildcard a stem of at least two letters (concession*)")
            if "*" in stem:
                return (f"pattern {pattern!r} has * inside or before a word",
                        "wildcards go at the end of a word only (compromis*)")
            if len(re.findall(r"\w", stem)) < 2:
                return (f"pattern {pattern!r} has a wildcard stem shorter than two letters",
                        "lengthen the stem, a one-letter stem matches far too much")
        if token[0] in _HYPHENS or token.rstrip("*")[-1] in _HYPHENS:
            return (f"pattern {pattern!r} has a hyphen at the edge of a word",
                    "a hyphen joins two parts of one word (cease-fire)")
    if not re.search(r"\w", pattern):
        return f"pattern {pattern!r} has no letter or digit", "a pattern must contain a word"
    return None


def _form_of(pattern: str) -> str:
    if len(pattern.split()) > 1:
        return "phrase"
    return "wildcard" if pattern.endswith("*") else "word"


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

    @property
    def form(self) -> str:
        """``word``, ``phrase`` (several words, possibly with wildcards or gaps) or ``wildcard``."""
        return _form_of(self.pattern)


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

    def __post_init__(self) -> None:
        _check_name("topic", self.name)
        if not isinstance(self.negation, bool):
            raise LexiconError(f"topic {self.name!r}: negation must be true or false, got {self.negation!r}")
        object.__setattr__(self, "label", self.label or self.name)
        object.__setattr__(self, "entries", _own_entries(self.name, "topic", self.entries))


@dataclass(frozen=True)
class Actor:
    """An actor (a state, a leader, an organisation) and the aliases that name it."""

    name: str
    aliases: tuple[Entry, ...] = ()
    label: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        _check_name("actor", self.name)
        object.__setattr__(self, "label", self.label or self.name)
        object.__setattr__(self, "aliases", _own_entries(self.name, "actor", self.aliases))


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
        def entry(e: Entry) -> dict[str, str]:
            return {"pattern": e.pattern, "case": e.case, "note": e.note}
        out: dict[str, Any] = {
            "format": FORMAT_VERSION, "name": self.name, "description": self.description,
            "topics": [{"name": t.name, "label": t.label, "description": t.description,
                        "negation": t.negation, "entries": [entry(e) for e in t.entries]} for t in self.topics],
            "actors": [{"name": a.name, "label": a.label, "description": a.description,
                        "aliases": [entry(e) for e in a.aliases]} for a in self.actors],
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
        raw = path.read_text(encoding="utf-8")
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
    """Parse TOML text; syntax errors (duplicate tables included) become ``LexiconError`` with their line."""
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        found = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(found.group(1)) if found else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        hint = "fix the TOML syntax"
        if "twice" in msg:
            hint = "each [topics.NAME] or [actors.NAME] table may appear once; merge the duplicates"
        raise LexiconError(f"invalid TOML: {msg}", path=source, line=line, hint=hint) from err


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


class _Locator:
    """Finds the line of a table or an entry in the TOML text, for error messages."""

    def __init__(self, raw: str | None) -> None:
        self.lines = raw.splitlines() if raw else []

    def table(self, section: str, name: str) -> int | None:
        head = re.compile(r"\s*\[\s*" + section + r"\s*\.\s*[\"']?" + re.escape(name) + r"[\"']?\s*\]")
        for i, line in enumerate(self.lines):
            if head.match(line):
                return i + 1
        return None

    def key(self, name: str) -> int | None:
        """The line of a top-level ``name = ...`` (before the first table)."""
        head = re.compile(r"\s*" + re.escape(name) + r"\s*=")
        for i, line in enumerate(self.lines):
            if line.lstrip().startswith("["):
                return None
            if head.match(line):
                return i + 1
        return None

    def item(self, section: str, name: str, needle: str) -> int | None:
        start = self.key(name) if section == "" else self.table(section, name)
        if start is None:
            return None
        for i in range(start, len(self.lines)):
            if i > start and self.lines[i].lstrip().startswith("["):
                break
            if needle and needle in self.lines[i]:
                return i + 1
        return start


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
                raise fail(f"{who}: duplicate entry {pattern!r}", "delete one of the two", at)
            seen.add(key)
            out.append(Entry(pattern, label=owner, kind=kind, case=case, note=note))
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

    topics: list[Topic] = []
    for name, table in tables("topics").items():
        line = where.table("topics", name)
        bad = sorted(set(table) - set(_TOPIC_KEYS))
        if bad:
            raise fail(f"topic {name!r} has unknown key {bad[0]!r}", f"valid topic keys: {', '.join(_TOPIC_KEYS)}",
                       line)
        for key in ("label", "description"):
            if not isinstance(table.get(key, ""), str):
                raise fail(f"topic {name!r}: {key} must be a string", f"write {key} = \"...\"", line)
        if not isinstance(table.get("negation", True), bool):
            raise fail(f"topic {name!r}: negation must be true or false", "write negation = true", line)
        topics.append(Topic(name, tuple(entries("topics", "topic", name, table.get("entries", []), "entries")),
                            label=table.get("label", ""), description=table.get("description", ""),
                            negation=table.get("negation", True)))
    actors: list[Actor] = []
    for name, table in tables("actors").items():
        line = where.table("actors", name)
        bad = sorted(set(table) - set(_ACTOR_KEYS))
        if bad:
            raise fail(f"actor {name!r} has unknown key {bad[0]!r}", f"valid actor keys: {', '.join(_ACTOR_KEYS)}",
                       line)
        for key in ("label", "description"):
            if not isinstance(table.get(key, ""), str):
                raise fail(f"actor {name!r}: {key} must be a string", f"write {key} = \"...\"", line)
        actors.append(Actor(name, tuple(entries("actors", "actor", name, table.get("aliases", []), "aliases")),
                            label=table.get("label", ""), description=table.get("description", "")))
    ignore = entries("", "ignore", "ignore", data.get("ignore", []), "ignore")
    return Lexicon(tuple(topics), tuple(actors), name=data.get("name", "lexicon"),
                   description=data.get("description", ""), source=source, ignore=tuple(ignore))


# ----------------------------------------------------------------------------------------------- compiling

# An atom is one step of a pattern: ("c", char, sensitive), ("apos",), ("hyph",), ("sp",), ("gap",), ("wild",).
_Atom = tuple[Any, ...]
_ATOM_RANK = {"c": 0, "apos": 1, "hyph": 2, "sp": 3, "gap": 4, "wild": 5}
_WORD_CHARS = r"[\w'’\-‐‑]"


def _atoms(entry: Entry) -> tuple[_Atom, ...]:
    sensitive = entry.case == "sensitive"
    out: list[_Atom] = []
    tokens = entry.pattern.split()
    for i, token in enumerate(tokens):
        if token in ("...", "…"):
            out[-1:] = [("gap",)]  # replaces the separator just written
            continue
        for ch in token:
            if ch == "*":
                out.append(("wild",))
            elif ch in _APOSTROPHES:
                out.append(("apos",))
            elif ch in _HYPHENS:
                out.append(("hyph",))
            else:
                out.append(("c", ch if sensitive else ch.casefold(), sensitive))
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
    return "".join(_atom_regex(a, capture=capture) for a in atoms)


class _TrieNode(NamedTuple):
    edges: list[tuple[_Atom, _TrieNode]]  # in the order they are tried
    terminal: bool


def _trie(forms: Sequence[tuple[_Atom, ...]]) -> _TrieNode:
    """The patterns as a prefix tree, each node's branches in the order they are tried.

    At every node the branch that can run longest is tried first and stopping is tried last, so the regex
    engine's first success is the longest match in practice ("Western Armenia" before the case-sensitive
    "Western", "betrayal of trust" before "betray*"). A gap counts as its maximum width.
    """
    root: dict[Any, Any] = {}
    end = object()
    for atoms in forms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[end] = True

    width = {"gap": GAP_WORDS * 8, "sp": 1, "wild": 1}
    reach: dict[int, int] = {}

    def depth(node: dict[Any, Any]) -> int:
        if id(node) not in reach:
            reach[id(node)] = max((width.get(k[0], 1) + depth(node[k]) for k in node if k is not end), default=0)
        return reach[id(node)]

    def build(node: dict[Any, Any]) -> _TrieNode:
        keys = sorted((k for k in node if k is not end),
                      key=lambda a: (-(width.get(a[0], 1) + depth(node[a])), _ATOM_RANK[a[0]], a[1:]))
        return _TrieNode([(k, build(node[k])) for k in keys], end in node)

    return build(root)


def _trie_regex(trie: _TrieNode) -> str:
    """One alternation shaped as the prefix tree (:func:`_trie`)."""
    def emit(node: _TrieNode) -> str:
        parts = [_atom_regex(atom) + emit(child) for atom, child in node.edges]
        if node.terminal:
            parts.append("")
        if len(parts) == 1:
            return parts[0]
        return "(?:" + "|".join(parts) + ")"

    return emit(trie) if trie.edges else "(?!)"


_ATOM_CODES = {"c": 0, "apos": 1, "hyph": 2, "sp": 3, "gap": 4, "wild": 5}


def _trie_program(trie: _TrieNode) -> list[tuple[bool, list[tuple[int, str, bool, int]]]]:
    """The prefix tree as the node list the C scanner walks (``_scan.c``): node 0 is the root; each edge is
    ``(atom code, literal characters, case-sensitive, child node)``."""
    nodes: list[tuple[bool, list[tuple[int, str, bool, int]]]] = []

    def add(node: _TrieNode) -> int:
        index = len(nodes)
        edges: list[tuple[int, str, bool, int]] = []
        nodes.append((node.terminal, edges))
        for atom, child in node.edges:
            literal, sensitive = (atom[1], atom[2]) if atom[0] == "c" else ("", False)
            edges.append((_ATOM_CODES[atom[0]], literal, sensitive, add(child)))
        return index

    if trie.edges:
        add(trie)
    return nodes


# A match must start at a word start (not after a letter, nor after "don'") and end at a word end; a following
# apostrophe is allowed only for the possessive ('s or a bare '), so "don" never matches inside "don't".
# The scanner consumes the character before the word (hence texts are scanned with a space in front): a
# pattern that starts with a character class lets the regex engine skip every position inside a word in
# its own loop instead of trying the whole pattern there (a sixth off the scan of a typical comment).
_BEFORE = r"\W(?<!\w['’])"
_RIGHT = r"(?!\w)(?!['’](?!s\b)\w)"


class Hit(NamedTuple):
    """One match of a lexicon entry in a text (immutable). ``text[start:end] == matched``.

    The fields are the evidence columns after ``unit_id``, in the same order.
    """

    kind: str
    label: str
    entry: str
    matched: str
    start: int
    end: int
    negated: bool = False
    negator: str | None = None


class CompiledLexicon:
    """A lexicon compiled to two regexes: ``scanner`` reads texts; ``verifier`` names the entries of a match.

    The scanner is a single alternation over every topic entry and actor alias (a prefix tree, so matching
    is one left-to-right pass); it reads a text with one space in front and its group 1 is the match. At
    each position the longest match wins. The matched surface is then checked
    against every entry at once by the verifier (one optional lookahead per distinct pattern), so a surface
    that satisfies entries of two topics (or a topic and an actor) yields a hit for each. The surface to
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
            atoms = _atoms(entry)
            if atoms not in form_index:
                form_index[atoms] = len(form_index)
                self._form_entries.append([])
            self._form_entries[form_index[atoms]].append(entry)
        forms = list(form_index)
        self._gapped = [any(a[0] == "gap" for a in f) for f in forms]
        trie = _trie(forms)
        self.scanner: re.Pattern[str] = re.compile(f"{_BEFORE}(?i:({_trie_regex(trie)}){_RIGHT})")
        self._native = _native_scanner(trie)
        self.verifier: re.Pattern[str] = re.compile(
            "".join(f"(?:(?=(?P<f{i}>{_sequence_regex(f, capture=f'g{i}')})\\Z))?" for i, f in enumerate(forms)),
            re.IGNORECASE)
        self._negation = {t.name: t.negation for t in lexicon.topics}
        self._memo: dict[str, _Resolved] = {}

    def __reduce__(self) -> tuple[Any, tuple[Lexicon]]:
        # compiled again where it is unpickled: the C scanner does not pickle
        return CompiledLexicon, (self.lexicon,)

    def _resolve(self, surface: str) -> _Resolved:
        """The entries satisfied by a matched surface (memoised): one per topic/actor, most specific first;
        none when the surface is an ``ignore`` phrase."""
        found = self._memo.get(surface)
        if found is not None:
            return found
        m = self.verifier.match(surface)
        best: dict[tuple[str, str], tuple[tuple[bool, int, int], Entry]] = {}
        gap: tuple[int, int] | None = None
        order = 0
        if m is not None:
            for i, entries in enumerate(self._form_entries):
                if m.group(f"f{i}") is None:
                    continue
                if any(e.kind == "ignore" for e in entries):
                    best, gap = {}, None  # an ignored phrase: no hit, and its gap is not searched
                    break
                if self._gapped[i] and gap is None:
                    gap = m.span(f"g{i}")
                for entry in entries:
                    order += 1
                    # Most specific entry per topic/actor: exact words before wildcards, longer before shorter.
                    rank = (entry.form != "wildcard", len(entry.pattern), -order)
                    key = (entry.kind, entry.label)
                    if key not in best or rank > best[key][0]:
                        best[key] = (rank, entry)
        chosen = sorted((e for _, e in best.values()), key=lambda e: (e.kind != "topic", e.label))
        items = tuple((e.kind, e.label, e.pattern, e.kind == "topic" and self._negation[e.label]) for e in chosen)
        result = _Resolved(items, any(i[3] for i in items), gap if gap and gap[1] > gap[0] else None)
        if len(self._memo) >= self._MEMO_LIMIT:
            self._memo.clear()
        self._memo[surface] = result
        return result

    def match(self, text: str) -> list[Hit]:
        """Every hit in ``text``, ordered by start offset, topics before actors, then label."""
        hits: list[Hit] = []
        if self._scan(text, " " + text, 0, len(text), hits):
            hits.sort(key=lambda h: (h.start, h.kind != "topic", h.label))
        return hits

    def _scan(self, text: str, padded: str, pos: int, endpos: int, hits: list[Hit]) -> bool:
        """Append the hits in ``text[pos:endpos]``; True when a gap was rescanned (hits then need sorting).

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
                if negatable and negator is not None:
                    hits.append(Hit(kind, label, pattern, surface, start, end, True, negator))
                else:
                    hits.append(Hit(kind, label, pattern, surface, start, end))
            if res.gap is not None:
                # Words inside a gap ("give back SOME land") are not part of the phrase: scan them too.
                self._scan(text, padded, start + res.gap[0], start + res.gap[1], hits)
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
            found.append((start - 1, end - 1))
            pos = end - 1
        return found


class _Resolved(NamedTuple):
    items: tuple[tuple[str, str, str, bool], ...]  # (kind, label, pattern, negatable)
    negatable: bool
    gap: tuple[int, int] | None


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
    return compile_lexicon(lexicon if lexicon is not None else load_lexicon()).match(text)


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
    """Per unit, the sorted topics and actors with at least one non-negated hit (``TAGS_SCHEMA``).

    With ``units`` the result has one row per unit in the units' order (empty lists when untagged);
    without, one row per unit that appears in ``evidence``, in order of first appearance.
    """
    ids = (units.get_column("unit_id").cast(pl.String) if units is not None
           else evidence.get_column("unit_id").unique(maintain_order=True))
    base = pl.DataFrame({"unit_id": ids}, schema={"unit_id": pl.String()})
    valid = evidence.filter(~pl.col("negated"))
    out = base
    for kind, column in (("topic", "topics"), ("actor", "actors")):
        agg = (valid.filter(pl.col("kind") == kind).group_by("unit_id")
               .agg(pl.col("label").unique().sort().alias(column)))
        out = out.join(agg, on="unit_id", how="left", maintain_order="left")
        out = out.with_columns(pl.col(column).fill_null(pl.lit([], dtype=pl.List(pl.String()))))
    return out.select(list(TAGS_SCHEMA)).cast(TAGS_SCHEMA)
