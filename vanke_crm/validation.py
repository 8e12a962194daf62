"""The model's own field checks, shared by services and dry runs: a value that does not
fit its column (too long, not a choice, too many digits) is a ValidationError that
names the field, never a database error (a 500)."""

from django.core.exceptions import ValidationError


def check_fields(instance, names=None) -> None:
    """Run the validators of `instance`'s editable fields (all of them, or `names`),
    as `full_clean` would, but without its queries: relations, uniqueness and
    constraints are the services' business. Raises ValidationError by field."""
    opts = instance._meta
    exclude = [
        f.name
        for f in opts.fields
        if f.is_relation or not f.editable or (names is not None and f.name not in names)
    ]
    instance.clean_fields(exclude=exclude)


def field_errors(instance, names=None) -> dict:
    """{field: [message, …]} for what `check_fields` would refuse (empty when all fit)."""
    try:
        check_fields(instance, names)
    except ValidationError as exc:
        return exc.message_dict
    return {}
