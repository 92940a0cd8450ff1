import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.audit.models import AuditEvent
from kinerja.lib.hashing import content_hash
from kinerja.org import services as org_services
from kinerja.org.models import PositionAssignment
from kinerja.planning import selectors, services
from kinerja.planning.models import (
    BehaviourExpectation,
    Iki,
    PerformanceYear,
    ReviewNote,
    Rhk,
    Skp,
    SkpVersion,
)

from .factories import add_rhk_with_iki, open_year, skp_of


def state():
    """Everything a refused action must leave untouched."""
    return (
        list(Skp.objects.order_by("pk").values_list("pk", "status", "version", "rater_id")),
        list(Rhk.objects.order_by("pk").values_list("pk", "text", "parent_id", "kind")),
        list(Iki.objects.order_by("pk").values_list("pk", "text", "target_text")),
        SkpVersion.objects.count(),
        ReviewNote.objects.count(),
        BehaviourExpectation.objects.count(),
        PerformanceYear.objects.count(),
        AuditEvent.objects.filter(action__startswith="planning.").count(),
    )


def refused(fn, message, error=ValidationError):
    """`fn` is refused with `message` (a business rule: ValidationError; an
    action this user may not take: PermissionDenied) and changes nothing."""
    before = state()
    with pytest.raises(error) as info:
        fn()
    shown = info.value.messages if isinstance(info.value, ValidationError) else [str(info.value)]
    assert message in shown, shown
    assert state() == before


@pytest.fixture
def other_year(world, year):
    return open_year(world, 2025, frequency="bulanan", annual_source="annual")


def test_bad_input_table(world, year, approved_kasi, other_year):
    """Each bad input of the issue: a clear message, nothing changed."""
    staff = skp_of(world.staff, year)
    kabid = skp_of(world.kabid, year)
    kabid_rhk = kabid.rhks.get()
    unlinked = add_rhk_with_iki(world.user("staff"), staff, "Surat tersusun")
    kasi_2025 = skp_of(world.kasi, other_year)
    rhk_2025 = services.rhk_add(actor=world.user("kasi"), skp=kasi_2025, text="RHK tahun lalu")
    sekda = skp_of(world.sekda, year)
    fungsional = skp_of(world.fungsional, year)

    cases = [
        (
            "RHK without a superior link where one is required",
            lambda: services.skp_submit(actor=world.user("staff"), skp=staff),
            'RHK "Surat tersusun" harus dikaitkan dengan RHK atasan yang diintervensi.',
        ),
        (
            "superior RHK from another year",
            lambda: services.rhk_link(actor=world.user("staff"), rhk=unlinked, parent=rhk_2025),
            "RHK atasan berasal dari periode penilaian (tahun) lain.",
        ),
        (
            "superior RHK from another chain",
            lambda: services.rhk_link(actor=world.user("staff"), rhk=unlinked, parent=kabid_rhk),
            "RHK atasan harus berasal dari SKP pejabat penilai Anda, bukan dari rantai lain.",
        ),
        (
            "editing after approval",
            lambda: services.rhk_add(actor=world.user("kasi"), skp=approved_kasi, text="Baru"),
            "SKP sudah disetujui; perubahan hanya melalui revisi.",
        ),
        (
            "editing someone else's SKP",
            lambda: services.rhk_add(actor=world.user("peer"), skp=staff, text="Baru"),
            "Anda tidak berhak mengubah SKP ini.",
            PermissionDenied,
        ),
        (
            "duplicate SKP for the same person and period",
            lambda: services.skp_create(actor=world.user("admin"), employee=world.staff, year=year),
            "Dewi Anggraini sudah memiliki SKP yang berlaku untuk tahun 2026.",
        ),
        (
            "duplicate performance year",
            lambda: services.year_create(
                actor=world.user("admin"),
                agency=world.agency,
                year=2026,
                frequency="bulanan",
                annual_source="annual",
            ),
            "Periode penilaian tahun 2026 sudah ada.",
        ),
        (
            "year opened by a non-admin",
            lambda: services.year_create(
                actor=world.user("kadis"),
                agency=world.agency,
                year=2027,
                frequency="bulanan",
                annual_source="annual",
            ),
            "Hanya admin BKD yang dapat melakukan ini.",
            PermissionDenied,
        ),
        (
            "approving an SKP that is not submitted",
            lambda: services.skp_approve(actor=world.user("kasi"), skp=staff),
            "Hanya SKP berstatus diajukan yang dapat diputuskan.",
        ),
        (
            "submitting without any RHK",
            lambda: services.skp_submit(actor=world.user("sekda"), skp=sekda),
            "SKP harus memiliki minimal satu RHK utama.",
        ),
        (
            "own duties cited by a non-functional position",
            lambda: services.rhk_add(
                actor=world.user("staff"), skp=staff, text="Tugas", source="tugas_jabatan"
            ),
            "Hanya jabatan fungsional yang dapat mengambil RHK dari tugas jabatan sendiri.",
        ),
        (
            "IKI without an aspect on a quantitative SKP",
            lambda: services.iki_add(
                actor=world.user("staff"), rhk=unlinked, text="Jumlah", target_text="5"
            ),
            "Pilih aspek IKI: kuantitas, kualitas, waktu, atau biaya.",
        ),
        (
            "range upside down",
            lambda: services.iki_add(
                actor=world.user("staff"),
                rhk=unlinked,
                text="Persentase",
                target_text="90-80%",
                aspect="kualitas",
                target_min=90,
                target_max=80,
            ),
            "Batas bawah target tidak boleh lebih besar dari batas atas.",
        ),
        (
            "matrix assignment to someone who is not a direct subordinate",
            lambda: services.rhk_matrix_assign(
                actor=world.user("kasi"),
                parent_rhk=approved_kasi.rhks.first(),
                skp_ids=[staff.pk, fungsional.pk],
            ),
            "Sebagian SKP yang dipilih bukan SKP bawahan langsung Anda pada tahun yang sama.",
        ),
        (
            "revising an SKP that is not approved",
            lambda: services.skp_revise(actor=world.user("staff"), skp=staff, reason="x"),
            "Hanya SKP yang sudah disetujui yang dapat direvisi.",
        ),
        (
            "revision without a reason",
            lambda: services.skp_revise(actor=world.user("kasi"), skp=approved_kasi, reason=" "),
            "Alasan revisi wajib diisi.",
        ),
    ]
    for label, fn, message, *error in cases:
        try:
            refused(fn, message, *error)
        except AssertionError as exc:  # pragma: no cover - names the failing row
            raise AssertionError(f"{label}: {exc}") from exc


