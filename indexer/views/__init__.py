"""Corpus views over the index: concordance, trends, collocations, frequency lists.

Everything is counted from the index: the documents the query engine matched, and each
document's words in order (`streams.py`, the postings read the other way round), so
counts are exact; only a concordance's page reads stored text, for its context.
"""

from indexer.views.collocates import Collocate, Collocates
from indexer.views.frequency import FrequencyList, TermCount
from indexer.views.kwic import Concordance, KwicLine
from indexer.views.trend import Point, Series, Trend

__all__ = ["Collocate", "Collocates", "Concordance", "FrequencyList", "KwicLine", "Point", "Series", "TermCount", "Trend"]
