"""The owner's signed return-visit link (sent by SMS): a public page, no sign-in, made
for a phone. The link is checked before anything is shown; answering it runs the
case's visit transition once (complaints/services/visits.py)."""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from vanke_crm.pages import submit

from ..forms import OwnerVisitForm
from ..services import visits


def visit_link(request, token):
    status = visits.link_status(token)
    context = {"title": _("How did we do?"), "status": status}
    if not status.usable:
        # An answered round thanks the owner; any other refusal says why, with nothing
        # written and the link's own data never shown.
        code = 200 if status.kind == "answered" else 400
        return render(request, "complaints/visit_link_closed.html", context, status=code)
    form = OwnerVisitForm(request.POST or None)

    def answer(data):
        return visits.visit_answer_by_link(
            token=token, verdict=data["verdict"], comment=data["comment"]
        )

    case = submit(request, form, answer)
    if case is not None:
        context["status"] = visits.link_status(token)
        return render(request, "complaints/visit_link_closed.html", context)
    context.update({"form": form, "case": status.visit.case})
    status_code = 400 if form.is_bound else 200
    return render(request, "complaints/visit_link.html", context, status=status_code)


urlpatterns = [path("visit/<str:token>/", visit_link, name="visit_link")]
