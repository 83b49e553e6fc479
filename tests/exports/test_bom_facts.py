"""What each bill of materials says about the facts that are easy to get wrong: references
and excluded parts are never training data, declared and concluded licences stay apart,
evaluations become metrics (with slices, intervals and fairness assessments), licence
claims are statements of their claimant, known biases and limitations land in the
standards' own fields; SQLite and PostgreSQL."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

import lineage

MODEL = "acme-chat"
MANIFEST = """
agents:
  - {name: acme, type: organization}
  - {name: ada-auditor, type: person}
sources:
  - name: web-pages
    owner: Crawl Co
    uri: https://crawl.example/pages
    license: CC-BY-4.0
    declared_license: CC-BY-SA-4.0
    obtained: crawled
    collected: 2025-01-01..2025-02-01
    personal_data: "yes"
    personal_data_categories: [names, email addresses]
    known_biases: [over-represents US English pages]
    limitations: [no pages after February 2025]
    digest: "sha256:1111111111111111111111111111111111111111111111111111111111111111"
  - {name: legacy-pages, license: MIT}
  - {name: word-blocklist, license: MIT}
  - {name: safety-classifier, license: Apache-2.0}
  - {name: heldout-set, license: CC0-1.0, known_biases: [questions written by two people]}
datasets:
  - {name: pages-dump}
  - {name: pages-clean, attributed_to: [acme]}
models:
  - name: acme-chat
    owner: acme
    license: Apache-2.0
    intended_use: commercial
    known_biases: [answers favour US products]
    limitations: [English only, no medical advice]
    attrs: {purl: "pkg:huggingface/acme/acme-chat@1"}
runs:
  - {operation: export, name: dump-pages, inputs: [web-pages, legacy-pages], outputs: [pages-dump]}
  - {operation: filter, name: filter-pages, inputs: [pages-dump], excludes: [legacy-pages],
     references: [word-blocklist], outputs: [pages-clean], agent: acme}
  - {operation: train, name: train-acme-chat, inputs: [pages-clean],
     references: [safety-classifier], outputs: [acme-chat], agent: acme}
evaluations:
  - {model: acme-chat, dataset: heldout-set, metric: accuracy, value: 0.9, ci: 0.85..0.95,
     threshold: 0.8, direction: higher-is-better, records: 200, by: ada-auditor,
     date: 2025-03-01}
  - {model: acme-chat, dataset: heldout-set, metric: accuracy, value: 0.7, slice: locale=en-NG,
     records: 40, by: ada-auditor, date: 2025-03-01}
  - {model: acme-chat, dataset: heldout-set, metric: accuracy_max_gap, value: 0.2,
     slice: "locale=*", category: fairness, threshold: 0.05, direction: lower-is-better,
     by: ada-auditor, date: 2025-03-01, tier: general-commercial}
claims:
  - {subject: web-pages, license: CC-BY-NC-4.0, by: ada-auditor, method: audited,
     evidence: "https://crawl.example/terms", date: 2025-03-02,
     note: the terms page says non-commercial}
