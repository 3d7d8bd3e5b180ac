from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("small-numbers/", views.small_numbers, name="small_numbers"),
    path("<slug:slug>/", views.partnership, name="partnership"),
]
