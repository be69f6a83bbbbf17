"""Opening an index runs nothing stored in it."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from indexer import Corpus, CorpusError
from indexer.store.unpickling import UnsafePickleError, safe_loads

BUNDLED = Path(__file__).resolve().parents[2] / "corpus"


class Planted:
    """What an attacker pickles: unpickling it runs a command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def index(tmp_path: Path) -> Path:
    corpus = Corpus(tmp_path / "index")
    corpus.index([BUNDLED])
    corpus.close()
    return tmp_path / "index"


def test_a_segment_list_that_runs_a_command_is_refused(index: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    generation = index / os.readlink(index / "current")
    storage = FileStorage(str(generation))
    toc = TOC.read(storage, "MAIN")
    TOC(toc.schema, [Planted(marker)], toc.generation + 1).write(storage, "MAIN")  # the newest TOC
    corpus = Corpus(index)
    with pytest.raises(CorpusError, match="refusing to open the index.*os.system|refusing to open the index.*posix.system"):
        corpus.search("وزير")
    with pytest.raises(CorpusError, match="refusing to open"):
        corpus.stats()
    assert not marker.exists()


def test_stored_fields_read_only_plain_data() -> None:
    assert safe_loads(pickle.dumps({"id": "a", "title": "خبر", "n": 2**70, "b": b"x"}, 2))["n"] == 2**70
    with pytest.raises(UnsafePickleError):
        safe_loads(pickle.dumps(Planted(Path("/nonexistent")), 2))


def test_a_current_link_out_of_the_index_is_refused(index: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = index / "current"
    link.unlink()
    link.symlink_to(os.path.relpath(elsewhere, index))
    with pytest.raises(CorpusError, match="not to a generation"):
        Corpus(index).search("وزير")
