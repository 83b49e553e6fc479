"""SPDX 3.0.1 JSON-LD (AI, Dataset, Build and SimpleLicensing profiles) of a lineage graph.

The model is an `ai_AIPackage`, every source and dataset a `dataset_DatasetPackage`,
every run a `build_Build`; relations become `trainedOn`, `hasInput`/`hasOutput`,
`invokedBy`, `descendantOf`, `generates`; sign-offs `review` Annotations signed by
their signer. Facts SPDX has no property for go, as canonical JSON, into one
`application/json` Annotation per record (`lineage:facts`), and the document's own
Annotation carries the ledger head and the gap list. See README, "SPDX 3".
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
    metric_value,
    prepare,
    spec_version,
    whole_seconds,
)
from lineage.validation import canonical_json
from lineage.vocabulary import EXCLUDED_ROLE, REFERENCE_ROLE

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
VERSIONS = ("3.0.1",)
NO_ASSERTION_LICENSE = "expandedlicensing_NoAssertionLicense"
TOOL = "urn:lineage:tool:lineage"
CREATOR = "urn:lineage:agent-software:lineage"
DOCUMENT = "urn:lineage:document"

PRESENCE = {"yes": "yes", "no": "no", "unknown": "noAssertion"}
DATASET_TYPE = {"text": "text", "image": "image", "audio": "audio", "video": "video"}
AGENT_TYPE = {"person": "Person", "organization": "Organization", "software": "SoftwareAgent"}

# Facts with a native SPDX home, per kind.
DATA_MAPPED = frozenset(
    {"description", "owner", "uri", "license", "copyright", "personal_data", "size_bytes"}
    | {"modality", "digest", "declared_license", "known_biases"}
)
MODEL_MAPPED = frozenset(
    {"description", "owner", "uri", "license", "copyright", "digest", "intended_use"}
    | {"declared_license", "limitations"}
)
# An excluded part: SPDX has no relationship for what a build removed.
EXCLUDED_COMMENT = "lineage:excluded: the build removed this part; its content stops here"
RUN_MAPPED = frozenset({"operation", "params", "started", "ended", "tool", "tool_version"})
AGENT_MAPPED = frozenset({"agent_type", "software_version"})


class _Builder:
    def __init__(self, export: Export) -> None:
        self.export = export
        self.graph: list[dict[str, Any]] = []
        self.relationships = 0
        self.licenses: dict[str, str] = {}
        self.owners: dict[str, str] = {}
        self.tools: set[str] = set()

    def element(self, type_: str, spdx_id: str, **properties: Any) -> dict[str, Any]:
        node = {"type": type_, "spdxId": spdx_id, "creationInfo": "_:ci"}
        node.update({k: v for k, v in properties.items() if v not in (None, [], "")})
        self.graph.append(node)
        return node

    def relate(
        self,
        from_: str,
        type_: str,
        to: list[str],
        scope: str | None = None,
        comment: str | None = None,
    ) -> None:
        self.relationships += 1
        spdx_id = f"urn:lineage:relationship:{self.relationships}"
        if scope:
            self.element(
                "LifecycleScopedRelationship",
                spdx_id,
                relationshipType=type_,
                scope=scope,
                comment=comment,
                **{"from": from_, "to": to},
            )
        else:
            self.element(
                "Relationship", spdx_id, relationshipType=type_, **{"from": from_, "to": to}
            )

    def facts_annotation(self, key: str, subject: str, facts: dict[str, Any]) -> None:
        if facts:
            self.element(
                "Annotation",
                f"{subject}/lineage-facts",
                annotationType="other",
                subject=subject,
                contentType="application/json",
                statement=canonical_json({"lineage:facts": facts}),
            )

    def owner(self, name: str) -> str:
        if name not in self.owners:
            self.owners[name] = iri("owner", name)
            self.element("Organization", self.owners[name], name=name)
        return self.owners[name]

    def license(self, expression: str | None) -> str:
        if expression is None:
            return NO_ASSERTION_LICENSE
        if expression not in self.licenses:
            self.licenses[expression] = iri("license", expression)
            self.element(
                "simplelicensing_LicenseExpression",
                self.licenses[expression],
                simplelicensing_licenseExpression=expression,
            )
        return self.licenses[expression]

    def licences_of(self, spdx_id: str, data: dict[str, Any]) -> None:
        # The AI and Dataset profiles want exactly one of each: the concluded licence is
        # lineage's `license`, the declared one what the publisher declares
        # (`declared_license`); NoAssertion for either when it is not recorded.
        self.relate(spdx_id, "hasConcludedLicense", [self.license(data.get("license"))])
        self.relate(spdx_id, "hasDeclaredLicense", [self.license(data.get("declared_license"))])


def _verified(data: dict[str, Any]) -> list[dict[str, Any]]:
    hex_ = digest_hex(data.get("digest"))
    if hex_ is None:
        return []
    return [
        {
            "type": "Hash",
            "algorithm": "sha256",
            "hashValue": hex_,
            "comment": "lineage digest: SHA-256 of the file, or lineage's Merkle root of a folder",
        }
    ]


def _collection_text(data: dict[str, Any]) -> str | None:
    parts = []
    if data.get("obtained"):
        parts.append(f"obtained: {data['obtained']}")
    if data.get("collected_start") or data.get("collected_end"):
        parts.append(
            f"collected {data.get('collected_start') or '?'}..{data.get('collected_end') or '?'}"
        )
    if data.get("opt_outs"):
        parts.append(f"opt-outs: {data['opt_outs']}")
    if data.get("personal_data_categories"):
        parts.append("personal data: " + ", ".join(data["personal_data_categories"]))
    return "; ".join(parts) or None


def _purl(data: dict[str, Any]) -> str | None:
    """The package URL recorded in a record's attrs (a supplier's BOM gives one)."""
    purl = (data.get("attrs") or {}).get("purl")
    return purl if isinstance(purl, str) else None


def metric_key(export: Export, item: dict[str, Any]) -> str:
    """The `ai_metric` key of an evaluation: 'metric[slice]' (no '[all]'), and ' on
    DATASET' when the model was tested on more than one dataset."""
    data = item["data"]
    key = str(data["metric"])
    if data.get("slice") and data["slice"] != "all":
        key += f"[{data['slice']}]"
    if len(export.tested_on(item["model"])) > 1:
        key += f" on {export.graph.nodes[item['dataset']]['name']}"
    return key


