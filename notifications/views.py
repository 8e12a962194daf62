"""Staff inbox pages: list (newest first, paginated), mark one read, mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .selectors import inbox_list
from .services import inbox_mark_all_read, inbox_mark_read

PAGE_SIZE = 25


def _require_staff(user) -> None:
    # Owners have their own portal; the inbox is a staff page.
    if user.is_owner:
        raise PermissionDenied


@login_required
@require_GET
def inbox(request):
    _require_staff(request.user)
    unread_only = request.GET.get("unread") == "1"
    items = inbox_list(user=request.user, unread_only=unread_only)
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "title": _("Inbox"),
            "breadcrumbs": [(_("Inbox"), None)],
            "page_obj": page_obj,
            "unread_only": unread_only,
            "query_string": "unread=1" if unread_only else "",
        },
    )


@login_required
@require_POST
def mark_read(request, item_id):
    _require_staff(request.user)
    item = inbox_mark_read(user=request.user, item_id=item_id)
    if request.htmx:
        return render(request, "notifications/inbox.html#item", {"item": item})
    return redirect(_next_url(request))


@login_required
@require_POST
def mark_all_read(request):
    _require_staff(request.user)
    count = inbox_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect(_next_url(request))


def _next_url(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "notifications:inbox"
