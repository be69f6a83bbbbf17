"""Words the index has never seen: let the index itself say what the user meant.

The stemmer keeps a leading و ف ب ك ل when word counts give no evidence that it is a
clitic (so وزير keeps its و). In a query, the index is better evidence: when a word's
stem occurs in no title or body, but the word minus a clitic prefix does, the user typed
the clitic (بداوود means ب + داوود). And in mode "any" (natural-language questions), a
still-unseen word of five letters or more is searched as a one-edit fuzzy term, so a
misspelling (بلجيكيا) still counts for something. Both rewrite the tree, so highlights
follow what was actually searched, and ``explain`` notes each rewrite.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.query.forms import Analysis, text_forms
from indexer.query.nodes import ID_FIELDS, And, Fuzzy, Node, Or, Required, Word

#: Clitic prefixes tried, longest first (after folding, so أ/إ variants are already ا).
CLITICS = (
    "وبال", "وكال", "فبال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
    "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك",
)
MIN_REST = 3
MIN_FUZZY_STEM = 5


def resolve_unseen(node: Node, reader, mode: str, analysis: Analysis) -> tuple[Node, list[str]]:
    """``node`` with unseen words rewritten, and a note for each rewrite."""
    notes: list[str] = []
    return _visit(node, reader, mode, analysis, notes), notes


def _visit(node: Node, reader, mode: str, analysis: Analysis, notes: list[str]) -> Node:
    if isinstance(node, (And, Or)):
        return replace(node, children=tuple(_visit(c, reader, mode, analysis, notes) for c in node.children))
    if isinstance(node, Required):
        return replace(node, child=_visit(node.child, reader, mode, analysis, notes))
    if isinstance(node, Word) and not node.exact and node.field not in ID_FIELDS:
        return _word(node, reader, mode, analysis, notes)
    return node  # Not (left alone: excluding a misspelling must not exclude its neighbours)


def _seen(stem: str, reader) -> bool:
    # `in` stops at the first segment holding the word; doc_frequency asks every segment.
    return any((field, stem) in reader for field in ("title", "body"))


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
    if mode == "any" and len(tokens[0].stem) >= MIN_FUZZY_STEM:
        word = tokens[0].text  # without the punctuation a question ends with
        notes.append(f"'{word}' is not in the index: searched as {word}~1")
        return Fuzzy(word, 1, node.field, node.pos)
    return node
