"""Demo and synthetic agencies, built set-based.

`create_demo()` builds "Pemerintah Kota Tebingtinggi": a realistic kota with a
dozen OPD, their bidang/seksi, schools, puskesmas, an RSUD and kecamatan with
kelurahan, a few hundred employees and one account per role. It is idempotent:
when the agency exists nothing is written and the same logins are returned.

`create_synthetic()` builds an agency of N employees (OPD -> bidang -> seksi)
for benchmarks: 20,000 employees take a few seconds.

Both plan the whole chart in Python first (unsaved model instances, with
randomness from a seeded `random.Random`, so the same seed gives the same
agency), then write it with one `bulk_create` per table. Primary keys of units
and positions are reserved up front so that their materialised paths are
known before the insert and no second pass is needed.
"""

import datetime as dt
import hashlib
import random
import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.audit.services import record

from . import mfa
from .models import Agency, Employee, OrgUnit, Position, PositionAssignment, RoleGrant, User

DEMO_CODE = "tebingtinggi"
DEMO_NAME = "Pemerintah Kota Tebingtinggi"
DEMO_PASSWORD = "demo-kinerja-2026"  # noqa: S105 - published demo password
DEMO_SEED = 2026
SUPERUSER = "admin"
PLT_START = dt.date(2026, 1, 2)
BATCH = 1000

K, P, J = OrgUnit.Kind, Position.Kind, Position.Jenjang

# --- People -----------------------------------------------------------------


def _words(text):
    return text.split()


MALE = _words(
    "Ahmad Muhammad Budi Agus Andi Rudi Hendra Dedi Joko Bambang Eko Fajar Rizky Arif Irfan "
    "Yusuf Hasan Rahmat Syahrul Taufik Indra Dimas Bayu Wahyu Hadi Imam Fauzi Ridwan Zulkifli "
    "Sutrisno Darmawan Teguh Yudi Aditya Reza Ilham Gilang Ferry Roni Sahat Parlindungan Togar "
    "Marihot Benny Tigor Anwar Irwansyah Khairul Mhd. Azhar Fadli Rahmadi Suheri Dani Hamdani"
)
FEMALE = _words(
    "Siti Sri Dewi Ratna Rina Nurul Fitri Yuni Wulan Ayu Indah Putri Rahmawati Nur Ani Desi Eka "
    "Maya Novi Lina Mega Rini Yanti Dian Intan Nurhayati Suryani Rosmawati Elvi Friska Lusiana "
    "Hotmaida Romauli Debora Masnah Zahara Khairunnisa Juliana Melati Sartika Erna Yusnita"
)
MALE_SECOND = _words(
    "Pratama Saputra Hidayat Kurniawan Setiawan Wijaya Nugroho Santoso Prasetyo Gunawan "
    "Firmansyah Syahputra Ramadhan Hakim Maulana Effendi Rambe Sofyan"
)
FEMALE_SECOND = _words(
    "Lestari Wati Sari Anggraini Handayani Rahayu Puspita Permata Wulandari Maharani Safitri "
    "Oktaviani Ningsih Susanti Yusnida Hasanah"
)
MARGA = _words(
    "Siregar Nasution Lubis Harahap Hasibuan Simanjuntak Sitorus Sinaga Tarigan Ginting "
    "Sembiring Purba Saragih Damanik Pane Pohan Matondang Daulay Rangkuti Batubara Tanjung "
    "Marpaung Pardede Panjaitan Sihombing Manurung"
)

# Bachelor's degrees by track; diploma and master's beside them.
S1_TITLES = {
    "umum": ["S.E.", "S.H.", "S.Sos.", "S.AP.", "S.I.P.", "S.Ak."],
    "teknik": ["S.T."],
    "kom": ["S.Kom."],
    "guru": ["S.Pd."],
    "kesmas": ["S.K.M."],
    "perawat": ["S.Kep., Ners"],
    "bidan": ["S.Tr.Keb."],
    "farmasi": ["S.Farm., Apt."],
    "dokter": [""],
    "auditor": ["S.E.", "S.Ak."],
    "hukum": ["S.H."],
    "sosial": ["S.Sos."],
}
D3_TITLES = {
    "perawat": "A.Md.Kep.",
    "bidan": "A.Md.Keb.",
    "kom": "A.Md.Kom.",
    "farmasi": "A.Md.Farm.",
}
S2_TITLES = {
    "umum": ["M.Si.", "M.M.", "M.A.P."],
    "teknik": ["M.T."],
    "kom": ["M.Kom."],
    "guru": ["M.Pd."],
    "kesmas": ["M.Kes."],
    "perawat": ["M.Kep."],
    "dokter": ["M.Kes."],
    "hukum": ["M.H."],
    "auditor": ["M.Ak.", "M.Si."],
    "sosial": ["M.Si."],
}

# PNS golongan ruang with pangkat (PP 99/2000), in order.
GOLONGAN = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
# (lowest, highest) index into GOLONGAN, and birth-year range, by kind or jenjang.
RANK = {
    P.JPT_PRATAMA: ((13, 15), (1967, 1976)),
    P.ADMINISTRATOR: ((11, 13), (1968, 1982)),
    P.PENGAWAS: ((9, 11), (1970, 1988)),
    J.AHLI_UTAMA: ((15, 16), (1966, 1972)),
    J.AHLI_MADYA: ((12, 14), (1967, 1980)),
    J.AHLI_MUDA: ((10, 11), (1976, 1990)),
    J.AHLI_PERTAMA: ((8, 9), (1986, 1999)),
    J.PENYELIA: ((10, 11), (1970, 1984)),
    J.MAHIR: ((8, 9), (1978, 1992)),
    J.TERAMPIL: ((5, 7), (1985, 2000)),
    J.PEMULA: ((4, 4), (1995, 2002)),
    "sma": ((4, 7), (1968, 2002)),
    "d3": ((6, 8), (1975, 2000)),
    "s1": ((8, 10), (1975, 1999)),
}
# PPPK golongan (Perpres 98/2020) by education or jenjang.
PPPK_GOLONGAN = {"sma": "V", "d3": "VII", "s1": "IX", J.AHLI_MUDA: "X", J.AHLI_MADYA: "XI"}
ENTRY_AGE = {"sma": (19, 25), "d3": (22, 27), "s1": (24, 30), "s2": (24, 30)}
SKILL_JENJANG = {J.PEMULA, J.TERAMPIL, J.MAHIR, J.PENYELIA}

# Pelaksana positions (KepmenPANRB 11/2024 nomenclature) and their education.
PELAKSANA = {
    "Penata Layanan Operasional": "s1",
    "Pengelola Layanan Operasional": "d3",
    "Pengadministrasi Perkantoran": "sma",
    "Operator Layanan Operasional": "sma",
}


