"""AI bills of materials (spdx3, cyclonedx, croissant): deterministic, carrying the ledger
head and the gap list, never dropping a fact silently; bad requests refused in one line."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import SAMPLE, table_counts

import lineage

MODEL = "support-assistant-v1"
DATASET = "user-data-scrubbed"
FORMATS = ("spdx3", "cyclonedx", "croissant")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("bom") / "lineage.db")
    with lineage.open_store(db) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
    return db


def _head(db: str) -> str:
    with lineage.open_store(db) as store:
        graph = store.export_graph(MODEL)
    head: str = graph.graph["ledger_head"]["hash"]
    return head


def _gaps(format_: str, document: dict[str, Any]) -> list[dict[str, str]]:
    if format_ == "spdx3":
        (note,) = [
            n for n in document["@graph"] if n.get("spdxId") == "urn:lineage:document/lineage"
        ]
        gaps: list[dict[str, str]] = json.loads(note["statement"])["lineage:gaps"]
        return gaps
    if format_ == "cyclonedx":
        (prop,) = [p for p in document["metadata"]["properties"] if p["name"] == "lineage:gaps"]
        return list(json.loads(prop["value"]))
    return list(document["lineageGaps"])


def test_bom_exports_are_deterministic_on_both_engines(sample_store: lineage.Store) -> None:
    for format_ in FORMATS:
        for target in (MODEL, DATASET):
            first = sample_store.export(format_, target).data
            assert first == sample_store.export(format_, target).data, (format_, target)
            assert first.endswith(b"\n")
            json.loads(first)


@pytest.mark.parametrize("format_", FORMATS)
def test_export_carries_the_ledger_head(sample_db: str, format_: str) -> None:
    head = _head(sample_db)
    for target in (MODEL, DATASET):
        text = ok(invoke(sample_db, f"export --format {format_} {target}"))
        assert head in text
        assert _gaps(format_, json.loads(text)), "the sample has facts no standard holds"


@pytest.mark.parametrize("format_", FORMATS)
def test_every_fact_is_exported_or_listed_as_a_gap(sample_db: str, format_: str) -> None:
    with lineage.open_store(sample_db) as store:
        graph = store.export_graph(MODEL)
        data = store.export(format_, MODEL).data
    document = json.loads(data)
    text = data.decode("utf-8")
    listed = {(g["record"], g["fact"]) for g in _gaps(format_, document)}
    identity = {"kind", "name", "version", "seal", "effective"}
    checked = 0
    for key, node in graph.nodes(data=True):
        for fact, value in node.items():
            if fact in identity or (key, fact) in listed or (key, "record") in listed:
                continue
            # Not a gap: the value must be in the document, in the standard's own terms.
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, dict):
                    continue  # mappings (params) are written entry by entry
                needle = str(item).removeprefix("sha256:")
                if fact in ("started", "ended"):
                    needle = needle[:19]
                if fact in ("modality", "personal_data", "agent_type"):
                    continue  # mapped to the standard's own vocabulary (Person, noAssertion…)
                assert needle in text, (format_, key, fact, item)
                checked += 1
    assert checked >= (5 if format_ == "croissant" else 50)  # croissant: training data only


def test_gap_list_names_what_spdx_cannot_hold(sample_db: str) -> None:
    with lineage.open_store(sample_db) as store:
        document = json.loads(store.export("spdx3", MODEL).data)
    gaps = {(g["record"], g["fact"]): g["held"] for g in _gaps("spdx3", document)}
    assert gaps[("source:support-tickets-2025h1", "legal_basis")] == "Annotation"
    assert ("dataset:user-data-scrubbed", "records") in gaps
    assert ("agent:dana-okafor", "acted_on_behalf_of") in gaps
    # and the Annotation holds the value
    (facts,) = [
        json.loads(n["statement"])["lineage:facts"]
        for n in document["@graph"]
        if n.get("spdxId") == "urn:lineage:source:support-tickets-2025h1/lineage-facts"
    ]
    assert facts["legal_basis"].startswith("GDPR Art. 6(1)(f)")


def test_spdx_model_package_and_relationships(sample_db: str) -> None:
    with lineage.open_store(sample_db) as store:
        document = json.loads(store.export("spdx3", MODEL).data)
    by_id = {n.get("spdxId"): n for n in document["@graph"]}
    model = by_id["urn:lineage:model:support-assistant-v1"]
    assert model["type"] == "ai_AIPackage"
    assert model["ai_useSensitivePersonalInformation"] == "yes"  # tickets hold personal data
    assert model["suppliedBy"] == "urn:lineage:owner:Northwind%20Labs"
    relations = [n for n in document["@graph"] if n.get("type", "").endswith("Relationship")]
    (trained,) = [r for r in relations if r["relationshipType"] == "trainedOn"]
    assert trained["to"] == ["urn:lineage:dataset:mixture-v1-tokens"]
    licences = {
        (r["from"], r["relationshipType"]): r["to"]
        for r in relations
        if r["relationshipType"] in ("hasConcludedLicense", "hasDeclaredLicense")
    }
    # an unknown licence is NoAssertion, never dropped
    assert licences[("urn:lineage:dataset:code-files", "hasDeclaredLicense")] == [
        "expandedlicensing_NoAssertionLicense"
    ]
    assert (
        by_id[licences[("urn:lineage:model:support-assistant-v1", "hasConcludedLicense")][0]][
            "simplelicensing_licenseExpression"
        ]
        == "LicenseRef-northwind-proprietary"
    )
    # The sample's two sign-offs (the approval and its renewal), each a review annotation.
    signoffs = [n for n in document["@graph"] if n.get("annotationType") == "review"]
    statements = sorted((json.loads(n["statement"]) for n in signoffs), key=lambda s: s["expires"])
    assert [(s["decision"], s["expires"]) for s in statements] == [
        ("conditional", "2026-06-16"),
        ("conditional", "2027-11-20"),
    ]


def test_cyclonedx_model_card_and_graph(sample_db: str) -> None:
    with lineage.open_store(sample_db) as store:
        bom = json.loads(store.export("cyclonedx", MODEL, spec_version="1.7").data)
    assert bom["specVersion"] == "1.7"
    subject = bom["metadata"]["component"]
    assert subject["type"] == "machine-learning-model"
    assert subject["modelCard"]["modelParameters"]["datasets"] == [
        {"ref": "dataset:mixture-v1-tokens"}
    ]
    assert all(c["bom-ref"] != subject["bom-ref"] for c in bom["components"])
    deps = {d["ref"]: d["dependsOn"] for d in bom["dependencies"]}
    assert deps["model:support-assistant-v1"] == [
        "dataset:mixture-v1-tokens",
        "model:larkspur-1b-base",
    ]
    assert deps["source:synthetic-instructions-orion"] == ["model:orion-70b-chat"]
    tickets = next(c for c in bom["components"] if c["bom-ref"] == "source:support-tickets-2025h1")
    assert "postal addresses" in tickets["data"][0]["sensitiveData"]
    assert bom["declarations"]["claims"][0]["target"] == "model:support-assistant-v1"


def test_croissant_dataset_has_files_and_rai(sample_db: str) -> None:
    with lineage.open_store(sample_db) as store:
        dataset = json.loads(store.export("croissant", DATASET, spec_version="1.1").data)
    assert dataset["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    (item,) = dataset["distribution"]
    assert item["@type"] == "cr:FileObject"
    assert item["sha256"] == "c9f0192307341b2653d7c6b559a14c473ec962e446e72b1bfb07bdd1a3b408f2"
    assert item["contentSize"] == "81710 B"
    assert {"@id": "urn:lineage:source:chat-transcripts-2025"} in dataset["prov:wasDerivedFrom"]
    assert any("scrub-pii" in line for line in dataset["rai:dataPreprocessingProtocol"])
    assert dataset["rai:personalSensitiveInformation"] == ["user-data-scrubbed: personal data no"]


def test_as_of_exports_the_earlier_ledger_head(store: lineage.Store) -> None:
    store.add_dataset("corpus", license="MIT", owner="Acme")
    before = store.export_graph("corpus").graph["ledger_head"]
    time.sleep(0.01)
    later = datetime.now(UTC)
    time.sleep(0.01)
    store.amend("corpus", reason="relicensed", license="Apache-2.0")
    for format_ in FORMATS:
        then = store.export(format_, "corpus", as_of=later).data.decode()
        now = store.export(format_, "corpus").data.decode()
        assert before["hash"] in then and before["hash"] not in now
        assert "MIT" in then and "Apache-2.0" in now


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("export --format spdx3", "needs a TARGET"),
        ("export --format cyclonedx train-support-assistant-v1", "is a activity"),
        ("export --format cyclonedx --spec-version 1.5 support-assistant-v1", "1.6, 1.7"),
        ("export --format croissant --spec-version 2.0 web-text-en", "1.0, 1.1"),
        ("export --format prov-json --spec-version 1.6 web-text-en", "not prov-json"),
        ("export --format prov-json --validate web-text-en", "not prov-json"),
        ("export --format spdx3 no-such-model", "no-such-model"),
    ],
)
def test_bad_bom_requests_fail_in_one_line(sample_db: str, command: str, message: str) -> None:
    before = table_counts(f"sqlite:///{sample_db}")
    line = one_error_line(invoke(sample_db, command), 1)
    assert message in line
    assert table_counts(f"sqlite:///{sample_db}") == before


def test_validate_without_the_validators_says_how_to_get_them(
    sample_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_validators(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("pyshacl", "cyclonedx", "mlcroissant"):
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_validators)
    for format_ in FORMATS:
        line = one_error_line(invoke(sample_db, f"export --format {format_} --validate {MODEL}"), 1)
        assert "pip install 'lineage[validate]'" in line
