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
    facts_of,
    metric_value,
    prepare,
    serial_number,
    spec_version,
    whole_seconds,
)
from lineage.validation import canonical_json
from lineage.vocabulary import EXCLUDED_ROLE, REFERENCE_ROLE

VERSIONS = ("1.6", "1.7")
REFUSED = ("rejected", "revoked")  # decisions that do not conform
# A data component's classification: whether it holds personal data (unknown: omitted,
# the `lineage:personal_data` property says unknown).
CLASSIFICATION = {"yes": "personal data", "no": "no personal data"}
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
# On the target model, its model card holds these too.
CARD_MAPPED = frozenset({"intended_use", "known_biases", "limitations"})
RUN_MAPPED = frozenset({"params", "started", "ended"})


def ref(key: str) -> str:
    """The bom-ref of a record: its 'kind:name'."""
    return key


def _property(name: str, value: Any) -> dict[str, str]:
    text = value if isinstance(value, str) else canonical_json(value)
    return {"name": f"lineage:{name}", "value": text}


def _properties(facts: dict[str, Any]) -> list[dict[str, str]]:
    return [_property(k, v) for k, v in sorted(facts.items())]


def _licenses(
    export: Export, key: str, data: dict[str, Any], version: str, properties: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """The concluded licence (`license`) and the declared one (`declared_license`), each
    an expression with its `acknowledgement`. CycloneDX 1.6 holds one expression: there
    the declared licence, when it differs, is a `lineage:declared_license` property."""
    concluded, declared = data.get("license"), data.get("declared_license")
    items: list[dict[str, Any]] = []
    if concluded:
        items.append({"expression": concluded, "acknowledgement": "concluded"})
    else:
        properties.append({"name": "lineage:license", "value": "unknown"})
    if declared and (version != "1.6" or not items):
        items.append({"expression": declared, "acknowledgement": "declared"})
    elif declared:
        properties.append({"name": "lineage:declared_license", "value": declared})
        export.gap(key, "declared_license", "properties (CycloneDX 1.6: one expression)")
    return items


def _purl(data: dict[str, Any]) -> str | None:
    purl = (data.get("attrs") or {}).get("purl")
    return purl if isinstance(purl, str) else None


def _hashes(data: dict[str, Any]) -> list[dict[str, str]]:
    hex_ = digest_hex(data.get("digest"))
    return [{"alg": "SHA-256", "content": hex_}] if hex_ else []


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, [], {}, "")}


def _data_component(export: Export, key: str, data: dict[str, Any], version: str) -> dict[str, Any]:
    properties = _properties(
        export.unmapped(key, data, DATA_MAPPED | {"declared_license"}, "properties")
    )
    categories = data.get("personal_data_categories") or []
    sensitive = categories or (["personal data"] if data.get("personal_data") == "yes" else [])
    owners = [{"organization": {"name": data["owner"]}}] if data.get("owner") else []
    # The agents the data is attributed to (PROV) are its custodians.
    custodians = []
    for _, agent, edge in sorted(export.graph.out_edges(key, data=True)):
        if edge["relation"] == "was_attributed_to":
            who = export.graph.nodes[agent]
            party = "organization" if who.get("agent_type") == "organization" else "contact"
            custodians.append({party: {"name": who["name"]}})
    item = _clean(
        {
            "type": "dataset",
            "name": data["name"],
            "description": data.get("description"),
            "contents": {"url": data["uri"]} if data.get("uri") else None,
            "classification": CLASSIFICATION.get(data.get("personal_data", "")),
            "sensitiveData": sensitive,
            "governance": _clean({"owners": owners, "custodians": custodians}) or None,
        }
    )
    return _clean(
        {
            "bom-ref": ref(key),
            "type": "data",
            "name": data["name"],
            "version": str(data["version"]),
            "description": data.get("description"),
            "licenses": _licenses(export, key, data, version, properties),
            "copyright": data.get("copyright"),
            "hashes": _hashes(data),
            "purl": _purl(data),
            "data": [item],
            "properties": properties,
        }
    )