class NipFactory:
    """Unique, valid NIPs (see kinerja.org.nip). The 3-digit sequence is drawn
    from `sequences`, so that two generators given disjoint ranges (the demo
    uses 1-499, synthetic agencies 500-999) never produce the same NIP."""

    def __init__(self, rng, *, sequences=range(1, 500), taken=()):
        self.rng = rng
        self.sequences = sequences
        self.taken = set(taken)

    def make(self, *, birth, tmt_year, tmt_month, gender):
        digit = "1" if gender == Employee.Gender.MALE else "2"
        prefix = f"{birth:%Y%m%d}{tmt_year:04d}{tmt_month:02d}{digit}"
        while True:
            nip = f"{prefix}{self.rng.choice(self.sequences):03d}"
            if nip not in self.taken:
                self.taken.add(nip)
                return nip


def _date_in(rng, year):
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _name(rng, gender):
    first = rng.choice(MALE if gender == "L" else FEMALE)
    second = rng.choice(MALE_SECOND if gender == "L" else FEMALE_SECOND)
    roll = rng.random()
    if roll < 0.4:
        return f"{first} {rng.choice(MARGA)}"
    if roll < 0.7:
        return f"{first} {second}"
    if roll < 0.85:
        return f"{first} {second} {rng.choice(MARGA)}"
    return f"{first} {rng.choice(MALE if gender == 'L' else FEMALE)} {second}"


def _education(kind, jenjang, name, rng):
    if kind == P.PELAKSANA:
        return PELAKSANA.get(name, "sma")
    if kind in (P.JPT_PRATAMA, P.JPT_MADYA, P.JPT_UTAMA):
        return "s2"
    if kind == P.ADMINISTRATOR:
        return "s2" if rng.random() < 0.7 else "s1"
    if jenjang in SKILL_JENJANG:
        return "d3"
    if jenjang in (J.AHLI_MADYA, J.AHLI_UTAMA):
        return "s2" if rng.random() < 0.5 else "s1"
    return "s2" if rng.random() < 0.15 else "s1"


def _titles(track, education, gender, birth_year, rng):
    front, back = [], []
    senior = education in ("s1", "s2") and birth_year < 1968
    if track == "dokter":
        front.append("dr.")
    elif senior and track in ("umum", "sosial"):
        front.append("Drs." if gender == "L" else "Dra.")
    elif senior and track == "teknik":
        front.append("Ir.")
    elif education == "d3":
        back.append(D3_TITLES.get(track, "A.Md."))
    elif education in ("s1", "s2"):
        back.append(rng.choice(S1_TITLES.get(track, S1_TITLES["umum"])))
    if education == "s2":
        back.append(rng.choice(S2_TITLES.get(track, S2_TITLES["umum"])))
    if birth_year < 1978 and rng.random() < 0.15:
        front.append("H." if gender == "L" else "Hj.")  # "dr. H.", "Drs. H."
    return " ".join(front), ", ".join(t for t in back if t)


def person(rng, nips, position, *, track="umum", pppk=False):
    """An unsaved Employee (and its User) for `position`, with a consistent NIP,
    age, golongan and pangkat."""
    kind, jenjang = position.kind, position.jenjang
    education = _education(kind, jenjang, position.name, rng)
    key = jenjang or (kind if kind != P.PELAKSANA else education)
    (low, high), (born_from, born_to) = RANK.get(key, RANK["s1"])
    gender = "P" if rng.random() < (0.6 if track in ("guru", "perawat", "bidan") else 0.4) else "L"
    if track == "bidan":
        gender = "P"
    birth = _date_in(rng, rng.randint(born_from, born_to))
    if pppk:
        tmt_year, tmt_month = rng.randint(2022, 2025), 21
        golongan = PPPK_GOLONGAN.get(jenjang, PPPK_GOLONGAN.get(education, "IX"))
        pangkat = ""
    else:
        entry = rng.randint(*ENTRY_AGE[education])
        tmt_year, tmt_month = min(birth.year + entry, 2025), rng.randint(1, 12)
        golongan, pangkat = GOLONGAN[rng.randint(low, high)]
    front, back = _titles(track, education, gender, birth.year, rng)
    nip = nips.make(birth=birth, tmt_year=tmt_year, tmt_month=tmt_month, gender=gender)
    start = dt.date(rng.randint(max(tmt_year, 2019), 2025), rng.randint(1, 12), 1)
    employee = Employee(
        nip=nip,
        name=_name(rng, gender),
        front_title=front,
        back_title=back,
        status=Employee.Status.PPPK if pppk else Employee.Status.PNS,
        golongan=golongan,
        pangkat=pangkat,
        gender=gender,
        birth_date=birth,
        active_from=start,
    )
    employee.plan_position = position
    return employee


# --- Planning a chart ---------------------------------------------------------


class OrgPlan:
    """An agency's org chart and people as unsaved instances, in insert order
    (a parent or superior always before its children)."""

    def __init__(self, agency, *, rng, nips):
        self.agency = agency
        self.rng = rng
        self.nips = nips
        self.units = []
        self.positions = []
        self.people = []
        self.grants = []  # (position, role, unit or None): granted to its first holder
        self.acting = []  # (holder's position, acting position, kind, start)

    def unit(self, code, name, kind, parent=None, *, independent=False):
        unit = OrgUnit(agency=self.agency, code=code, name=name, kind=kind)
        unit.is_independent = independent
        unit.plan_parent = parent
        self.units.append(unit)
        return unit

    def headed_unit(
        self,
        code,
        name,
        kind,
        parent=None,
        *,
        head_title,
        head_kind,
        head_code=None,
        independent=False,
        **position,
    ):
        """A unit and its head position (code "<unit code>-KA" unless given)."""
        unit = self.unit(code, name, kind, parent, independent=independent)
        head = self.position(
            unit, head_code or f"{code}-KA", head_title, head_kind, head=True, **position
        )
        return unit, head

    def position(
        self, unit, code, name, kind, *, superior=None, head=False, jenjang="", holders=1, **how
    ):
        position = Position(
            agency=self.agency,
            code=code,
            name=name,
            kind=kind,
            jenjang=jenjang,
            is_unit_head=head,
        )
        position.plan_unit = unit
        position.plan_superior = superior
        self.positions.append(position)
        self.hire(position, holders, **how)
        return position

    def hire(self, position, count, *, track="umum", pppk=0.0):
        for _ in range(count):
            is_pppk = pppk > 0 and self.rng.random() < pppk
            self.people.append(person(self.rng, self.nips, position, track=track, pppk=is_pppk))


