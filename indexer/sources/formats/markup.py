"""HTML pages and XML documents: one article per file.

HTML (``.html``, ``.htm``, ``.xhtml``): bytes are decoded by `indexer.sources.encoding`, where a
``<meta charset>`` counts only if it decodes the bytes cleanly; a page declared UTF-8 with a
few broken bytes is decoded with U+FFFD for just those bytes, and a Notice says so. trafilatura
then takes the main text (menus, scripts and styles gone, entities decoded) and the title. Its
recall mode comes first (a news portal page lists many stories, and a search tool would rather
keep them all); its precision mode is tried when that finds nothing, and the page's ``<title>``
plus all visible text (via lxml) when both find nothing. Pages get no date: the dates that
trafilatura guesses (copyright years, "2010-01-01") proved unreliable on real pages.

XML (``.xml``): parsed with lxml (no network, no external entities). A TEI document takes its
title from ``teiHeader//titleStmt/title`` and its body from ``<text>``; other XML takes the
first ``<title>`` element and all text. A root element ``<html>`` is read as HTML. Line ends
inside XML are LF, as the XML parser normalises them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree, html

from indexer.sources.article import Skip
from indexer.sources.formats.base import FileContext, Item, decode_file, single_article

_HEAD_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)"""
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_INVISIBLE = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
)
_BLOCKS = frozenset(
    (
        *("p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt"),
    )
)


def read_html(data: bytes, ctx: FileContext) -> Iterator[Item]:
    """An HTML page as one article: main text and title."""
    match = _META_CHARSET.search(data[:_HEAD_BYTES])
    text, notices = decode_file(data, ctx, match.group(1).decode("ascii") if match else None)
    yield from notices
    yield from html_article(text, ctx)


def html_article(text: str, ctx: FileContext) -> Iterator[Item]:
    """The article of an already-decoded HTML page."""
    for recall in (True, False):
        title, body = _trafilatura(text, recall=recall)
        if body.strip():
            yield from single_article(ctx, title or _lxml_title_and_text(text)[0], body)
            return
    title, body = _lxml_title_and_text(text)
    yield from single_article(ctx, title, body)


def read_xml(data: bytes, ctx: FileContext) -> Iterator[Item]:
    """An XML document as one article (TEI-aware)."""
    match = _XML_ENCODING.search(data[:_HEAD_BYTES])
    text, notices = decode_file(data, ctx, match.group(1).decode("ascii") if match else None)
    yield from notices
    yield from xml_article(text, ctx)


def xml_article(text: str, ctx: FileContext) -> Iterator[Item]:
    """The article of an already-decoded XML document."""
    parser = etree.XMLParser(
        encoding="utf-8",
        recover=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        yield Skip(ctx.origin, "not well-formed XML (nothing could be parsed)")
        return
    if _local(root) == "html":
        yield from html_article(text, ctx)
        return
    header = _first(root, "teiHeader")
    if header is not None:
        title_el = _first(header, "title")
        body_el = next((el for el in root if _local(el) == "text"), None)
    else:
        title_el = _first(root, "title")
        body_el = root
    title = "".join(title_el.itertext()) if title_el is not None else ""
    body = "".join(body_el.itertext()) if body_el is not None else ""
    if header is None and title:
        body = body.replace(title, "", 1)
    yield from single_article(ctx, title, body)


def _trafilatura(text: str, *, recall: bool) -> tuple[str, str]:
    """(title, main text) as trafilatura finds them, favouring recall or else precision;
    empty strings when it finds nothing."""
    import trafilatura  # here, not at the top: its import is slow, and `corpus query` never needs it

    found: Any = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        favor_recall=recall,
        favor_precision=not recall,
    )
    if found is None:
        return "", ""
    if isinstance(found, dict):  # trafilatura < 2 returns a dict
        return found.get("title") or "", found.get("text") or ""
    return found.title or "", found.text or ""


def _lxml_title_and_text(text: str) -> tuple[str, str]:
    """The page's <title> and all its visible text, blocks separated by newlines."""
    try:
        doc = html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (etree.ParserError, ValueError):
        return "", ""
    title_el = doc.find(".//title")
    title = title_el.text_content() if title_el is not None else ""
    body = doc.find("body")
    if body is None:
        return title, ""
    for el in list(body.iter(*_INVISIBLE)):
        el.drop_tree()
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    return title, body.text_content()


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _first(root: etree._Element, name: str) -> etree._Element | None:
    return next((el for el in root.iter() if _local(el) == name), None)
