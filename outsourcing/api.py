"""The REST API at /api/v1: one NinjaAPI, one router per domain app (see each app's api.py)."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from outsourcing.accounts.api import router as accounts_router
from outsourcing.assessments.api import router as assessments_router
from outsourcing.core.api import BearerToken, install_error_handlers
from outsourcing.documents.api import router as documents_router
from outsourcing.engagements.api import router as engagements_router
from outsourcing.performance.api import router as performance_router
from outsourcing.processing.api import router as processing_router
from outsourcing.qualifications.api import router as qualifications_router
from outsourcing.search.api import router as search_router
from outsourcing.teams.api import router as teams_router
from outsourcing.vendors.api import router as vendors_router

api = NinjaAPI(
    title="Outsourcing Manager API",
    version="1",
    description=str(
        _(
            "Vendors, their people and qualifications, engagements and assessments. "
            "Authenticate with POST /auth/token and send `Authorization: Bearer <token>`."
        )
    ),
    auth=BearerToken(),
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("", accounts_router)
api.add_router("", vendors_router)
api.add_router("", documents_router)
api.add_router("", engagements_router)
api.add_router("", teams_router)
api.add_router("", qualifications_router)
api.add_router("", assessments_router)
api.add_router("", processing_router)
api.add_router("", performance_router)
api.add_router("", search_router)
