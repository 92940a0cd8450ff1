"""Reads of performance planning, for its pages, API and services and for the
apps above it: each query with its select_related/prefetch_related in one
place, a fixed number of queries whatever the agency's size (the list pages are
tested at two sizes). A read never writes.

- `skp`: what a user may see, one SKP and its parts, who may decide on it;
- `submission`: what keeps an SKP from being submitted;
- `content`: an SKP as plain data, printed and hashed;
- `years`: performance years and what the admin BKD pages list;
- `tree`: the matriks peran hasil and the pohon kinerja.
"""

from .content import skp_content
from .skp import (
    SKP_RELATED,
    annotate_late,
    expectations,
    goal_choices,
    latest_version,
    may_decide,
    my_skps,
    org_goal_or_404,
    parent_choices,
    parent_rhk,
    rater_skp,
    review_notes,
    rhk_queryset,
    skp_filter,
    skp_queryset,
    skp_rhks,
    team_skps,
    version_by_number,
    version_by_token,
    versions,
)
from .submission import needs_link, parent_problem, submit_problems
from .tree import LIST_LIMIT, performance_tree, role_matrix
from .years import (
    agency_unit_or_404,
    current_year,
    tree_unit,
    year_goals,
    year_jobs,
    year_periods,
    year_summary,
    years,
)

__all__ = [
    "LIST_LIMIT",
    "SKP_RELATED",
    "agency_unit_or_404",
    "annotate_late",
    "current_year",
    "expectations",
    "latest_version",
    "may_decide",
    "my_skps",
    "needs_link",
    "org_goal_or_404",
    "parent_choices",
    "parent_problem",
    "parent_rhk",
    "performance_tree",
    "rater_skp",
    "review_notes",
    "rhk_queryset",
    "role_matrix",
    "skp_content",
    "skp_filter",
    "skp_queryset",
    "skp_rhks",
    "submit_problems",
    "team_skps",
    "tree_unit",
    "version_by_number",
    "version_by_token",
    "versions",
    "year_goals",
    "goal_choices",
    "year_jobs",
    "year_periods",
    "year_summary",
    "years",
]
