"""Words the index has never seen: let the index itself say what the user meant.

The stemmer keeps a leading و ف ب ك ل when word counts give no evidence that it is a
clitic (so وزير keeps its و). In a query, the index is better evidence: when a word's
stem occurs in no title or body, but the word minus a clitic prefix does, the user typed
the clitic (بداوود means ب + داوود). When the word splits, right after a letter that never
joins the next (ا د ذ ر ز و), into two words the index knows, a space went missing where
nobody could see it: الاسكندرالاكبر is searched as the phrase "الاسكندر الاكبر". And in
mode "any" (natural-language questions), a still-unseen word of five letters or more is
searched as a one-edit fuzzy term, so a misspelling (بلجيكيا) still counts for something;
at most `MAX_FUZZY_REWRITES` of them, as each scans a slice of the lexicon (a pasted page of
unseen words is not a question).
Each rewrites the tree, so highlights follow what was actually searched, and ``explain``
notes each rewrite.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.query.forms import Analysis, text_forms
from indexer.query.questions import QUESTION_MARKS
from indexer.query.nodes import (
    ID_FIELDS,
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    NodeVisitor,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)
from indexer.store.schema import BODY, STEM_FIELDS

#: Clitic prefixes tried, longest first (after folding, so أ/إ variants are already ا).
CLITICS = (
    "وبال", "وكال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
    "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك",
)
MIN_REST = 3
#: Folded letters that never join the letter after them: a space lost after one is invisible.
NON_JOINING = frozenset("ادذرزو")
MIN_PART = 2
MIN_FUZZY_STEM = 5
MAX_FUZZY_REWRITES = 16


def resolve_unseen(node: Node, reader, mode: str, analysis: Analysis) -> tuple[Node, list[str]]:  # type: ignore[no-untyped-def]
    """``node`` with unseen words rewritten, and a note for each rewrite."""
    resolver = _Resolver(reader, mode, analysis)
    return resolver.visit(node), resolver.notes


class _Resolver(NodeVisitor[Node]):
    def __init__(self, reader, mode: str, analysis: Analysis) -> None:  # type: ignore[no-untyped-def]
        self.reader = reader
        self.mode = mode
        self.analysis = analysis
        self.notes: list[str] = []
        self.fuzzy_left = MAX_FUZZY_REWRITES

    def visit_and(self, node: And) -> Node:
        children = tuple(self.visit(child) for child in node.children)
        return replace(node, children=children + _lost_question_mark(node.children[-1], children[-1]))

    def visit_or(self, node: Or) -> Node:
        return replace(node, children=tuple(self.visit(child) for child in node.children))

    def visit_required(self, node: Required) -> Node:
        return replace(node, child=self.visit(node.child))

    def visit_word(self, node: Word) -> Node:
        if node.exact or node.field in ID_FIELDS:
            return node
        resolved = _word(node, self.reader, self.mode, self.analysis, self.notes)
        if isinstance(resolved, Fuzzy):
            if not self.fuzzy_left:
                self.notes[-1] = f"'{resolved.text}' is not in the index: searched as typed ({MAX_FUZZY_REWRITES} words were searched as fuzzy already)"
                return node
            self.fuzzy_left -= 1
        return resolved

    def _unchanged(self, node: Not | Phrase | Prefix | Wildcard | Fuzzy | Near | DateRange) -> Node:
        # Not is left alone too: excluding a misspelling must not exclude its neighbours.
        return node

    visit_not = visit_phrase = visit_prefix = visit_wildcard = visit_fuzzy = visit_near = visit_date_range = _unchanged


#: Where `_seen` looks: bodies first, as nearly every word the index holds is in some body.
_BODY_FIRST = tuple(sorted(STEM_FIELDS, key=lambda field: field != BODY))


def _seen(stem: str, reader) -> bool:
    # `in` stops at the first segment holding the word; doc_frequency asks every segment.
    return any((field, stem) in reader for field in _BODY_FIRST)


def _word(node: Word, reader, mode: str, analysis: Analysis, notes: list[str]) -> Node:
    tokens = analysis.analyze(node.text)
    if len(tokens) != 1 or tokens[0].stopword or _seen(tokens[0].stem, reader):
        return node
    exact = tokens[0].exact
    for clitic in CLITICS:
        rest = exact[len(clitic):]
        if exact.startswith(clitic) and len(rest) >= MIN_REST:
            forms = text_forms(rest, False, analysis)
            if forms.forms and not forms.stopword and _seen(forms.forms[0], reader):
                notes.append(f"'{node.text}' is not in the index: searched as '{rest}'")
                return replace(node, text=rest)
    split = _lost_space(exact, reader, analysis)
    if split is not None:
        split = _as_typed(tokens[0].text, split, analysis)
        notes.append(f"'{node.text}' is not in the index: searched as \"{split[0]} {split[1]}\"")
        return Phrase(split, node.field, None, False, node.pos)
    if mode == "any" and len(tokens[0].stem) >= MIN_FUZZY_STEM:
        word = tokens[0].text  # without the punctuation a question ends with
        notes.append(f"'{word}' is not in the index: searched as {word}~1")
        return Fuzzy(word, 1, node.field, node.pos)
    return node


def _lost_question_mark(typed: Node, searched: Node) -> tuple[Node, ...]:
    """The question mark a rewrite of the last word dropped (بلجيكيا؟ searched as
    بلجيكيا~1), as a word of its own, as if typed "بلجيكيا ؟": the query still reads as
    a question (`indexer.query.questions`)."""
    if typed is searched or not isinstance(typed, Word):
        return ()
    mark = typed.text[len(typed.text.rstrip("".join(QUESTION_MARKS))):]
    if not mark:
        return ()
    return (Word(mark, typed.field, False, typed.pos + len(typed.text) - len(mark)),)


def _lost_space(exact: str, reader, analysis: Analysis) -> tuple[str, str] | None:
    """The two words an unseen word splits into after a non-joining letter, both known to
    the index; of several splits, the one whose rarer word is commonest."""
    best, best_count = None, 0
    for cut in range(MIN_PART, len(exact) - MIN_PART + 1):
        if exact[cut - 1] not in NON_JOINING:
            continue
        left, right = exact[:cut], exact[cut:]
        counts = []
        for part in (left, right):
            forms = text_forms(part, False, analysis)
            stem = forms.forms[0] if len(forms.forms) == 1 else None
            counts.append(0 if stem is None else sum(reader.doc_frequency(f, stem) for f in STEM_FIELDS))
        if min(counts) > best_count:
            best, best_count = (left, right), min(counts)
    return best


def _as_typed(word: str, split: tuple[str, str], analysis: Analysis) -> tuple[str, str]:
    """The split of the word as typed (diacritics and letter variants kept), where found;
    a mark after the cut letter stays with it."""
    for cut in range(len(word) - 1, 0, -1):
        if analysis.fold(word[:cut]) == split[0] and analysis.fold(word[cut:]) == split[1]:
            return word[:cut], word[cut:]
    return split
