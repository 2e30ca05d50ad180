from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from outsourcing.core.forms import ActionForm
from outsourcing.core.pickers import PickerField
from outsourcing.vendors.models import Vendor

from .choices import ISSUABLE, ORDERABLE, DefectReason, MovementKind
from .models import Dispatch, Item, OrderLine

DATE = forms.DateInput(attrs={"type": "date"})


def qty_field(label: Any, **options: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=3, min_value=0, **options)


class ItemForm(ActionForm):
    model = Item
    model_fields = ("code", "name", "unit", "category", "unit_cost")


class BomLineForm(forms.Form):
    material = forms.ModelChoiceField(
        label=_("Material"), queryset=Item.objects.filter(category__in=ISSUABLE), required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity per unit"), max_digits=14, decimal_places=6, min_value=0, required=False
    )
    loss_percent = forms.DecimalField(
        label=_("Standard loss (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=99.99, required=False
    )


BomLineFormSet = forms.formset_factory(BomLineForm, extra=2, max_num=50)


class BomNoteForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class OrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=32)
    vendor = PickerField(label=_("Processor"), kind="vendor", queryset=Vendor.objects.none())
    order_date = forms.DateField(label=_("Order date"), widget=DATE)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="CNY")
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).order_by("name", "pk")  # type: ignore[attr-defined]


class LineForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.filter(category__in=ORDERABLE),
        required=False,
        help_text=_("Only finished and semi-finished items with a bill of materials may be processed outside."),
    )
    quantity = qty_field(_("Quantity"), required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=14, decimal_places=2, min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get("item"), data.get("quantity"), data.get("unit_price")]
        if any(v not in (None, "") for v in filled) and not all(v not in (None, "") for v in filled):
            raise forms.ValidationError(_("Fill in item, quantity and unit price, or leave the whole line empty."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=50)


class IssueRowForm(forms.Form):
    """One material of the suggested issue; the quantity starts at the suggestion and may be changed."""

    material = forms.ModelChoiceField(queryset=Item.objects.filter(category__in=ISSUABLE), widget=forms.HiddenInput)
    quantity = qty_field(_("Quantity to issue"), required=False)


IssueFormSet = forms.formset_factory(IssueRowForm, extra=0, max_num=100)


class IssueDateForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)


class MaterialReturnForm(forms.Form):
    material = forms.ModelChoiceField(label=_("Material"), queryset=Item.objects.none())
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (MovementKind.RETURN, _("Returned to the owner")),
            (MovementKind.SCRAP, _("Scrapped at the processor")),
        ],
    )
    quantity = qty_field(_("Quantity"))
    moved_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = order.movements.values("material_id")
        self.fields["material"].queryset = Item.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class DispatchForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Order line"), queryset=OrderLine.objects.none())
    quantity = qty_field(_("Quantity dispatched"))
    dispatched_on = forms.DateField(label=_("Dispatched on"), widget=DATE)
    reworked = forms.BooleanField(label=_("Reworked goods coming back"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.select_related("item")  # type: ignore[attr-defined]


class ReceiptForm(forms.Form):
    line: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Order line"), queryset=OrderLine.objects.none())
    dispatch = forms.ModelChoiceField(
        label=_("Against dispatch"),
        queryset=Dispatch.objects.none(),
        required=False,
        help_text=_("The processor's dispatch these goods came with, if it reported one."),
    )
    reworked = forms.BooleanField(label=_("Reworked goods coming back"), required=False)
    quantity = qty_field(_("Received quantity"))
    accepted = qty_field(_("Accepted"))
    rejected = qty_field(_("Rejected (returned)"), initial=0)
    rework = qty_field(_("To rework"), initial=0)
    defect_reason = forms.ChoiceField(
        label=_("Defect reason"),
        choices=[("", "—"), *DefectReason.choices],
        required=False,
        help_text=_("Required when goods are rejected or sent to rework."),
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    inspection_notes = forms.CharField(label=_("Inspection notes"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.select_related("item")  # type: ignore[attr-defined]
        self.fields["dispatch"].queryset = Dispatch.objects.filter(line__order=order)  # type: ignore[attr-defined]


class ConsumptionForm(forms.Form):
    material = forms.ModelChoiceField(label=_("Material"), queryset=Item.objects.none())
    actual = qty_field(_("Actual consumption"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, order: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = order.movements.filter(kind=MovementKind.ISSUE).values("material_id")
        self.fields["material"].queryset = Item.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class SettleForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the calculation: settle the order at the net amount"), required=True
    )
