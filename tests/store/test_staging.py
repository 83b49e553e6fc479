"""A first bulk import into an empty SQLite store goes through a staging process.

The rows must come out exactly as the ordinary write path writes them, the
scratch file must never outlive the transaction, and a failure anywhere (a bad
record, a cycle, the child dying) must leave the store as it was.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import struct
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from samples import table_counts

import lineage
import lineage.store.staging
import lineage.store.write
from lineage import CycleError, InvalidRecord, StoreError
from lineage.store import staging_worker
from lineage.store.pending import PendingNode
from lineage.store.staging import spare_core as spare_core_of
from lineage.store.tables import NODE_COLUMNS


def _manifest(count: int) -> dict[str, Any]:
    """Sources with many kinds of facts, datasets and runs between them, and agents."""
    agents = [{"name": "lab", "type": "organization"}, {"name": "bot", "type": "software"}]
    sources = [
        {
            "name": f"crawl-{i}",
            "license": "CC-BY-4.0" if i % 3 else "LicenseRef-site-terms",
            "owner": "Example Org" if i % 2 else None,
            "uri": f"https://example.org/{i}",
            "obtained": "crawled",
            "personal_data": ["yes", "no", "unknown"][i % 3],
            "collected": "2025-01-01..2025-01-31",
            "restrictions": ["non-commercial"] if i % 5 == 0 else [],
            "modality": ["text"],
            "records": i * 10,
            "attrs": {"shard": i, "note": "ünïcode ✓"},
        }
        for i in range(count)
    ]
    datasets = [{"name": f"clean-{i}", "records": i} for i in range(count)]
    runs = [
        {
            "name": f"clean-run-{i}",
            "operation": "dedup",
            "inputs": [f"crawl-{i}", f"crawl-{(i + 1) % count}"],
            "outputs": [f"clean-{i}"],
            "agent": "bot",
            "tool": "dedup==1.2",
            "params": {"threshold": 0.8, "i": i},
            "started": "2025-02-01T10:00:00Z",
            "ended": "2025-02-01T11:00:00Z",
        }
        for i in range(count)
    ]
    return {
        "agents": [{k: v for k, v in a.items() if v is not None} for a in agents],
        "sources": [{k: v for k, v in s.items() if v is not None} for s in sources],
        "datasets": datasets,
        "runs": runs,
    }


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("node", "edge")
        } | {
            "types": connection.execute(
                "SELECT id, typeof(license), typeof(records), typeof(params), typeof(attrs) "
                "FROM node ORDER BY id"
            ).fetchall(),
            "ledger": connection.execute(
                "SELECT node_first, node_last, edge_first, edge_last, record_count, records_digest "
                "FROM ledger"
            ).fetchall(),
        }
    finally:
        connection.close()


def _scratch_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("lineage-staging-*"))


@pytest.fixture(autouse=True)
def spare_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests stage on any machine: the child runs only where two CPUs may be used."""
    monkeypatch.setattr(lineage.store.staging, "spare_core", lambda: True)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Scratch files go to a folder of the test's own, to see that none is left."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(lineage.store.staging.tempfile, "tempdir", str(folder))
    return folder


