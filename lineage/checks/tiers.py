"""Approval tiers: which uses a model can be cleared for, and why not.

For each tier, the policy's requirements (`TierRequirement`) are held against the
model's trail: the evaluations it asks for (recorded, current, passing, not stale,
not contaminated), an independent evaluator, demographic coverage of the data,
monitoring, and the sign-offs. A tier is

- `cleared`: every requirement holds and a sign-off for the tier is in force;
- `provisional`: the evidence holds but the sign-off does not (none yet, too few
  signers, no named approver), or a sign-off was given over failing evidence
  (`approve --override`);
- `blocked`: evidence the tier needs is missing or fails.

Every reason names the rule (as `lineage check` does) and the records behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from lineage.checks.findings import Finding
from lineage.checks.policy import STRICT, EvaluationRequirement, Policy, TierRequirement
from lineage.checks.trail import LedgerHead, Trail, bulk_work, load_trail
from lineage.governance.approvals import Approval
from lineage.governance.evaluations import Evaluation, current
from lineage.validation import parse_time
from lineage.vocabulary import ENTITY_KINDS, TIERS

if TYPE_CHECKING:  # the API sits above the checks; only its type is needed here
    from lineage.api import Store

TierState = Literal["cleared", "provisional", "blocked"]
EVIDENCE_RULES = (
    "evaluation-missing",
    "evaluation-failed",
    "evaluation-stale",
    "evaluation-contaminated",
    "coverage-missing",
    "not-independent",
)
_HUMAN = ("human", "person", "reviewer", "review by", "reviews")


@dataclass(frozen=True)
class Reason:
    """Why a tier is not cleared: a rule, one line, the records behind it."""

    rule: str
    message: str
    records: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    """For contamination: the path from the shared record to the model."""

    @property
    def blocking(self) -> bool:
        """Evidence that fails blocks a tier; a missing sign-off leaves it provisional."""
        return self.rule != "approval-missing"

    def to_data(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "records": list(self.records),
            "path": list(self.path),
            "blocking": self.blocking,
        }


@dataclass(frozen=True)
class TierStatus:
    """One tier's verdict, every reason for it, and the records it rests on."""

    tier: str
    status: TierState
    reasons: tuple[Reason, ...]
    evidence: tuple[str, ...]
    """The evaluations that meet the tier's requirements."""
    approvals: tuple[str, ...]
    """The sign-offs in force for the tier."""
    override: Approval | None = None
    """A sign-off given over failing requirements, when the tier rests on one."""

    def to_data(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "status": self.status,
            "reasons": [r.to_data() for r in self.reasons],
            "evidence": list(self.evidence),
            "approvals": list(self.approvals),
            "override": None
            if self.override is None
            else {
                "approval": self.override.id,
                "reason": self.override.override,
                "overridden": list(self.override.overridden),
                "by": list(self.override.by),
            },
        }


@dataclass(frozen=True)
class TierReport:
    """`lineage tiers MODEL`: every tier's verdict, and the evaluations behind them."""

    model: str
    tiers: tuple[TierStatus, ...]
    evaluations: tuple[Evaluation, ...]
    """The current result of each test data, metric and slice."""
    stale: frozenset[str]
    contaminated: dict[str, tuple[str, ...]]
    """Evaluation id -> the records its test data shares with the model's training data."""
    ledger: LedgerHead
    policy: Policy

    def of(self, tier: str) -> TierStatus:
        return next(t for t in self.tiers if t.tier == tier)

    def to_data(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "ledger": {
                "seq": self.ledger.seq,
                "hash": self.ledger.hash,
                "recorded_at": self.ledger.recorded_at,
            },
            "tiers": [t.to_data() for t in self.tiers],
            "evaluations": [
                {
                    **e.to_data(),
                    "stale": e.id in self.stale,
                    "contaminated_by": list(self.contaminated.get(e.id, ())),
                }
                for e in self.evaluations
            ],
        }


def tiers(
    store: Store,
    model: str,
    *,
    policy: Policy | None = None,
    now: datetime | None = None,
    as_of: datetime | None = None,
) -> TierReport:
    """Which approval tiers `model` can be cleared for under `policy` (default: the
    default tiers), with every reason and the records behind it.

    Raises UnknownNode if `model` was never recorded, InvalidRecord if it is not a model.

    Example:
        report = tiers(store, "support-assistant-v1")
        [(t.tier, t.status) for t in report.tiers]
    """
    with bulk_work():
        trail = load_trail(store, model, as_of=as_of, now=now, verify_digests=False)
        return tiers_of_trail(trail, policy or STRICT)


