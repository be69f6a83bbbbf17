"""Query text -> syntax tree (`indexer.query.nodes`); pure Python, no Whoosh.

Syntax (Arabic examples)::

    وزير خارجية           juxtaposed words: AND (the builder's mode "any" makes it OR)
    "وزير الخارجية"        phrase: adjacent, in order
    "وزير الخارجية"~3      all the words, any order, in a window holding at most 3 other words
    بلينكن NEAR/5 لافروف   at most 5 words between them, either order, same field (NEAR = NEAR/10)
    بلينكن ONEAR/5 لافروف  the same, بلينكن first; operands are words or phrases
    a AND b, a OR b, NOT a, +a, -a, ( )   boolean; أو / او = OR, ليس = NOT (as a token of their own)
    title:… body:… source:… url:… id:… date:…   fields; عنوان: نص: مصدر: تاريخ: are aliases;
                          a field applies to a word, a "phrase" or a (group)
    date:2015-07-25  date:2015-07  date:2015  date:>=2015-08-01  date:<2015  (also > and <=)
    date:[2015-07-21 TO 2015-07-31]   inclusive; إلى may stand for TO, * for an open end
    وزي*  و?ير            wildcards (exact forms); `*` only at the end is a prefix search
    بلينكن~  بلينكن~1       fuzzy (exact forms); `~` alone: 1 edit, 2 for words of 6+ letters
    =وزير                 this exact form, no stemming (also `="…"`, `=(…)`)

Precedence: NOT (and `-`, `+`) > NEAR > AND (explicit or implicit) > OR. An
explicit AND binds tighter than juxtaposition: `a b AND c` is `a (b AND c)`,
which only matters in mode "any" (which applies to every juxtaposition, inside
parentheses too). Operators are uppercase (`and`, `or` are plain words); the
Latin `?` in a word is a wildcard, the Arabic `؟` is punctuation (a question, mode
"any", reads a `?` ending a word as ؟ before parsing: `indexer.query.questions`). Quotes may be
"…", «…» or “…”. `url:`, `id:` and `source:` take the rest of
the token (or a quoted string) as one literal value, so `url:http://x.com/a?b=1`
is one value; a single trailing `*` there is a prefix search. `x:` followed by
a space or `http://` is not a field. Positions count characters from 0.

A query with no positive term (`NOT x`) parses; the builder rejects it with
"a query needs at least one positive term".

`parse` is strict: the first problem raises `QuerySyntaxError`. `parse_lenient`
returns the tree it could read and every problem, with these readings:

- an unbalanced quote closes at the end of the query;
- an unbalanced `(` closes at the end; a stray `)` is ignored;
- a lone operator (`AND`, `OR`, `NOT`, `أو`, `او`, `ليس`, `NEAR` at either end, or
  next to another operator) is taken as a plain word;
- NEAR between things that are not words or phrases, or in two different
  fields, is read as AND;
- an unknown field (`foo:bar`) is taken as plain word text;
- a known field with no value (`title: x`) is ignored, `x` is read alone;
- `date:` with a value that is not a date is ignored; `date:(…)` is read as
  the group without the field;
- `~3` on a word is read as `~2`; `~` after a phrase without a number is
  ignored; `NEAR/x` is read as `NEAR/10`;
- an empty phrase `""`, an empty group `()`, a wildcard without letters (`*`)
  and a lone `+`, `-` or `=` are ignored.

If nothing is left, `parse_lenient` returns `None` with the problems (an empty
query reports "empty query").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.query.dates import DateSpecError, parse_date_spec
from indexer.query.errors import QuerySyntaxError
from indexer.query.lexer import Kind, Tok, lex
from indexer.query.nodes import (
    ID_FIELDS,
    TEXT_FIELDS,
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

MAX_DEPTH = 50
"""Deepest parenthesis nesting read; deeper `(` are ignored (keeps recursion bounded)."""

FUZZY_LONG_WORD = 6
"""Letters from which `word~` allows 2 edits instead of 1."""

_FUZZY = re.compile(r"(.+?)~(\d*)", re.DOTALL)
_STARTS = frozenset(
    {Kind.LPAREN, Kind.PHRASE, Kind.TERM, Kind.FIELD, Kind.VALUE, Kind.DATE}
    | {Kind.PLUS, Kind.MINUS, Kind.EXACT, Kind.NOT}
)
_ENDS = frozenset({Kind.RPAREN, Kind.PHRASE, Kind.TERM, Kind.VALUE, Kind.DATE})
_VALUES = frozenset({Kind.LPAREN, Kind.PHRASE, Kind.TERM, Kind.VALUE, Kind.DATE})


def parse(text: str) -> Node:
    """Parse `text` strictly: return the tree or raise the first `QuerySyntaxError`."""
    node, errors = parse_lenient(text)
    if errors:
        raise errors[0]
    assert node is not None  # parse_lenient reports "empty query" when nothing is left
    return node


def parse_lenient(text: str) -> tuple[Node | None, list[QuerySyntaxError]]:
    """Parse `text`, recovering from problems; never raises on any text.

    Returns the tree (None if nothing searchable is left) and the problems
    found, in the order found; the module docstring lists the readings.
    """
    if not text.strip():
        return None, [QuerySyntaxError("empty query", 0, text)]
    tokens, errors = lex(text)
    node = _Parser(text, tokens, errors).parse()
    if node is None and not errors:
        errors.append(QuerySyntaxError("empty query", 0, text))
    return node, errors


@dataclass(frozen=True)
class _Ctx:
    """What enclosing syntax imposes on a leaf: a field, the exact form."""

    field: str | None = None
    exact: bool = False


class _Parser:
    """Recursive descent over the tokens; problems are recorded, never raised."""

    def __init__(self, text: str, tokens: list[Tok], errors: list[QuerySyntaxError]) -> None:
        self.text = text
        self.errors = errors
        self.tokens = self.demote_lone_operators(tokens)
        self.i = 0
        self.depth = 0

    def error(self, message: str, pos: int) -> None:
        self.errors.append(QuerySyntaxError(message, pos, self.text))

    def peek(self) -> Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def demote_lone_operators(self, tokens: list[Tok]) -> list[Tok]:
        """Turn operators missing an operand into plain words, before parsing."""
        out = list(tokens)
        for k, tok in enumerate(out):
            prev = out[k - 1] if k else None
            nxt = out[k + 1] if k + 1 < len(out) else None
            if tok.kind in (Kind.AND, Kind.OR):
                lone = (
                    prev is None or prev.kind not in _ENDS or nxt is None or nxt.kind not in _STARTS
                )
                message = f"'{tok.raw}' needs a term on each side"
            elif tok.kind is Kind.NOT:
                lone = nxt is None or nxt.kind not in _STARTS
                message = f"'{tok.raw}' needs a term after it"
            elif tok.kind is Kind.NEAR:
                lone = (
                    prev is None
                    or prev.kind not in (Kind.TERM, Kind.PHRASE)
                    or nxt is None
                    or nxt.kind not in (Kind.TERM, Kind.PHRASE, Kind.FIELD, Kind.EXACT)
                )
                message = f"'{tok.raw}' needs a word or phrase on each side"
            else:
                continue
            if lone:
                self.error(message, tok.pos)
                out[k] = Tok(Kind.TERM, tok.raw, tok.pos, tok.raw)
        return out

    def parse(self) -> Node | None:
        parts = []
        while self.i < len(self.tokens):
            start = self.i
            node = self.parse_or(_Ctx())
            if node is not None:
                parts.append(node)
            if self.i == start:  # cannot happen by construction; never loop forever
                self.i += 1
        return _and(parts, implicit=True)

    def parse_or(self, ctx: _Ctx) -> Node | None:
        children = [self.parse_and(ctx)]
        while (tok := self.peek()) is not None and tok.kind is Kind.OR:
            self.i += 1
            children.append(self.parse_and(ctx))
        flat: list[Node] = []
        for child in children:
            if isinstance(child, Or):
                flat.extend(child.children)
            elif child is not None:
                flat.append(child)
        if not flat:
            return None
        return flat[0] if len(flat) == 1 else Or(tuple(flat), pos=flat[0].pos)

    def parse_and(self, ctx: _Ctx) -> Node | None:
        chains: list[list[Node]] = []
        join = False
        while (tok := self.peek()) is not None and tok.kind is not Kind.OR:
            if tok.kind is Kind.RPAREN:
                if self.depth > 0:
                    break
                self.error("unmatched ')'", tok.pos)
                self.i += 1
                continue
            if tok.kind is Kind.AND:
                self.i += 1
                join = bool(chains)
                continue
            start = self.i
            node = self.parse_unary(ctx)
            if self.i == start:  # a token no rule takes: report it and move on
                self.error(f"unexpected '{tok.raw}'", tok.pos)
                self.i += 1
            if node is not None:
                if join:
                    chains[-1].append(node)
                else:
                    chains.append([node])
            join = False
        units = [c[0] if len(c) == 1 else And(tuple(c), pos=c[0].pos) for c in chains]
        return _and(units, implicit=True)

    def parse_unary(self, ctx: _Ctx) -> Node | None:
        prefixes = []
        while (tok := self.peek()) is not None and tok.kind in (Kind.NOT, Kind.MINUS, Kind.PLUS):
            prefixes.append(tok)
            self.i += 1
        node = self.parse_near(ctx)
        for tok in reversed(prefixes):
            if node is None:
                break
            if tok.kind is Kind.PLUS:
                node = node if isinstance(node, (Not, Required)) else Required(node, pos=tok.pos)
            elif isinstance(node, Not):
                node = node.child
            else:
                node = Not(node.child if isinstance(node, Required) else node, pos=tok.pos)
        return node

    def parse_near(self, ctx: _Ctx) -> Node | None:
        operands = [self.parse_primary(ctx)]
        ops = []
        while (tok := self.peek()) is not None and tok.kind is Kind.NEAR:
            self.i += 1
            ops.append(tok)
            operands.append(self.parse_primary(ctx))
        if not ops:
            return operands[0]
        parts = [self.near(operands[k], operands[k + 1], op) for k, op in enumerate(ops)]
        return _and([p for p in parts if p is not None], implicit=False)

    def near(self, a: Node | None, b: Node | None, op: Tok) -> Node | None:
        if a is None or b is None:
            return a if b is None else b
        if not (_near_operand(a) and _near_operand(b)):
            self.error(f"'{op.raw}' needs a word or phrase on each side", op.pos)
            return And((a, b), pos=a.pos)
        fa, fb = a.field, b.field  # type: ignore[union-attr]
        if fa and fb and fa != fb:
            self.error(f"'{op.raw}' needs both sides in the same field ({fa}, {fb})", op.pos)
            return And((a, b), pos=a.pos)
        field = fa or fb
        return Near(
            replace(a, field=field),  # type: ignore[type-var]
            replace(b, field=field),  # type: ignore[type-var]
            distance=op.distance,
            ordered=op.ordered,
            field=field,
            pos=a.pos,
        )

    def parse_primary(self, ctx: _Ctx) -> Node | None:
        prefix: Tok | None = None
        while (tok := self.peek()) is not None and tok.kind in (Kind.FIELD, Kind.EXACT):
            self.i += 1
            prefix = prefix or tok
            if tok.kind is Kind.FIELD:
                ctx = replace(ctx, field=tok.text)
            else:
                ctx = replace(ctx, exact=True)
        tok = self.peek()
        if tok is None or tok.kind not in _VALUES:
            if prefix is not None:
                self.error(f"missing value after '{prefix.raw}'", prefix.pos)
            return None
        if tok.kind is Kind.LPAREN:
            return self.group(ctx)
        self.i += 1
        node: Node | None
        if tok.kind is Kind.PHRASE:
            node = self.phrase(tok, ctx)
        elif tok.kind is Kind.DATE:
            node = self.date(tok)
        else:
            node = self.word(tok.text, tok.pos, ctx)
        if node is not None and prefix is not None:
            node = replace(node, pos=prefix.pos)
        return node

    def group(self, ctx: _Ctx) -> Node | None:
        opening = self.tokens[self.i]
        self.i += 1
        if self.depth >= MAX_DEPTH:
            self.error(f"more than {MAX_DEPTH} nested parentheses", opening.pos)
            return None
        self.depth += 1
        start = self.i
        node = self.parse_or(ctx)
        if (tok := self.peek()) is not None and tok.kind is Kind.RPAREN:
            self.i += 1
        else:
            self.error("unbalanced parenthesis", opening.pos)
        self.depth -= 1
        if self.i - start <= 1 and node is None:
            self.error("empty parentheses", opening.pos)
        return node

    def phrase(self, tok: Tok, ctx: _Ctx) -> Node | None:
        words = tuple(tok.text.split())
        if not words:
            self.error("empty phrase", tok.pos)
            return None
        if ctx.field in ID_FIELDS:
            return Word(tok.text.strip(), ctx.field, pos=tok.pos)
        return Phrase(words, ctx.field, tok.slop, ctx.exact, pos=tok.pos)

    def date(self, tok: Tok) -> Node | None:
        try:
            start, end = parse_date_spec(tok.text)
        except DateSpecError as e:
            self.error(e.message, tok.pos + e.offset)
            return None
        return DateRange(start, end, " ".join(tok.text.split()), pos=tok.pos)

    def word(self, raw: str, pos: int, ctx: _Ctx) -> Node | None:
        field = ctx.field
        if field in ID_FIELDS:
            if len(raw) > 1 and raw.endswith("*") and "*" not in raw[:-1]:
                return Prefix(raw[:-1], field, pos)
            return Word(raw, field, pos=pos)
        m = _FUZZY.fullmatch(raw)
        if m:
            base, digits = m.groups()
            if "*" in base or "?" in base:
                self.error("a word cannot be both a wildcard and fuzzy", pos + len(base))
                raw = base
            else:
                if digits:
                    maxdist = int(digits)
                    if maxdist > 2:
                        self.error("fuzzy distance must be 0, 1 or 2", pos + len(base))
                        maxdist = 2
                else:
                    letters = sum(c.isalpha() for c in base)
                    maxdist = 2 if letters >= FUZZY_LONG_WORD else 1
                if maxdist == 0:
                    return Word(base, field, exact=True, pos=pos)
                return Fuzzy(base, maxdist, field, pos)
        if "*" in raw or "?" in raw:
            if not any(c.isalnum() for c in raw):
                self.error(f"wildcard '{raw}' needs at least one letter", pos)
                return None
            stem = raw.rstrip("*")
            if "*" not in stem and "?" not in stem:
                return Prefix(stem, field, pos)
            return Wildcard(raw, field, pos)
        return Word(raw, field, ctx.exact, pos)


def _near_operand(node: Node) -> bool:
    """Whether NEAR can take `node` as an operand: a word or plain phrase in a text field."""
    if isinstance(node, Phrase) and node.slop is not None:
        return False
    if not isinstance(node, (Word, Phrase, Prefix, Wildcard, Fuzzy)):
        return False
    return node.field is None or node.field in TEXT_FIELDS


def _and(parts: list[Node], implicit: bool) -> Node | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts), implicit=implicit, pos=parts[0].pos)
