"""Each reader on small files written into tmp_path."""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.sources import Article, Skip
from tests.sources.sources_helpers import articles, notices, read_all

Write = Callable[[str, str | bytes], Path]

TITLE = "قمة التعاون الخليجي"
BODY = "استأنف قادة دول مجلس التعاون لدول الخليج العربية اليوم اجتماعاتهم في أبو ظبي."


def jsonl(*records: object) -> str:
    return "".join(orjson.dumps(record).decode() + "\n" for record in records)


# --- JSON Lines -------------------------------------------------------------------------


def test_jsonl_records_and_line_origins(write: Write) -> None:
    path = write("news.jsonl", jsonl({"id": "a", "title": TITLE, "body": BODY}, {"title": "ب"}))
    first, second = read_all(path)
    assert first == Article("a", TITLE, BODY, None, "", "", "", f"{path}:1")
    assert isinstance(second, Article) and second.id == "news.jsonl#2"
    assert second.origin == f"{path}:2"


def test_jsonl_bad_line_is_a_skip_and_reading_goes_on(write: Write) -> None:
    text = jsonl({"title": "a"}) + '{"title": "broken\n' + "\n" + jsonl({"title": "c"})
    items = read_all(write("n.ndjson", text))
    assert [type(item).__name__ for item in items] == ["Article", "Skip", "Article"]
    bad = items[1]
    assert bad.origin.endswith("n.ndjson:2") and bad.reason.startswith("invalid JSON at column")
    assert items[2].origin.endswith(":4")  # blank line 3 is ignored, numbering is by line


def test_jsonl_gzip_streams(write: Write) -> None:
    data = gzip.compress(jsonl(*({"title": f"t{n}", "body": BODY} for n in range(50))).encode())
    items = read_all(write("big.jsonl.gz", data))
    assert len(articles(items)) == 50 and items[49].id == "big.jsonl.gz#50"


