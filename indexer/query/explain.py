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
    NodeVisitor,
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
    text = "(nothing)" if node is None else _Renderer(mode).visit(node)
    if notes:
        text = f"{text}  [{'; '.join(notes)}]"
    return text


def _field(field: str | None) -> str:
    return f"{field}:" if field else ""


def _quote(text: str) -> str:
    return f'"{text}"' if not text or any(c.isspace() for c in text) else text


class _Renderer(NodeVisitor[str]):
    def __init__(self, mode: str) -> None:
        self.mode = mode

    def visit_word(self, node: Word) -> str:
        return f"{_field(node.field)}{'=' if node.exact else ''}{_quote(node.text)}"

    def visit_phrase(self, node: Phrase) -> str:
        suffix = f"~{node.slop}" if node.slop is not None else ""
        return f'{_field(node.field)}{"=" if node.exact else ""}"{" ".join(node.words)}"{suffix}'

    def visit_prefix(self, node: Prefix) -> str:
        return f"{_field(node.field)}{node.prefix}*"

    def visit_wildcard(self, node: Wildcard) -> str:
        return f"{_field(node.field)}{node.pattern}"

    def visit_fuzzy(self, node: Fuzzy) -> str:
        return f"{_field(node.field)}{node.text}~{node.maxdist}"

    def visit_near(self, node: Near) -> str:
        name = "ONEAR" if node.ordered else "NEAR"
        return f"{name}/{node.distance}({self.visit(node.left)}, {self.visit(node.right)})"

    def visit_date_range(self, node: DateRange) -> str:
        return f"date:{node.spec}"

    def visit_and(self, node: And) -> str:
        op = "OR" if node.implicit and self.mode == "any" else "AND"
        return f"{op}({', '.join(self.flat(node.children, op))})"

    def visit_or(self, node: Or) -> str:
        return f"OR({', '.join(self.flat(node.children, 'OR'))})"

    def visit_not(self, node: Not) -> str:
        return f"NOT({self.visit(node.child)})"

    def visit_required(self, node: Required) -> str:
        return f"+{self.visit(node.child)}"

    def flat(self, children: Sequence[Node], op: str) -> list[str]:
        """Render children, merging a child that has the same operator into its parent."""
        out: list[str] = []
        for child in children:
            rendered = self.visit(child)
            if isinstance(child, (And, Or)) and rendered.startswith(f"{op}("):
                out.extend(self.flat(child.children, op))
            else:
                out.append(rendered)
        return out
