"""The rules pass over the scanner's hits: context words, word forms, quotation, topics implied by actors."""

from __future__ import annotations

from pathlib import Path

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.errors import LexiconError
from discourse.scoring.lexicon import (
    DEFAULT_WINDOW,
    Entry,
    Implication,
    Lexicon,
    Topic,
    compile_lexicon,
    lexicon_from_data,
    load_lexicon,
    match_text,
    parse_lexicon_toml,
    token_spans,
    word_forms,
)
from discourse.scoring.lexicon_import import dump_lexicon_toml
from helpers import RULES



@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return lexicon_from_data(parse_lexicon_toml(RULES), raw=RULES, source="rules.toml")


def counted(text: str, lex: Lexicon) -> set[str]:
    return {h.label for h in match_text(text, lex) if h.kind == "topic" and h.counted}


def set_aside(text: str, lex: Lexicon) -> list[tuple[str, str, str | None]]:
    return [(h.label, h.matched, h.rule) for h in match_text(text, lex) if h.kind == "topic" and not h.counted]


# ------------------------------------------------------------------------------------------ context words

def test_unless_near_sets_a_hit_aside_within_its_window(lex):
    assert set_aside("They must recognize the Armenian genocide.", lex) == [
        ("sovereignty", "recognize", "unless_near: 'genocide' within 4 words")]
    assert counted("They must recognize the Armenian genocide.", lex) == set()
    # before the hit as well as after it
    assert counted("the genocide they refuse to recognize", lex) == set()
    # five words away: outside a window of 4
    assert counted("We recognize Artsakh as a free and proud state despite the genocide", lex) == {"sovereignty"}
    assert counted("We recognize Artsakh", lex) == {"sovereignty"}


def test_only_near_counts_a_hit_only_with_its_words(lex):
    assert counted("the status of Karabakh", lex) == {"sovereignty"}
    assert counted("my social status", lex) == set()
    [(label, matched, rule)] = set_aside("my social status", lex)
    assert rule == f"only_near: none within {DEFAULT_WINDOW} words"
    hit = next(h for h in match_text("the status of Karabakh", lex) if h.kind == "topic")
    assert hit.counted and hit.rule == "only_near: 'Karabakh' within 6 words"


def test_topic_context_applies_to_entries_without_their_own(lex):
    assert counted("In 1915 they killed a million people", lex) == set()   # the topic's unless_near
    assert counted("Yesterday they killed two soldiers", lex) == {"war"}
    assert counted("Das war und", lex) == set() and counted("Das war nicht gut und", lex) == {"war"}  # window 2


def test_a_topics_unless_near_also_applies_to_entries_with_unless_near_of_their_own(lex):
    # "war" sets aside "und" within 2 words (its own) and "1915" within 8 (the topic's)
    assert counted("In 1915 the war began", lex) == set()
    [(label, matched, rule)] = set_aside("In 1915 the war began", lex)
    assert (label, matched, rule) == ("war", "war", "unless_near: '1915' within 8 words")
    assert counted("The war began, and then years and years went by until 1915", lex) == {"war"}  # 9 words away
    assert counted("the war began", lex) == {"war"}


def test_a_topics_unless_near_does_not_overrule_an_entrys_only_near():
    body = """
[topics.war]
unless_near = ["1915"]
entries = [{ pattern = "genocide", only_near = ["today"] }, "massacre"]
"""
    lex = lexicon_from_data(parse_lexicon_toml(body), raw=body)
    # the entry names the sense it counts in ("genocide today"); the topic's words do not set it aside
    assert counted("a genocide today, as in 1915", lex) == {"war"}
    assert counted("a massacre today, as in 1915", lex) == set()


def test_negation_false_keeps_a_negated_issue(lex):
    assert counted("there would have been no war", lex) == {"war"}


def test_context_words_are_validated():
    with pytest.raises(LexiconError, match="window must be a whole number"):
        Entry("x", label="t", window=0)
    with pytest.raises(LexiconError, match="regex syntax"):
        Entry("x", label="t", unless_near=("a(b",))
    with pytest.raises(LexiconError, match="apply to topic entries"):
        Entry("Russia", label="russia", kind="actor", only_near=("x",))


# ------------------------------------------------------------------------------------------- word forms

def test_word_forms():
    assert word_forms("give")[:1] == ("give",) and {"gives", "gave", "given", "giving"} <= set(word_forms("give"))
    assert {"stabs", "stabbed", "stabbing"} <= set(word_forms("stab"))
    assert {"secedes", "seceded", "seceding"} <= set(word_forms("secede"))
    assert {"cries", "cried", "crying"} <= set(word_forms("cry"))
    assert {"back-stabbing", "back-stabbed"} <= set(word_forms("back-stab"))
    assert "hung" in word_forms("hang") and "sold" in word_forms("sell")


