"""The paper-trail report: everything behind a target, record by record, with what is missing."""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lineage.checks import CheckResult, Trail
from lineage.checks.tiers import tiers_of_trail
from lineage.governance.history import RecordVersion, in_force_at
from lineage.licences import duties_of, parse_licence
from lineage.openlineage.jobs import job_of
from lineage.reports.approval import EVALUATION_COLUMNS as RESULT_COLUMNS
from lineage.reports.approval import coverage_section, evaluation_row
from lineage.reports.claims import Draft, period_text, plain, size_text
from lineage.reports.model import Claim, Field, Fields, Paragraph, Section, Table
from lineage.vocabulary import DECLARED_ROLE

TITLE = "Paper trail"
# Opt-outs (EU copyright directive Art. 4(3)) are reservations against text and data
# mining of works online: they bind data taken from the web, not a company's own user
# data, data it generated, or data licensed under a contract.
OPT_OUTS_APPLY = frozenset({"crawled", "public", "other", None})

SOURCE_COLUMNS = (
    ("source", "Source"),
    ("owner", "Owner"),
    ("uri", "Origin"),
    ("obtained", "How obtained"),
    ("license", "Licence"),
    ("restrictions", "Restrictions"),
    ("copyright", "Copyright"),
    ("opt_outs", "Text-and-data-mining opt-outs"),
    ("personal_data", "Personal data"),
    ("legal_basis", "Legal basis"),
    ("collected", "Collection period"),
    ("first_used", "First used"),
    ("size", "Size"),
    ("digest", "Digest"),
    ("digest_status", "Digest verifies"),
)
RUN_COLUMNS = (
    ("run", "Run"),
    ("operation", "Operation"),
    ("tool", "Tool and version"),
    ("code_revision", "Code revision"),
    ("params", "Parameters"),
    ("agent", "Agent"),
    ("started", "Started"),
    ("ended", "Ended"),
    ("status", "Status"),
    ("inputs", "Inputs"),
    ("outputs", "Outputs"),
    ("records_in", "Records in"),
    ("records_out", "Records out"),
    ("references", "Tools and references used"),
    ("excludes", "Parts removed"),
    ("removes_personal_data", "Personal data removed"),
    ("other_outputs", "Other outputs (not in this trail)"),
)
REFERENCE_COLUMNS = (
    ("reference", "Tool or reference"),
    ("used_by", "Used by"),
    ("owner", "Owner"),
    ("license", "Its own licence"),
    ("restrictions", "Restrictions"),
    ("uri", "Origin"),
)
EXCLUSION_COLUMNS = (
    ("part", "Part"),
    ("excluded_by", "Removed by"),
    ("license", "Its licence"),
    ("personal_data", "Personal data"),
    ("reaches", "Reaches the target"),
)
DETAIL_COLUMNS = (
    ("record", "Record"),
    ("title", "Title"),
    ("description", "Description"),
    ("attrs", "Other recorded facts"),
)
DATASET_COLUMNS = (
    ("dataset", "Dataset"),
    ("generated_by", "Made by"),
    ("license", "Licence"),
    ("personal_data", "Personal data"),
    ("modality", "Modality"),
    ("size", "Size"),
    ("digest", "Digest"),
    ("digest_status", "Digest verifies"),
)
MODEL_COLUMNS = (
    ("model", "Model"),
    ("role", "Role"),
    ("owner", "Owner"),
    ("license", "Licence"),
    ("restrictions", "Restrictions"),
    ("intended_use", "Intended use"),
    ("digest", "Digest"),
    ("digest_status", "Digest verifies"),
)
EVALUATION_COLUMNS = (
    ("run", "Run"),
    ("operation", "Operation"),
    ("tool", "Tool and version"),
    ("agent", "Agent"),
    ("ended", "Ended"),
    ("inputs", "Inputs"),
    ("outputs", "Results"),
    ("digests", "Result digests"),
)
APPROVAL_COLUMNS = (
    ("attestation", "Attestation"),
    ("decision", "Decision"),
    ("status", "Status"),
    ("tier", "Tier"),
    ("scope", "Scope"),
    ("conditions", "Conditions"),
    ("effective", "Effective"),
    ("expires", "Expires"),
    ("by", "Signed by"),
    ("role", "Role"),
    ("upstream_digest", "Upstream digest signed"),
    ("override", "Given over failing tier requirements"),
)
REVOCATION_COLUMNS = (
    ("record", "Record"),
    ("revocation", "Revocation"),
    ("reason", "Reason"),
    ("effective", "No longer used from"),
    ("path", "How it reaches the target"),
)


def digest_claim(draft: Draft, trail: Trail, node: str) -> Claim:
    """Whether `node`'s content still matches its digest: hashed now, and the latest
    recorded `lineage verify` (the only source when the report hashes nothing)."""
    digest = trail.digests.get(node)
    live = digest.text if digest else "no digest recorded"
    recorded = trail.verifications.get(node)
    if recorded is None or recorded.recorded != trail.facts(node).get("digest"):
        return draft.derived(live, [node])  # no run yet checked the digest now recorded
    if digest is None or digest.status == "not-checked":
        return draft.derived(recorded.text, [node, recorded.verification])
    return draft.derived(
        f"{live}; last lineage verify: {recorded.text}", [node, recorded.verification]
    )


