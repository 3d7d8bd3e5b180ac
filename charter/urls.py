from django.urls import URLPattern, path

from charter import views

app_name = "charter"

P = "p/<slug:slug>/charter/"
V = P + "<uuid:version_id>/"

urlpatterns: list[URLPattern] = [
    path(P, views.charter_page, name="page"),
    path(P + "start/", views.charter_start, name="start"),
    path(P + "amend/", views.charter_amend, name="amend"),
    path(P + "spending/", views.spending, name="spending"),
    path(P + "spending/new/", views.spending_new, name="spending_new"),
    path(V, views.version_page, name="version"),
    path(V + "texts/", views.edit_texts, name="texts"),
    path(V + "rules/<slug:kind>/", views.edit_rule, name="rule"),
    path(V + "types/new/", views.add_type, name="type_add"),
    path(V + "types/<slug:kind>/remove/", views.remove_type, name="type_remove"),
    path(V + "entry/", views.edit_entry, name="entry"),
    path(V + "roles/new/", views.add_role, name="role_add"),
    path(V + "roles/<uuid:role_id>/remove/", views.remove_role, name="role_remove"),
    path(V + "pots/new/", views.add_pot, name="pot_add"),
    path(V + "pots/<uuid:pot_id>/remove/", views.remove_pot, name="pot_remove"),
    path(V + "limits/new/", views.add_limit, name="limit_add"),
    path(V + "limits/<uuid:limit_id>/remove/", views.remove_limit, name="limit_remove"),
    path(V + "plan/new/", views.add_plan_row, name="plan_add"),
    path(V + "plan/<uuid:row_id>/remove/", views.remove_plan_row, name="plan_remove"),
    path(V + "adoption/open/", views.open_adoption, name="open"),
    path(V + "adoption/withdraw/", views.withdraw_adoption, name="withdraw"),
    path(V + "position/", views.record_position, name="position"),
    path(V + "drop/", views.drop, name="drop"),
]
