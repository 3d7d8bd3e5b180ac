from django.urls import URLPattern, path

from stakeholders import views_io

P = "p/<slug:slug>/map/"

urlpatterns: list[URLPattern] = [
    path(P + "import/", views_io.import_map, name="import"),
    path(P + "export/actors.<str:fmt>", views_io.export_actors, name="export_actors"),
    path(P + "export/relations.<str:fmt>", views_io.export_relations, name="export_relations"),
]