def tiers_of_trail(trail: Trail, policy: Policy) -> TierReport:
    """The tier verdicts of a trail already read (reports and `approve` reuse theirs)."""
    if trail.target_kind != "model":
        from lineage.errors import InvalidRecord

        raise InvalidRecord(f"{trail.target} is not a model: approval tiers are for models")
    judge = _Judge(trail)
    statuses = tuple(assess(trail, tier, policy.requirement(tier), judge) for tier in TIERS)
    return TierReport(
        model=trail.target,
        tiers=statuses,
        evaluations=tuple(judge.current),
        stale=frozenset(e.id for e in judge.current if judge.stale(e)),
        contaminated={e.id: judge.contaminated(e) for e in judge.current if judge.contaminated(e)},
        ledger=trail.ledger,
        policy=policy,
    )


class _Judge:
    """What is worked out once per trail: current results, staleness, contamination."""

    def __init__(self, trail: Trail) -> None:
        self.trail = trail
        self.current = current(list(trail.evaluation_results))
        self._shared: dict[str, tuple[str, ...]] = {}
        self._digest_index: dict[str, str] | None = None

    def stale(self, evaluation: Evaluation) -> bool:
        now = self.trail.digests_now
        return evaluation.model_digest != now.get(self.trail.target) or (
            evaluation.data_digest != now.get(evaluation.dataset)
        )

    def stale_message(self, evaluation: Evaluation) -> str:
        what = []
        if evaluation.model_digest != self.trail.digests_now.get(self.trail.target):
            what.append(f"{self.trail.target}")
        if evaluation.data_digest != self.trail.digests_now.get(evaluation.dataset):
            what.append(f"its test data {evaluation.dataset}")
        return (
            f"{_label(evaluation)} is stale: {' and '.join(what)} changed after it was measured "
            f"({evaluation.when[:10]})"
        )

    def contaminated(self, evaluation: Evaluation) -> tuple[str, ...]:
        """The records of the model's training upstream that the test data is, comes
        from, or has the same content as (empty: clean)."""
        dataset = evaluation.dataset
        known = self._shared.get(dataset)
        if known is not None:
            return known
        trail = self.trail
        if self._digest_index is None:
            self._digest_index = {}
            for node, facts in trail.graph.nodes(data=True):
                digest = facts.get("digest")
                if digest and node != trail.target and facts["kind"] in ENTITY_KINDS:
                    self._digest_index.setdefault(str(digest), node)
        test = trail.test_data.get(dataset)
        shared: set[str] = set()
        if test is not None:
            for node, facts in test.nodes(data=True):
                if facts["kind"] not in ENTITY_KINDS:
                    continue
                if node in trail.graph and node != trail.target:
                    shared.add(node)
                digest = facts.get("digest")
                if digest and str(digest) in self._digest_index:
                    shared.add(self._digest_index[str(digest)])
        found = tuple(sorted(shared))
        self._shared[dataset] = found
        return found


def _label(e: Evaluation) -> str:
    return f"{e.id} ({e.metric} [{e.slice}] = {e.value:g} on {e.dataset})"


def _matches(requirement: EvaluationRequirement, e: Evaluation) -> bool:
    if requirement.metric is not None and e.metric != requirement.metric:
        return False
    if requirement.slice is not None and e.slice != requirement.slice:
        return False
    if requirement.category is not None and e.category != requirement.category:
        return False
    if requirement.dataset is not None:
        wanted = requirement.dataset
        if e.dataset != wanted and e.dataset.split(":", 1)[-1] != wanted:
            return False
    return True


def _outcome(requirement: EvaluationRequirement, e: Evaluation) -> bool | None:
    if requirement.threshold is None:
        return e.passed
    if requirement.direction == "lower-is-better":
        return e.value <= requirement.threshold
    return e.value >= requirement.threshold


def _bar(requirement: EvaluationRequirement, e: Evaluation) -> str:
    if requirement.threshold is not None:
        sign = ">=" if requirement.direction == "higher-is-better" else "<="
        return f"{sign} {requirement.threshold:g} (the policy's bar)"
    sign = ">=" if e.direction == "higher-is-better" else "<="
    return f"{sign} {e.threshold:g}"


