"""How long `lineage report` and `lineage check` take as the upstream graph grows.

For each size, a synthetic store (bench/synthetic.py) is built once and kept in
the work folder; its large model has about 40% of the graph upstream. Two tables:

1. End to end, what a user waits for: `lineage report MODEL -o FILE.md|.html|.json`
   and `lineage check MODEL`, each run as its own process (start-up, reading,
   checking, building, the diagram for HTML, rendering and writing the file), wall
   time and the CPU time of the process and its children (Graphviz `dot`).
2. In this process, where the time goes: reading the trail, checking it, building
   the report, drawing its diagram from the trail's graph, rendering each format.
3. The size of each template's report in each format, and the time to build and
   render it: Markdown and HTML fold large families of records alike (they must stay
   under 5 MB at 100,000 upstream records), JSON lists every record.

Every figure is printed as min / median / max over `--runs` runs (3), the commands
interleaved within a run (bench/harness.py); `--busy` runs a CPU-bound process
beside them. CPU time says more than wall time when something else runs.

    python bench/bench_report.py                  # 10k and 100k upstream records
    python bench/bench_report.py --busy --no-templates
    python bench/bench_report.py --keep /tmp/report-bd --runs 5
    python bench/bench_report.py --sizes 10000 100000 1000000 --keep bench-data/

The requirement: report and check of a model with 100,000 upstream records in
under 10 seconds each, on SQLite.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness
from synthetic import build

import lineage
from lineage.checks import check_trail, load_trail
from lineage.reports import TEMPLATES, render_report, report_from_trail, upstream_svg

LIMIT_SECONDS = 10.0
LIMIT_BYTES = 5_000_000  # of a Markdown or HTML report at 100k upstream records
UPSTREAM_SHARE = 0.4  # of the graph, for the large model of bench/synthetic.py
LARGE_MODEL = "model-large"
FORMATS = ("md", "html", "json")
COMMANDS = (*(f"report {fmt}" for fmt in FORMATS), "check")
STEPS = ("read", "check", "build", "diagram", *(f"render {fmt}" for fmt in FORMATS))


@dataclass
class Best:
    """The best wall and CPU seconds seen for each measure (each minimum on its own)."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = min(wall, self.wall.get(name, wall))
        self.cpu[name] = min(cpu, self.cpu.get(name, cpu))


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of `function()`, and its result."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - cpu, result


def store_for(folder: Path, upstream: int) -> tuple[str, int]:
    """A store whose large model has about `upstream` records upstream (built once).

    The synthetic manifest (hundreds of MB of dicts) is made only to build the store
    and freed before anything is measured.
    """
    path = folder / f"report-bench-{upstream}.db"
    if not path.exists():
        graph = build(int(upstream / UPSTREAM_SHARE))
        print(f"  building a store of {graph.nodes:,} records ...", flush=True)
        seconds, _, _ = timed(lambda: _record(str(path), graph.manifest))
        print(f"  recorded in {seconds:.0f} s", flush=True)
        del graph
    with lineage.open_store(str(path)) as store:
        records = store.info().records
    return str(path), records


def _record(path: str, manifest: dict[str, Any]) -> None:
    with lineage.open_store(path) as store:
        store.record(manifest)


def _command(db: str, name: str, output: Path) -> list[str]:
    lineage_cli = shutil.which("lineage", path=str(Path(sys.executable).parent)) or "lineage"
    if name == "check":
        return [lineage_cli, "--db", db, "check", LARGE_MODEL]
    fmt = name.split()[1]
    return [lineage_cli, "--db", db, "report", LARGE_MODEL, "-o", str(output / f"report.{fmt}")]


def end_to_end(bench: harness.Bench, db: str, label: str, env: dict[str, str]) -> None:
    """One run of every command, each its own process: wall and CPU seconds."""
    with tempfile.TemporaryDirectory(prefix="lineage-report-out-") as folder:
        for name in COMMANDS:
            timing = harness.run_command(_command(db, name, Path(folder)), env)
            bench.add(f"{label}: lineage {name}, wall", timing.wall, "s")
            bench.add(f"{label}: lineage {name}, CPU", timing.cpu, "s")
            # The kernel's share: page faults of new memory and writing the file.
            bench.add(f"{label}: lineage {name}, of it system CPU", timing.system, "s")


def in_process(bench: harness.Bench, store: lineage.Store, label: str) -> dict[str, int]:
    """One run of each step of a report on its own, as `lineage report` takes them."""
    best = Best()
    sizes = _steps(store, best)
    for step in STEPS:
        bench.add(f"{label}: {step} (in process), wall", best.wall[step], "s")
    return sizes


