"""The text-page reader: layouts, furniture, titles, truncation, line ends and decoding (pages written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from discourse.readers import detect, textpage
from discourse.readers.base import ReadOptions
from discourse.readers.textpage import parse_text


def roles_of(parsed) -> dict[int, str]:
    return {line: role for line, role, _, _ in parsed.roles}


def layout_of(parsed) -> str | None:
    notes = [d.message for d in parsed.diagnostics if d.code == "layout"]
    return notes[0].split("'")[1] if notes else None


BLOGGER = """HY RU EN
|
İçeriğe geç
Saturday, November 28, 2009

A Walk in the Hills

We walked all day and the weather held. The hills were green after the rain and nobody complained.

Photo: Jane Doe/Example Agency

This site uses cookies to improve your experience.
Accept

3 comments:

Anonymous said...

Lovely walk. I went there last spring.

March 3, 2012 at 10:14 AM

Delete

At 6:30 AM, Blogger Anne said...

Thanks for sharing.

Second paragraph here.

Kim on 12 March 2015 at 10:14 said:

Was it muddy

Post a Comment

Newer Post Older Post Home
"""


def test_blogger_page_with_furniture_of_every_kind():
    parsed = parse_text(BLOGGER, roles=True)
    art = parsed.articles[0]
    assert art.title == "A Walk in the Hills"
    assert [(c.author, c.text) for c in art.comments] == [
        ("Anonymous", "Lovely walk. I went there last spring."),
        ("Anne", "Thanks for sharing.\n\nSecond paragraph here."),
        ("Kim", "Was it muddy")]
    assert layout_of(parsed) == "said-headers"
    r = roles_of(parsed)
    assert (r[1], r[2], r[3], r[4]) == ("navigation", "navigation", "navigation", "dateline")
    assert r[10] == "caption" and r[12] == "cookie" and r[13] == "cookie"
    assert r[15] == "comment_count" and r[21] == "comment_meta" and r[23] == "comment_meta"
    assert r[33] == "comment_body" and r[35] == "comment_form" and r[37] == "navigation"
    assert [p.text for p in art.paragraphs if p.role == "body"] == [
        "We walked all day and the weather held. The hills were green after the rain and nobody complained."]
    assert art.comments[-1].truncated is False  # 'Post a Comment' follows it: the page does not end inside it


WORDPRESS = """My Blog
Home | About | Contact

Garden News

The tomatoes are in.

2 thoughts on “Garden News”

  1. Ann says:
    May 18, 2014 at 3:00 pm

    Lovely crop.

    Reply
      • Bob says:
        May 18, 2014 at 9:51 pm

        Thanks Ann, it was a good year for them and I think next year we will plant twice as many of the
"""


def test_wordpress_threaded_page_ending_mid_comment():
    parsed = parse_text(WORDPRESS, roles=True)
    art = parsed.articles[0]
    assert art.title == "Garden News"
    a, b = art.comments
    assert (a.author, a.parent, b.author, b.parent) == ("Ann", None, "Bob", a.source_id)
    assert b.truncated and art.truncated and not a.truncated
    assert any(d.code == "truncated" and d.line == 19 for d in parsed.diagnostics)


NUMBERED = """Shady Characters

Our garden in July.

One response to “Shady Characters”

  1. I cannot believe your tomatoes look like that already! Mine haven’t even flowered yet.
    • That’s only one tomato. The rest are still green.

Comments are closed.
"""


def test_numbered_comments_without_authors_and_a_closed_notice():
    parsed = parse_text(NUMBERED, roles=True)
    art = parsed.articles[0]
    assert [(c.author, c.parent is None) for c in art.comments] == [(None, True), (None, False)]
    assert art.comments[1].text == "That’s only one tomato. The rest are still green."
    assert roles_of(parsed)[10] == "comments_closed"
    assert [p.text for p in art.paragraphs] == ["Our garden in July."]


def test_a_comment_section_that_cannot_be_delimited_is_kept_out_of_the_article():
    page = ("Title Here\n\nThe article.\n\n5 Comments\n\nfirst thing someone wrote\nsecond thing\n\nReply\n\n"
            "third\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [p.text for p in art.paragraphs] == ["The article."]
    warn = [d for d in parsed.diagnostics if d.code == "comments-undelimited"]
    assert warn and "7-8, 12" in warn[0].message
    assert roles_of(parsed)[7] == "unrecognised"


def test_headerless_comments_counted_by_the_heading():
    page = "Pumpkin Fever\n\nI cooked.\n\n3 comments:\nCan I come over?\nWhen is the pie?\nLet me know!\nPost a Comment\n"
    art = parse_text(page).articles[0]
    assert [c.text for c in art.comments] == ["Can I come over?", "When is the pie?", "Let me know!"]


def test_unrecognised_lines_keep_their_full_text():
    long = "x" * 500
    page = f"Title Here\n\nBody.\n\n  1. Ann said:\n\n    Hi.\n\n{long}\n"
    parsed = parse_text(page, roles=True)
    line = next(r for r in parsed.roles if r[1] == "unrecognised")
    assert line[3] == long
    assert any(d.code == "unrecognised-line" and d.line == 9 for d in parsed.diagnostics)


def test_a_sign_off_is_not_a_cut():
    page = "T t\n\nBody.\n\nkab said...\n\nI have it!\n\nxoxo your sis\n"
    assert not parse_text(page).articles[0].comments[0].truncated


@pytest.mark.parametrize("smiley", [":(", ";-(", ":/", ":-P", "=)"])
def test_a_comment_ending_on_a_smiley_is_not_a_cut(smiley):
    page = f"T t\n\nBody.\n\nkab said...\n\nOurs rotted in 2012 when it rained for a month {smiley}\n"
    assert not parse_text(page).articles[0].comments[0].truncated


def test_no_comment_section_gives_no_layout_note_and_no_warning():
    parsed = parse_text("August 7, 2019\n\nCaring for Plants\n\nMy tomatoes are growing.\n\nEnjoy these photos.\n")
    assert parsed.articles[0].title == "Caring for Plants" and not parsed.diagnostics


# ---- line ends and decoding ----------------------------------------------------------------------

def test_cr_lf_and_crlf_in_any_mix_read_alike():
    lf = parse_text(WORDPRESS)
    for eol in ("\r", "\r\n"):
        mixed = WORDPRESS.replace("\n", eol)
        other = parse_text(mixed).articles[0]
        assert other.title == "Garden News"
        assert [(c.author, c.text) for c in other.comments] == [(c.author, c.text) for c in lf.articles[0].comments]
    lines = WORDPRESS.split("\n")
    mixed = "".join(ln + ("\r", "\n", "\r\n")[i % 3] for i, ln in enumerate(lines[:-1]))
    assert [c.text for c in parse_text(mixed).articles[0].comments] == [c.text for c in lf.articles[0].comments]


def test_one_bad_byte_costs_one_character_of_one_line(tmp_path):
    page = "Caf\u00e9 “Title”\n\nBody line one.\n\nBody line two with a bad byte here.\n".encode()
    bad = page.replace(b"bad byte", b"bad \xff byte")
    path = tmp_path / "p.txt"
    path.write_bytes(bad)
    parsed = textpage.read(path, ReadOptions(roles=True))
    art = parsed.articles[0]
    assert art.title == "Café “Title”"  # the good lines keep their UTF-8
    assert art.paragraphs[-1].text == "Body line two with a bad \ufffd byte here."
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("bad-bytes", 5)]


def test_an_8_bit_file_is_read_as_cp1252_line_by_line(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes(b"Title Here\n\nCaf\xe9 text \x93quoted\x94.\n\nPlain line.\n")
    parsed = textpage.read(path, ReadOptions())
    art = parsed.articles[0]
    assert art.title == "Title Here" and art.paragraphs[0].text == "Café text “quoted”."
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("not-utf8", 3)]
    # the same line in a UTF-8 file: its bad bytes are replacement characters, the UTF-8 lines intact
    path.write_bytes("Title “Here”\n\n".encode() + b"Caf\xe9 text \x93quoted\x94.\n")
    parsed = textpage.read(path, ReadOptions())
    assert parsed.articles[0].title == "Title “Here”"
    assert parsed.articles[0].paragraphs[0].text == "Caf\ufffd text \ufffdquoted\ufffd."
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("bad-bytes", 3)]


# ---- detection ----------------------------------------------------------------------------------

def test_detection_by_content(tmp_path):
    blogger = tmp_path / "b.txt"
    blogger.write_text(BLOGGER, encoding="utf-8")
    assert detect(blogger).name == "text-page"
    threads = Path(__file__).resolve().parents[2] / "threads"
    assert detect(next(threads.glob("002*.txt"))).name == "asbarez"
    # the text-page reader given an Asbarez page reads it by the Asbarez rules
    parsed = textpage.read(next(threads.glob("002*.txt")), ReadOptions())
    assert len(parsed.articles[0].comments) == 12


def test_the_asbarez_sniffer_reads_each_line_once():
    head = (b"x said: " * 9000)[:65536]  # one 64 KiB line full of 'said:'
    from discourse.readers import asbarez

    assert asbarez.sniff(Path("a.txt"), head) == 0.3
    assert asbarez.has_header(b"Title\n\n  1. Ani said:\n") and not asbarez.has_header(head)


# ---- the full text of unrecognised lines reaches --json and the exports --------------------------

def test_unrecognised_lines_in_full_in_json_and_export(tmp_path):
    import json

    import polars as pl
    from typer.testing import CliRunner

    from discourse.cli import app

    long = "Stray footer " + "word " * 120 + "end"
    page = tmp_path / "pages" / "p.txt"
    page.parent.mkdir()
    page.write_text(f"Title Here\n\nBody text.\n\n  1. Ann said:\n\n    Hi there.\n\n{long}\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["parse", str(page.parent), "--json"])
    data = json.loads(out.stdout)
    [d] = [d for d in data["diagnostics"] if d["code"] == "unrecognised-line"]
    assert d["line"] == 9 and d["message"].endswith(long)
    res = CliRunner().invoke(app, ["export", str(page.parent), "--to", "csv", "--out", str(tmp_path / "x"),
                                   "--quiet"])
    assert res.exit_code == 0, res.output
    diags = pl.read_csv(tmp_path / "x" / "diagnostics.csv")
    assert diags.filter(pl.col("code") == "unrecognised-line").item(0, "message").endswith(long)


def test_a_page_ending_at_a_cut_header_under_a_count_heading():
    parsed = parse_text("Title Of Post\n\nBody text here.\n\n1 Comment\n\n  1. Arm", roles=True)
    [c] = parsed.articles[0].comments
    assert (c.author, c.text, c.truncated) == ("Arm", "", True)
    assert any(d.code == "truncated" and d.line == 7 for d in parsed.diagnostics)


def test_bullets_two_columns_deeper_per_level_to_six_levels():
    page = "T t\n\nBody.\n\n3 Comments\n\n" + "\n".join(
        "  " * d + ("  1. " if d == 0 else "  • ") + f"level {d} text here." for d in range(7)) + "\n"
    cs = parse_text(page).articles[0].comments
    assert [c.text for c in cs] == [f"level {d} text here." for d in range(7)]
    assert [c.parent for c in cs] == [None] + [c.source_id for c in cs[:-1]]


def test_reply_furniture_inside_comments_and_the_main_text_style():
    page = ("Post Title\n\nBody.\n\n2 Comments\n\nAnn says:\nMarch 3, 2012 at 10:14 am\n\nFirst.\n\nLog in to Reply\n\n"
            "Bob says:\nMarch 4, 2012 at 9:00 am\n\nSecond.\n\nLike\n\nReply\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [("Ann", "First."), ("Bob", "Second.")]
    assert roles_of(parsed)[12] == "comment_meta" and not [d for d in parsed.diagnostics if d.level == "warning"]
    parsed = parse_text(" date 2020-10-23 Putin says something.\nA reader writes back.\n")
    assert parsed.diagnostics[0].code == "structure-unknown"


def test_an_asbarez_page_under_a_language_switcher_takes_its_title_from_the_article():

    page = ("HY RU EN\n|\nworld\nİçeriğe geç\n\nPutin Finally Speaks\n\nBody text of the article.\n\n"
            "  1. Ani said:\n\n    Hello there.\n")
    parsed = textpage.parse_asbarez_lines(page.split("\n")[:-1], "x.txt", roles=True)
    assert parsed.articles[0].title == "Putin Finally Speaks"
    assert [r[1] for r in parsed.roles[:4]] == ["navigation", "navigation", "kicker", "navigation"]
    assert [c.text for c in parsed.articles[0].comments] == ["Hello there."] and not parsed.diagnostics


def test_embedded_comment_system_printed_as_text():
    page = ("News Story Title\n\nThe story.\n\n12 Comments\n\nJoe Bloggs • 5 years ago\n\nFirst comment text.\n\n"
            "Like · Reply · 3y\n\n    Ann Other • 5 years ago\n\n    A reply to Joe.\n\n    Reply · Share ›\n")
    parsed = parse_text(page, roles=True)
    a, b = parsed.articles[0].comments
    assert (a.author, a.text, b.author, b.parent, b.text) == (
        "Joe Bloggs", "First comment text.", "Ann Other", a.source_id, "A reply to Joe.")
    assert roles_of(parsed)[11] == roles_of(parsed)[17] == "comment_meta"


# ---- signs of a comment section no header marks -------------------------------------------------------

def _suspected(page: str) -> list[int]:
    parsed = parse_text(page)
    assert not parsed.articles[0].comments
    warn = [d for d in parsed.diagnostics if d.code == "comments-suspected"]
    return [d.line for d in warn]


def test_a_readers_greeting_or_praise_under_the_post_is_a_sign():
    assert _suspected("Our tomatoes came up by themselves this year, from last year's fruit.\n"
                      "Hi Roy\nLooks like a nice crop there.\n") == [2]
    assert _suspected("From my home to yours, a happy holiday to all of you.\n"
                      "What a gorgeous garden! The azaleas are shouting.\n") == [2]
    assert _suspected("I finished the scarf at last and it is long enough.\nYour scarf is lovely, I like the colour.\n"
                      ) == [2]
    assert _suspected("We rode the whole valley trail on Sunday and it took us six hours.\n"
                      "Great post, it brings back memories.\nCongratulations on the ride.\n") == [2]


def test_a_reply_button_printed_on_the_end_of_a_line_is_a_sign():
    assert _suspected("It was gorgeous but crowded, so I did a third of the way. Glad I did! Reply\n") == [1]


def test_a_page_opening_with_a_quotation_under_a_member_name_is_one_post():
    parsed = parse_text('RJC\n"Aw, that was nice.\nHave a long retirement."\nI have a copy of the message.\nIan.\n')
    [c] = parsed.articles[0].comments
    assert layout_of(parsed) == "single-post" and c.author is None
    assert c.text == 'RJC\n"Aw, that was nice.\nHave a long retirement."\nI have a copy of the message.\nIan.'


def test_greetings_and_exclamations_in_an_article_alone_are_not_signs():
    assert _suspected("Spring Garden\n\nHi everyone, the garden is up.\n\nWhat a week it was.\n") == []
    assert _suspected("Hi Anna, this letter is for you. The garden is up and the beans are in.\n") == []
    assert _suspected("Letter: Fix the road\n\nDear Editor,\nThe road has been broken for a year now.\n") == []


# ---- forum threads with member blocks ---------------------------------------------------------------

XENFORO = """Dealer will not fix the recall

Ann Smith

