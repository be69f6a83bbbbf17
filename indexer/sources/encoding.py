"""Bytes to text for files whose encoding nobody states reliably.

Arabic text turns up as UTF-8, UTF-16, Windows-1256, ISO-8859-6 or DOS cp720, with or without a
byte-order mark. The first rule that applies wins:

1. ``forced`` (the CLI's ``--encoding``) overrides everything.
2. A byte-order mark decides (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE); the mark is dropped.
   With rules 1 and 2 a few undecodable bytes (under 1%) become U+FFFD and are counted in
   `Decoded.replaced`; more than that is an error.
3. BOM-less UTF-16/32, told by NUL bytes sitting at one byte parity. This must come before
   UTF-8: Arabic UTF-16LE (``27 06 44 06 20 00``) is often *valid* UTF-8 full of control bytes.
4. Strict UTF-8, when the result is real text (at most 1% NULs or other control characters).
5. A charset declared inside the file (HTML ``<meta charset>``, XML declaration), if it decodes
   the bytes cleanly.
6. UTF-8 with a few broken byte sequences (truncated web pages): decoded with U+FFFD in place
   of only the broken bytes; `Decoded.replaced` says how many, so readers can warn.
7. charset-normalizer's detection, checked against the Arabic code pages (see `_arabic_rescue`).

Anything left (binary data, hopeless bytes) raises `SourceError`; readers turn it into a Skip.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from indexer.errors import Message, example
from indexer.sources.errors import SourceError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that never occur in real text (tab, LF, VT, FF, CR are allowed).
_BAD_CONTROLS = re.compile("[\u0000-\u0008\u000e-\u001f\u007f-\u009f]")
_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]")
# Single-byte Arabic code pages that detection may confuse with each other or with others.
_ARABIC_CODEPAGES = ("cp1256", "iso8859-6", "cp720")
_SNIFF_BYTES = 65536
_MAX_LOSS = 0.01  # a lossy decode is acceptable when under 1% of the input is broken


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with how it was decided (for notices and debugging)."""

    text: str
    encoding: str  # Python codec name, e.g. "utf-8", "utf-16-le", "cp1256"
    method: str  # "forced", "bom", "nul-pattern", "utf-8", "declared", "lossy-utf-8", "detected"
    replaced: int = 0  # broken byte sequences replaced by U+FFFD


def decode(data: bytes, path: str | Path, forced: str | None = None) -> str:
    """Decode `data` (read from `path`, named in errors) to text by the rules in this module."""
    return detect(data, path, forced).text


def check_encoding(name: str) -> str:
    """Return the canonical codec name for `name`, or raise `SourceError` if it is not a text
    encoding Python knows (so ``--encoding`` typos fail before any file is read)."""
    try:
        # LookupError for unknown names and for non-text codecs (base64, rot13); an empty
        # input would not even look the name up.
        b"\x00\x00\x00\x00".decode(name, errors="ignore")
    except LookupError:
        raise SourceError(
            f"unknown encoding {name!r}: use a Python codec name such as utf-8, cp1256, "
            "iso-8859-6, cp720 or utf-16"
        ) from None
    return codecs.lookup(name).name


