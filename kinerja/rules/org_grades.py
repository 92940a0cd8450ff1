"""Which organisation grade a unit has: its own, else its nearest ancestor's
(docs/domain.md §4, step one).

PermenPANRB 6/2022 lampiran Bab IV B.1 (lines 3811-3886) rates an employee
against the grade of the unit that their rater leads, and leaves how that grade
is measured to the rules on organisational performance (SAKIP). An agency
evaluates its dinas and badan (SAKIP/LKjIP); their bidang and seksi are rarely
graded on their own. Kinerja therefore lets a unit without its own grade take
the grade of its nearest graded ancestor ("inherited"), so that grading the
dinas grades its sections until a section gets its own. This inheritance is our
reading (**verify**), not the text's.

The grades are looked up in *layers*, most specific first: the grade for the
period, then the grade for the year, then (annual grade issued late, lines
3880-3883) the previous year's. Within a layer the unit's own grade comes
first, then its parent's, and so on up the chart; a layer is only consulted
when no unit of the chain has a grade in the layers before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Resolved", "ancestors_from_path", "resolve"]

T = TypeVar("T")


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """The grade that holds for a unit, and where it comes from."""

    value: T
    origin: int  # the unit whose own grade this is
    layer: int  # the index of the layer it was found in
    inherited: bool  # True when origin is an ancestor, not the unit itself


def ancestors_from_path(path: str) -> list[int]:
    """The unit ids of a materialised path "/1/5/9/", nearest first: [9, 5, 1]."""
    return [int(part) for part in reversed(path.strip("/").split("/")) if part]


def resolve(chain: Sequence[int], layers: Sequence[Mapping[int, T]]) -> Resolved[T] | None:
    """The grade of `chain[0]`, given its chain (the unit, its parent, ... up to
    the root) and the own grades per layer (unit id → grade), most specific
    layer first. None when no unit of the chain has a grade in any layer."""
    for index, own in enumerate(layers):
        for unit_id in chain:
            if unit_id in own:
                return Resolved(own[unit_id], unit_id, index, unit_id != chain[0])
    return None
