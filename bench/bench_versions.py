"""Upstream of a model over 1,000 daily versions of 100 tables, against a raw recursive
CTE over the same versioned edges (issue 16: within 1.5x).

Each table has a source and is rewritten every day by a run that reads the source and
appends to the previous version (`was_revision_of`), so version N of a table
`specialization_of` the table record; the model is trained on the last version of
every table. The store is built once, in one transaction, through the write path. Then
`Store.closure(model)` (the versioned closure, which does not follow
`specialization_of` or `was_invalidated_by`) and the raw CTE (every edge followed) are
timed alternately; min/median/max wall seconds and the ratio of medians are printed.
With --busy N, N processes spin on the other cores while timing (a loaded machine).

A simple script of its own: the shared bench/harness.py (another change of issue 16)
can take it over when it lands.

    .venv/bin/python bench/bench_versions.py [--tables 100] [--days 1000] [--runs 5] [--busy 0]
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lineage
from lineage.store.engine import fetch_rows
from lineage.store.pending import Batch, PendingEdge, PendingNode
from lineage.validation import canonical_json

TARGET_RATIO = 1.5
RAW = (
    "WITH RECURSIVE reach(id) AS (SELECT e.object FROM edge e WHERE e.subject = :start "
    "UNION SELECT e.object FROM edge e JOIN reach ON e.subject = reach.id) "
    "SELECT n.id, n.kind, n.name, 0 FROM reach JOIN node n ON n.id = reach.id"
)


def build(path: str, tables: int, days: int) -> None:
    batch = Batch("bench versions")
    start = datetime(2023, 1, 1, tzinfo=UTC)
    train = ("activity", "train")
    batch.add_node(PendingNode("model", "model", {}))
    batch.add_node(PendingNode("activity", "train", {"operation": "train"}))
    batch.add_edge(PendingEdge(("model", "model"), train, "was_generated_by"))
    for t in range(tables):
        table, source = f"table-{t}", f"source-{t}"
        batch.add_node(PendingNode("source", source, {"license": "MIT"}))
        for day in range(1, days + 1):
            when = (start + timedelta(days=day)).isoformat().replace("+00:00", "Z")
            name = table if day == 1 else f"{table}@v{day}"
            run = ("activity", f"load-{t}-{day}")
            facts = {}
            if day > 1:
                info = {"of": table, "number": day, "run": run[1], "time": when, "write": "append"}
                facts = {"attrs": canonical_json({"dataset_version": info})}
            batch.add_node(PendingNode("dataset", name, facts, effective=when if day > 1 else None))
            batch.add_node(
                PendingNode(
                    "activity", run[1], {"operation": "load", "started": when, "ended": when}
                )
            )
            batch.add_edge(PendingEdge(run, ("source", source), "used"))
            batch.add_edge(PendingEdge(("dataset", name), run, "was_generated_by"))
            if day > 1:
                previous = table if day == 2 else f"{table}@v{day - 1}"
                batch.add_edge(
                    PendingEdge(("dataset", name), ("dataset", table), "specialization_of")
                )
                batch.add_edge(
                    PendingEdge(("dataset", name), ("dataset", previous), "was_revision_of")
                )
        last = table if days == 1 else f"{table}@v{days}"
        batch.add_edge(PendingEdge(train, ("dataset", last), "used"))
    with lineage.open_store(path) as store:
        store.database.commit(batch)


def _spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--days", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--busy", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "versions.db")
        began = time.perf_counter()
        build(path, args.tables, args.days)
        took = time.perf_counter() - began
        print(f"built {args.tables} tables x {args.days} versions in {took:.1f} s")
        spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.busy)]
        for spinner in spinners:
            spinner.start()
        timings: dict[str, list[float]] = {"versioned closure": [], "raw recursive CTE": []}
        sizes: dict[str, int] = {}
        try:
            with lineage.open_store(path) as store:
                with store.database.read() as connection:
                    start = store.database.resolve(connection, "model:model")[0]
                for _ in range(args.runs):
                    began = time.perf_counter()
                    rows = store.closure("model:model")
                    timings["versioned closure"].append(time.perf_counter() - began)
                    sizes["versioned closure"] = len(rows)
                    with store.database.read() as connection:
                        began = time.perf_counter()
                        raw = fetch_rows(connection, RAW, {"start": start}, traversal=True)
                        timings["raw recursive CTE"].append(time.perf_counter() - began)
                    sizes["raw recursive CTE"] = len(raw)
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.join()
    print(
        f"{platform.node()} ({platform.machine()}, {multiprocessing.cpu_count()} cores), "
        f"{datetime.now(UTC):%Y-%m-%d}, {args.runs} runs, {args.busy} busy processes"
    )
    print(f"{'query':<20} {'records':>9} {'min s':>8} {'median s':>9} {'max s':>8}")
    for label, values in timings.items():
        print(
            f"{label:<20} {sizes[label]:>9} {min(values):>8.3f} "
            f"{statistics.median(values):>9.3f} {max(values):>8.3f}"
        )
    ratio = statistics.median(timings["versioned closure"]) / statistics.median(
        timings["raw recursive CTE"]
    )
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio of medians: {ratio:.2f} ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
