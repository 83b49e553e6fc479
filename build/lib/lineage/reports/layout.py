"""Decisions every renderer shares: which tables are too wide for a grid, which refs to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lineage.checks.findings import Finding
from lineage.reports.model import Claim, Gap, Table

WIDE_TABLE = 6
"""Tables with more columns than this are laid out as one block per row..."""
LONG_TABLE = 2000
"""...unless they have more rows than this: a grid is then both faster to write and
easier to search than tens of thousands of blocks."""
MAX_REFS = 5
"""A claim shows at most this many of its records inline; JSON and 'Records cited' have all."""
UNKNOWN = "unknown"
MANUAL = "to be completed by a person"


def is_wide(table: Table) -> bool:
    """True for a table laid out as one block per row rather than as a grid."""
    return len(table.columns) > WIDE_TABLE and len(table.rows) <= LONG_TABLE


def shown_refs(claim: Claim, implied: tuple[str, ...] = ()) -> tuple[list[str], int]:
    """The refs to print after a claim, and how many more there are beyond `MAX_REFS`.

    Refs the claim's own text names, and refs implied by where it is printed (the
    record a row or a report is about), go without saying.
    """
    if not claim.refs:
        return [], 0
    text = claim.text or ""
    if len(claim.refs) == 1:  # the common case, in a large report a million times
        ref = claim.refs[0]
        return ([], 0) if ref in implied or ref in text else ([ref], 0)
    # A claim often lists its refs in its text ("inputs: a, b, ..."), a run's inputs by
    # the ten thousand: a ref that is one of the listed items is in the text without
    # searching it, which would take time quadratic in the list's length.
    if len(claim.refs) > MAX_REFS:
        named = _named_in(text, claim.refs)
        refs = [r for r in claim.refs if r not in implied and r not in named]
    else:
        refs = [r for r in claim.refs if r not in implied and r not in text]
    return refs[:MAX_REFS], max(0, len(refs) - MAX_REFS)


def _named_in(text: str, refs: Sequence[str]) -> set[str]:
    """The refs that occur in `text`, found in time linear in both.

    A ref is a record id, 'kind:name': any occurrence of it starts where its
    'kind:' does. So the text is cut, at every such start, into one piece per
    length of ref, and each ref is looked up among the pieces of its length.
    """
    by_length: dict[int, set[str]] = {}
    starts: set[int] = set()
    for prefix in {r[: r.find(":") + 1] for r in refs if ":" in r}:
        position = text.find(prefix)
        while position >= 0:
            starts.add(position)
            position = text.find(prefix, position + 1)
    for length in {len(r) for r in refs}:
        by_length[length] = {text[p : p + length] for p in starts}
    return {r for r in refs if (r in by_length[len(r)] if ":" in r else r in text)}


def is_literal(claim: Claim) -> bool:
    """True for a claim best shown verbatim: a record id, a digest, a JSON value."""
    text = claim.text
    if text is None:
        return False
    if claim.refs == (text,) or text.startswith("sha256:"):
        return True
    return (text[:1], text[-1:]) in (("{", "}"), ("[", "]"))


def row_refs(table: Table, row: tuple[Claim, ...]) -> tuple[str, ...]:
    """The refs of a row's identifying cell: every cell of the row is implicitly about them."""
    return row[table.title_column].refs if row else ()


FINDINGS_SHOWN = 25
"""Findings of one rule shown with their evidence paths; the rest are listed by subject."""


@dataclass(frozen=True)
class FindingGroup:
    """The findings of one rule, as a report lays them out."""

    rule: str
    severity: str
    count: int
    shown: tuple[Finding, ...]
    others: tuple[str, ...]
    """The subjects of the findings not shown with their paths."""


@dataclass(frozen=True)
class GapGroup:
    """The records that miss the same fact."""

    field: str
    question: str
    section: str
    subjects: tuple[str, ...]


def finding_groups(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Findings grouped by rule and severity, in the order they come."""
    order: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        order.setdefault((finding.rule, finding.severity), []).append(finding)
    return [
        FindingGroup(
            rule,
            severity,
            len(items),
            tuple(items[:FINDINGS_SHOWN]),
            tuple(f.subject for f in items[FINDINGS_SHOWN:]),
        )
        for (rule, severity), items in order.items()
    ]


def gap_groups(gaps: Sequence[Gap]) -> list[GapGroup]:
    """Gaps grouped by the fact missing, in the order first met."""
    order: dict[tuple[str, str, str], list[str]] = {}
    for gap in gaps:
        order.setdefault((gap.field, gap.question, gap.section), []).append(gap.subject)
    return [GapGroup(f, q, s, tuple(subjects)) for (f, q, s), subjects in order.items()]
