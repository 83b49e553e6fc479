"""W3C PROV-JSON documents in: entities, activities, agents and relations onto the store.

The document is parsed and checked by the `prov` package, then mapped:

- entities become sources, datasets, models, attestations, revocations or
  verifications: by their
  namespace or `prov:type` when lineage wrote them, otherwise a dataset when
  something generated it or it was derived from something, else a source;
- activities become runs (the operation is `lineage:operation`, else the first
  `prov:type`, else the run's name); agents become agents (person,
  organization or software by `prov:type`; person when it names none);
- used, wasGeneratedBy, wasDerivedFrom (and its quotation and primary-source
  subtypes), wasAttributedTo, wasAssociatedWith, actedOnBehalfOf and
  wasInformedBy become relations, with their `prov:role`; so do wasRevisionOf
  (a derivation typed prov:Revision: `was_revision_of`), specializationOf and
  wasInvalidatedBy, which dataset versions use (lineage.store.versions);
- attributes that are not lineage's own are kept in `attrs` under their
  prefixed name, in their PROV-JSON value form (`{"$": ..., "type": ...}` for
  typed values; a list when an attribute has several values); a foreign
  record's full IRI is kept as `attrs["@id"]`;
- what the store has no relation for (wasStartedBy, wasEndedBy,
  wasInfluencedBy, alternateOf, mentionOf, hadMember), and the parts of a
  relation an edge cannot hold (its identifier, time, other attributes,
  optional arguments such as a plan), are kept whole
  in the `attrs` of the record the relation starts from, under
  `prov:KEYWORD`, as a list of the relations' PROV-JSON bodies;
- a referenced element that is not declared is inferred from its place in the
  relation (PROV-CONSTRAINTS' typing), as an entity, activity or agent.

Bundles are refused with a clear error: the store holds one graph, and a bundle
is provenance about provenance. Invalid documents are refused naming the
record and field, and nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import networkx as nx
import prov
from prov.constants import (
    PROV,
    PROV_ATTR_ENDTIME,
    PROV_ATTR_STARTTIME,
    PROV_LABEL,
    PROV_N_MAP,
    PROV_RECORD_IDS_MAP,
    PROV_ROLE,
    PROV_TYPE,
)
from prov.identifier import QualifiedName
from prov.model import (
    Literal,
    ProvActivity,
    ProvAgent,
    ProvDocument,
    ProvElement,
    ProvRecord,
    ProvRelation,
    ProvWarning,
)
from prov.serializers.provjson import decode_json_document, encode_json_representation
from pydantic import model_validator

from lineage.errors import InvalidRecord, ManifestError
from lineage.ingest.manifest import SECTIONS
from lineage.prov_vocabulary import (
    AGENT_TYPE_OF,
    ATTR,
    DATE_COLUMNS,
    ENTITY_TYPES,
    JSON_VALUED,
    KIND_OF_NAMESPACE,
    KIND_OF_TYPE,
    LINEAGE,
    METADATA,
    PROV_TERMS_OF_KIND,
    RDF_JSON,
    RELATION_OF_TYPE,
    RELATIONS,
    decode_local,
)
from lineage.store.pending import PendingEdge, PendingNode, Sink
from lineage.store.tables import FACT_COLUMNS
from lineage.validation import (
    INPUT_OF_KIND,
    MAX_DEPTH,
    AttestationInput,
    RunInput,
    canonical_json,
    parse_time,
    utc_text,
    validate_input,
)
from lineage.vocabulary import Relation

# Names -> the kinds of record the store holds under each of them.
Recorded = Callable[[list[str]], dict[str, set[str]]]

PROV_JSON_KEYS = frozenset(PROV_RECORD_IDS_MAP) | {"prefix"}

# Which kind of element each end of a relation is (PROV-CONSTRAINTS' typing).
_ENDS = {
    Relation.USED.value: ("activity", "entity"),
    Relation.WAS_GENERATED_BY.value: ("entity", "activity"),
    Relation.WAS_DERIVED_FROM.value: ("entity", "entity"),
    Relation.WAS_ATTRIBUTED_TO.value: ("entity", "agent"),
    Relation.WAS_ASSOCIATED_WITH.value: ("activity", "agent"),
    Relation.ACTED_ON_BEHALF_OF.value: ("agent", "agent"),
    Relation.WAS_INFORMED_BY.value: ("activity", "activity"),
    Relation.WAS_REVISION_OF.value: ("entity", "entity"),
    Relation.SPECIALIZATION_OF.value: ("entity", "entity"),
    Relation.WAS_INVALIDATED_BY.value: ("entity", "activity"),
}
_VERSION_RELATIONS = frozenset(
    {
        Relation.WAS_REVISION_OF.value,
        Relation.SPECIALIZATION_OF.value,
        Relation.WAS_INVALIDATED_BY.value,
    }
)
# What the first two arguments of each relation are (None: any kind of element);
# a relation kept as attributes is kept on its first argument, or on its second
# when a lenient document left the first out.
_ARGUMENTS: dict[str, tuple[str | None, str | None]] = {
    "used": ("activity", "entity"),
    "wasGeneratedBy": ("entity", "activity"),
    "wasInformedBy": ("activity", "activity"),
    "wasStartedBy": ("activity", "entity"),
    "wasEndedBy": ("activity", "entity"),
    "wasInvalidatedBy": ("entity", "activity"),
    "wasDerivedFrom": ("entity", "entity"),
    "wasAttributedTo": ("entity", "agent"),
    "wasAssociatedWith": ("activity", "agent"),
    "actedOnBehalfOf": ("agent", "agent"),
    "wasInfluencedBy": (None, None),
    "specializationOf": ("entity", "entity"),
    "alternateOf": ("entity", "entity"),
    "mentionOf": ("entity", "entity"),
    "hadMember": ("entity", "entity"),
}
_BASE_OF = {ProvActivity: "activity", ProvAgent: "agent"}


def is_prov_json(data: Any) -> bool:
    """Whether parsed content is a PROV-JSON document rather than a manifest: a mapping
    with PROV-JSON keys (`prefix`, `entity`, `wasGeneratedBy`, ...) and no manifest section."""
    if not isinstance(data, dict) or any(key in SECTIONS for key in data):
        return False
    return any(key in PROV_JSON_KEYS for key in data)


def read_prov_json(data: Any, path: str) -> ProvDocument:
    """Parse PROV-JSON content with the `prov` package; warnings count as errors.

    Raises ManifestError naming the file and what `prov` found wrong.
    """
    document = ProvDocument()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            decode_json_document(data, document)
        except prov.Error as error:
            raise ManifestError(f"{path}: not valid PROV-JSON: {error}") from None
    for warning in caught:
        if issubclass(warning.category, ProvWarning):
            raise ManifestError(f"{path}: not valid PROV-JSON: {warning.message}")
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    bundles = list(document.bundles)
    if bundles:
        raise ManifestError(
            f"{path}: bundle {str(bundles[0].identifier)!r}: PROV bundles cannot be ingested "
            "(the store holds one graph); ingest each bundle's records as a document of its own"
        )
    return document


def _loads(text: str, where: str) -> Any:
    """`json.loads`, but JSON nested past the parser's stack is InvalidRecord naming
    `where` (a RecursionError traceback before, issue 18); ValueError when not JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidRecord(
            f"{where}: lists and mappings nested more than {MAX_DEPTH} levels deep"
        ) from None


