"""The panel on a qualification's page that shows what its evidence files say, refreshed while they are read."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from outsourcing.core.api import get_visible

from .choices import FIELD_VERDICT_TONE, FieldVerdict, ReadingStatus
from .models import Qualification
from .tasks import comparison


@login_required
def reading_panel(request: HttpRequest, pk: int) -> HttpResponse:
    qualification = get_visible(Qualification.objects.select_related("type", "vendor"), request.user, pk=pk)
    readings = list(qualification.readings.select_related("document", "qualification__type", "qualification__vendor"))
    rows = []
    for reading in readings:
        fields = comparison(reading) if reading.status == ReadingStatus.READ else []
        rows.append(
            {
                "reading": reading,
                "fields": [
                    {
                        "f": f,
                        "label": FIELD_LABELS.get(f.field, f.field),
                        "verdict": FieldVerdict(f.verdict).label,
                        "tone": FIELD_VERDICT_TONE[FieldVerdict(f.verdict)],
                    }
                    for f in fields
                ],
                "differs": sum(1 for f in fields if f.verdict == FieldVerdict.DIFFERS),
            }
        )
    context = {"q": qualification, "rows": rows, "busy": any(not r.finished for r in readings)}
    return render(request, "qualifications/_reading.html", context)


FIELD_LABELS: dict[str, Any] = {
    "number": _("Certificate number"),
    "holder": _("Holder"),
    "standard": _("Standard"),
    "issuer": _("Issuer"),
    "valid_from": _("Valid from"),
    "valid_until": _("Valid until"),
}
