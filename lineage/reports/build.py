"""Build a report of any template: read the trail once, check it, fill the template's sections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from lineage.checks import CheckResult, Finding, Policy, Trail, check_trail, load_trail
from lineage.checks.trail import bulk_work
from lineage.errors import InvalidRecord
from lineage.graph.grouping import facts_in_order, families, kinds_and_details
from lineage.reports import approval, ca_ab2013, datasheet, eu_ai_act, paper_trail
from lineage.reports.claims import Draft, TemplateOptions
from lineage.reports.layout import FOLD_ROWS
from lineage.reports.model import Field, Fields, Ledger, Listing, Paragraph, Report, Section
from lineage.validation import utc_text

if TYPE_CHECKING:  # the API sits above the reports; only its type is needed here
    from lineage.api import Store

Builder = Callable[[Draft, Trail, CheckResult], tuple[str, tuple[Section, ...]]]

TEMPLATES: Mapping[str, Builder] = MappingProxyType(
    {
        "paper-trail": paper_trail.build,
        "eu-ai-act": eu_ai_act.build,
        "ca-ab2013": ca_ab2013.build,
        "datasheet": datasheet.build,
        "approval": approval.build,
    }
)
"""Every report template, by the name `lineage report --template` takes."""

# Templates that carry the check's findings: the paper trail is the internal record, the
# approval report is for the person who signs; the others are documents for the public or
# a dataset's users.
_WITH_FINDINGS = frozenset({"paper-trail", "approval"})


def build_report(
    store: Store,
    target: str,
    *,
    template: str = "paper-trail",
    as_of: datetime | None = None,
    produced_at: datetime | None = None,
    policy: Policy | None = None,
    verify_digests: bool = True,
    at_ledger: int | None = None,
    options: TemplateOptions | None = None,
) -> Report:
    """Build the `template` report of `target` (a model, dataset or source), as data.

    `as_of` reports the trail as recorded then. `produced_at` is the time stated
    in the report and the time approvals are judged at when `as_of` is not
    given (default: now). `policy` is the one the findings are checked under.
    `options` (TemplateOptions): exact sizes, a CSV of per-domain sizes (EU summary).

    Raises UnknownNode if `target` was never recorded, InvalidRecord for an
    unknown template.

    Example:
        report = build_report(store, "support-assistant-v1", template="eu-ai-act")
        text = render_report(report, "md")
    """
    report, _ = build_report_with_trail(
        store,
        target,
        template=template,
        as_of=as_of,
        produced_at=produced_at,
        policy=policy,
        verify_digests=verify_digests,
        at_ledger=at_ledger,
        options=options,
    )
    return report


def build_report_with_trail(
    store: Store,
    target: str,
    *,
    template: str = "paper-trail",
    as_of: datetime | None = None,
    produced_at: datetime | None = None,
    policy: Policy | None = None,
    verify_digests: bool = True,
    at_ledger: int | None = None,
    options: TemplateOptions | None = None,
    families: Callable[[], dict[str, int]] | None = None,
) -> tuple[Report, Trail]:
    """`build_report`, and the trail it was built from: its `graph` draws the report's
    diagram (`upstream_svg(..., upstream=trail.whole)`) without reading the store again.

    Example:
        report, trail = build_report_with_trail(store, "support-assistant-v1")
        svg = upstream_svg(store, report.target, upstream=trail.whole)
    """
    moment = produced_at or datetime.now(UTC)
    trail = trail_for_report(
        store,
        target,
        template=template,
        as_of=as_of,
        now=moment,
        verify_digests=verify_digests,
        at_ledger=at_ledger,
    )
    report = report_from_trail(
        trail,
        template=template,
        produced_at=moment,
        policy=policy,
        options=options,
        families=families,
    )
    return report, trail


def trail_for_report(
    store: Store,
    target: str,
    *,
    template: str,
    as_of: datetime | None,
    now: datetime,
    verify_digests: bool = True,
    at_ledger: int | None = None,
) -> Trail:
    """The trail a `template` report of `target` is built from (`load_trail`), after the
    template is checked (InvalidRecord for an unknown one, before anything is read)."""
    if template not in TEMPLATES:
        raise InvalidRecord(
            f"unknown report template {template!r}; the templates are: {', '.join(TEMPLATES)}"
        )
    return load_trail(
        store, target, as_of=as_of, now=now, verify_digests=verify_digests, at_ledger=at_ledger
    )


def report_from_trail(
    trail: Trail,
    *,
    template: str = "paper-trail",
    produced_at: datetime | None = None,
    policy: Policy | None = None,
    options: TemplateOptions | None = None,
    families: Callable[[], dict[str, int]] | None = None,
) -> Report:
    """Build a report from a trail already read (see `build_report`; `families` as in
    `report_from_checked_trail`)."""
    with bulk_work():
        return report_from_checked_trail(
            trail,
            check_trail(trail, policy),
            template=template,
            produced_at=produced_at,
            options=options,
            families=families,
        )


def report_from_checked_trail(
    trail: Trail,
    result: CheckResult,
    *,
    template: str = "paper-trail",
    produced_at: datetime | None = None,
    options: TemplateOptions | None = None,
    families: Callable[[], dict[str, int]] | None = None,
) -> Report:
    """`report_from_trail`, with the trail already checked (`check_trail(trail, policy)`).

    `families`, when given, supplies `record_families(trail)` (worked out elsewhere
    meanwhile, `lineage.reports.produce`); it is called once the sections are built.
    """
    draft = Draft(trail, options)
    title, sections = TEMPLATES[template](draft, trail, result)
    findings = report_findings(template, result)
    tail: list[Section] = []
    if template in _WITH_FINDINGS:
        draft.section = "findings"
        tail.append(_findings_section(draft, result))
    tail.append(_gaps_section(draft))
    records = draft.record_refs()
    tail.append(_records_section())
    moment = produced_at or datetime.now(UTC)
    return Report(
        template=template,
        title=title,
        target=trail.target,
        produced_at=utc_text(moment),
        as_of=utc_text(trail.as_of) if trail.as_of else None,
        ledger=Ledger(trail.ledger.seq, trail.ledger.hash, trail.ledger.recorded_at),
        sections=(*sections, *tail),
        findings=findings,
        gaps=tuple(draft.gaps),
        records=records,
        families=families() if families is not None else record_families(trail),
        notes=(
            f"Everything here was read at ledger entry {trail.ledger.seq} "
            f"({trail.ledger.hash}), recorded {trail.ledger.recorded_at}. 'lineage audit "
            "verify' recomputes the chain: if entry "
            f"{trail.ledger.seq} still has this hash, no record cited here has changed.",
            "Each claim names the records that back it; 'Records cited' gives each record's "
            "seal (SHA-256 of its row) and content digest.",
            "'Unknown' marks a fact the store does not hold; each is listed under 'Gaps'.",
        ),
    )


def report_findings(template: str, result: CheckResult) -> tuple[Finding, ...]:
    """The findings a `template` report lists (and its diagram marks): none for some."""
    return result.findings if template in _WITH_FINDINGS else ()


def record_families(trail: Trail) -> dict[str, int]:
    """Each upstream record's family (`lineage.graph.grouping.families`), for a trail
    large enough that a table of it may be folded; else none.

    Besides their place in the lineage, records are told apart as the diagrams label
    their boxes: by kind, and a run's operation, an agent's type, a sign-off's decision.
    """
    graph = trail.graph
    if graph.number_of_nodes() <= FOLD_ROWS:
        return {}
    kinds, details = kinds_and_details(facts_in_order(graph))
    label_of = dict(zip(graph, zip(kinds, details, strict=True), strict=True))
    return families(graph, label_of.__getitem__, keep=[trail.target])


def _findings_section(draft: Draft, result: CheckResult) -> Section:
    summary = Fields(
        (
            Field("policy", "Checked under", draft.derived(_policy_text(result))),
            Field(
                "counts",
                "Found",
                draft.derived(
                    f"{result.count('error'):,} errors, {result.count('warning'):,} warnings, "
                    f"{result.count('info'):,} for information"
                ),
            ),
        )
    )
    return Section("findings", "Findings", (summary, Listing("findings")))


def _policy_text(result: CheckResult) -> str:
    policy = result.policy
    if policy == Policy():
        base = "the default strict policy (rules at their default severity, approval required)"
    else:
        changed = policy.model_dump(exclude_defaults=True, mode="json")
        base = "a policy setting " + "; ".join(f"{k}: {v}" for k, v in sorted(changed.items()))
    return f"{base}; intended use {result.intended_use}"


def _gaps_section(draft: Draft) -> Section:
    if not draft.gap_count:
        return Section("gaps", "Gaps", (Paragraph("Every fact the report asks for is recorded."),))
    count = draft.gap_count
    return Section(
        "gaps",
        "Gaps",
        (Paragraph(f"{count:,} facts the report needs are not recorded."), Listing("gaps")),
    )


def _records_section() -> Section:
    return Section(
        "records",
        "Records cited",
        (
            Paragraph(
                "Each record's version, seal (SHA-256 of its row, chained by the ledger) and "
                "content digest, with whether the digest still matches the content."
            ),
            Listing("records"),
        ),
    )
