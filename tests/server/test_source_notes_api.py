"""The API says, in its JSON, when a named source has no article in the index, in the
server's words, with the index's source spelt like it (rail, sabq, okaz are served)."""

from __future__ import annotations

import pytest

NOTE = "no article of the index comes from the source 'Rails'; did you mean 'rail'? (/api/stats lists the sources)"


@pytest.mark.parametrize("endpoint", ["search", "kwic", "trend", "collocates", "freq"])
def test_each_endpoint_names_the_source_meant(server, endpoint):
    answer = server.client.get(f"/api/{endpoint}", params={"q": "القطار", "source": "Rails"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["notes"] == [NOTE]
    assert server.client.get(f"/api/{endpoint}", params={"q": "القطار", "source": "rail"}).json()["notes"] == []
