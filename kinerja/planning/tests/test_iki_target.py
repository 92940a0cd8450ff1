"""The IKI target entered once (a number with its unit, a range, or a
qualitative description), shown once, and the IKI edited in place on the SKP
page (through the revision workflow after approval)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.planning import services
from kinerja.planning.models import Iki, Rhk

from .factories import add_rhk_with_iki, skp_of


@pytest.fixture
def rhk(world, year, approved_kasi):
    skp = skp_of(world.staff, year)
    return services.rhk_add(
        actor=world.user("staff"),
        skp=skp,
        text="Surat tersusun",
        kind=Rhk.Kind.UTAMA,
        parent=approved_kasi.rhks.first(),
    )


def add(world, rhk, **target):
    return services.iki_add(
        actor=world.user("staff"), rhk=rhk, text="Jumlah surat", aspect="kuantitas", **target
    )


@pytest.mark.parametrize(
    ("target", "stored"),
    [
        (
            {"target_min": Decimal("100"), "unit": "persen"},
            ("100 persen", Decimal("100"), Decimal("100"), "persen"),
        ),
        (  # the old way: the text and the unit both carry it; shown once
            {"target_text": "100 persen", "target_min": 100, "target_max": 100, "unit": "persen"},
            ("100 persen", Decimal("100"), Decimal("100"), "persen"),
        ),
        (
            {"target_min": Decimal("80"), "target_max": Decimal("90.5"), "unit": " persen "},
            ("80–90,5 persen", Decimal("80"), Decimal("90.5"), "persen"),
        ),
        (
            {"target_text": " surat  tanpa revisi "},
            ("surat tanpa revisi", None, None, ""),
        ),
    ],
)
def test_target_entered_once_in_one_of_three_shapes(world, rhk, target, stored):
    iki = add(world, rhk, **target)
    iki.refresh_from_db()
    assert (iki.target_text, iki.target_min, iki.target_max, iki.unit) == stored


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            {"target_text": " "},
            "Target wajib diisi: angka dengan satuan, rentang angka dengan satuan, "
            "atau uraian kualitatif.",
        ),
        (
            {"target_min": Decimal("5")},
            "Satuan wajib diisi untuk target berupa angka atau rentang.",
        ),
        (
            {"target_min": Decimal("9"), "target_max": Decimal("8"), "unit": "x"},
            "Batas bawah target tidak boleh lebih besar dari batas atas.",
        ),
    ],
)
def test_incomplete_target_is_refused(world, rhk, target, message):
    with pytest.raises(ValidationError) as error:
        add(world, rhk, **target)
    assert error.value.messages == [message]
    assert Iki.objects.filter(rhk=rhk).count() == 0


def test_iki_edited_in_place_on_the_skp_page(world, rhk, login):
    iki = add(world, rhk, target_min=Decimal("12"), unit="dokumen")
    client = login(world.user("staff"))
    response = client.post(
        reverse("planning:iki_edit", args=[iki.pk]),
        {
            "text": "Jumlah surat dinas",
            "aspect": "kuantitas",
            "target_min": "80",
            "target_max": "90",
            "unit": "persen",
            "target_text": "",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Jumlah surat dinas" in body
    assert "80–90 persen" in body and "persen persen" not in body
    iki.refresh_from_db()
    assert (iki.text, iki.target_text, iki.target_min, iki.target_max) == (
        "Jumlah surat dinas",
        "80–90 persen",
        Decimal("80"),
        Decimal("90"),
    )
    event = AuditEvent.objects.filter(action="planning.iki.update").get()
    assert event.subject == world.staff
    # Switched to a qualitative target: the numbers go, the description stays.
    client.post(
        reverse("planning:iki_edit", args=[iki.pk]),
        {"text": "Jumlah surat dinas", "aspect": "kualitas", "target_text": "tanpa revisi"},
    )
    iki.refresh_from_db()
    assert (iki.target_text, iki.target_min, iki.target_max, iki.unit) == (
        "tanpa revisi",
        None,
        None,
        "",
    )


def test_iki_edit_form_shows_what_is_stored(world, rhk, login):
    add(world, rhk, target_min=Decimal("12.5"), unit="dokumen")
    body = login(world.user("staff")).get(reverse("planning:skp_detail", args=[rhk.skp_id]))
    html = body.content.decode()
    assert 'name="target_min" inputmode="decimal" size="8" value="12,5"' in html
    assert 'name="unit" size="12" value="dokumen"' in html
    assert html.count("12,5 dokumen") == 1


def test_iki_of_an_approved_skp_changes_only_through_a_revision(world, year, approved_kasi, login):
    skp = skp_of(world.staff, year)
    rhk = add_rhk_with_iki(world.user("staff"), skp, "Surat", parent=approved_kasi.rhks.first())
    services.skp_submit(actor=world.user("staff"), skp=skp)
    services.skp_approve(actor=world.user("kasi"), skp=skp)
    iki = rhk.ikis.get()
    client = login(world.user("staff"))
    page = client.get(reverse("planning:skp_detail", args=[skp.pk])).content.decode()
    assert "Ubah melalui revisi SKP." in page
    assert reverse("planning:iki_edit", args=[iki.pk]) not in page
    response = client.post(
        reverse("planning:iki_edit", args=[iki.pk]),
        {"text": "Lain", "aspect": "kuantitas", "target_text": "x"},
        follow=True,
    )
    assert "SKP sudah disetujui; perubahan hanya melalui revisi." in response.content.decode()
    iki.refresh_from_db()
    assert iki.text == "Jumlah surat"
    services.skp_revise(actor=world.user("staff"), skp=skp, reason="Target berubah")
    client.post(
        reverse("planning:iki_edit", args=[iki.pk]),
        {"text": "Jumlah surat", "aspect": "kuantitas", "target_min": "15", "unit": "dokumen"},
    )
    iki.refresh_from_db()
    assert iki.target_text == "15 dokumen"


def test_someone_else_may_not_edit_the_iki(world, rhk, login):
    iki = add(world, rhk, target_min=Decimal("12"), unit="dokumen")
    response = login(world.user("peer")).post(
        reverse("planning:iki_edit", args=[iki.pk]),
        {"text": "Lain", "aspect": "kuantitas", "target_text": "x"},
    )
    assert response.status_code in (403, 404)
    iki.refresh_from_db()
    assert iki.text == "Jumlah surat"


def test_data_migration_writes_the_unit_once(world, rhk):
    rows = {
        "doubled": ("100 persen persen", "persen"),
        "tripled": ("12 dokumen dokumen dokumen", "dokumen"),
        "bare": ("100", "persen"),
        "range": ("80-90", "persen"),
        "right": ("12 dokumen", "dokumen"),
        "words": ("paling lama 3 hari kerja", "hari kerja"),
        "no unit": ("5", ""),
    }
    ikis = {
        key: Iki.objects.create(agency=world.agency, rhk=rhk, text=key, target_text=t, unit=u)
        for key, (t, u) in rows.items()
    }
    migration = importlib.import_module("kinerja.planning.migrations.0003_iki_target_written_once")
    migration.write_once(apps, None)
    assert {key: Iki.objects.get(pk=i.pk).target_text for key, i in ikis.items()} == {
        "doubled": "100 persen",
        "tripled": "12 dokumen",
        "bare": "100 persen",
        "range": "80-90 persen",
        "right": "12 dokumen",
        "words": "paling lama 3 hari kerja",
        "no unit": "5",
    }
