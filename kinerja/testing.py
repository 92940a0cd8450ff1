"""The fixture world for tests (in the spirit of healthchecks' Alice/Bob/Charlie).

Two agencies, each with an org chart three levels deep below the agency head.
Agency "tebingtinggi" (the one under test):

    Sekretariat Daerah            sekda      Surya   (JPT pratama, top: no superior)
    └─ Dinas Kesehatan            kadis      Andi    (JPT pratama, head of an independent unit)
       └─ Bidang Pelayanan        kabid      Budi    (administrator)
          ├─ Seksi Layanan Primer kasi       Citra   (pengawas)
          │     staff Dewi, peer Eko (pelaksana)
          └─ fungsional Fitri (Perawat Ahli Pertama, reports to the kabid)
    BKPSDM                        admin      Gita    (admin BKD, pelaksana at BKPSDM)

Agency "lampung" (the outsider): its own Sekretariat Daerah and Dinas with
`outsider` Hadi (employee) and `outsider_admin` Indra (admin BKD there).
Everybody's password is PASSWORD.
"""

import datetime as dt
from dataclasses import dataclass, field

from kinerja.org import services
from kinerja.org.models import (
    Agency,
    Employee,
    OrgUnit,
    Position,
    PositionAssignment,
    RoleGrant,
    User,
)

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - test fixture
START = dt.date(2026, 1, 1)


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    units: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)

    def user(self, name):
        return self.people[name].user


_NIP_SEQ = [0]


def make_nip(birth=dt.date(1985, 3, 15), tmt=(2010, 3), gender="1", pppk=False):
    _NIP_SEQ[0] += 1
    month = 21 if pppk else tmt[1]
    return f"{birth:%Y%m%d}{tmt[0]:04d}{month:02d}{gender}{(_NIP_SEQ[0] - 1) % 999 + 1:03d}"


def _unit(agency, code, name, kind, parent=None, independent=False):
    return OrgUnit.objects.create(
        agency=agency, code=code, name=name, kind=kind, parent=parent, is_independent=independent
    )


def _position(agency, unit, code, name, kind, superior=None, head=False, jenjang=""):
    return Position.objects.create(
        agency=agency,
        unit=unit,
        code=code,
        name=name,
        kind=kind,
        superior=superior,
        is_unit_head=head,
        jenjang=jenjang,
    )


def make_employee(agency, name, position, *, gender="1", status="pns", start=START, unit=None):
    nip = make_nip(gender=gender, pppk=status == "pppk")
    user = User.objects.create_user(username=nip, password=PASSWORD, agency=agency)
    employee = Employee.objects.create(
        agency=agency,
        user=user,
        nip=nip,
        name=name,
        status=status,
        gender="L" if gender == "1" else "P",
        birth_date=dt.date(1985, 3, 15),
        position=position,
        unit=unit or position.unit,
        golongan="III/b",
        active_from=start,
    )
    PositionAssignment.objects.create(
        agency=agency,
        employee=employee,
        position=position,
        unit=employee.unit,
        kind=PositionAssignment.Kind.DEFINITIF,
        start=start,
    )
    return employee


