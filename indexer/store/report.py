"""What one indexing run did: the summary printed at the end and sent to monitoring."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Problem:
    """A skipped record or a notice: where (file, line or record) and why."""

    origin: str
    reason: str


@dataclass
class IndexReport:
    """Counts of one run of ``Corpus.index`` / ``add`` / ``delete``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    total_documents: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    pruned: bool = False
    #: Ids ``delete`` was asked for that the index does not hold.
    not_found: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for JSON: counts plus the lists of skipped records and notices."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data
