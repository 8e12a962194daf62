"""Writes of the group's shared knowledge: knowledge articles and the category tree.
Both are shared by every company and changed by group CRM staff only (decision 0027);
every change is a history row naming who made it."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.scoping import access_group_admin
from vanke_crm.validation import check_fields

from ..models import Article, Category

ARTICLE_FIELDS = ("title", "category", "problem", "answer", "steps", "keywords", "is_published")
TEXT_FIELDS = ("title", "problem", "answer", "steps", "keywords")


def _clean_article(article, *, category_changed: bool) -> None:
    for name in TEXT_FIELDS:
        setattr(article, name, (getattr(article, name) or "").strip())
    errors = {}
    for name in ("title", "problem", "answer"):
        if not getattr(article, name):
            errors[name] = [_("This field is required.")]
    if category_changed and article.category is not None and not article.category.is_active:
        errors["category"] = [_("This category is no longer in use; choose another one.")]
    if errors:
        raise ValidationError(errors)
    check_fields(article, TEXT_FIELDS)


def article_create(
    *, by, title, problem, answer, category=None, steps="", keywords="", is_published=False
) -> Article:
    """Group CRM staff write an article; it is read by every company's staff once
    published. A deactivated category is not offered to new articles."""
    access_group_admin(by)
    article = Article(
        title=title,
        category=category,
        problem=problem,
        answer=answer,
        steps=steps,
        keywords=keywords,
        is_published=is_published,
        created_by=by,
        updated_by=by,
    )
    _clean_article(article, category_changed=True)
    with transaction.atomic():
        article._history_user = by
        article.save()
    return article


def article_update(*, by, article, **fields) -> Article:
    """Group CRM staff change an article (publish or withdraw it too); the history keeps
    every version. An article may keep a category deactivated since it was written."""
    access_group_admin(by)
    unknown = set(fields) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        old_category = article.category_id
        for name, value in fields.items():
            setattr(article, name, value)
        _clean_article(article, category_changed=article.category_id != old_category)
        article.updated_by = by
        article._history_user = by
        article.save()
    return article


# --- the category tree -----------------------------------------------------------------


def _name_taken(parent, name, *, exclude=None) -> bool:
    rows = Category.objects.filter(parent=parent, name=name)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.exists()


def category_create(*, by, name, parent=None, trade="") -> Category:
    """Group CRM staff add a category: a top-level one, or a child of an active
    top-level one (the tree has two levels: the intake offers the children). A name is
    unique among its siblings."""
    access_group_admin(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": [_("A category of the second level cannot have children.")]}
            )
        if not parent.is_active:
            raise ValidationError({"parent": [_("This category is no longer in use.")]})
    with transaction.atomic():
        if _name_taken(parent, name):
            raise ValidationError({"name": [_("A category with this name is already there.")]})
        siblings = Category.objects.filter(parent=parent).order_by("-order").first()
        category = Category(
            parent=parent,
            name=name,
            trade=trade or (parent.trade if parent else ""),
            code=f"{parent.code if parent else 'category'}-{uuid.uuid4().hex[:8]}",
            order=(siblings.order + 10) if siblings else 10,
        )
        check_fields(category, ("name", "trade"))
        category._history_user = by
        category.save()
    return category


def category_update(*, by, category, name=None, trade=None, is_active=None) -> Category:
    """Group CRM staff rename a category, set its trade, or take it out of use. A
    category is never deleted: a deactivated one leaves the intake form and the filters
    but stays on the cases that have it; taking a top-level one out of use takes its
    children with it, and a child comes back only under an active parent."""
    access_group_admin(by)
    with transaction.atomic():
        category = (
            Category.objects.select_for_update(of=("self",))
            .select_related("parent")
            .get(pk=category.pk)
        )
        if name is not None:
            name = name.strip()
            if not name:
                raise ValidationError({"name": [_("This field is required.")]})
            if _name_taken(category.parent, name, exclude=category):
                raise ValidationError({"name": [_("A category with this name is already there.")]})
            category.name = name
        if trade is not None:
            category.trade = trade
        if is_active is not None:
            if is_active and category.parent_id and not category.parent.is_active:
                raise ValidationError(
                    {"is_active": [_("Put the parent category back in use first.")]}
                )
            if not is_active and category.is_active:
                for child in category.children.filter(is_active=True):
                    child.is_active = False
                    child._history_user = by
                    child.save(update_fields=["is_active", "updated_at"])
            category.is_active = is_active
        check_fields(category, ("name", "trade"))
        category._history_user = by
        category.save()
    return category