def build_world() -> World:
    agency = Agency.objects.create(
        name="Pemerintah Kota Tebingtinggi (uji)", code="tebingtinggi", kind="kota"
    )
    other = Agency.objects.create(
        name="Pemerintah Provinsi Lampung (uji)", code="lampung", kind="provinsi"
    )
    w = World(agency=agency, other_agency=other)
    K, P = OrgUnit.Kind, Position.Kind
    u = w.units
    u["setda"] = _unit(agency, "SETDA", "Sekretariat Daerah", K.SEKRETARIAT)
    u["dinkes"] = _unit(agency, "DINKES", "Dinas Kesehatan", K.DINAS, u["setda"], True)
    u["bidang"] = _unit(agency, "DINKES-YAN", "Bidang Pelayanan Kesehatan", K.BIDANG, u["dinkes"])
    u["seksi"] = _unit(agency, "DINKES-YAN-1", "Seksi Layanan Primer", K.SEKSI, u["bidang"])
    u["bkpsdm"] = _unit(agency, "BKPSDM", "BKPSDM", K.BADAN, u["setda"], True)
    p = w.positions
    p["sekda"] = _position(
        agency, u["setda"], "J-SEKDA", "Sekretaris Daerah", P.JPT_PRATAMA, head=True
    )
    p["kadis"] = _position(
        agency, u["dinkes"], "J-KADINKES", "Kepala Dinas Kesehatan", P.JPT_PRATAMA, p["sekda"], True
    )
    p["kabid"] = _position(
        agency,
        u["bidang"],
        "J-KABID",
        "Kepala Bidang Pelayanan Kesehatan",
        P.ADMINISTRATOR,
        p["kadis"],
        True,
    )
    p["kasi"] = _position(
        agency, u["seksi"], "J-KASI", "Kepala Seksi Layanan Primer", P.PENGAWAS, p["kabid"], True
    )
    p["staff"] = _position(
        agency, u["seksi"], "J-PENGADM", "Pengadministrasi Layanan", P.PELAKSANA, p["kasi"]
    )
    p["fungsional"] = _position(
        agency,
        u["bidang"],
        "J-PERAWAT",
        "Perawat Ahli Pertama",
        P.FUNGSIONAL,
        p["kabid"],
        jenjang="ahli_pertama",
    )
    p["kaban"] = _position(
        agency, u["bkpsdm"], "J-KABAN", "Kepala BKPSDM", P.JPT_PRATAMA, p["sekda"], True
    )
    p["analis"] = _position(
        agency, u["bkpsdm"], "J-ANALIS", "Analis SDM Aparatur", P.PELAKSANA, p["kaban"]
    )
    ou_setda = _unit(other, "SETDA", "Sekretariat Daerah Provinsi", K.SEKRETARIAT)
    ou_dinas = _unit(other, "DISDIK", "Dinas Pendidikan", K.DINAS, ou_setda, True)
    p["other_head"] = _position(
        other, ou_dinas, "J-KADISDIK", "Kepala Dinas Pendidikan", P.JPT_PRATAMA, head=True
    )
    p["other_staff"] = _position(
        other, ou_dinas, "J-STAF", "Pengelola Data", P.PELAKSANA, p["other_head"]
    )
    services.rebuild_paths(agency)
    services.rebuild_paths(other)
    for obj in [*u.values(), *p.values()]:
        obj.refresh_from_db()
    m = w.people
    m["sekda"] = make_employee(agency, "Surya Pratama", p["sekda"])
    m["kadis"] = make_employee(agency, "Andi Saputra", p["kadis"])
    m["kabid"] = make_employee(agency, "Budi Santoso", p["kabid"])
    m["kasi"] = make_employee(agency, "Citra Lestari", p["kasi"], gender="2")
    m["staff"] = make_employee(agency, "Dewi Anggraini", p["staff"], gender="2")
    m["peer"] = make_employee(agency, "Eko Prasetyo", p["staff"], status="pppk")
    m["fungsional"] = make_employee(agency, "Fitri Handayani", p["fungsional"], gender="2")
    m["kaban"] = make_employee(agency, "Joko Widodo Susanto", p["kaban"])
    m["admin"] = make_employee(agency, "Gita Permata", p["analis"], gender="2")
    m["outsider_head"] = make_employee(other, "Kurniawan", p["other_head"])
    m["outsider"] = make_employee(other, "Hadi Wijaya", p["other_staff"])
    m["outsider_admin"] = make_employee(other, "Indra Gunawan", p["other_staff"])
    RoleGrant.objects.create(agency=agency, user=m["admin"].user, role=RoleGrant.Role.ADMIN_BKD)
    RoleGrant.objects.create(
        agency=other, user=m["outsider_admin"].user, role=RoleGrant.Role.ADMIN_BKD
    )
    return w


# --- Builders shared by the apps' tests (url_cases and others) ------------------------------
# Each returns the existing object when called again, so a url case may call them freely.


def quarterly_periods(year):
    """Four quarters of a PerformanceYear, created if missing: windows from a week
    before each quarter's end to 20 days after it."""
    from kinerja.planning.models import Period

    if Period.objects.filter(year=year).exists():
        return list(Period.objects.filter(year=year).order_by("number"))
    y = year.year
    periods = []
    for q in range(1, 5):
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y, 3 * q + 1, 1) - dt.timedelta(days=1) if q < 4 else dt.date(y, 12, 31)
        periods.append(
            Period.objects.create(
                agency=year.agency,
                year=year,
                number=q,
                label=f"Triwulan {q}",
                start=start,
                end=end,
                window_start=end - dt.timedelta(days=6),
                window_end=end + dt.timedelta(days=20),
            )
        )
    return periods


def performance_year(world, year=2026, *, periods=False):
    """World.agency's open, quarterly performance year `year`."""
    from kinerja.planning.models import PerformanceYear

    obj, _created = PerformanceYear.objects.get_or_create(
        agency=world.agency,
        year=year,
        defaults={
            "start": dt.date(year, 1, 1),
            "end": dt.date(year, 12, 31),
            "frequency": "triwulanan",
            "skp_deadline": dt.date(year, 1, 31),
            "annual_deadline": dt.date(year + 1, 1, 31),
            "annual_source": "last_period",
            "status": "open",
        },
    )
    if periods:
        quarterly_periods(obj)
    return obj


def staff_skp(world, year):
    """Dewi's (staff) SKP of `year` (a PerformanceYear), rated by Citra (kasi)."""
    from kinerja.planning.models import Skp

    skp, _created = Skp.objects.get_or_create(
        employee=world.staff,
        year=year,
        valid_from=year.start,
        defaults={
            "agency": world.agency,
            "position": world.staff.position,
            "unit": world.staff.unit,
            "rater": world.kasi,
            "form": "non_jpt",
            "approach": "kuantitatif",
        },
    )
    return skp


def staff_rhk(world, year, text="RHK uji"):
    from kinerja.planning.models import Rhk

    skp = staff_skp(world, year)
    return Rhk.objects.filter(skp=skp).first() or Rhk.objects.create(
        agency=world.agency, skp=skp, text=text
    )


def staff_iki(world, year):
    from kinerja.planning.models import Iki

    rhk = staff_rhk(world, year)
    return Iki.objects.filter(rhk=rhk).first() or Iki.objects.create(
        agency=world.agency, rhk=rhk, text="IKI uji", target_text="1", aspect="kuantitas"
    )


def race(action, n=6):
    """Run `action` in `n` threads released at the same moment, each on its own
    database connection; the sorted outcomes: "ok", the refusal's message, or
    "ERROR ..." for anything else (the server error a race test looks for)."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection

    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait(timeout=30)
            action()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcomes.append(f"ERROR {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)
