"""Real files from ../shared/data: every messy file decodes to real Arabic or is skipped with a
clear reason; the news JSONL and the SaudiNewsNet day come through field for field."""

from __future__ import annotations

import html
from pathlib import Path

import orjson
import pytest

from indexer.sources import Article, Skip, decode
from indexer.sources.encoding import detect
from tests.sources.sources_helpers import articles, notices, read_all, skips

# file -> (encoding decode() must find, words read from the file that must appear)
TEXT_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cp1256/chardet_chromium_no_charset_declared.html": ("cp1256", ("كتائب", "القسام", "غزة")),
    "cp1256/chardet_culturax_OSCAR-2109_98639.txt": ("cp1256", ("الأستاذ", "حقوق", "الحديد")),
    "cp1256/chardet_culturax_mC4_98635.txt": ("cp1256", ("الإعلام", "قوانين", "المغرب")),
    "cp1256/chardet_culturax_mC4_98641_alriyadh.txt": (
        "cp1256",
        ("الرياض", "المغفرة", "والمساكين"),
    ),
    "cp1256/chardet_ude_1_wikipedia_diacritized.txt": ("cp1256", ("العَرَبِيّة", "بريطانيا", "معجم")),
    "cp1256/charset_normalizer_sample-arabic-1.txt": ("cp1256", ("المغاربية", "اليابان", "الشمس")),
    "cp1256/charset_normalizer_sample.1.ar.srt": ("cp1256", ("رحالة", "مسالمين", "المظلم")),
    "cp1256/charset_normalizer_sample.2.ar.srt": ("cp1256", ("جاندالف", "الخاتم", "العالم")),
    "cp1256/charset_normalizer_sample.4.ar.srt": ("cp1256", ("الزملاء", "الرواتب", "الروحي")),
    "cp1256/readtext_UDHR_Arabic_WINDOWS-1256.txt": ("cp1256", ("الديباجة", "الزواج", "الكرامة")),
    "cp720/chardet_culturax_mC4_98635.txt": ("cp720", ("الإعلام", "المغرب", "القانونية")),
    "html/al-rashidrealestate_main.php.html": ("utf-8", ("العقارية", "السعودية", "بيروت")),
    "html/newspoliticssource_top.php.html": ("utf-8", ("ميركل", "الإعلام", "مرسي")),
    "html/sayaara-auto_news.php.html": ("utf-8", ("السيارات", "الكهربائية", "البحرينية")),
    "html/shadesofnews_rss-index6.php.html": ("utf-8", ("دارفور", "كيري", "سوريا")),
    "iso-8859-6/chardet_chromium_no_charset_declared.html": (
        "iso8859-6",
        ("كتائب", "القسام", "غزة"),
    ),
    "iso-8859-6/chardet_ude_1.txt": ("iso8859-6", ("العَرَبِيّة", "بريطانيا", "معجم")),
    "iso-8859-6/readtext_UDHR_Arabic_ISO-8859-6.txt": (
        "iso8859-6",
        ("الديباجة", "الزواج", "الكرامة"),
    ),
    "utf16/chardet_culturax_mC4_98635_utf-16le_noBOM.txt": (
        "utf-16-le",
        ("الإعلام", "المغرب", "القانونية"),
    ),
    "utf16/khoja_ArabicText_1998_news_UTF-16BE_BOM_CRLF.txt": (
        "utf-16-be",
        ("الخليجي", "شيراك", "فرنسا"),
    ),
    "utf16/khoja_stopwords_UTF-16LE_BOM.txt": ("utf-16-le", ("بعد", "حتى", "وليس")),
    "utf16/khoja_test_UTF-16BE_BOM.txt": ("utf-16-be", ("الطالبة", "المدرسة", "بامتياز")),
    "utf8_bom_crlf/cca_Economics_Ec01.xml": ("utf-8", ("الميزانية", "الموارد", "البشرية")),
    "utf8_bom_crlf/cca_Interview_Int01.xml": ("utf-8", ("المزاج", "المسرح", "الأمم")),
    "utf8_bom_crlf/cca_Politics_Pol01.xml": ("utf-8", ("العولمة", "الأمريكي", "الفلاح")),
    "utf8_bom_crlf/charset_normalizer_sample.3.ar.srt": ("utf-8", ("الذاكرة", "قصر", "الروحي")),
    "utf8_bom_crlf/charset_normalizer_sample.5.ar.srt": ("utf-8", ("رحالة", "مسالمين", "المظلم")),
    "utf8_bom_crlf/readtext_UDHR_Arabic_UTF-8.txt": ("utf-8", ("الديباجة", "الزواج", "الكرامة")),
    "utf8_bom_crlf/subtitle_aot_final_ep1_arabic.srt": ("utf-8", ("الانتحاريّة", "العدوّ", "المكان")),
}

