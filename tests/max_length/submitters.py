"""How a person submits each form and serializer: the page or endpoint, who, and valid
values for the other fields. Keyed by the class's dotted name."""

import datetime
import io
import itertools
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import OneTimeCode, hash_code
from customers.models import Customer, Ownership, RevisitTask, RiskItem
from tests.customers.factories import OwnershipFactory
from tests.factories import UnitFactory

OTP_CODE = "246810"


@dataclass
class World:
    """What the submissions need (made by the `world` fixture in conftest.py)."""

    company: object
    project: object
    building: object
    group: object
    crm: object
    customer: object
    department: object
    person: object
    owner: object
    risk: object
    milestone: object
    segment: object
    seq: itertools.count = field(default_factory=lambda: itertools.count(1))

    def unit(self):
        return UnitFactory(building=self.building)

    def mobile(self, n) -> str:
        return f"+86136{n:08d}"


def png_file(name) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def csv_file(name) -> SimpleUploadedFile:
    content = "姓名,手机\n张三,13700000001\n".encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _register_code(world, client, ctx):
    mobile = world.mobile(ctx.seq)
    _code(mobile, OneTimeCode.Purpose.REGISTER)
    session = client.session
    session["owner_register_mobile"] = mobile
    session.save()


def _login_code(world, client, ctx):
    _code(world.owner.mobile, OneTimeCode.Purpose.LOGIN)


def _code(mobile, purpose):
    OneTimeCode.objects.create(
        mobile=mobile,
        purpose=purpose,
        code_hash=hash_code(mobile, OTP_CODE),
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )


def _fresh_ownership(world, client, ctx):
    ctx.ownership = OwnershipFactory(
        customer=world.customer, unit=world.unit(), subscribed_on=timezone.localdate()
    )


def _fresh_case(world, client, ctx):
    from complaints.models import Case
    from complaints.services import case_create

    ctx.case = case_create(
        company=world.company,
        by=world.crm,
        type=Case.Type.COMPLAINT,
        channel=Case.Channel.HOTLINE,
        title="漏水",
        description="卫生间漏水",
        caller_name="陈先生",
    )


def _fresh_task(world, client, ctx):
    from complaints.services import case_dispatch

    _fresh_case(world, client, ctx)
    ctx.task = case_dispatch(
        case=ctx.case,
        by=world.crm,
        department=world.department,
        due_at=timezone.now() + datetime.timedelta(days=2),
    )


def _case_page(world, ctx) -> str:
    return reverse("complaints:case", args=[ctx.case.pk])


def _task_page(world, ctx) -> str:
    return reverse("complaints:task", args=[ctx.task.pk])


def _accepted_case(world, client, ctx):
    from complaints.services import case_act

    _fresh_case(world, client, ctx)
    ctx.case = case_act(case=ctx.case, action="accept", by=world.crm)


def _started_task(world, client, ctx):
    from complaints.services import task_act

    _fresh_task(world, client, ctx)
    ctx.task.assignee = world.person
    ctx.task.save(update_fields=["assignee"])
    ctx.task = task_act(task=ctx.task, action="start", by=world.person)


def _case_awaiting_visit(world, client, ctx):
    from complaints.models import Case

    _fresh_case(world, client, ctx)
    Case.objects.filter(pk=ctx.case.pk).update(status=Case.Status.AWAITING_VISIT)


def _fresh_consultation(world, client, ctx):
    from complaints.models import Case

    _fresh_case(world, client, ctx)
    Case.objects.filter(pk=ctx.case.pk).update(type=Case.Type.CONSULTATION)


def _dispatched_case(world, client, ctx):
    from complaints.models import Case, Task

    _fresh_task(world, client, ctx)
    Task.objects.filter(pk=ctx.task.pk).update(status=Task.Status.DONE)
    Case.objects.filter(pk=ctx.case.pk).update(status=Case.Status.IN_PROGRESS)


def _intake_kwargs(world) -> dict:
    from customers.models import Customer
    from org.models import Company, Project

    return {
        "companies": Company.objects.filter(pk=world.company.pk),
        "customers": Customer.objects.filter(company=world.company),
        "projects": Project.objects.filter(company=world.company),
    }


