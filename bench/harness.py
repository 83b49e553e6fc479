"""What every benchmark under bench/ shares: `--runs`, `--busy` and the table of figures.

    parser = argparse.ArgumentParser()
    harness.add_options(parser)          # --runs N (default 3), --busy
    args = parser.parse_args()
    with harness.Bench("store", args) as bench:
        for run in bench.runs():         # the whole measurement, --runs times
            bench.add("raw B", rows / seconds, "rows/s")
            bench.add("API", rows / seconds, "rows/s")
        bench.ratio("API of B", "API", "raw B", at_least=0.5)
    # on leaving: one table, min / median / max of every figure and ratio

A ratio is taken run by run (each figure against the baseline measured in the
same run, so a slow moment of the machine falls on both) and its median is what
the target is checked against. `--busy` starts one CPU-bound process (a child
spinning in a loop, pinned to nothing) before the first run and stops it after
the last: a figure that holds only on a quiet machine is not one users get.
No figure is asserted; the table says "holds" or "FAILS" and a person reads it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

SPIN = "while True: pass"


def installed_env(pycache: Path, **extra: str) -> dict[str, str]:
    """The environment for a `lineage` process run by a benchmark, as an installed package runs.

    Compiled modules are cached (under `pycache`, for the baselines' modules too) even
    where this environment sets PYTHONDONTWRITEBYTECODE, under which lineage's source
    would be compiled again at every start (0.2-0.3 s no user pays).
    """
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


class Timing(NamedTuple):
    """What a command cost: wall seconds, and the CPU seconds of its process and its
    children in user space and in the kernel (page faults, writes)."""

    wall: float
    user: float
    system: float

    @property
    def cpu(self) -> float:
        return self.user + self.system


def run_command(argv: list[str], env: dict[str, str] | None = None) -> Timing:
    """How long a command took (wall) and the CPU time of its process and its children.

    A `lineage check` that finds problems exits 1: counted as done, any other failure ends
    the benchmark with the command's error.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    return Timing(wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)


# What the machine itself costs at the moment, for figures in seconds that have no
# baseline of their own: a fixed piece of pure-Python work, and a fresh process touching
# 512 MiB it has not touched before. On a virtual machine the second varies by four
# times from one hour to the next (a page the host has to back first costs ~7 us, one
# it recycles ~1.5 us), and a large report spends a tenth to a third of its CPU there.
_PYTHON_WORK = "sum(i * i % 7 for i in range(10_000_000))"
_TOUCH_MEMORY = "b = bytearray(512 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1"


def machine_reference(bench: Bench) -> None:
    """Add this run's figures of the machine itself (see `_PYTHON_WORK`, `_TOUCH_MEMORY`)."""
    for name, code in (
        ("reference: fixed pure-Python work, CPU", _PYTHON_WORK),
        ("reference: touching 512 MiB of new memory, system CPU", _TOUCH_MEMORY),
    ):
        timing = run_command([sys.executable, "-c", code])
        bench.add(name, timing.system if "memory" in name else timing.cpu, "s")


def add_options(parser: argparse.ArgumentParser, runs: int = 3) -> None:
    """Add `--runs` and `--busy` to a benchmark's options."""
    parser.add_argument(
        "--runs",
        type=int,
        default=runs,
        help=f"repeat the whole measurement this many times; min / median / max (default {runs})",
    )
    parser.add_argument(
        "--busy",
        action="store_true",
        help="run one CPU-bound process beside the measurement (as another user would)",
    )


class Busy:
    """One child process spinning on a CPU while the block runs; a context manager."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Busy:
        if self.enabled:
            self.process = subprocess.Popen([sys.executable, "-c", SPIN])
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@dataclass
class Figure:
    """The values of one measure over the runs."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    target: str = ""
    holds: bool | None = None  # on the median, when there is a target


def machine() -> str:
    """CPU model, CPUs usable, Python version: the 'machine' of a published figure."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return f"{model}, {cpus} CPUs, Python {platform.python_version()}, {platform.system()}"


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def _number(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


class Bench:
    """Collects the figures of a benchmark's runs and prints them as one table."""

    def __init__(self, title: str, args: argparse.Namespace, note: str = "") -> None:
        self.title = title
        self.count = max(1, int(getattr(args, "runs", 3)))
        self.busy = Busy(bool(getattr(args, "busy", False)))
        self.note = note
        self.figures: dict[str, Figure] = {}
        self.started = datetime.now(UTC)
        self.load_before = ""

    def __enter__(self) -> Bench:
        self.load_before = load_average()
        self.busy.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.busy.__exit__(kind, error, traceback)
        if kind is None:
            self.print()

    def runs(self) -> Iterator[int]:
        """The run numbers, 1 to --runs, saying on stderr which one starts."""
        for run in range(1, self.count + 1):
            print(f"[{self.title}] run {run} of {self.count}", file=sys.stderr, flush=True)
            yield run

    def add(self, name: str, value: float, unit: str) -> None:
        """One run's value of measure `name` (figures keep the order first added)."""
        figure = self.figures.setdefault(name, Figure(name, unit))
        figure.values.append(value)
        print(f"  {name}: {_number(value)} {unit}", file=sys.stderr, flush=True)

    def ratio(
        self,
        name: str,
        numerator: str,
        denominator: str,
        *,
        at_least: float | None = None,
        at_most: float | None = None,
        percent: bool = False,
    ) -> Figure:
        """`numerator` / `denominator` run by run, with a target checked on the median."""
        top, bottom = self.figures[numerator].values, self.figures[denominator].values
        values = [a / b for a, b in zip(top, bottom, strict=False) if b]
        scale = 100.0 if percent else 1.0
        figure = Figure(name, "%" if percent else "x", [v * scale for v in values])
        self._target(figure, at_least, at_most, scale)
        self.figures[name] = figure
        return figure

    def target(
        self, name: str, *, at_least: float | None = None, at_most: float | None = None
    ) -> None:
        """Check measure `name` itself (not a ratio) against a target, on its median."""
        self._target(self.figures[name], at_least, at_most, 1.0)

    def _target(
        self, figure: Figure, at_least: float | None, at_most: float | None, scale: float
    ) -> None:
        if not figure.values:
            return
        median = statistics.median(figure.values)
        suffix = figure.unit if figure.unit in ("%", "x") else f" {figure.unit}"
        if at_least is not None:
            figure.target = f">= {_number(at_least * scale)}{suffix}"
            figure.holds = median >= at_least * scale
        elif at_most is not None:
            figure.target = f"<= {_number(at_most * scale)}{suffix}"
            figure.holds = median <= at_most * scale

    def print(self) -> None:
        busy = "with one CPU-bound process beside it (--busy)" if self.busy.enabled else "quiet"
        print(
            f"\n{self.title}: {self.count} run(s), {busy}; "
            f"{self.started:%Y-%m-%d %H:%M} UTC; {machine()}"
        )
        print(f"load average before: {self.load_before}, after: {load_average()}")
        if self.note:
            print(self.note)
        header = ("measure", "min", "median", "max", "unit", "target", "on the median")
        lines = [header]
        for figure in self.figures.values():
            values = figure.values
            if not values:
                continue
            verdict = "" if figure.holds is None else ("holds" if figure.holds else "FAILS")
            lines.append(
                (
                    figure.name,
                    _number(min(values)),
                    _number(statistics.median(values)),
                    _number(max(values)),
                    figure.unit,
                    figure.target,
                    verdict,
                )
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        for index, line in enumerate(lines):
            cells = [
                cell.ljust(width) if column in (0, 4, 5, 6) else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())
            if index == 0:
                print("  ".join("-" * width for width in widths))
        print(flush=True)

    @property
    def failed(self) -> bool:
        return any(figure.holds is False for figure in self.figures.values())
