"""The approval report: what the person who signs a model off for a tier needs in front of them.

The tier table (cleared, provisional or blocked, with every reason), the
evaluations by tier (metric, slice, value, threshold, pass, test set, evaluator,
independent, date), the demographic coverage of the training and test data, known
biases and limitations, the sign-offs with their conditions and any override, the
monitoring status, and the lineage findings that bear on the decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lineage.checks import CheckResult, Trail
from lineage.checks.tiers import TierReport, TierStatus, tiers_of_trail
from lineage.governance.evaluations import Evaluation
from lineage.reports.claims import Draft
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table

TITLE = "Approval by tier"

TIER_COLUMNS = (
    ("tier", "Tier"),
    ("status", "Status"),
    ("reasons", "Reasons"),
    ("signed", "Sign-offs in force"),
    ("override", "Override"),
)
EVALUATION_COLUMNS = (
    ("evaluation", "Evaluation"),
    ("metric", "Metric"),
    ("slice", "Slice"),
    ("value", "Value"),
    ("threshold", "Threshold"),
    ("passed", "Pass"),
    ("test_set", "Test set"),
    ("evaluator", "Evaluator"),
    ("independent", "Independent"),
    ("date", "Date"),
    ("state", "Stale or contaminated"),
)
COVERAGE_COLUMNS = (
    ("record", "Record"),
    ("role", "Data"),
    ("coverage", "Coverage (attribute=group: records, share, basis)"),
    ("known_biases", "Known biases"),
    ("limitations", "Limitations"),
)
APPROVAL_COLUMNS = (
    ("approval", "Sign-off"),
    ("tier", "Tier"),
    ("status", "Status"),
    ("by", "By"),
    ("conditions", "Conditions"),
    ("override", "Given over failing requirements"),
)


def _table(columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Claim, ...]]) -> Table:
    return Table(tuple(k for k, _ in columns), tuple(label for _, label in columns), tuple(rows))


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The sections of the approval report of a model."""
    if trail.target_kind != "model":
        draft.section = "tiers"
        return f"{TITLE}: {trail.target}", (
            Section(
                "tiers",
                "Approval tiers",
                (Paragraph(f"{trail.target} is not a model: approval tiers are for models."),),
            ),
            _findings(draft, trail, result),
        )
    report = tiers_of_trail(trail, result.policy)
    sections = (
        _model(draft, trail),
        _tiers(draft, report),
        _evaluations(draft, trail, report),
        _coverage(draft, trail, report),
        _signoffs(draft, trail),
        _monitoring(draft, trail, report),
        _findings(draft, trail, result),
    )
    return f"{TITLE}: {trail.target}", sections


def _model(draft: Draft, trail: Trail) -> Section:
    """What is being signed off: the model, its owner, intended use and description."""
    draft.section = "model"
    node = trail.target
    return Section(
        "model",
        "Model",
        (
            Fields(
                (
                    Field("model", "Model", draft.derived(node, [node])),
                    Field("owner", "Owner", draft.fact(node, "owner", "who owns the model")),
                    Field(
                        "intended_use",
                        "Intended use",
                        draft.fact(node, "intended_use", "", gap=False),
                    ),
                    Field(
                        "description",
                        "Description",
                        draft.fact(node, "description", "", gap=False),
                    ),
                )
            ),
        ),
    )


def _tiers(draft: Draft, report: TierReport) -> Section:
    draft.section = "tiers"
    rows = []
    for status in report.tiers:
        refs = [r for reason in status.reasons for r in reason.records]
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in status.reasons) or "none"
        override = status.override
        rows.append(
            (
                draft.derived(status.tier),
                draft.derived(status.status, [*status.evidence, *status.approvals]),
                draft.derived(reasons, refs),
                draft.derived(", ".join(status.approvals) or "none", status.approvals),
                draft.derived(
                    f"{override.id} by {', '.join(override.by)}: {override.override}"
                    if override
                    else "none",
                    [override.id] if override else [],
                ),
            )
        )
    return Section(
        "tiers",
        "Tiers",
        (
            Paragraph(
                "cleared: every requirement holds and a sign-off for the tier is in force; "
                "provisional: the evidence holds but the sign-off does not, or a sign-off was "
                "given over failing evidence; blocked: evidence the tier needs is missing or "
                "fails."
            ),
            _table(TIER_COLUMNS, rows),
        ),
    )


