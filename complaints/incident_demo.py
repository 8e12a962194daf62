"""Demo group complaints (群诉): for each company three incidents in the buildings with
the most owners, made through the services like every demo case (each step an event
with its actor): one building's leaking windows with ten owners still being repaired,
a garage roof leak of six owners resolved once with every return visit done, and a
lift that keeps stopping, just grouped and waiting to be dispatched.
Idempotent: a company that has a group complaint is left alone."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from org.models import Building, Company, Department

from . import services
from .models import Case, Category, Incident
from .services.incidents import incident_create, incident_link

# (category, type, title of the group complaint, what each owner says, owners, end)
INCIDENTS = [
    (
        "quality-windows",
        "complaint",
        "外窗渗水",
        "下雨时卧室外窗窗框渗水，窗台和墙面都湿了。",
        10,
        "in_progress",
    ),
    (
        "quality-leak",
        "complaint",
        "地下车库顶板渗水",
        "地下车库车位上方顶板滴水，车顶有水渍。",
        6,
        "visited",
    ),
    (
        "facilities",
        "complaint",
        "电梯频繁停运",
        "本周电梯已停运三次，老人上下楼很困难。",
        7,
        "received",
    ),
]
# What the owners of the resolved incident said on the return visit.
VERDICTS = ["satisfied", "satisfied", "basically", "satisfied", "satisfied", "basically"]


def seed_incidents(ctx) -> None:
    categories = {c.code: c for c in Category.objects.all()}
    for company in Company.objects.order_by("code"):
        if Incident.objects.filter(company=company).exists():
            continue
        crm = User.objects.filter(username=f"{company.code}_crm").first()
        engineer = User.objects.filter(username=f"{company.code}_engineer").first()
        engineering = Department.objects.filter(company=company, kind="engineering").first()
        if crm is None or engineer is None or engineering is None:
            continue
        buildings = list(
            Building.objects.filter(project__company=company)
            .annotate(owned=Count("units", filter=Q(units__ownerships__isnull=False)))
            .select_related("project")
            .order_by("-owned", "pk")[: len(INCIDENTS)]
        )
        made = []
        for building, spec in zip(buildings, INCIDENTS, strict=False):
            incident = _incident(building, spec, categories, crm, engineer, engineering)
            made.append(f"{incident.number} ({spec[4]})")
        if made:
            ctx.say(f"  complaints: {company.name} group complaints {', '.join(made)}")


def _complainants(building, count) -> list:
    """(customer or None, unit) for `count` owners of the building: owners on record
    first, then callers of units nobody owns on record yet."""
    found = []
    for unit in building.units.prefetch_related("ownerships__customer").order_by("code"):
        customers = [o.customer for o in unit.ownerships.all() if o.customer.merged_into_id is None]
        found.append((customers[0] if customers else None, unit))
    found.sort(key=lambda pair: pair[0] is None)
    return found[:count]


CALLERS = ["陈先生", "林女士", "赵先生", "黄女士", "吴先生", "周女士"]


def _incident(building, spec, categories, crm, engineer, engineering) -> Incident:
    code, type_, title, text, count, end = spec
    now = timezone.now()
    started = now - datetime.timedelta(days=21 if end == "visited" else 3)
    cases = []
    for n, (customer, unit) in enumerate(_complainants(building, count)):
        cases.append(
            services.case_create(
                company=building.project.company,
                by=crm,
                type=type_,
                channel="hotline" if n % 3 else "portal" if customer else "walk_in",
                severity="group",
                category=categories.get(code),
                title=f"{building.number}栋{title}",
                description=text,
                customer=customer,
                unit=unit,
                caller_name="" if customer else CALLERS[n % len(CALLERS)],
                caller_mobile="" if customer else f"13900{building.pk % 100:02d}{n:04d}",
                received_at=started + datetime.timedelta(hours=5 * n),
            )
        )
    lead, members = cases[0], cases[1:]
    lead = services.case_act(case=lead, action="accept", by=crm)
    incident = incident_create(
        case=lead,
        by=crm,
        title=f"{building.project.name}{building.number}栋{title}",
        description=f"{building.number}栋多户业主反映：{text}",
    )
    for member in members:
        incident_link(incident=incident, case=member, by=crm)
    if end == "received":
        return incident
    task = services.case_dispatch(
        case=lead,
        by=crm,
        department=engineering,
        assignee=engineer,
        due_at=now + datetime.timedelta(days=3),
        instructions="群诉：逐户排查，统一制定整改方案",
    )
    task = services.task_act(task=task, action="start", by=engineer)
    if end == "in_progress":
        return incident
    services.task_act(
        task=task, action="finish", by=engineer, reason="已统一更换防水层并逐户复查，无渗漏"
    )
    lead = services.case_act(case=Case.objects.get(pk=lead.pk), action="confirm", by=crm)
    for case, verdict in zip(cases, VERDICTS, strict=False):
        services.case_act(
            case=Case.objects.get(pk=case.pk),
            action="visit",
            by=crm,
            verdict=verdict,
            reason="业主确认已不再渗水" if verdict == "satisfied" else "基本满意，希望加强巡查",
        )
    return incident