def json_value(value: Any, where: str) -> Any:
    """An attribute value in the form `attrs` keeps: JSON scalars as they are, rdf:JSON
    literals parsed, anything else in its PROV-JSON form."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Literal) and value.datatype == RDF_JSON:
        with contextlib.suppress(ValueError):  # not JSON after all: kept as it was written
            return _loads(value.value, where)
    return encode_json_representation(value, str)


@dataclass
class _Element:
    base: str  # entity, activity or agent
    qname: QualifiedName
    where: str
    attributes: list[tuple[QualifiedName, Any]] = field(default_factory=list)
    kept: dict[str, list[Any]] = field(default_factory=dict)  # relations kept as attrs
    declared: bool = False  # False: only named by relations
    kind: str = ""
    name: str = ""


class _ActivityInput(RunInput):
    """A run read from PROV: an activity need not have used or generated anything."""

    inputs: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _times_in_order(self) -> _ActivityInput:
        if self.started and self.ended and self.ended < self.started:
            raise ValueError(f"the run ends ({self.ended}) before it starts ({self.started})")
        return self


@dataclass
class _Edge:
    subject: _Element
    object: _Element
    relation: str
    role: str | None
    where: str
    record: ProvRelation
    kept: bool = False  # its PROV-JSON body is also kept on the subject


class _Mapping:
    """One document's elements and relations, on their way to records and relations."""

    def __init__(self, documents: list[tuple[ProvDocument, str]]) -> None:
        self.path = ""
        self.elements: dict[tuple[str, QualifiedName], _Element] = {}
        self.edges: list[_Edge] = []
        relations: list[tuple[ProvRelation, str]] = []
        # Elements first, from every document: a relation may name one declared later.
        for document, path in documents:
            self.path = path
            for record in document.get_records():
                if isinstance(record, ProvElement):
                    base = _BASE_OF.get(type(record), "entity")
                    element = self.element(base, record.identifier)
                    element.declared = True
                    element.attributes.extend(
                        pair for pair in record.attributes if pair not in element.attributes
                    )
                elif isinstance(record, ProvRelation):
                    relations.append((record, path))
        for relation, path in relations:
            self.path = path
            self.relation(relation)
        self.one_relation_per_pair()

    def one_relation_per_pair(self) -> None:
        """Keep in attrs, rather than as edges, the version relations (wasRevisionOf,
        specializationOf, wasInvalidatedBy) between two records that another relation
        already joins: an export holds one relation per pair, so a second would not come
        back from it."""
        pairs: dict[tuple[int, int], list[_Edge]] = {}
        for edge in self.edges:
            pairs.setdefault((id(edge.subject), id(edge.object)), []).append(edge)
        for edges in pairs.values():
            if len(edges) < 2:
                continue
            extra = [e for e in edges if e.relation in _VERSION_RELATIONS]
            for edge in extra[: len(extra) - (len(extra) == len(edges))]:
                if not edge.kept:
                    self._keep(edge.subject, PROV_N_MAP[edge.record.get_type()], edge.record)
                self.edges.remove(edge)

    def element(self, base: str, qname: Any) -> _Element:
        assert isinstance(qname, QualifiedName)
        key = (base, qname)
        found = self.elements.get(key)
        if found is None:
            found = _Element(base, qname, f"{self.path}: {base} {str(qname)!r}")
            self.elements[key] = found
        return found

    def any_element(self, qname: QualifiedName, default: str) -> _Element:
        for base in ("entity", "activity", "agent"):
            if (base, qname) in self.elements:
                return self.elements[(base, qname)]
        return self.element(default, qname)

    def relation(self, record: ProvRelation) -> None:
        keyword = PROV_N_MAP[record.get_type()]
        relation = RELATION_OF_TYPE.get(record.get_type())
        formal = record.formal_attributes
        revision = relation == Relation.WAS_DERIVED_FROM.value and PROV["Revision"] in set(
            record.get_attribute(PROV_TYPE)
        )
        if revision:
            relation = Relation.WAS_REVISION_OF.value
        if relation is not None:
            terms = RELATIONS[relation]
            given = dict(formal)
            subject, obj = given.get(terms.subject), given.get(terms.object)
            if subject is not None and obj is not None:
                ends = _ENDS[relation]
                roles = record.get_attribute(PROV_ROLE)
                role = _role_text(next(iter(roles))) if len(roles) == 1 else None
                from_ = self.element(ends[0], subject)
                to = self.element(ends[1], obj)
                where = f"{self.path}: {keyword} {_label(record)}"
                edge = _Edge(from_, to, relation, role, where, record)
                self.edges.append(edge)
                plain = {terms.subject, terms.object} | ({PROV_ROLE} if role else set())
                if revision and len(record.get_attribute(PROV_TYPE)) == 1:
                    plain.add(PROV_TYPE)
                if record.identifier is None and all(
                    attr in plain or value is None for attr, value in _all_attributes(record)
                ):
                    return
                self._keep(from_, keyword, record)
                edge.kept = True
                return
        for (_, value), base in zip(formal[:2], _ARGUMENTS[keyword], strict=True):
            if isinstance(value, QualifiedName):
                holder = self.element(base, value) if base else self.any_element(value, "entity")
                self._keep(holder, keyword, record)
                return
        raise InvalidRecord(f"{self.path}: {keyword} {_label(record)}: it names no element")

    def _keep(self, element: _Element, keyword: str, record: ProvRecord) -> None:
        values: dict[str, list[Any]] = {}
        for attr, value in _all_attributes(record):
            if value is None:
                continue
            if attr in record.FORMAL_ATTRIBUTES and isinstance(value, QualifiedName):
                encoded: Any = str(value)
            elif attr in record.FORMAL_ATTRIBUTES and isinstance(value, datetime):
                encoded = utc_text(value)
            else:
                encoded = json_value(value, element.where)
            values.setdefault(str(attr), []).append(encoded)
        body: dict[str, Any] = {"@id": str(record.identifier)} if record.identifier else {}
        body.update((k, v[0] if len(v) == 1 else v) for k, v in values.items())
        element.kept.setdefault(f"prov:{keyword}", []).append(body)

    # -- records ----------------------------------------------------------------------
    def name_elements(self) -> None:
        generated = {
            e.subject.qname
            for e in self.edges
            if e.relation in (Relation.WAS_GENERATED_BY.value, Relation.WAS_DERIVED_FROM.value)
        }
        for element in self.elements.values():
            namespace_kind = KIND_OF_NAMESPACE.get(element.qname.namespace.uri)
            if namespace_kind is not None:
                element.name = decode_local(element.qname.localpart)
            else:
                element.name = str(element.qname)
            if element.base != "entity":
                element.kind = element.base
                if namespace_kind not in (None, element.base):
                    raise InvalidRecord(f"{element.where}: {_namespaced(namespace_kind)}")
                continue
            typed = [
                KIND_OF_TYPE[term]
                for a, v in element.attributes
                if a == PROV_TYPE and (term := _type_term(v)) in KIND_OF_TYPE
            ]
            if namespace_kind is not None and namespace_kind not in ENTITY_TYPES:
                raise InvalidRecord(f"{element.where}: {_namespaced(namespace_kind)}")
            if namespace_kind is not None:
                element.kind = namespace_kind
            elif typed:
                element.kind = typed[0]
            else:
                element.kind = "dataset" if element.qname in generated else "source"

    def add_to(self, sink: Sink, recorded: Recorded | None) -> None:
        self.name_elements()
        known = recorded([e.name for e in self.elements.values()]) if recorded else {}
        references = {
            id(e)
            for e in self.elements.values()
            if self._already_recorded(e, known.get(e.name, set()))
        }
        self._keep_cycles_as_attributes(references)
        for element in self.elements.values():
            if id(element) in references:
                continue
            facts, effective = self.facts(element)
            sink.add_node(
                PendingNode(element.kind, element.name, facts, element.where, effective=effective)
            )
        for edge in self.edges:
            sink.add_edge(
                PendingEdge(
                    (edge.subject.kind, edge.subject.name),
                    (edge.object.kind, edge.object.name),
                    edge.relation,
                    edge.where,
                    role=edge.role,
                )
            )

    def _keep_cycles_as_attributes(self, references: set[int]) -> None:
        """Keep a relation that would close a cycle in the attributes of its subject.

        PROV allows cycles (an activity that generates what it used, an agent acting
        on its own behalf); the store's graph is acyclic. Relations are taken in the
        document's order, and one that closes a cycle is kept like a relation the
        store has no edge for. A cycle through an already recorded record is left
        to the store, which refuses it.
        """
        whole: nx.DiGraph[tuple[str, str]] = nx.DiGraph()
        whole.add_edges_from(
            ((e.subject.kind, e.subject.name), (e.object.kind, e.object.name)) for e in self.edges
        )
        if nx.is_directed_acyclic_graph(whole):
            return  # the usual case, settled in linear time
        graph: nx.DiGraph[tuple[str, str]] = nx.DiGraph()
        edges: list[_Edge] = []
        for edge in self.edges:
            subject = (edge.subject.kind, edge.subject.name)
            obj = (edge.object.kind, edge.object.name)
            closes = subject == obj or (
                subject in graph and obj in graph and nx.has_path(graph, obj, subject)
            )
            if closes and id(edge.subject) not in references:
                if not edge.kept:
                    self._keep(edge.subject, PROV_N_MAP[edge.record.get_type()], edge.record)
                continue
            graph.add_edge(subject, obj)
            edges.append(edge)
        self.edges = edges

    @staticmethod
    def _already_recorded(element: _Element, kinds: set[str]) -> bool:
        """Whether an element the document only names (it declares nothing about it)
        is a record the store already holds: then the relations point at that record,
        whatever the document would have guessed its kind to be."""
        if element.declared or element.kept:
            return False
        if element.base != "entity":
            return element.base in kinds
        entity_kinds = sorted(kinds & set(ENTITY_TYPES))
        if len(entity_kinds) != 1:
            return False
        element.kind = entity_kinds[0]
        return True

    def facts(self, element: _Element) -> tuple[dict[str, Any], str | None]:
        """The validated fact columns of an element, and when they took effect."""
        where = element.where
        values: dict[str, Any] = {}
        attrs: dict[str, list[Any]] = {}
        effective: str | None = None
        other_types: list[Any] = []
        own_type = ENTITY_TYPES.get(element.kind)
        for attr, value in element.attributes:
            if attr == PROV_TYPE:
                term = _type_term(value)
                if term is not None and term == own_type:
                    continue
                if element.kind == "agent" and term in AGENT_TYPE_OF and "agent_type" not in values:
                    values["agent_type"] = AGENT_TYPE_OF[term]
                    continue
                other_types.append(value)
            elif attr == PROV_LABEL and str(value) == element.name:
                continue
            elif attr in (PROV_ATTR_STARTTIME, PROV_ATTR_ENDTIME) and element.kind == "activity":
                column = "started" if attr == PROV_ATTR_STARTTIME else "ended"
                _set_once(values, column, utc_text(value), where, str(attr))
            elif attr.namespace.uri == LINEAGE.uri:
                local = attr.localpart
                if local in METADATA:
                    continue
                if local == "effective":
                    if effective is not None:
                        raise InvalidRecord(
                            f"{where}: attribute {str(attr)!r} has more than one value"
                        )
                    effective = _effective_text(value, where, str(attr))
                elif (
                    local in FACT_COLUMNS
                    and local not in PROV_TERMS_OF_KIND.get(element.kind, ())
                    and local != "attrs"
                ):
                    _set_once(
                        values,
                        local,
                        _column_value(local, value, where, str(attr)),
                        where,
                        str(attr),
                    )
                else:
                    raise InvalidRecord(f"{where}: {str(attr)!r} is not an attribute lineage knows")
            elif attr.namespace.uri == ATTR.uri:
                attrs.setdefault(decode_local(attr.localpart), []).append(json_value(value, where))
            else:
                attrs.setdefault(str(attr), []).append(json_value(value, where))
        for value in other_types:
            attrs.setdefault("prov:type", []).append(json_value(value, where))
        # An attribute with several values (PROV allows any number) becomes a list.
        kept: dict[str, Any] = {k: v[0] if len(v) == 1 else v for k, v in attrs.items()}
        if element.qname.namespace.uri not in KIND_OF_NAMESPACE:
            kept["@id"] = element.qname.uri
        kept.update(element.kept)
        if kept:
            values["attrs"] = kept
        return self.validated(element, values), effective

    def validated(self, element: _Element, values: dict[str, Any]) -> dict[str, Any]:
        kind, name, where = element.kind, element.name, element.where
        data: dict[str, Any] = {k: v for k, v in values.items() if k not in _RENAMED}
        if kind == "agent":
            data["type"] = values.get("agent_type", "person")
            if "software_version" in values:
                data["version"] = values["software_version"]
        if kind == "activity":
            data["operation"] = values.get("operation") or _first_type(element) or name
            if "tool" in values:
                version = values.get("tool_version")
                data["tool"] = f"{values['tool']}=={version}" if version else values["tool"]
            model: type[Any] = _ActivityInput
        elif kind == "attestation":
            data["subject"] = self._end(element, Relation.WAS_DERIVED_FROM.value, "its subject")
            data["by"] = self._end(element, Relation.WAS_ATTRIBUTED_TO.value, "who gave it")
            model = AttestationInput
        elif kind in STATEMENT_KINDS:
            # Revocations, licence claims, `lineage verify` results and evaluations (whose
            # pass or fail is derived) are written by lineage itself (claims validated when
            # first recorded), not given as input: their facts come back as they were recorded.
            return {
                k: canonical_json(v) if isinstance(v, dict | list) else v
                for k, v in values.items()
                if v is not None
            }
        else:
            model = INPUT_OF_KIND[kind]
        if "collected_start" in values or "collected_end" in values:
            data["collected"] = {
                "start": values.get("collected_start"),
                "end": values.get("collected_end"),
            }
        record = validate_input(model, {"name": name, **data}, where)
        facts: dict[str, Any] = record.facts()
        if kind == "activity" and "status" not in values and _written_by_lineage(element):
            # A run lineage exported without a status had none (a parent run known
            # only from its children): a foreign run without one defaults to completed.
            facts.pop("status", None)
        return facts

    def _end(self, element: _Element, relation: str, what: str) -> str:
        for edge in self.edges:
            if edge.subject is element and edge.relation == relation:
                return edge.object.name
        raise InvalidRecord(f"{element.where}: an attestation needs a {relation} relation ({what})")