def evaluation_row(draft: Draft, report: TierReport, e: Evaluation) -> tuple[Claim, ...]:
    """One row of EVALUATION_COLUMNS."""
    if e.threshold is not None:
        sign = ">=" if e.direction == "higher-is-better" else "<="
        bar = draft.recorded(f"{sign} {e.threshold:g}", [e.id])
    else:
        bar = draft.derived("none recorded")
    state = []
    if e.id in report.stale:
        state.append("stale: the model or its test data changed since")
    shared = report.contaminated.get(e.id, ())
    if shared:
        state.append(f"contaminated: shares {', '.join(shared)} with the training data")
    return (
        draft.title(e.id),
        draft.recorded(e.metric, [e.id]),
        draft.recorded(e.slice, [e.id]),
        draft.recorded(
            f"{e.value:g}"
            + (f" ({e.ci_lower:g}..{e.ci_upper:g})" if e.ci_lower is not None else "")
            + (f", n={e.records}" if e.records is not None else ""),
            [e.id],
        ),
        bar,
        draft.derived(e.result, [e.id]),
        draft.recorded(e.dataset, [e.dataset]),
        draft.recorded(", ".join(e.by) or None, list(e.by), gap=(e.id, "by", "who evaluated")),
        draft.derived(
            ("yes, for " + ", ".join(e.evaluator_organisations))
            if e.independent
            else "no"
            + (f" ({', '.join(e.evaluator_organisations)})" if e.evaluator_organisations else ""),
            list(e.by),
        ),
        draft.recorded(e.when[:10], [e.id]),
        draft.derived("; ".join(state) or "current and clean", list(shared)),
    )


def _evaluations(draft: Draft, trail: Trail, report: TierReport) -> Section:
    draft.section = "evaluations"
    children: list[Section] = []
    for status in report.tiers:
        wanted = _serving(report, status)
        rows = [evaluation_row(draft, report, e) for e in wanted]
        blocks = (
            [_table(EVALUATION_COLUMNS, rows)]
            if rows
            else [Paragraph(f"No evaluation of {trail.target} bears on this tier.")]
        )
        children.append(Section(f"evaluations-{status.tier}", status.tier, tuple(blocks)))
    if not report.evaluations:
        draft.gap(trail.target, "evaluations", "a pre-deployment evaluation of the model")
    intro = Paragraph(
        f"{len(report.evaluations)} current results (the newest of each test set, metric "
        "and slice). Under each tier: the results that meet its requirements, those recorded "
        "for it, and those that stand in its way."
    )
    return Section("evaluations", "Evaluations by tier", (intro,), tuple(children))


def _serving(report: TierReport, status: TierStatus) -> list[Evaluation]:
    ids = set(status.evidence) | {r for reason in status.reasons for r in reason.records}
    return [e for e in report.evaluations if e.id in ids or e.tier == status.tier]


def coverage_text(facts: Mapping[str, Any]) -> str | None:
    """'locale=en-NG: 20, 20%, measured; ...' from a record's coverage, if any."""
    items = facts.get("coverage") or []
    parts = []
    for item in items:
        figures = []
        if item.get("records") is not None:
            figures.append(str(item["records"]))
        if item.get("share") is not None:
            figures.append(f"{item['share']:.0%}")
        figures.append(str(item.get("basis", "declared")))
        parts.append(f"{item['attribute']}={item['group']}: {', '.join(figures)}")
    return "; ".join(parts) or None


def _coverage(draft: Draft, trail: Trail, report: TierReport) -> Section:
    return coverage_section(draft, trail, sorted({e.dataset for e in report.evaluations}))


