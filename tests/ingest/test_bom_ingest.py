"""`lineage ingest` of SPDX 3 and CycloneDX documents: recognised by content, recorded as
upstream records, identities merged by digest, invalid documents refused in one line with
nothing written; store -> format -> fresh store keeps what the format holds (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_run import invoke, ok, one_error_line
from samples import SAMPLE, fresh_pg_schema, table_counts

import lineage
from lineage.ingest import load_document

MODEL = "support-assistant-v1"
# What each format does not carry back (README): local paths; sign-offs; CycloneDX: agents;
# licence claims; and a record's history (a document holds the version in force only).
NOT_CARRIED = {"path", "seal", "version", "effective"}


def _records(graph: Any, skip_kinds: set[str]) -> dict[str, dict[str, Any]]:
    return {
        key: {k: v for k, v in data.items() if k not in NOT_CARRIED}
        for key, data in graph.nodes(data=True)
        if data["kind"] not in skip_kinds
    }


def _relations(graph: Any, skip_kinds: set[str]) -> set[tuple[str, str, str, str | None]]:
    return {
        (s, o, d["relation"], d.get("role"))
        for s, o, d in graph.edges(data=True)
        if graph.nodes[s]["kind"] not in skip_kinds and graph.nodes[o]["kind"] not in skip_kinds
    }


def _declare(store: lineage.Store) -> None:
    """A declared licence beside the concluded one (the sample records none)."""
    store.amend(
        "source:web-crawl-2025-05",
        reason="the publisher's page declares CC-BY-4.0",
        declared_license="CC-BY-4.0",
    )


# What each format does not carry back: sign-offs (both); CycloneDX: agents, so neither
# who made a licence claim nor evaluated a model (README, "Ingest").
@pytest.mark.parametrize(
    ("format_", "skip_kinds"),
    [("spdx3", {"attestation"}), ("cyclonedx", {"attestation", "agent"})],
)
def test_round_trip_into_a_fresh_store(
    sample_store: lineage.Store,
    fresh_url: str,
    tmp_path: Path,
    format_: str,
    skip_kinds: set[str],
) -> None:
    _declare(sample_store)
    document = tmp_path / f"bom.{format_}.json"
    document.write_bytes(sample_store.export(format_, MODEL).data)
    assert load_document(str(document)).format == format_
    before = sample_store.export_graph(MODEL, evaluations=True)
    with lineage.open_store(fresh_url) as fresh:
        fresh.ingest([str(document)])
        after = fresh.export_graph(MODEL, evaluations=True)
    expected = _records(before, skip_kinds)
    got = _records(after, skip_kinds)
    # An evaluation run that made nothing else the document holds is not read back:
    # its evaluations get a run of their own (same operation, inputs and evaluator).
    evaluation_runs = {k for k in expected if k.startswith("activity:evaluate-")}
    assert "activity:evaluate-support-assistant-v1" in evaluation_runs
    assert "activity:evaluate-support-assistant-v1" not in got
    for key in evaluation_runs:
        expected.pop(key)
    for key in [k for k in got if k.startswith("activity:evaluate-")]:
        assert got.pop(key)["operation"] == "evaluate"
    assert got == expected
    assert sum(1 for k in expected if k.startswith("evaluation:")) == 13
    assert sum(1 for k in expected if k.startswith("claim:")) == 1
    assert expected["source:web-crawl-2025-05"]["declared_license"] == "CC-BY-4.0"
    relations, back = (
        {
            r
            for r in _relations(graph, skip_kinds)
            if not any(k.startswith("activity:evaluate-") for k in r[:2])
            and not (r[0].startswith("evaluation:") and r[2] == "was_generated_by")
        }
        for graph in (before, after)
    )
    assert back == relations
    # references and excluded parts keep their roles
    roles = {(s, o, role) for s, o, _, role in back if role in ("reference", "excluded")}
    assert roles == {
        ("activity:select-help-articles-2025-06-02", "source:word-blocklist", "reference"),
        ("activity:select-help-articles-2025-06-02", "source:help-centre-legacy-2019", "excluded"),
    }
    assert len(expected) > 25


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty store on the same engine as `db_url` (a new schema on PostgreSQL)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    with fresh_pg_schema() as url:
        yield url


@pytest.mark.parametrize("format_", ["spdx3", "cyclonedx"])
def test_identities_are_merged_by_digest(
    sample_store: lineage.Store, tmp_path: Path, format_: str
) -> None:
    # A supplier's BOM names our web-text-en by another name but with the same digest.
    document = json.loads(sample_store.export(format_, "web-text-en").data)
    text = json.dumps(document).replace("web-text-en", "supplier-copy-of-web-text")
    path = tmp_path / "supplier.json"
    path.write_text(text)
    result = sample_store.ingest([str(path)])
    created = {name for _, name, _ in result.created}
    assert "supplier-copy-of-web-text" not in created
    names = {s.name for s in sample_store.list()}
    assert "supplier-copy-of-web-text" not in names


def test_a_supplier_cyclonedx_bom_becomes_upstream_records(
    store: lineage.Store, tmp_path: Path
) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "component": {
                "bom-ref": "m1",
                "type": "machine-learning-model",
                "name": "acme-7b",
                "manufacturer": {"name": "Acme"},
                "licenses": [{"expression": "Apache-2.0"}],
                "purl": "pkg:huggingface/acme/acme-7b@1",
            }
        },
        "components": [
            {
                "bom-ref": "d1",
                "type": "data",
                "name": "acme-pile",
                "licenses": [{"license": {"id": "CC-BY-4.0"}}],
                "hashes": [{"alg": "SHA-256", "content": "ab" * 32}],
            }
        ],
        "dependencies": [{"ref": "m1", "dependsOn": ["d1"]}],
    }
    path = tmp_path / "acme.cdx.json"
    path.write_text(json.dumps(bom))
    store.ingest([str(path)])
    model = store.show("model:acme-7b").facts
    assert model["license"] == "Apache-2.0" and model["owner"] == "Acme"
    assert model["attrs"]["purl"] == "pkg:huggingface/acme/acme-7b@1"
    assert store.show("source:acme-pile").facts["license"] == "CC-BY-4.0"
    assert "source:acme-pile" in store.export_graph("acme-7b").nodes


@pytest.mark.parametrize(
    ("format_", "break_it", "message"),
    [
        ("spdx3", "dangling", "is not in the document"),
        ("spdx3", "licence-pair", "hasDeclaredLicense"),
        ("cyclonedx", "dangling", "is not a bom-ref"),
        ("cyclonedx", "expression", "MIT AND AND"),
    ],
)
def test_invalid_documents_are_refused_in_one_line(
    tmp_path: Path, format_: str, break_it: str, message: str
) -> None:
    db = str(tmp_path / "lineage.db")
    with lineage.open_store(db) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
        document = json.loads(store.export(format_, "web-text-en").data)
    if format_ == "spdx3":
        graph = document["@graph"]
        if break_it == "dangling":
            next(n for n in graph if n.get("relationshipType") == "hasOutput")["to"] = ["urn:x:y"]
        else:
            document["@graph"] = [
                n for n in graph if n.get("relationshipType") != "hasDeclaredLicense"
            ]
    elif break_it == "dangling":
        document["dependencies"][0]["dependsOn"] = ["dataset:nowhere"]
    else:
        document["components"][0]["licenses"] = [{"expression": "MIT AND AND"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    before = table_counts(f"sqlite:///{db}")
    line = one_error_line(invoke(db, f"ingest {path}"), 1)
    assert str(path) in line and message in line
    assert table_counts(f"sqlite:///{db}") == before


def test_cli_ingests_an_spdx_document(tmp_path: Path) -> None:
    source = str(tmp_path / "source.db")
    with lineage.open_store(source) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
        (tmp_path / "m.spdx3.json").write_bytes(store.export("spdx3", "web-text-en").data)
    fresh = str(tmp_path / "fresh.db")
    ok(invoke(fresh, f"ingest {tmp_path / 'm.spdx3.json'}"))
    with lineage.open_store(fresh) as store:
        assert store.show("dataset:web-text-en").facts["records"] == 171


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


SPDX_HEAD = '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": '
BAD_DOCUMENTS = {
    "cut-short": ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [', "JSON"),
    "too-deep": (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": ' + _deep(5000) + "}",
        "nested more than",
    ),
    "deep-but-parsable": (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "data", '
        '"name": "x", "data": [{"type": "dataset", "contents": ' + _deep(500) + "}]}]}",
        "nested more than",
    ),
    "deep-statement": (
        SPDX_HEAD + '[{"type": "Annotation", "spdxId": "urn:x", "subject": "urn:x", '
        '"contentType": "application/json", "statement": "' + _deep(3000) + '"}]}',
        "statement of urn:x",
    ),
    "wrong-shape": (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": '
        '[{"type": "data", "name": "x", "bom-ref": "source:x", "properties": "oops"}]}',
        "wrong type",
    ),
    "missing-key": (
        SPDX_HEAD + '[{"spdxId": "urn:lineage:source:x", "name": "x"}]}',
        "required field 'type' is missing",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_malformed_or_deep_documents_are_refused_in_one_line(
    sample_store: lineage.Store, db_url: str, tmp_path: Path, case: str
) -> None:
    text, message = BAD_DOCUMENTS[case]
    path = tmp_path / f"{case}.json"
    path.write_text(text)
    before = table_counts(db_url)
    line = one_error_line(invoke(db_url, f"ingest {path}"), 1)
    assert str(path) in line and message in line, line
    assert table_counts(db_url) == before


@pytest.mark.parametrize("format_", ["spdx3", "cyclonedx"])
def test_identities_are_merged_by_purl(store: lineage.Store, tmp_path: Path, format_: str) -> None:
    # Our record of a base model carries its purl; the supplier's BOM names it otherwise,
    # without a digest, but with the same purl: the BOM's relations point at our record.
    purl = "pkg:huggingface/acme/acme-7b@1"
    manifest = tmp_path / "ours.yaml"
    manifest.write_text(
        "models:\n  - {name: our-acme-base, license: Apache-2.0, attrs: {purl: '" + purl + "'}}\n"
    )
    store.ingest([str(manifest)])
    supplier = tmp_path / "supplier.yaml"
    supplier.write_text(
        "sources:\n  - {name: acme-pile, license: CC-BY-4.0}\n"
        "models:\n  - {name: acme-7b, license: Apache-2.0, attrs: {purl: '" + purl + "'}}\n"
        "runs:\n  - {operation: train, name: train-acme, inputs: [acme-pile], outputs: [acme-7b]}\n"
    )
    with lineage.open_store(f"sqlite:///{tmp_path / 'supplier.db'}") as theirs:
        theirs.ingest([str(supplier)])
        (tmp_path / "bom.json").write_bytes(theirs.export(format_, "acme-7b").data)
    result = store.ingest([str(tmp_path / "bom.json")])
    created = {name for _, name, _ in result.created}
    assert "acme-7b" not in created and "acme-pile" in created
    graph = store.export_graph("our-acme-base")
    assert "source:acme-pile" in graph.nodes  # the supplier's training data is upstream
    assert "model:acme-7b" not in {s.kind + ":" + s.name for s in store.list()}


def test_a_declared_licence_is_read_as_declared(store: lineage.Store, tmp_path: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.7",
        "version": 1,
        "components": [
            {
                "bom-ref": "d1",
                "type": "data",
                "name": "acme-pile",
                "licenses": [
                    {"expression": "CC-BY-SA-4.0", "acknowledgement": "declared"},
                    {"expression": "CC-BY-4.0", "acknowledgement": "concluded"},
                ],
            }
        ],
    }
    path = tmp_path / "acme.cdx.json"
    path.write_text(json.dumps(bom))
    store.ingest([str(path)])
    facts = store.show("source:acme-pile").facts
    assert (facts["license"], facts["declared_license"]) == ("CC-BY-4.0", "CC-BY-SA-4.0")
