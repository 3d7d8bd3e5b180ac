from django.urls import URLPattern

app_name = "charter"

urlpatterns: list[URLPattern] = []
