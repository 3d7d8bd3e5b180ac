"""Give every existing partnership the seven dimensions, the age bands and the
gender options (new partnerships get them when created: baseline/hooks.py)."""

from django.db import migrations

DIMENSIONS = ("economic", "food", "health", "environmental", "personal", "community", "political")
AGE_BANDS = (
    ("under_18", None, 17),
    ("18_29", 18, 29),
    ("30_44", 30, 44),
    ("45_59", 45, 59),
    ("60_plus", 60, None),
)
GENDERS = ("woman", "man", "non_binary", "prefer_not_to_say")


def seed(apps, schema_editor):
    Partnership = apps.get_model("partnerships", "Partnership")
    Dimension = apps.get_model("baseline", "Dimension")
    AgeBand = apps.get_model("baseline", "AgeBand")
    GenderOption = apps.get_model("baseline", "GenderOption")
    for partnership in Partnership.objects.all():
        have = set(Dimension.objects.filter(partnership=partnership).values_list("code", flat=True))
        Dimension.objects.bulk_create(
            Dimension(partnership=partnership, code=code, position=i)
            for i, code in enumerate(DIMENSIONS)
            if code not in have
        )
        have = set(AgeBand.objects.filter(partnership=partnership).values_list("code", flat=True))
        AgeBand.objects.bulk_create(
            AgeBand(partnership=partnership, code=code, min_age=low, max_age=high)
            for code, low, high in AGE_BANDS
            if code not in have
        )
        have = set(
            GenderOption.objects.filter(partnership=partnership).values_list("code", flat=True)
        )
        GenderOption.objects.bulk_create(
            GenderOption(partnership=partnership, code=code, position=i)
            for i, code in enumerate(GENDERS)
            if code not in have
        )


class Migration(migrations.Migration):
    dependencies = [
        ("baseline", "0002_baseline_settings"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
