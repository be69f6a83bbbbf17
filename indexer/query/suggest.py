""""Did you mean": a close spelling of a query's words that the index holds far more often.

Asked only when a query finds little (`FEW_HITS`). Each plain word of the query that the
index holds in fewer than `FEW_HITS` articles is compared with the exact forms of the
index (folded: alef forms, ة/ه and ى/ي are already one letter there) that begin with the
same letter and lie within two plain edits (`rapidfuzz`'s OSA distance, in C). Their
cost is then an edit distance where the typical slips of Arabic typing are cheap
(`CHEAP`): a hamza for its seat (ء ا و ي), a letter doubled or undoubled, a long vowel
(ا و ي) added or dropped, as transliterated names vary (بلينكن / بلينكين), two
neighbouring letters swapped (ال typed لا). The nearest form wins, the more frequent one
on a tie (weighing frequency against distance did worse on the benchmark's tuning seed); a form is offered only when it is in at
least `MORE_TIMES` as many articles as the word typed. The caller checks that the
corrected query finds more than the query did (`indexer.corpus`).

Only the lexicon slices of the word's first two letters are read (and of every hamza
seat when it starts with one; cached per reader, shared with the fuzzy fallback), so
most other slips in the first letter are not caught.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.query.expansion import lexicon_slice
from indexer.query.forms import Analysis
from indexer.query.nodes import ID_FIELDS, And, Near, Node, Not, Or, Phrase, Required, Word

FEW_HITS = 5
"""A query finding fewer articles than this gets a suggestion, when one finds more."""
MORE_TIMES = 10
"""A suggested form is in at least this many times as many articles as the word typed."""
MAX_COST = 1.0
"""At most one plain edit, or two cheap ones."""
CHEAP = 0.5
SWAP = 0.5
SEATS = frozenset("ءاوي")
LONG_VOWELS = frozenset("اوي")
MIN_LETTERS = 3


@dataclass(frozen=True)
class Correction:
    """A word of the query (where it stands as typed) and the form to put there."""

    start: int
    end: int
    typed: str
    form: str


def corrections(node: Node, query: str, reader, field: str, analysis: Analysis) -> list[Correction]:  # type: ignore[no-untyped-def]
    """The query's words with a much more frequent near spelling in `field` (an exact
    field) of `reader`, and that spelling, left to right."""
    found = []
    for word in _plain_words(node):
        start = query.find(word.text, word.pos)
        tokens = analysis.analyze(word.text)
        if start < 0 or len(tokens) != 1 or tokens[0].stopword:
            continue
        typed = tokens[0].exact
        if len(typed) < MIN_LETTERS:
            continue
        frequency = _frequency(reader, field, typed)
        if frequency >= FEW_HITS:
            continue
        form = nearest(typed, reader, field, at_least=MORE_TIMES * max(frequency, 1))
        if form is not None:
            found.append(Correction(start, start + len(word.text), word.text, form))
    return found


def corrected(query: str, fixes: list[Correction], written: Mapping[str, str]) -> str:
    """`query` with each correction's span replaced by its form as the articles write it
    (``written``: the index's folded أ, ة, ى come back; `indexer.written`)."""
    out, at = [], 0
    for fix in fixes:
        out += [query[at:fix.start], written.get(fix.form, fix.form)]
        at = fix.end
    return "".join(out + [query[at:]])


def nearest(typed: str, reader, field: str, at_least: int) -> str | None:  # type: ignore[no-untyped-def]
    """The nearest exact form of `field` within `MAX_COST` of `typed` held by at least
    `at_least` articles (the most frequent on a tie), or None."""
    letters = {typed[0], typed[1]} | (SEATS if typed[0] in SEATS else set())
    candidates = [t for letter in sorted(letters) for t in lexicon_slice(reader, field, letter) if abs(len(t) - len(typed)) <= 2]
    near = process.extract(typed, candidates, scorer=OSA.distance, score_cutoff=2, limit=None)
    best: tuple[float, int, str] | None = None
    for form, _, _ in near:
        cost = arabic_distance(typed, form)
        if cost > MAX_COST or form == typed:
            continue
        frequency = _frequency(reader, field, form)
        if frequency >= at_least and (best is None or (cost, -frequency, form) < best):
            best = (cost, -frequency, form)
    return None if best is None else best[2]


def arabic_distance(a: str, b: str) -> float:
    """Edits from `a` to `b` (insert, delete, substitute), each 1, except `CHEAP` ones: a
    hamza for its seat, a doubled letter, a long vowel in or out; a swap of neighbours
    costs `SWAP`."""
    rows = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        rows[i][0] = rows[i - 1][0] + _indel(a, i - 1)
    for j in range(1, len(b) + 1):
        rows[0][j] = rows[0][j - 1] + _indel(b, j - 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            x, y = a[i - 1], b[j - 1]
            cost = min(
                rows[i - 1][j] + _indel(a, i - 1),
                rows[i][j - 1] + _indel(b, j - 1),
                rows[i - 1][j - 1] + (0.0 if x == y else CHEAP if x in SEATS and y in SEATS else 1.0),
            )
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[i - 2][j - 2] + SWAP)
            rows[i][j] = cost
    return rows[len(a)][len(b)]


def _indel(word: str, i: int) -> float:
    """The cost of inserting or deleting `word[i]`: cheap for a doubled letter or a long
    vowel inside the word."""
    letter = word[i]
    doubled = (i > 0 and word[i - 1] == letter) or (i + 1 < len(word) and word[i + 1] == letter)
    return CHEAP if doubled or (0 < i and letter in LONG_VOWELS) else 1.0


def _frequency(reader, field: str, form: str) -> int:  # type: ignore[no-untyped-def]
    try:
        return reader.doc_frequency(field, form)
    except (KeyError, ValueError):
        return 0


def _plain_words(node: Node) -> Iterator[Word]:
    """The words searched as words (not in NOT, not patterns, not `=exact`, not ID fields)."""
    match node:
        case Word() if not node.exact and node.field not in ID_FIELDS:
            yield node
        case And(children) | Or(children):
            for child in children:
                yield from _plain_words(child)
        case Required(child):
            yield from _plain_words(child)
        case Not() | Phrase() | Near():
            return
