"""The words of the lineage graph: W3C PROV kinds and relations, paper-trail enumerations."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args


class Kind(StrEnum):
    """What a node is. Sources, datasets and models are PROV entities."""

    SOURCE = "source"
    DATASET = "dataset"
    MODEL = "model"
    ACTIVITY = "activity"
    AGENT = "agent"
    ATTESTATION = "attestation"  # a person's sign-off on a model or dataset
    REVOCATION = "revocation"  # a record that a source or dataset must no longer be used
    VERIFICATION = "verification"  # one `lineage verify`: recorded contents re-hashed
    CLAIM = "claim"  # an agent's statement of the licence of a source, dataset or model
    EVALUATION = "evaluation"  # a measured result of a model on test data (an entity)


ENTITY_KINDS = frozenset({Kind.SOURCE, Kind.DATASET, Kind.MODEL})
# Every kind, as written before a name (`model:alpaca`) and offered by `list --kind`.
KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)


class Relation(StrEnum):
    """PROV relations. An edge points from the dependent record to what it depends on."""

    USED = "used"  # activity -> entity
    WAS_GENERATED_BY = "was_generated_by"  # entity -> activity
    WAS_DERIVED_FROM = "was_derived_from"  # entity -> entity
    WAS_ATTRIBUTED_TO = "was_attributed_to"  # entity -> agent
    WAS_ASSOCIATED_WITH = "was_associated_with"  # activity -> agent
    ACTED_ON_BEHALF_OF = "acted_on_behalf_of"  # agent -> agent
    # activity -> activity: a child run started by a parent run (OpenLineage's parent facet)
    WAS_INFORMED_BY = "was_informed_by"
    # Dataset versions (see lineage.store.versions): entity -> entity, a later version
    # that keeps the content of an earlier one (PROV wasRevisionOf; role `renamed` when
    # the dataset was renamed); entity -> entity, a version of a dataset
    # (PROV specializationOf), which upstream closures do not follow; entity -> activity,
    # the run that dropped a dataset (PROV wasInvalidatedBy), which closures do not follow.
    WAS_REVISION_OF = "was_revision_of"
    SPECIALIZATION_OF = "specialization_of"
    WAS_INVALIDATED_BY = "was_invalidated_by"


# Roles of a `used` relation that does not carry content: a tool, filter, classifier,
# blocklist or configuration the run consulted, and an upstream part the run removed.
REFERENCE_ROLE = "reference"
EXCLUDED_ROLE = "excluded"
NON_CONTENT_ROLES: tuple[str, ...] = (REFERENCE_ROLE, EXCLUDED_ROLE)
# The role of a `was_revision_of` relation that links a renamed dataset to its old name.
RENAMED_ROLE = "renamed"
# Relations an upstream closure does not follow: a version is not built from the
# dataset as a whole (that would merge every writer's inputs again), and a dataset is
# not built from the run that dropped it.
NOT_UPSTREAM: tuple[str, ...] = ("specialization_of", "was_invalidated_by")
# The role of `used` and `was_generated_by` relations that a job declared (an OpenLineage
# JobEvent: static lineage) rather than a run was seen doing.
DECLARED_ROLE = "declared"

# The enumerations of the paper trail. Each is a Literal type (what validation
# accepts) and a tuple of its values (what help texts and checks list).
Obtained = Literal["public", "licensed", "purchased", "crawled", "user", "synthetic", "other"]
PersonalData = Literal["yes", "no", "unknown"]
OptOuts = Literal["honoured", "not-honoured", "unknown"]
AgentType = Literal["person", "organization", "software"]
Modality = Literal["text", "image", "audio", "video", "code", "other"]
IntendedUse = Literal["commercial", "non-commercial", "research", "internal"]
RunStatus = Literal["completed", "failed", "running"]
Decision = Literal["approved", "conditional", "rejected", "revoked"]
# Approval tiers of the conditional-approval rules (see REGULATIONS.md).
Tier = Literal[
    "general-commercial", "federal-administrative", "critical-infrastructure", "national-security"
]
# How a licence claim was arrived at (SPDX separates a declared from a concluded licence).
ClaimMethod = Literal["declared", "audited", "detected", "inferred"]
# Evaluations: what a metric measures, and which way is better.
Category = Literal["performance", "fairness", "safety", "robustness", "other"]
Direction = Literal["higher-is-better", "lower-is-better"]
# How a coverage figure (records or share of a group in the data) is known.
CoverageBasis = Literal["measured", "estimated", "declared", "unknown"]
Restriction = Literal[
    "non-commercial", "no-derivatives", "share-alike", "research-only", "no-competing-models"
]

# How a source was obtained (EU AI Act template categories, AB 2013 item 6).
OBTAINED: tuple[str, ...] = get_args(Obtained)
PERSONAL_DATA: tuple[str, ...] = get_args(PersonalData)
OPT_OUTS: tuple[str, ...] = get_args(OptOuts)
AGENT_TYPES: tuple[str, ...] = get_args(AgentType)
MODALITIES: tuple[str, ...] = get_args(Modality)
INTENDED_USES: tuple[str, ...] = get_args(IntendedUse)
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)
DECISIONS: tuple[str, ...] = get_args(Decision)
TIERS: tuple[str, ...] = get_args(Tier)
RESTRICTIONS: tuple[str, ...] = get_args(Restriction)
CLAIM_METHODS: tuple[str, ...] = get_args(ClaimMethod)
CATEGORIES: tuple[str, ...] = get_args(Category)
DIRECTIONS: tuple[str, ...] = get_args(Direction)
COVERAGE_BASES: tuple[str, ...] = get_args(CoverageBasis)

# What the regulators' training-data summaries ask (lineage.disclosure validates them).
# Who a licensed or purchased source came from: the template's 2.2.1 (commercial
# licence from the rightsholders or their representatives) versus 2.2.2 (another
# third party: a data broker, a private database, a data intermediary).
Supplier = Literal["rightsholder", "third-party"]
# Which interactions user data comes from (template 2.4.a versus 2.4.b).
UserDataFrom = Literal["model", "other-services"]
# AB 2013 (a)(5): the rights protecting the data, or that it is entirely public domain.
IpProtection = Literal["copyright", "trademark", "patent", "public-domain"]
ConsumerInfo = Literal["yes", "no", "unknown"]

SUPPLIERS: tuple[str, ...] = get_args(Supplier)
USER_DATA_FROM: tuple[str, ...] = get_args(UserDataFrom)
IP_PROTECTIONS: tuple[str, ...] = get_args(IpProtection)

# The template's optional comment fields, by the ids REGULATIONS.md gives them.
COMMENT_FIELDS: tuple[str, ...] = (
    "1.3.g",
    "2.1.e",
    "2.2.2.e",
    "2.3.i",
    "2.4.e",
    "2.5.e",
    "2.6.c",
    "3.1.c",
    "3.3.a",
)
