"""Public project pages (no login): risk disclosure (风险提示 / 一公里公示) and
construction progress (工程进度公示); and the staff pages that edit and publish them."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vanke_crm.errors import IllegalTransition
from vanke_crm.pages import staff_view, submit

from ..forms_public import MilestoneForm, RiskItemForm
from ..services import disclosure as services

# --- public pages ----------------------------------------------------------------------


NONCE, CSRF = "\x00csp-nonce\x00", "__csrf-token__"


def _served_whole(request) -> bool:
    """A visitor who is not signed in, with no query string and no session or message
    cookie, sees exactly what every such visitor sees, but for the CSP nonce and the
    CSRF token: the whole page is kept with holes for those two."""
    return not (
        request.GET
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or request.user.is_authenticated
    )


def _public_page(request, page, project_code, build):
    if not _served_whole(request):
        return _cached_article(request, page, project_code, build)
    key = services.public_page_key(page, project_code, get_language(), whole=True)
    html = cache.get(key)
    if html is None:
        response = _cached_article(request, page, project_code, build, csrf_token=CSRF)
        html = response.content.decode().replace(str(request.csp_nonce), NONCE)
        cache.set(key, html, services.PUBLIC_PAGE_SECONDS)
    # Every response gets its own nonce (it lands in the CSP header) and CSRF token.
    html = html.replace(NONCE, str(request.csp_nonce)).replace(CSRF, get_token(request))
    return HttpResponse(html)


def _cached_article(request, page, project_code, build, **extra):
    """The project and the rendered article of a public page, from the cache when it
    has them (no query), else built by `build(project)` and kept until a disclosure
    write forgets them (services.public_pages_changed) or PUBLIC_PAGE_SECONDS pass."""
    key = services.public_page_key(page, project_code, get_language())
    cached = cache.get(key)
    if cached is None:
        project = services.public_project(project_code)
        context = {"title": TITLES[page](), "project": project, **build(project)}
        article = render_to_string(f"customers/public/{page}.html#article", context)
        cached = {"project": project, "article": str(article)}
        cache.set(key, cached, services.PUBLIC_PAGE_SECONDS)
    context = {
        "title": TITLES[page](),
        "project": cached["project"],
        "article": mark_safe(cached["article"]),  # noqa: S308 - rendered by our template
        **extra,
    }
    return render(request, f"customers/public/{page}.html", context)


TITLES = {"risk": lambda: _("Risk disclosure"), "progress": lambda: _("Construction progress")}


def public_risk(request, project_code):
    """The 1 km notice buyers get by SMS after their first visit: published items only."""
    return _public_page(request, "risk", project_code, services.public_risk_items)


def public_progress(request, project_code):
    return _public_page(
        request,
        "progress",
        project_code,
        lambda project: {"milestones": list(services.public_milestones(project))},
    )


# --- staff: overview and one project ----------------------------------------------------


def _crumbs(*items):
    return [(_("Disclosure pages"), reverse("customers:disclosure_index")), *items]


def _project_crumb(project):
    return (project.name, reverse("customers:disclosure_project", args=[project.pk]))


@staff_view
def disclosure_index(request):
    context = {
        "title": _("Disclosure pages"),
        "breadcrumbs": _crumbs(),
        "projects": services.staff_projects(request.user),
    }
    return render(request, "customers/disclosure/index.html", context)


@staff_view
def disclosure_project(request, pk):
    project = services.staff_project(request.user, pk)
    context = {
        "title": _("Disclosure · %(project)s") % {"project": project.name},
        "breadcrumbs": _crumbs((project.name, "")),
        "project": project,
        "risk_items": services.staff_risk_items(project),
        "milestones": services.staff_milestones(project),
    }
    return render(request, "customers/disclosure/project.html", context)


def _form_page(request, form, title, project):
    context = {
        "title": title,
        "breadcrumbs": _crumbs(_project_crumb(project), (title, "")),
        "form": form,
        "project": project,
        "back": reverse("customers:disclosure_project", args=[project.pk]),
    }
    return render(request, "customers/disclosure/form.html", context)


def _back_to(project, anchor):
    return redirect(reverse("customers:disclosure_project", args=[project.pk]) + anchor)


# --- staff: risk items ---------------------------------------------------------------


@staff_view
def risk_item_create(request, pk):
    project = services.staff_project(request.user, pk)
    form = RiskItemForm(request.POST or None, request.FILES or None)
    item = submit(
        request,
        form,
        lambda _data: services.risk_item_create(
            project=project, by=request.user, **_without_clear(form.service_kwargs())
        ),
    )
    if item:
        messages.success(
            request, _("“%(title)s” was saved, not yet published.") % {"title": item.title}
        )
        return _back_to(project, "#risks")
    return _form_page(request, form, _("New risk item"), project)


@staff_view
def risk_item_edit(request, pk):
    item = services.staff_risk_item(request.user, pk)
    form = RiskItemForm(
        request.POST or None, request.FILES or None, initial=RiskItemForm.initial_for(item)
    )
    saved = submit(
        request,
        form,
        lambda _data: services.risk_item_update(
            item=item, by=request.user, **form.service_kwargs()
        ),
    )
    if saved:
        messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
        return _back_to(item.project, "#risks")
    title = _("Edit %(title)s") % {"title": item.title}
    return _form_page(request, form, title, item.project)


def _toggle(request, obj, action, partial, anchor):
    """Publish or unpublish; an htmx request gets the row's state cell back (a second
    click that finds the row already in that state just shows the current state)."""
    try:
        obj = action(request.user, obj)
    except IllegalTransition as exc:
        if request.htmx:
            obj.refresh_from_db()
            return render(request, f"customers/disclosure/project.html#{partial}", {"row": obj})
        messages.info(request, exc.message)
        return _back_to(obj.project, anchor)
    if request.htmx:
        return render(request, f"customers/disclosure/project.html#{partial}", {"row": obj})
    if obj.is_published:
        text = _("“%(title)s” is now on the public page.")
    else:
        text = _("“%(title)s” was taken off the public page.")
    messages.success(request, text % {"title": obj.title})
    return _back_to(obj.project, anchor)


@require_POST
@staff_view
def risk_item_publish(request, pk):
    item = services.staff_risk_item(request.user, pk)
    return _toggle(
        request,
        item,
        lambda by, obj: services.risk_item_publish(item=obj, by=by),
        "risk_state",
        "#risks",
    )


@require_POST
@staff_view
def risk_item_unpublish(request, pk):
    item = services.staff_risk_item(request.user, pk)
    return _toggle(
        request,
        item,
        lambda by, obj: services.risk_item_unpublish(item=obj, by=by),
        "risk_state",
        "#risks",
    )


@require_POST
@staff_view
def risk_item_delete(request, pk):
    item = services.staff_risk_item(request.user, pk)
    services.risk_item_delete(item=item, by=request.user)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": item.title})
    return _back_to(item.project, "#risks")


# --- staff: construction milestones ---------------------------------------------------


@staff_view
def milestone_create(request, pk):
    project = services.staff_project(request.user, pk)
    form = MilestoneForm(request.POST or None, request.FILES or None)
    milestone = submit(
        request,
        form,
        lambda _data: services.milestone_create(
            project=project, by=request.user, **_without_clear(form.service_kwargs())
        ),
    )
    if milestone:
        messages.success(
            request, _("“%(title)s” was saved, not yet published.") % {"title": milestone.title}
        )
        return _back_to(project, "#milestones")
    return _form_page(request, form, _("New construction milestone"), project)


@staff_view
def milestone_edit(request, pk):
    milestone = services.staff_milestone(request.user, pk)
    form = MilestoneForm(
        request.POST or None, request.FILES or None, initial=MilestoneForm.initial_for(milestone)
    )
    saved = submit(
        request,
        form,
        lambda _data: services.milestone_update(
            milestone=milestone, by=request.user, **form.service_kwargs()
        ),
    )
    if saved:
        messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
        return _back_to(milestone.project, "#milestones")
    title = _("Edit %(title)s") % {"title": milestone.title}
    return _form_page(request, form, title, milestone.project)


@require_POST
@staff_view
def milestone_publish(request, pk):
    milestone = services.staff_milestone(request.user, pk)
    return _toggle(
        request,
        milestone,
        lambda by, obj: services.milestone_publish(milestone=obj, by=by),
        "milestone_state",
        "#milestones",
    )


@require_POST
@staff_view
def milestone_unpublish(request, pk):
    milestone = services.staff_milestone(request.user, pk)
    return _toggle(
        request,
        milestone,
        lambda by, obj: services.milestone_unpublish(milestone=obj, by=by),
        "milestone_state",
        "#milestones",
    )


@require_POST
@staff_view
def milestone_delete(request, pk):
    milestone = services.staff_milestone(request.user, pk)
    services.milestone_delete(milestone=milestone, by=request.user)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": milestone.title})
    return _back_to(milestone.project, "#milestones")


def _without_clear(kwargs: dict) -> dict:
    """A new record has no picture to clear."""
    return {k: v for k, v in kwargs.items() if not k.startswith("clear_")}


urlpatterns = [
    path("p/<slug:project_code>/progress/", public_progress, name="public_progress"),
    path("disclosure/", disclosure_index, name="disclosure_index"),
    path("disclosure/projects/<int:pk>/", disclosure_project, name="disclosure_project"),
    path("disclosure/projects/<int:pk>/risks/new/", risk_item_create, name="risk_item_create"),
    path("disclosure/risks/<int:pk>/edit/", risk_item_edit, name="risk_item_edit"),
    path("disclosure/risks/<int:pk>/publish/", risk_item_publish, name="risk_item_publish"),
    path("disclosure/risks/<int:pk>/unpublish/", risk_item_unpublish, name="risk_item_unpublish"),
    path("disclosure/risks/<int:pk>/delete/", risk_item_delete, name="risk_item_delete"),
    path("disclosure/projects/<int:pk>/milestones/new/", milestone_create, name="milestone_create"),
    path("disclosure/milestones/<int:pk>/edit/", milestone_edit, name="milestone_edit"),
    path("disclosure/milestones/<int:pk>/publish/", milestone_publish, name="milestone_publish"),
    path(
        "disclosure/milestones/<int:pk>/unpublish/",
        milestone_unpublish,
        name="milestone_unpublish",
    ),
    path("disclosure/milestones/<int:pk>/delete/", milestone_delete, name="milestone_delete"),
]
