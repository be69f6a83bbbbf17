"""A one-line rendering of a parsed query, to show how it was understood.

    >>> from indexer.query import parse
    >>> explain(parse('عنوان:"وزير الخارجية" body:(نفط OR غاز)'))
    'AND(title:"وزير الخارجية", OR(body:نفط, body:غاز))'
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.query.nodes import (
    And,
    DateRange,
    Fuzzy,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Required,
    Wildcard,
    Word,
)


def explain(node: Node | None, mode: str = "all", notes: Sequence[str] = ()) -> str:
    """Render `node` on one line; implicit AND shows as OR when `mode` is "any".

    `notes` (from the builder, e.g. words dropped because they have no letters)
    are appended in brackets.
    """
    text = "(nothing)" if node is None else _render(node, mode)
    if notes:
        text = f"{text}  [{'; '.join(notes)}]"
    return text


def _field(field: str | None) -> str:
    return f"{field}:" if field else ""


def _quote(text: str) -> str:
    return f'"{text}"' if not text or any(c.isspace() for c in text) else text


def _render(node: Node, mode: str) -> str:
    match node:
        case Word(text, field, exact):
            return f"{_field(field)}{'=' if exact else ''}{_quote(text)}"
        case Phrase(words, field, slop, exact):
            suffix = f"~{slop}" if slop is not None else ""
            return f'{_field(field)}{"=" if exact else ""}"{" ".join(words)}"{suffix}'
        case Prefix(prefix, field):
            return f"{_field(field)}{prefix}*"
        case Wildcard(pattern, field):
            return f"{_field(field)}{pattern}"
        case Fuzzy(text, maxdist, field):
            return f"{_field(field)}{text}~{maxdist}"
        case Near(left, right, distance, ordered):
            name = "ONEAR" if ordered else "NEAR"
            return f"{name}/{distance}({_render(left, mode)}, {_render(right, mode)})"
        case DateRange(spec=spec):
            return f"date:{spec}"
        case And(children, implicit):
            op = "OR" if implicit and mode == "any" else "AND"
            return f"{op}({', '.join(_flat(children, op, mode))})"
        case Or(children):
            return f"OR({', '.join(_flat(children, 'OR', mode))})"
        case Not(child):
            return f"NOT({_render(child, mode)})"
        case Required(child):
            return f"+{_render(child, mode)}"
    raise TypeError(f"not a query node: {node!r}")


def _flat(children: Sequence[Node], op: str, mode: str) -> list[str]:
    """Render children, merging a child that has the same operator into its parent."""
    out: list[str] = []
    for child in children:
        rendered = _render(child, mode)
        if isinstance(child, (And, Or)) and rendered.startswith(f"{op}("):
            out.extend(_flat(child.children, op, mode))
        else:
            out.append(rendered)
    return out
