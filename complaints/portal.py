"""What the complaints app contributes to the owner portal (accounts.portal): the
owner's cases (我的报事) on their home page, with the way to file a new one."""

from . import selectors


def portal_section(request):
    if not getattr(request.user, "is_owner", False):
        return None
    return "complaints/portal/section.html", {
        "cases": list(selectors.owner_cases(request.user)[:20]),
        "may_file": selectors.owner_units(request.user).exists(),
    }
