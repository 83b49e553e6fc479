"""lineage's own checks of the bills of materials, for what the standards' validators miss
(STANDARDS.md §2.8, §3.6, §4.7). Each returns the problems found, one line each.

SPDX 3.0.1: duplicate spdxIds; a `from`/`to`/`subject`/`createdBy`/`suppliedBy`/
`originatedBy`/`rootElement` that names no element of the document; a package without a
`name`; a package without exactly one `hasConcludedLicense` and one `hasDeclaredLicense`;
a DatasetPackage with more than one `originatedBy`; a DateTime with fractions of a second.
CycloneDX: duplicate bom-refs; a `ref`/`dependsOn`/`target`/`evidence`/`assessor`/
`requirement`/`claims` that names no bom-ref; a licence expression that does not parse.
Croissant: a missing spec-required property; an `rai:` property not in the RAI vocabulary;
a time frame that is not ISO dates; a `sha256` that is not 64 hex; duplicate `@id`s.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from lineage.errors import InvalidLicence
from lineage.licences import parse_licence

NO_ASSERTION = "expandedlicensing_NoAssertionLicense"
INDIVIDUALS = frozenset({NO_ASSERTION, "expandedlicensing_NoneLicense"})
PACKAGES = frozenset({"ai_AIPackage", "dataset_DatasetPackage", "software_Package"})
DATETIME = re.compile(r"^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DATETIME_KEYS = frozenset(
    {"created", "builtTime", "releaseTime", "validUntilTime", "build_buildStartTime"}
    | {"build_buildEndTime", "startTime", "endTime"}
)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
ISO_DATE = re.compile(r"^\d\d\d\d-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?)?$")
# The RAI 1.0 vocabulary (docs/croissant_rai.ttl).
RAI_TERMS = frozenset(
    {
        "dataCollection",
        "dataCollectionType",
        "dataCollectionMissingData",
        "dataCollectionRawData",
        "dataCollectionTimeframe",
        "dataImputationProtocol",
        "dataManipulationProtocol",
        "dataPreprocessingProtocol",
        "dataAnnotationProtocol",
        "dataAnnotationPlatform",
        "dataAnnotationAnalysis",
        "annotationsPerItem",
        "annotatorDemographics",
        "machineAnnotationTools",
        "dataReleaseMaintenancePlan",
        "personalSensitiveInformation",
        "dataSocialImpact",
        "dataBiases",
        "dataLimitations",
        "dataUseCases",
    }
)
CROISSANT_REQUIRED = {
    "1.0": ("name", "description", "license", "url"),
    "1.1": ("name", "description", "license", "url", "creator", "datePublished"),
}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def spdx3_postchecks(document: dict[str, Any]) -> list[str]:
    graph = [n for n in document.get("@graph", []) if isinstance(n, dict)]
    ids = Counter(n["spdxId"] for n in graph if "spdxId" in n)
    problems = [f"duplicate spdxId {i}" for i, count in sorted(ids.items()) if count > 1]
    known = set(ids) | INDIVIDUALS
    for node in graph:
        where = node.get("spdxId") or node.get("@id") or node.get("type")
        for key in ("from", "to", "subject", "createdBy", "suppliedBy", "originatedBy"):
            for target in _listed(node.get(key, [])):
                if isinstance(target, str) and target not in known:
                    problems.append(f"{where}: {key} {target} is not in the document")
        for target in node.get("rootElement", []):
            if target not in known:
                problems.append(f"{where}: rootElement {target} is not in the document")
        for key in DATETIME_KEYS & node.keys():
            if not DATETIME.match(str(node[key])):
                problems.append(f"{where}: {key} {node[key]} is not UTC whole seconds")
    licences: Counter[tuple[str, str]] = Counter()
    for node in graph:
        kind = node.get("relationshipType")
        if kind in ("hasConcludedLicense", "hasDeclaredLicense"):
            licences[(node["from"], kind)] += len(_listed(node.get("to", [])))
    for node in graph:
        if node.get("type") not in PACKAGES:
            continue
        spdx_id = node["spdxId"]
        if not node.get("name"):
            problems.append(f"{spdx_id}: a package without a name")
        for kind in ("hasConcludedLicense", "hasDeclaredLicense"):
            count = licences[(spdx_id, kind)]
            if count != 1:
                problems.append(f"{spdx_id}: {count} {kind} relationships, not exactly one")
        if node["type"] == "dataset_DatasetPackage" and len(node.get("originatedBy", [])) > 1:
            problems.append(f"{spdx_id}: more than one originatedBy")
    return problems


def _cyclonedx_refs(bom: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, ref) for every reference to a bom-ref in the BOM."""
    for dependency in bom.get("dependencies", []):
        yield "dependencies", dependency["ref"]
        for target in dependency.get("dependsOn", []):
            yield f"dependencies[{dependency['ref']}].dependsOn", target
    for component in [bom.get("metadata", {}).get("component", {}), *bom.get("components", [])]:
        card = component.get("modelCard", {})
        for dataset in card.get("modelParameters", {}).get("datasets", []):
            if "ref" in dataset:
                yield f"{component.get('bom-ref')}.modelCard.datasets", dataset["ref"]
    for formula in bom.get("formulation", []):
        for workflow in formula.get("workflows", []):
            for put in (*workflow.get("inputs", []), *workflow.get("outputs", [])):
                if "ref" in put.get("resource", {}):
                    yield f"workflow {workflow.get('uid')}", put["resource"]["ref"]
    declarations = bom.get("declarations", {})
    for claim in declarations.get("claims", []):
        if "target" in claim:
            yield f"claim {claim.get('bom-ref')}.target", claim["target"]
        for evidence in claim.get("evidence", []):
            yield f"claim {claim.get('bom-ref')}.evidence", evidence
    for attestation in declarations.get("attestations", []):
        if "assessor" in attestation:
            yield "attestation.assessor", attestation["assessor"]
        for item in attestation.get("map", []):
            if "requirement" in item:
                yield "attestation.map.requirement", item["requirement"]
            for claim in item.get("claims", []):
                yield "attestation.map.claims", claim