def _metrics(export: Export, model: str) -> list[dict[str, str]]:
    return [
        {
            "type": "DictionaryEntry",
            "key": metric_key(export, e),
            "value": metric_value(e["data"]["metric_value"]),
        }
        for e in export.evaluations
        if e["model"] == model
    ]


def _links(export: Export, item: dict[str, Any]) -> dict[str, str]:
    """The records a claim or evaluation links to, as 'kind:name'."""
    return {k: item[k] for k in ("subject", "model", "dataset", "run", "by") if k in item}


def _evaluations(b: _Builder, export: Export) -> None:
    # The metric and its value are `ai_metric` entries and the test data `testedOn`; the
    # rest (threshold, direction, outcome, interval, category, tier, date, evaluator)
    # has no SPDX property: one JSON Annotation per evaluation, on the model.
    for item in export.evaluations:
        data = item["data"]
        for fact in sorted(set(data) - {"kind", "name", "version", "seal"}):
            if fact not in ("metric", "metric_value"):
                export.gap(item["key"], fact, "Annotation")
        b.element(
            "Annotation",
            f"{iri('evaluation', data['name'])}",
            annotationType="other",
            subject=_id(export, item["model"]),
            contentType="application/json",
            statement=canonical_json(
                {"lineage:evaluation": {**facts_of(item), **_links(export, item)}}
            ),
        )