def evidence_reasons(
    trail: Trail, tier: str, requirement: TierRequirement, judge: _Judge | None = None
) -> tuple[list[Reason], list[Evaluation]]:
    """What the tier's evaluations, independence and coverage requirements find, and
    the evaluations that meet them."""
    judge = judge or _judge(trail)
    reasons: list[Reason] = []
    evidence: list[Evaluation] = []
    candidates: list[Evaluation] = []
    for wanted in requirement.evaluations:
        found = [e for e in judge.current if _matches(wanted, e)]
        candidates += found
        if not found:
            reasons.append(
                Reason(
                    "evaluation-missing",
                    f"tier {tier} needs {wanted.describe()}: none is recorded for {trail.target}",
                )
            )
            continue
        usable: list[Evaluation] = []
        failed: list[Evaluation] = []
        stale: list[Evaluation] = []
        dirty: list[Evaluation] = []
        for e in found:
            passed = _outcome(wanted, e)
            if judge.stale(e):
                stale.append(e)
            elif passed is False:
                failed.append(e)
            elif passed and judge.contaminated(e):
                dirty.append(e)
            elif passed:
                usable.append(e)
        for e in failed:
            reasons.append(
                Reason(
                    "evaluation-failed",
                    f"tier {tier} needs {wanted.describe()}: {_label(e)} fails {_bar(wanted, e)}",
                    (e.id,),
                )
            )
        if usable:
            evidence += usable
            continue
        if failed:
            continue
        for e in dirty:
            reasons.append(_contaminated(trail, judge, e, tier))
        for e in stale:
            reasons.append(
                Reason("evaluation-stale", f"tier {tier}: {judge.stale_message(e)}", (e.id,))
            )
        if not dirty and not stale:
            reasons.append(
                Reason(
                    "evaluation-missing",
                    f"tier {tier} needs {wanted.describe()}: the results recorded "
                    f"({', '.join(e.id for e in found)}) have no threshold to pass",
                    tuple(e.id for e in found),
                )
            )
    seen = {(r.rule, r.records) for r in reasons}
    for e in judge.current:
        if e.tier != tier:
            continue
        reason: Reason | None = None
        if judge.stale(e):
            reason = Reason("evaluation-stale", f"tier {tier}: {judge.stale_message(e)}", (e.id,))
        elif e.passed is False:
            reason = Reason(
                "evaluation-failed",
                f"a pre-deployment test of tier {tier}, {_label(e)}, fails its threshold "
                f"{'>=' if e.direction == 'higher-is-better' else '<='} {e.threshold:g}",
                (e.id,),
            )
        elif judge.contaminated(e):
            reason = _contaminated(trail, judge, e, tier)
        if reason is not None and (reason.rule, reason.records) not in seen:
            seen.add((reason.rule, reason.records))
            reasons.append(reason)
        candidates.append(e)
    if requirement.independent_evaluation:
        pool = evidence or [
            e for e in judge.current if not judge.stale(e) and not judge.contaminated(e)
        ]
        if not any(e.independent for e in pool):
            shown = ", ".join(e.id for e in pool[:5]) + (" ..." if len(pool) > 5 else "")
            reasons.append(
                Reason(
                    "not-independent",
                    f"tier {tier} needs an independent evaluation (by an evaluator acting for "
                    f"an organisation other than the owner of {trail.target}): "
                    + (f"none of {shown} is" if pool else "no clean, current one is recorded"),
                    tuple(e.id for e in pool),
                )
            )
    if requirement.coverage:
        reasons += _coverage(trail, tier, requirement, candidates)
    return reasons, evidence


def _contaminated(trail: Trail, judge: _Judge, e: Evaluation, tier: str | None) -> Reason:
    shared = judge.contaminated(e)
    shown = ", ".join(shared[:5]) + (f" and {len(shared) - 5} more" if len(shared) > 5 else "")
    return Reason(
        "evaluation-contaminated",
        f"{f'tier {tier}: ' if tier else ''}{_label(e)} does not count: its test data is, "
        "comes from or has the "
        f"same content as data {trail.target} was trained on ({shown})",
        (e.id, *shared),
        trail.path(shared[0]) if shared and shared[0] in trail.graph else (),
    )


def _attributes_of(evaluations: Iterable[Evaluation]) -> list[str]:
    found: set[str] = set()
    for e in evaluations:
        if e.slice == "all":
            continue
        for part in e.slice.split(";"):
            found.add(part.split("=", 1)[0])
    return sorted(found)


def _covered(facts: Any) -> set[str]:
    return {str(item.get("attribute")) for item in facts.get("coverage") or ()}


def _training_coverage(trail: Trail) -> tuple[list[str], set[str]]:
    """The sources and datasets upstream of the target, and the attributes whose coverage
    any of them records (worked out once per trail)."""
    known = trail._memo.get("tiers.training")
    if known is None:
        training = [
            n
            for n in trail.graph
            if n != trail.target and trail.facts(n)["kind"] in ("source", "dataset")
        ]
        covered: set[str] = set()
        for n in training:
            if trail.facts(n).get("coverage"):
                covered |= _covered(trail.facts(n))
        known = trail._memo["tiers.training"] = (training, covered)
    assert isinstance(known, tuple)
    return known


