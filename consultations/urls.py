from django.urls import URLPattern, URLResolver, include, path

from consultations import views, views_answer

app_name = "consultations"

P = "p/<slug:slug>/consultations/"
Q = P + "<uuid:questionnaire_id>/"
K = Q + "questions/<slug:question_key>/"
S = P + "sessions/<uuid:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P, views.questionnaire_list, name="list"),
    path(P + "new/", views.questionnaire_create, name="create"),
    path(P + "my-details/", views.profile, name="profile"),
    path(Q, views.questionnaire_detail, name="detail"),
    path(Q + "edit/", views.questionnaire_edit, name="edit"),
    path(Q + "status/", views.questionnaire_status, name="status"),
    path(Q + "preview/", views_answer.preview, name="preview"),
    path(Q + "questions/new/", views.question_add, name="question_add"),
    path(K, views.question_edit, name="question_edit"),
    path(K + "delete/", views.question_delete, name="question_delete"),
    path(K + "move/", views.question_move, name="question_move"),
    path(Q + "answer/", views_answer.answer, name="answer"),
    path(Q + "thanks/", views_answer.thanks, name="thanks"),
    path(Q + "responses/", views.responses, name="responses"),
    path(Q + "responses/<uuid:response_id>/", views.response_detail, name="response"),
    path(Q + "sessions/new/", views.session_create, name="session_create"),
    path(S, views.session_detail, name="session"),
    path(S + "entry/", views.session_entry, name="session_entry"),
    path(S + "template.csv", views.session_template, name="session_template"),
    # The public link of an anonymous questionnaire: community members answer
    # without an account.
    path("consult/<str:link>/", views_answer.public_answer, name="public_answer"),
    path("consult/<str:link>/thanks/", views_answer.public_thanks, name="public_thanks"),
]

# The analysis pages join this namespace.
urlpatterns.append(path("", include("consultations.urls_analysis")))
