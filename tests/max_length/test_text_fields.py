"""The longest text a field takes, and one character more, into every text field of
every form and API serializer: never a server error (issue 7, defect 2).

Nothing here lists the fields: the forms (subclasses of forms.BaseForm in the
project's packages), the API serializers and the filter sets are discovered
(discovery.py), and their text fields read from them. What the test has to know is
how a person submits each one: the page or endpoint, who may use it and valid values
for the other fields (SUBMITTERS in submitters.py). A form or serializer with text
fields and no submitter fails its own case below, so a new one cannot slip by; one
that no endpoint takes as input is named in NOT_SUBMITTED with the reason, and the
reason is checked.

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

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework import serializers
from rest_framework.test import APIClient

from .discovery import (
    FILTERSETS,
    FORMS,
    PACKAGES,
    SERIALIZERS,
    api_views,
    class_name,
    is_form_text,
    is_serializer_text,
    project_subclasses,
    text_filters,
    write_methods,
)
from .submitters import FILTER_PAGES, NOT_SUBMITTED, SUBMITTERS, csv_file

FITS = "测"
GROWS = "İ"  # "İ".lower() == "i̇": two characters
LONG = 5000
FILE_CHARACTER = "𠀀"  # a CJK character of four bytes in UTF-8
FILE_NAME_LENGTH = 200
BACKEND = "accounts.backends.UsernameOrMobileBackend"


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
    return "csv" if submitter.files[name] is csv_file else "png"


def _form_fields(form):
    return {name: f for name, f in form.fields.items() if is_form_text(f) and not f.disabled}


def _serializer_fields(serializer):
    return {name: f for name, f in serializer.fields.items() if is_serializer_text(f)}


# --- the tests -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=class_name)
def test_form_text_fields_take_their_length_and_refuse_more(form_class, world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    submitters = SUBMITTERS.get(class_name(form_class))
    assert submitters, f"{class_name(form_class)} has text fields but no submitter in SUBMITTERS"
    problems = []
    for submitter in submitters:
        fields = _form_fields(form_class(**submitter.form_kwargs(world)))
        problems += _try_fields(world, form_class, fields, submitter, api=False)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", SERIALIZERS, ids=class_name)
def test_serializer_text_fields_take_their_length_and_refuse_more(serializer_class, world):
    name = class_name(serializer_class)
    if name in NOT_SUBMITTED:
        takes_input = [
            path
            for path, view, actions in api_views()
            if getattr(view, "serializer_class", None) is serializer_class
            and write_methods(view, actions)
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
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=class_name)
def test_filter_text_takes_long_queries(filterset_class, world):
    """Filter and search text never answers 500, however long (API lists and pages)."""
    targets = [
        ("crm" if "customers" in path else "group", path.replace("^", "").replace("$", ""))
        for path, view, actions in api_views()
        if getattr(view, "filterset_class", None) is filterset_class
        and actions.get("get") == "list"
    ]
    targets += [
        (user, url(world)) for user, url in FILTER_PAGES.get(class_name(filterset_class), [])
    ]
    assert targets, f"{class_name(filterset_class)} is used by no list and no page in FILTER_PAGES"
    problems = []
    for user, url in targets:
        client = _client(world, user, api=url.startswith("/api/"))
        for name in text_filters(filterset_class):
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
    for path, _view, actions in api_views():
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
    known = {class_name(c) for c in FORMS + SERIALIZERS}
    stale = set(SUBMITTERS) - known
    assert not stale, f"submitters for forms or serializers that no longer exist: {stale}"
    assert set(NOT_SUBMITTED) <= {class_name(c) for c in SERIALIZERS}


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
    model_forms = [c for c in project_subclasses(forms.ModelForm) if c._meta.model] + _admin_forms()
    for form_class in model_forms:
        for name, f in form_class.base_fields.items():
            if is_form_text(f):
                problems += _column_problems(
                    class_name(form_class), form_class._meta.model, name, f
                )
    for serializer_class in project_subclasses(serializers.ModelSerializer):
        model = serializer_class.Meta.model
        for f in _serializer_fields(serializer_class()).values():
            problems += _column_problems(class_name(serializer_class), model, f.source, f)
    assert not problems, "\n".join(problems)
