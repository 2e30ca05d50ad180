from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm
from outsourcing.vendors.models import Vendor

from .choices import ItemCategory
from .models import Item, OrderLine

DATE = forms.DateInput(attrs={"type": "date"})


class ItemForm(ActionForm):
    model = Item
    model_fields = ("code", "name", "unit", "category")


class OrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32)
    vendor = forms.ModelChoiceField(label=_("Processor"), queryset=Vendor.objects.none())
    order_date = forms.DateField(label=_("Order date"), widget=DATE)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="CNY")
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user)  # type: ignore[attr-defined]


class LineForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.all(),
        required=False,
        help_text=_("Only direct-production items may be processed outside."),
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, min_value=0, required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=14, decimal_places=2, min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get("item"), data.get("quantity"), data.get("unit_price")]
        if any(v not in (None, "") for v in filled) and not all(v not in (None, "") for v in filled):
            raise forms.ValidationError(_("Fill in item, quantity and unit price, or leave the whole line empty."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=50)


class ReceiptForm(forms.Form):
    line: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Order line"), queryset=OrderLine.objects.none())
    quantity = forms.DecimalField(label=_("Received quantity"), max_digits=14, decimal_places=3, min_value=0)
    accepted = forms.DecimalField(label=_("Accepted"), max_digits=14, decimal_places=3, min_value=0)
    rejected = forms.DecimalField(label=_("Rejected"), max_digits=14, decimal_places=3, min_value=0, initial=0)
    rework = forms.DecimalField(label=_("Rework"), max_digits=14, decimal_places=3, min_value=0, initial=0)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    inspection_notes = forms.CharField(label=_("Inspection notes"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.select_related("item")  # type: ignore[attr-defined]


class MaterialIssueForm(forms.Form):
    material = forms.ModelChoiceField(
        label=_("Material"),
        queryset=Item.objects.filter(category__in=[ItemCategory.MATERIAL, ItemCategory.DIRECT]),
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, min_value=0)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)


class ReconciliationForm(forms.Form):
    material = forms.ModelChoiceField(label=_("Material"), queryset=Item.objects.none())
    consumed = forms.DecimalField(label=_("Consumed"), max_digits=14, decimal_places=3, min_value=0)
    returned = forms.DecimalField(label=_("Returned"), max_digits=14, decimal_places=3, min_value=0, initial=0)
    scrapped = forms.DecimalField(label=_("Scrapped"), max_digits=14, decimal_places=3, min_value=0, initial=0)
    held = forms.DecimalField(label=_("Still held"), max_digits=14, decimal_places=3, min_value=0, initial=0)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = order.issues.values("material_id")
        self.fields["material"].queryset = Item.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
