"""Check policies: the intended use, the licences allowed, approvals, and each rule's severity.

A policy is a small YAML file, validated with pydantic; a bad one is reported with
its file, line and field, like a manifest:

    intended_use: commercial          # commercial | non-commercial | research | internal
    forbidden_licenses: [AGPL-3.0-only]
    allowed_licenses: []              # empty: any licence whose terms fit intended_use
    require_approval: true
    approval_tier: critical-infrastructure
    tiers:                            # what each tier requires (defaults: DEFAULT_TIERS)
      critical-infrastructure:
        conditions: [continuous human monitoring]
        verified_within_days: 7
    rules: {unknown-provenance: error, pii-no-legal-basis: error, digest-missing: warning}

Without a policy the defaults are strict: every rule is an error (but for the two review
warnings, licence-disagreement and changed-after-use), an approval is
required, and the intended use is the model's own (commercial when it says none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from lineage.checks.catalogue import RULES
from lineage.checks.findings import Severity
from lineage.errors import LineageError, ManifestError
from lineage.licences import parse_licence
from lineage.validation import describe_error
from lineage.vocabulary import Category, Direction, IntendedUse, Tier

RuleSetting = Literal["error", "warning", "info", "off"]


class PolicyError(ManifestError):
    """A policy file cannot be read, or one of its fields is invalid."""


def _licence_id(value: str) -> str:
    try:
        return parse_licence(value).expression
    except LineageError as error:
        raise ValueError(str(error)) from None


LicenceId = Annotated[str, AfterValidator(_licence_id)]


class EvaluationRequirement(BaseModel):
    """A pre-deployment evaluation a tier asks for: which results count, and the bar.

    Every field but the bar selects: a current evaluation of the model counts when its
    metric, slice, category and test data are those named (unnamed ones match any).
    Without `threshold`, the evaluation's own recorded threshold decides pass or fail.

    Example:
        EvaluationRequirement(metric="accuracy_max_gap", slice="locale=*",
                              category="fairness", threshold=0.05,
                              direction="lower-is-better")
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: str | None = None
    slice: str | None = None
    category: Category | None = None
    dataset: str | None = None
    threshold: float | None = None
    direction: Direction | None = None

    @model_validator(mode="after")
    def _bar(self) -> EvaluationRequirement:
        if (self.threshold is None) != (self.direction is None):
            raise ValueError("a threshold needs a direction (higher-is-better or lower-is-better)")
        return self

    def describe(self) -> str:
        """'accuracy_max_gap [locale=*] <= 0.05', 'a fairness evaluation', ..."""
        what = self.metric or (
            f"a {self.category} evaluation" if self.category else "an evaluation"
        )
        if self.slice:
            what += f" [{self.slice}]"
        if self.threshold is not None:
            what += f" {'>=' if self.direction == 'higher-is-better' else '<='} {self.threshold:g}"
        if self.dataset:
            what += f" on {self.dataset}"
        return what


_PERIOD = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")


