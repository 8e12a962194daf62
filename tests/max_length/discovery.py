"""Discovery: the project's forms, serializers, filter sets and API views, found by
importing every module of its packages (no list to keep up to date)."""

import importlib
import pkgutil
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import serializers


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


def project_subclasses(base) -> list[type]:
    _import_everything()
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:
                found.add(sub)
    return sorted(found, key=class_name)


def class_name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def is_form_text(f) -> bool:
    return isinstance(f, forms.CharField | forms.FileField)


def is_serializer_text(f) -> bool:
    return isinstance(f, serializers.CharField) and not f.read_only


def text_filters(filterset_class) -> list[str]:
    return [
        name
        for name, f in filterset_class.base_filters.items()
        if isinstance(f, django_filters.CharFilter)
    ]


FORMS = [
    c for c in project_subclasses(forms.BaseForm) if any(map(is_form_text, c.base_fields.values()))
]
SERIALIZERS = [
    c
    for c in project_subclasses(serializers.BaseSerializer)
    if any(map(is_serializer_text, c().fields.values()))
]
FILTERSETS = [c for c in project_subclasses(django_filters.FilterSet) if text_filters(c)]


def api_views():
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


def write_methods(view_class, actions) -> set[str]:
    methods = (
        set(actions) if actions else {m for m in ("post", "put", "patch") if hasattr(view_class, m)}
    )
    return methods - {"get", "head", "options"}