def coverage_section(draft: Draft, trail: Trail, test_sets: Sequence[str]) -> Section:
    """Whom the training data (upstream of the target) and the test data cover, with
    known biases and limitations."""
    draft.section = "coverage"
    rows = []
    training = [
        n for kind in ("source", "dataset") for n in trail.of_kind(kind) if n != trail.target
    ]
    # Training data with a row: those that record some coverage, bias or limitation (in a
    # large trail, a few among 100,000: only theirs are sorted).
    facts_of = trail.facts_lookup()
    described = sorted(
        n
        for n in training
        if (f := facts_of(n)).get("coverage") or f.get("known_biases") or f.get("limitations")
    )
    for role, nodes in (("test", test_sets), ("training", described)):
        for node in nodes:
            if not trail.has(node):
                continue
            facts = trail.facts(node)
            rows.append(
                (
                    draft.title(node),
                    draft.derived(f"{role} data"),
                    draft.recorded(coverage_text(facts), [node], gap=None)
                    if coverage_text(facts)
                    else draft.unknown(node, "coverage", "whom the data covers"),
                    draft.fact(node, "known_biases", "", gap=False),
                    draft.fact(node, "limitations", "", gap=False),
                )
            )
    blocks: list[Table | Paragraph | Fields] = [
        Fields(
            (
                Field(
                    "model_biases",
                    "Known biases of the model",
                    draft.fact(trail.target, "known_biases", "", gap=False),
                ),
                Field(
                    "model_limitations",
                    "Limitations of the model",
                    draft.fact(trail.target, "limitations", "", gap=False),
                ),
            )
        )
    ]
    if rows:
        blocks.append(_table(COVERAGE_COLUMNS, rows))
    else:
        blocks.append(Paragraph("No coverage, known bias or limitation is recorded on the data."))
    untold = len(training) - sum(1 for r in rows if r[1].text == "training data")
    if untold:
        blocks.append(
            Paragraph(
                f"{untold} other sources and datasets upstream record no coverage, known "
                "bias or limitation."
            )
        )
    return Section("coverage", "Demographic coverage, known biases and limitations", tuple(blocks))


def _signoffs(draft: Draft, trail: Trail) -> Section:
    draft.section = "signoffs"
    rows = []
    for approval in trail.approvals:
        rows.append(
            (
                draft.title(approval.id),
                draft.recorded(approval.tier or "none named", [approval.id]),
                draft.derived(
                    approval.status
                    + (f" ({'; '.join(approval.problems)})" if approval.problems else ""),
                    [approval.id],
                ),
                draft.recorded(", ".join(approval.by), list(approval.by)),
                draft.recorded("; ".join(approval.conditions) or "none", [approval.id]),
                draft.recorded(
                    f"OVERRIDE: {approval.override} (over: {'; '.join(approval.overridden)})"
                    if approval.override
                    else "no",
                    [approval.id],
                ),
            )
        )
    blocks = (
        (_table(APPROVAL_COLUMNS, rows),)
        if rows
        else (Paragraph(f"No sign-off on {trail.target} is recorded."),)
    )
    return Section("signoffs", "Sign-offs and their conditions", blocks)


def _monitoring(draft: Draft, trail: Trail, report: TierReport) -> Section:
    draft.section = "monitoring"
    checks = sorted(trail.verifications.values(), key=lambda c: c.at)
    latest_check = checks[-1] if checks else None
    latest_eval = max((e.when for e in report.evaluations), default=None)
    fields = (
        Field(
            "verified",
            "Latest recorded 'lineage verify' upstream",
            draft.derived(
                f"{latest_check.at[:10]}: {latest_check.text}" if latest_check else "none recorded",
                [latest_check.verification] if latest_check else [],
            ),
        ),
        Field(
            "evaluated",
            "Latest evaluation",
            draft.derived(latest_eval[:10] if latest_eval else "none recorded"),
        ),
        Field(
            "overdue",
            "Monitoring overdue for",
            draft.derived(
                ", ".join(
                    t.tier
                    for t in report.tiers
                    if any(r.rule == "monitoring-overdue" for r in t.reasons)
                )
                or "no tier"
            ),
        ),
    )
    return Section("monitoring", "Monitoring", (Fields(fields),))


def _findings(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "lineage-findings"
    # The records on each finding's evidence path are cited, so the reader can look
    # each one up under 'Records cited'.
    refs = sorted({n for f in result.findings for n in (f.subject, *f.path) if trail.has(n)})
    rules = sorted({f.rule for f in result.findings})
    return Section(
        "lineage-findings",
        "Lineage findings that bear on the decision",
        (
            Fields(
                (
                    Field(
                        "found",
                        "Found by 'lineage check'",
                        draft.derived(
                            f"{result.count('error')} errors, {result.count('warning')} "
                            f"warnings ({', '.join(rules) or 'none'}); each is listed under "
                            "Findings with its evidence path",
                            refs,
                        ),
                    ),
                )
            ),
        ),
    )