# files read by default as one Skip, and the reason given
SKIPPED_FILES: dict[str, str] = {
    "json_csv/arcd-test.json": "SQuAD-style question-answering JSON (data -> paragraphs",
    "json_csv/soqal_turk_batch_example.csv": "no title or body column (columns: testp, exq",
    "json_csv/qqa23_QPC_v1.1.tsv": "no header row (the first row looks like data)",
    "MANIFEST.tsv": "no title or body column (columns: file, bytes, true_encoding_and_quirks",
}

BROKEN_UTF8_HTML = {
    "html/al-rashidrealestate_main.php.html": 1,
    "html/sayaara-auto_news.php.html": 1,
    "html/shadesofnews_rss-index6.php.html": 24,
}

SAUDI_DAY = "json_csv/saudinewsnet_2015-07-23.json"


@pytest.fixture(scope="module")
def messy(shared_data: Path) -> Path:
    return shared_data / "messy"


@pytest.fixture(scope="module")
def messy_items(messy: Path) -> list[Article | Skip]:
    return read_all(messy)


def test_every_messy_file_is_covered_by_the_tables(messy: Path) -> None:
    on_disk = {p.relative_to(messy).as_posix() for p in messy.rglob("*") if p.is_file()}
    assert on_disk == set(TEXT_FILES) | set(SKIPPED_FILES) | {SAUDI_DAY}


@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_messy_file_decodes_to_real_arabic(messy: Path, messy_items: list, name: str) -> None:
    encoding, words = TEXT_FILES[name]
    assert detect((messy / name).read_bytes(), name).encoding == encoding
    found = [a for a in articles(messy_items) if a.id == f"messy/{name}"]
    assert len(found) == 1, f"{name}: {[i for i in messy_items if name in i.origin]}"
    text = found[0].title + "\n" + found[0].body
    for word in words:
        assert word in text, f"{word!r} missing from {name}"
    assert "\ufffd" not in text or name in BROKEN_UTF8_HTML


@pytest.mark.parametrize("name", sorted(SKIPPED_FILES))
def test_messy_file_skipped_with_a_clear_reason(messy_items: list, messy: Path, name: str) -> None:
    mine = [item for item in messy_items if item.origin == str(messy / name)]
    assert len(mine) == 1 and isinstance(mine[0], Skip)
    assert SKIPPED_FILES[name] in mine[0].reason


@pytest.mark.parametrize("name", sorted(BROKEN_UTF8_HTML))
def test_broken_utf8_html_loses_only_the_broken_bytes(
    messy_items: list, messy: Path, name: str
) -> None:
    (notice,) = [n for n in notices(messy_items) if n.origin == str(messy / name)]
    assert notice.reason.startswith(f"{BROKEN_UTF8_HTML[name]} invalid utf-8 byte sequence(s)")


def test_the_utf16_trap_file_is_valid_utf8_and_still_read_right(messy: Path) -> None:
    data = (messy / "utf16/chardet_culturax_mC4_98635_utf-16le_noBOM.txt").read_bytes()
    data.decode("utf-8")  # the trap: valid UTF-8
    twin = (messy / "cp1256/chardet_culturax_mC4_98635.txt").read_bytes()
    assert decode(data, "x") == decode(twin, "x")


