"""The longest text a field takes, and one character more, into every text field of
every form and API serializer: never a server error (issue 7, defect 2).

Nothing here lists the fields: the forms (subclasses of forms.BaseForm in the
project's packages), the API serializers and the filter sets are discovered, and
their text fields read from them. What the test has to know is how a person submits
each one: the page or endpoint, who may use it and valid values for the other fields
(SUBMITTERS). A form or serializer with text fields and no submitter fails its own
case below, so a new one cannot slip by; one that no endpoint takes as input is named
in NOT_SUBMITTED with the reason, and the reason is checked.

For each text field the test posts, with the other fields valid:
- max_length "测" and max_length "İ" (lower case is two characters: derived and
  normalised copies grow): never a 500; when the field itself takes the value, the
  page saves (a redirect) or the API answers 2xx, unless the submitter says why the
  value is refused (a mobile of Chinese characters is no mobile);
- max_length + 1 "测": never a 500, and refused on that field (a form error, or a
  400 naming the field);
- a field without a limit: LONG characters, never a 500.
File fields get a long file name of four-byte characters (a file name is text too,
and a file system counts bytes).
"""

import datetime
import importlib
import io
import itertools
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.models import OneTimeCode, User, hash_code
from customers.models import Customer, Ownership, RevisitTask, RiskItem
from customers.services import disclosure
from customers.services.segments import segment_create
from org.models import Department, Role
from tests.customers.factories import CustomerFactory, OwnershipFactory
from tests.factories import PASSWORD, BuildingFactory, UnitFactory, make_staff

FITS = "测"
GROWS = "İ"  # "İ".lower() == "i̇": two characters
LONG = 5000
FILE_CHARACTER = "𠀀"  # a CJK character of four bytes in UTF-8
FILE_NAME_LENGTH = 200
BACKEND = "accounts.backends.UsernameOrMobileBackend"
OTP_CODE = "246810"


# --- discovery -------------------------------------------------------------------------


def _project_packages() -> list[str]:
    base = Path(settings.BASE_DIR).resolve()
    names = [
        config.name
        for config in apps.get_app_configs()
        if base in Path(config.path).resolve().parents and ".venv" not in config.path
    ]
    return sorted({*names, "vanke_crm"})


PACKAGES = _project_packages()
SKIP_MODULES = ("migrations", "settings", "wsgi", "asgi", "tests")


def _import_everything() -> None:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if not set(info.name.split(".")) & set(SKIP_MODULES):
                importlib.import_module(info.name)


def _project_subclasses(base) -> list[type]:
    _import_everything()
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:
                found.add(sub)
    return sorted(found, key=_name)


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_form_text(f) -> bool:
    return isinstance(f, forms.CharField | forms.FileField)


def _is_serializer_text(f) -> bool:
    return isinstance(f, serializers.CharField) and not f.read_only


def _text_filters(filterset_class) -> list[str]:
    return [
        name
        for name, f in filterset_class.base_filters.items()
        if isinstance(f, django_filters.CharFilter)
    ]


FORMS = [
    c
    for c in _project_subclasses(forms.BaseForm)
    if any(map(_is_form_text, c.base_fields.values()))
]
SERIALIZERS = [
    c
    for c in _project_subclasses(serializers.BaseSerializer)
    if any(map(_is_serializer_text, c().fields.values()))
]
FILTERSETS = [c for c in _project_subclasses(django_filters.FilterSet) if _text_filters(c)]


