"""Plain text and SubRip subtitles: one article per file.

Plain text (``.txt``, and any text file of an unknown type): the title is the first non-empty
line, the body is everything after it. Line endings (CRLF included) stay as in the file.

Subtitles (``.srt``): the cue numbers and ``00:00:08,770 --> 00:00:10,750`` timing lines are
dropped and the spoken lines kept, in order, as the body; a subtitle file has no title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.sources.formats.base import FileContext, Item, single_article

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_CUE_NUMBER = re.compile(r"[ \t]*\d+[ \t]*(?:\r\n|\n|\r|$)")
_CUE_TIMING = re.compile(r"[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->.*(?:\r\n|\n|\r|$)")
SRT_START = re.compile(r"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")


def read_text(text: str, ctx: FileContext) -> Iterator[Item]:
    """A plain text file as one article: first non-empty line = title, the rest = body."""
    first = re.search(r"\S", text)
    if first is None:
        yield from single_article(ctx, "", "")
        return
    line_end = _LINE_BREAK.search(text, first.start())
    if line_end is None:
        yield from single_article(ctx, text, "")
        return
    yield from single_article(ctx, text[: line_end.start()], text[line_end.end() :])


def read_srt(text: str, ctx: FileContext) -> Iterator[Item]:
    """A subtitle file as one article whose body is the subtitle text."""
    lines = text.splitlines(keepends=True)
    spoken = [
        line for line in lines if not (_CUE_NUMBER.fullmatch(line) or _CUE_TIMING.fullmatch(line))
    ]
    yield from single_article(ctx, "", "".join(spoken))