def test_same_text_in_three_encodings_decodes_identically(messy: Path) -> None:
    names = [
        "utf8_bom_crlf/readtext_UDHR_Arabic_UTF-8.txt",
        "cp1256/readtext_UDHR_Arabic_WINDOWS-1256.txt",
        "iso-8859-6/readtext_UDHR_Arabic_ISO-8859-6.txt",
    ]
    assert len({decode((messy / n).read_bytes(), n) for n in names}) == 1


def test_crlf_kept_as_in_the_source(messy_items: list) -> None:
    by_id = {a.id: a for a in articles(messy_items)}
    assert "\r\n" in by_id["messy/cp1256/charset_normalizer_sample.1.ar.srt"].body
    assert "\r" not in by_id["messy/utf8_bom_crlf/charset_normalizer_sample.5.ar.srt"].body


def test_saudinewsnet_day_every_record_accounted_for(messy: Path) -> None:
    path = messy / SAUDI_DAY
    source = orjson.loads(path.read_bytes())
    items = read_all(path)
    found = articles(items)
    # 1,318 records: 1,316 articles; 2 have title "" and content " " and are skipped.
    assert len(source) == 1318 and len(items) == 1318
    assert len(found) == 1316
    assert [s.reason for s in skips(items)] == ["no title or body (both empty)"] * 2
    by_origin = {a.origin: a for a in found}
    for number, record in enumerate(source, 1):
        article = by_origin.get(f"{path}#{number}")
        if article is None:
            assert not record["title"].strip() and not record["content"].strip()
            continue
        assert (article.title, article.body, article.url, article.source) == (
            record["title"],
            record["content"],
            record["url"],
            record["source"],
        )
        assert article.date_raw == record["date_extracted"] and article.date is not None
        assert article.id == f"saudinewsnet_2015-07-23.json#{number}"


def test_soqal_csv_ingests_every_row_with_a_field_mapping(messy: Path) -> None:
    path = messy / "json_csv/soqal_turk_batch_example.csv"
    items = read_all(path, fields={"body": "testp", "title": "testq"})
    found = articles(items)
    assert len(items) == len(found) == 10
    assert "عمر الشريف" in found[0].body and found[0].title == "في أي عام توفي عمر الشريف؟"
    assert found[0].id == "soqal_turk_batch_example.csv#1"


def test_qpc_tsv_ingests_every_row_with_column_numbers(messy: Path) -> None:
    path = messy / "json_csv/qqa23_QPC_v1.1.tsv"
    items = read_all(path, fields={"id": "1", "body": "2"})
    found = articles(items)
    assert len(items) == len(found) == 1266
    assert (found[0].id, found[0].origin) == ("1:1-4", f"{path}:1")
    assert found[0].body.startswith("بسم الله الرحمن الرحيم")


def test_sample_1000_fields_equal_the_source(shared_data: Path) -> None:
    path = shared_data / "news/sample_1000.jsonl"
    source = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    items = read_all(path)
    assert len(items) == 1000 and not notices(items)
    # 3 records have an empty title and a body of one space: skipped, the other 997 indexed.
    empty = [n for n, r in enumerate(source, 1) if not r["title"].strip() and not r["body"].strip()]
    assert [s.origin for s in skips(items)] == [f"{path}:{n}" for n in empty] and len(empty) == 3
    # HTML character references the feed left in its text (&quot;, &#8220;) are decoded.
    assert sum("&quot;" in r["title"] + r["body"] for r in source) > 0
    for record, item in zip(source, items, strict=True):
        if isinstance(item, Skip):
            continue
        assert (item.id, item.title, item.body, item.url, item.source, item.date_raw) == (
            record["id"],
            html.unescape(record["title"]),
            html.unescape(record["body"]),
            record["url"],
            record["source"],
            record["date"],
        )
        assert item.date is not None


def test_seed_text_article(shared_data: Path) -> None:
    (article,) = read_all(shared_data / "news/seed")
    assert article.id == "seed/000_04cd0b0d7ab9fe2b.txt"
    assert "بلينكين" in article.title + article.body and "بلينكن" in article.body
