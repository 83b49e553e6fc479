"""SPDX 3 and CycloneDX documents in: a supplier's model or dataset bill of materials
becomes upstream records, told apart by content and recorded through a manifest.

Each document is first checked with lineage's post-checks (dangling references,
duplicate ids, the SPDX licence pairs, licence expressions); a document that fails is
refused with one line and nothing is written. It is then turned into manifest data
(agents, sources, datasets, models, runs) and added like a manifest, so every field is
validated the same way. A package whose SHA-256 digest is already recorded is not
recorded again: the document's relations point at the existing record (identity merged
by digest). What lineage wrote in `lineage:` terms (the facts the standard could not
hold) is read back, so store → document → fresh store keeps every record, fact and
relation the format holds. Sign-offs and local paths are not read back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from lineage.errors import InvalidRecord
from lineage.exports.bom.postchecks import cyclonedx_postchecks, spdx3_postchecks

SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
NO_ASSERTION = "expandedlicensing_NoAssertionLicense"
KINDS = ("source", "dataset", "model")
SECTION = {"source": "sources", "dataset": "datasets", "model": "models"}
AGENT_TYPES = {"Person": "person", "Organization": "organization", "SoftwareAgent": "software"}
PRESENCE = {"yes": "yes", "no": "no", "noAssertion": "unknown"}
DATASET_TYPES = frozenset({"text", "image", "audio", "video"})
# Looks up recorded (kind, name) by digest ('sha256:<hex>').
DigestLookup = Callable[[list[str]], dict[str, tuple[str, str]]]
# Facts that are not manifest fields (kept elsewhere or derived by lineage).
NOT_READ = frozenset({"path", "seal", "version", "kind", "name", "agent_type"})


def is_spdx3(data: Any) -> bool:
    return isinstance(data, dict) and data.get("@context") == SPDX_CONTEXT and "@graph" in data


def is_cyclonedx(data: Any) -> bool:
    return isinstance(data, dict) and data.get("bomFormat") == "CycloneDX"


def _refuse(path: str, what: str, problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidRecord(f"{path}: not a valid {what} document: {problems[0]}{more}")


def _lineage_iri(spdx_id: str) -> tuple[str, str] | None:
    parts = spdx_id.split(":", 3)
    if len(parts) == 4 and parts[:2] == ["urn", "lineage"] and "/" not in parts[3]:
        return parts[2], unquote(parts[3])
    return None


def _entity_fields(facts: dict[str, Any]) -> dict[str, Any]:
    """Recorded facts as manifest fields."""
    out = {k: v for k, v in facts.items() if k not in NOT_READ and v is not None}
    start, end = out.pop("collected_start", None), out.pop("collected_end", None)
    if start or end:  # a period may have an unknown start (..END)
        out["collected"] = f"{start or ''}..{end or ''}"
    return out


class _Manifest:
    def __init__(self, lookup: DigestLookup, digests: list[str]) -> None:
        self.known = lookup(sorted(set(digests))) if digests else {}
        self.sections: dict[str, list[dict[str, Any]]] = {
            "agents": [],
            "sources": [],
            "datasets": [],
            "models": [],
            "runs": [],
        }

    def entity(self, kind: str, fields: dict[str, Any]) -> str:
        """Add a record (unless its digest is recorded already); its name for references."""
        digest = fields.get("digest")
        if digest in self.known:
            return self.known[digest][1]
        self.sections[SECTION[kind]].append(fields)
        return str(fields["name"])

    def data(self) -> dict[str, Any]:
        return {k: v for k, v in self.sections.items() if v}


def spdx3_manifest(data: dict[str, Any], path: str, lookup: DigestLookup) -> dict[str, Any]:
    """The manifest data an SPDX 3.0.1 document records (see the module's docstring)."""
    _refuse(path, "SPDX 3", spdx3_postchecks(data))
    graph = [n for n in data["@graph"] if isinstance(n, dict)]
    by_id = {n["spdxId"]: n for n in graph if "spdxId" in n}
    facts: dict[str, dict[str, Any]] = {}
    behalf: dict[str, str] = {}
    for node in graph:
        if node.get("type") == "Annotation" and node.get("contentType") == "application/json":
            try:
                statement = json.loads(node.get("statement", ""))
            except ValueError:
                continue
            if isinstance(statement, dict) and "lineage:facts" in statement:
                facts[node["subject"]] = statement["lineage:facts"]
            if isinstance(statement, dict) and "lineage:acted_on_behalf_of" in statement:
                behalf[node["subject"]] = statement["lineage:acted_on_behalf_of"]
    relations: dict[str, list[tuple[str, list[str]]]] = {}
    for node in graph:
        if "relationshipType" in node:
            relations.setdefault(node["relationshipType"], []).append((node["from"], node["to"]))
    outputs = {t for _, to in relations.get("hasOutput", []) for t in to}
    derived = {f for f, _ in relations.get("descendantOf", [])}
    digests = {}
    for spdx_id, node in by_id.items():
        for method in node.get("verifiedUsing", []):
            if method.get("algorithm") == "sha256":
                digests[spdx_id] = f"sha256:{method['hashValue']}"
    manifest = _Manifest(lookup, list(digests.values()))
    names: dict[str, str] = {}

    def owner_name(ref: Any) -> str | None:
        element = by_id.get(ref[0] if isinstance(ref, list) and ref else ref)
        return str(element["name"]) if element and element.get("name") else None

    declared = dict((f, to[0]) for f, to in relations.get("hasDeclaredLicense", []))
    for spdx_id, node in sorted(by_id.items()):
        kind_name = _lineage_iri(spdx_id)
        if node["type"] in AGENT_TYPES and spdx_id.startswith("urn:lineage:agent:"):
            assert kind_name is not None
            agent: dict[str, Any] = {"name": kind_name[1], "type": AGENT_TYPES[node["type"]]}
            comment = node.get("comment", "")
            if comment.startswith("version "):
                agent["version"] = comment.removeprefix("version ")
            if spdx_id in behalf:
                agent["acted_on_behalf_of"] = behalf[spdx_id].split(":", 1)[1]
            # An agent's other facts (its attrs: an SME provider, a contact) ride in its
            # facts Annotation, as an entity's do.
            for key in ("description", "attrs"):
                if facts.get(spdx_id, {}).get(key):
                    agent[key] = facts[spdx_id][key]
            manifest.sections["agents"].append(agent)
            names[spdx_id] = kind_name[1]
            continue
        if node["type"] not in ("ai_AIPackage", "dataset_DatasetPackage"):
            continue
        if kind_name and kind_name[0] in KINDS:
            kind, name = kind_name
        elif node["type"] == "ai_AIPackage":
            kind, name = "model", str(node.get("name"))
        else:
            kind = "dataset" if spdx_id in outputs or spdx_id in derived else "source"
            name = str(node.get("name"))
        fields: dict[str, Any] = {"name": name, **_entity_fields(facts.get(spdx_id, {}))}
        licence = by_id.get(declared.get(spdx_id, NO_ASSERTION), {})
        native = {
            "description": node.get("description"),
            "uri": node.get("software_downloadLocation"),
            "copyright": node.get("software_copyrightText"),
            "digest": digests.get(spdx_id),
            "owner": owner_name(node.get("originatedBy") or node.get("suppliedBy")),
            "license": licence.get("simplelicensing_licenseExpression"),
        }
        if kind != "model":
            native["size_bytes"] = node.get("dataset_datasetSize")
            native["personal_data"] = PRESENCE.get(
                node.get("dataset_hasSensitivePersonalInformation", "")
            )
            types = node.get("dataset_datasetType", [])
            if "modality" not in fields and set(types) <= DATASET_TYPES:
                native["modality"] = types
        else:
            application = node.get("ai_informationAboutApplication", "")
            if application.startswith("intended use: "):
                native["intended_use"] = application.removeprefix("intended use: ")
            if node.get("releaseTime"):
                native["effective"] = node["releaseTime"][:10]
        fields.update({k: v for k, v in native.items() if v not in (None, [])})
        names[spdx_id] = manifest.entity(kind, fields)
    # Derivations, on the derived record's entry.
    entries = {
        e["name"]: e
        for section in ("sources", "datasets", "models")
        for e in manifest.sections[section]
    }
    for from_, to in relations.get("descendantOf", []):
        for origin in to:
            entry = entries.get(names.get(from_, ""))
            if entry is not None and origin in names:
                entry.setdefault("derived_from", []).append(names[origin])
    for model, to in relations.get("generates", []):
        for made in to:
            entry = entries.get(names.get(made, ""))
            if entry is not None and model in names:
                entry.setdefault("derived_from", []).append(names[model])
    _spdx_runs(manifest, by_id, relations, names, facts)
    return manifest.data()


def _spdx_runs(
    manifest: _Manifest,
    by_id: dict[str, dict[str, Any]],
    relations: dict[str, list[tuple[str, list[str]]]],
    names: dict[str, str],
    facts: dict[str, dict[str, Any]],
) -> None:
    def targets(kind: str, from_: str) -> list[str]:
        return sorted(
            names[t] for f, to in relations.get(kind, []) if f == from_ for t in to if t in names
        )

    for spdx_id, node in sorted(by_id.items()):
        if node["type"] != "build_Build":
            continue
        inputs = targets("hasInput", spdx_id)
        if not inputs:
            continue  # lineage records a run by what it used
        extra = {k: v for k, v in facts.get(spdx_id, {}).items() if k not in NOT_READ}
        operation = str(node["build_buildType"]).rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        run: dict[str, Any] = {
            "operation": extra.pop("operation", operation),
            "name": node.get("build_buildId") or spdx_id.rsplit(":", 1)[-1],
            "inputs": inputs,
            "outputs": targets("hasOutput", spdx_id),
            "agent": targets("invokedBy", spdx_id),
        }
        params = {}
        for entry in node.get("build_parameter", []):
            try:
                params[entry["key"]] = json.loads(entry.get("value", "null"))
            except ValueError:
                params[entry["key"]] = entry.get("value")
        if params:
            run["params"] = params
        for key, column in (("build_buildStartTime", "started"), ("build_buildEndTime", "ended")):
            if node.get(key):
                run[column] = node[key]
        tools = [
            by_id[t]["name"]
            for f, to in relations.get("usesTool", [])
            if f == spdx_id
            for t in to
            if t in by_id
        ]
        if tools:
            tool, _, version = str(tools[0]).partition(" ")
            run["tool"] = f"{tool}=={version}" if version else tool
        extra.pop("tool", None)
        extra.pop("tool_version", None)
        run.update(extra)
        manifest.sections["runs"].append(run)


def _property_value(column: str, value: str) -> Any:
    if column in ("description", "owner", "uri", "license", "legal_basis", "copyright"):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def cyclonedx_manifest(data: dict[str, Any], path: str, lookup: DigestLookup) -> dict[str, Any]:
    """The manifest data a CycloneDX 1.4 to 1.7 BOM records (see the module's docstring)."""
    _refuse(path, "CycloneDX", cyclonedx_postchecks(data))
    subject = data.get("metadata", {}).get("component")
    components = [c for c in [subject, *data.get("components", [])] if c]
    workflows = [w for f in data.get("formulation", []) for w in f.get("workflows", [])]
    made = {
        o["resource"]["ref"]
        for w in workflows
        for o in w.get("outputs", [])
        if "ref" in o.get("resource", {})
    }
    digests = {}
    for component in components:
        for item in component.get("hashes", []):
            if item.get("alg") == "SHA-256":
                digests[component.get("bom-ref", "")] = f"sha256:{item['content']}"
    manifest = _Manifest(lookup, list(digests.values()))
    names: dict[str, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    for component in components:
        ref = component.get("bom-ref", component["name"])
        kind, _, local = ref.partition(":")
        if kind not in KINDS:
            if component["type"] == "machine-learning-model":
                kind = "model"
            elif component["type"] == "data":
                kind = "dataset" if ref in made else "source"
            else:
                continue
            local = component["name"]
        fields: dict[str, Any] = {"name": local}
        for prop in component.get("properties", []):
            column = prop["name"].removeprefix("lineage:")
            if prop["name"].startswith("lineage:") and column not in NOT_READ:
                fields[column] = _property_value(column, prop.get("value", ""))
        fields.pop("license", None)  # 'unknown' when none is recorded; the real one is native
        fields = {"name": local, **_entity_fields(fields)}
        item = (component.get("data") or [{}])[0]
        owners = item.get("governance", {}).get("owners", [])
        licences = component.get("licenses", [])
        native = {
            "description": component.get("description"),
            "copyright": component.get("copyright"),
            "digest": digests.get(ref),
            "owner": component.get("manufacturer", {}).get("name")
            or (owners[0].get("organization", {}).get("name") if owners else None),
            "uri": item.get("contents", {}).get("url")
            or next(
                (
                    e["url"]
                    for e in component.get("externalReferences", [])
                    if e.get("type") == "distribution"
                ),
                None,
            ),
            "license": licences[0].get("expression") or licences[0].get("license", {}).get("id")
            if licences
            else None,
        }
        sensitive = [s for s in item.get("sensitiveData", []) if s != "personal data"]
        if sensitive and "personal_data_categories" not in fields:
            native["personal_data_categories"] = sensitive
        if component.get("purl"):
            fields.setdefault("attrs", {})["purl"] = component["purl"]
        fields.update({k: v for k, v in native.items() if v not in (None, [])})
        names[ref] = manifest.entity(kind, fields)
        if fields.get("digest") not in manifest.known:
            entries[ref] = fields
    for workflow in workflows:
        inputs = [
            names[i["resource"]["ref"]]
            for i in workflow.get("inputs", [])
            if i.get("resource", {}).get("ref") in names
        ]
        if not inputs:
            continue
        run: dict[str, Any] = {
            "operation": workflow.get("taskTypes", ["other"])[0],
            "name": workflow.get("uid"),
            "inputs": sorted(inputs),
            "outputs": sorted(
                names[o["resource"]["ref"]]
                for o in workflow.get("outputs", [])
                if o.get("resource", {}).get("ref") in names
            ),
        }
        params = {
            p["name"]: _property_value("params", p.get("value", ""))
            for i in workflow.get("inputs", [])
            for p in i.get("parameters", [])
        }
        if params:
            run["params"] = params
        if workflow.get("timeStart"):
            run["started"] = workflow["timeStart"]
        if workflow.get("timeEnd"):
            run["ended"] = workflow["timeEnd"]
        for prop in workflow.get("properties", []):
            column = prop["name"].removeprefix("lineage:")
            if prop["name"].startswith("lineage:") and column not in NOT_READ:
                run[column] = _property_value(column, prop.get("value", ""))
        run.pop("agent", None)  # CycloneDX holds no agents to refer to
        if "tool" in run and "tool_version" in run:
            run["tool"] = f"{run['tool']}=={run.pop('tool_version')}"
        manifest.sections["runs"].append(run)
    # Without workflows, a dependency is a derivation.
    for dependency in data.get("dependencies", []):
        entry = entries.get(dependency["ref"])
        if entry is None or dependency["ref"] in made:
            continue
        for origin in dependency.get("dependsOn", []):
            if origin in names:
                entry.setdefault("derived_from", []).append(names[origin])
    return manifest.data()