def _claims(b: _Builder, export: Export, created: str) -> None:
    # A licence claim is an agent's statement about a package: an Annotation created by
    # that agent, on the package (SPDX holds one concluded and one declared licence).
    for item in export.claims:
        data = item["data"]
        export.gap(item["key"], "record", "Annotation (created by the claimant)")
        creation = {
            "type": "CreationInfo",
            "@id": f"_:ci-claim-{data['name']}",
            "specVersion": "3.0.1",
            "created": whole_seconds(data["effective"]) if data.get("effective") else created,
            "createdBy": [_id(export, item["by"])] if "by" in item else [CREATOR],
        }
        b.graph.append(creation)
        b.graph.append(
            {
                "type": "Annotation",
                "spdxId": iri("claim", data["name"]),
                "creationInfo": creation["@id"],
                "annotationType": "other",
                "subject": _id(export, item["subject"]),
                "contentType": "application/json",
                "statement": canonical_json(
                    {"lineage:claim": {**facts_of(item), **_links(export, item)}}
                ),
            }
        )


def _model_personal_data(export: Export) -> str:
    upstream = export.content_upstream([export.root])
    values = [
        export.graph.nodes[k].get("personal_data", "unknown")
        for k in upstream
        if export.graph.nodes[k]["kind"] in DATA_KINDS
    ]
    if "yes" in values:
        return "yes"
    return "noAssertion" if "unknown" in values or not values else "no"


