from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.set_language, name="language"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
