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

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import orjson

from lineage.errors import InvalidRecord
from lineage.exports.bom.postchecks import cyclonedx_postchecks, spdx3_postchecks
from lineage.validation import check_depth, json_problem

SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
NO_ASSERTION = "expandedlicensing_NoAssertionLicense"
KINDS = ("source", "dataset", "model")
SECTION = {"source": "sources", "dataset": "datasets", "model": "models"}
AGENT_TYPES = {"Person": "person", "Organization": "organization", "SoftwareAgent": "software"}
PRESENCE = {"yes": "yes", "no": "no", "noAssertion": "unknown"}
DATASET_TYPES = frozenset({"text", "image", "audio", "video"})
# Looks up recorded (kind, name) by digest ('sha256:<hex>') or package URL ('pkg:...').
DigestLookup = Callable[[list[str]], dict[str, tuple[str, str]]]
EXCLUDED_COMMENT = "lineage:excluded:"
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


def _purl_of(fields: dict[str, Any]) -> str | None:
    purl = (fields.get("attrs") or {}).get("purl")
    return purl if isinstance(purl, str) else None


class _Manifest:
    def __init__(self, lookup: DigestLookup, identities: list[str]) -> None:
        wanted = sorted({i for i in identities if i})
        self.known = lookup(wanted) if wanted else {}
        self.sections: dict[str, list[dict[str, Any]]] = {
            "agents": [],
            "sources": [],
            "datasets": [],
            "models": [],
            "runs": [],
            "evaluations": [],
            "claims": [],
        }

    def merged(self, fields: dict[str, Any]) -> tuple[str, str] | None:
        """The recorded (kind, name) the record is, by its digest or else its purl."""
        for identity in (fields.get("digest"), _purl_of(fields)):
            if identity in self.known:
                return self.known[identity]
        return None

    def entity(self, kind: str, fields: dict[str, Any]) -> str:
        """Add a record (unless its digest or purl is recorded already); its name for
        references."""
        known = self.merged(fields)
        if known is not None:
            return known[1]
        self.sections[SECTION[kind]].append(fields)
        return str(fields["name"])

    def run(self, run: dict[str, Any]) -> None:
        """Add a run, unless it made nothing the document holds: a run whose only output
        was an evaluation (the evaluation is then recorded with a run of its own)."""
        if run.get("outputs") or run.get("status") == "failed":
            self.sections["runs"].append(run)

    def data(self) -> dict[str, Any]:
        return {k: v for k, v in self.sections.items() if v}


def spdx3_manifest(data: dict[str, Any], path: str, lookup: DigestLookup) -> dict[str, Any]:
    """The manifest data an SPDX 3.0.1 document records (see the module's docstring)."""
    _refuse(path, "SPDX 3", spdx3_postchecks(data))
    graph = [n for n in data["@graph"] if isinstance(n, dict)]
    by_id = {n["spdxId"]: n for n in graph if "spdxId" in n}
    facts: dict[str, dict[str, Any]] = {}
    behalf: dict[str, str] = {}
    evaluations: list[Any] = []
    claims: list[Any] = []
    for node in graph:
        if node.get("type") == "Annotation" and node.get("contentType") == "application/json":
            try:  # orjson refuses nesting past 1,024 levels, which json would recurse into
                statement = orjson.loads(node.get("statement", ""))
                check_depth(statement, f"{path}: the statement of {node.get('spdxId')}")
            except orjson.JSONDecodeError as error:
                if error.msg == "depth limit exceeded":
                    where = f"{path}: the statement of {node.get('spdxId')}"
                    raise InvalidRecord(f"{where}: {json_problem(error)}") from None
                continue
            if isinstance(statement, dict) and "lineage:facts" in statement:
                facts[node["subject"]] = statement["lineage:facts"]
            if isinstance(statement, dict) and "lineage:acted_on_behalf_of" in statement:
                behalf[node["subject"]] = statement["lineage:acted_on_behalf_of"]
            if isinstance(statement, dict) and "lineage:evaluation" in statement:
                evaluations.append(statement["lineage:evaluation"])
            if isinstance(statement, dict) and "lineage:claim" in statement:
                claims.append(statement["lineage:claim"])
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
    purls = [str(n["software_packageUrl"]) for n in graph if n.get("software_packageUrl")]
    manifest = _Manifest(lookup, [*digests.values(), *purls])
    names: dict[str, str] = {}

    def owner_name(ref: Any) -> str | None:
        element = by_id.get(ref[0] if isinstance(ref, list) and ref else ref)
        return str(element["name"]) if element and element.get("name") else None

    declared = dict((f, to[0]) for f, to in relations.get("hasDeclaredLicense", []))
    concluded = dict((f, to[0]) for f, to in relations.get("hasConcludedLicense", []))
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
        licence = by_id.get(concluded.get(spdx_id, NO_ASSERTION), {})
        declared_licence = by_id.get(declared.get(spdx_id, NO_ASSERTION), {})
        native = {
            "description": node.get("description"),
            "uri": node.get("software_downloadLocation"),
            "copyright": node.get("software_copyrightText"),
            "digest": digests.get(spdx_id),
            "owner": owner_name(node.get("originatedBy") or node.get("suppliedBy")),
            "license": licence.get("simplelicensing_licenseExpression"),
            "declared_license": declared_licence.get("simplelicensing_licenseExpression"),
        }
        if node.get("software_packageUrl"):
            attrs = dict(fields.get("attrs") or {})
            attrs["purl"] = node["software_packageUrl"]
            fields["attrs"] = attrs
        if kind != "model":
            native["size_bytes"] = node.get("dataset_datasetSize")
            native["personal_data"] = PRESENCE.get(
                node.get("dataset_hasSensitivePersonalInformation", "")
            )
            if "known_biases" not in fields:
                native["known_biases"] = node.get("dataset_knownBias")
            types = node.get("dataset_datasetType", [])
            if "modality" not in fields and set(types) <= DATASET_TYPES:
                native["modality"] = types
        else:
            application = node.get("ai_informationAboutApplication", "")
            if application.startswith("intended use: "):
                native["intended_use"] = application.removeprefix("intended use: ")
            if node.get("releaseTime"):
                native["effective"] = node["releaseTime"][:10]
            if "limitations" not in fields and node.get("ai_limitation"):
                native["limitations"] = [node["ai_limitation"]]
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
    _statements(manifest, evaluations, claims, _names_by_key(names))
    return manifest.data()


