from django.urls import URLPattern, path

from meetings import views, views_attendance

app_name = "meetings"

P = "p/<slug:slug>/meetings/"
M = P + "<uuid:meeting_id>/"

urlpatterns: list[URLPattern] = [
    path(P, views.meeting_list, name="list"),
    path(P + "new/", views.meeting_create, name="create"),
    path(P + "calendar/", views_attendance.calendar_links, name="calendar"),
    path(P + "calendar/new/", views_attendance.calendar_new, name="calendar_new"),
    path(M, views.meeting_detail, name="detail"),
    path(M + "edit/", views.meeting_edit, name="edit"),
    path(M + "held/", views.meeting_held, name="held"),
    path(M + "cancel/", views.meeting_cancel, name="cancel"),
    path(M + "delete/", views.meeting_delete, name="delete"),
    path(M + "agenda/new/", views.agenda_add, name="agenda_add"),
    path(M + "agenda/<uuid:item_id>/", views.agenda_edit, name="agenda_edit"),
    path(M + "agenda/<uuid:item_id>/delete/", views.agenda_delete, name="agenda_delete"),
    path(M + "agenda/<uuid:item_id>/move/", views.agenda_move, name="agenda_move"),
    path(M + "invite/", views.meeting_invite, name="invite"),
    path(M + "invitees/<uuid:invitee_id>/withdraw/", views.meeting_uninvite, name="uninvite"),
    path(M + "services/new/", views.service_add, name="service_add"),
    path(M + "services/<uuid:service_id>/record/", views.service_record, name="service_record"),
    path(M + "services/<uuid:service_id>/drop/", views.service_drop, name="service_drop"),
    path(M + "minutes/", views.meeting_minutes, name="minutes"),
    path(M + "decisions/new/", views.meeting_decision, name="decision"),
    path(M + "items/new/", views.item_add, name="item_add"),
    path(M + "items/<uuid:action_item_id>/drop/", views.item_drop, name="item_drop"),
    path(M + "items/<uuid:action_item_id>/checklist/", views.item_convert, name="item_convert"),
    path(M + "attendance/", views_attendance.attendance, name="attendance"),
    path(M + "attendance/sheet/", views_attendance.attendance_sheet, name="sheet"),
    path(M + "attendance/register/", views_attendance.attendance_register, name="register"),
    path(
        M + "attendance/<uuid:attendance_id>/remove/",
        views_attendance.attendee_remove,
        name="attendee_remove",
    ),
    # The calendar feeds at their secret addresses (no login: the token is the key).
    path(
        "calendar/<str:calendar_token>/<str:which>.ics", views_attendance.calendar_feed, name="feed"
    ),
    path("portal/<slug:slug>/meetings/", views_attendance.public_meetings, name="public_list"),
]
