from django.urls import URLPattern

app_name = "discussion"

urlpatterns: list[URLPattern] = []
