"""The IKI target written once: targets stored with their unit twice ("100
persen persen" with the unit "persen") lose the repeated unit, and bare numbers
("100" with "persen") get their unit, so that `target_text` is the whole target
as shown. Set-based (a few UPDATEs); the reverse changes nothing."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr, Trim

NUMBER_OR_RANGE = r"^ *[0-9.,]+( *[-–] *[0-9.,]+)? *$"


def write_once(apps, schema_editor):
    Iki = apps.get_model("planning", "Iki")
    with_unit = Iki.objects.exclude(unit="")
    # "12 dokumen dokumen dokumen" takes two rounds; ten is more than any typing.
    for _round in range(10):
        doubled = with_unit.filter(
            target_text__iendswith=Concat(Value(" "), F("unit"), Value(" "), F("unit"))
        )
        if not doubled.update(
            target_text=Substr("target_text", 1, Length("target_text") - Length("unit") - 1)
        ):
            break
    with_unit.filter(target_text__regex=NUMBER_OR_RANGE).update(
        target_text=Concat(Trim("target_text"), Value(" "), F("unit"))
    )


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_calendar")]

    operations = [migrations.RunPython(write_once, migrations.RunPython.noop)]
