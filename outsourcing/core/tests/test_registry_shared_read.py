"""`registry.shared_read`: what several checks read about the same selection of records is read once."""

import pytest

from outsourcing.core.registry import Selection, shared_read
from outsourcing.vendors.models import Vendor

pytestmark = pytest.mark.django_db


def test_a_selection_reads_each_key_once_and_a_list_every_time(vendor_a, vendor_b):
    reads: list[str] = []

    def read(key: str) -> list[str]:
        reads.append(key)
        return [key]

    selection = Selection(Vendor.objects.order_by("pk"))
    assert shared_read(selection, "a", lambda: read("a")) == ["a"]
    assert shared_read(selection, "a", lambda: read("a")) is shared_read(selection, "a", lambda: read("a"))
    assert shared_read(selection, "b", lambda: read("b")) == ["b"]
    assert reads == ["a", "b"]
    assert shared_read(Selection(Vendor.objects.order_by("pk")), "a", lambda: read("a")) == ["a"]  # a new one
    assert reads == ["a", "b", "a"]

    listed = list(Vendor.objects.order_by("pk"))
    shared_read(listed, "a", lambda: read("a"))
    shared_read(listed, "a", lambda: read("a"))
    assert reads == ["a", "b", "a", "a", "a"]


def test_the_two_qualification_checks_of_a_portfolio_read_its_requirements_once(vendor_a, django_assert_num_queries):
    from outsourcing.engagements.models import Engagement
    from outsourcing.qualifications.contributions import _requirements_of

    selection = Selection(Engagement.objects.order_by("pk"))
    with django_assert_num_queries(1):  # no requirements: the types are not asked
        first = _requirements_of(selection)
    with django_assert_num_queries(0):
        assert _requirements_of(selection) is first
