"""Opening an index without running code stored in it.

Whoosh keeps pickles in an index: the schema and the segment list in the TOC, the file
table of a compound segment, every document's stored fields. Unpickling can call any
function, so an index copied from elsewhere could run commands when opened. Here the
schema is never read from the index (``open_index`` passes the one ``schema.py``
builds), and every other pickle is read by an unpickler that admits only the classes a
corpus index holds (``ALLOWED``); anything else is refused as a damaged index.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import FileIndex

#: (module, name) of every class a corpus index's pickles may name.
ALLOWED = frozenset(
    {
        ("builtins", name)
        for name in ("int", "float", "str", "bytes", "bytearray", "bool", "dict", "list", "tuple", "set", "frozenset")
    }
    | {
        ("__builtin__", "long"),  # Whoosh writes protocol 2, which names Python 2's long
        ("__builtin__", "set"),
        ("_codecs", "encode"),  # protocol 2's bytes: _codecs.encode(text, "latin1"), no code
        ("collections", "defaultdict"),
        ("collections", "OrderedDict"),
        ("datetime", "datetime"),
        ("datetime", "date"),
        ("datetime", "timedelta"),
        ("indexer.store.codec", "CorpusCodec"),
        ("indexer.store.codec", "CorpusSegment"),
    }
)


class UnsafePickleError(pickle.UnpicklingError):
    """An index's pickle names something a corpus index never holds."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise UnsafePickleError(f"the index names {module}.{name}, which a corpus index never holds")
        return super().find_class(module, name)


def safe_loads(data: bytes) -> Any:
    """``pickle.loads`` admitting only ``ALLOWED`` classes."""
    return _Unpickler(io.BytesIO(data)).load()


class SafeStructFile(StructFile):
    """Whoosh's ``StructFile`` whose pickles are read by the restricted unpickler."""

    def read_pickle(self) -> Any:
        return _Unpickler(self.file).load()


class SafeFileStorage(FileStorage):
    """A ``FileStorage`` whose files read pickles through the restricted unpickler (the TOC's
    segment list, a compound segment's file table)."""

    def open_file(self, name, **kwargs):  # type: ignore[no-untyped-def]
        return SafeStructFile(open(self._fpath(name), "rb"), name=name, **kwargs)


def open_index(storage: SafeFileStorage, schema) -> FileIndex:  # type: ignore[no-untyped-def]
    """The index in ``storage`` read with ``schema`` (its own pickled schema is never loaded)
    and restricted unpickling."""
    return storage.open_index(schema=schema)
