from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from outsourcing.api import api

urlpatterns = [
    path("", include("outsourcing.core.urls")),
    path("accounts/", include("outsourcing.accounts.urls")),
    path("vendors/", include("outsourcing.vendors.urls")),
    path("documents/", include("outsourcing.documents.urls")),
    path("engagements/", include("outsourcing.engagements.urls")),
    path("teams/", include("outsourcing.teams.urls")),
    path("qualifications/", include("outsourcing.qualifications.urls")),
    path("assessments/", include("outsourcing.assessments.urls")),
    path("processing/", include("outsourcing.processing.urls")),
    path("reports/", include("outsourcing.performance.urls")),
    path("search/", include("outsourcing.search.urls")),
    path("inbox/", include("outsourcing.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
]

handler404 = "outsourcing.core.views.not_found"
handler400 = "outsourcing.core.views.bad_request"
handler500 = "outsourcing.core.views.server_error"
