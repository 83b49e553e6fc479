"""Benchmark of the command line's start-up against baselines measured in the same run.

Targets (issue 17), as ratios of the best of --repeat cold processes:
  - `lineage --version` and `lineage --help` <= 2x `python -c "import click"`;
  - `lineage list`, `show`, `source add` on a SQLite store <= 1.5x
    `python -c "import click, sqlalchemy"`.

Every command runs as a new process (no warm interpreter), the rounds interleaved so
that baselines and commands see the same machine; each run prints (on stderr) min /
median / max wall time of each, the CPU time (user + system) of its best round, and the
ratios against the targets. CPU time moves less than wall time when other processes
share the cores. Modules run from cached bytecode, as in an installed package (one
warm-up round first). The whole measurement is repeated --runs times (bench/harness.py):
the closing table gives min / median / max over the runs of each command's best wall
time and of each ratio, whose median is checked against the target.

    python bench/bench_cli.py                  # 3 runs, each best of 5
    python bench/bench_cli.py --busy           # the same, with one CPU-bound process beside it
    python bench/bench_cli.py --runs 1 --repeat 11
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "lineage.yaml"


@dataclass
class Timings:
    """Wall and CPU seconds of each run of one command."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def best_cpu(self) -> float:
        return self.cpu[self.wall.index(min(self.wall))]


def lineage_command() -> list[str]:
    """The installed `lineage` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("lineage")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from cli.main import main; main()"]


def run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one cold process; exits non-zero on failure."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({process.returncode}): {error.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def make_store(folder: Path, env: dict[str, str]) -> None:
    """A SQLite store holding the sample data (what `list` and `show` read)."""
    command = lineage_command()
    for args in (["init"], ["ingest", str(SAMPLE)]):
        subprocess.run([*command, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def measure(repeat: int, folder: Path) -> tuple[dict[str, Timings], list[str]]:
    env = harness.installed_env(folder / "pycache", LINEAGE_DB=str(folder / "bench.db"))
    make_store(folder, env)
    command = lineage_command()
    python = sys.executable
    cases: dict[str, list[str] | None] = {
        'python -c "import click"': [python, "-c", "import click"],
        'python -c "import click, sqlalchemy"': [python, "-c", "import click, sqlalchemy"],
        "lineage --version": [*command, "--version"],
        "lineage --help": [*command, "--help"],
        "lineage list": [*command, "list"],
        "lineage show web-crawl-2025-05": [*command, "show", "web-crawl-2025-05"],
        "lineage source add": None,  # a new name each round: a real write
        "lineage upstream support-assistant-v1": [*command, "upstream", "support-assistant-v1"],
    }
    timings = {name: Timings() for name in cases}
    for round_ in range(-1, repeat):  # round -1 warms the caches and is not counted
        for name, argv in cases.items():
            if argv is None:
                argv = [
                    *command,
                    "source",
                    "add",
                    f"bench-source-{round_}",
                    "--license",
                    "CC-BY-4.0",
                    "--obtained",
                    "public",
                    "--personal-data",
                    "no",
                ]
            wall, cpu = run(argv, env)
            if round_ >= 0:
                timings[name].wall.append(wall)
                timings[name].cpu.append(cpu)
    notes = [
        f"{len(cases) - 2} commands on a SQLite store of sample_data/lineage.yaml",
        "bytecode cached",
    ]
    return timings, notes


TARGETS = {
    "lineage --version": ('python -c "import click"', 2.0),
    "lineage --help": ('python -c "import click"', 2.0),
    "lineage list": ('python -c "import click, sqlalchemy"', 1.5),
    "lineage show web-crawl-2025-05": ('python -c "import click, sqlalchemy"', 1.5),
    "lineage source add": ('python -c "import click, sqlalchemy"', 1.5),
}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def print_table(timings: dict[str, Timings]) -> None:
    header = (
        "command",
        "min ms",
        "median",
        "max",
        "cpu ms",
        "baseline",
        "ratio (min)",
        "cpu ratio",
        "target",
        "result",
    )
    rows = [header]
    for name, times in timings.items():
        base_name, limit = TARGETS.get(name, ("", 0.0))
        cells = [
            name,
            ms(min(times.wall)),
            ms(statistics.median(times.wall)),
            ms(max(times.wall)),
            ms(times.best_cpu()),
        ]
        if base_name:
            base = timings[base_name]
            ratio = min(times.wall) / min(base.wall)
            cpu_ratio = times.best_cpu() / base.best_cpu()
            short = "click" if base_name.endswith('click"') else "click+sqlalchemy"
            cells += [
                short,
                f"{ratio:.2f}x",
                f"{cpu_ratio:.2f}x",
                f"<= {limit:g}x",
                "pass" if ratio <= limit else "FAIL",
            ]
        else:
            cells += ["", "", "", "", ""]
        rows.append(tuple(cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        print(line.rstrip(), file=sys.stderr)
        if index == 0:
            print("  ".join("-" * width for width in widths), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.add_options(parser)  # --runs N (default 3), --busy
    parser.add_argument(
        "--repeat", type=int, default=5, help="cold rounds of each command in a run (default 5)"
    )
    args = parser.parse_args()
    note = (
        f"each run: best of {args.repeat} cold processes per command, interleaved; "
        "commands on a SQLite store of sample_data/lineage.yaml; bytecode cached"
    )
    with harness.Bench("lineage command start-up", args, note) as bench:
        for _ in bench.runs():
            with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
                timings, _notes = measure(args.repeat, Path(folder))
            print_table(timings)
            for name, times in timings.items():
                bench.add(name, min(times.wall) * 1000, "ms")
            for name, times in timings.items():
                base_name, _ = TARGETS.get(name, ("", 0.0))
                if base_name:
                    base = timings[base_name]
                    bench.add(f"{name}: CPU ratio", times.best_cpu() / base.best_cpu(), "x")
        for name, (base_name, limit) in TARGETS.items():
            short = "click" if base_name.endswith('click"') else "click + sqlalchemy"
            bench.ratio(f"{name} / {short}", name, base_name, at_most=limit)


if __name__ == "__main__":
    main()
