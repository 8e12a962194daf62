"""Organisation pages: the shared page helpers (vanke_crm.pages) plus the group
administration gate."""

from functools import wraps

from vanke_crm.pages import (  # noqa: F401 (org's views import them from here)
    PAGE_SIZE,
    act,
    forbidden,
    paginate,
    query_string,
    refused_status,
    require_role,
    staff_view,
    submit,
)

from ..scoping import access_group_admin


def group_admin_view(view):
    """Group administration pages: group CRM staff only (403 for everybody else)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access_group_admin(request.user)
        return view(request, *args, **kwargs)

    return staff_view(wrapper)
