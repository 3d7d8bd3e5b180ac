"""The analysis pages, in the ``consultations`` namespace (included by consultations/urls.py)."""

from django.urls import URLPattern, path

from consultations import views_analysis as v

R = "p/<slug:slug>/consultations/<uuid:questionnaire_id>/results/"

urlpatterns: list[URLPattern] = [
    path(R, v.results_index, name="results"),
    path(R + "refresh/", v.results_refresh, name="results_refresh"),
    path(R + "map/", v.results_map, name="results_map"),
    path(R + "export.<str:fmt>", v.export_all, name="results_export_all"),
    path(R + "q/<slug:question_key>/", v.question_results_page, name="results_question"),
    path(R + "q/<slug:question_key>/export.<str:fmt>", v.export_question, name="results_export"),
]
