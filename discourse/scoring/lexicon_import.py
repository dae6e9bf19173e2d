"""Import LIWC ``.dic`` and quanteda YAML dictionaries as lexicons, and write lexicons as TOML.

Categories become topics (LIWC has no actors). Wildcards (``tax*``, ``colo*r``, ``fair-*``) and multi-word
entries (``united states``) are kept as they are; the result can be saved with ``dump_lexicon_toml`` and
loaded again with ``load_lexicon(path, extend=False)``.

Imported topics count every hit, as LIWC and quanteda do: ``negation=True`` (``lexicon import --negation``)
turns on discourse's negation handling ("not fair" then does not tag the topic).

>>> lex = parse_liwc_dic("%\\n1\\tposemo\\n%\\nhapp*\\t1\\nkind of\\t1\\n")
>>> [(t.name, [e.pattern for e in t.entries]) for t in lex.topics]
[('posemo', ['happ*', 'kind of'])]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from discourse.errors import ConfigError, LexiconError, MissingDependencyError
from discourse.scoring.lexicon import (
    DEFAULT_WINDOW,
    FORMAT_VERSION,
    Actor,
    Entry,
    Implication,
    Lexicon,
    Topic,
    load_lexicon,
    pattern_problem,
)

__all__ = ["IMPORT_FORMATS", "dump_lexicon_toml", "import_lexicon", "parse_liwc_dic", "parse_quanteda_yaml"]

IMPORT_FORMATS = ("liwc", "yaml", "toml")
_SUFFIXES = {".dic": "liwc", ".yml": "yaml", ".yaml": "yaml", ".toml": "toml"}
_YAML_HINT = "pip install 'discourse[yaml]'"


def import_lexicon(path: str | Path, format: str | None = None, *,
                   negation: bool = False) -> Lexicon:
    """Read a LIWC ``.dic``, a quanteda YAML dictionary or a discourse TOML lexicon (standalone, no default).

    ``format`` is one of ``IMPORT_FORMATS``; None infers it from the suffix (.dic, .yml/.yaml, .toml).
    ``negation`` applies to .dic and YAML imports: False (the default) counts every hit, as LIWC and quanteda
    do; True lets a negator before a hit ("not fair") keep it from tagging the unit. A TOML lexicon keeps
    its own setting.
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
        raw = path.read_bytes()
    except OSError as err:
        raise LexiconError(f"cannot read dictionary: {err.strerror or err}", path=path,
                           hint="give the path of a UTF-8 text file") from err
    encoding = "UTF-8"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if format != "liwc":
            raise LexiconError("the dictionary is not UTF-8 text", path=path,
                               hint="save it as UTF-8 (YAML files are UTF-8)") from None
        # older LIWC dictionaries are Windows-1252, as quanteda assumes when a file is not UTF-8
        text, encoding = raw.decode("cp1252", errors="replace"), "Windows-1252"
    parse = parse_liwc_dic if format == "liwc" else parse_quanteda_yaml
    lex = parse(text, source=str(path), name=path.stem, negation=negation)
    if encoding != "UTF-8":
        lex = replace(lex, description=f"{lex.description} (read as {encoding}: the file is not UTF-8)")
    return lex


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_\-]+", "_", name.strip()).strip("_")
    return slug if slug[:1].isalnum() else f"c{slug}" if slug else "unnamed"


def _topics(categories: list[tuple[str, str, str, list[tuple[str, int | None]]]],
            fail: Callable[[str, str, int | None], LexiconError], negation: bool) -> tuple[Topic, ...]:
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
        topics.append(Topic(name, tuple(entries), label=label, description=description, negation=negation))
    return tuple(topics)


def parse_liwc_dic(text: str, *, source: str = "<dic>", name: str = "liwc", negation: bool = False) -> Lexicon:
    """Parse LIWC ``.dic`` text: a ``%``-delimited header of ``number<TAB>category`` lines, then
    ``pattern<TAB>number number ...`` lines. Lines starting with ``#`` are comments. Category numbers are
    numbers: ``01`` in the header and ``1`` after a word (or the reverse) are one category, as in the Moral
    Foundations Dictionary. Raises ``LexiconError`` with the line of the first malformed line."""

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
        number, label = str(int(found.group(1))), found.group(2).strip()
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
            cat = str(int(cat)) if cat.isdigit() else cat
            if cat not in words:
                known = ", ".join(order) or "none"
                raise fail(f"word {pattern!r} refers to undefined category {cat!r}",
                           f"defined category numbers: {known}", n)
            words[cat].append((pattern, n))
    topics = _topics([(names[num][0], names[num][1], f"LIWC category {num}", words[num]) for num in order], fail,
                     negation)
    return Lexicon(topics, name=name, description=f"Imported from LIWC dictionary {Path(source).name}",
                   source=source)


#: how deeply a YAML dictionary's categories may nest (quanteda dictionaries nest two or three levels)
YAML_MAX_DEPTH = 100


