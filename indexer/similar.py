"""Articles like a given one: its subject words, searched as a pasted title is.

A reader who has found one report wants the others on its subject: the same event told
by another paper, what came before and after it. The article's own words say what that
subject is, and the ones that say it best are those it repeats and the rest of the
corpus rarely holds (a stem's count in the article's title and body times its idf, as
Lucene's "more like this" picks them). The `LIKE_WORDS` best, each written as the
article writes it most often, are searched as a bag of words (mode "any", ranked as a
pasted title is: `indexer.query.ranking`) with the article itself left out.

The query is plain query text, so `Results.query` shows what was searched, and the
same words can be searched, edited, from the command line.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from indexer import analysis
from indexer.errors import UsageError
from indexer.fulltext import FullArticle
from indexer.query.lexer import OPERATORS
from indexer.query.ranking import doc_frequencies
from indexer.store.schema import BODY

#: Words searched; Lucene's MoreLikeThis searches 25 by default.
LIKE_WORDS = 25

#: Words the query language reads as operators, left out of the words searched.
_SYNTAX = frozenset({*OPERATORS, "NEAR", "ONEAR"})

#: Quote marks an ID may be wrapped in, in the query language (`id:"…"`, «…», “…”).
_QUOTES = (('"', '"'), ("«", "»"), ("“", "”"))


def subject_words(article: FullArticle, reader, count: int = LIKE_WORDS) -> list[str]:  # type: ignore[no-untyped-def]
    """The ``count`` words of ``article`` that say most about its subject, each as the
    article writes it most often: stems it holds in title and body, not stopwords, and
    found in at least one other article (``reader``: of the whole index), by their
    count in the article times their idf, most telling first."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for token in analysis.analyze(f"{article.title}\n{article.body}"):
        if token.stopword or token.text in _SYNTAX:  # an English NOT in the text is no operator here
            continue
        counts[token.stem] += 1
        spellings.setdefault(token.stem, Counter())[token.text] += 1
    stems = tuple(counts)
    batched = getattr(reader, "doc_frequencies", None)  # the shards' reader: one fan-out for all
    found_in = batched(BODY, stems) if batched else doc_frequencies(reader, BODY, stems)
    documents = reader.doc_count()
    weights = {stem: counts[stem] * math.log(documents / n) for stem, n in zip(stems, found_in) if n > 1}
    best = sorted(weights, key=lambda stem: (-weights[stem], stem))[:count]
    return [spellings[stem].most_common(1)[0][0] for stem in best]


def like_query(words: Sequence[str], article_id: str) -> str:
    """Query text searching ``words`` as a bag and leaving out the article ``article_id``."""
    for opening, closing in _QUOTES:
        if opening not in article_id and closing not in article_id:
            return " ".join([*words, f"-id:{opening}{article_id}{closing}"])
    raise UsageError(f"an article id holding every kind of quote mark cannot be left out of a search: {article_id!r}")
