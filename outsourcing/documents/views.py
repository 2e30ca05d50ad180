from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest

from outsourcing.core.api import get_visible

from .filetypes import download_name
from .models import Document


def document_response(document: Document) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document.original_name, document.mime_type),
        content_type=document.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    return document_response(get_visible(Document.objects, request.user, pk=pk))