def _article_kwargs() -> dict:
    from complaints.models import Category

    return {"categories": Category.objects.all()}


def _category_kwargs() -> dict:
    from complaints.models import Category

    return {"parents": Category.objects.filter(parent__isnull=True)}


def _fresh_category(world, client, ctx):
    from complaints.models import Category

    ctx.category = Category.objects.create(name=f"待改分类{ctx.seq}", code=f"tmp-{ctx.seq}")


def _category_page(world, ctx) -> str:
    return reverse("complaints:category_edit", args=[ctx.category.pk])


def _queue_kwargs(world) -> dict:
    from accounts.models import User
    from org.models import Project

    return {"projects": Project.objects.all(), "colleagues": User.objects.all()}


def _dispatch_kwargs(world) -> dict:
    from accounts.models import User
    from org.models import Department

    return {"departments": Department.objects.all(), "handlers": User.objects.all()}


def _in_two_days() -> str:
    return (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def _fresh_revisit(world, client, ctx):
    today = timezone.localdate()
    ownership = OwnershipFactory(
        customer=world.customer,
        unit=world.unit(),
        status=Ownership.Status.HANDED_OVER,
        subscribed_on=today - datetime.timedelta(days=365 * 5),
        contracted_on=today - datetime.timedelta(days=365 * 5),
        handover_on=today - datetime.timedelta(days=365 * 4),
    )
    ctx.task = RevisitTask.objects.create(
        customer=world.customer, ownership=ownership, cycle=1, due_on=today
    )


def _fresh_unit(world, client, ctx):
    ctx.unit = world.unit()


def _a_working_day(world, n) -> str:
    """The n-th working day of the company from March next year (a day off may be
    entered on it): one fresh day per submission."""
    from org.working_time import WorkingCalendar

    calendar = WorkingCalendar(world.company)
    day = datetime.date(timezone.localdate().year + 1, 3, 1)
    while n:
        day += datetime.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day.isoformat()


@dataclass
class Submitter:
    """How a person submits one form or serializer: where, as whom, with which valid
    values for the other fields (fresh per submission: `ctx.seq` counts them)."""

    url: object  # (world, ctx) -> str
    user: str | None  # an attribute of World, or None for an anonymous visitor
    data: object  # (world, ctx) -> dict
    method: str = "post"
    form_kwargs: object = lambda world: {}
    prepare: object = None  # (world, client, ctx) -> None, before each submission
    # Some pages never save, whatever is typed (a wrong password signs nobody in).
    saves: bool = True
    # Fields whose value of the right length is still refused, and why.
    refuses: dict = field(default_factory=dict)
    # Fields typed twice (a password and its confirmation).
    together: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # file field -> (name -> upload)


def _customer_data(world, ctx) -> dict:
    return {
        "name": "王小明",
        "mobile": world.mobile(ctx.seq),
        "source": Customer.Source.WALK_IN,
        "marketing_consent": "",
    }


NO_MOBILE = "Chinese characters are no mobile number"
NO_ID = "an ID number has 17 digits and a check character"
NO_CODE = "a one-time code has six digits"
PLACES = "a code that names no unit is refused"

SUBMITTERS: dict[str, list[Submitter]] = {
    # accounts
    "accounts.forms.StaffAuthenticationForm": [
        Submitter(
            url=lambda w, c: reverse("accounts:login"),
            user=None,
            data=lambda w, c: {"username": "crm_a", "password": "not-the-password"},
            form_kwargs=lambda w: {"request": None},
            saves=False,
        )
    ],
    "accounts.forms.MobileForm": [
        Submitter(
            url=lambda w, c: reverse("accounts:owner_register"),
            user=None,
            data=lambda w, c: {"mobile": w.mobile(c.seq)},
            refuses={"mobile": NO_MOBILE},
        )
    ],
    "accounts.forms.OwnerRegisterForm": [
        Submitter(
            url=lambda w, c: reverse("accounts:owner_register_verify"),
            user=None,
            data=lambda w, c: {"code": OTP_CODE, "name": "业主", "password1": "", "password2": ""},
            prepare=_register_code,
            together={"password1": "password2", "password2": "password1"},
            refuses={"code": NO_CODE},
        )
    ],
    "accounts.forms.OwnerCodeLoginForm": [
        Submitter(
            url=lambda w, c: reverse("accounts:owner_login"),
            user=None,
            data=lambda w, c: {"action": "login", "mobile": w.owner.mobile, "code": OTP_CODE},
            prepare=_login_code,
            refuses={"mobile": NO_MOBILE, "code": NO_CODE},
        )
    ],
    "accounts.forms.OwnerPasswordLoginForm": [
        Submitter(
            url=lambda w, c: reverse("accounts:owner_login_password"),
            user=None,
            data=lambda w, c: {"mobile": w.owner.mobile, "password": "not-the-password"},
            saves=False,
        )
    ],
    # org
    "org.forms.CompanyForm": [
        Submitter(
            url=lambda w, c: reverse("org:company_create"),
            user="group",
            data=lambda w, c: {"name": f"测试公司{c.seq}", "code": f"c{c.seq}", "city": "深圳"},
        )
    ],
    "org.forms.CompanyEditForm": [
        Submitter(
            url=lambda w, c: reverse("org:company_edit", args=[w.company.pk]),
            user="group",
            data=lambda w, c: {"name": "深圳万科", "code": "sz", "city": "深圳", "is_active": "on"},
        )
    ],
    "org.forms.DepartmentForm": [
        Submitter(
            url=lambda w, c: reverse("org:department_create", args=[w.company.pk]),
            user="group",
            data=lambda w, c: {"kind": "crm", "name": f"部门{c.seq}"},
        ),
        Submitter(
            url=lambda w, c: reverse("org:department_edit", args=[w.department.pk]),
            user="group",
            data=lambda w, c: {"kind": "crm", "name": f"部门{c.seq}"},
        ),
    ],
    "org.forms.StaffCreateForm": [
        Submitter(
            url=lambda w, c: reverse("org:staff_create"),
            user="group",
            data=lambda w, c: {
                "username": f"staff{c.seq}",
                "name": "李雷",
                "mobile": "",
                "email": "",
                "password": "correct-horse-42x",
            },
            refuses={"mobile": NO_MOBILE},
        )
    ],
    "org.forms.StaffEditForm": [
        Submitter(
            url=lambda w, c: reverse("org:staff_edit", args=[w.person.pk]),
            user="group",
            data=lambda w, c: {"name": "韩梅梅", "mobile": "", "email": ""},
            refuses={"mobile": NO_MOBILE},
        )
    ],
    "org.forms.WorkingDayForm": [
        Submitter(
            url=lambda w, c: reverse("org:company_calendar", args=[w.company.pk]),
            user="crm",
            data=lambda w, c: {"date": _a_working_day(w, c.seq), "is_working": "off"},
        )
    ],
    "org.forms.StaffFilterForm": [
        Submitter(
            url=lambda w, c: reverse("org:staff_list"),
            user="group",
            method="get",
            data=lambda w, c: {},
        )
    ],
    # customers
    "customers.forms.VisitForm": [
        Submitter(
            url=lambda w, c: reverse("customers:visit_register"),
            user="crm",
            data=lambda w, c: {
                "project": w.project.pk,
                "name": "王小明",
                "mobile": w.mobile(c.seq),
                "source": Customer.Source.WALK_IN,
                "needs": "",
                "companions": 0,
                "companions_note": "",
            },
            form_kwargs=lambda w: {"user": w.crm},
            refuses={"mobile": NO_MOBILE},
        )
    ],
    "customers.forms.CustomerForm": [
        Submitter(
            url=lambda w, c: reverse("customers:create") + f"?company={w.company.pk}",
            user="crm",
            data=_customer_data,
            form_kwargs=lambda w: {"company": w.company},
            refuses={"mobile": NO_MOBILE, "id_number": NO_ID},
        ),
        Submitter(
            url=lambda w, c: reverse("customers:edit", args=[w.customer.pk]),
            user="crm",
            data=lambda w, c: {**_customer_data(w, c), "mobile": w.customer.mobile},
            form_kwargs=lambda w: {"company": w.company},
            refuses={"mobile": NO_MOBILE, "id_number": NO_ID},
        ),
    ],
    "customers.forms.OwnershipForm": [
        Submitter(
            url=lambda w, c: reverse("customers:ownership_add", args=[w.customer.pk]),
            user="crm",
            prepare=_fresh_unit,
            data=lambda w, c: {
                "unit_code": c.unit.code,
                "project": w.project.pk,
                "role": Ownership.Role.CO_OWNER,
                "subscribed_on": timezone.localdate().isoformat(),
            },
            form_kwargs=lambda w: {"company": w.company},
            refuses={"unit_code": PLACES},
        )
    ],
    "customers.forms.CancelForm": [
        Submitter(
            url=lambda w, c: reverse("customers:ownership", args=[c.ownership.pk]),
            user="crm",
            prepare=_fresh_ownership,
            data=lambda w, c: {"action": "cancel", "reason": "家庭原因"},
        )
    ],
    "customers.forms.RevisitForm": [
        Submitter(
            url=lambda w, c: reverse("customers:revisit_record", args=[c.task.pk]),
            user="crm",
            prepare=_fresh_revisit,
            data=lambda w, c: {"note": "回访顺利"},
        )
    ],
    "customers.forms_io.ImportForm": [
        Submitter(
            url=lambda w, c: reverse("customers:import"),
            user="crm",
            data=lambda w, c: {"company": w.company.pk, "file": csv_file("客户.csv")},
            form_kwargs=lambda w: {"user": w.crm},
            files={"file": csv_file},
        )
    ],
    "customers.forms_io.SegmentForm": [
        Submitter(
            url=lambda w, c: reverse("customers:segment_create"),
            user="crm",
            data=lambda w, c: {"company": w.company.pk, "name": f"分组{c.seq}"},
            form_kwargs=lambda w: {"user": w.crm},
        ),
        Submitter(
            url=lambda w, c: reverse("customers:segment_edit", args=[w.segment.pk]),
            user="crm",
            data=lambda w, c: {"name": f"分组{c.seq}"},
            form_kwargs=lambda w: {"user": w.crm, "with_company": False},
        ),
    ],
    "customers.forms_public.RiskItemForm": [
        Submitter(
            url=lambda w, c: reverse("customers:risk_item_create", args=[w.project.pk]),
            user="crm",
            data=lambda w, c: {
                "kind": RiskItem.Kind.ROAD,
                "title": "高架路",
                "distance_m": 300,
                "description": "项目北侧有高架路。",
            },
            files={"picture": png_file},
        ),
        Submitter(
            url=lambda w, c: reverse("customers:risk_item_edit", args=[w.risk.pk]),
            user="crm",
            data=lambda w, c: {
                "kind": RiskItem.Kind.ROAD,
                "title": "高架路",
                "distance_m": 300,
                "description": "项目北侧有高架路。",
            },
            files={"picture": png_file},
        ),
    ],
    "customers.forms_public.MilestoneForm": [
        Submitter(
            url=lambda w, c: reverse("customers:milestone_create", args=[w.project.pk]),
            user="crm",
            data=lambda w, c: {
                "date": timezone.localdate().isoformat(),
                "title": "主体封顶",
                "percent": 60,
                "description": "",
            },
            files={"photo": png_file},
        ),
        Submitter(
            url=lambda w, c: reverse("customers:milestone_edit", args=[w.milestone.pk]),
            user="crm",
            data=lambda w, c: {
                "date": timezone.localdate().isoformat(),
                "title": "主体封顶",
                "percent": 60,
                "description": "",
            },
            files={"photo": png_file},
        ),
    ],
    "customers.views.config.WorkPointForm": [
        Submitter(
            url=lambda w, c: reverse("customers:settings", args=[w.company.pk]),
            user="crm",
            data=lambda w, c: {"action": "work_point", "step": "1_viewing", "label": "回访"},
        )
    ],
    # API serializers
    "accounts.api.serializers.AuthTokenObtainSerializer": [
        Submitter(
            url=lambda w, c: reverse("auth-token"),
            user=None,
            data=lambda w, c: {"username": "crm_a", "password": "not-the-password"},
            saves=False,
        )
    ],
    "customers.api.serializers.CustomerSerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/customers/",
            user="crm",
            data=lambda w, c: {
                "company": w.company.pk,
                "name": "王小明",
                "mobile": w.mobile(c.seq),
            },
            refuses={"mobile": NO_MOBILE, "id_number": NO_ID},
        ),
        Submitter(
            url=lambda w, c: f"/api/v1/customers/{w.customer.pk}/",
            user="crm",
            method="patch",
            data=lambda w, c: {},
            refuses={"mobile": NO_MOBILE, "id_number": NO_ID},
        ),
    ],
    "customers.api.serializers.OwnershipActSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/ownerships/{c.ownership.pk}/act/",
            user="crm",
            prepare=_fresh_ownership,
            data=lambda w, c: {"action": "cancel"},
        )
    ],
    "customers.api.serializers.VisitRegisterSerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/visits/register/",
            user="crm",
            data=lambda w, c: {
                "project": w.project.pk,
                "name": "王小明",
                "mobile": w.mobile(c.seq),
            },
            refuses={"mobile": NO_MOBILE},
        )
    ],
    "complaints.api.serializers.CaseCreateSerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/cases/",
            user="crm",
            data=lambda w, c: {
                "company": w.company.pk,
                "type": "complaint",
                "channel": "hotline",
                "title": "漏水",
                "description": "卫生间漏水",
                "caller_name": "陈先生",
                "caller_mobile": "13900001111",
            },
        )
    ],
    "complaints.api.serializers.CaseActSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/cases/{c.case.pk}/act/",
            user="crm",
            prepare=_fresh_case,
            data=lambda w, c: {"action": "cancel"},
        )
    ],
    "complaints.api.serializers.DispatchSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/cases/{c.case.pk}/dispatch/",
            user="crm",
            prepare=_fresh_case,
            data=lambda w, c: {
                "department": w.department.pk,
                "due_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
            },
        )
    ],
    "complaints.api.serializers.TaskActSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/tasks/{c.task.pk}/act/",
            user="crm",
            prepare=_fresh_task,
            data=lambda w, c: {"action": "send_back"},
        )
    ],
    "complaints.api.serializers.TaskSplitSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/tasks/{c.task.pk}/split/",
            user="crm",
            prepare=_fresh_task,
            data=lambda w, c: {
                "parts": [
                    {
                        "trade": "decoration",
                        "department": w.department.pk,
                        "due_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
                    }
                ]
            },
        )
    ],
    "complaints.api.serializers.TaskTransferSerializer": [
        Submitter(
            url=lambda w, c: f"/api/v1/tasks/{c.task.pk}/transfer/",
            user="crm",
            prepare=_fresh_task,
            data=lambda w, c: {
                "department": w.department.pk,
                "due_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
                "reason": "换人",
            },
        )
    ],
    "complaints.api.incidents.IncidentCreateSerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/incidents/",
            user="crm",
            prepare=_fresh_case,
            data=lambda w, c: {"case": c.case.pk},
        )
    ],
    "complaints.api.knowledge.ArticleWriteSerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/knowledge/",
            user="group",
            data=lambda w, c: {"title": "卫生间渗水", "problem": "渗水", "answer": "上门处理"},
        )
    ],
    # the knowledge base and the category tree
    "complaints.knowledge_forms.ArticleForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:article_create"),
            user="group",
            data=lambda w, c: {"title": "卫生间渗水", "problem": "渗水", "answer": "上门处理"},
            form_kwargs=lambda w: _article_kwargs(),
        )
    ],
    "complaints.knowledge_forms.ArticleSearchForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:articles"),
            user="crm",
            method="get",
            data=lambda w, c: {},
            form_kwargs=lambda w: _article_kwargs(),
        )
    ],
    "complaints.knowledge_forms.CategoryAddForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:categories"),
            user="group",
            data=lambda w, c: {"name": f"分类{c.seq}"},
            form_kwargs=lambda w: _category_kwargs(),
        )
    ],
    "complaints.knowledge_forms.CategoryEditForm": [
        Submitter(
            url=_category_page,
            user="group",
            prepare=_fresh_category,
            data=lambda w, c: {"name": f"分类{c.seq}", "is_active": "on"},
        )
    ],
    # complaints pages
    "complaints.forms.IntakeForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:intake"),
            user="crm",
            data=lambda w, c: {
                "company": w.company.pk,
                "type": "complaint",
                "channel": "hotline",
                "severity": "normal",
                "title": "漏水",
                "description": "卫生间漏水",
                "caller_name": "陈先生",
                "caller_mobile": "13900001111",
                "unit_code": "",
            },
            form_kwargs=lambda w: _intake_kwargs(w),
            refuses={"unit_code": PLACES},
        )
    ],
    "complaints.forms.QueueFilterForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:queue"),
            user="crm",
            method="get",
            data=lambda w, c: {},
            form_kwargs=lambda w: _queue_kwargs(w),
        )
    ],
    "complaints.forms.ReasonForm": [
        Submitter(
            url=_case_page,
            user="crm",
            prepare=_fresh_case,
            data=lambda w, c: {"action": "cancel"},
        )
    ],
    "complaints.forms.AnswerForm": [
        Submitter(
            url=_case_page,
            user="crm",
            prepare=_fresh_consultation,
            data=lambda w, c: {"action": "answer"},
        )
    ],
    "complaints.forms.VisitForm": [
        Submitter(
            url=_case_page,
            user="crm",
            prepare=_case_awaiting_visit,
            data=lambda w, c: {"action": "visit", "verdict": "satisfied"},
        )
    ],
    "complaints.forms.ResolveForm": [
        Submitter(
            url=_case_page,
            user="crm",
            prepare=_dispatched_case,
            data=lambda w, c: {"action": "resolve"},
        )
    ],
    "complaints.forms.DispatchForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:case_dispatch", args=[c.case.pk]),
            user="crm",
            prepare=_accepted_case,
            data=lambda w, c: {
                "department": w.department.pk,
                "due_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
            form_kwargs=lambda w: _dispatch_kwargs(w),
        )
    ],
    "complaints.forms.TransferForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:task_transfer", args=[c.task.pk]),
            user="crm",
            prepare=_fresh_task,
            data=lambda w, c: {"department": w.department.pk, "due_at": _in_two_days()},
            form_kwargs=lambda w: _dispatch_kwargs(w),
        )
    ],
    "complaints.forms.SplitForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:task_split", args=[c.task.pk]),
            user="crm",
            prepare=_fresh_task,
            data=lambda w, c: {
                "part-TOTAL_FORMS": "1",
                "part-INITIAL_FORMS": "0",
                "part-0-trade": "decoration",
                "part-0-department": w.department.pk,
                "part-0-due_at": _in_two_days(),
            },
            form_kwargs=lambda w: _dispatch_kwargs(w),
        )
    ],
    "complaints.forms.NoteForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:case_note", args=[c.case.pk]),
            user="crm",
            prepare=_fresh_case,
            data=lambda w, c: {},
        )
    ],
    "complaints.forms.FinishForm": [
        Submitter(
            url=_task_page,
            user="person",
            prepare=_started_task,
            data=lambda w, c: {"action": "finish"},
        )
    ],
    "complaints.forms.SendBackForm": [
        Submitter(
            url=_task_page,
            user="person",
            prepare=_started_task,
            data=lambda w, c: {"action": "send_back"},
        )
    ],
    "complaints.forms.PhotoForm": [
        Submitter(
            url=lambda w, c: reverse("complaints:task_photo", args=[c.task.pk]),
            user="person",
            prepare=_started_task,
            data=lambda w, c: {},
            files={"photo": png_file},
        )
    ],
    "org.api.serializers.CompanySerializer": [
        Submitter(
            url=lambda w, c: "/api/v1/companies/",
            user="group",
            data=lambda w, c: {"name": f"测试公司{c.seq}", "code": f"c{c.seq}", "city": "深圳"},
        ),
        Submitter(
            url=lambda w, c: f"/api/v1/companies/{w.company.pk}/",
            user="group",
            method="patch",
            data=lambda w, c: {},
        ),
    ],
}

