from django.urls import URLPattern, path

from attachments import views

app_name = "attachments"

R = "p/<slug:slug>/attachments/<slug:attach_to>/<uuid:attach_to_id>/"
F = "p/<slug:slug>/files/<uuid:attachment_id>/"

urlpatterns: list[URLPattern] = [
    path(R, views.record_attachments, name="list"),
    path(R + "add/", views.add, name="add"),
    path(F, views.serve, name="file"),
    path(F + "consent/", views.consent, name="consent"),
    path(F + "remove/", views.remove, name="remove"),
    # The portal's copy: only what ``services.public_attachment`` allows.
    path("portal/<slug:slug>/files/<uuid:public_file>/", views.public_file, name="public"),
]
