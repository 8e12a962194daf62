from django.db.models import Q

from org.querysets import ScopedQuerySet


class CustomerQuerySet(ScopedQuerySet):
    def active(self):
        """Customers that were not merged into another record."""
        return self.filter(merged_into__isnull=True)

    def search(self, text: str, *, id_numbers: bool = False):
        """`id_numbers` only for staff who may reveal them (services.access)."""
        from .search import customer_search_q

        query = customer_search_q(text, id_numbers=id_numbers)
        return self.filter(query) if query is not None else self.none()

    def with_consent(self):
        return self.filter(marketing_consent=True)

    def owners(self):
        return self.filter(Q(kind="owner") | Q(kind="co_owner"))
