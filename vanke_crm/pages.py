"""What every staff page shares: who may open it, paging, form submission, refusals.
Every app's views use these (org, customers, and the apps that follow)."""

from functools import wraps

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from org.scoping import RoleRequired
from vanke_crm.error_pages import permission_denied
from vanke_crm.errors import DomainError
from vanke_crm.forms import add_service_error
from vanke_crm.paging import Paginator
from vanke_crm.transitions import available_actions, workflow_for

PAGE_SIZE = 50


def forbidden(request, exc: RoleRequired):
    """The 403 page, saying why (the role's refusal message)."""
    return permission_denied(request, exc)


def staff_view(view):
    """Signed-in staff only. `RoleRequired` raised by the view or a service becomes
    the 403 page; `OutOfScope` (an Http404) becomes the 404 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if not request.user.scope.is_staff_member:
                raise RoleRequired(_("These pages are for staff with a role."))
            return view(request, *args, **kwargs)
        except RoleRequired as exc:
            return forbidden(request, exc)

    return wrapper


def require_role(user, *roles) -> None:
    """A role's home is for that role (group CRM staff may open every home)."""
    if not user.scope.has_role(*roles):
        raise RoleRequired(_("This page is for another role."))


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_string(request) -> str:
    """The current filters, without the page number (for the pagination links)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def submit(request, form, action):
    """Run `action(cleaned_data)` for a valid POST. A refusal of the service lands on
    the form, which keeps what was typed: a ValidationError or a DomainError naming a
    field on that field, any other DomainError above the fields. RoleRequired and
    OutOfScope go on to the 403/404 pages. Returns the action's result or None; then
    `refused_status(form)` is the status to answer with."""
    if request.method != "POST" or not form.is_valid():
        return None
    return attempt(form, lambda: action(form.cleaned_data))


def attempt(form, action):
    """Run `action()` on behalf of `form` (a check a page makes before showing it, e.g.
    the merge preview): a refusal lands on the form as in `submit`, and None is
    returned. RoleRequired and OutOfScope go on to the 403/404 pages."""
    try:
        return action()
    except ValidationError as exc:
        add_service_error(form, exc)
    except DomainError as exc:
        message = {exc.field: exc.message} if exc.field else exc.message
        add_service_error(form, ValidationError(message))
    return None


def action_form(forms: dict, action: str, data=None):
    """The form of one of a record's action cards (a bare form when the action takes
    no input), with ids of its own so several cards fit on one page."""
    return forms.get(action, django_forms.Form)(data, auto_id=f"id_{action}_%s")


def action_cards(request, obj, forms: dict, *, skip=(), posted="", posted_form=None) -> list:
    """(transition, form) for each action the user may take on `obj` now (the
    transition table decides), the posted form on its own card. A posted action that
    has no card (refused outright: unknown, or not possible in this state) shows its
    refusal as an error message instead."""
    cards = [
        (rule, posted_form if rule.action == posted else action_form(forms, rule.action))
        for rule in available_actions(obj, request.user)
        if rule.action not in skip
    ]
    if posted_form is not None and posted not in {rule.action for rule, _form in cards}:
        for error in posted_form.non_field_errors():
            messages.error(request, error)
    return cards


def posted_action(request, *, forms: dict, run, done_url, refused):
    """A record page's POST from one of its action cards (`action` names the
    transition), or None when nothing was posted. The posted action's form validates
    what was typed; `run(action, reason=…, **data)` calls the service; on success the
    transition's done message and a redirect to `done_url`; a refusal (as in `submit`)
    answers `refused(action, form, status)`, the page shown again with the form."""
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    if not posted:
        return None
    form = action_form(forms, posted, request.POST)

    def call(data):
        data = dict(data)
        reason = data.pop("reason", "")
        return run(posted, reason=reason, **data)

    result = submit(request, form, call)
    if result is not None:
        messages.success(request, workflow_for(result).by_action[posted].done_message(result))
        return redirect(done_url)
    return refused(posted, form, refused_status(form))


def act(request, action, *, done=None):
    """Run a button's `action()` (a POST without a form): a refusal of the service
    becomes an error message, success `done` (a message) if given. RoleRequired and
    OutOfScope go on to the 403/404 pages. Returns (result, status)."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None, 400
    except DomainError as exc:
        messages.error(request, str(exc))
        return None, exc.status
    if done:
        messages.success(request, done)
    return result, 200


def htmx_partial(request, template, context, *, status=200):
    """The fragment an htmx action swaps in, answered with `status` (a refusal's 400
    is swapped too: base.html's htmx-config), and this request's messages (the
    refusal's or the success's) swapped into the page's message area out of band."""
    response = render(request, template, context, status=status)
    response.write(render_to_string("shell/messages.html", {"oob": True}, request=request))
    return response


def refused_status(form) -> int:
    """200 for a form shown the first time, 400 for one posted back with errors."""
    return 400 if form.is_bound and form.errors else 200
