"""The bundled Arabic font as files and as the server sends them: it has a glyph for every
Arabic character the news and the Qur'an texts use, its licence ships beside it, the package
data ships all three, and a browser may keep the font for a year (its name carries its
version) while it asks again for the stylesheet, whose name stays."""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest

from tests.server.conftest import REPO

FONTS = files("indexer.server") / "static" / "fonts"
STYLES = ("regular", "bold")


def cmap(style: str) -> set[int]:
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the font (pip install .[test])")
    pytest.importorskip("brotli", reason="brotli unpacks WOFF2 (pip install .[test])")
    return set(ttlib.TTFont(str(FONTS / f"noto-naskh-arabic-2.004-{style}.woff2")).getBestCmap())


def is_arabic(char: str) -> bool:
    return 0x0600 <= ord(char) <= 0x08FF or 0xFB50 <= ord(char) <= 0xFEFF


@pytest.mark.parametrize("style", STYLES)
def test_every_arabic_character_of_the_news_and_the_quran_has_a_glyph(shared_data: Path, style: str):
    used: set[str] = set()
    for path in (shared_data / "diacritized").iterdir():
        used |= set(path.read_text("utf-8", errors="replace"))
    with (shared_data / "news" / "sample_1000.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            used |= set(article["title"] or "") | set(article["body"] or "")
    arabic = {c for c in used if is_arabic(c)}
    assert len(arabic) > 100 and {"\u0671", "\u06E1", "\u08F0", "\u06CC"} <= arabic  # ٱ, ۡ, open fathatan, Farsi yeh
    missing = sorted(f"U+{ord(c):04X}" for c in arabic if ord(c) not in cmap(style))
    assert missing == []


@pytest.mark.parametrize("style", STYLES)
def test_every_letter_mark_and_presentation_form_has_a_glyph(style: str):
    """Without the shared data: the whole Arabic letter and mark repertoire a text may use."""
    wanted = {*range(0x0621, 0x063B), *range(0x0641, 0x065F), *range(0x0660, 0x066A), *range(0x0670, 0x06D4),
              *range(0x06D6, 0x06EE), *range(0x08F0, 0x08F4), *range(0xFE80, 0xFEFD), 0x060C, 0x061B, 0x061F, 0x0640}
    assert sorted(hex(c) for c in wanted - cmap(style)) == []


def test_the_licence_ships_beside_the_font_in_the_package_data():
    assert "SIL OPEN FONT LICENSE" in (FONTS / "OFL.txt").read_text("utf-8")
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["indexer.server"]
    for name in ("OFL.txt", *(f"noto-naskh-arabic-2.004-{style}.woff2" for style in STYLES)):
        assert (FONTS / name).is_file()
        assert any(fnmatch(f"static/fonts/{name}", pattern) and pattern.count("/") == 2 for pattern in patterns), patterns


def test_a_font_is_kept_for_a_year_and_the_stylesheet_checked_each_time(server):
    font = server.client.get("/static/fonts/noto-naskh-arabic-2.004-regular.woff2")
    assert font.status_code == 200 and font.headers["content-type"] == "font/woff2"
    assert font.content == (FONTS / "noto-naskh-arabic-2.004-regular.woff2").read_bytes()
    assert font.headers["cache-control"] == "public, max-age=31536000, immutable"
    again = server.client.get("/static/fonts/noto-naskh-arabic-2.004-regular.woff2", headers={"If-None-Match": font.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == font.headers["cache-control"]
    style = server.client.get("/static/style.css")
    assert style.status_code == 200 and style.headers["cache-control"] == "no-cache" and style.headers.get("etag")
    assert "noto-naskh-arabic-2.004-regular.woff2" in style.text
    assert server.client.get("/static/fonts/absent.woff2").status_code == 404
