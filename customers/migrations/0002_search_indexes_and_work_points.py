"""PostgreSQL search indexes (pg_trgm for fuzzy names, pattern ops for prefixes) and
the group's default 6+2 work points (DOMAIN §7). The indexes are skipped on SQLite."""

from django.db import migrations

PG_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS customer_name_trgm ON customers_customer "
    "USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_pinyin_prefix ON customers_customer "
    "(name_pinyin varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS customer_initials_prefix ON customers_customer "
    "(name_initials varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS customer_mobile_trgm ON customers_customer "
    "USING gin (mobile gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS unit_code_upper ON org_unit (upper(code))",
]
PG_REVERSE = [
    "DROP INDEX IF EXISTS customer_name_trgm",
    "DROP INDEX IF EXISTS customer_pinyin_prefix",
    "DROP INDEX IF EXISTS customer_initials_prefix",
    "DROP INDEX IF EXISTS customer_mobile_trgm",
    "DROP INDEX IF EXISTS unit_code_upper",
]

# (step, code, label) — English labels; zh-hans in the translation catalogue via
# customers.workpoints.LABELS (shown translated on pages).
DEFAULT_POINTS = [
    ("1_viewing", "first-visit-recorded", "Record the first visit and the visitor's needs"),
    ("1_viewing", "handed-to-club", "Hand the first-time visitor to the owners' club"),
    ("1_viewing", "risk-disclosure-outside", "Show the risk disclosure outside the site (1 km)"),
    ("2_signing", "risk-disclosure-inside", "Disclose adverse factors inside the site before signing"),
    ("2_signing", "mortgage-risks", "Explain mortgage and payment risks"),
    ("2_signing", "cancellation-window", "Explain the no-questions cancellation window"),
    ("2_signing", "service-contact", "Send the message naming the customer's service contact"),
    ("3_waiting", "progress-published", "Construction progress published for the project"),
    ("3_waiting", "site-open-day", "Invite to a site open day"),
    ("3_waiting", "meet-property", "Introduce the property-management team"),
    ("4_move_in", "readiness", "Move-in readiness checked"),
    ("4_move_in", "mock-inspection", "Mock inspection of the unit done"),
    ("4_move_in", "formal-inspection", "Formal inspection and keys handed over"),
    ("5_first_months", "early-care", "Early-occupancy care call"),
    ("5_first_months", "move-in-return-visit", "Return visit after move-in"),
    ("6_after_first_year", "quality-check", "First-year quality check of the home"),
    ("6_after_first_year", "satisfaction-survey", "Third-party satisfaction survey invited"),
    ("6_after_first_year", "warranty-notice", "Notice before warranty items end"),
    ("7_after_warranty", "loyalty-fund", "Loyalty repair fund explained"),
    ("7_after_warranty", "community-events", "Invited to club and community events"),
]


def forwards_sql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_SQL:
            schema_editor.execute(sql)


def backwards_sql(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_REVERSE:
            schema_editor.execute(sql)


def add_points(apps, schema_editor):
    WorkPoint = apps.get_model("customers", "WorkPoint")
    for order, (step, code, label) in enumerate(DEFAULT_POINTS):
        WorkPoint.objects.get_or_create(
            company=None, code=code, defaults={"step": step, "label": label, "order": order}
        )


def remove_points(apps, schema_editor):
    apps.get_model("customers", "WorkPoint").objects.filter(company=None).delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial"), ("org", "0001_initial")]

    operations = [
        migrations.RunPython(forwards_sql, backwards_sql),
        migrations.RunPython(add_points, remove_points),
    ]
