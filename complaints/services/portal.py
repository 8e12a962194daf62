"""What an owner does in the portal: file a case for one of their units, answer the
return visit, and ask the group centre to step in (DOMAIN §3: "an owner unhappy with a
company's handling may escalate to the group")."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.scoping import OutOfScope
from vanke_crm.errors import InvalidInput
from vanke_crm.images import clean_photo
from vanke_crm.validation import check_fields

from ..models import Attachment, Case, CaseNote, ReturnVisit
from .cases import case_create, escalate_to_group
from .visits import visit_record

OWNER_TYPES = (
    Case.Type.REPAIR,
    Case.Type.COMPLAINT,
    Case.Type.CONSULTATION,
    Case.Type.SUGGESTION,
    Case.Type.PRAISE,
)


def _own(owner, case) -> None:
    if not (case.customer_id and case.customer.user_id == owner.pk):
        raise OutOfScope()


@transaction.atomic
def portal_case_create(*, owner, unit, type, title, description, category=None, photos=()):
    """An owner's case for a unit they own (an active ownership of their customer
    record), received through the portal; photos checked and re-encoded first, so a
    bad photo writes nothing."""
    # Through the unit's ownerships (customers' published relation on org.Unit): this
    # app never imports the customers app's models.
    ownerships = unit.ownerships
    ownership = (
        ownerships.filter(
            customer__user=owner,
            customer__merged_into__isnull=True,
            status__in=ownerships.model.ACTIVE,
        )
        .select_related("customer__company")
        .first()
    )
    if ownership is None:
        raise OutOfScope()
    if type not in OWNER_TYPES:
        raise ValidationError({"type": _("Choose what kind of case this is.")})
    files = [clean_photo(photo) for photo in photos if photo]
    case = case_create(
        company=ownership.customer.company,
        by=owner,
        type=type,
        channel=Case.Channel.PORTAL,
        title=title,
        description=description,
        category=category,
        customer=ownership.customer,
        unit=unit,
    )
    for file in files:
        Attachment.objects.create(
            case=case, kind=Attachment.Kind.INTAKE, file=file, uploaded_by=owner
        )
    return case


def portal_visit_answer(*, case, owner, verdict, comment=""):
    """The owner's own answer to the return visit, as the link would record it."""
    _own(owner, case)
    visit = case.return_visits.filter(answered_at__isnull=True).order_by("-round").first()
    if visit is None or case.status != Case.Status.AWAITING_VISIT:
        raise InvalidInput(_("This case does not wait for your answer."))
    return visit_record(
        visit=visit, by=owner, verdict=verdict, comment=comment, via=ReturnVisit.Via.PORTAL
    )


@transaction.atomic
def owner_escalate(*, case, owner, reason) -> Case:
    """Ask the group centre to supervise the owner's case: once, with a reason, while
    the case is open. The reason is kept as the owner's note on the case."""
    _own(owner, case)
    locked = Case.objects.select_for_update().select_related("company").get(pk=case.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell us why you ask the group centre to step in.")})
    if locked.status in (Case.Status.CLOSED, Case.Status.CANCELLED):
        raise InvalidInput(_("A closed or cancelled case cannot be escalated."))
    if locked.escalated_group_at is not None:
        raise InvalidInput(_("The group centre is already supervising this case."))
    note = CaseNote(
        case=locked,
        author=owner,
        text=_("The owner asked the group centre to step in: %(reason)s") % {"reason": reason},
        is_public=True,
    )
    check_fields(note)
    note.save()
    if not escalate_to_group(locked, reason=reason, by=owner):
        raise InvalidInput(_("The group centre is already supervising this case."))
    locked.refresh_from_db()
    return locked
