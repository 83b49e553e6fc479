"""CycloneDX 1.6 (or 1.7) ML-BOM of a lineage graph.

The target is `metadata.component` (a `machine-learning-model` with its model card,
or a `data` component); every other model, source and dataset a component; the
graph is `dependencies`, runs are `formulation` workflows, sign-offs CDXA
`declarations`. Facts CycloneDX has no field for are `lineage:<fact>` properties;
`metadata.properties` carries the ledger head and the gap list. See README, "CycloneDX".
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from lineage.exports.bom.common import (
    DATA_KINDS,
    Export,
    digest_hex,
    dumps,
    prepare,
    serial_number,
    spec_version,
    whole_seconds,
)
from lineage.validation import canonical_json

VERSIONS = ("1.6", "1.7")
TASK_TYPES = {
    "evaluate": "test",
    "copy": "copy",
    "clone": "clone",
}
BUILD_OPERATIONS = frozenset(
    {"train", "fine-tune", "tokenize", "mix", "filter", "deduplicate", "extract", "scrub-pii"}
)
DATA_MAPPED = frozenset(
    {"description", "owner", "uri", "license", "copyright", "digest", "personal_data_categories"}
)
MODEL_MAPPED = frozenset({"description", "owner", "uri", "license", "copyright", "digest"})
RUN_MAPPED = frozenset({"params", "started", "ended"})


def ref(key: str) -> str:
    """The bom-ref of a record: its 'kind:name'."""
    return key


def _property(name: str, value: Any) -> dict[str, str]:
    text = value if isinstance(value, str) else canonical_json(value)
    return {"name": f"lineage:{name}", "value": text}


def _properties(facts: dict[str, Any]) -> list[dict[str, str]]:
    return [_property(k, v) for k, v in sorted(facts.items())]


def _licenses(data: dict[str, Any], properties: list[dict[str, str]]) -> list[dict[str, Any]]:
    if data.get("license"):
        return [{"expression": data["license"]}]
    properties.append({"name": "lineage:license", "value": "unknown"})
    return []


def _hashes(data: dict[str, Any]) -> list[dict[str, str]]:
    hex_ = digest_hex(data.get("digest"))
    return [{"alg": "SHA-256", "content": hex_}] if hex_ else []


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, [], {}, "")}


def _data_component(export: Export, key: str, data: dict[str, Any]) -> dict[str, Any]:
    properties = _properties(export.unmapped(key, data, DATA_MAPPED, "properties"))
    categories = data.get("personal_data_categories") or []
    sensitive = categories or (["personal data"] if data.get("personal_data") == "yes" else [])
    owners = [{"organization": {"name": data["owner"]}}] if data.get("owner") else []
    item = _clean(
        {
            "type": "dataset",
            "name": data["name"],
            "description": data.get("description"),
            "contents": {"url": data["uri"]} if data.get("uri") else None,
            "sensitiveData": sensitive,
            "governance": {"owners": owners} if owners else None,
        }
    )
    return _clean(
        {
            "bom-ref": ref(key),
            "type": "data",
            "name": data["name"],
            "version": str(data["version"]),
            "description": data.get("description"),
            "licenses": _licenses(data, properties),
            "copyright": data.get("copyright"),
            "hashes": _hashes(data),
            "data": [item],
            "properties": properties,
        }
    )


def _model_component(export: Export, key: str, data: dict[str, Any]) -> dict[str, Any]:
    properties = _properties(export.unmapped(key, data, MODEL_MAPPED, "properties"))
    component = _clean(
        {
            "bom-ref": ref(key),
            "type": "machine-learning-model",
            "name": data["name"],
            "version": str(data["version"]),
            "description": data.get("description"),
            "manufacturer": {"name": data["owner"]} if data.get("owner") else None,
            "licenses": _licenses(data, properties),
            "copyright": data.get("copyright"),
            "hashes": _hashes(data),
            "externalReferences": (
                [{"type": "distribution", "url": data["uri"]}] if data.get("uri") else []
            ),
            "properties": properties,
        }
    )
    if key == export.root:
        datasets = [
            {"ref": ref(k)}
            for k in export.trained_on()
            if export.graph.nodes[k]["kind"] in DATA_KINDS
        ]
        card: dict[str, Any] = {}
        if datasets:
            card["modelParameters"] = {"datasets": datasets}
        if data.get("intended_use"):
            card["considerations"] = {"useCases": [data["intended_use"]]}
        if card:
            component["modelCard"] = card
    return component


def _workflow(export: Export, key: str, data: dict[str, Any]) -> dict[str, Any]:
    operation = data.get("operation", "")
    task = TASK_TYPES.get(operation, "build" if operation in BUILD_OPERATIONS else "other")
    inputs: list[dict[str, Any]] = [
        {"resource": {"ref": ref(o)}}
        for _, o, d in sorted(export.graph.out_edges(key, data=True))
        if d["relation"] == "used"
    ]
    params = data.get("params") or {}
    if params:
        inputs.append(
            {
                "parameters": [
                    {"name": k, "value": canonical_json(v)} for k, v in sorted(params.items())
                ]
            }
        )
    outputs = [
        {"type": "artifact", "resource": {"ref": ref(s)}}
        for s, _, d in sorted(export.graph.in_edges(key, data=True))
        if d["relation"] == "was_generated_by"
    ]
    agents = [
        export.graph.nodes[o]["name"]
        for _, o, d in sorted(export.graph.out_edges(key, data=True))
        if d["relation"] == "was_associated_with"
    ]
    facts = export.unmapped(key, data, RUN_MAPPED, "properties")
    if agents:
        facts["agent"] = agents
        export.gap(key, "was_associated_with", "properties")
    return _clean(
        {
            "bom-ref": ref(key),
            "uid": data["name"],
            "name": data["name"],
            "taskTypes": [task],
            "inputs": inputs,
            "outputs": outputs,
            "timeStart": whole_seconds(data["started"]) if data.get("started") else None,
            "timeEnd": whole_seconds(data["ended"]) if data.get("ended") else None,
            "properties": _properties(facts),
        }
    )


def _declarations(
    export: Export, extras: list[dict[str, str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    signers = {s: o for s, o, _ in export.edges("was_attributed_to")}
    subjects = {s: o for s, o, _ in export.edges("was_derived_from")}
    assessors: dict[str, dict[str, Any]] = {}
    claims, attestations, tiers = [], [], {}
    for key, data in export.nodes("attestation"):
        if key not in subjects:
            continue
        extra = export.unmapped(
            key, data, frozenset({"decision", "tier", "scope", "conditions"}), "properties"
        )
        if extra:
            extras.append(_property(f"attestation:{data['name']}", extra))
        signer = signers.get(key)
        assessor = f"assessor:{export.graph.nodes[signer]['name']}" if signer else None
        if signer and assessor and assessor not in assessors:
            assessors[assessor] = {
                "bom-ref": assessor,
                "thirdParty": False,
                "organization": {"contact": [{"name": export.graph.nodes[signer]["name"]}]},
            }
        claim = f"claim:{data['name']}"
        claims.append(
            _clean(
                {
                    "bom-ref": claim,
                    "target": ref(subjects[key]),
                    "predicate": f"decision {data.get('decision', 'unknown')}"
                    + (f"; scope: {data['scope']}" if data.get("scope") else ""),
                    "reasoning": "; ".join(data.get("conditions") or []),
                }
            )
        )
        tier = f"tier:{data.get('tier') or 'none'}"
        tiers[tier] = data.get("tier") or "none"
        attestations.append(
            _clean(
                {
                    "summary": f"sign-off {data['name']}",
                    "assessor": assessor,
                    "map": [{"requirement": tier, "claims": [claim]}],
                }
            )
        )
    if not claims:
        return {}, {}
    declarations = _clean(
        {
            "assessors": [assessors[a] for a in sorted(assessors)],
            "claims": claims,
            "attestations": attestations,
        }
    )
    definitions = {
        "standards": [
            {
                "bom-ref": "standard:lineage-tiers",
                "name": "lineage approval tiers",
                "requirements": [{"bom-ref": t, "identifier": tiers[t]} for t in sorted(tiers)],
            }
        ]
    }
    return declarations, definitions


def cyclonedx(graph: nx.DiGraph[str]) -> bytes:
    """CycloneDX JSON (https://cyclonedx.org/docs/1.6/json/) of `graph`."""
    export = prepare(graph, "cyclonedx", frozenset({"model", *DATA_KINDS}))
    version = spec_version(graph, VERSIONS, "CycloneDX")
    components = []
    subject: dict[str, Any] = {}
    for key, data in export.nodes("model", *DATA_KINDS):
        if data["kind"] == "model":
            component = _model_component(export, key, data)
        else:
            component = _data_component(export, key, data)
        if key == export.root:
            subject = component
        else:
            components.append(component)
    for key, data in export.nodes("agent"):
        export.unmapped(key, data, frozenset(), "not exported: CycloneDX has no agent graph")
    dependencies = []
    described = {k for k, _ in export.nodes("model", *DATA_KINDS)}
    for key in sorted(described):
        depends: set[str] = set()
        for _, run, d in export.graph.out_edges(key, data=True):
            if d["relation"] == "was_generated_by":
                depends.update(
                    o
                    for _, o, e in export.graph.out_edges(run, data=True)
                    if e["relation"] == "used" and o in described
                )
            elif d["relation"] == "was_derived_from" and run in described:
                depends.add(run)
        dependencies.append({"ref": ref(key), "dependsOn": sorted(depends)})
    workflows = [_workflow(export, k, d) for k, d in export.nodes("activity")]
    extras: list[dict[str, str]] = []
    declarations, definitions = _declarations(export, extras)
    for agent, _principal, _ in export.edges("acted_on_behalf_of"):
        export.gap(agent, "acted_on_behalf_of", "not exported: CycloneDX has no agent graph")
    bom: dict[str, Any] = {
        "$schema": f"http://cyclonedx.org/schema/bom-{version}.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": version,
        "serialNumber": serial_number(export),
        "version": 1,
        "metadata": {
            "timestamp": whole_seconds(export.head.recorded_at),
            "tools": {"components": [{"type": "application", "name": "lineage"}]},
            "component": subject,
            "properties": [
                {"name": "lineage:ledger_head", "value": export.head.hash},
                {"name": "lineage:ledger_recorded_at", "value": export.head.recorded_at},
                {"name": "lineage:gaps", "value": canonical_json(export.gap_list())},
                *extras,
            ],
        },
        "components": components,
        "dependencies": dependencies,
    }
    if workflows:
        bom["formulation"] = [{"bom-ref": "formulation:lineage", "workflows": workflows}]
    if declarations:
        bom["declarations"] = declarations
        bom["definitions"] = definitions
    return dumps(bom)
