import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import InboxItem


class InboxItemFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label=_("Only unread (true) or only read (false)")
    )

    class Meta:
        model = InboxItem
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)
