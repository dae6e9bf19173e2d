"""Comment pages saved as text from any site: an article, then its comments in one of the common layouts.

A page saved from a browser as text keeps the article and, below it, the comment section as the theme
printed it. The layouts this reader knows (``LAYOUTS``), picked from the page's content:

``asbarez``
    numbered comments with ``said:`` headers, bulleted replies (:mod:`discourse.readers.asbarez`).
``said-headers``
    a header line per comment, ``Name said...`` (Blogger), ``At 6:30 AM, Blogger Anne said...``,
    ``Name says:``, ``Name on 12 March 2015 at 10:14 said:``, with or without a list marker.
``name-date``
    a name line with a date (on the same line or the next), then the text, often a ``Reply`` line.
``name-text-date``
    a name line (a membership badge after it is dropped), the text, then a date line of its own; two or
    more such blocks ending the page.
``numbered``
    ``  1. text`` list items, replies as bullets ``•`` indented deeper, no author printed.
``headerless``
    no header at all: text runs closed by ``Reply``/``Like`` lines or by a ``Reply`` link printed on the end
    of their last line, lines or blocks that come to the
    number a heading announces, blocks set apart by two blank lines, or text closed by a signature.
``indented-thread``
    a page that is a comment thread alone, depth carried only by indentation: no line flush left, one
    comment per block, at two or more indents.
``forum``
    a forum thread: each post under a member block (name, title, rank, ``Joined`` and ``Messages`` lines);
    on a page that opens with a post, that post is the article.
``dated-posts``
    a forum thread printed one post per paragraph, each opening with its date and age (``December 2,
    2007 17 yr``, as Invision prints them); on a page that opens with a post, that post is the article.
``single-post``
    a page that is one forum post (a permalink view): it opens with a quotation (``Quote:`` /
    ``Originally Posted by NAME``, or a member name over a quoted passage) or is one bulleted paragraph.
``signed-after``
    each comment's text signed under it, ``Posted by: NAME | DATE`` (Typepad) or ``Posted by: NAME at
    DATE`` (Movable Type), below a comment heading, the comment-feed line or the post's own byline.
``mail-headers``
    posts each opened by mail-style header lines (``Subject: RE: …``, ``From: NAME``, ``Date: …``,
    ``Posted By: NAME``), as Mudcat threads, list archives and forum print views print them; a first post
    whose subject answers no other (no ``RE:``) is the thread's opening post, the article.
``topic``
    a Discourse topic: the title and opening post (the article), then replies with no name or date, each
    set apart by two blank lines or closed by its like count (``2 Likes``); recognised only on a page
    that carries Discourse's furniture (``This topic was automatically closed …``, like counts).
``none``
    no comment section, or an empty or closed one.
``undelimited``
    the page shows a comment section (a count heading, reply furniture) but its comments cannot be told
    apart: a warning names the lines, which are kept aside as ``unrecognised``, never as article text.

A page with no comment read but signs of one (a reader's greeting or praise, a name over words spoken to the
author, a comment shown alone) gets a ``comments-suspected`` warning; the text from the first such sign to
the end of the article is kept aside as ``comment_suspected``, never as article text.

Depth comes from indentation: a comment's parent is the nearest earlier comment printed with a smaller
indent (or named by an ``in reply to`` line). Every non-blank line gets exactly one role (:data:`ROLES`).
Navigation, language switchers, skip links, share buttons, cookie notices, comment counts, comment-form
labels and "comments are closed" notices get roles of their own and stay out of the article and the
comments. The page is decoded line by line, so one bad byte costs one character of one line.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from discourse.errors import InputError
from discourse.readers import asbarez
from discourse.readers.base import (
    ArticleRecord, CommentRecord, Diagnostic, ParsedFile, Reader, ReadOptions, check_file,
    looks_binary,
)

NAME = "text-page"

LAYOUTS = ("asbarez", "said-headers", "name-date", "name-text-date", "numbered", "headerless", "indented-thread",
           "forum", "dated-posts", "single-post", "signed-after", "mail-headers", "topic", "none", "undelimited")

ROLES = ("title", "kicker", "dateline", "caption", "body", "related", "policy", "navigation", "share",
         "cookie", "furniture", "comment_count", "comments_closed", "comment_form", "comment_header",
         "comment_meta", "comment_body", "comment_suspected", "unrecognised")

# ---- decoding: line by line --------------------------------------------------------------------------

_EOL = re.compile(rb"\r\n|\r|\n")


def split_lines(data: bytes) -> list[bytes]:
    """Lines of ``data`` with CR, LF and CRLF ends in any mix; a final line end adds no empty line."""
    lines = _EOL.split(data)
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def decode_lines(raw: list[bytes], path: str, diags: list[Diagnostic]) -> list[str]:
    """Each line as UTF-8. In a file whose other lines show it is UTF-8 (they hold UTF-8 sequences), a bad
    byte becomes one U+FFFD; in a file with no UTF-8 sequence at all (an 8-bit file), a line that is not
    UTF-8 is read as cp1252. Either way a warning names the line, and the other lines are untouched."""
    out: list[str | None] = []
    bad: list[int] = []
    utf8_file = False
    for k, b in enumerate(raw):
        text: str | None
        try:
            text = b.decode("utf-8")
        except UnicodeDecodeError:
            out.append(None)
            bad.append(k)
            continue
        out.append(text)
        utf8_file = utf8_file or not text.isascii()
    for k in bad:
        b = raw[k]
        text = None
        if not utf8_file:
            try:
                text = b.decode("cp1252")
                diags.append(Diagnostic("warning", "not-utf8", path, k + 1,
                                        "line is not UTF-8; read as cp1252 (Windows-1252)",
                                        "check its accented characters, or convert the file to UTF-8"))
            except UnicodeDecodeError:
                text = None
        if text is None:
            text = b.decode("utf-8", "replace")
            n_bad = text.count("\ufffd") - b.decode("utf-8", "ignore").count("\ufffd")
            diags.append(Diagnostic("warning", "bad-bytes", path, k + 1,
                                    f"{n_bad} byte(s) on this line are not UTF-8; each is read as U+FFFD",
                                    "the rest of the line and of the page are read as they are"))
        out[k] = text
    lines = [t or "" for t in out]
    if lines:
        lines[0] = lines[0].removeprefix("\ufeff")
    return lines


def read_lines(path: Path, options: ReadOptions, diags: list[Diagnostic]) -> list[str]:
    check_file(path, options)
    data = path.read_bytes()
    if looks_binary(data):
        raise InputError("binary file, not text", path=path,
                         hint="save the page as text (UTF-8), or pass --format for a supported format")
    raw = split_lines(data)
    longest = max((len(b) for b in raw), default=0)
    if longest > options.max_line:
        at = next(i for i, b in enumerate(raw) if len(b) == longest)
        raise InputError(f"line is {longest:,} bytes, over the {options.max_line:,} limit", path=path,
                         line=at + 1, hint="the file is probably not a comment page; check it, or raise --max-line")
    return decode_lines(raw, str(path), diags)


# ---- what a line is --------------------------------------------------------------------------------

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
          # Russian (genitive, as in '3 марта 2015') and Turkish month names, as localized themes print them
          r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
          r"|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)\.?")
# Spanish, Portuguese, French, German and Italian months and weekdays, as Blogger prints its date headers in them
# ('domingo, 17 de agosto de 2008', 'lundi 3 mars 2015'): read in the day-first form with a year only, and the
# weekdays only where a whole line is a date (a search for a date inside a line finds it without them)
_MONTH_EU = (r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
             r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
             r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
             r"|januar|februar|märz|juni|juli|oktober|dezember"
             r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)\.?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_WEEKDAY_EU = (r"(?:domingo|lunes|martes|miércoles|jueves|viernes|sábado"
               r"|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira"
               r"|dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi"
               r"|sonntag|montag|dienstag|mittwoch|donnerstag|freitag|samstag"
               r"|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica)\.?,?")
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'\d{2})(?:\s*(?:г\.|года))?"


def _date_core(weekday: str) -> str:
    """A date's pattern, with the weekday names it may open with."""
    return (
        rf"(?:{weekday}\s+)?(?:{_MONTH},?\s+{_DAY},?\s+{_YEAR}|{_DAY}\.?\s+(?:de\s+)?(?:{_MONTH}|{_MONTH_EU}),?\s+"
        rf"(?:de\s+)?{_YEAR}|{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH}"
        rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?|\d{{4}}[/.]\d{{1,2}}[/.]\d{{1,2}}"
        rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}}"
        rf"|(?:today|yesterday)(?=,?\s*(?:at|AT|@|-|–|—|\||)\s*\d))"
        rf"(?:,?\s*(?:at|AT|@|-|–|—|\||в|saat|um|à|)\s*{_TIME})?")


_DATE_CORE = _date_core(f"(?:{_WEEKDAY}|{_WEEKDAY_EU})")
_AGO = (r"(?:(?:about\s+|over\s+)?(?:an?|\d+)\s+(?:second|sec|minute|min|hour|hr|day|week|wk|month|mo|year|yr)s?\.?"
        r"|\d{1,3}\s?(?:s|m|min|h|hr|d|w|wk|mo|y|yr)\.?)\s+ago")  # '3 years ago', and Reddit's '1d ago', '2 mo ago'
_DATE = re.compile(rf"(?i)(?:(?:posted|updated|last updated|published|edited):?\s+)?(?:on\s+)?"
                   rf"(?:{_DATE_CORE}|{_TIME}|at\s+{_TIME}|{_AGO}|{_TIME},?\s+{_DATE_CORE}"
                   # a whole line only: a month's archive heading ('March 2015'), a machine's time stamp
                   rf"|{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?"
                   r"(?:Z|[+-]\d{2}:?\d{2})?)\.?")
_DATE_PART = re.compile(rf"(?i)(?:{_date_core(_WEEKDAY)}|{_AGO})")
#: found in every text _DATE_PART is found in (each of its dates has a digit, or ends in "ago"): a cheap
#: search that rules most texts out before _DATE_PART's
_DATE_HINT = re.compile(r"(?i)\d|ago")

_COUNT = re.compile(
    r"(?i)(?:comments?|responses?|replies|discussion|reactions?)\s*\(\d{1,4}\)|"
    r"\(?(?:\d+|\d{1,3}(?:[.,]\d)?k|no|one|two|three|four|five|six|seven|eight|nine|ten)\)?\s+"
    r"(?:comments?|responses?|replies|thoughts?|reactions?|opinions?|answers?)"
    r"(?:\s+(?:on|to|for|so far|sorted by)\b.*)?\s*[:»›]?|comments?\s*\(?\d{1,4}\)?:?|comments?:?|showing \d+ comments?|"
    r"(?:view|show|load|see) (?:all )?\d* ?comments?|reader comments|discussion|conversation|responses:?|"
    # Russian and Turkish count headings: '5 комментариев', 'Комментарии (5)', '5 Yorum', 'Yorumlar'
    r"(?:\d+\s+)?(?:комментари[йяеи]в?|отзыв(?:а|ов)?|ответ(?:а|ов)?|yorum(?:lar)?|cevap)(?:\s*\(\d{1,4}\))?\s*:?|"
    r"(?:\d+\s+(?:thoughts?|responses?) (?:on|to) .{1,200}|(?:thoughts?|responses?) (?:on|to) [“\"‘'«].{1,200})|"
    r"comments?\s*:\s*\d{1,5}|there (?:are|is) \d+ comments?|"
    r"(?:\d+|no|one) comments?\s+(?:add yours|leave a comment|skip to comment form)|(?:show|hide) comments?|"
    r"(?:\d+ )?(?:trackbacks?|pingbacks?)(?:\s*/\s*(?:trackbacks?|pingbacks?))?|have your say|"
    r"join the (?:discussion|conversation)|replies to this (?:discussion|blog post|topic)|"
    r"top comments?:?|comments? for (?:this )?article|discussion about this (?:post|article|story|episode)|"
    r"what readers (?:say|are saying):?|readers' comments|"
    r"(?:feed )?you can follow this conversation by subscribing .*|(?:reader|facebook|disqus) comments?\s*(?:\(\d{1,4}\))?")
_CLOSED = re.compile(
    r"(?i)(?:comments? (?:are|is) (?:now )?(?:closed|disabled|turned off)|commenting (?:on this \w+ )?(?:is|has been) "
    r"(?:now )?closed|comments? (?:for|on) this (?:post|article|entry|story) (?:are|is) closed|"
    r"comments? closed|the comments? section is closed|comments? have been (?:closed|disabled)|"
    r"the comments? to this (?:entry|post|article) (?:are|is) closed|комментарии (?:закрыты|отключены)|"
    r"yorumlar (?:kapalı|kapatıldı|kapatılmıştır)).*")
_FORM = re.compile(
    r"(?i)(?:leave a (?:reply|comment|response)(?: cancel reply)?|cancel reply|post a comment|"
    r"(?:добавить|оставить|написать) (?:комментарий|ответ)|отменить ответ|"
    r"bir (?:yanıt|cevap|yorum) (?:yazın|bırakın)|(?:yanıt|cevap|yorum) (?:yaz|bırak|yap)|yanıtı iptal et|"
    r"add (?:a |your |new )?comment(?:\.\.\.|…)?|"
    r"write a comment|submit (?:a )?comment|post comment|publish|submit|preview|"
    r"your email address will not be published.*|required fields are marked.*|(?:name|email|e-mail|website|"
    r"comment|url|mail)\s*\*?:?|save my name, email,? and website.*|notify me of .*|"
    r"you must be (?:logged|signed) in to post a comment.*|(?:log|sign) ?in to (?:comment|post a comment).*|"
    r"login to comment|start the conversation|be the first to comment.*|comment as:?.*|"
    r"enter your comment.*|this site uses akismet.*|please (?:be civil|keep comments|note that comments).*|"
    r"note: only a member of this blog may post a comment\.?|subscribe to:? post comments.*|"
    r"you are commenting using your .*|to leave a comment, click the button below.*|"
    r"comments? (?:are|is) moderated.*|your comment will be posted after .*|"
    r"fill in your details below or click an icon to log in:?|verify your comment|previewing your comment|"
    r"this is only a preview\..*|your comment (?:could not|has been|has not|is awaiting).*|post another comment|"
    r".*\bletters and numbers you (?:entered|see)\b.*|having trouble reading this image\?.*|your information|"
    r"\(?name and email address are required.*|thanks? (?:you )?(?:so much )?for (?:leaving|taking the time to leave) "
    r"(?:a |your )?comments?\b.*)")
#: the buttons comment systems print, once for every pattern that reads them: each a regex, and where it is
#: read: R in a row of buttons split by bars or dots ('Reply · Share'), S in a row split by spaces ('Reply
#: Report', 'Like (0) Dislike (0)'), A alone on its line as a Reply button, N after a commenter's name ('Ann |
#: Reply'), D after a comment's date ('March 3, 2015 | Permalink')
_BUTTON_TABLE: tuple[tuple[str, str], ...] = (
    ("reply", "RSAND"),
    ("reply with quote|reply to this comment", "S"),
    ("replies", "R"),
    ("like", "RSAN"),
    ("likes", "R"),
    ("liked|dislike", "S"),
    ("unlike", "RS"),
    ("share", "RSN"),
    ("report", "RSAND"),
    ("report this|report comment|report abuse|report this comment|report this abuse", "S"),
    ("flag", "RSND"),
    ("flag as inappropriate", "S"),
    ("edit", "RSD"),
    ("edited", "RD"),
    (r"\(edited\)", "D"),
    ("delete", "RSA"),
    ("permalink", "RSND"),
    ("quote", "SN"),
    ("upvote|downvote", "RS"),
    (r"vote (?:up|down)|thumbs (?:up|down)|\+1|[↪↓↑▲▼]", "S"),
    ("link", "RD"),
    ("thread|parent|expand|collapse|mark as spam|follow post|see translation", "R"),
    ("ответить", "RS"),
    ("ссылка|ветвь(?: дискуссии)?|развернуть", "R"),
    ("yanıtla|cevapla", "S"),
    ("log in to reply|login to reply|reply ?↓|replydelete", "A"),
    (r"#\d+", "D"),
)


def _buttons(where: str) -> str:
    """The alternation of the buttons ``_BUTTON_TABLE`` reads at ``where`` (one of its letters)."""
    return "(?:" + "|".join(b for b, at in _BUTTON_TABLE if where in at) + ")"


_META_TOKEN = (rf"(?:{_buttons('R')}|\d+\s*(?:y|yr|yrs|w|wk|d|h|hr|m|min|mo)|\d+ likes?|{_AGO}|\d+)")
_BUTTON = _buttons("S")
_META = re.compile(
    r"(?i)(?:reply|replies|reply ?↓|↳? ?reply|like|unlike|like reply|reply like|log in to reply|login to reply|"
    r"ответить|yanıtla|cevapla|պատասխանել|antworten|responder|répondre|rispondi|"
    r"\((?:no subject|без темы)\)|"  # LiveJournal's subject line of a comment with none
    r"level \d{1,2}|"  # Reddit's depth line over each comment
    r"delete|reply ?delete|replydelete|add reply|(?:click here to )?reply to (?:this )?(?:message|comment|post)|report|report abuse|"
    r"permalink|link|permalink \| context|expand full comment|collapse|.{1,60}['’]s last blog post\.\..*|"
    r"(?:comment |last )?edited by .*|edit|quote|flag|share|loading\.\.\.|like ?liked by .*|"
    r"liked by \d+ (?:person|people)|liked by [^.!?]{1,60}|vote\s*\(\d+\)|bookmark|restack|exemplary(?:\s*\(\d+\))?|"
    r"(?:permalink|embed|save|unsave|report|reply|share|context|parent|source|edit|delete|link|give award)"
    r"(?:\s+(?:permalink|embed|save|unsave|report|reply|share|context|parent|source|edit|delete|link|give award))+|"
    r"like liked by .*|\d+ likes?|(?:reply|like)(?: [•·|] (?:reply|like|share|report))+|"
    r"(?:reply|like) \d+|in reply to .*|↑|\^|top|recommend|vote up|vote down|\d+ points?|[▲▼↑↓] ?\d*|"
    r"thread #\d+(?:\s+message #\d+)?|message #\d+|view single post|show printable version|"
    rf"(?:answered|asked|edited|posted|updated)(?: on)? (?:{_DATE_CORE}|{_AGO})|"
    rf"{_META_TOKEN}(?:\s*[·•|]\s*{_META_TOKEN})+\s*[›»]?|"
    # buttons printed side by side with spaces only, perhaps with their counts: 'Reply Report', 'Like (0)
    # Dislike (0)', 'Vote Up 0 Vote Down', 'Upvote 3'; at least one word, never numbers alone
    rf"{_BUTTON}(?:\s*\(\d+\)|\s+\d+)?(?:\s+(?:{_BUTTON}|\(\d+\)|\d+))*|\d+ (?:upvotes?|downvotes?|likes?|dislikes?)|"
    r"(?:\d+ )?replies|hide replies|view (?:\d+ )?repl(?:y|ies)|load more comments?|show more replies)")
_NAV = re.compile(
    r"(?i)(?:skip to (?:main )?(?:content|navigation|main)|jump to (?:navigation|content)|go to content|"
    r"içeriğe (?:geç|atla)|ana içeriğe (?:geç|atla)|aller au contenu.*|zum inhalt springen|saltar al contenido|"
    r"перейти к (?:содержимому|содержанию)|home|menu|main menu|search|search for:?|toggle navigation|"
    r"navigation|primary menu|open menu|close menu|close|subscribe|sign in|log ?in|register|"
    r"(?:(?:subscriber|member|customer|user|reader)s?(?:\s*(?:&|and|/)\s*(?:subscriber|member|user)s?)?\s+)"
    r"(?:log ?in|sign ?in|log ?out|sign ?out|area|services)|my account|log ?out|sign (?:up|out)|"
    r"(?:log ?in|sign ?in|sign up|register|subscribe)(?:\s*(?:/|\||or|&)\s*(?:log ?in|sign ?in|sign up|register|"
    r"subscribe|my account))+|"
    r"older posts?|newer posts?|older post newer post home|newer post older post home|<< home|« home|"
    r"previous post:?.*|next post:?.*|« previous|next »|previous|next|back to top|"
    r"page \d+ of \d+|posted by .*|sort by:? ?(?:oldest|newest|top|best|most liked|most recent|relevance|popular)?|"
    r"labels?:.*|categories:.*|filed under:?.*|tags?:.*|tagged:?.*|(?:posted|filed|published) in:? [^.!?]{1,80}|"
    r"(?:about|contact|about us|contact us|privacy policy|terms of use|archives?)(?: ?[|•·] ?.*)?)")
# a language switcher (HY RU EN, En | Fr, Eng | Deu); two title-case words of three letters with no separator
# between them are a name (Bob Lee), not a switcher
_LANG = re.compile(r"(?:[A-Z]{2,3}|[A-Z][a-z])(?:(?:\s*[|/•·]\s*|\s+)(?:[A-Z]{2,3}|[A-Z][a-z])){1,8}|"
                   r"(?:[A-Z]{2,3}|[A-Z][a-z]{1,2})(?:\s*[|/•·]\s*(?:[A-Z]{2,3}|[A-Z][a-z]{1,2})){1,8}")
_CRUMB_SEP = re.compile(r"\s+(?:»|>|›|/|→|::)\s+")
_SEPS = re.compile(r"[|•·/»«›‹>\-–—−+\s]+")
_SHARE = re.compile(
    r"(?i)(?:share(?: this| on| via)?(?: (?:article|post|story))?:?(?: .*)?|tweet|pin it|email this|print(?: this)?|"
    r"facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|tumblr|email|e-mail|"
    r"like this:?|like loading\.\.\.|loading\.\.\.|click to (?:share|email|print).*|share to .*|"
    r"printer[- ]friendly(?: version| page)?(?: .{0,60})?|"
    r"(?:create|download|save as) (?:a )?pdf(?: .{0,40})?|"
    r"(?:facebook|twitter|linkedin|pinterest|whatsapp|telegram|reddit|email|print|tumblr)"
    r"(?:\s*[|•·,]?\s*(?:facebook|twitter|linkedin|pinterest|whatsapp|telegram|reddit|email|print|tumblr|x|share))+)")
_COOKIE = re.compile(
    r"(?i)(?:.*\b(?:we|this (?:web)?site) uses? cookies\b.*|.*\bcookie (?:policy|settings|preferences)\b.*|"
    r"accept(?: all)?(?: cookies)?|reject(?: all)?|manage (?:cookies|preferences|options)|got it!?|i agree|"
    r"by continuing to (?:use|browse) .*cookies.*)")
_CREDIT = re.compile(
    r"(?i)(?:.*\((?:photo|image|picture|credit|source|courtesy)[^)]*\)\.?|(?:photo|image|picture|photograph)s?"
    r"(?: credit)?\s*(?::|by|courtesy|via)\s.*|.*\b(?:photo|image)s?(?: credit)?\s*:\s*\S.*|"
    r"credit\s*:\s*\S.*|.*\((?:AP|AFP|Reuters|EPA|Getty|Getty Images|Shutterstock|File)[^)]{0,60}\)\.?|"
    r".*\b(?:AP Photo|Getty Images|Shutterstock|Reuters/|AFP via|EPA-EFE)\b.*|.*\s(?:photo|image)\s*$|"
    r"©.*|.*\bTASS photo\b.*|photo (?:taken|courtesy|credit)\b.*\bby\b.*|"
    # a short credit line: 'Source: Armenpress', 'Courtesy of …', 'Photo © …', '… Credit: …', 'Illustration: …',
    # and the Russian and Turkish 'Фото:' / 'Fotoğraf:'
    r"(?:source|courtesy of)\s*:?\s+\S.{0,60}|.{0,200}\b(?:photo|image)\s*©.{0,60}|.{0,200}\bcredit\s*:\s*\S.{0,60}|"
    r"(?:illustration|graphic|video)\s*:\s*\S.{0,60}|.{0,200}\b(?:фото|fotoğraf|foto)\s*:\s*\S.{0,60})")
_RELATED = asbarez.RELATED_HEADINGS | {
    "related posts:", "you might also like", "more from this section", "trending", "popular posts", "most read",
    "also read", "see also", "more on this", "more in this category", "you may also be interested in",
}

