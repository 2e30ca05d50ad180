from __future__ import annotations

from typing import Any

from django import forms

from outsourcing.core.forms import ActionForm

from .models import Vendor, VendorContact


class VendorForm(ActionForm):
    model = Vendor
    model_fields = (
        "name",
        "english_name",
        "registration_number",
        "country",
        "address",
        "website",
        "status",
        "risk_tier",
        "notes",
    )
    widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, can_set_status: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_set_status:  # the owner's judgements: vendor users see neither
            del self.fields["status"]
            del self.fields["risk_tier"]


class ContactForm(ActionForm):
    model = VendorContact
    model_fields = ("name", "title", "email", "phone", "is_primary")
