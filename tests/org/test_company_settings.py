"""The settings registry: declared defaults, group defaults, company overrides, bounds,
the cache, and the pages generated from the registry (docs/decisions/0018)."""

import decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import DomainEvent
from org import company_settings as cs
from org import events as org_events
from org.models import CompanySetting, Role
from org.scoping import OutOfScope, RoleRequired
from org.services import setting_clear, setting_set, settings_save
from tests.factories import CompanyFactory, make_staff

pytestmark = pytest.mark.django_db

WINDOW = "cancellation_window_days"
WARRANTY = "warranty_years"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def scratch():
    """Settings of the other kinds, as a later app would declare them."""
    declared = [
        cs.Setting("t_ratio", "Points per yuan", cs.DECIMAL, decimal.Decimal("0.5"), minimum=0),
        cs.Setting("t_flag", "Send reminders", cs.BOOL, True),
        cs.Setting(
            "t_mode",
            "Reminder channel",
            cs.CHOICE,
            "sms",
            choices=(("sms", "SMS"), ("mail", "Mail")),
        ),
        cs.Setting("t_sla", "Reply within", cs.INT, 24, unit=cs.HOURS, overridable=False),
    ]
    for setting in declared:
        cs.register(setting)
    yield {s.key: s for s in declared}
    for setting in declared:
        cs.unregister(setting.key)


def _login(client, user):
    client.force_login(user, backend="accounts.backends.UsernameOrMobileBackend")


# --- effective(): value and source ----------------------------------------------------


def test_value_comes_from_declared_default_then_group_then_company(company_a, group_staff, crm_a):
    first = cs.effective(company_a, WINDOW)
    assert (first.value, first.source, str(first.source_label)) == (
        3,
        "default",
        "declared default",
    )
    setting_set(company=None, key=WINDOW, value=5, by=group_staff)
    group = cs.effective(company_a, WINDOW)
    assert (group.value, group.source, str(group.source_label)) == (5, "group", "group default")
    setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)
    own = cs.effective(company_a, WINDOW)
    assert (own.value, own.source, str(own.source_label)) == (7, "company", "company setting")
    assert own.display == "7 days"
    setting_clear(company=company_a, key=WINDOW, by=crm_a)
    assert cs.effective(company_a, WINDOW).source == "group"


def test_warm_cache_answers_without_a_query(company_a, crm_a, django_assert_num_queries):
    setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)
    cs.effective(company_a, WINDOW)  # warms the cache
    with django_assert_num_queries(0):
        value = cs.effective(company_a, WINDOW)
        assert cs.effective(company_a.pk, WARRANTY).value == 2
    assert (value.value, value.source) == (7, "company")


def test_a_change_reaches_every_cached_company(company_a, company_b, group_staff, crm_a):
    cs.effective_many([company_a, company_b], WARRANTY)  # both cached
    setting_set(company=None, key=WARRANTY, value=3, by=group_staff)
    setting_set(company=company_a, key=WARRANTY, value=5, by=crm_a)
    found = cs.effective_many([company_a, company_b], WARRANTY)
    assert (found[company_a.pk].value, found[company_a.pk].source) == (5, "company")
    assert (found[company_b.pk].value, found[company_b.pk].source) == (3, "group")


def test_many_companies_cost_one_query_cold_and_none_warm(
    company_a, company_b, django_assert_num_queries
):
    others = [CompanyFactory() for _n in range(5)]
    companies = [company_a, company_b, *others]
    with django_assert_num_queries(1):
        found = cs.effective_many(companies, WARRANTY)
    with django_assert_num_queries(0):
        cs.effective_many(companies, WARRANTY)
        cs.effective_many(companies, WINDOW)
    assert {e.value for e in found.values()} == {2}


def test_a_stored_value_the_declaration_no_longer_accepts_is_not_used(company_a):
    # e.g. a 1-year warranty stored before the statutory minimum was declared
    CompanySetting.objects.create(company=company_a, key=WARRANTY, value=1)
    value = cs.effective(company_a, WARRANTY)
    assert (value.value, value.source) == (2, "default")


def test_company_value_of_a_group_only_setting_is_not_used(company_a, scratch):
    CompanySetting.objects.create(company=company_a, key="t_sla", value=48)
    assert cs.effective(company_a, "t_sla").source == "default"


# --- services: bounds, types, who ------------------------------------------------------