READ_ONLY_ENDPOINT = "its endpoints only answer GET"
# Serializers with writable text fields that no endpoint takes as input.
NOT_SUBMITTED = {
    "org.api.serializers.ProjectSerializer": READ_ONLY_ENDPOINT,
    "org.api.serializers.BuildingSerializer": READ_ONLY_ENDPOINT,
    "org.api.serializers.UnitSerializer": READ_ONLY_ENDPOINT,
    "org.api.serializers.DepartmentSerializer": READ_ONLY_ENDPOINT,
}
# Pages (besides API lists, found from the router) that take a filter set's query.
FILTER_PAGES = {
    "customers.filters.CustomerFilter": [
        ("crm", lambda w: reverse("customers:list")),
        ("crm", lambda w: reverse("customers:export")),
        ("crm", lambda w: reverse("customers:segment_count") + f"?company={w.company.pk}"),
    ],
}


# --- the owner's return visit, portal cases and escalation (complaints) ---------------


def _owner_unit(world):
    """The owner's customer record owning a unit of the world's building (made once)."""
    from tests.customers.factories import CustomerFactory

    customer = Customer.objects.filter(user=world.owner).first()
    if customer is None:
        customer = CustomerFactory(
            company=world.company, mobile=world.owner.mobile, user=world.owner, id_number=""
        )
        OwnershipFactory(customer=customer, unit=world.unit())
    return customer.ownerships.get().unit


