"""The text-page reader's cheap checks in front of its costly regexes: each rules out only texts the regex
behind it would not match (discourse/readers/textpage.py: ``_DATE_HINT``, ``_any_button_or_count``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from discourse.readers.textpage import _COUNT, _DATE_HINT, _DATE_PART, _REPLY_BUTTON, _any_button_or_count

_PIECES = ["Reply", "REPLY", "reply ↓", "Log in to reply", "LOGIN TO REPLY", "Like", "li\u212ae", "Report",
           "ReplyDelete", "delete", "3 Comments", "Comments (12)", "Responses", "5 комментариев", "Yorumlar",
           "Thoughts on", "a minute ago", "AGO", "3 days ago", "March 3, 2012", "12.03.2015", "today at 5:30",
           "Yesterday, 10:14 am", "марта", "٣", "१२", "said:", " ", "\t", "\u00a0", "  ", "x" * 121]
_LINES = st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=6).map("".join)


def _button_or_count(ln: str) -> bool:
    return _any_button_or_count([ln])


def _button_or_count_as_written(ln: str) -> bool:
    return bool(_REPLY_BUTTON.fullmatch(ln.strip()) or len(ln) <= 120 and _COUNT.fullmatch(ln.strip()))


@settings(max_examples=800, deadline=None)
@given(_LINES)
def test_a_line_is_a_button_or_a_count_as_the_regexes_say(line: str) -> None:
    assert _button_or_count(line) == _button_or_count_as_written(line)


@settings(max_examples=800, deadline=None)
@given(_LINES)
def test_every_date_part_has_the_hint(text: str) -> None:
    if _DATE_PART.search(text):
        assert _DATE_HINT.search(text)


def test_every_code_point_in_buttons_counts_and_dates() -> None:
    # in place of a letter of a button, a count heading and a date, and padded around them: each character
    # whose case is ASCII (the Kelvin sign's is k), each decimal digit, and every 97th code point
    templates = ["{}eply", "repl{}", "lo{} in to reply", "{}ike", "3 comment{}", "comments ({})", "{} days ago",
                 "a minute a{}o", "march {}", "{}2.03.2015", "today at {}:30", "  reply{}  ", "{}" + "x" * 119]
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    chosen = [ch for ch in chars if ch.isdecimal() or (ch.lower() + ch.upper() + ch.casefold()).isascii()]
    for ch in chosen + chars[::97]:
        for template in templates:
            text = template.format(ch)
            assert _button_or_count(text) == _button_or_count_as_written(text), text
            assert not _DATE_PART.search(text) or _DATE_HINT.search(text), text
    assert _button_or_count("  Log in to reply ") and _button_or_count("Comments (12)")
    assert not _button_or_count("Reply to the thread, please") and _DATE_HINT.search("a week AGO")
    assert _any_button_or_count(["a comment", "x" * 130, "   Reply   "]) and not _any_button_or_count(["a", "b"])
    for n in (119, 120, 121):  # a count heading of up to 120 characters, a button padded to any length
        heading, button = "7 thoughts on " + "x" * (n - 14), " " * (n - 5) + "Reply"
        assert _button_or_count(heading) == _button_or_count_as_written(heading) == (n <= 120)
        assert _button_or_count(button) and _button_or_count_as_written(button)
