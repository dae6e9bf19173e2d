"""Tests for discourse.scoring.lexicon_import: LIWC .dic and quanteda YAML import, TOML writing."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.errors import ConfigError, LexiconError, MissingDependencyError
from discourse.scoring.lexicon import (
    Actor,
    Entry,
    Lexicon,
    Topic,
    lexicon_from_data,
    load_lexicon,
    match_text,
    parse_lexicon_toml,
)
from discourse.scoring.lexicon_import import (
    dump_lexicon_toml,
    import_lexicon,
    parse_liwc_dic,
    parse_quanteda_yaml,
)

LIWC = """\
# A small LIWC-style dictionary
%
1\tposemo
2\tnegemo
3\tbetrayal words
%
happ*\t1
love\t1
kind of\t1\t2
betray*\t2 3
sell out\t3
traitor 2 3
no way 2
"""

QUANTEDA = """\
# quanteda dictionary
economy:
  jobs:
    - job*
    - employ*
  taxes: tax*
negation:
  - no
  - not
  - "on"
places:
  - united states
  - Nagorno-Karabakh
empty: []
"""


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def roundtrip(lexicon: Lexicon) -> Lexicon:
    text = dump_lexicon_toml(lexicon)
    return lexicon_from_data(parse_lexicon_toml(text), raw=text)


# ------------------------------------------------------------------------------------------------- LIWC

def test_liwc_categories_wildcards_and_phrases(tmp_path: Path) -> None:
    lex = import_lexicon(write(tmp_path, LIWC, "small.dic"))
    assert [(t.name, t.label) for t in lex.topics] == [
        ("posemo", "posemo"), ("negemo", "negemo"), ("betrayal_words", "betrayal words")]
    assert [e.pattern for e in lex.topic("posemo").entries] == ["happ*", "love", "kind of"]
    assert [e.pattern for e in lex.topic("negemo").entries] == ["kind of", "betray*", "traitor", "no way"]
    assert [e.pattern for e in lex.topic("betrayal_words").entries] == ["betray*", "sell out", "traitor"]
    assert [e.form for e in lex.topic("posemo").entries] == ["wildcard", "word", "phrase"]
    assert lex.name == "small" and lex.actors == ()
    labels = {h.label for h in match_text("They were so happy, kind of, until they sold... no, sell  out", lex)}
    assert labels == {"posemo", "negemo", "betrayal_words"}


def test_liwc_duplicates_are_merged() -> None:
    lex = parse_liwc_dic("%\n1\ta\n%\nword\t1\nword\t1\n")
    assert [e.pattern for e in lex.topic("a").entries] == ["word"]


@pytest.mark.parametrize("text, line, message, hint", [
    ("1\tposemo\n%\nhappy\t1\n", 1, "starts with a '%' line", "between two '%' lines"),
    ("%\n1\tposemo\nhappy\t1\n", 3, "malformed category line", "number<TAB>category"),
    ("%\n1\tposemo\n", 2, "not closed", "'%' line after"),
    ("%\n1\tposemo\n1\tnegemo\n%\n", 3, "defined twice", "own number"),
    ("%\n1\tposemo\n%\nhappy\t1\nsad\t7\n", 5, "undefined category '7'", "defined category numbers: 1"),
    ("%\n1\tposemo\n%\nhappy\n", 4, "has no category numbers", "word<TAB>number"),
    ("%\n1\tposemo\n%\nlike\t(02 134)125/464\t1\n", 4, "conditional category", "plain category numbers"),
    ("%\n1\tposemo\n%\n# comment\n\n**\t1\n", 6, "double wildcard", "single trailing"),
    ("%\n1\tposemo\n%\nh*\t1\n", 4, "shorter than two letters", "lengthen the stem"),
    ("%\n1\tposemo\n%\n:)\t1\n", 4, "regex syntax", "not regular expressions"),
])
def test_malformed_liwc(tmp_path: Path, text: str, line: int, message: str, hint: str) -> None:
    path = write(tmp_path, text, "bad.dic")
    with pytest.raises(LexiconError) as info:
        import_lexicon(path)
    err = info.value
    assert (err.path, err.line) == (str(path), line)
    assert message in err.message and hint in (err.hint or "")
    assert str(err).startswith(f"{path}:{line}: ")


# --------------------------------------------------------------------------------------------- quanteda

def test_quanteda_yaml(tmp_path: Path) -> None:
    lex = import_lexicon(write(tmp_path, QUANTEDA, "dict.yml"))
    assert [t.name for t in lex.topics] == ["economy.jobs", "economy.taxes", "negation", "places", "empty"]
    assert [e.pattern for e in lex.topic("economy.jobs").entries] == ["job*", "employ*"]
    assert [e.pattern for e in lex.topic("economy.taxes").entries] == ["tax*"]
    # "no" and "on" stay words (YAML 1.1 would read them as booleans)
    assert [e.pattern for e in lex.topic("negation").entries] == ["no", "not", "on"]
    assert [e.pattern for e in lex.topic("places").entries] == ["united states", "Nagorno-Karabakh"]
    assert lex.topic("empty").entries == ()
    assert {h.label for h in match_text("taxes and jobs in the United States", lex)} == {
        "economy.taxes", "economy.jobs", "places"}


@pytest.mark.parametrize("text, line, message", [
    ("a:\n  - ok\n  - tax?\n", 3, "single-character glob '?'"),
    ("a:\n  - ok\n  - '*'\n", 3, "bare wildcard"),
    ("a: [ok\n", 2, "invalid YAML"),
    ("- just\n- a list\n", 1, "must be a mapping"),
    ("a:\n  - [nested, list]\n", 2, "plain strings"),
    ("a b: [x]\na_b: [y]\n", None, "get the same topic name"),
])
def test_malformed_yaml(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    path = write(tmp_path, text, "bad.yaml")
    with pytest.raises(LexiconError) as info:
        import_lexicon(path)
    assert info.value.path == str(path) and info.value.line == line
    assert message in info.value.message


def test_yaml_needs_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # makes "import yaml" fail
    with pytest.raises(MissingDependencyError) as info:
        import_lexicon(write(tmp_path, QUANTEDA, "dict.yaml"))
    assert info.value.hint == "pip install 'discourse[yaml]'"


def test_format_selection(tmp_path: Path) -> None:
    dic = write(tmp_path, LIWC, "small.txt")
    with pytest.raises(ConfigError, match="from its suffix"):
        import_lexicon(dic)
    assert import_lexicon(dic, format="liwc").topics[0].name == "posemo"
    with pytest.raises(ConfigError, match="valid formats: liwc, yaml, toml"):
        import_lexicon(dic, format="csv")
    toml = write(tmp_path, dump_lexicon_toml(import_lexicon(dic, format="liwc")), "small.toml")
    assert import_lexicon(toml) == import_lexicon(dic, format="liwc")
    with pytest.raises(LexiconError, match="cannot read dictionary"):
        import_lexicon(tmp_path / "missing.dic")


# ------------------------------------------------------------------------------------------ TOML writer

def test_dump_roundtrips_the_default_lexicon() -> None:
    default = load_lexicon()
    back = roundtrip(default)
    assert back == default and back.sha256 == default.sha256
    sensitive = [e for e in back.entries if e.case == "sensitive"]
    assert {e.pattern for e in sensitive} >= {"CSTO", "US", "NKR"}
    assert not back.topic("concessions").negation
    assert back.ignore == default.ignore and "Moscow Post" in {e.pattern for e in back.ignore}


def test_dump_roundtrips_imports(tmp_path: Path) -> None:
    for lex in (parse_liwc_dic(LIWC), parse_quanteda_yaml(QUANTEDA)):
        back = roundtrip(lex)
        assert back == lex
        assert [e.pattern for e in back.entries] == [e.pattern for e in lex.entries]


def test_dump_escapes_strings() -> None:
    nasty = 'quote " backslash \\ tab \t newline \n bell \x07 del \x7f unicode é ’ “”'
    lex = Lexicon((Topic("t.dotted", (Entry("don't", label="t.dotted", note=nasty),), label=nasty,
                         description=nasty),), name=nasty, description=nasty)
    text = dump_lexicon_toml(lex)
    assert '[topics."t.dotted"]' in text
    data = tomllib.loads(text)
    assert data["topics"]["t.dotted"]["label"] == nasty
    assert roundtrip(lex) == lex


NAMES = st.from_regex(r"[a-z][a-z0-9_.-]{0,8}", fullmatch=True)
WORD = st.from_regex(r"[A-Za-zé][a-zé'’-]{0,6}[a-z]", fullmatch=True).filter(lambda w: "--" not in w)
PATTERN = st.one_of(
    WORD,
    WORD.map(lambda w: w + "*").filter(lambda w: len(w.rstrip("*").replace("'", "").replace("’", "")) >= 2),
    st.lists(WORD, min_size=2, max_size=3).map(" ".join),
    st.tuples(WORD, WORD).map(lambda p: f"{p[0]} ... {p[1]}"),
)
FREE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@st.composite
def lexicons(draw: st.DrawFn) -> Lexicon:
    def entries(owner: str, kind: str) -> tuple[Entry, ...]:
        patterns = draw(st.lists(PATTERN, max_size=4, unique_by=lambda p: " ".join(p.split())))
        return tuple(Entry(p, label=owner, kind=kind, case=draw(st.sampled_from(["insensitive", "sensitive"])),
                           note=draw(FREE_TEXT)) for p in patterns)

    topic_names = draw(st.lists(NAMES, max_size=3, unique_by=str.casefold))
    actor_names = draw(st.lists(NAMES, max_size=2, unique_by=str.casefold))
    return Lexicon(
        tuple(Topic(n, entries(n, "topic"), label=draw(FREE_TEXT), description=draw(FREE_TEXT),
                    negation=draw(st.booleans())) for n in topic_names),
        tuple(Actor(n, entries(n, "actor"), label=draw(FREE_TEXT), description=draw(FREE_TEXT))
              for n in actor_names),
        name=draw(FREE_TEXT), description=draw(FREE_TEXT))


@settings(max_examples=150, deadline=None)
@given(lexicons())
def test_dump_then_load_is_identity(lex: Lexicon) -> None:
    back = roundtrip(lex)
    assert back == lex and back.sha256 == lex.sha256


# ----------------------------------------------------------------- dictionaries as published: look-alikes
#
# The Moral Foundations Dictionary 1.0 and quanteda's published YAML dictionaries are not bundled (their
# licences do not allow a fixture); these generators write files with the same layout and the same kinds
# of entries: zero-padded category numbers, runs of tabs, words in two categories, `fair-*` entries,
# wildcards inside and before a word, multi-word patterns, nested YAML keys and scalar values.

MFD_CATEGORIES = ["HarmVirtue", "HarmVice", "FairnessVirtue", "FairnessVice", "IngroupVirtue", "IngroupVice",
                  "AuthorityVirtue", "AuthorityVice", "PurityVirtue", "PurityVice", "MoralityGeneral"]
STEMS = ["safe", "shield", "fair", "equal", "loyal", "betray", "obey", "rebel", "pure", "filth", "moral", "harm",
         "cheat", "unit", "honor", "defile", "kin", "lawful", "sacred", "wicked", "care", "hurt", "just", "traitor",
         "duty", "decent", "clean", "sin", "virtu", "ethic"]
ENDINGS = ["", "s", "ed", "ing", "ness", "ly", "ful", "ity", "er", "ism"]
FILLER = ["the", "a", "and", "of", "people", "today", "we", "they", "said", "government", "vote", "street",
          "minded", "play", "house", "not", "never", "very", "is", "was"]


def mfd_lookalike(seed: int = 7) -> tuple[str, dict[str, list[str]]]:
    """A .dic in the layout of MFD 1.0, and the glob patterns of each category (by slug)."""
    import random

    rng = random.Random(seed)
    lines = ["%"] + [f"{i:02d}\t{name}" for i, name in enumerate(MFD_CATEGORIES, 1)] + ["%"]
    globs: dict[str, list[str]] = {name: [] for name in MFD_CATEGORIES}
    for i, stem in enumerate(STEMS):
        cats = rng.sample(range(1, len(MFD_CATEGORIES) + 1), 2 if i % 5 == 0 else 1)
        forms = [stem + "*", stem, stem + rng.choice(ENDINGS[1:])]
        if i % 3 == 2:
            forms.append(stem + "-*")  # fair-*: hyphenated compounds
        if i % 7 == 0:
            forms.append(stem[:2] + "*" + stem[2:])  # a wildcard inside a word
        for form in forms:
            sep = "\t" * rng.choice((1, 2, 3))
            lines.append(form + sep + " ".join(f"{c:02d}" if rng.random() < 0.8 else str(c) for c in cats))
            for c in cats:
                globs[MFD_CATEGORIES[c - 1]].append(form)
    lines.insert(len(MFD_CATEGORIES) + 2, "")  # blank lines occur
    return "\n".join(lines) + "\n", globs


def texts(seed: int, n: int) -> list[str]:
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(3, 25)):
            r = rng.random()
            if r < 0.35:
                word = rng.choice(STEMS) + rng.choice(ENDINGS)
            elif r < 0.45:
                word = rng.choice(STEMS) + "-" + rng.choice(FILLER)
            else:
                word = rng.choice(FILLER)
            words.append(word.upper() if rng.random() < 0.1 else word)
        out.append(" ".join(words) + rng.choice([".", "!", "?", ""]))
    return out


def reference_counts(text: str, globs: dict[str, list[str]]) -> dict[str, int]:
    """What LIWC and quanteda count for single-word patterns: per category, the tokens (words joined by
    hyphens are one token) that fit at least one of its globs, case-insensitively."""
    import fnmatch
    import re

    tokens = re.findall(r"\w+(?:-\w+)*", text.lower())
    out: dict[str, int] = {}
    for cat, patterns in globs.items():
        k = sum(any(fnmatch.fnmatchcase(t, p.lower()) for p in patterns) for t in tokens)
        if k:
            out[cat] = k
    return out


def our_counts(text: str, lex: Lexicon) -> dict[str, int]:
    out: dict[str, int] = {}
    for h in match_text(text, lex):
        if h.kind == "topic" and not h.negated:
            out[h.label] = out.get(h.label, 0) + 1
    return out


def test_mfd_lookalike_imports_with_its_categories_and_entries(tmp_path: Path) -> None:
    text, globs = mfd_lookalike()
    lex = import_lexicon(write(tmp_path, text, "mfd.dic"))
    assert [t.name for t in lex.topics] == MFD_CATEGORIES
    assert [t.description for t in lex.topics][:2] == ["LIWC category 1", "LIWC category 2"]
    for t in lex.topics:
        assert [e.pattern for e in t.entries] == list(dict.fromkeys(globs[t.name]))
        assert not t.negation
    assert "fair-*" in {e.pattern for e in lex.entries}
    assert sum("*" in e.pattern.rstrip("*") for e in lex.entries) >= 3  # wildcards inside words


def test_mfd_lookalike_counts_equal_token_glob_counts(tmp_path: Path) -> None:
    text, globs = mfd_lookalike()
    lex = import_lexicon(write(tmp_path, text, "mfd.dic"))
    samples = texts(11, 400)
    mismatched = [(s, our_counts(s, lex), reference_counts(s, globs)) for s in samples
                  if our_counts(s, lex) != reference_counts(s, globs)]
    assert sum(map(len, (reference_counts(s, globs) for s in samples))) > 500  # the texts do hit
    assert mismatched == []


def test_hyphen_before_a_final_wildcard_is_literal(tmp_path: Path) -> None:
    lex = parse_liwc_dic("%\n01\tFairnessVirtue\n%\nfair-*\t\t\t01\n")
    # the hyphen is the one written, as in LIWC: U+2010 in "fair‐play" is another character
    assert [(h.matched, h.entry) for h in match_text("fair-minded and fair‐play, fairness, fair game", lex)] == [
        ("fair-minded", "fair-*")]


def test_wildcards_inside_and_before_a_word() -> None:
    lex = parse_liwc_dic("%\n1\ta\n2\tb\n%\ncolo*r\t1\n*ism\t2\n")
    hits = [(h.label, h.matched) for h in match_text("Colour, color, colr; nationalism, ism, prism-like", lex)]
    assert hits == [("a", "Colour"), ("a", "color"), ("b", "nationalism"), ("b", "ism"), ("b", "prism")]


def test_a_word_in_two_categories_counts_in_both() -> None:
    lex = parse_liwc_dic("%\n01\tHarmVice\n04\tFairnessVice\n%\nexploit*\t02 04\nhurt\t2\n".replace(
        "04\tFairnessVice", "02\tHarmVice2\n04\tFairnessVice"))
    assert our_counts("They exploited us and it hurt", lex) == {"HarmVice2": 2, "FairnessVice": 1}


@pytest.mark.parametrize("negation, expected", [(False, {"fair": 2}), (True, {"fair": 1})])
def test_imports_count_negated_hits_unless_asked(tmp_path: Path, negation: bool, expected: dict) -> None:
    path = write(tmp_path, "%\n1\tfair\n%\nfair*\t1\n", "f.dic")
    lex = import_lexicon(path, negation=negation)
    assert our_counts("This is not fair. It is fair.", lex) == expected
    back = roundtrip(lex)  # the TOML file keeps the setting
    assert back == lex and all(t.negation is negation for t in back.topics)


def test_hyphenated_words_are_two_words_unless_an_entry_spells_the_hyphen() -> None:
    # A documented difference from LIWC and quanteda, which read "well-being" as one token: here "being*"
    # also hits inside it. Entries written with the hyphen ("well-*") match the whole compound.
    lex = parse_liwc_dic("%\n1\ta\n2\tb\n%\nwell*\t1\nbeing*\t2\n")
    assert our_counts("well-being", lex) == {"a": 1, "b": 1}
    assert reference_counts("well-being", {"a": ["well*"], "b": ["being*"]}) == {"a": 1}


QUANTEDA_LOOKALIKE = """\
# a dictionary in the layout quanteda's dictionary(file = ...) reads and writes
moral:
  care:
    virtue:
      - safe*
      - protect*
      - "shield"
    vice:
      - harm*
      - hurt*
  fairness:
    virtue: [fair, fair-*, equal*, just]
    vice: [cheat*, unfair*, "un*just*"]
