from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from api.v1 import api
from partnerships import shortlinks
from partnerships.permissions import public_view


@public_view()
def healthz(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and uptime checks: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", include("partnerships.urls")),
    path("", include("stakeholders.urls")),
    path("", include("baseline.urls")),
    path("", include("consultations.urls")),
    path("", include("commonground.urls")),
    path("", include("goals.urls")),
    path("", include("charter.urls")),
    path("", include("decisions.urls")),
    path("", include("actions.urls")),
    path("", include("meetings.urls")),
    path("", include("attachments.urls")),
    path("", include("discussion.urls")),
    path("", include("notifications.urls")),
    path("portal/", include("portal.urls")),
    path("account/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Short links to public pages, and their QR codes (partnerships.shortlinks).
    path("s/<str:code>/", shortlinks.follow, name="short_link"),
    path("s/<str:code>.svg", shortlinks.qr_code, name="short_link_qr"),
]