def _reserve_ids(model, count):
    """`count` fresh primary keys for `model`, taken inside the current transaction."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses a key: start above both the highest row
            # and the highest key ever handed out.
            cursor.execute(f'SELECT MAX("{column}") FROM "{table}"')  # noqa: S608
            top = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
            return list(range(top + 1, top + count + 1))
    raise NotImplementedError(f"no key reservation for {connection.vendor}")


def save_plan(plan, *, password=None):
    """Write the plan: one bulk insert per table. `password` is an already
    hashed password for every employee account (None: unusable)."""
    agency = plan.agency
    for unit, pk in zip(plan.units, _reserve_ids(OrgUnit, len(plan.units)), strict=True):
        parent = unit.plan_parent
        unit.pk = pk
        unit.parent_id = parent.pk if parent else None
        unit.path = f"{parent.path if parent else '/'}{pk}/"
        unit.depth = parent.depth + 1 if parent else 0
    OrgUnit.objects.bulk_create(plan.units, batch_size=BATCH)
    for position, pk in zip(
        plan.positions, _reserve_ids(Position, len(plan.positions)), strict=True
    ):
        superior = position.plan_superior
        position.pk = pk
        position.unit_id = position.plan_unit.pk
        position.superior_id = superior.pk if superior else None
        position.path = f"{superior.path if superior else '/'}{pk}/"
    Position.objects.bulk_create(plan.positions, batch_size=BATCH)
    users = [
        User(
            username=e.nip,
            agency=agency,
            password=password or UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20),
        )
        for e in plan.people
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    for employee, user in zip(plan.people, users, strict=True):
        position = employee.plan_position
        employee.agency = agency
        employee.user_id = user.pk
        employee.position_id = position.pk
        employee.unit_id = position.unit_id
    Employee.objects.bulk_create(plan.people, batch_size=BATCH)
    PositionAssignment.objects.bulk_create(
        [
            PositionAssignment(
                agency=agency,
                employee_id=e.pk,
                position_id=e.position_id,
                unit_id=e.unit_id,
                kind=PositionAssignment.Kind.DEFINITIF,
                start=e.active_from,
            )
            for e in plan.people
        ],
        batch_size=BATCH,
    )
    first_holder = {}
    for employee in plan.people:
        first_holder.setdefault(employee.position_id, employee)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(agency=agency, user_id=first_holder[p.pk].user_id, role=role, unit=unit)
            for p, role, unit in plan.grants
        ]
    )
    PositionAssignment.objects.bulk_create(
        [
            PositionAssignment(
                agency=agency,
                employee=first_holder[holder.pk],
                position=acting,
                unit_id=acting.unit_id,
                kind=kind,
                start=start,
                note=f"{kind.label} {acting.name}",
            )
            for holder, acting, kind, start in plan.acting
        ]
    )


# --- The demo agency ------------------------------------------------------------

# OPD built from one pattern: (code, name, unit kind, head title, bidang/subbidang
# word, [(bidang code, bidang name, [seksi names])], [fungsional (name, jenjang,
# track, holders, pppk share)]).
OPD = [
    (
        "INSPEKTORAT",
        "Inspektorat",
        K.INSPEKTORAT,
        "Inspektur",
        None,
        [
            ("IRBAN1", "Inspektur Pembantu Wilayah I", []),
            ("IRBAN2", "Inspektur Pembantu Wilayah II", []),
        ],
        [
            ("Auditor Ahli Pertama", J.AHLI_PERTAMA, "auditor", 2, 0),
            ("Auditor Ahli Muda", J.AHLI_MUDA, "auditor", 1, 0),
            (
                "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Muda",
                J.AHLI_MUDA,
                "umum",
                1,
                0,
            ),
        ],
    ),
    (
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        K.BADAN,
        "Kepala Badan Perencanaan Pembangunan Daerah",
        "Subbidang",
        [
            ("PEREKO", "Bidang Perencanaan Perekonomian", ["Pertanian dan Pangan", "Perdagangan"]),
            ("PRASWIL", "Bidang Infrastruktur dan Kewilayahan", ["Infrastruktur", "Tata Ruang"]),
        ],
        [
            ("Perencana Ahli Pertama", J.AHLI_PERTAMA, "umum", 1, 0),
            ("Perencana Ahli Muda", J.AHLI_MUDA, "teknik", 1, 0),
        ],
    ),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        K.BADAN,
        "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Subbidang",
        [
            ("MUTASI", "Bidang Mutasi dan Promosi", ["Mutasi", "Promosi dan Kepangkatan"]),
            (
                "KINERJA",
                "Bidang Penilaian Kinerja dan Penghargaan",
                ["Penilaian Kinerja", "Disiplin dan Penghargaan"],
            ),
            ("BANGKOM", "Bidang Pengembangan Kompetensi", ["Diklat", "Sertifikasi"]),
        ],
        [
            ("Analis Sumber Daya Manusia Aparatur Ahli Pertama", J.AHLI_PERTAMA, "umum", 2, 0),
            ("Pranata Komputer Ahli Pertama", J.AHLI_PERTAMA, "kom", 1, 0),
        ],
    ),
    (
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        K.DINAS,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        "Seksi",
        [
            (
                "DAFDUK",
                "Bidang Pelayanan Pendaftaran Penduduk",
                ["Identitas Penduduk", "Pindah Datang"],
            ),
            (
                "CAPIL",
                "Bidang Pelayanan Pencatatan Sipil",
                ["Kelahiran dan Kematian", "Perkawinan"],
            ),
            (
                "PIAK",
                "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                ["Sistem Informasi"],
            ),
        ],
        [
            ("Administrator Database Kependudukan Ahli Pertama", J.AHLI_PERTAMA, "kom", 1, 0),
            ("Pranata Komputer Terampil", J.TERAMPIL, "kom", 1, 0.3),
        ],
    ),
    (
        "DINSOS",
        "Dinas Sosial",
        K.DINAS,
        "Kepala Dinas Sosial",
        "Seksi",
        [
            ("REHSOS", "Bidang Rehabilitasi Sosial", ["Rehabilitasi Anak dan Lansia"]),
            ("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial", ["Jaminan Sosial", "Bencana"]),
        ],
        [
            ("Pekerja Sosial Ahli Pertama", J.AHLI_PERTAMA, "sosial", 2, 0.3),
            ("Penyuluh Sosial Ahli Muda", J.AHLI_MUDA, "sosial", 1, 0),
        ],
    ),
    (
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        K.DINAS,
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
        "Seksi",
        [
            ("BIMAR", "Bidang Bina Marga", ["Pembangunan Jalan", "Pemeliharaan Jalan"]),
            ("SDA", "Bidang Sumber Daya Air", ["Irigasi dan Drainase"]),
            ("CIPTARU", "Bidang Cipta Karya dan Tata Ruang", ["Bangunan Gedung", "Tata Ruang"]),
        ],
        [
            ("Teknik Jalan dan Jembatan Ahli Pertama", J.AHLI_PERTAMA, "teknik", 2, 0),
            ("Penata Ruang Ahli Muda", J.AHLI_MUDA, "teknik", 1, 0),
        ],
    ),
    (
        "DISHUB",
        "Dinas Perhubungan",
        K.DINAS,
        "Kepala Dinas Perhubungan",
        "Seksi",
        [
            ("LALIN", "Bidang Lalu Lintas", ["Manajemen dan Rekayasa Lalu Lintas", "Perparkiran"]),
            ("ANGKUTAN", "Bidang Angkutan", ["Angkutan Orang dan Barang"]),
        ],
        [
            ("Penguji Kendaraan Bermotor Terampil", J.TERAMPIL, "teknik", 2, 0),
            ("Penguji Kendaraan Bermotor Mahir", J.MAHIR, "teknik", 1, 0),
        ],
    ),
    (
        "SATPOLPP",
        "Satuan Polisi Pamong Praja",
        K.KANTOR,
        "Kepala Satuan Polisi Pamong Praja",
        "Seksi",
        [
            ("GAKDA", "Bidang Penegakan Peraturan Daerah", ["Penyelidikan dan Penyidikan"]),
            (
                "TIBUM",
                "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
                ["Operasi dan Pengendalian", "Kerja Sama"],
            ),
        ],
        [
            ("Polisi Pamong Praja Terampil", J.TERAMPIL, "umum", 3, 0.2),
            ("Polisi Pamong Praja Mahir", J.MAHIR, "umum", 2, 0),
            ("Polisi Pamong Praja Ahli Pertama", J.AHLI_PERTAMA, "hukum", 1, 0),
        ],
    ),
    (
        "BAPENDA",
        "Badan Pendapatan Daerah",
        K.BADAN,
        "Kepala Badan Pendapatan Daerah",
        "Subbidang",
        [
            ("DATA", "Bidang Pendataan dan Penetapan", ["Pendataan", "Penetapan"]),
            ("TAGIH", "Bidang Penagihan dan Pengendalian", ["Penagihan"]),
        ],
        [
            ("Pranata Komputer Ahli Pertama", J.AHLI_PERTAMA, "kom", 1, 0),
            ("Analis Keuangan Pusat dan Daerah Ahli Muda", J.AHLI_MUDA, "auditor", 1, 0),
        ],
    ),
]

DINKES_BIDANG = [
    ("KESMAS", "Bidang Kesehatan Masyarakat", ["Promosi Kesehatan", "Kesehatan Keluarga dan Gizi"]),
    ("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", ["Surveilans dan Imunisasi"]),
    (
        "YANKES",
        "Bidang Pelayanan dan Sumber Daya Kesehatan",
        ["Pelayanan Kesehatan Primer", "Kefarmasian"],
    ),
]
DISDIK_BIDANG = [
    ("SD", "Bidang Pembinaan Sekolah Dasar", ["Kurikulum SD", "Peserta Didik SD"]),
    ("SMP", "Bidang Pembinaan Sekolah Menengah Pertama", ["Kurikulum SMP"]),
    ("GTK", "Bidang Guru dan Tenaga Kependidikan", ["Pendidik"]),
]
SCHOOLS = [
    ("SDN1", "SD Negeri 163081", "SD"),
    ("SDN2", "SD Negeri 164519", "SD"),
    ("SDN3", "SD Negeri 166003", "SD"),
    ("SMPN1", "SMP Negeri 1 Tebing Tinggi", "SMP"),
    ("SMPN2", "SMP Negeri 2 Tebing Tinggi", "SMP"),
]
PUSKESMAS = [
    ("PKM-PASAR", "UPTD Puskesmas Pasar Gambir"),
    ("PKM-RAMBUTAN", "UPTD Puskesmas Rantau Laban"),
    ("PKM-SATRIA", "UPTD Puskesmas Satria"),
]
KECAMATAN = [
    ("KEC-PDHULU", "Kecamatan Padang Hulu", ["Lubuk Baru", "Persiakan", "Tualang"]),
    ("KEC-RAMBUTAN", "Kecamatan Rambutan", ["Lalang", "Tanjung Marulak"]),
    ("KEC-BAJENIS", "Kecamatan Bajenis", ["Bandarsono", "Berohol", "Pelita"]),
]
SETDA_BAGIAN = [
    ("PEM", "Bagian Pemerintahan", ["Administrasi Pemerintahan", "Otonomi Daerah"]),
    ("HUKUM", "Bagian Hukum", ["Peraturan Perundang-undangan", "Bantuan Hukum"]),
    ("ORG", "Bagian Organisasi", ["Kelembagaan dan Analisis Jabatan", "Reformasi Birokrasi"]),
    ("UMUM", "Bagian Umum", ["Tata Usaha Pimpinan", "Rumah Tangga"]),
]


def _staff(plan, unit, code, superior, rng, *, low=1, high=2):
    """Pelaksana under a kasi/kasubbag: one or two positions with one to two holders."""
    names = rng.sample(sorted(PELAKSANA), 2)
    plan.position(
        unit,
        f"{code}-P1",
        names[0],
        P.PELAKSANA,
        superior=superior,
        holders=rng.randint(low, high),
        pppk=0.1,
    )
    if rng.random() < 0.15:
        plan.position(unit, f"{code}-P2", names[1], P.PELAKSANA, superior=superior, holders=1)


def _sekretariat(plan, opd, code, head, rng):
    sek, sekretaris = plan.headed_unit(
        f"{code}-SEK",
        "Sekretariat",
        K.SEKRETARIAT,
        opd,
        head_title=f"Sekretaris {opd.name}",
        head_kind=P.ADMINISTRATOR,
        head_code=f"{code}-SEKRETARIS",
        superior=head,
    )
    for sub_code, sub_name in (("UMPEG", "Umum dan Kepegawaian"), ("KEU", "Keuangan dan Aset")):
        sub, kasubbag = plan.headed_unit(
            f"{code}-SEK-{sub_code}",
            f"Subbagian {sub_name}",
            K.SUBBAGIAN,
            sek,
            head_title=f"Kepala Subbagian {sub_name}",
            head_kind=P.PENGAWAS,
            superior=sekretaris,
        )
        _staff(plan, sub, f"{code}-SEK-{sub_code}", kasubbag, rng)
    return sek, sekretaris


def _bidang(plan, opd, code, head, bidang, seksi_word, rng, *, vacant=False):
    b_code, b_name, seksi_names = bidang
    unit_kind = K.BIDANG if b_name.startswith("Bidang") else K.LAINNYA
    unit = plan.unit(f"{code}-{b_code}", b_name, unit_kind, opd)
    title = b_name if unit_kind == K.LAINNYA else f"Kepala {b_name}"
    kabid = plan.position(
        unit,
        f"{code}-{b_code}-KA",
        title,
        P.ADMINISTRATOR,
        superior=head,
        head=True,
        holders=0 if vacant else 1,
    )
    kasi_positions = []
    for i, seksi_name in enumerate(seksi_names, start=1):
        s_code = f"{code}-{b_code}-{i}"
        seksi, kasi = plan.headed_unit(
            s_code,
            f"{seksi_word} {seksi_name}",
            K.SEKSI,
            unit,
            head_title=f"Kepala {seksi_word} {seksi_name}",
            head_kind=P.PENGAWAS,
            superior=kabid,
        )
        kasi_positions.append(kasi)
        _staff(plan, seksi, s_code, kasi, rng)
    return unit, kabid, kasi_positions


def _opd(plan, sekda, spec, rng):
    code, name, kind, head_title, seksi_word, bidang_list, fungsional = spec
    opd, head = plan.headed_unit(
        code,
        name,
        kind,
        independent=True,
        head_title=head_title,
        head_kind=P.JPT_PRATAMA,
        head_code=f"{code}-KEPALA",
        superior=sekda,
    )
    _sekretariat(plan, opd, code, head, rng)
    bidang_heads = []
    for bidang in bidang_list:
        unit, kabid, _ = _bidang(plan, opd, code, head, bidang, seksi_word or "Seksi", rng)
        bidang_heads.append((unit, kabid))
    for i, (f_name, jenjang, track, holders, pppk) in enumerate(fungsional, start=1):
        unit, kabid = bidang_heads[(i - 1) % len(bidang_heads)]
        plan.position(
            unit,
            f"{code}-F{i}",
            f_name,
            P.FUNGSIONAL,
            superior=kabid,
            jenjang=jenjang,
            holders=holders,
            track=track,
            pppk=pppk,
        )
    return opd, head


def plan_demo(agency, *, seed=DEMO_SEED, taken=()):
    rng = random.Random(seed)
    plan = OrgPlan(agency, rng=rng, nips=NipFactory(rng, sequences=range(1, 500), taken=taken))
    # Sekretariat Daerah: the Sekda is the top of the chart (the Wali Kota is
    # not an employee) and the pejabat penilai of every OPD head.
    setda, sekda = plan.headed_unit(
        "SETDA",
        "Sekretariat Daerah",
        K.SEKRETARIAT,
        independent=True,
        head_title="Sekretaris Daerah",
        head_kind=P.JPT_PRATAMA,
        head_code="SETDA-SEKDA",
    )
    plan.position(setda, "SETDA-P1", "Penata Layanan Operasional", P.PELAKSANA, superior=sekda)
    for b_code, b_name, subs in SETDA_BAGIAN:
        bagian, kabag = plan.headed_unit(
            f"SETDA-{b_code}",
            b_name,
            K.BAGIAN,
            setda,
            head_title=f"Kepala {b_name}",
            head_kind=P.ADMINISTRATOR,
            superior=sekda,
        )
        for i, sub_name in enumerate(subs, start=1):
            s_code = f"SETDA-{b_code}-{i}"
            sub = plan.unit(s_code, f"Subbagian {sub_name}", K.SUBBAGIAN, bagian)
            kasubbag = plan.position(
                sub,
                f"{s_code}-KA",
                f"Kepala Subbagian {sub_name}",
                P.PENGAWAS,
                superior=kabag,
                head=True,
                holders=0 if s_code == "SETDA-HUKUM-2" else 1,  # vacant
            )
            _staff(plan, sub, s_code, kasubbag, rng, high=1)
    plan.position(
        setda,
        "SETDA-F1",
        "Analis Kebijakan Ahli Muda",
        P.FUNGSIONAL,
        superior=sekda,
        jenjang=J.AHLI_MUDA,
        holders=2,
    )

    heads = {}
    for spec in OPD[:3]:
        heads[spec[0]] = _opd(plan, sekda, spec, rng)

    # Dinas Pendidikan, with its schools: a kepala sekolah is a Guru with an
    # additional duty (tugas tambahan), so heads the school by a role grant.
    disdik, kadisdik = plan.headed_unit(
        "DISDIK",
        "Dinas Pendidikan",
        K.DINAS,
        independent=True,
        head_title="Kepala Dinas Pendidikan",
        head_kind=P.JPT_PRATAMA,
        head_code="DISDIK-KEPALA",
        superior=sekda,
    )
    _sekretariat(plan, disdik, "DISDIK", kadisdik, rng)
    kabid_by_level = {}
    for bidang in DISDIK_BIDANG:
        unit, kabid, _ = _bidang(plan, disdik, "DISDIK", kadisdik, bidang, "Seksi", rng)
        kabid_by_level[bidang[0]] = (unit, kabid)
    plan.position(
        kabid_by_level["GTK"][0],
        "DISDIK-F1",
        "Pengawas Sekolah Ahli Madya",
        P.FUNGSIONAL,
        superior=kadisdik,
        jenjang=J.AHLI_MADYA,
        holders=2,
        track="guru",
    )
    for s_code, s_name, level in SCHOOLS:
        school = plan.unit(f"DISDIK-{s_code}", s_name, K.SEKOLAH, disdik)
        kepsek = plan.position(
            school,
            f"DISDIK-{s_code}-KS",
            "Guru Ahli Madya",
            P.FUNGSIONAL,
            superior=kabid_by_level[level][1],
            jenjang=J.AHLI_MADYA,
            track="guru",
        )
        plan.grants.append((kepsek, RoleGrant.Role.PIMPINAN_UNIT, school))
        plan.position(
            school,
            f"DISDIK-{s_code}-G1",
            "Guru Ahli Pertama",
            P.FUNGSIONAL,
            superior=kepsek,
            jenjang=J.AHLI_PERTAMA,
            holders=rng.randint(2, 4),
            track="guru",
            pppk=0.5,
        )
        plan.position(
            school,
            f"DISDIK-{s_code}-G2",
            "Guru Ahli Muda",
            P.FUNGSIONAL,
            superior=kepsek,
            jenjang=J.AHLI_MUDA,
            holders=rng.randint(1, 3),
            track="guru",
            pppk=0.2,
        )
        plan.position(
            school,
            f"DISDIK-{s_code}-TU",
            "Pengadministrasi Perkantoran",
            P.PELAKSANA,
            superior=kepsek,
            holders=1,
        )

    # Dinas Kesehatan, with puskesmas (headed by a dokter with an additional
    # duty) and the RSUD (a UPT of the dinas with its own director).
    dinkes, kadinkes = plan.headed_unit(
        "DINKES",
        "Dinas Kesehatan",
        K.DINAS,
        independent=True,
        head_title="Kepala Dinas Kesehatan",
        head_kind=P.JPT_PRATAMA,
        head_code="DINKES-KEPALA",
        superior=sekda,
    )
    _sekretariat(plan, dinkes, "DINKES", kadinkes, rng)
    dinkes_bidang = {}
    for bidang in DINKES_BIDANG:
        # The head of P2P is vacant; one of its kasi is the Plt.
        unit, kabid, kasi = _bidang(
            plan, dinkes, "DINKES", kadinkes, bidang, "Seksi", rng, vacant=bidang[0] == "P2P"
        )
        dinkes_bidang[bidang[0]] = (unit, kabid, kasi)
        if bidang[0] == "P2P":
            plan.acting.append((kasi[0], kabid, PositionAssignment.Kind.PLT, PLT_START))
    yankes_unit, yankes_kabid, _ = dinkes_bidang["YANKES"]
    plan.position(
        yankes_unit,
        "DINKES-F1",
        "Administrator Kesehatan Ahli Muda",
        P.FUNGSIONAL,
        superior=yankes_kabid,
        jenjang=J.AHLI_MUDA,
        track="kesmas",
    )
    p2p_unit, p2p_kabid, _ = dinkes_bidang["P2P"]
    plan.position(
        p2p_unit,
        "DINKES-F2",
        "Epidemiolog Kesehatan Ahli Pertama",
        P.FUNGSIONAL,
        superior=p2p_kabid,
        jenjang=J.AHLI_PERTAMA,
        track="kesmas",
    )
    for code, name in PUSKESMAS:
        pkm = plan.unit(f"DINKES-{code}", name, K.PUSKESMAS, dinkes)
        kapus = plan.position(
            pkm,
            f"DINKES-{code}-KA",
            "Dokter Ahli Madya",
            P.FUNGSIONAL,
            superior=kadinkes,
            jenjang=J.AHLI_MADYA,
            track="dokter",
        )
        plan.grants.append((kapus, RoleGrant.Role.PIMPINAN_UNIT, pkm))
        for suffix, f_name, jenjang, track, low, high, pppk in (
            ("DR", "Dokter Ahli Pertama", J.AHLI_PERTAMA, "dokter", 1, 2, 0),
            ("PR1", "Perawat Terampil", J.TERAMPIL, "perawat", 2, 3, 0.3),
            ("PR2", "Perawat Ahli Pertama", J.AHLI_PERTAMA, "perawat", 1, 2, 0.3),
            ("BD", "Bidan Terampil", J.TERAMPIL, "bidan", 1, 2, 0.3),
        ):
            plan.position(
                pkm,
                f"DINKES-{code}-{suffix}",
                f_name,
                P.FUNGSIONAL,
                superior=kapus,
                jenjang=jenjang,
                holders=rng.randint(low, high),
                track=track,
                pppk=pppk,
            )
        plan.position(
            pkm, f"DINKES-{code}-TU", "Pengadministrasi Perkantoran", P.PELAKSANA, superior=kapus
        )
    rsud, direktur = plan.headed_unit(
        "DINKES-RSUD",
        "RSUD dr. H. Kumpulan Pane",
        K.RSUD,
        dinkes,
        head_title="Direktur RSUD dr. H. Kumpulan Pane",
        head_kind=P.ADMINISTRATOR,
        head_code="DINKES-RSUD-DIR",
        superior=kadinkes,
        track="dokter",
    )
    for i, sub_name in enumerate(("Pelayanan Medik", "Keperawatan", "Tata Usaha"), start=1):
        s_code = f"DINKES-RSUD-{i}"
        sub, kasi = plan.headed_unit(
            s_code,
            f"Seksi {sub_name}",
            K.SEKSI,
            rsud,
            head_title=f"Kepala Seksi {sub_name}",
            head_kind=P.PENGAWAS,
            superior=direktur,
            holders=0 if i == 2 else 1,
        )
        _staff(plan, sub, s_code, kasi, rng, high=1)
    for suffix, f_name, jenjang, track, holders, pppk in (
        ("DR1", "Dokter Ahli Muda", J.AHLI_MUDA, "dokter", 2, 0),
        ("DR2", "Dokter Ahli Madya", J.AHLI_MADYA, "dokter", 1, 0),
        ("PR1", "Perawat Ahli Pertama", J.AHLI_PERTAMA, "perawat", 4, 0.3),
        ("PR2", "Perawat Terampil", J.TERAMPIL, "perawat", 4, 0.4),
        ("APT", "Apoteker Ahli Pertama", J.AHLI_PERTAMA, "farmasi", 1, 0),
        ("PK", "Pranata Komputer Terampil", J.TERAMPIL, "kom", 1, 0),
    ):
        plan.position(
            rsud,
            f"DINKES-RSUD-{suffix}",
            f_name,
            P.FUNGSIONAL,
            superior=direktur,
            jenjang=jenjang,
            holders=holders,
            track=track,
            pppk=pppk,
        )

    for spec in OPD[3:]:
        heads[spec[0]] = _opd(plan, sekda, spec, rng)

    # Kecamatan (the camat is an administrator in a kota) with their kelurahan.
    for code, name, kelurahan in KECAMATAN:
        kec, camat = plan.headed_unit(
            code,
            name,
            K.KECAMATAN,
            independent=True,
            head_title=f"Camat {name[len('Kecamatan ') :]}",
            head_kind=P.ADMINISTRATOR,
            head_code=f"{code}-CAMAT",
            superior=sekda,
        )
        sekcam = plan.position(
            kec, f"{code}-SEKCAM", "Sekretaris Kecamatan", P.PENGAWAS, superior=camat
        )
        plan.position(
            kec,
            f"{code}-P1",
            "Pengadministrasi Perkantoran",
            P.PELAKSANA,
            superior=sekcam,
            holders=rng.randint(1, 2),
        )
        for i, sie in enumerate(("Pemerintahan", "Ketenteraman dan Ketertiban Umum"), start=1):
            s_code = f"{code}-{i}"
            seksi, kasi = plan.headed_unit(
                s_code,
                f"Seksi {sie}",
                K.SEKSI,
                kec,
                head_title=f"Kepala Seksi {sie}",
                head_kind=P.PENGAWAS,
                superior=camat,
            )
            _staff(plan, seksi, s_code, kasi, rng, high=1)
        for i, kel_name in enumerate(kelurahan, start=1):
            k_code = f"{code}-KEL{i}"
            kel, lurah = plan.headed_unit(
                k_code,
                f"Kelurahan {kel_name}",
                K.KELURAHAN,
                kec,
                head_title=f"Lurah {kel_name}",
                head_kind=P.PENGAWAS,
                head_code=f"{k_code}-LURAH",
                superior=camat,
            )
            plan.position(
                kel,
                f"{k_code}-P1",
                "Pengelola Layanan Operasional",
                P.PELAKSANA,
                superior=lurah,
                holders=rng.randint(1, 2),
            )

    # Roles granted by hand: the admin BKD, and the tim penilai kinerja
    # (chaired by the Sekda, with the BKPSDM and the Inspektorat).
    plan.grants += [
        (_find(plan, "BKPSDM-F1"), RoleGrant.Role.ADMIN_BKD, None),
        (_find(plan, "BKPSDM-F2"), RoleGrant.Role.ADMIN_BKD, None),
        (sekda, RoleGrant.Role.TIM_PENILAI, None),
        (_find(plan, "BKPSDM-KINERJA-KA"), RoleGrant.Role.TIM_PENILAI, None),
        (_find(plan, "INSPEKTORAT-IRBAN1-KA"), RoleGrant.Role.TIM_PENILAI, None),
    ]
    return plan


def _find(plan, code):
    return next(p for p in plan.positions if p.code == code)


# --- Demo logins -----------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    name: str
    password: str
    totp_key: str = ""  # base32, for the accounts whose roles require a second factor


def demo_totp_key(username):
    """The demo's authenticator secret for an account (hex, 20 bytes): derived
    from the username and published with the logins, like the demo password.
    A demo convenience only; real accounts enrol their own random secret."""
    return hashlib.sha1(f"kinerja-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def _base32(key_hex):
    return b32encode(bytes.fromhex(key_hex)).decode()


# (role label, how to find the account): a position code (its first holder by
# NIP), a role grant, or the acting (Plt) assignment.
DEMO_LOGINS = [
    ("Admin BKD", ("grant", RoleGrant.Role.ADMIN_BKD)),
    ("Kepala dinas (JPT)", ("position", "DINKES-KEPALA")),
    ("Kepala bidang (atasan)", ("position", "DINKES-YANKES-KA")),
    ("Kepala seksi (atasan)", ("position", "DINKES-YANKES-1-KA")),
    ("Pegawai (pelaksana)", ("position", "DINKES-YANKES-1-P1")),
    ("Pegawai (fungsional)", ("position", "DINKES-F1")),
    ("Plt. kepala bidang", ("acting", PositionAssignment.Kind.PLT)),
    ("Pimpinan unit (kepala puskesmas)", ("grant", RoleGrant.Role.PIMPINAN_UNIT)),
    ("Tim penilai kinerja", ("grant", RoleGrant.Role.TIM_PENILAI)),
]


def demo_logins(agency):
    employees = Employee.objects.filter(agency=agency).select_related("position")
    logins = []
    for role, (how, value) in DEMO_LOGINS:
        if how == "position":
            employee = employees.filter(position__code=value).order_by("nip").first()
        elif how == "acting":
            employee = employees.filter(assignments__kind=value).order_by("nip").first()
        else:
            qs = employees.filter(user__role_grants__role=value)
            if value == RoleGrant.Role.PIMPINAN_UNIT:
                qs = qs.filter(unit__kind=OrgUnit.Kind.PUSKESMAS)
            employee = qs.order_by("position__code", "nip").first()
        if employee is not None:
            key = (
                _base32(demo_totp_key(employee.nip))
                if how == "grant" and value in mfa.REQUIRED_ROLES
                else ""
            )
            logins.append(Login(role, employee.nip, employee.full_name, DEMO_PASSWORD, key))
    logins.append(
        Login(
            "Superuser platform",
            SUPERUSER,
            "(tanpa instansi)",
            DEMO_PASSWORD,
            _base32(demo_totp_key(SUPERUSER)),
        )
    )
    return logins


def enrol_demo_authenticators(logins):
    """The demo accounts whose roles require a second factor get an
    authenticator with their published key, unless they already have one
    (idempotent; never replaces a device someone enrolled)."""
    keyed = {x.username: x.totp_key for x in logins if x.totp_key}
    users = User.objects.filter(username__in=keyed).exclude(
        pk__in=TOTPDevice.objects.values("user_id")
    )
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(user=u, name="Demo", confirmed=True, key=demo_totp_key(u.username))
            for u in users
        ]
    )


def format_logins(logins):
    header = ("Peran", "Nama pengguna (NIP)", "Nama", "Kata sandi", "Kunci autentikator (TOTP)")
    rows = [header] + [(x.role, x.username, x.name, x.password, x.totp_key) for x in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _summary(plan):
    return f"{len(plan.units)} unit, {len(plan.positions)} jabatan, {len(plan.people)} pegawai"


def _taken_nips():
    """NIPs already used as an employee's NIP or an account's username."""
    return set(Employee.objects.values_list("nip", flat=True)) | set(
        User.objects.values_list("username", flat=True)
    )


_HASH = {}


def _demo_hash():
    """The demo password hashed once per process: argon2 is slow on purpose."""
    key = (DEMO_PASSWORD, settings.PASSWORD_HASHERS[0])
    if key not in _HASH:
        _HASH[key] = make_password(DEMO_PASSWORD)
    return _HASH[key]


@dataclass
class DemoResult:
    agency: Agency
    created: bool
    employees: int
    logins: list


def create_demo(*, reset_passwords=False):
    """Create the demo agency unless it exists; return it with its logins.
    Existing accounts are never changed unless `reset_passwords`."""
    agency = Agency.objects.filter(code=DEMO_CODE).first()
    created = agency is None
    if created:
        with transaction.atomic():
            agency = Agency.objects.create(name=DEMO_NAME, code=DEMO_CODE, kind=Agency.Kind.KOTA)
            plan = plan_demo(agency, taken=_taken_nips())
            save_plan(plan, password=_demo_hash())
            record(
                "org.demo_data.create",
                agency=agency,
                target=agency,
                note=_summary(plan),
            )
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create(
            username=SUPERUSER, password=_demo_hash(), is_superuser=True, is_staff=True
        )
    logins = demo_logins(agency)
    enrol_demo_authenticators(logins)
    if reset_passwords:
        usernames = [x.username for x in logins]
        User.objects.filter(username__in=usernames).update(password=_demo_hash())
    return DemoResult(
        agency=agency,
        created=created,
        employees=Employee.objects.filter(agency=agency).count(),
        logins=logins,
    )


# --- Synthetic agencies (benchmarks) ------------------------------------------------------

SYNTH_OPD = [
    ("Dinas Pendidikan", ("Guru", "guru", 0.4)),
    ("Dinas Kesehatan", ("Perawat", "perawat", 0.3)),
    ("Badan Kepegawaian Daerah", ("Analis Sumber Daya Manusia Aparatur", "umum", 0.0)),
    ("Dinas Pekerjaan Umum", ("Teknik Jalan dan Jembatan", "teknik", 0.0)),
    ("Dinas Komunikasi dan Informatika", ("Pranata Komputer", "kom", 0.1)),
    ("Inspektorat", ("Auditor", "auditor", 0.0)),
    ("Dinas Sosial", ("Pekerja Sosial", "sosial", 0.2)),
    ("Badan Pendapatan Daerah", ("Analis Keuangan Pusat dan Daerah", "auditor", 0.0)),
]
SYNTH_JENJANG = [(J.AHLI_PERTAMA, "Ahli Pertama"), (J.AHLI_MUDA, "Ahli Muda")]
BIDANG_PER_OPD = 4
SEKSI_PER_BIDANG = 3
VACANCY = 0.03


@dataclass
class SyntheticResult:
    agency: Agency
    created: bool
    units: int
    positions: int
    employees: int


def default_units(employees):
    """OPD count for a synthetic agency: one per ~500 employees, 3 to 200."""
    return max(3, min(200, employees // 500))


def plan_synthetic(agency, *, employees, units=None, seed=1, taken=()):
    """OPD -> sekretariat/bidang -> subbagian/seksi, with exactly `employees`
    people: structural posts first (a few left vacant), the rest spread over
    pelaksana and fungsional positions in the seksi."""
    rng = random.Random(seed)
    plan = OrgPlan(agency, rng=rng, nips=NipFactory(rng, sequences=range(500, 1000), taken=taken))
    structural, staff = [], []
    setda, sekda = plan.headed_unit(
        "SETDA",
        "Sekretariat Daerah",
        K.SEKRETARIAT,
        independent=True,
        head_title="Sekretaris Daerah",
        head_kind=P.JPT_PRATAMA,
        head_code="SEKDA",
        holders=0,
    )
    structural.append((sekda, "umum"))
    for n in range(1, (units or default_units(employees)) + 1):
        base, (f_name, track, pppk) = SYNTH_OPD[(n - 1) % len(SYNTH_OPD)]
        name = f"{base} {n}" if n > len(SYNTH_OPD) else base
        kind = K.BADAN if base.startswith("Badan") else K.DINAS
        opd, head = plan.headed_unit(
            f"OPD{n}",
            name,
            kind,
            independent=True,
            head_title=f"Kepala {name}",
            head_kind=P.JPT_PRATAMA,
            superior=sekda,
            holders=0,
        )
        structural.append((head, "umum"))
        branches = [("SEK", "Sekretariat", K.SEKRETARIAT, "Subbagian", 2)]
        branches += [
            (f"B{b}", f"Bidang {b}", K.BIDANG, "Seksi", SEKSI_PER_BIDANG)
            for b in range(1, BIDANG_PER_OPD + 1)
        ]
        for b_code, b_name, b_kind, leaf_word, leaves in branches:
            branch = plan.unit(f"OPD{n}-{b_code}", f"{b_name} {name}", b_kind, opd)
            title = f"Sekretaris {name}" if b_kind == K.SEKRETARIAT else f"Kepala {branch.name}"
            branch_head = plan.position(
                branch,
                f"OPD{n}-{b_code}-KA",
                title,
                P.ADMINISTRATOR,
                superior=head,
                head=True,
                holders=0,
            )
            structural.append((branch_head, "umum"))
            for s in range(1, leaves + 1):
                code = f"OPD{n}-{b_code}-{s}"
                leaf_kind = K.SUBBAGIAN if leaf_word == "Subbagian" else K.SEKSI
                leaf_name = f"{leaf_word} {s} {branch.name}"
                leaf, leaf_head = plan.headed_unit(
                    code,
                    leaf_name,
                    leaf_kind,
                    branch,
                    head_title=f"Kepala {leaf_name}",
                    head_kind=P.PENGAWAS,
                    superior=branch_head,
                    holders=0,
                )
                structural.append((leaf_head, "umum"))
                for i, p_name in enumerate(
                    ("Penata Layanan Operasional", "Pengadministrasi Perkantoran"), start=1
                ):
                    pos = plan.position(
                        leaf, f"{code}-P{i}", p_name, P.PELAKSANA, superior=leaf_head, holders=0
                    )
                    staff.append((pos, "umum", 0.1))
                jenjang, label = SYNTH_JENJANG[s % len(SYNTH_JENJANG)]
                pos = plan.position(
                    leaf,
                    f"{code}-F",
                    f"{f_name} {label}",
                    P.FUNGSIONAL,
                    superior=leaf_head,
                    jenjang=jenjang,
                    holders=0,
                )
                staff.append((pos, track, pppk))
    remaining = employees
    for position, track in structural:
        if remaining and (position is sekda or rng.random() >= VACANCY):
            plan.hire(position, 1, track=track)
            remaining -= 1
    counts = [0] * len(staff)
    for _ in range(remaining):
        counts[rng.randrange(len(staff))] += 1
    for (position, track, pppk), count in zip(staff, counts, strict=True):
        plan.hire(position, count, track=track, pppk=pppk)
    return plan


def create_synthetic(*, code, employees, units=None, seed=1, name=None):
    """Create a synthetic agency; if one with `code` exists, return it untouched
    (created=False): an agency's audit trail is append-only, so it is never
    deleted to be rebuilt."""
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return SyntheticResult(
            agency=agency,
            created=False,
            units=OrgUnit.objects.filter(agency=agency).count(),
            positions=Position.objects.filter(agency=agency).count(),
            employees=Employee.objects.filter(agency=agency).count(),
        )
    with transaction.atomic():
        agency = Agency.objects.create(
            name=name or f"Instansi Sintetis {code}", code=code, kind=Agency.Kind.PROVINSI
        )
        plan = plan_synthetic(
            agency, employees=employees, units=units, seed=seed, taken=_taken_nips()
        )
        save_plan(plan)
        record(
            "org.synthetic_agency.create",
            agency=agency,
            target=agency,
            note=_summary(plan),
        )
    return SyntheticResult(
        agency=agency,
        created=True,
        units=len(plan.units),
        positions=len(plan.positions),
        employees=len(plan.people),
    )