politics:
  ideology:
    - "*ism"
    - colo*r revolution
  places:
    - united states
    - european union
negative: no
"""


def test_quanteda_lookalike_imports_nested_keys_globs_and_phrases(tmp_path: Path) -> None:
    lex = import_lexicon(write(tmp_path, QUANTEDA_LOOKALIKE, "moral.yml"))
    assert [t.name for t in lex.topics] == ["moral.care.virtue", "moral.care.vice", "moral.fairness.virtue",
                                           "moral.fairness.vice", "politics.ideology", "politics.places",
                                           "negative"]
    assert [e.pattern for e in lex.topic("moral.fairness.vice").entries] == ["cheat*", "unfair*", "un*just*"]
    assert not any(t.negation for t in lex.topics)
    text = ("Not fair! They were unjustly cheated in a colour revolution; nationalism in the United States "
            "and no fair-minded protector.")
    assert our_counts(text, lex) == {"moral.fairness.virtue": 2, "moral.fairness.vice": 2,
                                     "politics.ideology": 2, "politics.places": 1, "negative": 1,
                                     "moral.care.virtue": 1}


def test_quanteda_lookalike_single_words_count_as_token_globs(tmp_path: Path) -> None:
    lex = import_lexicon(write(tmp_path, QUANTEDA_LOOKALIKE, "moral.yml"))
    globs = {t.name: [e.pattern for e in t.entries if " " not in e.pattern] for t in lex.topics}
    words = ["safely", "protected", "shield", "harmful", "hurts", "fair", "fair-minded", "equality", "just",
             "cheaters", "unfairly", "unjust", "injustice", "fascism", "ism", "colour", "the", "of", "not"]
    import random

    rng = random.Random(3)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
        assert our_counts(text, lex) == reference_counts(text, globs), text


def test_a_dic_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "old.dic"
    path.write_bytes("%\n1\tfood\n%\ncafé*\t1\nnaïve\t1\n".encode("cp1252"))
    lex = import_lexicon(path)
    assert [e.pattern for e in lex.topic("food").entries] == ["café*", "naïve"]
    assert lex.description.endswith("(read as Windows-1252: the file is not UTF-8)")
    (tmp_path / "bad.yml").write_bytes("a: [café]\n".encode("cp1252"))
    with pytest.raises(LexiconError, match="not UTF-8") as info:
        import_lexicon(tmp_path / "bad.yml")
    assert info.value.hint == "save it as UTF-8 (YAML files are UTF-8)"


LAUGHS = "a: &a {x: [lol, lols]}\n" + "".join(
    f"{b}: &{b} {{{', '.join(f'{k}: *{a}' for k in 'pqrstuvwxy')}}}\n" for a, b in zip("abcdefg", "bcdefgh"))


def test_yaml_aliases_are_refused_with_their_line(tmp_path: Path) -> None:
    # eight lines whose categories alias each other would expand to 10^7 categories and fill the memory
    assert len(LAUGHS) < 600
    path = write(tmp_path, LAUGHS, "laughs.yml")
    with pytest.raises(LexiconError, match=r"YAML alias \*a is not read") as info:
        import_lexicon(path)
    assert (info.value.path, info.value.line) == (str(path), 2) and "&a" in info.value.hint
    # an anchor that nothing refers to is harmless
    assert [t.name for t in parse_quanteda_yaml("a: &x [war]\nb: [peace]\n").topics] == ["a", "b"]


def test_deeply_nested_yaml_reads_or_says_how_deep(tmp_path: Path) -> None:
    # nesting was followed by recursion (RecursionError at a few hundred levels); now a loop, with a bound
    lex = parse_quanteda_yaml("{a: " * 99 + "[war]" + "}" * 99)
    assert [t.name for t in lex.topics] == [".".join(["a"] * 99)]
    assert [e.pattern for e in lex.topics[0].entries] == ["war"]
    for text, line in (("{a: " * 5000 + "[war]" + "}" * 5000, 1),
                       ("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 150)) + "  " * 150 + "- war\n", 101)):
        path = write(tmp_path, text, "deep.yml")
        with pytest.raises(LexiconError, match="nest more than 100 levels") as info:
            import_lexicon(path)
        assert (info.value.path, info.value.line) == (str(path), line)


def test_a_yaml_dictionary_is_one_document() -> None:
    with pytest.raises(LexiconError, match="more than one document") as info:
        parse_quanteda_yaml("a: [war]\n---\nb: [peace]\n")
    assert info.value.line == 2
