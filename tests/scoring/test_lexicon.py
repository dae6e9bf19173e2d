"""Tests for discourse.scoring.lexicon: the default lexicon on the bundled corpus, matching rules, errors."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import EDGES, WORDS, calls, tiny

import discourse.scoring.lexicon as lexicon_module
from discourse.native import native
from discourse.errors import ConfigError, LexiconError
from discourse.scoring.lexicon import (
    EVIDENCE_SCHEMA,
    TAGS_SCHEMA,
    Entry,
    Hit,
    Lexicon,
    Topic,
    compile_lexicon,
    lexicon_from_data,
    load_lexicon,
    match_text,
    match_units,
    negator_before,
    parse_lexicon_toml,
    tag_units,
)

THREADS = Path(__file__).resolve().parents[2] / "threads"

# Reader comments copied verbatim from the bundled corpus (threads/002_... and threads/004_...).
# test_fixtures_are_verbatim checks that each still occurs in its file.
TAVIT = (
    'Again, the Russians will backstab Armenians. This is not the first time and wouldn’t be the '
    'last time. I suspect the one day war was planned between Russia, Azerbaijan and may be Sarkisyan '
    'to intimidate the Armenians in Armenian, Artsakh and diaspora so that Armenians unilaterally '
    'make Artsakh land concessions.'
)

VARTAN = (
    'picture speaks for itself, treason , betrayal , why even we have to rely on any foreign leader '
    '?????? what is wrong with us ,'
)

JOE_TO_HARUTIK = (
    'Same person that blames Armenia’s plight today for not following the Bolsheviks”? Ridiculous. '
    'Sorry to say but those are losing ides of yours. The ONLY armenian that survived were the ones '
    'that fought and didn’t go along. All else were butchered once they were disarmed by the state.. '
    'Lets be clear: The REAL ISSUE is the lack of ARMENIAN UNITY. THATS THE REAL REASON WHY WE ARE '
    'WERE WE ARE TODAY. Because Armenians like you value others more then you do your own. That’s '
    'why you call other Armenians “politically ignorant”. Armenia’s leaders today are caught between '
    'maintaining their own wealth and power and doing the work of the people. Not an easy task to '
    'do well for a corrupt system. So I disagree with you wholly on concession as a way of peace. '
    'Tell me one time Turks honored anything good with Armenian? There isn’t any. Turks want us '
    'gone. Do you understand that? The only guarantee Armenia has is it army. Also The Diaspora '
    'has EVERY RIGHT to demand what happens to Karabakh. The Diaspora is the MAJOR contributor to '
    'both Armenia and Karabkh and basically the real reason the Armenians are on any political footing. '
    'In fact I have said for years let the Diaspora serve in the Armenian military. Im convinced '
    'the current leadership doesn’t want that as that might lead to sustainable threats to their '
    'oligarch rule from the outside. UNITY is the answer. ONE ARMENIA is the answer.'
)

ARMEN = (
    'NOT ONE INCH! So what’s the other option? “Democracy” is going to make the country suddenly '
    'have a GDP of 500 billion dollars? If you want peace you have to make compromises, otherwise '
    'this war will never end and everyone in Armenia will continue to suffer. Unless you feel like '
    'picking up a rifle SHUT THE F UP!'
)

SYLVA_POEM = (
    'Mothers & their Heroes\n'
    '\n'
    '    Our Brave Mothers,\n'
    '    Who brought Brave Sons,\n'
    '    In our Armenian blessed Highlands.\n'
    '\n'
    '    Our Mothers’ tears will never dry\n'
    '    As they will never die,\n'
    '    Yes, they are born never to sigh\n'
    '    With their Brave Sons\n'
    '\n'
    '    Heroes of this century;\n'
    '    Who gifted their bodies, their hearts,\n'
    '\n'
    '    To save their land\n'
    '    The beautiful ARTSAKH,\n'
    '    Its ancient name\n'
    '    ‘The Suns Paradise’—\n'
    '    Was there before Christ\n'
    '    Born to give Brave Heroes\n'
    '\n'
    '    Like the martyred Hrant Dink,\n'
    '    Who was gunned down\n'
    '    By barbaric satans.\n'
    '\n'
    '    Sylva Portoian, MD\n'
    '    October 20, 2020'
)

FIXTURE_FILES = {
    "002_f95fa880e584f71f.txt": [TAVIT, VARTAN, JOE_TO_HARUTIK, ARMEN],
    "004_b01ea09c9e7a5141.txt": [SYLVA_POEM],
}


def topics_of(text: str, lexicon: Lexicon | None = None) -> set[str]:
    return {h.label for h in match_text(text, lexicon) if h.kind == "topic" and not h.negated}


def actors_of(text: str, lexicon: Lexicon | None = None) -> set[str]:
    return {h.label for h in match_text(text, lexicon) if h.kind == "actor"}


def write(tmp_path: Path, text: str, name: str = "lex.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------- the bundled corpus

def test_fixtures_are_verbatim() -> None:
    for name, texts in FIXTURE_FILES.items():
        content = (THREADS / name).read_text(encoding="utf-8")
        for text in texts:
            assert text in content


def test_tavit_is_betrayal_and_concessions() -> None:
    assert {"betrayal", "concessions"} <= topics_of(TAVIT)


def test_vartan_is_betrayal() -> None:
    assert "betrayal" in topics_of(VARTAN)


def test_joe_reply_to_harutik_is_unity_and_concessions() -> None:
    assert {"unity", "concessions"} <= topics_of(JOE_TO_HARUTIK)


def test_armen_is_concessions() -> None:
    assert "concessions" in topics_of(ARMEN)


def test_poem_is_not_betrayal_unity_or_concessions() -> None:
    assert not {"betrayal", "unity", "concessions"} & topics_of(SYLVA_POEM)


def test_corpus_comment_actors() -> None:
    assert {"russia", "armenians", "azerbaijan", "armenia", "artsakh"} <= actors_of(TAVIT)
    assert "armenia" not in actors_of("The Armenians of the diaspora")  # the people are not the state


def test_default_lexicon_has_required_topics_and_actors() -> None:
    lex = load_lexicon()
    names = {t.name for t in lex.topics}
    assert {"betrayal", "unity", "concessions", "war_violence", "peace_ceasefire", "negotiation_mediation",
            "history_genocide", "diaspora", "sovereignty_independence", "alliances_geopolitics"} <= names
    assert {"russia", "putin", "turkey", "azerbaijan", "armenia", "artsakh", "iran", "the_west",
            "minsk_group"} <= {a.name for a in lex.actors}
    for topic in lex.topics:
        assert topic.label and topic.description and topic.entries
    for actor in lex.actors:
        assert actor.label and actor.description and actor.aliases


@pytest.mark.parametrize("text, actor", [
    ("the Kremlin", "russia"), ("Russians", "russia"), ("Putin", "putin"), ("Ankara", "turkey"),
    ("the Turks", "turkey"), ("Erdogan", "turkey"), ("Baku", "azerbaijan"), ("Azeris", "azerbaijan"),
    ("Azerbaijanis", "azerbaijan"), ("Aliyev", "azerbaijan"), ("Yerevan", "armenia"),
    ("the Armenian government", "armenia"), ("Pashinyan", "armenia"), ("Sargsyan", "armenia"),
    ("Sarkisyan", "armenia"), ("Karabagh", "artsakh"), ("Nagorno Karabakh", "artsakh"), ("NKR", "artsakh"),
    ("Tehran", "iran"), ("the U.S. Congress", "the_west"), ("the West", "the_west"), ("NATO", "the_west"),
    ("the EU", "the_west"), ("the OSCE Minsk Group", "minsk_group"), ("the co-chairs", "minsk_group"),
])
def test_actor_aliases(text: str, actor: str) -> None:
    assert actor in actors_of(text)


def test_every_default_entry_matches_its_own_text() -> None:
    lex = load_lexicon()
    for entry in lex.entries:
        sample = " ".join(t.rstrip("+") for t in entry.pattern.replace("*", "").split() if t not in ("...", "…"))
        # the scanner's matches: context rules (only_near) may set a hit aside where the entry stands alone
        labels = {(h.kind, h.label) for h in compile_lexicon(lex).match(sample)
                  if h.start == 0 and h.end == len(sample)}
        assert (entry.kind, entry.label) in labels, entry


# ---------------------------------------------------------------------------------------------- negation

@pytest.mark.parametrize("text, negator", [
    ("Compromise is not treason", "not"),
    ("There was no betrayal", "no"),
    ("Russia never betrayed Armenia", "never"),
    ("It isn't a betrayal", "isn't"),
    ("It isn’t a betrayal", "isn’t"),
    ("They did not stab us in the back", "not"),
    ("a settlement without betrayal", "without"),
])
def test_negated_betrayal(text: str, negator: str) -> None:
    hits = [h for h in match_text(text) if h.label == "betrayal"]
    assert hits and all(h.negated and h.negator == negator for h in hits)
    assert "betrayal" not in topics_of(text)


@pytest.mark.parametrize("text", [
    "This is not only betrayal",          # "not only" does not negate
    "No, this is betrayal",               # the comma ends the negator's clause
    "Not a compromise but betrayal",      # "but" starts a new clause
    "Nobody can deny that it was a real betrayal",  # the negator is more than three words back
    "They are betraying us. Not again.",  # negator after the hit
])
def test_not_negated_betrayal(text: str) -> None:
    assert "betrayal" in topics_of(text)


def test_compromise_is_not_treason_tags_concessions_only() -> None:
    assert topics_of("Compromise is not treason") == {"concessions"}


def test_issue_topics_ignore_negation() -> None:
    hits = [h for h in match_text("There will be no unilateral concessions") if h.label == "concessions"]
    assert hits and not hits[0].negated and hits[0].negator is None
    assert "concessions" in topics_of("There will be no unilateral concessions")


def test_negation_flag_is_per_topic(tmp_path: Path) -> None:
    strict = tiny(("t", ["concession*"]))
    assert match_text("no concessions", strict)[0].negated
    loose = Lexicon((Topic("t", ("concession*",), negation=False),))
    assert not match_text("no concessions", loose)[0].negated


def test_actors_are_never_negated() -> None:
    hits = [h for h in match_text("not Russia") if h.kind == "actor"]
    assert hits and not hits[0].negated


def test_negator_before_window() -> None:
    assert negator_before("not a b treason", 8) == "not"
    assert negator_before("not a b c treason", 10) is None


# ---------------------------------------------------------------------------- wildcards, phrases, case

def test_wildcards() -> None:
    lex = tiny(("betrayal", ["betray*"]), ("concessions", ["concession*", "compromis*"]))
    assert [h.matched for h in match_text("betray, betrayed, betrayal; betwixt and betr", lex)] == [
        "betray", "betrayed", "betrayal"]
    assert [h.matched for h in match_text("a concession, concessions, compromising", lex)] == [
        "concession", "concessions", "compromising"]
    assert match_text("preconcession", lex) == []


def test_hyphen_matches_space_or_nothing() -> None:
    lex = tiny(("peace", ["cease-fire"]))
    for text in ("ceasefire", "cease-fire", "cease fire", "Cease-Fire", "cease‑fire"):
        assert [h.matched for h in match_text(f"a {text} now", lex)] == [text]


def test_phrases_allow_flexible_whitespace() -> None:
    lex = tiny(("c", ["land for peace"]), actors=(("artsakh", ["Nagorno-Karabakh"]),))
    assert [h.matched for h in match_text("land  for\npeace", lex)] == ["land  for\npeace"]
    assert [h.matched for h in match_text("Nagorno Karabakh and Nagorno-Karabakh", lex)] == [
        "Nagorno Karabakh", "Nagorno-Karabakh"]
    assert match_text("land for peacekeepers", lex) == []


def test_gap_phrase() -> None:
    lex = tiny(("c", ["give back ... land"]), actors=(("armenians", ["Armenians"]),))
    hits = match_text("They would give back SOME land. give back land. give back one two three land. "
                      "give back one two three four land. give back, land", lex)
    assert [h.matched for h in hits] == ["give back SOME land", "give back land", "give back one two three land"]
    inner = match_text("give back the Armenians land", lex)
    assert [(h.label, h.matched) for h in inner] == [("c", "give back the Armenians land"),
                                                      ("armenians", "Armenians")]


@pytest.mark.parametrize("native_on", [True, False])
def test_the_longest_match_wins_over_the_branch_tried_first(native_on: bool) -> None:
    # "give+ back" shares its branch with "give+ back ... districts", which the engine tries before the
    # wildcard branch of "give* back ... land"; "give back the land" is the longer, more specific match
    lex = tiny(("a", ["give+ back", "give+ back ... districts"]), ("b", ["give* back ... land"]),
               ("c", ["return the", "return the land to them"]), ("d", ["return ... land"]))
    with native(native_on):
        hits = match_text("they give back the land; he gives back some land; they give back the districts; "
                          "they gave back nothing; return the land to them; return the land at once", lex)
    assert [(h.label, h.matched) for h in hits] == [
        ("b", "give back the land"), ("b", "gives back some land"), ("a", "give back the districts"),
        ("a", "gave back"), ("c", "return the land to them"), ("d", "return the land")]


def test_case_rules() -> None:
    lex = tiny(("alliances", [Entry("CSTO", label="alliances", case="sensitive"), "unity"]),
               actors=(("west", [Entry("US", label="west", kind="actor", case="sensitive")]),))
    assert [h.matched for h in match_text("CSTO csto Csto", lex)] == ["CSTO"]
    assert [h.matched for h in match_text("the US told us", lex)] == ["US"]
    assert [h.matched for h in match_text("UNITY Unity unity", lex)] == ["UNITY", "Unity", "unity"]


def test_apostrophes() -> None:
    lex = tiny(("n", ["don't", "isn’t"]), actors=(("russia", ["Russia", "don"]),))
    hits = match_text("Russia’s plan, Russia's plan, I don’t know, it isn't so, Don went", lex)
    assert [(h.label, h.matched) for h in hits] == [
        ("russia", "Russia"), ("russia", "Russia"), ("n", "don’t"), ("n", "isn't"), ("russia", "Don")]


def test_longest_match_wins() -> None:
    assert actors_of("the United States") == {"the_west"} and "unity" not in topics_of("the United States")
    assert "unity" not in topics_of("the United Nations")
    hits = match_text("lost all of Western Armenia")
    assert [(h.label, h.matched) for h in hits] == [("history_genocide", "Western Armenia")]
    assert [h.matched for h in match_text("the OSCE Minsk Group met") if h.kind == "actor"] == ["OSCE Minsk Group"]
    assert [h.matched for h in match_text("UNITED STATES")] == ["UNITED STATES"]


def test_overlapping_entries_of_two_topics_both_count() -> None:
    lex = tiny(("a", ["peace talks"]), ("b", ["peace talks", "talk*"]), ("c", ["peace"]))
    hits = match_text("The peace talks began", lex)
    assert [(h.label, h.entry, h.matched) for h in hits] == [("a", "peace talks", "peace talks"),
                                                             ("b", "peace talks", "peace talks")]
    assert {h.label for h in match_text("peace talks")} >= {"peace_ceasefire", "negotiation_mediation"}


def test_one_hit_per_topic_most_specific_entry() -> None:
    lex = tiny(("betrayal", ["betray*", "betrayal"]))
    assert [h.entry for h in match_text("betrayal and betrayed", lex)] == ["betrayal", "betray*"]


# ---------------------------------------------------------------------------------------- one regex

def test_lexicon_compiles_to_one_scanner_once(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled_patterns: list[str] = []
    real_compile = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled_patterns.append(pattern)
        return real_compile(pattern, flags)

    default = load_lexicon()
    for lex in (tiny(("a", ["x1"])), Lexicon(default.topics, default.actors)):
        compiled_patterns.clear()
        monkeypatch.setattr(re, "compile", counting)
        compiled = compile_lexicon(lex)
        # the scanner, its tree alone (to extend a match to the longest) and the entry verifier, whatever the
        # entry count, one regex per distinct first character of the entries, and for each distinct list of
        # context words of the rules one regex and one per first letter of its words (docs/lexicon.md, Rules)
        per_letter = sum(len(d._by_firsts) - 1 for d in compiled._rules._dispatch.values() if d is not None)
        firsts = len({e.pattern[0].casefold() for e in lex.entries})
        assert len(compiled._first_atoms) <= 2 * firsts  # a first letter in its case, and folded
        compiled_once = 3 + len(compiled._first_atoms) + len(compiled._rules._near) + per_letter
        assert len(compiled_patterns) == compiled_once
        assert compile_lexicon(lex) is compiled
        for text in ("Russia betrayed us", TAVIT, JOE_TO_HARUTIK) * 5:
            match_text(text, lex)
        match_units(pl.DataFrame({"unit_id": ["1"], "text": [ARMEN]}), lex)
        # and, while matching, one verifier for the entries a matched surface's first character can begin,
        # once per set of such entries
        assert len(compiled._by_forms) <= len(compiled._by_first) <= len(set("".join(
            h.matched[0] for t in ("Russia betrayed us", TAVIT, JOE_TO_HARUTIK, ARMEN) for h in match_text(t, lex))))
        assert len(compiled_patterns) == compiled_once + len(compiled._by_forms)
        monkeypatch.setattr(re, "compile", real_compile)
        # every entry, topic or actor, is an alternative of the single scanner
        for entry in lex.entries:
            sample = " ".join(t.rstrip("+") for t in entry.pattern.replace("*", "").split() if t not in ("...", "…"))
            assert compiled.scanner.search(" " + sample), entry  # the scanner reads a padded text


# ------------------------------------------------------------------------------------- tables and tags

def test_match_units_schema_and_order() -> None:
    units = pl.DataFrame({"unit_id": ["c2", "c1", "c3", "c4"],
                          "text": ["Compromise is not treason", "Russia", None, "nothing here"]})
    ev = match_units(units)
    assert list(ev.columns) == list(EVIDENCE_SCHEMA) == [
        "unit_id", "kind", "label", "entry", "matched", "start", "end", "negated", "negator", "counted", "rule"]
    assert dict(ev.schema) == EVIDENCE_SCHEMA
    assert ev.rows() == [
        ("c2", "topic", "concessions", "compromis*", "Compromise", 0, 10, False, None, True, None),
        ("c2", "topic", "betrayal", "treason", "treason", 18, 25, True, "not", False, None),
        ("c1", "actor", "russia", "Russia", "Russia", 0, 6, False, None, True, None),
    ]


def test_match_units_empty_and_missing_columns() -> None:
    empty = match_units(pl.DataFrame({"unit_id": [], "text": []}, schema={"unit_id": pl.String, "text": pl.String}))
    assert empty.height == 0 and dict(empty.schema) == EVIDENCE_SCHEMA
    with pytest.raises(ConfigError, match="unit_id"):
        match_units(pl.DataFrame({"id": ["1"], "text": ["x"]}))


def test_tag_units() -> None:
    units = pl.DataFrame({"unit_id": ["a", "b", "c"],
                          "text": ["Russia will backstab Armenians", "It is not treason", "weather"]})
    tags = tag_units(match_units(units), units)
    assert dict(tags.schema) == TAGS_SCHEMA
    assert tags.rows() == [("a", ["betrayal"], ["armenians", "russia"]), ("b", [], []), ("c", [], [])]
    assert tag_units(match_units(units)).get_column("unit_id").to_list() == ["a", "b"]


# -------------------------------------------------------------------------------------------- hypothesis



@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=30).map(" ".join))
def test_spans_are_inside_the_text_and_deterministic(text: str) -> None:
    hits = match_text(text)
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start:h.end] == h.matched
        assert h.kind in ("topic", "actor") and (h.negator is not None) == h.negated
    assert match_text(text) == hits
    assert hits == sorted(hits, key=lambda h: (h.start, h.kind != "topic", h.label))
    ev = match_units(pl.DataFrame({"unit_id": ["u"], "text": [text]}))
    assert [Hit(*row[1:]) for row in ev.rows()] == hits





def _lookbehind_match(compiled, text: str) -> list[Hit]:
    """``CompiledLexicon.match`` as it was written before its scanner read the character before a word:
    lookbehinds at every position, a search over the text and each gap from the end of the last match."""
    forms = list(dict.fromkeys(lexicon_module._atoms(e) for e in compiled.lexicon.entries + compiled.lexicon.ignore))
    plain = re.compile(r"(?<!\w)(?<!\w['’])(?:" + lexicon_module._trie_regex(lexicon_module._trie(forms)) + ")" + lexicon_module._RIGHT,
                       re.IGNORECASE)
    tree = re.compile("(?:" + lexicon_module._trie_regex(lexicon_module._trie(forms)) + ")", re.IGNORECASE)
    right = re.compile(lexicon_module._RIGHT)
    hits: list[Hit] = []

    def scan(pos: int, endpos: int) -> None:
        while (m := plain.search(text, pos, endpos)) is not None:
            start = m.start()
            # the longest match at the position, whichever branch the regex engine took first
            end = next(t for t in range(endpos, m.end() - 1, -1)
                       if right.match(text, t, endpos) and tree.fullmatch(text, start, t))
            pos = end
            res = compiled._resolve(text[start:end])
            negator = negator_before(text, start) if res.negatable else None
            for kind, label, pattern, negatable in res.items:
                hits.append(Hit(kind, label, pattern, text[start:end], start, end, *((True, negator, False)
                                if negatable and negator is not None else ())))
            for gap_start, gap_end in res.gaps:
                scan(start + gap_start, start + gap_end)

    scan(0, len(text))
    return sorted(hits, key=lambda h: (h.start, h.kind != "topic", h.label))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["u.s.", "U.S.", "#armenia", "turks'", "ru", "’", "#", "give", "Moscow",
                                         "Post", "West", "Bank"])
                | st.text(max_size=4), max_size=30).map(lambda parts: "".join(p + " " * (len(p) % 2) for p in parts)))
def test_the_scanner_finds_what_lookbehinds_find(text: str) -> None:
    # words often touch (no space after odd-length parts): matches back to back, at the start, at the end,
    # and gaps ("give ... land") rescanned inside a text
    for lex in (load_lexicon(), EDGES):
        compiled = compile_lexicon(lex)
        assert compiled.match(text) == _lookbehind_match(compiled, text)


def test_the_scanner_reads_matches_back_to_back() -> None:
    compiled = compile_lexicon(EDGES)
    text = "u.s.#armenia don’t-ru; turks'ru turks' give SOME land"
    assert compiled.match(text) == _lookbehind_match(compiled, text)
    assert [(h.start, h.label, h.matched) for h in compiled.match(text)] == [
        (0, "edges", "u.s."), (0, "x", "u.s."), (4, "edges", "#armenia"), (19, "x", "ru"), (32, "edges", "turks'"),
        (39, "edges", "give SOME land")]


# ---------------------------------------------------------------------------------------- loading files

MINIMAL = '''
format = 1
name = "mine"
mode = "replace"

[topics.protest]
label = "Protest"
description = "Street protests"
entries = ["protest*", { pattern = "sit-in", case = "insensitive", note = "also sit in" }]

[actors.osce]
aliases = [{ pattern = "OSCE", case = "sensitive" }]
'''


def test_load_replace(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, MINIMAL))
    assert [t.name for t in lex.topics] == ["protest"] and [a.name for a in lex.actors] == ["osce"]
    assert lex.topic("protest").entries[1] == Entry("sit-in", label="protest", note="also sit in")
    assert lex.actor("osce").label == "osce"
    assert topics_of("a sit in and protests", lex) == {"protest"}


def test_load_extend(tmp_path: Path) -> None:
    text = MINIMAL.replace('mode = "replace"', 'mode = "extend"') + '\n[topics.betrayal]\nentries = ["dagger in the back"]\n'
    lex = load_lexicon(write(tmp_path, text))
    default = load_lexicon()
    assert len(lex.topics) == len(default.topics) + 1
    betrayal = lex.topic("betrayal")
    assert betrayal.label == default.topic("betrayal").label
    assert betrayal.entries[-1].pattern == "dagger in the back"
    assert betrayal.entries[:-1] == default.topic("betrayal").entries
    assert "betrayal" in topics_of("a knife in the back", lex) and "protest" in topics_of("protests", lex)


def test_extend_parameter_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    assert len(load_lexicon(path, extend=True).topics) == len(load_lexicon().topics) + 1
    no_mode = write(tmp_path, MINIMAL.replace('mode = "replace"\n', ""), "nomode.toml")
    assert len(load_lexicon(no_mode).topics) == len(load_lexicon().topics) + 1
    assert len(load_lexicon(no_mode, extend=False).topics) == 1


def test_default_is_cached() -> None:
    assert load_lexicon() is load_lexicon()


def test_sha256_is_content_based(tmp_path: Path) -> None:
    a = load_lexicon(write(tmp_path, MINIMAL, "a.toml"))
    reformatted = MINIMAL.replace("\n[actors", "\n# a comment\n\n[actors").replace('entries = [', 'entries  =  [')
    b = load_lexicon(write(tmp_path, reformatted, "b.toml"))
    c = load_lexicon(write(tmp_path, MINIMAL.replace("protest*", "protester*"), "c.toml"))
    assert a == b and a.sha256 == b.sha256 and re.fullmatch(r"[0-9a-f]{64}", a.sha256)
    assert a.sha256 != c.sha256 != load_lexicon().sha256


@pytest.mark.parametrize("body, message, hint", [
    ('[topics.t]\nentries = [""]\n', "topic 't': empty pattern", "write at least one word"),
    ('[topics.t]\nentries = ["*"]\n', "bare wildcard", "stem"),
    ('[topics.t]\nentries = ["betray**"]\n', "double wildcard '**'", "single trailing"),
    ('[topics.t]\nentries = ["*m"]\n', "stem shorter than two letters", "lengthen the stem"),
    ('[topics.t]\nentries = ["fair-"]\n', "hyphen at the edge", "joins two parts"),
    ('[topics.t]\nentries = ["betray.*"]\n', "betray.*", "trailing *"),
    ('[topics.t]\nentries = ["(peace|war)"]\n', "regex syntax", "not regular expressions"),
    ('[topics.t]\nentries = ["peace+s"]\n', "regex syntax", "not regular expressions"),
    ('[topics.t]\nentries = ["... peace"]\n', "'...' must stand between two words", "first words"),
    ('[topics.t]\nentries = [{ pattern = "US", case = "upper" }]\n', "unknown case rule 'upper'",
     "valid case rules: insensitive, sensitive"),
    ('[topics.t]\nentries = [{ pattern = "US", cse = "sensitive" }]\n', "unknown key 'cse'", "valid entry keys"),
    ('[topics.t]\nentries = ["war", "war"]\n', "duplicate entry 'war'", "delete one"),
    ('[topics.t]\nlabel = "T"\nentrys = ["war"]\n', "topic 't' has unknown key 'entrys'", "valid topic keys"),
    ('[actors.a]\nentries = ["Russia"]\n', "actor 'a' has unknown key 'entries'", "aliases"),
    ('colour = "red"\n', "unknown top-level key 'colour'", "valid keys"),
    ('mode = "merge"\n', "unknown mode 'merge'", "extend, replace"),
    ('format = 2\n', "unsupported lexicon format 2", "format = 1"),
    ('[topics.t]\nentries = "war"\n', "entries must be a list", "entries = ["),
    ('[topics.t]\nentries = [3]\n', "neither a string nor a table", "pattern"),
    ('[topics.t]\nnegation = "yes"\n', "negation must be true or false", "negation = true"),
    ('[topics.t]\nentries = ["war"]\n[topics.T]\nentries = ["peace"]\n', "duplicate topic 'T'", "merge"),
    ('[topics.t]\nentries = ["war"]\n[topics.t]\nentries = ["peace"]\n', "invalid TOML", "appear once"),
    ('[topics.t\nentries = ["war"]\n', "invalid TOML", "fix the TOML syntax"),
])
def test_malformed_lexicon_errors(tmp_path: Path, body: str, message: str, hint: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, extend=False)
    err = info.value
    assert message in err.message, err.message
    assert hint in (err.hint or ""), err.hint
    assert err.path == str(path) and str(err).startswith(str(path))


def test_error_line_numbers(tmp_path: Path) -> None:
    body = '[topics.a]\nentries = [\n  "war",\n  "bad**",\n]\n'
    with pytest.raises(LexiconError) as info:
        load_lexicon(write(tmp_path, body), extend=False)
    assert info.value.line == 4 and "bad**" in info.value.message
    with pytest.raises(LexiconError) as info:
        load_lexicon(write(tmp_path, '[topics.a]\nentries = ["war"]\n[topics.a]\n', "dup.toml"), extend=False)
    assert info.value.line == 3
    with pytest.raises(LexiconError) as info:
        load_lexicon(write(tmp_path, 'name = \n', "syntax.toml"))
    assert info.value.line == 1


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "missing.toml")


def test_dataclass_validation() -> None:
    with pytest.raises(LexiconError, match="valid case rules: insensitive, sensitive"):
        Entry("x", label="t", case="upper")
    with pytest.raises(LexiconError, match="valid kinds: topic, actor"):
        Entry("x", label="t", kind="person")
    with pytest.raises(LexiconError, match="belongs to"):
        Topic("t", (Entry("x", label="other"),))
    with pytest.raises(LexiconError, match="duplicate topic"):
        Lexicon((Topic("t", ("x",)), Topic("T", ("y",))))
    with pytest.raises(LexiconError, match="invalid topic name"):
        Topic("two words")
    assert Entry("land  for peace", label="t").pattern == "land for peace"
    assert [Entry(p, label="t").form for p in ("war", "war*", "cease fire", "give ... land*")] == [
        "word", "wildcard", "phrase", "phrase"]


# ------------------------------------------------------------------------------------------------- docs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lexicon.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_docs_example_lexicon_loads(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, _blocks("toml")[0], "my_lexicon.toml"))
    assert len(lex.topics) == len(load_lexicon().topics) + 1
    assert topics_of("new gas and oil transit pipelines", lex) == {"energy"}
    assert [h.matched for h in match_text("TANAP tanap", lex)] == ["TANAP"]
    assert "betrayal" in topics_of("a dagger in the back", lex) and actors_of("Tbilisi", lex) == {"georgia"}


def test_docs_python_example_runs() -> None:
    namespace: dict[str, object] = {}
    exec(_blocks("python")[0], namespace)
    tags = namespace["tags"]
    assert isinstance(tags, pl.DataFrame)
    assert tags.rows() == [("c1", ["concessions"], []), ("c2", ["betrayal"], ["russia"])]


def test_docs_corpus_table_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_table", DOCS.parent / "corpus_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.corpus_table() in DOCS.read_text(encoding="utf-8"), "run: python docs/corpus_table.py"


def test_docs_name_every_default_topic_and_actor() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    lex = load_lexicon()
    for name in [t.name for t in lex.topics] + [a.name for a in lex.actors]:
        assert f"`{name}`" in docs, name


# ------------------------------------------------------------------------------------------ ignored phrases

def test_ignored_phrases_hide_the_entries_inside_them() -> None:
    lex = load_lexicon()
    assert [(h.label, h.matched) for h in match_text(
        "the correspondent of The Moscow Post, Russian President Vladimir Putin", lex)] == [
        ("russia", "Russian"), ("putin", "Putin")]
    assert [h.label for h in match_text("annex the Western Bank, or the West Bank, says the West", lex)] == [
        "sovereignty_independence", "the_west"]
    # only the phrase: Moscow alone, and Western elsewhere, are still actor hits (which, named together, also
    # imply alliances_geopolitics)
    assert [h.matched for h in match_text("Moscow posted a Western reply", lex) if h.kind == "actor"] == [
        "Moscow", "Western"]


def test_an_ignored_phrase_wins_over_the_same_text_and_its_gap_is_not_searched() -> None:
    lex = tiny(("t", ["moscow post", "give ... land", "treason"]), actors=(("r", ["Moscow"]),))
    assert [h.label for h in match_text("the Moscow Post", lex)] == ["t"]
    ignoring = Lexicon(lex.topics, lex.actors, ignore=("Moscow Post", "give ... land"))
    assert match_text("the Moscow Post", ignoring) == []
    assert match_text("give treason land", ignoring) == []          # not rescanned inside the gap
    assert [h.matched for h in match_text("give treason", ignoring)] == ["treason"]
    assert ignoring.ignore[0] == Entry("Moscow Post", label="ignore", kind="ignore")


def test_ignore_in_files_extend_and_replace(tmp_path: Path) -> None:
    text = MINIMAL.replace('mode = "replace"\n', 'mode = "replace"\nignore = ["Protest Street", '
                                                 '{ pattern = "OSCE Post", case = "sensitive", note = "a pub" }]\n')
    lex = load_lexicon(write(tmp_path, text))
    assert [(e.pattern, e.case, e.note) for e in lex.ignore] == [
        ("Protest Street", "insensitive", ""), ("OSCE Post", "sensitive", "a pub")]
    assert match_text("a protest on Protest Street near the OSCE Post", lex) == [
        Hit("topic", "protest", "protest*", "protest", 2, 9)]
    extended = load_lexicon(write(tmp_path, text, "ext.toml"), extend=True)
    assert [e.pattern for e in extended.ignore] == [e.pattern for e in load_lexicon().ignore] + [
        "Protest Street", "OSCE Post"]
    # the hash covers the ignore list, and a lexicon without one keeps its hash
    assert lex.sha256 != load_lexicon(write(tmp_path, MINIMAL, "plain.toml")).sha256
    assert "ignore" not in load_lexicon(write(tmp_path, MINIMAL, "plain2.toml")).canonical()


@pytest.mark.parametrize(("snippet", "message", "line"), [
    ('ignore = "Moscow Post"\n', "the ignore list: ignore must be a list", 5),
    ('ignore = [{ pattern = "Moscow Post", weight = 2 }]\n', "has unknown key 'weight'", 5),
    ('ignore = ["M*"]\n', "the ignore list: pattern 'M*' has a wildcard stem shorter than two letters", 5),
])
def test_bad_ignore_lists_name_the_line(tmp_path: Path, snippet: str, message: str, line: int) -> None:
    text = MINIMAL.replace('mode = "replace"\n', 'mode = "replace"\n' + snippet)
    with pytest.raises(LexiconError) as err:
        load_lexicon(write(tmp_path, text))
    assert message in str(err.value) and err.value.line == line


def _many_entries(n: int) -> str:
    return "[topics.big]\nentries = [\n" + "".join(f'  "w{i:06d}x",\n' for i in range(n)) + "]\n"


def _many_topics(n: int) -> str:
    return "".join(f'[topics.t{i}]\nentries = ["a{i}x", {{ pattern = "b{i}y" }}]\n' for i in range(n))


@pytest.mark.parametrize("make", [_many_entries, _many_topics], ids=["entries", "topics"])
def test_loading_grows_linearly_with_entries_and_topics(make) -> None:
    # four times the entries or topics, about four times the work (lines were looked up per entry and per
    # topic: 12 times the calls); benchmarks/bench_steps.py prints the seconds
    def work(n: int) -> int:
        raw = make(n)
        return calls(lexicon_from_data, parse_lexicon_toml(raw), raw=raw)

    small, large = work(200), work(800)
    assert large < 5 * small, (small, large)


def test_error_lines_come_from_the_quoted_entry(tmp_path: Path) -> None:
    # the entry's own line, not the first line holding its text ("war" inside "warfare"); escapes decoded
    body = '[topics.a]\nentries = [\n  "warfare",\n  { pattern = "war", case = "odd" },\n]\n'
    with pytest.raises(LexiconError, match="unknown case rule 'odd'") as info:
        load_lexicon(write(tmp_path, body), extend=False)
    assert info.value.line == 4
    body = '[topics.a]\nentries = [\n  "x",\n  { pattern = "caf\\u00e9 ab**" },\n]\n[topics.b]\nentries = ["y"]\n'
    with pytest.raises(LexiconError) as info:
        load_lexicon(write(tmp_path, body, "escaped.toml"), extend=False)
    assert info.value.line == 4 and "café ab**" in info.value.message
    # a duplicate is named at its second appearance
    body = '[topics.a]\nentries = [\n  "war",\n  "peace",\n  "war",\n]\n'
    with pytest.raises(LexiconError, match="duplicate entry 'war'") as info:
        load_lexicon(write(tmp_path, body, "twice.toml"), extend=False)
    assert info.value.line == 5


def test_a_byte_order_mark_is_not_part_of_the_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_lexicon(path).sha256 == load_lexicon(write(tmp_path, MINIMAL, "plain.toml")).sha256
    assert parse_lexicon_toml("\ufeff" + MINIMAL) == parse_lexicon_toml(MINIMAL)
    # a line number after the mark is still right
    path.write_bytes(b'\xef\xbb\xbf[topics.a]\nentries = [\n  "war",\n  "bad**",\n]\n')
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, extend=False)
    assert info.value.line == 4


@pytest.mark.parametrize("pattern", ["a" * 400, "ab " * 700, "war-" * 500 + "zone"])
@pytest.mark.parametrize("native_on", [True, False])
def test_long_entries_compile_and_match(pattern: str, native_on: bool) -> None:
    # the prefix tree was built, ordered and written out by recursion as deep as the pattern is long
    lex = tiny(("t", [pattern.strip(), "peace"]))
    text = f"and {pattern.strip()} then peace"
    with native(native_on):
        assert [h.entry for h in lexicon_module.CompiledLexicon(lex).hits(text)] == [pattern.strip(), "peace"]


def test_nested_long_entries_compile() -> None:
    # each entry a prefix of the next: the tree branches at every level, 400 levels deep
    lex = tiny(("t", ["ab" * k for k in range(1, 200)]))
    assert [h.entry for h in match_text("x " + "ab" * 150 + " y", lex)] == ["ab" * 150]


def test_a_phrase_with_two_gaps_rescans_both() -> None:
    lex = tiny(("t", ["give ... back ... land", "treason"]), ("u", ["traitor*"]))
    hits = match_text("give them traitors back all treason land", lex)
    assert [(h.label, h.entry, h.matched) for h in hits] == [
        ("t", "give ... back ... land", "give them traitors back all treason land"),
        ("u", "traitor*", "traitors"), ("t", "treason", "treason")]


@pytest.mark.parametrize("value", ["[" * 2000 + "]" * 2000, "{ a = " * 2000 + "1" + " }" * 2000])
def test_deeply_nested_toml_is_a_clear_error(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f'format = 1\n# a [[[ comment\nname = "x["\n[topics.t]\nentries = ["war"]\nx = {value}\n')
    with pytest.raises(LexiconError, match="nested too deeply") as info:
        load_lexicon(path, extend=False)
    assert (info.value.path, info.value.line) == (str(path), 6) and "flatten" in info.value.hint


@pytest.mark.parametrize("native_on", [True, False])
def test_entries_with_letters_that_fold_longer_match_themselves(native_on: bool) -> None:
    # "ß" folds to "ss": an entry with it matches the word as written and as folded, in any case
    with native(native_on):
        lex = Lexicon((Topic("t", (Entry("Außenpolitik", label="t"), Entry("straße*", label="t"))),), ())
        compiled = compile_lexicon(lex)
        hits = lambda text: [(h.entry, h.matched) for h in compiled.hits(text)]  # noqa: E731
        assert hits("Die Außenpolitik ist") == [("Außenpolitik", "Außenpolitik")]
        assert hits("die aussenpolitik") == [("Außenpolitik", "aussenpolitik")]
        assert hits("AUSSENPOLITIK") == [("Außenpolitik", "AUSSENPOLITIK")]
        assert hits("Straßen und STRASSE") == [("straße*", "Straßen"), ("straße*", "STRASSE")]
        assert hits("Außen politik") == []


# ------------------------------------------------------------------ verifying a surface by its first character

# Every atom a form can start with, case rules, letters whose case folds to several or to another script's
# letter (ſ/s, K/k, İ/i), and phrases with gaps (whose gap groups must be the whole verifier's).
_FIRSTS = tiny(
    ("sep", ["cease-fire", "give ... land ... back", "Nagorno Karabakh", "don’t", "turk*", "*ism", "'tis", "’twas",
             "re-turn*", "fair-*", "un*fair*"]),
    ("case", [Entry("US", "case", case="sensitive"), Entry("Western", "case", case="sensitive"),
              "straße", "ǆemal", "ﬁx", "İzmir", "kelvin", "sultan", "ǅe*"]),
    actors=(("x", ["U.S.", "ru", "#armenia", "1915", "éa*", "ka*"]),),
)


def _verified_as_by_the_whole_verifier(compiled, surface: str) -> None:
    whole = compiled.verifier.match(surface)
    part, candidates = compiled._verify(surface)
    names = set(part.re.groupindex)
    for name in compiled.verifier.groupindex:
        if name in names:
            assert part.span(name) == whole.span(name), (surface, name)
        else:  # a form left out is one the whole verifier does not match either
            assert whole.group(name) is None, (surface, name)
    assert list(candidates) == sorted(int(n[1:]) for n in names if "_" not in n)


def test_a_surface_is_verified_as_by_the_whole_verifier_on_every_first_character() -> None:
    # every 7th code point (every 1009th with the default lexicon, whose whole verifier is slow) in front of
    # a word; each character whose case relates it to the first letter of some form (K for the Kelvin sign,
    # ſ for s) in front of the rest of every form's text (of every 25th with the default lexicon)
    every = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    for lex in (_FIRSTS, load_lexicon()):
        compiled = compile_lexicon(lex)
        rests = sorted({e.pattern.replace("...", "x y")[1:].replace("*", "s") for e in lex.entries}) + [""]
        firsts = {e.pattern[0].lower() for e in lex.entries}
        near = [ch for ch in every if {ch.lower()[:1], ch.upper().lower()[:1], ch.casefold()[:1]} & firsts]
        assert len(near) > len(firsts)
        for ch in every[::7 if lex is _FIRSTS else 1009]:
            _verified_as_by_the_whole_verifier(compiled, ch + "rmenia")
        for ch in near:
            for rest in rests[::1 if lex is _FIRSTS else 25]:
                _verified_as_by_the_whole_verifier(compiled, ch + rest)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["give", "them", "land", "back", "ſultan", "\u212aelvin", "İZMIR", "ǄEMAL",
                                         "'s", "-", "ism", "fair-", "turks"]) | st.text(max_size=3), max_size=8))
def test_generated_surfaces_are_verified_as_by_the_whole_verifier(parts: list[str]) -> None:
    surface = " ".join(parts)
    for lex in (_FIRSTS, EDGES, load_lexicon()):
        _verified_as_by_the_whole_verifier(compile_lexicon(lex), surface)


def test_the_bundled_corpus_surfaces_resolve_as_by_the_whole_verifier() -> None:
    import discourse

    corpus = discourse.read(THREADS)
    compiled = compile_lexicon(load_lexicon())
    surfaces = {h.matched for text in corpus.comments["text"].drop_nulls().to_list()
                + corpus.articles["body"].drop_nulls().to_list() for h in compiled.match(text)}
    assert len(surfaces) > 100
    for surface in sorted(surfaces):
        _verified_as_by_the_whole_verifier(compiled, surface)
