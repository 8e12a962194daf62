"""The knowledge base: every staff member reads and searches the published articles;
group CRM staff write and edit them (decision 0027)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from org.scoping import access_group_admin
from vanke_crm.pages import paginate, query_string, refused_status, staff_view, submit

from .. import knowledge
from ..knowledge_forms import ArticleForm, ArticleSearchForm
from ..services import knowledge as services


def _crumbs(*items):
    return [(_("Knowledge base"), reverse("complaints:articles")), *items]


@staff_view
def article_list(request):
    search = ArticleSearchForm(request.GET, categories=knowledge.active_categories())
    cleaned = search.cleaned_data if search.is_valid() else {}
    articles = knowledge.article_list(
        request.user, q=cleaned.get("q", ""), category=cleaned.get("category")
    )
    return render(
        request,
        "complaints/knowledge/list.html",
        {
            "title": _("Knowledge base"),
            "breadcrumbs": _crumbs(),
            "search": search,
            "page_obj": paginate(request, articles),
            "query_string": query_string(request),
            "can_edit": knowledge.can_edit_articles(request.user),
        },
    )


@staff_view
def article_detail(request, pk):
    article = knowledge.article_detail(request.user, pk)
    return render(
        request,
        "complaints/knowledge/detail.html",
        {
            "title": article.title,
            "breadcrumbs": _crumbs((article.title, "")),
            "article": article,
            "can_edit": knowledge.can_edit_articles(request.user),
        },
    )


def _form_page(request, form, title, crumbs, status):
    return render(
        request,
        "org/form_page.html",
        {"title": title, "breadcrumbs": crumbs, "form": form},
        status=status,
    )


@staff_view
def article_create(request):
    access_group_admin(request.user)
    form = ArticleForm(request.POST or None, categories=knowledge.article_categories())
    article = submit(request, form, lambda data: services.article_create(by=request.user, **data))
    if article is not None:
        messages.success(request, _("The article was saved."))
        return redirect("complaints:article", pk=article.pk)
    title = _("New article")
    return _form_page(request, form, title, _crumbs((title, "")), refused_status(form))


@staff_view
def article_edit(request, pk):
    article = knowledge.article_detail(request.user, pk)
    access_group_admin(request.user)
    initial = {name: getattr(article, name) for name in services.ARTICLE_FIELDS}
    form = ArticleForm(
        request.POST or None, initial=initial, categories=knowledge.article_categories(article)
    )
    saved = submit(
        request,
        form,
        lambda data: services.article_update(by=request.user, article=article, **data),
    )
    if saved is not None:
        messages.success(request, _("The article was saved."))
        return redirect("complaints:article", pk=pk)
    title = _("Edit %(title)s") % {"title": article.title}
    crumbs = _crumbs((article.title, reverse("complaints:article", args=[pk])), (title, ""))
    return _form_page(request, form, title, crumbs, refused_status(form))


@staff_view
def case_suggestions(request, pk):
    """The articles suggested for a case, loaded by the case page after it is shown
    (htmx), so the page itself keeps its query budget."""
    from .. import selectors

    case = selectors.case_detail(request.user, pk)
    context = {"case": case, "suggestions": knowledge.suggestions_for(request.user, case)}
    if request.headers.get("HX-Request"):
        return render(request, "complaints/partials/suggestions.html", context)
    # Without JavaScript the case page links here: a page of its own.
    title = _("From the knowledge base")
    context.update(
        title=f"{case.number} · {title}",
        breadcrumbs=[
            (_("Cases"), reverse("complaints:queue")),
            (case.number, reverse("complaints:case", args=[pk])),
            (title, None),
        ],
    )
    return render(request, "complaints/knowledge/suggestions_page.html", context)


urlpatterns = [
    path("cases/<int:pk>/suggestions/", case_suggestions, name="case_suggestions"),
    path("knowledge/", article_list, name="articles"),
    path("knowledge/new/", article_create, name="article_create"),
    path("knowledge/<int:pk>/", article_detail, name="article"),
    path("knowledge/<int:pk>/edit/", article_edit, name="article_edit"),
]
