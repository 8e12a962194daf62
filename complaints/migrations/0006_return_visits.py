"""Return visits and their signed owner links (docs/decisions/0026)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import complaints.models.visits


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_incidents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnVisit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="round")),
                (
                    "due_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="return visit by"),
                ),
                (
                    "verdict",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("satisfied", "Satisfied"),
                            ("basically", "Basically satisfied"),
                            ("dissatisfied", "Dissatisfied"),
                        ],
                        max_length=16,
                        verbose_name="return visit verdict",
                    ),
                ),
                (
                    "comment",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="return visit comment"
                    ),
                ),
                (
                    "answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="answered at"),
                ),
                (
                    "via",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("phone", "Staff phone call"),
                            ("link", "Owner's SMS link"),
                            ("portal", "Owner portal"),
                        ],
                        max_length=8,
                        verbose_name="answered through",
                    ),
                ),
                ("mobile", models.CharField(blank=True, max_length=20, verbose_name="SMS sent to")),
                (
                    "sms_sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="SMS sent at"),
                ),
                (
                    "nonce",
                    models.CharField(
                        default=complaints.models.visits.new_nonce, editable=False, max_length=32
                    ),
                ),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="return_visits_answered",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="return_visits",
                        to="complaints.case",
                        verbose_name="case",
                    ),
                ),
            ],
            options={
                "verbose_name": "return visit",
                "verbose_name_plural": "return visits",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["due_at"], name="visit_due")],
                "constraints": [
                    models.UniqueConstraint(fields=("case", "round"), name="visit_case_round"),
                    models.UniqueConstraint(
                        condition=models.Q(("answered_at__isnull", True)),
                        fields=("case",),
                        name="visit_one_open",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("answered_at__isnull", True),
                            models.Q(("verdict", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="visit_answer_has_verdict",
                    ),
                ],
            },
        ),
    ]
