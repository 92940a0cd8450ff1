"""The regulation's own words for the coaching records (PermenPANRB 6/2022,
lampiran forms B.1.6 to B.1.10; docs/domain.md §3).

Data only, quoted from the forms: the services check answers against it and
the pages show it. Record kinds are `CoachingSession.Kind` values.
"""

#: The headings of form B.1.6 (coaching), B.1.7 (mentoring) and B.1.10
#: (counselling): (key in `CoachingSession.details`, heading).
RECORD_HEADINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "coaching": (
        ("tujuan", "Tujuan: apa yang ingin saya capai? (IKI, baseline, target, strategi)"),
        ("fakta", "Fakta: di mana saya sekarang? (progres, masalah/hambatan, penyebab)"),
        ("peluang", "Peluang: apa yang dapat saya lakukan?"),
        ("langkah", "Langkah ke depan: strategi mengatasi masalah/hambatan"),
        ("penyesuaian_target", "Penyesuaian ukuran keberhasilan dan target (ya/tidak)"),
    ),
    "mentoring": (
        ("keahlian", "Keahlian/keterampilan spesifik yang akan dikembangkan"),
        ("jangka_waktu", "Jangka waktu mentoring"),
        ("perubahan", "Perubahan yang diharapkan"),
        ("ukuran", "Ukuran keberhasilan mentoring"),
        ("bentuk", "Bentuk (shadowing, work sharing, hands-on training, introducing)"),
        ("jurnal", "Jurnal: materi mentoring, rencana aksi dan target waktunya"),
    ),
    "counselling": (
        ("masalah", "Masalah perilaku kerja berdasarkan nilai dasar ASN"),
        ("ekspektasi_khusus", "Ekspektasi khusus terhadap yang bersangkutan"),
        ("uraian", "Uraian permasalahan yang menghambat kinerja individu, unit, atau tim"),
        ("terjadi_pada_lainnya", "Permasalahan serupa terjadi pada pegawai lain? (ya/tidak)"),
        ("retrospektif", "Retrospektif: yang sudah dilakukan untuk memperbaiki perilaku"),
    ),
}

#: Form B.1.8: the employee's feedback on a coaching or mentoring session, nine
#: statements answered agree or disagree: (group, statement).
SESSION_FEEDBACK_ITEMS: tuple[tuple[str, str], ...] = (
    ("Tentang pegawai", "Saya merasa diperhatikan dan dipahami"),
    ("Tentang pegawai", "Saya merasa tindakan/langkah yang telah saya lakukan dihargai"),
    ("Tentang pegawai", "Saya merasa dapat dengan bebas mengemukakan pendapat/pemikiran saya"),
    (
        "Tentang pimpinan",
        "Saya merasa bahwa pandangan yang diberikan berdasarkan data/fakta yang akurat",
    ),
    (
        "Tentang pimpinan",
        "Saya merasa bahwa pandangan/pendapat yang diberikan kepada saya bersifat positif",
    ),
    ("Tentang pimpinan", "Lebih banyak menggunakan metode bertanya dibandingkan menggurui"),
    (
        "Tentang pegawai dan pimpinan",
        "Saya merasa dibantu dalam mencari solusi dan aksi tindak lanjut",
    ),
    (
        "Tentang pegawai dan pimpinan",
        "Saya tahu apa yang harus saya lakukan setelah mengikuti kegiatan bimbingan kinerja ini",
    ),
    (
        "Tentang pegawai dan pimpinan",
        "Saya memahami maksud dan tujuan kegiatan bimbingan kinerja ini",
    ),
)

#: Form B.1.9: the competencies the coach evaluates after a session: (group, name).
COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("Manajerial", "Integritas"),
    ("Manajerial", "Kerjasama"),
    ("Manajerial", "Komunikasi"),
    ("Manajerial", "Orientasi pada Hasil"),
    ("Manajerial", "Pelayanan Publik"),
    ("Manajerial", "Pengembangan Diri dan Orang Lain"),
    ("Manajerial", "Mengelola Perubahan"),
    ("Manajerial", "Pengambilan Keputusan"),
    ("Sosio Kultural", "Perekat dan Pemersatu Bangsa"),
)

#: Form B.1.9: the 1 to 5 scale of a competency score.
COMPETENCY_SCALE: dict[int, str] = {
    1: "Sangat Kurang",
    2: "Kurang Memadai",
    3: "Memadai",
    4: "Diatas Memadai",
    5: "Istimewa",
}