def _model_component(
    export: Export, key: str, data: dict[str, Any], version: str
) -> dict[str, Any]:
    card_facts = CARD_MAPPED if key == export.root else frozenset()
    mapped = MODEL_MAPPED | card_facts | {"declared_license"}
    properties = _properties(export.unmapped(key, data, mapped, "properties"))
    component = _clean(
        {
            "bom-ref": ref(key),
            "type": "machine-learning-model",
            "name": data["name"],
            "version": str(data["version"]),
            "description": data.get("description"),
            "manufacturer": {"name": data["owner"]} if data.get("owner") else None,
            "licenses": _licenses(export, key, data, version, properties),
            "copyright": data.get("copyright"),
            "hashes": _hashes(data),
            "purl": _purl(data),
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
        card = _model_card(export, key, data, datasets)
        if card:
            component["modelCard"] = card
    return component


def _links(export: Export, item: dict[str, Any]) -> dict[str, str]:
    """What a claim or evaluation links to ('kind:name'), and the type of the agent who
    made it (CycloneDX holds no agents: an importer records it from this)."""
    links: dict[str, str] = {k: item[k] for k in ("subject", "dataset", "run", "by") if k in item}
    if "by" in item:
        links["by_type"] = export.graph.nodes[item["by"]].get("agent_type", "person")
    return links


def _model_card(
    export: Export, key: str, data: dict[str, Any], datasets: list[dict[str, str]]
) -> dict[str, Any]:
    """The target model's card: training data, evaluations as performance metrics (with
    slices and intervals) and fairness assessments, use cases, limitations and biases."""
    metrics, fairness, extra = [], [], []
    for item in (e for e in export.evaluations if e["model"] == key):
        facts = item["data"]
        dataset = export.graph.nodes[item["dataset"]]["name"]
        metric: dict[str, Any] = {
            "type": facts["metric"],
            "value": metric_value(facts["metric_value"]),
            "slice": facts.get("slice", "all"),
        }
        if facts.get("ci_lower") is not None and facts.get("ci_upper") is not None:
            metric["confidenceInterval"] = {
                "lowerBound": metric_value(facts["ci_lower"]),
                "upperBound": metric_value(facts["ci_upper"]),
            }
        metrics.append(metric)
        if facts.get("category") == "fairness":
            harms = f"{facts['metric']} {metric['value']} on {dataset}"
            if facts.get("threshold") is not None:
                harms += (
                    f" (threshold {metric_value(facts['threshold'])}, "
                    f"{facts.get('direction')}: {facts.get('outcome') or 'no outcome'})"
                )
            group = str(facts.get("slice", "all"))
            if group.endswith("=*"):
                group = f"groups by {group[:-2]}"
            elif group == "all":
                group = "all groups"
            fairness.append({"groupAtRisk": group, "harms": harms})
        # What performanceMetrics cannot hold: the test data, threshold and outcome,
        # category, tier, date and evaluator, as a property per evaluation.
        for fact in sorted(set(facts) - {"kind", "name", "version", "seal"}):
            if fact not in ("metric", "metric_value", "slice", "ci_lower", "ci_upper"):
                export.gap(item["key"], fact, "modelCard properties")
        links = _links(export, item)
        extra.append(_property(f"evaluation:{facts['name']}", {**facts_of(item), **links}))
    considerations = _clean(
        {
            "useCases": [data["intended_use"]] if data.get("intended_use") else [],
            "technicalLimitations": list(data.get("limitations") or []),
            "ethicalConsiderations": [{"name": b} for b in data.get("known_biases") or []],
            "fairnessAssessments": fairness,
        }
    )
    return _clean(
        {
            "modelParameters": {"datasets": datasets} if datasets else None,
            "quantitativeAnalysis": {"performanceMetrics": metrics} if metrics else None,
            "considerations": considerations,
            "properties": extra,
        }
    )


def _workflow(export: Export, key: str, data: dict[str, Any]) -> dict[str, Any]:
    operation = data.get("operation", "")
    task = TASK_TYPES.get(operation, "build" if operation in BUILD_OPERATIONS else "other")
    # Content inputs are the workflow's inputs; what it consulted (a blocklist, a
    # classifier) its resourceReferences; what it removed has no field (a property).
    inputs: list[dict[str, Any]] = [{"resource": {"ref": ref(o)}} for o in export.used(key)]
    references = [{"ref": ref(o)} for o in export.used(key, REFERENCE_ROLE)]
    excluded = export.used(key, EXCLUDED_ROLE)
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
    if excluded:
        facts["excludes"] = excluded
        export.gap(key, "excludes", "properties (a part the run removed)")
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
            "resourceReferences": references,
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
                    "map": [
                        {
                            "requirement": tier,
                            "claims": [claim],
                            "conformance": {
                                "score": 0 if data.get("decision") in REFUSED else 1,
                                "rationale": f"decision {data.get('decision', 'unknown')}",
                            },
                        }
                    ],
                }
            )
        )
    # Licence claims: an agent's statement of a licence, as a CDXA claim on the record
    # with its evidence (who said it, when, how, on what).
    evidence = []
    for item in export.claims:
        data = item["data"]
        claim = f"licence-claim:{data['name']}"
        method = (data.get("attrs") or {}).get("method", "claimed")
        by = export.graph.nodes[item["by"]]["name"] if "by" in item else None
        evidence.append(
            _clean(
                {
                    "bom-ref": f"evidence:{data['name']}",
                    "propertyName": "license",
                    "description": f"{method}"
                    + (f" by {by}" if by else "")
                    + (f": {data['uri']}" if data.get("uri") else ""),
                    "created": whole_seconds(data["effective"]) if data.get("effective") else None,
                    "author": {"name": by} if by else None,
                }
            )
        )
        claims.append(
            _clean(
                {
                    "bom-ref": claim,
                    "target": ref(item["subject"]),
                    "predicate": f"licence {data.get('license')}",
                    "reasoning": data.get("description"),
                    "evidence": [f"evidence:{data['name']}"],
                }
            )
        )
        extras.append(
            _property(f"claim:{data['name']}", {**facts_of(item), **_links(export, item)})
        )
        export.gap(item["key"], "record", "declarations (a claim with evidence) and properties")
    if not claims:
        return {}, {}
    declarations = _clean(
        {
            "assessors": [assessors[a] for a in sorted(assessors)],
            "claims": claims,
            "evidence": evidence,
            "attestations": attestations,
        }
    )
    if not tiers:
        return declarations, {}
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
            component = _model_component(export, key, data, version)
        else:
            component = _data_component(export, key, data, version)
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
                depends.update(o for o in export.used(run) if o in described)
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
    if definitions:
        bom["definitions"] = definitions
    return dumps(bom)
