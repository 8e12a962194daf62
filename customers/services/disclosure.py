"""风险提示 / 一公里公示 and 工程进度公示 (DOMAIN §2, §7 steps 1–3): company staff edit a
project's risk items and construction milestones; only published rows reach the
public pages. Writes first, then the few reads the public and staff pages need."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from org.models import Project
from vanke_crm.errors import IllegalTransition
from vanke_crm.media import Access
from vanke_crm.validation import check_fields

from ..models import ProgressMilestone, RiskItem
from .access import WRITERS, access_customer_write

# The public page is the 1 km notice: an item outside the red line lies within it.
MAX_DISTANCE_M = 1000
RISK_FIELDS = ("kind", "inside_site", "title", "distance_m", "description")
MILESTONE_FIELDS = ("date", "title", "description", "percent")
# The public pages are cached per project and language (decision 0019): a write here
# forgets them at once and on commit; the timeout bounds what a change made elsewhere (the
# project's name or hotline in org) takes to show.
PUBLIC_PAGE_SECONDS = 300
PUBLIC_PAGES = ("risk", "progress")


def public_page_key(page: str, project_code: str, language: str, *, whole=False) -> str:
    """`whole`: the entire page as anonymous visitors get it (views/public.py)."""
    return f"public-page:{page}:{project_code}:{language}" + (":whole" if whole else "")


def public_pages_changed(project_id) -> None:
    """Forget the project's cached public pages now and again once the write commits
    (a reader between the two may have cached what was there before)."""

    def forget():
        code = Project.objects.filter(pk=project_id).values_list("code", flat=True).first()
        if code:
            cache.delete_many(
                [
                    public_page_key(page, code, language, whole=whole)
                    for page in PUBLIC_PAGES
                    for language, _name in settings.LANGUAGES
                    for whole in (False, True)
                ]
            )

    forget()
    transaction.on_commit(forget)


# --- risk items ------------------------------------------------------------------------


def _risk_clean(fields: dict) -> dict:
    """An item outside the site needs its distance (0–1000 m); an item of the kind
    "inside the site" is inside the red line whatever the box says."""
    if fields.get("kind") == RiskItem.Kind.INSIDE:
        fields["inside_site"] = True
    if fields.get("inside_site") is None:
        raise ValidationError(
            {"inside_site": _("Please say whether the factor lies inside the site.")}
        )
    fields["title"] = (fields.get("title") or "").strip()
    fields["description"] = (fields.get("description") or "").strip()
    errors = {}
    if not fields["title"]:
        errors["title"] = _("Please enter a title.")
    if not fields["description"]:
        errors["description"] = _("Please describe the factor for buyers.")
    distance = fields.get("distance_m")
    if not fields.get("inside_site"):
        if distance is None:
            errors["distance_m"] = _(
                "Please enter the distance in metres for a factor outside the site."
            )
        elif not 0 <= distance <= MAX_DISTANCE_M:
            errors["distance_m"] = _(
                "The disclosure covers factors within 1 km: enter 0 to %(max)s metres."
            ) % {"max": MAX_DISTANCE_M}
    elif distance is not None and distance < 0:
        errors["distance_m"] = _("The distance cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return fields


def _milestone_clean(fields: dict) -> dict:
    fields["title"] = (fields.get("title") or "").strip()
    fields["description"] = (fields.get("description") or "").strip()
    errors = {}
    if not fields["title"]:
        errors["title"] = _("Please enter a title.")
    if fields.get("date") is None:
        errors["date"] = _("Please enter the date of the milestone.")
    percent = fields.get("percent")
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = _("Progress is a percentage from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    return fields


@dataclass(frozen=True)
class ItemKind:
    """One of the two kinds of disclosure rows: the same life (drafted, published,
    unpublished, edited, deleted, each forgetting the cached public pages) with its
    own fields, rules and picture."""

    model: type
    fields: tuple
    clean: Callable
    file_field: str
    already_published: object
    not_published: object


def _touch(item, by):
    if hasattr(item, "updated_by_id"):
        item.updated_by = by
    item._history_user = by  # the audit trail names the person, also outside a request


def _given(spec, fields: dict, current) -> dict:
    """The kind's fields as given, else `current`'s: a field left out keeps what is
    stored (a new row starts from the model's defaults)."""
    return {name: fields.get(name, getattr(current, name)) for name in spec.fields}


def item_create(spec, *, project, by, file=None, **fields):
    """A new row starts unpublished: staff check it before buyers see it."""
    access_customer_write(by, project.company_id)
    fields = spec.clean(_given(spec, fields, spec.model()))
    with transaction.atomic():
        item = spec.model(project=project, is_published=False, **fields)
        if file:
            setattr(item, spec.file_field, file)
        check_fields(item, spec.fields)
        _touch(item, by)
        item.save()
        public_pages_changed(item.project_id)
    return item


def item_update(spec, *, item, by, file=None, clear_file=False, **fields):
    """Change what a row says (a field left out keeps its value); `file` replaces its
    picture, `clear_file` removes it. A published row stays published (the page shows
    the new "last updated")."""
    access_customer_write(by, item.project.company_id)
    with transaction.atomic():
        item = spec.model.objects.select_for_update().get(pk=item.pk)
        for name, value in spec.clean(_given(spec, fields, item)).items():
            setattr(item, name, value)
        if file:
            setattr(item, spec.file_field, file)
        elif clear_file:
            setattr(item, spec.file_field, "")
        check_fields(item, spec.fields)
        _touch(item, by)
        item.save()
        public_pages_changed(item.project_id)
    return item


def item_set_published(spec, *, item, by, published: bool):
    access_customer_write(by, item.project.company_id)
    with transaction.atomic():
        item = spec.model.objects.select_for_update().select_related("project").get(pk=item.pk)
        if item.is_published == published:
            raise IllegalTransition(spec.already_published if published else spec.not_published)
        item.is_published = published
        _touch(item, by)
        item.save()
        public_pages_changed(item.project_id)
    return item


def item_delete(spec, *, item, by) -> None:
    """Deleting keeps the row's history (the audit trail of what was disclosed)."""
    access_customer_write(by, item.project.company_id)
    with transaction.atomic():
        item = spec.model.objects.select_for_update().get(pk=item.pk)
        item._history_user = by
        public_pages_changed(item.project_id)
        item.delete()


RISK = ItemKind(
    RiskItem,
    RISK_FIELDS,
    _risk_clean,
    "picture",
    _lazy("This item is already published."),
    _lazy("This item is not published."),
)
MILESTONE = ItemKind(
    ProgressMilestone,
    MILESTONE_FIELDS,
    _milestone_clean,
    "photo",
    _lazy("This milestone is already published."),
    _lazy("This milestone is not published."),
)


# The names the pages, the demo data and the tests use.
def risk_item_create(*, project, by, picture=None, **fields) -> RiskItem:
    return item_create(RISK, project=project, by=by, file=picture, **fields)


def risk_item_update(*, item, by, picture=None, clear_picture=False, **fields) -> RiskItem:
    return item_update(RISK, item=item, by=by, file=picture, clear_file=clear_picture, **fields)


def risk_item_publish(*, item, by) -> RiskItem:
    return item_set_published(RISK, item=item, by=by, published=True)


def risk_item_unpublish(*, item, by) -> RiskItem:
    return item_set_published(RISK, item=item, by=by, published=False)


def risk_item_delete(*, item, by) -> None:
    item_delete(RISK, item=item, by=by)


def milestone_create(*, project, by, photo=None, **fields) -> ProgressMilestone:
    return item_create(MILESTONE, project=project, by=by, file=photo, **fields)


def milestone_update(*, milestone, by, photo=None, clear_photo=False, **fields):
    return item_update(
        MILESTONE, item=milestone, by=by, file=photo, clear_file=clear_photo, **fields
    )


def milestone_publish(*, milestone, by) -> ProgressMilestone:
    return item_set_published(MILESTONE, item=milestone, by=by, published=True)


def milestone_unpublish(*, milestone, by) -> ProgressMilestone:
    return item_set_published(MILESTONE, item=milestone, by=by, published=False)


def milestone_delete(*, milestone, by) -> None:
    item_delete(MILESTONE, item=milestone, by=by)


# --- reads -----------------------------------------------------------------------------


def public_project(code: str) -> Project:
    """The project behind a public page; an unknown code is a 404."""
    return get_object_or_404(Project.objects.select_related("company"), code=code)


def public_risk_items(project) -> dict:
    """Published items only, outside the site nearest first, then inside the site."""
    items = list(
        RiskItem.objects.filter(project=project, is_published=True).order_by(
            "distance_m", "title", "pk"
        )
    )
    return {
        "outside": [item for item in items if not item.inside_site],
        "inside": [item for item in items if item.inside_site],
        "updated_at": max((item.updated_at for item in items), default=None),
    }


def public_milestones(project):
    return ProgressMilestone.objects.filter(project=project, is_published=True).order_by(
        "-date", "-pk"
    )


def staff_project(user, pk) -> Project:
    """A project the user may edit the disclosure of: out of scope is 404, a role that
    may not write is 403."""
    project = get_object_or_404(Project.objects.select_related("company"), pk=pk)
    access_customer_write(user, project.company_id)
    return project


def staff_item(spec, user, pk):
    """A risk item or milestone the user may edit: out of scope is 404, a role that may
    not write is 403."""
    item = get_object_or_404(spec.model.objects.select_related("project__company"), pk=pk)
    access_customer_write(user, item.project.company_id)
    return item


def staff_risk_item(user, pk) -> RiskItem:
    return staff_item(RISK, user, pk)


def staff_milestone(user, pk) -> ProgressMilestone:
    return staff_item(MILESTONE, user, pk)


def staff_projects(user):
    """The projects whose disclosure the user may edit, with their counts (one query)."""
    projects = Project.objects.for_user(user, roles=WRITERS)
    return (
        projects.select_related("company")
        .annotate(
            risk_total=Count("risk_items", distinct=True),
            risk_published=Count(
                "risk_items", filter=Q(risk_items__is_published=True), distinct=True
            ),
            milestone_total=Count("milestones", distinct=True),
            milestone_published=Count(
                "milestones", filter=Q(milestones__is_published=True), distinct=True
            ),
            disclosure_updated_at=Max("risk_items__updated_at"),
        )
        .order_by("company__code", "code")
    )


def staff_risk_items(project):
    return project.risk_items.select_related("updated_by").order_by(
        "inside_site", "distance_m", "pk"
    )


def staff_milestones(project):
    return project.milestones.order_by("-date", "-pk")


def _picture_access(model, field):
    """Who may open a stored picture (vanke_crm/media.py): anyone, when a published row
    shows it on the public page; staff of the project's company, when only drafts do
    (their disclosure pages show those); nobody else learns that the file exists."""

    def check(user, name):
        rows = model.objects.filter(**{field: name})
        if rows.filter(is_published=True).exists():
            return Access.PUBLIC
        if rows.for_user(user).exists():
            return Access.PRIVATE
        return None

    return check


risk_picture_access = _picture_access(RiskItem, "picture")
milestone_photo_access = _picture_access(ProgressMilestone, "photo")
