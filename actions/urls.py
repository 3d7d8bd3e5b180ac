from django.urls import URLPattern, path

from actions import views, views_commitments

app_name = "actions"

P = "p/<slug:slug>/actions/"
A = P + "<uuid:action_id>/"
S = "p/<slug:slug>/strategies/"
C = P + "commitments/<uuid:commitment_id>/"

urlpatterns: list[URLPattern] = [
    path(S, views.strategy_list, name="strategies"),
    path(S + "new/", views.strategy_create, name="strategy_create"),
    path(S + "<uuid:strategy_id>/", views.strategy_detail, name="strategy"),
    path(S + "<uuid:strategy_id>/edit/", views.strategy_edit, name="strategy_edit"),
    path(P, views.checklist, name="checklist"),
    path(P + "new/", views.action_create, name="create"),
    path(P + "sharing/", views.sharing, name="sharing"),
    path(A, views.action_detail, name="detail"),
    path(A + "edit/", views.action_edit, name="edit"),
    path(A + "status/", views.action_status, name="status"),
    path(A + "delete/", views.action_delete, name="delete"),
    path(A + "milestones/new/", views.milestone_add, name="milestone_add"),
    path(A + "milestones/<uuid:milestone_id>/", views.milestone_mark, name="milestone_mark"),
    path(A + "commit/", views_commitments.commitment_create, name="commit"),
    path(A + "budget/new/", views_commitments.budget_line_add, name="budget_line_add"),
    path(A + "spending/new/", views_commitments.spending_add, name="spending_add"),
    path(C + "report/", views_commitments.commitment_report, name="report"),
    path(C + "confirm/", views_commitments.commitment_confirm, name="confirm"),
]