"""


@pytest.fixture
def facts_store(store: lineage.Store, tmp_path: Path) -> lineage.Store:
    manifest = tmp_path / "facts.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    store.ingest([str(manifest)])
    return store


def _export(store: lineage.Store, format_: str, version: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(store.export(format_, MODEL, spec_version=version).data)
    return data


def _spdx(store: lineage.Store) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    graph = _export(store, "spdx3")["@graph"]
    by_id = {n["spdxId"]: n for n in graph if "spdxId" in n}
    relations = [n for n in graph if "relationshipType" in n]
    return by_id, relations


def _to(relations: list[dict[str, Any]], from_: str, type_: str) -> list[str]:
    return sorted(
        t
        for r in relations
        if (r["from"], r["relationshipType"]) == (from_, type_)
        for t in r["to"]
    )


def _gaps(format_: str, document: dict[str, Any]) -> set[tuple[str, str]]:
    if format_ == "spdx3":
        (note,) = [
            n for n in document["@graph"] if n.get("spdxId") == "urn:lineage:document/lineage"
        ]
        gaps = json.loads(note["statement"])["lineage:gaps"]
    elif format_ == "cyclonedx":
        (prop,) = [p for p in document["metadata"]["properties"] if p["name"] == "lineage:gaps"]
        gaps = json.loads(prop["value"])
    else:
        gaps = document["lineageGaps"]
    return {(g["record"], g["fact"]) for g in gaps}


def test_references_and_excluded_parts_are_not_training_data_in_spdx(
    facts_store: lineage.Store,
) -> None:
    by_id, relations = _spdx(facts_store)
    model = "urn:lineage:model:acme-chat"
    assert _to(relations, model, "trainedOn") == ["urn:lineage:dataset:pages-clean"]
    train = "urn:lineage:activity:train-acme-chat"
    assert _to(relations, train, "hasInput") == ["urn:lineage:dataset:pages-clean"]
    assert _to(relations, train, "usesTool") == ["urn:lineage:source:safety-classifier"]
    run = "urn:lineage:activity:filter-pages"
    assert _to(relations, run, "hasInput") == ["urn:lineage:dataset:pages-dump"]
    assert _to(relations, run, "usesTool") == ["urn:lineage:source:word-blocklist"]
    (excluded,) = [r for r in relations if r["from"] == run and r["relationshipType"] == "other"]
    assert excluded["to"] == ["urn:lineage:source:legacy-pages"]
    assert excluded["comment"].startswith("lineage:excluded")
    # the model holds personal data only through its content, never through a reference
    assert by_id[model]["ai_useSensitivePersonalInformation"] == "yes"


def test_references_and_excluded_parts_are_not_training_data_in_cyclonedx(
    facts_store: lineage.Store,
) -> None:
    bom = _export(facts_store, "cyclonedx")
    card = bom["metadata"]["component"]["modelCard"]
    assert card["modelParameters"]["datasets"] == [{"ref": "dataset:pages-clean"}]
    deps = {d["ref"]: d["dependsOn"] for d in bom["dependencies"]}
    assert deps["model:acme-chat"] == ["dataset:pages-clean"]
    assert deps["dataset:pages-clean"] == ["dataset:pages-dump"]
    workflows = {w["uid"]: w for w in bom["formulation"][0]["workflows"]}
    flt = workflows["filter-pages"]
    assert flt["inputs"] == [{"resource": {"ref": "dataset:pages-dump"}}]
    assert flt["resourceReferences"] == [{"ref": "source:word-blocklist"}]
    props = {p["name"]: p["value"] for p in flt["properties"]}
    assert json.loads(props["lineage:excludes"]) == ["source:legacy-pages"]
    assert ("activity:filter-pages", "excludes") in _gaps("cyclonedx", bom)
    assert workflows["train-acme-chat"]["resourceReferences"] == [
        {"ref": "source:safety-classifier"}
    ]


def test_references_and_excluded_parts_are_not_training_data_in_croissant(
    facts_store: lineage.Store,
) -> None:
    dataset = _export(facts_store, "croissant")
    assert [d["name"] for d in dataset["distribution"]] == ["pages-clean"]
    derived = {d["@id"] for d in dataset["prov:wasDerivedFrom"]}
    assert derived == {"urn:lineage:dataset:pages-dump", "urn:lineage:source:web-pages"}
    (line,) = [x for x in dataset["rai:dataPreprocessingProtocol"] if x.startswith("filter-pages")]
    assert "consulted (not as data): word-blocklist" in line and "removed: legacy-pages" in line
    assert "heldout-set" not in json.dumps(dataset["distribution"])
    assert dataset["rai:dataUseCases"] == ["training of acme-chat (commercial)"]


def test_declared_and_concluded_licences_in_spdx(facts_store: lineage.Store) -> None:
    by_id, relations = _spdx(facts_store)

    def expression(from_: str, type_: str) -> str:
        (target,) = _to(relations, from_, type_)
        return (
            str(by_id[target]["simplelicensing_licenseExpression"]) if target in by_id else target
        )

    web = "urn:lineage:source:web-pages"
    assert expression(web, "hasConcludedLicense") == "CC-BY-4.0"
    assert expression(web, "hasDeclaredLicense") == "CC-BY-SA-4.0"
    # nothing declared: NoAssertion, never the concluded licence repeated
    model = "urn:lineage:model:acme-chat"
    assert expression(model, "hasConcludedLicense") == "Apache-2.0"
    assert expression(model, "hasDeclaredLicense") == "expandedlicensing_NoAssertionLicense"


def test_declared_and_concluded_licences_in_cyclonedx(facts_store: lineage.Store) -> None:
    def web(bom: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in bom["components"] if c["bom-ref"] == "source:web-pages")

    newer = _export(facts_store, "cyclonedx", "1.7")
    assert web(newer)["licenses"] == [
        {"acknowledgement": "concluded", "expression": "CC-BY-4.0"},
        {"acknowledgement": "declared", "expression": "CC-BY-SA-4.0"},
    ]
    older = _export(facts_store, "cyclonedx", "1.6")  # one expression only
    assert web(older)["licenses"] == [{"acknowledgement": "concluded", "expression": "CC-BY-4.0"}]
    props = {p["name"]: p["value"] for p in web(older)["properties"]}
    assert props["lineage:declared_license"] == "CC-BY-SA-4.0"
    assert ("source:web-pages", "declared_license") in _gaps("cyclonedx", older)
    assert ("source:web-pages", "declared_license") not in _gaps("cyclonedx", newer)


def test_evaluations_become_spdx_metrics_and_tested_on(facts_store: lineage.Store) -> None:
    by_id, relations = _spdx(facts_store)
    model = by_id["urn:lineage:model:acme-chat"]
    metrics = {m["key"]: m["value"] for m in model["ai_metric"]}
    assert metrics == {
        "accuracy": "0.9",
        "accuracy[locale=en-NG]": "0.7",
        "accuracy_max_gap[locale=*]": "0.2",
    }
    assert _to(relations, "urn:lineage:model:acme-chat", "testedOn") == [
        "urn:lineage:source:heldout-set"
    ]
    statements = [
        json.loads(n["statement"])["lineage:evaluation"]
        for n in by_id.values()
        if "lineage:evaluation" in n.get("statement", "")
    ]
    gap = next(s for s in statements if s["metric"] == "accuracy_max_gap")
    assert (gap["threshold"], gap["direction"], gap["outcome"]) == (0.05, "lower-is-better", "fail")
    assert gap["by"] == "agent:ada-auditor" and gap["tier"] == "general-commercial"
    # the test data is no training data
    assert "urn:lineage:source:heldout-set" not in _to(
        relations, "urn:lineage:model:acme-chat", "trainedOn"
    )


def test_evaluations_become_cyclonedx_performance_metrics(facts_store: lineage.Store) -> None:
    bom = _export(facts_store, "cyclonedx")
    card = bom["metadata"]["component"]["modelCard"]
    metrics = card["quantitativeAnalysis"]["performanceMetrics"]
    assert {
        "type": "accuracy",
        "value": "0.9",
        "slice": "all",
        "confidenceInterval": {"lowerBound": "0.85", "upperBound": "0.95"},
    } in metrics
    assert {"type": "accuracy", "value": "0.7", "slice": "locale=en-NG"} in metrics
    (fair,) = card["considerations"]["fairnessAssessments"]
    assert fair["groupAtRisk"] == "groups by locale"
    assert "0.2" in fair["harms"] and "fail" in fair["harms"]
    evaluations = [
        json.loads(p["value"])
        for p in card["properties"]
        if p["name"].startswith("lineage:evaluation:")
    ]
    assert sorted(e["metric_value"] for e in evaluations) == [0.2, 0.7, 0.9]
    gaps = _gaps("cyclonedx", bom)
    assert any(record.startswith("evaluation:") and fact == "threshold" for record, fact in gaps)


def test_biases_limitations_and_personal_data_in_each_format(facts_store: lineage.Store) -> None:
    by_id, _ = _spdx(facts_store)
    web = by_id["urn:lineage:source:web-pages"]
    assert web["dataset_knownBias"] == ["over-represents US English pages"]
    assert web["dataset_hasSensitivePersonalInformation"] == "yes"
    assert "collected 2025-01-01..2025-02-01" in web["dataset_dataCollectionProcess"]
    assert "names, email addresses" in web["dataset_dataCollectionProcess"]
    assert (
        by_id["urn:lineage:model:acme-chat"]["ai_limitation"] == "English only; no medical advice"
    )
    card = _export(facts_store, "cyclonedx")["metadata"]["component"]["modelCard"]
    assert card["considerations"]["technicalLimitations"] == ["English only", "no medical advice"]
    assert card["considerations"]["ethicalConsiderations"] == [
        {"name": "answers favour US products"}
    ]
    assert card["considerations"]["useCases"] == ["commercial"]
    cdx_web = next(
        c for c in _export(facts_store, "cyclonedx")["components"] if c["name"] == "web-pages"
    )
    assert cdx_web["data"][0]["sensitiveData"] == ["names", "email addresses"]
    # Croissant of the web pages themselves: RAI fields
    web_doc = json.loads(facts_store.export("croissant", "web-pages").data)
    assert web_doc["rai:dataBiases"] == ["over-represents US English pages"]
    assert web_doc["rai:dataLimitations"] == ["no pages after February 2025"]
    assert web_doc["rai:dataCollectionTimeframe"] == ["2025-01-01", "2025-02-01"]
    assert web_doc["rai:dataCollectionType"] == ["Web Scraping"]
    assert web_doc["rai:personalSensitiveInformation"] == [
        "web-pages: personal data yes (names, email addresses)"
    ]


def test_licence_claims_are_statements_of_their_claimant(facts_store: lineage.Store) -> None:
    document = _export(facts_store, "spdx3")
    (claim,) = [n for n in document["@graph"] if "lineage:claim" in n.get("statement", "")]
    assert claim["subject"] == "urn:lineage:source:web-pages"
    (creation,) = [n for n in document["@graph"] if n.get("@id") == claim["creationInfo"]]
    assert creation["createdBy"] == ["urn:lineage:agent:ada-auditor"]
    assert creation["created"] == "2025-03-02T00:00:00Z"
    assert json.loads(claim["statement"])["lineage:claim"]["license"] == "CC-BY-NC-4.0"
    bom = _export(facts_store, "cyclonedx")
    (cdx_claim,) = [c for c in bom["declarations"]["claims"] if c["bom-ref"].startswith("licence-")]
    assert cdx_claim["target"] == "source:web-pages"
    assert cdx_claim["predicate"] == "licence CC-BY-NC-4.0"
    (evidence,) = bom["declarations"]["evidence"]
    assert evidence["author"] == {"name": "ada-auditor"}
    assert evidence["bom-ref"] in cdx_claim["evidence"]
    # Croissant has no home for it: kept whole, and listed as a gap
    dataset = _export(facts_store, "croissant")
    claims = [k for k in dataset["lineageFacts"]["records"] if k.startswith("claim:")]
    assert len(claims) == 1 and (claims[0], "record") in _gaps("croissant", dataset)


def test_purl_is_exported(facts_store: lineage.Store) -> None:
    by_id, _ = _spdx(facts_store)
    purl = "pkg:huggingface/acme/acme-chat@1"
    assert by_id["urn:lineage:model:acme-chat"]["software_packageUrl"] == purl
    assert _export(facts_store, "cyclonedx")["metadata"]["component"]["purl"] == purl


def test_these_exports_pass_the_real_validators_offline(
    facts_store: lineage.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a validator tried to reach the network: {args[1:3]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for format_, version in (
        ("spdx3", None),
        ("cyclonedx", "1.6"),
        ("cyclonedx", "1.7"),
        ("croissant", "1.0"),
        ("croissant", "1.1"),
    ):
        for target in (MODEL, "web-pages"):
            # raises ExportInvalid when the validator or a post-check finds a problem
            facts_store.export(format_, target, spec_version=version, validate=True)


def test_cyclonedx_data_governance_and_classification(facts_store: lineage.Store) -> None:
    components = {c["name"]: c for c in _export(facts_store, "cyclonedx")["components"]}
    clean = components["pages-clean"]["data"][0]
    assert clean["governance"]["custodians"] == [{"organization": {"name": "acme"}}]
    assert "classification" not in clean  # personal data unknown: no classification
    web = components["web-pages"]["data"][0]
    assert web["classification"] == "personal data"
    assert web["governance"]["owners"] == [{"organization": {"name": "Crawl Co"}}]


def test_croissant_of_test_data_names_the_models_it_tested(facts_store: lineage.Store) -> None:
    dataset = json.loads(facts_store.export("croissant", "heldout-set").data)
    assert dataset["rai:dataUseCases"] == ["testing of acme-chat"]
    assert dataset["rai:dataBiases"] == ["questions written by two people"]
    # training data is not test data
    assert "rai:dataUseCases" not in json.loads(facts_store.export("croissant", "web-pages").data)
