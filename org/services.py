"""Every write to the organisation: companies, departments, staff and their roles,
settings and the working calendar.

Each service checks the actor (`by`) first: a record outside their scope is
`OutOfScope` (404), a role that may not act is `RoleRequired` (403); a rule or an
input that does not hold is a `ValidationError` whose messages name the field. The
acting user is written on the history row (`_history_user`) so that the audit trail
knows who acted even outside a web request (API token, shell, tasks)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.phone import normalize_mobile
from events import bus

from . import company_settings, working_time
from . import events as org_events
from .models import Company, CompanySetting, Department, Group, Membership, Role, WorkingDay
from .scoping import RoleRequired, access_company, access_group_admin

COMPANY_FIELDS = ("name", "code", "city", "address", "hotline", "is_active")
DEPARTMENT_FIELDS = ("kind", "name")
STAFF_FIELDS = ("name", "mobile", "email")


def _save(obj, *, by, exclude=()):
    """Validate the row (field shapes, uniqueness) and save it, recording `by`."""
    obj.full_clean(exclude=exclude)
    obj._history_user = by
    obj.save()
    return obj


def _apply(obj, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


# --- companies ---------------------------------------------------------------------


def company_create(
    *, by, name, code, city, address="", hotline="", is_active=True, group=None
) -> Company:
    """Group CRM staff open a city company (in the one group unless told otherwise)."""
    access_group_admin(by)
    with transaction.atomic():
        group = group or Group.objects.order_by("pk").first()
        if group is None:
            raise ValidationError(_("Set up the group before adding companies."))
        company = Company(
            group=group,
            name=name,
            code=code,
            city=city,
            address=address,
            hotline=hotline,
            is_active=is_active,
        )
        return _save(company, by=by)


def company_update(*, by, company, **fields) -> Company:
    """Group CRM staff change a company's data; others see it read-only."""
    access_company(by, company.pk)
    access_group_admin(by)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        _apply(company, fields, COMPANY_FIELDS)
        return _save(company, by=by)


# --- departments -------------------------------------------------------------------


def department_create(*, by, company, kind, name) -> Department:
    access_company(by, company.pk)
    access_group_admin(by)
    with transaction.atomic():
        return _save(Department(company=company, kind=kind, name=name), by=by)


def department_update(*, by, department, **fields) -> Department:
    access_company(by, department.company_id)
    access_group_admin(by)
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department.pk)
        _apply(department, fields, DEPARTMENT_FIELDS)
        return _save(department, by=by)


# --- staff -------------------------------------------------------------------------


def _normalised_mobile(raw):
    if not raw:
        return None
    mobile = normalize_mobile(raw)
    if mobile is None:
        raise ValidationError({"mobile": _("Enter a valid mainland China mobile number.")})
    return mobile


def staff_create(*, by, username, password, name="", mobile=None, email="") -> User:
    """Group CRM staff create a staff login; roles are granted separately. Every
    problem with the input is reported at once, per field."""
    access_group_admin(by)
    user = User(
        username=username,
        name=name,
        mobile=_normalised_mobile(mobile),
        email=email or "",
        kind=User.Kind.STAFF,
    )
    errors = {}
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _save(user, by=by)


def staff_update(*, by, user, **fields) -> User:
    access_group_admin(by)
    if "mobile" in fields:
        fields["mobile"] = _normalised_mobile(fields["mobile"])
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.kind != User.Kind.STAFF:
            raise ValidationError(_("Only staff accounts are managed here."))
        _apply(user, fields, STAFF_FIELDS)
        return _save(user, by=by)


def staff_deactivate(*, by, user) -> User:
    """The person can no longer sign in; their roles stay, for the record and for a
    later reactivation. Nobody locks themselves out."""
    access_group_admin(by)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    return _staff_set_active(by=by, user=user, active=False)


def staff_reactivate(*, by, user) -> User:
    return _staff_set_active(by=by, user=user, active=True)


def _staff_set_active(*, by, user, active: bool) -> User:
    access_group_admin(by)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            raise ValidationError(
                _("This account is already active.")
                if active
                else _("This account is already inactive.")
            )
        user.is_active = active
        user._history_user = by
        user.save(update_fields=["is_active", "updated_at"])
        return user


# --- memberships -------------------------------------------------------------------