# a printed name: no sentence punctuation, but a full stop after an initial or a title ('Dr. Ann', 'J. Smith')
_NAME = r"[^\s.!?:;,](?:[^.!?:;]|(?<=\b[A-Z])\.(?=\s)|(?<=\b[A-Z][a-z])\.(?=\s)|(?<=\b[A-Z][a-z]{2})\.(?=\s)){0,60}?"
# the verbs of a 'NAME said:' header, in the languages the pages are printed in
_SAID_VERB = (r"(?:said|says|wrote|writes|dijo|a dit|schrieb|replied|commented|chimed in|responded|added|asked|"
              r"говорит|пишет|написал|написала|ответил|ответила|dedi ki|diyor ki|yazdı)")
_SAID = re.compile(
    r"(?i)(?:at\s+(?P<d1>[^,]{3,40}),\s+(?:blogger\s+)?)?(?P<author>\S.{0,70}?)"
    rf"(?:\s+(?:on|at)\s+(?P<d2>.{{4,60}}?))?\s+{_SAID_VERB}"
    r"(?:\s+(?:on|at)\s+(?P<d3>.{4,60}?))?(?:\s*\.\.\.|\s*…|\s*:)(?:\s*(?:add reply|reply))?\s*")
_SAID_SUFFIX = re.compile(rf"(?i)\s{_SAID_VERB}"
                          r"(?:\s+(?:on|at)\s+.{4,60}?)?(?:\s*\.\.\.|\s*…|\s*:)"
                          r"(?:\s*(?:add reply|reply))?\s*$")
_SIGN = re.compile(
    r"(?i)(?:.{1,60}\b(?:wrote|said|says)\s*:|(?:originally )?posted by:? .*|posted:? .*\d.*|quote:?|originally posted by .*|"
    r"reply #?\d+.*|#\d+|.*\bjoined:?.*|messages:?\s*\d*|posts:?\s*\d*|reaction score:?.*|.*\bmember\b.*|"
    rf".*\b{_AGO}\b.*|.{{0,25}}\b(?:reply|replies|comments|answers|answered|asked)\b.{{0,15}}|in response to:?|reply to:? .*|"
    r"(?:hi|hello|dear|thanks|thank you),? (?!(?:editor|sir|madam|readers?|colleagues|members|friends|all|everyone)\b)"
    r"[A-Z]\w*[,!.]?|.*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)")
_SIGNATURE = re.compile(
    rf"(?i)(?:posted|written|comment(?:ed)?|submitted) by:?\s+(?P<author>[^|,]{{1,60}}?)\s*(?:\||,|\bon\b|\bat\b|-|–)\s*"
    rf"(?P<date>.*(?:\d{{4}}|{_TIME}).*)")
_BADGE = re.compile(r"(?i)\s+(?:premium member|well-known member|new member|senior member|member|moderator|"
                    r"administrator|admin|staff|veteran|ace|verified|author)$")
_BY_POSTED = re.compile(r"(?i)by\s+(?P<author>[^|()]{1,60}?)\s*(?:\([^)]{0,30}\))?(?:\s*-\s*\w+)?\s*\|\s*"
                        r"posted\s+(?P<date>.{4,80}?)(?:\s+in reply to .*)?")
_NOTES = re.compile(r"(?:\s*(?:\d+\.|•)\s+)?\S+ (?:reblogged this from \S+.*|liked this|posted this)")
_SIGN_HINT = re.compile(r"(?i)wrote|said|says|posted|quote|repl|#\d|joined|messages|posts|reaction|member|ago\b|"
                        r"comments|answer|asked|response|\b(?:hi|hello|dear|thanks|thank)\b|\d:\d\d")
# a forum's member block, printed above each post: name, custom title, rank, then label and value lines
_MEMBER_ANCHOR = re.compile(r"(?i)(?:joined|join(?:ed)? date|member since)\s*:?(?:\s+\S.{0,30})?")
_MEMBER_LABEL = re.compile(
    r"(?i)(?:joined|join(?:ed)? date|member since|messages|posts|reaction score|likes(?: received)?|points|trophies|"
    r"solutions|threads|location|gender|age|website|occupation|reputation|thanks|credits|trophy points)"
    r"\s*:?(?:\s+\S.{0,40})?"
    r"|(?i:thanked\s+[\d,]+\s+times?\s+in\s+[\d,]+\s+posts?)")  # vBulletin's thanks counter
_FIELD_LABEL = re.compile(r"[A-Z][\w()'’-]*(?: [A-Z][\w()'’-]*){0,2}:?")

# a post printed as one paragraph that opens with its date and the post's age (Invision: "December 2,
# 200717 yr" is December 2, 2007 and "17 yr")
_DATED_POST = re.compile(rf"(?i)(?:posted\s+)?(?P<date>{_DATE_CORE})\s*\d{{1,3}}\s*(?:yrs?|years?|mo|months?|w|wks?|"
                         r"weeks?|d|days?|h|hrs?|hours?|min|mins|minutes?)\b\s*(?:ago\b)?\s*(?P<text>\S.*)")

# a commenter's profile line under the name (Facebook's comments plugin)
_PROFILE = re.compile(r"(?i)(?:top (?:commenter|fan)|most relevant|(?:works|worked|studied|studies) at .{1,80}|"
                      r"lives in .{1,80}|attended .{1,80}|from .{1,60}|(?:ceo|founder|owner|president) (?:at|of) .{1,80})")
# a post's date and byline on one line: "Posted on July 12, 2015 by gardener"
_BYLINE_DATE = re.compile(rf"(?i)(?:(?:posted|published|written|updated)\s+)?(?:on\s+)?{_DATE_CORE}\s+by\s+\S.{{0,60}}")
# the post's date, then its author after a separator: 'March 3, 2015 / Jane Doe', '3 March 2015 · Jane Doe'
_DATE_THEN_NAME = re.compile(rf"(?i)(?:(?:posted|published|updated)\s+(?:on\s+)?)?{_DATE_CORE}\s*[/|·•–—-]\s*(?:by\s+)?"
                             r"[^\W\d_][\w'’.\- ]{0,40}")
# Simple Machines Forum: "Reply #1 on: Today at 07:16:19 AM" heads each reply; the topic's title is printed
# as "Author Topic: TITLE  (Read 20 times)"
# vBulletin and similar forums: the post's own header and footer lines
_POST_STAMP = re.compile(rf"(?i)(?:old\s+)?(?P<date>{_DATE_CORE})\s+#\d{{1,6}}")  # 'Old 12-29-2012, 12:53 PM   #2'
_POST_STATUS = re.compile(r"(?i)(?P<name>\S.{0,60}?)\s+is\s+(?:offline|online)"
                          r"(?:\s+(?:reply with quote|multi-quote|quote|reply|report(?: post)?|thanks?))*")
_AVATAR_LINE = re.compile(r"(?i)(?P<name>\S.{0,60}?)['’]s\s+(?:avatar|picture|profile picture)")
_POST_VIEW = re.compile(r"(?i)(?:view single post|show printable version|view first unread|view post)")
# Discourse topics saved as text: posts with no name or date, set apart by two blank lines
_TOPIC_CLOSED = re.compile(r"(?i)this topic was (?:automatically )?closed\b.{0,160}")
# a teaser's link to the whole article on a listing page
_READ_MORE = re.compile(r"(?i)(?:keep|continue) reading\b.*|read (?:the )?(?:more|rest|full (?:article|story|post))\b.*|"
                        r"(?:more|full story|full article)\s*(?:»|›|→|>>)")
_LIKES = re.compile(r"(?i)\d[\d,]*\s+likes?")
# a comment count printed on the title's own line: 'Tomatoes at last — 3 Comments', 'Title | 12 comments'
_TITLE_COUNT = re.compile(r"(?i)\s*(?:[—–|:·•]|\s-|\()\s*(?:\d[\d,]*|no|one)\s+(?:comments?|responses?|replies|thoughts)"
                          r"\)?\s*$")
# Typepad and Movable Type sign each comment under its text: 'Posted by: Jane | March 3, 2011 at 10:14 AM' (the
# name, a link, sometimes lost in saving: 'Posted by: | March 3, 2011 at 10:14 AM')
_SIGNED_AFTER = re.compile(rf"(?i)(?:posted|written|comment) by:?\s+(?P<author>[^|]{{0,60}}?)\s*(?:\||\s(?:at|on)\b|,)\s*"
                           rf"(?P<date>(?:{_WEEKDAY}\s+)?(?:{_DATE_CORE}|\d{{4}} \d{{2}} \d{{2}})(?:\s+(?:at\s+)?{_TIME})?)"
                           r"\s*(?:[|•·]\s*(?:reply|permalink|link))?\.?")
# a signature under the comment's text after a dash: '— Mary Smith, March 3, 2015', '-- John | 4 Mar 2015'
_DASH_SIGNED = re.compile(rf"(?i)(?:—|–|--?)\s*(?P<author>{_NAME})\s*(?:\||,|\s(?:at|on)\b)\s*"
                          rf"(?P<date>(?:{_WEEKDAY}\s+)?(?:{_DATE_CORE}|{_AGO})(?:\s+(?:at\s+)?{_TIME})?)\.?")


def _signed_after_match(s: str) -> re.Match[str] | None:
    """A signature line under a comment's text, with the name and the date."""
    return _SIGNED_AFTER.fullmatch(s) or _DASH_SIGNED.fullmatch(s)


# posts under mail-style header lines (Mudcat, list archives, some forum print views): 'Subject: RE: …',
# 'From: NAME', 'Date: …', 'Posted By: NAME'
_MAIL_LABEL = re.compile(r"(?i)(?P<label>subject|from|date|posted by|author|sent|thread name|message)\s*:\s*(?P<value>\S.{0,200})")
# Reddit's score line over a comment: 'name [S] 3 points 2 years ago +3 / -0' (the flair in brackets, the votes)
_SCORE_LINE = re.compile(rf"(?i)(?P<author>[^\s\[\]·•]{{2,40}}(?: [^\s\[\]\d·•][^\s\[\]]{{0,30}}){{0,2}})"
                         r"(?P<flair>(?:\s+\[[A-Z+]{1,3}\])*)(?:\s+[·•])?\s+-?\d[\d,]*\s+points?\b"
                         rf"(?:(?:\s+[·•])?\s+(?P<date>{_AGO}|{_DATE_CORE}|ago))?"
                         r"(?P<votes>\s+\(?\+\d+\s*/\s*[-−]\d+\)?)?")
# Blogger's header with the commenter's name lost: 'At 10:14 PM, said...', 'said...'
_LOST_NAME_SAID = re.compile(r"(?i)(?:(?:at|on)\s+(?P<date>.{3,60}?),?\s+)?(?:said|wrote|says)\s*(?P<tail>\.\.\.|…|:)")
_SMF_REPLY = re.compile(r"(?i)reply #(?P<num>\d{1,5}) on:\s*(?P<date>\S.{3,60})")
_SMF_TITLE = re.compile(r"(?i)(?:author\s+)?topic:\s*(?P<title>\S.*?)\s*\(read \d[\d,]* times\)")
_REPLY_BUTTON = re.compile("(?i)" + _buttons("A"))
_REPLY_BUTTON_LONGEST = len("log in to reply")  # the longest text _REPLY_BUTTON matches
# both regexes ignore case, by a flag at their start
_BUTTON_OR_COUNT = re.compile("(?i)" + "|".join(f"(?:{r.pattern.removeprefix('(?i)')})" for r in (_REPLY_BUTTON, _COUNT)))
# the bullet or bar some comment systems print before a comment's date ("• 3 years ago", Disqus)
_DATE_BULLET = re.compile(r"^[•·|–—-]\s*")
_FUSED_BUTTONS = re.compile(r"(?P<buttons>ReplyDelete|Reply|Delete)(?=[A-Z\"“‘'])(?=.{12})")

# the voice of a reader answering a post: a greeting to a name, praise of "your" photo, thanks for sharing
# whom a greeting in an article or a letter addresses (not a commenter greeting the poster by name)
_ADDRESSEES = ("everyone|all|folks|friends|there|guys|you|everybody|editor|sir|madam|readers?|colleagues|members|"
               "neighbou?rs|mr|mrs|ms|dr|senator|mayor|council\\w*|president|governor")
_GREETING = re.compile(rf"(?:[Hh]i|[Hh]ello|[Hh]ey|[Dd]ear|HI)\s+(?!(?i:{_ADDRESSEES})\b)"
                       r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?\s*[,!.]?(?:\s.*)?")
_PRAISE = re.compile(
    r"(?i)(?:what an? (?:[\w'’]+[ -]){0,3}[\w'’]+!.*|(?:your|this|that) (?:\w+ ){0,2}(?:is|are|looks?) (?:so |very |"
    r"really |just |absolutely )?(?:lovely|beautiful|gorgeous|great|wonderful|amazing|stunning|fabulous|fantastic|"
    r"delightful|adorable|cute|awesome)\b.*|(?:so |very |really )?(?:beautiful|lovely|gorgeous|wonderful|amazing|"
    r"stunning|fabulous|awesome|congratulations|congrats)(?: \w+){0,2}!.*|thanks? (?:you )?(?:so much )?for "
    r"(?:sharing|posting|writing|this|the (?:link|post|tip|recipe|article)s?)\b.*|i['’]m so jealous\b.*|"
    r"(?:great|nice|lovely|wonderful|excellent|fantastic|beautiful|interesting) (?:post|article|piece|read|blog|"
    r"photos?|pictures?|shots?|job|work)\b.*|well said\b.*|congrat(?:ulation)?s\b.*|love (?:this|these|it|your)\b.*)")
# a comment whose "Reply" button printed on the end of its last line
_FUSED_REPLY = re.compile(r".{20,}[.!?)”\"']\s+Reply$")
_COOKIE_HINT = re.compile(r"(?i)cookie|accept|reject|manage|got it|agree")
_CREDIT_HINT = re.compile(r"(?i)photo|image|picture|credit|courtesy|source|\b(?:AP|AFP|EPA|File)\b|reuters|getty|"
                          r"shutterstock|©|tass|illustration|graphic|video|фото|fotoğraf|foto")
_LETTERS = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_HEADING_TITLE = re.compile(r"(?i).*?\b(?:on|to)\s+[“\"‘'](?P<title>.+?)[”\"’']?\s*[:»]?")
_BARE_SAYS = re.compile(r"(?i)(?:said|says|wrote)\s*(?:\.\.\.|…|:)?")
_FOOTER = re.compile(
    r"(?i)(?:related posts plugin.*|powered by \S.*|(?:blogger )?template by .*|(?:wordpress )?theme(?: design)? by .*|"
    r"(?:facebook|disqus) comments? plugin|(?:written & )?designed by .*|sponsored(?: content| links?| posts?)?|advertisement|"
    # a shop's or an advert's button among the comments
    r"click (?:here )?to (?:shop|buy|order|learn more|see (?:more|price|the price|details))|(?:shop|buy|order) now|"
    r"learn more|see (?:the )?(?:price|deal)s?|check (?:the )?price|ads? by \S.{0,40}|sponsored by \S.{0,60}|"
    r"(?:get|sign up for|subscribe to) (?:the |our )?(?:latest |free |daily |weekly )?(?:\S+ )?e?-?newsletters?!?|"
    # WordPress's entry footer: 'This entry was posted in X and tagged Y. Bookmark the permalink.'
    r"(?:(?:this entry was |this was )?(?:posted|filed) (?:in|under) \S.{0,300}?\.\s*)?bookmark the permalink\.?.*|"
    r".*\ball rights reserved\b.*|copyright \S.*|free signature generator|"
    r"you can use these html tags.*|<a href=.*|.*\bcreated \d{4}\. ··· .*|"
    # a blog's comment policy under its comments, a news site's plea to its ad-blocking readers
    r".*\breserves? the right to (?:delete|remove|edit|moderate|refuse) (?:your |any |all )?comments?\b.*|"
    r"(?:all )?comments? (?:are|will be) moderated\b.*|by allowing ads to (?:appear|be shown|display)\b.*|"
    r"(?:please )?(?:disable|turn off|pause) your ad ?-?blocker\b.*)")
_NAME_DATE = re.compile(
    rf"(?i)(?P<author>{_NAME})\s*(?:\s(?:on|at|wrote on|posted on|wrote:?|said:?|says:?|posted:?)\s|\s?[|–—•·,-]\s?|\s)"
    rf"\s*(?P<date>(?:{_DATE_CORE}|{_AGO}))"
    r"(?:\s*(?:[|•·–—-]\s*)?(?:reply|permalink|flag|report|#\d*|\d+))?\s*:?")
# list items: numbers, bullets, and the markers text browsers print for deeper levels ('+', 'o', '#', indented)
_LIST = re.compile(r"(?P<ind>[ ]*)(?:(?P<num>\d{1,5})[.)]|(?P<bul>[" + asbarez.BULLETS + r"*\-–]|(?<=  )[+o#@]))[ \t]+"
                   r"(?P<rest>\S.*)")
_IN_REPLY = re.compile(r"(?i)\s*(?:in reply to|replying to|reply to|@)\s*(?P<name>[^:]{1,60}?)\.?:?\s*$")
#: words a sentence does not end on
_RUNS_ON = frozenset("the a an to of and or but in on at for with is was are were be been have has had that this "
                     "it i my your our their we they he she if so as by from not will would can could should very "
                     "than then when which who because about into".split())
_SHORT_WORDS = frozenset("ok xo xx ya u ur me us go do no up oh hi ha yo ps bc lol x o ye ah eh uh".split())
_CLOSING = set(".!?…\"”’')]}>:*~")
_WORD = re.compile(r"\w+")


#: an avatar image's alt text printed where the commenter's name was: the name is lost
_IMAGE_ALT = frozenset({"avatar", "user avatar", "author avatar", "default avatar", "gravatar", "profile picture",
                        "profile image", "profile photo", "user image", "image", "photo", "picture"})

_NOT_NAMES = frozenset({
    "joined", "messages", "posts", "reaction score", "location", "member", "veteran", "moderator", "admin",
    "threads", "points", "likes", "website", "email", "name", "comment", "reply", "replies", "anonymous said",
    "first name", "vehicle(s)", "trophies", "gender", "age", "status", "offline", "online", "answered", "asked",
    "posted", "updated", "edited", "published", "last updated", "share", "comments", "rendered", "generated",
    "modified", "printed", "retrieved", "accessed", "created", "date", "time",
})


def _name_like(s: str) -> bool:
    """A printed commenter name: short, a few words, not a sentence."""
    if not s or len(s) > 60 or s[-1] in ".!?;:," and not s.endswith("."):
        return False
    words = s.split()
    if not 1 <= len(words) <= 6:
        return False
    if _DATE.fullmatch(s) or _META.fullmatch(s) or _FORM.fullmatch(s) or _COUNT.fullmatch(s):
        return False
    if s.casefold().startswith(("by ", "posted ", "the ", "i ", "and ", "but ", "so ", "if ", "it ", "this ", "as ",
                                "on ", "in ", "at ", "from ", "according ", "after ", "speaking ", "later ",
                                "my ", "our ", "his ", "her ", "he ", "she ", "we ", "they ", "you ", "your ", "then ",
                                "when ", "what ", "who ", "someone ", "everyone ", "somebody ")):
        return False
    if s.casefold() in _NOT_NAMES:
        return False
    return len(words) <= 3 or sum(w[:1].isupper() for w in words) >= len(words) - 1


#: the short function words a title-case headline leaves in lower case
_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with",
                                "from", "as", "is", "vs"})


def _title_case(s: str) -> bool:
    """A headline in title case: three words or more, all but the short function words capitalised."""
    words = [w for w in s.split() if w[:1].isalpha()]
    return len(words) >= 3 and all(w[:1].isupper() or w.casefold() in _TITLE_SMALL_WORDS for w in words) \
        and sum(w[:1].isupper() for w in words) >= 3


def _undoubled(name: str) -> str:
    """A name printed twice over (a display name and the same user name: 'tony a tony a') once."""
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


# an avatar image's alt text printed beside the name: 'Ann Smith Avatar', 'avatar Ann Smith', 'Ann Smith Avatar Ann
# Smith says:'
_AVATAR_WORDS = re.compile(r"(?i)(?:^|\s)(?:(?:user|author|default|commenter)\s+)?(?:avatar|gravatar)"
                           r"(?:\s+(?:image|photo|of|for))?(?=\s|$)")
# a rank, a count or a list number printed before the name: '12 desertflower'
_RANK = re.compile(r"#?\d{1,4}[.)]?\s+(?=[^\W\d_])")
# a commenter's tally after the name: 'Aaron (72 comments)'
_COMMENTER_TALLY = re.compile(r"(?i)\s*\(\d[\d,]* (?:comments?|posts?|replies)\)$")
# Reddit's flair after a name: '[S]' the submitter, '[M]' a moderator, '[A]' an admin
_COMMENTER_FLAIR = re.compile(r"(?:\s+\[[SMA+]\])+$")


_TRAILING_DASH = re.compile(r"\s+[-–—]+$")


def _clean_author(name: str | None) -> str | None:
    """A commenter's name without what the page prints around it: an avatar's alt text before or after it (and
    the name printed twice because of it), a rank or number before it, a tally after it. None when nothing of
    a name is left (the alt text alone, a time: 'At 10:14 pm')."""
    if not name:
        return None
    av = _AVATAR_LINE.fullmatch(name) if len(name) <= 80 else None
    s = " ".join(_AVATAR_WORDS.sub(" ", av["name"] if av else name).split())
    s = _undoubled(_COMMENTER_FLAIR.sub("", _COMMENTER_TALLY.sub("", s)) or s)
    s = _TRAILING_DASH.sub("", s) or s  # 'Mary Smith -' over the date line: the theme's separator
    r = _RANK.match(s)
    if r and _name_like(s[r.end():]):
        s = s[r.end():]
    if not s or s.casefold() in _IMAGE_ALT or s.casefold() in ("on", "at", "by", "in", "from", "the", "a", "an") \
            or _is_date(s) or _furniture_role(s) is not None:
        return None  # no name left: the alt text alone, a preposition ('on' of 'on DATE said:'), a time
    return s


def _norm_space(s: str) -> str:
    return " ".join(s.split())


def _ascii_art(s: str) -> bool:
    """A line drawn with punctuation (a text captcha, a divider): few letters, no digits."""
    return len(s) >= 8 and len(_LETTERS.findall(s)) < 0.3 * len(s.replace(" ", "")) and not _DIGIT.search(s)


def _is_credit(s: str) -> bool:
    """A photo caption by its credit: 'Photo: ...', '(AP Photo/...)', 'Getty Images', '©'."""
    return _CREDIT_HINT.search(s) is not None and _CREDIT.fullmatch(s) is not None


def _is_date(s: str) -> bool:
    return len(s) <= 60 and bool(_DATE.fullmatch(s))


_DATE_TAIL = re.compile(rf"(?i)\s*(?:[|•·]\s*)?{_buttons('D')}(?:\s*[|•·]\s*{_buttons('D')})*\s*$")


def _date_line(s: str) -> bool:
    """A comment's date line: a date, perhaps after a bullet and before its links ('Posted March 3, 2015 at
    9:14 pm | Permalink', '• 3 years ago')."""
    s = _DATE_BULLET.sub("", s)
    if len(s) > 160:
        return False  # a date is at most 60 characters, and no row of buttons after it is 100 long
    return _is_date(s) or bool(_DATE_PART.search(s)) and _is_date(_DATE_TAIL.sub("", s))


def _date_label(rest: str) -> bool:
    """What is left of a line around its date reads as a label, not a headline: at most three words, one
    word only, or a label ('Posted', 'Last updated:', 'By')."""
    words = rest.split()
    return len(words) <= 3 and (len(words) <= 1 or ":" in rest or re.search(
        r"(?i)\b(?:posted|updated|published|last|date|written|by|edited|modified)", rest) is not None)


# a page head's link to the comments, 'Comments » 12'; a button's word printed letter-spaced, 'T O P'
_COMMENTS_LINK = re.compile(r"(?i)(?:comments?|responses?|replies)\s*[»›]\s*\d{1,5}")
_LETTER_SPACED = re.compile(r"[^\W\d_](?: [^\W\d_]){2,}")
# a page's title as the browser's title bar prints it, the site's name after a bar: 'Title | The Daily Bugle'
# (kept whole, as the page prints it)
_TITLE_SITE = re.compile(r"(?P<title>[^|]{12,200}?)\s+\|\s+(?P<site>[^|]{2,60})")
# a poll: its question, its options, then its buttons
_POLL_BUTTON = re.compile(r"(?i)(?:submit |cast (?:your )?)?vote!?|(?:view|see|show) (?:the )?results|results|"
                          r"previous polls|polls? archive")


