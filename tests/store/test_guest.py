"""A good guest: using ``indexer`` changes nothing of Whoosh or pyarabic, nor any setting of
the process, for the rest of it.

Each check runs in a fresh interpreter, as an application embedding the library would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SNAPSHOT = """
import importlib, pkgutil, sys
import whoosh, pyarabic

GUESTED = ("whoosh", "pyarabic")  # the libraries ours is built on: theirs to keep as they are

def load_every_whoosh_module():
    for package in (whoosh, pyarabic):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            try:
                importlib.import_module(info.name)
            except Exception:
                pass  # optional dependencies imported lazily

def snapshot():
    taken = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(GUESTED) or module is None:
            continue
        for attr, value in list(vars(module).items()):
            taken[(name, attr)] = value
            if isinstance(value, type) and value.__module__.startswith(GUESTED):
                for cattr, cvalue in list(vars(value).items()):
                    if cattr != "__slotnames__":  # copyreg's cache, set by pickling any instance
                        taken[(name, attr, cattr)] = cvalue
    return taken
"""

USE_EVERYTHING = """
import indexer.store.sync
from indexer import Corpus
indexer.store.sync.PARALLEL_MIN = 10  # the multi-process writer too
corpus = Corpus(INDEX)
corpus.index([CORPUS])
for q in ["وزير", "وزير الخارجية", '"وزير الخارجية"', '"وزير الأمريكي"~3', "بلينكن NEAR/5 وزير",
          "النفط OR الغاز", "وزير -بلينكن", "وزي*", "بلينكن~", "title:وزير", "date:[2024-01-01 TO 2024-12-31]"]:
    corpus.search(q)
    corpus.search(q, mode="any", sort="-date")
for n in range(4):  # small commits: segments merge in tiers
    corpus.add([{"id": f"extra-{n}", "title": "خبر", "body": f"وزير الخارجية {n}"}])
corpus.delete(["extra-0"])
assert corpus.search('"وزير الخارجية"').total > 0
print(corpus.stats().documents)
corpus.close()
"""


def run_python(code: str, cwd: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_indexing_and_searching_change_no_whoosh_attribute(tmp_path: Path) -> None:
    code = SNAPSHOT + textwrap.dedent(f"""
        load_every_whoosh_module()
        before = snapshot()
        INDEX, CORPUS = {str(tmp_path / "index")!r}, {str(REPO / "corpus")!r}
    """) + USE_EVERYTHING + textwrap.dedent("""
        after = snapshot()
        changed = sorted(str(k) for k in before if k not in after or after[k] is not before[k])
        added = sorted(str(k) for k in after if k not in before and k[0] in {key[0] for key in before})
        print("changed", changed)
        print("added", added)
        print("checked", len(before))
    """)
    out = run_python(code, tmp_path).splitlines()
    assert out[-3] == "changed []", out[-3]
    assert out[-2] == "added []", out[-2]
    assert int(out[-1].split()[1]) > 5000  # attributes of modules and classes compared


def test_a_plain_whoosh_index_written_beside_ours_opens_without_indexer(tmp_path: Path) -> None:
    write = textwrap.dedent(f"""
        INDEX, CORPUS = {str(tmp_path / "ours")!r}, {str(REPO / "corpus")!r}
    """) + USE_EVERYTHING + textwrap.dedent(f"""
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.index import create_in
        import os
        os.mkdir({str(tmp_path / "catalogue")!r})
        ix = create_in({str(tmp_path / "catalogue")!r}, Schema(sku=ID(stored=True), text=TEXT))
        with ix.writer() as w:
            for n in range(300):
                w.add_document(sku=f"p{{n}}", text=f"red cotton shirt size {{n % 7}}" if n % 3 else "blue wool scarf")
        with ix.writer() as w:  # a second segment
            w.add_document(sku="last", text="red wool shirt")
    """)
    run_python(write, tmp_path)
    read = textwrap.dedent(f"""
        import sys
        from whoosh.index import open_dir
        from whoosh.qparser import QueryParser
        ix = open_dir({str(tmp_path / "catalogue")!r})
        with ix.searcher() as s:
            parse = QueryParser("text", ix.schema).parse
            print(len(s.search(parse("shirt"), limit=None)))
            print(len(s.search(parse('"cotton shirt"'), limit=None)))
            print(len(s.search(parse("wool"), limit=None)))
            print([h["sku"] for h in s.search(parse('"wool shirt"'))])
        assert not any(name.startswith("indexer") for name in sys.modules)
    """)
    assert run_python(read, tmp_path).split("\n")[:4] == ["201", "200", "101", "['last']"]


PROCESS_STATE = """
import csv, gc, locale, logging, os, signal, socket, sys, threading, warnings
import numpy, pyarabic.araby, whoosh  # their own import-time settings are theirs, not ours
import lxml.etree, charset_normalizer, tqdm, ijson, rapidfuzz, orjson

