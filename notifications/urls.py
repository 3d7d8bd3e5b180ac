from django.urls import URLPattern, path

from notifications import views

app_name = "notifications"

P = "p/<slug:slug>/announcements/"
A = P + "<uuid:announcement_id>/"

urlpatterns: list[URLPattern] = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notification_read_all, name="read_all"),
    path("notifications/<uuid:notification_id>/read/", views.notification_read, name="read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path(P, views.announcement_list, name="announcements"),
    path(P + "new/", views.announcement_create, name="announcement_create"),
    path(A, views.announcement_detail, name="announcement"),
    path(A + "withdraw/", views.announcement_withdraw, name="announcement_withdraw"),
]
