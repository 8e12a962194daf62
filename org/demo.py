"""Demo organisation: one group, three city companies, nine projects, ~5,400 units,
departments and one staff login per role per company (see demo/people.py)."""

import datetime

from django.utils import timezone

from accounts.models import User
from demo.people import COMPANIES, DEMO_PASSWORD, DEPARTMENTS, GROUP, GROUP_STAFF, STAFF

from . import working_time
from .models import (
    Building,
    Company,
    Department,
    Group,
    Membership,
    Project,
    Role,
    Unit,
    WorkingDay,
)
from .services import working_day_add

BUILDINGS_PER_PROJECT = 6
ENTRANCES = ("1", "2")
FLOORS = (18, 26, 33)
LAYOUTS = [("两室两厅", 78.6), ("三室两厅", 98.2), ("四室两厅", 128.9), ("三室一厅", 89.5)]


def seed(ctx):
    group, _ = Group.objects.get_or_create(code=GROUP["code"], defaults={"name": GROUP["name"]})
    mobile_seq = iter(range(1, 10_000))
    _staff(GROUP_STAFF[0], GROUP_STAFF[1], next(mobile_seq), role=Role.GROUP_CRM)
    for spec in COMPANIES:
        company, _ = Company.objects.get_or_create(
            code=spec["code"],
            defaults={
                "group": group,
                "name": spec["name"],
                "city": spec["city"],
                "address": spec["address"],
                "hotline": spec["hotline"],
            },
        )
        departments = {}
        for kind, name in DEPARTMENTS:
            departments[kind], _ = Department.objects.get_or_create(
                company=company, name=name, defaults={"kind": kind}
            )
        for index, (code, name, district) in enumerate(spec["projects"]):
            project, _ = Project.objects.get_or_create(
                code=code, defaults={"company": company, "name": name, "district": district}
            )
            _units(project, floors=FLOORS[index % len(FLOORS)])
        for suffix, role, dept, names in STAFF:
            _staff(
                f"{company.code}_{suffix}",
                names[company.code],
                next(mobile_seq),
                role=role,
                company=company,
                department=departments[dept],
            )
    ctx.data["group"] = group
    _calendar_days()
    ctx.say(f"  org: {Company.objects.count()} companies, {Unit.objects.count()} units")


def _units(project, floors):
    for b in range(1, BUILDINGS_PER_PROJECT + 1):
        building, _ = Building.objects.get_or_create(
            project=project, number=str(b), defaults={"floors": floors}
        )
        if building.units.exists():
            continue
        units = []
        for entrance in ENTRANCES:
            for floor in range(2, floors + 1):
                for door in (1, 2):
                    number = f"{floor}{door:02d}"
                    layout, area = LAYOUTS[(floor + door) % len(LAYOUTS)]
                    units.append(
                        Unit(
                            building=building,
                            entrance=entrance,
                            floor=floor,
                            number=number,
                            code=Unit.make_code(building.number, entrance, number),
                            layout=layout,
                            area=area,
                        )
                    )
        Unit.objects.bulk_create(units, ignore_conflicts=True)


def _staff(username, name, seq, *, role, company=None, department=None):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "name": name,
            "mobile": f"+86139{seq:08d}",
            "email": f"{username}@vanke-crm.local",
            "kind": User.Kind.STAFF,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, company=company, role=role, defaults={"department": department}
    )
    return user


def _calendar_days():
    """Shenzhen's working calendar: a typhoon closed the offices on a working day of the
    last September, and a delivery weekend made a Saturday of the last June a working day."""
    company = Company.objects.filter(code=COMPANIES[0]["code"]).first()
    crm = User.objects.filter(username=f"{COMPANIES[0]['code']}_crm").first()
    if company is None or crm is None or WorkingDay.objects.filter(company=company).exists():
        return
    calendar = working_time.WorkingCalendar(company)
    typhoon = _first(_latest(9, 15), calendar.is_working_day)
    weekend = _first(
        _latest(6, 6),
        lambda day: day.weekday() == 5 and not calendar.is_working_day(day),
    )
    for day, is_working, reason in (
        (typhoon, False, "台风“海葵”红色预警，全市停工停课"),
        (weekend, True, "集中交付周末，客服中心照常上班"),
    ):
        working_day_add(company=company, date=day, is_working=is_working, reason=reason, by=crm)


def _latest(month, day) -> datetime.date:
    """The last `month`-`day` up to today."""
    today = timezone.localdate()
    date = datetime.date(today.year, month, day)
    return date if date <= today else date.replace(year=today.year - 1)


def _first(day, wanted):
    """The first day from `day` that is `wanted`."""
    while not wanted(day):
        day += datetime.timedelta(days=1)
    return day
