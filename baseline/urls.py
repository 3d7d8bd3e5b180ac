from django.urls import URLPattern, URLResolver, path

from baseline import views, views_analysis

app_name = "baseline"

P = "p/<slug:slug>/baseline/"
T = P + "threats/<uuid:threat_id>/"
D = P + "setup/dimensions/<uuid:dimension_id>/"
A = P + "setup/age-bands/<uuid:age_band_id>/"
G = P + "setup/genders/<uuid:gender_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P + "setup/", views.setup, name="setup"),
    path(P + "setup/dimensions/new/", views.dimension_create, name="dimension_create"),
    path(P + "setup/age-bands/new/", views.age_band_create, name="age_band_create"),
    path(P + "setup/genders/new/", views.gender_create, name="gender_create"),
    path(D + "edit/", views.dimension_edit, name="dimension_edit"),
    path(D + "delete/", views.dimension_delete, name="dimension_delete"),
    path(D + "move/", views.dimension_move, name="dimension_move"),
    path(A + "edit/", views.age_band_edit, name="age_band_edit"),
    path(A + "delete/", views.age_band_delete, name="age_band_delete"),
    path(G + "edit/", views.gender_edit, name="gender_edit"),
    path(G + "delete/", views.gender_delete, name="gender_delete"),
    path(G + "move/", views.gender_move, name="gender_move"),
    path(P + "localities/", views.localities, name="localities"),
    path(P + "localities/import/", views.locality_import, name="locality_import"),
    path(P + "threats/", views.threats, name="threats"),
    path(P + "threats/new/", views.threat_create, name="threat_create"),
    path(T, views.threat_detail, name="threat"),
    path(T + "edit/", views.threat_edit, name="threat_edit"),
    path(T + "delete/", views.threat_delete, name="threat_delete"),
    path(T + "rate/", views.rate, name="rate"),
    path(T + "evidence/", views.evidence_add, name="evidence_add"),
    path(P + "ratings/<uuid:rating_id>/delete/", views.rating_delete, name="rating_delete"),
    path(P + "evidence/<uuid:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path(P + "stress/", views_analysis.stress, name="stress"),
    path(P + "nvc/", views_analysis.nvc, name="nvc"),
    path(P + "nvc/new/", views_analysis.condition_create, name="condition_create"),
    path(
        P + "nvc/<uuid:condition_id>/edit/",
        views_analysis.condition_edit,
        name="condition_edit",
    ),
    path(
        P + "nvc/<uuid:condition_id>/delete/",
        views_analysis.condition_delete,
        name="condition_delete",
    ),
    path(P + "capacities/", views_analysis.capacities, name="capacities"),
    path(P + "capacities/new/", views_analysis.contribution_create, name="contribution_create"),
    path(
        P + "capacities/<uuid:contribution_id>/edit/",
        views_analysis.contribution_edit,
        name="contribution_edit",
    ),
    path(
        P + "capacities/<uuid:contribution_id>/delete/",
        views_analysis.contribution_delete,
        name="contribution_delete",
    ),
    path(P + "publication/", views_analysis.publication, name="publication"),
]