def _coverage(
    trail: Trail, tier: str, requirement: TierRequirement, evaluations: Sequence[Evaluation]
) -> list[Reason]:
    named = requirement.coverage
    attributes = list(named) if isinstance(named, tuple) else _attributes_of(evaluations)
    training, covered = _training_coverage(trail)
    reasons: list[Reason] = []
    wanted_here = attributes or (["any attribute"] if not covered else [])
    for attribute in wanted_here:
        if attribute in covered:
            continue
        reasons.append(
            Reason(
                "coverage-missing",
                f"tier {tier} needs demographic coverage ({attribute}) of the data "
                f"{trail.target} was trained on: none of its {len(training)} sources and "
                "datasets records it",
            )
        )
    for dataset in sorted({e.dataset for e in evaluations}):
        graph = trail.test_data.get(dataset)
        if graph is None or dataset not in graph:
            continue
        have = _covered(graph.nodes[dataset])
        # Test data is asked for the attributes its own results are sliced by.
        own = (
            list(named)
            if isinstance(named, tuple)
            else _attributes_of(e for e in evaluations if e.dataset == dataset)
        )
        for attribute in own or (["any attribute"] if not have else []):
            if attribute not in have:
                reasons.append(
                    Reason(
                        "coverage-missing",
                        f"tier {tier} needs demographic coverage ({attribute}) of the test "
                        f"data: {dataset} records none",
                        (dataset,),
                    )
                )
    return reasons


def _monitoring(
    trail: Trail, tier: str, requirement: TierRequirement, judge: _Judge
) -> list[Reason]:
    if requirement.monitoring is None:
        return []
    times = [parse_time(c.at) for c in trail.verifications.values()]
    times += [parse_time(e.when) for e in judge.current]
    latest = max(times) if times else None
    since = trail.moment.astimezone(UTC) - requirement.monitoring.period
    if latest is not None and latest >= since:
        return []
    last = f"the last was on {latest.date().isoformat()}" if latest else "none is recorded"
    return [
        Reason(
            "monitoring-overdue",
            f"tier {tier} needs a recorded verification or evaluation every "
            f"{requirement.monitoring.every}: {last}",
        )
    ]


def _signoff(
    trail: Trail, tier: str, requirement: TierRequirement, granting: list[Approval]
) -> str | None:
    if not granting:
        return f"no sign-off for tier {tier} is in force"
    if requirement.named_approver and not requirement.approvers:
        return f"a named approver must sign: list them in the policy (tiers.{tier}.approvers)"
    unmet = tier_unmet(trail, requirement, granting)
    if unmet:
        return f"the sign-offs for tier {tier} do not meet its requirements: {unmet}"
    if requirement.human_in_the_loop and not any(
        any(word in c.casefold() for word in _HUMAN for c in a.conditions) for a in granting
    ):
        return f"tier {tier} needs a sign-off whose conditions keep a human in the loop"
    return None


def tier_unmet(trail: Trail, requirement: TierRequirement, granting: list[Approval]) -> str | None:
    """Why valid sign-offs of a tier do not meet its sign-off requirements, if so."""
    if requirement.human:
        people = [
            a
            for a in granting
            if all(trail.has(b) and trail.facts(b).get("agent_type") == "person" for b in a.by)
        ]
        if not people:
            return "it must be signed by a person (an agent recorded with type person)"
        granting = people
    for condition in requirement.conditions:
        wanted = condition.casefold()
        granting = [a for a in granting if any(wanted in c.casefold() for c in a.conditions)]
        if not granting:
            return f"a sign-off must state the condition {condition!r}"
    signers = {b for a in granting for b in a.by}
    if len(signers) < requirement.approvals:
        return (
            f"{requirement.approvals} sign-offs by different people are needed, "
            f"{len(signers)} recorded ({', '.join(sorted(signers))})"
        )
    roles = {a.role for a in granting if a.role}
    missing = [r for r in requirement.roles if r not in roles]
    if missing:
        return f"no sign-off in the role of {_joined(missing)}"
    if requirement.approvers:
        named = {f"agent:{n}" if ":" not in n else n for n in requirement.approvers}
        if not signers & named:
            return f"a named approver must sign: {_joined(sorted(requirement.approvers))}"
    return None