@pytest.mark.parametrize("text", [
    "they hung us out to dry", "Russia hangs Armenia out to dry", "hanging them out to dry",
    "back stabbing", "backstabbed", "back-stabs", "Moscow sold us out", "selling Armenia out",
])
def test_plus_patterns_match_every_form(lex, text):
    assert "betrayal" in counted(text, lex)


def test_plus_hits_report_the_entry_as_written(lex):
    [hit] = [h for h in match_text("they hung us out to dry", lex) if h.kind == "topic"]
    assert hit.entry == "hang+ ... out to dry" and hit.matched == "hung us out to dry"


@pytest.mark.parametrize("pattern", ["a+", "gi+ve", "give*+", "12+", "+"])
def test_misplaced_plus_is_rejected(pattern):
    with pytest.raises(LexiconError):
        Entry(pattern, label="t")


# -------------------------------------------------------------------------------------------- quotation

def test_scare_quotes_set_a_betrayal_label_aside(lex):
    for text in ("you're going to be called a 'traitor' for this", "the so-called “traitors” were right",
                 'they call him a "traitor" now', "a ‘traitor’ to them"):
        assert counted(text, lex) == set(), text
        assert set_aside(text, lex)[0][2] == "quotation = scare: inside scare quotes"
    assert counted("he is a traitor", lex) == {"betrayal"}
    # a possessive apostrophe does not open a quotation
    assert counted("the Armenians' traitor leaders' words", lex) == {"betrayal"}
    # a long quotation is speech, not a scare quote: "scare" still counts it
    assert counted('He said: "the minister is a traitor to the whole nation and must go."', lex) == {"betrayal"}


def test_quoted_sets_aside_hits_in_any_quotation(lex):
    assert counted('He said: "we will never surrender any of our land to them."', lex) == set()
    assert counted("we will surrender", lex) == {"quoted"}


# --------------------------------------------------------------------------------- implied by an actor

def test_an_actor_implies_a_topic_only_near_its_words(lex):
    hits = match_text("Russia will protect us.", lex)
    implied = [h for h in hits if h.kind == "topic"]
    assert [(h.label, h.entry, h.matched, h.start, h.counted) for h in implied] == [
        ("alliances", "Russia", "Russia", 0, True)]
    assert implied[0].rule == "implied by actor russia: 'protect' within 5 words"
    assert [h.kind for h in hits] == ["topic", "actor"]
    assert counted("Russia is big and cold", lex) == set()
    assert counted("Turkey, our ally", lex) == {"alliances"}


def test_an_implication_without_words_follows_every_mention(lex):
    [hit] = [h for h in match_text("Iran", lex) if h.kind == "topic"]
    assert hit.label == "region" and hit.rule == "implied by actor iran: named"


def test_an_implication_does_not_apply_near_its_unless_words(lex):
    assert counted("Russia and Turkey carve up the Caucasus", lex) == {"alliances"}
    [hit] = [h for h in match_text("Russia and Turkey", lex) if h.kind == "topic"]
    assert hit.rule == "implied by actor russia: 'Turkey' within 6 words"
    # a word of the unless list within the window: the implication is passed over, its actor still counts
    hits = match_text("Russia and Turkey in 1915", lex)
    assert [(h.kind, h.label) for h in hits] == [("actor", "russia"), ("actor", "turkey")]
    assert counted("Russia and the Ottomans and Turkey", lex) == set()
    # further away than the window, the unless word does not matter
    assert counted("Russia and Turkey today, not as they were long ago in 1915", lex) == {"alliances"}
    # another implication of the same actor still applies
    assert counted("Russia will protect Turkey in 1915", lex) == {"alliances"}


def test_one_mention_implies_every_topic_whose_words_are_near():
    body = """
[topics.alliances]
implied_by = [{ actors = ["turkey"], near = ["ally"] }, { actors = ["turkey"], near = ["partner"] }]
[topics.history]
implied_by = [{ actors = ["turkey"], near = ["recogni*"] }]
[actors.turkey]
aliases = ["Turkey"]
"""
    lex = lexicon_from_data(parse_lexicon_toml(body), raw=body)
    hits = [(h.label, h.rule) for h in match_text("Turkey, ally and partner, will not recognise it", lex)
            if h.kind == "topic"]
    # both topics, each once (the second alliances implication adds nothing)
    assert hits == [("alliances", "implied by actor turkey: 'ally' within 6 words"),
                    ("history", "implied by actor turkey: 'recognise' within 6 words")]
    assert counted("Turkey will not recognise it", lex) == {"history"}


