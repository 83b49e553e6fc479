"""What a report is made of, before it is rendered: sections of claims that cite records.

A `Report` is data: sections holding fields (a question and its answer), tables
and paragraphs. Every answer is a `Claim` that names the records backing it
(`refs`, ids such as 'source:web-crawl-2025-05'); the report's `records` list
gives each cited record's version, seal (the SHA-256 of its row, which the
ledger chains) and content digest, so a reader can check every claim against the
store. A claim the store cannot answer has no text and is listed as a `Gap`.
Renderers (Markdown, HTML, JSON, PDF) only lay this out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from lineage.checks.findings import Finding

ClaimStatus = Literal["recorded", "derived", "gap", "manual"]
"""recorded: a fact as recorded; derived: computed by lineage from recorded facts;
gap: the store should hold it but does not; manual: outside what a lineage store
records, for a person to answer."""


class Claim(NamedTuple):
    """One answer, and the records that back it.

    A claim with no `refs` is backed by the record it is about: in a table, the
    record its row names (the row's title column); elsewhere, the report's target.

    A named tuple rather than a frozen dataclass: a report of 100,000 records makes
    half a million claims, and a tuple is made several times faster (see `new_claim`).
    """

    text: str | None
    refs: tuple[str, ...] = ()
    status: ClaimStatus = "recorded"

    @property
    def known(self) -> bool:
        return self.text is not None


new_claim: Callable[[tuple[str | None, tuple[str, ...], ClaimStatus]], Claim] = functools.partial(
    tuple.__new__, Claim
)
"""`Claim(text, refs, status)` from the tuple `(text, refs, status)`, made in C."""


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled answer; `key` is its stable machine name."""

    key: str
    label: str
    claim: Claim


@dataclass(frozen=True, slots=True)
class Fields:
    """A list of labelled answers."""

    fields: tuple[Field, ...]
    kind: Literal["fields"] = "fields"


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of claims under labelled columns; `keys` are the columns' machine names.

    `title_column` names the column that identifies a row, which renderers use
    as a row's heading when the table is too wide to lay out as a grid.
    """

    keys: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Claim, ...], ...]
    title_column: int = 0
    kind: Literal["table"] = "table"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Plain text (never markup: renderers escape it like every other value)."""

    text: str
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True, slots=True)
class Listing:
    """A place for one of the report's own lists: its findings, gaps or records cited.

    The list itself is on the `Report` (`findings`, `gaps`, `records`), in full;
    renderers lay it out here, grouped for a reader when it is long.
    """

    of: Literal["findings", "gaps", "records"]
    kind: Literal["listing"] = "listing"


Block = Fields | Table | Paragraph | Listing


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered or named part of a report, with blocks and subsections."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        """This section and every section inside it, depth first."""
        yield self
        for section in self.sections:
            yield from section.walk()


class Gap(NamedTuple):
    """A fact the report needed and the store does not hold.

    A named tuple, as `Claim` is: a large report lists half a million.
    """

    subject: str
    """The record it is about ('source:x'), or the target for report-wide facts."""
    field: str
    question: str
    section: str


class RecordRef(NamedTuple):
    """A record cited by the report: enough to find it again and prove it unchanged.

    A named tuple, as `Claim` is: a large report cites 100,000 records.
    """

    id: str
    kind: str
    name: str
    version: int
    seal: str
    digest: str | None = None
    digest_status: str | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    """The ledger entry the report was read at: everything it says was recorded by then."""

    seq: int
    hash: str
    recorded_at: str


@dataclass(frozen=True)
class Report:
    """A report on `target`, built as data; see `lineage.render_report` to lay it out.

    Example:
        report = lineage.build_report(store, "support-assistant-v1")
        report.gaps          # every fact the store could not answer
        report.findings      # what `lineage check` finds, with evidence paths
        report.records       # the records cited, with seals and digests
    """

    template: str
    title: str
    target: str
    produced_at: str
    """When the report was made (ISO 8601, UTC)."""
    as_of: str | None
    """The time the report was asked to look back to, if any."""
    ledger: Ledger
    sections: tuple[Section, ...]
    findings: tuple[Finding, ...] = ()
    gaps: tuple[Gap, ...] = ()
    records: tuple[RecordRef, ...] = ()
    notes: tuple[str, ...] = field(default=())
    """How to read the report: sources of licence data, conventions."""
    families: Mapping[str, int] = field(default_factory=dict)
    """Each upstream record's family of records in the same place in the lineage (see
    `lineage.graph.grouping.families`); Markdown and HTML lay out a large family of
    rows that agree as one. Empty for a small trail, and in a report produced as JSON
    (`produce_report(..., "json")`): not part of the JSON form, which lists every record."""

    def section(self, section_id: str) -> Section:
        """The section with `section_id`, at any depth. Raises KeyError."""
        for top in self.sections:
            for section in top.walk():
                if section.id == section_id:
                    return section
        raise KeyError(section_id)
