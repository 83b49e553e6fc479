"""The rules `lineage check` knows: their ids, what each looks for, and why it matters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lineage.checks.findings import Severity


@dataclass(frozen=True)
class Rule:
    """One rule: its id (as in policies and findings), a title, and what it is for."""

    id: str
    title: str
    why: str
    severity: Severity = "error"
    """Its severity when a policy does not name it."""


_RULES = (
    Rule(
        "unknown-provenance",
        "a source with no licence, owner or origin (a warning when only the origin is missing)",
        "EU AI Act Art. 53(1)(d) and AB 2013 item 1 ask for the sources or owners of the data; "
        "without a licence nobody can say the data may be used at all.",
    ),
    Rule(
        "licence-not-allowed",
        "a licence the policy forbids, or does not allow",
        "The organisation's own licence policy.",
    ),
    Rule(
        "non-commercial",
        "non-commercial terms in a target meant for commercial or internal use",
        "Terms such as CC-BY-NC forbid use primarily for commercial advantage.",
    ),
    Rule(
        "research-only",
        "research-only terms in a target meant for other uses",
        "Terms that allow research only exclude commercial and internal production use.",
    ),
    Rule(
        "no-derivatives",
        "no-derivatives terms on data that was transformed",
        "Terms such as CC-BY-ND forbid sharing adapted material.",
    ),
    Rule(
        "share-alike",
        "share-alike terms the target's own licence does not honour",
        "Copyleft and share-alike terms require derivatives to carry the same licence.",
    ),
    Rule(
        "no-competing-models",
        "terms that forbid training a competing model on outputs",
        "Model providers' terms of service often forbid using outputs to build competing models.",
    ),
    Rule(
        "licence-conflict",
        "licences combined in one dataset or model that cannot be combined",
        "A share-alike licence cannot absorb unlicensed data or terms that add restrictions, "
        "and some licence pairs are incompatible (OSADL compatibility matrix).",
    ),
    Rule(
        "pii-no-legal-basis",
        "personal data with no recorded legal basis",
        "GDPR Art. 6 requires a legal basis for processing personal data.",
    ),
    Rule(
        "pii-not-removed",
        "personal-data categories that reach the target with no run recording their removal",
        "Data minimisation (GDPR Art. 5(1)(c)); AB 2013 item 7.",
    ),
    Rule(
        "personal-data-unknown",
        "a source whose personal-data status is unknown",
        "Whether personal data is present decides which data-protection duties apply.",
    ),
    Rule(
        "opt-out-not-honoured",
        "crawled data with no record that text-and-data-mining opt-outs were honoured",
        "EU copyright directive Art. 4(3) and the AI Act template, section 3.1.",
    ),
    Rule(
        "digest-missing",
        "a source or dataset with no content digest",
        "Without a digest nobody can show later which data was used.",
    ),
    Rule(
        "digest-mismatch",
        "content that no longer matches its recorded digest, or is gone",
        "The data on disk is not the data that was recorded.",
    ),
    Rule(
        "approval-missing",
        "a model with no approval in force",
        "Conditional approval of models for use: a recorded sign-off with scope and conditions, "
        "given on the lineage as it is now (not stale), meeting the policy tier's requirements.",
    ),
    Rule(
        "monitoring-overdue",
        "recorded data not verified recently enough for the policy's approval tier",
        "Critical-infrastructure approvals come with continuous monitoring: 'lineage verify' "
        "re-hashes the recorded data on a schedule.",
    ),
    Rule(
        "evaluation-missing",
        "a pre-deployment evaluation the policy's tier asks for is not recorded",
        "Approval tiers rest on pre-deployment testing: the evaluations a tier requires must "
        "be recorded for the model as it is now.",
    ),
    Rule(
        "evaluation-failed",
        "an evaluation of the model that fails its threshold",
        "A failed pre-deployment test, or a demographic gap above its bar, is evidence "
        "against deployment (bias resilience in sensitive demographic applications).",
    ),
    Rule(
        "evaluation-stale",
        "an evaluation measured on an earlier version of the model or its test data",
        "A result only describes the model and test data it was measured on; like a "
        "sign-off, it is bound to their upstream digests.",
    ),
    Rule(
        "evaluation-contaminated",
        "an evaluation whose test data is, comes from, or has the same content as training data",
        "A test set that leaked into training overstates the model's performance; only the "
        "lineage graph can tell.",
    ),
    Rule(
        "coverage-missing",
        "a tier asks for demographic coverage of the data and none is recorded",
        "Bias resilience needs to know whom the training and test data cover.",
    ),
    Rule(
        "not-independent",
        "a tier asks for an independent evaluation and every evaluation is by the owner",
        "Clearance for high-impact uses rests on independent evaluation: an evaluator acting "
        "for another organisation than the model's owner.",
    ),
    Rule(
        "revoked-data",
        "data revoked (consent withdrawn, licence ended, takedown, legal hold) in the lineage",
        "Approvals lapse when their conditions stop holding, for instance when training data "
        "loses its licence or consent is withdrawn.",
    ),
    Rule(
        "licence-disagreement",
        "a record whose concluded licence, declared licence and licence claims differ",
        "A licence is a claim: hosting cards, audits and curators disagree, and page metadata "
        "can launder licences (SPDX separates declared from concluded licences). Someone must "
        "resolve the disagreement; until then, rules use the concluded licence, or the most "
        "restrictive claim when none is concluded.",
        "warning",
    ),
    Rule(
        "same-content",
        "records of one content (the same digest) under different names whose licence, "
        "personal-data status or restrictions disagree",
        "A mirror, a re-upload or a renamed file is the same data: it cannot be licensed two "
        "ways, hold personal data under one name only, or shed restrictions by being copied "
        "(EU AI Act Art. 53(1)(c) copyright policy; GDPR Art. 5(1)(a)). Someone must resolve "
        "which facts are true, for every name.",
        "warning",
    ),
    Rule(
        "changed-after-use",
        "a record amended, revoked or found changed after the run that used it",
        "What held when the data was used may not hold now (a licence switched, a card was "
        "corrected, data was withdrawn): the terms and content a model was trained on are those "
        "in force at the run.",
        "warning",
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _RULES})
"""Every rule, by id, in the order findings are reported within a severity."""