def membership_grant(*, by, user, role, company=None, department=None) -> Membership:
    """Give a staff member a role in a company (group CRM staff: in the group, no
    company). The department must belong to that company. A role removed earlier is
    given back on the same row, so its history stays in one place."""
    access_group_admin(by)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if user.kind != User.Kind.STAFF:
        raise ValidationError(_("Only staff accounts can have roles."))
    if role == Role.GROUP_CRM:
        company = department = None
    elif company is None:
        raise ValidationError({"company": _("Choose the company for this role.")})
    if department is not None and department.company_id != company.pk:
        raise ValidationError({"department": _("The department must belong to the company.")})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(user=user, company=company, role=role)
            .first()
        )
        if membership is not None and membership.is_active:
            raise ValidationError(_("This person already has this role in this company."))
        if membership is None:
            membership = Membership(user=user, company=company, role=role)
        membership.department = department
        membership.is_active = True
        return _save(membership, by=by)


def membership_update(*, by, membership, department) -> Membership:
    """Move an active role to another department of the same company."""
    if membership.company_id:
        access_company(by, membership.company_id)
    access_group_admin(by)
    if department is not None and department.company_id != membership.company_id:
        raise ValidationError({"department": _("The department must belong to the company.")})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.is_active:
            raise ValidationError(_("This role was removed; grant it again instead."))
        membership.department = department
        return _save(membership, by=by)