def _api_views():
    """(path, view class, actions) of every API view the URLconf routes to."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                actions = getattr(pattern.callback, "actions", None) or {}
                found.append((prefix + str(pattern.pattern), pattern.callback.cls, actions))

    walk(get_resolver().url_patterns, "/")
    return found


def _write_methods(view_class, actions) -> set[str]:
    methods = (
        set(actions) if actions else {m for m in ("post", "put", "patch") if hasattr(view_class, m)}
    )
    return methods - {"get", "head", "options"}


# --- the world the forms are submitted in ---------------------------------------------


@dataclass
class World:
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


@pytest.fixture
def world(company_a, project_a, group_staff, crm_a):
    today = timezone.localdate()
    owner = User.objects.create_user(
        username="owner_long", mobile="+8613912340001", kind=User.Kind.OWNER, password=PASSWORD
    )
    return World(
        company=company_a,
        project=project_a,
        building=BuildingFactory(project=project_a, number="9"),
        group=group_staff,
        crm=crm_a,
        customer=CustomerFactory(company=company_a, id_number=""),
        department=Department.objects.create(company=company_a, kind="crm", name="客户关系部"),
        person=make_staff(Role.HANDLER, company_a, username="handler_long"),
        owner=owner,
        risk=disclosure.risk_item_create(
            project=project_a,
            by=crm_a,
            kind=RiskItem.Kind.ROAD,
            inside_site=False,
            title="高架路",
            distance_m=300,
            description="项目北侧有高架路。",
        ),
        milestone=disclosure.milestone_create(
            project=project_a, by=crm_a, date=today, title="主体封顶", percent=60
        ),
        segment=segment_create(company=company_a, name="全部客户", filters={}, by=crm_a),
    )


def _png(name) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _csv(name) -> SimpleUploadedFile:
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
            data=lambda w, c: {"company": w.company.pk, "file": _csv("客户.csv")},
            form_kwargs=lambda w: {"user": w.crm},
            files={"file": _csv},
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
            files={"picture": _png},
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
            files={"picture": _png},
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
            files={"photo": _png},
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
            files={"photo": _png},
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


# --- submitting ------------------------------------------------------------------------


def _client(world, user, api: bool):
    client = APIClient() if api else Client()
    person = getattr(world, user) if user else None
    if person is not None:
        client.force_login(person, backend=BACKEND)
    return client


def _send(client, submitter, url, data, api: bool):
    method = getattr(client, submitter.method)
    return method(url, data, format="json") if api else method(url, data)


def _values(f):
    """(label, length, filler, too_long) to try in one field."""
    if isinstance(f, forms.FileField):
        return [("a long file name", FILE_NAME_LENGTH, FILE_CHARACTER, False)]
    limit = f.max_length
    if limit is None:
        return [(f"{LONG} characters", LONG, FITS, False)]
    return [
        (f"{limit} × {FITS}", limit, FITS, False),
        (f"{limit} × {GROWS}", limit, GROWS, False),
        (f"{limit + 1} × {FITS}", limit + 1, FITS, True),
    ]


def _text(length, filler, seq) -> str:
    """`length` characters, ending in the submission's number: names that must be
    unique (a company, a segment) stay unique from one submission to the next."""
    tail = str(seq)[:length]
    return filler * (length - len(tail)) + tail


def _field_takes(f, value) -> bool:
    try:
        if isinstance(f, serializers.Field):
            f.run_validation(value)
        else:
            f.clean(value)
    except (ValidationError, serializers.ValidationError):
        return False
    return True


def _form_in(response, form_class):
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, form_class):
                return value
    return None


def _refused_on_field(response, name, form_class, api: bool) -> bool:
    if api:
        return response.status_code == 400 and name in response.json()
    if response.status_code == 400 and form_class is None:
        return True
    form = _form_in(response, form_class)
    return form is not None and name in form.errors


def _saved(response, submitter, api: bool) -> bool:
    if api:
        return 200 <= response.status_code < 300
    if submitter.method == "get":
        return response.status_code == 200
    return response.status_code in (301, 302, 303)


def _try_fields(world, cls, fields, submitter, *, api: bool) -> list[str]:
    problems = []
    for name, f in fields.items():
        for label, length, filler, too_long in _values(f):
            ctx = SimpleNamespace(seq=next(world.seq))
            value = _text(length, filler, ctx.seq)
            client = _client(world, submitter.user, api)
            if submitter.prepare:
                submitter.prepare(world, client, ctx)
            url = submitter.url(world, ctx)
            data = submitter.data(world, ctx)
            if isinstance(f, forms.FileField):
                data[name] = submitter.files[name](f"{value}.{_extension(submitter, name)}")
            else:
                data[name] = value
                if name in submitter.together:
                    data[submitter.together[name]] = value
            where = f"{submitter.method.upper()} {url} {name}={label}"
            try:
                response = _send(client, submitter, url, data, api)
            except Exception as exc:  # the test client re-raises a view's exception
                problems.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            if response.status_code >= 500:
                problems.append(f"{where}: status {response.status_code}")
            elif too_long and not _refused_on_field(response, name, None if api else cls, api):
                problems.append(f"{where}: not refused on the field ({response.status_code})")
            elif (
                not too_long
                and submitter.saves
                and name not in submitter.refuses
                and (isinstance(f, forms.FileField) or _field_takes(f, value))
                and not _saved(response, submitter, api)
            ):
                form = None if api else _form_in(response, cls)
                errors = response.content[:300] if api else (form.errors if form else "")
                problems.append(f"{where}: not saved ({response.status_code}) {errors}")
    return problems


def _extension(submitter, name) -> str:
    return "csv" if submitter.files[name] is _csv else "png"


def _form_fields(form):
    return {name: f for name, f in form.fields.items() if _is_form_text(f) and not f.disabled}


def _serializer_fields(serializer):
    return {name: f for name, f in serializer.fields.items() if _is_serializer_text(f)}


# --- the tests -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=_name)
def test_form_text_fields_take_their_length_and_refuse_more(form_class, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    submitters = SUBMITTERS.get(_name(form_class))
    assert submitters, f"{_name(form_class)} has text fields but no submitter in SUBMITTERS"
    problems = []
    for submitter in submitters:
        fields = _form_fields(form_class(**submitter.form_kwargs(world)))
        problems += _try_fields(world, form_class, fields, submitter, api=False)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=_name)
def test_serializer_text_fields_take_their_length_and_refuse_more(serializer_class, world):
    name = _name(serializer_class)
    if name in NOT_SUBMITTED:
        takes_input = [
            path
            for path, view, actions in _api_views()
            if getattr(view, "serializer_class", None) is serializer_class
            and _write_methods(view, actions)
        ]
        assert not takes_input, f"{name}: {NOT_SUBMITTED[name]}, but {takes_input} take input"
        return
    submitters = SUBMITTERS.get(name)
    assert submitters, f"{name} has writable text fields but no submitter in SUBMITTERS"
    problems = []
    for submitter in submitters:
        fields = _serializer_fields(serializer_class())
        problems += _try_fields(world, serializer_class, fields, submitter, api=True)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=_name)
def test_filter_text_takes_long_queries(filterset_class, world):
    """Filter and search text never answers 500, however long (API lists and pages)."""
    targets = [
        ("crm" if "customers" in path else "group", path.replace("^", "").replace("$", ""))
        for path, view, actions in _api_views()
        if getattr(view, "filterset_class", None) is filterset_class
        and actions.get("get") == "list"
    ]
    targets += [(user, url(world)) for user, url in FILTER_PAGES.get(_name(filterset_class), [])]
    assert targets, f"{_name(filterset_class)} is used by no list and no page in FILTER_PAGES"
    problems = []
    for user, url in targets:
        client = _client(world, user, api=url.startswith("/api/"))
        for name in _text_filters(filterset_class):
            try:
                response = client.get(url, {name: FITS * LONG})
            except Exception as exc:
                problems.append(f"GET {url} {name}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            if response.status_code >= 500:
                problems.append(f"GET {url} {name}: status {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_api_list_search_and_ordering_take_long_text(world):
    problems = []
    for path, _view, actions in _api_views():
        if actions.get("get") != "list":
            continue
        url = path.replace("^", "").replace("$", "")
        client = _client(world, "group", api=True)
        for param in ("search", "ordering"):
            response = client.get(url, {param: FITS * LONG})
            if response.status_code >= 500:
                problems.append(f"GET {url}?{param}=…: status {response.status_code}")
    assert not problems, "\n".join(problems)


def test_every_submitter_names_a_form_or_serializer_that_exists():
    known = {_name(c) for c in FORMS + SERIALIZERS}
    stale = set(SUBMITTERS) - known
    assert not stale, f"submitters for forms or serializers that no longer exist: {stale}"
    assert set(NOT_SUBMITTED) <= {_name(c) for c in SERIALIZERS}


def _admin_forms():
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = SimpleNamespace(is_active=True, is_staff=True, is_superuser=True)
    request.user.has_perm = lambda *args, **kwargs: True
    return [
        model_admin.get_form(request)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PACKAGES
    ]


def _column_problems(where, model, name, f) -> list[str]:
    try:
        column = model._meta.get_field(name)
    except Exception:  # a field of the form that is no model field (computed, renamed)
        return []
    limit = getattr(column, "max_length", None)
    if limit is None or isinstance(f, forms.FileField):
        return []
    if f.max_length is None or f.max_length > limit:
        return [
            f"{where}.{name}: takes {f.max_length or 'any number of'} characters, column {limit}"
        ]
    return []


@pytest.mark.django_db
def test_model_forms_and_serializers_take_no_more_than_their_columns():
    """A field declared by hand (or a form built on a model) never takes more text
    than the column it is saved in: the person gets "at most N characters", not a 500."""
    problems = []
    model_forms = [
        c for c in _project_subclasses(forms.ModelForm) if c._meta.model
    ] + _admin_forms()
    for form_class in model_forms:
        for name, f in form_class.base_fields.items():
            if _is_form_text(f):
                problems += _column_problems(_name(form_class), form_class._meta.model, name, f)
    for serializer_class in _project_subclasses(serializers.ModelSerializer):
        model = serializer_class.Meta.model
        for f in _serializer_fields(serializer_class()).values():
            problems += _column_problems(_name(serializer_class), model, f.source, f)
    assert not problems, "\n".join(problems)