class Monitoring(BaseModel):
    """Continuous monitoring: a recorded verification or evaluation at least this often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every: str
    """A period: '30d', '12h', '4w'."""

    @field_validator("every", mode="before")
    @classmethod
    def _period(cls, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value}d"
        if not isinstance(value, str) or not _PERIOD.match(value):
            raise ValueError(f"{value!r} is not a period such as 30d, 12h or 4w")
        return value.strip()

    @property
    def period(self) -> timedelta:
        found = _PERIOD.match(self.every)
        assert found is not None
        count, unit = int(found.group(1)), found.group(2)
        return {"h": timedelta(hours=count), "d": timedelta(days=count)}.get(
            unit, timedelta(weeks=count)
        )


class TierRequirement(BaseModel):
    """What an approval tier asks of a model's sign-offs (REGULATIONS.md: approval tiers).

    Example:
        TierRequirement(approvals=2, roles=("compliance-officer",), verified_within_days=7)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    approvals: int = Field(default=1, ge=1)
    """Valid sign-offs needed, each by a different person."""
    roles: tuple[str, ...] = ()
    """Roles that must each be among the signers (as recorded with `approve --role`)."""
    approvers: tuple[str, ...] = ()
    """Named approvers: at least one sign-off must be by one of these agents."""
    named_approver: bool = False
    """True: the tier is not met without `approvers` named in the policy."""
    conditions: tuple[str, ...] = ()
    """Conditions a sign-off must state (matched case-insensitively within its conditions)."""
    verified_within_days: int | None = Field(default=None, ge=1)
    """Continuous monitoring: every recorded path upstream was verified clean by
    `lineage verify` within this many days."""
    human: bool = True
    """Only sign-offs by agents recorded as persons count."""
    evaluations: tuple[EvaluationRequirement, ...] = ()
    """Pre-deployment evaluations that must be recorded, current, clean and passing."""
    independent_evaluation: bool = False
    """At least one of them by an evaluator acting for another organisation than the owner."""
    coverage: bool | tuple[str, ...] = False
    """Demographic coverage recorded on the training and test data: for the named
    attributes, or (true) for the attributes of the tier's evaluations' slices."""
    monitoring: Monitoring | None = None
    """A recorded verification or evaluation at least this often."""
    human_in_the_loop: bool = False
    """The sign-off must carry a condition of human oversight (one that names a person,
    human or reviewer)."""

    @field_validator("roles", "approvers", "conditions", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if value is None:
            return ()
        return [value] if isinstance(value, str) else value

    @field_validator("coverage", mode="before")
    @classmethod
    def _attributes(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def needs_evidence(self) -> bool:
        """True when the tier asks for more than sign-offs."""
        return bool(
            self.evaluations or self.independent_evaluation or self.coverage or self.monitoring
        )


_PERFORMANCE = EvaluationRequirement(category="performance")
_FAIRNESS = EvaluationRequirement(category="fairness")

DEFAULT_TIERS: Mapping[str, TierRequirement] = MappingProxyType(
    {
        # A person's sign-off.
        "general-commercial": TierRequirement(),
        # Federal administrative use: two people sign off (a reviewer and an owner), on a
        # passing pre-deployment performance test.
        "federal-administrative": TierRequirement(approvals=2, evaluations=(_PERFORMANCE,)),
        # Critical infrastructure: continuous human monitoring, as a stated condition of
        # the sign-off and as recorded verifications of the data within the last 30 days;
        # performance and bias evaluations, one of them independent; demographic
        # coverage of the data recorded.
        "critical-infrastructure": TierRequirement(
            conditions=("continuous human monitoring",),
            verified_within_days=30,
            evaluations=(_PERFORMANCE, _FAIRNESS),
            independent_evaluation=True,
            coverage=True,
            monitoring=Monitoring(every="30d"),
            human_in_the_loop=True,
        ),
        # National security: provisional, under closer review; a named approver signs,
        # on independent performance, bias and safety evaluations.
        "national-security": TierRequirement(
            named_approver=True,
            evaluations=(_PERFORMANCE, _FAIRNESS, EvaluationRequirement(category="safety")),
            independent_evaluation=True,
            coverage=True,
        ),
    }
)
"""What each tier requires when a policy does not say otherwise."""


class Policy(BaseModel):
    """What a check holds a target to.

    Example:
        Policy(intended_use="research", rules={"digest-missing": "warning"})
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    intended_use: IntendedUse | None = None
    """The use the target must be fit for; None: the model's recorded intended use."""
    forbidden_licenses: tuple[LicenceId, ...] = ()
    """Licence ids that no upstream record may carry."""
    allowed_licenses: tuple[LicenceId, ...] = ()
    """When not empty, the only licence ids upstream records may carry."""
    require_approval: bool = True
    """A model needs an approval (or conditional approval) in force."""
    approval_tier: Tier | None = None
    """When set, the approval must be for this tier and meet its requirements."""
    tiers: dict[Tier, TierRequirement] = Field(default_factory=dict)
    """Requirements per tier, replacing those of DEFAULT_TIERS for the tiers named."""
    verify_digests: bool = True
    """Re-hash recorded paths and compare them with the recorded digests."""
    pii_removal_operations: tuple[str, ...] = ()
    """Run operations that remove personal data, besides the built-in names."""
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    """Rule id -> severity ('off' disables the rule); rules not named take their own
    severity (`Rule.severity`: an error, except the few that only ask for a review)."""

    @field_validator(
        "forbidden_licenses", "allowed_licenses", "pii_removal_operations", mode="before"
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if value is None:
            return ()
        return [value] if isinstance(value, str) else value

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: dict[str, RuleSetting]) -> dict[str, RuleSetting]:
        for rule in value:
            if rule not in RULES:
                known = ", ".join(sorted(RULES))
                raise ValueError(f"unknown rule {rule!r}; the rules are: {known}")
        return value

    @model_validator(mode="after")
    def _named_approver(self) -> Policy:
        tier = self.approval_tier
        if tier is not None:
            requirement = self.requirement(tier)
            if requirement.named_approver and not requirement.approvers:
                raise ValueError(
                    f"tier {tier} needs a named approver: list them under tiers.{tier}.approvers"
                )
        return self

    def requirement(self, tier: str) -> TierRequirement:
        """What `tier` requires under this policy."""
        return self.tiers.get(tier) or DEFAULT_TIERS.get(tier) or TierRequirement()  # type: ignore[call-overload]

    def severity(self, rule: str) -> Severity | None:
        """The severity of `rule` under this policy, or None when it is switched off."""
        default = RULES[rule].severity if rule in RULES else "error"
        setting = self.rules.get(rule, default)
        return None if setting == "off" else setting

    def describe(self) -> dict[str, Any]:
        """The policy as plain data, for reports and `--json`."""
        return self.model_dump(mode="json")


STRICT = Policy()
"""The policy used when none is given: rules at their default severity, approvals required."""


def policy_from_data(data: Mapping[str, Any], where: str = "policy") -> Policy:
    """Validate a policy given as data; errors name `where` and the field."""
    # Imported here: `lineage.ingest` loads every reader (BOMs, PROV, OpenLineage), a
    # second and a half of start-up that a check or report without a policy file skips.
    from lineage.ingest.manifest import line_of

    rules = data.get("rules")
    if isinstance(rules, dict):
        # Checked here rather than only in the model, so the error names the rule's own line.
        for rule in rules:
            if rule not in RULES:
                line = line_of(data, ("rules", rule))
                place = f"{where}:{line}" if line else where
                raise PolicyError(
                    f"{place}: field 'rules.{rule}': unknown rule; the rules are: "
                    + ", ".join(sorted(RULES))
                )
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as error:
        message, loc = describe_error(error)
        line = line_of(data, loc)
        place = f"{where}:{line}" if line else where
        raise PolicyError(f"{place}: {message}") from None


def load_policy(path: str) -> Policy:
    """Read and validate the YAML policy at `path`.

    Raises PolicyError naming the file, the line and the field.

    Example:
        policy = load_policy("policy.yaml")
        result = check(store, "support-assistant-v1", policy=policy)
    """
    from lineage.ingest.manifest import parse_manifest  # see `policy_from_data`

    try:
        data = parse_manifest(path)
    except ManifestError as error:
        raise PolicyError(str(error).replace(": the manifest", ": the policy")) from None
    if data is None:
        return STRICT
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: a policy is a mapping of settings (intended_use, rules, ...)")
    return policy_from_data(data, path)
