"""Compliance checks over the lineage graph.

from lineage.checks import check
result = check(store, "support-assistant-v1")   # CheckResult
result.findings                                  # tuple of Finding
"""

from lineage.checks.catalogue import RULES, Rule
from lineage.checks.compliance import CheckResult, check, check_trail
from lineage.checks.findings import SEVERITIES, Finding, Severity
from lineage.checks.policy import (
    DEFAULT_TIERS,
    STRICT,
    EvaluationRequirement,
    Monitoring,
    Policy,
    PolicyError,
    TierRequirement,
    load_policy,
    policy_from_data,
)
from lineage.checks.tiers import Reason, TierReport, TierStatus, tiers
from lineage.checks.trail import DigestCheck, LedgerHead, Trail, Use, load_trail
from lineage.governance.approvals import Approval

__all__ = [
    "DEFAULT_TIERS",
    "RULES",
    "SEVERITIES",
    "STRICT",
    "Approval",
    "CheckResult",
    "DigestCheck",
    "EvaluationRequirement",
    "Finding",
    "LedgerHead",
    "Monitoring",
    "Policy",
    "PolicyError",
    "Reason",
    "Rule",
    "Severity",
    "TierReport",
    "TierRequirement",
    "TierStatus",
    "Trail",
    "Use",
    "check",
    "check_trail",
    "load_policy",
    "load_trail",
    "policy_from_data",
    "tiers",
]
