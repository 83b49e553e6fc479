"""What `lineage report` makes: a report built, its diagram drawn and laid out, in one go."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from lineage.checks import Policy
from lineage.checks.trail import bulk_work
from lineage.reports.build import build_report_with_trail
from lineage.reports.claims import TemplateOptions
from lineage.reports.model import Report
from lineage.reports.render import FORMATS, render_report, unknown_format
from lineage.reports.render_html import upstream_svg

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
    if fmt not in FORMATS:  # before the work, not after it
        raise unknown_format(fmt)
    # One pause of the collector for all of it: each pause that ends while a large
    # trail or report is alive makes the collector walk all of its objects.
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
) -> tuple[Report, bytes]:
    # One snapshot for the report and its diagram: the sign-offs drawn are those of
    # the ledger head the report states, not ones committed while it was built.
    with store.snapshot():
        report, trail = build_report_with_trail(
            store,
            target,
            template=template,
            as_of=as_of,
            produced_at=produced_at,
            policy=policy,
            verify_digests=verify_digests,
            options=options,
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
    return report, render_report(report, fmt, svg=svg)