Big Bend
Well-Known Member
First Name
Ann
Joined
Mar 3, 2023
Messages
83
Reaction score
142
I went back twice and they sent me away. Ford corporate did not answer either.
Sponsored

Bob Jones

Outer Banks
Well-Known Member
Joined
Jan 31, 2025
Messages
46
Try another dealer; there are ten near me and one of them will do it.

carl99

Badlands
Well-Known
"""


def test_forum_posts_under_member_blocks():
    parsed = parse_text(XENFORO, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "forum"
    assert art.title == "Dealer will not fix the recall" and not art.paragraphs
    assert [(c.author, c.parent, c.truncated) for c in art.comments] == [
        ("Ann Smith", None, False), ("Bob Jones", None, False), ("carl99", None, True)]
    assert art.comments[0].text == "I went back twice and they sent me away. Ford corporate did not answer either."
    r = roles_of(parsed)
    assert r[3] == "comment_header" and r[9] == "comment_meta" and r[16] == "furniture"
    assert any(d.code == "truncated" and d.line == 28 for d in parsed.diagnostics)


def test_a_forum_page_opening_with_a_post_takes_it_as_the_article():
    page = ("Frostorm\n\nVeteran\nJoined\nFeb 22, 2016\nMessages\n1,846\n"
            "What level cap did you choose for your game, and why?\n\n"
            "Dopan\n\nVeteran\nJoin Date: Mar 2020\nPosts: 852\nI keep it low, 20 or 30.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [p.text for p in art.paragraphs] == ["What level cap did you choose for your game, and why?"]
    assert [(c.author, c.text) for c in art.comments] == [("Dopan", "I keep it low, 20 or 30.")]
    assert roles_of(parsed)[1] == "furniture"


def test_answers_each_under_a_date_line_of_their_own():
    page = ("2002 Honda Civic\n\nSeptember, 29, 2013 AT 7:39 PM\n\nThe gears shift late when cold. Why?\n\n"
            "2 Answers\n\nSeptember, 29, 2013 AT 11:32 PM\n\nWorn clutch plates.\n\nSecond paragraph.\n\n"
            "October 1, 2013 AT 9:02 AM\n\nCheck the fluid first and then the clutch, if it is\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [(c.text, c.truncated) for c in art.comments] == [
        ("Worn clutch plates.\n\nSecond paragraph.", False),
        ("Check the fluid first and then the clutch, if it is", True)]
    assert roles_of(parsed)[9] == "comment_meta" and art.comments[0].source_id == "L9"


def test_a_thread_printed_one_post_per_paragraph_each_opening_with_its_date_and_age():
    page = ("Posted December 2, 200717 yr Should our cities work together? I think so.\n"
            "December 2, 200717 yr They might unite in the Assembly.\n"
            "December 3, 200717 yr The best project would be the first rail line between the\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "dated-posts" and art.title is None
    assert [(c.text, c.truncated) for c in art.comments] == [
        ("They might unite in the Assembly.", False),
        ("The best project would be the first rail line between the", True)]
    assert [p.line_start for p in art.paragraphs] == [1]


def test_a_diary_with_dated_paragraphs_is_not_a_thread():
    page = "Our Garden Year\n\nMarch 3, 2012 We planted the beans.\nApril 9, 2012 The beans came up.\n"
    assert not parse_text(page).articles[0].comments


def test_a_page_that_is_one_forum_post():
    page = ("Quote:\nOriginally Posted by davway\nFord should look at this.\n|\n"
            "Exactly. They would be in a better position.\nSending a letter would work much better than what they\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "single-post" and art.title is None and not art.paragraphs
    [c] = art.comments
    assert c.author is None and c.truncated and c.text.startswith("Quote:\nOriginally Posted by davway\n")
    assert roles_of(parsed)[4] == "navigation"
    post = " ".join(["word"] * 25) + "."
    [c] = parse_text(f"• {post}\n").articles[0].comments
    assert c.text == post and not c.truncated


def test_a_bulleted_first_line_above_other_text_is_not_a_post():
    post = " ".join(["word"] * 25) + "."
    parsed = parse_text(f"• {post}\n\nThe rest of the article goes on here with more to say than a list item.\n")
    assert not parsed.articles[0].comments


def test_signed_comments_start_at_a_readers_praise_under_the_post():
    page = ("I finished my scarf and it came out just the right length, which is lovely as I had my doubts.\n"
            "Your scarf is lovely, I really like that colour.\nI have never afforded that wool.\n"
            "Posted by: Helen Graham | 03/12/2011 at 06:24 PM\n"
            "Lovely colour. I wear mine every day.\nPosted by: Briget | 03/13/2011 at 07:12 AM\n")
    art = parse_text(page).articles[0]
    assert [p.text for p in art.paragraphs] == [page.split("\n")[0]]
    assert [(c.author, c.text) for c in art.comments] == [
        ("Helen Graham", "Your scarf is lovely, I really like that colour.\nI have never afforded that wool."),
        ("Briget", "Lovely colour. I wear mine every day.")]


def test_comments_closed_by_reply_lines_and_a_last_one_cut_before_its_own():
    page = ("Title Here\n\nThe article text is here.\n\nFirst comment text.\n\nExpand full comment\n\n"
            "Second comment text.\n\nExpand full comment\n\nA third comment the page cuts off in the middle of\n")
    art = parse_text(page).articles[0]
    assert [(c.text, c.truncated) for c in art.comments][-2:] == [
        ("Second comment text.", False), ("A third comment the page cuts off in the middle of", True)]


def test_blogger_buttons_fused_to_a_threaded_reply():
    page = ("I never found rocks in my dryer;\nI never had the power to heal a wound with my kiss...\nuntil you.\n\n"
            "Beautiful little poem, is it yours? Love the pic.\nReplyDeleteIt's not my poem, but I can relate!\nDelete\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title is None  # verse lines, not a title
    a, b = art.comments
    assert (a.text, a.parent) == ("Beautiful little poem, is it yours? Love the pic.", None)
    assert (b.text, b.parent) == ("It's not my poem, but I can relate!", a.source_id)
    assert roles_of(parsed)[6] == "comment_header" and roles_of(parsed)[7] == "comment_meta"


def test_comments_as_name_text_and_a_date_line():
    page = ("New Development by pej76\nThe hillside across from us is being developed for housing.\n\n"
            "Casablanca ace\nHope it does not cause you too much noise.\nFebruary 9th, 2024  \n"
            "Diana ace\nIt seems to be the same all over the world.\nFebruary 9th, 2024\n"
            "Kim\nWe have the same here and I wonder where all the people\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "name-text-date" and art.title == "New Development by pej76"
    assert [(c.author, c.truncated) for c in art.comments] == [("Casablanca", False), ("Diana", False), ("Kim", True)]
    assert roles_of(parsed)[6] == "comment_meta"


def test_a_name_printed_twice_in_a_bulleted_message_header():
    page = ("  • tony a tony a May 25, 2007 03:38 Flag\n\n    UEFA should buy that referee a watch!\n\n"
            "    He was a bit dodgy, I think.\n")
    parsed = parse_text(page)
    [c] = parsed.articles[0].comments
    assert c.author == "tony a" and c.text == "UEFA should buy that referee a watch!\n\nHe was a bit dodgy, I think."


def test_the_pages_only_list_numbered_on_from_comments_on_another_page():
    page = ("Ermine Suits\n\nThere is no big idea in the manifesto, but one theme runs under all of it.\n\n"
            "  7. The word manifesto has been a poor fit for a democratic republic since 1848.\n\n"
            "    Is the Left no longer afraid to show who they are?\n")
    [c] = parse_text(page).articles[0].comments
    assert c.number == 7 and c.text.endswith("who they are?")
    recipe = "Soup\n\nWhat to do.\n\nSteps:\n\n  2. Chop the onions finely and fry them in butter.\n"
    assert not parse_text(recipe).articles[0].comments


def test_an_avatars_alt_text_is_not_a_name_and_form_messages_are_not_comments():
    page = ("Shifting Expectations\n\nHonda owners report hard shifts.\n\nGet the latest TTAC e-Newsletter!\n\n"
            "2 Comments\n\n  • avatar\n\n    Mine grinds from first to second.\n\n  • Bob\n\n    Mine too.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [c.author for c in art.comments] == [None, "Bob"]
    assert roles_of(parsed)[5] == "furniture"
    page = ("Finished!\n\nThe quilt is done.\n\n1 comment:\n\n"
            "Thanks for leaving a comment! I always appreciate it and will try to respond.\n")
    parsed = parse_text(page, roles=True)
    assert not parsed.articles[0].comments and roles_of(parsed)[7] == "comment_form"
    assert any(d.code == "comment-count" for d in parsed.diagnostics)


def test_a_forum_replys_own_page():
    page = ("Reply To: Lots of snow\n\nHome Forums Trail Conditions Lots of snow Reply To: Lots of snow\n\n"
            "chris in redlands\n\nthe access road was untouched in the morning.\n\nstill powdery late in the day.\n\n"
            "Comments are closed.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Reply To: Lots of snow" and not art.paragraphs
    [c] = art.comments
    assert c.author == "chris in redlands"
    assert c.text == "the access road was untouched in the morning.\n\nstill powdery late in the day."
    assert roles_of(parsed)[3] == "navigation" and roles_of(parsed)[11] == "comments_closed"


def test_a_thread_carried_by_indentation_alone():
    page = ("    Excellent article, thanks for sharing!\n\n      Thank you, I appreciate that!\n      It took a while.\n\n"
            "    I disagree with the second half.\n")
    parsed = parse_text(page)
    art = parsed.articles[0]
    assert layout_of(parsed) == "indented-thread" and art.title is None
    a, b, c = art.comments
    assert (b.parent, b.text, c.parent) == (a.source_id, "Thank you, I appreciate that!\nIt took a while.", None)
    # one indent only: an indented article, not a thread
    assert not parse_text("    A Title Here\n\n    The article, indented.\n").articles[0].comments


def test_printer_friendly_and_pdf_links_are_furniture():
    parsed = parse_text("Shortcake\n\nThe recipe is easy.\n\nprinter friendly create pdf of this news item\n", roles=True)
    assert roles_of(parsed)[5] == "share"


FACEBOOK = """Council approves new budget

The council voted 5-2 on Tuesday to approve the budget.

3 Comments

Sort by Oldest

John Smith
Works at Acme
This is a waste of money.
Like · Reply · 3y

Mary Jones
I agree with the council.
Like · Reply · 2 · 3y

Bob Lee
Top commenter
Finally some sense.
Like · Reply · 3y

Facebook Comments Plugin
"""


def test_facebook_comments_plugin_names_profile_lines_and_buttons():
    parsed = parse_text(FACEBOOK, roles=True)
    art = parsed.articles[0]
    assert [(c.author, c.text) for c in art.comments] == [
        ("John Smith", "This is a waste of money."), ("Mary Jones", "I agree with the council."),
        ("Bob Lee", "Finally some sense.")]
    r = roles_of(parsed)
    assert (r[7], r[10], r[18], r[19], r[23]) == ("navigation", "comment_meta", "comment_header", "comment_meta",
                                                  "furniture")
    assert not [d for d in parsed.diagnostics if d.level == "warning"]


def test_disqus_names_over_bulleted_dates_and_vote_counts():
    page = ("School board race heats up\n\nThe race has three candidates.\n\n12 Comments\n\nSort by Best\n\n"
            "Anne Marie\n• 3 years ago\nI will vote for the incumbent.\nReply\n\n"
            "Bob Kerr\n• 3 years ago\nWhy? She did nothing for our schools.\n2\nReply\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("Anne Marie", "I will vote for the incumbent."), ("Bob Kerr", "Why? She did nothing for our schools.")]
    r = roles_of(parsed)
    assert (r[10], r[17]) == ("comment_meta", "comment_meta")


def test_wordpress_byline_and_like_loading_are_furniture():
    page = ("Tomatoes in July\n\nPosted on July 12, 2015 by gardener\n\nThe tomatoes are red.\n\n"
            "Like this:\nLike Loading...\n")
    parsed = parse_text(page, roles=True)
    r = roles_of(parsed)
    assert (r[3], r[8]) == ("dateline", "share")
    assert [p.text for p in parsed.articles[0].paragraphs] == ["The tomatoes are red."]


def test_tumblr_notes_in_a_numbered_list_are_not_comments():
    page = ("Council tax\n\nFigures out today show a rise in council tax across the country this year.\n\n"
            "  1. silverspike reblogged this from labourpress\n  2. labourpress posted this\n")
    parsed = parse_text(page, roles=True)
    assert not parsed.articles[0].comments
    assert roles_of(parsed)[5] == roles_of(parsed)[6] == "furniture"


def test_substacks_comments_view_starts_at_its_first_paragraph():
    page = ("Over a decade ago my publisher told me to build a following on social media.\n\n"
            "There is nothing more empowering than controlling that here.\n\n\n"
            "p.s. another screed some other day.\n\nExpand full comment\n\n"
            "Quitting Twitter after 14 years has been odd but refreshing.\n\nExpand full comment\n")
    art = parse_text(page).articles[0]
    assert [c.line_start for c in art.comments] == [1, 10] and not art.paragraphs
    assert art.comments[0].text.endswith("p.s. another screed some other day.")


def test_simple_machines_forum_topic_and_replies():
    page = ("Welcome, Guest. Please login or register.\nAuthor Topic: England collapse again  (Read 20 times)\n"
            "on: Today at 05:57:33 AM\nThey never really got started.\n\n"
            "Reply #1 on: Today at 07:16:19 AM\nEngland all out for 185.\n\nNot good enough.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "England collapse again"
    [c] = art.comments
    assert (c.number, c.author, c.text) == (1, None, "England all out for 185.\n\nNot good enough.")
    assert roles_of(parsed)[6] == "comment_header"


def test_count_headings_with_the_number_in_brackets_and_dates_of_today():
    page = ("Budget Vote\n\nThe council voted.\n\nResponses (2)\n\nAnne\nToday at 07:16 AM\nGood.\nReply\n\n"
            "Bob\nYesterday at 10:14 PM\nBad.\nReply\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [("Anne", "Good."), ("Bob", "Bad.")]
    assert roles_of(parsed)[5] == "comment_count"
    assert not any(d.code == "comment-count" for d in parsed.diagnostics)


WP_SAID = """Weekend baking

The bread came out well this time, with a crisp crust.

2 Responses to “Weekend baking”

  1. Anne Smith on March 3, 2012 at 10:14 am said:

     Lovely loaf! What flour did you use?

     Reply
       • baker on March 3, 2012 at 11:00 am said:

         Just plain bread flour.

         Reply
  2. Tom O'Neil on March 4, 2012 at 9:00 am said:

     I tried it and it worked.

     Reply

