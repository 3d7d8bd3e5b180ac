from django.urls import URLPattern, path

from decisions import views

app_name = "decisions"

P = "p/<slug:slug>/decisions/"
D = P + "<uuid:decision_id>/"

urlpatterns: list[URLPattern] = [
    path(P, views.decision_list, name="list"),
    path(P + "new/", views.decision_create, name="create"),
    path(D, views.decision_detail, name="detail"),
    path(D + "vote/open/", views.decision_open, name="open"),
    path(D + "withdraw/", views.decision_withdraw, name="withdraw"),
    path(D + "vote/", views.decision_vote, name="vote"),
    path(D + "outcome/", views.decision_outcome, name="outcome"),
    # The public log and its Atom feed (only what the charter publishes).
    path("portal/<slug:slug>/decisions/", views.public_log, name="public_log"),
    path("portal/<slug:slug>/decisions/feed/", views.public_feed, name="public_feed"),
]
