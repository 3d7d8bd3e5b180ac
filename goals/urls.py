from django.urls import URLPattern, path

from goals import views

app_name = "goals"

P = "p/<slug:slug>/goals/"
G = P + "<uuid:goal_id>/"

urlpatterns: list[URLPattern] = [
    path(P, views.goal_list, name="list"),
    path(P + "new/", views.goal_create, name="create"),
    path(G, views.goal_detail, name="detail"),
    path(G + "edit/", views.goal_edit, name="edit"),
    path(G + "endorsement/open/", views.goal_open, name="open"),
    path(G + "endorsement/", views.goal_endorse, name="endorse"),
    path(G + "drop/", views.goal_drop, name="drop"),
]
