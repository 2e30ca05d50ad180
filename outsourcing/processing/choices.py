from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemCategory(models.TextChoices):
    """What an item is in the owner's production. Finished and semi-finished items are made — so they may be
    ordered from a processor, from a bill of materials; raw materials and semi-finished parts are what the
    owner supplies — so they may be issued and stand on a bill of materials. Indirect supplies and services are
    not direct production at all (the seed's scope of application) and are neither ordered nor issued."""

    RAW_MATERIAL = "raw_material", _("Raw material")
    SEMI_FINISHED = "semi_finished", _("Semi-finished")
    FINISHED = "finished", _("Finished")
    INDIRECT = "indirect", _("Indirect / office supplies")
    SERVICE = "service", _("Service")


ORDERABLE = frozenset({ItemCategory.FINISHED, ItemCategory.SEMI_FINISHED})
ISSUABLE = frozenset({ItemCategory.RAW_MATERIAL, ItemCategory.SEMI_FINISHED})


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued to processor")
    CONFIRMED = "confirmed", _("Confirmed by processor")
    RECEIVED = "received", _("Fully received")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


# Orders whose materials are still at the processor (the processor's stock counts these only).
OPEN_STATUSES = (OrderStatus.ISSUED, OrderStatus.CONFIRMED, OrderStatus.RECEIVED)
# Goods may come back and materials go out while the processor works on the order.
IN_PROGRESS = (OrderStatus.ISSUED, OrderStatus.CONFIRMED)

STATUS_TONE = {
    OrderStatus.DRAFT: "grey",
    OrderStatus.ISSUED: "amber",
    OrderStatus.CONFIRMED: "amber",
    OrderStatus.RECEIVED: "green",
    OrderStatus.SETTLED: "green",
    OrderStatus.CANCELLED: "grey",
}


class MovementKind(models.TextChoices):
    """A movement of the owner's material on an order's account at the processor. An issue adds to what the
    processor holds; the expected consumption of a receipt, a return to the owner and a scrapping take away. Once
    the processor reports its actual consumption, the difference from the expected one is booked as an overrun
    (takes away) or a saving (adds back), so that what is held is what is physically there."""

    ISSUE = "issue", _("Issued")
    CONSUMPTION = "consumption", _("Expected consumption")
    OVERRUN = "overrun", _("Consumed beyond expected")
    SAVING = "saving", _("Consumed below expected")
    RETURN = "return", _("Returned")
    SCRAP = "scrap", _("Scrapped")


# Movements that add to what the processor holds; every other kind takes away.
INCOMING = (MovementKind.ISSUE, MovementKind.SAVING)


class DefectReason(models.TextChoices):
    """Why goods failed the incoming inspection."""

    DIMENSION = "dimension", _("Dimension out of tolerance")
    SURFACE = "surface", _("Surface defect")
    MATERIAL = "material", _("Material defect")
    ASSEMBLY = "assembly", _("Assembly error")
    FUNCTION = "function", _("Function test failed")
    PACKAGING = "packaging", _("Packaging or damage in transit")
    OTHER = "other", _("Other (see the notes)")