def _written_by_lineage(element: _Element) -> bool:
    return element.qname.namespace.uri in KIND_OF_NAMESPACE


# Kinds whose records lineage writes itself (see `validated`).
STATEMENT_KINDS = frozenset({"revocation", "verification", "claim", "evaluation"})

# Columns given to validation under another name (or not at all).
_RENAMED = frozenset(
    {"agent_type", "software_version", "tool", "tool_version", "collected_start", "collected_end"}
)


# Types written as plain strings ("prov:Person") rather than qualified names, as
# documents often do, are recognised by their conventional prefixed form or their IRI.
_TYPE_TERMS = {
    text: term for term in (*KIND_OF_TYPE, *AGENT_TYPE_OF) for text in (str(term), term.uri)
}


def _type_term(value: Any) -> QualifiedName | None:
    """The lineage kind or agent type a `prov:type` value names, if it names one."""
    if isinstance(value, QualifiedName):
        return value if value in KIND_OF_TYPE or value in AGENT_TYPE_OF else None
    if isinstance(value, str):
        return _TYPE_TERMS.get(value)
    return None


def _namespaced(kind: str) -> str:
    return f"its identifier is in the namespace of lineage's {kind} records"


def _first_type(element: _Element) -> str | None:
    for attr, value in element.attributes:
        if attr == PROV_TYPE and _type_term(value) is None:
            return str(value.value if isinstance(value, Literal) else value)
    return None


