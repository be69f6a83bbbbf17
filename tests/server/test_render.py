"""Arabic counted nouns on the page: after the number, the dual for two, the plural for three
to ten (of each hundred: 103, 1,210), the singular otherwise (1, 11 to 102)."""

from __future__ import annotations

import pytest

from indexer.server.render import counted

FORMS = ("مقالة", "مقالتان", "مقالات")


@pytest.mark.parametrize(("count", "expected"), [
    (0, "مقالة"), (1, "مقالة"), (2, "مقالتان"), (3, "مقالات"), (10, "مقالات"), (11, "مقالة"),
    (99, "مقالة"), (100, "مقالة"), (102, "مقالة"), (103, "مقالات"), (1_210, "مقالات"), (1_211, "مقالة"),
])
def test_the_noun_agrees_with_the_number(count, expected):
    assert counted(count, *FORMS) == expected
