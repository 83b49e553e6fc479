"""Run every rule over a target's paper trail under a policy: `check`."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lineage.checks.catalogue import RULES
from lineage.checks.findings import SEVERITIES, Finding
from lineage.checks.policy import STRICT, Policy
from lineage.checks.rules import RULE_FUNCTIONS, Context
from lineage.checks.trail import (
    Exclusion,
    IntendedUseOrigin,
    LedgerHead,
    Reference,
    Trail,
    bulk_work,
    load_trail,
)

if TYPE_CHECKING:  # the API sits above the checks; only its type is needed here
    from lineage.api import Store

_SUBJECT_AND_MESSAGE = operator.attrgetter("subject", "message")


@dataclass(frozen=True)
class CheckResult:
    """The findings of one check, and what the target was checked against.

    Findings come errors first, then warnings, then info; within a severity in
    the order of `lineage.checks.RULES`, then by subject.
    """

    target: str
    findings: tuple[Finding, ...]
    policy: Policy
    intended_use: str
    intended_use_from: IntendedUseOrigin
    """Where the intended use comes from: 'policy', the model's 'record', or the 'default'."""
    ledger: LedgerHead
    as_of: datetime | None
    references: tuple[Reference, ...] = ()
    """Tools and references the trail's runs used: listed, not judged as content."""
    exclusions: tuple[Exclusion, ...] = ()
    """Parts the trail's runs removed: their content does not reach the target."""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def ok(self) -> bool:
        """True when nothing was found at severity 'error'."""
        return self.errors == 0

    def of_rule(self, rule: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule == rule)


def check(
    store: Store,
    target: str,
    *,
    policy: Policy | None = None,
    as_of: datetime | None = None,
    now: datetime | None = None,
) -> CheckResult:
    """Check `target` (a model, dataset or source) and everything upstream of it.

    Without `policy`, every rule has its default severity (an error, but for the review
    warnings), an approval is required, and the
    intended use is the model's own (commercial when its record names none).
    `as_of` checks the trail as it was recorded then; `now` is the time
    approvals are judged at when `as_of` is not given.

    Raises UnknownNode if `target` was never recorded.

    Example:
        result = check(store, "support-assistant-v1")
        for finding in result.findings:
            print(finding.severity, finding.rule, finding.message)
    """
    # One pause of the collector for reading and checking: each pause that ends while
    # the trail's million objects are alive makes the collector walk them all.
    with bulk_work():
        return _check(store, target, policy or STRICT, as_of, now)


def _check(
    store: Store, target: str, chosen: Policy, as_of: datetime | None, now: datetime | None
) -> CheckResult:
    trail = load_trail(store, target, as_of=as_of, now=now, verify_digests=chosen.verify_digests)
    return check_trail(trail, chosen)  # the trail is freed on return, still in the pause


def check_trail(trail: Trail, policy: Policy | None = None) -> CheckResult:
    """Run the rules over a trail already read (reports reuse theirs)."""
    with bulk_work():
        return _check_trail(trail, policy or STRICT)


def _check_trail(trail: Trail, chosen: Policy) -> CheckResult:
    use, origin = trail.intended_use(chosen.intended_use)
    context = Context(chosen, use)
    # Sorted by severity, rule, subject and message: the rules run in catalogue order,
    # so each rule's findings at each severity are sorted on their own (by subject and
    # message, stable) and laid end to end, severity by severity, in rule order. That
    # is the order of one stable sort by all four, without a key per finding.
    by_level: list[list[list[Finding]]] = [[] for _ in SEVERITIES]
    for rule_id in RULES:
        severity = chosen.severity(rule_id)
        if severity is None:
            continue
        level_rank = SEVERITIES.index(severity)
        found: list[list[Finding]] = [[] for _ in SEVERITIES]
        for hit in RULE_FUNCTIONS[rule_id](trail, context):
            level, rank = severity, level_rank
            # A rule may judge a hit milder than the rule (a name-only PII match, a
            # missing URL where the owner is known); the policy's level caps it too.
            if hit.at_most and SEVERITIES.index(hit.at_most) > level_rank:
                level = hit.at_most
                rank = SEVERITIES.index(level)
            found[rank].append(Finding(rule_id, level, hit.message, hit.subject, hit.path))
        for rank, findings in enumerate(found):
            if findings:
                by_level[rank].append(findings)
    ordered: list[Finding] = []
    for rules in by_level:
        for findings in rules:
            findings.sort(key=_SUBJECT_AND_MESSAGE)
            ordered += findings
    return CheckResult(
        target=trail.target,
        findings=tuple(ordered),
        policy=chosen,
        intended_use=use,
        intended_use_from=origin,
        ledger=trail.ledger,
        as_of=trail.as_of,
        references=trail.references,
        exclusions=trail.exclusions,
    )
