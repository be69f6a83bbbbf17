"""Numbers written with separators: which chains of digits are one number, and its form.

News writes one number many ways: 1,200 and 1200, 3.5 and the decimal comma of 3,5 (from
French-style wires), ٣٫٥ with the Arabic decimal sign, ١٬٢٠٠ with the Arabic thousands
sign, 10.978.106 with dots for thousands, 1,205.9 with both. A search for one must find
the others, so each is one word (``NUMBER``, which the tokenizer matches) and folds to one
form (``number_form``): its digits with at most one "." before the decimals. A chain that
is no number (the date 8.10.1436, the version 5.1.1, the times 1,38,95) is one word per
run of digits.

How a separator is read (``tables.NUMBER_SEPARATORS``), one row of ``NUMBER`` each:

| written | read as | example |
|---|---|---|
| "," before groups of three digits | thousands, then maybe "." or ٫ for decimals | 1,200 · 5,712,778 · 1,205.9 |
| ٬ before groups of three digits | thousands, then maybe . , ٫ for decimals | ١٬٢٠٠ |
| "." two or more times before groups of three | thousands, then maybe , or ٫ for decimals | 10.978.106 · 1.900.000,5 |
| "." once before three digits, then , or ٫ | thousands, then decimals | 1.205,9 |
| . , or ٫ once, anything else | decimals | 3.5 · 10.978 · 1,3 · ٣٫٥ · 12345,678 |

The first group of thousands has 1 to 3 digits, every other exactly 3.
"""

from __future__ import annotations

import re

from indexer.analysis import tables

_ANY = re.escape(tables.NUMBER_SEPARATORS)
_AR_DECIMAL, _AR_THOUSANDS = tables.ARABIC_DECIMAL_SEPARATOR, tables.ARABIC_THOUSANDS_SEPARATOR

#: One number: a row of the table above, neither the tail nor the head of a longer chain
#: of digits and separators (in 8.10.1436 no part is a number: each run of digits is).
NUMBER_PATTERN = (
    f"(?<!\\d[{_ANY}])(?:"
    f"\\d{{1,3}}+(?:,\\d{{3}}+(?!\\d))++(?:[.{_AR_DECIMAL}]\\d++)?+"
    f"|\\d{{1,3}}+(?:{_AR_THOUSANDS}\\d{{3}}+(?!\\d))++(?:[.,{_AR_DECIMAL}]\\d++)?+"
    f"|\\d{{1,3}}+(?:\\.\\d{{3}}+(?!\\d)){{2,}}+(?:[,{_AR_DECIMAL}]\\d++)?+"
    f"|\\d{{1,3}}+\\.\\d{{3}}+(?!\\d)[,{_AR_DECIMAL}]\\d++"
    f"|\\d++[.,{_AR_DECIMAL}]\\d++"
    f")(?![{_ANY}]\\d)"
)
NUMBER = re.compile(NUMBER_PATTERN)
_SEPARATOR = re.compile(f"[{_ANY}]")


def number_form(number: str) -> str:
    """The one form of ``number``, a match of ``NUMBER``: its digits, "." before decimals.

    >>> [number_form(n) for n in ("1,200", "3,5", "٣٫٥", "1.900.000", "1,205.9", "1.205,9")]
    ['1200', '3.5', '٣.٥', '1900000', '1205.9', '1205.9']
    """
    separators = _SEPARATOR.findall(number)
    groups = _SEPARATOR.split(number)
    if len(set(separators)) == 2:  # thousands, then the decimal sign
        return f"{''.join(groups[:-1])}.{groups[-1]}"
    if len(separators) > 1 or separators[0] == _AR_THOUSANDS:
        return "".join(groups)
    if separators[0] == "," and len(groups[0]) <= 3 and len(groups[1]) == 3:
        return "".join(groups)  # 1,200
    return f"{groups[0]}.{groups[1]}"
