"""How the lineage graph is written in W3C PROV: namespaces, types, attributes, relations.

Shared by the PROV export (`lineage.exports.prov`) and the PROV-JSON reader
(`lineage.ingest.prov`), so that what one writes the other reads back exactly.

- A record is identified as `KIND:NAME` in a namespace of its own kind
  (`source:`, `dataset:`, ...; the name percent-encoded so that every PROV
  serialisation can carry it), labelled with its name (`prov:label`).
- Its kind is its `prov:type`: `lineage:Source`, `lineage:Dataset`,
  `lineage:Model`, `lineage:Attestation`, `lineage:Revocation`,
  `lineage:Verification` (the last three are statements about the records
  they derive from); agents are `prov:Person`,
  `prov:Organization` or `prov:SoftwareAgent`.
- Every fact column is an attribute `lineage:COLUMN` (dates typed `xsd:date`,
  lists and mappings as `rdf:JSON` literals); a run's start and end are
  `prov:startTime` and `prov:endTime`; each key of `attrs` is an attribute in
  the `attr:` namespace; `lineage:effective`, `lineage:version` and
  `lineage:seal` say when the facts took effect and which ledger row holds them.
- Relations are the PROV relations of the same name; a role is `prov:role`.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, unquote

from prov.constants import (
    PROV,
    PROV_ASSOCIATION,
    PROV_ATTR_ACTIVITY,
    PROV_ATTR_AGENT,
    PROV_ATTR_DELEGATE,
    PROV_ATTR_ENTITY,
    PROV_ATTR_GENERAL_ENTITY,
    PROV_ATTR_GENERATED_ENTITY,
    PROV_ATTR_INFORMANT,
    PROV_ATTR_INFORMED,
    PROV_ATTR_RESPONSIBLE,
    PROV_ATTR_SPECIFIC_ENTITY,
    PROV_ATTR_USED_ENTITY,
    PROV_ATTRIBUTION,
    PROV_COMMUNICATION,
    PROV_DELEGATION,
    PROV_DERIVATION,
    PROV_GENERATION,
    PROV_INVALIDATION,
    PROV_SPECIALIZATION,
    PROV_USAGE,
)
from prov.identifier import Namespace, QualifiedName

from lineage.store.tables import JSON_COLUMNS
from lineage.vocabulary import Kind, Relation

# Our terms are not dereferenceable web pages: URNs say so honestly.
LINEAGE: Final = Namespace("lineage", "urn:lineage:ns#")
ATTR: Final = Namespace("attr", "urn:lineage:attr:")
RDF: Final = Namespace("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDF_JSON: Final = RDF["JSON"]
KIND_NAMESPACES: Final = {
    kind.value: Namespace(kind.value, f"urn:lineage:{kind.value}:") for kind in Kind
}
KIND_OF_NAMESPACE: Final = {ns.uri: kind for kind, ns in KIND_NAMESPACES.items()}

# The prov:type of each kind of entity, and of each type of agent.
ENTITY_TYPES: Final = {
    "source": LINEAGE["Source"],
    "dataset": LINEAGE["Dataset"],
    "model": LINEAGE["Model"],
    "attestation": LINEAGE["Attestation"],
    "revocation": LINEAGE["Revocation"],
    "verification": LINEAGE["Verification"],
    "claim": LINEAGE["LicenceClaim"],
    "evaluation": LINEAGE["Evaluation"],
}
KIND_OF_TYPE: Final = {qname: kind for kind, qname in ENTITY_TYPES.items()}
AGENT_TYPES: Final = {
    "person": PROV["Person"],
    "organization": PROV["Organization"],
    "software": PROV["SoftwareAgent"],
}
AGENT_TYPE_OF: Final = {qname: agent_type for agent_type, qname in AGENT_TYPES.items()}

# Fact columns written as PROV's own terms (or as prov:type) rather than lineage:COLUMN:
# a run's times, an agent's type. Other kinds (a `lineage verify` record) keep theirs.
PROV_TERMS_OF_KIND: Final = {
    "activity": frozenset({"started", "ended"}),
    "agent": frozenset({"agent_type"}),
}
DATE_COLUMNS: Final = frozenset({"collected_start", "collected_end", "first_used", "expires"})
JSON_VALUED: Final = JSON_COLUMNS - {"attrs"}
# Written for reference (which row of the ledger holds the facts); the store that
# reads a document back assigns its own.
METADATA: Final = frozenset({"version", "seal"})


class RelationTerms:
    """A store relation as a PROV relation: its record type and the two formal attributes
    that name the dependent record (subject) and what it depends on (object)."""

    def __init__(
        self, record_type: QualifiedName, subject: QualifiedName, object_: QualifiedName
    ) -> None:
        self.record_type = record_type
        self.subject = subject
        self.object = object_


RELATIONS: Final = {
    Relation.USED.value: RelationTerms(PROV_USAGE, PROV_ATTR_ACTIVITY, PROV_ATTR_ENTITY),
    Relation.WAS_GENERATED_BY.value: RelationTerms(
        PROV_GENERATION, PROV_ATTR_ENTITY, PROV_ATTR_ACTIVITY
    ),
    Relation.WAS_DERIVED_FROM.value: RelationTerms(
        PROV_DERIVATION, PROV_ATTR_GENERATED_ENTITY, PROV_ATTR_USED_ENTITY
    ),
    Relation.WAS_ATTRIBUTED_TO.value: RelationTerms(
        PROV_ATTRIBUTION, PROV_ATTR_ENTITY, PROV_ATTR_AGENT
    ),
    Relation.WAS_ASSOCIATED_WITH.value: RelationTerms(
        PROV_ASSOCIATION, PROV_ATTR_ACTIVITY, PROV_ATTR_AGENT
    ),
    Relation.ACTED_ON_BEHALF_OF.value: RelationTerms(
        PROV_DELEGATION, PROV_ATTR_DELEGATE, PROV_ATTR_RESPONSIBLE
    ),
    Relation.WAS_INFORMED_BY.value: RelationTerms(
        PROV_COMMUNICATION, PROV_ATTR_INFORMED, PROV_ATTR_INFORMANT
    ),
    # Dataset versions (lineage.store.versions). A revision is a derivation typed
    # prov:Revision (PROV-DM 5.2.2), told apart from other derivations by that type.
    Relation.WAS_REVISION_OF.value: RelationTerms(
        PROV_DERIVATION, PROV_ATTR_GENERATED_ENTITY, PROV_ATTR_USED_ENTITY
    ),
    Relation.SPECIALIZATION_OF.value: RelationTerms(
        PROV_SPECIALIZATION, PROV_ATTR_SPECIFIC_ENTITY, PROV_ATTR_GENERAL_ENTITY
    ),
    Relation.WAS_INVALIDATED_BY.value: RelationTerms(
        PROV_INVALIDATION, PROV_ATTR_ENTITY, PROV_ATTR_ACTIVITY
    ),
}
RELATION_OF_TYPE: Final = {
    terms.record_type: relation
    for relation, terms in RELATIONS.items()
    if relation != Relation.WAS_REVISION_OF.value
}


def encode_local(text: str) -> str:
    """A name as the local part of a qualified name that PROV-N, PROV-XML and RDF all accept.

    Everything but letters, digits and `_~` is percent-encoded, and so are a leading
    `-` or `.` and a trailing `.` (PROV-N's PN_LOCAL forbids them there).
    """
    local = quote(text, safe="_~")
    if local[:1] in ("-", "."):
        local = f"%{ord(local[0]):02X}{local[1:]}"
    if local.endswith("."):
        local = f"{local[:-1]}%2E"
    return local


def decode_local(local: str) -> str:
    """The name behind a local part written by `encode_local`."""
    return unquote(local)


def identifier(kind: str, name: str) -> QualifiedName:
    """The qualified name of record `kind:name`."""
    return KIND_NAMESPACES[kind][encode_local(name)]
