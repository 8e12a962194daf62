"""The History tab, shared by every record page that shows one."""

from django.shortcuts import render


def history_tab(request, *, entries, page_template, context):
    """The record page with its History tab open. The page template defines a
    `tab_area` partial (tabs and panel); an htmx request gets only that partial.
    The panel includes "audit/history.html" with `entries`."""
    context = {**context, "entries": entries, "tab": "history"}
    if getattr(request, "htmx", False):
        return render(request, f"{page_template}#tab_area", context)
    return render(request, page_template, context)
