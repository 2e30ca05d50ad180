from typing import Any

from django.http import HttpRequest
from ninja import Router

from outsourcing.core.api import file_answer, get_visible

from .choices import FileType
from .models import Document
from .views import document_response

router = Router(tags=["documents"])


@router.get(
    "/documents/{document_id}",
    response={200: None},
    summary="Download a document",
    openapi_extra=file_answer("The file as uploaded, in its recognised type", [t.value for t in FileType]),
)
def download_document(request: HttpRequest, document_id: int) -> Any:
    return document_response(get_visible(Document.objects, request.user, pk=document_id))
