"""The text-page reader on synthetic pages: every comment layout the reader knows, under articles, page heads and
page tails of the common kinds, with comments of three kinds (plain sentences; long ones with handles, '@' replies
and names with initials; one-word ones). Each page is read against what it was built with: every comment once,
its author and parent, no comment line in the article, and the article's own title.

The full matrix (59 layouts x 3 comment sets x 7 articles x 9 heads x 3 tails) is run by
``DISCOURSE_LAYOUTS_FULL=1``; the normal run reads each layout and comment set under the plain article and
six seeded combinations of article, head and tail.
"""

from __future__ import annotations

import itertools
import os
import random

import pytest

from discourse.readers.textpage import parse_text

ARTICLES = {
    "plain": [
        "Skip to content",
        "Home | About | Contact",
        "",
        "Planting garlic in the autumn",
        "",
        "October 12, 2014 by Sue",
        "",
        "Every year I put the garlic in just after the first frost, and every year I wonder whether I have left it too late.",
        "",
        "This year the cloves went into a raised bed that had held beans all summer. The soil was loose and dark.",
        "",
        "I will report back in the spring on how they did.",
        "",
        "Share this:",
        "Facebook",
        "Twitter",
        "",
    ],
    "short": ["My weekend", "", "We went to the lake and the kids swam until they were blue. It was a good day.", ""],
    "news": [
        "World",
        "",
        "Minister promises new bridge by 2016",
        "",
        "By Jane Doe | March 3, 2015 10:14",
        "",
        "The transport minister said on Tuesday that a new bridge over the river would open within a year.",
        "",
        "Speaking to reporters in the capital, Transport Minister Paul Green said:",
        "",
        "“We have the money and we have the plan. The bridge will be built.”",
        "",
        "Critics were not convinced. A local councillor, Ann White, told the paper:",
        "",
        "“We have heard this before, in 2009 and again in 2012.”",
        "",
        "The ministry listed three steps:",
        "",
        "  1. A tender for the design, to be announced in April.",
        "  2. Construction starting in the summer.",
        "  3. Opening planned for the spring of 2016.",
        "",
        "Photo: A view of the old bridge (AP Photo/John Roe)",
        "",
        "Related articles",
        "",
        "Road tolls to rise in May",
        "New ferry service opens",
        "",
    ],
    "recipe": [
        "Apple crumble",
        "",
        "Posted by Sue on March 3, 2015",
        "",
        "This is the crumble my mother made every Sunday in the autumn, with apples from the tree behind the house.",
        "",
        "Ingredients:",
        "",
        "  • 6 apples",
        "  • 100 g butter",
        "  • 150 g flour",
        "",
        "Method:",
        "",
        "  1. Peel and slice the apples and put them in a dish.",
        "  2. Rub the butter into the flour with your fingertips.",
        "  3. Scatter over the apples and bake for forty minutes.",
        "",
        "Enjoy!",
        "",
    ],
    "byline2": [
        "Council votes to close the library",
        "",
        "Jane Doe",
        "March 3, 2015",
        "",
        "The council voted on Tuesday to close the town library at the end of the year, despite a petition signed by four thousand people.",
        "",
        "“It is a sad day,” said the librarian, Tom Bell, 62, who has worked there since 1981.",
        "",
        "Updated: March 4, 2015 10:14",
        "",
        "About the author",
        "",
        "Jane Doe",
        "Jane covers local politics for the Gazette and lives in the town with her family.",
        "",
    ],
    "tweet": [
        "Fans celebrate the win",
        "",
        "Posted March 3, 2015",
        "",
        "Thousands of fans poured into the streets after the final whistle, singing until the early hours.",
        "",
        "What a night for the club!! Never seen anything like it",
        "— Sam Jones (@samj) March 3, 2015",
        "",
        "The mayor said the city would hold a parade on Saturday for the players and their families.",
        "",
    ],
    "nav": [
        "Menu",
        "Search",
        "",
        "Family Table",
        "A blog about food and family",
        "",
        "Sunday roast for a crowd",
        "",
        "Posted on March 3, 2015",
        "",
        "Nothing beats a roast on a cold Sunday. I bought a big shoulder of pork and let it cook slowly all morning.",
        "",
        "The crackling was perfect, and the gravy was made from the drippings with a splash of cider.",
        "",
        "Posted in Recipes | Tagged pork, roast | 4 Comments",
        "",
    ],
}

