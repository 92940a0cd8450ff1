"""Periodic rating through the services: the proposal wiring, finalising, the
predikat, and every bad input of the issue with its exact message."""

import datetime as dt

import pytest

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Evaluation, PeerInput, RhkAssessment
from kinerja.planning.models import PerformanceYear
from kinerja.rules import predikat as rules

from .factories import Q1_DAY, approve, fails, rate_all, refused, skp_of

A, S, B = "di_atas", "sesuai", "di_bawah"


@pytest.mark.parametrize(
    ("ratings", "expected", "last_reason"),
    [
        ((A, A, A), A, "no_utama_below"),
        ((A, A, B), A, "no_utama_below"),
        ((A, B, A), B, "below_not_majority"),
        ((S, S, B), S, "utama_below_within_small_part"),
        ((A, S, S), S, "utama_below_within_small_part"),
        ((B, B, S), B, "majority_below"),
        ((S, B, B), B, "majority_below"),
    ],
)
def test_proposal_shown_equals_the_rules(world, staff_eval, ratings, expected, last_reason):
    rate_all(world.user("kasi"), staff_eval, list(ratings), hasil=S, hasil_differ_reason="x")
    staff_eval.refresh_from_db()
    direct = rules.propose_hasil_kerja(
        [rules.RhkRating(r, kind) for r, kind in zip(ratings, (True, True, False), strict=True)]
    )
    assert staff_eval.hasil_proposed == direct.rating == expected
    assert staff_eval.hasil_reasons == list(direct.reasons)
    assert staff_eval.hasil_reasons[-1] == last_reason


@pytest.mark.parametrize(
    ("hasil", "perilaku", "predikat"),
    [((h, p), p, rules.predikat(h, p).value) for h in (A, S, B) for p in (A, S, B)],
)
def test_finalise_gives_the_matrix_predikat(world, staff_eval, hasil, perilaku, predikat):
    h, p = hasil
    rate_all(world.user("kasi"), staff_eval, h, perilaku=p, hasil=h)
    evaluation = services.evaluation_finalise(
        actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY
    )
    assert evaluation.status == Evaluation.Status.FINALISED
    assert evaluation.predikat == evaluation.predikat_final == predikat
    assert evaluation.published is True
    assert evaluation.org_grade == "baik"
    assert evaluation.rated_by == world.kasi
    assert evaluation.is_final_no_appeal is False


def test_differ_without_reason_is_refused(world, staff_eval):
    rate_all(world.user("kasi"), staff_eval, S, hasil=A)
    fails(
        "Rating hasil kerja berbeda dari usulan (Sesuai Ekspektasi); tuliskan alasan perbedaannya.",
        services.evaluation_finalise,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        today=Q1_DAY,
    )
    staff_eval.refresh_from_db()
    assert staff_eval.status == Evaluation.Status.DRAFT and staff_eval.predikat == ""
    services.evaluation_rate(
        actor=world.user("kasi"),
        evaluation=staff_eval,
        hasil_differ_reason="Inovasi layanan di luar RHK",
        today=Q1_DAY,
    )
    evaluation = services.evaluation_finalise(
        actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY
    )
    assert (evaluation.hasil, evaluation.hasil_proposed, evaluation.predikat) == (A, S, "baik")


def test_finalising_without_all_rhk_rated(world, staff_eval):
    first = staff_eval.rhk_rows.first()
    services.evaluation_rate(
        actor=world.user("kasi"),
        evaluation=staff_eval,
        rhk={first.rhk_id: {"rating": S}},
        hasil=S,
        perilaku=S,
        today=Q1_DAY,
    )
    fails(
        "Semua RHK harus dinilai sebelum difinalkan (2 belum dinilai).",
        services.evaluation_finalise,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        today=Q1_DAY,
    )
    assert Evaluation.objects.get(pk=staff_eval.pk).status == Evaluation.Status.DRAFT


def test_rating_an_unfinished_period(world, staff_eval):
    fails(
        "Periode Triwulan I 2026 belum berakhir; penilaian dapat dilakukan mulai 25-03-2026.",
        services.evaluation_rate,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        hasil=S,
        today=dt.date(2026, 3, 10),
    )
    assert Evaluation.objects.get(pk=staff_eval.pk).hasil == ""


def test_rating_a_closed_year(world, staff_eval):
    PerformanceYear.objects.filter(pk=staff_eval.year_id).update(status="closed")
    fails(
        "Periode penilaian sudah ditutup; evaluasi tidak dapat diubah.",
        services.evaluation_rate,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        hasil=S,
        today=Q1_DAY,
    )


@pytest.mark.parametrize(
    ("who", "message", "check"),
    [
        ("fungsional", "Anda bukan pejabat penilai pegawai ini.", refused),
        ("peer", "Anda bukan pejabat penilai pegawai ini.", refused),
        ("admin", "Anda bukan pejabat penilai pegawai ini.", refused),
        ("outsider_admin", "Data berasal dari instansi lain.", refused),
        ("staff", "Anda tidak dapat menilai diri sendiri.", refused),
        (
            "kabid",
            "Atasan pejabat penilai hanya menilai bila pejabat penilai melewati batas waktu "
            "(21-04-2026).",
            fails,
        ),
    ],
)
def test_only_the_right_superior_rates(world, staff_eval, who, message, check):
    check(
        message,
        services.evaluation_rate,
        actor=world.user(who),
        evaluation=staff_eval,
        hasil=S,
        today=Q1_DAY,
    )
    assert Evaluation.objects.get(pk=staff_eval.pk).hasil == ""