def test_unless_near_of_an_implication_is_written_and_hashed():
    def lexicon(extra: str) -> Lexicon:
        body = f'[topics.t]\nentries = []\nimplied_by = [{{ actors = ["a"], near = ["b"]{extra} }}]\n[actors.a]\naliases = ["A"]\n'
        return lexicon_from_data(parse_lexicon_toml(body), raw=body)

    plain, ruled = lexicon(""), lexicon(', unless_near = ["c"]')
    assert "unless_near" not in str(plain.canonical()) and ruled.sha256 != plain.sha256
    assert ruled.topics[0].implied_by[0].unless_near == ("c",)
    again = lexicon_from_data(parse_lexicon_toml(dump_lexicon_toml(ruled)))
    assert again == ruled and again.sha256 == ruled.sha256


def test_implications_name_known_actors_and_topics():
    body = '[topics.t]\nimplied_by = [{ actors = ["nobody"], near = ["x"] }]\n[actors.a]\naliases = ["A"]\n'
    with pytest.raises(LexiconError, match="unknown actor 'nobody'"):
        lexicon_from_data(parse_lexicon_toml(body), raw=body)
    body = '[topics.t]\nentries = []\n[actors.a]\naliases = ["A"]\nimplies = [{ topic = "nothing" }]\n'
    with pytest.raises(LexiconError, match="unknown topic 'nothing'"):
        lexicon_from_data(parse_lexicon_toml(body), raw=body)
    with pytest.raises(LexiconError, match="actors must be a non-empty list"):
        Implication("t", ())


@pytest.mark.parametrize("body, message, line", [
    ('[topics.t]\nentries = []\nimplied_by = [{ actor = ["a"] }]\n', "unknown key 'actor'", 1),
    ('[topics.t]\nentries = []\nimplied_by = [{ actors = ["a"], unless_near = "b" }]\n[actors.a]\naliases = ["A"]\n',
     "unless_near must be a list of words", 1),
    ('[topics.t]\nentries = []\nquotation = "some"\n', "unknown quotation rule 'some'", 1),
    ('[topics.t]\nentries = [\n  "war",\n  { pattern = "x", unless_near = "y" },\n]\n', "must be a list of words", 4),
    ('[topics.t]\nentries = [\n  { pattern = "x", window = 99 },\n]\n', "window must be a whole number", 3),
    ('[topics.t]\nentries = []\n[actors.a]\naliases = [{ pattern = "A", only_near = ["b"] }]\n', "has only_near", 4),
])
def test_rule_errors_name_the_file_and_line(tmp_path: Path, body, message, line):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, extend=False)
    assert message in info.value.message and info.value.path == str(path) and info.value.line == line


# ------------------------------------------------------------------------------------ hash and round trip

def test_rules_survive_the_toml_writer(lex):
    again = lexicon_from_data(parse_lexicon_toml(dump_lexicon_toml(lex)))
    assert again == lex and again.sha256 == lex.sha256


def test_rules_change_the_hash_and_their_absence_does_not():
    plain = Lexicon((Topic("t", ("x",)),))
    assert "implied_by" not in plain.canonical()["topics"][0] and "only_near" not in str(plain.canonical())
    ruled = Lexicon((Topic("t", (Entry("x", label="t", unless_near=("y",)),)),))
    assert ruled.sha256 != plain.sha256
    assert Lexicon((Topic("t", ("x",), quotation="scare"),)).sha256 != plain.sha256


def test_a_lexicon_without_rules_returns_the_scan():
    lex = Lexicon((Topic("t", ("x",)),))
    compiled = compile_lexicon(lex)
    assert compiled.hits("x and x") == compiled.match("x and x")


# --------------------------------------------------------------------------------- the default lexicon

