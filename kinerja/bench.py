"""A tiny benchmark harness: `manage.py bench` (or `make bench`).

Any module `kinerja/<app>/bench*.py` (or `kinerja/<app>/<package>/bench*.py`,
for a subdomain package such as `kinerja/org/importing/`) that defines
`run(report)` is a benchmark.
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


def _is_package(folder: Path) -> bool:
    return (folder / "__init__.py").exists()


def discover() -> list[str]:
    """Dotted names of the benchmark modules, sorted: kinerja/*/bench*.py and
    kinerja/*/*/bench*.py, in packages only (tests and migrations excluded)."""
    paths = [*PACKAGE_DIR.glob("*/bench*.py"), *PACKAGE_DIR.glob("*/*/bench*.py")]
    names = []
    for path in paths:
        folders = path.relative_to(PACKAGE_DIR).parts[:-1]
        if folders[-1] in ("tests", "migrations", "management"):
            continue
        if all(_is_package(PACKAGE_DIR.joinpath(*folders[: i + 1])) for i in range(len(folders))):
            names.append(".".join(("kinerja", *folders, path.stem)))
    return sorted(names)


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
