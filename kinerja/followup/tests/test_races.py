"""Two heads decide one candidate at the same moment (PostgreSQL, real
transactions): one decision, the others a clear refusal, one audit event."""

import pytest
from django.db import connection

from kinerja.audit.models import AuditEvent
from kinerja.followup import services
from kinerja.followup.models import Candidate
from kinerja.testing import race

from .factories import make_annual, make_year

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: SQLite serialises them (CI runs this on PostgreSQL)",
    ),
]


def test_simultaneous_candidate_decisions(world):
    make_annual(world.staff, 2026, "sangat_baik")
    services.candidates_generate(agency=world.agency, year=make_year(world.agency, 2026))
    candidate = Candidate.objects.get(employee=world.staff, outcome="award")
    outcomes = race(
        lambda: services.candidate_decide(
            actor=world.user("admin"), candidate=candidate, accept=True, note=""
        )
    )
    assert outcomes == sorted(["ok"] + ["Kandidat ini sudah diputuskan."] * 5), outcomes
    assert AuditEvent.objects.filter(action="followup.candidate.decide").count() == 1
