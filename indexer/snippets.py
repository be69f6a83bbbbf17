"""Snippets: a window of the original body around the matches, with highlight spans.

The text of a snippet is the stored body exactly as the source wrote it (diacritics and
all), only line breaks and tabs shown as spaces, so ``highlights`` offsets land on the
words as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from indexer.analysis.analyzers import Word

#: Words in a snippet window.
WINDOW_WORDS = 32
ELLIPSIS = "…"
#: Line breaks and tabs, shown as spaces. Cost: a regex, not str.translate, which looks
#: every character up in its table.
_BREAKS = re.compile("[\n\r\t\v\f]")


def make_snippet(
    text: str,
    words: list[Word],
    spans: list[tuple[int, int]],
    window: int = WINDOW_WORDS,
    more: bool = False,
) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``window`` words holding the most ``spans``, and the spans inside it.

    ``spans`` are ``(start, end)`` offsets into ``text``, sorted; the returned highlight
    offsets are into the returned snippet. ``more``: ``words`` stop before the text's
    last word (the snippet then ends with an ellipsis).
    """
    if not words:
        return "", []
    starts = [w[0] for w in words]
    first = _best_window_start(starts, spans, window)
    last = min(first + window, len(words)) - 1
    begin, end = words[first][0], words[last][1]
    prefix = ELLIPSIS + " " if first > 0 else ""
    suffix = " " + ELLIPSIS if more or last < len(words) - 1 else ""
    shift = len(prefix) - begin
    inside = [(s + shift, e + shift) for s, e in spans if s >= begin and e <= end]
    return prefix + _BREAKS.sub(" ", text[begin:end]) + suffix, inside


def _best_window_start(starts: list[int], spans: list[tuple[int, int]], window: int) -> int:
    """The first word of the window covering the most spans (earliest on a tie)."""
    if not spans:
        return 0
    span_words = [bisect_left(starts, s + 1) - 1 for s, _ in spans]  # word holding each span
    best, best_count = 0, -1
    j = 0
    for i, first in enumerate(span_words):
        while j < len(span_words) and span_words[j] < first + window:
            j += 1
        if j - i > best_count:
            best, best_count = first, j - i
    # Centre the window a little: a few words of context before the first match.
    return max(0, min(best - window // 4, len(starts) - window))
