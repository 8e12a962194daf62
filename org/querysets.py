"""The one scoping mechanism: every staff-facing query starts with `.for_user(user)`."""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """QuerySet whose model declares `scope_company_path`, the lookup path from the
    model to its Company primary key ("pk" for Company, "company" for a Project,
    "project__company" for a Building …). Group staff see every row; other staff
    see the rows of their companies; owners and anonymous users see nothing."""

    def for_user(self, user, roles=None):
        """Rows of the user's companies; with `roles`, only of the companies where the
        user holds one of those roles (CRM staff in A and handler in B reads A's
        customers, not B's)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = user.scope
        if scope.sees_all:
            return self
        company_ids = scope.company_ids if roles is None else scope.companies_with(*roles)
        if not company_ids:
            return self.none()
        path = self.model.scope_company_path
        lookup = "pk__in" if path == "pk" else f"{path}__in"
        return self.filter(**{lookup: company_ids})

    def for_company(self, company):
        path = self.model.scope_company_path
        return self.filter(**{"pk" if path == "pk" else path: company})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