def test_jsonl_gzip_truncated_is_a_skip_after_good_lines(write: Write) -> None:
    data = gzip.compress(jsonl(*({"title": f"t{n}"} for n in range(2000))).encode())
    items = read_all(write("cut.jsonl.gz", data[: len(data) // 2]))
    assert len(articles(items)) > 10
    assert "corrupt gzip data" in items[-1].reason


def test_jsonl_with_utf8_bom(write: Write) -> None:
    items = read_all(write("b.jsonl", codecs.BOM_UTF8 + jsonl({"title": TITLE}).encode()))
    assert articles(items)[0].title == TITLE


def test_jsonl_in_utf16_is_decoded_whole(write: Write) -> None:
    data = codecs.BOM_UTF16_LE + jsonl({"title": TITLE}, {"body": BODY}).encode("utf-16-le")
    assert [a.title or a.body for a in articles(read_all(write("w.jsonl", data)))] == [TITLE, BODY]


def test_jsonl_line_in_cp1256(write: Write) -> None:
    line = orjson.dumps({"title": TITLE, "body": BODY}).decode().encode("cp1256") + b"\n"
    (article,) = articles(read_all(write("old.jsonl", line)))
    assert (article.title, article.body) == (TITLE, BODY)


def test_jsonl_line_with_broken_byte_is_kept_with_a_notice(write: Write) -> None:
    line = orjson.dumps({"title": TITLE, "body": BODY})[:-2] + b"\xd9" + b'"}\n'
    items = read_all(write("x.jsonl", line))
    assert len(notices(items)) == 1 and "replaced by U+FFFD" in items[0].reason
    assert articles(items)[0].body == BODY + "\ufffd"


# --- JSON -------------------------------------------------------------------------------


JSON_SHAPES = [
    ("array", [{"title": "a"}, {"title": "b"}]),
    ("object-with-one-list", {"version": 2, "articles": [{"title": "a"}, {"title": "b"}]}),
    ("nested-list", {"response": {"meta": {}, "docs": [{"title": "a"}, {"title": "b"}]}}),
]


@pytest.mark.parametrize("doc", [s[1] for s in JSON_SHAPES], ids=[s[0] for s in JSON_SHAPES])
def test_json_finds_the_article_list(write: Write, doc: object) -> None:
    path = write("dump.json", orjson.dumps(doc))
    items = read_all(path)
    assert [a.title for a in articles(items)] == ["a", "b"]
    assert items[1].origin == f"{path}#2" and items[1].id == "dump.json#2"


def test_json_single_article_object(write: Write) -> None:
    (article,) = read_all(write("one.json", orjson.dumps({"title": TITLE, "tags": [{"x": 1}]})))
    assert article.title == TITLE


JSON_SKIPS = [
    (
        "squad",
        {"data": [{"title": "t", "paragraphs": [{"context": "c", "qas": []}]}]},
        "SQuAD-style",
    ),
    (
        "two-lists",
        {"a": [{"title": "x"}], "b": [{"title": "y"}]},
        "several lists of objects (a, b)",
    ),
    ("no-list", {"count": 3, "name": "x"}, "no list of article objects"),
    ("array-of-numbers", [1, 2, 3], "without any article objects"),
    ("scalar", "hello", "a single JSON value"),
]


@pytest.mark.parametrize(
    ("doc", "reason"), [s[1:] for s in JSON_SKIPS], ids=[s[0] for s in JSON_SKIPS]
)
def test_json_that_holds_no_articles_is_one_skip(write: Write, doc: object, reason: str) -> None:
    path = write("odd.json", orjson.dumps(doc))
    (skip,) = read_all(path)
    assert isinstance(skip, Skip) and skip.origin == str(path) and reason in skip.reason


def test_invalid_json_is_a_skip(write: Write) -> None:
    (skip,) = read_all(write("bad.json", '{"title": "a",'))
    assert skip.reason.startswith("invalid JSON at line 1")


def test_truncated_json_array_keeps_the_items_before_the_break(write: Write) -> None:
    path = write("cut.json", '[{"title": "أ"}, {"title": "ب"}, {"title": "ج"')
    first, second, skip = read_all(path)
    assert (first.title, second.title) == ("أ", "ب")
    assert isinstance(skip, Skip) and skip.origin == f"{path}#3"
    assert skip.reason.startswith("invalid JSON after item 2, rest of file not read")


def test_json_file_that_is_really_jsonl(write: Write) -> None:
    assert len(articles(read_all(write("lines.json", jsonl({"title": "a"}, {"title": "b"}))))) == 2


def test_json_array_with_non_object_item(write: Write) -> None:
    items = read_all(write("mixed.json", orjson.dumps([{"title": "a"}, "oops"])))
    assert items[1].reason == "not an article object but a JSON string"


# --- CSV / TSV --------------------------------------------------------------------------


def test_csv_quoted_commas_and_newlines(write: Write) -> None:
    text = (
        "ID,Headline,Text,Published\r\n"
        f'1,"{TITLE}, الجزء الأول","سطر أول، وفاصلة, أيضا\r\nسطر ثان ""مقتبس""",17/05/2015\r\n'
        f"2,{TITLE},{BODY},2015-07-21\r\n"
    )
    path = write("t.csv", text)
    first, second = read_all(path)
    assert first.title == f"{TITLE}, الجزء الأول"
    assert first.body == 'سطر أول، وفاصلة, أيضا\r\nسطر ثان "مقتبس"'
    assert first.date is not None and first.date.day == 17
    assert (first.id, first.origin) == ("1", f"{path}:2")
    assert second.origin == f"{path}:4"  # the quoted field spans line 3


def test_csv_huge_field(write: Write) -> None:
    body = "كلمة " * 60_000  # 300k characters, over the csv module's default 128 KiB limit
    (article,) = read_all(write("big.csv", f"title,body\nT,{body}\n"))
    assert article.body == body


def test_csv_without_text_columns_is_one_skip_naming_them(write: Write) -> None:
    (skip,) = read_all(write("q.csv", "testp,exq\nنص,سؤال\nنص,سؤال\n"))
    assert (
        skip.reason
        == "no title or body column (columns: testp, exq); map one with fields={'body': 'COLUMN'}"
    )


def test_csv_override_makes_it_work(write: Write) -> None:
    path = write("q.csv", "testp,exq\nنص أول,سؤال\nنص ثان,سؤال\n")
    items = read_all(path, fields={"body": "testp"})
    assert [a.body for a in articles(items)] == ["نص أول", "نص ثان"]
    assert [a.id for a in articles(items)] == ["q.csv#1", "q.csv#2"]


def test_csv_short_row_gets_a_notice(write: Write) -> None:
    notice, article = read_all(write("s.csv", "title,body,url\nT,B\n"))
    assert "row has 2 fields, the header has 3" in notice.reason and article.url == ""


def test_tsv_has_no_quoting(write: Write) -> None:
    (article,) = read_all(write("t.tsv", 'title\tbody\n"quoted" start\tsome "text"\n'))
    assert (article.title, article.body) == ('"quoted" start', 'some "text"')


def test_tsv_without_header_uses_column_numbers(write: Write) -> None:
    text = f"1:1-4\t{BODY}\n1:5-6\t{BODY} {BODY}\n"
    path = write("qpc.tsv", text)
    (skip,) = read_all(path)
    assert skip.reason.startswith("no header row (the first row looks like data)")
    items = read_all(path, fields={"id": "1", "body": "2"})
    assert [(a.id, a.origin) for a in items] == [("1:1-4", f"{path}:1"), ("1:5-6", f"{path}:2")]


def test_empty_csv(write: Write) -> None:
    (skip,) = read_all(write("e.csv", "\n\n"))
    assert skip.reason == "empty file (no rows)"


# --- plain text, subtitles --------------------------------------------------------------


def test_txt_first_line_is_title_and_crlf_stays(write: Write) -> None:
    path = write("corpus/sub/a.txt", f"\r\n  {TITLE}  \r\n{BODY}\r\nسطر\r\n\r\n")
    (article,) = read_all(path.parent.parent)
    assert (article.title, article.body) == (TITLE, f"{BODY}\r\nسطر")
    assert article.id == "corpus/sub/a.txt" and article.date is None


def test_txt_single_line_is_a_title(write: Write) -> None:
    (article,) = read_all(write("one.txt", TITLE))
    assert (article.title, article.body) == (TITLE, "")


def test_empty_txt_is_a_skip(write: Write) -> None:
    (skip,) = read_all(write("blank.txt", " \n\t\n"))
    assert skip.reason == "no text found"


def test_srt_keeps_only_the_spoken_lines(write: Write) -> None:
    text = (
        "1\r\n00:00:08,770 --> 00:00:10,750\r\n...أنت\r\n\r\n"
        "2\r\n00:00:15,200 --> 00:00:17,840\r\n.المكان خطير هنا\r\n"
    )
    (article,) = read_all(write("ep1.srt", text))
    assert (article.title, article.body) == ("", "...أنت\r\n\r\n.المكان خطير هنا")


# --- HTML, XML --------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>
<style>.x {{color: red}}</style><script>var menu = "قائمة";</script></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/x">اتصل بنا</a></nav>
<article><h1>{title}</h1><p>{body}</p><p>{body} &amp; &#1601;&#1610; &quot;الرياض&quot;.</p>
<p>{body}</p></article><footer>حقوق النشر محفوظة</footer></body></html>"""


def page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset, title=TITLE, body=BODY)


def test_html_main_text_without_boilerplate(write: Write) -> None:
    (article,) = read_all(write("p.html", page()))
    assert article.title == TITLE
    assert BODY in article.body and '& في "الرياض"' in article.body  # entities decoded
    for boilerplate in ("color: red", "var menu", "اتصل بنا", "حقوق النشر"):
        assert boilerplate not in article.body


def test_html_declared_charset_cp1256(write: Write) -> None:
    (article,) = read_all(write("p.htm", page("windows-1256").encode("cp1256")))
    assert article.title == TITLE and BODY in article.body


def test_html_declared_utf8_with_a_broken_byte(write: Write) -> None:
    data = page().encode().replace("الرياض".encode(), "الرياض".encode()[:-1], 1)
    notice, article = read_all(write("p.html", data))
    assert notice.reason.startswith("1 invalid utf-8 byte sequence(s) replaced by U+FFFD")
    assert BODY in article.body


def test_html_tiny_page_falls_back_to_title_and_visible_text(write: Write) -> None:
    html = (
        "<html><head><title>عنوان</title><script>x()</script></head>"
        "<body><div>نص قصير</div></body></html>"
    )
    (article,) = read_all(write("tiny.html", html))
    assert (article.title, article.body) == ("عنوان", "نص قصير")


def test_tei_xml(write: Write) -> None:
    xml = (
        '\ufeff<?xml version="1.0" encoding="utf-8" ?>\r\n<tei.2><teiHeader><fileDesc><titleStmt>'
        f"<title>  {TITLE} </title></titleStmt></fileDesc></teiHeader>\r\n"
        f"<text><body><p>{BODY}</p>\r\n<p>سطر</p></body></text></tei.2>"
    )
    (article,) = read_all(write("cca.xml", xml))
    assert (article.title, article.body) == (TITLE, f"{BODY}\nسطر")


def test_generic_xml(write: Write) -> None:
    xml = f"<doc><title>{TITLE}</title><para>{BODY}</para></doc>"
    (article,) = read_all(write("d.xml", xml))
    assert (article.title, article.body) == (TITLE, BODY)


def test_broken_xml_is_a_skip_or_partial(write: Write) -> None:
    items = read_all(write("bad.xml", "<<<>>>"))
    assert isinstance(items[0], Skip)


# --- sniffing, binary, gzip of other formats ---------------------------------------------

SNIFFED = [
    ("json-array", orjson.dumps([{"title": TITLE}]).decode()),
    ("jsonl", jsonl({"title": TITLE}, {"title": TITLE})),
    (
        "html",
        f"<!doctype html><html><head><title>{TITLE}</title></head>"
        f"<body><p>{BODY}</p></body></html>",
    ),
    ("xml", f"<?xml version='1.0'?><doc><title>{TITLE}</title><p>{BODY}</p></doc>"),
    ("srt", f"1\n00:00:01,000 --> 00:00:02,000\n{TITLE}\n"),
    ("text", f"{TITLE}\n{BODY}\n"),
]


@pytest.mark.parametrize("content", [s[1] for s in SNIFFED], ids=[s[0] for s in SNIFFED])
def test_unknown_extension_is_sniffed(write: Write, content: str) -> None:
    found = articles(read_all(write("README", content)))
    assert found and all(TITLE in a.title + a.body for a in found)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", b"%PDF-1.4 ...", "unsupported file type .pdf"),
        ("photo.dat", b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported file type .dat (PNG data)"),
        ("noise.bin", bytes(range(256)) * 4, "unsupported file type .bin"),
        (
            "noise.xyz",
            bytes([0, 1, 2, 3, 0, 0, 255, 128]) * 64,
            "binary data (NUL bytes), not text",
        ),
    ],
    ids=["pdf-extension", "png-magic", "bin-extension", "nul-junk"],
)
def test_binary_files_are_skipped(write: Write, name: str, data: bytes, reason: str) -> None:
    (skip,) = read_all(write(name, data))
    assert isinstance(skip, Skip) and skip.reason == reason


def test_gzip_of_json_and_of_unknown(write: Write) -> None:
    doc = orjson.dumps([{"title": TITLE}, {"title": TITLE}])
    assert len(articles(read_all(write("a.json.gz", gzip.compress(doc))))) == 2
    assert len(articles(read_all(write("b.gz", gzip.compress(doc))))) == 2


def test_bad_gzip_is_a_skip(write: Write) -> None:
    (skip,) = read_all(write("c.json.gz", b"\x1f\x8bnot really gzip"))
    assert skip.reason.startswith("corrupt gzip data")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.fixed_dictionaries({"title": st.text(min_size=1).filter(str.strip), "body": st.text()}),
        min_size=1,
        max_size=5,
    )
)
def test_jsonl_round_trips_any_text(write: Write, records: list[dict[str, str]]) -> None:
    found = articles(read_all(write("r.jsonl", jsonl(*records))))
    assert [(a.title, a.body) for a in found] == [(r["title"], r["body"]) for r in records]