Leave a Reply Cancel reply
"""


def test_wordpress_numbered_said_headers_with_dates_are_not_read_as_asbarez():
    parsed = parse_text(WP_SAID, roles=True)
    art = parsed.articles[0]
    assert [(c.author, c.text) for c in art.comments] == [
        ("Anne Smith", "Lovely loaf! What flour did you use?"), ("baker", "Just plain bread flour."),
        ("Tom O'Neil", "I tried it and it worked.")]
    assert art.comments[1].parent == art.comments[0].source_id
    r = roles_of(parsed)
    assert (r[5], r[11]) == ("comment_count", "comment_meta")
    # without dates or Reply lines, but under a count heading: still not the Asbarez layout
    bare = "\n".join(ln.replace(" on March 3, 2012 at 10:14 am", "").replace(" on March 3, 2012 at 11:00 am", "")
                     .replace(" on March 4, 2012 at 9:00 am", "") for ln in WP_SAID.split("\n")
                     if ln.strip() != "Reply")
    art = parse_text(bare, roles=True).articles[0]
    assert [c.text for c in art.comments] == ["Lovely loaf! What flour did you use?", "Just plain bread flour.",
                                              "I tried it and it worked."]


def test_a_short_last_line_that_stops_on_a_function_word_or_inside_a_word_is_a_cut():
    assert textpage.cut_text("Lovely.\nI would have")
    assert textpage.cut_text("Wow.\nI think th")
    for signed in ("Great!\nxoxo your sis", "Nice post.\nHugs to all", "Thanks.\nKim", "Nice.\nlove u"):
        assert not textpage.cut_text(signed), signed


def test_a_blogger_name_printed_twice_before_said():
    page = "Garden\n\nPeas are up.\n\n1 comment:\n\nAnonymous Anonymous said...\n\nSo early!\n\nMarch 4, 2012 at 10:14 AM\n"
    assert parse_text(page).articles[0].comments[0].author == "Anonymous"


def test_the_asbarez_reader_hands_wordpress_said_headers_to_the_text_page_rules(tmp_path):
    path = tmp_path / "wp.txt"
    path.write_text(WP_SAID, encoding="utf-8")
    reader = detect(path)
    parsed = reader.read(path, ReadOptions())
    assert [c.author for c in parsed.articles[0].comments] == ["Anne Smith", "baker", "Tom O'Neil"]
    assert parsed.format == textpage.NAME


def test_disqus_avatars_and_the_name_replied_to():
    page = ("City council passes budget\n\nThe council passed the budget.\n\n12 comments\n\nSort by Best\n\n"
            "Avatar\nAnne Marie • 3 years ago\nI will vote for the incumbent.\nReply\n\n"
            "    Avatar\n    Bob Kerr Anne Marie • 3 years ago\n    Why? She did nothing.\n    Reply\n")
    parsed = parse_text(page, roles=True)
    a, b = parsed.articles[0].comments
    assert (a.author, a.text) == ("Anne Marie", "I will vote for the incumbent.")
    assert (b.author, b.parent, b.text) == ("Bob Kerr", a.source_id, "Why? She did nothing.")
    assert roles_of(parsed)[9] == roles_of(parsed)[14] == "furniture"


def test_blogger_threaded_replies_between_replies_and_reply_without_indentation():
    page = ("Garden update\n\nPeas are up.\n\n4 comments:\n\n"
            "Anne Smith\nMarch 3, 2012 at 10:14 AM\nLovely!\nReplyDelete\nReplies\n"
            "Jill\nMarch 3, 2012 at 11:00 AM\nThanks!\nDelete\n"
            "Kim\nMarch 3, 2012 at 12:00 PM\nMe too.\nDelete\nReply\n"
            "Bob\nMarch 4, 2012 at 9:00 AM\nNice.\nReplyDelete\nAdd comment\n")
    a, j, k, b = parse_text(page).articles[0].comments
    assert (j.parent, k.parent, b.parent) == (a.source_id, a.source_id, None)
    assert [c.author for c in (a, j, k, b)] == ["Anne Smith", "Jill", "Kim", "Bob"]


def test_a_conversation_heading_and_avatar_initials():
    page = ("Budget passes\n\nThe council passed the budget.\n\nConversation\n\n2 Comments\n\n"
            "J\nJohn Smith\n3 hours ago\nThis budget is bad.\nReply\n5\nShare\n\n"
            "MJ\nMary Jones\n2 hours ago\nI agree.\nReply\nShare\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("John Smith", "This budget is bad."), ("Mary Jones", "I agree.")]
    r = roles_of(parsed)
    assert (r[5], r[9], r[17]) == ("comment_count", "furniture", "furniture")
    assert [p.text for p in parsed.articles[0].paragraphs] == ["The council passed the budget."]


def test_a_separator_line_between_name_and_date():
    page = ("Budget passes\n\nThe council passed the budget.\n\n2 Comments\n\n"
            "John Smith\n·\n3 hours ago\nThis budget is bad.\nLike\nReply\n\n"
            "Mary Jones\n·\n2 hours ago\nI agree.\nLike\nReply\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("John Smith", "This budget is bad."), ("Mary Jones", "I agree.")]
    assert roles_of(parsed)[9] == "comment_meta"


def test_a_vbulletin_post_shown_alone_names_its_author_under_the_text():
    page = ("View Single Post\nOld 03-02-2011, 09:15 AM   #4\nSeasoned Baker\nJoin Date: May 2009\nPosts: 412\n"
            "Thanks: 12\nThanked 30 Times in 25 Posts\nRye needs a longer proof than wheat.\n\n"
            "Give it a full night in the fridge.\nBreadHead is offline   Reply With Quote\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [(c.author, c.text) for c in art.comments] == [
        ("BreadHead", "Rye needs a longer proof than wheat.\n\nGive it a full night in the fridge.")]
    r = roles_of(parsed)
    assert (r[1], r[2], r[7], r[8], r[11]) == ("navigation", "comment_meta", "comment_meta", "comment_body", "comment_meta")
    assert art.title is None


def test_a_vbulletin_avatar_line_names_the_poster():
    page = ("View Single Post\nOld 04-17-2009, 08:06 PM   #46\nNew Member\nCrumb's Avatar\nJoin Date: Feb 2009\n"
            "Posts: 81\nI knead by hand, it is the best part of the day.\nCrumb is offline   Reply With Quote\n")
    parsed = parse_text(page, roles=True)
    assert [c.author for c in parsed.articles[0].comments] == ["Crumb"]


def test_a_member_block_keeps_its_name_line_without_avatar_or_status_lines():
    # a name line over the block is the author; a sentence about someone being offline is text, not a footer
    page = ("Frostorm\n\nVeteran\nJoined\nFeb 22, 2016\nMessages\n1,846\nWhat level cap do you use in your game?\n \n\n"
            "Dopan\n\nVeteran\nJoined\nMar 27, 2020\nMessages\n852\n"
            "My router is offline again so I post from the phone, sorry for the short answer.\n")
    parsed = parse_text(page, roles=True)
    comments = parsed.articles[0].comments
    assert [c.author for c in comments] == ["Dopan"]
    assert comments[0].text.startswith("My router is offline again")


def test_a_quotation_printed_on_one_line_opens_a_single_post():
    page = ("Quote Originally Posted by Fisher View Post\nThat river holds big browns.\n\n"
            "It does, but I have never caught one over twenty inches.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "single-post" and art.title is None
    assert len(art.comments) == 1 and art.comments[0].author is None
    assert art.comments[0].text.endswith("twenty inches.")


def test_a_page_opening_with_a_quote_word_in_prose_is_not_a_single_post():
    page = ("Quote of the day\n\nA saying my grandmother used: measure twice, cut once.\n\n"
            "It applies to quilting more than to carpentry, I think.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].comments == [] and parsed.articles[0].title == "Quote of the day"


def test_a_comment_policy_after_numbered_comments_is_furniture():
    page = ("Big fish\n\nMy neighbour caught a huge pike last week and the photo went round the town.\n\n\n"
            "  1. That is the biggest pike I have seen in this lake, well done to him!\n\n"
            "  2. Amazing catch, the whole town is talking about it. Congrats!\n\n\n"
            "Bob reserves the right to delete your comment if he feels like it, so be nice and post away.\n")
    parsed = parse_text(page, roles=True)
    assert [c.text[:12] for c in parsed.articles[0].comments] == ["That is the ", "Amazing catc"]
    assert roles_of(parsed)[11] == "furniture"


def test_an_ad_support_notice_is_not_the_title():
    page = ("By allowing ads to appear on this site, you support the local businesses who support journalism.\n"
            "Council approves the new library\n"
            "The council voted five to two on Tuesday to fund the new library on Main Street, after a long debate.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title == "Council approves the new library"
    assert roles_of(parsed)[1] == "furniture"
    # the same words inside an article's sentence stay text
    prose = parse_text("Ads\n\nBy allowing ads to appear, the paper paid for its reporters, he said in a long "
                       "interview about the paper's history and its owners over the decades since 1950 and more.\n",
                       roles=True)
    assert roles_of(prose)[3] == "body"


def test_a_numbered_handle_over_indented_text_is_a_comment_header():
    page = ("Why I moved my blog\n\nA short rant about blogging software.\n\n\n"
            "  1. chris\n\n    All of that applies to every blogging system there is, the spam problem included, "
            "and moving will not fix it.\n\n"
            "  2. dana_k\n\n    I moved last year and have not looked back once, the new system is much faster.\n")
    parsed = parse_text(page, roles=True)
    comments = parsed.articles[0].comments
    assert [(c.author, c.text[:13]) for c in comments] == [("chris", "All of that a"), ("dana_k", "I moved last ")]
    assert [p.text for p in parsed.articles[0].paragraphs] == ["A short rant about blogging software."]


def test_a_bulleted_handle_over_a_short_indented_line_stays_article_text():
    # a glossary-like list: a lower-case word over a short indented line is no comment header
    page = ("Kitchen words\n\nSome words we use in this kitchen.\n\n"
            "• roux\n\n    flour cooked in fat.\n\n• fond\n\n    the brown bits in the pan.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].comments == []


def test_a_bare_name_over_words_to_the_author_warns_of_comments():
    page = ("Spring\n\nI refuse to write a poem about spring, it has all been said before and said better.\n\n"
            "Karen Lange\n\nSpring is nice:) Okay, so you and Dave are the poets of the family!\n")
    parsed = parse_text(page, roles=True)
    assert any(d.code == "comments-suspected" and d.line == 5 for d in parsed.diagnostics)
    # a name heading over the article's own third-person prose is no sign
    prose = parse_text("Our staff\n\nMeet the people who run the shop every day of the week.\n\n"
                       "Karen Lange\n\nKaren has run the bakery counter since 1998 and bakes the rye bread.\n",
                       roles=True)
    assert not any(d.code == "comments-suspected" for d in prose.diagnostics)


def test_a_discourse_topic_printed_as_bare_paragraphs():
    page = ("Sourdough at last\n\nMy first sourdough loaf came out of the oven tonight and it rose well.\n\n\n"
            "Congratulations, that crumb looks great from here.\n\n\n"
            "Mine always comes out flat.\n\nWhat flour do you use for it?\n\n2 Likes\n\n"
            "Strong white flour and a long cold proof.\n\n"
            "This topic was automatically closed 90 days after the last reply. New replies are no longer allowed.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "topic" and art.title == "Sourdough at last"
    assert [p.text for p in art.paragraphs] == ["My first sourdough loaf came out of the oven tonight and it rose well."]
    assert [c.text for c in art.comments] == ["Congratulations, that crumb looks great from here.",
                                              "Mine always comes out flat.\n\nWhat flour do you use for it?",
                                              "Strong white flour and a long cold proof."]
    r = roles_of(parsed)
    assert (r[13], r[17]) == ("comment_meta", "comments_closed")


def test_double_blank_lines_without_topic_furniture_stay_article_text():
    page = ("Sourdough at last\n\nMy first sourdough loaf came out of the oven tonight and it rose well.\n\n\n"
            "The crumb was open and the crust crackled as it cooled on the rack.\n\n\n"
            "Next week I will try a rye loaf with caraway seeds.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].comments == [] and len(parsed.articles[0].paragraphs) == 3


def test_a_like_count_with_comment_headers_is_not_a_topic():
    page = ("Sourdough at last\n\nMy first loaf rose well tonight.\n\n\n2 Comments\n\n"
            "Jane said...\n\nLooks great.\n\n1 Like\n\n\nBob said...\n\nWell done!\n")
    parsed = parse_text(page, roles=True)
    assert layout_of(parsed) != "topic"
    assert [c.author for c in parsed.articles[0].comments] == ["Jane", "Bob"]


def test_full_names_each_over_one_line_spoken_to_someone_are_comments():
    page = ("Morning light over the marsh, taken from the boardwalk at six.\n"
            "Tom Dills\nI couldn’t agree more. And i like the way you’ve seen this scene, Monte.\n"
            "Monte Stevens\nAs I drove into the parking lot I saw them and stopped the car.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [(c.author, c.text[:14]) for c in art.comments] == [("Tom Dills", "I couldn’t agr"),
                                                               ("Monte Stevens", "As I drove int")]
    assert [p.text for p in art.paragraphs] == ["Morning light over the marsh, taken from the boardwalk at six."]
    # one-word names are not enough to read them: a warning names the lines instead
    handles = parse_text(page.replace("Tom Dills", "Tom").replace("Monte Stevens", "Monte"), roles=True)
    assert handles.articles[0].comments == []
    assert any(d.code == "comments-suspected" and d.line == 2 for d in handles.diagnostics)
    # a list of varieties, each over a line of description, is article text and no sign
    plain = parse_text("Tomatoes we grow\n\nFour kinds did well this year.\n\n"
                       "Sun Gold\nA sweet orange cherry tomato that ripens early in the season.\n"
                       "Black Krim\nA dark beefsteak with a smoky taste that splits after rain.\n", roles=True)
    assert not any(d.code == "comments-suspected" for d in plain.diagnostics)


def test_a_title_over_a_paragraph_asking_readers_is_kept():
    page = ("04 September 2008\n\nSurprise Quilt\n\nI'm trying a little experiment of posting a picture and a "
            "short blurb - let me know what you think!\n\nMy mom was given this quilt by her sewing group.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title == "Surprise Quilt"


def test_login_links_the_permalink_footer_and_a_count_on_the_title_line_are_furniture():
    page = ("Subscriber & Member Login\nMy Garden Blog\n\nTomatoes at last — 3 Comments\n\n"
            "The first tomatoes ripened this week after a long cool summer in the valley garden.\n\n"
            "This entry was posted in Garden and tagged tomatoes. Bookmark the permalink.\n\n"
            "3 thoughts on “Tomatoes at last”\n\nJane says:\nMarch 3, 2012 at 10:14 am\n\n"
            "Lovely, mine are still green.\n\nReply\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Tomatoes at last"
    r = roles_of(parsed)
    assert (r[1], r[4], r[8]) == ("navigation", "title", "furniture")
    assert [p.text for p in art.paragraphs] == [
        "The first tomatoes ripened this week after a long cool summer in the valley garden."]
    assert [(c.author, c.text) for c in art.comments] == [("Jane", "Lovely, mine are still green.")]


def test_login_and_permalink_words_inside_sentences_stay_text():
    page = ("Budget vote\n\nMembers log in to vote on the budget before Friday, the treasurer said.\n\n"
            "Please bookmark the permalink to this page and share it with the other members of the club.\n\n"
            "Comments - the chair welcomed them - are due by March.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title == "Budget vote"
    assert [role for _, role in sorted(roles_of(parsed).items())] == ["title", "body", "body", "body"]


TYPEPAD = ("Knit Blog\n\nA new scarf\n\nI finished the mulberry scarf this weekend, in time for the cold snap.\n\n"
           "Posted by Anne on March 1, 2011 at 09:12 AM in Knitting | Permalink\n\nComments\n\n"
           "Feed You can follow this conversation by subscribing to the comment feed for this post.\n\n"
           "Lovely colour, I want one too.\n\nPosted by: Jane | March 3, 2011 at 10:14 AM\n\n"
           "Beautiful work as always.\nThe fringe is perfect.\n\nPosted by: Bob at March 4, 2011 09:00 PM\n\n")


def test_typepad_comments_signed_under_their_text():
    parsed = parse_text(TYPEPAD + "The comments to this entry are closed.\n", roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "signed-after" and art.title == "A new scarf"
    assert [(c.author, c.text) for c in art.comments] == [
        ("Jane", "Lovely colour, I want one too."), ("Bob", "Beautiful work as always.\nThe fringe is perfect.")]
    r = roles_of(parsed)
    assert (r[7], r[9], r[15], r[20], r[22]) == ("navigation", "comment_count", "comment_header", "comment_header",
                                                 "comments_closed")
    assert [p.text for p in art.paragraphs] == ["I finished the mulberry scarf this weekend, in time for the cold snap."]


def test_a_typepad_page_ending_inside_an_unsigned_comment_flags_it_cut():
    parsed = parse_text(TYPEPAD + "I tried the same pattern last winter and the second half of the\n", roles=True)
    comments = parsed.articles[0].comments
    assert [c.author for c in comments] == ["Jane", "Bob", None]
    assert comments[-1].truncated and not comments[0].truncated


def test_a_signature_quoted_in_an_article_with_no_comment_section_is_text():
    page = ("Forum etiquette\n\nOld forums signed each post like this:\n\n"
            "Posted by: Jane | March 3, 2011 at 10:14 AM\n\nWe have dropped that in the new design.\n")
    parsed = parse_text(page, roles=True)
    assert layout_of(parsed) != "signed-after" and parsed.articles[0].comments == []


GARLIC = ("Thread: Planting garlic in spring\n\nSubject: Planting garlic in spring\nFrom: Jane\n"
          "Date: 03 Mar 11 - 10:14 AM\n\nCan I still plant garlic in March, or is it too late?\n\n"
          "Subject: RE: Planting garlic in spring\nFrom: GUEST,Bob\nDate: 03 Mar 11 - 11:02 AM\n\n"
          "You can, but the bulbs will be small.\n\nSubject: RE: Planting garlic in spring\nFrom: Ann\n"
          "Date: 04 Mar 11 - 08:40 AM\n\nI plant in March every year and they do fine.\n")


def test_a_thread_under_subject_from_date_headers():
    parsed = parse_text(GARLIC, roles=True)
    art = parsed.articles[0]
    assert layout_of(parsed) == "mail-headers" and art.title == "Planting garlic in spring"
    assert [p.text for p in art.paragraphs] == ["Can I still plant garlic in March, or is it too late?"]
    assert [(c.author, c.text) for c in art.comments] == [
        ("GUEST,Bob", "You can, but the bulbs will be small."), ("Ann", "I plant in March every year and they do fine.")]
    r = roles_of(parsed)
    assert (r[1], r[9], r[10], r[11]) == ("title", "comment_header", "comment_header", "comment_header")


def test_a_reply_shown_alone_under_mail_headers_is_a_comment_and_can_be_cut():
    page = ("Posted By: GUEST,Doug\n23-Jan-11 - 05:39 PM\nThread Name: Lyr Req: Thou Poor Bird\n"
            "Subject: RE: Lyr Req: Thou Poor Bird\nThis round was taught to me in Ireland and the words were\n")
    parsed = parse_text(page, roles=True)
    comments = parsed.articles[0].comments
    assert [c.author for c in comments] == ["GUEST,Doug"] and comments[0].truncated


def test_one_letter_under_mail_headers_is_the_article():
    page = ("From: Mary Jones\nSubject: Parking on Main Street\nDate: March 3, 2011\n\n"
            "The new parking rules on Main Street hurt the shops, and the council should think again.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.comments == [] and art.title == "Parking on Main Street"
    assert [p.text for p in art.paragraphs] == [
        "The new parking rules on Main Street hurt the shops, and the council should think again."]


def test_a_commenters_picture_line_is_the_comment_header():
    page = ("Men who knit\n\nA new scarf pattern\n\nI finished the scarf this weekend and wrote up the pattern.\n\n"
            "2 Comments\n\ngaryhrx's picture\n\nLovely work, I will try it next week.\n\n"
            "Buck Strong's picture\n\nWhat yarn did you use for it?\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("garyhrx", "Lovely work, I will try it next week."), ("Buck Strong", "What yarn did you use for it?")]
    # in an article with no comment section, such a line is text
    story = parse_text("Our trip to the coast\n\nWe drove to the coast on Sunday and walked the cliffs.\n\n"
                       "Grandma's picture\n\nShe sat on the bench by the harbour and watched the boats.\n", roles=True)
    assert story.articles[0].comments == [] and roles_of(story)[5] == "body"


def test_a_page_opening_with_a_post_under_a_handle_and_rank_has_no_title():
    parsed = parse_text("hansonian\nObserver\nWent out of Ft. Lauderdale Saturday with my buddies for some "
                        "fishing and caught a big one.\n", roles=True)
    art = parsed.articles[0]
    assert art.title is None and [p.text for p in art.paragraphs] == [
        "Went out of Ft. Lauderdale Saturday with my buddies for some fishing and caught a big one."]
    assert roles_of(parsed)[1] == roles_of(parsed)[2] == "furniture"
    # a lower-case section label set apart above a one-word title is a kicker, and the title stays
    label = parse_text("recipes\n\nSoup\n\nThis soup takes an hour and feeds six people with bread on the side.\n",
                       roles=True)
    assert label.articles[0].title == "Soup" and roles_of(label)[1] == "kicker"


SIDEBAR_AFTER_COMMENTS = """Planting garlic