def membership_revoke(*, by, membership) -> Membership:
    """Remove a role (the row stays, inactive, for the audit trail)."""
    if membership.company_id:
        access_company(by, membership.company_id)
    access_group_admin(by)
    if membership.user_id == by.pk and membership.role == Role.GROUP_CRM:
        raise ValidationError(_("You cannot remove your own group role."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if not membership.is_active:
            raise ValidationError(_("This role was already removed."))
        membership.is_active = False
        membership._history_user = by
        membership.save(update_fields=["is_active", "updated_at"])
        return membership


# --- settings (org.company_settings, docs/decisions/0018) ----------------------------


def access_settings_change(user, company) -> None:
    """Group defaults are for group CRM staff; a company's own values for its
    customer-relations staff (and group CRM staff). Another company's: 404."""
    if company is None:
        if not user.scope.sees_all:
            raise RoleRequired(_("Only group customer-relations staff may change the defaults."))
        return
    access_company(user, company.pk)
    if not user.scope.has_role(Role.COMPANY_CRM, company_id=company.pk):
        raise RoleRequired(_("Only customer-relations staff may change the company's settings."))


def _setting_for(company, key):
    setting = company_settings.get(key)
    if company is not None and not setting.overridable:
        raise ValidationError(
            {
                key: _("%(label)s is set by the group; a company cannot change it.")
                % {"label": setting.label}
            }
        )
    return setting


def _setting_changed(company, key, by) -> None:
    company_id = company.pk if company is not None else None
    company_settings.invalidate(company_id)
    bus.publish(org_events.COMPANY_SETTING_CHANGED, by=by, company_id=company_id, key=key)


@transaction.atomic
def setting_set(*, company, key, value, by) -> CompanySetting:
    """Store a company's own value (company=None: the group default) of a registered
    setting. Refused: a value of the wrong type or outside the declared bounds, and a
    company value of a setting the group alone decides. Apps that read the setting
    hear of the change after commit (org.events.COMPANY_SETTING_CHANGED)."""
    access_settings_change(by, company)
    setting = _setting_for(company, key)
    stored = setting.to_json(setting.clean(value))
    if company is not None:
        Company.objects.select_for_update().get(pk=company.pk)  # one writer per company
    row = CompanySetting.objects.select_for_update().filter(company=company, key=key).first()
    if row is not None and setting.accepts(row.value) == setting.accepts(stored):
        return row
    row = row or CompanySetting(company=company, key=key)
    row.value = stored
    row._history_user = by
    row.save()
    _setting_changed(company, key, by)
    return row


@transaction.atomic
def setting_clear(*, company, key, by) -> None:
    """Drop the stored value: the company follows the group default again (the group:
    the declared default)."""
    access_settings_change(by, company)
    company_settings.get(key)
    row = CompanySetting.objects.select_for_update().filter(company=company, key=key).first()
    if row is None:
        return
    row._history_user = by
    row.delete()
    _setting_changed(company, key, by)


@transaction.atomic
def settings_save(*, company, values: dict, by) -> None:
    """Several settings at once (the settings page): None clears a value. All or
    nothing: every refusal is reported, by setting, and nothing is stored."""
    access_settings_change(by, company)
    errors = {}
    for key, value in values.items():
        try:
            if value is None:
                setting_clear(company=company, key=key, by=by)
            else:
                setting_set(company=company, key=key, value=value, by=by)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


# --- the working calendar (org.working_time, docs/decisions/0023) ---------------------


def access_calendar_read(user, company) -> None:
    """A company's calendar: its customer-relations staff and managers (and group CRM
    staff); the group-wide entries alone: group CRM staff. Another company's: 404."""
    if company is None:
        if not user.scope.sees_all:
            raise RoleRequired(_("Only group customer-relations staff may open this calendar."))
        return
    access_company(user, company.pk)
    if not user.scope.has_role(Role.COMPANY_CRM, Role.MANAGER, company_id=company.pk):
        raise RoleRequired(_("The working calendar is for customer-relations staff and managers."))


def access_calendar_change(user, company) -> None:
    """Group-wide entries: group CRM staff; a company's own: its customer-relations
    staff (and group CRM staff). Another company's: 404."""
    if company is None:
        if not user.scope.sees_all:
            raise RoleRequired(
                _("Only group customer-relations staff may change the group-wide calendar.")
            )
        return
    access_company(user, company.pk)
    if not user.scope.has_role(Role.COMPANY_CRM, company_id=company.pk):
        raise RoleRequired(
            _("Only customer-relations staff may change the company's working calendar.")
        )


def _calendar_changed(company_id, date, by) -> None:
    working_time.invalidate(company_id)
    bus.publish(
        org_events.WORKING_CALENDAR_CHANGED, by=by, company_id=company_id, date=date.isoformat()
    )


def _check_entry(company, date, is_working) -> None:
    """The day may be entered: inside the editable range, not entered already, and the
    entry changes something (a day off on a day that is already off is refused)."""
    first, last = working_time.editable_range(timezone.localdate())
    if not first <= date <= last:
        raise ValidationError(
            {
                "date": _("Choose a day from %(first)s to %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()}
            }
        )
    if WorkingDay.objects.filter(company=company, date=date).exists():
        raise ValidationError(
            {
                "date": _("%(date)s already has an entry in this calendar; remove it first.")
                % {"date": date.isoformat()}
            }
        )
    # What applies without an entry at this level: the group's entry, else the official day.
    if company is not None:
        under = working_time.WorkingCalendar(None).day(date)
    else:
        under = working_time.official_day(date)
    if under.is_working == is_working:
        if is_working:
            message = _("%(date)s is already a working day (%(source)s).")
        else:
            message = _("%(date)s is already a day off (%(source)s).")
        source = under.source_label if not under.name else f"{under.source_label}: {under.name}"
        raise ValidationError(
            {"is_working": message % {"date": date.isoformat(), "source": source}}
        )


def working_day_add(*, company, date, is_working: bool, reason, by) -> WorkingDay:
    """Enter a day of the working calendar that differs from what applies to it: a local
    day off or extra working day of a company, or with company=None a group-wide one (for
    every company). Refused: a day outside the editable range, a day already entered
    here, and an entry that would change nothing. Deadlines counted from now on see it;
    apps that keep deadlines hear of it after commit (WORKING_CALENDAR_CHANGED)."""
    access_calendar_change(by, company)
    company_id = company.pk if company is not None else None
    with transaction.atomic():
        if company is not None:
            Company.objects.select_for_update().get(pk=company.pk)  # one writer per company
        _check_entry(company, date, is_working)
        entry = WorkingDay(
            company=company,
            date=date,
            is_working=is_working,
            reason=(reason or "").strip(),
            created_by=by,
        )
        try:
            with transaction.atomic():
                _save(entry, by=by)
        except IntegrityError:  # a group entry of the same day, entered at the same time
            raise ValidationError(
                {
                    "date": _("%(date)s already has an entry in this calendar; remove it first.")
                    % {"date": date.isoformat()}
                }
            ) from None
        _calendar_changed(company_id, date, by)
        return entry


def working_day_remove(*, entry, by) -> None:
    """Remove an entry: the day follows the group's entry or the official calendar
    again. The history keeps who entered and who removed it."""
    company = entry.company
    access_calendar_change(by, company)
    with transaction.atomic():
        row = WorkingDay.objects.select_for_update().filter(pk=entry.pk).first()
        if row is None:
            raise ValidationError(_("This entry was already removed."))
        row._history_user = by
        row.delete()
        _calendar_changed(row.company_id, row.date, by)