def spdx3(graph: nx.DiGraph[str]) -> bytes:
    """SPDX 3.0.1 JSON-LD of `graph` (https://spdx.github.io/spdx-spec/v3.0.1/)."""
    export = prepare(graph, "spdx3", frozenset({"model", *DATA_KINDS}))
    version = spec_version(graph, VERSIONS, "SPDX")
    b = _Builder(export)
    created = whole_seconds(export.head.recorded_at)
    creation = {
        "type": "CreationInfo",
        "@id": "_:ci",
        "specVersion": version,
        "created": created,
        "createdBy": [CREATOR],
        "createdUsing": [TOOL],
        "comment": f"lineage ledger head {export.head.hash} recorded at {export.head.recorded_at}",
    }
    b.graph.append(creation)
    b.element("SoftwareAgent", CREATOR, name="lineage")
    b.element("Tool", TOOL, name="lineage")

    built: dict[str, str] = {}  # entity -> the end of the run that generated it
    for entity, run, _ in export.edges("was_generated_by"):
        ended = export.graph.nodes[run].get("ended")
        if ended:
            built[entity] = whole_seconds(ended)

    for key, data in export.nodes("agent"):
        spdx_id = iri("agent", data["name"])
        software = data.get("software_version")
        b.element(
            AGENT_TYPE.get(data.get("agent_type", ""), "Agent"),
            spdx_id,
            name=data["name"],
            comment=f"version {software}" if software else None,
        )
        b.facts_annotation(key, spdx_id, export.unmapped(key, data, AGENT_MAPPED, "Annotation"))

    for key, data in export.nodes(*DATA_KINDS):
        spdx_id = iri(data["kind"], data["name"])
        b.element(
            "dataset_DatasetPackage",
            spdx_id,
            name=data["name"],
            description=data.get("description"),
            software_packageVersion=str(data["version"]),
            software_primaryPurpose="data",
            software_downloadLocation=data.get("uri"),
            software_copyrightText=data.get("copyright"),
            originatedBy=[b.owner(data["owner"])] if data.get("owner") else [],
            builtTime=built.get(key),
            verifiedUsing=_verified(data),
            dataset_datasetType=sorted(
                {DATASET_TYPE.get(m, "other") for m in data.get("modality", [])}
            )
            or ["noAssertion"],
            dataset_datasetSize=data.get("size_bytes"),
            dataset_hasSensitivePersonalInformation=PRESENCE.get(data.get("personal_data", "")),
            dataset_dataCollectionProcess=_collection_text(data),
            dataset_knownBias=list(data.get("known_biases") or []),
            software_packageUrl=_purl(data),
        )
        b.licences_of(spdx_id, data)
        # A modality SPDX has no type for (code) is kept whole in the Annotation too.
        lossy = any(m not in DATASET_TYPE for m in data.get("modality", []))
        mapped = DATA_MAPPED - {"modality"} if lossy else DATA_MAPPED
        b.facts_annotation(key, spdx_id, export.unmapped(key, data, mapped, "Annotation"))

    for key, data in export.nodes("model"):
        spdx_id = iri("model", data["name"])
        b.element(
            "ai_AIPackage",
            spdx_id,
            name=data["name"],
            description=data.get("description"),
            software_packageVersion=str(data["version"]),
            software_primaryPurpose="model",
            software_downloadLocation=data.get("uri"),
            software_copyrightText=data.get("copyright"),
            suppliedBy=b.owner(data["owner"]) if data.get("owner") else None,
            releaseTime=whole_seconds(data["effective"]) if data.get("effective") else None,
            builtTime=built.get(key),
            verifiedUsing=_verified(data),
            ai_informationAboutApplication=(
                f"intended use: {data['intended_use']}" if data.get("intended_use") else None
            ),
            ai_useSensitivePersonalInformation=(
                _model_personal_data(export) if key == export.root else None
            ),
            ai_limitation="; ".join(data.get("limitations") or []),
            ai_metric=_metrics(export, key),
            software_packageUrl=_purl(data),
        )
        b.licences_of(spdx_id, data)
        # More than one limitation is joined in ai_limitation: the list is kept too.
        joined = len(data.get("limitations") or []) > 1
        mapped = MODEL_MAPPED - {"limitations"} if joined else MODEL_MAPPED
        b.facts_annotation(key, spdx_id, export.unmapped(key, data, mapped, "Annotation"))

    for key, data in export.nodes("activity"):
        spdx_id = iri("activity", data["name"])
        params = data.get("params") or {}
        b.element(
            "build_Build",
            spdx_id,
            build_buildType=f"urn:lineage:operation:{data.get('operation', 'unknown')}",
            build_buildId=data["name"],
            build_buildStartTime=whole_seconds(data["started"]) if data.get("started") else None,
            build_buildEndTime=whole_seconds(data["ended"]) if data.get("ended") else None,
            build_parameter=[
                {"type": "DictionaryEntry", "key": k, "value": canonical_json(v)}
                for k, v in sorted(params.items())
            ],
        )
        if data.get("tool"):
            tool_name = f"{data['tool']} {data.get('tool_version', '')}".strip()
            tool = iri("tool", tool_name)
            if tool not in b.tools:
                b.tools.add(tool)
                b.element("Tool", tool, name=tool_name)
            b.relate(spdx_id, "usesTool", [tool])
        b.facts_annotation(key, spdx_id, export.unmapped(key, data, RUN_MAPPED, "Annotation"))

    _relations(b, export)
    _attestations(b, export, created)
    _evaluations(b, export)
    _claims(b, export, created)
    _document(b, export, version)
    return dumps({"@context": CONTEXT, "@graph": b.graph})


def _id(export: Export, key: str) -> str:
    data = export.graph.nodes[key]
    return iri(data["kind"], data["name"])


