from django.urls import URLPattern, URLResolver

app_name = "baseline"

urlpatterns: list[URLPattern | URLResolver] = []
