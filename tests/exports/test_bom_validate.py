"""`--validate`: each bill of materials passes its standard's own validator with the network
blocked (a validator that fetched a URL would fail the test), and lineage's post-checks
each catch the defect they exist for."""

from __future__ import annotations

import copy
import json
import socket
import urllib.request
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import SAMPLE, table_counts

import lineage
from lineage.exports import EXPORTERS
from lineage.exports.bom.postchecks import (
    croissant_postchecks,
    cyclonedx_postchecks,
    spdx3_postchecks,
)
from lineage.exports.bom.validate import (
    croissant_errors,
    cyclonedx_errors,
    spdx3_errors,
    validate_bom,
)

MODEL = "support-assistant-v1"
DATASET = "user-data-scrubbed"


class NetworkBlocked(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test."""

    def refuse(self: socket.socket, address: Any) -> None:
        raise NetworkBlocked(f"a validator tried to connect to {address}")

    def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise NetworkBlocked(f"a validator tried to look up {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("bom-validate") / "lineage.db")
    with lineage.open_store(db) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
    return db


@pytest.fixture(scope="module")
def documents(sample_db: str) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    with lineage.open_store(sample_db) as store:
        for format_ in ("spdx3", "cyclonedx", "croissant"):
            for target in (MODEL, DATASET):
                out[(format_, target)] = json.loads(store.export(format_, target).data)
    return out


def test_the_network_is_really_blocked() -> None:
    with pytest.raises(NetworkBlocked):
        urllib.request.urlopen("http://example.org/", timeout=2)


@pytest.mark.parametrize("target", [MODEL, DATASET])
def test_spdx3_passes_schema_and_shacl_offline(
    documents: dict[tuple[str, str], dict[str, Any]], target: str
) -> None:
    document = documents[("spdx3", target)]
    assert spdx3_errors(document) == []
    assert spdx3_postchecks(document) == []


@pytest.mark.parametrize("version", ["1.6", "1.7"])
@pytest.mark.parametrize("target", [MODEL, DATASET])
def test_cyclonedx_passes_the_strict_validator_offline(
    sample_db: str, target: str, version: str
) -> None:
    with lineage.open_store(sample_db) as store:
        bom = json.loads(store.export("cyclonedx", target, spec_version=version).data)
    assert bom["specVersion"] == version
    assert cyclonedx_errors(bom) == []
    assert cyclonedx_postchecks(bom) == []


@pytest.mark.parametrize("version", ["1.0", "1.1"])
@pytest.mark.parametrize("target", [MODEL, DATASET])
def test_croissant_passes_mlcroissant_offline(sample_db: str, target: str, version: str) -> None:
    with lineage.open_store(sample_db) as store:
        dataset = json.loads(store.export("croissant", target, spec_version=version).data)
    assert croissant_errors(dataset) == []
    assert croissant_postchecks(dataset) == []


# The real validators catch what they are for.


def test_spdx3_validator_catches_a_wrong_enum(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = copy.deepcopy(documents[("spdx3", DATASET)])
    package = next(n for n in document["@graph"] if n.get("type") == "dataset_DatasetPackage")
    package["dataset_datasetType"] = ["tabular"]
    errors = spdx3_errors(document)
    assert any(e.startswith("schema:") and "dataset_datasetType" in e for e in errors)
    assert any(e.startswith("shacl:") and "tabular" in e for e in errors)


def test_spdx3_shacl_catches_a_dangling_reference(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = copy.deepcopy(documents[("spdx3", DATASET)])
    relation = next(n for n in document["@graph"] if n.get("relationshipType") == "hasInput")
    relation["to"] = ["urn:lineage:dataset:nowhere"]
    assert any("shacl:" in e for e in spdx3_errors(document))


def test_cyclonedx_validator_catches_a_licence_ref_as_a_licence_id(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = copy.deepcopy(documents[("cyclonedx", DATASET)])
    bom["components"][0]["licenses"] = [{"license": {"id": "LicenseRef-x"}}]
    assert cyclonedx_errors(bom)


def test_croissant_validator_catches_a_file_without_checksum(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    dataset = copy.deepcopy(documents[("croissant", DATASET)])
    del dataset["distribution"][0]["sha256"]
    assert croissant_errors(dataset)


# One negative test per post-check.


def _spdx(documents: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(documents[("spdx3", DATASET)])


def _package(document: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in document["@graph"] if n.get("type") == "dataset_DatasetPackage")


def test_postcheck_spdx3_duplicate_id(documents: dict[tuple[str, str], dict[str, Any]]) -> None:
    document = _spdx(documents)
    document["@graph"].append(copy.deepcopy(_package(document)))
    assert any(p.startswith("duplicate spdxId") for p in spdx3_postchecks(document))


def test_postcheck_spdx3_dangling_reference(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = _spdx(documents)
    relation = next(n for n in document["@graph"] if n.get("relationshipType") == "hasInput")
    relation["to"] = ["urn:lineage:dataset:nowhere"]
    assert any("urn:lineage:dataset:nowhere is not in" in p for p in spdx3_postchecks(document))


def test_postcheck_spdx3_package_without_name(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = _spdx(documents)
    del _package(document)["name"]
    assert any("a package without a name" in p for p in spdx3_postchecks(document))


@pytest.mark.parametrize("kind", ["hasConcludedLicense", "hasDeclaredLicense"])
def test_postcheck_spdx3_licence_pair(
    documents: dict[tuple[str, str], dict[str, Any]], kind: str
) -> None:
    document = _spdx(documents)
    document["@graph"] = [n for n in document["@graph"] if n.get("relationshipType") != kind]
    assert any(f"0 {kind} relationships" in p for p in spdx3_postchecks(document))


def test_postcheck_spdx3_one_originator(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = _spdx(documents)
    package = _package(document)
    package["originatedBy"] = [*package["originatedBy"], "urn:lineage:tool:lineage"]
    assert any("more than one originatedBy" in p for p in spdx3_postchecks(document))


def test_postcheck_spdx3_whole_seconds(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    document = _spdx(documents)
    _package(document)["builtTime"] = "2025-06-03T09:18:00.5Z"
    assert any("not UTC whole seconds" in p for p in spdx3_postchecks(document))


def _bom(documents: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(documents[("cyclonedx", MODEL)])


def test_postcheck_cyclonedx_duplicate_bom_ref(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["components"].append(copy.deepcopy(bom["metadata"]["component"]))
    problems = cyclonedx_postchecks(bom)
    assert "duplicate bom-ref model:support-assistant-v1" in problems
    assert cyclonedx_errors(bom) == []  # the schema does not notice


def test_postcheck_cyclonedx_dangling_depends_on(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["dependencies"][0]["dependsOn"].append("dataset:nowhere")
    assert any("dataset:nowhere is not a bom-ref" in p for p in cyclonedx_postchecks(bom))
    assert cyclonedx_errors(bom) == []


def test_postcheck_cyclonedx_dangling_model_card_dataset(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["metadata"]["component"]["modelCard"]["modelParameters"]["datasets"] = [
        {"ref": "dataset:nowhere"}
    ]
    assert any("modelCard.datasets" in p for p in cyclonedx_postchecks(bom))


def test_postcheck_cyclonedx_dangling_claim_target(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["declarations"]["claims"][0]["target"] = "model:nowhere"
    assert any("model:nowhere" in p for p in cyclonedx_postchecks(bom))


def test_postcheck_cyclonedx_dangling_claim_evidence(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    (claim,) = [c for c in bom["declarations"]["claims"] if "evidence" in c]
    assert cyclonedx_postchecks(bom) == []
    claim["evidence"] = ["evidence:nowhere"]
    assert any("evidence:nowhere" in p for p in cyclonedx_postchecks(bom))
    assert cyclonedx_errors(bom) == []  # the schema does not resolve references


def test_postcheck_cyclonedx_licence_expression(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["components"][0]["licenses"] = [{"expression": "MIT AND AND"}]
    assert any("'MIT AND AND'" in p for p in cyclonedx_postchecks(bom))
    assert cyclonedx_errors(bom) == []  # the schema does not parse expressions


def _croissant(documents: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    return copy.deepcopy(documents[("croissant", DATASET)])


@pytest.mark.parametrize("key", ["name", "description", "license", "url"])
def test_postcheck_croissant_required(
    documents: dict[tuple[str, str], dict[str, Any]], key: str
) -> None:
    dataset = _croissant(documents)
    del dataset[key]
    assert f"{key} is required by Croissant 1.0" in croissant_postchecks(dataset)


def test_postcheck_croissant_1_1_requires_creator(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    dataset = _croissant(documents)
    dataset["conformsTo"] = "http://mlcommons.org/croissant/1.1"
    del dataset["creator"]
    assert "creator is required by Croissant 1.1" in croissant_postchecks(dataset)


def test_postcheck_croissant_rai_term(documents: dict[tuple[str, str], dict[str, Any]]) -> None:
    dataset = _croissant(documents)
    dataset["rai:dataBiasez"] = ["misspelt"]
    assert "rai:dataBiasez is not a term of the RAI vocabulary" in croissant_postchecks(dataset)
    assert croissant_errors(dataset) == []  # mlcroissant ignores it


def test_postcheck_croissant_iso_dates(documents: dict[tuple[str, str], dict[str, Any]]) -> None:
    dataset = _croissant(documents)
    dataset["rai:dataCollectionTimeframe"] = ["March 2025", "2025-06-30"]
    assert any("March 2025 is not an ISO date" in p for p in croissant_postchecks(dataset))


def test_postcheck_croissant_sha256(documents: dict[tuple[str, str], dict[str, Any]]) -> None:
    dataset = _croissant(documents)
    dataset["distribution"][0]["sha256"] = "abc"
    assert any("not 64 hex" in p for p in croissant_postchecks(dataset))


def test_postcheck_croissant_duplicate_id(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    dataset = _croissant(documents)
    dataset["distribution"].append(copy.deepcopy(dataset["distribution"][0]))
    assert any(p.startswith("duplicate @id") for p in croissant_postchecks(dataset))


# Through the CLI.


def test_cli_validate_writes_a_valid_export(sample_db: str, tmp_path: Any) -> None:
    out = tmp_path / "bom.cdx.json"
    text = ok(invoke(sample_db, f"export --format cyclonedx {DATASET} --validate -o {out}"))
    assert "wrote" in text
    assert json.loads(out.read_bytes())["bomFormat"] == "CycloneDX"


def test_cli_validate_refuses_an_invalid_export_in_one_line(
    sample_db: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = EXPORTERS["cyclonedx"]

    def dangling(graph: Any) -> bytes:
        bom = json.loads(real(graph))
        bom["dependencies"][0]["dependsOn"].append("dataset:nowhere")
        return json.dumps(bom).encode()

    monkeypatch.setitem(EXPORTERS, "cyclonedx", dangling)
    out = tmp_path / "bom.cdx.json"
    before = table_counts(f"sqlite:///{sample_db}")
    line = one_error_line(
        invoke(sample_db, f"export --format cyclonedx {DATASET} --validate -o {out}"), 1
    )
    assert "is not valid" in line and "dataset:nowhere" in line
    assert not out.exists()
    assert table_counts(f"sqlite:///{sample_db}") == before


def test_validate_bom_raises_export_invalid(
    documents: dict[tuple[str, str], dict[str, Any]],
) -> None:
    bom = _bom(documents)
    bom["components"][0]["licenses"] = [{"expression": "MIT AND AND"}]
    with pytest.raises(lineage.ExportInvalid, match="MIT AND AND"):
        validate_bom("cyclonedx", json.dumps(bom).encode())


def test_the_vendored_spdx_files_are_the_official_ones() -> None:
    import hashlib

    from lineage.exports.bom.validate import SPDX_FILES

    expected = {
        "spdx-json-schema.json": "59f59713c7d73ff0d833f4f468df974a689fc9dd36dc5510f1875ff85d276c54",
        "spdx-model.ttl": "1e6df676d5a4108de90362170b0933da53f929ae8147453cea0dffadb804fae5",
        "spdx-context.jsonld": "c72b0928f094c83e5c127784edb1ebca2af74a104fcacc007c332b23cbc788bd",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((SPDX_FILES / name).read_bytes()).hexdigest() == digest
    assert "Community Specification License 1.0" in (SPDX_FILES / "NOTICE").read_text()
