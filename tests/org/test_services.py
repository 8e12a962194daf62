"""org.services: the one door for organisation changes — happy paths and refusals."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from org import services
from org.models import Company, Department, Membership, Role
from org.scoping import OutOfScope, RoleRequired
from tests.factories import DepartmentFactory, GroupFactory, UserFactory

STRONG = "Lotus-harbour-2026"


def _fresh(user):
    """The scope is cached per user object (per request in real life)."""
    return User.objects.get(pk=user.pk)


# --- companies ---------------------------------------------------------------------


@pytest.mark.smoke
def test_group_staff_create_a_company_and_history_names_them(group_staff):
    GroupFactory()
    company = services.company_create(
        by=group_staff, name="广州万科", code="gz", city="广州", hotline="020-1234"
    )
    assert company.pk and company.group.code == "vanke"
    record = company.history.get()
    assert record.history_type == "+" and record.history_user == group_staff


@pytest.mark.parametrize("user_fixture", ["crm_a", "manager_a", "handler_a"])
def test_only_group_staff_create_companies(db, request, user_fixture):
    GroupFactory()
    with pytest.raises(RoleRequired):
        services.company_create(
            by=request.getfixturevalue(user_fixture), name="广州万科", code="gz", city="广州"
        )
    assert not Company.objects.filter(code="gz").exists()


def test_company_code_must_be_unique(group_staff, company_a):
    with pytest.raises(ValidationError) as exc:
        services.company_create(by=group_staff, name="另一个", code=company_a.code, city="深圳")
    assert "code" in exc.value.message_dict


def test_company_update_changes_fields_and_records_who(group_staff, company_a):
    services.company_update(by=group_staff, company=company_a, hotline="0755-0000", city="深圳市")
    company_a.refresh_from_db()
    assert company_a.hotline == "0755-0000"
    latest = company_a.history.first()
    assert latest.history_type == "~" and latest.history_user == group_staff


def test_company_staff_cannot_update_their_own_company(crm_a, company_a):
    with pytest.raises(RoleRequired):
        services.company_update(by=crm_a, company=company_a, hotline="1")


def test_company_staff_updating_another_company_is_out_of_scope(crm_a, company_b):
    with pytest.raises(OutOfScope):
        services.company_update(by=crm_a, company=company_b, hotline="1")


def test_company_update_rejects_unknown_fields(group_staff, company_a):
    with pytest.raises(TypeError):
        services.company_update(by=group_staff, company=company_a, group=None)


# --- departments -------------------------------------------------------------------


def test_department_create_and_update(group_staff, company_a):
    department = services.department_create(
        by=group_staff, company=company_a, kind=Department.Kind.ENGINEERING, name="工程管理部"
    )
    services.department_update(by=group_staff, department=department, name="工程部")
    department.refresh_from_db()
    assert department.name == "工程部" and department.company == company_a


def test_department_name_is_unique_per_company(group_staff, company_a):
    DepartmentFactory(company=company_a, name="物业服务中心")
    with pytest.raises(ValidationError):
        services.department_create(
            by=group_staff, company=company_a, kind="property", name="物业服务中心"
        )


def test_department_refusals(crm_a, company_a, company_b):
    with pytest.raises(RoleRequired):
        services.department_create(by=crm_a, company=company_a, kind="crm", name="新部门")
    with pytest.raises(OutOfScope):
        services.department_create(by=crm_a, company=company_b, kind="crm", name="新部门")


# --- staff -------------------------------------------------------------------------


@pytest.mark.smoke
def test_staff_create_normalises_mobile_and_sets_password(group_staff):
    user = services.staff_create(
        by=group_staff,
        username="li.na",
        name="李娜",
        mobile="139 1234 5678",
        email="lina@example.com",
        password=STRONG,
    )
    assert user.mobile == "+8613912345678"
    assert user.kind == User.Kind.STAFF
    assert user.check_password(STRONG)
    assert user.history.get().history_user == group_staff


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mobile": "12345"}, "mobile"),
        ({"mobile": "010-12345678"}, "mobile"),  # a landline, not a mobile
        ({"username": "crm_a"}, "username"),
        ({"password": "123"}, "password"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_staff_create_bad_input(group_staff, crm_a, changes, field):
    data = {"username": "new.one", "name": "新人", "mobile": "", "password": STRONG, **changes}
    with pytest.raises(ValidationError) as exc:
        services.staff_create(by=group_staff, **data)
    assert field in exc.value.message_dict
    assert not User.objects.filter(username="new.one").exists()


def test_staff_create_reports_every_bad_field_at_once(group_staff, crm_a):
    with pytest.raises(ValidationError) as exc:
        services.staff_create(by=group_staff, username="crm_a", email="x", password="123")
    assert {"username", "email", "password"} <= exc.value.message_dict.keys()


def test_staff_create_duplicate_mobile(group_staff, crm_a):
    with pytest.raises(ValidationError) as exc:
        services.staff_create(by=group_staff, username="x", mobile=crm_a.mobile, password=STRONG)
    assert "mobile" in exc.value.message_dict


def test_only_group_staff_create_staff(crm_a):
    with pytest.raises(RoleRequired):
        services.staff_create(by=crm_a, username="x", password=STRONG)


def test_staff_update(group_staff, crm_a):
    services.staff_update(by=group_staff, user=crm_a, name="陈新", mobile="13700001111")
    crm_a.refresh_from_db()
    assert (crm_a.name, crm_a.mobile) == ("陈新", "+8613700001111")


def test_staff_update_refusals(group_staff, crm_a, handler_a):
    with pytest.raises(RoleRequired):
        services.staff_update(by=crm_a, user=handler_a, name="x")
    with pytest.raises(ValidationError):
        services.staff_update(by=group_staff, user=handler_a, mobile="999")


def test_staff_deactivate_and_reactivate(group_staff, crm_a):
    services.staff_deactivate(by=group_staff, user=crm_a)
    crm_a.refresh_from_db()
    assert not crm_a.is_active
    with pytest.raises(ValidationError):  # wrong state
        services.staff_deactivate(by=group_staff, user=crm_a)
    services.staff_reactivate(by=group_staff, user=crm_a)
    crm_a.refresh_from_db()
    assert crm_a.is_active


def test_nobody_deactivates_themselves(group_staff):
    with pytest.raises(ValidationError):
        services.staff_deactivate(by=group_staff, user=group_staff)


def test_only_group_staff_deactivate(crm_a, handler_a):
    with pytest.raises(RoleRequired):
        services.staff_deactivate(by=crm_a, user=handler_a)


# --- memberships -------------------------------------------------------------------


def test_membership_grant_gives_the_role_in_the_company(group_staff, company_a):
    person = UserFactory()
    department = DepartmentFactory(company=company_a)
    membership = services.membership_grant(
        by=group_staff, user=person, role=Role.MANAGER, company=company_a, department=department
    )
    assert membership.is_active and membership.department == department
    assert _fresh(person).scope.company_ids == {company_a.pk}


def test_group_role_has_no_company(group_staff, company_a):
    person = UserFactory()
    membership = services.membership_grant(
        by=group_staff, user=person, role=Role.GROUP_CRM, company=company_a
    )
    assert membership.company is None
    assert _fresh(person).scope.sees_all


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": Role.HANDLER, "company": None}, "company"),
        ({"role": "boss", "company": "A"}, "role"),
        ({"role": Role.HANDLER, "company": "A", "department": "B"}, "department"),
    ],
)
def test_membership_grant_bad_input(group_staff, world_a, world_b, kwargs, field):
    refs = {"A": world_a.company, "B": world_b.department}
    kwargs = {k: refs.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    with pytest.raises(ValidationError) as exc:
        services.membership_grant(by=group_staff, user=UserFactory(), **kwargs)
    assert field in exc.value.message_dict


def test_membership_grant_twice_is_refused(group_staff, crm_a, company_a):
    with pytest.raises(ValidationError):
        services.membership_grant(
            by=group_staff, user=crm_a, role=Role.COMPANY_CRM, company=company_a
        )


def test_revoked_role_is_given_back_on_the_same_row(group_staff, crm_a, company_a):
    membership = crm_a.memberships.get()
    services.membership_revoke(by=group_staff, membership=membership)
    assert not _fresh(crm_a).scope.company_ids
    again = services.membership_grant(
        by=group_staff, user=crm_a, role=Role.COMPANY_CRM, company=company_a
    )
    assert again.pk == membership.pk and again.is_active


def test_membership_refusals(crm_a, world_a, world_b):
    with pytest.raises(RoleRequired):
        services.membership_grant(
            by=crm_a, user=UserFactory(), role=Role.HANDLER, company=world_a.company
        )
    with pytest.raises(RoleRequired):
        services.membership_revoke(by=crm_a, membership=world_a.membership)
    with pytest.raises(OutOfScope):
        services.membership_revoke(by=crm_a, membership=world_b.membership)
    assert Membership.objects.filter(pk=world_b.membership.pk, is_active=True).exists()


def test_revoking_twice_is_refused(group_staff, world_a):
    services.membership_revoke(by=group_staff, membership=world_a.membership)
    with pytest.raises(ValidationError):
        services.membership_revoke(by=group_staff, membership=world_a.membership)


def test_group_staff_cannot_remove_their_own_group_role(group_staff):
    with pytest.raises(ValidationError):
        services.membership_revoke(by=group_staff, membership=group_staff.memberships.get())


def test_membership_update_moves_department_within_the_company(group_staff, world_a, world_b):
    other = DepartmentFactory(company=world_a.company)
    services.membership_update(by=group_staff, membership=world_a.membership, department=other)
    world_a.membership.refresh_from_db()
    assert world_a.membership.department == other
    with pytest.raises(ValidationError):
        services.membership_update(
            by=group_staff, membership=world_a.membership, department=world_b.department
        )
