from __future__ import annotations

from django import forms

from .models import Vendor, VendorContact


class VendorForm(forms.ModelForm):
    class Meta:
        model = Vendor
        fields = [
            "name",
            "english_name",
            "registration_number",
            "country",
            "address",
            "website",
            "status",
            "risk_tier",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, can_set_status: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not can_set_status:  # the owner's judgements: vendor users see neither
            del self.fields["status"]
            del self.fields["risk_tier"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = VendorContact
        fields = ["name", "title", "email", "phone", "is_primary"]
