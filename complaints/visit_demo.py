"""Demo: an owner who can sign in to the portal (mobile + the demo password) and finds
their cases there, one of them waiting for the return visit with its SMS link sent.
Idempotent: the account is made once."""

from accounts.models import User

from .models import Case


def seed_demo_owner(ctx) -> None:
    from demo.people import DEMO_PASSWORD

    case = (
        Case.objects.filter(
            status=Case.Status.AWAITING_VISIT,
            customer__isnull=False,
            customer__merged_into__isnull=True,
            unit__isnull=False,
        )
        .exclude(customer__mobile="")
        .select_related("customer")
        .order_by("company__code", "pk")
        .first()
    )
    if case is None:
        return
    customer = case.customer
    owner = customer.user or User.objects.filter(mobile=customer.mobile).first()
    if owner is None:
        owner = User.objects.create_user(
            username=f"owner_{customer.mobile.lstrip('+')}",
            mobile=customer.mobile,
            kind=User.Kind.OWNER,
            name=customer.name,
            password=DEMO_PASSWORD,
        )
    if not owner.is_owner:
        return
    if customer.user_id is None:
        type(customer).objects.filter(mobile=customer.mobile, user__isnull=True).update(user=owner)
    ctx.say(
        f"  complaints: demo owner {customer.name} signs in at /accounts/owner/login/password/ "
        f"with {customer.mobile} and the demo password"
    )
