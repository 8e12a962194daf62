"""Demo risk disclosures (一公里公示) and construction progress (工程进度公示) per project,
written through the disclosure services by each company's CRM staff. Idempotent: a row
is keyed by (project, title), and the few demo pictures are drawn once and shared."""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from org.models import Role

from .models import ProgressMilestone, RiskItem
from .services import disclosure

K = RiskItem.Kind
# (kind, inside the site, title, distance in metres, description, published)
RISKS = [
    (
        K.SUBSTATION,
        False,
        "110kV变电站",
        420,
        "项目东北侧约420米处有一座已投入运行的110kV变电站，其架空线路沿市政道路敷设，"
        "不穿越项目用地。",
        True,
    ),
    (
        K.ROAD,
        False,
        "地铁高架",
        650,
        "项目南侧约650米为地铁高架段，列车运行时段（6:00–23:30）对南向高层住户有一定噪音影响。",
        True,
    ),
    (
        K.WASTE,
        False,
        "垃圾转运站",
        800,
        "项目西侧约800米有一座社区垃圾转运站，夏季刮西风时可能闻到异味。",
        True,
    ),
    (
        K.NOISE,
        False,
        "小学及运动场",
        180,
        "项目东侧约180米为公立小学，早操、课间及运动会广播可能对临近楼栋产生噪音。",
        True,
    ),
    (
        K.PLANNED,
        False,
        "规划中的加油站",
        350,
        "根据控制性详细规划，项目北侧道路对面地块规划为加油站，建设时间以政府安排为准。",
        False,
    ),
    (
        K.SUBSTATION,
        True,
        "小区内配电房",
        None,
        "小区内配电房位于5栋与6栋之间的地下一层，运行时有低频声响，已做隔音减振处理。",
        True,
    ),
    (
        K.INSIDE,
        True,
        "地库出入口正对3栋",
        15,
        "地下车库出入口位于3栋南侧约15米，车辆进出时对3栋低楼层有灯光和噪音影响。",
        True,
    ),
    (
        K.INSIDE,
        True,
        "垃圾收集点临近1栋",
        20,
        "小区垃圾分类收集点设于1栋西侧约20米，清运时间为每日7:00和19:00。",
        False,
    ),
]

# (title, percent, description) in construction order
MILESTONES = [
    ("土方开挖", 10, "基坑支护完成，土方开挖至设计标高。"),
    ("地下室结构完成", 30, "地下室底板、侧墙及顶板浇筑完成，防水施工完毕。"),
    ("主体封顶", 60, "全部楼栋主体结构封顶。"),
    ("外立面完成", 80, "外墙保温、真石漆及门窗安装完成，外架陆续拆除。"),
    ("园林施工", 90, "小区道路、景观绿化及室外管网施工中。"),
    ("竣工验收", 100, "通过五方主体竣工验收，准备交付。"),
]
DAYS_BETWEEN_MILESTONES = 75
PICTURE_COLOURS = {
    K.SUBSTATION: (120, 130, 150),
    K.ROAD: (150, 150, 160),
    K.WASTE: (120, 140, 100),
    K.NOISE: (200, 170, 120),
    K.PLANNED: (210, 200, 170),
    K.INSIDE: (170, 160, 150),
}


def seed_disclosures(ctx, projects) -> None:
    """Risk items and milestones for each project; a project further along gets more
    milestones. Some items and the newest milestone of some projects stay drafts."""
    risk_count = milestone_count = 0
    for index, project in enumerate(projects):
        by = _crm_staff(project.company)
        if by is None:
            ctx.say(f"  disclosure: no CRM staff in {project.company}, skipped {project}")
            continue
        risk_count += _risks(project, by, index)
        milestone_count += _milestones(project, by, index)
    ctx.say(f"  disclosure: {risk_count} risk items, {milestone_count} milestones added")


def _crm_staff(company):
    return (
        User.objects.filter(
            memberships__company=company,
            memberships__role=Role.COMPANY_CRM,
            memberships__is_active=True,
        )
        .order_by("pk")
        .first()
    )


def _risks(project, by, index) -> int:
    existing = set(RiskItem.objects.filter(project=project).values_list("title", flat=True))
    added = 0
    for kind, inside, title, distance, description, published in RISKS:
        if title in existing:
            continue
        if distance is not None and not inside:
            distance += (index * 37) % 90  # neighbourhoods differ a little
        item = disclosure.risk_item_create(
            project=project,
            by=by,
            kind=kind,
            inside_site=inside,
            title=title,
            distance_m=distance,
            description=description,
            picture=None if inside else _picture("risk", kind, PICTURE_COLOURS[kind], 0),
        )
        if published:
            disclosure.risk_item_publish(item=item, by=by)
        added += 1
    return added


def _milestones(project, by, index) -> int:
    reached = 2 + index % (len(MILESTONES) - 1)  # 2 … 6 milestones
    existing = set(
        ProgressMilestone.objects.filter(project=project).values_list("title", flat=True)
    )
    today = timezone.localdate()
    added = 0
    for step, (title, percent, description) in enumerate(MILESTONES[:reached]):
        if title in existing:
            continue
        milestone = disclosure.milestone_create(
            project=project,
            by=by,
            date=today - datetime.timedelta(days=DAYS_BETWEEN_MILESTONES * (reached - step) - 20),
            title=title,
            description=description,
            percent=percent,
            photo=_picture("progress", f"stage-{percent}", (110, 160, 210), percent),
        )
        newest = step == reached - 1
        if not (newest and index % 2):  # every other project has a draft newest milestone
            disclosure.milestone_publish(milestone=milestone, by=by)
        added += 1
    return added


def _picture(folder, name, colour, percent) -> str:
    """A small drawn illustration, stored once and shared by every demo row that uses it."""
    path = f"{folder}/demo/{name}.jpg"
    if default_storage.exists(path):
        return path
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (200, 225, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 400), fill=(140, 170, 120))
    if folder == "progress":  # the buildings rise with the progress
        for x in (80, 260, 440):
            height = 40 + int(220 * percent / 100)
            draw.rectangle((x, 300 - height, x + 120, 300), fill=colour, outline=(60, 60, 60))
    else:
        draw.rectangle((220, 150, 420, 300), fill=colour, outline=(60, 60, 60), width=3)
        draw.line((0, 120, 640, 90), fill=(80, 80, 80), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return default_storage.save(path, ContentFile(buffer.getvalue()))
