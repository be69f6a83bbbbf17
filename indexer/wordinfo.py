"""What each word of a query searches: its stem, the rule that made it, and the forms of it
the index holds with their article counts (for ``--explain``).

A user who sees that فكرة searched the stem فكره, with the ف kept because فكرة is far
more frequent than ف + كرة explains, knows why an article matched; one who sees a stem
gather forms they did not mean reaches for ``=word``.

The forms are found by adding to the stem every affix the stemmer removes (و ف ب ك ل, the
article, the suffixes of ``tables.py``, with ة written ت before a pronoun) and keeping
those that are in the index's exact body field and stem back to the same stem.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass

from indexer.analysis import analyze
from indexer.analysis.folding import spelling
from indexer.analysis.stemming import Step, derive
from indexer.query.build import compile_query
from indexer.query.nodes import ID_FIELDS, And, Fuzzy, Near, Node, Not, Or, Phrase, Prefix, Required, Wildcard, Word
from indexer.query.plan import AnyOf, Expanded, Plan
from indexer.store.schema import BODY, BODY_EXACT, TITLE_EXACT
from indexer.written import index_forms, written_forms

#: Forms listed per word, most frequent first.
TOP_FORMS = 5


@dataclass(frozen=True, slots=True)
class WordInfo:
    """One query word as searched."""

    text: str  # as typed
    exact: str  # folded, as the index holds it
    written: str  # the exact form as the bodies commonly write it (`indexer.written`)
    stem: str
    exact_only: bool  # =word or --exact: the exact form is searched, no stem
    stopword: bool
    steps: tuple[Step, ...]  # the stemmer's decisions, affix by affix
    articles: int  # bodies holding the searched form (stem, or exact form when exact_only)
    forms: tuple[tuple[str, int], ...]  # (form as written, bodies holding it), most frequent first

    def to_dict(self) -> dict:
        """The word as JSON-ready data, each stemmer step with its ``rule`` in words."""
        data = asdict(self)
        data["steps"] = [{**asdict(step), "rule": str(step)} for step in self.steps]
        data["forms"] = [list(pair) for pair in self.forms]
        return data

    def __str__(self) -> str:
        if self.exact_only:
            return f"{self.text}: exact form {self.written}, in {_bodies(self.articles)} (no stemming)"
        forms = ", ".join(f"{form} {n:,}" for form, n in self.forms) or "none"
        rules = "; ".join(map(str, self.steps)) or "nothing to remove"
        stop = " (a stopword)" if self.stopword else ""
        return (
            f"{self.text}: stem {self.stem}{stop}, in {_bodies(self.articles)}; "
            f"forms in the index: {forms}; rule: {rules}"
        )


@dataclass(frozen=True, slots=True)
class PatternInfo:
    """A prefix, wildcard or fuzzy word as searched: the written forms of the index it
    stands for (a user who sees كير* gather كبير's neighbours narrows it)."""

    text: str  # as typed
    field: str  # the exact field whose forms are counted: the body's, or the title's for title:...
    terms: int  # forms it stands for in that field
    forms: tuple[tuple[str, int], ...]  # (form as written, documents holding it in the field), most frequent first

    def to_dict(self) -> dict:
        data = asdict(self)
        data["forms"] = [list(pair) for pair in self.forms]
        return data

    def __str__(self) -> str:
        where = "bodies" if self.field == BODY_EXACT else "titles"
        if not self.terms:
            return f"{self.text}: no written form in the {where} matches it"
        forms = ", ".join(f"{form} {n:,}" for form, n in self.forms)
        more = f" (the {len(self.forms)} commonest)" if self.terms > len(self.forms) else ""
        counted = f"{self.terms:,} written form" + ("s" if self.terms != 1 else "")
        return f"{self.text}: stands for {counted} in the {where}: {forms}{more}"


@dataclass(frozen=True)
class Explanation:
    """How a query was understood and what each of its parts searches (``--explain``,
    ``/api/search?explain=true``, the page's "كيف فُهم البحث"): the query on one line with what was left out, each word's
    `WordInfo`, each pattern's `PatternInfo`, and in mode "any" the stems each word also
    searches at a lower weight (`indexer.query.ranking.siblings`)."""

    understood: str
    words: tuple[WordInfo, ...]
    patterns: tuple[PatternInfo, ...]
    siblings: Mapping[str, tuple[str, ...]]
    sibling_weight: float

    def to_dict(self) -> dict:
        return {
            "understood": self.understood,
            "words": [word.to_dict() for word in self.words],
            "patterns": [pattern.to_dict() for pattern in self.patterns],
            "siblings": {stem: list(forms) for stem, forms in self.siblings.items()},
            "sibling_weight": self.sibling_weight,
        }

    def __str__(self) -> str:
        lines = [self.understood, *(f"  {part}" for part in (*self.words, *self.patterns))]
        lines += [
            f"  {stem}: also searched at {self.sibling_weight} of its score: {', '.join(forms)} (stems the stemmer keeps apart)"
            for stem, forms in self.siblings.items()
        ]
        return "\n".join(lines)


def query_words(node: Node | None) -> Iterator[tuple[str, bool]]:
    """(text, exact) of each word and phrase word of ``node``, in order."""
    for leaf in _leaves(node):
        if isinstance(leaf, Word) and leaf.field not in ID_FIELDS:
            yield leaf.text, leaf.exact
        elif isinstance(leaf, Phrase):
            for word in leaf.words:
                yield word, leaf.exact
    # patterns, fuzzy terms and dates search no stem


def _leaves(node: Node | None) -> Iterator[Node]:
    """The words, phrases, patterns and dates of ``node``, in order."""
    if isinstance(node, Near):
        yield from _leaves(node.left)
        yield from _leaves(node.right)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _leaves(child)
    elif isinstance(node, (Not, Required)):
        yield from _leaves(node.child)
    elif node is not None:
        yield node


def explain_words(node: Node | None, reader, exact: bool = False) -> list[WordInfo]:  # type: ignore[no-untyped-def]
    """A ``WordInfo`` per word of ``node`` (each analysed token of it), in order, once each."""
    infos, seen = [], set()
    for text, exact_word in query_words(node):
        for token in analyze(text):
            key = (token.exact, exact or exact_word)
            if key in seen:
                continue
            seen.add(key)
            infos.append(_info(token, exact or exact_word, reader))
    return infos


def query_patterns(node: Node | None) -> Iterator[Prefix | Wildcard | Fuzzy]:
    """Each prefix, wildcard and fuzzy word of ``node`` on a text field, in order."""
    for leaf in _leaves(node):
        if isinstance(leaf, (Prefix, Wildcard, Fuzzy)) and leaf.field not in ID_FIELDS:
            yield leaf


def explain_patterns(node: Node | None, reader) -> list[PatternInfo]:  # type: ignore[no-untyped-def]
    """A ``PatternInfo`` per prefix, wildcard and fuzzy word of ``node``, expanded against
    ``reader`` as the search expands it."""
    infos = []
    for pattern in dict.fromkeys(query_patterns(node)):
        expanded = {part.field: part.terms for part in _expanded(compile_query(pattern, reader=reader).plan)}
        field = BODY_EXACT if BODY_EXACT in expanded or TITLE_EXACT not in expanded else TITLE_EXACT
        terms = expanded.get(field, ())
        forms = sorted(((t, reader.doc_frequency(field, t)) for t in terms), key=lambda item: (-item[1], item[0]))[:TOP_FORMS]
        infos.append(PatternInfo(_typed(pattern), field, len(terms), as_written(forms, reader)))
    return infos


def _expanded(planned: Plan) -> Iterator[Expanded]:
    if isinstance(planned, Expanded):
        yield planned
    elif isinstance(planned, AnyOf):
        for part in planned.parts:
            yield from _expanded(part)


def _typed(pattern: Prefix | Wildcard | Fuzzy) -> str:
    match pattern:
        case Prefix(prefix=text):
            typed = f"{text}*"
        case Wildcard(pattern=text):
            typed = text
        case Fuzzy(text=text, maxdist=maxdist):
            typed = f"{text}~{maxdist}"
    return f"{pattern.field}:{typed}" if pattern.field else typed


def _info(token, exact_only: bool, reader) -> WordInfo:  # type: ignore[no-untyped-def]
    written = written_forms(reader, [token.exact]).get(token.exact, token.exact)
    if exact_only:
        articles = reader.doc_frequency(BODY_EXACT, token.exact)
        return WordInfo(token.text, token.exact, written, token.exact, True, token.stopword, (), articles, ())
    steps = derive(token.exact, spelling(token.text)).steps
    forms = sorted(
        ((form, reader.doc_frequency(BODY_EXACT, form)) for form in index_forms(token.stem, reader)),
        key=lambda item: (-item[1], item[0]),
    )[:TOP_FORMS]
    articles = reader.doc_frequency(BODY, token.stem)
    return WordInfo(token.text, token.exact, written, token.stem, False, token.stopword, steps, articles, as_written(forms, reader))


def as_written(forms: list[tuple[str, int]], reader) -> tuple[tuple[str, int], ...]:  # type: ignore[no-untyped-def]
    """(exact form, count) pairs with each form as the bodies commonly write it."""
    shown = written_forms(reader, (form for form, _ in forms))
    return tuple((shown[form], count) for form, count in forms)


def _bodies(count: int) -> str:
    return f"{count:,} body" if count == 1 else f"{count:,} bodies"