def _table(columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Claim, ...]]) -> Table:
    return Table(tuple(k for k, _ in columns), tuple(label for _, label in columns), tuple(rows))


def build(draft: Draft, trail: Trail, result: CheckResult) -> tuple[str, tuple[Section, ...]]:
    """The sections of the paper-trail report of `trail.target`."""
    parts: list[Callable[[Draft, Trail, CheckResult], Section]] = [
        _sources,
        _runs,
        _datasets,
        _models,
        _evaluations,
        _coverage,
        _approvals,
        _revocations,
        _references,
        _agents,
        _licences,
        _duties,
        _licence_claims,
        _history,
        _details,
    ]
    sections = [part(draft, trail, result) for part in parts]
    draft.section = "summary"
    summary = _summary(draft, trail, result)
    return f"{TITLE} of {trail.target}", (summary, *sections)


def _summary(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    target = trail.target
    facts = trail.facts(target)
    origin = {
        "policy": "set by the policy",
        "record": "as recorded on the target",
        "default": "none recorded: checked as commercial",
    }[result.intended_use_from]
    counts = {
        kind: len(trail.of_kind(kind))
        for kind in ("source", "dataset", "model", "activity", "agent")
    }
    fields = [
        Field(
            "target", "Target", draft.derived(f"{target} (version {facts['version']})", [target])
        ),
        Field(
            "description",
            "Description",
            draft.fact(target, "description", "what the target is", gap=False),
        ),
        Field("owner", "Owner", draft.fact(target, "owner", "who owns the target")),
        Field("license", "Licence", draft.fact(target, "license", "the target's own licence")),
        Field(
            "intended_use",
            "Intended use",
            draft.derived(f"{result.intended_use} ({origin})", [target]),
        ),
        Field(
            "digest",
            "Content digest",
            draft.fact(
                target,
                "digest",
                "a content digest of the target",
                gap=trail.target_kind != "model" or bool(facts.get("path")),
            ),
        ),
        Field(
            "digest_status",
            "Digest verifies",
            digest_claim(draft, trail, target),
        ),
        Field(
            "upstream",
            "Upstream records",
            draft.derived(
                f"{counts['source']:,} sources, {counts['dataset']:,} datasets, "
                f"{counts['model'] - (1 if trail.target_kind == 'model' else 0)} other models, "
                f"{counts['activity']:,} runs, {counts['agent']:,} agents"
            ),
        ),
        Field(
            "findings",
            "Findings",
            draft.derived(
                f"{result.count('error'):,} errors, {result.count('warning'):,} warnings, "
                f"{result.count('info'):,} for information (see Findings)"
            ),
        ),
        Field(
            "gaps",
            "Gaps",
            draft.derived(f"{draft.gap_count:,} facts unknown or missing (see Gaps)"),
        ),
    ]
    return Section("summary", "Summary", (Fields(tuple(fields)),))


def restrictions_claim(draft: Draft, trail: Trail, node: str) -> Claim:
    """What the record's terms restrict, each restriction with where it comes from."""
    facts = trail.facts(node)
    known, text, question = _restrictions(
        facts.get("license") or None, tuple(facts.get("restrictions") or ())
    )
    if known:
        return draft.derived("none known", [node])
    if question is None:
        return draft.recorded(text, [node])  # when None, the missing licence is the gap
    return draft.recorded(None, [node], gap=(node, "restrictions", question))


@functools.lru_cache(maxsize=256)  # a large trail's records share a few licences
def _restrictions(
    licence_text: str | None, declared: tuple[str, ...]
) -> tuple[bool, str | None, str | None]:
    """For a record with `licence_text` and `declared` restrictions: whether it is known
    to have none, else the text of its restrictions (None when unknown) and the question
    of the gap it is, when it is one of its own."""
    licence = parse_licence(licence_text) if licence_text else None
    parts = (
        [f"{r} (from {licence.expression})" for r in sorted(licence.restrictions)]
        if licence
        else []
    )
    parts += [f"{r} (recorded)" for r in declared if not licence or r not in licence.restrictions]
    if parts:
        return False, "; ".join(parts), None
    if licence is None:
        return False, None, None
    if licence.custom and not declared:
        return (
            False,
            None,
            f"the restrictions of {', '.join(licence.custom)}: custom terms are not "
            "machine-readable and none are recorded",
        )
    return True, None, None


def _personal_claim(draft: Draft, node: str, facts: Mapping[str, Any]) -> Claim:
    status = facts.get("personal_data")
    categories = facts.get("personal_data_categories") or ()
    if status == "yes":
        text = "yes: " + plain(categories) if categories else "yes"
        return draft.recorded(text, [node])
    if status == "no":
        return draft.recorded("no", [node])
    return draft.unknown(
        node,
        "personal_data",
        "whether it holds personal data"
        + (" (recorded as unknown)" if status == "unknown" else ""),
        [node],
    )


def _sources(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "sources"
    rows = []
    # A large trail has tens of thousands of sources: the lookups are bound once.
    facts_of = trail.facts_lookup()
    title, fact, recorded, derived = draft.title, draft.fact, draft.recorded, draft.derived
    for node in trail.of_kind("source"):
        facts = facts_of(node)
        get = facts.get
        obtained = get("obtained")
        how = plain(obtained) if obtained else None
        if how and get("generated_by"):
            how += f", generated by {facts['generated_by']}"
        # The legal basis and opt-outs are made before the row is started (they name
        # their record): kept so, their refs and the order of the gaps are as they were.
        status = get("personal_data")
        if status == "yes":
            basis = fact(node, "legal_basis", "the legal basis for processing its personal data")
        elif status == "no":
            basis = derived("not applicable: no personal data", [node])
        else:
            basis = derived("not known while it is unknown whether it holds personal data", [node])
        if obtained in OPT_OUTS_APPLY or get("opt_outs"):
            opt_outs = fact(node, "opt_outs", "whether text-and-data-mining opt-outs were honoured")
        else:
            opt_outs = derived(f"not applicable: obtained as {obtained} data", [node])
        rows.append(
            (
                title(node),
                fact(node, "owner", "who owns or publishes it"),
                fact(node, "uri", "where it comes from (origin URI)"),
                recorded(how, [node], gap=(node, "obtained", "how it was obtained")),
                fact(node, "license", "its licence"),
                restrictions_claim(draft, trail, node),
                fact(node, "copyright", "its copyright status"),
                opt_outs,
                _personal_claim(draft, node, facts),
                basis,
                recorded(
                    period_text(facts), [node], gap=(node, "collected", "when it was collected")
                ),
                fact(node, "first_used", "when it was first used in training"),
                recorded(size_text(facts), [node], gap=(node, "size", "how large it is")),
                fact(node, "digest", "a content digest"),
                digest_claim(draft, trail, node),
            )
        )
    blocks = [_table(SOURCE_COLUMNS, rows)] if rows else [Paragraph("No source is upstream.")]
    return Section("sources", "Sources", tuple(blocks))


def agent_text(trail: Trail, node: str) -> str | None:
    """'agent:x (on behalf of agent:y, agent:z)' for each agent of a run."""
    return _agents_text(trail, trail.agents_of(node))


def _agents_text(trail: Trail, agents: Sequence[str]) -> str | None:
    parts = []
    for agent in agents:
        chain = trail.on_behalf_of(agent)
        parts.append(f"{agent} (on behalf of {', '.join(chain)})" if chain else agent)
    return "; ".join(parts) or None


def _tool(facts: Mapping[str, Any]) -> str | None:
    tool = facts.get("tool")
    if not tool:
        return None
    version = facts.get("tool_version")
    return f"{tool} {version}" if version else str(tool)


def _operation(draft: Draft, node: str, facts: Mapping[str, Any]) -> Claim:
    """What the run did; for an OpenLineage run, with its job (namespace/name) beside it."""
    job = job_of(facts.get("attrs"))
    if job is None:
        return draft.fact(node, "operation", "what the run did")
    return draft.recorded(f"{facts.get('operation') or job} (job {job})", [node])


_is_model = operator.methodcaller("startswith", "model:")


def _removal(attrs: Any) -> str:
    """The personal data a run removed, and how, from its `attrs`."""
    removed = attrs.get("removes_personal_data") if isinstance(attrs, dict) else None
    if not removed:
        return "none recorded"
    method = attrs.get("removal_method")
    return plain(removed) + (f" ({method})" if method else "")


def _runs(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "runs"
    rows = []
    # Each run's references and exclusions, in the trail's order: one pass, not one per run.
    references_of: dict[str, list[str]] = {}
    for reference in trail.references:
        references_of.setdefault(reference.run, []).append(reference.entity)
    excluded_of: dict[str, list[str]] = {}
    for exclusion in trail.exclusions:
        excluded_of.setdefault(exclusion.run, []).append(exclusion.entity)
    # Runs of a large trail share a few agents and parameters: each claim is made once,
    # the parameters' looked up by their repr (which tells apart 1, 1.0 and True).
    agent_claims: dict[tuple[str, ...], Claim] = {}
    params_claims: dict[str, Claim] = {}
    # A large trail has tens of thousands of runs: the lookups are bound once.
    facts_of, other_outputs = trail.facts_lookup(), trail.other_outputs
    depends_on, depended_on_by, agents_of = trail.depends_on, trail.depended_on_by, trail.agents_of
    title, fact, recorded, derived = draft.title, draft.fact, draft.recorded, draft.derived
    none = derived("none")  # what most runs list as their references, parts and others
    for node in trail.run_order():
        facts = facts_of(node)
        get = facts.get
        inputs = depends_on(node, ("used",))
        outputs = depended_on_by(node, ("was_generated_by",))
        agents = agents_of(node)
        # Made before the row is started (it names its record): kept so, the claim's
        # refs and the order of the gaps are those of the report as it was.
        if get("records_out") is None and outputs and all(map(_is_model, outputs)):
            records_out = derived("not applicable: it made a model", [node])
        else:
            records_out = fact(node, "records_out", "how many records it wrote")
        references = references_of.get(node)
        excluded = excluded_of.get(node)
        others = other_outputs.get(node)
        attrs = get("attrs")  # most runs have none: no job, nothing removed
        declared = get("status") == DECLARED_ROLE
        row = [
            title(node),
            _operation(draft, node, facts)
            if attrs
            else fact(node, "operation", "what the run did"),
            recorded(
                _tool(facts) if get("tool") else None,
                [node],
                gap=(node, "tool", "the tool and its version"),
            ),
            fact(node, "code_revision", "the code revision it ran"),
        ]
        params = get("params")
        if params:
            key = repr(params)
            found = params_claims.get(key)
            if found is None:
                found = params_claims[key] = recorded(plain(params), [node])
            row.append(found)
        else:
            row.append(recorded("none recorded", [node]))
        if agents:
            ran_by = tuple(agents)
            found = agent_claims.get(ran_by)
            if found is None:  # the agents' claim is the same for every run they ran
                found = recorded(
                    _agents_text(trail, agents), [node, *agents], gap=(node, "agent", "who ran it")
                )
                if found.text is not None:  # a gap is of its own run
                    agent_claims[ran_by] = found
            row.append(found)
        else:
            row.append(recorded(None, [node], gap=(node, "agent", "who ran it")))
        if declared:  # a job declared by a JobEvent (static lineage): nothing ran
            not_run = derived("not applicable: a declared job (JobEvent), not a run", [node])
            row += (not_run, not_run, recorded("declared", [node]))
            records_in = records_out = not_run
        else:
            row += (
                fact(node, "started", "when it started"),
                fact(node, "ended", "when it ended"),
                fact(node, "status", "whether it completed"),
            )
            records_in = fact(node, "records_in", "how many records it read")
        row += (
            derived(", ".join(inputs) or "none", inputs),
            derived(", ".join(outputs) or "none", outputs),
            records_in,
            records_out,
            derived(", ".join(references), references) if references else none,
            derived(", ".join(excluded), excluded) if excluded else none,
            recorded(_removal(attrs) if attrs else "none recorded", [node]),
            derived(", ".join(others), list(others)) if others else none,
        )
        rows.append(tuple(row))
    blocks = [_table(RUN_COLUMNS, rows)] if rows else [Paragraph("No run is recorded upstream.")]
    return Section("runs", "Runs, in dependency order", tuple(blocks))


def _datasets(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "datasets"
    rows = []
    # A large trail has tens of thousands of datasets: the lookups are bound once.
    facts_of, generated_by = trail.facts_lookup(), trail.generated_by
    title, fact, recorded, derived = draft.title, draft.fact, draft.recorded, draft.derived
    for node in trail.of_kind("dataset"):
        facts = facts_of(node)
        run = generated_by(node)
        own = facts.get("license")
        # Made before the row is started (it names its record): kept so, as it was.
        licence = (
            recorded(str(own), [node])
            if own
            else derived("none of its own: the terms of its inputs apply", [node])
        )
        rows.append(
            (
                title(node),
                derived(run, [run])
                if run
                else draft.unknown(node, "generated_by", "which run made it", [node]),
                licence,
                _personal_claim(draft, node, facts)
                if facts.get("personal_data")
                else derived("not recorded: follows from its inputs", [node]),
                fact(node, "modality", "its modality"),
                recorded(size_text(facts), [node], gap=(node, "size", "how large it is")),
                fact(node, "digest", "a content digest"),
                digest_claim(draft, trail, node),
            )
        )
    blocks = [_table(DATASET_COLUMNS, rows)] if rows else [Paragraph("No dataset is upstream.")]
    return Section("datasets", "Datasets", tuple(blocks))


def _model_role(trail: Trail, node: str) -> tuple[str, list[str]]:
    if node == trail.target:
        return "the target", [node]
    roles: list[str] = []
    refs: list[str] = []
    for dependent in trail.depended_on_by(node):
        kind = trail.facts(dependent)["kind"]
        if kind == "activity":
            roles.append(f"input of {dependent}")
        else:
            roles.append(f"{dependent} derives from it")
        refs.append(dependent)
    return "; ".join(roles) or "upstream", [node, *refs]


def _models(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "models"
    rows = []
    for node in trail.of_kind("model"):
        role, refs = _model_role(trail, node)
        use = (
            draft.fact(node, "intended_use", "its intended use")
            if node == trail.target
            else draft.fact(node, "intended_use", "", gap=False)
        )
        rows.append(
            (
                draft.title(node),
                draft.derived(role, refs),
                draft.fact(node, "owner", "who owns or provides it"),
                draft.fact(node, "license", "its licence or terms"),
                restrictions_claim(draft, trail, node),
                use,
                draft.fact(node, "digest", "a content digest", gap=node == trail.target),
                digest_claim(draft, trail, node),
            )
        )
    blocks = [_table(MODEL_COLUMNS, rows)] if rows else [Paragraph("No model is upstream.")]
    return Section("models", "Models", tuple(blocks))


def _evaluations(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "evaluations"
    rows = []
    for evaluation in trail.evaluations:
        node = evaluation.id
        facts = trail.facts(node)
        digests = []
        for output in evaluation.outputs:
            digest = trail.facts(output).get("digest")
            check = trail.digests.get(output)
            state = f" ({check.text})" if check and digest else ""
            digests.append(f"{output}: {digest or 'no digest'}{state}")
        agents = "; ".join(evaluation.agents) or None
        rows.append(
            (
                draft.title(node),
                draft.fact(node, "operation", "what the run did"),
                draft.recorded(
                    _tool(facts), [node], gap=(node, "tool", "the tool and its version")
                ),
                draft.recorded(
                    agents, [node, *evaluation.agents], gap=(node, "agent", "who ran it")
                ),
                draft.fact(node, "ended", "when it ended"),
                draft.derived(", ".join(evaluation.inputs) or "none", evaluation.inputs),
                draft.derived(", ".join(evaluation.outputs) or "none", evaluation.outputs),
                draft.derived("; ".join(digests) or "none", evaluation.outputs),
            )
        )
    blocks: list[Table | Paragraph] = []
    if rows:
        blocks.append(_table(EVALUATION_COLUMNS, rows))
    if trail.evaluation_results:
        report = tiers_of_trail(trail, result.policy)
        blocks.append(
            Paragraph(
                f"Results: {len(report.evaluations)} current (the newest of each test set, "
                "metric and slice), with pass or fail, evaluator and independence."
            )
        )
        results = [evaluation_row(draft, report, e) for e in report.evaluations]
        blocks.append(_table(RESULT_COLUMNS, results))
    if blocks:
        return Section("evaluations", "Evaluations", tuple(blocks))
    if trail.target_kind == "model":
        draft.gap(trail.target, "evaluations", "an evaluation of the model")
    return Section(
        "evaluations",
        "Evaluations",
        (Paragraph(f"No run that evaluated {trail.target} is recorded."),),
    )


def _coverage(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    test_sets = sorted({e.dataset for e in trail.evaluation_results})
    return coverage_section(draft, trail, test_sets)


def _approvals(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "approvals"
    rows = []
    for approval in trail.approvals:
        node = approval.id
        status = f"{approval.status} on {trail.moment.date().isoformat()}"
        if approval.problems:
            status += ": " + "; ".join(approval.problems)
        rows.append(
            (
                draft.title(node),
                draft.recorded(approval.decision, [node]),
                draft.derived(status, [node, *approval.changed, *approval.revoked]),
                draft.fact(node, "tier", "the approval tier"),
                draft.fact(node, "scope", "what the approval covers"),
                draft.recorded("; ".join(approval.conditions) or "none", [node]),
                draft.recorded(
                    approval.effective,
                    [node],
                    gap=(node, "effective", "when the approval takes effect"),
                ),
                draft.fact(node, "expires", "when the approval expires"),
                draft.recorded(
                    ", ".join(approval.by) or None,
                    [node, *approval.by],
                    gap=(node, "by", "who signed it"),
                ),
                draft.recorded(approval.role, [node])
                if approval.role
                else draft.derived("not recorded", [node]),
                draft.derived(
                    (approval.upstream_digest or "none")
                    + (
                        " (current)"
                        if approval.upstream_digest == approval.current_digest
                        else " (the upstream has changed since)"
                    ),
                    [node],
                ),
                draft.recorded(
                    f"OVERRIDE: {approval.override} (over: {'; '.join(approval.overridden)})"
                    if approval.override
                    else "no",
                    [node],
                ),
            )
        )
    if rows:
        return Section("approvals", "Approvals", (_table(APPROVAL_COLUMNS, rows),))
    if trail.target_kind == "model":
        draft.gap(trail.target, "approvals", "an approval of the model")
    return Section(
        "approvals", "Approvals", (Paragraph(f"No approval of {trail.target} is recorded."),)
    )


def _revocations(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "revocations"
    rows = []
    for revocation in sorted(trail.revocations, key=lambda r: (r.subject, r.id)):
        node = revocation.subject
        path = trail.path(node)
        rows.append(
            (
                draft.title(node),
                draft.derived(revocation.id, [revocation.id]),
                draft.recorded(revocation.reason, [revocation.id]),
                draft.recorded(revocation.effective, [revocation.id]),
                draft.derived(" -> ".join(path), path),
            )
        )
    if rows:
        return Section("revocations", "Revoked data", (_table(REVOCATION_COLUMNS, rows),))
    return Section(
        "revocations",
        "Revoked data",
        (Paragraph(f"No record in the lineage of {trail.target} is revoked."),),
    )


def _agents(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "agents"
    rows = []
    for node in trail.of_kind("agent"):
        facts = trail.facts(node)
        version = facts.get("software_version")
        rows.append(
            (
                draft.title(node),
                draft.fact(node, "agent_type", "what kind of agent it is"),
                draft.recorded(str(version), [node])
                if version
                else draft.derived(
                    "not applicable" if facts.get("agent_type") != "software" else "not recorded",
                    [node],
                ),
                draft.derived(
                    ", ".join(trail.on_behalf_of(node)) or "none recorded", trail.on_behalf_of(node)
                ),
            )
        )
    table = Table(
        ("agent", "type", "version", "on_behalf_of"),
        ("Agent", "Type", "Software version", "Acts on behalf of"),
        tuple(rows),
    )
    return Section("agents", "Agents", (table,) if rows else (Paragraph("No agent is recorded."),))


def _references(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    """Tools, filters, classifiers and blocklists the runs consulted, with their own
    terms (which do not travel with the data), and the parts runs removed."""
    draft.section = "references"
    used_by: dict[str, list[str]] = {}
    content: dict[str, tuple[str, ...]] = {}
    for reference in trail.references:
        used_by.setdefault(reference.entity, []).append(reference.run)
        content[reference.entity] = reference.content_of
    rows = []
    for node in sorted(used_by):
        runs = used_by[node]
        through = content[node]
        rows.append(
            (
                draft.title(node),
                draft.derived(
                    f"{', '.join(runs)} as a reference; also as training content by "
                    f"{', '.join(through)}",
                    [*runs, *through],
                )
                if through
                else draft.derived(", ".join(runs), runs),
                draft.fact(node, "owner", "who owns or publishes it"),
                draft.fact(node, "license", "its licence"),
                restrictions_claim(draft, trail, node),
                draft.fact(node, "uri", "where it comes from (origin URI)"),
            )
        )
    removed: dict[str, list[str]] = {}
    reaching: dict[str, tuple[str, ...]] = {}
    for exclusion in trail.exclusions:
        removed.setdefault(exclusion.entity, []).append(exclusion.run)
        reaching[exclusion.entity] = exclusion.content_of
    excluded_rows = []
    for node in sorted(removed):
        runs = removed[node]
        facts = trail.facts(node)
        through = reaching[node]
        excluded_rows.append(
            (
                draft.title(node),
                draft.derived(", ".join(runs), runs),
                draft.derived(str(facts.get("license") or "none recorded"), [node]),
                draft.derived(str(facts.get("personal_data") or "not recorded"), [node]),
                draft.derived(f"yes, as content of {', '.join(through)}", through)
                if through
                else draft.derived("no", [node]),
            )
        )
    blocks: list[Table | Paragraph] = []
    if rows:
        blocks.append(_table(REFERENCE_COLUMNS, rows))
        blocks.append(
            Paragraph(
                "These were used as tools, filters, classifiers, blocklists or configuration "
                "by the runs named, not as training content there: their terms bind that use. "
                "One that another run also takes as training content is content there, and "
                f"its terms reach {trail.target} (and are checked) from there."
                if any(content.values())
                else "These were used as tools, filters, classifiers, blocklists or "
                f"configuration, not as training content: their terms bind their use, not "
                f"{trail.target}, and checks do not carry them downstream."
            )
        )
    if excluded_rows:
        blocks.append(_table(EXCLUSION_COLUMNS, excluded_rows))
        blocks.append(
            Paragraph(
                f"These parts were removed by the runs named. Where their content does not "
                f"reach {trail.target}, checks leave them out; a part that still reaches it "
                "along another path is checked as the content it is there."
                if reaching and any(reaching.values())
                else f"These parts were removed by the runs named: their content does not "
                f"reach {trail.target}, and checks leave them out."
            )
        )
    if not blocks:
        blocks.append(Paragraph("No run records a tool or reference, or a part it removed."))
    return Section("references", "Tools and references", tuple(blocks))


def _details(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    """Each record's title, description and other recorded `attrs` (parameters, sizes,
    notes), so a reader sees everything that was recorded about it."""
    draft.section = "details"
    facts_of = trail.facts_lookup()
    elsewhere = [o for outputs in trail.other_outputs.values() for o in outputs]
    # Most records have neither (runs, datasets): only those with some are sorted. The
    # graph's records are read in its order, in which their facts lie in memory: in a
    # set's order, a large trail's lookups take three times as long.
    nodes = {
        node
        for node in itertools.chain(trail.whole, elsewhere)
        if (facts := facts_of(node)).get("attrs") or facts.get("description")
    }
    rows = []
    # Records of a large trail repeat the same attrs: each is laid out once, looked up
    # by its repr (which tells apart 1, 1.0 and True).
    texts: dict[str, tuple[str | None, str]] = {}
    title, recorded = draft.title, draft.recorded
    for node in sorted(nodes):
        facts = facts_of(node)
        if facts["kind"] == "verification":
            continue
        description = facts.get("description")
        attrs = facts.get("attrs")
        key = repr(attrs)
        found = texts.get(key)
        if found is None:
            found = texts[key] = _attrs_texts(attrs or {})
        heading, rest = found
        if heading is None and not (rest or description):
            continue
        rows.append(
            (
                title(node),
                recorded("none recorded" if heading is None else heading, [node]),
                recorded(str(description) if description else "none recorded", [node]),
                recorded(rest or "none recorded", [node]),
            )
        )
    if not rows:
        return Section("details", "Other recorded facts", (Paragraph("None is recorded."),))
    return Section("details", "Other recorded facts", (_table(DETAIL_COLUMNS, rows),))


def _attrs_texts(attrs: Any) -> tuple[str | None, str]:
    """A record's `attrs` as text: its title (None when none), and the other facts
    ('' when none)."""
    if not isinstance(attrs, dict):
        attrs = {"attrs": attrs}
    title = attrs.get("title")
    rest = {k: v for k, v in attrs.items() if k != "title"}
    return (
        plain(title) if title else None,
        "; ".join(f"{k}: {plain(v)}" for k, v in sorted(rest.items())),
    )


def _licences(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    draft.section = "licences"
    by_licence: dict[str, list[str]] = {}
    for holder in trail.licence_holders():
        by_licence.setdefault(holder.expression or "", []).append(holder.id)
    rows = []
    for expression in sorted(by_licence):
        holders = by_licence[expression]
        if expression:
            licence = parse_licence(expression)
            category = "; ".join(
                f"{key}: {licence.categories[key]}"
                for key in licence.keys
                if key in licence.categories
            )
            if licence.custom:
                category = "; ".join(
                    filter(None, [category, "custom terms: " + ", ".join(licence.custom)])
                )
            restrictions = (
                ", ".join(sorted(licence.restrictions)) or "none known from the licence ids"
            )
        else:
            category, restrictions = "no licence recorded", "unknown"
        shown = holders[:20]
        more = f" and {len(holders) - 20:,} more" if len(holders) > 20 else ""
        # Each cell cites every record under the licence, not only those it names.
        rows.append(
            (
                draft.derived(expression or "(none)", holders),
                draft.derived(category or "unknown to the licence database", holders),
                draft.derived(restrictions, holders),
                draft.derived(f"{len(holders):,}: {', '.join(shown)}{more}", holders),
            )
        )
    table = Table(
        ("license", "category", "restrictions", "records"),
        (
            "Licence",
            "Category (ScanCode LicenseDB)",
            "Restrictions of the licence ids",
            "Records under it",
        ),
        tuple(rows),
    )
    note = Paragraph(
        "Categories come from the ScanCode LicenseDB index shipped with license-expression; "
        "restrictions from the SPDX ids (Creative Commons elements, copyleft categories). "
        "Restrictions that custom terms declare are listed with each record."
    )
    return Section("licences", "Licences in the trail", (table, note) if rows else (note,))


CLAIM_COLUMNS = (
    ("record", "Record"),
    ("license", "Concluded licence"),
    ("declared_license", "Declared by its publisher"),
    ("claims", "Claims: licence, by whom, how, when, evidence"),
    ("used", "What checks judge"),
)


def _licence_claims(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    """Every licence stated for a record: concluded, declared by its publisher, claimed."""
    draft.section = "licence-claims"
    rows = []
    holders = {holder.id: holder for holder in trail.licence_holders()}
    graph, claims_of = trail.graph, trail.claims
    # Few records have a declared licence or a claim: only theirs are sorted.
    stated = sorted(
        node
        for node, facts in graph.nodes(data=True)
        if claims_of.get(node) or facts.get("declared_license")
    )
    for node in stated:
        facts = graph.nodes[node]
        claims = claims_of.get(node, ())
        holder = holders.get(node)
        if facts.get("license"):
            used = f"the concluded licence, {facts['license']}"
        elif holder is not None and holder.expression:
            used = f"{holder.expression}, {holder.basis_text}"
        else:
            used = "nothing: no licence is stated"
        said = [
            f"{claim.license} by {', '.join(claim.by) or 'an unnamed agent'} ({claim.method}, "
            f"{claim.date or 'recorded ' + claim.recorded_at[:10]}"
            + (f", {claim.evidence}" if claim.evidence else "")
            + (f"; {claim.note}" if claim.note else "")
            + ")"
            for claim in claims
        ]
        refs = [c.id for c in claims] + [agent for c in claims for agent in c.by]
        rows.append(
            (
                draft.title(node),
                draft.fact(node, "license", "", gap=False),
                draft.fact(node, "declared_license", "", gap=False),
                draft.recorded("; ".join(said) or "none", refs),
                draft.derived(used, [node, *refs]),
            )
        )
    if not rows:
        return Section(
            "licence-claims",
            "Licence claims",
            (Paragraph("No record upstream has a declared licence or a licence claim."),),
        )
    note = Paragraph(
        "A licence is a claim: the recorder's concluded licence, the licence the publisher "
        "declares, and what others (audits, tools) claim. Checks judge the concluded licence, "
        "or, when none is concluded, the most restrictive of the others; "
        "'licence-disagreement' lists records whose statements differ."
    )
    return Section("licence-claims", "Licence claims", (_table(CLAIM_COLUMNS, rows), note))


HISTORY_COLUMNS = (
    ("record", "Record"),
    ("then", "In force when used"),
    ("now", "In force now"),
    ("differs", "What differs"),
    ("amendments", "Amendments"),
)


def _history(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    """Per amended source and dataset: the facts in force when the target's training run
    used it beside today's, and every amendment with its reason and effective date."""
    draft.section = "history"
    run = trail.generated_by(trail.target)
    ran = None
    if run is not None:
        facts = trail.facts(run)
        ran = facts.get("ended") or facts.get("started") or trail.recorded.get(run)
    amended = [
        node
        for node in sorted(trail.histories)
        if node in trail.graph and trail.graph.nodes[node]["kind"] in ("source", "dataset")
    ]
    rows = []
    for node in amended:
        versions = trail.histories[node]
        now = versions[-1]
        if ran is not None:
            then = in_force_at(versions, str(ran))
            then_text = f"version {then.version}: {_facts_text(then)}"
        else:
            then = None
            then_text = "not known: no recorded run made the target"
        differs = _differences(then, now) if then is not None else "not known"
        rows.append(
            (
                draft.title(node),
                draft.derived(then_text, [node]),
                draft.derived(f"version {now.version}: {_facts_text(now)}", [node]),
                draft.derived(differs, [node]),
                draft.derived(
                    "; ".join(
                        f"version {v.version}, "
                        + (
                            f"effective {v.effective}"
                            if v.effective
                            else f"no effective date, recorded {v.recorded_at[:10]}"
                        )
                        + f": {v.reason or 'no reason given'}"
                        for v in versions[1:]
                    ),
                    [node],
                ),
            )
        )
    when = f"{run} ran at {ran}" if run and ran else "no recorded run made the target, so no moment"
    untouched = len(trail.of_kind("source")) + len(trail.of_kind("dataset")) - len(amended)
    intro = Paragraph(
        f"Facts are compared at the target's training run ({when}). A version holds from its "
        "effective date, else from when it was recorded. "
        f"{untouched} other sources and datasets were never amended: the facts in force "
        "when they were used are today's."
    )
    if not rows:
        return Section("history", "History", (intro,))
    return Section("history", "History", (intro, _table(HISTORY_COLUMNS, rows)))


_HISTORY_FACTS = ("license", "declared_license", "restrictions", "owner", "uri", "digest")


def _facts_text(version: RecordVersion) -> str:
    shown = [f"{key} {plain(version.facts[key])}" for key in _HISTORY_FACTS if key in version.facts]
    return "; ".join(shown) or "no licence, owner or digest recorded"


def _differences(then: RecordVersion, now: RecordVersion) -> str:
    if then.version == now.version:
        return "nothing: the version in force then is in force now"
    keys = sorted(set(then.facts) | set(now.facts))
    changed = [
        f"{key}: {plain(then.facts.get(key, 'unset'))} -> {plain(now.facts.get(key, 'unset'))}"
        for key in keys
        if then.facts.get(key) != now.facts.get(key)
    ]
    return "; ".join(changed) or "no fact (only the effective date)"


def _duties(draft: Draft, trail: Trail, result: CheckResult) -> Section:
    """What each licence in the trail obliges its user to do: duties, not findings."""
    draft.section = "duties"
    by_key: dict[str, list[str]] = {}
    for holder in trail.licence_holders():
        if holder.licence is not None:
            for key in holder.licence.keys:
                by_key.setdefault(key, []).append(holder.id)
    rows = []
    for key in sorted(by_key):
        holders = by_key[key]
        duties = duties_of(key)
        shown = holders[:20]
        more = f" and {len(holders) - 20:,} more" if len(holders) > 20 else ""
        # Each cell cites every record under the licence, not only those it names.
        rows.append(
            (
                draft.derived(key, holders),
                draft.derived("; ".join(duties) or "none", holders),
                draft.derived(f"{len(holders):,}: {', '.join(shown)}{more}", holders),
            )
        )
    note = Paragraph(
        "Duties are what a licence asks of whoever uses the data (credit, notices, the licence "
        "text, share-alike terms), whether or not anything is wrong; they are not findings. "
        "They follow from Creative Commons' licence elements and the ScanCode LicenseDB "
        "category of each id; an expression with OR binds only the option chosen."
    )
    if not rows:
        return Section("duties", "Duties", (Paragraph("No licence is recorded upstream."),))
    table = Table(
        ("license", "duties", "records"), ("Licence", "Duties", "Records under it"), tuple(rows)
    )
    return Section("duties", "Duties", (table, note))
