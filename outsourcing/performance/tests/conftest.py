import datetime

import pytest

from outsourcing.engagements.models import Engagement


@pytest.fixture
def engagement_a(vendor_a):
    return Engagement.objects.create(
        title="Cloud O&M",
        form="service",
        vendor=vendor_a,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
