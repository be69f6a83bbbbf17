"""The queries the collocates and distinctive-words tabs link to: the page's query with one
word more. A collocate is searched near the query (``NEAR``, within the window it was
counted in) where the query is a word or a phrase NEAR can take, else with it (``AND``);
a distinctive word, within the query's articles (``AND``). A word is searched as it was
counted (its stem, or its exact form), whether or not the page reads the query exactly,
so a link finds at least the articles its number came from."""

from __future__ import annotations

from indexer.analysis.folding import fold
from indexer.analysis.stopwords import is_stopword
from indexer.query import Phrase, QueryError, Word, parse


def together(
    query: str, word: str, *, window: int | None = None, exact_form: bool = False, exact_query: bool = False
) -> str | None:
    """``query`` and ``word`` as one query: ``query NEAR/(window-1) word`` when ``window``
    is given and the query is one NEAR takes (at most window-1 words between them is
    within the window), else ``(query) AND word`` (an explicit AND keeps the query's own
    reading in either mode). ``exact_form`` searches the word as written (``=word``),
    else by its stem, as it was counted. ``exact_query``: the query was read in exact
    mode; it is written ``=query`` (``=(query)``) so that the word alone keeps its stem:
    the result is meant to run without exact mode, and finds every article the word was
    counted in (exact mode would search the one form shown of a stem counted in all
    its forms). None for a word no query can search: a stopword (queries drop them) or
    text the query language would read as syntax."""
    if not word.strip() or is_stopword(fold(word)):
        return None
    term = f"={word}" if exact_form else word
    written = query.strip()
    node, group = (f"={written}", f"=({written})") if exact_query else (written, f"({written})")
    candidates = [f"{node} NEAR/{window - 1} {term}"] if window and near_operand(written) else []
    candidates.append(f"{group} AND {term}")
    for candidate in candidates:
        try:
            parse(candidate)
        except QueryError:  # NEAR takes only words and phrases; the word itself may be syntax
            continue
        return candidate
    return None



def near_operand(query: str) -> bool:
    """Whether the whole query is one word or phrase (``a OR b NEAR c`` would bind NEAR to b alone)."""
    try:
        return isinstance(parse(query), (Word, Phrase))
    except QueryError:
        return False
