"""Import LIWC ``.dic`` and quanteda YAML dictionaries as lexicons, and write lexicons as TOML.

Categories become topics (LIWC has no actors). Wildcards (``tax*``) and multi-word entries
(``united states``) are kept as they are; the result can be saved with ``dump_lexicon_toml`` and loaded
again with ``load_lexicon(path, extend=False)``.

>>> lex = parse_liwc_dic("%\\n1\\tposemo\\n%\\nhapp*\\t1\\nkind of\\t1\\n")
>>> [(t.name, [e.pattern for e in t.entries]) for t in lex.topics]
[('posemo', ['happ*', 'kind of'])]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from discourse.errors import ConfigError, LexiconError, MissingDependencyError
from discourse.scoring.lexicon import (
    FORMAT_VERSION,
    Actor,
    Entry,
    Lexicon,
    Topic,
    load_lexicon,
    pattern_problem,
)

__all__ = ["IMPORT_FORMATS", "dump_lexicon_toml", "import_lexicon", "parse_liwc_dic", "parse_quanteda_yaml"]

IMPORT_FORMATS = ("liwc", "yaml", "toml")
_SUFFIXES = {".dic": "liwc", ".yml": "yaml", ".yaml": "yaml", ".toml": "toml"}
_YAML_HINT = "pip install 'discourse[yaml]'"


def import_lexicon(path: str | Path, format: str | None = None) -> Lexicon:
    """Read a LIWC ``.dic``, a quanteda YAML dictionary or a discourse TOML lexicon (standalone, no default).

    ``format`` is one of ``IMPORT_FORMATS``; None infers it from the suffix (.dic, .yml/.yaml, .toml).
    """
    path = Path(path)
    if format is None:
        format = _SUFFIXES.get(path.suffix.lower())
        if format is None:
            raise ConfigError(f"cannot tell the dictionary format of {path.name!r} from its suffix",
                              path=path, hint=f"pass format= one of: {', '.join(IMPORT_FORMATS)}")
    if format not in IMPORT_FORMATS:
        raise ConfigError(f"unknown dictionary format {format!r}", path=path,
                          hint=f"valid formats: {', '.join(IMPORT_FORMATS)}")
    if format == "toml":
        return load_lexicon(path, extend=False)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise LexiconError(f"cannot read dictionary: {err}", path=path,
                           hint="give the path of a UTF-8 text file") from err
    parse = parse_liwc_dic if format == "liwc" else parse_quanteda_yaml
    return parse(text, source=str(path), name=path.stem)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_\-]+", "_", name.strip()).strip("_")
    return slug if slug[:1].isalnum() else f"c{slug}" if slug else "unnamed"


def _topics(categories: list[tuple[str, str, str, list[tuple[str, int | None]]]],
            fail: Callable[[str, str, int | None], LexiconError]) -> tuple[Topic, ...]:
    """Build topics from ``(name, label, description, [(pattern, line)])``, validating every pattern."""
    seen: dict[str, str] = {}
    topics = []
    for name, label, description, patterns in categories:
        if name.casefold() in seen:
            raise fail(f"categories {seen[name.casefold()]!r} and {name!r} get the same topic name",
                       "rename one of the two categories", None)
        seen[name.casefold()] = name
        entries: list[Entry] = []
        have: set[str] = set()
        for pattern, line in patterns:
            problem = pattern_problem(pattern)
            if problem:
                raise fail(f"category {name!r}: {problem[0]}", problem[1], line)
            key = " ".join(pattern.split())
            if key not in have:  # dictionaries in the wild repeat words; one entry is enough
                have.add(key)
                entries.append(Entry(pattern, label=name))
        topics.append(Topic(name, tuple(entries), label=label, description=description))
    return tuple(topics)


def parse_liwc_dic(text: str, *, source: str = "<dic>", name: str = "liwc") -> Lexicon:
    """Parse LIWC ``.dic`` text: a ``%``-delimited header of ``number<TAB>category`` lines, then
    ``pattern<TAB>number number ...`` lines. Lines starting with ``#`` are comments. Raises ``LexiconError``
    with the line of the first malformed line."""

    def fail(message: str, hint: str, line: int | None) -> LexiconError:
        return LexiconError(message, path=source, line=line, hint=hint)

    lines = text.splitlines()
    numbered = [(i + 1, raw.strip()) for i, raw in enumerate(lines)]
    body = [(n, s) for n, s in numbered if s and not s.startswith("#")]
    if not body or body[0][1] != "%":
        raise fail("a LIWC dictionary starts with a '%' line", "put the category list between two '%' lines",
                   body[0][0] if body else None)
    names: dict[str, tuple[str, str]] = {}
    order: list[str] = []
    i = 1
    while i < len(body) and body[i][1] != "%":
        n, line = body[i]
        found = re.fullmatch(r"(\d+)\s+(\S.*)", line)
        if not found:
            raise fail(f"malformed category line {line!r}", "write: number<TAB>category name", n)
        number, label = found.group(1), found.group(2).strip()
        if number in names:
            raise fail(f"category number {number} is defined twice", "give each category its own number", n)
        names[number] = (_slug(label), label)
        order.append(number)
        i += 1
    if i == len(body):
        raise fail("the category list is not closed by a second '%' line", "add a '%' line after the categories",
                   body[-1][0])
    words: dict[str, list[tuple[str, int | None]]] = {number: [] for number in order}
    for n, _line in body[i + 1:]:
        raw = lines[n - 1].strip()
        if "\t" in raw:
            fields = [f.strip() for f in raw.split("\t") if f.strip()]
            pattern, cats = fields[0], " ".join(fields[1:]).split()
        else:
            # Without tabs the categories are the trailing run of numbers; the rest is the (multi-word) pattern.
            parts = raw.split()
            k = len(parts)
            while k > 1 and re.fullmatch(r"[\d()/]+", parts[k - 1]):
                k -= 1
            pattern, cats = " ".join(parts[:k]), parts[k:]
        if any("(" in c or "/" in c for c in cats):
            raise fail(f"conditional category {' '.join(cats)!r} for {pattern!r} is not supported",
                       "split the word into plain category numbers or delete the line", n)
        if not cats:
            raise fail(f"word {pattern!r} has no category numbers", "write: word<TAB>number [number ...]", n)
        for cat in cats:
            if cat not in words:
                known = ", ".join(order) or "none"
                raise fail(f"word {pattern!r} refers to undefined category {cat!r}",
                           f"defined category numbers: {known}", n)
            words[cat].append((pattern, n))
    topics = _topics([(names[num][0], names[num][1], f"LIWC category {num}", words[num]) for num in order], fail)
    return Lexicon(topics, name=name, description=f"Imported from LIWC dictionary {Path(source).name}",
                   source=source)


def parse_quanteda_yaml(text: str, *, source: str = "<yaml>", name: str = "quanteda") -> Lexicon:
    """Parse a quanteda-style YAML dictionary: keys are categories (nested keys become ``outer.inner``),
    values are a pattern or a list of patterns with ``*`` globs. Needs PyYAML (the ``yaml`` extra)."""
    try:
        import yaml
    except ImportError as err:
        raise MissingDependencyError("reading YAML dictionaries needs PyYAML", path=source, hint=_YAML_HINT) from err

    def fail(message: str, hint: str, line: int | None) -> LexiconError:
        return LexiconError(message, path=source, line=line, hint=hint)

    try:
        # BaseLoader keeps every scalar a string: "no", "on" and "yes" stay words, not booleans.
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise fail(f"invalid YAML: {getattr(err, 'problem', None) or err}", "fix the YAML syntax",
                   mark.line + 1 if mark is not None else None) from err
    if root is None or not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else None
        raise fail("a YAML dictionary must be a mapping of category names to patterns",
                   "write  category:\\n  - pattern", line)
    categories: list[tuple[str, str, str, list[tuple[str, int | None]]]] = []

    def walk(node: Any, path: list[str], labels: list[str]) -> None:
        for key_node, value in node.value:
            key = _slug(str(key_node.value))
            full = ".".join([*path, key])
            label = ".".join([*labels, str(key_node.value)])
            line = key_node.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                walk(value, [*path, key], [*labels, str(key_node.value)])
            elif isinstance(value, yaml.SequenceNode):
                patterns = []
                for item in value.value:
                    if not isinstance(item, yaml.ScalarNode):
                        raise fail(f"category {full!r}: patterns must be plain strings",
                                   "write one pattern per list item", item.start_mark.line + 1)
                    patterns.append((_glob(item.value, full, item.start_mark.line + 1, fail),
                                     item.start_mark.line + 1))
                categories.append((full, label, "", patterns))
            elif isinstance(value, yaml.ScalarNode):
                patterns = [] if value.value == "" else [(_glob(value.value, full, line, fail), line)]
                categories.append((full, label, "", patterns))

    walk(root, [], [])
    topics = _topics(categories, fail)
    return Lexicon(topics, name=name, description=f"Imported from YAML dictionary {Path(source).name}",
                   source=source)


def _glob(pattern: str, category: str, line: int,
          fail: Callable[[str, str, int | None], LexiconError]) -> str:
    if "?" in pattern:
        raise fail(f"category {category!r}: pattern {pattern!r} uses the single-character glob '?'",
                   "replace it with a trailing * or list the variants", line)
    return pattern


# ------------------------------------------------------------------------------------------------- writing

def _string(value: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_\-]+", name) else _string(name)


def _entry(entry: Entry) -> str:
    if entry.case == "insensitive" and not entry.note:
        return _string(entry.pattern)
    parts = [f"pattern = {_string(entry.pattern)}"]
    if entry.case != "insensitive":
        parts.append(f"case = {_string(entry.case)}")
    if entry.note:
        parts.append(f"note = {_string(entry.note)}")
    return "{ " + ", ".join(parts) + " }"


def dump_lexicon_toml(lexicon: Lexicon) -> str:
    """The lexicon as a standalone (``mode = "replace"``) TOML file; loading it gives an equal ``Lexicon``."""
    lines = [f"# A discourse lexicon (sha256 {lexicon.sha256}); format: docs/lexicon.md", "",
             f"format = {FORMAT_VERSION}", f"name = {_string(lexicon.name)}",
             f"description = {_string(lexicon.description)}", 'mode = "replace"']

    def table(section: str, item: Topic | Actor, list_key: str, entries: tuple[Entry, ...]) -> None:
        lines.extend(["", f"[{section}.{_key(item.name)}]", f"label = {_string(item.label)}",
                      f"description = {_string(item.description)}"])
        if isinstance(item, Topic) and not item.negation:
            lines.append("negation = false")
        if entries:
            lines.append(f"{list_key} = [")
            lines.extend(f"    {_entry(e)}," for e in entries)
            lines.append("]")
        else:
            lines.append(f"{list_key} = []")

    if lexicon.ignore:
        lines.append("ignore = [")
        lines.extend(f"    {_entry(e)}," for e in lexicon.ignore)
        lines.append("]")
    for topic in lexicon.topics:
        table("topics", topic, "entries", topic.entries)
    for actor in lexicon.actors:
        table("actors", actor, "aliases", actor.aliases)
    return "\n".join(lines) + "\n"

