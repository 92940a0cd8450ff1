"""Demo benchmark: how long `make run` takes to create the demo agency and its
history (two closed years and the current one), in the bench's throwaway
database."""

import time

from django.utils import timezone

from kinerja.bench import timer
from kinerja.org.demo import create_demo

from .build import build_history


def run(report):
    with timer() as elapsed:
        create_demo()
    report("demo.agency", elapsed(), "s")
    cpu = time.process_time()
    with timer() as elapsed:
        result = build_history(today=timezone.localdate())
    if len(result.built) != 3:
        raise RuntimeError("the demo history already exists: the bench needs an empty database")
    report("demo.history_3_years", elapsed(), "s")
    # This process's CPU alone (with SQLite, the database's too): a figure that a
    # busy machine inflates less than the wall clock.
    report("demo.history_3_years.cpu", time.process_time() - cpu, "s")
