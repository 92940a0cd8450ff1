"""Table tests of kinerja.rules.org_grades: own grade, nearest ancestor, layers."""

import pytest

from kinerja.rules.org_grades import Resolved, ancestors_from_path, resolve

# The chart: 1 setda ─ 2 dinas ─ 3 bidang ─ 4 seksi.
SEKSI = [4, 3, 2, 1]


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        # nothing anywhere
        ([{}], None),
        ([{}, {}, {}], None),
        # own grade
        ([{4: "baik"}], Resolved("baik", 4, 0, False)),
        # parent's, grandparent's, root's
        ([{3: "kurang"}], Resolved("kurang", 3, 0, True)),
        ([{2: "istimewa"}], Resolved("istimewa", 2, 0, True)),
        ([{1: "baik"}], Resolved("baik", 1, 0, True)),
        # the nearest ancestor wins over a farther one
        ([{2: "istimewa", 3: "kurang"}], Resolved("kurang", 3, 0, True)),
        ([{1: "baik", 2: "istimewa"}], Resolved("istimewa", 2, 0, True)),
        # own grade wins over every ancestor
        ([{1: "baik", 2: "istimewa", 4: "sangat_kurang"}], Resolved("sangat_kurang", 4, 0, False)),
        # a unit outside the chain (a sibling) never counts
        ([{5: "baik"}], None),
        ([{5: "baik", 2: "kurang"}], Resolved("kurang", 2, 0, True)),
        # layers: the period's grade of an ancestor beats the unit's own annual grade
        ([{2: "baik"}, {4: "kurang"}], Resolved("baik", 2, 0, True)),
        # an empty period layer falls to the year's
        ([{}, {4: "kurang"}], Resolved("kurang", 4, 1, False)),
        ([{}, {1: "baik"}], Resolved("baik", 1, 1, True)),
        # the previous year's only when the chain has nothing this year
        ([{}, {}, {3: "istimewa"}], Resolved("istimewa", 3, 2, True)),
        ([{}, {1: "baik"}, {4: "istimewa"}], Resolved("baik", 1, 1, True)),
        # siblings in an earlier layer do not stop the search
        ([{5: "baik"}, {}, {4: "kurang"}], Resolved("kurang", 4, 2, False)),
    ],
)
def test_resolve(layers, expected):
    assert resolve(SEKSI, layers) == expected


@pytest.mark.parametrize(
    ("chain", "layers", "expected"),
    [
        ([1], [{1: "baik"}], Resolved("baik", 1, 0, False)),
        ([1], [{2: "baik"}], None),  # a child's grade never goes up
        ([], [{1: "baik"}], None),
    ],
)
def test_resolve_edges(chain, layers, expected):
    assert resolve(chain, layers) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/1/5/9/", [9, 5, 1]),
        ("/7/", [7]),
        ("", []),
        ("/", []),
    ],
)
def test_ancestors_from_path(path, expected):
    assert ancestors_from_path(path) == expected
