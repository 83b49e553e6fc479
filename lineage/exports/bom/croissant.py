"""Croissant 1.0 (or 1.1) with the Responsible-AI vocabulary, of a lineage graph.

Croissant describes datasets: for a dataset or source target, that dataset (its
upstream as PROV provenance and RAI text); for a model target, the model's training
data (one distribution entry per training input). Facts with no Croissant home are
kept per record in a `lineageFacts` JSON value; `lineageGaps` and `lineageLedgerHead`
state the gap list and the ledger head. See README, "Croissant".
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.exports.bom.common import (
    DATA_KINDS,
    Export,
    digest_hex,
    dumps,
    facts_of,
    iri,
    prepare,
    spec_version,
)
from lineage.licences import parse_licence
from lineage.validation import canonical_json
from lineage.vocabulary import EXCLUDED_ROLE, REFERENCE_ROLE

VERSIONS = ("1.0", "1.1")
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "lineageFacts": {"@id": "urn:lineage:vocab#facts", "@type": "@json"},
    "lineageGaps": {"@id": "urn:lineage:vocab#gaps", "@type": "@json"},
    "lineageLedgerHead": "urn:lineage:vocab#ledgerHead",
}
COLLECTION_TYPE = {
    "crawled": "Web Scraping",
    "user": "User-generated content data",
    "licensed": "Secondary Data analysis",
    "purchased": "Secondary Data analysis",
    "public": "Secondary Data analysis",
}
ENCODING = {
    ".jsonl": "application/jsonlines",
    ".json": "application/json",
    ".csv": "text/csv",
    ".parquet": "application/x-parquet",
    ".txt": "text/plain",
}
# Facts with a Croissant home (distribution entry or RAI text).
MAPPED = frozenset(
    {"description", "owner", "uri", "license", "digest", "size_bytes", "path", "copyright"}
    | {"obtained", "collected_start", "collected_end", "personal_data"}
    | {"personal_data_categories", "legal_basis", "known_biases", "limitations"}
)


def licence_values(expression: str | None) -> list[Any]:
    """SPDX list ids as their URLs; the expression itself (and LicenseRef-…) as a CreativeWork."""
    if not expression:
        return []
    keys = sorted(parse_licence(expression).keys)
    values: list[Any] = [
        f"https://spdx.org/licenses/{k}.html" for k in keys if not k.startswith("LicenseRef-")
    ]
    if len(keys) > 1 or any(k.startswith("LicenseRef-") for k in keys):
        values.append({"@type": "sc:CreativeWork", "name": expression})
    return values


def _encoding(location: str) -> str:
    for suffix, mime in ENCODING.items():
        if location.endswith(suffix):
            return mime
    return "application/octet-stream"


def _file(export: Export, key: str, data: dict[str, Any]) -> dict[str, Any]:
    location = data.get("uri") or data.get("path") or data["name"]
    extra = export.unmapped(key, data, MAPPED, "lineageFacts")
    item: dict[str, Any] = {
        "@id": data["name"],
        "name": data["name"],
        "contentUrl": data.get("path") or location,
        "encodingFormat": _encoding(data.get("path") or location),
    }
    hex_ = digest_hex(data.get("digest"))
    if hex_:
        item["@type"] = "cr:FileObject"
        item["sha256"] = hex_
        if data.get("size_bytes") is not None:
            item["contentSize"] = f"{data['size_bytes']} B"
    else:
        item["@type"] = "cr:FileSet"
        item["includes"] = f"{data.get('path') or data['name']}/*"
        item.pop("contentUrl")
    if data.get("description"):
        item["description"] = data["description"]
    if data.get("uri"):
        item["sameAs"] = data["uri"]
    licences = licence_values(data.get("license"))
    if licences:
        item["license"] = licences
    if data.get("copyright"):
        item["copyrightNotice"] = data["copyright"]
    if data.get("owner"):
        item["creator"] = {"@type": "sc:Organization", "name": data["owner"]}
    if extra:
        item["lineageFacts"] = extra
    return item


def _runs_upstream(export: Export) -> list[str]:
    lines = []
    for key, data in export.nodes("activity"):
        tool = data.get("tool")
        if tool and data.get("tool_version"):
            tool = f"{tool}=={data['tool_version']}"
        params = data.get("params")
        text = " ".join(
            part
            for part in (
                data["name"],
                f"({data.get('operation', 'run')})",
                tool,
                canonical_json(params) if params else None,
            )
            if part
        )
        # What the run consulted is no data of the dataset, what it removed neither.
        consulted = [export.graph.nodes[k]["name"] for k in export.used(key, REFERENCE_ROLE)]
        removed = [export.graph.nodes[k]["name"] for k in export.used(key, EXCLUDED_ROLE)]
        if consulted:
            text += "; consulted (not as data): " + ", ".join(consulted)
        if removed:
            text += "; removed: " + ", ".join(removed)
        lines.append(text)
    return lines


def _named(data: dict[str, Any], text: str, count: int) -> str:
    """A dataset-level RAI text about one file: prefixed with its name when there are more."""
    return f"{data['name']}: {text}" if count > 1 else text


def _published(export: Export) -> str:
    """The target's effective date, else the day the run that made it ended, else the ledger's."""
    root = export.root_data
    if root.get("effective"):
        return str(root["effective"])
    for _, run, d in export.graph.out_edges(export.root, data=True):
        ended = export.graph.nodes[run].get("ended")
        if d["relation"] == "was_generated_by" and ended:
            return str(ended[:10])
    return export.head.recorded_at[:10]


def croissant(graph: nx.DiGraph[str]) -> bytes:
    """Croissant JSON-LD (https://docs.mlcommons.org/croissant/) with RAI of `graph`."""
    export = prepare(graph, "croissant", frozenset({"model", *DATA_KINDS}))
    version = spec_version(graph, VERSIONS, "Croissant")
    root = export.root_data
    if root["kind"] == "model":
        described = [k for k in export.trained_on() if export.graph.nodes[k]["kind"] in DATA_KINDS]
        name = f"{root['name']}-training-data"
        description = f"Training data of {root['name']} as recorded by lineage."
        use = f"training of {root['name']}" + (
            f" ({root['intended_use']})" if root.get("intended_use") else ""
        )
    else:
        described = [export.root]
        name = root["name"]
        description = root.get("description") or f"{root['name']} as recorded by lineage."
        use = None
    records = [(k, export.graph.nodes[k]) for k in described]
    # Provenance: what flows into the described data as content (not what a run
    # consulted, nor a part it removed, nor the test data of an evaluation).
    upstream = [
        k for k in export.content_upstream(described) if export.graph.nodes[k]["kind"] in DATA_KINDS
    ]
    # Croissant describes datasets: every other record's facts are kept as lineageFacts.
    others: dict[str, dict[str, Any]] = {}
    for key, data in export.nodes("model", "agent", "attestation", "activity", *DATA_KINDS):
        if key not in described:
            others[key] = export.unmapped(key, data, frozenset(), "lineageFacts")
    relations = [
        [subject, d["relation"], obj, *([d["role"]] if d.get("role") else [])]
        for subject, obj, d in sorted(export.graph.edges(data=True))
    ]
    # Licence claims and evaluations are no dataset properties: kept whole, as gaps.
    statements = {
        item["key"]: {
            **{k: item[k] for k in ("subject", "model", "dataset", "run", "by") if k in item},
            **facts_of(item),
        }
        for item in [*export.claims, *export.evaluations]
    }
    for key in statements:
        export.gap(key, "record", "lineageFacts")
    # Test data: the models evaluated on it (a dataset target), or on a described record.
    tested = sorted(
        {
            f"testing of {export.graph.nodes[e['model']]['name']}"
            for e in export.evaluations
            if e["dataset"] in described
        }
        | {
            f"testing of {model}"
            for model in export.graph.graph.get("tested_models", [])
            if root["kind"] != "model"
        }
    )
    distribution = [_file(export, k, d) for k, d in records]
    licences: list[Any] = []
    for _, data in records:
        for value in licence_values(data.get("license")):
            if value not in licences:
                licences.append(value)
    owners = sorted({d["owner"] for _, d in records if d.get("owner")})
    starts = sorted(d["collected_start"] for _, d in records if d.get("collected_start"))
    ends = sorted(d["collected_end"] for _, d in records if d.get("collected_end"))
    collection = [
        f"{d['name']}: obtained {d['obtained']}" + (f" from {d['uri']}" if d.get("uri") else "")
        for _, d in records
        if d.get("obtained")
    ]
    biases = [_named(d, b, len(records)) for _, d in records for b in d.get("known_biases") or []]
    limits = [_named(d, b, len(records)) for _, d in records for b in d.get("limitations") or []]
    personal = []
    for _, d in records:
        state = d.get("personal_data", "unknown")
        text = f"{d['name']}: personal data {state}"
        if d.get("personal_data_categories"):
            text += " (" + ", ".join(d["personal_data_categories"]) + ")"
        if d.get("legal_basis"):
            text += f"; legal basis {d['legal_basis']}"
        personal.append(text)
    dataset: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": name,
        "description": description,
        "conformsTo": f"http://mlcommons.org/croissant/{version}",
        "url": root.get("uri") or iri(root["kind"], root["name"]),
        "version": f"{root['version']}.0.0",
        "license": licences
        or [{"@type": "sc:CreativeWork", "name": "NOASSERTION (no licence recorded)"}],
        # Croissant 1.1 requires a creator: an unrecorded one is said to be unknown.
        "creator": [{"@type": "sc:Organization", "name": o} for o in owners]
        or [{"@type": "sc:Organization", "name": "NOASSERTION (no owner recorded)"}],
        "datePublished": _published(export),
        "distribution": distribution,
        "rai:dataCollection": "; ".join(collection) or None,
        "rai:dataCollectionType": sorted(
            {COLLECTION_TYPE.get(d.get("obtained", ""), "Others") for _, d in records}
        ),
        "rai:dataCollectionTimeframe": [starts[0], ends[-1]] if starts and ends else None,
        "rai:dataCollectionRawData": "; ".join(export.graph.nodes[k]["name"] for k in upstream)
        or None,
        "rai:dataPreprocessingProtocol": _runs_upstream(export),
        "rai:personalSensitiveInformation": personal,
        "rai:dataUseCases": ([use] if use else []) + tested,
        "rai:dataBiases": biases,
        "rai:dataLimitations": limits,
        "prov:wasDerivedFrom": [
            {"@id": iri(export.graph.nodes[k]["kind"], export.graph.nodes[k]["name"])}
            for k in upstream
        ],
        "lineageLedgerHead": export.head.hash,
        "lineageGaps": export.gap_list(),
        "lineageFacts": {
            "records": {**{k: v for k, v in others.items() if v}, **statements},
            "relations": relations,
        },
    }
    return dumps({k: v for k, v in dataset.items() if v not in (None, [], "")})