def process_state():
    loggers = {name: (type(lg).__name__, list(getattr(lg, "handlers", [])), getattr(lg, "level", None), getattr(lg, "propagate", None))
               for name, lg in logging.Logger.manager.loggerDict.items()}
    return {
        "warnings filters": list(warnings.filters),
        "root logger": (list(logging.root.handlers), logging.root.level),
        "loggers with handlers or levels": {n: v for n, v in loggers.items() if v[1] or v[2]},
        "logging.lastResort": logging.lastResort, "logging.raiseExceptions": logging.raiseExceptions,
        "numpy errors": numpy.geterr(), "numpy print": numpy.get_printoptions(),
        "recursion limit": sys.getrecursionlimit(), "switch interval": sys.getswitchinterval(),
        "int digits": sys.get_int_max_str_digits(),
        "signals": {s: signal.getsignal(s) for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)},
        "excepthooks": (sys.excepthook, threading.excepthook, sys.unraisablehook),
        "csv field size": csv.field_size_limit(), "gc": (gc.isenabled(), gc.get_threshold()),
        "locale": locale.setlocale(locale.LC_ALL), "socket timeout": socket.getdefaulttimeout(),
        "environment": dict(os.environ), "working directory": os.getcwd(), "umask": os.umask(os.umask(0o22)),
        "sys.path": list(sys.path), "stdout": (sys.stdout, sys.stderr),
    }
"""

BIG_CSV = """
import pathlib
body = "قال وزير الخارجية " + "في المنطقة " * 20000  # 220,000 characters: over csv's 128 KiB default
pathlib.Path(FEED).mkdir()
pathlib.Path(FEED, "long.csv").write_text("id,title,body\\nlong-1,مقال طويل," + body + "\\n", encoding="utf-8")
with Corpus(INDEX + "-csv") as long_ones:
    assert long_ones.index([FEED]).added == 1
    assert long_ones.search('"وزير الخارجية"').total == 1
"""

#: What a plain search must not load: the server, the CLI, a cluster's client, plotting.
HEAVY = ("indexer.server", "indexer.cli", "click", "starlette", "uvicorn", "dask", "distributed", "matplotlib")


def test_importing_and_using_the_library_leaves_the_process_as_it_was(tmp_path: Path) -> None:
    """No output, no logging set up, no warnings filter, no numpy, csv, signal or
    interpreter setting changed, no thread left running: the app's process stays its."""
    code = PROCESS_STATE + textwrap.dedent(f"""
        before, threads = process_state(), threading.active_count()
        import indexer
        assert process_state() == before, "import"
        from indexer import Corpus
        INDEX, CORPUS, FEED = {str(tmp_path / "index")!r}, {str(REPO / "corpus")!r}, {str(tmp_path / "feed")!r}
    """) + USE_EVERYTHING + BIG_CSV + textwrap.dedent(f"""
        after = process_state()
        changed = sorted(k for k in before if after[k] != before[k])
        assert not changed, [(k, before[k], after[k]) for k in changed]
        assert threading.active_count() == threads, threading.enumerate()
        heavy = [name for name in {HEAVY!r} if name in sys.modules]
        assert not heavy, heavy
    """)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().isdigit(), done.stdout  # the one line the code prints: the document count
    assert done.stderr == ""