def test_rater_misses_the_window_and_the_superior_rates_final(world, staff_eval):
    late = dt.date(2026, 4, 22)
    fails(
        "Batas waktu penilaian oleh pejabat penilai (21-04-2026) telah lewat; penilaian "
        "dilakukan oleh atasan pejabat penilai.",
        services.evaluation_rate,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        hasil=S,
        today=late,
    )
    rate_all(world.user("kabid"), staff_eval, S, today=late)
    evaluation = services.evaluation_finalise(
        actor=world.user("kabid"), evaluation=staff_eval, today=late
    )
    assert evaluation.is_final_no_appeal is True
    assert evaluation.rated_by == world.kabid
    assert "final dan tidak dapat diajukan keberatan" in selectors.appeal_blocked_reason(evaluation)


def test_a_finalised_evaluation_cannot_change(world, staff_eval):
    rate_all(world.user("kasi"), staff_eval, S)
    services.evaluation_finalise(actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY)
    fails(
        "Evaluasi sudah difinalkan; perubahan hanya melalui kalibrasi atau keberatan.",
        services.evaluation_rate,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        hasil=A,
        today=Q1_DAY,
    )
    assert Evaluation.objects.get(pk=staff_eval.pk).hasil == S


def test_step_one_needs_the_organisation_grade(world, year, q1):
    skp = skp_of(world.staff, year)
    approve(skp)
    evaluation = services.evaluation_for(skp=skp, period=q1)
    rate_all(world.user("kasi"), evaluation, S)
    fails(
        "Predikat kinerja organisasi unit pejabat penilai belum diisi admin BKD; evaluasi "
        "belum dapat difinalkan.",
        services.evaluation_finalise,
        actor=world.user("kasi"),
        evaluation=evaluation,
        today=Q1_DAY,
    )


@pytest.mark.parametrize(
    ("grade", "expected"),
    [("istimewa", A), ("baik", S), ("butuh_perbaikan", B), ("kurang", B), ("sangat_kurang", B)],
)
def test_a_unit_head_follows_the_unit_grade(world, graded, q1, grade, expected):
    services.org_performance_set(
        actor=world.user("admin"), unit=world.units["seksi"], year=graded, grade=grade
    )
    skp = skp_of(world.kasi, graded)
    approve(skp)
    evaluation = services.evaluation_for(skp=skp, period=q1)
    rate_all(world.user("kabid"), evaluation, A, hasil=expected)
    evaluation.refresh_from_db()
    assert evaluation.hasil_proposed == expected
    assert evaluation.hasil_reasons == ["unit_head"]
    done = services.evaluation_finalise(
        actor=world.user("kabid"), evaluation=evaluation, today=Q1_DAY
    )
    assert done.hasil == expected


def test_self_assessment_required_setting(world, staff_eval):
    services.settings_update(
        actor=world.user("admin"), agency=world.agency, self_assessment_required=True
    )
    rate_all(world.user("kasi"), staff_eval, S)
    fails(
        "Penilaian diri pegawai wajib diisi sebelum evaluasi difinalkan.",
        services.evaluation_finalise,
        actor=world.user("kasi"),
        evaluation=staff_eval,
        today=Q1_DAY,
    )
    rhk = staff_eval.rhk_rows.first().rhk_id
    services.self_assessment_submit(
        actor=world.user("staff"),
        evaluation=staff_eval,
        rhk={rhk: {"rating": A, "comment": "Target terlampaui", "evidence": "Laporan Maret"}},
        behaviour={1: {"rating": S}},
    )
    assert services.evaluation_finalise(
        actor=world.user("kasi"), evaluation=staff_eval, today=Q1_DAY
    )


def test_peers_inform_but_never_rate(world, staff_eval):
    (request,) = services.peer_input_request(
        actor=world.user("kasi"), evaluation=staff_eval, peers=[world.peer]
    )
    services.peer_input_submit(
        actor=world.user("peer"), peer_input=request, ratings={1: A, 2: S}, comment="Membantu"
    )
    request.refresh_from_db()
    assert request.ratings == {"1": A, "2": S}
    staff_eval.refresh_from_db()
    assert staff_eval.perilaku == "" and not staff_eval.behaviour_rows.exclude(rating="").exists()
    refused(
        "Masukan ini diminta dari rekan kerja lain.",
        services.peer_input_submit,
        actor=world.user("staff"),
        peer_input=request,
        ratings={1: A},
    )
    refused(
        "Hanya pejabat penilai atau admin BKD yang memilih rekan kerja.",
        services.peer_input_request,
        actor=world.user("staff"),
        evaluation=staff_eval,
        peers=[world.peer],
    )
    assert PeerInput.objects.count() == 1


def test_evaluation_rows_cover_rhk_and_values(world, staff_eval):
    assert RhkAssessment.objects.filter(evaluation=staff_eval).count() == 3
    assert staff_eval.behaviour_rows.count() == 7