def _bom_refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("bom-ref"), str):
            yield value["bom-ref"]
        for item in value.values():
            yield from _bom_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _bom_refs(item)


def _expressions(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "licenses" and isinstance(item, list):
                yield from (
                    i["expression"] for i in item if isinstance(i, dict) and "expression" in i
                )
            else:
                yield from _expressions(item)
    elif isinstance(value, list):
        for item in value:
            yield from _expressions(item)


def cyclonedx_postchecks(bom: dict[str, Any]) -> list[str]:
    refs = Counter(_bom_refs(bom))
    problems = [f"duplicate bom-ref {r}" for r, count in sorted(refs.items()) if count > 1]
    for where, target in _cyclonedx_refs(bom):
        if target not in refs:
            problems.append(f"{where}: {target} is not a bom-ref of the BOM")
    for expression in _expressions(bom):
        try:
            parse_licence(expression)
        except InvalidLicence as error:
            problems.append(f"licence expression {expression!r}: {error}")
    return problems


def croissant_postchecks(dataset: dict[str, Any]) -> list[str]:
    version = str(dataset.get("conformsTo", "")).rsplit("/", 1)[-1]
    problems = [
        f"{key} is required by Croissant {version}"
        for key in CROISSANT_REQUIRED.get(version, CROISSANT_REQUIRED["1.0"])
        if not dataset.get(key)
    ]
    for key in sorted(dataset):
        if key.startswith("rai:") and key[4:] not in RAI_TERMS:
            problems.append(f"{key} is not a term of the RAI vocabulary")
    for value in _listed(dataset.get("rai:dataCollectionTimeframe", [])):
        if not ISO_DATE.match(str(value)):
            problems.append(f"rai:dataCollectionTimeframe {value} is not an ISO date")
    ids: Counter[str] = Counter()
    for item in dataset.get("distribution", []):
        ids[item.get("@id", "")] += 1
        if "sha256" in item and not SHA256.match(str(item["sha256"])):
            problems.append(f"distribution {item.get('@id')}: sha256 is not 64 hex digits")
    problems.extend(f"duplicate @id {i}" for i, count in sorted(ids.items()) if count > 1)
    return problems


POSTCHECKS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "spdx3": spdx3_postchecks,
    "cyclonedx": cyclonedx_postchecks,
    "croissant": croissant_postchecks,
}
