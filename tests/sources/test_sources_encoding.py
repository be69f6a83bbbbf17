"""decode/detect: BOMs, the BOM-less UTF-16 that is also valid UTF-8, legacy Arabic code pages,
broken UTF-8, forced encodings and binary data."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.sources import SourceError, decode
from indexer.sources.encoding import Decoded, _arabic_rescue, check_encoding, detect

ARABIC = "في البداية نشير إلى أن النتائج المالية للعام الماضي جاءت على غير المتوقع 2015.\r\n"
# Long enough for detection to have something to work with.
ARABIC_LONG = ARABIC * 8

BOMS = [
    ("utf-8-bom", codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "utf-8"),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16-be"),
    ("utf-32-le-bom", codecs.BOM_UTF32_LE + ARABIC.encode("utf-32-le"), "utf-32-le"),
    ("utf-32-be-bom", codecs.BOM_UTF32_BE + ARABIC.encode("utf-32-be"), "utf-32-be"),
]


@pytest.mark.parametrize(("data", "encoding"), [b[1:] for b in BOMS], ids=[b[0] for b in BOMS])
def test_bom_decides_and_is_stripped(data: bytes, encoding: str) -> None:
    found = detect(data, "x.txt")
    assert (found.text, found.encoding, found.method) == (ARABIC, encoding, "bom")


NO_BOM = [
    ("utf-8", ARABIC.encode("utf-8"), "utf-8"),
    ("ascii", b"plain ascii text\n", "utf-8"),
    ("empty", b"", "utf-8"),
    ("utf-16-le", ARABIC.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", ARABIC.encode("utf-16-be"), "utf-16-be"),
    ("utf-32-le", ARABIC.encode("utf-32-le"), "utf-32-le"),
    ("utf-32-be", ARABIC.encode("utf-32-be"), "utf-32-be"),
    ("cp1256", ARABIC_LONG.encode("cp1256"), "cp1256"),
    ("iso-8859-6", ARABIC_LONG.replace("2015", "").encode("iso-8859-6"), "iso8859-6"),
]


@pytest.mark.parametrize(("data", "encoding"), [n[1:] for n in NO_BOM], ids=[n[0] for n in NO_BOM])
def test_without_bom(data: bytes, encoding: str) -> None:
    found = detect(data, "x.txt")
    assert found.encoding == encoding
    assert found.text == data.decode(encoding)


def test_trap_utf16le_without_bom_that_is_valid_utf8() -> None:
    # U+0627 U+0644 ... encode to bytes like 27 06 44 06 20 00: every byte is ASCII, so the
    # whole thing is *valid* UTF-8 -- full of control characters. NULs at odd offsets win.
    data = "الإعلام و القيم الديمقراطية".encode("utf-16-le")
    data.decode("utf-8")  # the trap: no error
    assert decode(data, "x.txt") == "الإعلام و القيم الديمقراطية"


def test_valid_utf8_full_of_controls_is_binary() -> None:
    with pytest.raises(SourceError, match="binary data"):
        decode(bytes(range(1, 32)) * 10, "junk.bin")


def test_nul_bytes_everywhere_is_binary() -> None:
    with pytest.raises(SourceError, match="binary data") as error:
        decode(b"\x00\x01\x02\x00\x00\xff\x00\x10" * 64, "junk.dat")
    assert error.value.path == "junk.dat" and str(error.value).startswith("junk.dat: ")


def test_broken_utf8_is_replaced_and_counted() -> None:
    data = ARABIC.encode("utf-8") * 5 + b"\xd9" + ARABIC.encode("utf-8")
    found = detect(data, "page.html")
    assert found.method == "lossy-utf-8" and found.replaced == 1
    assert found.text == ARABIC * 5 + "\ufffd" + ARABIC


def test_real_replacement_characters_are_not_counted_as_losses() -> None:
    data = ("\ufffd" + ARABIC * 3).encode("utf-8") + b"\xd9"
    assert detect(data, "x").replaced == 1


def test_declared_charset_used_when_it_decodes_cleanly() -> None:
    data = ARABIC.encode("cp1256")
    found = detect(data, "x.html", declared="windows-1256")
    assert (found.encoding, found.method, found.text) == ("cp1256", "declared", ARABIC)


def test_declared_charset_ignored_when_it_does_not_decode() -> None:
    data = ARABIC_LONG.encode("cp1256")  # 0xD7 etc. are not ISO-8859-6
    found = detect(data, "x.html", declared="iso-8859-6")
    assert found.encoding == "cp1256"


def test_forced_encoding_overrides_detection() -> None:
    data = ARABIC.encode("utf-8")
    assert decode(data, "x", forced="latin-1") == data.decode("latin-1")


def test_forced_encoding_drops_a_bom() -> None:
    assert decode(codecs.BOM_UTF8 + b"abc", "x", forced="utf-8") == "abc"


def test_forced_encoding_that_does_not_fit_is_an_error() -> None:
    with pytest.raises(SourceError, match="not valid iso8859-6"):
        decode(ARABIC_LONG.encode("cp1256"), "x.txt", forced="iso-8859-6")


@pytest.mark.parametrize(
    "name", ["no-such-codec", "base64", "rot13"], ids=["unknown", "bytes-codec", "str-codec"]
)
def test_unknown_encoding_name_is_a_clear_error(name: str) -> None:
    with pytest.raises(SourceError, match=f"unknown encoding '{name}'"):
        decode(b"abc", "x", forced=name)


def test_check_encoding_canonical_name() -> None:
    assert check_encoding("Windows-1256") == "cp1256"


def test_arabic_rescue_fixes_a_wrong_code_page() -> None:
    # Trap: ISO-8859-6 bytes read as cp1256 still decode, into scrambled text.
    data = ARABIC_LONG.replace("2015", "").encode("iso-8859-6")
    wrong = Decoded(data.decode("cp1256"), "cp1256", "detected")
    fixed = _arabic_rescue(data, wrong)
    assert fixed is not None and fixed.encoding == "iso8859-6"


def test_arabic_rescue_leaves_latin_text_alone() -> None:
    data = "El niño comió en el café, árbol y canción. Según él, sí.".encode("latin-1")
    latin = Decoded(data.decode("latin-1"), "latin-1", "detected")
    assert _arabic_rescue(data, latin) is latin


_BOM_BYTES = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


@given(st.text(), st.sampled_from(sorted(_BOM_BYTES)))
def test_any_text_round_trips_through_a_bom(text: str, encoding: str) -> None:
    # FF FE + U+0000 is also the UTF-32 LE BOM: an ambiguity of BOMs themselves.
    if encoding == "utf-16-le" and text.startswith("\x00"):
        return
    assert decode(_BOM_BYTES[encoding] + text.encode(encoding), "x") == text


@given(
    st.text(
        alphabet=st.characters(
            min_codepoint=0x20, max_codepoint=0x6FF, exclude_categories=("Cc", "Cs")
        )
    )
)
def test_any_bomless_utf8_text_decodes_as_itself(text: str) -> None:
    data = text.encode("utf-8")
    found = detect(data, "x")
    assert found.text == text