def _names_by_key(names: dict[str, str]) -> dict[str, str]:
    """'kind:name' keys (what lineage's statements refer to) to the names recorded."""
    out = {}
    for spdx_id, name in names.items():
        kind_name = _lineage_iri(spdx_id)
        if kind_name is not None:
            out[f"{kind_name[0]}:{kind_name[1]}"] = name
    return out


def _ref(key: Any, names: dict[str, str]) -> str:
    """The name a 'kind:name' reference of a statement is recorded under."""
    text = str(key)
    return names.get(text, text.partition(":")[2] or text)


def _statements(
    manifest: _Manifest, evaluations: list[Any], claims: list[Any], names: dict[str, str]
) -> None:
    """The evaluations and licence claims lineage wrote as statements, as manifest items
    (and the agents who made them, where the document holds no agents: CycloneDX)."""
    agents = {a["name"] for a in manifest.sections["agents"]}
    for facts in [*evaluations, *claims]:
        if isinstance(facts, dict) and facts.get("by") and facts.get("by_type"):
            name = _ref(facts["by"], names)
            if name not in agents:
                agents.add(name)
                manifest.sections["agents"].append({"name": name, "type": facts["by_type"]})
    for facts in evaluations:
        if not isinstance(facts, dict):
            continue
        item: dict[str, Any] = {
            "model": _ref(facts.get("model"), names),
            "dataset": _ref(facts.get("dataset"), names),
            "metric": facts.get("metric"),
            "value": facts.get("metric_value"),
        }
        for key in ("name", "slice", "category", "threshold", "direction", "records"):
            if facts.get(key) is not None:
                item[key] = facts[key]
        for key in ("tier", "description", "attrs"):
            if facts.get(key) is not None:
                item[key] = facts[key]
        if facts.get("ci_lower") is not None and facts.get("ci_upper") is not None:
            item["ci"] = f"{facts['ci_lower']}..{facts['ci_upper']}"
        runs = {r.get("name") for r in manifest.sections["runs"]}
        if facts.get("run") and _ref(facts["run"], names) in runs:
            item["run"] = _ref(facts["run"], names)
        if facts.get("by"):
            item["by"] = _ref(facts["by"], names)
        if facts.get("effective"):
            item["date"] = facts["effective"]
        manifest.sections["evaluations"].append(item)
    for facts in claims:
        if not isinstance(facts, dict):
            continue
        attrs = dict(facts.get("attrs") or {})
        claim: dict[str, Any] = {
            "name": facts.get("name"),
            "subject": _ref(facts.get("subject"), names),
            "license": facts.get("license"),
            "by": _ref(facts.get("by"), names),
        }
        if "method" in attrs:
            claim["method"] = attrs.pop("method")
        if attrs:
            claim["attrs"] = attrs
        if facts.get("uri"):
            claim["evidence"] = facts["uri"]
        if facts.get("description"):
            claim["note"] = facts["description"]
        if facts.get("effective"):
            claim["date"] = facts["effective"]
        manifest.sections["claims"].append(claim)


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

    others = [
        (n["from"], n["to"], str(n.get("comment", "")))
        for n in by_id.values()
        if n.get("relationshipType") == "other"
    ]
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
        # A package the build used as a tool is a reference (a blocklist, a classifier);
        # an `other` relationship lineage marked is a part the build removed.
        references = targets("usesTool", spdx_id)
        if references:
            run["references"] = references
        excluded = sorted(
            names[t]
            for f, to, comment in others
            if f == spdx_id and comment.startswith(EXCLUDED_COMMENT)
            for t in to
            if t in names
        )
        if excluded:
            run["excludes"] = excluded
        params = {}
        for entry in node.get("build_parameter", []):
            try:
                params[entry["key"]] = orjson.loads(entry.get("value", "null"))
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
            if by_id.get(t, {}).get("type") == "Tool"
        ]
        if tools:
            tool, _, version = str(tools[0]).partition(" ")
            run["tool"] = f"{tool}=={version}" if version else tool
        extra.pop("tool", None)
        extra.pop("tool_version", None)
        run.update(extra)
        manifest.run(run)


