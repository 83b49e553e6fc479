"""Manifest ingestion: whole or nothing, idempotent, and errors that name file, line and field."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from samples import SAMPLE, table_counts

import lineage
from lineage import LineageError

SAMPLE_MANIFEST = SAMPLE / "lineage.yaml"
BAD = SAMPLE / "bad"


def _expected_counts(manifest: dict[str, Any]) -> dict[str, int]:
    """Rows a manifest should write, counted from the manifest itself."""
    nodes = sum(len(items or []) for items in manifest.values())  # one record per item
    models = {m["name"] for m in manifest.get("models") or []}
    edges = sum(1 for a in manifest.get("agents") or [] if a.get("acted_on_behalf_of"))
    for section in ("sources", "datasets", "models"):
        for item in manifest.get(section) or []:
            edges += len(item.get("derived_from") or []) + len(item.get("attributed_to") or [])
            edges += 1 if item.get("generated_by") in models else 0
    for run in manifest.get("runs") or []:
        agents = run.get("agent") or []
        edges += len(run["inputs"]) + len(run["outputs"])
        edges += 1 if isinstance(agents, str) else len(agents)
    edges += 2 * len(manifest.get("attestations") or [])  # its subject and who signed it
    edges += 2 * len(manifest.get("claims") or [])  # what it is about and who claims it
    # An amendment is a new version (a node row) of a record, with no relations of its own.
    # An evaluation: its model, test data, run and evaluator; its run (one recorded per
    # model, test data, evaluator and date when none is named) used model and test data.
    used = {(r.get("name"), i) for r in manifest.get("runs") or [] for i in r["inputs"]}
    derived: set[tuple[str, ...]] = set()
    run_edges: set[tuple[Any, ...]] = set()
    for item in manifest.get("evaluations") or []:
        edges += 3 + (1 if item.get("by") else 0)
        run: Any = item.get("run")
        if run is None:
            run = (item["model"], item["dataset"], item.get("by"), str(item.get("date")))
            derived.add(run)
            if item.get("by"):
                run_edges.add((run, "agent", item["by"]))
        run_edges |= {(run, item["model"]), (run, item["dataset"])} - used
    return {"node": nodes + len(derived), "edge": edges + len(run_edges), "ledger": 1}


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def holding_data(store: lineage.Store) -> lineage.Store:
    """A store with one unrelated record, so 'nothing written' is not trivially true."""
    store.add_agent("auditor", type="person")
    assert table_counts(store.database.url) == {"node": 1, "edge": 0, "ledger": 1}
    return store


def test_valid_manifest_lands_whole(store: lineage.Store) -> None:
    expected = _expected_counts(yaml.safe_load(SAMPLE_MANIFEST.read_text(encoding="utf-8")))
    assert expected["node"] > 30

    result = store.ingest([str(SAMPLE_MANIFEST)])

    assert table_counts(store.database.url) == expected
    assert len(result.created) == expected["node"]
    assert result.edges == expected["edge"]
    assert store.verify().ok


def test_reingesting_a_manifest_is_a_no_op(store: lineage.Store) -> None:
    store.ingest([str(SAMPLE_MANIFEST)])
    before = table_counts(store.database.url)
    assert before["node"] > 30

    again = store.ingest([str(SAMPLE_MANIFEST)])

    assert again.created == ()
    # Every item is unchanged: records, claims, and the amendment of a record it also lists.
    assert len(again.unchanged) == before["node"]
    assert again.ledger_seq is None
    assert table_counts(store.database.url) == before


def test_json_manifest_records_the_same_facts_as_yaml(store: lineage.Store, tmp_path: Path) -> None:
    manifest = yaml.safe_load(SAMPLE_MANIFEST.read_text(encoding="utf-8"))
    for section in ("sources", "datasets", "models"):
        for item in manifest[section]:
            if "path" in item:
                item["path"] = os.path.join(SAMPLE, item["path"])
    as_json = _write(tmp_path / "lineage.json", json.dumps(manifest, indent=2, default=str))

    store.ingest([as_json])
    after_json = table_counts(store.database.url)
    again_as_yaml = store.ingest([str(SAMPLE_MANIFEST)])

    assert after_json == _expected_counts(manifest)
    assert again_as_yaml.created == ()
    assert table_counts(store.database.url) == after_json


# (manifest, line, what the message must say). Lines are those the files' comments name.
SAMPLE_BAD = [
    ("syntax_error.yaml", 9, ["not valid YAML", "mapping values are not allowed"]),
    ("unknown_reference.yaml", 14, ["'web-crawl-2025-06'", "not recorded"]),
    ("bad_licence.yaml", 8, ["field 'license'", "'MIT-ish'"]),
    ("bad_date.yaml", 7, ["field 'collected'", "'2025-02-30'"]),
    ("cycle.yaml", 19, ["cyclic", "dataset:web-text-raw"]),
    ("missing_field.yaml", 12, ["runs[0] 'scrub-pii-2025-06-03'", "output"]),
    ("wrong_type.yaml", 9, ["field 'records'", "integer"]),
    ("missing_path.yaml", 8, ["field 'path'", "instructions-v2.jsonl", "does not exist"]),
]


@pytest.mark.parametrize(("name", "line", "says"), SAMPLE_BAD, ids=[case[0] for case in SAMPLE_BAD])
def test_broken_sample_manifest_names_file_line_and_field_and_writes_nothing(
    holding_data: lineage.Store, name: str, line: int, says: list[str]
) -> None:
    path = str(BAD / name)
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError) as raised:
        holding_data.ingest([path])

    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert "\n" not in message
    for fragment in says:
        assert fragment in message
    assert table_counts(holding_data.database.url) == before


OWN_BAD = {
    "unknown_field": (
        "sources:\n  - name: s1\n    license: MIT\n    licence: MIT\n",
        4,
        ["sources[0] 's1'", "field 'licence'", "unknown field"],
    ),
    "duplicate_key": (
        "sources:\n  - name: s1\n    license: MIT\n    license: Apache-2.0\n",
        4,
        ["duplicate key 'license'"],
    ),
    "unknown_section": (
        "agents:\n  - {name: ann, type: person}\nsource:\n  - name: s1\n",
        3,
        ["unknown section 'source'"],
    ),
    "wrong_type_records": (
        "sources:\n  - name: s1\n    license: MIT\n    records: many\n",
        4,
        ["field 'records'"],
    ),
    "run_without_outputs": (
        "sources:\n  - name: s1\nruns:\n  - operation: copy\n    inputs: [s1]\n",
        4,
        ["runs[0]", "output"],
    ),
    # The first relation of the file (line 8) has nothing to do with the cycle, which
    # is closed by the output on line 17.
    "cycle_after_an_unrelated_run": (
        "datasets:\n  - name: x\n  - name: y\n  - name: p\n  - name: q\n"
        "runs:\n  - name: fine\n    inputs: [x]\n    outputs: [y]\n    operation: copy\n"
        "  - name: forward\n    inputs: [p]\n    outputs: [q]\n    operation: copy\n"
        "  - name: back\n    inputs: [q]\n    outputs: [p]\n    operation: copy\n",
        17,
        ["cyclic", "dataset:p", "dataset:q"],
    ),
}


@pytest.mark.parametrize("case", sorted(OWN_BAD))
def test_broken_manifest_names_file_line_and_field_and_writes_nothing(
    holding_data: lineage.Store, tmp_path: Path, case: str
) -> None:
    text, line, says = OWN_BAD[case]
    path = _write(tmp_path / f"{case}.yaml", text)
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError) as raised:
        holding_data.ingest([path])

    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert "\n" not in message
    for fragment in says:
        assert fragment in message
    assert table_counts(holding_data.database.url) == before


def test_broken_json_manifest_names_the_line_of_the_field(
    holding_data: lineage.Store, tmp_path: Path
) -> None:
    manifest = {"sources": [{"name": "s1", "obtained": "public", "license": "MIT-ish"}]}
    path = _write(tmp_path / "bad.json", json.dumps(manifest, indent=2))
    line = 1 + next(
        i for i, text in enumerate(Path(path).read_text().splitlines()) if "MIT-ish" in text
    )
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError) as raised:
        holding_data.ingest([path])

    assert str(raised.value).startswith(f"{path}:{line}: sources[0] 's1': field 'license'")
    assert table_counts(holding_data.database.url) == before


def test_missing_manifest_file_is_an_error_that_writes_nothing(
    holding_data: lineage.Store, tmp_path: Path
) -> None:
    path = str(tmp_path / "nosuch.yaml")
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError, match="no such file"):
        holding_data.ingest([path])

    assert table_counts(holding_data.database.url) == before


def test_several_files_are_one_transaction_so_a_bad_second_file_writes_nothing(
    holding_data: lineage.Store, tmp_path: Path
) -> None:
    good = _write(tmp_path / "good.yaml", "sources:\n  - name: good-source\n    license: MIT\n")
    bad = str(BAD / "bad_licence.yaml")
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError, match="MIT-ish"):
        holding_data.ingest([good, bad])

    assert table_counts(holding_data.database.url) == before
    assert "source:good-source" not in {s.id for s in holding_data.list()}


def test_several_files_land_in_one_ledger_entry(
    holding_data: lineage.Store, tmp_path: Path
) -> None:
    first = _write(tmp_path / "one.yaml", "sources:\n  - name: s1\n    license: MIT\n")
    second = _write(
        tmp_path / "two.yaml",
        "datasets:\n  - name: d1\nruns:\n  - {operation: copy, inputs: [s1], outputs: [d1]}\n",
    )

    result = holding_data.ingest([first, second])

    assert result.ledger_seq == 2
    assert table_counts(holding_data.database.url) == {"node": 4, "edge": 2, "ledger": 2}


def test_manifest_given_as_data_lands_in_one_transaction(store: lineage.Store) -> None:
    result = store.record(
        {
            "agents": [{"name": "ann", "type": "person"}],
            "sources": [{"name": "raw", "license": "MIT"}],
            "datasets": [{"name": "clean"}],
            "runs": [
                {"operation": "copy", "inputs": ["raw"], "outputs": ["clean"], "agent": "ann"}
            ],
        }
    )

    assert result.ledger_seq == 1
    assert table_counts(store.database.url) == {"node": 4, "edge": 3, "ledger": 1}


def test_bad_manifest_given_as_data_names_the_item_and_field_and_writes_nothing(
    holding_data: lineage.Store,
) -> None:
    before = table_counts(holding_data.database.url)

    with pytest.raises(LineageError) as raised:
        holding_data.record(
            {"sources": [{"name": "ok", "license": "MIT"}, {"name": "b", "license": "MIT-ish"}]}
        )

    assert str(raised.value).startswith("<data>: sources[1] 'b': field 'license': 'MIT-ish'")
    assert table_counts(holding_data.database.url) == before
