from django.utils import translation

from kinerja.audit.labels import ACTION_LABELS, action_choices, action_label


def test_known_action_has_indonesian_label():
    with translation.override("id"):
        assert str(action_label("org.employee.view")) == "Melihat data pegawai"
        assert str(action_label("org.role.grant")) == "Memberikan peran"


def test_unknown_export_falls_back_to_generic_label():
    with translation.override("id"):
        assert str(action_label("planning.skp.export")) == "Mengekspor data"
        assert str(action_label("job.org.import.done")) == "Proses latar selesai"


def test_unknown_action_falls_back_to_raw_name():
    assert action_label("planning.skp.tandatangan") == "planning.skp.tandatangan"
    assert action_label("sesuatu") == "sesuatu"


def test_choices_cover_every_label_once():
    names = [name for name, _ in action_choices()]
    assert sorted(names) == sorted(ACTION_LABELS)
