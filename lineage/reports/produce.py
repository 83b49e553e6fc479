"""What `lineage report` makes: a report built, its diagram drawn and laid out, in one go."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lineage.checks import Policy, check_trail
from lineage.checks.trail import bulk_work
from lineage.process import Forked, can_fork
from lineage.reports.build import (
    build_report_with_trail,
    record_families,
    report_findings,
    report_from_checked_trail,
    trail_for_report,
)
from lineage.reports.claims import TemplateOptions
from lineage.reports.model import Report
from lineage.reports.render import FORMATS, render_report, unknown_format
from lineage.reports.render_html import svg_or_none, upstream_svg

if TYPE_CHECKING:  # the API sits above the reports; only its type is needed here
    from lineage.api import Store


def produce_report(
    store: Store,
    target: str,
    fmt: str,
    *,
    template: str = "paper-trail",
    as_of: datetime | None = None,
    produced_at: datetime | None = None,
    policy: Policy | None = None,
    verify_digests: bool = True,
    options: TemplateOptions | None = None,
) -> tuple[Report, bytes]:
    """Build the `template` report of `target` and lay it out as `fmt` (see `build_report`
    and `render_report`); HTML and PDF embed the upstream diagram, drawn from the graph
    the report read rather than read again. Raises InvalidRecord for an unknown
    template or format, before anything is read.

    Example:
        report, data = produce_report(store, "support-assistant-v1", "html")
        Path("trail.html").write_bytes(data)
    """
    # One pause of the collector for all of it, rendering too (`prepare_report`'s own
    # pause is then a no-op): each pause that ends while a large trail or report is
    # alive makes the collector walk all of its objects.
    with bulk_work():
        report, svg = prepare_report(
            store,
            target,
            fmt,
            template=template,
            as_of=as_of,
            produced_at=produced_at,
            policy=policy,
            verify_digests=verify_digests,
            options=options,
        )
        return report, render_report(report, fmt, svg=svg)


def prepare_report(
    store: Store,
    target: str,
    fmt: str,
    *,
    template: str = "paper-trail",
    as_of: datetime | None = None,
    produced_at: datetime | None = None,
    policy: Policy | None = None,
    verify_digests: bool = True,
    options: TemplateOptions | None = None,
) -> tuple[Report, str | None]:
    """What `produce_report` lays out as `fmt`: the report, and the upstream diagram
    that HTML and PDF embed (None for the other formats), for a caller that writes the
    report itself, a piece at a time (`write_json`) rather than as one string.

    Example:
        report, _ = prepare_report(store, "support-assistant-v1", "json")
        with open("trail.json", "wb") as handle:
            write_json(report, handle)
    """
    if fmt not in FORMATS:  # before the work, not after it
        raise unknown_format(fmt)
    with bulk_work():
        return _produce(
            store, target, fmt, template, as_of, produced_at, policy, verify_digests, options
        )


def _produce(
    store: Store,
    target: str,
    fmt: str,
    template: str,
    as_of: datetime | None,
    produced_at: datetime | None,
    policy: Policy | None,
    verify_digests: bool,
    options: TemplateOptions | None = None,
) -> tuple[Report, str | None]:
    # One snapshot for the report and its diagram: the sign-offs drawn are those of
    # the ledger head the report states, not ones committed while it was built.
    with store.snapshot():
        if fmt in ("html", "pdf") and can_fork():
            return _drawn_beside(
                store, target, template, as_of, produced_at, policy, verify_digests, options
            )
        report, trail = build_report_with_trail(
            store,
            target,
            template=template,
            as_of=as_of,
            produced_at=produced_at,
            policy=policy,
            verify_digests=verify_digests,
            options=options,
            # JSON lists every record's own row: the families that fold the tables of
            # Markdown and HTML (0.4 s of 100,000 records) are not made for it, and
            # `Report.families` is empty.
            families=dict if fmt == "json" else None,
        )
        # The report is built: the trail's graph is needed no more, and the diagram may
        # take it over rather than copy 100,000 records.
        graph = trail.whole
        del trail
        svg = (
            upstream_svg(
                store,
                report.target,
                as_of=as_of,
                findings=report.findings,
                upstream=graph,
                reuse_upstream=True,
            )
            if fmt in ("html", "pdf")
            else None
        )
        del graph
    return report, svg


def _drawn_beside(
    store: Store,
    target: str,
    template: str,
    as_of: datetime | None,
    produced_at: datetime | None,
    policy: Policy | None,
    verify_digests: bool,
    options: TemplateOptions | None,
) -> tuple[Report, str | None]:
    """The report and its diagram, the diagram drawn in a forked child meanwhile.

    Drawing and grouping a large trail (a second or more at 100,000 records) needs the
    trail and the check's findings but nothing the report's sections make: once the
    trail is read and checked, and the sign-offs the diagram adds are read (here, in
    this process's snapshot), a child draws the diagram and works out the records'
    families while this process builds the sections. What it sends back (families and
    SVG) is exactly what this process would make (`lineage.process.Forked` makes them
    here if the child fails).
    """
    # Imported here, as in `upstream_svg`: only HTML and PDF draw a diagram.
    from lineage.diagrams.diagram import read_sign_offs, upstream_diagram

    moment = produced_at or datetime.now(UTC)
    trail = trail_for_report(
        store, target, template=template, as_of=as_of, now=moment, verify_digests=verify_digests
    )
    result = check_trail(trail, policy)
    findings = report_findings(template, result)
    sign_offs = read_sign_offs(store, trail.whole, as_of)

    def beside() -> tuple[dict[str, int], str | None]:
        # Families first: drawing changes the graph they are worked out from.
        families = record_families(trail)
        drawn = svg_or_none(
            trail.target,
            lambda: upstream_diagram(trail.whole, sign_offs, findings=findings, as_of=as_of),
        )
        return families, drawn

    with Forked(beside) as child:
        report = report_from_checked_trail(
            trail,
            result,
            template=template,
            produced_at=moment,
            options=options,
            families=lambda: child.result()[0],
        )
        return report, child.result()[1]
