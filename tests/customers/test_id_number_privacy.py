"""Defect: company staff recovered full ID numbers. The old mask (4403**********979X)
plus the birthday shown in clear left about nine candidates, and the search said which
one was right. These tests play that attack through every page and API door a
company CRM member has and check that the true number answers exactly like a wrong
one; group staff still see the number through the recorded reveal."""

import datetime
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import Customer, IdReveal
from customers.services import customer_create
from customers.validators import CHECK, WEIGHTS, make_id_number

from .factories import CustomerFactory

pytestmark = pytest.mark.django_db

TRUE_NUMBER = make_id_number("44030519850314261")
ROW = re.compile(r'href="/customers/(\d+)/"')


def candidates(true_number: str) -> list[str]:
    """What the old mask and the birthday left open: the two county digits, the rest
    given, the check digit as shown. About 9 numbers, one of them right."""
    found = []
    for county in range(100):
        prefix = f"{true_number[:4]}{county:02d}{true_number[6:17]}"
        total = sum(int(d) * w for d, w in zip(prefix, WEIGHTS, strict=True))
        if CHECK[total % 11] == true_number[17]:
            found.append(prefix + CHECK[total % 11])
    return found


@pytest.fixture
def victim(company_a):
    return CustomerFactory(
        company=company_a,
        name="李四",
        id_number=TRUE_NUMBER,
        birthday=datetime.date(1985, 3, 14),
        gender="M",
    )


@pytest.fixture
def guesses(victim):
    found = candidates(TRUE_NUMBER)
    assert TRUE_NUMBER in found and len(found) > 3
    return found


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(html: str) -> list[str]:
    return sorted(set(ROW.findall(html)))


def test_the_mask_shows_no_digit_of_the_number(client, crm_a, victim):
    client.force_login(crm_a)
    page = client.get(reverse("customers:detail", args=[victim.pk])).content.decode()
    body = api(crm_a).get(f"/api/v1/customers/{victim.pk}/").json()
    assert body["id_number"] == "*" * 18
    assert victim.id_number_masked == "*" * 18 and victim.id_number_masked in page
    # The birthday stays visible; nothing of the number does (not even its last four).
    assert "1985-03-14" in body["birthday"]
    for part in (TRUE_NUMBER[:4], TRUE_NUMBER[-4:], TRUE_NUMBER[6:14]):
        assert part not in page.replace("1985-03-14", "")


def test_search_answers_every_guess_alike_on_the_page_and_the_api(client, crm_a, victim, guesses):
    client.force_login(crm_a)
    answers = set()
    for guess in guesses:
        for text in (guess, guess.lower(), guess[:17], guess[:12], guess[:6]):
            page = client.get(reverse("customers:list"), {"q": text})
            found = api(crm_a).get("/api/v1/customers/", {"q": text}).json()
            answers.add(
                (page.status_code, tuple(rows(page.content.decode())), found["count"], len(text))
            )
    # One answer per length of what was typed: the true number is not told apart.
    assert len(answers) == len({len(t) for t in (guesses[0], guesses[0][:17], "x" * 12, "x" * 6)})
    assert all(count == 0 and not shown for _s, shown, count, _n in answers)


def test_a_full_id_number_in_the_search_box_says_who_may_search_by_it(client, crm_a, victim):
    client.force_login(crm_a)
    page = client.get(reverse("customers:list"), {"q": TRUE_NUMBER}).content.decode()
    assert 'data-testid="id-search-refused"' in page


def test_segments_and_exports_answer_every_guess_alike(client, crm_a, company_a, victim, guesses):
    client.force_login(crm_a)
    answers = set()
    for guess in guesses:
        count = client.get(
            reverse("customers:segment_count"), {"company": company_a.pk, "q": guess}
        ).content.decode()
        export = client.get(reverse("customers:export"), {"q": guess, "format": "csv"})
        lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
        answers.add((re.sub(r"\s+", " ", count), export.status_code, len(lines)))
    assert len(answers) == 1