HEADS = {
    "none": [],
    "blogname": ["Sue's Garden Diary", "Notes from a small plot in Kent", ""],
    "langdate": ["EN | FR", "", "Monday, October 13, 2014", ""],
    "breadcrumb": ["Home » Garden » Vegetables", ""],
    "skip": ["Skip to main content", "Main menu", "", "THE GARDEN PAGES", ""],
    "tagline": ["Sue Grows Things", "Just another WordPress site", ""],
    "turkish": ["İçeriğe geç", "", "Bahçe Günlüğü", ""],
    "pipe": ["|", "", "world", ""],
    "bloggerdate": ["Sue's Garden Diary", "", "Monday, October 13, 2014", ""],
    "login": ["Log in", "Register", "", "GardenWeb", "", "Home » Blogs » Sue", ""],
    "share": ["Share", "Tweet", "Pin it", "", "Posted in Gardening", ""],
}
TAILS = {
    "none": [],
    "sidebar": [
        "",
        "Recent Posts",
        "",
        "  • Autumn jobs",
        "  • Leeks at last",
        "",
        "Archives",
        "",
        "  • October 2014",
        "  • September 2014",
        "",
        "Powered by WordPress",
    ],
    "blogger": [
        "",
        "Newer Post Older Post Home",
        "",
        "Subscribe to: Post Comments (Atom)",
        "",
        "Blog Archive",
        "",
        "  • ► 2015 (12)",
        "  • ▼ 2014 (40)",
    ],
}
ART_TITLE = {
    "plain": "Planting garlic in the autumn",
    "short": "My weekend",
    "nav": "Sunday roast for a crowd",
    "news": "Minister promises new bridge by 2016",
    "recipe": "Apple crumble",
    "byline2": "Council votes to close the library",
    "tweet": "Fans celebrate the win",
}

COMMENTS = {
    "simple": [
        ("Mary Smith", "What a lovely idea, I must try this next year."),
        ("John", "We always plant ours in November and they come up fine."),
        ("Anonymous", "Do you water them over the winter at all?"),
    ],
    "rich": [
        (
            "Mary Smith",
            "What a lovely idea, I must try this next year. My gran always told me to plant on the shortest day "
            "and harvest on the longest, and she was never wrong",
        ),
        ("john_k", "@Mary Smith we always plant ours in November and they come up fine!!"),
        (
            "Dr. Anne-Marie O'Neil",
            "Do you water them over the winter at all? Ours rotted in 2012 when it rained for a month :(",
        ),
    ],
    "short": [("Mary", "Lovely!"), ("John", "Great post, thanks."), ("Anonymous", "Yum")],
}


