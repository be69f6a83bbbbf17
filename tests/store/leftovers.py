"""What a test checks a generation for after a kill or a failed run."""

from __future__ import annotations

from pathlib import Path

from indexer.store.location import open_generation


def unnamed_files(generation: Path) -> list[str]:
    """What in ``generation`` its latest commit does not name: files of segments never
    committed, temporaries, word streams of such segments."""
    toc = open_generation(generation)._read_toc()
    live = {segment.segment_id() for segment in toc.segments}
    named = {f"_MAIN_{toc.generation}.toc", "meta.json", "MAIN_WRITELOCK", "views"}
    files = [p.name for p in generation.iterdir() if p.name not in named and p.name.split(".")[0] not in live]
    views = generation / "views"
    streams = [f"views/{p.name}" for p in views.iterdir() if p.name.split(".")[0] not in live] if views.is_dir() else []
    return sorted(files + streams)
