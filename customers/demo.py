"""Demo customers: tens of thousands across the demo projects at every 6+2 step, with
visits, ownerships, revisits due, a few duplicates to merge, risk disclosures and
construction progress. `seed_demo --scale N` multiplies the prospects (benchmarks).

Volume rows are bulk-inserted (the services would take minutes for 20,000 rows and
the history of demo volume is noise); a few showcase customers per company go through
the services so their 360 page shows a full timeline, ticked work points and history.
Idempotent: customers are keyed by (company, mobile) and only missing ones are made."""

import datetime
import random

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from org.models import Company, Project, Unit

from .models import (
    Customer,
    LifecycleStep,
    Ownership,
    Tag,
    Visit,
    WorkPoint,
    WorkPointCheck,
)
from .search import initials_of, pinyin_of
from .services import revisits_sweep, step_for
from .validators import make_id_number

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕晓红玉兰文博子"
    "涵欣怡浩然宇轩梓萱思远雨桐一鸣佳琪俊杰嘉怡泽宇"
)
NEEDS = [
    "三房，学区优先",
    "改善型，四房大平层",
    "首套刚需，总价300万以内",
    "近地铁，两房",
    "带花园的首层",
    "父母同住，需电梯",
    "投资，看重租金回报",
    "南北通透，不要西晒",
]
OCCUPATIONS = [
    "教师",
    "医生",
    "工程师",
    "公务员",
    "企业主",
    "金融从业者",
    "设计师",
    "律师",
    "销售经理",
    "",
]
FAMILY = ["三口之家", "两口之家", "三代同堂", "单身", "二孩家庭", ""]
TAGS = ["改善型", "首置", "学区", "投资客", "老业主推荐", "VIP"]
PROSPECTS_PER_COMPANY = 6000
SOURCES = ["walk_in", "walk_in", "referral", "online", "hotline", "event", "agent"]


def seed(ctx):
    from .workpoints import ensure_default_workpoints

    ensure_default_workpoints()
    rng = random.Random(20261124)
    today = timezone.localdate()
    for company_index, company in enumerate(Company.objects.order_by("code")):
        tags = [Tag.objects.get_or_create(company=company, name=name)[0] for name in TAGS]
        projects = list(Project.objects.filter(company=company).order_by("code"))
        made = _owners(company, company_index, projects, rng, today)
        made += _prospects(company, company_index, projects, rng, ctx.scale)
        _tag_some(company, tags, rng)
        ctx.say(f"  customers: {company.name} +{made}")
    _showcase(ctx, today)
    _pending_cancellations()
    _duplicates(today)
    revisits_sweep(today=today)
    from .demo_disclosure import seed_disclosures

    seed_disclosures(ctx, list(Project.objects.order_by("code")))
    ctx.say(f"  customers: {Customer.objects.count()} in all")


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


# Valid mainland prefixes, one per company position: owners and prospects apart.
OWNER_PREFIXES = ("135", "136", "137", "138", "139", "147")
PROSPECT_PREFIXES = ("150", "151", "152", "153", "155", "156")


def _mobile(company_index, kind, n):
    prefixes = PROSPECT_PREFIXES if kind == "prospect" else OWNER_PREFIXES
    return f"+86{prefixes[company_index % len(prefixes)]}{n:08d}"


def _customer(company, mobile, rng, source, kind=Customer.Kind.PROSPECT):
    name = _name(rng)
    born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 40 * 365))
    has_id = rng.random() < 0.6
    gender = rng.choice(["F", "M"])
    return Customer(
        company=company,
        name=name,
        name_pinyin=pinyin_of(name),
        name_initials=initials_of(name),
        mobile=mobile,
        mobile_tail=mobile[-4:],
        gender=gender,
        birthday=born,
        id_number=make_id_number(f"440305{born:%Y%m%d}{rng.randrange(100, 999)}") if has_id else "",
        family_structure=rng.choice(FAMILY),
        occupation=rng.choice(OCCUPATIONS),
        budget=rng.choice(["200-300万", "300-500万", "500-800万", "800万以上", ""]),
        needs=rng.choice(NEEDS),
        source=source,
        kind=kind,
        marketing_consent=rng.random() < 0.55,
        consent_at=timezone.now() if rng.random() < 0.55 else None,
        consent_channel=rng.choice(["售楼处纸质", "小程序", "电话"]),
    )


def _missing(company, candidates):
    existing = set(
        Customer.objects.filter(
            company=company, mobile__in=[c.mobile for c in candidates]
        ).values_list("mobile", flat=True)
    )
    return [c for c in candidates if c.mobile not in existing]


