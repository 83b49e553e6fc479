"""PROV export: every format loads back in `prov` without warnings and keeps every
record, relation and fact."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import prov.tests
import pytest
from prov.constants import PROV_LABEL, PROV_ROLE, PROV_TYPE
from prov.model import Literal, ProvDocument, ProvRecord

import lineage
from lineage.prov_vocabulary import ATTR, LINEAGE, RELATIONS, encode_local
from lineage.store.tables import FACT_COLUMNS

# Our format name -> how `prov` reads it back.
READERS: dict[str, dict[str, Any]] = {
    "prov-json": {"format": "json"},
    "prov-xml": {"format": "xml"},
    "prov-o": {"format": "rdf", "rdf_format": "turtle"},
    "prov-n": {"format": "provn"},
}
# Facts written as PROV's own terms rather than lineage:COLUMN.
AS_PROV_TERMS = {"started", "ended", "agent_type", "attrs"}


def _load(data: bytes, format_: str) -> ProvDocument:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # rdflib 7.5+ deprecates an API that prov's RDF reader calls; not ours to fix.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        return ProvDocument.deserialize(content=data.decode("utf-8"), **READERS[format_])


def _records_by_id(document: ProvDocument) -> dict[str, ProvRecord]:
    return {str(r.identifier): r for r in document.get_records() if r.is_element()}


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The whole sample store, its graph, and its export in every PROV format."""
    from samples import SAMPLE

    url = f"sqlite:///{tmp_path_factory.mktemp('prov') / 'lineage.db'}"
    with lineage.open_store(url) as store:
        store.ingest([str(SAMPLE / "lineage.yaml")])
        graph = store.export_graph()
        data = {f: store.export(f).data for f in READERS}
    return {"graph": graph, "data": data}


@pytest.mark.parametrize("format_", list(READERS))
def test_every_format_loads_back_in_prov_as_the_same_document(
    sample_exports: dict[str, Any], format_: str
) -> None:
    reference = _load(sample_exports["data"]["prov-json"], "prov-json")

    loaded = _load(sample_exports["data"][format_], format_)

    assert len(loaded.get_records()) == len(reference.get_records()) == 79 + 136
    assert loaded == reference


@pytest.mark.parametrize("format_", list(READERS))
def test_every_record_and_fact_is_in_the_document(
    sample_exports: dict[str, Any], format_: str
) -> None:
    graph = sample_exports["graph"]
    records = _records_by_id(_load(sample_exports["data"][format_], format_))

    assert len(records) == graph.number_of_nodes() == 79
    for _, node in graph.nodes(data=True):
        record = records[f"{node['kind']}:{encode_local(node['name'])}"]
        assert record.get_attribute(PROV_LABEL) == {node["name"]}
        for column in FACT_COLUMNS:
            if node.get(column) is not None and column not in AS_PROV_TERMS:
                written = record.get_attribute(LINEAGE[column])
                assert len(written) == 1, (node["name"], column)
                value = next(iter(written))
                text = value.value if isinstance(value, Literal) else value
                expected = node[column]
                if isinstance(expected, list | dict):
                    assert json.loads(text) == expected, (node["name"], column)
                else:
                    assert str(text) == str(expected), (node["name"], column)


