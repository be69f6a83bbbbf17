"""Association and keyness scores, from counts.

Collocation (a node N, a collocate C, a corpus of ``size`` words): ``together`` is how
often C stood within the window of N, ``node`` and ``collocate`` their frequencies, and
``window_words`` how many words stood within the windows of N's occurrences (each once).
MI, t and LLR read the 2x2 table of surface co-occurrence (Evert 2008, "Corpora and
collocations", 5.2): the corpus's words split by whether they stand in a window of N and
whether they are C, so O11 = together, O12 = window_words - together, O21 = collocate -
together, O22 = the rest, and chance expects E11 = window_words x collocate / size. A
table built on the node's frequency instead (O12 = node - together) expects a window
of one word: MI comes out log2(window_words / node), about log2(2 x window), too high,
and t and LLR reward frequent collocates. logDice (Rychly 2008) is defined on the
node's frequency.
"""

from __future__ import annotations

import math

import numpy as np

MEASURES = ("logdice", "mi", "t", "llr")


def association(measure: str, together: int, node: int, window_words: int, collocate: int, size: int) -> float:
    """The score of a collocate by ``measure`` (higher: more strongly associated)."""
    if measure == "logdice":  # Rychly 2008: 14 at most, independent of corpus size
        return 14 + math.log2(2 * together / (node + collocate)) if node + collocate else 0.0
    expected = window_words * collocate / size if size else 0.0
    if measure == "mi":
        return math.log2(together / expected) if expected and together else 0.0
    if measure == "t":
        return (together - expected) / math.sqrt(together) if together else 0.0
    o11 = together
    o12 = max(window_words - together, 0)
    o21 = max(collocate - together, 0)
    o22 = max(size - window_words - collocate + together, 0)
    return log_likelihood(o11, o12, o21, o22)


def log_likelihood(o11: int, o12: int, o21: int, o22: int) -> float:
    """Dunning's G2 of a 2x2 table, signed: negative when O11 is below what chance gives."""
    total = o11 + o12 + o21 + o22
    if not total:
        return 0.0
    rows = (o11 + o12, o21 + o22)
    cols = (o11 + o21, o12 + o22)
    g2 = 0.0
    for observed, row, col in ((o11, 0, 0), (o12, 0, 1), (o21, 1, 0), (o22, 1, 1)):
        expected = rows[row] * cols[col] / total
        if observed:
            g2 += observed * math.log(observed / expected)
    g2 *= 2
    return g2 if o11 * total >= rows[0] * cols[0] else -g2


def keyness(in_part: int, part_size: int, in_rest: int, rest_size: int) -> float:
    """Log-likelihood of a word's frequency in a part of a corpus against the rest
    (Rayson and Garside 2000), signed: positive when the part uses it more."""
    return log_likelihood(in_part, part_size - in_part, in_rest, rest_size - in_rest)


def keyness_array(in_part: np.ndarray, part_size: float, in_rest: np.ndarray, rest_size: float) -> np.ndarray:
    """`keyness` of many words at once (the same G2, signed), as float64."""
    observed = [in_part, part_size - in_part, in_rest, rest_size - in_rest]
    total = part_size + rest_size
    rows = (part_size, rest_size)
    cols = (in_part + in_rest, total - in_part - in_rest)
    g2 = np.zeros(len(in_part))
    for o, row, col in zip(observed, (0, 0, 1, 1), (0, 1, 0, 1)):
        expected = rows[row] * cols[col] / total
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 += np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / np.where(expected > 0, expected, 1)), 0.0)
    g2 *= 2
    return np.where(in_part * total >= rows[0] * cols[0], g2, -g2)


#: What a word never seen on one side counts as in `log_ratio_array` (Hardie's choice in
#: CQPweb), so that a word of the part alone gets a finite ratio, not an infinite one.
ZERO_ADJUSTMENT = 0.5


def log_ratio_array(in_part: np.ndarray, part_size: float, in_rest: np.ndarray, rest_size: float) -> np.ndarray:
    """Log Ratio (Hardie 2014): log2 of a word's relative frequency in a part of a corpus
    over its relative frequency in the rest. An effect size beside `keyness`'s
    significance: 1 is twice as frequent, -1 half; G2 grows with frequency alone, so
    the commonest words top a list sorted by it. NaN when the rest holds no word."""
    if not rest_size or not part_size:
        return np.full(len(in_part), np.nan)
    part = np.where(in_part > 0, in_part, ZERO_ADJUSTMENT) / part_size
    rest = np.where(in_rest > 0, in_rest, ZERO_ADJUSTMENT) / rest_size
    return np.log2(part / rest)
