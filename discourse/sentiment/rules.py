"""Optional rules on top of VADER's compound score, for comments on armed conflict.

VADER leans positive on negative political comments: a negated negative word scores positive ("there would
have been no war": "war" -2.9 times the negation's -0.74 gives +2.1), and words of violence VADER's lexicon
lacks ("genocide", "occupation", "massacre") score nothing. The ``conflict`` rule changes exactly these two
things, after VADER has scored a sentence:

* a token whose lexicon valence is negative and whose valence a negation ("not", "no", "never", "n't",
  "least") turned positive counts 0: the negation denies the negative, it is not praise;
* a word of :data:`CONFLICT_VALENCES` that VADER does not know counts its valence there, or 0 when a negator
  is among the three tokens before it.

The compound is then computed from the token valences as VADER computes it (their sum, punctuation emphasis
added away from zero, normalised by ``x / sqrt(x^2 + 15)``); ``pos``, ``neu`` and ``neg`` stay VADER's.
Sentences where neither case occurs keep VADER's compound exactly.

The ``topics`` rule does what ``conflict`` does and one thing more: the words of :data:`TOPIC_WORDS`, which
VADER scores positive but which name what a political comment is about rather than how its writer feels
("peace", "peacekeepers", "united", "solidarity", "appease": every VADER-positive word that is an entry of the
default topic lexicon), count 0. "Russian peacekeepers failed us" is about peacekeeping, not praise.

The default is no rule: VADER's scores, identical to vaderSentiment 3.3.2. docs/sentiment.md gives the
rules' measured effect.
"""

from __future__ import annotations

import math
import re

from discourse.sentiment.engine import ALPHA, Explanation, explain
from discourse.sentiment.prepare import SENTIMENT_RULES, check_rule

__all__ = ["CONFLICT_VALENCES", "SENTIMENT_RULES", "TOPIC_WORDS", "check_rule", "rule_compound"]

#: words of armed conflict and its politics that VADER 3.3.2's lexicon lacks, on its -4..+4 scale, set by
#: analogy with the nearest words it has ("murder" -3.7, "killed" -3.5, "war" -2.9, "aggression" -1.2,
#: "propaganda" -1.0)
CONFLICT_VALENCES: dict[str, float] = {
    "genocide": -3.0, "genocides": -3.0, "genocidal": -3.0, "massacre": -3.2, "massacres": -3.2,
    "massacred": -3.2, "pogrom": -3.0, "pogroms": -3.0, "atrocity": -3.3, "atrocities": -3.3,
    "bloodshed": -3.0, "deaths": -2.9, "occupation": -1.5, "occupied": -1.5, "occupier": -1.8,
    "occupiers": -1.8, "invasion": -2.5, "invade": -2.5, "invaded": -2.5, "invading": -2.5, "invaders": -2.0,
    "traitor": -2.8, "traitors": -2.8, "backstab": -2.8, "backstabbed": -2.8, "backstabbing": -2.8,
    "blockade": -2.0, "bombing": -2.5, "bombed": -2.5, "bombings": -2.5, "shelling": -2.5, "shelled": -2.5,
    "dictator": -2.5, "dictators": -2.5, "dictatorship": -2.5, "corrupt": -2.5, "corruption": -2.5,
    "puppet": -1.5, "hypocrisy": -2.0, "crimes": -2.5, "deported": -2.0, "deportation": -2.0,
    "deportations": -2.0, "regime": -1.0, "refugees": -1.0, "casualties": -2.5, "starvation": -2.8,
}
#: VADER 3.3.2's positive words that are entries of the default topic lexicon (discourse/data/lexicon.toml),
#: counted 0 by the ``topics`` rule; tests/sentiment/test_rules.py recomputes the list from both lexicons
TOPIC_WORDS: frozenset[str] = frozenset({
    "apologise", "apologised", "apologises", "apologising", "apologize", "apologized", "apologizes", "apology",
    "appease", "appeased", "appeases", "fighter", "lobby", "peace", "peaceful", "peacefully", "peacekeeper",
    "peacekeepers", "peacekeeping", "peacekeepings", "peacemaker", "peacemakers", "peacemaking", "ratified",
    "solidarity", "survivor", "unified", "united", "weaponless",
})
_NEGATION_RULES = frozenset({"negation", "no", "least"})
_NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "without", "cannot", "none", "nobody",
                       "nothing", "nowhere"})
# a sentence needs the rule only when it may hold a negated word or a conflict word
_TRIGGER = re.compile(r"\b(?:not|no|never|nor|neither|without|cannot|none|nobody|nothing|nowhere|least|\w+n't|"
                      + "|".join(sorted(CONFLICT_VALENCES)) + r")\b", re.IGNORECASE)
_TOPIC_TRIGGER = re.compile(_TRIGGER.pattern[:-3] + "|" + "|".join(sorted(TOPIC_WORDS)) + r")\b", re.IGNORECASE)
_STRIP = ".,!?;:'\"()[]{}*-"


def rule_compound(prepared: str, rule: str, compound: float) -> float:
    """The compound of a prepared sentence (or text) under ``rule``; ``compound`` is VADER's, returned
    unchanged when the rule finds nothing to change.

    >>> rule_compound("There would have been no war.", "conflict", 0.4847)
    0.0
    >>> rule_compound("It was genocide.", "conflict", 0.0)
    -0.6124
    """
    check_rule(rule)
    topics = rule == "topics"
    if not (_TOPIC_TRIGGER if topics else _TRIGGER).search(prepared):
        return compound
    return _conflict(explain(prepared), compound, topics)


def _conflict(trace: Explanation, compound: float, topics: bool = False) -> float:
    values: list[float] = []
    changed = False
    lows = [t.token.lower().strip(_STRIP) for t in trace.tokens]
    for i, token in enumerate(trace.tokens):
        value = token.valence
        lexicon = token.lexicon_valence
        if lexicon is not None and lexicon < 0 < value and any(s.rule in _NEGATION_RULES for s in token.steps):
            value, changed = 0.0, True
        elif lexicon is None and lows[i] in CONFLICT_VALENCES:
            before = lows[max(0, i - 3):i]
            negated = any(w in _NEGATORS or w.endswith("n't") for w in before)
            value, changed = (0.0 if negated else CONFLICT_VALENCES[lows[i]]), True
        elif topics and value > 0 and lows[i] in TOPIC_WORDS:
            value, changed = 0.0, True
        values.append(value)
    if not changed:
        return compound
    total = float(sum(values))
    if total > 0:
        total += trace.punctuation_emphasis
    elif total < 0:
        total -= trace.punctuation_emphasis
    return round(max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA))), 4)
