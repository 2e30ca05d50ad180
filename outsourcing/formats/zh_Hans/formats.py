"""Number formats for Simplified Chinese readers: Django's own, with the thousands separator of Chinese
business documents and financial statements (1,234,567.89) instead of none."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
