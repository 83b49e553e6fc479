"""How each kind of record and relation looks: W3C PROV's drawing conventions, plus our kinds.

PROV's diagrams (https://www.w3.org/TR/prov-o/#starting-points-figure) draw entities
as yellow ellipses, activities as blue rectangles and agents as orange houses, with
edges labelled by the PROV relation and pointing from the later record to the earlier
one. We keep all of that, and tell the three kinds of entity apart by fill colour and
a short type label, so that someone who knows PROV reads the diagram at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class KindStyle:
    """The look of one kind of record, in Graphviz and Mermaid terms."""

    shape: str  # Graphviz node shape
    fill: str
    border: str
    type_label: str  # the short label shown above the name
    legend: str  # what the legend says about it
    mermaid_open: str  # Mermaid shape delimiters around the quoted label
    mermaid_close: str


# PROV's yellow for sources (entities from outside), then green and pink entities
# for what we produced; the fills are light so black text stays readable, and the
# kinds differ in shape too, so the diagram survives colour blindness and greyscale.
KIND_STYLES: Final[dict[str, KindStyle]] = {
    "source": KindStyle(
        "ellipse", "#FFFC87", "#8A8500", "source", "source (entity from outside)", '(["', '"])'
    ),
    "dataset": KindStyle(
        "ellipse", "#C9EFC0", "#3E7D32", "dataset", "dataset (entity we produced)", '(["', '"])'
    ),
    "model": KindStyle(
        "ellipse", "#F6C9E4", "#9C2A73", "model", "model (entity: a checkpoint)", '(["', '"])'
    ),
    "activity": KindStyle("box", "#9FB1FC", "#2B3F9E", "activity", "activity (a run)", '["', '"]'),
    "agent": KindStyle(
        "house",
        "#FED37F",
        "#A66A00",
        "agent",
        "agent (person, organisation, software)",
        '[/"',
        '"\\]',
    ),
    # A measured result of a model on test data: an entity, drawn off the model.
    "evaluation": KindStyle(
        "ellipse",
        "#CDEBF7",
        "#1F6F99",
        "evaluation",
        "evaluation (entity: a measured result)",
        '(["',
        '"])',
    ),
    # PROV draws annotations as notes; an attestation is a sign-off about an entity.
    "attestation": KindStyle(
        "note", "#F2F2F2", "#5F5F5F", "attestation", "attestation (a sign-off)", '>"', '"]'
    ),
}

UNKNOWN_KIND: Final = KindStyle("ellipse", "#FFFFFF", "#777777", "record", "record", '(["', '"])')

# Nodes that stand for the records left out by --max-nodes.
MORE_STYLE: Final = KindStyle(
    "plaintext", "#FFFFFF", "#777777", "more", "more records, not drawn", '{{"', '"}}'
)


def style_of(kind: str) -> KindStyle:
    """The style of `kind`; kinds added later get a plain ellipse rather than an error."""
    return KIND_STYLES.get(kind, UNKNOWN_KIND)


# PROV-N names of the relations (https://www.w3.org/TR/prov-n/), as PROV diagrams label them.
RELATION_LABELS: Final[dict[str, str]] = {
    "used": "used",
    "was_generated_by": "wasGeneratedBy",
    "was_derived_from": "wasDerivedFrom",
    "was_attributed_to": "wasAttributedTo",
    "was_associated_with": "wasAssociatedWith",
    "acted_on_behalf_of": "actedOnBehalfOf",
    "was_informed_by": "wasInformedBy",
    "was_revision_of": "wasRevisionOf",
    "specialization_of": "specializationOf",
    "was_invalidated_by": "wasInvalidatedBy",
    # `used` with a role (prov:role) that carries no content: drawn apart from the data flow.
    "used:reference": "used (reference)",
    "used:excluded": "used (excluded: removed)",
}

# Responsibility and derivation shortcuts are drawn lighter than the data flow
# (used / wasGeneratedBy), which is what the eye should follow left to right.
SECONDARY_RELATIONS: Final = frozenset(
    {
        "was_derived_from",
        "was_attributed_to",
        "was_associated_with",
        "acted_on_behalf_of",
        "was_informed_by",
        "used:reference",
        "used:excluded",
    }
)


def relation_label(relation: str) -> str:
    """The PROV-N name of `relation` (an unknown relation keeps its own name)."""
    return RELATION_LABELS.get(relation, relation)


FONT: Final = "Helvetica,Arial,sans-serif"
TEXT: Final = "#1A1A1A"
MUTED: Final = "#5A5A5A"
EDGE: Final = "#4D4D4D"
EDGE_SECONDARY: Final = "#9A9A9A"
ERROR: Final = "#C62828"
WARNING: Final = "#E08A00"
HIGHLIGHT: Final = "#6A1B9A"  # purple: apart from error red and warning orange
ROOT_BORDER: Final = "#000000"
