"""A tiny benchmark harness: `manage.py bench` (or `make bench`).

Any module `kinerja/<app>/bench*.py` that defines `run(report)` is a benchmark.
It does its work and calls `report(name, value, unit)` for each figure, e.g.
`report("org.synthetic_agency_20000", 12.3, "s")`; the harness prints one
aligned line per figure. Benchmarks run in a throwaway database created by the
command (see kinerja/org/management/commands/bench.py), so they may write
freely.
"""

import importlib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
NAME_WIDTH = 44


def discover():
    """Dotted names of the benchmark modules, sorted: kinerja/*/bench*.py."""
    return sorted(
        f"kinerja.{path.parent.name}.{path.stem}"
        for path in PACKAGE_DIR.glob("*/bench*.py")
        if (path.parent / "__init__.py").exists()
    )


def format_value(value):
    if isinstance(value, int):
        return str(value)
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str

    def line(self):
        return f"{self.name:<{NAME_WIDTH}} {format_value(self.value):>10} {self.unit}".rstrip()


class Reporter:
    """The `report` callable handed to each benchmark; keeps every figure."""

    def __init__(self, write=print):
        self.write = write
        self.figures = []

    def __call__(self, name, value, unit=""):
        figure = Figure(name, value, unit)
        self.figures.append(figure)
        self.write(figure.line())


@contextmanager
def timer():
    """`with timer() as t: ...` then `t()` is the elapsed seconds."""
    started = time.perf_counter()
    elapsed = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - started
    elapsed.append(time.perf_counter() - started)


def run_all(report, *, only=None, modules=None):
    """Import and run each benchmark module (those whose name contains `only`).
    Returns the names of the modules that ran."""
    ran = []
    for name in modules if modules is not None else discover():
        if only and only not in name:
            continue
        module = importlib.import_module(name)
        if not callable(getattr(module, "run", None)):
            continue
        module.run(report)
        ran.append(name)
    return ran
