from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from werkbrug.api.api import api
from werkbrug.clients import urls as client_urls
from werkbrug.dossier import urls as dossier_urls
from werkbrug.referrals import urls as referral_urls
from werkbrug.trajectories import urls as trajectory_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("werkbrug.core.urls")),
    path("network/", include("werkbrug.network.urls")),
    # Which trajectory types ask a care partner on call: the network settings, the rule trajectories'.
    path("network/trajectory-types/", include("werkbrug.trajectories.type_urls")),
    # The client file page and the export read across areas, so they live in dossier (at the top,
    # docs/architecture.md) but keep their clients: names; likewise accepting a referral.
    path("clients/", include((client_urls.urlpatterns + dossier_urls.urlpatterns, "clients"))),
    path(
        "referrals/", include((referral_urls.urlpatterns + trajectory_urls.referral_urlpatterns, "referrals"))
    ),
    path("trajectories/", include("werkbrug.trajectories.urls")),
    path("feedback/", include("werkbrug.exchange.feedback_urls")),
    path("exchange/", include("werkbrug.exchange.urls")),
    path("teams/", include("werkbrug.teams.urls")),
    path("employers/", include("werkbrug.employers.urls")),
    path("groups/", include("werkbrug.groups.urls")),
    path("ips/", include("werkbrug.ips.urls")),
    path("reports/", include("werkbrug.reports.urls")),
    path("import/", include("werkbrug.imports.urls")),
    path("team-follow-up/", include("werkbrug.teams.followup_urls")),
    path("privacy/", include("werkbrug.privacy.urls")),
    path("outreach/", include("werkbrug.outreach.urls")),
    path("workcare/", include("werkbrug.workcare.urls")),
    # The short link on an outreach poster: a site's public booking page.
    path("b/", include("werkbrug.outreach.public_urls")),
    path("fidelity/", include("werkbrug.fidelity.urls")),
    path("satisfaction/", include("werkbrug.satisfaction.urls")),
    path("library/", include("werkbrug.library.urls")),
    path("jobs/", include("werkbrug.jobs.urls")),
    path("api/", api.urls),
    path("account/", include("werkbrug.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("werkbrug.accounts.urls")),
]


def admin_urlpatterns() -> list[URLPattern | URLResolver]:
    """The Django admin is mounted only when DEBUG or WERKBRUG_ADMIN is on: off in production unless
    someone turns it on (docs/security.md). Its login goes through the same throttle (django-axes)."""
    if settings.DEBUG or settings.WERKBRUG_ADMIN:
        return [path("django-admin/", admin.site.urls)]
    return []


urlpatterns += admin_urlpatterns()

# The 500 page shows the request id (core.requestlog), which Django's own handler cannot pass.
handler500 = "werkbrug.core.views.server_error"
