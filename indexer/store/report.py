"""What one indexing run did: the summary printed at the end and sent to monitoring."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from indexer.limits import DEFAULT_LIMITS


@dataclass
class Problem:
    """A skipped record or a notice: where (file, line or record) and why."""

    origin: str
    reason: str


@dataclass
class IndexReport:
    """Counts of one run of ``Corpus.index`` / ``add`` / ``delete``.

    `skipped` and `notices` list the first `listed` problems of each kind, and
    `skipped_count` and `notices_count` count them all: a feed of ten million broken
    lines gives a summary of a few hundred kilobytes, not of hundreds of megabytes.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[Problem] = field(default_factory=list)
    skipped_count: int = 0
    notices: list[Problem] = field(default_factory=list)
    notices_count: int = 0
    total_documents: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    pruned: bool = False
    #: Ids ``delete`` was asked for that the index does not hold.
    not_found: list[str] = field(default_factory=list)
    listed: int = field(default=DEFAULT_LIMITS.listed, repr=False)

    def skip(self, origin: str, reason: str) -> None:
        """Count a skipped record or file; list it while fewer than `listed` are."""
        self.skipped_count += 1
        if len(self.skipped) < self.listed:
            self.skipped.append(Problem(origin, reason))

    def notice(self, origin: str, reason: str) -> None:
        """Count a notice; list it while fewer than `listed` are."""
        self.notices_count += 1
        if len(self.notices) < self.listed:
            self.notices.append(Problem(origin, reason))

    def to_dict(self) -> dict:
        """Plain data for JSON: counts plus the listed skipped records and notices, and
        ``"error": None`` (a run that failed says why there: `indexer.summary`)."""
        data = asdict(self)
        del data["listed"]
        data["seconds"] = round(self.seconds, 3)
        data["error"] = None
        return data