def _owner_case(world, client, ctx):
    from complaints.services.portal import portal_case_create

    ctx.case = portal_case_create(
        owner=world.owner, unit=_owner_unit(world), type="repair", title="漏水", description="漏水"
    )


def _owner_case_awaiting_visit(world, client, ctx):
    from complaints.models import Case, ReturnVisit

    _owner_case(world, client, ctx)
    Case.objects.filter(pk=ctx.case.pk).update(status=Case.Status.AWAITING_VISIT)
    ctx.visit = ReturnVisit.objects.create(case=ctx.case)


def _owner_case_form_kwargs(world) -> dict:
    from complaints import selectors
    from complaints.services.portal import OWNER_TYPES

    return {"units": selectors.owner_units(world.owner), "types": OWNER_TYPES}


def _visit_link(world, ctx) -> str:
    from complaints.services.visits import link_token

    return reverse("complaints:visit_link", kwargs={"token": link_token(ctx.visit)})


SUBMITTERS.update(
    {
        "complaints.forms.OwnerVisitForm": [
            Submitter(
                url=lambda w, c: reverse("complaints:owner_case_visit", args=[c.case.pk]),
                user="owner",
                prepare=_owner_case_awaiting_visit,
                data=lambda w, c: {"verdict": "satisfied"},
            ),
            Submitter(
                url=_visit_link,
                user=None,
                prepare=_owner_case_awaiting_visit,
                data=lambda w, c: {"verdict": "satisfied"},
                saves=False,  # the thank-you page is the answer, not a redirect
            ),
        ],
        "complaints.forms.OwnerEscalateForm": [
            Submitter(
                url=lambda w, c: reverse("complaints:owner_case_escalate", args=[c.case.pk]),
                user="owner",
                prepare=_owner_case,
                data=lambda w, c: {},
            )
        ],
        "complaints.forms.OwnerCaseForm": [
            Submitter(
                url=lambda w, c: reverse("complaints:owner_case_new"),
                user="owner",
                prepare=lambda w, client, c: _owner_unit(w),
                data=lambda w, c: {
                    "unit": _owner_unit(w).pk,
                    "type": "repair",
                    "title": "漏水",
                    "description": "漏水",
                },
                form_kwargs=_owner_case_form_kwargs,
                files={"photo": png_file},
            )
        ],
        "complaints.api.serializers.ReturnVisitAnswerSerializer": [
            Submitter(
                url=lambda w, c: f"/api/v1/return-visits/{c.visit.pk}/answer/",
                user="crm",
                prepare=_owner_case_awaiting_visit,
                data=lambda w, c: {"verdict": "satisfied"},
            )
        ],
    }
)