def _joined(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _judge(trail: Trail) -> _Judge:
    judge = trail._memo.get("tiers.judge")
    if judge is None:
        judge = _Judge(trail)
        trail._memo["tiers.judge"] = judge
    assert isinstance(judge, _Judge)
    return judge


def assess(
    trail: Trail, tier: str, requirement: TierRequirement, judge: _Judge | None = None
) -> TierStatus:
    """One tier's verdict on a model's trail."""
    judge = judge or _judge(trail)
    reasons, evidence = evidence_reasons(trail, tier, requirement, judge)
    reasons += _monitoring(trail, tier, requirement, judge)
    granting = [a for a in trail.approvals if a.grants and a.tier == tier]
    unmet = _signoff(trail, tier, requirement, granting)
    if unmet:
        reasons.append(Reason("approval-missing", unmet, tuple(a.id for a in granting)))
    blocking = [r for r in reasons if r.blocking]
    override = next((a for a in reversed(granting) if a.override), None)
    status: TierState
    if blocking:
        status = "provisional" if override is not None and not unmet else "blocked"
    else:
        status = "provisional" if unmet else "cleared"
    return TierStatus(
        tier=tier,
        status=status,
        reasons=tuple(reasons),
        evidence=tuple(e.id for e in evidence),
        approvals=tuple(a.id for a in granting),
        override=override,
    )


def evaluation_findings(trail: Trail, policy: Policy) -> list[Finding]:
    """The evidence findings of `lineage check` (all severities 'error' here; `check`
    applies the policy's): for the policy's tier, its requirements; without one, every
    current evaluation of the model that failed, is stale or is contaminated."""
    cached = trail._memo.get("tiers.findings")
    if cached is not None:
        assert isinstance(cached, list)
        return cached
    findings: list[Finding] = []
    if trail.target_kind == "model":
        judge = _judge(trail)
        if policy.approval_tier:
            reasons, _ = evidence_reasons(
                trail, policy.approval_tier, policy.requirement(policy.approval_tier), judge
            )
        else:
            reasons = []
            dirty: dict[str, list[Evaluation]] = {}
            for e in judge.current:
                if judge.stale(e):
                    reasons.append(Reason("evaluation-stale", judge.stale_message(e), (e.id,)))
                elif e.passed is False:
                    sign = ">=" if e.direction == "higher-is-better" else "<="
                    reasons.append(
                        Reason(
                            "evaluation-failed",
                            f"{_label(e)} fails its threshold {sign} {e.threshold:g}",
                            (e.id,),
                        )
                    )
                elif judge.contaminated(e):
                    dirty.setdefault(e.dataset, []).append(e)
            for dataset, evaluations in sorted(dirty.items()):
                shared = judge.contaminated(evaluations[0])
                ids = ", ".join(e.id for e in evaluations[:3]) + (
                    f" and {len(evaluations) - 3} more" if len(evaluations) > 3 else ""
                )
                # About the training record the test data shares, as other rules are
                # about the upstream record; the path runs from it to the model.
                reasons.append(
                    Reason(
                        "evaluation-contaminated",
                        f"{dataset}, the test data of {len(evaluations)} evaluation"
                        f"{'s' if len(evaluations) != 1 else ''} of {trail.target} ({ids}), "
                        f"is, comes from or has the same content as data it was trained on "
                        f"({', '.join(shared)}): those results do not count",
                        (shared[0], *(e.id for e in evaluations)),
                        trail.path(shared[0]),
                    )
                )
        for r in reasons:
            subject = r.records[0] if r.records else trail.target
            path = r.path or (
                (trail.target,) if subject == trail.target else (subject, trail.target)
            )
            findings.append(Finding(r.rule, "error", r.message, subject, path))
    trail._memo["tiers.findings"] = findings
    return findings


def approval_refusals(
    store: Store,
    subject: str,
    tier: str,
    conditions: Sequence[str] = (),
    policy: Policy | None = None,
) -> list[Reason]:
    """What fails when `subject` (a model) would be signed off for `tier` now: the
    tier's evidence and monitoring, and a human-in-the-loop condition the sign-off
    must carry. Empty: nothing stands in the way."""
    chosen = policy or STRICT
    requirement = chosen.requirement(tier)
    with bulk_work():
        trail = load_trail(store, subject, verify_digests=False)
        if trail.target_kind != "model":
            return []
        judge = _judge(trail)
        reasons, _ = evidence_reasons(trail, tier, requirement, judge)
        reasons += _monitoring(trail, tier, requirement, judge)
    if requirement.human_in_the_loop and not any(
        word in c.casefold() for word in _HUMAN for c in conditions
    ):
        reasons.append(
            Reason(
                "approval-missing",
                f"tier {tier} needs a sign-off whose conditions keep a human in the loop "
                "(--condition 'continuous human monitoring')",
            )
        )
    return reasons