def detect(
    data: bytes, path: str | Path, forced: str | None = None, declared: str | None = None
) -> Decoded:
    """Decode `data` and say how; `declared` is a charset named inside the file, if any."""
    if forced is not None:
        return _decode_forced(data, path, check_encoding(forced))
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_or_fail(data[len(bom) :], path, name, "bom")
    wide = _sniff_utf16_32(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            pass
        else:
            if _is_text(text):
                return Decoded(text, wide, "nul-pattern")
    sample = data[:_SNIFF_BYTES]
    if sample.count(0) * 100 > len(sample):
        raise SourceError("binary data (NUL bytes), not text", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _is_text(text):
            return Decoded(text, "utf-8", "utf-8")
        raise SourceError("binary data (control bytes), not text", path)
    if declared:
        found = _try_declared(data, declared)
        if found is not None:
            return found
    lossy = _lossy_utf8(data)
    if lossy is not None:
        return lossy
    return _detect_legacy(data, path)


def _decode_forced(data: bytes, path: str | Path, name: str) -> Decoded:
    """Decode with the user's encoding; a leading BOM character is dropped."""
    decoded = _decode_or_fail(data, path, name, "forced")
    if decoded.text.startswith("\ufeff"):
        return Decoded(decoded.text[1:], name, "forced", decoded.replaced)
    return decoded


def _decode_or_fail(data: bytes, path: str | Path, name: str, method: str) -> Decoded:
    """Decode strictly; accept a few broken sequences (replaced); fail if many are broken."""
    try:
        return Decoded(data.decode(name), name, method)
    except UnicodeDecodeError as exc:
        first = exc
    text = data.decode(name, errors="replace")
    replaced = max(1, text.count("\ufffd") - _legit_replacement_chars(data, name))
    if replaced > max(1, len(data) * _MAX_LOSS):
        raise SourceError(
            f"not valid {name} ({first.reason} at byte {first.start}, {replaced} broken sequences)",
            path,
        )
    return Decoded(text, name, method, replaced)


def _legit_replacement_chars(data: bytes, name: str) -> int:
    """U+FFFD characters genuinely present in the source, so they are not counted as losses."""
    return data.count("\ufffd".encode(name)) if name.startswith("utf") else 0


def _sniff_utf16_32(data: bytes) -> str | None:
    """Guess BOM-less UTF-16/32 from where NUL bytes sit.

    Arabic or ASCII UTF-16LE puts a NUL in the high byte of every space, digit and Latin letter
    (odd offsets) and almost never at even offsets; BE mirrors it. A 5% share is plenty: real
    Arabic UTF-16 has ~15-20% ASCII characters.
    """
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    if len(data) % 4 == 0:
        quads = len(sample) // 4
        if sample[2::4].count(0) == quads and sample[3::4].count(0) == quads:
            return "utf-32-le"
        if sample[0::4].count(0) == quads and sample[1::4].count(0) == quads:
            return "utf-32-be"
    if len(data) % 2:
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs * 0.05 and even <= odd * 0.01:
        return "utf-16-le"
    if even >= pairs * 0.05 and odd <= even * 0.01:
        return "utf-16-be"
    return None


def _is_text(text: str) -> bool:
    """True unless more than 1% of `text` (and more than one character) is NULs or other
    control characters, i.e. binary data or a wrong decoding."""
    bad = len(_BAD_CONTROLS.findall(text))
    return bad <= 1 or bad * 100 <= len(text)


def _try_declared(data: bytes, declared: str) -> Decoded | None:
    """The charset the file declares, if Python knows it and it decodes the bytes cleanly."""
    try:
        name = codecs.lookup(declared).name
        text = data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
    return Decoded(text, name, "declared") if _is_text(text) else None


def _lossy_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few broken sequences: at least 20 good multi-byte characters per bad one.

    Single-byte Arabic code pages almost never form valid multi-byte UTF-8 sequences, so this
    does not swallow cp1256 or ISO-8859-6 files.
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if replaced <= 0 or good < 20 * replaced or not _is_text(text):
        return None
    return Decoded(text, "utf-8", "lossy-utf-8", replaced)


def _detect_legacy(data: bytes, path: str | Path) -> Decoded:
    """charset-normalizer's best guess, then `_arabic_rescue`."""
    best = from_bytes(data).best()
    guess: Decoded | None = None
    if best is not None:
        name = codecs.lookup(best.encoding).name
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            text = ""
        if text and _is_text(text):
            guess = Decoded(text, name, "detected")
    guess = _arabic_rescue(data, guess)
    if guess is None:
        raise SourceError(Message("cannot tell the text encoding (give ", example("encoding", "NAME"), ")"), path)
    return guess


def _arabic_rescue(data: bytes, guess: Decoded | None) -> Decoded | None:
    """Prefer the Arabic code page whose decoding has the most Arabic letters.

    Trap: cp1256, ISO-8859-6 and cp720 put Arabic letters at different byte values, so decoding
    with the wrong one still "works" and gives scrambled text; the right one yields clearly the
    most Arabic letters. charset-normalizer got all our sample files right, but short texts can
    fool it, so its pick is kept unless an Arabic code page gives more Arabic letters and no
    more control characters. A candidate must be at least 30% Arabic letters, so Latin text
    with a few accented letters (which cp1256 maps to Arabic) is never rescued into Arabic.
    """
    best = guess
    best_score = _arabic_score(guess.text) if guess else (-1, 0)
    for name in _ARABIC_CODEPAGES:
        if guess is not None and guess.encoding == name:
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        letters = sum(1 for ch in text if ch.isalpha())
        arabic, bad = _arabic_score(text)
        if arabic * 10 < letters * 3 or not _is_text(text):
            continue
        if arabic > best_score[0] and bad <= max(best_score[1], 0):
            best, best_score = Decoded(text, name, "detected"), (arabic, bad)
    return best


def _arabic_score(text: str) -> tuple[int, int]:
    """(Arabic letters, control characters) in `text`."""
    return len(_ARABIC_LETTER.findall(text)), len(_BAD_CONTROLS.findall(text))
