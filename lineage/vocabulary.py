"""The words of the lineage graph: W3C PROV kinds and relations, paper-trail enumerations."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a node is. Sources, datasets and models are PROV entities."""

    SOURCE = "source"
    DATASET = "dataset"
    MODEL = "model"
    ACTIVITY = "activity"
    AGENT = "agent"
    ATTESTATION = "attestation"  # a person's sign-off on a model or dataset


ENTITY_KINDS = frozenset({Kind.SOURCE, Kind.DATASET, Kind.MODEL})


class Relation(StrEnum):
    """PROV relations. An edge points from the dependent record to what it depends on."""

    USED = "used"  # activity -> entity
    WAS_GENERATED_BY = "was_generated_by"  # entity -> activity
    WAS_DERIVED_FROM = "was_derived_from"  # entity -> entity
    WAS_ATTRIBUTED_TO = "was_attributed_to"  # entity -> agent
    WAS_ASSOCIATED_WITH = "was_associated_with"  # activity -> agent
    ACTED_ON_BEHALF_OF = "acted_on_behalf_of"  # agent -> agent


# How a source was obtained (EU AI Act template categories, AB 2013 item 6).
OBTAINED = ("public", "licensed", "purchased", "crawled", "user", "synthetic", "other")
PERSONAL_DATA = ("yes", "no", "unknown")
OPT_OUTS = ("honoured", "not-honoured", "unknown")
AGENT_TYPES = ("person", "organization", "software")
MODALITIES = ("text", "image", "audio", "video", "code", "other")
INTENDED_USES = ("commercial", "non-commercial", "research", "internal")
DECISIONS = ("approved", "conditional", "rejected", "revoked")
# Approval tiers of the conditional-approval rules (see REGULATIONS.md).
TIERS = (
    "general-commercial",
    "federal-administrative",
    "critical-infrastructure",
    "national-security",
)
RUN_STATUSES = ("completed", "failed", "running")
RESTRICTIONS = (
    "non-commercial",
    "no-derivatives",
    "share-alike",
    "research-only",
    "no-competing-models",
)