def _furniture_role(s: str) -> str | None:
    """The role of a page-furniture line wherever it stands, or None."""
    cookie = _COOKIE_HINT.search(s) is not None
    if len(s) > 160:
        return "cookie" if cookie and "cookie" in s.casefold() and _COOKIE.fullmatch(s) else None
    if _NAV.fullmatch(s) or (len(s) <= 40 and _LANG.fullmatch(s)) or not _SEPS.sub("", s) \
            or len(s) <= 40 and _COMMENTS_LINK.fullmatch(s):
        return "navigation"
    if len(s) <= 40 and _LETTER_SPACED.fullmatch(s):
        return "furniture"
    if len(s) <= 80 and "|" in s and all(1 <= len(p.split()) <= 4 for p in s.split("|")):
        return "navigation"
    if len(s) <= 300 and s.count("|") >= 2 and not _DATE_PART.search(s) and all(1 <= len(p.split()) <= 12 and p.strip()[-1:] not in ".!?,;:"
                                                    for p in s.split("|")):
        return "navigation"  # links side by side: 'View all 9 entries tagged X | View entries at Y | ...'
    crumbs = _CRUMB_SEP.split(s) if len(s) <= 200 else []
    if (len(crumbs) >= 3 or len(crumbs) == 2 and crumbs[0].strip().casefold() in ("home", "start", "main")) and all(
            1 <= len(c.split()) <= 8 and c.strip()[-1:] not in ".!?,;:" for c in crumbs):
        return "navigation"  # a breadcrumb: 'Home » News » Politics'
    if s.casefold().rstrip(":") in ("tags", "labels", "categories", "topics", "filed under", "related topics"):
        return "navigation"  # the heading of a post's tag list
    if len(s) <= 120 and _SHARE.fullmatch(s):
        return "share"
    if _FOOTER.fullmatch(s) or _NOTES.fullmatch(s):
        return "furniture"
    if _ascii_art(s):
        return "furniture"  # a captcha, a divider
    if cookie and _COOKIE.fullmatch(s):
        return "cookie"
    return None


def _ends_closed(s: str) -> bool:
    """Whether a line ends as a finished sentence, a smiley or a sign-off (not with a comma, dash or word)."""
    s = s.rstrip()
    if not s:
        return True
    ch = s[-1]
    if re.search(r"(?:--+|~|—|–)\s*[A-Z][\w .]{0,30}$", s):
        return True  # a signature: ----Margaret
    if re.search(r"(?:^|\s)[:;=8][-'^]?[()\[\]DPpO/\\|*]$", s):
        return True  # a smiley: ':(', ';-)', ':/', ':P'
    if ch in ",;-–—(&/+=":
        return False
    return ch in _CLOSING or not ch.isalnum() or s.endswith(("xx", "xo", "XX", "XO"))


# ---- the parse -------------------------------------------------------------------------------------

@dataclass
class _Header:
    line: int
    col: int
    author: str | None
    number: int | None
    lines: int = 1  # lines the header takes (a name line and its date line)
    inline: str | None = None  # the comment's first text line, printed on the header line
    date: str | None = None
    kind: str = "said-headers"
    byline: bool = False  # the name came after 'By' / 'Submitted by': a post's byline has the same shape
    colon: bool = False  # 'NAME: text', the comment on the header's line


# a header's name after 'By', 'Submitted by', 'Comment by' or '@', and a status after it ('(not verified)');
# 'Posted by' is left to the signature and mail-header rules (Typepad signs comments under their text with it)
_BY_PREFIX = re.compile(r"(?i)(?:(?:permalink\s+)?(?:submitted|comment|reply|replied)\s+by:?|by:?|@)\s*(?=\S)")
_NAME_STATUS = re.compile(r"(?i)\s*\((?:not verified|unverified|guest|verified|anonymous|registered)\)")
# a name run together with the date after it, the space between them lost in the saving: 'Julie DFebruary 6, 2017'
_NAME_GLUED_DATE = re.compile(
    rf"(?P<author>[^\W\d_][^\d.!?:;,|]{{0,40}}?[^\W\d_])(?P<date>(?:January|February|March|April|May|June|July|August|"
    rf"September|October|November|December)\s+{_DAY},?\s+\d{{4}}(?:,?\s*(?:at\s+)?{_TIME})?)")
# a user name run together with the comment's age: 'the_mia1mo ago' (a user name holds no space)
_NAME_GLUED_AGO = re.compile(r"(?P<author>[^\W\d][\w.\-]{1,30}?)"
                             r"(?P<date>[1-9]\d{0,2}\s?(?:mo|min|hr|wk|yr|[smhdwy])s?\.?\s+ago)")
# a signature after a dash under a comment's text: '— Ann', '-- Bob Lee'
_DASH_NAME = re.compile(r"(?:—|–|--?|~)\s*(?P<author>[^\W\d_][\w'’.\- ]{0,40}?[\w.])")
# a comment on one line after its commenter's name and a colon: 'Ann Smith: I grew leeks too.'
# (two or three capitalised words, or a user name with a digit, an underscore or a lower-case start: a single
# capitalised word before a colon is a label, 'Notes:', 'Update:')
_NAME_COLON = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,2}|(?=[\w.\-]*[\d_]|[a-z])[\w.\-]{2,30})"
                         r":\s+(?P<text>\S.*)")
_NOT_COLON_NAMES = frozenset(
    "note update edit edited source sources ps p.s re quote tags tag posted photo image update: editor's note "
    "warning spoiler tl;dr tldr answer question q a summary example correction disclaimer addendum update2 "
    "from to subject date sent cc bcc link links via reply comment comments reason why how what".split())
# a page that shows one comment above a form about it, and the form's own lines under the comment
_FORM_PAGE_HEAD = re.compile(r"(?i)(?:report|flag)(?: inappropriate| this| a)? comments?|add (?:a |new )?comment|"
                             r"reply to (?:this )?comment|post (?:a )?reply")
_FORM_PAGE_STOP = re.compile(r"(?i)from:\s.*|in reply to:?.*|plain text|filtered html|full html|"
                             r"please (?:explain|describe|tell us|select|choose|enter)\b.*|reason:?.*|"
                             r"(?:your )?(?:name|e-?mail|comment|message|subject)\s*\*?:?")
# a commenter's name with a tag after a dash or a bar: 'Marcy Fralick -- Staples Class of 1970'
_NAME_TAG = re.compile(r"(?P<name>[^\W\d_][^.!?:;,|]{0,40}?)\s+(?:--|—|–|\|)\s+(?P<tag>[^.!?:;]{1,50}[^\W_])")
# the heading of a page that holds a post's comments alone: 'Comments: TITLE', 'Comments on “TITLE”'
_COMMENTS_PAGE = re.compile(r"(?i)comments?\s*(?::|\s+on\s)\s*[“\"‘']?(?P<title>[^\W_].{0,200}?)[”\"’']?")
_NAME_PAREN_DATE = re.compile(rf"(?i)(?P<author>{_NAME})\s*\(\s*(?P<date>(?:{_DATE_CORE}|{_AGO}))\s*\)\s*:?")
# a comment's number alone on its line ('1.', '12)'), with a hash before it ('#12'), and before a header's text
# a vote count alone on its line: '12', '-3', '1.2k' (Reddit front-ends abbreviate thousands)
_VOTES = re.compile(r"[-−]?\d{1,5}|\d{1,3}(?:[.,]\d)?[kK]")
_NUMBER_WORDS = {w: k for k, w in enumerate("no one two three four five six seven eight nine ten".split())}
# a commenter's badge on a line of its own between the name and the date
_BADGE_LINE = re.compile(r"(?i)(?:post )?author|op|mod|moderator|admin|staff|(?:paid |founding )?subscriber|"
                         r"founding member|verified")
_REPLIES_BUTTON = re.compile(r"(?i)(?:view |show |see )?(?:all )?\d{1,4}(?: more)? repl(?:y|ies)(?: by .{1,60})?")
_POST_NUMBER_LINE = re.compile(r"(?i)/\s*#(?P<num>\d{1,6})(?:\s+\S.*)?|#(?P<num2>\d{1,6})(?:\s+(?:re|subject)\s*:.*)?")
_BARE_NUMBER = re.compile(r"\d{1,5}[.)]?")
_HASH_NUMBER = re.compile(r"#?\d{1,5}[.)]?")
_HASH_PREFIX = re.compile(r"#(\d{1,5})\s+(?=\S)")
# a report-a-comment page's heading
_REPORT_COMMENT = re.compile(r"(?i)(?:report|flag) (?:inappropriate |this )?comments?\b")
# Reddit's depth line over each comment
_LEVEL = re.compile(r"(?i)level (\d{1,2})")
# a post's byline with its links: 'Posted by Anne at 09:12 AM in Knitting | Permalink | Comments (3)'
_POSTED_BY_PERMALINK = re.compile(r"(?i)posted by\b.*\|\s*permalink\b.*")
# a name line that ends on an initial: 'Ann B.'
_INITIAL_END = re.compile(r"\s[A-Z]\.$")
# a byline or a date at a line's start: 'By Jane Doe | March 3, 2015'
_BYLINE_OR_DATE_START = re.compile(r"(?i)(?:by|posted|published|written|updated)\b|" + _DATE_CORE)
# a byline's or a date label's start under a title: 'By Jane', 'Posted on', 'Last Updated: May 18, 2014By'
_BYLINE_LABEL = re.compile(r"(?i)(?:by|posted|published|written|updated|last updated|date)\b")
# a byline's start: 'By ', 'Posted by ', 'Written by '
_BYLINE_START = re.compile(r"(?i)(?:by|posted by|written by)\s")


@dataclass
class _Post:
    """A forum post: its member name line, the member block under it, and its text lines."""
    name: int
    block: list[int]
    end: int  # first line after the post
    cut: bool = False  # the page ends inside the member block


def _unnamed(first: int, last: int, order: int) -> CommentRecord:
    """An empty record for a comment with no header (no author, number or parent) whose text starts on the
    0-based line ``first``; ``last`` is the line its record ends on until its body is read."""
    return CommentRecord(source_id=f"L{first + 1}", parent=None, author=None, text="", number=None,
                         line_start=first + 1, line_end=last + 1, order=order, native_id=False)


@dataclass
class _Open:
    record: CommentRecord
    col: int
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])
    header: _Header | None = None  # the header it was read under (None for a comment read without one)
    shape: str = ""  # the header's shape on the page: see _header_shape

    @property
    def kind(self) -> str:
        return self.header.kind if self.header is not None else ""


def _header_shape(lines: list[str], h: _Header) -> str:
    """A header's shape, to tell a page's own headers from a quotation's attribution inside a comment: its kind,
    its number of lines and the last word of its line ('says:', 'said...', 'wrote:')."""
    words = lines[h.line].split()
    return f"{h.kind}/{h.lines}/{words[-1].casefold() if words else ''}"


def _indent(line: str) -> tuple[int, str]:
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)].replace("\t", "  ")
    return len(lead), lead + stripped


def _handle_over_text(name: str, lines: list[str], j: int) -> bool:
    """A list item that is one lower-case user name ('  1. chris', '• drunkenninja') over a paragraph of
    prose indented deeper, as comment plugins print a commenter's handle over the comment."""
    if " " in name or not re.fullmatch(r"[\w.\-]{2,30}", name) or _furniture_role(name) is not None:
        return False
    col = _indent(lines[j])[0]
    words = 0
    k = j
    while k < len(lines) and (not lines[k].strip() or _indent(lines[k])[0] >= col):
        words += len(lines[k].split())
        k += 1
        if words >= 15:
            return True
    return False


def _header_at(lines: list[str], i: int, strict: bool,
               cache: dict[tuple[int, bool], _Header | None] | None = None) -> _Header | None:
    """A comment header starting at line ``i``, or None. ``strict`` refuses the shapes that also occur in
    article text (name-and-date lines, bare list items) unless a comment section is known to be open.
    ``cache`` holds the answers already found for the same ``lines`` (a page asks about one line many times:
    finding its comment section, reading the comments, telling widgets and quotations from headers); the
    header returned is the caller's own copy."""
    if cache is None:
        return _find_header(lines, i, strict, None)
    key = (i, strict)
    if key not in cache:
        cache[key] = _find_header(lines, i, strict, cache)
    h = cache[key]
    return dataclasses.replace(h) if h is not None else None


def _find_header(lines: list[str], i: int, strict: bool,
                 cache: dict[tuple[int, bool], _Header | None] | None) -> _Header | None:
    """``_header_at`` without its cache."""
    width, ln = _indent(lines[i])
    s = ln.strip()
    if not s or _NOTES.fullmatch(s):
        return None  # a Tumblr note ("1. x reblogged this from y") is no comment
    col, number, rest = width, None, s
    m = _LIST.fullmatch(ln)
    if len(s) > 400:
        return _Header(i, col if not m else len(m["ind"]) + len(m["num"] or "") - (1 if m["num"] else 0), None,
                       int(m["num"]) if m and m["num"] else None, inline=m["rest"].strip(), kind="numbered") \
            if m and not strict else None
    if not m and not strict and width > 0 and _BARE_NUMBER.fullmatch(s) \
            and not any(lines[k].strip() for k in range(i + 1, len(lines))):
        # the page ends on an indented item's number, cut off before its text ('    1' under a comment)
        return _Header(i, width + len(s.rstrip(".)")) - 1, None, int(s.rstrip(".)")), kind="numbered")
    if m:
        rest = m["rest"].strip()
        col = len(m["ind"]) + (len(m["num"]) - 1 if m["num"] else 0)
        number = int(m["num"]) if m["num"] else None
    toggle = re.match(r"\[[–−+-]\]\s*(?=\S)", rest)
    if toggle and len(rest) <= 160:
        rest = rest[toggle.end():]  # old Reddit's collapse toggle before the name: '[–]name 3 points 2 years ago'
    hashed = _HASH_PREFIX.match(rest)
    if hashed and number is None and len(rest) <= 160:
        number, rest = int(hashed[1]), rest[hashed.end():]  # '#12 Name on March 3, 2015': the comment's number
        if _date_line(rest):
            return _Header(i, col, None, number, date=rest, kind="name-date")  # '#12 March 3, 2015': no name
    smf = _SMF_REPLY.fullmatch(rest)
    if smf:
        return _Header(i, col, None, int(smf["num"]), date=smf["date"])
    lost = _LOST_NAME_SAID.fullmatch(rest) if len(rest) <= 60 else None
    if lost and (not strict or m or lost["tail"] != ":") and (lost["date"] is None or _is_date(lost["date"])):
        return _Header(i, col, None, number, date=lost["date"])  # the name lost, the 'said...' left
    score = _SCORE_LINE.fullmatch(rest) if len(rest) <= 160 else None
    if score and (not strict or score["flair"] or score["date"] or score["votes"]) \
            and _name_like(score["author"]) and _furniture_role(score["author"]) is None:
        date = score["date"] if score["date"] and score["date"].casefold() != "ago" else None
        return _Header(i, col, score["author"], number, date=date, kind="name-date")
    if _SAID_SUFFIX.search(rest):
        h = _SAID.fullmatch(rest)
        if h:
            author = _undoubled(h["author"].strip())  # "Anonymous Anonymous said...": the avatar's alt, then the name
            if author.casefold().startswith("blogger "):
                author = author[8:].strip()
            if _name_like(author) or (m and len(author) <= 60 and len(author.split()) <= 8):
                date = h["d1"] or h["d2"] or h["d3"]
                if date and not _DATE_PART.search(date) and not re.search(r"\d", date):
                    pass
                else:
                    return _Header(i, col, author, number, date=date)
    if m and _BARE_SAYS.fullmatch(rest):
        return _Header(i, col, None, number)
    nd = _NAME_DATE.fullmatch(rest) if len(rest) <= 160 else None
    if nd is None and len(rest) <= 100:
        # 'Mike GriffithFebruary 5, 2017', 'the_mia1mo ago': the space between them lost
        nd = _NAME_GLUED_DATE.fullmatch(rest) or _NAME_GLUED_AGO.fullmatch(rest)
    by_prefix = _BY_PREFIX.match(rest) if len(rest) <= 160 else None
    if len(rest) <= 160 and (by_prefix or _NAME_STATUS.search(rest) or "(" in rest) \
            and not _BY_POSTED.fullmatch(rest):
        # 'By Mary on March 3, 2015', 'Submitted by Mary (not verified) on Tue, 03/03/2015 - 12:34',
        # '@mary 3 years ago', 'Mary Smith (March 3, 2015):'
        bare = _NAME_STATUS.sub("", rest[by_prefix.end():] if by_prefix else rest)
        nd2 = _NAME_DATE.fullmatch(bare) or _NAME_PAREN_DATE.fullmatch(bare)
        if bare != rest and nd2 and _name_like(_undoubled(nd2["author"].strip())) and not _is_date(bare):
            return _Header(i, col, _undoubled(nd2["author"].strip()), number, date=nd2["date"], kind="name-date",
                           byline=by_prefix is not None)
        pd = _NAME_PAREN_DATE.fullmatch(rest)
        if pd and _name_like(pd["author"].strip()):
            return _Header(i, col, pd["author"].strip(), number, date=pd["date"], kind="name-date")
    if nd and _name_like(_undoubled(nd["author"].strip())) and not _is_date(rest):
        said = re.search(r"(?i)\s(?:wrote|said|says|posted):?\s", rest[:len(nd["author"]) + 12])
        return _Header(i, col, _BADGE.sub("", _undoubled(nd["author"].strip())), number, date=nd["date"],
                       kind="said-headers" if said else "name-date")
    # a name line followed by a date line (a separator line such as "·", the permalink, or a badge such as
    # Substack's 'Author', between them)
    j = i + 1
    if j < len(lines) and len(rest) <= 60 and len(rest.split()) <= 4 and m is None and _name_like(rest) \
            and rest[-1:] not in ".!?:;," and not _is_date(rest) and _furniture_role(rest) is None \
            and len(lines[j].strip()) <= 220 and (pn := _POST_NUMBER_LINE.fullmatch(lines[j].strip())):
        # a forum post's author line over its number and subject ('/ #45 Re: Subject'), perhaps a date under them
        k = next((k for k in range(j + 1, len(lines)) if lines[k].strip()), None)
        num = int(pn["num"] or pn["num2"])
        if k is not None and k - j <= 2 and _date_line(lines[k].strip()):
            return _Header(i, col, rest, num, lines=k - i + 1, date=lines[k].strip(), kind="forum")
        return _Header(i, col, rest, num, lines=2, kind="forum")
    while j < len(lines) and not lines[j].strip():
        j += 1
    gap = 2
    if j < len(lines) and j - i <= 2 and (not _SEPS.sub("", lines[j]) or lines[j].strip().casefold() in (
            "link", "permalink") or _BADGE_LINE.fullmatch(lines[j].strip())) and j + 1 < len(lines) \
            and _is_date(lines[j + 1].strip()):
        j, gap = j + 1, 3
    if not strict and m is None and j == i + 1 < len(lines) and lines[j].strip() == rest and len(rest.split()) <= 4 \
            and _name_like(rest) and rest[-1:] not in ".!?:;," and _furniture_role(rest) is None:
        # the name printed twice, on two lines (an avatar's alt text, then the name), perhaps a date line under it
        k = next((k for k in range(j + 1, len(lines)) if lines[k].strip()), None)
        if k is not None and k - j <= 2 and _date_line(lines[k].strip()):
            return _Header(i, col, rest, number, lines=k - i + 1, date=lines[k].strip(), kind="name-date")
        if k is not None and len(lines[k].split()) >= 3 and _header_at(lines, k, True, cache) is None:
            return _Header(i, col, rest, number, lines=2, kind="name-date")
    if j < len(lines) and j - i <= gap and _name_like(rest) and not rest.endswith(".") \
            and _date_line(lines[j].strip()) and not _is_date(rest) and _furniture_role(rest) is None:
        return _Header(i, col, rest, number, lines=j - i + 1, date=lines[j].strip(), kind="name-date")
    if m and m["bul"] and " " not in rest and len(rest) <= 60 and _name_like(rest):
        # a bulleted handle over a column of one-word buttons and counts, then the date (Lemmy: 'link',
        # 'fedilink', 'English', 'arrow-up', '2', '·', '1 year ago')
        k = i + 1
        while k < len(lines) and k - i <= 9 and lines[k].strip() and len(lines[k].strip()) <= 20 \
                and len(lines[k].split()) <= 3 and not _date_line(lines[k].strip()):
            k += 1
        if 2 < k - i <= 9 and k < len(lines) and lines[k].strip() and _date_line(lines[k].strip()):
            return _Header(i, col, rest, number, lines=k - i + 1, date=lines[k].strip(), kind="name-date")
    if m and len(rest.split()) <= 3 and rest[-1:].isalnum() and rest[:1].isalnum() and _name_like(rest) and \
            j >= len(lines) and not strict and (len(rest.split()) == 1 or all(
                w[:1].isupper() or not w[:1].isalpha() for w in rest.split())):
        return _Header(i, col, rest, number, kind="said-headers")  # the page ends at this header
    if m and len(rest.split()) <= 3 and rest[-1:].isalnum() and rest[:1].isalnum() and j < len(lines) and \
            _indent(lines[j])[0] > width + 1 and _name_like(rest) and (
                not strict or all(w[:1].isupper() or not w[:1].isalpha() for w in rest.split())
                or _is_date(lines[j].strip()) or _handle_over_text(rest, lines, j)):
        return _Header(i, col, rest, number, kind="said-headers")
    tagged = _NAME_TAG.fullmatch(rest) if m and len(rest) <= 100 else None
    if tagged and j < len(lines) and _indent(lines[j])[0] > width + 1 and len(tagged["name"].split()) <= 4 \
            and _name_like(tagged["name"]) and all(w[:1].isupper() or not w[:1].isalpha()
                                                   for w in tagged["name"].split()):
        # a name with a tag after a dash or bar ('Marcy Fralick -- Class of 1970'), over the text indented deeper
        return _Header(i, col, rest, number, kind="said-headers")
    av = _AVATAR_LINE.fullmatch(rest) if len(rest) <= 80 else None
    if av and j < len(lines) and j - i <= 2 and lines[j].strip() == av["name"].strip() and _name_like(lines[j].strip()):
        # the picture, then the name under it (then perhaps the date): one header
        k = next((k for k in range(j + 1, len(lines)) if lines[k].strip()), None)
        if k is not None and k - j <= 2 and _date_line(lines[k].strip()):
            return _Header(i, col, lines[j].strip(), number, lines=k - i + 1, date=lines[k].strip(), kind="name-date")
        return _Header(i, col, lines[j].strip(), number, lines=j - i + 1, kind="name-date")
    if av and j < len(lines) and _header_at(lines, j, strict, cache) is not None:
        return None  # the picture over the comment's own header: furniture
    if av and _name_like(av["name"].strip()):
        # Drupal and forum themes print the commenter's picture over the comment: 'NAME's picture'
        return _Header(i, col, av["name"].strip(), number, kind="name-date")
    by = _BY_POSTED.fullmatch(rest)
    if by:
        return _Header(i, col, by["author"].strip(), number, date=by["date"], kind="name-date")
    if not strict and len(rest) <= 100 and j < len(lines) and len(lines[j].split()) >= 4 \
            and (marked := _marked_name(rest, isolated=(i == 0 or not lines[i - 1].strip()) and j > i + 1)):
        # in an open comment section, a name line marked as a commenter's over text: 'Posted by NAME', 'NAME
        # (verified)', 'NAME | Reply', 'NAME Top Commenter', and, set apart by blank lines, 'NAME from PLACE'
        author, date = marked
        if _header_at(lines, j, True, cache) is None:
            return _Header(i, col, author, number, date=date, kind="said-headers")
    colon = _NAME_COLON.fullmatch(rest) if not strict and m is None and len(rest) <= 2000 else None
    if colon and colon["name"].casefold() not in _NOT_COLON_NAMES and _name_like(colon["name"]) \
            and len(colon["text"].split()) >= 3:
        # 'Ann Smith: text' - a comment printed on one line after its commenter's name
        return _Header(i, col, colon["name"], number, inline=colon["text"], kind="said-headers", colon=True)
    number_alone = not strict and m is None and _HASH_NUMBER.fullmatch(rest) is not None
    if number_alone and j + 1 < len(lines) \
            and len(lines[j].split()) <= 4 and _name_like(lines[j].strip()) and lines[j].strip()[-1:] not in ".!?:;," \
            and (k2 := next((k for k in range(j + 1, len(lines)) if lines[k].strip()), None)) is not None \
            and len(lines[k2].split()) >= 3 and _header_at(lines, j, True, cache) is None:
        # a comment's number alone on its line, the commenter's name under it, then the text
        return _Header(i, min(width, _indent(lines[k2])[0]), lines[j].strip(), int(rest.strip("#.)")),
                       lines=j - i + 1, kind="said-headers")
    if number_alone and j < len(lines) \
            and len(lines[j].split()) >= 3 and _LIST.fullmatch(_indent(lines[j])[1]) is None \
            and _header_at(lines, j, True, cache) is None:
        # a comment's number alone on its line ('  1.', '#12'), its text under it: no name printed
        return _Header(i, min(width, _indent(lines[j])[0]), None, int(rest.strip("#.)")), kind="numbered")
    if m and not strict:
        return _Header(i, col, None, number, inline=rest, kind="numbered")
    return None


