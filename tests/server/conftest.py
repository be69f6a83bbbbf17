"""One index and one live server for the server tests: the bundled articles, 24 more about
trains spread over sources and months (for paging and facets), and hostile ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from tests.server.browser import start_chromium
from tests.server.live import LiveServer

REPO = Path(__file__).resolve().parents[2]
TOKEN = "s3cret-token-4f9a1c"
TRAIN_SOURCES = ("rail", "sabq", "okaz")


def train_articles() -> list[dict]:
    """24 articles holding القطار: 8 per source, one per month of 2031 (Jan..Dec twice)."""
    return [
        {
            "id": f"train-{n:02d}",
            "title": f"القطار السريع يصل إلى المحطة رقم {n}",
            "body": "وصل القطار إلى محطة المدينة صباح اليوم، وقال مدير المحطة إن القطار الجديد يختصر زمن الرحلة"
            f" بين المدينتين إلى {n + 10} دقيقة، وإن الركاب رحّبوا بالخدمة.",
            "date": f"2031-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
            "source": TRAIN_SOURCES[n % 3],
            "url": f"https://example.com/rail/{n}",
        }
        for n in range(24)
    ]


HOSTILE = [
    {
        "id": "evil-script",
        "title": "<script>alert(1)</script> بيان الوزارة",
        "body": "نص البيان <script>document.title='pwned'</script> عن الوزارة والقرار الجديد.",
        "date": "2031-03-03",
        "source": "<b>evil</b>",
        "url": "javascript:alert(1)",
    },
    {
        "id": "evil-img",
        "title": "<img src=x onerror=\"document.title='pwned'\"> تقرير الوزارة",
        "body": "تقرير <img src=x onerror=alert(2)> حول الوزارة\u0000 والقرار.",
        "date": "2031-03-04",
        "source": "evil",
        "url": "https://example.com/\"><script>alert(3)</script>",
    },
]


@pytest.fixture(scope="session")
def server_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "index"
    with Corpus(path) as corpus:
        corpus.index([REPO / "corpus"])
        report = corpus.add([*train_articles(), *HOSTILE])
        assert report.added == 26, report
    return path


@pytest.fixture(scope="session")
def server(server_index: Path) -> Iterator[LiveServer]:
    """A server with writes off (no token), shared by the tests that only read."""
    live = LiveServer(server_index)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium for one test module (its state not shared with another's)."""
    session = start_chromium()
    yield session
    session.quit()
