"""Query text -> a flat list of tokens, with the problems found on the way.

The lexer never raises: it records a `QuerySyntaxError` and goes on with the
lenient reading (see `indexer.query.parse` for the list), so the strict and the
lenient parser share one path.

It knows about fields because field values are lexed differently: `url:` and
`id:` take the rest of the token as one literal (a URL holds `:`, `?`, `/`),
`date:` takes a value or a bracketed range `[A TO B]` that contains spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto

from indexer.query.errors import QuerySyntaxError
from indexer.query.nodes import ID_FIELDS
from indexer.store.schema import BODY, DATE, ID, SOURCE, TITLE, URL


class Kind(Enum):
    """Token kinds."""

    LPAREN = auto()
    RPAREN = auto()
    PHRASE = auto()  # text = inside of the quotes, slop = the ~N after them
    TERM = auto()  # a bare word, with its + - = ~ * ? syntax still in text
    FIELD = auto()  # text = canonical field name, raw = "عنوان:"
    VALUE = auto()  # literal value of url:/id:/source:
    DATE = auto()  # value of date:
    AND = auto()
    OR = auto()
    NOT = auto()
    NEAR = auto()  # distance, ordered
    PLUS = auto()
    MINUS = auto()
    EXACT = auto()  # "=" before a word, phrase or group


@dataclass(frozen=True)
class Tok:
    """One token: its kind, its text, its 0-based position and raw source slice."""

    kind: Kind
    text: str
    pos: int
    raw: str = ""
    slop: int | None = None
    distance: int = 10
    ordered: bool = False


#: A field as typed in a query -> the index field it searches.
FIELD_ALIASES: dict[str, str] = {
    "title": TITLE,
    "body": BODY,
    "source": SOURCE,
    "url": URL,
    "id": ID,
    "date": DATE,
    "عنوان": TITLE,
    "العنوان": TITLE,
    "نص": BODY,
    "النص": BODY,
    "مصدر": SOURCE,
    "المصدر": SOURCE,
    "تاريخ": DATE,
    "التاريخ": DATE,
}
KNOWN_FIELDS = "title/عنوان, body/نص, source/مصدر, date/تاريخ, url, id"

OPERATORS: dict[str, Kind] = {
    "AND": Kind.AND,
    "OR": Kind.OR,
    "NOT": Kind.NOT,
    "أو": Kind.OR,
    "او": Kind.OR,
    "ليس": Kind.NOT,
}
DEFAULT_NEAR = 10
QUOTES: dict[str, str] = {'"': '"', "«": "»", "“": "”"}

_FIELD = re.compile(r"([^\W\d_]+):")
_NEAR = re.compile(r"(O?NEAR)(?:/(\d+))?")
_SLOP = re.compile(r"~(\d+)")
_STOP = frozenset("()") | frozenset(QUOTES)


def lex(text: str) -> tuple[list[Tok], list[QuerySyntaxError]]:
    """Split `text` into tokens; problems are returned, never raised."""
    lexer = _Lexer(text)
    lexer.run()
    return lexer.tokens, lexer.errors


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Tok] = []
        self.errors: list[QuerySyntaxError] = []

    def error(self, message: str, pos: int, hint: str | None = None) -> None:
        self.errors.append(QuerySyntaxError(message, pos, self.text, hint))

    def emit(self, kind: Kind, text: str, pos: int, raw: str | None = None, **kw: object) -> None:
        raw = text if raw is None else raw
        self.tokens.append(Tok(kind, text, pos, raw, **kw))  # type: ignore[arg-type]

    def run(self) -> None:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            c = text[i]
            nxt = text[i + 1] if i + 1 < n else ""
            if c.isspace():
                i += 1
            elif c in "()":
                self.emit(Kind.LPAREN if c == "(" else Kind.RPAREN, c, i)
                i += 1
            elif c in QUOTES:
                i = self.phrase(i)
            elif c in "+-=":
                if not nxt or nxt.isspace() or nxt == ")":
                    self.error(f"'{c}' must be directly followed by a term", i)
                else:
                    kind = {"+": Kind.PLUS, "-": Kind.MINUS, "=": Kind.EXACT}[c]
                    self.emit(kind, c, i)
                i += 1
            else:
                i = self.field_or_word(i)

    def run_end(self, i: int, stops: frozenset[str] = _STOP) -> int:
        """End of the bare run starting at `i` (whitespace, parens and quotes end it)."""
        text, n = self.text, len(self.text)
        while i < n and not text[i].isspace() and text[i] not in stops:
            i += 1
        return i

    def phrase(self, i: int) -> int:
        text = self.text
        close = text.find(QUOTES[text[i]], i + 1)
        if close < 0:
            self.error("unbalanced quote", i)
            inner, end = text[i + 1 :], len(text)
        else:
            inner, end = text[i + 1 : close], close + 1
        slop = None
        if end < len(text) and text[end] == "~":
            m = _SLOP.match(text, end)
            if m:
                slop, end = int(m.group(1)), m.end()
            else:
                self.error("'~' after a phrase needs a number of words, e.g. \"a b\"~3", end)
                end += 1
        self.emit(Kind.PHRASE, inner, i, text[i:end], slop=slop)
        return end

    def field_or_word(self, i: int) -> int:
        text, n = self.text, len(self.text)
        m = _FIELD.match(text, i)
        if m:
            name, j = m.group(1), m.end()
            field = FIELD_ALIASES.get(name.lower())
            after = text[j] if j < n else ""
            if not after or after.isspace():
                if field is not None:
                    self.error(f"missing value after '{m.group(0)}'", i)
                    return j
            elif text.startswith("//", j):
                pass  # http://... without url: is a plain word
            elif field is None:
                self.error(f"unknown field '{name}'", i, f"known fields: {KNOWN_FIELDS}")
            else:
                self.emit(Kind.FIELD, field, i, m.group(0))
                return self.field_value(field, j)
        return self.word(i)

    def field_value(self, field: str, j: int) -> int:
        """Lex what follows `field:` at `j` (not whitespace, not the end)."""
        text, c = self.text, self.text[j]
        if c == ")":
            tok = self.tokens.pop()
            self.error(f"missing value after '{tok.raw}'", tok.pos)
            return j
        if field == DATE:
            if c == "(":
                self.tokens.pop()  # lenient: the group is read without the field
                self.error("date: takes a date, a comparison or a range [A TO B], not a group", j)
                return j
            if c == "[":
                close = text.find("]", j)
                if close < 0:
                    self.error("unbalanced '[' in date range", j)
                    close = len(text) - 1
                self.emit(Kind.DATE, text[j : close + 1], j)
                return close + 1
            if c in QUOTES:
                close = text.find(QUOTES[c], j + 1)
                if close < 0:
                    self.error("unbalanced quote", j)
                    close = len(text)
                self.emit(Kind.DATE, text[j + 1 : close], j + 1)
                return close + 1
            end = self.run_end(j, frozenset("()"))
            self.emit(Kind.DATE, text[j:end], j)
            return end
        if field in ID_FIELDS and c not in "(" and c not in QUOTES:
            # A literal runs to the next space; a ")" closing an enclosing group is not part of it.
            end = self.run_end(j, frozenset())
            value = text[j:end]
            while value.endswith(")") and value.count(")") > value.count("("):
                value = value[:-1]
            self.emit(Kind.VALUE, value, j)
            return j + len(value)
        if field not in ID_FIELDS and c not in "(=" and c not in QUOTES:
            return self.word(j, operators=False)  # title:AND searches the word "AND"
        return j

    def word(self, i: int, operators: bool = True) -> int:
        end = self.run_end(i)
        if end == i:  # a lone stop character cannot start a run; never loop
            end = i + 1
        word = self.text[i:end]
        if operators and word in OPERATORS:
            self.emit(OPERATORS[word], word, i)
            return end
        m = _NEAR.fullmatch(word) if operators else None
        if m:
            distance = int(m.group(2)) if m.group(2) else DEFAULT_NEAR
            self.emit(Kind.NEAR, word, i, distance=distance, ordered=m.group(1) == "ONEAR")
        elif operators and re.fullmatch(r"O?NEAR/.*", word):
            self.error(f"'{word}': NEAR/ needs a number of words, e.g. NEAR/5", i)
            self.emit(Kind.NEAR, word, i, distance=DEFAULT_NEAR, ordered=word.startswith("O"))
        else:
            self.emit(Kind.TERM, word, i)
        return end