# what marks a name line as a commenter's: a prefix, a status, reply furniture or a badge after it
_POSTED_BY_NAME = re.compile(rf"(?i)(?:posted|written|comment(?:ed)?) by:?\s+(?P<author>{_NAME})"
                             rf"(?:\s+(?:on|at)\s+(?P<date>(?:{_WEEKDAY}\s+)?(?:{_DATE_CORE}|{_AGO})))?")
_REPLY_TAIL = re.compile(rf"(?i)\s*[|•·]\s*{_buttons('N')}(?:\s*[|•·]\s*{_buttons('N')})*\s*$")
_COMMENTER_BADGE = re.compile(r"(?i)\s+(?:top commenter|top fan|verified(?: (?:buyer|reader|purchase|commenter))?|"
                              r"subscriber|supporter|patron|contributor|community member|original poster|op)$")
_FROM_PLACE = re.compile(r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})(?:\s+(?:from|in)\s+|,\s+)"
                         r"(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})")


def _marked_name(s: str, isolated: bool) -> tuple[str, str | None] | None:
    """The commenter's name, and a date when one is printed, from a name line a mark sets apart as a
    comment's header; None for any other line. A name from a place is kept as printed (it is how the
    commenter signs), and only on a line set apart by blank lines."""
    m = _POSTED_BY_NAME.fullmatch(s)
    if m and _name_like(m["author"].strip()):
        return m["author"].strip(), m["date"]
    for mark in (_NAME_STATUS, _REPLY_TAIL, _COMMENTER_BADGE):
        found = mark.search(s)
        if found and found.end() == len(s) and found.start() > 0:
            name = s[:found.start()].strip()
            if _name_like(name) and len(name.split()) <= 4 and name[-1:] not in ".!?,:;":
                return name, None
    if isolated and _FROM_PLACE.fullmatch(s) and len(s.split()) <= 6:
        return s, None
    return None


def parse_lines(lines: list[str], path: str, *, title_hint: str | None = None, roles: bool = False,
                diags: list[Diagnostic] | None = None) -> ParsedFile:
    """Read a page already split into lines and decoded."""
    diags = [] if diags is None else diags
    if asbarez_layout(lines):
        return parse_asbarez_lines(lines, path, title_hint=title_hint, roles=roles, diags=diags)
    return _Page(lines, path, diags).parse(title_hint, roles)


def asbarez_layout(lines: list[str]) -> bool:
    """Whether a page is in the Asbarez layout: indented numbered ``Name said:`` headers with no date in
    them, no Reply buttons and no count heading on the page. WordPress's ``3 Responses to ...`` /
    ``  1. Name on March 3, 2012 at 10:14 am said:`` / ``Reply`` is read by this module's own rules."""
    heads = [m for ln in lines if ln.rstrip().endswith("said:") and (m := asbarez._HEADER.fullmatch(_indent(ln)[1]))]
    return any(m["num"] and m["ind"] for m in heads) \
        and not any(_DATE_HINT.search(m["author"]) and _DATE_PART.search(m["author"]) for m in heads) \
        and not _any_button_or_count(lines)


def _any_button_or_count(lines: list[str]) -> bool:
    """Whether a line is a Reply button (``_REPLY_BUTTON``) or, at most 120 characters long, a count heading
    (``_COUNT``), once stripped. Lines of at most 120 characters are tried against both at once
    (``_BUTTON_OR_COUNT``: a whole text matches either regex or their alternation alike); a longer line can
    only be a button, which is at most ``_REPLY_BUTTON_LONGEST`` characters (the regex matches one character
    per character of its words, even ignoring case)."""
    for ln in lines:
        if len(ln) <= 120:
            if _BUTTON_OR_COUNT.fullmatch(ln.strip()):
                return True
        elif len(s := ln.strip()) <= _REPLY_BUTTON_LONGEST and _REPLY_BUTTON.fullmatch(s):
            return True
    return False


def head_furniture(s: str) -> str | None:
    """The role of a line above a page's title that is not the title: navigation, a date, a section label."""
    r = _furniture_role(s)
    if r is not None:
        return r
    if _is_date(s):
        return "dateline"
    if len(s.split()) == 1 and (s.islower() or len(s) <= 3):
        return "kicker"
    return None


def furniture_anywhere(s: str) -> str | None:
    """The role of a furniture line found inside a comment section, or None."""
    if len(s) > 300:
        return _furniture_role(s)
    return _furniture_role(s) or ("comment_form" if _FORM.fullmatch(s) else None) or (
        "comment_count" if _COUNT.fullmatch(s) else None) or (
        "comments_closed" if _CLOSED.fullmatch(s) else None) or ("comment_meta" if _META.fullmatch(s) else None)


def cut_text(text: str) -> bool:
    """Text that stops mid-sentence: its last line has no closing punctuation and either runs on (five
    words or more) or is the comment's only line; a short last line under others is a sign-off."""
    lines = text.rstrip().split("\n")
    last = lines[-1].strip()
    if not last or _ends_closed(last):
        return False
    words = _WORD.findall(last)
    if len(words) >= 2 and (words[-1].casefold() in _RUNS_ON or len(words[-1]) <= 2 and words[-1].islower()
                            and words[-1] not in _SHORT_WORDS):
        return True  # a short last line that stops on "the", "to", "and" or inside a word ("a si")
    return len(words) >= 5 or len([ln for ln in lines if ln.strip()]) == 1


def _forum_furniture(j: int, t: str) -> str | None:
    """The role of a short line inside a forum post that is not its text: navigation, share buttons,
    forms, notices, and reply furniture other than an "Edit" or "Quote" button (kept as text there)."""
    r = furniture_anywhere(t) if len(t) <= 80 else None
    if r in ("navigation", "share", "furniture", "cookie", "comment_form", "comments_closed") or (
            r == "comment_meta" and t.casefold() not in ("edit", "quote")):
        return r
    return None