@pytest.mark.parametrize("text, topic, expected", [
    ("Turkey must recognize the Armenian Genocide", "sovereignty_independence", False),
    ("Armenia should recognize Artsakh's independence", "sovereignty_independence", True),
    ("independent journalists were arrested", "sovereignty_independence", False),
    ("the abandoned churches of Nakhichevan", "betrayal", False),
    ("Russia abandoned Armenia", "betrayal", True),
    ("we express solidarity with France", "unity", False),
    ("Das war ein Fehler und nicht gut", "war_violence", False),
    ("if they had listened there would have been no war", "war_violence", True),
    ("you're going to be called a 'traitor' for saying so", "betrayal", False),
    ("Russia hung us out to dry", "betrayal", True),
    ("back-stabbing by Moscow", "betrayal", True),
    ("a shill for Baku", "betrayal", True),
    ("compromise is not treason", "betrayal", False),
    ("a land swap is the only way", "concessions", True),
    ("we will not give up a single village", "concessions", True),
    ("Artsakh seceded from Azerbaijan", "sovereignty_independence", True),
    ("the right to self-determination", "sovereignty_independence", True),
    ("Russia will never protect Armenia", "alliances_geopolitics", True),
    ("Russia has a military base in Gyumri", "alliances_geopolitics", True),
    ("I visited Russia last year", "alliances_geopolitics", False),
    ("the protocols were a mistake", "negotiation_mediation", True),
    ("the Lavrov plan", "negotiation_mediation", True),
    ("in 1915 the Ottoman army killed a million Armenians", "war_violence", False),
    ("in 1915 the Ottoman army killed a million Armenians", "history_genocide", True),
    # reported accusations are not the writer's own; abandonment idioms are, near a patron
    ("the protesters decry their betrayal by the government", "betrayal", False),
    ("critics accused Pashinyan of treason", "betrayal", False),
    ("Russia didn't lift a finger when Artsakh fell", "betrayal", True),
    ("the CSTO stood idly by", "betrayal", True),
    ("the crowd stood idly by", "betrayal", False),
    ("Moscow left us in the lurch", "betrayal", True),
    ("Russia is a fake ally", "betrayal", True),
    ("Russia is a fake ally", "alliances_geopolitics", True),
    ("Azerbaijan captured abandoned Armenian equipment", "betrayal", False),
    ("die Russen haben die Armenier im Stich gelassen", "betrayal", True),
    # every form of the giving verbs; concede, relinquish; not unilateral acts of other kinds
    ("Armenia gave back the occupied lands", "concessions", True),
    ("Armenia gave away land for nothing", "concessions", True),
    ("the districts were handed over to Azerbaijan", "concessions", True),
    ("Yerevan relinquished its claims", "concessions", True),
    ("I concede that you are right", "concessions", False),
    ("the massacres were unilateral", "concessions", False),
    ("a unilateral withdrawal from the districts", "concessions", True),
    # wrong senses: figurative fights, the dead resting in peace, business partners, equal status of languages
    ("we must fight for recognition of the genocide", "war_violence", False),
    ("may the victims rest in peace", "peace_ceasefire", False),
    ("one of my business partners is Armenian", "alliances_geopolitics", False),
    ("both dialects should have equal status", "sovereignty_independence", False),
    ("the final status of Karabakh", "sovereignty_independence", True),
    # alliances: pacts; unity: discord and cohesion
    ("the security pact never delivered", "alliances_geopolitics", True),
    ("discord among Armenians helps our enemies", "unity", True),
    ("Turkey and Azerbaijan are one nation, two states", "unity", False),
    ("Turkey and Azerbaijan are one nation, two states", "alliances_geopolitics", True),
    ("Armenia should join NATO", "alliances_geopolitics", True),
    ("they signed the surrender document", "concessions", True),
    # the third revision: great powers named together, not about the past; blocs; the West's powers
    ("Russia and Turkey carved up the Caucasus between them", "alliances_geopolitics", True),
    ("in 1915 the Russian and the Ottoman armies fought", "alliances_geopolitics", False),
    ("Iran would never let Baku and Ankara cut the road", "alliances_geopolitics", True),
    ("the Western powers did nothing", "alliances_geopolitics", True),
    ("Armenia may leave the Russian-led bloc", "alliances_geopolitics", True),
    ("a trip to European Turkey", "alliances_geopolitics", False),
    # the diaspora by its organisations, places and compounds, and Armenians with a country of residence
    ("the AGBU and the ANCA lobby in Washington", "diaspora", True),
    ("my French-Armenian grandmother", "diaspora", True),
    ("Armenians in California vote", "diaspora", True),
    ("American Armenians vote", "diaspora", True),
    ("Armenians in Stepanakert vote", "diaspora", False),
    # the genocide by its number, denial, apology, history, and Turkey recognising it
    ("1.5 million were killed", "history_genocide", True),
    ("Turkey will never apologise", "history_genocide", True),
    ("Turkey will never recognize it", "history_genocide", True),
    ("Turkey will never recognize it", "sovereignty_independence", False),
    ("Turkey's decision not to recognize Crimea as Russian", "history_genocide", False),
    ("Who today remembers the Armenians?", "history_genocide", True),
    ("Azerbaijan does not recognize Nagorno-Karabakh, says Erdogan", "sovereignty_independence", True),
    # war words of the past, now also war, fight and fought (entries with unless_near of their own)
    ("in 1915 the war against the Armenians began", "war_violence", False),
    ("my great-grandfather fought at Sardarapat in 1918", "war_violence", False),
])
def test_default_lexicon_reads_the_hard_cases(text, topic, expected):
    assert (topic in counted(text, load_lexicon())) is expected


