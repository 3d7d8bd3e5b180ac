"""The 17 Sustainable Development Goals, by number, with short names for menus
and pickers WRITTEN BY US in English and Spanish (not the UN's short names:
those and the official titles arrive only through ``hsbp import_sdg``).
Running it again only refreshes our short names."""

from django.db import migrations

# number: (English, Spanish)
SHORT_NAMES = {
    1: ("Ending poverty", "Acabar con la pobreza"),
    2: ("Ending hunger, food security", "Fin del hambre y seguridad alimentaria"),
    3: ("Health at every age", "Salud en todas las edades"),
    4: ("Inclusive education for life", "Educación inclusiva para toda la vida"),
    5: ("Equality for women and girls", "Igualdad para mujeres y niñas"),
    6: ("Water and sanitation for all", "Agua y saneamiento para todos"),
    7: ("Modern energy for all", "Energía moderna para todos"),
    8: ("Good jobs and shared growth", "Empleo digno y crecimiento compartido"),
    9: ("Resilient infrastructure and industry", "Infraestructura e industria resilientes"),
    10: ("Fewer inequalities", "Menos desigualdades"),
    11: ("Safe and resilient towns and cities", "Ciudades y pueblos seguros y resilientes"),
    12: ("Consuming and producing sustainably", "Consumir y producir de forma sostenible"),
    13: ("Acting on climate change", "Actuar frente al cambio climático"),
    14: ("Oceans and marine life", "Océanos y vida marina"),
    15: ("Land, forests and biodiversity", "Tierra, bosques y biodiversidad"),
    16: ("Peaceful societies and access to justice", "Sociedades pacíficas y acceso a la justicia"),
    17: (
        "Global cooperation and the means to deliver",
        "Cooperación mundial y medios para cumplir",
    ),
}


def ship_goals(apps, schema_editor):
    SdgGoal = apps.get_model("goals", "SdgGoal")
    for number, (english, spanish) in SHORT_NAMES.items():
        goal, _created = SdgGoal.objects.get_or_create(number=number)
        goal.short_names = {**goal.short_names, "en": english, "es": spanish}
        goal.save(update_fields=["short_names"])


def remove_goals(apps, schema_editor):
    # Reference data only, imported again by ``hsbp import_sdg``: going back
    # removes what hangs off the goals too.
    for name in ("SdgIndicator", "SdgTarget", "SdgGoal"):
        apps.get_model("goals", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0001_initial"),
    ]

    operations = [migrations.RunPython(ship_goals, remove_goals)]