def _first_item_aligned(lines: list[str]) -> list[str]:
    """The page's lines, its first line indented to the column of the list it opens: a page saved from
    inside a numbered list prints the first item flush left ('1. text'), the items after it indented ('  2.
    text'), which numbers them on from it. Other pages are returned as they are."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return lines
    m = _LIST.fullmatch(lines[first])
    if not m or not m["num"] or m["ind"]:
        return lines
    num = int(m["num"])
    cols = []
    for ln in lines[first + 1:]:
        g = _LIST.fullmatch(_indent(ln)[1]) if ln.strip() else None
        if g and g["num"]:
            cols.append((len(g["ind"]), int(g["num"])))
    if not cols:
        return lines
    top = min(c for c, _ in cols)
    if top == 0 or next(k for c, k in cols if c == top) != num + 1:
        return lines
    out = list(lines)
    out[first] = " " * top + lines[first]
    return out


class _Page:
    def __init__(self, lines: list[str], path: str, diags: list[Diagnostic]) -> None:
        self.orig = lines  # the lines as read, for the roles table and the diagnostics
        self.lines = _first_item_aligned(lines)
        self.path = path
        self.diags = diags
        self.n = len(lines)
        self.role: list[str | None] = [None] * self.n
        self.ref: list[str | None] = [None] * self.n
        self.article = ArticleRecord(title=None)
        self.layout = "none"
        self.list_section = False
        self.heading_title: str | None = None
        self.signatures = False
        self.untitled = False  # the page opens with a post: no line of it is a title
        self._announced: int | None = None
        self._headers: dict[tuple[int, bool], _Header | None] = {}  # _header_at's answers for this page

    def _header(self, i: int, strict: bool) -> _Header | None:
        """The comment header at line ``i`` (``_header_at`` on this page's lines, each line asked once)."""
        return _header_at(self.lines, i, strict, self._headers)

    # -- the comment section ------------------------------------------------------------------------
    def _section_start(self) -> tuple[int, bool]:
        """First line of the comment section, and whether it is announced (heading, form, notice)."""
        lines = self.lines
        # the first line of eight words or more, and of fourteen or more (prose above a line, or none)
        first8 = next((k for k, ln in enumerate(lines) if len(ln.split()) >= 8), self.n)
        first14 = next((k for k, ln in enumerate(lines) if len(ln.split()) >= 14), self.n)
        for i, ln in enumerate(lines):
            s = ln.strip()
            if not s:
                continue
            bare = _LIST.fullmatch(_indent(ln)[1])
            count = len(s) <= 120 and _COUNT.fullmatch(s) is not None
            if count and self._count_in_post_head(i):
                self.role[i] = "comment_count"  # the post's '3 Comments' link under its title, above its text
                continue
            if len(s) <= 120 and (count or _CLOSED.fullmatch(s) or bare and re.fullmatch(
                    r"(?i)no comments?\.?", bare["rest"].strip())):
                return i, True
            if len(s) <= 120 and _FORM.fullmatch(s) and self._count_in_post_head(i):
                self.role[i] = "comment_form"  # the post's 'Leave a comment' link under its title, above its text
                continue
            if len(s) <= 200 and _FORM.fullmatch(s) and not re.fullmatch(
                    r"(?i)(name|email|e-mail|website|comment|url|mail|publish|submit|preview)\s*\*?:?", s):
                return i, True
            h = self._header(i, True)
            if h is not None and h.kind == "said-headers" and not self._said_confirmed(h):
                continue  # 'Putin said:' over a quotation in a news story
            if h is not None and h.kind != "name-date":
                return i, False
            if h is not None and self._posts_byline(h, bool(bare), first8, first14):
                continue
            if h is not None and h.kind == "name-date" and h.lines > 1 and not h.byline and h.author \
                    and all(not lines[k].strip() or _furniture_role(lines[k].strip()) is not None for k in range(i)) \
                    and len(h.author.split()) <= 4 \
                    and all(w[:1].isupper() for w in h.author.split()) and (nxt := next(
                        (k for k in range(i + h.lines, self.n) if lines[k].strip()), None)) is not None \
                    and len(lines[nxt].split()) >= 8 and not self._heading_names(h.author):
                return i, False  # a comment shown alone: the page opens on its name and date, its text under them
            if h is not None and (bare or self._reply_follows(h)) and self._text_follows(h):
                return i, False
        # a numbered list that ends the page: comments printed as a list with no heading
        run = self._final_numbered_run()
        if run is not None:
            self.list_section = True
            return run, False
        return self.n, False

    def _heading_names(self, s: str) -> bool:
        """Whether a comment heading on the page names ``s`` as the post's title ('6 thoughts on “S”'): the
        line is the title, not a commenter's name."""
        want = _norm_space(s).casefold()
        for ln in self.lines:
            t = ln.strip()
            if len(t) <= 240 and _COUNT.fullmatch(t) and (m := _HEADING_TITLE.fullmatch(t)) \
                    and _norm_space(m["title"]).casefold() == want:
                return True
        return False

    def _posts_byline(self, h: _Header, bare: bool, first8: int, first14: int) -> bool:
        """Whether a comment header's shape at the top of the page is the post's own byline or date header, above
        its first line of prose (``first8`` and ``first14``: the first lines of eight and fourteen words or
        more): a blog's name over the post's date over its title (Blogger's date header); 'By NAME on DATE'; or,
        under the title, the author's name over the date line."""
        i, lines = h.line, self.lines
        if h.lines > 1 and first8 >= i and self._title_under(i + h.lines):
            return True
        if first14 < i:
            return False
        return h.byline or h.lines > 1 and not bare and any(
            lines[k].strip() and _furniture_role(lines[k].strip()) is None and not _is_date(lines[k].strip())
            for k in range(i))

    def _comments_page_heading(self) -> int | None:
        """The first line of a page that holds a post's comments alone (Movable Type's comment pages): 'Comments:
        TITLE' or 'Comments on TITLE' heads it, and TITLE is the post's; the line, or None. It sets
        ``heading_title``."""
        first = next((i for i in range(self.n) if self.lines[i].strip()), None)
        if first is None or len(self.lines[first]) > 240:
            return None
        m = _COMMENTS_PAGE.fullmatch(self.lines[first].strip())
        if m is None or re.fullmatch(r"(?i)(?:this|the|our) (?:article|post|story|entry|rules?|policy)|policy|rules|"
                                     r"\d.*|(?:are|is) .*|closed", m["title"]):
            return None
        self.heading_title = self.heading_title or m["title"].strip()
        self.role[first] = self.role[first] or "comment_count"
        return first

    def _count_in_post_head(self, i: int) -> bool:
        """Whether a comment count at line ``i`` is the post's link to its comments, printed in its head: no
        prose above it, a paragraph of prose (not a header, not a list item) next, and either the post's date
        or byline just above it or a count heading, a closed notice, a comment form or a comment header further
        down."""
        lines = self.lines
        if any(len(lines[k].split()) >= 14 for k in range(i)) or not any(
                lines[k].strip() and _furniture_role(lines[k].strip()) is None for k in range(i)):
            return False  # prose above it, or no title above it (a page that opens with its comment section)
        nxt = next((k for k in range(i + 1, self.n) if lines[k].strip() and _furniture_role(lines[k].strip()) is None
                    and not _is_date(lines[k].strip())), None)
        if nxt is None or len(lines[nxt].split()) < 14 or _LIST.fullmatch(_indent(lines[nxt])[1]) \
                or self._header(nxt, False) is not None:
            return False
        prev = next((k for k in range(i - 1, -1, -1) if lines[k].strip()), None)
        if prev is not None and len(lines[prev]) <= 120 and (_is_date(lines[prev].strip()) or _BYLINE_DATE.fullmatch(
                lines[prev].strip()) or re.match(r"(?i)(?:by|posted|written)\b", lines[prev].strip())):
            return True  # under the post's date or byline
        return any(lines[k].strip() and len(lines[k]) <= 120 and (_COUNT.fullmatch(lines[k].strip()) or _CLOSED.fullmatch(
            lines[k].strip()) or _FORM.fullmatch(lines[k].strip()) and len(lines[k].strip()) > 12 or (
            (g := self._header(k, True)) is not None and g.kind != "name-date")) for k in range(nxt + 1, self.n))

    def _title_under(self, j: int) -> bool:
        """Whether the first line from ``j`` that is not furniture is a title over prose: a short line with no sentence
        end, then, within 40 lines, a paragraph of 14 words or more."""
        lines = self.lines
        k = next((k for k in range(j, self.n) if lines[k].strip() and _furniture_role(lines[k].strip()) is None), None)
        if k is None:
            return False
        t = lines[k].strip()
        return len(t.split()) <= 12 and t[-1:] not in ".!?:," and any(
            len(lines[m].split()) >= 14 for m in range(k + 1, min(self.n, k + 40)))

    def _final_numbered_run(self) -> int | None:
        """First line of the last numbered list on the page when it reads as comments: indented items
        numbered 1, 2, 3 ..., nothing after it but deeper-indented continuation lines and furniture, and
        no heading ending in ':' (Ingredients:, Steps:) just above it."""
        lines = self.lines
        items: list[tuple[int, int, int, str]] = []  # line, number, column, text
        for i, ln in enumerate(lines):
            if not ln.strip():
                continue
            m = _LIST.fullmatch(_indent(ln)[1])
            if m and m["num"] and m["ind"]:
                items.append((i, int(m["num"]), len(m["ind"]), m["rest"]))
        if not items:
            return None
        # the earliest item numbered 1 from which the items at its column count 1, 2, 3 ... to the end,
        # deeper items (replies, numbered afresh) between them
        run = None
        for k in range(len(items) - 1, -1, -1):
            if items[k][1] != 1:
                continue
            col = items[k][2]
            rest = items[k:]
            if any(c < col for _, _, c, _ in rest):
                continue  # a reply numbered afresh under a comment the list goes on after
            top = [num for _, num, c, _ in rest if c == col]
            if top == list(range(1, len(top) + 1)) or all(a < b for a, b in zip(top, top[1:])):
                run = rest  # numbered 1, 2, 3 ..., or on from 1 with gaps (comments deleted or held back)
        col = items[0][2]
        top = [num for _, num, c, _ in items if c == col]
        if run is None and items[0][1] > 1 and all(c >= col for _, _, c, _ in items) \
                and top == list(range(top[0], top[0] + len(top))) \
                and not any(_LIST.fullmatch(_indent(ln)[1]) for ln in lines[:items[0][0]] if ln.strip()):
            run = items  # the page's only list, numbered on from comments shown on another page
        if run is None:
            return None
        col = run[0][2]
        if sum(len(t) for *_, t in run) / len(run) < 25:
            return None
        # a listing page's teasers: items that close with a link to the whole article ('Continue reading')
        tops_at = [i for i, _, c, _ in run if c == col] + [self.n]
        teasers = sum(any(len(lines[j]) <= 200 and _READ_MORE.fullmatch(lines[j].strip()) for j in range(a, b))
                      for a, b in zip(tops_at, tops_at[1:]))
        if 2 * teasers >= len(tops_at) - 1:
            return None
        first, last = run[0][0], run[-1][0]
        after = [j for j in range(last + 1, self.n) if lines[j].strip()]
        tail = [j for j in after if _indent(lines[j])[0] <= col]
        loose = [j for j in tail if furniture_anywhere(lines[j].strip()) is None
                 and lines[j].strip().casefold().rstrip(":") not in _RELATED]
        if len(loose) > 2 or any(len(lines[j].split()) > 12 for j in loose):
            return None
        above = [j for j in range(first) if lines[j].strip()]
        if above and lines[above[-1]].rstrip().endswith(":") and not _COUNT.fullmatch(lines[above[-1]].strip()):
            return None
        if above and not _COUNT.fullmatch(lines[above[-1]].strip()):
            head = lines[above[-1]].strip()
            if len(head.split()) <= 6 and head[-1:].isalnum() and any(len(lines[j].split()) >= 14 for j in above[:-1]):
                return None  # a subheading of the article over its own list ('What we learned')
            # with no heading, comments speak: to the author or as themselves ('you', 'I', 'my', '!', '?')
            tops = [k for k, (_, _, c, _) in enumerate(run) if c == col]
            texts = []
            for n_, k in enumerate(tops):  # each item's text with the lines under it, up to the next item
                end = run[tops[n_ + 1]][0] if n_ + 1 < len(tops) else self.n
                texts.append(" ".join(lines[j] for j in range(run[k][0], end)))
            voiced = [t for t in texts if re.search(
                r"(?i)\b(?:i|i['’]m|i['’]ve|i['’]d|me|my|we|our|us|you|your|you['’]re)\b|[!?]", t)]
            # or they are a thread: set apart from the text by two blank lines or more, with replies numbered
            # afresh one level deeper under them
            apart = first >= 2 and not lines[first - 1].strip() and not lines[first - 2].strip()
            replies = any(c > col and num == 1 and k > 0 and run[k - 1][2] == col
                          for k, (_, num, c, _) in enumerate(run))
            if 2 * len(voiced) < len(texts) and not (apart and replies):
                return None
        return first

    # -- forum threads: a member block above each post ------------------------------------------------
    def _member_group(self, anchor: int) -> tuple[int, int] | None:
        """The member block around a ``Joined`` line: its first line and the line after it, when a second
        label (Messages, Posts, Reaction score ...) follows within the block."""
        lines = self.lines

        def short(k: int, words: int = 6) -> bool:
            t = lines[k].strip()
            return bool(t) and len(t) <= 60 and len(t.split()) <= words and t[-1:] not in ".!?,;"

        top = anchor
        while top > 0 and short(top - 1) and anchor - top < 6:
            top -= 1
        k, labels = anchor + 1, 1
        while k < self.n and lines[k].strip():
            t = lines[k].strip()
            if _MEMBER_LABEL.fullmatch(t) and len(t) <= 50:
                labels += 1
                k += 1 if " " in t.rstrip(":") and ":" in t else 2 if k + 1 < self.n and short(k + 1) else 1
                continue
            if _FIELD_LABEL.fullmatch(t) and k + 1 < self.n and short(k + 1) and labels >= 2:
                k += 2  # a site's own profile field (First Name, Vehicle(s)) and its value
                continue
            if _is_date(t) or re.fullmatch(r"[\d,.]+", t):
                k += 1  # the value under a label
                continue
            break
        return (top, k) if labels >= 2 else None

    def _member_blocks(self) -> list[_Post]:
        """Forum posts each under a member block (XenForo, vBulletin and the like print the member's name,
        title, rank, join date and message count above each post), when the page has one or more."""
        lines, n = self.lines, self.n
        groups: list[tuple[int, int]] = []
        for i, ln in enumerate(lines):
            t = ln.strip()
            if t and _MEMBER_ANCHOR.fullmatch(t) and not (groups and i < groups[-1][1]):
                g = self._member_group(i)
                if g is not None:
                    groups.append(g)
        posts: list[_Post] = []
        for top, after in groups:
            above = [k for k in range(top) if lines[k].strip()]
            name = top
            if above and above[-1] < top - 1 and _name_like(lines[above[-1]].strip()) and (
                    len(above) == 1 or above[-2] < above[-1] - 1 or posts and above[-2] < posts[-1].end):
                name = above[-1]  # the member's name, a blank line above the title and rank
            if posts:
                posts[-1].end = name
            posts.append(_Post(name, [k for k in range(name + 1, after) if lines[k].strip()], n))
        if not posts:
            return []
        # a page that ends inside the next member block: a name, then the first lines of a block
        ranks = {lines[k].strip() for p in posts for k in p.block}
        last = posts[-1]
        text = [k for k in range(last.block[-1] + 1 if last.block else last.name + 1, n) if lines[k].strip()]
        for at in range(max(1, len(text) - 5), len(text) - 1):
            head, rest = text[at], text[at + 1:]
            if not lines[head - 1].strip() and rest[0] > head + 1 and _name_like(lines[head].strip()) \
                    and all(len(lines[k].split()) <= 3 for k in rest) \
                    and any(r.startswith(lines[k].strip()) for k in rest for r in ranks):
                last.end = head
                posts.append(_Post(head, rest, n, cut=True))
                break
        return posts

    def _forum_start(self, posts: list[_Post]) -> int:
        """Where the comments start on a forum page: at the first post under a thread title; on a page
        that opens with a post (no title above it), that post is the thread's opening post, the article."""
        first = posts[0]
        above = [k for k in range(first.name) if self.lines[k].strip()]
        if above or len(posts) == 1:
            if len(above) == 1 and len(self.lines[above[0]].split()) <= 20:
                self.heading_title = self.lines[above[0]].strip()  # the thread's title, alone above the posts
            return first.name
        for k in [first.name] + first.block:
            self.role[k] = "furniture"
        self.untitled = True
        return posts[1].name

    def _post_author(self, p: _Post) -> str | None:
        """A forum post's author. The member's name line, unless the block names the member
        otherwise: an avatar line ('<member>'s Avatar') or the footer under the text ('<member> is
        offline'), as vBulletin prints a post shown alone, where the line above the block is the view's
        own heading ('View Single Post') or the post's stamp ('Old <date> #2')."""
        lines = self.lines
        for k in [p.name] + p.block:
            m = _AVATAR_LINE.fullmatch(lines[k].strip())
            if m:
                return m["name"].strip()
        for k in range(p.end - 1, (p.block[-1] if p.block else p.name), -1):
            t = lines[k].strip()
            if t:
                m = _POST_STATUS.fullmatch(t) if len(t) <= 120 else None
                if m:
                    return m["name"].strip()
                break
        name = lines[p.name].strip()
        if _POST_VIEW.fullmatch(name) or _POST_STAMP.fullmatch(name) or _is_date(name):
            return None
        return _BADGE.sub("", name)

    def _read_forum(self, posts: list[_Post], start: int) -> None:
        lines, role, ref = self.lines, self.role, self.ref
        out: list[CommentRecord] = []
        for p in posts:
            if p.name < start:
                continue
            rec = CommentRecord(source_id=f"L{p.name + 1}", parent=None, author=self._post_author(p),
                                text="", number=None, line_start=p.name + 1, line_end=p.name + 1, order=len(out),
                                native_id=False)
            c = _Open(rec, -1)
            role[p.name], ref[p.name] = "comment_header", rec.source_id
            for k in p.block:
                role[k], ref[k] = "comment_meta", rec.source_id
            for k in [p.name] + p.block:
                if _POST_VIEW.fullmatch(lines[k].strip()):
                    role[k], ref[k] = "navigation", None
            body_from = (p.block[-1] if p.block else p.name) + 1

            def furniture(j: int, t: str) -> str | None:
                if len(t) <= 120 and _POST_STATUS.fullmatch(t):
                    return "comment_meta"  # the post's footer: '<member> is offline   Reply With Quote'
                return _forum_furniture(j, t)

            self._body(c, range(body_from, p.end), furniture)
            self._close(c)
            out.append(rec)
            if p.cut:
                rec.truncated = self.article.truncated = True
                self.diags.append(Diagnostic("warning", "truncated", self.path, p.name + 1,
                                             f"page ends inside the member block of a post by {rec.author!r}; its "
                                             "text is missing, flagged possibly truncated", "save the complete page"))
        self.article.comments = out
        self.layout = "forum"
        self._announced = None
        self._flag_cut(out)

    def _dated_posts(self) -> list[int]:
        """Lines that each open a forum post with its date and age, when two or more do and the page ends
        in them (a thread printed one post per paragraph with no names)."""
        lines = self.lines
        heads = [i for i, ln in enumerate(lines) if ln.strip() and len(ln) <= 20000 and _DATED_POST.fullmatch(ln.strip())]
        if len(heads) < 2:
            return []
        after = [i for i in range(heads[0], self.n) if lines[i].strip() and i not in heads]
        if any(furniture_anywhere(lines[i].strip()) is None and _indent(lines[i])[0] == 0 and
               len(lines[i].split()) > 12 for i in after):
            return []  # other prose between or after them: not a thread
        return heads

    def _read_dated(self, heads: list[int], title_hint: str | None) -> int:
        """Posts that open with their date and age: the first is the thread's opening post (the article)
        when nothing but furniture stands above it; each post runs to the next."""
        lines, role, ref = self.lines, self.role, self.ref
        above = [i for i in range(heads[0]) if lines[i].strip() and _furniture_role(lines[i].strip()) is None]
        if not above:
            self.untitled = True
            heads = heads[1:]
        start = heads[0]
        self._read_article(start, title_hint)
        out: list[CommentRecord] = []
        for k, h in enumerate(heads):
            end = heads[k + 1] if k + 1 < len(heads) else self.n
            m = _DATED_POST.fullmatch(lines[h].strip())
            assert m is not None
            rec = _unnamed(h, h, len(out))
            c = _Open(rec, -1)
            c.paragraphs[-1].append(m["text"].strip())
            role[h], ref[h] = "comment_header", rec.source_id  # the date, and the post's first words
            self._body(c, range(h + 1, end), lambda j, t: furniture_anywhere(t))
            self._close(c)
            out.append(rec)
        self.article.comments = out
        self.layout = "dated-posts"
        self._flag_cut(out)
        return start

    def _mail_posts(self) -> list[list[int]]:
        """Posts each opened by a run of mail-style header lines, two or more of 'Subject:', 'From:' (or
        'Posted By:', 'Author:'), 'Date:', one of them naming the poster (Mudcat threads, list archives,
        forum print views). Each run's header lines, in page order; [] when the page has none."""
        lines, n = self.lines, self.n
        runs: list[list[int]] = []
        i = 0
        while i < n:
            run: list[int] = []
            k = i
            while k < n and lines[k].strip() and len(lines[k]) <= 300 and (
                    _MAIL_LABEL.fullmatch(lines[k].strip()) or run and k + 1 < n and len(lines[k].strip()) <= 40
                    and _DIGIT.search(lines[k]) and _MAIL_LABEL.fullmatch(lines[k + 1].strip())):
                run.append(k)  # a label line, or an unlabelled date between two ('28-Mar-03 - 11:00 PM')
                k += 1
            if len(run) >= 2:
                labels = {m["label"].casefold() for j in run if (m := _MAIL_LABEL.fullmatch(lines[j].strip()))}
                if labels & {"from", "posted by", "author"} and labels & {"subject", "date", "sent", "thread name"}:
                    runs.append(run)
            i = k + 1 if k > i else i + 1
        return runs

    def _read_mail(self, runs: list[list[int]], title_hint: str | None) -> int:
        """Read posts under mail-style headers. The first post is the thread's opening post (the article)
        when its subject does not answer another ('RE:') and nothing but a title stands above it."""
        lines, role, ref = self.lines, self.role, self.ref

        def field(run: list[int], *names: str) -> str | None:
            for j in run:
                m = _MAIL_LABEL.fullmatch(lines[j].strip())
                if m and m["label"].casefold() in names:
                    return m["value"].strip()
            return None

        first = runs[0]
        subject = field(first, "subject") or ""
        above = [i for i in range(first[0]) if lines[i].strip()]
        opening = not re.match(r"(?i)re\s*:", subject) and len(above) <= 3
        start = runs[1][0] if opening and len(runs) > 1 else first[0]
        if opening and len(runs) == 1:
            start = self.n
        if opening:
            for j in first:
                m = _MAIL_LABEL.fullmatch(lines[j].strip())
                role[j] = "furniture" if m and m["label"].casefold() not in ("date", "sent") else "dateline"
            if subject:
                # the thread's title is the opening post's subject, printed again above it or not
                self.untitled = True
                self.heading_title = subject
                for i in above:
                    if asbarez._fold(lines[i]).endswith(asbarez._fold(subject)):
                        role[i] = "title"
        elif subject and not above:
            self.untitled = True
        self._read_article(start, title_hint)
        out: list[CommentRecord] = []
        todo = [r for r in runs if r[0] >= start]
        for k, run in enumerate(todo):
            end = todo[k + 1][0] if k + 1 < len(todo) else self.n
            rec = CommentRecord(source_id=f"L{run[0] + 1}", parent=None,
                                author=field(run, "from", "posted by", "author"), text="", number=None,
                                line_start=run[0] + 1, line_end=run[-1] + 1, order=len(out), native_id=False)
            for j in run:
                role[j], ref[j] = "comment_header", rec.source_id
            c = _Open(rec, -1)
            self._body(c, range(run[-1] + 1, end), _forum_furniture)
            self._close(c)
            out.append(rec)
        self.article.comments = out
        self.layout = "mail-headers"
        self._flag_cut(out)
        return start

    def _topic_posts(self) -> list[list[int]]:
        """A Discourse topic saved as text: the title and the opening post, then the replies, each set apart
        by two blank lines (one blank line parts a post's paragraphs) or closed by its like count ('1
        Like'), no name or date printed; the page carries Discourse's own furniture (the 'This topic was
        automatically closed' notice, like counts). Each post's lines, the opening post first; [] when the
        page is not one."""
        lines, n = self.lines, self.n
        closing = {i for i in range(n) if len(lines[i]) <= 300 and _TOPIC_CLOSED.fullmatch(lines[i].strip())}
        likes = {i for i in range(n) if len(lines[i]) <= 30 and _LIKES.fullmatch(lines[i].strip())}
        if not closing and not likes:
            return []
        if any(lines[i].strip() and self._header(i, True) is not None for i in range(n)):
            return []
        blocks: list[list[int]] = []
        run: list[int] = []
        blanks = gaps = 0
        for i in range(n):
            if not lines[i].strip():
                blanks += 1
                continue
            if run and blanks >= 2:
                blocks.append(run)
                run = []
                gaps += 1
            blanks = 0
            if i in closing:
                if run:
                    blocks.append(run)
                run = []
                break
            run.append(i)
            if i in likes:
                blocks.append(run)
                run = []
        if run:
            blocks.append(run)
        if gaps < (1 if closing else 2) or len(blocks) < 2 or any(
                all(k in likes for k in b) for b in blocks) or any(len(lines[i]) > 5000 for b in blocks for i in b):
            return []
        if max(i for b in blocks for i in b) < max(i for i in range(n) if lines[i].strip() and i not in closing):
            return []  # text after the closing notice: not a topic page
        return blocks

    def _read_topic(self, blocks: list[list[int]]) -> None:
        lines, role = self.lines, self.role
        out: list[CommentRecord] = []
        for b in blocks:
            rec = _unnamed(b[0], b[0], len(out))
            c = _Open(rec, -1)
            self._body(c, range(b[0], b[-1] + 1), lambda j, t: furniture_anywhere(t) if len(t) <= 30 else None)
            self._close(c)
            if rec.text.strip():
                out.append(rec)
        for i in range(blocks[-1][-1] + 1, self.n):
            s = lines[i].strip()
            if s and role[i] is None:
                role[i] = "comments_closed" if _TOPIC_CLOSED.fullmatch(s) else furniture_anywhere(s)
        self.article.comments = out
        self.layout = "topic"
        self._flag_cut(out)

    def _said_confirmed(self, h: _Header) -> bool:
        """Whether a ``Name said:`` / ``Name wrote:`` line with no comment heading above it opens a comment
        rather than a quotation in the article: it is numbered or bulleted, carries a date, is Blogger's
        ``said...``, has a date line or Reply/Like line under it, or other such headers follow, with text under
        them that is not a quotation."""
        lines = self.lines
        s = lines[h.line].strip()
        if h.number is not None or _LIST.fullmatch(_indent(lines[h.line])[1]) or h.date or h.author is None \
                or not s.endswith(":"):
            return True

        j = next((m for m in range(h.line + 1, self.n) if lines[m].strip()), None)
        if j is not None and _date_line(lines[j].strip()):
            return True
        if not any(len(lines[m].split()) >= 8 for m in range(h.line)):
            return True  # no article text above it: a page of comments
        for m in range(h.line + 1, min(self.n, h.line + 16)):
            t = lines[m].strip()
            if t and len(t) <= 80 and _META.fullmatch(t) and t.casefold() not in ("top", "edit", "quote", "share"):
                return True
        if self._quotation_under(h.line):
            return False
        later = [m for m in range(h.line + 1, self.n) if lines[m].strip() and len(lines[m]) <= 200
                 and _SAID_SUFFIX.search(lines[m].strip()) and (g := self._header(m, True)) is not None
                 and g.kind == "said-headers" and not self._quotation_under(m)]
        return bool(later)

    def _quotation_under(self, i: int) -> bool:
        """Whether the next non-blank line opens with a quotation mark."""
        j = next((m for m in range(i + 1, self.n) if self.lines[m].strip()), None)
        return j is not None and self.lines[j].strip()[:1] in "\"“„«‘'"

    def _text_follows(self, h: _Header) -> bool:
        """Whether a header has text under it rather than another header straight away (a headline with a date
        in it over the post's byline is no comment), or ends the page."""
        j = next((k for k in range(h.line + h.lines, self.n) if self.lines[k].strip()), None)
        return j is None or self._header(j, True) is None

    def _reply_follows(self, h: _Header) -> bool:
        """A name-and-date header counts without a heading when a Reply/Like line follows its text."""
        if re.search(r"(?i)\breply\s*$", self.lines[h.line]):
            return True
        others = 0
        for j in range(h.line + h.lines, self.n):
            s = self.lines[j].strip()
            if not s:
                continue
            if len(s) <= 400 and (_COUNT.fullmatch(s) or _FORM.fullmatch(s) or _CLOSED.fullmatch(s)):
                break
            if j < h.line + 15 and len(s) <= 80 and _META.fullmatch(s):
                return True
            g = self._header(j, True)
            if g is not None and g.kind == "name-date":
                others += 1
        return others >= 1

    def _meta_start(self) -> int:
        """Where comments printed without headers start, on a page with no heading: the block of text
        just above the first Reply/Like line, when such lines close blocks of text."""
        lines = self.lines
        first_prose = next((i for i, ln in enumerate(lines) if len(ln.split()) >= 14), self.n)
        metas = [i for i, ln in enumerate(lines) if ln.strip() and len(ln.strip()) <= 80
                 and _META.fullmatch(ln.strip()) and ln.strip().casefold() not in ("top", "edit", "quote", "share")
                 and not (i < first_prose and _date_line(ln.strip()))]  # the post's own dateline: 'Posted on <date>'
        if not metas:
            return self.n
        f = metas[0]
        if re.fullmatch(r"(?i)expand full comment", lines[f].strip()):
            # Substack's comments view: the comments start at the page's first paragraph of prose
            prose = next((i for i in range(f) if len(lines[i].split()) >= 8), None)
            if prose is not None:
                return prose
        j = f - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j < 0:
            return f
        has_blanks = any(not ln.strip() for ln in lines[:j])
        while has_blanks and j > 0 and lines[j - 1].strip():
            j -= 1
        k = next((k for k in range(j - 1, -1, -1) if lines[k].strip()), None)
        if k is not None and j - k <= 3 and (k == 0 or not lines[k - 1].strip()) and self._name_line(k) \
                and (any(len(lines[m].split()) >= 8 for m in range(k))
                     or not any(lines[m].strip() for m in range(k)) and self._named_run_after(f)):
            # the commenter's name alone on its line over the first comment (on a page that opens with it, when
            # the next comment opens with a name line too)
            return k
        return j

    def _named_run_after(self, f: int) -> bool:
        """Whether the text after the button line ``f`` (and any button lines under it) opens with a name line
        over a line of text."""
        lines = self.lines
        k = next((k for k in range(f + 1, self.n) if lines[k].strip() and not (
            len(lines[k].strip()) <= 80 and _META.fullmatch(lines[k].strip()))), None)
        if k is None or not self._name_line(k):
            return False
        t = next((t for t in range(k + 1, self.n) if lines[t].strip()), None)
        return t is not None and t - k <= 2 and len(lines[t].split()) >= 6

    def parse(self, title_hint: str | None, roles: bool) -> ParsedFile:
        posts = self._member_blocks()
        dated = [] if posts else self._dated_posts()
        mail = [] if posts or dated else self._mail_posts()
        topic = [] if posts or dated or mail else self._topic_posts()
        if mail:
            start = self._read_mail(mail, title_hint)
            self._finish_warnings(start)
        elif topic:
            self._read_article(topic[1][0], title_hint)
            self._read_topic(topic[1:])
            self._finish_warnings(topic[1][0])
        elif posts:
            start = self._forum_start(posts)
            self._read_article(start, title_hint)
            self._read_forum(posts, start)
            self._finish_warnings(start)
        elif dated:
            start = self._read_dated(dated, title_hint)
            self._finish_warnings(start)
        else:
            self._parse_comment_page(title_hint)
        for c in self.article.comments:  # whatever layout read it, the name without the furniture around it
            c.author = _clean_author(c.author)
        self._drop_commenter_title()
        parsed = ParsedFile(path=self.path, format=NAME, articles=[self.article], diagnostics=self.diags)
        art = self.article
        rep = parsed.report
        rep.kept["articles"] = 1
        rep.kept["paragraphs"] = sum(p.role == "body" for p in art.paragraphs)
        rep.kept["captions"] = sum(p.role == "caption" for p in art.paragraphs)
        counts = Counter(r for r, ln in zip(self.role, self.lines) if ln.strip())
        for r in ROLES:
            if r not in ("title", "body", "caption", "comment_header", "comment_body") and counts[r]:
                rep.dropped[f"{r}-lines"] = counts[r]
        if self.layout != "none":
            self.diags.append(Diagnostic("note", "layout", self.path, None,
                                         f"comments read in the {self.layout!r} layout", None))
        if roles:
            parsed.roles = [(i + 1, self.role[i] or "unrecognised", self.ref[i], self.orig[i])
                            for i in range(self.n) if self.lines[i].strip()]
        return parsed

    def _drop_commenter_title(self) -> None:
        """A page of comments with no article text whose title line is a commenter's name, or names one (a
        user's comments page: 'Ann Smith', 'Comments by Ann Smith'), has no title: the line is furniture."""
        art = self.article
        if not art.title or any(p.role == "body" for p in art.paragraphs):
            return
        title = art.title.casefold()
        names = {c.author.casefold() for c in art.comments if c.author}
        if not any(n == title or len(n.split()) >= 2 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title)
                   for n in names):
            return
        art.title = None
        for i in range(self.n):
            if self.role[i] == "title":
                self.role[i] = "furniture"

    def _parse_comment_page(self, title_hint: str | None) -> None:
        after = self._signed_after()
        if after is not None:
            start, sigs = after
            self._read_article(start, title_hint)
            self._read_signed_after(start, sigs)
            self._finish_warnings(start)
            return
        form = self._form_page()
        if form is not None:
            self._read_form_page(*form)
            self._finish_warnings(0)
            return
        start, announced = self._section_start()
        trailing = self._trailing_signatures(start) if announced and start < self.n else None
        if trailing is not None:
            self._read_article(start, title_hint)
            self.role[start] = furniture_anywhere(self.lines[start].strip()) or "comment_count"  # the heading
            self._read_signed_after(start + 1, *trailing)
            self._finish_warnings(start)
            return
        if start == self.n:
            start = self._meta_start()
        sigs = [i for i, ln in enumerate(self.lines) if len(ln.strip()) <= 160 and _SIGNATURE.fullmatch(ln.strip())]
        if sigs and sigs[0] <= start:
            above = [i for i in range(sigs[0]) if self.lines[i].strip()]
            if any(len(self.lines[i].split()) >= 8 for i in above):  # text above it: a signature, not a byline
                start = above[0]
                self.signatures = True
                # the post itself above the first comment: the comments start at a reader's greeting or praise
                voice = [i for i in above[1:] if _GREETING.fullmatch(self.lines[i].strip())
                         or _PRAISE.fullmatch(self.lines[i].strip())]
                if voice:
                    start = voice[0]
        for ln in self.lines[start:start + 400]:
            m = _HEADING_TITLE.fullmatch(ln.strip())
            if m and _COUNT.fullmatch(ln.strip()):
                self.heading_title = m["title"].strip()
                break
        signed = self._name_text_date() if start == self.n else []
        if start == self.n and not signed:
            signed = self._name_over_line()
        reply = self._forum_reply_page()
        if reply is not None:
            start = reply
            self._read_article(start, title_hint)
            self._read_single_post(start, author_line=True)
        elif signed:
            start = signed[0][0]
            self._read_article(start, title_hint)
            self._read_name_text_date(signed)
        elif start == self.n and (blocks := self._indented_thread()):
            start = blocks[0][0]
            self._read_indented_thread(blocks)
        elif start == self.n and self._single_post():
            start = min(i for i in range(self.n) if self.lines[i].strip())
            self._read_single_post(start)
        elif start == self.n and (fused := self._fused_replies()):
            start = fused[0][0]
            self._read_article(start, title_hint)
            self._read_fused(fused)
        else:
            self._read_article(start, title_hint)
            if start < self.n:
                self._read_comments(start)
        self._finish_warnings(start)

    def _signed_after(self) -> tuple[int, list[int]] | None:
        """Comments each signed under their text (Typepad, Movable Type: 'Posted by: NAME | DATE'): the
        comment section's first line (its heading, the comment-feed line, or the line after the post's own
        byline) and the signature lines; None when the page has no such section. The post's byline
        ('Posted by Anne at 09:12 AM in Knitting | Permalink | Comments (3)') names a category and links, not
        only a name and a date, and is no signature."""
        lines, n = self.lines, self.n
        sigs = [i for i in range(n) if len(lines[i]) <= 200 and _signed_after_match(lines[i].strip())]
        if not sigs:
            return None
        page_heading = functools.cache(self._comments_page_heading)  # looked for once, when first needed
        heads = [i for i in range(sigs[0]) if lines[i].strip() and len(lines[i]) <= 200 and (
            _COUNT.fullmatch(lines[i].strip()) or _POSTED_BY_PERMALINK.fullmatch(lines[i].strip())
            or i == page_heading())]
        if not heads and len(sigs) >= 2 and (later := [
                i for i in range(sigs[0] + 1, sigs[1]) if lines[i].strip() and len(lines[i]) <= 200
                and _COUNT.fullmatch(lines[i].strip())]):
            # the post's own byline signed the same way ('Posted by Sue on March 3, 2015'), over the article and
            # the comment heading: the comments start at the heading
            heads, sigs = later, sigs[1:]
        if not heads and len(sigs) >= 2 and re.match(r"(?i)posted by\b", lines[sigs[0]].strip()) and all(
                not lines[i].strip() or furniture_anywhere(lines[i].strip()) is not None for i in range(sigs[0])):
            # the page opens on the post's own byline ('Posted by Tim on 01/27/2006 at 08:48 AM'), the article
            # above it not saved: the comments, each signed the same way, start below it
            heads, sigs = [sigs[0]], sigs[1:]
        if not heads:
            return None
        k = len(heads) - 1
        while k > 0 and all(not lines[j].strip() or furniture_anywhere(lines[j].strip()) is not None
                            for j in range(heads[k - 1] + 1, heads[k])):
            k -= 1  # a run of headings ('Comments', then the comment-feed line): the section starts at the first
        start = heads[k]
        if re.fullmatch(r"(?i)posted by\b.*", lines[start].strip()):
            start += 1  # the post's byline closes the article; the comments start below it
        # text between the section's start and the first signature: the first comment, never empty
        first = [i for i in range(start, sigs[0]) if lines[i].strip() and furniture_anywhere(lines[i].strip()) is None
                 and not re.fullmatch(r"(?i)posted by\b.*", lines[i].strip())]
        if not first:
            return None
        return start, sigs

    def _trailing_signatures(self, start: int) -> tuple[list[int], dict[int, tuple[str, int]]] | None:
        """Comments signed under their text with a name-and-date line ('Ann Smith | March 3, 2015', or the name
        over the date), below a comment heading at ``start``: text comes first under the heading, a signature
        closes every run of text, and nothing but furniture follows the last. The signature lines, and for
        each its author and the lines it takes; None when the section is not signed so."""
        lines = self.lines
        sigs: list[int] = []
        info: dict[int, tuple[str, int]] = {}
        i = start + 1
        while i < self.n:
            h = self._header(i, True) if lines[i].strip() and len(lines[i]) <= 200 else None
            if h is not None and h.kind == "name-date" and h.author and not h.byline:
                sigs.append(i)
                info[i] = (h.author, h.lines)
                i += h.lines
                continue
            i += 1
        if len(sigs) < 2:
            return None
        begin = start + 1
        for sg in sigs + [self.n]:
            text = [k for k in range(begin, sg) if lines[k].strip() and len(lines[k]) <= 5000
                    and furniture_anywhere(lines[k].strip()) is None]
            if sg < self.n and not any(len(lines[k].split()) >= 3 for k in text):
                return None  # a signature with no text above it: these are headers
            if sg == self.n and text:
                return None  # text after the last one: it heads that text
            if sg < self.n:
                begin = sg + info[sg][1]
        return sigs, info

    def _read_signed_after(self, start: int, sigs: list[int],
                           info: dict[int, tuple[str, int]] | None = None) -> None:
        lines, role, ref = self.lines, self.role, self.ref
        out: list[CommentRecord] = []
        begin = start
        ends = sigs + [self.n]
        for end in ends:
            body = [i for i in range(begin, end) if lines[i].strip() and role[i] is None]
            if end == self.n:
                # after the last signature: a sidebar widget (Recent Posts, Archives) is no unsigned comment
                for i in body:
                    if role[i] is None and (block := self._link_list(i, 0)) is not None:
                        for j in block:
                            role[j] = "navigation"
            for i in body:
                if role[i] is not None:
                    continue
                r = furniture_anywhere(lines[i].strip())
                if r is not None or re.fullmatch(r"(?i)posted by\b.*\|\s*permalink\b.*", lines[i].strip()):
                    role[i] = r or "furniture"
            text = [i for i in body if role[i] is None]
            if text or end < self.n:
                m = _signed_after_match(lines[end].strip()) if end < self.n and info is None else None
                author = (m["author"].strip() or None) if m else info[end][0] if info is not None and end < self.n \
                    else None
                first = text[0] if text else end
                rec = _unnamed(first, end if end < self.n else text[-1], len(out))
                rec.author = author
                c = _Open(rec, -1)

                def unnumbered(j: int, t: str, first: int = first) -> str:
                    m = _LIST.fullmatch(_indent(lines[j])[1]) if j == first else None
                    return m["rest"].strip() if m and m["num"] else t  # '1. text': the comment's number printed

                self._body(c, range(first, end), lambda j, t: role[j], unnumbered)
                self._close(c)
                if end < self.n:
                    role[end], ref[end] = "comment_header", rec.source_id  # the signature under the text
                    for k in range(end + 1, end + (info[end][1] if info is not None else 1)):
                        if lines[k].strip():
                            role[k], ref[k] = "comment_meta", rec.source_id  # its date line
                out.append(rec)
            begin = end + (info[end][1] if info is not None and end < self.n else 1)
        self.article.comments = out
        self.layout = "signed-after"
        self._flag_cut(out)

    def _name_text_date(self) -> list[list[int]]:
        """Comments printed as a name line, the text, then a date line of their own (photo-a-day and
        community sites), two or more of them ending the page: each block's lines, name first, date last."""
        lines, n = self.lines, self.n
        blocks: list[list[int]] = []
        for d in range(n):
            t = lines[d].strip()
            if not t or not _is_date(t):
                continue
            k = d - 1
            while k >= 0 and lines[k].strip() and not _is_date(lines[k].strip()):
                k -= 1
            block = list(range(k + 1, d + 1))
            name = lines[block[0]].strip()
            if len(block) >= 3 and len(name.split()) <= 4 and _name_like(name) and name[-1:].isalnum() \
                    and _furniture_role(name) is None and len(lines[block[1]].split()) >= 4:
                if blocks and any(lines[j].strip() and furniture_anywhere(lines[j].strip()) is None
                                  for j in range(blocks[-1][-1] + 1, block[0])):
                    blocks = []  # other text between them: start again
                blocks.append(block)
        if len(blocks) < 2:
            return []
        rest = [j for j in range(blocks[-1][-1] + 1, n) if lines[j].strip() and furniture_anywhere(lines[j].strip()) is None]
        if rest and len(rest) >= 2 and rest == list(range(rest[0], rest[-1] + 1)) and _name_like(lines[rest[0]].strip()) \
                and len(lines[rest[0]].split()) <= 4 and cut_text(lines[rest[-1]]):
            blocks.append(rest + [-1])  # the page is cut off inside the last comment, before its date
        elif rest:
            return []
        return blocks

    def _read_name_text_date(self, blocks: list[list[int]]) -> None:
        lines, role, ref = self.lines, self.role, self.ref
        out: list[CommentRecord] = []
        for block in blocks:
            h, d = block[0], block[-1]
            rec = CommentRecord(source_id=f"L{h + 1}", parent=None, author=_BADGE.sub("", lines[h].strip()),
                                text="\n".join(lines[j].strip() for j in block[1:-1]), number=None,
                                line_start=h + 1, line_end=(d if d >= 0 else block[-2]) + 1, order=len(out),
                                native_id=False)
            role[h], ref[h] = "comment_header", rec.source_id
            for j in block[1:-1]:
                role[j], ref[j] = "comment_body", rec.source_id
            if d >= 0:
                role[d], ref[d] = "comment_meta", rec.source_id
            out.append(rec)
        for j in range(blocks[0][0], self.n):
            if lines[j].strip() and role[j] is None:
                role[j] = furniture_anywhere(lines[j].strip())
        self.article.comments = out
        self.layout = "name-text-date"
        self._flag_cut(out)

    def _form_page(self) -> tuple[int, list[int]] | None:
        """A page that shows one comment above a form about it: a report-a-comment page ('Report
        Inappropriate Comments', 'Report this comment') or a reply page ('Add new comment', 'Reply to comment',
        Drupal), the comment's paragraphs under the heading, then the form's own lines (the story it came from,
        'From: …', the form's prompt or its text-format help). The heading's line and the comment's lines, or
        None. No name or date is printed."""
        lines = self.lines
        nonblank = [i for i in range(self.n) if lines[i].strip()]
        if len(nonblank) < 2 or len(lines[nonblank[0]]) > 80 or not _FORM_PAGE_HEAD.fullmatch(lines[nonblank[0]].strip()):
            return None
        text: list[int] = []
        for i in nonblank[1:]:
            t = lines[i].strip()
            if _FORM_PAGE_STOP.fullmatch(t) or _LIST.fullmatch(_indent(lines[i])[1]) or len(t) <= 200 and (
                    furniture_anywhere(t) is not None or self._header(i, True) is not None):
                break
            text.append(i)
        if not text or not any(len(lines[i].split()) >= 8 for i in text):
            return None
        return nonblank[0], text

    def _read_form_page(self, head: int, text: list[int]) -> None:
        lines, role = self.lines, self.role
        role[head] = "comment_form"
        rec = _unnamed(text[0], text[-1], 0)
        c = _Open(rec, -1)
        self._body(c, range(text[0], text[-1] + 1), lambda j, t: None)
        self._close(c)
        for i in range(text[-1] + 1, self.n):
            t = lines[i].strip()
            if t and role[i] is None:
                role[i] = furniture_anywhere(t) if len(t) <= 300 else None
                role[i] = role[i] or "comment_form"  # the form's prompt, its help and the story it names
        self.untitled = True
        self.article.comments = [rec]
        self.layout = "single-post"
        self._flag_cut([rec])

    def _forum_reply_page(self) -> int | None:
        """A forum reply's own page (bbPress): the title ``Reply To: TOPIC``, a breadcrumb ending in the
        same words (or none, when a paragraph of prose follows the name), then the poster's name alone on a
        line over the reply. The name's line, or None."""
        lines = self.lines
        nonblank = [i for i in range(self.n) if lines[i].strip()]
        if len(nonblank) < 3:
            return None
        first = lines[nonblank[0]].strip()
        if not re.fullmatch(r"(?i)reply to:\s+\S.{0,200}", first):
            return None
        k = 1
        while k < len(nonblank) - 1 and lines[nonblank[k]].strip().endswith(first):
            k += 1
        name = nonblank[k]
        if not _name_like(lines[name].strip()) or len(lines[name].split()) > 4 or lines[name].strip()[-1:] in ".!?:," \
                or k < 2 and len(lines[nonblank[k + 1]].split()) < 8:
            return None  # no breadcrumb: the name over a paragraph of prose
        for j in nonblank[1:k]:
            self.role[j] = "navigation"  # the breadcrumb
        return name

    def _indented_thread(self) -> list[list[int]]:
        """A page that is a comment thread alone, depth carried only by indentation (link-aggregator threads):
        no line flush left, blocks set apart by blank lines, at two or more indents, the first at the
        smallest. Each block's lines, or [] when the page is not one."""
        lines = self.lines
        blocks: list[list[int]] = []
        run: list[int] = []
        for i in range(self.n):
            if lines[i].strip():
                run.append(i)
            elif run:
                blocks.append(run)
                run = []
        if run:
            blocks.append(run)
        if len(blocks) < 2:
            return []
        cols = [_indent(lines[b[0]])[0] for b in blocks]
        if min(cols) < 2 or len(set(cols)) < 2 or cols[0] != min(cols):
            return []
        if any(_indent(lines[i])[0] != cols[k] for k, b in enumerate(blocks) for i in b) or any(
                _LIST.fullmatch(_indent(lines[b[0]])[1]) or furniture_anywhere(lines[b[0]].strip()) for b in blocks):
            return []
        return blocks

    def _read_indented_thread(self, blocks: list[list[int]]) -> None:
        lines, role, ref = self.lines, self.role, self.ref
        out: list[CommentRecord] = []
        stack: list[tuple[int, CommentRecord]] = []
        for b in blocks:
            col = _indent(lines[b[0]])[0]
            while stack and stack[-1][0] >= col:
                stack.pop()
            rec = CommentRecord(source_id=f"L{b[0] + 1}", parent=stack[-1][1].source_id if stack else None,
                                author=None, text="\n".join(lines[i].strip() for i in b), number=None,
                                line_start=b[0] + 1, line_end=b[-1] + 1, order=len(out), native_id=False)
            for i in b:
                role[i], ref[i] = "comment_body", rec.source_id
            stack.append((col, rec))
            out.append(rec)
        self.untitled = True
        self.article.comments = out
        self.layout = "indented-thread"
        self._flag_cut(out)

    def _fused_replies(self) -> list[list[int]]:
        """Comments each closed by a "Reply" link printed on the end of their last line ('... lovely! Reply'),
        two or more of them ending the page below the article's text, nothing but their own lines between:
        each comment's lines, or []."""
        lines = self.lines
        ends = [i for i in range(self.n) if len(lines[i]) <= 5000 and _FUSED_REPLY.fullmatch(lines[i].strip())]
        if len(ends) < 2:
            return []
        k = ends[0]
        while k > 0 and lines[k - 1].strip():
            k -= 1  # the first comment starts at its paragraph's first line
        if not any(len(lines[j].split()) >= 8 for j in range(k)):
            return []  # no article above them
        tail = [j for j in range(ends[-1] + 1, self.n) if lines[j].strip() and furniture_anywhere(lines[j].strip()) is None]
        if tail:
            return []
        out, begin = [], k
        for e in ends:
            seg = [j for j in range(begin, e + 1) if lines[j].strip()]
            if any(furniture_anywhere(lines[j].strip()) for j in seg):
                return []
            out.append(seg)
            begin = e + 1
        return out

    def _read_fused(self, segs: list[list[int]]) -> None:
        lines, role = self.lines, self.role
        out: list[CommentRecord] = []
        for seg in segs:
            rec = _unnamed(seg[0], seg[-1], len(out))
            c = _Open(rec, -1)
            last = seg[-1]

            def without_reply(j: int, t: str, last: int = last) -> str:
                return t[: -len("Reply")].rstrip() if j == last else t

            self._body(c, range(seg[0], last + 1), lambda j, t: None, without_reply)
            self._close(c)
            out.append(rec)
        for j in range(segs[-1][-1] + 1, self.n):
            if lines[j].strip() and role[j] is None:
                role[j] = furniture_anywhere(lines[j].strip())
        self.article.comments = out
        self.layout = "headerless"
        self._flag_cut(out)

    def _single_post(self) -> bool:
        """A page that is one forum post and nothing else (a post's permalink view): it opens with a
        quotation (``Quote:`` / ``Originally Posted by NAME``, or a bare member name over a passage in
        quotation marks), or it is one bulleted paragraph under no title."""
        lines = self.lines
        nonblank = [i for i in range(self.n) if lines[i].strip()]
        if len(nonblank) < 1:
            return False
        first = nonblank[0]
        m = _LIST.fullmatch(_indent(lines[first])[1])
        if m and m["bul"] and len(m["rest"].split()) >= 20:
            return all(furniture_anywhere(lines[i].strip()) for i in nonblank[1:])
        if len(nonblank) >= 3 and re.fullmatch(r"(?i)quote:?", lines[first].strip()) and re.fullmatch(
                r"(?i)(?:originally posted by|quote from:?|posted by)\s+\S.{0,60}|.{1,60}\swrote:?",
                lines[nonblank[1]].strip()):
            return True
        if len(nonblank) >= 2 and re.fullmatch(r"(?i)quote:?\s+(?:originally posted by|quote from:?)\s+\S.{0,60}",
                                                lines[first].strip()):
            return True  # vBulletin 4 prints the quotation's furniture on one line: 'Quote Originally Posted by NAME View Post'
        return self._quote_under_name(first)

    def _quote_under_name(self, i: int) -> bool:
        """A bare member name over a passage in quotation marks, as forums print a quotation."""
        lines = self.lines
        s = lines[i].strip()
        nxt = [k for k in range(i + 1, min(self.n, i + 10)) if lines[k].strip()]
        return bool(nxt) and len(s.split()) <= 3 and _name_like(s) and s[-1:].isalnum() \
            and lines[nxt[0]].strip()[:1] in "\"“" and lines[nxt[0]].strip()[-1:] not in "\"”" \
            and any(lines[k].rstrip()[-1:] in "\"”" for k in nxt[1:])

    def _read_single_post(self, start: int, author_line: bool = False) -> None:
        """The page from ``start`` as one comment (its first line the author's name with ``author_line``,
        else no author printed); furniture lines keep their roles."""
        lines, role, ref = self.lines, self.role, self.ref
        rec = _unnamed(start, start, 0)
        c = _Open(rec, -1)
        if author_line:
            rec.author = lines[start].strip()
            role[start], ref[start] = "comment_header", rec.source_id

        def first_unbulleted(j: int, t: str) -> str:
            m = _LIST.fullmatch(_indent(lines[j])[1]) if j == start else None
            return m["rest"].strip() if m and m["bul"] else t

        self._body(c, range(start + author_line, self.n), lambda j, t: furniture_anywhere(t) if j > start else None,
                   first_unbulleted)
        self._close(c)
        self.article.comments = [rec]
        self.layout = "single-post"
        self._flag_cut([rec])

    # -- the article ---------------------------------------------------------------------------------
    def _read_article(self, end: int, title_hint: str | None) -> None:
        lines, role = self.lines, self.role
        nonblank = [i for i in range(end) if lines[i].strip()]
        if not nonblank:
            if self.heading_title and not title_hint:
                self.article.title = self.heading_title  # a comments page: the post's title in its heading
            return
        first_prose = next((i for i in nonblank if len(lines[i].split()) >= 14), end)
        for i in nonblank:
            if role[i] is None and (poll := self._poll_at(i, end)):
                for j in poll:
                    role[j] = "furniture"  # a poll: its question, its options and its buttons
        for i in nonblank:
            if role[i] is not None:
                continue  # set before the article is read (a forum's opening-post member block)
            s = lines[i].strip()
            r = _furniture_role(s)
            if r is None and (_is_date(s) or len(s) <= 120 and (_BYLINE_DATE.fullmatch(s) or _DATE_THEN_NAME.fullmatch(s))):
                r = "dateline"
            elif r == "navigation" and i < first_prose and "|" in s and len(s) <= 120 and _DATE_PART.search(s) and \
                    _BYLINE_OR_DATE_START.match(s):
                r = "dateline"  # a byline or dateline in parts: 'By Jane Doe | March 3, 2015 10:14
            if r is None and len(s) <= 200 and _META.fullmatch(s) and s.casefold() not in ("top", "quote", "edit"):
                r = "furniture"
            role[i] = r
        # the title: the manifest's, else the last title-like line before the first paragraph of prose
        t = None
        if title_hint:
            want = asbarez._fold(title_hint)
            for i in nonblank[:10]:
                if asbarez._fold(lines[i]) == want:
                    t = i
                    break
        if t is None and self.heading_title:
            want = asbarez._fold(self.heading_title).strip("\"' ")
            for i in nonblank[:12]:
                if asbarez._fold(lines[i]).strip("\"' ") == want:
                    t = i
                    break
        if t is None:
            t = next((i for i in nonblank[:12] if len(lines[i]) <= 400 and _SMF_TITLE.fullmatch(lines[i].strip())), None)
        if t is None and not self.untitled:
            candidates: list[int] = []
            after_date: int | None = None
            seen_date = False
            for k, i in enumerate(nonblank[:12]):
                s = lines[i].strip()
                if role[i] == "dateline":
                    seen_date = True
                if role[i] is not None:
                    continue
                words = s.split()
                prose = len(words) >= 14 or len(s) > 200 or (
                    len(words) >= 6 and s[-1] in ".!\"”" and not s.endswith(("...", "…")))
                if prose:
                    if candidates or after_date is not None or seen_date:
                        break
                    if k == 0 and not any(role[j] == "dateline" for j in nonblank[1:6]):
                        break
                    continue
                nd = _NAME_DATE.fullmatch(s)
                if (len(words) <= 8 and _DATE_PART.search(s) and _date_label(_DATE_PART.sub(" ", s))
                        or _SIGN.fullmatch(s) and _SAID_SUFFIX.search(s)
                        or nd and all(w[:1].isupper() or not w[:1].isalpha() for w in nd["author"].split())
                        or _LIST.fullmatch(_indent(lines[i])[1])) or (
                        s.endswith(".") and not s.endswith("..") and (len(words) > 5 or any(
                        w[:1].islower() for w in words))) or s.casefold().startswith(
                        ("by ", "posted by", "written by")) or _is_credit(s) or s.endswith((":", ",", "–", "-", "—")) \
                        and not self._title_with_dangling_dash(i, k, nonblank) \
                        or not s[:1].isalnum() and s[:1] not in "\"“‘'¿¡(" or s.endswith(";") \
                        or i > 0 and lines[i - 1].rstrip().endswith((";", ",")):
                    continue  # ... or a line of verse, or one that goes on from the line above
                if seen_date and after_date is None and k > 0 and role[nonblank[k - 1]] == "dateline":
                    after_date = i  # the line straight under a date (Blogger's date header over the title)
                candidates.append(i)
            several = [i for i in candidates if len(lines[i].split()) >= 2]
            # a title sits next to the post's date: under a date header (Blogger: blog name, date, title) or
            # over a dateline (title, 'Posted on ...'); a line over a dateline below the first date line (today's
            # date over the masthead) is the post's own title
            pos = {i: k for k, i in enumerate(nonblank)}
            dated = [i for i in candidates if pos[i] + 1 < len(nonblank) and role[nonblank[pos[i] + 1]] == "dateline"
                     and not (len(lines[i].split()) <= 3 and all(w[:1].isupper() for w in lines[i].split()) and any(
                         len(lines[c].split()) >= 4 for c in candidates if c < i))]  # not the author's name
            # a title sits over the post's byline ('By Jane Doe', 'Posted by Jane')
            bylined = [i for i in candidates if pos[i] + 1 < len(nonblank) and len(lines[nonblank[pos[i] + 1]]) <= 80
                       and re.match(r"(?i)\s*(?:by|posted by|written by)\s+[^\W\d_]", lines[nonblank[pos[i] + 1]])
                       and len(lines[i].split()) >= 2]
            if after_date is not None and dated and dated[-1] > after_date and len(lines[dated[-1]].split()) >= 2:
                t = dated[-1]
            elif after_date is not None and bylined and bylined[-1] > after_date:
                t = bylined[-1]  # today's date over the masthead, then the title over its byline
            elif after_date is not None:
                t = after_date
            elif several:
                t = several[-1]
                words = lines[t].split()
                longer = [i for i in several[:-1] if len(lines[i].split()) >= 4]
                if len(words) <= 3 and all(w[:1].isupper() for w in words) and longer:
                    t = longer[-1]  # a name under the title (the author), not the title
                elif len(several) >= 2 and pos[several[-2]] + 1 == pos[t] and _title_case(lines[several[-2]]) \
                        and not _title_case(lines[t]) and len(lines[several[-2]].split()) >= 4 \
                        and len(_TITLE_COUNT.sub("", lines[t]).split()) >= max(6, len(lines[several[-2]].split()) + 1):
                    t = several[-2]  # a headline in title case over its standfirst in sentence case
                # the evidence is the title's, or, for a title over a standfirst or its author's name, theirs
                if not self._title_evidence(t, nonblank, first_prose, end) and not (
                        t != several[-1] and all(j in candidates for j in nonblank[pos[t]:pos[several[-1]] + 1])
                        and self._title_evidence(several[-1], nonblank, first_prose, end)):
                    t = None
            elif candidates:
                # one-word lines only; when the first is a lower-case handle the page opens with a forum post
                # under its member's name and rank ('hansonian' / 'Observer'), and has no title
                handles = [i for i in candidates if re.fullmatch(r"[a-z0-9_.\-]+", lines[i].strip())]
                h0 = candidates[0]
                if h0 in handles and h0 + 1 < self.n and lines[h0 + 1].strip():
                    t = None
                    role[h0] = "furniture"  # the opening post's member name, and its rank under it
                    if h0 + 1 in candidates:
                        role[h0 + 1] = "furniture"
                else:
                    t = next((i for i in candidates if i not in handles), candidates[0])
                    if not self._title_evidence(t, nonblank, first_prose, end):
                        t = None
        if t is None and not self.untitled and role[nonblank[0]] == "navigation" \
                and (bar := _TITLE_SITE.fullmatch(lines[nonblank[0]].strip())) and len(bar["title"].split()) >= 3 \
                and len(bar["site"].split()) <= 6 and " | " not in bar["site"]:
            t = nonblank[0]  # the title as the browser's title bar prints it, the site's name after a bar
        if t is not None:
            for i in nonblank:
                if i < t and role[i] is None:
                    role[i] = "kicker"
            role[t] = "title"
            self.article.title = _TITLE_COUNT.sub("", lines[t].strip()) or lines[t].strip()
            smf = _SMF_TITLE.fullmatch(self.article.title)
            if smf:
                self.article.title = smf["title"]
        elif self.heading_title:
            self.article.title = self.heading_title
        # the byline under the title, above the text: 'By Jane Doe', or the author's name over the date line
        for k, i in enumerate(nonblank):
            if i >= first_prose:
                break
            s = lines[i].strip()
            if role[i] is not None or (t is not None and i < t) or len(s) > 80:
                continue
            nxt = nonblank[k + 1] if k + 1 < len(nonblank) else None
            if re.fullmatch(r"(?i)(?:by|written by|words by|story by)\s+[^\W\d_][^.!?:;]{0,60}", s) \
                    or nxt is not None and role[nxt] == "dateline" and t is not None and i > t \
                    and self._name_line(i) and len(s.split()) >= 2:
                role[i] = "dateline"
        zone = "body"
        policy_blocks = 0
        for i in nonblank:
            if role[i] is not None:
                continue
            s = lines[i].strip()
            low = s.casefold().rstrip(":")
            blank_before = i == 0 or not lines[i - 1].strip()
            if low in _RELATED or s.casefold() in _RELATED:
                zone = "related"
            elif low in asbarez.POLICY_HEADINGS:
                zone, policy_blocks = "policy", 0
            elif zone != "policy" and blank_before and low.startswith(asbarez.POLICY_OPENINGS):
                zone, policy_blocks = "policy", 1
            elif zone == "policy" and blank_before:
                policy_blocks += 1
                if policy_blocks > 1:
                    zone = "body"
            if zone == "policy":
                role[i] = "policy"
            elif zone == "related":
                role[i] = "related" if len(s) <= 200 else "body"
            else:
                role[i] = "caption" if len(s) <= 300 and _is_credit(s) else "body"
        # captions printed more than once around the photo
        seen = Counter(lines[i].strip() for i in nonblank if role[i] == "body")
        for i in nonblank:
            if role[i] == "body" and seen[lines[i].strip()] > 1 and len(lines[i].strip()) >= 20:
                role[i] = "caption"
        asbarez.article_paragraphs(lines, role, self.ref, self.article, 0, end)

    def _poll_at(self, i: int, end: int) -> list[int] | None:
        """A poll printed in the page's head or sidebar: a question (a line ending in '?'), two to ten short
        option lines under it, then a Vote or Results button; its non-blank lines, or None."""
        lines = self.lines
        s = lines[i].strip()
        if not s.endswith("?") or len(s) > 200:
            return None
        options: list[int] = []
        for k in range(i + 1, min(end, i + 30)):
            t = lines[k].strip()
            if not t:
                continue
            if _POLL_BUTTON.fullmatch(t):
                if len(options) < 2:
                    return None
                out = [i] + options + [k]
                for j in range(k + 1, min(end, k + 4)):
                    if lines[j].strip() and _POLL_BUTTON.fullmatch(lines[j].strip()):
                        out.append(j)
                    elif lines[j].strip():
                        break
                return out
            if len(t.split()) > 6 or t[-1:] in ".!?" or len(options) >= 10:
                return None
            options.append(k)
        return None

    def _title_evidence(self, t: int, nonblank: list[int], first_prose: int, end: int) -> bool:
        """Whether a title-like line at ``t`` shows it is the page's title: it is printed again near the top, the
        post's date or byline is next under it, or it heads the article's first paragraph of prose (nothing but
        furniture between). A line with none of these (a site's section, a blog's name, a poll's question) is
        no title: no title is better than a wrong one."""
        lines, role = self.lines, self.role
        s = lines[t].strip()
        fold = asbarez._fold(s)
        if any(asbarez._fold(lines[i]) == fold or asbarez._fold(lines[i]).startswith(fold + " |")
               for i in nonblank[:40] if i != t):
            return True
        k = nonblank.index(t)
        between = False
        for i in nonblank[k + 1:] + [end]:
            if i >= end:
                return True  # straight over the comment section (the page holds no article text)
            if role[i] == "dateline" or i == first_prose:
                return True
            nxt = lines[i].strip()
            if len(nxt.split()) >= 2 and nxt[-1:] in ".!?\"”" or _LIST.fullmatch(_indent(lines[i])[1]):
                return True  # over the text's first sentence or first list item
            if len(nxt) <= 80 and (_BYLINE_LABEL.match(nxt) or len(nxt.split()) <= 8 and _DATE_HINT.search(nxt)
                                   and _DATE_PART.search(nxt)):
                return True  # over a byline or a date line the dateline rules did not take ('by on March 11, 2016')
            if role[i] in ("navigation", "share", "kicker", "caption", "furniture", "cookie") \
                    or _is_credit(lines[i].strip()):
                continue
            if not between and len(lines[i].split()) <= 3 and lines[i].strip()[-1:] not in ".!?":
                between = True  # one section label between the title and the text: 'Editorial –'
                continue
            return False
        return False

    def _title_with_dangling_dash(self, i: int, k: int, nonblank: list[int]) -> bool:
        """A title printed with a separator left on its end ('Council Tax -'): a short line ending in a dash
        after a space, a paragraph of its own straight under the post's date line."""
        lines, s = self.lines, self.lines[i].strip()
        return k > 0 and self.role[nonblank[k - 1]] == "dateline" and re.search(r"\s[-–—]$", s) is not None \
            and len(s.split()) <= 12 and (i + 1 >= self.n or not lines[i + 1].strip())

    # -- the comments --------------------------------------------------------------------------------
    def _read_comments(self, start: int) -> None:
        lines, role, ref, n = self.lines, self.role, self.ref, self.n
        comments: list[_Open] = []
        stack: list[_Open] = []
        current: _Open | None = None
        in_form = False
        announced_count = None
        blank_pending = False
        kinds: Counter = Counter()
        header_seen = self.list_section
        headed = False  # a comment heading with no number ('Comments') opens the section
        closed_by_meta: _Open | None = None
        previewed = -1  # the line a collapsed preview stands over (its full text)
        # Blogger's threaded comments: "Replies" opens the replies to the comment above, the next bare "Reply"
        # (the add-a-reply button) closes them; indentation is often lost in the text
        replies_to: _Open | None = None
        replies_seen = False
        top_col: int | None = None
        level: int | None = None
        i = start
        while i < n:
            raw = lines[i]
            s = raw.strip()
            if not s:
                blank_pending = True
                i += 1
                continue
            width, ln = _indent(raw)
            block = self._link_list(i, top_col if top_col is not None else width) \
                if (header_seen or comments or announced_count or headed) and (current is None or any(current.paragraphs)) \
                else None
            if block is not None:
                # a sidebar widget below the comments (Recent Posts, Archives): a short heading over a list
                # of short link lines, no sentence among them
                self._close(current)
                current = None
                for j in block:
                    role[j] = "navigation"
                i = block[-1] + 1
                continue
            h = self._header(i, not header_seen and announced_count is None and not headed)
            if h is not None and h.kind == "numbered" and current is not None and width > current.col + 1 \
                    and current.record.author is not None and not self._bullet_reply(i, current):
                h = None  # a list inside a comment's text
            if h is not None and h.kind == "numbered" and in_form:
                h = None
            if h is not None and h.colon and current is not None and not (current.header and current.header.colon):
                h = None  # 'Me: why?' inside a comment under another header shape: a dialogue it quotes
            if h is not None and h.kind == "numbered" and current is not None and current.record.author is not None \
                    and current.record.number is None and top_col is None and any(current.paragraphs):
                h = None  # '1) ...' paragraphs in the text of a comment whose header is no list item
            if h is not None and h.kind == "said-headers" and current is not None and any(current.paragraphs) \
                    and s.endswith(":") and h.date is None and h.number is None and not _LIST.fullmatch(ln) \
                    and self._quotation_under(i):
                h = None  # 'Tom said:' over a quotation inside a comment's text
            if h is not None and h.kind == "said-headers" and current is not None and (
                    not any(current.paragraphs) or len(comments) >= 2 and len({c.shape for c in comments}) == 1) \
                    and h.author and s.endswith(":") and h.lines == 1 and h.date is None and h.number is None \
                    and not _LIST.fullmatch(ln) and current.shape != _header_shape(lines, h) \
                    and (k := next((k for k in range(i + 1, n) if lines[k].strip()), None)) is not None \
                    and self._header(k, True) is None:
                # 'Ann said:' in a comment's text, in another shape than its header (or than every header on the
                # page so far): a quotation, not the next comment
                h = None
            if h is not None and h.kind == "name-date" and h.lines > 1 and current is not None \
                    and current.kind == "said-headers" and not any(current.paragraphs) and h.number is None:
                h = None  # a short comment over its own date line ('Yum' / 'March 3, 2015'), under its 'said' header
            if h is not None:
                header_seen = True
                in_form = False
                kinds[h.kind] += 1
                if level is not None:
                    h.col = max(h.col, 2 * (level - 1))  # Reddit's 'level N' line over the comment gives its depth
                    level = None
                self._close(current)
                if h.number is not None:
                    if top_col is None:
                        top_col = h.col
                    elif abs(h.col - top_col) <= 1:
                        h.col = top_col
                while stack and stack[-1].col >= h.col:
                    stack.pop()
                parent = stack[-1].record.source_id if stack else None
                if replies_to is not None:
                    parent = parent or replies_to.record.source_id
                    replies_seen = True
                author = _clean_author(h.author)
                if author and parent is not None:
                    # Disqus prints the name replied to after the replier's own ("Bob Kerr Anne Marie")
                    to = next((c.record.author for c in comments if c.record.source_id == parent), None)
                    if to and author.endswith(" " + to) and author != to:
                        author = author[: -len(to) - 1].strip()
                rec = CommentRecord(source_id=f"L{i + 1}", parent=parent, author=author, text="",
                                    number=h.number, line_start=i + 1, line_end=i + h.lines,
                                    order=len(comments), native_id=False)
                current = _Open(rec, h.col, header=h, shape=_header_shape(lines, h))
                comments.append(current)
                stack.append(current)
                role[i], ref[i] = "comment_header", rec.source_id
                for j in range(i + 1, i + h.lines):
                    if lines[j].strip():
                        role[j], ref[j] = "comment_meta", rec.source_id
                if h.inline is not None and h.kind == "numbered" and h.author is None and len(h.inline) <= 80 \
                        and _date_line(h.inline):
                    h.date = h.inline  # '• 3 years ago': the item holds the comment's date, its text is under it
                elif h.inline is not None:
                    current.paragraphs[-1].append(h.inline)
                    role[i] = "comment_header" if h.colon else "comment_body"  # 'NAME: text' holds the name
                i += h.lines
                blank_pending = False
                continue
            low = s.casefold()
            lv = _LEVEL.fullmatch(s)
            if lv:
                level = int(lv[1])
            if self.signatures and current is None and len(s) <= 160 and _SIGNATURE.fullmatch(s):
                role[i] = "comment_meta"
            elif len(s) <= 200 and _CLOSED.fullmatch(s):
                role[i] = "comments_closed"
                self._close(current)
                current, in_form = None, True
            elif current is not None and len(s) <= 40 and _REPLIES_BUTTON.fullmatch(s) \
                    and (prev := next((k for k in range(i - 1, -1, -1) if lines[k].strip()), None)) is not None \
                    and role[prev] == "comment_meta" and ref[prev] == current.record.source_id:
                # '2 replies' among a comment's buttons (Substack): the button that shows them, not a count heading
                role[i], ref[i] = "comment_meta", current.record.source_id
            elif len(s) <= 120 and _COUNT.fullmatch(s) \
                    and (current is None or width <= current.col):
                role[i] = "comment_count"
                headed = headed or re.fullmatch(r"(?i)(?:reader )?comments?:?|responses:?|replies:?|discussion", s) is not None
                num = re.match(rf"\(?(\d+|{'|'.join(_NUMBER_WORDS)})\b(?![.,]?\d*k\b)|top (comment)\b", low) or re.fullmatch(
                    r"(?:comments?|responses?|replies|discussion|reactions?)\s*\((\d{1,4})\)()", low)
                if num and num[2]:
                    announced_count = 1
                elif num:
                    announced_count = _NUMBER_WORDS.get(num[1]) if not num[1].isdigit() else int(num[1])
                if current is not None:
                    self._close(current)
                    current = None
            elif len(s) <= 240 and _FORM.fullmatch(s) and (current is None or width <= current.col or in_form or
                                                           _FORM.fullmatch(s) and len(s) > 12):
                role[i] = "comment_form"
                self._close(current)
                current, in_form = None, True
            elif current is not None and not any(current.paragraphs) and not in_form and self._preview(i):
                # a collapsed comment's preview over its full text (Tildes prints both): the text is read once
                role[i], ref[i] = "comment_meta", current.record.source_id
                previewed = next(k for k in range(i + 1, self.n) if lines[k].strip())
            elif current is not None and len(s) <= 80 and _META.fullmatch(s):
                role[i], ref[i] = "comment_meta", current.record.source_id
                if any(current.paragraphs):
                    closed_by_meta = current
                if low == "replies" and replies_to is None:
                    replies_to = next((c for c in reversed(comments) if c.record.parent is None), current)
                    replies_seen = False
                elif low == "reply" and replies_to is not None and replies_seen:
                    replies_to = None
                mr = _IN_REPLY.fullmatch(s)
                if mr and current.record.parent is None and not any(current.paragraphs[0]):
                    self._reply_to(current, mr["name"], comments)
            elif s.casefold() in _IMAGE_ALT or self._avatar_initials(i) or len(s) <= 80 and _AVATAR_LINE.fullmatch(s):
                role[i] = "furniture"  # an avatar's alt text or initials: no name, no text
            elif current is not None and (_is_date(s) or _VOTES.fullmatch(s) and self._meta_next(i)):
                role[i], ref[i] = "comment_meta", current.record.source_id
            elif current is not None and not in_form and (width > current.col or current.record.number is None
                                                          or width == current.col == 0) and not (
                    closed_by_meta is current and width <= max(current.col, 0)) and not _ascii_art(s) and not (
                    width <= max(current.col, 0) and (_furniture_role(s) or self._repeated(i) and i != previewed)):
                if blank_pending and current.paragraphs[-1]:
                    current.paragraphs.append([])
                current.paragraphs[-1].append(s)
                current.record.line_end = i + 1
                role[i], ref[i] = "comment_body", current.record.source_id
            else:
                r = _furniture_role(s) or ("furniture" if self._repeated(i) else None)
                if r is None and (len(s) <= 80 and _META.fullmatch(s) or _VOTES.fullmatch(s) and self._meta_next(i)):
                    r = "comment_meta"  # a button, or the first comment's vote count over its header
                if r is None and low.rstrip(":") in _RELATED:
                    r = "related"
                if r is None and in_form:
                    r = "comment_form" if len(s) <= 300 else None
                role[i] = r or "unrecognised"
            blank_pending = False
            i += 1
        self._close(current)
        if not comments:
            comments = self._headerless(start, announced_count)
            if comments:
                kinds["headerless"] += 1
        recs = [c.record for c in comments]
        self.article.comments = recs
        if recs:
            self.layout = kinds.most_common(1)[0][0]
        self._announced = announced_count
        self._flag_cut(recs)

    def _bullet_reply(self, i: int, current: _Open) -> bool:
        """Whether a bulleted paragraph under a named comment's text is a reply to it (WordPress themes print
        replies as bullets, with no name, one level deeper each): a blank line above it, a paragraph of a
        dozen words or more, under the comment's text, not under a line ending in ':' (a list the comment
        introduces)."""
        lines = self.lines
        m = _LIST.fullmatch(_indent(lines[i])[1])
        if not m or not m["bul"] or lines[i - 1].strip() or not any(current.paragraphs) \
                or len(m["rest"].split()) < 12:
            return False
        prev = next((k for k in range(i - 1, -1, -1) if lines[k].strip()), None)
        if prev is None or lines[prev].rstrip().endswith(":"):
            return False
        # not an item under a list item the comment's text holds
        return not (_LIST.fullmatch(_indent(lines[prev])[1]) and self.ref[prev] == current.record.source_id
                    and prev + 1 != current.record.line_start)

    def _link_list(self, i: int, col: int) -> list[int] | None:
        """A page widget printed after the comments: a short heading (at most four words, no punctuation at
        its end, not straight under a comment's header, not indented past the comment headers' column) over
        two or more list items or three or more plain lines, each a few words with no sentence end, as sidebars
        print Recent Posts, Archives, Categories and blogrolls. Its non-blank lines, or None."""
        lines = self.lines
        width, ln = _indent(lines[i])
        s = ln.strip()
        if width > col or not 1 <= len(s.split()) <= 4 or s[-1:] in ".!?,;:" or _LIST.fullmatch(ln) \
                or self._header(i, True) is not None or _is_date(s) \
                or furniture_anywhere(s) in ("comment_meta", "comment_form", "comment_count", "comments_closed"):
            return None
        items: list[int] = []
        bulleted = 0
        k = i + 1
        while k < self.n:
            t = lines[k].strip()
            if not t:
                if items and not bulleted:
                    break  # plain link lines run without a blank line between them
                k += 1
                continue
            m = _LIST.fullmatch(_indent(lines[k])[1])
            if items and (m is None) != (bulleted == 0):
                break  # bullets, then a line without one (the next widget's heading)
            text = m["rest"].strip() if m else t
            if len(text.split()) > 8 or len(text) > 70 or text[-1:] in ".!?" or _SAID_SUFFIX.search(text) \
                    or m is None and _indent(lines[k])[0] > width + 4:
                break
            if m is None and k + 1 < self.n and _date_line(lines[k + 1].strip()) or self._header(k, True) \
                    or len(t) <= 80 and (_META.fullmatch(t) or _AVATAR_LINE.fullmatch(t)):
                break  # a comment's header or furniture
            items.append(k)
            bulleted += m is not None
            k += 1
        if bulleted >= 2 and bulleted == len(items) or len(items) >= 3 and not bulleted:
            return [i] + items
        return None

    def _flag_cut(self, recs: list[CommentRecord]) -> None:
        """Flag the last comment truncated when the page ends at its header or inside its text."""
        lines, role, n = self.lines, self.role, self.n
        last_nonblank = max((i for i in range(n) if lines[i].strip()), default=-1)
        if recs:
            last = recs[-1]
            tail_roles = [role[j] for j in range((last.line_start or 1) - 1, n) if lines[j].strip()]
            ends_in_it = all(r in ("comment_header", "comment_body", "comment_meta") or r in ("navigation", "furniture")
                             and self.layout == "single-post" for r in tail_roles) and \
                role[last_nonblank] in ("comment_body", "comment_header")
            # the page ends on the header's last line (a date line under the name is the header's own)
            at_header = role[last_nonblank] == "comment_header" or role[last_nonblank] == "comment_meta" \
                and last_nonblank + 1 <= (last.line_end or 0) and all(r != "comment_body" for r in tail_roles)
            if not last.text and at_header and all(
                    r in ("comment_header", "comment_meta", "comment_body") for r in tail_roles):
                last.truncated = self.article.truncated = True
                self.diags.append(Diagnostic("warning", "truncated", self.path, last.line_start,
                                             f"page ends at the header of a comment by {last.author!r}; its text "
                                             "is missing, flagged possibly truncated", "save the complete page"))
            elif ends_in_it and role[last_nonblank] in ("comment_body", "comment_header") and last.text \
                    and cut_text(last.text):
                last.truncated = self.article.truncated = True
                self.diags.append(Diagnostic("warning", "truncated", self.path, last_nonblank + 1,
                                             "page ends inside the text of a comment"
                                             + (f" by {last.author!r}" if last.author else "")
                                             + " (no closing punctuation); flagged possibly truncated",
                                             "save the complete page"))

    def _headerless(self, start: int, announced: int | None) -> list[_Open]:
        """Comments printed with no header: text runs closed by Reply/Like lines, or, when a heading gives
        the number, lines or blank-separated blocks that come to that number."""
        lines, role = self.lines, self.role
        zone: list[int] = []
        for i in range(start, self.n):
            if role[i] in ("comment_form", "comments_closed"):
                break
            zone.append(i)
        texts = [i for i in zone if lines[i].strip() and role[i] in (None, "unrecognised")]
        if not texts:
            return []
        metas = [i for i in zone if role[i] == "comment_meta" or (
            role[i] in ("furniture", "share") and _META.fullmatch(lines[i].strip()))]
        # Blogger's threaded view prints its buttons fused to the next comment: "ReplyDeleteIt's not my poem"
        fused = {i: m for i in texts if (m := _FUSED_BUTTONS.match(lines[i].strip()))}
        by_meta: list[list[int]] = []
        closer: list[str] = []  # the button line that closed each run
        run: list[int] = []
        for i in zone:
            if i in fused:
                if run:
                    by_meta.append(run)
                    closer.append(fused[i]["buttons"])
                run = [i]
            elif i in texts:
                run.append(i)
            elif i in metas and run:
                by_meta.append(run)
                closer.append(lines[i].strip())
                run = []
        trailing = run
        by_line = [[i] for i in texts]
        by_block: list[list[int]] = []
        run = []
        for i in zone:
            if i in texts:
                run.append(i)
            elif not lines[i].strip() and run:
                by_block.append(run)
                run = []
            elif lines[i].strip() and run:
                by_block.append(run)
                run = []
        if run:
            by_block.append(run)
        # blocks set apart by two or more blank lines (paragraphs inside them by one)
        by_gap: list[list[int]] = []
        run, blanks = [], 0
        for i in zone:
            if not lines[i].strip():
                blanks += 1
                continue
            if i in texts:
                if run and blanks >= 2:
                    by_gap.append(run)
                    run = []
                run.append(i)
            blanks = 0
        if run:
            by_gap.append(run)
        # each comment under its own date line (a Q&A site's answers): the zone opens with a date
        dates = [i for i in texts if _date_line(lines[i].strip())]
        by_date: list[list[int]] = []
        if dates and dates[0] == texts[0] and (not metas or len(dates) == len(by_meta) and not trailing
                                                and all(seg[0] in dates for seg in by_meta)):
            for i in texts:
                if i in dates:
                    by_date.append([])
                else:
                    by_date[-1].append(i)
        # each comment closed by its date line under the text (paragraphs of one comment between two dates)
        closing = [i for i in texts if _date_line(lines[i].strip())]
        by_date_after: list[list[int]] = []
        if closing and closing[-1] == texts[-1] and closing[0] != texts[0] and not metas:
            run = []
            for i in texts:
                run.append(i)
                if i in closing:
                    by_date_after.append(run)
                    run = []
        # each comment under its commenter's name alone on a line, blank lines around it, over its paragraphs
        heads = [i for i in texts if self._name_line(i) and (i == 0 or not lines[i - 1].strip())
                 and i + 1 < self.n and not lines[i + 1].strip() and len(_indent(lines[i])[1].split()) <= 4
                 and (nxt := next((k for k in texts if k > i), None)) is not None and len(lines[nxt].split()) >= 6]
        if not heads:
            # or the name straight over the text, no blank line between, after the last comment's closing
            # sentence ('Ann Smith' / 'I grew leeks too.' / 'Bob Lee' / ...)
            heads = [i for i in texts if self._name_line(i) and len(lines[i].split()) <= 4 and i + 1 in texts
                     and len(lines[i + 1].split()) >= 6 and not self._name_line(i + 1)
                     and (i - 1 not in texts or (_ends_closed(lines[i - 1]) or len(lines[i - 1].split()) >= 8)
                          and not self._name_line(i - 1))]
            if len(heads) < 2:
                heads = []
        by_name: list[list[int]] = []
        if heads and heads[0] == texts[0]:
            for i in texts:
                if i in heads:
                    by_name.append([])
                by_name[-1].append(i)
        choice = None
        if by_date and all(by_date) and (announced or len(by_date) >= 2):
            choice = by_date
        elif len(by_date_after) >= 2 and all(len(seg) >= 2 for seg in by_date_after) \
                and announced in (None, len(by_date_after)):
            choice = by_date_after
        elif by_name and all(len(seg) >= 2 for seg in by_name) and announced in (None, len(by_name)) and not metas:
            choice = by_name
        elif announced:
            for option in (by_meta + ([trailing] if trailing else []), by_line, by_block):
                if len(option) == announced:
                    choice = option
                    break
        # with no count, or a count the page's runs do not come to (comments paged, hidden or cut off), runs
        # each closed by a button line or a date line are comments all the same (the count warning says so)
        one_named = len(by_meta) == 1 and len(by_meta[0]) >= 2 and self._name_line(by_meta[0][0]) \
            and len(lines[by_meta[0][1]].split()) >= 3 and not any(self._name_line(i) for i in by_meta[0][1:])
        if choice is not None or announced and len(by_meta) < 2 and len(by_date_after) < 2 and not one_named:
            pass  # one unnamed run against a count of several: comments run together, better left undelimited
        elif by_meta and metas and not trailing:
            choice = by_meta
        elif by_meta and metas and trailing and trailing[-1] == max(texts) and cut_text(lines[trailing[-1]]):
            choice = by_meta + [trailing]  # the page is cut off before the last comment's Reply line
        elif len(by_date_after) >= 2 and all(len(seg) >= 2 for seg in by_date_after):
            choice = by_date_after
        elif not announced and not metas and len(by_gap) >= 2:
            choice = by_gap
        if not choice:
            return []
        out: list[_Open] = []
        # every run opens with the commenter's name alone on a line (Facebook's comments plugin, themes that
        # print no date), perhaps with profile lines under it ("Top commenter", "Works at ...")
        # (or each date line has the name under it, then the text)
        named = choice is by_name or choice is by_date and len(choice) >= 2 and all(
            len(seg) >= 2 and self._name_line(seg[0]) and len(lines[seg[1]].split()) >= 3 for seg in choice) \
            or bool(by_meta) and choice[:len(by_meta)] == by_meta and len(choice) >= 2 and all(
                len(seg) >= 2 and self._name_line(seg[0]) for seg in choice) \
            or len(choice) >= 2 and all(len(seg) >= 2 and self._name_line(seg[0]) and len(lines[seg[1]].split()) >= 3
                                        and not self._name_line(seg[1]) for seg in choice)
        named = named or one_named and choice == by_meta
        # or every run ends with its commenter's name under the text, a signature with no dash
        signed = not named and len(choice) >= 2 and all(
            len(seg) >= 2 and self._signature_name(seg[-1]) and _ends_closed(lines[seg[-2]]) for seg in choice)
        indents: list[int] = []
        for seg in choice:
            rec = _unnamed(seg[0], seg[-1], len(out))
            c = _Open(rec, -1)
            indents.append(_indent(lines[seg[0]])[0])
            prev = None
            if named:
                rec.author = _TRAILING_DASH.sub("", lines[seg[0]].strip())
                role[seg[0]], self.ref[seg[0]] = "comment_header", rec.source_id
                profile = [i for i in seg[1:-1] if _PROFILE.fullmatch(lines[i].strip()) or _is_date(lines[i].strip())]
                for i in profile:
                    role[i], self.ref[i] = "comment_meta", rec.source_id
                seg = [i for i in seg[1:] if i not in profile]
            # over the text, its date line ('• 3 years ago'); under it, its date line or a signature after a dash
            # ('— Ann'): no part of the text
            while not named and len(seg) >= 2 and seg[0] not in fused and _date_line(lines[seg[0]].strip()):
                role[seg[0]], self.ref[seg[0]] = "comment_meta", rec.source_id
                seg = seg[1:]
            if signed:
                rec.author = lines[seg[-1]].strip()
                role[seg[-1]], self.ref[seg[-1]] = "comment_header", rec.source_id
                seg = seg[:-1]
            while len(seg) >= 2 and seg[-1] not in fused:
                last = lines[seg[-1]].strip()
                sig = _DASH_NAME.fullmatch(last) if len(last) <= 64 else None
                if sig and _name_like(sig["author"]) and rec.author is None:
                    rec.author = sig["author"].strip()
                    role[seg[-1]], self.ref[seg[-1]] = "comment_header", rec.source_id
                elif _date_line(last):
                    role[seg[-1]], self.ref[seg[-1]] = "comment_meta", rec.source_id
                else:
                    break
                seg = seg[:-1]
            for i in seg:
                if prev is not None and any(not lines[k].strip() for k in range(prev + 1, i)) and c.paragraphs[-1]:
                    c.paragraphs.append([])
                if i in fused:  # the buttons, then the comment's first words
                    c.paragraphs[-1].append(lines[i].strip()[fused[i].end("buttons"):].strip())
                    role[i], self.ref[i] = "comment_header", rec.source_id
                else:
                    c.paragraphs[-1].append(lines[i].strip())
                    role[i], self.ref[i] = "comment_body", rec.source_id
                prev = i
            self._close(c)
            out.append(c)
        if choice is by_meta and fused:
            # a run closed by "Delete" alone after one closed by "ReplyDelete" is a threaded reply to it
            top: _Open | None = None
            for c, how in zip(out, closer):
                if how.casefold() == "delete" and top is not None:
                    c.record.parent = top.record.source_id
                else:
                    top = c
        if choice is by_date:
            for i, c in zip(dates, out):
                role[i], self.ref[i] = "comment_meta", c.record.source_id
                c.record.line_start = i + 1
                c.record.source_id = f"L{i + 1}"
                for k in range(i, c.record.line_end or i):
                    if self.ref[k] is not None and role[k] in ("comment_body", "comment_meta"):
                        self.ref[k] = c.record.source_id
        if len(out) >= 2 and indents[0] == min(indents) and max(indents) - indents[0] >= 2 \
                and all(c.record.parent is None for c in out):
            # depth by indentation alone: a comment's parent is the nearest earlier one indented less (by two
            # columns or more; a column's difference is noise)
            stack: list[tuple[int, _Open]] = []
            for c, ind in zip(out, indents):
                while stack and stack[-1][0] >= ind - 1:
                    stack.pop()
                c.record.parent = stack[-1][1].record.source_id if stack else None
                stack.append((ind, c))
        for i in metas:
            owner = next((c for c in reversed(out) if (c.record.line_start or 1) - 1 <= i), None)
            if owner is not None:
                role[i], self.ref[i] = "comment_meta", owner.record.source_id
                sig = _SIGNATURE.fullmatch(lines[i].strip()) if self.signatures else None
                if sig and owner.record.author is None and (owner.record.line_end or 1) - 1 < i:
                    owner.record.author = sig["author"].strip()
        return out

    def _avatar_initials(self, i: int) -> bool:
        """An avatar printed as the commenter's initials ('J', 'MJ') on the line above the name."""
        s = self.lines[i].strip()
        if not (1 <= len(s) <= 2 and s.isalpha() and s.isupper()):
            return False
        j = next((k for k in range(i + 1, self.n) if self.lines[k].strip()), None)
        return j is not None and self.lines[j].strip().startswith(s[0]) and self._header(j, False) is not None

    def _meta_next(self, i: int) -> bool:
        """Whether the next non-blank line is a Reply/Like line or the next comment's header, or the page ends (a
        bare number before it, under a comment's text, is a vote count)."""
        j = next((k for k in range(i + 1, self.n) if self.lines[k].strip()), None)
        return j is None or len(self.lines[j].strip()) <= 80 and bool(_META.fullmatch(self.lines[j].strip())) \
            or self._header(j, True) is not None

    def _signature_name(self, i: int) -> bool:
        """A commenter's name alone under the text, no dash before it: a name line of two to four capitalised
        words, or one user name with a digit, an underscore or a lower-case start (one capitalised word is as
        likely a comment's last word: 'Agreed', 'Thanks')."""
        s = self.lines[i].strip()
        return self._name_line(i) and (len(s.split()) >= 2 or re.fullmatch(r"(?=\S*[\d_]|[a-z])[\w.\-]{2,30}", s)
                                       is not None)

    def _name_line(self, i: int) -> bool:
        """A commenter's name alone on a line: a few capitalised words (or one handle), nothing else (a theme's
        dash after it, 'Mary Smith -', allowed)."""
        s = _TRAILING_DASH.sub("", self.lines[i].strip())
        words = s.split()
        return 1 <= len(words) <= 4 and _name_like(s) and (s[-1:] not in ".!?,:;" or _INITIAL_END.search(s) is not None) and (
            len(words) == 1 and len(s) <= 30 or all(w[:1].isupper() for w in words)) and not _is_date(s) \
            and not _PROFILE.fullmatch(s) and not _GREETING.fullmatch(s)

    def _comment_signs(self, start: int) -> list[int]:
        """Lines of the article that look like comment furniture. Dates and Reply-like lines after the text
        count only on a page with no comment section at all."""
        lines, role = self.lines, self.role
        text = [i for i in range(min(start, self.n)) if role[i] in ("body", "caption")]
        last_flush = max((i for i in text if _indent(lines[i])[0] < 2), default=-1)
        flush_lines = sum(_indent(lines[i])[0] < 2 for i in text)
        body_seen = False
        signs = []
        first_body = next((i for i in range(min(start, self.n)) if role[i] == "body"), self.n)
        first_prose = next((i for i in range(min(start, self.n)) if role[i] == "body" and len(lines[i].split()) >= 14),
                           self.n)
        bullets = [k for k in text if (mm := _LIST.fullmatch(_indent(lines[k])[1])) and mm["bul"]
                   and len(lines[k].split()) >= 5]
        dash_signed = sum(1 for k in text if len(lines[k].strip()) <= 64 and _DASH_NAME.fullmatch(lines[k].strip()))
        for i in range(min(start, self.n)):
            s = lines[i].strip()
            if not s:
                continue
            # the post's head (its byline, date and title) above its text: no comment furniture there
            prev = next((k for k in range(i - 1, -1, -1) if lines[k].strip()), None)
            head = (i < first_body or i < first_prose and (prev is not None and role[prev] in ("dateline", "title")
                                                            or _BYLINE_START.match(s))) \
                and role[i] in ("dateline", "kicker", "navigation", "title", "furniture")
            if role[i] in ("body", "title", "kicker"):
                body_seen = True
            strong = not head and role[i] != "title" and len(s) <= 120 and _SIGN_HINT.search(s) and _SIGN.fullmatch(s) \
                and not (s.endswith(":") and self._quotation_under(i))  # 'Putin said:' over a quotation
            weak = not head and start >= self.n and body_seen and role[i] in ("dateline", "furniture")
            set_off = role[i] == "body" and i > last_flush >= 0 and flush_lines >= 2 and _indent(lines[i])[0] >= 2 \
                and not _LIST.fullmatch(_indent(lines[i])[1])
            all_set_off = flush_lines == 0 and role[i] in ("body", "title", "kicker") and _indent(lines[i])[0] >= 2 \
                and not _LIST.fullmatch(_indent(lines[i])[1])
            # a comment shown alone: its name over its date heads the page; a report-a-comment page; text that is
            # only bulleted paragraphs under a title
            alone = role[i] == "title" and all(w[:1].isupper() for w in s.split()) and (
                g := self._header(i, True)) is not None and g.kind == "name-date"
            report = _REPORT_COMMENT.match(s) is not None
            bulleted = len(bullets) >= 2 and len(bullets) == len(text) and i == bullets[0]
            # signatures after a dash under paragraphs ('— Ann'), two or more: comments signed at their end
            dashed = role[i] == "body" and len(s) <= 64 and (dm := _DASH_NAME.fullmatch(s)) is not None \
                and _name_like(dm["author"]) and dash_signed >= 2
            if alone or report or bulleted or dashed:
                signs.append(i)
                continue
            if strong or weak or set_off or all_set_off or self._reader_voice(i) or self._name_over_reader(i) \
                    or self._name_text_pairs(i):
                signs.append(i)
        return signs

    def _set_aside(self, signs: list[int], start: int) -> list[int]:
        """The article's lines that a ``comments-suspected`` warning keeps aside: from the first sign that is
        text (a body or caption line, or a title that is a comment's header, a comment shown alone, or a
        report-a-comment page's heading) to the end of the article, every line read as body or caption gets the role
        ``comment_suspected``, and the article's paragraphs are read again without them. A sign in the post's
        head or furniture after the text (a date line, a Reply-like line) sets nothing aside. The lines, in
        page order."""
        lines, role, ref = self.lines, self.role, self.ref
        def heads_a_comment(i: int) -> bool:  # a title that is a comment's header, or a report-a-comment page's
            g = self._header(i, True)
            return g is not None and g.kind == "name-date" or _REPORT_COMMENT.match(lines[i].strip()) is not None

        first = next((i for i in signs if role[i] in ("body", "caption") or role[i] == "title" and heads_a_comment(i)),
                     None)
        if first is None:
            return []
        end = min(start, self.n)
        aside = [i for i in range(first, end) if lines[i].strip() and role[i] in ("body", "caption")]
        if not aside:
            return []
        for i in aside:
            role[i], ref[i] = "comment_suspected", None
        for i in range(end):
            if role[i] in ("body", "caption"):
                ref[i] = None
        self.article.paragraphs = []
        asbarez.article_paragraphs(lines, role, ref, self.article, 0, end)
        return aside

    def _name_text_pairs(self, i: int) -> bool:
        """The first of two or more name lines, each directly over one line of text, that end the page, one
        of the texts spoken to someone ('you', 'your'): comments whose dates and avatars were lost."""
        lines = self.lines
        pairs, k = [], i
        while k + 1 < self.n and lines[k].strip() and lines[k + 1].strip() and self._name_line(k) \
                and len(lines[k + 1].split()) >= 6 and not self._name_line(k + 1):
            pairs.append(k + 1)
            k += 2
        if len(pairs) < 2 or any(lines[j].strip() for j in range(k, self.n)):
            return False
        return any(re.search(r"(?i)\byou(?:r|rs|'[a-z]+|’[a-z]+)?\b", lines[j]) for j in pairs)

    def _name_over_line(self) -> list[list[int]]:
        """Comments printed as a full name (two to four capitalised words) directly over one line of text,
        two or more of them ending the page with nothing between, one spoken to someone ('you'): each as
        [name line, text line, -1] (no date line), for the name-text-date reading; [] otherwise."""
        lines = self.lines
        first = next((i for i in range(self.n) if self._name_text_pairs(i)), None)
        if first is None:
            return []
        blocks = [[k, k + 1, -1] for k in range(first, self.n - 1, 2) if lines[k].strip()]
        if any(len(lines[b[0]].split()) < 2 or not _ends_closed(lines[b[1]].strip()) for b in blocks[:-1]) \
                or len(lines[blocks[-1][0]].split()) < 2:
            return []
        return blocks

    def _name_over_reader(self, i: int) -> bool:
        """A commenter's name alone between blank lines over a paragraph spoken to the post's author
        ('you', 'your'), as a comment prints when its 'said...' or 'Posted by' line is lost."""
        lines = self.lines
        if not (0 < i < self.n - 2) or lines[i - 1].strip() or lines[i + 1].strip() or not self._name_line(i):
            return False
        if lines[i].split()[0].casefold() in _RUNS_ON | {"for", "my", "our", "your", "from", "about", "how", "why"}:
            return False  # 'For K-A', 'The Garden': a heading, not a person's name
        nxt = next((k for k in range(i + 1, self.n) if lines[k].strip()), None)
        if nxt is None or nxt - i > 3:
            return False
        t = lines[nxt].strip()
        return len(t.split()) >= 8 and re.search(r"(?i)\byou(?:r|rs|'[a-z]+|’[a-z]+)?\b", t) is not None

    def _reader_voice(self, i: int) -> bool:
        """A line that reads as a reader's comment though no header marks it: a greeting to a name or praise
        of the post after the article's first line, text with a "Reply" button printed on its end, a post
        printed as one bulleted paragraph at the top of the page, or a page opening with a forum quotation
        under a bare name."""
        lines = self.lines
        s = lines[i].strip()
        first = next((k for k in range(self.n) if lines[k].strip()), i)
        if _FUSED_REPLY.fullmatch(s):
            return True
        if i > first and len(s) <= 400 and (_GREETING.fullmatch(s) or _PRAISE.fullmatch(s)):
            return True
        m = _LIST.fullmatch(_indent(lines[i])[1])
        if i == first and m and m["bul"] and len(m["rest"].split()) >= 20:
            return True
        return i == first and self._quote_under_name(i)

    def _preview(self, i: int) -> bool:
        """Line ``i`` is the preview of the text that starts on the next non-blank line: the same line, or its
        start cut with an ellipsis, at the same indentation (a collapsed comment printed over the full one)."""
        width, ln = _indent(self.lines[i])
        s = ln.strip()
        j = i + 1
        while j < self.n and not self.lines[j].strip():
            j += 1
        if j >= self.n or j - i > 2 or _indent(self.lines[j])[0] != width or len(s.split()) < 2:
            return False
        t = self.lines[j].strip()
        if t == s:
            return True
        cut = s.removesuffix("…").removesuffix("...").rstrip()
        return cut != s and len(cut) >= 20 and t.startswith(cut) and len(t) > len(cut)

    def _repeated(self, i: int, longest: int = 60) -> bool:
        """A short line printed twice in a row (a sidebar widget's title), at either of the two."""
        s = self.lines[i].strip()
        if len(s) > longest:
            return False
        for step in (-1, 1):
            j = i + step
            while 0 <= j < self.n and not self.lines[j].strip():
                j += step
            if 0 <= j < self.n and self.lines[j].strip() == s:
                return True
        return False

    def _reply_to(self, current: _Open, name: str, comments: list[_Open]) -> None:
        want = name.strip().casefold()
        for c in reversed(comments[:-1]):
            if c.record.author and c.record.author.casefold() == want:
                current.record.parent = c.record.source_id
                return

    def _body(self, c: _Open, span: range, furniture: Callable[[int, str], str | None],
              text: Callable[[int, str], str] = lambda j, t: t) -> None:
        """The lines of ``span`` as the open comment's text, a blank line starting a new paragraph; a line
        ``furniture`` gives a role keeps that role (``comment_meta`` tied to the comment) and stays out."""
        role, ref, rec = self.role, self.ref, c.record
        blank = False
        for j in span:
            t = self.lines[j].strip()
            if not t:
                blank = True
                continue
            r = furniture(j, t)
            if r is not None:
                role[j], ref[j] = r, rec.source_id if r == "comment_meta" else None
                continue
            if blank and c.paragraphs[-1]:
                c.paragraphs.append([])
            c.paragraphs[-1].append(text(j, t))
            role[j], ref[j] = "comment_body", rec.source_id
            rec.line_end = j + 1
            blank = False

    @staticmethod
    def _close(c: _Open | None) -> None:
        if c is not None:
            c.record.text = "\n\n".join("\n".join(p) for p in c.paragraphs if p)

    def _finish_warnings(self, start: int) -> None:
        lines, role = self.lines, self.role
        unrec = [i for i in range(self.n) if lines[i].strip() and role[i] in (None, "unrecognised")]
        for i in unrec:
            role[i] = "unrecognised"
        comments = self.article.comments
        announced = self._announced
        signs = [i for i in range(start, self.n) if lines[i].strip() and (role[i] == "comment_meta" or (
            role[i] == "comment_form" and any(k > i and role[k] in (None, "unrecognised") for k in unrec)) or (
            role[i] == "comment_count" and not re.match(r"(?i)\W*(?:0|no)\b", lines[i].strip())))]
        level: Literal["warning", "note"] = "warning"
        if unrec and not comments and (signs or (announced or 0) > 0):
            self.layout = "undelimited"
            self.diags.append(Diagnostic(
                "warning", "comments-undelimited", self.path, unrec[0] + 1,
                f"the page shows a comment section (line {signs[0] + 1 if signs else start + 1}) but its comments "
                f"cannot be told apart; lines {_ranges(unrec)} are kept aside as unrecognised, not read as "
                "article text", "save the page with its comment markup, or report the layout"))
            level = "note"  # each line's text, under the warning that names them all
        for i in unrec:
            self.diags.append(Diagnostic(level, "unrecognised-line", self.path, i + 1,
                                         asbarez.UNRECOGNISED_PREFIX + self.orig[i],
                                         "see `discourse parse FILE --lines`; report the layout if it is common"))
        if not comments and lines and asbarez._MAIN_TEXT_STYLE.match(lines[0]):
            self.diags.append(Diagnostic(
                "warning", "structure-unknown", self.path, 1,
                "main-text extraction style (a ' date YYYY-MM-DD ' prefix): comments, if any, cannot be told "
                "apart from the article and are read as article text",
                "save the page with its comment markup (a text dump or HTML) to recover the reply tree"))
        elif not comments and not any(d.code == "comments-undelimited" for d in self.diags):
            signs = self._comment_signs(start)
            if signs:
                aside = self._set_aside(signs, start)
                kept = (f"; lines {_ranges(aside)} are kept aside as comment_suspected, not read as article text"
                        if aside else "; no article text is set aside for them")
                self.diags.append(Diagnostic(
                    "warning", "comments-suspected", self.path, signs[0] + 1,
                    f"no comments were found, but {'line' if len(signs) == 1 else 'lines'} {_ranges(signs[:12])} "
                    f"{'looks' if len(signs) == 1 else 'look'} like a comment section (names with dates, reply or "
                    "forum lines, text repeated or set off at the end, a reader's greeting or praise, a forum "
                    f"quotation){kept}",
                    "check `discourse parse FILE --lines`; save the page with its comment markup if it has comments"))
                for i in aside:
                    self.diags.append(Diagnostic("note", "suspected-comment-line", self.path, i + 1,
                                                 SUSPECTED_PREFIX + self.orig[i],
                                                 "see `discourse parse FILE --lines`; report the layout if it is common"))
        if not self.article.truncated:
            last = max((i for i in range(self.n) if lines[i].strip()), default=-1)
            if last >= 0 and role[last] in ("body", "unrecognised", "comment_body", "comment_suspected") \
                    and cut_text(lines[last]) and not (
                    role[last] == "comment_body" and _FUSED_REPLY.fullmatch(lines[last].strip())):
                self.article.truncated = True
                self.diags.append(Diagnostic("warning", "truncated", self.path, last + 1,
                                             "the page ends mid-sentence (no closing punctuation): its last text "
                                             "may be cut off", "save the complete page"))
        if announced is not None and announced != len(comments) and not (announced == 0 and not comments):
            self.diags.append(Diagnostic("warning", "comment-count", self.path, None,
                                         f"the page announces {announced} comment(s); {len(comments)} read",
                                         "check `discourse parse FILE --lines` for comments read as other text"))


