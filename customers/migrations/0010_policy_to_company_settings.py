"""The lifecycle lengths move from CompanyPolicy to the settings registry
(org.CompanySetting, docs/decisions/0018); 0011 then drops CompanyPolicy."""

from django.db import migrations

# The bounds declared when the lengths moved (customers.lifecycle_settings). The old
# page allowed a 0-day window and a 1-year warranty (below the statutory 2 years); such
# a value is brought to the nearest bound, which the registry accepts.
BOUNDS = {
    "cancellation_window_days": (1, 30),
    "move_in_lead_days": (0, 365),
    "warranty_years": (2, 10),
}


def forward(apps, schema_editor):
    CompanyPolicy = apps.get_model("customers", "CompanyPolicy")
    CompanySetting = apps.get_model("org", "CompanySetting")
    for policy in CompanyPolicy.objects.all():
        for key, (low, high) in BOUNDS.items():
            value = getattr(policy, key)
            if value is None:
                continue
            CompanySetting.objects.update_or_create(
                company_id=policy.company_id,
                key=key,
                defaults={"value": min(max(value, low), high)},
            )


def backward(apps, schema_editor):
    CompanyPolicy = apps.get_model("customers", "CompanyPolicy")
    CompanySetting = apps.get_model("org", "CompanySetting")
    rows = CompanySetting.objects.filter(company__isnull=False, key__in=list(BOUNDS))
    for row in rows:
        policy, _created = CompanyPolicy.objects.get_or_create(company_id=row.company_id)
        setattr(policy, row.key, row.value)
        policy.save()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_customer_list_indexes"),
        ("org", "0002_company_setting"),
    ]

    operations = [migrations.RunPython(forward, backward)]
