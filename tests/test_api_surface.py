"""The library as an app developer meets it: every public name documented and typed,
and a ``Corpus`` that can be made before its index exists."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import indexer
from indexer import Corpus, CorpusError

REPO = Path(__file__).resolve().parents[1]
VIEWS = ("kwic", "trend", "collocates", "freq")


def public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in indexer.__all__:
        obj = getattr(indexer, name)
        found.append((name, obj))
        if inspect.isclass(obj):
            members = [m for m in vars(obj) if not m.startswith("_") or m in ("__init__", "__enter__", "__exit__")]
            members += [m for m in VIEWS if name == "Corpus"]
            for member in members:
                value = getattr(obj, member)
                if isinstance(inspect.getattr_static(obj, member), property):
                    value = inspect.getattr_static(obj, member).fget
                if callable(value):
                    found.append((f"{name}.{member}", value))
    return found


def test_every_public_function_has_a_docstring_and_type_hints() -> None:
    lacking = []
    for name, obj in public_callables():
        if not inspect.getdoc(obj):
            lacking.append(f"{name}: no docstring")
        if inspect.isfunction(obj):
            signature = inspect.signature(obj)
            untyped = [
                p.name for p in signature.parameters.values()
                if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
            ]
            if untyped:
                lacking.append(f"{name}: {', '.join(untyped)} untyped")
            if signature.return_annotation is inspect.Signature.empty:
                lacking.append(f"{name}: no return type")
    assert lacking == []
    assert len(public_callables()) > 40  # the walk found the API


def test_a_corpus_made_before_its_index_searches_it_once_another_process_builds_it(tmp_path: Path) -> None:
    index = tmp_path / "not" / "yet"
    with Corpus(index) as corpus:
        with pytest.raises(CorpusError, match=f"^no index at {index}"):
            corpus.search("وزير")
        assert not (tmp_path / "not").exists()  # searching creates nothing
        build = f"from indexer import Corpus\nCorpus({str(index)!r}).index([{str(REPO / 'corpus')!r}])"
        subprocess.run([sys.executable, "-c", build], env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, timeout=300)
        assert corpus.search("وزير").total > 0