def test_below_the_statutory_minimum_is_refused_naming_the_bound(company_a, crm_a):
    with pytest.raises(ValidationError) as refused:
        setting_set(company=company_a, key=WARRANTY, value=1, by=crm_a)
    message = refused.value.message_dict[WARRANTY][0]
    assert message == (
        "General warranty must be at least 2 years (the statutory minimum for decoration,"
        " electrical and plumbing work)."
    )
    assert not CompanySetting.objects.exists()


def test_above_the_maximum_and_wrong_types_are_refused(company_a, crm_a, scratch):
    with pytest.raises(ValidationError) as refused:
        setting_set(company=company_a, key=WINDOW, value=31, by=crm_a)
    assert refused.value.message_dict[WINDOW] == [
        "No-questions cancellation window must be at most 30 days."
    ]
    with pytest.raises(ValidationError) as refused:
        setting_set(company=company_a, key=WINDOW, value="soon", by=crm_a)
    assert refused.value.message_dict[WINDOW] == ["Enter a whole number."]
    for key, bad in (("t_ratio", "a lot"), ("t_ratio", -1), ("t_flag", "yes"), ("t_mode", "fax")):
        with pytest.raises(ValidationError):
            setting_set(company=company_a, key=key, value=bad, by=crm_a)
    assert not CompanySetting.objects.exists()


def test_decimal_bool_and_choice_settings_round_trip(company_a, crm_a, scratch):
    setting_set(company=company_a, key="t_ratio", value=decimal.Decimal("1.25"), by=crm_a)
    setting_set(company=company_a, key="t_flag", value=False, by=crm_a)
    setting_set(company=company_a, key="t_mode", value="mail", by=crm_a)
    assert cs.effective(company_a, "t_ratio").value == decimal.Decimal("1.25")
    assert cs.effective(company_a, "t_flag").value is False
    assert cs.effective(company_a, "t_flag").display == "No"
    assert cs.effective(company_a, "t_mode").display == "Mail"


def test_a_group_only_setting_is_refused_for_a_company(company_a, crm_a, group_staff, scratch):
    with pytest.raises(ValidationError) as refused:
        setting_set(company=company_a, key="t_sla", value=12, by=group_staff)
    assert "a company cannot change it" in refused.value.message_dict["t_sla"][0]
    setting_set(company=None, key="t_sla", value=12, by=group_staff)
    assert cs.effective(company_a, "t_sla").display == "12 hours"


def test_who_may_change_what(company_a, crm_a, crm_b, handler_a, manager_a, group_staff):
    with pytest.raises(OutOfScope):
        setting_set(company=company_a, key=WINDOW, value=5, by=crm_b)
    for user in (handler_a, manager_a):
        with pytest.raises(RoleRequired):
            setting_set(company=company_a, key=WINDOW, value=5, by=user)
    with pytest.raises(RoleRequired):
        setting_set(company=None, key=WINDOW, value=5, by=crm_a)
    with pytest.raises(RoleRequired):
        setting_clear(company=None, key=WINDOW, by=crm_a)
    assert not CompanySetting.objects.exists()
    setting_set(company=company_a, key=WINDOW, value=5, by=group_staff)
    setting_set(company=company_a, key=WINDOW, value=6, by=crm_a)
    assert cs.effective(company_a, WINDOW).value == 6


def test_history_names_who_changed_it_and_change_is_published(
    company_a, crm_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)
        setting_set(company=company_a, key=WINDOW, value=7, by=crm_a)  # unchanged: nothing
    assert [h.history_user for h in row.history.all()] == [crm_a]
    events = DomainEvent.objects.filter(name=org_events.COMPANY_SETTING_CHANGED)
    assert [e.payload for e in events] == [{"company_id": company_a.pk, "key": WINDOW}]


def test_several_at_once_is_all_or_nothing(company_a, crm_a):
    with pytest.raises(ValidationError) as refused:
        settings_save(
            company=company_a, values={WINDOW: 7, WARRANTY: 1, "move_in_lead_days": 400}, by=crm_a
        )
    assert set(refused.value.message_dict) == {WARRANTY, "move_in_lead_days"}
    assert not CompanySetting.objects.exists()


# --- the pages -------------------------------------------------------------------------


