"""Demo cases: for each company a year of cases from every channel, of every type and in
every state, made through the services (so each step is an event with its actor), some
breached and escalated. Idempotent: a company that has cases is left alone."""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from customers.models import Customer
from org.models import Company, Department

from . import services
from .models import Case, Category
from .services import sweep

PER_COMPANY = 60

# (category code, type, title, description)
PROBLEMS = [
    ("quality-leak", "repair", "卫生间渗水", "楼下住户反映卫生间天花板渗水，怀疑防水层破损。"),
    ("quality-leak", "complaint", "外墙渗水第三次报修", "雨天客厅外墙渗水，已报修两次仍未解决。"),
    ("quality-crack", "repair", "客厅墙面开裂", "客厅与阳台交界处墙面出现约50厘米裂缝。"),
    ("quality-windows", "repair", "窗户关不严", "主卧窗户关闭不严，下雨进水，密封条老化。"),
    ("quality-windows", "complaint", "入户门变形", "入户门变形关不上，影响安全。"),
    ("quality-plumbing", "repair", "厨房下水堵塞", "厨房水槽下水缓慢，疑似管道堵塞。"),
    ("quality-plumbing", "repair", "插座无电", "次卧两个插座无电，空开正常。"),
    ("quality-hollow", "repair", "地砖空鼓", "客厅多块地砖敲击有空响。"),
    ("property-security", "complaint", "夜间门岗无人", "晚上十一点后小区东门门岗经常无人值守。"),
    ("property-cleaning", "complaint", "垃圾清运不及时", "楼下垃圾桶满溢两天无人清理，气味很大。"),
    ("property-parking", "consultation", "车位租赁咨询", "想了解地下车位的租赁价格和手续。"),
    ("property-fees", "consultation", "物业费标准", "询问本年度物业费收费标准及缴费方式。"),
    ("sales", "complaint", "学区承诺未兑现", "购房时承诺的配套学校至今未开工。"),
    ("facilities", "suggestion", "增加儿童游乐设施", "建议在中心花园增加儿童游乐设施。"),
    ("design", "suggestion", "增加非机动车充电桩", "建议在各楼栋增设电动自行车充电桩。"),
    ("other", "praise", "表扬维修师傅", "维修师傅上门及时、态度很好，特此表扬。"),
]
# The state each demo case is taken to, with weights.
ENDS = [
    ("received", 8),
    ("accepted", 8),
    ("dispatched", 12),
    ("in_progress", 10),
    ("resolved", 8),
    ("awaiting_visit", 10),
    ("closed", 34),
    ("reopened", 5),
    ("cancelled", 3),
]
ORDER = ["received", "accepted", "dispatched", "in_progress", "resolved", "awaiting_visit"]


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 210, 220)).save(out, format="JPEG")
    return SimpleUploadedFile("after.jpg", out.getvalue(), content_type="image/jpeg")


def seed(ctx):
    from .knowledge_demo import seed_articles

    seed_articles(ctx)  # the group's knowledge base, shared by every company
    rng = random.Random(20261202)
    categories = {c.code: c for c in Category.objects.all()}
    for company in Company.objects.order_by("code"):
        if Case.objects.filter(company=company).exists():
            continue
        crm = User.objects.filter(username=f"{company.code}_crm").first()
        engineer = User.objects.filter(username=f"{company.code}_engineer").first()
        property_staff = User.objects.filter(username=f"{company.code}_property").first()
        if crm is None or engineer is None:
            continue
        engineering = Department.objects.filter(company=company, kind="engineering").first()
        property_dept = Department.objects.filter(company=company, kind="property").first()
        owners = list(
            Customer.objects.filter(company=company, kind="owner", merged_into=None)
            .prefetch_related("ownerships__unit__building__project")
            .order_by("pk")[:200]
        )
        made = 0
        for n in range(PER_COMPANY):
            code, type_, title, text = rng.choice(PROBLEMS)
            customer = rng.choice(owners) if owners and rng.random() < 0.85 else None
            held = list(customer.ownerships.all()) if customer else []
            ownership = held[0] if held else None
            received = timezone.now() - datetime.timedelta(
                days=rng.choice([0, 0, 1, 2, 3, 5, 8, 14, 30, 60, 120, 200, 300]),
                hours=rng.randrange(0, 10),
            )
            case = services.case_create(
                company=company,
                by=crm,
                type=type_,
                channel=rng.choice(
                    ["hotline"] * 5 + ["walk_in", "email", "portal", "forum", "return_visit"]
                ),
                severity=rng.choice(["normal"] * 8 + ["serious", "group"]),
                category=categories.get(code),
                title=title,
                description=text,
                customer=customer,
                unit=ownership.unit if ownership else None,
                caller_name="" if customer else rng.choice(["陈先生", "林女士", "赵先生"]),
                caller_mobile="" if customer else f"1390000{n:04d}",
                received_at=received,
            )
            end = rng.choices([e for e, _w in ENDS], [w for _e, w in ENDS])[0]
            _take(case, end, rng, crm, engineer, property_staff, engineering, property_dept)
            made += 1
        counts = sweep.sla_sweep()
        ctx.say(f"  complaints: {company.name} +{made} cases, escalations {counts}")
    if ctx.scale > 1:  # benchmarks: scale × 100,000 cases in bulk
        from . import bulk

        bulk.seed(ctx)
    from .incident_demo import seed_incidents
    from .visit_demo import seed_demo_owner

    seed_incidents(ctx)  # group complaints: one being repaired, one resolved and visited
    seed_demo_owner(ctx)  # the owner portal with cases, one awaiting the return visit


def _take(case, end, rng, crm, engineer, property_staff, engineering, property_dept):
    """Walk the case through its life cycle up to `end`."""
    due = timezone.now() + datetime.timedelta(days=rng.choice([1, 2, 3]))
    if end == "cancelled":
        services.case_act(case=case, action="cancel", by=crm, reason="重复登记，已合并到原工单")
        return
    if case.type in ("consultation", "praise") and end not in ("received",):
        services.case_act(case=case, action="answer", by=crm, reason="已电话答复业主，业主表示认可")
        return
    if end == "received":
        return
    case = services.case_act(case=case, action="accept", by=crm)
    if end == "accepted":
        return
    is_property = case.category and case.category.code.startswith("property")
    handler = property_staff if is_property and property_staff else engineer
    department = property_dept if is_property and property_dept else engineering
    task = services.case_dispatch(
        case=case,
        by=crm,
        department=department,
        assignee=handler if rng.random() < 0.6 else None,
        due_at=due,
        instructions="请尽快联系业主上门处理",
    )
    if end == "dispatched":
        return
    task = services.task_act(task=task, action="start", by=handler)
    if end == "in_progress":
        return
    if case.type == Case.Type.REPAIR:
        services.task_photo_add(task=task, by=handler, upload=_photo())
    services.task_act(task=task, action="finish", by=handler, reason="已上门处理完毕，业主确认")
    case = Case.objects.get(pk=case.pk)
    if end == "resolved":
        return
    case = services.case_act(case=case, action="confirm", by=crm)
    if end == "awaiting_visit":
        return
    verdict = "dissatisfied" if end == "reopened" else rng.choice(["satisfied"] * 3 + ["basically"])
    services.case_act(
        case=case, action="visit", by=crm, verdict=verdict, reason="业主对处理结果表示认可"
    )
