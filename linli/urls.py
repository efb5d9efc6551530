from django.urls import include, path

from api.main import api
from core import health

urlpatterns = [
    path("", include("home.urls")),
    path("", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("audit/", include("audit.urls")),
    path("grading/", include("grading.urls")),
    path("people/", include("people.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("partners/", include("partners.urls")),
    path("work/", include("workrecords.urls")),
    path("contracts/", include("contracts.urls")),
    path("reports/", include("reports.urls")),
    path("services/", include("casework.urls")),
    path("volunteering/", include("volunteering.urls")),
    path("matching/", include("matching.urls")),
    path("notifications/", include("notifications.urls")),
    path("messages/", include("messaging.urls")),
    path("projects/", include("projects.urls")),
    path("venues/", include("venues.urls")),
    path("party/", include("partybuilding.urls")),
    path("field/", include("fieldwork.urls")),
    path("archive/", include("archive.urls")),
    path("config/", include("configuration.urls")),
    path("config/fields/", include("customfields.urls")),
    path("print/", include("paperwork.urls")),
    path("intake/", include("portal.staff_urls")),
    path("participation/", include("participation.staff_urls")),
    path("portal/", include("portal.urls")),
    path("portal/", include("participation.portal_urls")),
    path("public/referrals/", include("casework.referral_public_urls")),
    path("public/wishes/", include("matching.public_urls")),
    path("public/signin/", include("casework.public_urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.live, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
]

# 403 and 404 use Django's views with core/templates/403.html and 404.html.
handler500 = "core.errors.server_error"