#: a ``suspected-comment-line`` diagnostic's message is this, then the line exactly as read (its full text)
SUSPECTED_PREFIX = "line looks like part of a comment, kept aside: "


def _ranges(idx: list[int]) -> str:
    out, a, b = [], idx[0], idx[0]
    for i in idx[1:]:
        if i == b + 1:
            b = i
        else:
            out.append(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}")
            a = b = i
    out.append(f"{a + 1}" if a == b else f"{a + 1}-{b + 1}")
    return ", ".join(out)


def sniff(path: Path, head: bytes) -> float:
    """Plain text that is not markup: any page; ``said:`` header lines make it near certain. Linear in
    the size of ``head``."""
    if b"\x00" in head:
        return 0.0
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body[:1] in (b"<", b"{", b"["):
        return 0.0
    if path.suffix.lower() not in (".txt", ".text", ""):
        return 0.0
    return 0.85 if asbarez.has_header(head) else 0.35


def read(path: Path, options: ReadOptions) -> ParsedFile:
    diags: list[Diagnostic] = []
    lines = read_lines(path, options, diags)
    return parse_lines(lines, str(path), title_hint=options.title, roles=options.roles, diags=diags)


def parse_text(text: str, path: str = "page.txt", *, title_hint: str | None = None,
               roles: bool = False) -> ParsedFile:
    """Parse a page given as ``str`` (line ends in any mix)."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if lines and lines[-1] == "":
        lines.pop()
    return parse_lines(lines, path, title_hint=title_hint, roles=roles)


READER = Reader(NAME, "comment page saved as text from any site (WordPress, Blogger, Asbarez and similar)",
                (".txt", ".text"), sniff, read)


# ---- the Asbarez layout, read with this module's furniture rules ----------------------------------------

def parse_asbarez_lines(lines: list[str], path: str, *, title_hint: str | None = None, roles: bool = False,
                diags: list[Diagnostic] | None = None) -> ParsedFile:
    """Parse a page already split into lines; lines the layout's own rules leave unrecognised but that are
    page or comment-section furniture get their role, and a comment the page ends in is flagged truncated."""
    # page furniture above the title (language switcher, skip link, menu, date, a section label) is set
    # aside so that the title is the first line of the article itself
    head: dict[int, str] = {}
    for i, ln in enumerate(lines[:40]):
        s = ln.strip()
        if not s:
            continue
        kind = head_furniture(s)
        if kind is None or len(head) >= 8:
            break
        head[i] = kind
    if head and any(ln.strip() for ln in lines[max(head) + 1:]):
        lines_for_parse = ["" if i in head else ln for i, ln in enumerate(lines)]
    else:
        head = {}
        lines_for_parse = lines
    parsed = asbarez.parse_text("\n".join(lines_for_parse), path, title_hint=title_hint, roles=True)
    art = parsed.articles[0]
    fixed: set[int] = set()
    table: list[tuple[int, str, str | None, str]] = [(i + 1, kind, None, lines[i]) for i, kind in head.items()]
    for kind in head.values():
        parsed.report.dropped[f"{kind}-lines"] += 1
    for line, role, ref, text in parsed.roles or []:
        if role == "unrecognised":
            new = furniture_anywhere(text.strip())
            if new:
                role = new
                fixed.add(line)
        table.append((line, role, ref, text))
    if fixed:
        parsed.diagnostics = [d for d in parsed.diagnostics if not (d.code == "unrecognised-line" and d.line in fixed)]
        parsed.report.dropped["unrecognised-lines"] -= len(fixed)
        if parsed.report.dropped["unrecognised-lines"] <= 0:
            del parsed.report.dropped["unrecognised-lines"]
        for line in sorted(fixed):
            role = next(r[1] for r in table if r[0] == line)
            parsed.report.dropped[f"{role}-lines"] += 1
    if art.comments:
        last = art.comments[-1]
        ends = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1) + 1
        if not last.truncated and last.text and last.line_end == ends and cut_text(last.text):
            last.truncated = art.truncated = True
            parsed.diagnostics.append(Diagnostic(
                "warning", "truncated", path, last.line_end,
                f"page ends inside the text of a comment by {last.author!r} (no closing punctuation); "
                "flagged possibly truncated", "save the complete page to recover the comment"))
    if diags:
        parsed.diagnostics[:0] = diags
    parsed.roles = sorted(table) if roles else None
    return parsed


def read_asbarez(path: Path, options: ReadOptions) -> ParsedFile:
    """The ``asbarez`` reader's read: the Asbarez layout, with the page furniture rules of this module."""
    diags: list[Diagnostic] = []
    lines = read_lines(path, options, diags)
    if any(ln.rstrip().endswith("said:") for ln in lines) and not asbarez_layout(lines):
        # numbered "said:" headers of another system (WordPress, with dates and Reply lines): the text-page rules
        return _Page(lines, str(path), diags).parse(options.title, options.roles)
    return parse_asbarez_lines(lines, str(path), title_hint=options.title, roles=options.roles, diags=diags)


ASBAREZ_READER = Reader(asbarez.NAME, "Asbarez-style plain-text page: article, numbered comments, bulleted replies",
                        (".txt", ".text"), asbarez.sniff, read_asbarez)
