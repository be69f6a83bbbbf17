"""Whether a bag of words is a question: its form says so, before any search.

A question ("ما هي عاصمة مصر؟", "متى ولد المتنبي") and a headline pasted as a query
("احباط 9 عمليات تهريب بقابس") are different kinds of query: a question's answer is a
passage that holds its words anywhere, a headline's article says them first. Arabic
marks a question by its form: an interrogative opens it (ما، ماذا، من، متى، أين، كيف،
كم، لماذا، هل، أي ...), alone, behind the conjunction و or ف (وما، فمن), or behind a
preposition (في أي، إلى متى، من أين), or a question mark (؟ or ?) ends it. The list is
the language's, not fitted to any collection. لم is left out (mostly the negation of
the past: لم يعد), and so is the interrogative hamza prefix (ألم، أليس), which a word's
own first letter cannot be told from.

A question typed on a Latin keyboard ends with `?`, which the query syntax reads as a
wildcard (و?ير). In a question (mode "any") a `?` that ends a word or stands alone is
its question mark: `read_question_marks` reads it as ؟ before the query is parsed, so
"متى ولد المتنبي?" searches المتنبي rather than the forms one letter longer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.query.nodes import Fuzzy, Node, Phrase, Wildcard, Word

#: The interrogatives, alef seats folded to ا and without diacritics.
INTERROGATIVES = frozenset(
    {"ما", "ماذا", "من", "متى", "متي", "اين", "كيف", "كم", "لماذا", "هل", "اي", "اية", "ايه",
     "انى", "ايان", "بماذا", "لمن", "بمن", "ممن", "عمن", "بكم", "عم", "عما", "فيم", "علام"}
)
#: Interrogatives that a preposition may stand before (في أي، إلى متى، من أين، منذ متى).
AFTER_PREPOSITION = frozenset({"اي", "اية", "اين", "متى", "متي", "ماذا", "كم", "من"})
PREPOSITIONS = frozenset({"في", "الى", "من", "على", "عن", "منذ", "حتى", "مع", "لاي", "باي"})
CONJUNCTIONS = ("و", "ف")
QUESTION_MARKS = ("؟", "?")

#: A Latin ? run after a letter, a digit or a mark, or standing alone, before a space,
#: a closing quote or parenthesis, or the end.
_LATIN_MARKS = re.compile(r"(?:(?<=[\w\u064b-\u065f\u0670])|(?<!\S))\?+(?=[\s\"»”)]|$)")
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alef, tatweel
_ALEF_SEATS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


def read_question_marks(query: str) -> tuple[str, list[str]]:
    """``query`` with every `?` that ends a word or stands alone read as ؟, and a note
    when one was. The text keeps its length, so positions still point into what was
    typed."""
    read = _LATIN_MARKS.sub(lambda marks: "؟" * len(marks.group()), query)
    if read == query:
        return query, []
    return read, ["'?' read as a question mark (a wildcard ? stands inside a word: و?ير)"]


def is_question(words: Sequence[Node]) -> bool:
    """Whether the words of a bag (its nodes, in query order) read as a question: the
    first is an interrogative (or one behind و / ف, or one behind a preposition), or
    the last ends with a question mark."""
    if not words:
        return False
    last = _text(words[-1], -1)
    if last is not None and last.endswith(QUESTION_MARKS):
        return True
    texts = [_text(node, 0) for node in words[:2]]
    first = _folded(texts[0])
    if first is None:
        return False
    if first in INTERROGATIVES or (first[:1] in CONJUNCTIONS and first[1:] in INTERROGATIVES):
        return True
    second = _folded(texts[1]) if len(texts) > 1 else None
    return first in PREPOSITIONS and second in AFTER_PREPOSITION


def _text(node: Node, end: int) -> str | None:
    """What was typed for a word (`end`: the first or last word of a phrase): a trailing ?
    makes a wildcard of it, and a word the index has never seen is searched fuzzy, or as
    a phrase when it splits in two (ماهو as "ما هو", `indexer.query.unseen`); the fuzzy
    word has lost its question mark."""
    match node:
        case Word(text=text) | Fuzzy(text=text) if node.field is None:
            return text
        case Wildcard(pattern=text) if node.field is None:
            return text
        case Phrase(words=words) if node.field is None and words:
            return words[end]
    return None


def _folded(text: str | None) -> str | None:
    return None if text is None else _DIACRITICS.sub("", text).translate(_ALEF_SEATS).rstrip("؟?")
