"""The one write path, through the public `Store`, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from samples import table_counts

import lineage
from lineage import AmbiguousName, Conflict, CycleError, LineageError, UnknownNode
from lineage.store.tables import DIGEST_INDEX, METADATA


def _pipeline(store: lineage.Store) -> None:
    """raw (source) -> clean run -> clean (dataset)."""
    store.add_source("raw", license="MIT", obtained="public")
    store.add_dataset("clean")
    store.record_run("clean-text", name="clean-1", inputs=["raw"], outputs=["clean"])


def test_adding_the_same_source_twice_is_a_no_op_without_a_ledger_entry(
    store: lineage.Store,
) -> None:
    first = store.add_source("reviews", license="CC-BY-4.0", obtained="public")
    before = table_counts(store.database.url)
    assert before == {"node": 1, "edge": 0, "ledger": 1}

    again = store.add_source("reviews", license="CC-BY-4.0", obtained="public")

    assert first.created == (("source", "reviews", 1),)
    assert again.created == ()
    assert again.unchanged == (("source", "reviews"),)
    assert again.ledger_seq is None
    assert table_counts(store.database.url) == before


def test_recording_the_same_run_twice_is_a_no_op(store: lineage.Store) -> None:
    store.add_source("raw", license="MIT")
    store.add_dataset("clean")
    first = store.record_run("dedup", inputs=["raw"], outputs=["clean"], tool="dedup==2.3.1")
    before = table_counts(store.database.url)
    assert before == {"node": 3, "edge": 2, "ledger": 3}

    second = store.record_run("dedup", inputs=["raw"], outputs=["clean"], tool="dedup==2.3.1")

    assert second == first
    assert table_counts(store.database.url) == before


def test_same_name_with_other_facts_raises_conflict_and_writes_nothing(
    store: lineage.Store,
) -> None:
    store.add_source("reviews", license="CC-BY-4.0")
    before = table_counts(store.database.url)
    assert before["node"] == 1

    with pytest.raises(Conflict, match=r"source 'reviews' .*license.*'CC-BY-4.0'"):
        store.add_source("reviews", license="MIT")

    assert table_counts(store.database.url) == before
    assert store.show("reviews").facts["license"] == "CC-BY-4.0"


def test_amend_creates_version_2_with_reason_and_effective_date(store: lineage.Store) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0", owner="Shopwise")

    result = store.amend(
        "reviews", reason="publisher relicensed it", license="CC-BY-4.0", effective="2025-09-01"
    )

    assert result.created == (("source", "reviews", 2),)
    current = store.show("reviews").current
    assert current.version == 2
    assert current.reason == "publisher relicensed it"
    assert current.effective == "2025-09-01"
    assert current.facts["license"] == "CC-BY-4.0"
    assert current.facts["owner"] == "Shopwise"  # fields not amended are carried over


def test_show_gives_the_current_version_and_the_whole_history(store: lineage.Store) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0")
    store.amend("reviews", reason="relicensed", license="CC-BY-4.0")
    store.amend("reviews", reason="owner found", owner="Shopwise")

    record = store.show("reviews")

    assert record.id == "source:reviews"
    assert [v.version for v in record.history] == [1, 2, 3]
    assert [v.reason for v in record.history] == [None, "relicensed", "owner found"]
    assert [v.facts.get("license") for v in record.history] == [
        "CC-BY-NC-4.0",
        "CC-BY-4.0",
        "CC-BY-4.0",
    ]
    assert record.current == record.history[-1]
    assert record.facts == {"license": "CC-BY-4.0", "owner": "Shopwise"}


def test_show_as_of_a_time_before_the_amendment_gives_the_old_version(
    store: lineage.Store,
) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0")
    store.amend("reviews", reason="relicensed", license="CC-BY-4.0")
    history = store.show("reviews").history
    assert len(history) == 2
    recorded_v1 = datetime.fromisoformat(history[0].recorded_at.replace("Z", "+00:00"))

    then = store.show("reviews", as_of=recorded_v1)

    assert then.current.version == 1
    assert then.facts["license"] == "CC-BY-NC-4.0"
    assert len(then.history) == 1


@pytest.fixture
def new_york_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with a local time zone that is not UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york_time")
def test_show_as_of_a_time_without_a_zone_reads_it_as_utc(store: lineage.Store) -> None:
    store.add_source("reviews", license="CC-BY-NC-4.0")
    store.amend("reviews", reason="relicensed", license="CC-BY-4.0")
    history = store.show("reviews").history
    assert len(history) == 2
    # As everywhere else in lineage (parse_time, utc_text), a time without a zone is UTC.
    recorded_v1 = datetime.fromisoformat(history[0].recorded_at.removesuffix("Z"))
    assert recorded_v1.tzinfo is None

    then = store.show("reviews", as_of=recorded_v1)

    assert then.current.version == 1


def test_amending_an_unknown_name_raises_unknown_node_and_writes_nothing(
    store: lineage.Store,
) -> None:
    store.add_source("reviews", license="MIT")
    before = table_counts(store.database.url)
    assert before["node"] == 1

    with pytest.raises(UnknownNode, match="'nosuch'"):
        store.amend("nosuch", reason="typo", license="MIT")

    assert table_counts(store.database.url) == before


def test_add_with_a_path_that_does_not_exist_names_the_field_and_writes_nothing(
    store: lineage.Store, tmp_path: Path
) -> None:
    store.add_source("raw", license="MIT")
    before = table_counts(store.database.url)
    assert before["node"] == 1
    missing = tmp_path / "nosuch.jsonl"

    with pytest.raises(LineageError) as raised:
        store.add_dataset("clean", path=str(missing))

    assert str(raised.value).startswith("dataset 'clean': field 'path': ")
    assert "nosuch.jsonl" in str(raised.value)
    assert table_counts(store.database.url) == before


def test_run_that_would_make_a_cycle_raises_cycle_error_and_writes_nothing(
    store: lineage.Store,
) -> None:
    _pipeline(store)
    before = table_counts(store.database.url)
    assert before == {"node": 3, "edge": 2, "ledger": 3}

    with pytest.raises(CycleError, match=r"cyclic: .*source:raw"):
        store.record_run("restore", name="restore-1", inputs=["clean"], outputs=["raw"])

    assert table_counts(store.database.url) == before


def test_a_cycle_with_a_record_hanging_below_it_is_named_not_crashed_on(
    store: lineage.Store,
) -> None:
    # 'extra' is used by a run on the cycle but leads nowhere: naming the cycle
    # must not start from it (this once ended in a StopIteration traceback).
    manifest = {
        "sources": [{"name": "extra", "license": "MIT"}, {"name": "raw", "license": "MIT"}],
        "datasets": [{"name": "clean"}],
        "runs": [
            {
                "name": "clean-1",
                "operation": "clean",
                "inputs": ["raw", "extra"],
                "outputs": ["clean"],
            },
            {"name": "restore-1", "operation": "restore", "inputs": ["clean"], "outputs": ["raw"]},
        ],
    }
    before = table_counts(store.database.url)

    with pytest.raises(CycleError) as raised:
        store.record(manifest)

    chain = str(raised.value).split("cyclic: ")[1].split(" -> ")
    assert chain[0] == chain[-1]
    assert set(chain) == {"source:raw", "activity:clean-1", "dataset:clean", "activity:restore-1"}
    assert table_counts(store.database.url) == before


def test_run_with_an_unknown_input_raises_unknown_node_and_writes_nothing(
    store: lineage.Store,
) -> None:
    store.add_dataset("clean")
    before = table_counts(store.database.url)
    assert before["node"] == 1

    with pytest.raises(UnknownNode, match="input 'nosuch' is not recorded"):
        store.record_run("clean-text", inputs=["nosuch"], outputs=["clean"])

    assert table_counts(store.database.url) == before


def test_bare_name_shared_by_a_dataset_and_a_model_is_ambiguous(store: lineage.Store) -> None:
    store.add_dataset("shared", owner="data team")
    store.add_model("shared", owner="ml team")
    assert store.info().records == 2

    with pytest.raises(AmbiguousName, match="dataset:shared or model:shared"):
        store.show("shared")


def test_kind_prefix_resolves_a_name_shared_by_a_dataset_and_a_model(
    store: lineage.Store,
) -> None:
    store.add_dataset("shared", owner="data team")
    store.add_model("shared", owner="ml team")

    assert store.show("model:shared").facts["owner"] == "ml team"
    assert store.show("dataset:shared").facts["owner"] == "data team"


def test_run_input_shared_by_a_dataset_and_a_model_is_ambiguous_and_writes_nothing(
    store: lineage.Store,
) -> None:
    store.add_dataset("shared")
    store.add_model("shared")
    store.add_dataset("out")
    before = table_counts(store.database.url)
    assert before["node"] == 3

    with pytest.raises(AmbiguousName, match="dataset:shared or model:shared"):
        store.record_run("eval", inputs=["shared"], outputs=["out"])

    assert table_counts(store.database.url) == before


def test_run_input_with_a_kind_prefix_uses_that_record(store: lineage.Store) -> None:
    store.add_dataset("shared")
    store.add_model("shared")
    store.add_dataset("out")

    run = store.record_run("eval", inputs=["model:shared"], outputs=["out"])

    graph = store.upstream("out")
    assert graph.edges[f"activity:{run}", "model:shared"]["relation"] == "used"
    assert "dataset:shared" not in graph


def test_synthetic_source_generated_by_a_recorded_model_derives_from_it(
    store: lineage.Store,
) -> None:
    store.add_model("orion-70b", license="LicenseRef-orion-terms")

    store.add_source("synthetic-qa", obtained="synthetic", generated_by="orion-70b")

    graph = store.upstream("synthetic-qa")
    assert list(graph.edges(data="relation")) == [
        ("source:synthetic-qa", "model:orion-70b", "was_derived_from")
    ]


def test_synthetic_source_generated_by_an_unrecorded_model_keeps_the_name_only(
    store: lineage.Store,
) -> None:
    store.add_source("synthetic-qa", obtained="synthetic", generated_by="orion-70b")

    assert store.show("synthetic-qa").facts["generated_by"] == "orion-70b"
    assert table_counts(store.database.url) == {"node": 1, "edge": 0, "ledger": 1}


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_run_block_records_start_end_and_status_completed(store: lineage.Store) -> None:
    store.add_source("raw", license="MIT")
    before = datetime.now(UTC)

    with store.run("dedup", inputs=["raw"], name="dedup-1", tool="dedup==2.3.1") as run:
        store.add_dataset("deduped")
        run.outputs.append("deduped")
        run.records_out = 42

    after = datetime.now(UTC)
    facts = store.show("activity:dedup-1").facts
    assert facts["status"] == "completed"
    assert facts["records_out"] == 42
    assert facts["tool"] == "dedup"
    assert before <= _utc(facts["started"]) <= _utc(facts["ended"]) <= after
    assert sorted(store.upstream("deduped").edges(data="relation")) == [
        ("activity:dedup-1", "source:raw", "used"),
        ("dataset:deduped", "activity:dedup-1", "was_generated_by"),
    ]


def test_run_block_that_raises_records_status_failed_with_the_error_and_reraises(
    store: lineage.Store,
) -> None:
    store.add_source("raw", license="MIT")

    with (
        pytest.raises(RuntimeError, match="disk full"),
        store.run("dedup", inputs=["raw"], name="dedup-2"),
    ):
        raise RuntimeError("disk full")

    facts = store.show("activity:dedup-2").facts
    assert facts["status"] == "failed"
    assert "RuntimeError: disk full" in facts["attrs"]["error"]
    assert _utc(facts["started"]) <= _utc(facts["ended"])


def test_a_first_bulk_load_rebuilds_every_index(
    store: lineage.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lineage.store.write

    # Take the bulk path (indexes dropped, rows loaded, indexes rebuilt) with a few rows.
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    store.record(
        {
            "sources": [{"name": "raw", "license": "MIT"}],
            "datasets": [{"name": "clean"}],
            "runs": [
                {"operation": "copy", "name": "copy-1", "inputs": ["raw"], "outputs": ["clean"]}
            ],
        }
    )
    assert table_counts(store.database.url) == {"node": 3, "edge": 2, "ledger": 1}

    engine = sqlalchemy.create_engine(store.database.url)
    try:
        inspector = sqlalchemy.inspect(engine)
        found = {t: {i["name"] for i in inspector.get_indexes(t)} for t in ("node", "edge")}
    finally:
        engine.dispose()
    expected = {t: {i.name for i in METADATA.tables[t].indexes} for t in ("node", "edge")}
    expected["node"].add(DIGEST_INDEX)  # the partial index, kept as DDL text
    assert found == expected
    assert store.verify().ok


def test_concurrent_writers_both_succeed_and_the_ledger_verifies(db_url: str) -> None:
    with lineage.open_store(db_url):
        pass  # create the schema once, before the writers race
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(prefix: str) -> None:
        try:
            with lineage.open_store(db_url) as writer:
                start.wait()
                for i in range(50):
                    writer.add_source(f"{prefix}-{i}", license="MIT")
        except BaseException as error:  # the main thread reports it
            errors.append(error)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with lineage.open_store(db_url) as reader:
        report = reader.verify()
        assert reader.info().records == 100
    assert report.ok, report.problems
    assert report.entries == 100


def test_amend_clear_records_a_withdrawn_licence_as_unknown(store: lineage.Store) -> None:
    store.add_source("forum", license="CC-BY-4.0", owner="Forum Inc.")
    assert store.show("forum").facts["license"] == "CC-BY-4.0"

    store.amend("forum", reason="licence withdrawn", clear=["license"], effective="2025-10-01")

    record = store.show("forum")
    assert record.current.version == 2
    assert "license" not in record.facts
    assert record.facts["owner"] == "Forum Inc."
    assert record.current.effective == "2025-10-01"
    assert record.history[0].facts["license"] == "CC-BY-4.0"


def test_amend_refuses_to_clear_an_unknown_field_and_writes_nothing(
    store: lineage.Store, db_url: str
) -> None:
    store.add_source("forum", license="CC-BY-4.0")
    before = table_counts(db_url)

    with pytest.raises(lineage.InvalidRecord, match="field 'colour' cannot be cleared"):
        store.amend("forum", reason="oops", clear=["colour"])
    with pytest.raises(lineage.InvalidRecord, match="'effective': '2025-02-30' is not a date"):
        store.amend("forum", reason="oops", license="MIT", effective="2025-02-30")

    assert table_counts(db_url) == before


def test_amend_to_an_open_collection_period_clears_its_end(store: lineage.Store) -> None:
    store.add_source("crawl", collected="2025-01-01..2025-02-01")

    store.amend("crawl", reason="the crawl goes on", collected="2025-01-01..")

    facts = store.show("crawl").facts
    assert facts["collected_start"] == "2025-01-01"
    assert "collected_end" not in facts


def test_show_as_of_a_time_before_year_1000_sees_nothing_yet(store: lineage.Store) -> None:
    # The bound was written '900-01-01T...' (not zero-padded), which sorts after
    # '2026-...': every later record looked recorded by then.
    store.add_source("reviews", license="CC-BY-NC-4.0")
    assert store.show("reviews").current.version == 1

    with pytest.raises(UnknownNode, match="'reviews'"):
        store.show("reviews", as_of=datetime(900, 1, 1, tzinfo=UTC))
