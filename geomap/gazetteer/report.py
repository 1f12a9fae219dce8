"""Build reports: what a gazetteer build read, kept, merged and skipped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class SourceReport:
    """What one source contributed to a build.

    ``skipped`` counts malformed rows by reason; ``examples`` keeps the first
    few skipped rows' locations (file:line or id) so a user can look.
    """

    source: str
    path: str = ""
    read: int = 0
    kept: int = 0
    #: of the kept: merged into a place of an earlier source, and added as new places
    merged: int = 0
    added: int = 0
    skipped: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def skip(self, reason: str, where: str = "") -> None:
        """Count one skipped row, remembering up to five examples."""
        self.skipped[reason] += 1
        if where and len(self.examples) < 5:
            self.examples.append(f"{where}: {reason}")

    @property
    def n_skipped(self) -> int:
        """Total skipped rows."""
        return sum(self.skipped.values())

    def summary(self) -> str:
        """One line for the CLI."""
        line = f"{self.source}: read {self.read}, kept {self.kept}, skipped {self.n_skipped}"
        if self.merged or self.added:
            line += f"; merged {self.merged}, added {self.added}"
        if self.skipped:
            line += " (" + ", ".join(f"{r}: {n}" for r, n in self.skipped.most_common()) + ")"
        return line


@dataclass
class BuildReport:
    """The report of a whole gazetteer build."""

    sources: list[SourceReport] = field(default_factory=list)
    merged: int = 0
    total: int = 0
    path: str = ""

    def add(self, report: SourceReport) -> SourceReport:
        """Append and return a source report."""
        self.sources.append(report)
        return report

    def summary(self) -> str:
        """Multi-line summary for the CLI."""
        lines = [r.summary() for r in self.sources]
        lines.append(f"merged duplicates: {self.merged}; places written: {self.total}")
        if self.path:
            lines.append(f"written to {self.path}")
        return "\n".join(lines)