def test_a_staged_bulk_load_writes_exactly_the_rows_of_the_ordinary_path(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _manifest(120)
    ordinary = tmp_path / "ordinary.db"
    with lineage.open_store(str(ordinary)) as store:
        store.record(manifest)

    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    staged = tmp_path / "staged.db"
    started: list[object] = []
    real = lineage.store.staging.StagedLoader.__init__

    def spy(self: lineage.store.staging.StagedLoader, *args: Any) -> None:
        real(self, *args)
        started.append(self.process)

    monkeypatch.setattr(lineage.store.staging.StagedLoader, "__init__", spy)
    with lineage.open_store(str(staged)) as store:
        result = store.record(manifest)
        assert store.verify().ok
        # The pooled connection that wrote is handed out again: nothing left attached.
        with store.database.engine.connect() as connection:
            attached = [row[1] for row in connection.exec_driver_sql("PRAGMA database_list")]
    assert "lineage_staging" not in attached, "the scratch file stayed attached"

    assert len(started) == 1, "the bulk path did not stage the rows"
    assert len(result.created) == 2 + 120 * 3
    expected, found = _rows(ordinary), _rows(staged)
    assert len(found["node"]) == 2 + 120 * 3 and len(found["edge"]) > 120 * 3
    assert found == expected
    assert _scratch_files(scratch) == []


def _refused(folder: Path, manifest: dict[str, Any], error: type[Exception], match: str) -> None:
    """Recording `manifest` fails with `error`, and the store is left as it was."""
    with lineage.open_store(str(folder / "store.db")) as store:
        before = table_counts(store.database.url)
        with pytest.raises(error, match=match):
            store.record(manifest)
        assert table_counts(store.database.url) == before
        store.add_source("after", license="MIT")  # and it still takes writes


def test_a_bulk_load_that_fails_at_the_end_leaves_the_store_and_no_scratch_file(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    manifest = _manifest(50)
    # A run that feeds an earlier input back: the cycle is found after every row was staged.
    manifest["runs"].append(
        {"name": "loop", "operation": "mix", "inputs": ["clean-3"], "outputs": ["crawl-3"]}
    )
    _refused(tmp_path, manifest, CycleError, "cyclic")
    assert _scratch_files(scratch) == []


def test_a_bad_record_in_the_middle_of_a_bulk_load_writes_nothing(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    manifest = _manifest(50)
    manifest["runs"][30]["inputs"] = ["no-such-source"]
    _refused(tmp_path, manifest, lineage.UnknownNode, "no-such-source")
    assert _scratch_files(scratch) == []


@pytest.mark.parametrize("threshold", [3, 50_000], ids=["bulk", "ordinary"])
def test_a_record_given_twice_is_the_same_error_line_on_either_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    # The bulk path meets the second one while adding it, inside the manifest's handling
    # of the source's path: the error is not one of the path's.
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", threshold)
    manifest = _manifest(10)
    manifest["sources"].append(dict(manifest["sources"][0], license="MIT"))
    with lineage.open_store(str(tmp_path / "twice.db")) as store:
        with pytest.raises(lineage.Conflict) as raised:
            store.record(manifest)
        assert str(raised.value) == "<data>: source 'crawl-0' is given twice"
        assert store.info().records == 0


def test_a_staging_child_that_dies_is_one_clear_error_and_nothing_is_written(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    dying = tmp_path / "dying_worker.py"
    dying.write_text(
        "import sys\nsys.stdin.buffer.read(10)\n"
        "print('staging load failed: disk I/O error', file=sys.stderr)\nsys.exit(1)\n"
    )
    monkeypatch.setattr(lineage.store.staging, "WORKER", dying)
    _refused(tmp_path, _manifest(50), StoreError, r"bulk loader stopped: .*disk I/O error$")
    assert _scratch_files(scratch) == []


@pytest.mark.parametrize(
    ("said", "error"),
    [
        ("print('hello')", r"bulk loader stopped: it gave no digest of the rows it wrote$"),
        (
            "sys.stderr.write('x' * 200_000 + '\\nlast words\\n'); sys.exit(2)",
            r"stopped: last words$",
        ),
    ],
)
def test_a_staging_child_without_a_digest_or_saying_much_is_one_clear_error(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch, said: str, error: str
) -> None:
    # Its stdout and stderr are read together: 200 kB on stderr does not block it.
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    odd = tmp_path / "odd_worker.py"
    odd.write_text(f"import sys\nsys.stdin.buffer.read()\n{said}\n")
    monkeypatch.setattr(lineage.store.staging, "WORKER", odd)
    _refused(tmp_path, _manifest(50), StoreError, error)
    assert _scratch_files(scratch) == []


def test_without_a_scratch_folder_the_bulk_load_writes_the_rows_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    monkeypatch.setattr(lineage.store.staging.tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    manifest = _manifest(30)
    ordinary = tmp_path / "ordinary.db"
    with lineage.open_store(str(ordinary)) as store:
        store.record(manifest)

    with lineage.open_store(str(tmp_path / "fallback.db")) as store:
        store.record(manifest)
        assert store.verify().ok

    assert "bulk load without a staging process" in caplog.text
    assert _rows(tmp_path / "fallback.db") == _rows(ordinary)


def test_without_a_spare_core_the_bulk_load_writes_exactly_the_rows_of_the_ordinary_path(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _manifest(120)
    ordinary = tmp_path / "ordinary.db"
    with lineage.open_store(str(ordinary)) as store:
        store.record(manifest)

    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    monkeypatch.setattr(lineage.store.staging, "spare_core", lambda: False)
    started: list[object] = []
    real = lineage.store.staging.StagedLoader.__init__

    def spy(self: lineage.store.staging.StagedLoader, *args: Any) -> None:
        started.append(self)
        real(self, *args)

    monkeypatch.setattr(lineage.store.staging.StagedLoader, "__init__", spy)
    single = tmp_path / "single.db"
    with lineage.open_store(str(single)) as store:
        store.record(manifest)
        assert store.verify().ok

    assert started == [], "a staging child ran without a spare core"
    expected, found = _rows(ordinary), _rows(single)
    assert len(found["node"]) == 2 + 120 * 3 and len(found["edge"]) > 120 * 3
    assert found == expected
    assert _scratch_files(scratch) == []


def _rewrites(count: int) -> dict[str, Any]:
    """Datasets read and written by runs: some rewritten (overwrite, append), some read
    before their first write."""
    hour = "2025-03-0{}T0{}:00:00Z"
    runs: list[dict[str, Any]] = []
    for i in range(count):
        table, day = f"table-{i}", 1 + i % 3
        runs.append(
            {
                "name": f"load-{i}",
                "operation": "load",
                "inputs": [f"crawl-{i}"],
                "outputs": [table],
                "started": hour.format(2, 1),
                "ended": hour.format(2, 2),
            }
        )
        if day > 1:  # rewritten: each write by another run is a version
            runs.append(
                {
                    "name": f"reload-{i}",
                    "operation": "reload",
                    "inputs": [f"crawl-{i}"],
                    "outputs": [table],
                    "write": "overwrite" if day == 2 else "append",
                    "started": hour.format(3, 1),
                    "ended": hour.format(3, 2),
                }
            )
        runs.append(  # read before the first write when i is even
            {
                "name": f"read-{i}",
                "operation": "sample",
                "inputs": [table],
                "outputs": [f"sample-{i}"],
                "started": hour.format(1 + 3 * (i % 2), 1),
            }
        )
    manifest = _manifest(count)
    manifest["datasets"] += [{"name": f"table-{i}"} for i in range(count)]
    manifest["datasets"] += [{"name": f"sample-{i}"} for i in range(count)]
    manifest["runs"] += runs
    return manifest


@pytest.mark.parametrize("versions", [True, False])
def test_a_bulk_load_of_datasets_read_and_written_writes_exactly_the_rows_of_the_ordinary_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: bool
) -> None:
    # Without versions, the reads and writes found on the way are written at the end as
    # they are; with them, they go back to the version planner in the order given.
    manifest = _rewrites(12)
    if not versions:
        manifest["runs"] = [r for r in manifest["runs"] if r["name"].startswith("load-")]
    ordinary = tmp_path / "ordinary.db"
    with lineage.open_store(str(ordinary)) as store:
        store.record(manifest)

    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    monkeypatch.setattr(lineage.store.staging, "spare_core", lambda: False)
    bulk = tmp_path / "bulk.db"
    with lineage.open_store(str(bulk)) as store:
        store.record(manifest)
        assert store.verify().ok

    expected, found = _rows(ordinary), _rows(bulk)
    names = {row[4] for row in found["node"]}
    assert ("table-2@v2" in names) is versions
    assert found == expected


def test_a_staged_load_seals_late_columns_as_the_ledger_does(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Evaluation metrics and declared licences are node columns added by later
    # migrations: a row's seal has them only when set, rows with and without them here.
    manifest = _manifest(40)
    for i, source in enumerate(manifest["sources"]):
        if i % 4 == 0:
            source["declared_license"] = "MIT"
    manifest["models"] = [{"name": "model-a"}]
    manifest["evaluations"] = [
        {"model": "model-a", "dataset": f"clean-{i}", "metric": "accuracy", "value": i / 40}
        for i in range(0, 40, 3)
    ]
    ordinary = tmp_path / "ordinary.db"
    with lineage.open_store(str(ordinary)) as store:
        store.record(manifest)

    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    staged = tmp_path / "staged.db"
    with lineage.open_store(str(staged)) as store:
        store.record(manifest)
        assert store.verify().ok

    expected, found = _rows(ordinary), _rows(staged)
    late = [r for r in found["node"] if r[NODE_COLUMNS.index("metric_value")] is not None]
    assert len(late) == len(manifest["evaluations"])
    assert found == expected


def test_other_names_written_beside_a_staged_load_join_its_ledger_digest(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The child digests the seals of the rows it wrote, then those of the other names
    # this process wrote: the same ledger entry as the single-process path's.
    def load(path: Path) -> dict[str, list[tuple[Any, ...]]]:
        with lineage.open_store(str(path)) as store:
            with store.database.writer("test", expected_rows=200) as sink:
                for i in range(60):
                    sink.add_node(PendingNode("dataset", f"table-{i}", {"records": i}))
                sink.add_alias("dataset", "s3://lake/table-0", "table-0")
                sink.add_alias("dataset", "s3://lake/table-7", "table-7")
                staged.append(sink.staging is not None)
            assert store.verify().ok
        connection = sqlite3.connect(path)
        aliases = connection.execute("SELECT * FROM alias ORDER BY id").fetchall()
        connection.close()
        return _rows(path) | {"alias": aliases}

    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    staged: list[bool] = []
    with_child = load(tmp_path / "staged.db")
    monkeypatch.setattr(lineage.store.staging, "spare_core", lambda: False)
    alone = load(tmp_path / "alone.db")

    assert staged == [True, False]
    assert len(with_child["alias"]) == 2 and len(with_child["node"]) == 60
    assert with_child == alone
    assert _scratch_files(scratch) == []


@pytest.mark.parametrize(("cpus", "spare"), [(1, False), (2, True), (8, True)])
def test_the_child_is_used_on_two_cpus_or_more_whatever_the_load(
    cpus: int, spare: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real function, not the fixture's stand-in, on a machine loaded far beyond
    # its CPUs: the child still gets a scheduler share of its own.
    monkeypatch.setattr(lineage.store.staging.os, "getloadavg", lambda: (40.0, 40.0, 40.0))
    assert spare_core_of(cpus=cpus) is spare


def test_invalid_input_is_refused_before_any_staging_starts(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lineage.store.write, "BULK_THRESHOLD", 3)
    manifest = _manifest(10)
    manifest["sources"][4]["license"] = "Not-A-Licence"
    with lineage.open_store(str(tmp_path / "store.db")) as store:
        with pytest.raises(InvalidRecord, match="Not-A-Licence"):
            store.record(manifest)
        assert store.info().records == 0
    assert _scratch_files(scratch) == []


def _frame(item: list[Any]) -> bytes:
    payload = orjson.dumps(item)
    return struct.pack("<I", len(payload)) + payload


def test_the_worker_seals_binds_only_set_columns_and_keeps_every_value(tmp_path: Path) -> None:
    rows_a = [[1, "a", None, None], [2, "b", None, 7]]
    rows_b = [[3, None, "x", None], [4, "", None, None]]  # an empty string is a value
    edges = [[9, 1, 2]]
    stream = io.BytesIO(
        _frame(["create", "node", ["id", "name", "uri", "records", "seal"], 2])
        + _frame(["create", "edge", ["id", "subject", "object", "seal"], 0])
        + _frame(["rows", "node", rows_a])
        + _frame(["rows", "edge", edges])
        + _frame(["rows", "node", []])
        + _frame(["rows", "node", rows_b])
        + _frame(["seals", "f" * 64])
    )
    path = tmp_path / "scratch.db"
    path.touch()  # as the store makes it

    digest = staging_worker.load(str(path), stream)

    connection = sqlite3.connect(path)
    stored = connection.execute("SELECT * FROM node ORDER BY rowid").fetchall()
    stored_edges = connection.execute("SELECT * FROM edge").fetchall()
    connection.close()
    # Each row sealed as the ledger seals it: unset late columns (the last two) left out.
    sealed = [b'["node",1,"a"]', b'["node",2,"b",null,7]', b'["node",3,null,"x"]', b'["node",4,""]']
    seals = [hashlib.sha256(text).hexdigest() for text in sealed]
    assert stored == [(*r, seal) for r, seal in zip([*rows_a, *rows_b], seals, strict=True)]
    edge_seal = hashlib.sha256(b'["edge",9,1,2]').hexdigest()
    assert stored_edges == [(9, 1, 2, edge_seal)]
    # Tables in the order created, each in row order, then the seals of the "seals" frame.
    assert digest == hashlib.sha256(("".join(seals) + edge_seal + "f" * 64).encode()).hexdigest()


def test_the_worker_says_what_is_wrong_with_a_truncated_stream(tmp_path: Path) -> None:
    frame = _frame(["create", "node", ["id", "seal"], 0])
    (tmp_path / "scratch.db").touch()
    with pytest.raises(EOFError, match="truncated frame"):
        staging_worker.load(str(tmp_path / "scratch.db"), io.BytesIO(frame[:-3]))


def test_the_worker_runs_as_a_script_and_exits_non_zero_on_bad_input(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "s.db").touch()
    done = subprocess.run(
        [sys.executable, str(lineage.store.staging.WORKER), str(tmp_path / "s.db")],
        input=_frame(["drop", "node"]),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.decode().strip().startswith("staging load failed: unknown frame")


def test_the_worker_never_makes_its_scratch_file_again(tmp_path: Path) -> None:
    # A child left running by a killed store finds its file removed by the next start:
    # it must not make it again (the sweep would never see its owner come back).
    gone = tmp_path / "removed.db"
    with pytest.raises(sqlite3.OperationalError):
        staging_worker.load(str(gone), io.BytesIO(_frame(["create", "node", ["id"], 0])))
    assert not gone.exists()


@pytest.mark.parametrize("safe_path", [False, True])
def test_the_worker_starts_without_the_library_s_heavy_modules(
    tmp_path: Path, safe_path: bool
) -> None:
    import subprocess

    worker, scratch = str(lineage.store.staging.WORKER), tmp_path / "s.db"
    scratch.touch()
    # PYTHONSAFEPATH (3.11+) leaves the script's own folder off sys.path: the sealing
    # module beside it is found all the same.
    env = {**os.environ, "PYTHONSAFEPATH": "1"} if safe_path else None
    done = subprocess.run(
        [sys.executable, "-X", "importtime", worker, str(scratch)],
        input=_frame(["create", "edge", ["id", "seal"], 0]) + _frame(["rows", "edge", [[7]]]),
        capture_output=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    seal = hashlib.sha256(b'["edge",7]').hexdigest()
    assert done.stdout.decode().strip() == hashlib.sha256(seal.encode()).hexdigest()
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.decode().splitlines()}
    assert not {"sqlalchemy", "pydantic", "networkx", "lineage"} & imported


def test_a_scratch_file_that_cannot_be_detached_drops_the_connection(tmp_path: Path) -> None:
    with lineage.open_store(str(tmp_path / "store.db")) as store:
        loader = lineage.store.staging.StagedLoader({"node": ["id"]}, {})
        loader.close()
        loader.attached = True  # as after a copy, but nothing is attached: DETACH fails
        with store.database.engine.connect() as connection:
            loader.release(connection)  # no error of its own over the transaction's

            assert connection.invalidated
        assert not Path(loader.path).exists()
        store.add_source("after", license="MIT")  # the pool makes a new connection
