from kinerja.planning import services
from kinerja.planning.models import BehaviourExpectation, Period, Skp

from .factories import skp_of


def test_open_year_creates_one_draft_per_active_employee(world, year):
    skps = Skp.objects.filter(year=year)
    # 9 employees in tebingtinggi, none from lampung.
    assert skps.count() == 9
    assert not skps.exclude(agency=world.agency).exists()
    assert BehaviourExpectation.objects.filter(skp__year=year).count() == 9 * 7
    assert set(skps.values_list("status", flat=True)) == {"draft"}


def test_open_year_picks_form_and_rater(world, year):
    cases = [
        # employee, form, rater
        ("sekda", "jpt", None),
        ("kadis", "jpt", "sekda"),
        ("kaban", "jpt", "sekda"),
        ("kabid", "non_jpt", "kadis"),
        ("kasi", "non_jpt", "kabid"),
        ("staff", "non_jpt", "kasi"),
        ("peer", "non_jpt", "kasi"),
        ("fungsional", "non_jpt", "kabid"),
        ("admin", "non_jpt", "kaban"),
    ]
    for name, form, rater in cases:
        skp = skp_of(world.people[name], year)
        assert skp.form == form, name
        assert skp.rater_id == (world.people[rater].pk if rater else None), name
        expected_position = world.people[rater].position_id if rater else None
        assert skp.rater_position_id == expected_position, name
        assert skp.format_code == ("A.1.2" if form == "jpt" else "A.1.7")


def test_open_year_is_idempotent(world, year):
    counts = (Skp.objects.count(), BehaviourExpectation.objects.count())
    job = services.year_open(actor=world.user("admin"), year=year)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["created"] == 0
    assert job.result["skipped"] == 9
    assert (Skp.objects.count(), BehaviourExpectation.objects.count()) == counts


def test_year_has_quarterly_periods_with_last_named_akhir(year):
    labels = list(Period.objects.filter(year=year).values_list("label", flat=True))
    assert labels == ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV-Akhir"]
