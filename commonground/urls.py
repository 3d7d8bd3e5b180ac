from django.urls import URLPattern, path

from commonground import views

app_name = "commonground"

P = "p/<slug:slug>/common-ground/"
C = P + "<uuid:conversation_id>/"

urlpatterns: list[URLPattern] = [
    path(P, views.conversation_list, name="list"),
    path(P + "new/", views.conversation_create, name="create"),
    path(C, views.conversation_detail, name="detail"),
    path(C + "edit/", views.conversation_edit, name="edit"),
    path(C + "status/", views.conversation_status, name="status"),
    path(C + "statements/new/", views.statement_seed, name="statement_seed"),
    path(C + "statements/<int:number>/moderate/", views.statement_moderate, name="moderate"),
    path(C + "vote/", views.vote, name="vote"),
    path(C + "my-votes/", views.my_votes, name="my_votes"),
    path(C + "groups/", views.results, name="results"),
    path(C + "groups/refresh/", views.results_refresh, name="results_refresh"),
    # The public link: anyone votes without an account, always anonymously.
    path("talk/<str:conversation_link>/", views.public_vote, name="public_vote"),
    path("talk/<str:conversation_link>/groups/", views.public_results, name="public_results"),
]