def test_kinds_are_prov_types_and_runs_are_activities_with_their_times(
    sample_exports: dict[str, Any],
) -> None:
    records = _records_by_id(_load(sample_exports["data"]["prov-json"], "prov-json"))
    kinds = Counter(k for _, k in sample_exports["graph"].nodes(data="kind"))

    types = Counter(str(t) for r in records.values() for t in r.get_attribute(PROV_TYPE))
    run = records["activity:extract-text-2025-06-02"]

    assert types["lineage:Source"] == kinds["source"] > 0
    assert types["lineage:Dataset"] == kinds["dataset"] > 0
    assert types["lineage:Model"] == kinds["model"] > 0
    assert types["lineage:Attestation"] == kinds["attestation"] > 0
    assert types["lineage:LicenceClaim"] == kinds["claim"] == 1
    assert (
        types["prov:Person"] + types["prov:Organization"] + types["prov:SoftwareAgent"]
        == (kinds["agent"])
    )
    assert (
        sum(1 for r in records.values() if r.get_type().localpart == "Activity")
        == (kinds["activity"])
    )
    facts = sample_exports["graph"].nodes["activity:extract-text-2025-06-02"]
    assert facts["started"] == "2025-06-02T08:00:00Z"
    assert run.get_startTime() == lineage.parse_time(facts["started"])
    assert run.get_endTime() == lineage.parse_time(facts["ended"])
    assert run.get_attribute(LINEAGE["tool"]) == {facts["tool"]}
    assert run.get_attribute(LINEAGE["records_in"]) == {facts["records_in"]} == {176}


def test_paper_trail_facts_are_typed_attributes(sample_exports: dict[str, Any]) -> None:
    records = _records_by_id(_load(sample_exports["data"]["prov-o"], "prov-o"))
    crawl = records["source:web-crawl-2025-05"]

    def only(attribute: str) -> Any:
        (value,) = crawl.get_attribute(LINEAGE[attribute])
        return value

    assert only("license") == "LicenseRef-website-terms"
    assert only("obtained") == "crawled"
    assert only("digest").startswith("sha256:")
    assert str(only("collected_start").datatype) == "xsd:date"
    assert only("collected_start").value == "2025-05-01"
    assert str(only("data_types").datatype) == "rdf:JSON"
    assert json.loads(only("data_types").value)[0] == "web pages"
    (crawler,) = crawl.get_attribute(ATTR["crawler"])
    assert crawler == "NorthwindBot/1.4"


@pytest.mark.parametrize("format_", list(READERS))
def test_every_relation_is_in_the_document(sample_exports: dict[str, Any], format_: str) -> None:
    graph = sample_exports["graph"]
    document = _load(sample_exports["data"][format_], format_)
    written = Counter(r.get_type() for r in document.get_records() if not r.is_element())
    expected = Counter(RELATIONS[d["relation"]].record_type for _, _, d in graph.edges(data=True))

    assert written == expected
    assert len(expected) == 6  # every relation of the store is in the sample


def test_roles_are_written_as_prov_role(store: lineage.Store, tmp_path: Path) -> None:
    document = ProvDocument()
    document.add_namespace("ex", "http://example.org/")
    document.activity("ex:train")
    document.agent("ex:ann", {"prov:type": "prov:Person"})
    document.entity("ex:corpus")
    document.used("ex:train", "ex:corpus", other_attributes={"prov:role": "training data"})
    document.wasAssociatedWith("ex:train", "ex:ann", other_attributes={"prov:role": "operator"})
    source = tmp_path / "in.json"
    source.write_text(document.serialize(format="json"), encoding="utf-8")
    store.ingest([str(source)])

    exported = _load(store.export("prov-xml").data, "prov-xml")

    roles = {
        r.get_type().localpart: r.get_attribute(PROV_ROLE)
        for r in exported.get_records()
        if not r.is_element()
    }
    assert roles == {"Usage": {"training data"}, "Association": {"operator"}}


def test_an_export_of_a_target_holds_only_its_upstream(sample_store: lineage.Store) -> None:
    upstream = {f"{r.kind}:{encode_local(r.name)}" for r in sample_store.closure("web-text-en")}

    exported = _load(sample_store.export("prov-json", "web-text-en").data, "prov-json")

    assert set(_records_by_id(exported)) == upstream | {"dataset:web-text-en"}
    assert len(upstream) >= 4