def _owners(company, company_index, projects, rng, today):
    """Owners of ~70 % of the units; each project is at another point of its life:
    delivered long ago, delivered last year, delivering soon, under construction."""
    # Buildings are delivered in phases (分期), so every project has every step.
    plans = [
        (-365 * 6, "handed"),  # +1 after the warranty; four-year revisits due
        (-365 * 2 + 100, "handed"),  # 6 after the first year
        (-200, "handed"),  # 5 first months
        (40, "contracted"),  # 4 move-in soon
        (400, "contracted"),  # 3 waiting for delivery
        (700, "subscribed"),  # 2 signing
    ]
    candidates, units_of = [], {}
    seq = 0
    for p_index, project in enumerate(projects):
        units = Unit.objects.filter(building__project=project).select_related("building")
        units = units.order_by("pk")
        owned = set(
            Ownership.objects.filter(unit__building__project=project).values_list("unit", flat=True)
        )
        for unit in units:
            seq += 1
            # Decided by the unit alone, so a second run picks the same units.
            if unit.pk in owned or random.Random(unit.pk).random() > 0.7:
                continue
            customer = _customer(
                company,
                _mobile(company_index, "owner", seq),
                rng,
                rng.choice(SOURCES),
                Customer.Kind.OWNER,
            )
            candidates.append(customer)
            plan = plans[(int(unit.building.number) + p_index) % len(plans)]
            units_of[customer.mobile] = (unit, project, plan)
    new = _missing(company, candidates)
    Customer.objects.bulk_create(new, batch_size=2000)
    created = {
        c.mobile: c
        for c in Customer.objects.filter(company=company, mobile__in=[c.mobile for c in new])
    }
    ownerships, visits = [], []
    for mobile, customer in created.items():
        unit, project, (offset, stage) = units_of[mobile]
        due = today + datetime.timedelta(days=offset + rng.randrange(-30, 30))
        subscribed = min(due, today) - datetime.timedelta(days=rng.randrange(400, 900))
        contracted = subscribed + datetime.timedelta(days=rng.randrange(3, 30))
        handover = due if stage == "handed" and due <= today else None
        status = "handed_over" if handover else "contracted"
        if stage == "subscribed":
            subscribed, contracted, status = (
                today - datetime.timedelta(days=rng.randrange(0, 10)),
                None,
                "subscribed",
            )
        own = Ownership(
            customer=customer,
            unit=unit,
            subscribed_on=subscribed,
            contracted_on=contracted,
            price=round(float(unit.area or 90) * rng.uniform(38000, 72000), -3),
            delivery_due_on=due,
            handover_on=handover,
            warranty_start_on=handover,
            status=status,
        )
        ownerships.append(own)
        customer.step = step_for(customer, [own], today)
        visits.append(
            Visit(
                customer=customer,
                project=project,
                is_first=True,
                source=customer.source,
                needs=customer.needs,
                visited_at=_at(subscribed - datetime.timedelta(days=rng.randrange(1, 60))),
            )
        )
    Ownership.objects.bulk_create(ownerships, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    Customer.objects.bulk_update(list(created.values()), ["step"], batch_size=2000)
    _tick_some(company, [(c.pk, c.step) for c in created.values()], rng)
    return len(created)


def _prospects(company, company_index, projects, rng, scale):
    candidates = [
        _customer(
            company,
            _mobile(company_index, "prospect", n),
            rng,
            rng.choice(SOURCES),
        )
        for n in range(PROSPECTS_PER_COMPANY * scale)
    ]
    new = _missing(company, candidates)
    Customer.objects.bulk_create(new, batch_size=5000)
    created = Customer.objects.filter(
        company=company, mobile__in=[c.mobile for c in new]
    ).values_list("pk", "source", "needs")
    now = timezone.now()
    visits = [
        Visit(
            customer_id=pk,
            project=rng.choice(projects),
            is_first=True,
            source=source,
            needs=needs,
            visited_at=now
            - datetime.timedelta(days=rng.randrange(0, 720), hours=rng.randrange(0, 10)),
        )
        for pk, source, needs in created.iterator(chunk_size=5000)
    ]
    Visit.objects.bulk_create(visits, batch_size=5000)
    _tick_some(company, [(v.customer_id, LifecycleStep.VIEWING) for v in visits], rng)
    return len(visits)


def _tick_some(company, customers, rng):
    """Work points done for most new customers at their current step, so the 6+2
    overview shows the uneven paperwork a quarterly audit finds."""
    crm = User.objects.filter(memberships__company=company, memberships__role="company_crm").first()
    if crm is None:
        return
    points: dict = {}
    for point in WorkPoint.objects.filter(company=None, is_active=True):
        points.setdefault(point.step, []).append(point)
    now = timezone.now()
    checks = [
        WorkPointCheck(
            customer_id=pk,
            work_point=point,
            done_by=crm,
            done_at=now - datetime.timedelta(days=rng.randrange(0, 90)),
        )
        for pk, step in customers
        for point in points.get(step, [])
        if rng.random() < 0.65
    ]
    WorkPointCheck.objects.bulk_create(checks, batch_size=5000, ignore_conflicts=True)


def _tag_some(company, tags, rng):
    through = Customer.tags.through
    if through.objects.filter(tag__company=company).exists():
        return
    ids = list(Customer.objects.filter(company=company).values_list("pk", flat=True)[:3000])
    rows = [through(customer_id=pk, tag=rng.choice(tags)) for pk in ids if rng.random() < 0.3]
    through.objects.bulk_create(rows, ignore_conflicts=True)


def _showcase(ctx, today):
    """A few customers per company made through the services: full timelines."""
    from .services import ownership_contract, ownership_create, visit_register, workpoint_tick

    for company in Company.objects.order_by("code"):
        crm = User.objects.filter(
            memberships__company=company, memberships__role="company_crm"
        ).first()
        project = Project.objects.filter(company=company).order_by("code").last()
        if crm is None or project is None:
            continue
        mobile = f"+86186{company.pk:04d}0001"
        if Customer.objects.filter(company=company, mobile=mobile).exists():
            continue
        showcase = {"sz": "张三", "sh": "李四", "bj": "王五"}.get(company.code, "张三")
        result = visit_register(
            project=project, by=crm, name=showcase, mobile=mobile, needs="三房，学区，预算500万"
        )
        visit_register(
            project=project, by=crm, name=showcase, mobile=mobile, needs="带父母看样板间"
        )
        unit = (
            Unit.objects.filter(building__project=project, ownerships__isnull=True)
            .order_by("pk")
            .first()
        )
        if unit:
            own = ownership_create(
                customer=result.customer,
                unit=unit,
                by=crm,
                subscribed_on=today - datetime.timedelta(days=20),
                delivery_due_on=today + datetime.timedelta(days=400),
            )
            ownership_contract(
                ownership=own, contracted_on=today - datetime.timedelta(days=12), by=crm
            )
        # Ticked as the README says: the signing step's points and most of the current
        # step's (the one the 360 page's checklist shows), so the checklist is not empty.
        customer = Customer.objects.get(pk=result.customer.pk)
        for step, n in ((LifecycleStep.SIGNING, 2), (customer.step, 2)):
            for point in WorkPoint.objects.filter(company=None, step=step, is_active=True).order_by(
                "order", "pk"
            )[:n]:
                workpoint_tick(customer=customer, work_point=point, by=crm)
        # a prospect visiting today, for the tablet-form demo
        visit_register(project=project, by=crm, name="陈小明", mobile=f"+86186{company.pk:04d}0002")


PENDING_CANCELLATIONS = 2
CANCEL_REASONS = ["工作调动，需要退房", "家庭资金安排变化"]


def _pending_cancellations():
    """A few contracted units per company whose cancellation waits for the manager
    (requested by the company's CRM staff, so the manager may decide)."""
    from .services import ownership_cancel

    for company in Company.objects.order_by("code"):
        crm = User.objects.filter(
            memberships__company=company, memberships__role="company_crm"
        ).first()
        pending = Ownership.objects.filter(
            customer__company=company, status=Ownership.Status.CANCEL_PENDING
        )
        if crm is None or pending.exists():
            continue
        contracted = (
            Ownership.objects.filter(
                customer__company=company,
                customer__merged_into__isnull=True,
                status=Ownership.Status.CONTRACTED,
            )
            .exclude(customer__mobile__startswith="+86186")
            .select_related("customer__company")
            .order_by("pk")[:PENDING_CANCELLATIONS]
        )
        for ownership, reason in zip(contracted, CANCEL_REASONS, strict=False):
            ownership_cancel(ownership=ownership, by=crm, reason=reason)


def _duplicates(today):
    """A few pairs for the duplicate report: the same person typed twice."""
    for company in Company.objects.order_by("code"):
        owners = list(
            Customer.objects.filter(company=company, kind="owner")
            .exclude(id_number="")
            .filter(~Q(mobile__startswith="+86186"))
            .order_by("pk")[:3]
        )
        for n, original in enumerate(owners):
            mobile = f"+86187{company.pk:04d}{n:04d}"
            if Customer.objects.filter(company=company, mobile=mobile).exists():
                continue
            twin = Customer(
                company=company,
                name=original.name,
                mobile=mobile,
                id_number=original.id_number,
                source="import",
                needs=original.needs,
            )
            twin.save()
            unit = original.ownerships.first()
            if unit is not None:
                Ownership.objects.create(
                    customer=twin,
                    unit=unit.unit,
                    role="co_owner",
                    subscribed_on=unit.subscribed_on,
                    contracted_on=unit.contracted_on,
                    handover_on=unit.handover_on,
                    status=unit.status,
                    delivery_due_on=unit.delivery_due_on,
                )
                twin.kind = "co_owner"
                twin.step = original.step
                twin.save()


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
