"""Tests for discourse.scoring.quotes: real paragraphs from the bundled corpus and tricky synthetic cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.native import native
from discourse.scoring.quotes import (
    Quote,
    find_quotes,
    quotation_spans,
    sentence_voice,
    speech,
    speech_voice,
)

THREADS = Path(__file__).resolve().parents[2] / "threads"

# Paragraphs copied verbatim from the bundled corpus; test_fixtures_are_verbatim checks them.
P003_LAW = (
    '“From an international law point of view, all these territories are an integral part of the '
    'Republic of Azerbaijan. Thus we established our position in the Minsk Group, in which Russia, '
    'the United States and France are co-chairs. For many years, we have always assumed that the '
    '7 areas around Nagorno-Karabakh (occupied by Armenia) should be returned to Azerbaijan,” Putin '
    'said.'
)

P003_TURKEY_TENSION = (
    'Asked about Turkey’s position in the conflict, Putin once again defended the position taken '
    'by Ankara: “Turkey defended, because it believed so, the just cause of Azerbaijan: that is, '
    'the return of the territories that were occupied during the conflict of the 90s”. Putin also '
    'rejected speculation that the recent conflict that began in September had been provoked from '
    'outside.\n'
    '\n'
    '“The tension has lasted many years,” he recalled. “I do not think it was due to foreign interference. '
    'Many times there have been tensions, fighting, and small skirmishes. As a result, it ended '
    'up leading to a conflict,” said Putin, who had previously explained that since Karabakh is '
    'not a territory of Armenia, Russia had no obligation to defend it under the mutual defence '
    'agreement between the two countries.'
)

P004_TWO_QUOTES = (
    '“But believe me, it has been a tense time with varying positions and approaches. At times it '
    'seemed that we were very close to reaching a solution. Unfortunately, it did not happen and '
    'today we have a conflict with its worst manifestation. The tragedy is that people are dying,’’ '
    'said Putin.\n'
    '“We have sought and proposed mutual concessions for years. Unfortunately, we failed to find '
    'a solution, and this led to today’s tragedy. I hope everything ends, the battles end. I agree '
    'that the first thing to do is to cease fire. We agreed on this in Moscow, but unfortunately, '
    'the situation didn’t stay the same. We will aspire for this,” he said, adding that Russia, '
    'along with the other Minsk Group co-chairing countries, the United States and France want the '
    'situation normalized.'
)

P004_EQUAL_PARTNERS = (
    'At the same time, Putin added, “the situation where a significant part of the territory of '
    'Azerbaijan has been lost cannot continue forever.” He said Armenia and Azerbaijan are “equal '
    'partners” to Russia.'
)

P004_POEM_LINES = (
    '    The beautiful ARTSAKH,\n'
    '    Its ancient name\n'
    '    ‘The Suns Paradise’—'
)

P002_OTHERS = (
    'It does’t matter what ‘others’ decide – Artsakh decided to become idependent. And fom the USSR, '
    'by the way, as technically it has not been part of Azerbaijan. It will fight and win again, '
    'if it has to.'
)

P002_DEMOCRACY = (
    'NOT ONE INCH! So what’s the other option? “Democracy” is going to make the country suddenly '
    'have a GDP of 500 billion dollars? If you want peace you have to make compromises, otherwise '
    'this war will never end and everyone in Armenia will continue to suffer. Unless you feel like '
    'picking up a rifle SHUT THE F UP!'
)

FIXTURE_FILES = {
    "002_f95fa880e584f71f.txt": [P002_OTHERS, P002_DEMOCRACY],
    "003_dceb8f66d6ffd2f1.txt": [P003_LAW, P003_TURKEY_TENSION],
    "004_b01ea09c9e7a5141.txt": [P004_TWO_QUOTES, P004_EQUAL_PARTNERS, P004_POEM_LINES],
}


def quoted(text: str) -> list[tuple[str, str | None, str | None, bool, bool, str]]:
    return [(text[q.start:q.end], q.speaker, q.cue, q.scare, q.closed, q.attribution) for q in find_quotes(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """A crude splitter for the tests: a sentence ends at . ! ? (and any closing quote) before a space."""
    return [m.span() for m in re.finditer(r"\S.*?(?:[.!?][”\"’]*(?=\s|$)|$)", text)]


def test_fixtures_are_verbatim() -> None:
    for name, texts in FIXTURE_FILES.items():
        content = (THREADS / name).read_text(encoding="utf-8")
        for text in texts:
            assert text in content


# ------------------------------------------------------------------------------------------- real corpus

def test_000_putin_stated() -> None:
    text = (THREADS / "000_276c38a6c6f80960.txt").read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line.startswith("This is what Putin stated:"))
    [q] = find_quotes(paragraph)
    assert (q.speaker, q.cue, q.attribution, q.closed, q.scare) == ("Putin", "stated", "named", True, False)
    assert paragraph[q.start:q.start + 14] == "“You said that" and q.end == len(paragraph)
    voices = sentence_voice(sentences(paragraph), [q], text=paragraph)
    # the first sentence, "This is what Putin stated: “You said that ... Armenia.", is mostly quotation too
    assert len(voices) > 30 and voices == [("quoted", "Putin")] * len(voices)
    assert sentence_voice(sentences("This is what Putin stated: “Yes.”"), find_quotes(
        "This is what Putin stated: “Yes.”"), text="This is what Putin stated: “Yes.”") == [("own", None)]


def test_000_ascii_quote_with_leading_cue() -> None:
    text = (THREADS / "000_276c38a6c6f80960.txt").read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line.startswith("Even more alarming, Putin announced"))
    assert quoted(paragraph)[0][1:] == ("Putin", "announced", False, True, "named")


def test_003_trailing_and_pronoun_attribution() -> None:
    assert quoted(P003_LAW) == [(P003_LAW[:-len(" Putin said.")], "Putin", "said", False, True, "named")]
    found = quoted(P003_TURKEY_TENSION)
    assert [f[1:] for f in found] == [
        (None, None, False, True, "none"),            # "Putin once again defended ...: “..." names no speech verb
        (None, "recalled", False, True, "pronoun"),   # “...,” he recalled: no earlier named speaker in this text
        ("Putin", "said", False, True, "named"),      # “...,” said Putin, who ...
    ]
    found = quoted(P003_LAW + "\n\n" + P003_TURKEY_TENSION)
    assert found[2][1:3] == ("Putin", "recalled")    # now "he" resolves to the last named speaker


def test_004_typewriter_closing_mark_and_new_paragraph() -> None:
    found = quoted(P004_TWO_QUOTES)
    assert [f[1:] for f in found] == [("Putin", "said", False, True, "named"),
                                      ("Putin", "said", False, True, "pronoun")]
    assert found[0][0].endswith("dying,’’") and found[1][0].startswith("“We have sought")


def test_004_leading_cue_and_short_attributed_quote() -> None:
    found = quoted(P004_EQUAL_PARTNERS)
    assert [f[1:] for f in found] == [("Putin", "added", False, True, "named"),
                                      ("Putin", "said", False, True, "pronoun")]  # “equal partners”: He said
    assert found[1][0] == "“equal partners”"


@pytest.mark.parametrize("text, scare", [
    (P002_OTHERS, "‘others’"), (P002_DEMOCRACY, "“Democracy”"), (P004_POEM_LINES, "‘The Suns Paradise’"),
])
def test_scare_quotes_in_the_corpus(text: str, scare: str) -> None:
    assert [(f[0], f[3]) for f in quoted(text)] == [(scare, True)]


def test_corpus_files_do_not_crash_and_spans_are_marks() -> None:
    for path in sorted(THREADS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = find_quotes(text)
        assert found == find_quotes(text)
        for q in found:
            assert text[q.start] in "\"“”„«‘’'`"


# -------------------------------------------------------------------------------------------- synthetic

@pytest.mark.parametrize("text, speaker, cue, attribution", [
    ("“We will win,” Putin said.", "Putin", "said", "named"),
    ("“We will win,” said Putin.", "Putin", "said", "named"),
    ("Putin stated: “We will win.”", "Putin", "stated", "named"),
    ("This is what Putin stated: “We will win.”", "Putin", "stated", "named"),
    ("“We will win,” Putin says.", "Putin", "says", "named"),
    ("According to Putin, “the war is over and we won.”", "Putin", "according to", "named"),
    ("“The war is over and we won,” according to Putin.", "Putin", "according to", "named"),
    ("“We will not allow it,” President Aliyev said.", "President Aliyev", "said", "named"),
    ("“Not one inch of our land,” Sarkisian also stressed.", "Sarkisian", "stressed", "named"),
    ("“Nothing will change here,” Vladimir Putin of Russia said.", "Vladimir Putin", "said", "named"),
    ("But Putin said, “we are ready for it.”", "Putin", "said", "named"),
    ("“We will win,” he said.", None, "said", "pronoun"),
    ("“We will win,” they said.", None, "said", "pronoun"),
    ("“We will win,” I said.", None, "said", "pronoun"),
    ("It was “a long and difficult road for everyone” in the end.", None, None, "none"),
])
def test_attribution(text: str, speaker: str | None, cue: str | None, attribution: str) -> None:
    [q] = find_quotes(text)
    assert (q.speaker, q.cue, q.attribution, q.scare) == (speaker, cue, attribution, False)


def test_pronoun_resolves_to_last_named_speaker() -> None:
    text = "“One two three four,” Aliyev said. “Five six seven eight,” he added. “Nine ten,” she said."
    assert [(q.speaker, q.attribution) for q in find_quotes(text)] == [
        ("Aliyev", "named"), ("Aliyev", "pronoun"), ("Aliyev", "pronoun")]


def test_quote_ending_its_sentence_takes_no_trailing_attribution() -> None:
    text = "“This cannot last forever.” He said nothing else about it."
    assert quoted(text)[0][1:3] == (None, None)
    assert quoted("“Why not?” he asked.")[0][1:3] == (None, "asked")


def test_scare_quotes() -> None:
    text = 'Our “nationalists” and the "others" met the so-called “Daredevils of Sasoun and friends”.'
    assert [(f[0], f[3]) for f in quoted(text)] == [
        ("“nationalists”", True), ('"others"', True), ("“Daredevils of Sasoun and friends”", True)]
    assert not quoted("“Never,” said Sarkisian.")[0][3]           # short but attributed
    assert not quoted("He shouted “Never again!” and left.")[0][3]  # an utterance, not a label


def test_quote_continues_into_next_paragraph() -> None:
    text = "Putin stated: “First part of a long speech.\n\n“Second part of it.” Then he left.\nOther “text”."
    found = find_quotes(text)
    assert text[found[0].start:found[0].end] == "“First part of a long speech.\n\n“Second part of it.”"
    assert (found[0].speaker, found[0].closed) == ("Putin", True)
    assert [text[q.start:q.end] for q in found[1:]] == ["“text”"]


def test_ascii_quote_continues_into_next_paragraph() -> None:
    text = 'Putin stated: "First part of a long speech.\n"Second part of it." Then he left.'
    [q] = find_quotes(text)
    assert text[q.start:q.end] == '"First part of a long speech.\n"Second part of it."'


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "He said “we will never agree to this plan   \nNext paragraph with no quote mark."
    [q] = find_quotes(text)
    assert (text[q.start:q.end], q.closed) == ("“we will never agree to this plan", False)


def test_unbalanced_quote_at_text_end() -> None:
    for text in ("He said “never", 'He said "never ', "“", "x “ \n\n"):
        found = find_quotes(text)
        assert all(not q.closed and 0 <= q.start <= q.end <= len(text) for q in found)
    [q] = find_quotes("He said “never")
    assert (q.start, q.end, q.closed) == (8, 14, False)


def test_apostrophes_are_not_quotes() -> None:
    for text in ("Russia’s plan, Russia‘s plan, don’t, Armenians’ land, the ’90s", "It's Russia's and don't"):
        assert find_quotes(text) == []


def test_nested_single_quotes() -> None:
    text = "“He told me ‘no way’ and then he left the room,” Aliyev said. ‘Fine’ was all."
    found = quoted(text)
    assert found[0] == ("“He told me ‘no way’ and then he left the room,”", "Aliyev", "said", False, True, "named")
    assert found[1][0] == "‘Fine’"


def test_misused_curly_marks() -> None:
    [q] = find_quotes("”Hello there, my old friend,” she said.")
    assert q.start == 0 and q.cue == "said"
    [q] = find_quotes("“We are here to stay“ the minister wrote.")
    assert q.closed and q.end == len("“We are here to stay“")


def test_curly_and_ascii_give_the_same_quotes() -> None:
    curly = "“We will win,” Putin said, but “nationalists” disagree."
    ascii_ = curly.replace("“", '"').replace("”", '"')
    assert quoted(ascii_) == [(a.replace("“", '"').replace("”", '"'), *rest) for a, *rest in quoted(curly)]


def test_sentence_voice() -> None:
    text = "I disagree. “We will win. We know it,” Putin told the reporters. Not so “fast”."
    found = find_quotes(text)
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "I disagree.", "“We will win.", "We know it,” Putin told the reporters.", "Not so “fast”."]
    assert sentence_voice(spans, found, text=text) == [
        ("own", None), ("quoted", "Putin"), ("own", None), ("own", None)]
    shorter = text.replace("told the reporters", "said").replace("We know", "We all know")  # quote is larger
    assert sentence_voice(sentences(shorter), find_quotes(shorter), text=shorter)[2] == ("quoted", "Putin")
    assert sentence_voice([(0, 0)], found) == [("own", None)]
    # without the text every character counts: spaces inside the quote tip the balance
    padded = "aaaa bbbb “c d e" + " " * 20 + "f” gggg hhhh"
    assert sentence_voice([(0, len(padded))], find_quotes(padded)) == [("quoted", None)]
    assert sentence_voice([(0, len(padded))], find_quotes(padded), text=padded) == [("own", None)]


def test_quote_validation() -> None:
    with pytest.raises(ValueError, match="start <= end"):
        Quote(5, 2)
    with pytest.raises(ValueError, match="valid: named, pronoun, none"):
        Quote(0, 1, attribution="guess")


ALPHABET = st.sampled_from(['"', "“", "”", "‘", "’", "'", "''", "’’", "``", "„", "«", "»", "\n", "\n\n", " ",
                            "Putin", "said", "he", "said Putin", ",", ".", "a", "b", "don’t", "so-called",
                            "according to"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_quotes_never_crash_and_stay_inside_the_text(text: str) -> None:
    found = find_quotes(text)
    assert found == find_quotes(text)
    previous_end = 0
    for q in found:
        assert previous_end <= q.start < q.end <= len(text)
        assert q.attribution in ("named", "pronoun", "none")
        previous_end = q.end
    voices = sentence_voice([(0, len(text))], found, text=text)
    assert voices[0][0] in ("own", "quoted")


def _voice_by_scanning_every_quote(spans, quotes, text=None):
    """sentence_voice as first written (every sentence against every quotation): the specification the
    one-pass version is held to."""
    def visible(piece):
        return len("".join(piece.split()))

    speech = [q for q in quotes if not q.scare]
    out = []
    for s, e in spans:
        total = visible(text[s:e]) if text is not None else e - s
        best, best_inside, inside = None, 0, 0
        for q in speech:
            lo, hi = max(s, q.start), min(e, q.end)
            if lo >= hi:
                continue
            n = visible(text[lo:hi]) if text is not None else hi - lo
            inside += n
            if n > best_inside:
                best, best_inside = q, n
        out.append(("quoted", best.speaker) if total and inside * 2 > total and best is not None else ("own", None))
    return out


_PIECES = st.sampled_from(['He said "yes. no." ', "“Stop”, Putin said. ", "Plain words here. ", "'scare' ",
                           "«Mir» ", " ", "\n", '"', "“", "”", "Aliyev: ", "A. B. ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=12))
def test_one_pass_voice_equals_scanning_every_quote(pieces, raw_spans):
    text = "".join(pieces)
    quotes = find_quotes(text)
    spans = sorted((min(a, len(text)), min(a + w, len(text))) for a, w in raw_spans)
    for t in (text, None):
        assert sentence_voice(spans, quotes, text=t) == _voice_by_scanning_every_quote(spans, quotes, t)
    # quotations given out of order are the same quotations
    assert sentence_voice(spans, quotes[::-1], text=text) == _voice_by_scanning_every_quote(spans, quotes, text)


# quotation_spans: find_quotes's spans and scare flags, a speaker sought only where it decides the flag
_SCARE_PIECES = st.sampled_from([*ALPHABET.elements, "“traitor”", '"nationalists"', "so called", "so-called “x”",
                                 "he added", "Aliyev stated: ", ", said Putin", "the “peace”, he said", "?", "!", "…",
                                 "Mr. Putin said “deal”", "three short words", "“a b c d”"])


def _scare(text: str) -> list[tuple[int, int, bool]]:
    return [(q.start, q.end, q.scare) for q in find_quotes(text)]


@settings(max_examples=1000, deadline=None)
@given(st.lists(_SCARE_PIECES | st.text(max_size=2), max_size=40).map("".join), st.booleans())
def test_quotation_spans_are_those_of_find_quotes(text: str, c: bool) -> None:
    with native(c):
        assert quotation_spans(text) == _scare(text)


def test_quotation_spans_of_the_corpus_are_those_of_find_quotes() -> None:
    import discourse

    corpus = discourse.read(Path(__file__).resolve().parents[2] / "threads")
    texts = corpus.comments["text"].drop_nulls().to_list() + corpus.articles["body"].drop_nulls().to_list()
    scare = 0
    for text in texts:
        spans = quotation_spans(text)
        assert spans == _scare(text)
        scare += sum(s for _, _, s in spans)
    assert 0 < scare < sum(len(_scare(t)) for t in texts)


def test_quotation_spans_look_for_a_speaker_only_for_short_quotations() -> None:
    text = "He is no “traitor”, Putin said. “We want peace and we will have it,” the minister said."
    assert quotation_spans(text) == _scare(text) == [(9, 18, False), (32, 68, False)]
    assert quotation_spans("a “traitor” b") == [(2, 11, True)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=12),
       st.booleans())
def test_voices_from_speech_made_once_are_those_of_sentence_voice(pieces, raw_spans, c):
    text = "".join(pieces)
    quotes = find_quotes(text)
    spans = sorted((min(a, len(text)), min(a + w, len(text))) for a, w in raw_spans)
    made = speech(quotes[::-1])
    with native(c):
        for t in (text, None):
            assert speech_voice(spans, made, text=t) == sentence_voice(spans, quotes, text=t)
