"""W3C PROV documents of a lineage graph: PROV-JSON, PROV-N, PROV-XML and PROV-O (Turtle).

The document is built once with the `prov` package and serialised by it; how
records, facts and relations are written is fixed in `lineage.prov_vocabulary`.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import Any

import networkx as nx
from prov.constants import PROV, PROV_LABEL, PROV_ROLE, PROV_TYPE, XSD_DATE, XSD_DATETIME
from prov.model import Literal, ProvDocument

from lineage.errors import InvalidRecord
from lineage.prov_vocabulary import (
    AGENT_TYPES,
    ATTR,
    DATE_COLUMNS,
    ENTITY_TYPES,
    JSON_VALUED,
    KIND_NAMESPACES,
    LINEAGE,
    PROV_TERMS_OF_KIND,
    RDF,
    RDF_JSON,
    RELATIONS,
    encode_local,
    identifier,
)
from lineage.store.tables import FACT_COLUMNS
from lineage.validation import canonical_json, parse_time
from lineage.vocabulary import Relation

Attributes = list[tuple[Any, Any]]


def _value(value: Any) -> Any:
    """An attribute value as PROV holds it: JSON scalars as they are, the rest as rdf:JSON."""
    if isinstance(value, bool | int | float | str):
        return value
    return Literal(canonical_json(value), RDF_JSON)


def _fact_attributes(facts: dict[str, Any]) -> Attributes:
    out: Attributes = []
    # Facts PROV has terms of its own for are written as those terms (see prov_document).
    as_terms = PROV_TERMS_OF_KIND.get(facts["kind"], frozenset())
    for column in FACT_COLUMNS:
        value = facts.get(column)
        if value is None or column in as_terms:
            continue
        if column == "attrs":
            for key, item in sorted(value.items()):
                out.append((ATTR[encode_local(key)], _value(item)))
        elif column in JSON_VALUED:
            out.append((LINEAGE[column], Literal(canonical_json(value), RDF_JSON)))
        elif column in DATE_COLUMNS:
            out.append((LINEAGE[column], Literal(value, XSD_DATE)))
        else:
            out.append((LINEAGE[column], value))
    return out


def _time(value: str | None) -> datetime | None:
    return parse_time(value) if value else None


def prov_document(graph: nx.DiGraph[str]) -> ProvDocument:
    """The lineage graph (as `Store.export_graph` returns it) as a PROV document.

    Example:
        document = prov_document(store.export_graph("support-assistant-v1"))
        print(document.get_provn())
    """
    document = ProvDocument()
    for namespace in (LINEAGE, ATTR, RDF, *KIND_NAMESPACES.values()):
        document.add_namespace(namespace)
    for _, data in sorted(graph.nodes(data=True)):
        kind, name = data["kind"], data["name"]
        attributes: Attributes = [(PROV_LABEL, name)]
        if kind in ENTITY_TYPES:
            attributes.append((PROV_TYPE, ENTITY_TYPES[kind]))
        elif kind == "agent" and data.get("agent_type") in AGENT_TYPES:
            attributes.append((PROV_TYPE, AGENT_TYPES[data["agent_type"]]))
        attributes.extend(_fact_attributes(data))
        if data.get("effective"):
            # A date, or for a dataset version the time of its write.
            kind_of = XSD_DATETIME if "T" in str(data["effective"]) else XSD_DATE
            attributes.append((LINEAGE["effective"], Literal(data["effective"], kind_of)))
        attributes.append((LINEAGE["version"], data["version"]))
        attributes.append((LINEAGE["seal"], data["seal"]))
        key = identifier(kind, name)
        if kind == "activity":
            document.activity(key, _time(data.get("started")), _time(data.get("ended")), attributes)
        elif kind == "agent":
            document.agent(key, attributes)
        else:
            document.entity(key, attributes)
    for subject, obj, data in sorted(graph.edges(data=True), key=_edge_order):
        terms = RELATIONS[data["relation"]]
        role = data.get("role")
        extra: list[Any] = [(PROV_ROLE, role)] if role is not None else []
        if data["relation"] == Relation.WAS_REVISION_OF.value:
            extra.append((PROV_TYPE, PROV["Revision"]))
        s, o = graph.nodes[subject], graph.nodes[obj]
        document.new_record(
            terms.record_type,
            None,
            {
                terms.subject: identifier(s["kind"], s["name"]),
                terms.object: identifier(o["kind"], o["name"]),
            },
            extra,
        )
    return document


def _edge_order(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str]:
    return (edge[2]["relation"], edge[0], edge[1])


def _serialise(graph: nx.DiGraph[str], format_: str, what: str, **options: Any) -> bytes:
    document = prov_document(graph)
    try:
        with warnings.catch_warnings():
            # rdflib 7.5+ warns about an API that prov's RDF writer still calls.
            warnings.simplefilter("ignore", DeprecationWarning)
            text = document.serialize(format=format_, **options)
    except ValueError as error:
        # lxml refuses control characters, which XML 1.0 cannot hold.
        raise InvalidRecord(f"cannot write {what}: {error}") from None
    assert text is not None
    return text.encode("utf-8")


def prov_json(graph: nx.DiGraph[str]) -> bytes:
    """PROV-JSON (https://www.w3.org/submissions/prov-json/)."""
    return _serialise(graph, "json", "PROV-JSON", indent=2, ensure_ascii=False)


def prov_n(graph: nx.DiGraph[str]) -> bytes:
    """PROV-N, the human-readable notation (https://www.w3.org/TR/prov-n/)."""
    return _serialise(graph, "provn", "PROV-N")


def prov_xml(graph: nx.DiGraph[str]) -> bytes:
    """PROV-XML (https://www.w3.org/TR/prov-xml/)."""
    return _serialise(graph, "xml", "PROV-XML")


def prov_o(graph: nx.DiGraph[str]) -> bytes:
    """PROV-O as Turtle (https://www.w3.org/TR/prov-o/)."""
    return _serialise(graph, "rdf", "PROV-O", rdf_format="turtle")