def test_superior_cannot_approve_own_skp_and_others_cannot_decide(world, year, approved_kasi):
    staff = skp_of(world.staff, year)
    parent = approved_kasi.rhks.first()
    add_rhk_with_iki(world.user("staff"), staff, "Surat tersusun", parent=parent)
    services.skp_submit(actor=world.user("staff"), skp=staff)
    refused(
        lambda: services.skp_approve(actor=world.user("staff"), skp=staff),
        "Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri.",
        PermissionDenied,
    )
    for name in ("peer", "kabid", "admin", "kadis"):
        refused(
            lambda name=name: services.skp_approve(actor=world.user(name), skp=staff),
            "Hanya pejabat penilai SKP ini yang dapat memutuskannya.",
            PermissionDenied,
        )
    refused(
        lambda: services.skp_return(actor=world.user("kasi"), skp=staff, note="  "),
        "Catatan wajib diisi saat mengembalikan SKP.",
    )
    refused(
        lambda: services.rhk_add(actor=world.user("staff"), skp=staff, text="Lagi"),
        "SKP sedang diajukan; tunggu keputusan pejabat penilai.",
    )


def test_editing_after_the_year_closed(world, year):
    staff = skp_of(world.staff, year)
    services.year_close(actor=world.user("admin"), year=year)
    staff.year.refresh_from_db()
    refused(
        lambda: services.rhk_add(actor=world.user("staff"), skp=staff, text="Baru"),
        "Periode penilaian sudah ditutup; SKP tidak dapat diubah.",
    )


