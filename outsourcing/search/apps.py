from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search box across vendors, people, engagements and certificates, limited to what the user may see."""

    name = "outsourcing.search"
    label = "search"
    verbose_name = _("Search")