def parse_quanteda_yaml(text: str, *, source: str = "<yaml>", name: str = "quanteda",
                        negation: bool = False) -> Lexicon:
    """Parse a quanteda-style YAML dictionary: keys are categories (nested keys become ``outer.inner``),
    values are a pattern or a list of patterns with ``*`` globs. Needs PyYAML (the ``yaml`` extra).

    The file is read as a stream of parser events in one pass, without building a node tree and without
    recursion. Aliases (``*name``) are refused: categories that alias each other repeat their patterns
    exponentially (a 600-byte "billion laughs" file would fill the memory). Categories nest at most
    ``YAML_MAX_DEPTH`` levels.
    """
    try:
        import yaml
    except ImportError as err:
        raise MissingDependencyError("reading YAML dictionaries needs PyYAML", path=source, hint=_YAML_HINT) from err

    def fail(message: str, hint: str, line: int | None) -> LexiconError:
        return LexiconError(message, path=source, line=line, hint=hint)

    categories: list[tuple[str, str, str, list[tuple[str, int | None]]]] = []
    # the open mappings and lists: ("map", names, labels, [key, key line] or None) or ("list", name, label, patterns)
    stack: list[list[Any]] = []
    documents = 0
    root_seen = False
    try:
        # BaseLoader keeps every scalar a string: "no", "on" and "yes" stay words, not booleans.
        for event in yaml.parse(text, Loader=yaml.BaseLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail("invalid YAML: more than one document", "a dictionary is one YAML document", line)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise fail(f"YAML alias *{event.anchor} is not read (aliases can repeat patterns without bound)",
                           f"write the patterns of &{event.anchor} out where *{event.anchor} stands", line)
            if not stack:
                if root_seen or not isinstance(event, yaml.MappingStartEvent):
                    raise fail("a YAML dictionary must be a mapping of category names to patterns",
                               "write  category:\\n  - pattern", line)
                root_seen = True
                stack.append(["map", [], [], None])
                continue
            top = stack[-1]
            if top[0] == "list":
                if isinstance(event, yaml.SequenceEndEvent):
                    stack.pop()
                    categories.append((top[1], top[2], "", top[3]))
                elif isinstance(event, yaml.ScalarEvent):
                    top[3].append((_glob(event.value, top[1], line or 0, fail), line))
                else:
                    raise fail(f"category {top[1]!r}: patterns must be plain strings",
                               "write one pattern per list item", line)
                continue
            if isinstance(event, yaml.MappingEndEvent):
                stack.pop()
                continue
            if top[3] is None:  # a key
                if not isinstance(event, yaml.ScalarEvent):
                    raise fail("a category name must be a plain string", "write  category:\\n  - pattern", line)
                top[3] = (event.value, line)
                continue
            key, key_line = top[3]
            top[3] = None
            names, labels = [*top[1], _slug(key)], [*top[2], key]
            full, label = ".".join(names), ".".join(labels)
            if isinstance(event, yaml.MappingStartEvent):
                if len(stack) >= YAML_MAX_DEPTH:
                    raise fail(f"categories nest more than {YAML_MAX_DEPTH} levels deep",
                               "a dictionary nests categories a few levels deep; flatten it", line)
                stack.append(["map", names, labels, None])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append(["list", full, label, []])
            elif isinstance(event, yaml.ScalarEvent):
                categories.append((full, label, "", [] if event.value == "" else
                                   [(_glob(event.value, full, key_line, fail), key_line)]))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise fail(f"invalid YAML: {getattr(err, 'problem', None) or err}", "fix the YAML syntax",
                   mark.line + 1 if mark is not None else None) from err
    if not root_seen:
        raise fail("a YAML dictionary must be a mapping of category names to patterns",
                   "write  category:\\n  - pattern", None)
    topics = _topics(categories, fail, negation)
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


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def _entry(entry: Entry) -> str:
    if entry.case == "insensitive" and not entry.note and not entry.has_context:
        return _string(entry.pattern)
    parts = [f"pattern = {_string(entry.pattern)}"]
    if entry.case != "insensitive":
        parts.append(f"case = {_string(entry.case)}")
    if entry.note:
        parts.append(f"note = {_string(entry.note)}")
    if entry.only_near:
        parts.append(f"only_near = {_strings(entry.only_near)}")
    if entry.unless_near:
        parts.append(f"unless_near = {_strings(entry.unless_near)}")
    if entry.has_context and entry.window != DEFAULT_WINDOW:
        parts.append(f"window = {entry.window}")
    return "{ " + ", ".join(parts) + " }"


def _implication(imp: Implication, owner: str) -> str:
    head = f"topic = {_string(imp.topic)}" if owner == "actor" else f"actors = {_strings(imp.actors)}"
    unless = f", unless_near = {_strings(imp.unless_near)}" if imp.unless_near else ""
    return "{ " + head + f", near = {_strings(imp.near)}{unless}, window = {imp.window}" + " }"


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
        if isinstance(item, Topic) and item.quotation != "count":
            lines.append(f"quotation = {_string(item.quotation)}")
        if isinstance(item, Topic) and item.only_near:
            lines.append(f"only_near = {_strings(item.only_near)}")
        if isinstance(item, Topic) and item.unless_near:
            lines.append(f"unless_near = {_strings(item.unless_near)}")
        if isinstance(item, Topic) and (item.only_near or item.unless_near) and item.window != DEFAULT_WINDOW:
            lines.append(f"window = {item.window}")
        implications = item.implied_by if isinstance(item, Topic) else item.implies
        if implications:
            lines.append(f"{'implied_by' if isinstance(item, Topic) else 'implies'} = [")
            lines.extend(f"    {_implication(i, 'topic' if isinstance(item, Topic) else 'actor')}," for i in implications)
            lines.append("]")
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



def write_lexicon_toml(lexicon: Lexicon, out: str | Path) -> Path:
    """Write ``lexicon`` as TOML to ``out``, replacing a previous file whole (never half written); the folder
    must exist."""
    from discourse.outputs import replacing_file

    out = Path(out)
    with replacing_file(out) as work:
        work.write_text(dump_lexicon_toml(lexicon), encoding="utf-8")
    return out
