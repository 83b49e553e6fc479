"""Golden files of the AI bills of materials: the sample model and a sample dataset in each
format. `pytest --update-golden` rewrites them; review the diff. What changes from one
ingest to the next (the ledger head's hash and time, and the CycloneDX serial number made
from them) is replaced by placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import SAMPLE

import lineage
from lineage.exports.bom.common import Export, LedgerHead, serial_number

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "bom"
SUFFIX = {"spdx3": "spdx3.json", "cyclonedx": "cdx.json", "croissant": "croissant.json"}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("bom-golden") / "lineage.db")
    with lineage.open_store(db) as store:
        store.set_data_root(str(SAMPLE.parent))
        store.ingest([str(SAMPLE / "lineage.yaml")])
    return db


@pytest.mark.parametrize("format_", sorted(SUFFIX))
@pytest.mark.parametrize("target", ["support-assistant-v1", "user-data-scrubbed"])
def test_golden(sample_db: str, format_: str, target: str, request: pytest.FixtureRequest) -> None:
    with lineage.open_store(sample_db) as store:
        graph = store.export_graph(target)
        text = store.export(format_, target).data.decode("utf-8")
    head = LedgerHead(**graph.graph["ledger_head"])
    serial = serial_number(Export(graph, graph.graph["root"], head))
    for value, placeholder in (
        (serial, "<serial-number>"),
        (head.hash, "<ledger-hash>"),
        (head.recorded_at, "<ledger-recorded-at>"),
        (head.recorded_at[:19] + "Z", "<ledger-recorded-at-seconds>"),
    ):
        text = text.replace(value, placeholder)
    golden = GOLDEN / f"{target}.{SUFFIX[format_]}"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8")
