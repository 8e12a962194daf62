"""The one scoping mechanism: every staff-facing query starts with `.for_user(user)`."""

from django.db import models

MODEL_DEFAULT = object()


class ScopedQuerySet(models.QuerySet):
    """QuerySet whose model declares `scope_company_path`, the lookup path from the
    model to its Company primary key ("pk" for Company, "company" for a Project,
    "project__company" for a Building …). Group staff see every row; other staff
    see the rows of their companies; owners and anonymous users see nothing.

    A model may also declare
    - `scope_read_roles`: the roles that read it by default (customer data: CRM staff
      and managers, not handlers), so call sites need not repeat them;
    - `scope_for_user(queryset, user)`: a classmethod narrowing the rows further for
      some users (e.g. a handler sees only the tasks sent to them)."""

    def for_user(self, user, roles=MODEL_DEFAULT):
        """Rows of the user's companies where they hold one of `roles` (by default the
        model's `scope_read_roles`; None: any role) — CRM staff in A and handler in B
        reads A's customers, not B's — then the model's own narrowing."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if roles is MODEL_DEFAULT:
            roles = getattr(self.model, "scope_read_roles", None)
        scope = user.scope
        if scope.sees_all:
            queryset = self
        else:
            company_ids = scope.company_ids if roles is None else scope.companies_with(*roles)
            if not company_ids:
                return self.none()
            path = self.model.scope_company_path
            lookup = "pk__in" if path == "pk" else f"{path}__in"
            queryset = self.filter(**{lookup: company_ids})
        narrow = getattr(self.model, "scope_for_user", None)
        return narrow(queryset, user) if narrow is not None else queryset

    def for_company(self, company):
        path = self.model.scope_company_path
        return self.filter(**{"pk" if path == "pk" else path: company})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
