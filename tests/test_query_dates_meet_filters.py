"""A ``date:`` in the query that every match must meet, wholly outside ``since``/``until``,
is refused as a ``since`` after ``until`` is (the bundled articles are dated 2015..2024):
nothing could match, and an empty answer would read as an archive without the word."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.errors import UsageError

WORD = "السعودية"


@pytest.mark.parametrize(
    ("query", "filters", "message"),
    [
        (f"date:2015 {WORD}", {"since": "2016"}, "the query's date:2015 ends before since='2016' begins, so no date can match both"),
        (f"{WORD} تاريخ:2024", {"until": "2016-05"}, "the query's date:2024 begins after until='2016-05' ends, so no date can match both"),
        (f"{WORD} +date:[2015 TO 2016]", {"since": "2017", "mode": "any"}, "the query's date:[2015 TO 2016] ends before since='2017' begins, so no date can match both"),
    ],
)
def test_a_query_date_outside_the_filters_is_refused_naming_both(bundled_corpus, query, filters, message):
    with pytest.raises(UsageError) as raised:
        bundled_corpus.search(query, **filters)
    assert str(raised.value) == message
    for view in ("kwic", "collocates", "freq", "trend"):
        with pytest.raises(UsageError, match="so no date can match both"):
            getattr(bundled_corpus, view)(query, **filters)


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        (f"{WORD} OR date:2015", {"since": "2016"}),  # one choice of two
        (f"{WORD} date:2015", {"since": "2016", "mode": "any"}),  # a bag's word, not required
        (f"{WORD} date:2015", {"since": "2015-06"}),  # the second half of 2015 meets it
        (f"{WORD} date:>=2016", {"until": "2024"}),
    ],
)
def test_a_query_date_that_can_meet_the_filters_searches(bundled_corpus, query, filters):
    assert bundled_corpus.search(query, **filters).total > 0


@pytest.mark.parametrize("command", ["query", "kwic", "freq"])
def test_the_command_refuses_it_in_its_own_words(bundled_corpus, command):
    result = CliRunner().invoke(main, [command, "--index", str(bundled_corpus.path), "--since", "2016", WORD, "date:2015"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "the query's date:2015 ends before --since 2016 begins, so no date can match both" in result.stderr
    assert "Traceback" not in result.stderr
