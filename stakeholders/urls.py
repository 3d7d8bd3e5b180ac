from django.urls import include, path

from stakeholders import views

app_name = "stakeholders"

P = "p/<slug:slug>/map/"
A = P + "actors/<uuid:actor_id>/"

urlpatterns = [
    path(P, views.register, name="map"),
    path(P + "new/", views.actor_create, name="actor_create"),
    path(P + "grid/", views.grid, name="grid"),
    path(P + "inclusion/", views.inclusion, name="inclusion"),
    path(P + "segments/", views.segments, name="segments"),
    path(P + "segments/new/", views.segment_create, name="segment_create"),
    path(A, views.actor_detail, name="actor"),
    path(A + "edit/", views.actor_edit, name="actor_edit"),
    path(A + "delete/", views.actor_delete, name="actor_delete"),
    path(A + "assess/", views.assess, name="assess"),
    path(A + "relations/new/", views.relate, name="relate"),
    path(A + "risk/", views.risk, name="risk"),
    path(P + "relations/<uuid:relation_id>/delete/", views.relation_delete, name="relation_delete"),
    path("", include("stakeholders.urls_io")),
    path("", include("stakeholders.urls_network")),
]
