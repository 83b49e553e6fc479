"""What a check finds: a rule, a severity, one line, and the evidence path through the graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem found by `lineage check`.

    `subject` is the record the finding is about ('kind:name', e.g. the source with
    a non-commercial licence); `path` is the evidence: the chain of 'kind:name' ids
    from the subject to the target, in data-flow order (source -> ... -> target).
    """

    rule: str
    severity: Severity
    message: str
    subject: str
    path: tuple[str, ...] = ()

    def to_data(self) -> dict[str, object]:
        """The finding as JSON data (the keys of `check --json` and JSON reports)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "subject": self.subject,
            "path": list(self.path),
        }
