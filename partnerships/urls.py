from django.urls import path

from partnerships import export_views, invitation_views, views

app_name = "partnerships"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/new/", views.partnership_create, name="create"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path("p/<slug:slug>/", views.overview, name="overview"),
    path("p/<slug:slug>/settings/", views.partnership_settings, name="settings"),
    path("p/<slug:slug>/settings/publish/", views.partnership_publish, name="publish"),
    path("p/<slug:slug>/steps/", views.steps, name="steps"),
    path("p/<slug:slug>/steps/<str:step>/", views.step_detail, name="step"),
    path("p/<slug:slug>/steps/<str:step>/complete/", views.step_complete, name="step_complete"),
    path("p/<slug:slug>/steps/<str:step>/reopen/", views.step_reopen, name="step_reopen"),
    path("p/<slug:slug>/partners/", views.partner_list, name="partners"),
    path("p/<slug:slug>/partners/new/", views.partner_create, name="partner_create"),
    path("p/<slug:slug>/partners/<uuid:partner_id>/", views.partner_detail, name="partner"),
    path("p/<slug:slug>/partners/<uuid:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path(
        "p/<slug:slug>/partners/<uuid:partner_id>/leave/", views.partner_leave, name="partner_leave"
    ),
    path(
        "p/<slug:slug>/partners/<uuid:partner_id>/delete/",
        views.partner_delete,
        name="partner_delete",
    ),
    path("p/<slug:slug>/members/", views.member_list, name="members"),
    path("p/<slug:slug>/members/<uuid:member_id>/role/", views.member_role, name="member_role"),
    path(
        "p/<slug:slug>/members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("p/<slug:slug>/invitations/new/", views.invitation_create, name="invite"),
    path(
        "p/<slug:slug>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("p/<slug:slug>/membership/", views.my_membership, name="membership"),
    path("p/<slug:slug>/membership/leave/", views.leave, name="leave"),
    path("p/<slug:slug>/record/", views.record, name="record"),
    path("p/<slug:slug>/exports/", export_views.export_list, name="exports"),
    path(
        "p/<slug:slug>/exports/<uuid:export_id>/",
        export_views.export_download,
        name="export_download",
    ),
]
