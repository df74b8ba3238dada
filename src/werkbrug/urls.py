from django.contrib import admin
from django.urls import include, path

from werkbrug.api.api import api

urlpatterns = [
    path("", include("werkbrug.core.urls")),
    path("network/", include("werkbrug.network.urls")),
    path("clients/", include("werkbrug.clients.urls")),
    path("referrals/", include("werkbrug.referrals.urls")),
    path("trajectories/", include("werkbrug.trajectories.urls")),
    path("feedback/", include("werkbrug.exchange.feedback_urls")),
    path("exchange/", include("werkbrug.exchange.urls")),
    path("teams/", include("werkbrug.teams.urls")),
    path("reports/", include("werkbrug.reports.urls")),
    path("team-follow-up/", include("werkbrug.teams.followup_urls")),
    path("api/", api.urls),
    path("account/", include("werkbrug.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
