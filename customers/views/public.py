"""Public project pages (no login): risk disclosure (风险提示 / 一公里公示) and
construction progress (工程进度公示); and the staff pages that edit and publish them."""

from dataclasses import dataclass

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
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from vanke_crm.pages import act, htmx_partial, refused_status, staff_view, submit

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
        "tables": [(kind, kind.rows(project)) for kind in KINDS.values()],
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
    return render(request, "customers/disclosure/form.html", context, status=refused_status(form))


def _back_to(project, anchor):
    return redirect(reverse("customers:disclosure_project", args=[project.pk]) + anchor)


# --- staff: risk items and construction milestones (one set of views, two kinds) -------


@dataclass(frozen=True)
class _Kind:
    spec: object  # services.RISK / services.MILESTONE
    form: type
    anchor: str  # where the project page lists them
    urls: str  # the prefix of its URL names (risk_item_publish, milestone_publish …)
    new_title: object
    heading: object  # the project page's table of this kind …
    columns: tuple  # … its own columns (state, updated and actions follow) …
    cells: str  # … drawn by this template …
    empty: object  # … or this line when there is none
    testid: str
    rows: object  # project → the rows in the order the table shows them

    @property
    def anchor_id(self):
        return self.anchor.removeprefix("#")

    @property
    def url_names(self) -> dict:
        """{action: URL name} for the table and its state cell."""
        return {a: f"customers:{self.urls}_{a}" for a in ("edit", "delete", "publish", "unpublish")}


KINDS = {
    "risk": _Kind(
        services.RISK,
        RiskItemForm,
        "#risks",
        "risk_item",
        _lazy("New risk item"),
        heading=_lazy("Risk disclosure (1 km and inside the site)"),
        columns=(
            _lazy("Title"),
            _lazy("Kind"),
            _lazy("Where"),
            _lazy("Distance"),
            _lazy("Picture"),
        ),
        cells="customers/disclosure/_risk_cells.html",
        empty=_lazy("No risk item yet. Add the adverse factors within 1 km and inside the site."),
        testid="risk-row",
        rows=services.staff_risk_items,
    ),
    "milestone": _Kind(
        services.MILESTONE,
        MilestoneForm,
        "#milestones",
        "milestone",
        _lazy("New construction milestone"),
        heading=_lazy("Construction progress"),
        columns=(_lazy("Date"), _lazy("Title"), _lazy("Progress"), _lazy("Photo")),
        cells="customers/disclosure/_milestone_cells.html",
        empty=_lazy("No construction milestone yet."),
        testid="milestone-row",
        rows=services.staff_milestones,
    ),
}


def _upload(kind, kwargs: dict) -> dict:
    """The form's picture/photo (and its clear box) as the services' file arguments."""
    field = kind.spec.file_field
    kwargs = dict(kwargs)
    kwargs["file"] = kwargs.pop(field, None)
    kwargs["clear_file"] = kwargs.pop(f"clear_{field}", False)
    return kwargs


@staff_view
def item_create(request, pk, kind):
    kind = KINDS[kind]
    project = services.staff_project(request.user, pk)
    form = kind.form(request.POST or None, request.FILES or None)

    def create(_data):
        kwargs = _upload(kind, form.service_kwargs())
        kwargs.pop("clear_file")  # a new record has no picture to clear
        return services.item_create(kind.spec, project=project, by=request.user, **kwargs)

    item = submit(request, form, create)
    if item:
        messages.success(
            request, _("“%(title)s” was saved, not yet published.") % {"title": item.title}
        )
        return _back_to(project, kind.anchor)
    return _form_page(request, form, str(kind.new_title), project)


@staff_view
def item_edit(request, pk, kind):
    kind = KINDS[kind]
    item = services.staff_item(kind.spec, request.user, pk)
    form = kind.form(
        request.POST or None, request.FILES or None, initial=kind.form.initial_for(item)
    )
    saved = submit(
        request,
        form,
        lambda _data: services.item_update(
            kind.spec, item=item, by=request.user, **_upload(kind, form.service_kwargs())
        ),
    )
    if saved:
        messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
        return _back_to(item.project, kind.anchor)
    title = _("Edit %(title)s") % {"title": item.title}
    return _form_page(request, form, title, item.project)


def _toggle(request, pk, kind, published: bool):
    """Publish or unpublish; an htmx request gets the row's state cell back (a second
    click that finds the row already in that state is refused with the current state)."""
    kind = KINDS[kind]
    obj = services.staff_item(kind.spec, request.user, pk)
    changed, status = act(
        request,
        lambda: services.item_set_published(
            kind.spec, item=obj, by=request.user, published=published
        ),
    )
    if changed is None:
        obj.refresh_from_db()
    row = changed or obj
    if request.htmx:
        context = {"row": row, "kind": kind}
        return htmx_partial(request, "customers/disclosure/_state.html", context, status=status)
    if changed is not None:
        if row.is_published:
            text = _("“%(title)s” is now on the public page.")
        else:
            text = _("“%(title)s” was taken off the public page.")
        messages.success(request, text % {"title": row.title})
    return _back_to(row.project, kind.anchor)


@require_POST
@staff_view
def item_publish(request, pk, kind):
    return _toggle(request, pk, kind, True)


@require_POST
@staff_view
def item_unpublish(request, pk, kind):
    return _toggle(request, pk, kind, False)


@require_POST
@staff_view
def item_delete(request, pk, kind):
    kind = KINDS[kind]
    item = services.staff_item(kind.spec, request.user, pk)
    services.item_delete(kind.spec, item=item, by=request.user)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": item.title})
    return _back_to(item.project, kind.anchor)


def _item_paths(kind, plural):
    """The five staff URLs of one kind of row (names as before: risk_item_*, milestone_*)."""
    name = KINDS[kind].urls
    extra = {"kind": kind}
    return [
        path(f"disclosure/projects/<int:pk>/{plural}/new/", item_create, extra, f"{name}_create"),
        path(f"disclosure/{plural}/<int:pk>/edit/", item_edit, extra, f"{name}_edit"),
        path(f"disclosure/{plural}/<int:pk>/publish/", item_publish, extra, f"{name}_publish"),
        path(
            f"disclosure/{plural}/<int:pk>/unpublish/", item_unpublish, extra, f"{name}_unpublish"
        ),
        path(f"disclosure/{plural}/<int:pk>/delete/", item_delete, extra, f"{name}_delete"),
    ]


urlpatterns = [
    path("p/<slug:project_code>/progress/", public_progress, name="public_progress"),
    path("disclosure/", disclosure_index, name="disclosure_index"),
    path("disclosure/projects/<int:pk>/", disclosure_project, name="disclosure_project"),
    *_item_paths("risk", "risks"),
    *_item_paths("milestone", "milestones"),
]