def test_explain_shows_why_a_hit_did_not_count():
    from discourse.scoring.explain import explain_unit
    from discourse.scoring.pipeline import analyze
    from discourse.summary import render_explanation

    root = Path(__file__).resolve().parents[2]
    [path] = (root / "threads").glob("002_*.txt")
    out = render_explanation(explain_unit(analyze(path), "002/9"))
    assert "invade" in out and "NOT COUNTED: unless_near: 'Tsarist' within 25 words" in out
    assert "counted: implied by actor russia: 'arms' within 8 words" in out


_RULES = compile_lexicon(load_lexicon())._rules
_NEAR_LISTS = sorted(_RULES._near)
_NEAR_PIECES = sorted({w.replace("*", "s").replace("+", "ed") for words in _NEAR_LISTS for w in words}) + [
    "Russia", "’", "'", "x'", "—", ",", "\u212aelvin", "ſide", "İn", "ıd", "_", "don't", "ALLY's", "allyx"]


def test_context_word_lists_of_the_default_lexicon_are_searched_by_first_letter():
    # near_search's shortcut is in use (the test below then holds it to the regex on these lists)
    assert sum(_RULES._dispatch[words] is not None for words in _NEAR_LISTS) >= len(_NEAR_LISTS) - 1


def test_letters_and_digits_match_only_word_characters_when_case_is_ignored():
    # what near_search's shortcut rests on: an ASCII letter or digit, ignoring case, matches no other kind of
    # character (it does match İ, ı, ſ and the Kelvin sign, all word characters)
    text = "".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000)
    assert all(re.fullmatch(r"\w", c) for c in re.findall(r"(?i)[a-z0-9]", text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NEAR_PIECES) | st.text(max_size=2), max_size=30),
       st.lists(st.sampled_from([" ", "", "-", "  ", "\n"]), max_size=30), st.sampled_from(_NEAR_LISTS), st.data())
def test_near_search_finds_what_the_regex_finds(pieces, gaps, words, data):
    text = "".join(w + (gaps[k] if k < len(gaps) else " ") for k, w in enumerate(pieces))
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    starts = token_spans(text)[0]
    want = _RULES.near_regex(words).search(text, a, b)
    found = _RULES.near_search(words, text, starts, a, b)
    assert (found.span(), found.group()) == (want.span(), want.group()) if want else found is None


def _quoted_whole_text(text: str, start: int, end: int, scare_only: bool) -> str | None:
    """_TextView.quoted as it was first written: the short quotations of the whole text, then find_quotes's."""
    from discourse.scoring.lexicon import _QUOTE_CLOSE, _SHORT_QUOTE
    from discourse.scoring.quotes import find_quotes

    spans = [(m.start(), m.end(), True) for m in _SHORT_QUOTE.finditer(text)
             if m.group(3) in _QUOTE_CLOSE.get(m.group(1), "") and len(m.group(2).split()) <= 4]
    if any(mark in text for mark in "\"“„«"):
        spans += [(q.start, q.end, q.scare) for q in find_quotes(text)]
    for a, b, scare in spans:
        if a <= start and end <= b and (scare or not scare_only):
            return "scare quotes" if scare else "a quotation"
    return None


_QUOTE_TEXT = st.lists(st.sampled_from(["'", "‘", "’", '"', "“", "”", "„", "«", "»", "traitor", "we", "x", "Putin said",
                                        " ", "  ", "\n", " \n", ",", ".", "—", "don't", "a b c d e"]),
                       max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(_QUOTE_TEXT, st.data())
def test_spans_in_quotations_are_found_line_by_line_as_in_the_whole_text(text, data):
    from discourse.scoring.lexicon import _TextView

    view = _TextView(text)
    for _ in range(6):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        scare_only = data.draw(st.booleans())
        assert view.quoted(start, end, scare_only=scare_only) == _quoted_whole_text(text, start, end, scare_only)
