"""The read side of the knowledge base and the category tree (decision 0027): the
article list with its search, one article, and the articles suggested on a case page,
ranked by how many character pairs they share with the case's text."""

import math
import re
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Article, Category

SUGGESTIONS = 5
CANDIDATES = 300  # the most recently edited articles of the case's categories
# A run of Chinese characters, or a word of letters and digits.
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def can_edit_articles(user) -> bool:
    return user.scope.sees_all


def article_list(user, *, q: str = "", category=None):
    """Articles the user may read (drafts for their writers only), newest edit first,
    matching every word of `q` in the title, problem, answer or keywords; `category`
    takes its children along."""
    articles = Article.objects.for_user(user)
    for word in (q or "").split()[:5]:
        articles = articles.filter(
            Q(title__icontains=word)
            | Q(keywords__icontains=word)
            | Q(problem__icontains=word)
            | Q(answer__icontains=word)
        )
    if category is not None:
        articles = articles.filter(Q(category=category) | Q(category__parent=category))
    return articles.select_related("category__parent").order_by("-updated_at", "-pk")


def article_detail(user, pk) -> Article:
    return get_object_or_404(
        Article.objects.for_user(user).select_related(
            "category__parent", "created_by", "updated_by"
        ),
        pk=pk,
    )


def category_tree():
    """Every category, the top level first and each followed by its children (used
    and deactivated ones too: they are never deleted)."""
    rows = list(Category.objects.select_related("parent").order_by("order", "code"))
    children: dict = {}
    for row in rows:
        if row.parent_id:
            children.setdefault(row.parent_id, []).append(row)
    return [(top, children.get(top.pk, [])) for top in rows if top.parent_id is None]


def active_categories():
    return Category.objects.filter(is_active=True).select_related("parent")


def article_categories(article=None):
    """The categories an article may be filed under: those in use, and the one it
    already has even when out of use (an article keeps what it was written under)."""
    rows = Q(is_active=True)
    if article is not None and article.category_id:
        rows |= Q(pk=article.category_id)
    return Category.objects.filter(rows).select_related("parent")


def category_detail(pk) -> Category:
    return get_object_or_404(Category.objects.select_related("parent"), pk=pk)


def top_categories():
    return Category.objects.filter(parent__isnull=True, is_active=True)


# --- suggestions on the case page ---------------------------------------------------


def bigrams(text: str) -> set:
    """The text's character pairs (Chinese is written without spaces, so a pair of
    characters stands in for a word: 漏水 and 渗水 share 水, 卫生间漏水 and 卫生间渗水
    share 卫生 and 生间), and its latin words whole. A lone character counts alone."""
    grams = set()
    for run in _RUNS.findall((text or "").lower()):
        if run.isascii() or len(run) == 1:
            grams.add(run)
        else:
            grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def similarity(a: set, b: set) -> float:
    """Cosine of the two sets of pairs: 1 for the same text, 0 for nothing shared."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float
    same_category: bool


def suggestions_for(user, case, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Published articles of the case's category, its parent or its children (any
    published article when the case has no category), best match first: similarity of
    the case's title and description with the article's title, keywords and problem,
    a little more for the very category. One query over at most CANDIDATES rows."""
    articles = Article.objects.for_user(user).published()
    category = case.category
    if category is not None:
        family = Q(category=category) | Q(category__parent=category)
        if category.parent_id:
            family |= Q(category=category.parent_id)
        articles = articles.filter(family)
    rows = articles.select_related("category").order_by("-updated_at", "-pk")[:CANDIDATES]
    wanted = bigrams(f"{case.title} {case.description}")
    ranked = []
    for article in rows:
        heading = bigrams(f"{article.title} {article.keywords}")
        score = 0.6 * similarity(wanted, heading) + 0.4 * similarity(
            wanted, heading | bigrams(article.problem)
        )
        same = category is not None and article.category_id == category.pk
        if same:
            score += 0.05
        if score > 0:
            ranked.append(Suggestion(article, round(score, 3), same))
    ranked.sort(key=lambda s: (-s.score, -s.article.pk))
    return ranked[:limit]
