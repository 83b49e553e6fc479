"""Compliance checks over the lineage graph.

from lineage.checks import check
result = check(store, "support-assistant-v1")   # CheckResult
result.findings                                  # tuple of Finding
"""

from lineage.checks.catalogue import RULES, Rule
from lineage.checks.compliance import CheckResult, check, check_trail
from lineage.checks.findings import SEVERITIES, Finding, Severity
from lineage.checks.policy import STRICT, Policy, PolicyError, load_policy, policy_from_data
from lineage.checks.trail import Approval, DigestCheck, LedgerHead, Trail, Use, load_trail

__all__ = [
    "RULES",
    "SEVERITIES",
    "STRICT",
    "Approval",
    "CheckResult",
    "DigestCheck",
    "Finding",
    "LedgerHead",
    "Policy",
    "PolicyError",
    "Rule",
    "Severity",
    "Trail",
    "Use",
    "check",
    "check_trail",
    "load_policy",
    "load_trail",
    "policy_from_data",
]
