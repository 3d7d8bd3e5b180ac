from django.urls import URLPattern, path

from discussion import views

app_name = "discussion"

T = "p/<slug:slug>/discussion/<slug:target>/<uuid:target_id>/"
C = "p/<slug:slug>/comments/<uuid:comment_id>/"

urlpatterns: list[URLPattern] = [
    path(T, views.thread, name="thread"),
    path(T + "post/", views.post, name="post"),
    path(C + "reply/", views.reply, name="reply"),
    path(C + "edit/", views.edit, name="edit"),
    path(C + "hide/", views.hide, name="hide"),
]