def _all_attributes(record: ProvRecord) -> list[tuple[QualifiedName, Any]]:
    return list(record.formal_attributes) + list(record.extra_attributes)


def _label(record: ProvRecord) -> str:
    return repr(str(record.identifier)) if record.identifier else "(no identifier)"


def _role_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, QualifiedName):
        return str(value)
    return None


def _set_once(values: dict[str, Any], column: str, value: Any, where: str, attr: str) -> None:
    if column in values:
        raise InvalidRecord(f"{where}: attribute {attr!r} has more than one value")
    values[column] = value


def _text(value: Any) -> Any:
    return value.value if isinstance(value, Literal) else value


def _date_text(value: Any, where: str, attr: str) -> str:
    value = _text(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidRecord(f"{where}: attribute {attr!r}: {value!r} is not a date") from None


def _effective_text(value: Any, where: str, attr: str) -> str:
    """A record's `effective`: a date, or for a dataset version the time of its write."""
    text = _text(value)
    if isinstance(text, datetime) or (isinstance(text, str) and "T" in text):
        try:
            moment = text if isinstance(text, datetime) else parse_time(text, attr)
        except InvalidRecord:
            raise InvalidRecord(f"{where}: attribute {attr!r}: {text!r} is not a date") from None
        return utc_text(moment)
    return _date_text(value, where, attr)


def _column_value(column: str, value: Any, where: str, attr: str) -> Any:
    if column in JSON_VALUED:
        text = _text(value)
        if not isinstance(text, str):
            return text
        try:
            return _loads(text, f"{where}: attribute {attr!r}")
        except ValueError:
            raise InvalidRecord(f"{where}: attribute {attr!r}: {text!r} is not JSON") from None
    if column in DATE_COLUMNS:
        return _date_text(value, where, attr)
    return _text(value)


def add_prov_json(
    sink: Sink, documents: list[tuple[Any, str]], recorded: Recorded | None = None
) -> None:
    """Validate PROV-JSON contents (each with the path it was read from) and add what
    they record, as one graph: an element several documents describe is one record.

    `recorded` says which kinds of record the store holds under each of some names:
    an element the documents only name in relations, and that the store already
    holds, is then not recorded again but referred to.

    Raises ManifestError or InvalidRecord naming the file, the record and the field;
    nothing is written until the sink commits.
    """
    parsed = [(read_prov_json(data, path), path) for data, path in documents]
    _Mapping(parsed).add_to(sink, recorded)