def test_names_any_serialisation_would_choke_on_survive_every_format(
    store: lineage.Store,
) -> None:
    odd = ["-leading dash", "trailing dot.", "a b:c/d%e", "(x)=[y];'z'", "ünï cödé", "#1?"]
    for name in odd:
        store.add_source(name, description=f"named {name}")
    store.add_dataset("all of them")
    store.record_run("merge", name="merge <&> run", inputs=odd, outputs=["all of them"])

    for format_ in READERS:
        labels = {
            next(iter(r.get_attribute(PROV_LABEL)))
            for r in _load(store.export(format_).data, format_).get_records()
            if r.is_element()
        }
        assert labels == {*odd, "all of them", "merge <&> run"}, format_


def test_an_unknown_format_or_target_is_refused(sample_store: lineage.Store) -> None:
    with pytest.raises(lineage.InvalidRecord, match="'prov-yaml' is not an export format"):
        sample_store.export("prov-yaml")
    with pytest.raises(lineage.UnknownNode, match="'nosuch' is not recorded"):
        sample_store.export("prov-json", "nosuch")


def test_an_export_as_of_a_past_time_writes_the_facts_then_in_force(store: lineage.Store) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0")
    before_amendment = store.show("reviews").current.recorded_at
    store.amend("reviews", reason="relicensed", license="CC-BY-4.0")
    store.add_dataset("later")

    then = _records_by_id(
        _load(
            store.export("prov-json", as_of=lineage.parse_time(before_amendment)).data, "prov-json"
        )
    )
    now = _records_by_id(_load(store.export("prov-json").data, "prov-json"))

    assert set(then) == {"source:reviews"}
    assert then["source:reviews"].get_attribute(LINEAGE["license"]) == {"CC-BY-NC-4.0"}
    assert then["source:reviews"].get_attribute(LINEAGE["version"]) == {1}
    assert now["source:reviews"].get_attribute(LINEAGE["license"]) == {"CC-BY-4.0"}
    assert set(now) == {"source:reviews", "dataset:later"}


def test_prov_xml_refuses_control_characters_xml_cannot_hold(store: lineage.Store) -> None:
    store.add_source("bell", description="rings \x07 here")

    with pytest.raises(lineage.InvalidRecord, match="cannot write PROV-XML"):
        store.export("prov-xml")
    # The other formats carry it, and PROV-JSON reads it back.
    assert "\\u0007" in store.export("prov-json").data.decode()


def test_an_export_of_a_target_holds_the_sign_offs_on_its_trail(store: lineage.Store) -> None:
    store.add_agent("org", type="organization")
    store.add_agent("ann", type="person", acted_on_behalf_of="org")
    store.add_source("raw")
    store.add_dataset("clean")
    store.add_model("m")
    store.record_run("clean", name="c", inputs=["raw"], outputs=["clean"])
    store.record_run("train", name="t", inputs=["clean"], outputs=["m"])
    store.approve("clean", by="ann", name="clean-ok")
    before_second = lineage.parse_time(store.show("clean-ok").current.recorded_at)
    store.approve("m", by="ann", name="m-ok")
    store.add_model("unrelated")

    now = set(_records_by_id(_load(store.export("prov-json", "m").data, "prov-json")))
    then = set(
        _records_by_id(_load(store.export("prov-json", "m", as_of=before_second).data, "prov-json"))
    )

    trail = {"model:m", "activity:t", "dataset:clean", "activity:c", "source:raw"}
    signers = {"agent:ann", "agent:org"}
    assert now == trail | signers | {"attestation:clean-ok", "attestation:m-ok"}
    assert then == trail | signers | {"attestation:clean-ok"}


def test_prov_json_validates_against_the_w3c_prov_json_schema(
    sample_exports: dict[str, Any],
) -> None:
    schema_path = Path(prov.tests.__file__).parent / "schemas" / "prov-json.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)

    errors = [
        str(e) for e in validator.iter_errors(json.loads(sample_exports["data"]["prov-json"]))
    ]

    assert errors == []
    assert len(json.loads(sample_exports["data"]["prov-json"])["entity"]) > 20
