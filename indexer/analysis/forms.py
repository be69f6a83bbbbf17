"""Per-process caches from a word to its forms.

Arabic news vocabulary is Zipfian: a few thousand words make most of the text, so folding
and stemming each distinct word once per process pays for itself many times over.
"""

from __future__ import annotations

from functools import lru_cache

from indexer.analysis.folding import fold
from indexer.analysis.stemming import stem

CACHE_SIZE = 1 << 18

exact_form = lru_cache(maxsize=CACHE_SIZE)(fold)
stem_form = lru_cache(maxsize=CACHE_SIZE)(stem)