def _relations(b: _Builder, export: Export) -> None:
    grouped: dict[tuple[str, str, str | None], list[str]] = {}

    def add(from_: str, type_: str, to: str, scope: str | None = None) -> None:
        grouped.setdefault((from_, type_, scope), []).append(to)

    for run, used, edge in export.edges("used"):
        role = edge.get("role")
        if role == REFERENCE_ROLE:  # a filter, blocklist or classifier the build consulted
            add(_id(export, run), "usesTool", _id(export, used), "build")
        elif role == EXCLUDED_ROLE:
            export.gap(run, f"excludes {used}", "Relationship other (comment)")
            b.relate(_id(export, run), "other", [_id(export, used)], "build", EXCLUDED_COMMENT)
        else:
            add(_id(export, run), "hasInput", _id(export, used), "build")
    for entity, run, _ in export.edges("was_generated_by"):
        add(_id(export, run), "hasOutput", _id(export, entity), "build")
    for run, agent, _ in export.edges("was_associated_with"):
        add(_id(export, run), "invokedBy", _id(export, agent))
    for derived, origin, _ in export.edges("was_derived_from"):
        kinds = (export.graph.nodes[derived]["kind"], export.graph.nodes[origin]["kind"])
        if kinds[0] == "attestation":
            continue  # the sign-off's subject (see _attestations)
        if kinds[1] == "model" and kinds[0] in DATA_KINDS:
            add(_id(export, origin), "generates", _id(export, derived))
        else:
            add(_id(export, derived), "descendantOf", _id(export, origin))
    for agent, principal, _ in export.edges("acted_on_behalf_of"):
        # SPDX has no delegation between agents: kept in the agent's facts Annotation.
        export.gap(agent, "acted_on_behalf_of", "Annotation")
        b.element(
            "Annotation",
            f"{_id(export, agent)}/acted-on-behalf-of",
            annotationType="other",
            subject=_id(export, agent),
            contentType="application/json",
            statement=canonical_json({"lineage:acted_on_behalf_of": principal}),
        )
    if export.root_data["kind"] == "model":
        training = [
            _id(export, k) for k in export.trained_on() if export.graph.nodes[k]["kind"] != "model"
        ]
        if training:
            grouped.setdefault((_id(export, export.root), "trainedOn", None), []).extend(training)
    for model, _ in export.nodes("model"):
        tested = export.tested_on(model)
        if tested:
            grouped[(_id(export, model), "testedOn", None)] = [_id(export, t) for t in tested]
    for (from_, type_, scope), to in sorted(grouped.items(), key=lambda i: (i[0][0], i[0][1])):
        b.relate(from_, type_, sorted(set(to)), scope)


def _attestations(b: _Builder, export: Export, created: str) -> None:
    signers = {s: o for s, o, _ in export.edges("was_attributed_to")}
    subjects = {s: o for s, o, _ in export.edges("was_derived_from")}
    for key, data in export.nodes("attestation"):
        if key not in subjects:
            continue
        facts = export.unmapped(key, data, frozenset(), "Annotation statement")
        creation = {
            "type": "CreationInfo",
            "@id": f"_:ci-{data['name']}",
            "specVersion": "3.0.1",
            "created": whole_seconds(data["effective"]) if data.get("effective") else created,
            "createdBy": [_id(export, signers[key])] if key in signers else [CREATOR],
        }
        b.graph.append(creation)
        b.graph.append(
            {
                "type": "Annotation",
                "spdxId": iri("attestation", data["name"]),
                "creationInfo": creation["@id"],
                "annotationType": "review",
                "subject": _id(export, subjects[key]),
                "contentType": "application/json",
                "statement": canonical_json(facts),
            }
        )


def _document(b: _Builder, export: Export, version: str) -> None:
    b.element(
        "Annotation",
        f"{DOCUMENT}/lineage",
        annotationType="other",
        subject=DOCUMENT,
        contentType="application/json",
        statement=canonical_json(
            {
                "lineage:ledger_head": export.head.hash,
                "lineage:ledger_recorded_at": export.head.recorded_at,
                "lineage:gaps": export.gap_list(),
            }
        ),
    )
    b.element(
        "SpdxDocument",
        DOCUMENT,
        name=f"lineage of {export.root}",
        profileConformance=["ai", "build", "core", "dataset", "simpleLicensing", "software"],
        rootElement=[_id(export, export.root)],
    )