def _steps(store: lineage.Store, best: Best) -> dict[str, int]:
    wall, cpu, trail = timed(partial(load_trail, store, LARGE_MODEL))
    best.add("read", wall, cpu)
    wall, cpu, result = timed(partial(check_trail, trail))
    best.add("check", wall, cpu)
    # A trail caches its indexes (relations, paths, order) as the check builds them:
    # the report is built from a trail of its own, as `lineage report` builds it.
    wall, cpu, trail = timed(partial(load_trail, store, LARGE_MODEL))
    best.add("read", wall, cpu)
    # The report checks the trail too: "build" is the whole of report_from_trail.
    wall, cpu, report = timed(partial(report_from_trail, trail))
    best.add("build", wall, cpu)
    sizes = {"upstream": trail.graph.number_of_nodes(), "findings": len(result.findings)}
    # As `lineage report` does: the report is built, so the diagram takes the graph over.
    draw = partial(
        upstream_svg,
        store,
        report.target,
        findings=report.findings,
        upstream=trail.graph,
        reuse_upstream=True,
    )
    wall, cpu, svg = timed(draw)
    best.add("diagram", wall, cpu)
    for fmt in FORMATS:
        render = partial(render_report, report, fmt, svg=svg if fmt == "html" else None)
        wall, cpu, data = timed(render)
        best.add(f"render {fmt}", wall, cpu)
        sizes[f"{fmt} bytes"] = len(data)
    return sizes


@dataclass
class TemplateSizes:
    """For one template: seconds to build (from the trail), and bytes and seconds per format."""

    build: float
    size: dict[str, int]
    render: dict[str, float]


def template_sizes(db: str, svg: bool = True) -> dict[str, TemplateSizes]:
    """Each template's report of the large model: build and render times (CPU), sizes."""
    found: dict[str, TemplateSizes] = {}
    with lineage.open_store(db) as store:
        for template in TEMPLATES:
            trail = load_trail(store, LARGE_MODEL)
            _, cpu, report = timed(partial(report_from_trail, trail, template=template))
            drawing = upstream_svg(store, report.target, upstream=trail.graph) if svg else None
            del trail
            sizes = TemplateSizes(cpu, {}, {})
            for fmt in FORMATS:
                image = drawing if fmt == "html" else None
                _, seconds, data = timed(partial(render_report, report, fmt, svg=image))
                sizes.size[fmt] = len(data)
                sizes.render[fmt] = seconds
            found[template] = sizes
            del report
    return found


def _bytes(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_options(parser)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="upstream records of the model checked (default 10000 100000)",
    )
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    parser.add_argument(
        "--no-templates",
        action="store_true",
        help="skip the table of every template's sizes (one build and render of each)",
    )
    args = parser.parse_args()
    os.environ.setdefault("LINEAGE_ACTOR", "bench")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lineage-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    stores = {size: store_for(folder, size) for size in args.sizes}
    env = harness.installed_env(folder / "pycache")
    rows = []
    with harness.Bench("bench_report", args) as bench:
        found: dict[int, dict[str, int]] = {}
        for _ in bench.runs():
            # The report's target is in seconds, with no baseline to divide by: what the
            # machine costs now goes beside it (see `harness.machine_reference`).
            harness.machine_reference(bench)
            for size, (path, _records) in stores.items():
                label = f"{size // 1000}k"
                end_to_end(bench, path, label, env)
                with lineage.open_store(path) as store:
                    found[size] = in_process(bench, store, label)
        notes = []
        for size, (path, records) in stores.items():
            sizes = found[size]
            label = f"{size // 1000}k"
            notes.append(
                f"{label}: {records:,} records in the store, {sizes['upstream']:,} upstream, "
                f"{sizes['findings']:,} findings; md / html / json "
                + " / ".join(f"{sizes[f'{fmt} bytes'] / 1e6:.1f}" for fmt in FORMATS)
                + " MB"
            )
            if 90_000 <= sizes["upstream"] <= 110_000:
                for name in COMMANDS:
                    bench.target(f"{label}: lineage {name}, wall", at_most=LIMIT_SECONDS)
            templates = {} if args.no_templates else template_sizes(path)
            rows.append((sizes, templates))
        notes.append("(build includes the check that a report makes; diagram includes Graphviz)")
        bench.note = "\n".join(notes)

    too_large = False
    if any(templates for _, templates in rows):
        print("\nEvery template (one run; CPU seconds to build from the trail and to render):\n")
        print("| upstream | template | build | md | html (diagram embedded) | json |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
        for sizes, templates in rows:
            for template, measured in templates.items():
                cells = [
                    f"{_bytes(measured.size[fmt])} in {measured.render[fmt]:.2f} s"
                    for fmt in FORMATS
                ]
                print(
                    f"| {sizes['upstream']:,} | {template} | {measured.build:.2f} s | "
                    + " | ".join(cells)
                    + " |"
                )
                if 90_000 <= sizes["upstream"] <= 110_000:
                    too_large = too_large or any(
                        measured.size[fmt] >= LIMIT_BYTES for fmt in ("md", "html")
                    )
        print(
            f"\n100k: Markdown and HTML under {_bytes(LIMIT_BYTES)}: "
            f"{'FAIL' if too_large else 'ok'}"
        )


if __name__ == "__main__":
    main()