def layout_pages(cset: str) -> dict:
    P = {}
    c = COMMENTS[cset]
    # Blogger said...
    P["blogger"] = (
        ["3 comments:", ""]
        + sum(
            [
                [f"{a} said...", "", t, "", f"{d}", ""]
                for (a, t), d in zip(
                    c, ["October 12, 2014 at 9:14 PM", "October 13, 2014 at 7:02 AM", "October 14, 2014 at 10:30 AM"]
                )
            ],
            [],
        )
        + ["Post a Comment", ""],
        [(a, None) for a, _ in c],
    )
    P["blogger_nohead"] = (
        sum(
            [
                [f"{a} said...", t, d, ""]
                for (a, t), d in zip(c, ["12 October 2014 21:14", "13 October 2014 07:02", "14 October 2014 10:30"])
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["blogger_old"] = (
        ["3 Comments:", ""]
        + sum([[f"At {d}, {a} said...", "", t, ""] for (a, t), d in zip(c, ["9:14 PM", "7:02 AM", "10:30 AM"])], [])
        + ["Post a Comment", "", "<< Home"],
        [(a, None) for a, _ in c],
    )
    P["says"] = (
        ["3 Responses", ""]
        + sum(
            [
                [f"{a} says:", d, "", t, "", "Reply", ""]
                for (a, t), d in zip(
                    c, ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
                )
            ],
            [],
        )
        + ["Leave a Reply", "Your email address will not be published."],
        [(a, None) for a, _ in c],
    )
    P["says_thread"] = (
        ["3 thoughts on “Planting garlic”", ""]
        + [
            "  1. Mary Smith says:",
            "    October 12, 2014 at 9:14 pm",
            "",
            "    What a lovely idea, I must try this next year.",
            "",
            "    Reply",
            "",
            "      • Sue says:",
            "        October 12, 2014 at 10:00 pm",
            "",
            "        Thank you Mary, let me know how it goes!",
            "",
            "        Reply",
            "",
            "  2. John says:",
            "    October 13, 2014 at 7:02 am",
            "",
            "    We always plant ours in November and they come up fine.",
            "",
            "    Reply",
            "",
            "Leave a Reply",
        ],
        [("Mary Smith", None), ("Sue", 0), ("John", None)],
    )
    P["on_said"] = (
        ["2 Comments", ""]
        + [
            "  1. Mary Smith on 12 March 2015 at 10:14 said:",
            "",
            "    What a lovely idea, I must try this next year.",
            "",
            "    Reply",
            "",
            "  2. John on 13 March 2015 at 11:00 said:",
            "",
            "    We always plant ours in November and they come up fine.",
            "",
            "    Reply",
            "",
        ],
        [("Mary Smith", None), ("John", None)],
    )
    P["pipe"] = (
        ["Comments", ""]
        + sum(
            [
                [f"{a} | {d}", t, ""]
                for (a, t), d in zip(c, ["October 12, 2014", "October 13, 2014", "October 14, 2014"])
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["pipe_nohead"] = (
        sum(
            [
                [f"{a} | {d}", "", t, ""]
                for (a, t), d in zip(c, ["Oct 12, 2014 9:14pm", "Oct 13, 2014 7:02am", "Oct 14, 2014 10:30am"])
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["name_date_lines"] = (
        ["3 Comments", ""]
        + sum(
            [
                [a, d, "", t, "", "Reply", ""]
                for (a, t), d in zip(
                    c, ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
                )
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["name_date_lines_nohead_reply"] = (
        sum(
            [
                [a, d, "", t, "", "Log in to Reply", ""]
                for (a, t), d in zip(
                    c, ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
                )
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["name_date_like"] = (
        ["Comments (3)", ""]
        + sum([[a, d, t, "Like", ""] for (a, t), d in zip(c, ["2 days ago", "3 days ago", "5 days ago"])], []),
        [(a, None) for a, _ in c],
    )
    P["numbered"] = (
        ["3 Responses to “Planting garlic”", ""]
        + [f"  {k + 1}. {t}" for k, (a, t) in enumerate(c)]
        + ["", "Comments are closed."],
        [(None, None)] * 3,
    )
    P["numbered_bullets"] = (
        ["46 Responses to “Planting garlic”", ""]
        + [
            "  1. What a lovely idea, I must try this next year.",
            "",
            "       • Thank you, let me know how it goes!",
            "",
            "           • I will, thanks.",
            "",
            "  2. We always plant ours in November and they come up fine.",
            "",
            "  3. Do you water them over the winter at all?",
            "",
        ],
        [(None, None), (None, 0), (None, 1), (None, None), (None, None)],
    )
    P["numbered_names"] = (
        ["3 Comments", ""]
        + sum(
            [
                [f"  {k + 1}. {a}", f"    {d}", "", f"    {t}", ""]
                for k, ((a, t), d) in enumerate(
                    zip(
                        c,
                        ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"],
                    )
                )
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["closed"] = (["Comments are closed."], [])
    P["none"] = (["No comments:", "", "Post a Comment", "", "Newer Post Older Post Home"], [])
    P["start_conv"] = (["Start the conversation", "", "Login to comment"], [])
    P["one_thought"] = (
        ["One thought on “Planting garlic”", ""]
        + [
            "  1. Mary Smith",
            "    October 12, 2014 at 9:14 pm",
            "",
            "    What a lovely idea, I must try this next year.",
            "",
            "    Reply",
            "",
        ],
        [("Mary Smith", None)],
    )
    P["ten_thoughts_said"] = (
        ["2 thoughts on “Planting garlic”", ""]
        + [
            "  1. Mary Smith said:",
            "    October 12, 2014 at 9:14 pm",
            "",
            "    What a lovely idea, I must try this next year.",
            "",
            "    Reply",
            "",
            "      1. Sue said:",
            "        October 12, 2014 at 10:00 pm",
            "",
            "        Thank you Mary!",
            "",
            "        Reply",
            "",
        ],
        [("Mary Smith", None), ("Sue", 0)],
    )
    P["wrote"] = (
        ["Comments", ""]
        + sum(
            [[f"{a} wrote:", t, f"Posted {d}", ""] for (a, t), d in zip(c, ["12/10/2014", "13/10/2014", "14/10/2014"])],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["like_reply_lines"] = (
        ["3 comments", ""] + sum([[a, t, f"Like · Reply · {k + 1}y", ""] for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    P["disqus_bullets"] = (
        ["3 Comments", "", "Sort by Newest", ""]
        + sum(
            [[a, f"• {d}", t, "Reply", ""] for (a, t), d in zip(c, ["3 years ago", "3 years ago", "2 years ago"])], []
        ),
        [(a, None) for a, _ in c],
    )
    P["indent_names"] = (
        ["3 Comments", ""]
        + [
            "Mary Smith",
            "October 12, 2014 at 9:14 pm",
            "What a lovely idea, I must try this next year.",
            "Reply",
            "    Sue",
            "    October 12, 2014 at 10:00 pm",
            "    Thank you Mary!",
            "    Reply",
            "John",
            "October 13, 2014 at 7:02 am",
            "We always plant ours in November.",
            "Reply",
        ],
        [("Mary Smith", None), ("Sue", 0), ("John", None)],
    )
    P["name_date_sameline_at"] = (
        ["Responses", ""]
        + sum(
            [
                [f"{a} on {d}", "", t, ""]
                for (a, t), d in zip(
                    c, ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
                )
            ],
            [],
        ),
        [(a, None) for a, _ in c],
    )
    P["said_colon_date_after"] = (
        ["3 comments", ""]
        + sum([[f"{a} said:", t, d, ""] for (a, t), d in zip(c, ["12:14 PM", "7:02 AM", "10:30 AM"])], []),
        [(a, None) for a, _ in c],
    )
    D3 = ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
    P["wp_thread_indent"] = (
        ["3 thoughts on “Planting garlic”", ""]
        + [
            f"{c[0][0]} says:",
            D3[0],
            c[0][1],
            "Reply",
            "",
            f"    {c[1][0]} says:",
            f"    {D3[1]}",
            f"    {c[1][1]}",
            "    Reply",
            "",
            f"        {c[2][0]} says:",
            f"        {D3[2]}",
            f"        {c[2][1]}",
            "        Reply",
            "",
            "Leave a Reply Cancel reply",
        ],
        [(c[0][0], None), (c[1][0], 0), (c[2][0], 1)],
    )
    P["avatar_reply_arrow"] = (
        ["3 Replies", ""] + sum([[f"{a}'s avatar", f"{a} on {d}", t, "Reply ↓", ""] for (a, t), d in zip(c, D3)], []),
        [(a, None) for a, _ in c],
    )
    P["like_like"] = (
        ["3 responses", ""]
        + sum([[a, d, t, "Like", "Liked by 2 people", "Reply", ""] for (a, t), d in zip(c, D3)], []),
        [(a, None) for a, _ in c],
    )
    P["emdash"] = (
        ["Comments (3)", ""] + sum([[f"{a} — {d}", t, ""] for (a, t), d in zip(c, D3)], []),
        [(a, None) for a, _ in c],
    )
    P["disqus_ago"] = (
        ["3 Comments", "Login", "Sort by Best", ""]
        + sum([[a, f"{k + 2} years ago", t, "Reply", "Share ›", ""] for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    P["posted_permalink"] = (
        ["3 Comments", ""] + sum([[a, f"Posted {d} | Permalink", "", t, ""] for (a, t), d in zip(c, D3)], []),
        [(a, None) for a, _ in c],
    )
    P["hash_numbered"] = (
        ["Comments", ""] + sum([[f"#{k + 1} {a} on {d}", t, ""] for k, ((a, t), d) in enumerate(zip(c, D3))], []),
        [(a, None) for a, _ in c],
    )
    P["fb_plugin"] = (
        ["3 comments", "Sort by Oldest", ""]
        + sum([[a, t, f"Like · Reply · {k + 1}y", ""] for k, (a, t) in enumerate(c)], [])
        + ["Facebook Comments Plugin"],
        [(a, None) for a, _ in c],
    )
    P["said_then_closed"] = (
        ["3 comments:", ""]
        + sum([[f"{a} said...", t, d, ""] for (a, t), d in zip(c, D3)], [])
        + ["Comments are closed."],
        [(a, None) for a, _ in c],
    )
    P["name_date_reply_nested_bullets"] = (
        ["3 Comments", ""]
        + [
            f"  1. {c[0][0]}",
            f"     {D3[0]}",
            f"     {c[0][1]}",
            "     Reply",
            "",
            f"       • {c[1][0]}",
            f"         {D3[1]}",
            f"         {c[1][1]}",
            "         Reply",
            "",
            f"  2. {c[2][0]}",
            f"     {D3[2]}",
            f"     {c[2][1]}",
            "     Reply",
            "",
        ],
        [(c[0][0], None), (c[1][0], 0), (c[2][0], None)],
    )
    dates = ["October 12, 2014 at 9:14 pm", "October 13, 2014 at 7:02 am", "October 14, 2014 at 10:30 am"]
    # an avatar's alt text printed beside each name
    P["avatar_alt"] = (
        ["3 Comments", ""] + sum([[f"{a} Avatar", d, "", t, "", "Reply", ""] for (a, t), d in zip(c, dates)], []),
        [(a, None) for a, _ in c],
    )
    # Blogger's header with every name lost
    P["said_name_lost"] = (
        ["3 comments:", ""] + sum([[f"At {d}, said...", "", t, ""] for (a, t), d in zip(c, ["9:14 PM", "7:02 AM",
                                                                                            "10:30 AM"])], [])
        + ["Post a Comment", ""],
        [(None, None)] * 3,
    )
    if cset != "short":
        # no names, each comment closed by its date and Reply on one line (a one-word comment over a date line
        # is a name over its date: no page tells them apart)
        P["date_reply_after"] = (
            ["Comments", ""] + sum([[t, "", f"{d} Reply", ""] for (a, t), d in zip(c, dates)], []),
            [(None, None)] * 3,
        )
    # a count the page does not show (the other comments paged), each comment closed by Reply
    P["count_paged"] = (
        ["12 comments", ""] + sum([[t, "", "Reply", ""] for a, t in c], []),
        [(None, None)] * 3,
    )
    # '#N DATE' with no name over each comment
    P["hash_date"] = (
        ["3 Responses", ""] + sum([[f"#{k + 1} {d}", t, ""] for k, ((a, t), d) in enumerate(zip(c, dates))], []),
        [(None, None)] * 3,
    )
    # Reddit's score line over each comment
    P["score_line"] = (
        ["Comments", ""] + sum([[f"{a} {k + 3} points 2 years ago", "", t, ""] for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    # the second comment opens with a quotation of the first commenter
    P["quoted_commenter"] = (
        ["3 comments:", ""]
        + sum([[f"{a} said...", "", *([f"{c[0][0]} said:", "Plant them deep."] if k == 1 else []), t, "", d, ""]
               for k, ((a, t), d) in enumerate(zip(c, dates))], []),
        [(a, None) for a, _ in c],
    )
    # no names, each comment closed by Reply, a reply indented under the comment it answers
    P["indent_reply_noname"] = (
        ["3 Comments", ""] + sum([[f"{ind}{t}", f"{ind}Reply", ""] for ind, (a, t) in zip(["", "    ", ""], c)], []),
        [(None, None), (None, 0), (None, None)],
    )
    if cset != "short":
        # the name straight over the text, no blank line (one-word comments are too short to tell from names)
        P["name_over_text"] = (
            ["Comments", ""] + sum([[a, t] for a, t in c], []) + [""],
            [(a, None) for a, _ in c],
        )
    # a theme that prints the name with a dash after it, over the date line
    P["name_dash_date"] = (
        ["3 Comments", ""] + sum([[f"{a} -", d, t, "Reply", ""] for (a, t), d in zip(c, dates)], []),
        [(a, None) for a, _ in c],
    )
    # the same with no date: the name and its dash over the text, each comment closed by Reply
    P["name_dash_text"] = (
        ["3 Comments", ""] + sum([[f"{a} -", t, "Reply", ""] for a, t in c], []),
        [(a, None) for a, _ in c],
    )
    # a poll site's 'name ( date)', the space inside the bracket
    P["name_paren_space_date"] = (
        ["Comments", ""] + sum([[f"{a} ( {d})", t, ""] for (a, t), d in zip(c, ["12/10/2014", "2 days ago",
                                                                                  "October 14, 2014"])], []),
        [(a, None) for a, _ in c],
    )
    # Tildes: each comment's text printed twice (the collapsed preview, then the full text), replies indented
    P["tildes_preview"] = (
        ["3 comments", ""] + sum([[f"{ind}{a}", f"{ind}{d}", f"{ind}{t}", f"{ind}{t}", f"{ind}Link", f"{ind}Reply",
                                   ""] for ind, (a, t), d in zip(["", "  ", ""], c, ["2 years ago", "2 years ago",
                                                                                     "1 year ago"])], []),
        [(c[0][0], None), (c[1][0], 0), (c[2][0], None)],
    )
    # a forum post's author line over its number and subject, then its date
    P["forum_post_number"] = (
        ["Comments", ""] + sum([[a, f"/ #{k + 45} Re: Planting garlic", d, "", t, ""]
                                for k, ((a, t), d) in enumerate(zip(c, dates))], []),
        [(a, None) for a, _ in c],
    )
    # Substack: the date glued to 'Edited', the author's like, the buttons and a replies button under the text
    P["substack_buttons"] = (
        ["3 Comments", ""] + sum([[a, f"Oct {k + 12}, 2023Edited", t, "Liked by Sue Smith", "Expand full comment",
                                   "Reply", "Share", f"{k + 2} replies", ""] for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    # Substack: the post author's badge on its own line between the name and the date, a Restack button
    P["substack_author_badge"] = (
        ["3 Comments", ""] + sum([[a, *(["Author"] if k == 1 else []), f"Oct {k + 12}", t, "Like (2)", "Reply",
                                   "Share", "Restack", ""] for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    # Ning: 'Permalink Reply by NAME on DATE' over each reply
    P["ning_permalink_reply"] = (
        ["Replies to This Discussion", ""] + sum([[f"Permalink Reply by {a} on {d}", t, ""]
                                                  for (a, t), d in zip(c, dates)], []),
        [(a, None) for a, _ in c],
    )
    # Redlib/Libreddit: the vote count (thousands abbreviated) over each 'u/name' and its age
    handles = ["u/" + "_".join(a.replace(".", "").replace("'", "").split()) for a, _ in c]
    P["redlib_votes"] = (
        ["1.2k comments sorted by Best", ""] + sum([[f"{k + 1}.{k + 3}k", h, f"{k + 2}y ago", t, ""]
                                                   for k, (h, (a, t)) in enumerate(zip(handles, c))], []),
        [(h, None) for h in handles],
    )
    P["redlib_votes_one_line"] = (
        ["12 comments sorted by Best", ""] + sum([[f"{k + 3}", f"{h} {k + 2}y ago", t, ""]
                                                 for k, (h, (a, t)) in enumerate(zip(handles, c))], []),
        [(h, None) for h in handles],
    )
    # Tildes with its buttons: the name, the permalink, the age, the text twice, then Vote/Reply/Bookmark
    P["tildes_buttons"] = (
        ["3 comments", ""] + sum([[f"{ind}{h}", f"{ind}Link", f"{ind}{k + 2} years ago", f"{ind}{t}", f"{ind}{t}",
                                   f"{ind}Vote ({k + 3})", f"{ind}Reply", f"{ind}Bookmark", f"{ind}Exemplary", ""]
                                  for k, (ind, h, (a, t)) in enumerate(zip(["", "  ", ""], handles, c))], []),
        [(handles[0], None), (handles[1], 0), (handles[2], None)],
    )
    # Typepad's signature under each comment, and the same with the name (a link) lost in saving
    P["typepad_posted_by"] = (
        ["Comments", ""] + sum([[t, "", f"Posted by: {a} | {d}", ""] for (a, t), d in zip(c, dates)], []),
        [(a, None) for a, _ in c],
    )
    P["typepad_name_lost"] = (
        ["Comments", ""] + sum([[t, "", f"Posted by: | {d}", ""] for (a, t), d in zip(c, dates)], []),
        [(None, None)] * 3,
    )
    # Substack: a replies button naming who replied, under the buttons
    P["substack_reply_by"] = (
        ["3 Comments", ""] + sum([[a, f"Oct {k + 12}", t, "Reply", "Share", f"1 reply by {c[(k + 1) % 3][0]}", ""]
                                  for k, (a, t) in enumerate(c)], []),
        [(a, None) for a, _ in c],
    )
    # old Reddit: the collapse toggle before the name and score, the row of buttons under the text
    P["old_reddit_toggle"] = (
        ["3 comments sorted by: best", ""] + sum([[f"{ind}[–]{h} {k + 3} points 2 years ago", f"{ind}{t}",
                                                   f"{ind}permalink embed save report reply", ""]
                                                  for k, (ind, h, (a, t)) in enumerate(zip(["", "    ", ""],
                                                                                            handles, c))], []),
        [(handles[0], None), (handles[1], 0), (handles[2], None)],
    )
    return P


FULL = os.environ.get("DISCOURSE_LAYOUTS_FULL") == "1"


def _cases():
    combos = list(itertools.product(ARTICLES, HEADS, TAILS))
    for cset in COMMENTS:
        for k, name in enumerate(layout_pages(cset)):
            chosen = (
                combos if FULL else [("plain", "none", "none")] + random.Random(k * 7 + len(cset)).sample(combos, 6)
            )
            for art, head, tail in chosen:
                yield pytest.param(cset, name, art, head, tail, id=f"{cset}-{name}-{art}-{head}-{tail}")


@pytest.mark.parametrize("cset,name,art,head,tail", list(_cases()))
def test_a_synthetic_page_reads_as_built(cset, name, art, head, tail):
    body, want = layout_pages(cset)[name]
    lines = HEADS[head] + ARTICLES[art] + body + TAILS[tail]
    parsed = parse_text("\n".join(lines) + "\n", roles=True)
    page = parsed.articles[0]
    ids = [c.source_id for c in page.comments]
    assert [(c.author, c.parent) for c in page.comments] == [
        (a, ids[p] if p is not None and p < len(ids) else None) for a, p in want
    ]
    section = {ln.strip() for ln in body if ln.strip()}
    assert not [t for _, role, _, t in parsed.roles if role == "body" and t.strip() in section]
    assert page.title == ART_TITLE[art]
