"""The knowledge base (issue 9, decision 0027): group CRM staff write articles that
every company's staff read; suggestions on the case page by category and text; the
category tree managed by group staff; the API scoped and paginated. Each with its
refusals (wrong role 403, a draft is not there for readers 404, bad input 400)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import services
from complaints.defaults import create_defaults
from complaints.forms import IntakeForm
from complaints.knowledge import bigrams, similarity, suggestions_for
from complaints.models import Article, Case, Category
from complaints.services import knowledge as kb
from customers.models import Customer
from org.models import Company, Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tree(db):
    create_defaults(Category)


def cat(code) -> Category:
    return Category.objects.get(code=code)


def article(by, code="quality-leak", **extra) -> Article:
    fields = {
        "title": "卫生间渗水到楼下",
        "category": cat(code) if code else None,
        "problem": "卫生间地面渗水，楼下天花板出现水渍。",
        "answer": "您好，我们将在24小时内安排工程师上门做闭水试验。",
        "steps": "约定上门时间\n做闭水试验\n重做防水",
        "keywords": "渗水 漏水 卫生间",
        "is_published": True,
    }
    fields.update(extra)
    return kb.article_create(by=by, **fields)


def html(response) -> str:
    return response.content.decode()


# --- the similarity ---------------------------------------------------------------


def test_chinese_text_is_compared_by_pairs_of_characters():
    assert bigrams("卫生间渗水") == {"卫生", "生间", "间渗", "渗水"}
    assert bigrams("3楼 WiFi 漏") == {"3", "楼", "wifi", "漏"}
    near = similarity(bigrams("卫生间漏水"), bigrams("卫生间渗水"))
    far = similarity(bigrams("卫生间漏水"), bigrams("物业费收费标准"))
    assert near > 0.4
    assert far == 0


# --- pages ------------------------------------------------------------------------


def test_group_staff_write_an_article_that_every_company_reads(
    client, group_staff, crm_a, crm_b, handler_a
):
    client.force_login(group_staff)
    response = client.post(
        reverse("complaints:article_create"),
        {
            "title": "窗户关不严",
            "category": cat("quality-windows").pk,
            "problem": "窗扇关闭不严，下雨进水。",
            "answer": "您好，门窗班组会上门调整五金件。",
            "steps": "调整五金件\n更换密封条",
            "keywords": "窗户 漏风",
            "is_published": "on",
        },
    )
    written = Article.objects.get(title="窗户关不严")
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:article", args=[written.pk])
    assert written.created_by == group_staff
    assert written.history.first().history_user == group_staff
    for reader in (crm_a, crm_b, handler_a):
        client.force_login(reader)
        page = html(client.get(reverse("complaints:article", args=[written.pk])))
        assert "您好，门窗班组会上门调整五金件。" in page
        assert "更换密封条" in page
        assert "窗户关不严" in html(client.get(reverse("complaints:articles")))
        assert reverse("complaints:article_edit", args=[written.pk]) not in page


def test_a_draft_is_not_there_for_company_staff(client, group_staff, crm_a):
    draft = article(group_staff, is_published=False, title="草稿：地板起拱")
    client.force_login(crm_a)
    assert client.get(reverse("complaints:article", args=[draft.pk])).status_code == 404
    assert "草稿：地板起拱" not in html(client.get(reverse("complaints:articles")))
    client.force_login(group_staff)
    assert "草稿：地板起拱" in html(client.get(reverse("complaints:articles")))


def test_company_staff_may_not_write_articles(client, group_staff, crm_a, manager_a):
    existing = article(group_staff)
    for user in (crm_a, manager_a):
        client.force_login(user)
        assert client.get(reverse("complaints:article_create")).status_code == 403
        response = client.post(
            reverse("complaints:article_create"),
            {"title": "私自添加", "problem": "x", "answer": "y"},
        )
        assert response.status_code == 403
        assert "只有集团客服可以修改此项。" in html(response)
        edit = client.post(
            reverse("complaints:article_edit", args=[existing.pk]),
            {"title": "改掉", "problem": "x", "answer": "y"},
        )
        assert edit.status_code == 403
    assert not Article.objects.filter(title__in=["私自添加", "改掉"]).exists()


def test_an_article_without_an_answer_is_refused_with_what_was_typed_kept(client, group_staff):
    client.force_login(group_staff)
    response = client.post(
        reverse("complaints:article_create"),
        {"title": "电梯困人怎么办", "problem": "电梯困人", "answer": "  "},
    )
    assert response.status_code == 400
    page = html(response)
    assert "电梯困人怎么办" in page
    assert "该字段是必填项。" in page
    assert not Article.objects.filter(title="电梯困人怎么办").exists()


def test_editing_keeps_the_history_and_may_withdraw_the_article(client, group_staff, crm_a):
    written = article(group_staff)
    client.force_login(group_staff)
    response = client.post(
        reverse("complaints:article_edit", args=[written.pk]),
        {
            "title": "卫生间渗水（修订）",
            "category": written.category_id,
            "problem": written.problem,
            "answer": "您好，工程师今天上门。",
            "steps": "",
            "keywords": "",
        },
    )
    assert response.status_code == 302
    written.refresh_from_db()
    assert written.title == "卫生间渗水（修订）"
    assert written.is_published is False  # the box was not ticked
    assert written.history.count() == 2
    client.force_login(crm_a)
    assert client.get(reverse("complaints:article", args=[written.pk])).status_code == 404


def test_the_list_searches_words_and_filters_by_category_with_its_children(
    client, group_staff, crm_a
):
    article(group_staff)
    article(group_staff, code="quality-windows", title="入户门变形", keywords="门锁")
    article(group_staff, code="property-fees", title="物业费标准", keywords="缴费")
    client.force_login(crm_a)
    found = html(client.get(reverse("complaints:articles"), {"q": "门锁"}))
    assert "入户门变形" in found
    assert "物业费标准" not in found
    quality = html(client.get(reverse("complaints:articles"), {"category": cat("quality").pk}))
    assert "入户门变形" in quality
    assert "卫生间渗水到楼下" in quality
    assert "物业费标准" not in quality


# --- suggestions on the case page ------------------------------------------------------


def leak_case(crm, company, **extra) -> Case:
    fields = {
        "type": Case.Type.REPAIR,
        "channel": Case.Channel.HOTLINE,
        "title": "卫生间漏水",
        "description": "楼下天花板渗水",
        "caller_name": "陈先生",
        "caller_mobile": "13800001111",
        "category": cat("quality-leak"),
    }
    fields.update(extra)
    return services.case_create(company=company, by=crm, **fields)


def test_the_case_page_suggests_articles_of_its_category_best_match_first(
    client, group_staff, crm_a, company_a
):
    best = article(group_staff)
    article(group_staff, title="阳台积水渗漏", keywords="阳台 地漏", problem="阳台地漏排水慢。")
    article(group_staff, code="quality", title="工程质量保修期说明", keywords="保修")
    article(group_staff, code="property-fees", title="卫生间物业费", keywords="卫生间 渗水")
    article(group_staff, title="草稿：卫生间渗水", is_published=False)
    case = leak_case(crm_a, company_a)
    ranked = suggestions_for(crm_a, case)
    titles = [s.article.title for s in ranked]
    assert titles[0] == best.title
    assert "卫生间物业费" not in titles  # another branch of the tree
    assert "草稿：卫生间渗水" not in titles
    client.force_login(crm_a)
    page = html(client.get(reverse("complaints:case", args=[case.pk])))
    assert reverse("complaints:case_suggestions", args=[case.pk]) in page  # loaded by htmx
    assert "complaints/knowledge.js" in page
    part = html(
        client.get(reverse("complaints:case_suggestions", args=[case.pk]), HTTP_HX_REQUEST="true")
    )
    assert 'data-testid="kb-suggestions"' in part
    assert "您好，我们将在24小时内安排工程师上门做闭水试验。" in part
    assert "使用此答复" in part


def test_another_companys_case_has_no_suggestions_page(client, crm_b, crm_a, company_a):
    case = leak_case(crm_a, company_a)
    client.force_login(crm_b)
    assert client.get(reverse("complaints:case_suggestions", args=[case.pk])).status_code == 404


def test_a_case_with_nothing_alike_says_so(client, group_staff, crm_a, company_a):
    article(group_staff, code="property-fees", title="物业费标准", keywords="缴费")
    case = leak_case(crm_a, company_a)
    client.force_login(crm_a)
    page = html(client.get(reverse("complaints:case_suggestions", args=[case.pk])))
    assert "知识库中没有与此工单相符的同类文章。" in page


# --- the category tree ------------------------------------------------------------


def test_group_staff_add_a_child_category_that_the_intake_offers(client, group_staff):
    client.force_login(group_staff)
    response = client.post(
        reverse("complaints:categories"),
        {"parent": cat("quality").pk, "name": "防火门", "trade": "windows"},
    )
    assert response.status_code == 302
    made = Category.objects.get(name="防火门")
    assert made.parent == cat("quality")
    assert made.trade == "windows"
    assert "防火门" in html(client.get(reverse("complaints:categories")))
    assert made in _intake_categories()


def _intake_categories():
    return list(
        IntakeForm(
            companies=Company.objects.all(),
            customers=Customer.objects.none(),
            projects=Project.objects.none(),
        )
        .fields["category"]
        .queryset
    )


def test_a_duplicate_or_third_level_category_is_refused(client, group_staff):
    client.force_login(group_staff)
    twice = client.post(
        reverse("complaints:categories"), {"parent": cat("quality").pk, "name": "渗漏"}
    )
    assert twice.status_code == 400
    assert "已有同名分类。" in html(twice)
    deep = client.post(
        reverse("complaints:categories"), {"parent": cat("quality-leak").pk, "name": "地漏"}
    )
    assert deep.status_code == 400  # not a choice: the second level has no children
    assert not Category.objects.filter(name="地漏").exists()


def test_company_staff_may_not_manage_categories(client, crm_a, manager_a):
    for user in (crm_a, manager_a):
        client.force_login(user)
        assert client.get(reverse("complaints:categories")).status_code == 403
        assert client.post(reverse("complaints:categories"), {"name": "乱加"}).status_code == 403
        edit = client.post(
            reverse("complaints:category_edit", args=[cat("quality-leak").pk]),
            {"name": "改名", "is_active": ""},
        )
        assert edit.status_code == 403
    assert not Category.objects.filter(name__in=["乱加", "改名"]).exists()
    assert cat("quality-leak").is_active


def test_a_deactivated_category_leaves_the_intake_but_stays_on_its_cases(
    client, group_staff, crm_a, company_a
):
    case = leak_case(crm_a, company_a)
    client.force_login(group_staff)
    response = client.post(
        reverse("complaints:category_edit", args=[cat("quality-leak").pk]),
        {"name": "渗漏水", "trade": "waterproofing"},  # "in use" not ticked
    )
    assert response.status_code == 302
    leak = cat("quality-leak")
    assert leak.name == "渗漏水" and not leak.is_active
    assert leak not in _intake_categories()
    case.refresh_from_db()
    assert case.category == leak
    client.force_login(crm_a)
    assert "渗漏水" in html(client.get(reverse("complaints:case", args=[case.pk])))


def test_deactivating_a_parent_takes_its_children_and_they_come_back_after_it(group_staff):
    kb.category_update(by=group_staff, category=cat("property"), is_active=False)
    assert not cat("property-fees").is_active
    with pytest.raises(Exception) as refused:
        kb.category_update(by=group_staff, category=cat("property-fees"), is_active=True)
    assert "请先恢复上级分类。" in str(refused.value)
    kb.category_update(by=group_staff, category=cat("property"), is_active=True)
    kb.category_update(by=group_staff, category=cat("property-fees"), is_active=True)
    assert cat("property-fees").is_active


# --- the API ----------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_authenticate(user)
    return client


def test_api_lists_published_articles_to_staff_paginated_and_filtered(
    group_staff, crm_a, handler_a
):
    article(group_staff)
    article(group_staff, code="quality-windows", title="入户门变形", keywords="门锁")
    article(group_staff, title="草稿", is_published=False)
    for reader in (crm_a, handler_a):
        body = api(reader).get("/api/v1/knowledge/").json()
        assert body["count"] == 2
        assert {row["title"] for row in body["results"]} == {"卫生间渗水到楼下", "入户门变形"}
    by_category = api(crm_a).get("/api/v1/knowledge/", {"category": cat("quality").pk}).json()
    assert by_category["count"] == 2
    by_text = api(crm_a).get("/api/v1/knowledge/", {"q": "门锁"}).json()
    assert [row["title"] for row in by_text["results"]] == ["入户门变形"]
    assert by_text["results"][0]["category_name"] == "门窗"
    assert api(group_staff).get("/api/v1/knowledge/").json()["count"] == 3


def test_api_writes_are_for_group_staff(group_staff, crm_a):
    draft = article(group_staff, is_published=False)
    assert api(crm_a).get(f"/api/v1/knowledge/{draft.pk}/").status_code == 404
    payload = {"title": "电梯困人", "problem": "电梯困人", "answer": "请按紧急呼叫按钮。"}
    refused = api(crm_a).post("/api/v1/knowledge/", payload, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有集团客服可以修改此项。"
    made = api(group_staff).post(
        "/api/v1/knowledge/", {**payload, "is_published": True}, format="json"
    )
    assert made.status_code == 201
    assert made.json()["is_published"] is True
    bad = api(group_staff).post("/api/v1/knowledge/", {**payload, "answer": " "}, format="json")
    assert bad.status_code == 400
    changed = api(group_staff).patch(
        f"/api/v1/knowledge/{made.json()['id']}/", {"title": "电梯困人处理"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["title"] == "电梯困人处理"
    assert Article.objects.filter(title="电梯困人").count() == 0