def test_company_page_is_generated_from_the_registry(client, crm_a, company_a, scratch):
    _login(client, crm_a)
    page = client.get(reverse("org:company_settings", args=[company_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for setting in cs.registered():
        assert str(setting.label) in html
    assert 'name="warranty_years"' in html and 'min="2"' in html and 'max="10"' in html
    assert "the statutory minimum for decoration" in html
    assert 'aria-describedby="id_warranty_years_helptext"' in html
    assert 'id="id_warranty_years_helptext"' in html
    assert "3 days" in html and "declared default" in html
    assert 'name="t_sla"' in html and "disabled" in html.split('name="t_sla"')[1].split(">")[0]


def test_company_saves_an_override_and_clears_it(client, crm_a, company_a, group_staff):
    setting_set(company=None, key=WINDOW, value=5, by=group_staff)
    _login(client, crm_a)
    url = reverse("org:company_settings", args=[company_a.pk])
    response = client.post(url, {WINDOW: "7", "move_in_lead_days": "", WARRANTY: ""})
    assert response.status_code == 302
    assert (cs.effective(company_a, WINDOW).value, cs.effective(company_a, WINDOW).source) == (
        7,
        "company",
    )
    html = client.get(url).content.decode()
    assert "7 days" in html and "company setting" in html and "without this value: 5 days" in html
    response = client.post(url, {"clear": WINDOW}, follow=True)
    assert "follows the group default again" in response.content.decode()
    assert cs.effective(company_a, WINDOW).source == "group"


def test_page_refuses_a_value_outside_the_bounds(client, crm_a, company_a):
    _login(client, crm_a)
    response = client.post(
        reverse("org:company_settings", args=[company_a.pk]),
        {WINDOW: "0", WARRANTY: "1", "move_in_lead_days": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "No-questions cancellation window must be at least 1 day." in html
    assert "General warranty must be at least 2 years" in html
    assert 'value="1"' in html  # what was typed is kept
    assert not CompanySetting.objects.exists()


def test_page_in_chinese(client, crm_a, company_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    _login(client, crm_a)
    response = client.post(
        reverse("org:company_settings", args=[company_a.pk]),
        {WINDOW: "", WARRANTY: "1", "move_in_lead_days": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    html = response.content.decode()
    assert "法定最低" in html and "2 年" in html


def test_group_defaults_page_is_for_group_staff(client, group_staff, crm_a, company_a):
    _login(client, crm_a)
    assert client.get(reverse("org:group_settings")).status_code == 403
    assert client.post(reverse("org:group_settings"), {WINDOW: "9"}).status_code == 403
    client.logout()
    _login(client, group_staff)
    response = client.post(
        reverse("org:group_settings"), {WINDOW: "9", WARRANTY: "", "move_in_lead_days": ""}
    )
    assert response.status_code == 302
    assert (cs.effective(company_a, WINDOW).value, cs.effective(company_a, WINDOW).source) == (
        9,
        "group",
    )
    assert client.get(reverse("org:settings_home")).url == reverse("org:group_settings")


def test_other_company_is_404_and_other_roles_403(
    client, crm_b, handler_a, manager_a, crm_a, company_a
):
    url = reverse("org:company_settings", args=[company_a.pk])
    _login(client, crm_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {WINDOW: "9"}).status_code == 404
    for user in (handler_a, manager_a):
        client.logout()
        _login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"clear": WINDOW}).status_code == 403
    assert not CompanySetting.objects.exists()
    client.logout()
    _login(client, crm_a)
    assert client.get(reverse("org:settings_home")).url == url


def test_a_posted_value_for_a_group_only_setting_is_ignored(client, crm_a, company_a, scratch):
    _login(client, crm_a)
    response = client.post(
        reverse("org:company_settings", args=[company_a.pk]), {"t_sla": "1", WINDOW: ""}
    )
    assert response.status_code == 302
    assert not CompanySetting.objects.exists()


def test_company_page_linked_from_the_company_for_its_crm_staff(client, crm_a, company_a):
    other = make_staff(Role.HANDLER, company_a)
    settings_url = reverse("org:company_settings", args=[company_a.pk])
    _login(client, crm_a)
    assert (
        settings_url
        in client.get(reverse("org:company_detail", args=[company_a.pk])).content.decode()
    )
    client.logout()
    _login(client, other)
    assert (
        settings_url
        not in client.get(reverse("org:company_detail", args=[company_a.pk])).content.decode()
    )
