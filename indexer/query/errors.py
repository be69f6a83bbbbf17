"""Error types of the query language.

`QueryError` is any query that cannot be run; `QuerySyntaxError` (a subclass) is
a query that cannot be read. Both carry the 0-based character `position` where
the problem starts, so callers can point at it; `str()` is one line for a
terminal (message, position, the query text from there, an optional hint on
how to fix it), `caret()` adds a second line with a `^` under the position.
"""

from __future__ import annotations

from indexer.errors import Surface, UsageError

_EXCERPT = 30
_CARET_WIDTH = 80  # characters of a long query shown above the caret


class QueryError(UsageError, ValueError):
    """A query that cannot be run (for example one with only negative terms).

    A `UsageError`, so the CLI reports it in one line with exit code 2.
    """

    def __init__(
        self,
        message: str,
        position: int | None = None,
        query: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, position, query, hint)
        self.message = message
        self.position = position
        self.query = query
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.position is not None:
            text = f"{text} at position {self.position}"
            if self.query is not None:
                excerpt = self.query[self.position : self.position + _EXCERPT]
                if len(self.query) > self.position + _EXCERPT:
                    excerpt += "…"
                if excerpt.strip():  # spaces alone would show as nothing
                    text = f"{text}: {excerpt}"
        if self.hint:
            text = f"{text} ({self.hint})"
        return text

    def worded(self, surface: Surface) -> str:
        """The same on every surface: a query's words are the same everywhere."""
        return str(self)

    def caret(self) -> str:
        """The query on one line and a `^` under the error position on the next.

        Positions count characters; in a right-to-left terminal the caret is only
        a hint, which is why `str()` also quotes the text from the position on.
        """
        if self.query is None or self.position is None:
            return str(self)
        if len(self.query) <= _CARET_WIDTH:
            return f"{self.query}\n{' ' * self.position}^"
        # A long query: the part around the position, so the caret stays on screen.
        start = max(0, min(self.position - _CARET_WIDTH // 2, len(self.query) - _CARET_WIDTH))
        prefix = "…" if start else ""
        suffix = "…" if start + _CARET_WIDTH < len(self.query) else ""
        shown = self.query[start:start + _CARET_WIDTH]
        return f"{prefix}{shown}{suffix}\n{' ' * (len(prefix) + self.position - start)}^"

    def with_query(self, query: str) -> QueryError:
        """The same error, knowing the query text it points into."""
        return type(self)(self.message, self.position, query, self.hint)


class QuerySyntaxError(QueryError):
    """A query that cannot be read: unbalanced quote or parenthesis, lone operator,
    unknown field, bad date, empty query."""
