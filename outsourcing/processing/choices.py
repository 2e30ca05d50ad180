from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemCategory(models.TextChoices):
    """Only direct-production items may be entrusted to a processor (the seed's scope of application)."""

    DIRECT = "direct", _("Direct production")
    MATERIAL = "material", _("Production material")
    INDIRECT = "indirect", _("Indirect / office supplies")
    SERVICE = "service", _("Service")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued to processor")
    RECEIVED = "received", _("Fully received")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


STATUS_TONE = {
    OrderStatus.DRAFT: "grey",
    OrderStatus.ISSUED: "amber",
    OrderStatus.RECEIVED: "green",
    OrderStatus.SETTLED: "green",
    OrderStatus.CANCELLED: "grey",
}