def _cyclonedx_licences(licences: list[Any]) -> dict[str, Any]:
    """The concluded and declared licences of a component's `licenses` (by their
    `acknowledgement`; an item without one is the concluded licence)."""
    out: dict[str, Any] = {}
    for item in licences:
        if not isinstance(item, dict):
            continue
        expression = item.get("expression") or (item.get("license") or {}).get("id")
        column = "declared_license" if item.get("acknowledgement") == "declared" else "license"
        if expression and column not in out:
            out[column] = expression
    return out


def _property_value(column: str, value: str) -> Any:
    if column in ("description", "owner", "uri", "license", "legal_basis", "copyright") or (
        column == "declared_license"
    ):
        return value
    try:
        return orjson.loads(value)
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
    purls = [str(c["purl"]) for c in components if c.get("purl")]
    manifest = _Manifest(lookup, [*digests.values(), *purls])
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
            **_cyclonedx_licences(licences),
        }
        sensitive = [s for s in item.get("sensitiveData", []) if s != "personal data"]
        if sensitive and "personal_data_categories" not in fields:
            native["personal_data_categories"] = sensitive
        if component.get("purl"):
            fields.setdefault("attrs", {})["purl"] = component["purl"]
        considerations = (component.get("modelCard") or {}).get("considerations") or {}
        if considerations.get("useCases") and "intended_use" not in fields:
            native["intended_use"] = considerations["useCases"][0]
        if considerations.get("technicalLimitations"):
            native["limitations"] = considerations["technicalLimitations"]
        biases = [e.get("name") for e in considerations.get("ethicalConsiderations", [])]
        if any(biases):
            native["known_biases"] = [b for b in biases if b]
        fields.update({k: v for k, v in native.items() if v not in (None, [])})
        names[ref] = manifest.entity(kind, fields)
        if manifest.merged(fields) is None:
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
        references = [
            names[r["ref"]] for r in workflow.get("resourceReferences", []) if r.get("ref") in names
        ]
        if references:
            run["references"] = sorted(references)
        if isinstance(run.get("excludes"), list):
            run["excludes"] = sorted(names.get(str(e), str(e)) for e in run["excludes"])
        if "tool" in run and "tool_version" in run:
            run["tool"] = f"{run['tool']}=={run.pop('tool_version')}"
        manifest.run(run)
    evaluations, claims = [], []
    card = (subject or {}).get("modelCard") or {}
    for prop in [*card.get("properties", []), *data.get("metadata", {}).get("properties", [])]:
        name = str(prop.get("name", ""))
        if name.startswith(("lineage:evaluation:", "lineage:claim:")):
            try:
                value = orjson.loads(prop.get("value", ""))
            except ValueError:
                continue
            if name.startswith("lineage:evaluation:") and isinstance(value, dict):
                evaluations.append({"model": (subject or {}).get("bom-ref"), **value})
            elif isinstance(value, dict):
                claims.append(value)
    for claim in (data.get("declarations") or {}).get("claims", []):
        # A lineage claim's record rides in a property; its target is in the claim.
        for item in claims:
            if f"licence-claim:{item.get('name')}" == claim.get("bom-ref"):
                item.setdefault("subject", claim.get("target"))
                author = next(
                    (
                        e.get("author", {}).get("name")
                        for e in data["declarations"].get("evidence", [])
                        if e.get("bom-ref") in claim.get("evidence", [])
                    ),
                    None,
                )
                if author:
                    item.setdefault("by", f"agent:{author}")
    _statements(manifest, evaluations, [c for c in claims if c.get("subject")], names)
    # Without workflows, a dependency is a derivation.
    for dependency in data.get("dependencies", []):
        entry = entries.get(dependency["ref"])
        if entry is None or dependency["ref"] in made:
            continue
        for origin in dependency.get("dependsOn", []):
            if origin in names:
                entry.setdefault("derived_from", []).append(names[origin])
    return manifest.data()