We put the garlic in after the first frost. The cloves went into a raised bed.

2 Comments

  1. Mary Smith on 12 March 2015 at 10:14 said:

    What a lovely idea, I must try this next year.

    Reply

  2. John on 13 March 2015 at 11:00 said:

    We always plant ours in November and they come up fine.

    Reply

Recent Posts

  • Autumn jobs
  • Leeks at last

Archives

  • October 2014
  • September 2014

Blogroll
Kitchen Garden Notes
The Plot Next Door
Allotment Diaries
"""


def test_sidebar_widgets_after_the_comments_are_navigation_not_replies():
    parsed = parse_text(SIDEBAR_AFTER_COMMENTS, roles=True)
    comments = parsed.articles[0].comments
    assert [(c.author, c.parent) for c in comments] == [("Mary Smith", None), ("John", None)]
    assert comments[1].text == "We always plant ours in November and they come up fine."
    r = roles_of(parsed)
    assert {r[k] for k in range(21, 35) if k in r} == {"navigation"}
    assert not any(d.code == "comment-count" for d in parsed.diagnostics)


def test_a_short_list_inside_a_flush_left_comment_stays_its_text():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n"
            "Anne said...\nMy favourites are these:\n  • Music\n  • Lautrec\nBoth keep well.\n\nMarch 3, 2015 at 9:12 AM\n\n"
            "Bob said...\nThanks for the tip.\n")
    comments = parse_text(page).articles[0].comments
    assert [c.author for c in comments] == ["Anne", "Bob"]
    assert "Lautrec" in comments[0].text


def test_todays_date_over_the_masthead_does_not_make_the_blog_name_the_title():
    page = ("Monday, October 13, 2014\n\nFamily Table\nA blog about food and family\n\nSunday roast for a crowd\n\n"
            "Posted on March 3, 2015\n\nNothing beats a roast on a cold Sunday. I bought a big shoulder of pork "
            "and let it cook slowly all morning.\n\nResponses\n\nMary Smith on October 12, 2014 at 9:14 pm\n\n"
            "What a lovely idea.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title == "Sunday roast for a crowd"
    assert [c.author for c in parsed.articles[0].comments] == ["Mary Smith"]
    assert roles_of(parsed)[12] == "comment_count"


def test_a_byline_in_parts_under_a_section_label_and_todays_date():
    page = ("EN | FR\n\nMonday, October 13, 2014\n\nWorld\n\nMinister promises new bridge by 2016\n\n"
            "By Jane Doe | March 3, 2015 10:14\n\nThe transport minister said on Tuesday that a new bridge over the "
            "river would open within a year.\n\nSpeaking to reporters in the capital, Transport Minister Paul Green "
            "said:\n\n“We have the money and we have the plan.”\n\n3 Comments\n\nMary Smith says:\n"
            "October 12, 2014 at 9:14 pm\n\nAbout time.\n\nReply\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Minister promises new bridge by 2016"
    assert roles_of(parsed)[9] == "dateline"
    assert [c.author for c in art.comments] == ["Mary Smith"]
    assert any("Paul Green said:" in p.text for p in art.paragraphs)


def test_names_with_initials_and_titles_in_name_date_headers():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\nComments\n\n"
            "Mary Smith | Oct 12, 2014\nLovely.\n\nJ. R. Hartley | Oct 13, 2014\nWe plant ours in November.\n\n"
            "Dr. Anne-Marie O'Neil | Oct 14, 2014\nDo you water them over the winter at all?\n")
    comments = parse_text(page).articles[0].comments
    assert [c.author for c in comments] == ["Mary Smith", "J. R. Hartley", "Dr. Anne-Marie O'Neil"]
    assert comments[2].text == "Do you water them over the winter at all?"


def test_a_one_word_comment_over_its_date_line_is_text_not_a_header():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n"
            "Mary said...\nLovely!\nOctober 12, 2014 at 9:14 PM\n\nAnonymous said...\nYum\n"
            "October 14, 2014 at 10:30 AM\n\nPost a Comment\n")
    parsed = parse_text(page, roles=True)
    comments = parsed.articles[0].comments
    assert [(c.author, c.text) for c in comments] == [("Mary", "Lovely!"), ("Anonymous", "Yum")]
    assert roles_of(parsed)[11] == "comment_meta"


def test_avatar_lines_over_headers_hash_numbers_and_dates_with_permalinks():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n3 Replies\n\n"
            "Mary's avatar\nMary on October 12, 2014 at 9:14 pm\nLovely!\nReply ↓\n\n"
            "John's avatar\nJohn on October 13, 2014 at 7:02 am\nGreat post.\nReply ↓\n\n"
            "Ann's avatar\nAnn on October 14, 2014 at 10:30 am\nYum\nReply ↓\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("Mary", "Lovely!"), ("John", "Great post."), ("Ann", "Yum")]
    assert roles_of(parsed)[7] == "furniture"
    hashed = parse_text("Garlic\n\nWe put the garlic in after the first frost. The cloves went in.\n\nComments\n\n"
                        "#1 Mary Smith on October 12, 2014 at 9:14 pm\nLovely.\n\n"
                        "#2 John on October 13, 2014 at 7:02 am\nThanks.\n").articles[0].comments
    assert [(c.author, c.number) for c in hashed] == [("Mary Smith", 1), ("John", 2)]
    permalink = parse_text("Garlic\n\nWe put the garlic in after the first frost. The cloves went in.\n\n2 Comments\n\n"
                           "Mary Smith\nPosted October 12, 2014 at 9:14 pm | Permalink\n\nLovely.\n\n"
                           "John\nPosted October 13, 2014 at 7:02 am | Permalink\n\nThanks.\n").articles[0].comments
    assert [(c.author, c.text) for c in permalink] == [("Mary Smith", "Lovely."), ("John", "Thanks.")]


def test_a_blogs_name_over_the_posts_date_header_is_not_a_comment():
    page = ("Sue's Garden Diary\n\nMonday, October 13, 2014\n\nMenu\n\nPlanting garlic in the autumn\n\n"
            "Every year I put the garlic in just after the first frost, and every year I wonder whether I have left "
            "it too late.\n\nMary Smith | Oct 12, 2014 9:14pm\n\nLovely.\n\nJohn | Oct 13, 2014 7:02am\n\nThanks.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Planting garlic in the autumn"
    assert [c.author for c in art.comments] == ["Mary Smith", "John"]
    # a comments-only page still opens with its first comment
    only = parse_text("Mary Smith\nOctober 12, 2014 at 9:14 pm\nWhat a lovely idea, I must try this next year "
                      "when the beds are clear again.\nReply\n\nJohn\nOctober 13, 2014 at 7:02 am\nThanks.\nReply\n")
    assert [c.author for c in only.articles[0].comments] == ["Mary Smith", "John"]


def test_the_authors_name_over_the_date_under_the_title_is_the_byline():
    page = ("Monday, October 13, 2014\n\nCouncil votes to close the library\n\nJane Doe\nMarch 3, 2015\n\n"
            "The council voted on Tuesday to close the town library at the end of the year, despite a petition "
            "signed by four thousand people.\n\nMary Smith | Oct 12, 2014 9:14pm\n\nA sad day.\n\n"
            "John | Oct 13, 2014 7:02am\n\nIt was hardly used.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Council votes to close the library"
    assert [c.author for c in art.comments] == ["Mary Smith", "John"]
    assert roles_of(parsed)[6] == "dateline"


def test_a_quotation_introduced_inside_a_comment_is_not_a_header():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n2 Comments\n\n"
            "Mary says:\nOctober 12, 2014 at 9:14 pm\n\nAs my gran said:\n\n“Plant on the shortest day.”\n\nReply\n\n"
            "John says:\nOctober 13, 2014 at 9:14 pm\n\nThanks.\n\nReply\n")
    comments = parse_text(page).articles[0].comments
    assert [(c.author, c.text) for c in comments] == [
        ("Mary", "As my gran said:\n\n“Plant on the shortest day.”"), ("John", "Thanks.")]


def test_comments_closed_by_a_reply_link_on_the_end_of_their_last_line():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
            "beans all summer.\n\nLovely idea, I must try it. Reply\n\nWe plant ours in November.\nThey always come "
            "up fine. Reply\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [c.text for c in art.comments] == ["Lovely idea, I must try it.", "We plant ours in November.\nThey always come up fine."]
    assert [p.text for p in art.paragraphs] == ["We put the garlic in after the first frost. The cloves went into a "
                                                "raised bed that had held beans all summer."]
    assert not [d for d in parsed.diagnostics if d.level == "warning"]
    # one such line is not enough to delimit comments: a warning, as before
    one = parse_text("Garlic\n\nWe put the garlic in after the first frost. The cloves went in that day.\n\n"
                     "Lovely idea, I must try it. Reply\n")
    assert not one.articles[0].comments and any(d.code == "comments-suspected" for d in one.diagnostics)


def test_date_lines_with_the_time_first_or_the_year_first():
    for date in ("12:34, 03.03.2015", "12:34 PM, Mar 3, 2015", "2015/03/03 12:34", "2015.03.03 12:34", "2 yrs ago"):
        page = (f"Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n"
                f"2 Comments\n\nMary Smith\n{date}\nLovely.\nReply\n\nJohn\n{date}\nThanks.\nReply\n")
        comments = parse_text(page).articles[0].comments
        assert [(c.author, c.text) for c in comments] == [("Mary Smith", "Lovely."), ("John", "Thanks.")], date


def test_wordpress_comment_sections_printed_in_russian_and_turkish():
    ru = ("Перейти к содержимому\n\nНовый мост через реку\n\n3 марта 2015\n\nМинистр транспорта заявил во вторник, что "
          "новый мост через реку откроется в течение года, и показал журналистам план.\n\n2 комментария\n\n"
          "  1. Мария говорит:\n     3 марта 2015 в 12:34\n     Давно пора.\n     Ответить\n\n"
          "       • Иван говорит:\n         4 марта 2015 в 09:10\n         Посмотрим.\n         Ответить\n\n"
          "Добавить комментарий\n\nКомментарии закрыты.\n")
    parsed = parse_text(ru, roles=True)
    art = parsed.articles[0]
    assert art.title == "Новый мост через реку"
    assert [(c.author, c.text) for c in art.comments] == [("Мария", "Давно пора."), ("Иван", "Посмотрим.")]
    assert art.comments[1].parent == art.comments[0].source_id
    r = roles_of(parsed)
    assert (r[9], r[14], r[21], r[23]) == ("comment_count", "comment_meta", "comment_form", "comments_closed")
    tr = ("İçeriğe geç\n\nKöprü için yeni plan\n\n3 Mart 2015\n\nUlaştırma bakanı salı günü nehir üzerindeki yeni köprünün "
          "bir yıl içinde açılacağını söyledi ve planı gazetecilere gösterdi.\n\n2 Yorum\n\n"
          "Ayşe dedi ki:\n3 Mart 2015 saat 12:34\nSonunda.\nYanıtla\n\nMehmet dedi ki:\n4 Mart 2015 saat 09:10\n"
          "Göreceğiz.\nYanıtla\n\nBir yanıt yazın\n")
    art = parse_text(tr).articles[0]
    assert art.title == "Köprü için yeni plan"
    assert [(c.author, c.text) for c in art.comments] == [("Ayşe", "Sonunda."), ("Mehmet", "Göreceğiz.")]


def test_text_browser_list_markers_for_deeper_replies():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
            "beans.\n\n3 Responses\n\n  * What a lovely idea, I must try it next year for sure.\n"
            "      + Thank you, let me know how it goes!\n          o I will, once the beds are clear.\n"
            "  * We plant ours in November and they come up fine.\n")
    comments = parse_text(page).articles[0].comments
    assert [c.text for c in comments] == ["What a lovely idea, I must try it next year for sure.",
                                          "Thank you, let me know how it goes!", "I will, once the beds are clear.",
                                          "We plant ours in November and they come up fine."]
    assert [c.parent for c in comments] == [None, comments[0].source_id, comments[1].source_id, None]


def test_more_count_headings_open_the_comment_section():
    for heading in ("Comments: 2", "There are 2 comments", "2 Comments Add yours", "Have your say", "Yorumlar (2)"):
        page = (f"Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n{heading}\n\n"
                "  1. Mary Smith\n     October 12, 2014 at 9:14 pm\n     Lovely.\n\n"
                "  2. John\n     October 13, 2014 at 7:02 am\n     Thanks.\n")
        parsed = parse_text(page, roles=True)
        assert [c.author for c in parsed.articles[0].comments] == ["Mary Smith", "John"], heading
        assert roles_of(parsed)[5] == "comment_count", heading


def test_buttons_printed_side_by_side_close_headerless_comments():
    for buttons in ("Reply Report", "Like (0) Dislike (0)", "Vote Up 0 Vote Down", "Report this comment"):
        page = (f"Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n"
                f"Lovely idea, I must try it.\n{buttons}\n\nWe plant ours in November.\n{buttons}\n")
        parsed = parse_text(page, roles=True)
        assert [c.text for c in parsed.articles[0].comments] == [
            "Lovely idea, I must try it.", "We plant ours in November."], buttons
        assert roles_of(parsed)[6] == "comment_meta", buttons
    assert not textpage._META.fullmatch("12 15") and not textpage._META.fullmatch("Like it")


def test_headers_with_by_prefixes_statuses_and_dates_in_brackets():
    art = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
           "beans all summer.\n\n")
    for heads in (("Submitted by Mary (not verified) on Tue, 03/03/2015 - 12:34", "Submitted by John on Wed, 03/04/2015 - 09:10"),
                  ("Comment by Mary — March 3, 2015 @ 12:34 pm", "Comment by John — March 4, 2015 @ 9:10 am"),
                  ("@Mary 3 years ago", "@John 2 years ago"),
                  ("Mary (March 3, 2015):", "John (March 4, 2015):")):
        page = art + f"Comments\n\n{heads[0]}\n\nLovely idea.\n\nReply\n\n{heads[1]}\n\nThanks for this.\n\nReply\n"
        comments = parse_text(page).articles[0].comments
        assert [(c.author, c.text) for c in comments] == [("Mary", "Lovely idea."), ("John", "Thanks for this.")], heads
    # the post's own byline in the same shape stays above the comments
    page = ("Garlic\n\nBy Jane Doe on March 1, 2015\n\nWe put the garlic in after the first frost. The cloves went "
            "into a raised bed that had held beans all summer.\n\nBy Mary on March 3, 2015\nLovely idea.\nReply\n")
    parsed = parse_text(page)
    assert [c.author for c in parsed.articles[0].comments] == ["Mary"]
    assert parsed.articles[0].title == "Garlic"


def test_comments_signed_under_their_text_after_a_dash():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
            "beans all summer.\n\n2 Comments\n\nLovely idea.\n— Mary Smith, March 3, 2015\n\nThanks for this.\n"
            "-- John | 4 Mar 2015\n")
    parsed = parse_text(page)
    assert layout_of(parsed) == "signed-after"
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [
        ("Mary Smith", "Lovely idea."), ("John", "Thanks for this.")]
    # an attribution under a quotation in an article with no comment section is text
    quote = parse_text("Fans celebrate\n\nThousands of fans poured into the streets after the final whistle.\n\n"
                       "What a night for the club!!\n— Sam Jones, March 3, 2015\n")
    assert not quote.articles[0].comments


def test_reddit_level_lines_give_depth_and_livejournal_furniture_stays_out():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
            "beans.\n\n3 comments\n\nlevel 1\nmary_s\n· 3 yr. ago\nLovely idea.\nReply\nShare\n\nlevel 2\njohn_k\n"
            "· 3 yr. ago\nThanks for this.\nReply\nShare\n\nlevel 1\nann\n· 2 yr. ago\nNice.\nReply\n")
    comments = parse_text(page).articles[0].comments
    assert [(c.author, c.text) for c in comments] == [("mary_s", "Lovely idea."), ("john_k", "Thanks for this."),
                                                      ("ann", "Nice.")]
    assert [c.parent for c in comments] == [None, comments[0].source_id, None]
    lj = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed that had held "
          "beans.\n\n2 comments\n\n(no subject)\nmary_s\nMarch 3 2015, 12:34:56 UTC\nLovely idea.\nLink | Reply | Thread\n\n"
          "(без темы)\njohn_k\nMarch 4 2015, 09:10:00 UTC\nThanks for this.\nСсылка | Ответить | Ветвь дискуссии\n")
    parsed = parse_text(lj, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [("mary_s", "Lovely idea."),
                                                                         ("john_k", "Thanks for this.")]
    assert "unrecognised" not in roles_of(parsed).values()


def test_a_headline_with_a_date_in_it_over_the_byline_is_the_title_not_a_comment():
    page = ("Menu\n\nArmenia votes on June 20, 2021\n\nBy Jane Doe | June 1, 2021\n\nThe vote was held on Sunday and "
            "the turnout was low in most of the regions of the country, officials said.\n\n2 Comments\n\n"
            "Mary Smith on June 21, 2021\nLow indeed.\nReply\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Armenia votes on June 20, 2021"
    assert [c.author for c in art.comments] == ["Mary Smith"]
    assert roles_of(parsed)[7] == "body"


def test_an_article_under_a_posted_on_dateline_with_no_comments_stays_article_text():
    for dateline in ("Posted March 3, 2015", "Posted on March 3, 2015", "Updated on March 3, 2015"):
        page = (f"Fans celebrate the win\n\n{dateline}\n\nThousands of fans poured into the streets after the final "
                "whistle, singing until the early hours.\n\nThe mayor said the city would hold a parade.\n")
        parsed = parse_text(page, roles=True)
        art = parsed.articles[0]
        assert art.title == "Fans celebrate the win", dateline
        assert [p.text for p in art.paragraphs][-1] == "The mayor said the city would hold a parade.", dateline
        assert not [d for d in parsed.diagnostics if d.level == "warning"], dateline
    # a byline under the title is no sign of comments either
    page = ("Apple crumble\n\nPosted by Sue on March 3, 2015\n\nThis is the crumble my mother made every Sunday in "
            "the autumn, with apples from the tree behind the house.\n")
    assert not [d for d in parse_text(page).diagnostics if d.level == "warning"]


def test_a_numbered_list_ending_an_article_is_not_read_as_comments():
    page = ("Five things we learned\n\nPosted on March 3, 2015\n\nThe summit ended on Tuesday after two days of talks "
            "between the leaders of the two countries and their ministers.\n\nWhat we learned\n\n"
            "  1. The border will stay closed for now, despite the pressure from traders on both sides.\n"
            "  2. A new round of talks is planned for the autumn in Geneva, with observers present.\n"
            "  3. Neither side is ready to give ground on the status of the disputed region.\n")
    for text in (page, page.replace("What we learned\n\n", "")):
        parsed = parse_text(text)
        assert not parsed.articles[0].comments
        assert any("Geneva" in p.text for p in parsed.articles[0].paragraphs)
    # comments printed as the page's last numbered list speak to the author or as themselves
    comments = page.replace("What we learned\n\n", "").replace(
        "The border will stay", "I think the border will stay").replace("A new round", "Your point about a new round")
    assert len(parse_text(comments).articles[0].comments) == 3


def test_a_quotation_introduced_with_said_in_a_news_story_is_article_text():
    page = ("Putin on Karabakh\n\nMarch 3, 2015\n\nThe Russian president spoke to reporters on Tuesday about the "
            "ceasefire and the role of the peacekeepers in the region.\n\nPutin said:\n\n“We will keep our word.”\n\n"
            "On Facebook, Pashinyan wrote:\n\n“The war is over.”\n\nThe talks resume next week in Moscow, officials "
            "said.\n")
    parsed = parse_text(page)
    art = parsed.articles[0]
    assert not art.comments and not [d for d in parsed.diagnostics if d.level == "warning"]
    assert [p.text for p in art.paragraphs][-1] == "The talks resume next week in Moscow, officials said."
    # the same shape under a comment heading, or repeated with a comment's own words under it, is a header
    comments = page + "\n2 Comments\n\nAnna said:\nHe said the same last year.\n\nBob said:\nWe will see.\n"
    assert [c.author for c in parse_text(comments).articles[0].comments] == ["Anna", "Bob"]
    bare = page + "\nAnna said:\nHe said the same last year.\n\nBob said:\nWe will see.\n"
    assert [c.author for c in parse_text(bare).articles[0].comments] == ["Anna", "Bob"]


def test_a_quotation_introduced_with_said_inside_a_comment_stays_its_text():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n2 Comments\n\n"
            "Mary Smith says:\nOctober 12, 2014 at 9:14 pm\nI agree.\nTom said:\n“Plant early.”\nReply\n\n"
            "John says:\nOctober 13, 2014 at 9:14 pm\nThanks.\nReply\n")
    comments = parse_text(page).articles[0].comments
    assert [(c.author, c.text) for c in comments] == [("Mary Smith", "I agree.\nTom said:\n“Plant early.”"),
                                                      ("John", "Thanks.")]


def test_a_comment_count_in_the_posts_head_does_not_open_the_comment_section():
    page = ("Planting garlic\n\nOctober 12, 2014\n\n2 Comments\n\nEvery year I put the garlic in just after the first "
            "frost, and every year I wonder whether I have left it too late.\n\nI will report back in the spring.\n\n"
            "2 Comments\n\nMary Smith says:\nOctober 12, 2014 at 9:14 pm\nLovely.\nReply\n\n"
            "John says:\nOctober 13, 2014 at 9:14 pm\nThanks.\nReply\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert [c.author for c in art.comments] == ["Mary Smith", "John"]
    assert [p.text for p in art.paragraphs][-1] == "I will report back in the spring."
    assert roles_of(parsed)[5] == "comment_count"
    assert not [d for d in parsed.diagnostics if d.level == "warning"]
    closed = page.split("\n\n2 Comments\n\nMary")[0] + "\n\nComments are closed.\n"
    parsed = parse_text(closed)
    assert [p.text for p in parsed.articles[0].paragraphs][-1] == "I will report back in the spring."


def test_a_leave_a_comment_link_under_the_posts_byline_does_not_open_the_comment_section():
    for link in ("Leave a comment", "Comments"):
        page = (f"Planting garlic\n\nPosted on October 12, 2014 by Sue\n\n{link}\n\nEvery year I put the garlic in "
                "just after the first frost, and every year I wonder whether I have left it too late.\n\n"
                "I will report back in the spring.\n")
        parsed = parse_text(page, roles=True)
        assert [p.text for p in parsed.articles[0].paragraphs][-1] == "I will report back in the spring.", link
        assert roles_of(parsed)[5] in ("comment_form", "comment_count"), link


def test_more_credit_lines_make_captions_when_printed_once():
    for credit in ("Source: Armenpress", "Courtesy of the Ministry of Defence", "The bridge at night. Credit: Jane Doe",
                   "Illustration: Jane Doe", "Фото: ТАСС", "Fotoğraf: AA"):
        page = (f"A new bridge\n\nThe transport minister said on Tuesday that a new bridge over the river would "
                f"open within a year.\n\n{credit}\n\nCritics were not convinced by the promise.\n")
        roles = roles_of(parse_text(page, roles=True))
        assert roles[5] == "caption", credit
    assert not textpage._is_credit("The source of the trouble was the river, which flooded every spring.")


def test_a_commenters_tally_after_the_name_is_not_part_of_it():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n2 Comments\n\n"
            "  1. Aaron (72 comments) says:\n     October 12, 2014 at 9:14 pm\n     Lovely.\n\n"
            "  2. Ann says:\n     October 13, 2014 at 7:02 am\n     Thanks.\n")
    assert [c.author for c in parse_text(page).articles[0].comments] == ["Aaron", "Ann"]
    assert textpage._META.fullmatch("Click here to reply to this comment")


def test_a_page_ending_on_five_words_with_no_closing_punctuation_under_a_comment_is_a_cut():
    page = ("Garlic\n\nWe put the garlic in after the first frost. The cloves went into a raised bed.\n\n2 Responses\n\n"
            "  1. Lovely, I must try it.\n\n  2. I will start listening to the council after they fix the road.\n"
            "    Or in other words, Tony\n")
    assert parse_text(page).articles[0].comments[-1].truncated
    signed = page.replace("Or in other words, Tony", "Love, Aunt Sue")
    assert not parse_text(signed).articles[0].comments[-1].truncated


def test_suspected_comment_lines_are_kept_aside_not_read_as_article_text(tmp_path):
    # a reader's greeting and the lines after it: no header marks them, so they are not read as comments,
    # but they are kept aside with a role of their own, never as article text, each named with its full text
    page = ("Self-sown tomatoes\n\nOur tomatoes came up by themselves this year, from last year's fruit, and there "
            "are more of them than ever.\n\nHi Roy\nLooks like a nice crop there. Mine are just starting.\n"
            "Two wonderful things there, a grandchild and fresh tomatoes.\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert not art.comments
    roles = roles_of(parsed)
    assert roles[3] == "body" and [roles[k] for k in (5, 6, 7)] == ["comment_suspected"] * 3
    assert [p.text for p in art.paragraphs] == [
        "Our tomatoes came up by themselves this year, from last year's fruit, and there are more of them than ever."]
    [warn] = [d for d in parsed.diagnostics if d.code == "comments-suspected"]
    assert warn.level == "warning" and warn.line == 5 and "lines 5-7" in warn.message
    notes = {d.line: d.message for d in parsed.diagnostics if d.code == "suspected-comment-line"}
    assert sorted(notes) == [5, 6, 7] and notes[7].endswith("a grandchild and fresh tomatoes.")


def test_suspected_comment_lines_in_full_in_json_and_export(tmp_path):
    import json

    import polars as pl
    from typer.testing import CliRunner

    from discourse.cli import app

    long = "Your scarf is lovely, " + "and the colour is right " * 14 + "end."
    page = tmp_path / "pages" / "p.txt"
    page.parent.mkdir()
    page.write_text(f"The Scarf\n\nI finished the scarf at last and it is long enough to wrap twice round.\n{long}\n",
                    encoding="utf-8")
    out = CliRunner().invoke(app, ["parse", str(page.parent), "--json", "--lines"])
    data = json.loads(out.stdout)
    [d] = [d for d in data["diagnostics"] if d["code"] == "suspected-comment-line"]
    assert d["line"] == 4 and d["message"].endswith(long)
    [row] = [r for r in data["line_roles"] if r["line"] == 4]
    assert (row["role"], row["text"]) == ("comment_suspected", long)
    res = CliRunner().invoke(app, ["export", str(page.parent), "--to", "csv", "--out", str(tmp_path / "x"),
                                   "--quiet"])
    assert res.exit_code == 0, res.output
    diags = pl.read_csv(tmp_path / "x" / "diagnostics.csv")
    assert diags.filter(pl.col("code") == "suspected-comment-line").item(0, "message").endswith(long)
    paragraphs = pl.read_csv(tmp_path / "x" / "paragraphs.csv")
    assert not paragraphs.filter(pl.col("text").str.contains("scarf is lovely")).height


def test_a_sign_in_the_page_head_sets_no_article_text_aside():
    # a dateline after the text is a weak sign: the warning stands, the article keeps its text
    page = ("Garden notes\n\nWe planted beans, peas and squash in the new bed this week and watered them twice.\n\n"
            "March 3, 2015\n")
    parsed = parse_text(page, roles=True)
    assert "comment_suspected" not in roles_of(parsed).values()


# ---- numbered threads with no names ---------------------------------------------------------------------

def test_a_page_saved_from_inside_a_numbered_thread_prints_its_first_item_flush_left():
    page = ("1. Why are the queues at the polling places so long? It is that way by design.\n\n"
            "    Here it hardly takes more than seven minutes to vote.\n\n"
            "    1. How fast can you run? Not fast enough, it seems.\n\n"
            "  2. He who knows nothing is closer to the truth than he whose mind is full of errors.\n\n"
            "    1. They can gain it back after they save it, by earning the trust of people.\n\n"
            "  3. The parties can suppress many things but not the weather on election day.\n")
    parsed = parse_text(page, roles=True)
    c = parsed.articles[0].comments
    assert [x.text.split()[0] for x in c] == ["Why", "How", "He", "They", "The"]
    assert [x.parent for x in c] == [None, c[0].source_id, None, c[2].source_id, None]
    assert c[0].text.endswith("seven minutes to vote.")
    assert roles_of(parsed)[1] == "comment_body" and parsed.roles[0][3] == page.splitlines()[0]  # the line as read


def test_a_numbered_thread_set_apart_with_replies_numbered_afresh_needs_no_voice():
    article = "The chiefs who pushed hardest for reform are the ones leaving their posts this year, a survey shows.\n"
    items = ("  1. The town is a lost cause for all the crooked officers there.\n\n"
             "  2. This explains the drive to defund the police in the cities.\n\n"
             "    1. What planet is that on? The cities asked for it.\n\n"
             "  3. There will be a reaping by whirlwind in many of these cities.\n\n"
             "  4. When will the chief finally leave. Guess that mess is pushed under the carpet.\n")
    parsed = parse_text("Chiefs Leaving\n\n" + article + "\n\n\n" + items)
    c = parsed.articles[0].comments
    assert len(c) == 5 and c[2].parent == c[1].source_id
    # the same list straight under the text, one blank line between: the article's own list
    flat = items.replace("    1. What planet is that on? The cities asked for it.\n\n", "")
    assert not parse_text("Chiefs Leaving\n\n" + article + "\n" + flat).articles[0].comments


def test_a_page_ending_on_a_replys_number_flags_a_cut_reply():
    page = ("Title Of Post\n\nBody text of the post, long enough to be the article's own paragraph here.\n\n"
            "3 Comments\n\n  1. First comment, with its text.\n\n  2. Second comment, with its text.\n\n    1")
    c = parse_text(page).articles[0].comments
    assert len(c) == 3 and (c[2].text, c[2].parent, c[2].truncated) == ("", c[1].source_id, True)


def test_a_listing_pages_teasers_closed_by_read_more_links_are_not_comments():
    page = "".join(f"  {k}. Headline number {k} about the recall of the door handles.\n\n"
                   f"    You may think the recall is over, but the maker says it is not, and I agree with them.\n\n"
                   f"    Continue reading \"Story {k}\"\n" for k in range(1, 5))
    assert not parse_text("Recalls\n\n" + page).articles[0].comments
    assert parse_text("Recalls\n\n" + page.replace("Continue reading", "Agreed with")).articles[0].comments


def test_bulleted_replies_with_no_name_under_a_named_numbered_comment():
    page = ("Clocks Go Back\n\nDon't forget to set your clocks back one hour tonight, everyone.\n\n"
            "3 responses to “Clocks Go Back”\n\n"
            "  1. Jack Backiel\n\n    I need the extra hour because I am still undecided between the candidates.\n\n"
            "    • Unfortunately that candidate is not an approved write-in so a vote for him will not count.\n\n"
            "      • By what rationale does the state allow only votes for approved write-in candidates at all?\n\n"
            "  2. Marcy Fralick -- Staples Class of 1970\n\n    Not here in AZ! We don't change the clocks.\n")
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Jack Backiel", None, None, "Marcy Fralick -- Staples Class of 1970"]
    assert [x.parent for x in c] == [None, c[0].source_id, c[1].source_id, None]
    # a list the comment introduces stays in its text
    listed = page.replace("I am still undecided between the candidates.", "I have two reasons:")
    c = parse_text(listed).articles[0].comments
    assert len(c) == 2 and "Unfortunately" in c[0].text and "By what rationale" in c[0].text


def test_a_page_cut_inside_a_numbered_comments_name_line():
    page = ("Title Of Post\n\nBody text of the post, long enough to be the article's own paragraph here.\n\n"
            "2 Comments\n\n  1. Ann Smith\n\n    First comment, with its text.\n\n  2. Mary (Cookman")
    c = parse_text(page).articles[0].comments
    assert (c[1].author, c[1].text, c[1].truncated) == ("Mary (Cookman", "", True)


def test_a_final_numbered_list_with_gaps_in_its_numbers_is_read_as_comments():
    page = ("Why Is The Bill Rushed Through?\n\n"
            "  1. Why would they rush it? I think the state plan was a dud, by my own count.\n\n"
            "    The premiums went up every year since, and nobody in the capital mentions it.\n\n"
            "  4. Insurance companies made out to be the bad guys! Who sets the prices of drugs then?\n")
    c = parse_text(page).articles[0].comments
    assert [x.number for x in c] == [1, 4] and c[0].text.endswith("nobody in the capital mentions it.")
    # numbers that go down are no thread
    assert not parse_text(page.replace("  4. Insurance", "  0. Insurance")).articles[0].comments


def test_a_movable_type_comments_page_takes_its_title_from_the_heading():
    page = ("Comments: Less Blue but much happier\n\nKeep the faith! Local politics can be fun sometimes.\n\n"
            "Posted by Scoakat on 3 May, 2019 at 11:38 PM\n\n19 lost seats. I'm still smiling.\n\n"
            "Posted by Blue Witch on 4 May, 2019 at 8:01 AM\n")
    parsed = parse_text(page, roles=True)
    art = parsed.articles[0]
    assert art.title == "Less Blue but much happier" and layout_of(parsed) == "signed-after"
    assert [(c.author, c.text) for c in art.comments] == [
        ("Scoakat", "Keep the faith! Local politics can be fun sometimes."),
        ("Blue Witch", "19 lost seats. I'm still smiling.")]
    assert roles_of(parsed)[1] == "comment_count"
    # a comment policy's heading names no post
    policy = parse_text("Comments: Our rules\n\nPlease report any comments that break our rules.\n\n"
                        "Posted by Editor on 3 May, 2019 at 11:38 PM\n")
    assert policy.articles[0].title != "Our rules"
    assert policy.articles[0].title is None


# ---- titles chosen from the page's structure ----------------------------------------------------------

def test_links_side_by_side_and_a_tag_heading_are_navigation_not_titles():
    page = ("All 1 entries tagged Gardening\n\n"
            "View all 9 entries tagged Gardening on Our Blogs | View entries tagged Gardening elsewhere | "
            "There are no images tagged Gardening\n\nMarch 29, 2007\n\nBeans and the Bloggers\n\nWriting about web page\n\n"
            "We planted beans this morning and the bloggers came to watch them grow, which took some time.\n")
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title == "Beans and the Bloggers" and roles_of(parsed)[3] == "navigation"
    letter = parse_text("To the editor:\n\nOur country has a few big problems to solve this coming year, and the "
                        "council should start with the roads.\n\nTags\n", roles=True)
    assert letter.articles[0].title is None and roles_of(letter)[5] == "navigation"
    # a signature with a date in its parts is no row of links
    signed = parse_text("Title\n\nText of the comment, long enough to read as prose on its own here.\n\n"
                        "Linda Clover (348) | User | March 30, 2013 - 8:16 AM | Budget\n", roles=True)
    assert roles_of(signed)[5] != "navigation"


def test_a_title_with_a_dangling_dash_under_the_posts_date():
    page = ("Thursday 8 February 2007\n\nCouncil Tax -\n\nIs it just me, or does it seem obvious that councils "
            "might not want to put up the tax before an election?\n")
    assert parse_text(page).articles[0].title == "Council Tax -"
    # a line that goes on with a dash inside a paragraph is no title
    verse = ("Thursday 8 February 2007\n\nThe rain came in the night -\nand the river rose over the road by the mill "
             "while we slept, and nobody saw it.\n")
    assert parse_text(verse).articles[0].title != "The rain came in the night -"


# ---- header shapes ------------------------------------------------------------------------------------

def test_a_name_run_together_with_its_date_is_a_header():
    page = ("Comments | Return to Story\n\nJulie DFebruary 6, 2017\n\nThere are incorrect statements in this "
            "article, and I would like them corrected.\n\nMike GriffithFebruary 5, 2017\n\nIt is not a matter of "
            "letting them in or not.\n\nttFebruary 3, 2017\n\nWhat exactly are the laws on the books?\n")
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Julie D", "Mike Griffith", "tt"]
    assert c[1].text == "It is not a matter of letting them in or not."
    # a month inside a headline with no name before it is no header
    assert not parse_text("Budget\n\nThe council met on Tuesday.\n\nForecastMarch 2017 figures were late "
                          "again this year for the town.\n").articles[0].comments


def test_a_user_name_run_together_with_its_age_is_a_header():
    page = ("15\nWhy do leeks take so long to come up in a cold spring on clay soil?\n\n2 comments\n"
            "barnes.morgan1mo ago\nMine took three weeks, and then they all came at once.\n2\n"
            "the_mia12d ago\nGive them a cloche and they will be quicker.\n5\n")
    c = parse_text(page).articles[0].comments
    assert [(x.author, x.text) for x in c] == [
        ("barnes.morgan", "Mine took three weeks, and then they all came at once."),
        ("the_mia", "Give them a cloche and they will be quicker.")]


def test_numbered_comments_signed_under_their_text_below_the_posts_byline():
    page = ("Posted by Tim B. on 01/27/2006 at 08:48 AM\n"
            "    1. How has a decent nation reached this point? I cannot see it.\n\n"
            "      Posted by Monroe Doctrine on 2006 01 27 at 10:02 AM • permalink\n\n\n"
            "    1. Maybe if they pushed it more they would stop shooting themselves in the feet.\n\n"
            "      Posted by andycanuck on 2006 01 27 at 10:26 AM • permalink\n\n\n"
            "      That is pretty much it. It takes 60 votes to end debate, so you need 40 willing to put off the v\n")
    parsed = parse_text(page, roles=True)
    c = parsed.articles[0].comments
    assert layout_of(parsed) == "signed-after"
    assert [(x.author, x.text[:12], x.truncated) for x in c] == [
        ("Monroe Doctrine", "How has a de", False), ("andycanuck", "Maybe if the", False), (None, "That is pret", True)]
    assert roles_of(parsed)[1] != "comment_header"


def test_comments_each_under_a_name_alone_on_a_line_in_an_announced_section():
    page = ("13 September 2011\n\n\nFeed You can follow this conversation by subscribing to the comment feed for "
            "this post.\n\nAngela H.\n\nJust caught up with my feed reader and saw this post, about my county.\n\n"
            "(And yes, I am being coy about our opinion.)\n\nBob Lee\n\nThe library board met again last night "
            "and nothing was decided.\n\nThe comments to this entry are closed.\n")
    parsed = parse_text(page, roles=True)
    c = parsed.articles[0].comments
    assert [(x.author, x.text.split()[0]) for x in c] == [("Angela H.", "Just"), ("Bob Lee", "The")]
    assert c[0].text.endswith("our opinion.)") and roles_of(parsed)[6] == "comment_header"
    # a short line that is no name (a sentence's end) does not open a comment
    odd = page.replace("Bob Lee", "and so on.")
    assert len(parse_text(odd).articles[0].comments) != 2
    assert len(parse_text(odd).articles[0].comments) == 1  # Angela H.'s comment runs on over the line


def test_numbered_points_inside_a_named_comment_stay_in_its_text():
    page = ("Discussion about this post\n\nUser's avatar\neugyppius's avatar\n\nSo, I have a few responses:\n\n"
            "1) For me, the importance of the platform is its user base and the simple subscription model.\n\n"
            "2) As for taking a stand on free speech, the idea is to give writers freedom.\n")
    parsed = parse_text(page, roles=True)
    [c] = parsed.articles[0].comments
    assert parsed.articles[0].title is None
    assert c.author == "eugyppius" and c.text.startswith("So, I have") and "2) As for" in c.text
    assert roles_of(parsed)[3] == "furniture"  # the empty comment box's avatar


def test_a_comment_shown_alone_opens_the_page_with_its_name_and_date():
    page = ("Tom Johnson\nPosted on 15 Apr 2005 1:40 pm\n\nThis is really a pathetic defence. The tax was much "
            "more affordable when it was brought in.\n")
    parsed = parse_text(page)
    [c] = parsed.articles[0].comments
    assert (parsed.articles[0].title, c.author) == (None, "Tom Johnson") and c.text.startswith("This is really")
    # a blog's name over the date over the post's title is the page's head, not a comment
    blog = parse_text("Sue Grows Things\nMonday, October 13, 2014\n\nLeeks At Last\n\nThe leeks came up at last "
                      "after three weeks of waiting and a great deal of watering by hand.\n")
    assert not blog.articles[0].comments and blog.articles[0].title == "Leeks At Last"


def test_a_bulleted_handle_over_a_column_of_buttons_then_its_date():
    page = ("• huge-whales@alien.top\n    link\n    fedilink\n    English\n    arrow-up\n    2\n    ·\n    1 year ago\n\n"
            "    Even if we sack him then what? We hire another guy and the honeymoon lasts until next season.\n")
    parsed = parse_text(page, roles=True)
    [c] = parsed.articles[0].comments
    assert c.author == "huge-whales@alien.top" and c.text.startswith("Even if we sack him")
    assert {roles_of(parsed)[k] for k in range(2, 9)} == {"comment_meta"}


_LEEKS = ("Leeks At Last\n\nThe leeks came up at last after three weeks of waiting and a great deal of watering.\n\n"
          "2 Comments\n\n")


@pytest.mark.parametrize("first, second, authors", [
    ("Posted by Ann Smith", "Posted by Bob Lee", ["Ann Smith", "Bob Lee"]),
    ("Posted by Ann Smith on March 3, 2015", "Posted by Bob Lee on March 4, 2015", ["Ann Smith", "Bob Lee"]),
    ("Ann Smith (verified)", "Bob Lee (verified)", ["Ann Smith", "Bob Lee"]),
    ("Ann Smith | Reply", "Bob Lee | Reply", ["Ann Smith", "Bob Lee"]),
    ("Ann Smith Top Commenter", "Bob Lee Top Commenter", ["Ann Smith", "Bob Lee"]),
    ("Ann Smith from Leeds", "Bob Lee from York", ["Ann Smith from Leeds", "Bob Lee from York"]),
    ("  1.", "  2.", [None, None]),
    ("March 3, 2015 at 10:14 am", "March 4, 2015 at 9:00 am", [None, None]),
])
@pytest.mark.parametrize("reply", ["", "\nReply\n"])
def test_marked_name_lines_and_bare_headers_in_a_comment_section(first, second, authors, reply):
    page = (_LEEKS + f"{first}\n\nI grew leeks too and mine were slow this year.{reply}\n\n"
            f"{second}\n\nMine came up in a week, no watering at all.{reply}\n")
    c = parse_text(page).articles[0].comments
    assert [(x.author, x.text) for x in c] == [(authors[0], "I grew leeks too and mine were slow this year."),
                                               (authors[1], "Mine came up in a week, no watering at all.")]


def test_a_sign_off_under_a_comments_text_is_no_header():
    page = (_LEEKS + "Ann Smith says:\n\nI grew leeks too and mine were slow this year.\nAnn Smith from Leeds\n\n"
            "Bob Lee says:\n\nMine came up in a week, no watering at all.\n")
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Ann Smith", "Bob Lee"] and c[0].text.endswith("Ann Smith from Leeds")
    # outside a comment section such a line is the article's
    assert not parse_text("Leeks At Last\n\nAnn Smith from Leeds\n\nI grew leeks this year and they were "
                          "slow to come up.\n").articles[0].comments


@pytest.mark.parametrize("under, author", [("March 3, 2015 at 10:14 am", None), ("— Ann Smith", "Ann Smith"),
                                           ("-- Ann", "Ann")])
def test_a_headerless_comments_date_line_or_dash_signature_under_its_text(under, author):
    texts = ["I grew leeks too and mine were slow this year.", "Mine came up in a week, no watering at all.",
             "Has anyone tried them in pots on a balcony?"]
    page = _LEEKS.replace("2 Comments", "3 Comments") + "".join(f"{t}\n{under}\n\n" for t in texts)
    parsed = parse_text(page, roles=True)
    c = parsed.articles[0].comments
    assert [(x.author, x.text) for x in c] == [(author, t) for t in texts]
    assert not any(d.code == "truncated" for d in parsed.diagnostics)


_STORY = ("\n\nThe council voted on Tuesday to raise the tax by four percent, the largest rise in a decade, after a "
          "long debate.\n")


@pytest.mark.parametrize("head", [
    "Monday, March 3, 2015\n\nThe Daily Bugle\n\nCouncil Raises Tax By Four Percent\n\nBy Jane Doe",
    "Council Raises Tax By Four Percent\n\nThe rise is the largest in a decade\n\nBy Jane Doe",
    "The Daily Bugle\nNews for the people of Springfield\n\nCouncil Raises Tax By Four Percent",
    "Home » News » Politics\n\nCouncil Raises Tax By Four Percent\n\nMarch 3, 2015",
])
def test_the_title_is_chosen_from_the_pages_structure(head):
    assert parse_text(head + _STORY).articles[0].title == "Council Raises Tax By Four Percent"


@pytest.mark.parametrize("head", [
    "Springfield Politics\n\nThoughts on local government from a retired councillor\n\nTuesday, March 3, 2015\n\n"
    "Council raises tax by four percent",
    "Springfield Politics\n\nLOCAL GOVERNMENT\n\nCouncil raises tax by four percent\n\nMarch 3, 2015 / Jane Doe",
    "Springfield Politics\n\nPosted in Local Government\n\nCouncil raises tax by four percent",
    "Skip to main content\nThe Daily Bugle\nSearch\nSubscribe\n\nNews\nSport\nOpinion\n\n"
    "Council raises tax by four percent\n\nThe rise is the largest in a decade.\n\nBy Jane Doe\n"
    "Updated March 3, 2015, 10:14 am",
    "Council raises tax by four percent\n\nJane Doe\nMarch 3, 2015",
])
def test_a_blogs_tagline_a_category_line_and_a_byline_are_not_title_or_comments(head):
    parsed = parse_text(head + _STORY, roles=True)
    assert parsed.articles[0].title == "Council raises tax by four percent"
    assert not [d.code for d in parsed.diagnostics if d.level == "warning"]
    assert not any(role.startswith("comment") for _, role, _, _ in parsed.roles)


def test_bulleted_posts_under_a_comments_heading_with_no_number():
    page = ("Brexit thread III\n\n1246751\n\nComments\n\n"
            "  • We have reached a point where the party can push for a second vote.\n\n"
            "    Given the current polling I am surprised they still think so.\n"
            "  • Ricardus wrote: »\n    We have reached a point where the party can push for a second vote.\n\n"
            "    For many of us that would not matter.\n")
    c = parse_text(page).articles[0].comments
    assert [x.text.split("\n")[0] for x in c] == [
        "We have reached a point where the party can push for a second vote.", "Ricardus wrote: »"]
    assert c[0].text.endswith("still think so.") and [x.parent for x in c] == [None, None]


def test_a_forum_reply_page_with_no_breadcrumb():
    page = ("Reply To: Police Chief Just Resigned\n\n\nMichael Waldo\n\nThis is not just sad, this is disgusting. The "
            "council used the input of mobs to make policy.\n")
    parsed = parse_text(page)
    [c] = parsed.articles[0].comments
    assert (parsed.articles[0].title, c.author) == ("Reply To: Police Chief Just Resigned", "Michael Waldo")


def test_a_compact_age_after_the_name_reddit_style():
    page = ("r/Gardening 2d ago\n\nAre leeks worth growing in pots? Question\n\nI have a small balcony and wonder "
            "whether leeks would do well in deep pots there over the winter.\n\n\n126 comments sorted by\n\n"
            "View all comments\n\n\nu/leek_fan 1d ago\n\nThey do fine in pots if you keep them watered.\n\n"
            "u/potman 3h ago\n\nMine rotted, so go easy on the water.\n")
    c = parse_text(page).articles[0].comments
    assert [(x.author, x.text) for x in c] == [("u/leek_fan", "They do fine in pots if you keep them watered."),
                                               ("u/potman", "Mine rotted, so go easy on the water.")]


@pytest.mark.parametrize("head, tail", [
    ("Report Inappropriate Comments", "From: City nurse posts go unfilled\n\nPlease explain the inappropriate content below."),
    ("Add new comment", "Plain text\n\n  • Allowed HTML tags: <a> <em>\n  • Lines and paragraphs break automatically."),
])
def test_one_comment_shown_above_a_form_about_it(head, tail):
    page = (f"{head}\n\nPathetic, isn't it, that the mayor is demanding the post be filled now when he has shown no "
            f"urgency.\n\nPrimary day cannot come quickly enough.\n\n{tail}\n")
    parsed = parse_text(page, roles=True)
    [c] = parsed.articles[0].comments
    assert parsed.articles[0].title is None and c.author is None and c.text.startswith("Pathetic")
    assert c.text.endswith("quickly enough.") and layout_of(parsed) == "single-post"
    assert not [r for r in parsed.roles if r[1] in ("body", "unrecognised", "comment_suspected")]


@pytest.mark.parametrize("sig", ["{a} | {d}", "{a}\n{d}", "{a} – {d}"])
def test_comments_signed_under_their_text_with_a_name_and_date(sig):
    people = [("Ann Smith", "March 3, 2015", "I grew leeks too and mine were slow this year."),
              ("Bob Lee", "March 4, 2015", "Mine came up in a week, no watering at all.")]
    page = _LEEKS + "".join(f"{t}\n\n{sig.format(a=a, d=d)}\n\n" for a, d, t in people)
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [(a, t) for a, _, t in people]
    assert "unrecognised" not in roles_of(parsed).values()
    # headers over their text are read as headers still: the first line under the heading is a header
    over = _LEEKS + "".join(f"{sig.format(a=a, d=d)}\n\n{t}\n\n" for a, d, t in people)
    assert [(c.author, c.text) for c in parse_text(over).articles[0].comments] == [(a, t) for a, _, t in people]


def test_a_disqus_collapse_mark_is_no_part_of_the_text():
    page = (_LEEKS.replace("2 Comments\n\n", "") + "Ann Smith\n• 3 years ago\nI grew leeks too.\n−\nReply • Share ›\n\n"
            "Bob Lee\n• 3 years ago\nMine came up.\n−\nReply • Share ›\n")
    assert [c.text for c in parse_text(page).articles[0].comments] == ["I grew leeks too.", "Mine came up."]


_THREE = [("Ann Smith", "I grew leeks too and mine were slow this year."),
          ("Bob Lee", "Mine came up in a week, no watering at all."),
          ("Cy Young", "Has anyone tried them in pots on a balcony?")]


@pytest.mark.parametrize("head, shape", [
    ("3 Comments\n\n", "March 3, 2015 at 10:14 am\n{a}\n{t}\n\n"),   # the date, then the name, then the text
    ("3 Comments\n\n", "#{n}\n{a}\n{t}\n\n"),                        # the number, then the name
    ("3 Comments\n\n", "{a}: {t}\n\n"),                              # the name and a colon before the text
    ("", "{a}\n\n{t}\n\nReply\n\n"),                                 # no heading: name alone, text, Reply
])
def test_more_header_shapes_read_with_their_authors(head, shape):
    page = _LEEKS.replace("2 Comments\n\n", "") + head + "".join(
        shape.format(a=a, t=t, n=n + 1) for n, (a, t) in enumerate(_THREE))
    assert [(c.author, c.text) for c in parse_text(page).articles[0].comments] == _THREE


def test_a_dialogue_quoted_inside_a_comment_stays_in_its_text():
    page = _LEEKS + ("Ann Smith says:\n\nMy son asked me about the leeks.\nMe: they take time.\nHim: how long?\n\n"
                     "Bob Lee says:\n\nMine came up in a week.\n")
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Ann Smith", "Bob Lee"] and c[0].text.endswith("Him: how long?")


def test_signatures_after_a_dash_under_paragraphs_are_a_sign_of_comments():
    page = _LEEKS.replace("2 Comments\n\n", "") + "".join(f"{t}\n— {a}\n\n" for a, t in _THREE)
    parsed = parse_text(page, roles=True)
    assert any(d.code == "comments-suspected" for d in parsed.diagnostics)
    assert roles_of(parsed)[6] == "comment_suspected"
    # one quotation's attribution in an article is none
    quote = _LEEKS.replace("2 Comments\n\n", "") + "Patience is bitter, but its fruit is sweet.\n— Jean Rousseau\n"
    assert not any(d.code == "comments-suspected" for d in parse_text(quote).diagnostics)


@pytest.mark.parametrize("crumb", ["Home > News > Politics", "Home » Politics", "News / Local / Politics"])
def test_a_breadcrumb_is_navigation_not_the_title(crumb):
    parsed = parse_text(crumb + _STORY, roles=True)
    assert parsed.articles[0].title is None and roles_of(parsed)[1] == "navigation"


def test_a_label_before_a_colon_is_no_commenters_name():
    page = _LEEKS + "Notes: Photo by the author. Background on the leeks.\n\n  1. Lovely leeks, well done you.\n"
    c = parse_text(page, roles=True).articles[0].comments
    assert all(x.author != "Notes" for x in c)


# ---- author-line noise: what a page prints around a commenter's name is not the name ----------------------

@pytest.mark.parametrize("first, second", [
    ("Ann Smith Avatar\nMarch 3, 2015 at 10:14 am", "Bob Lee Avatar\nMarch 4, 2015 at 9:00 am"),  # avatar alt after
    ("avatar Ann Smith\nMarch 3, 2015 at 10:14 am", "avatar Bob Lee\nMarch 4, 2015 at 9:00 am"),  # and before
    ("Ann Smith Avatar Ann Smith says:", "Bob Lee Avatar Bob Lee says:"),                         # alt, then the name
    ("12 Ann Smith\nMarch 3, 2015 at 10:14 am", "3 Bob Lee\nMarch 4, 2015 at 9:00 am"),          # a rank before it
    ("Ann Smith [S] 3 points 2 years ago +3 / -0", "Bob Lee 5 points 2 years ago +5 / -0"),      # Reddit's score line
    ("Ann Smith [S] 3 points ago +3 / -0", "Bob Lee · 5 points · 2 years ago"),                  # and as others print it
    ("Ann Smith\nAnn Smith", "Bob Lee\nBob Lee"),                                               # alt text, then name
    ("Ann Smith's avatar\nAnn Smith", "Bob Lee's avatar\nBob Lee"),                             # 'NAME's avatar' too
    ("Ann Smith [S]\nMarch 3, 2015 at 10:14 am", "Bob Lee [M]\nMarch 4, 2015 at 9:00 am"),       # Reddit's flair
])
def test_furniture_around_a_commenters_name_is_not_part_of_it(first, second):
    page = _LEEKS + f"{first}\n\n{_THREE[0][1]}\n\nReply\n\n{second}\n\n{_THREE[1][1]}\n\nReply\n"
    assert [(c.author, c.text) for c in parse_text(page).articles[0].comments] == _THREE[:2]


def test_a_time_is_no_commenters_name_and_a_lost_name_leaves_said():
    # Blogger prints 'At TIME, NAME said...' and, where the name is lost, 'At TIME, said...' or 'said...' alone
    for first, second in [("At 10:14 pm, said...", "At 11:02 pm, said..."), ("said...", "said..."),
                          ("on March 3, 2015 at 10:14 am said:", "on March 4, 2015 at 9:00 am said:")]:
        page = _LEEKS + f"{first}\n\n{_THREE[0][1]}\n\n{second}\n\n{_THREE[1][1]}\n"
        assert [(c.author, c.text) for c in parse_text(page).articles[0].comments] == [
            (None, _THREE[0][1]), (None, _THREE[1][1])], first


@pytest.mark.parametrize("advert", ["Click to Shop", "Shop Now", "Sponsored", "Learn More"])
def test_an_advert_line_over_a_date_is_no_commenter(advert):
    # alone between two comments, and straight over the next commenter's name
    for gap in ("\n\n", "\n"):
        page = _LEEKS + (f"Ann Smith\nMarch 3, 2015 at 10:14 am\n\n{_THREE[0][1]}\n\n{advert}{gap}"
                         f"Bob Lee\nMarch 4, 2015 at 9:00 am\n\n{_THREE[1][1]}\n")
        parsed = parse_text(page, roles=True)
        assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE[:2]
        assert roles_of(parsed)[12] == "furniture"


def test_forum_post_furniture_is_not_text_or_name():
    page = ("Re: Leeks in clay\n\nThread #12345 Message #2\nAnn Smith\nMarch 3, 2015 at 10:14 am\n\n"
            f"{_THREE[0][1]}\n\nView Single Post\n\nThread #12345 Message #3\nBob Lee\nMarch 4, 2015 at 9:00 am\n\n"
            f"{_THREE[1][1]}\n")
    parsed = parse_text(page, roles=True)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE[:2]
    r = roles_of(parsed)
    assert r[3] in ("comment_meta", "furniture") and r[9] == r[11] == "comment_meta"


# ---- a quotation of another commenter opens a comment's text; it does not start a comment ----------------

@pytest.mark.parametrize("quote", ["Ann Smith said:", "Ann Smith wrote:"])
@pytest.mark.parametrize("shape", ["{a} says:\nMarch {d}, 2015 at 10:14 am\n\n", "{a} said...\n\n"])
def test_a_quoted_commenter_at_the_start_of_a_comment_stays_inside_it(quote, shape):
    page = _LEEKS + shape.format(a="Ann Smith", d=3) + f"{_THREE[0][1]}\n\nReply\n\n" + shape.format(a="Bob Lee", d=4) \
        + f"{quote}\nI grew leeks too.\n\n{_THREE[1][1]}\n\nReply\n"
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Ann Smith", "Bob Lee"]
    assert c[1].text == f"{quote}\nI grew leeks too.\n\n{_THREE[1][1]}"


# ---- comments with no printed name ------------------------------------------------------------------------

def test_unnamed_comments_each_closed_by_its_date_line():
    # the date under each comment's text is what sets them apart, even where a comment has two paragraphs
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "Comments") + (
        f"{texts[0]}\n\nAnd a second paragraph of the same comment.\n\nMarch 4, 2015 at 10:14 am Reply\n\n"
        f"{texts[1]}\n\nMarch 5, 2015 at 10:14 am Reply\n\n{texts[2]}\n\nMarch 6, 2015 at 10:14 am Reply\n")
    parsed = parse_text(page, roles=True)
    c = parsed.articles[0].comments
    assert [(x.author, x.text) for x in c] == [
        (None, f"{texts[0]}\n\nAnd a second paragraph of the same comment."), (None, texts[1]), (None, texts[2])]
    assert not any(x.truncated for x in c) and roles_of(parsed)[11] == "comment_meta"


def test_unnamed_comments_under_a_bulleted_age_line_leave_it_out_of_their_text():
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "3 comments") + "".join(
        f"• {k} years ago\n\n{t}\n\nReply\n\n" for k, t in zip([3, 3, 2], texts))
    assert [(x.author, x.text) for x in parse_text(page).articles[0].comments] == [(None, t) for t in texts]


# ---- titles: a line with evidence that it is the title, else none -----------------------------------------

@pytest.mark.parametrize("head", [
    "Comments » 12",                                                         # the head's link to the comments
    "T O P",                                                                 # a letter-spaced button
    "Which vegetable do you grow most?\nLeeks\nCarrots\nBeans\nVote\nView Results",  # a poll in the sidebar
    "Which vegetable do you grow most?\n( ) Leeks\n( ) Carrots\nVote",
])
def test_furniture_above_the_text_is_no_title(head):
    parsed = parse_text(head + _STORY, roles=True)
    assert parsed.articles[0].title is None
    assert [p.text for p in parsed.articles[0].paragraphs if p.role == "body"] == [_STORY.strip()]


def test_a_title_line_with_the_sites_name_after_a_bar_is_the_title():
    # short enough for links side by side, but the page's first line, a headline, then the site's name
    assert parse_text("Council Raises Tax | Daily Bugle" + _STORY).articles[0].title == "Council Raises Tax | Daily Bugle"
    # printed again as the headline, the headline is the title; links side by side are still navigation
    page = "Council Raises Tax By Four Percent | The Daily Bugle\n\nCouncil Raises Tax By Four Percent" + _STORY
    assert parse_text(page).articles[0].title == "Council Raises Tax By Four Percent"
    assert parse_text("Home | News | Sport" + _STORY).articles[0].title is None


def test_a_title_like_line_in_a_titles_place_is_the_title():
    # over its byline, its date, its first sentence or the comment section
    for under in ("By Jane Doe", "March 3, 2015", "The leeks are up.", "2 Comments"):
        page = "Garden Notes From The Allotment\n\n" + under + _STORY
        assert parse_text(page).articles[0].title == "Garden Notes From The Allotment", under


def test_a_quoted_commenter_inside_a_comments_text_stays_inside_it():
    # every header on the page is 'NAME said...'; 'NAME said:' after a comment's first words quotes another
    page = _LEEKS + ("Ann Smith said...\n\nI grew leeks too.\n\nMarch 4, 2015 at 10:14 AM\n\nBob Lee said...\n\n"
                     "Thanks.\n\nAnn Smith said:\nI grew leeks too.\n\nMine came up in a week.\n\n"
                     "March 5, 2015 at 10:14 AM\n\nCy Young said...\n\nPots work.\n\nMarch 6, 2015 at 10:14 AM\n")
    c = parse_text(page).articles[0].comments
    assert [x.author for x in c] == ["Ann Smith", "Bob Lee", "Cy Young"]
    assert c[1].text == "Thanks.\n\nAnn Smith said:\nI grew leeks too.\n\nMine came up in a week."
    # a page whose own headers are 'NAME said:' reads the same line as the next comment
    page = _LEEKS + "Ann Smith said:\n\nI grew leeks too.\n\nBob Lee said:\n\nThanks.\n\nCy Young said:\n\nPots work.\n"
    assert [x.author for x in parse_text(page).articles[0].comments] == ["Ann Smith", "Bob Lee", "Cy Young"]


def test_a_comments_number_and_date_with_no_name_are_its_header():
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "3 Responses") + "".join(
        f"#{k} March {k + 3}, 2015 at 10:14 am\n{t}\n\n" for k, t in zip([1, 2, 3], texts))
    c = parse_text(page).articles[0].comments
    assert [(x.author, x.number, x.text) for x in c] == [(None, k, t) for k, t in zip([1, 2, 3], texts)]


@pytest.mark.parametrize("head, shape", [
    ("Comments\n\n", "{a}\n{t}\n"),          # the name straight over the text, no blank line anywhere
    ("3 Comments\n\n", "{a}\n{t}\n\n"),      # the name over the text, the count heading gives the number
    ("3 Comments\n\n", "{t}\n{a}\n\n"),      # the name under the text, no dash before it
])
def test_comments_whose_only_header_is_a_name_line(head, shape):
    page = _LEEKS.replace("2 Comments\n\n", "") + head + "".join(shape.format(a=a, t=t) for a, t in _THREE)
    parsed = parse_text(page)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE
    assert not any(c.truncated for c in parsed.articles[0].comments)


def test_a_one_word_last_line_is_no_signature():
    texts = ["I grew leeks too and mine were slow this year.", "Mine came up in a week, no watering at all.",
             "Has anyone tried them in pots on a balcony?"]
    page = _LEEKS.replace("2 Comments", "3 Comments") + "".join(f"{t}\nAgreed\n\n" for t in texts)
    assert all(c.author is None for c in parse_text(page).articles[0].comments)


@pytest.mark.parametrize("closer", ["Reply", "March 4, 2015 at 10:14 am"])
def test_a_count_the_page_does_not_show_does_not_stop_comments_closed_by_their_furniture(closer):
    # '5 comments' over three comments each closed by a Reply or a date line (the others paged or hidden)
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "5 comments") + (
        f"{texts[0]}\n\nAnd a second paragraph.\n\n{closer}\n\n{texts[1]}\n\n{closer}\n\n{texts[2]}\n\n{closer}\n")
    parsed = parse_text(page)
    assert [c.text for c in parsed.articles[0].comments] == [f"{texts[0]}\n\nAnd a second paragraph.", *texts[1:]]
    assert any(d.code == "comment-count" for d in parsed.diagnostics)
    # one run against a count of three is comments run together: left undelimited, with a warning
    page = _LEEKS.replace("2 Comments", "3 comments") + (
        f"{texts[0]}\n\nAnd a second paragraph.\n\n{texts[1]}\n\n{texts[2]}\n\nReply\n")
    parsed = parse_text(page)
    assert not parsed.articles[0].comments and any(d.code == "comments-undelimited" for d in parsed.diagnostics)


def test_a_page_that_opens_with_named_comments_closed_by_reply_has_no_title():
    for gap in ("\n\n", "\n"):
        page = "".join(f"{a}{gap}{t}{gap}Reply{gap}" for a, t in _THREE)
        parsed = parse_text(page)
        assert parsed.articles[0].title is None
        assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE


def test_one_named_comment_under_a_count_of_several_is_read():
    # the page shows the first of twelve comments (the others paged): its name line is its header
    page = _LEEKS.replace("2 Comments", "12 Comments") + f"Ann Smith\n\n{_THREE[0][1]}\n\nReply\n"
    parsed = parse_text(page)
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE[:1]
    assert any(d.code == "comment-count" for d in parsed.diagnostics)


@pytest.mark.parametrize("date", ["domingo, 17 de agosto de 2008", "lundi 3 mars 2015", "Sonntag, 3. März 2015"])
def test_a_localized_blogger_date_header_is_a_dateline_under_which_the_title_stands(date):
    parsed = parse_text(f"Jardín de Mar\n\n{date}\n\nReceta para sonreír" + _STORY, roles=True)
    assert parsed.articles[0].title == "Receta para sonreír" and roles_of(parsed)[3] == "dateline"


@pytest.mark.parametrize("date", ["March 2015", "2015-03-03T10:14:00Z"])
def test_a_month_heading_or_a_time_stamp_over_the_text_is_no_title(date):
    parsed = parse_text(date + _STORY, roles=True)
    assert parsed.articles[0].title is None and roles_of(parsed)[1] == "dateline"


def test_a_comment_shown_alone_under_the_sites_navigation():
    text = "I grew leeks in clay for years and they were fine with compost, and I would do it again."
    page = f"Skip to content\nHome | News | Sport\n\nAnn Smith\nMarch 4, 2015 at 10:14 am\n\n{text}\n"
    parsed = parse_text(page)
    assert parsed.articles[0].title is None
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == [("Ann Smith", text)]


def test_unnamed_comments_under_a_date_line_with_its_permalink():
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "3 Comments") + "".join(
        f"March {k}, 2015 at 10:14 am | Permalink\n\n{t}\n\n" for k, t in zip([4, 5, 6], texts))
    assert [(c.author, c.text) for c in parse_text(page).articles[0].comments] == [(None, t) for t in texts]


@pytest.mark.parametrize("heading", ["Ann Smith", "Comments by Ann Smith"])
def test_a_commenters_name_heading_a_page_of_their_comments_is_no_title(heading):
    page = f"{heading}\n\nAnn Smith says:\nMarch 4, 2015 at 10:14 am\n\n{_THREE[0][1]}\n\nReply\n"
    parsed = parse_text(page, roles=True)
    assert parsed.articles[0].title is None and roles_of(parsed)[1] == "furniture"
    assert [(c.author, c.text) for c in parsed.articles[0].comments] == _THREE[:1]
    # over an article's text, a title naming a commenter stays the title
    page = f"{heading}\n\n{_STORY.strip()}\n\n1 Comment\n\nAnn Smith says:\n\n{_THREE[0][1]}\n"
    assert parse_text(page).articles[0].title == heading


@pytest.mark.parametrize("shape", [
    "{i}{t}\n\n",                                   # blocks under a count heading, depth by indentation
    "{i}{t}\n{i}Reply\n\n",                         # each closed by Reply
    "{i}March 3, 2015 at 10:14 am\n{i}{t}\n\n",     # each under its date line
])
def test_headerless_comments_take_their_parents_from_indentation(shape):
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", "3 Comments") + "".join(
        shape.format(i=" " * ind, t=t) for ind, t in zip([0, 4, 0], texts))
    c = parse_text(page).articles[0].comments
    assert [x.text for x in c] == texts
    assert [x.parent for x in c] == [None, c[0].source_id, None]


def test_a_collapsed_preview_over_the_full_text_is_read_once():
    full = "I grew leeks too and mine were slow this year. The soil was cold until May."
    page = _LEEKS.replace("2 Comments", "1 comment") + (
        f"annsmith\n2 years ago\nI grew leeks too and mine were slow…\n{full}\n\nThey were fine in the end.\n"
        "Link\nReply\n")
    parsed = parse_text(page, roles=True)
    [c] = parsed.articles[0].comments
    assert (c.author, c.text) == ("annsmith", full + "\n\nThey were fine in the end.")
    assert roles_of(parsed)[9] == "comment_meta"  # the preview: kept, tied to the comment, not its text
    # a line that merely starts like the next one is text
    page = _LEEKS.replace("2 Comments", "1 comment") + f"annsmith\n2 years ago\nI grew leeks too\n{full}\n"
    assert parse_text(page).articles[0].comments[0].text == f"I grew leeks too\n{full}"


def test_a_page_ending_on_a_replys_name_and_date_flags_it_cut():
    page = _LEEKS.replace("2 Comments", "2 comments") + (
        "annsmith\n2 years ago\nI grew leeks too and mine were slow this year.\nReply\n\n  boblee\n  1 year ago\n")
    parsed = parse_text(page)
    c = parsed.articles[0].comments
    assert [(x.author, x.text, x.truncated) for x in c] == [
        ("annsmith", "I grew leeks too and mine were slow this year.", False), ("boblee", "", True)]
    assert c[1].parent == c[0].source_id
    assert any(d.code == "truncated" for d in parsed.diagnostics)


@pytest.mark.parametrize("number_line", ["/ #45 Re: Leeks at last", "/ #45", "#45 Re: Leeks at last"])
def test_a_forum_thread_of_posts_under_author_and_post_number_lines(number_line):
    posts = "".join(f"{a}\n{number_line.replace('45', str(45 + k))}\nMarch {k + 3}, 2015, 10:14:22 AM\n\n{t}\n\n"
                    for k, (a, t) in enumerate(_THREE))
    for page in ("Re: Leeks at last\n\n" + posts, _LEEKS.replace("2 Comments", "Comments") + posts):
        parsed = parse_text(page)
        assert [(c.author, c.text, c.number) for c in parsed.articles[0].comments] == [
            (a, t, 45 + k) for k, (a, t) in enumerate(_THREE)]
    # a name over a '#1' that is no post number stays article text
    page = "Top garden shows\n\nChelsea\n#1 in the world for roses\n\nIt is the show everyone goes to.\n"
    assert parse_text(page).articles[0].comments == []


@pytest.mark.parametrize("heading, read", [("Three comments", 3), ("Two thoughts on “Leeks at last”", 0)])
def test_a_count_heading_in_words_delimits_bare_paragraphs(heading, read):
    texts = [t for _, t in _THREE]
    page = _LEEKS.replace("2 Comments", heading) + "".join(f"{t}\n\n" for t in texts)
    parsed = parse_text(page)
    assert [c.text for c in parsed.articles[0].comments] == (texts if read else [])
    if not read:  # three paragraphs under a count of two: not guessed at, warned about
        assert any(d.level == "warning" and "cannot be told apart" in d.message for d in parsed.diagnostics)


def test_a_title_over_its_date_is_no_lone_comment_when_the_comment_heading_names_it():
    page = ("Skip to content\nHome | World | Politics\n\nLeeks At Last\n\nMarch 1, 2016\n\n"
            "The leeks came up at last after three weeks.\n\nShare this:\nTwitter\n\n"
            "2 thoughts on “Leeks At Last”\n\n"
            + "".join(f"{a} says:\nMarch 3, 2016 at 10:14 am\n\n{t}\n\nReply\n\n" for a, t in _THREE[:2]))
    art = parse_text(page).articles[0]
    assert art.title == "Leeks At Last"
    assert [(c.author, c.text) for c in art.comments] == _THREE[:2]