def test_duplicate_report_does_not_pair_a_typed_guess_with_the_record(
    client, crm_a, group_staff, company_a, victim, guesses
):
    for n, guess in enumerate(guesses):
        customer_create(
            company=company_a, by=crm_a, name=f"测试{n}", mobile=f"1390000{n:04d}", id_number=guess
        )
    client.force_login(crm_a)
    page = client.get(reverse("customers:duplicates")).content.decode()
    assert str(victim.pk) not in rows(page)
    # The rule still works for the staff who may reveal numbers.
    client.force_login(group_staff)
    assert str(victim.pk) in rows(client.get(reverse("customers:duplicates")).content.decode())


def test_saving_a_guess_into_the_record_is_refused_alike(client, crm_a, victim, guesses):
    client.force_login(crm_a)
    history_url = reverse("customers:history", args=[victim.pk])
    answers = set()
    for guess in guesses:
        response = api(crm_a).patch(
            f"/api/v1/customers/{victim.pk}/", {"id_number": guess}, format="json"
        )
        answers.add((response.status_code, str(response.json())))
        client.post(
            reverse("customers:edit", args=[victim.pk]),
            {"name": victim.name, "mobile": victim.mobile, "id_number": guess, "source": "walk_in"},
        )
        history = client.get(history_url).content.decode()
        answers.add(("history", history.count("*" * 18), len(re.findall(r"\d{17}[\dX]", history))))
    assert len(answers) == 2  # one API refusal, one history: the same for every guess
    assert {a[0] for a in answers} == {400, "history"}
    victim.refresh_from_db()
    assert victim.id_number == TRUE_NUMBER


def test_company_staff_may_fill_in_a_missing_id_number(crm_a, company_a):
    customer = CustomerFactory(company=company_a, id_number="")
    response = api(crm_a).patch(
        f"/api/v1/customers/{customer.pk}/", {"id_number": TRUE_NUMBER}, format="json"
    )
    assert response.status_code == 200 and response.json()["id_number"] == "*" * 18
    customer.refresh_from_db()
    assert customer.id_number == TRUE_NUMBER


def test_company_staff_cannot_reveal_through_the_api(crm_a, victim):
    response = api(crm_a).post(f"/api/v1/customers/{victim.pk}/reveal-id/")
    assert response.status_code == 403
    assert TRUE_NUMBER not in response.content.decode()
    assert not IdReveal.objects.exists()


def test_group_staff_reveal_is_recorded_on_the_page_and_the_api(client, group_staff, victim):
    # The plain API read is masked for group staff too: only the reveal shows it.
    assert api(group_staff).get(f"/api/v1/customers/{victim.pk}/").json()["id_number"] == "*" * 18
    response = api(group_staff).post(f"/api/v1/customers/{victim.pk}/reveal-id/")
    assert response.status_code == 200 and response.json() == {"id_number": TRUE_NUMBER}
    client.force_login(group_staff)
    page = client.post(reverse("customers:id_reveal", args=[victim.pk])).content.decode()
    assert TRUE_NUMBER in page
    assert IdReveal.objects.filter(customer=victim, by=group_staff).count() == 2
    history = client.get(reverse("customers:history", args=[victim.pk])).content.decode()
    assert TRUE_NUMBER not in history  # the History tab lists the reveals, masked values


def test_group_staff_find_a_customer_by_the_whole_number_only(group_staff, victim):
    found = api(group_staff).get("/api/v1/customers/", {"q": TRUE_NUMBER}).json()
    assert [row["id"] for row in found["results"]] == [victim.pk]
    assert api(group_staff).get("/api/v1/customers/", {"q": TRUE_NUMBER[:12]}).json()["count"] == 0


def test_group_staff_may_replace_a_stored_number(group_staff, victim):
    other = make_id_number("11010519900307002")
    response = api(group_staff).patch(
        f"/api/v1/customers/{victim.pk}/", {"id_number": other}, format="json"
    )
    assert response.status_code == 200
    assert Customer.objects.get(pk=victim.pk).id_number == other