def test_full_workflow_with_return_revision_and_versions(world, year, approved_kasi):
    staff = skp_of(world.staff, year)
    parent = approved_kasi.rhks.first()
    rhk = add_rhk_with_iki(world.user("staff"), staff, "Surat tersusun", parent=parent)
    services.skp_submit(actor=world.user("staff"), skp=staff)
    services.skp_return(actor=world.user("kasi"), skp=staff, note="Tambah target waktu")
    staff.refresh_from_db()
    assert staff.status == "dikembalikan"
    assert staff.notes.get().text == "Tambah target waktu"
    services.iki_add(
        actor=world.user("staff"),
        rhk=rhk,
        text="Surat selesai",
        target_text="paling lama 3 hari kerja",
        aspect="waktu",
    )
    services.skp_submit(actor=world.user("staff"), skp=staff)
    v1 = services.skp_approve(actor=world.user("kasi"), skp=staff)
    staff.refresh_from_db()
    assert (staff.status, staff.version, v1.number) == ("disetujui", 1, 1)
    assert v1.content_hash == content_hash(v1.content)
    assert v1.approved_by == world.kasi
    assert [i["aspect"] for i in v1.content["rhk"][0]["iki"]] == ["Kuantitas", "Waktu"]
    assert v1.content["rhk"][0]["parent"] == parent.text

    services.skp_revise(actor=world.user("staff"), skp=staff, reason="Tugas baru dari kasi")
    staff.refresh_from_db()
    assert (staff.status, staff.version) == ("draft", 2)
    services.rhk_update(actor=world.user("staff"), rhk=rhk, text="Surat dinas tersusun")
    services.skp_submit(actor=world.user("staff"), skp=staff)
    v2 = services.skp_approve(actor=world.user("kasi"), skp=staff)
    assert v2.number == 2 and v2.reason == "Tugas baru dari kasi"
    v1.refresh_from_db()
    assert v1.content["rhk"][0]["text"] == "Surat tersusun"  # the old version stays readable
    assert v2.content["rhk"][0]["text"] == "Surat dinas tersusun"
    assert v1.content_hash != v2.content_hash
    actions = list(
        AuditEvent.objects.filter(subject=world.staff, action__startswith="planning.skp.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-7:] == [
        "planning.skp.submit",
        "planning.skp.return",
        "planning.skp.submit",
        "planning.skp.approve",
        "planning.skp.revise",
        "planning.skp.submit",
        "planning.skp.approve",
    ]


def test_top_of_tree_is_approved_by_admin_bkd(world, year):
    """The sekda has no pejabat penilai in the app (the PPK / agency head sets
    it outside): the SKP needs no link and admin BKD records the approval."""
    sekda = skp_of(world.sekda, year)
    assert sekda.rater_id is None
    services.rhk_add(actor=world.user("sekda"), skp=sekda, text="Kinerja kota meningkat")
    rhk = sekda.rhks.get()
    for p in ("penerima_layanan", "proses_bisnis", "penguatan_internal"):
        services.iki_add(
            actor=world.user("sekda"), rhk=rhk, text=f"IKI {p}", target_text="80", perspektif=p
        )
    refused(
        lambda: services.skp_submit(actor=world.user("sekda"), skp=sekda),
        "Perspektif belum tercakup: Anggaran.",
    )
    services.iki_add(
        actor=world.user("sekda"), rhk=rhk, text="Serapan", target_text="95%", perspektif="anggaran"
    )
    services.skp_submit(actor=world.user("sekda"), skp=sekda)
    refused(
        lambda: services.skp_approve(actor=world.user("kadis"), skp=sekda),
        "Hanya pejabat penilai SKP ini yang dapat memutuskannya.",
        PermissionDenied,
    )
    version = services.skp_approve(actor=world.user("admin"), skp=sekda)
    assert version.approved_by == world.admin


def test_jpt_rhk_must_come_from_goals(world, year):
    kadis = skp_of(world.kadis, year)
    rhk = services.rhk_add(
        actor=world.user("kadis"), skp=kadis, text="Derajat kesehatan", source="pk"
    )
    for p in ("penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran"):
        services.iki_add(
            actor=world.user("kadis"), rhk=rhk, text=f"IKI {p}", target_text="80", perspektif=p
        )
    refused(
        lambda: services.skp_submit(actor=world.user("kadis"), skp=kadis),
        'RHK "Derajat kesehatan" harus diambil dari sasaran strategis organisasi atau RHK atasan.',
    )
    goal = services.org_goal_create(
        actor=world.user("admin"), year=year, text="Meningkatnya derajat kesehatan", source="pk"
    )
    services.rhk_link(actor=world.user("kadis"), rhk=rhk, org_goal=goal)
    services.skp_submit(actor=world.user("kadis"), skp=kadis)
    services.skp_approve(actor=world.user("sekda"), skp=kadis)


def test_functional_may_cite_own_duties(world, year):
    skp = skp_of(world.fungsional, year)
    add_rhk_with_iki(world.user("fungsional"), skp, "Asuhan keperawatan", source="tugas_jabatan")
    services.skp_submit(actor=world.user("fungsional"), skp=skp)
    assert skp_of(world.fungsional, year).status == "diajukan"


def test_absolute_target_is_a_warning(world, year):
    skp = skp_of(world.staff, year)
    rhk = services.rhk_add(actor=world.user("staff"), skp=skp, text="Surat")
    iki = services.iki_add(
        actor=world.user("staff"), rhk=rhk, text="Surat", target_text="selalu 100%", aspect="waktu"
    )
    assert iki.pk and iki.warnings == ["selalu", "100%"]


def test_vacant_superior_position_climbs_to_the_next_holder(world):
    PositionAssignment.objects.filter(employee=world.kasi).update(start=dt.date(2026, 12, 30))
    obj = open_year(world, 2026, annual_source="annual")
    assert skp_of(world.staff, obj).rater == world.kabid


def test_acting_superior_rates_and_may_decide(world, year, approved_kasi):
    org_services.employee_acting_assign(
        actor=world.user("admin"),
        employee=world.fungsional,
        position=world.positions["kasi"],
        kind="plt",
        start=dt.date(2026, 1, 1),
    )
    staff = skp_of(world.staff, year)
    assert staff.rater == world.kasi  # recorded when the year opened
    add_rhk_with_iki(world.user("staff"), staff, "Surat", parent=approved_kasi.rhks.first())
    services.skp_submit(actor=world.user("staff"), skp=staff)
    # The Plt of the kasi position is the superior today and may approve.
    version = services.skp_approve(
        actor=world.user("fungsional"), skp=staff, today=dt.date(2026, 3, 2)
    )
    assert version.approved_by == world.fungsional


def test_matrix_assign_bulk_and_idempotent(world, year, approved_kasi):
    parent = approved_kasi.rhks.first()
    ids = [skp_of(world.staff, year).pk, skp_of(world.peer, year).pk]
    result = services.rhk_matrix_assign(actor=world.user("kasi"), parent_rhk=parent, skp_ids=ids)
    assert result == {"created": 2, "skipped_existing": 0, "locked": []}
    rows = Rhk.objects.filter(parent=parent).order_by("skp__employee__name")
    assert [(r.skp.employee.name, r.text, r.kind) for r in rows] == [
        ("Dewi Anggraini", parent.text, "utama"),
        ("Eko Prasetyo", parent.text, "utama"),
    ]
    again = services.rhk_matrix_assign(actor=world.user("kasi"), parent_rhk=parent, skp_ids=ids)
    assert again == {"created": 0, "skipped_existing": 2, "locked": []}
    assert AuditEvent.objects.filter(action="planning.rhk.matrix_assign").count() == 2


def test_move_mid_year_closes_old_and_opens_new(world, year, approved_kasi):
    old = skp_of(world.staff, year)
    add_rhk_with_iki(world.user("staff"), old, "Surat", parent=approved_kasi.rhks.first())
    services.skp_submit(actor=world.user("staff"), skp=old)
    services.skp_approve(actor=world.user("kasi"), skp=old)
    start = dt.date(2026, 7, 1)
    org_services.employee_move(
        actor=world.user("admin"),
        employee=world.staff,
        position=world.positions["analis"],
        start=start,
    )
    new = services.skp_handle_move(actor=world.user("admin"), employee=world.staff, start=start)
    old.refresh_from_db()
    assert (old.status, old.closed_status, old.valid_until) == (
        "ditutup",
        "disetujui",
        dt.date(2026, 6, 30),
    )
    assert old.rhks.count() == 1 and old.versions.count() == 1
    assert (new.status, new.valid_from, new.rater, new.position) == (
        "draft",
        start,
        world.kaban,
        world.positions["analis"],
    )
    assert new.expectations.count() == 7
    # Idempotent.
    assert services.skp_handle_move(actor=None, employee=world.staff, start=start) == new
    assert Skp.objects.filter(employee=world.staff).count() == 2
    # Leaving closes the current one.
    services.skp_handle_leave(
        actor=world.user("admin"), employee=world.staff, end=dt.date(2026, 9, 30)
    )
    new.refresh_from_db()
    assert (new.status, new.valid_until) == ("ditutup", dt.date(2026, 9, 30))


def test_expectations_and_lampiran(world, year):
    skp = skp_of(world.staff, year)
    services.skp_expectations_set(actor=world.user("kasi"), skp=skp, values={2: "Tepat waktu"})
    services.skp_lampiran_set(
        actor=world.user("staff"),
        skp=skp,
        dukungan_sumber_daya="Laptop",
        skema_pertanggungjawaban="Laporan bulanan",
        konsekuensi="Penghargaan",
    )
    content = selectors.skp_content(skp)
    assert content["perilaku"][1]["ekspektasi_khusus"] == "Tepat waktu"
    assert content["perilaku"][1]["name"] == "Akuntabel"
    assert content["lampiran"]["dukungan_sumber_daya"] == "Laptop"
    refused(
        lambda: services.skp_expectations_set(actor=world.user("peer"), skp=skp, values={1: "x"}),
        "Anda tidak berhak mengubah SKP ini.",
        PermissionDenied,
    )
