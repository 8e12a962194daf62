"""The knowledge base (decision 0027): articles shared by every company, with their
history."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_return_visits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalArticle",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
                ),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("problem", models.TextField(max_length=4000, verbose_name="typical problem")),
                (
                    "answer",
                    models.TextField(
                        help_text="What staff tell the owner, ready to be used as the reply.",
                        max_length=4000,
                        verbose_name="standard answer",
                    ),
                ),
                (
                    "steps",
                    models.TextField(
                        blank=True,
                        help_text="How the problem is fixed, one step a line.",
                        max_length=4000,
                        verbose_name="resolution steps",
                    ),
                ),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="Words owners use for this problem, separated by spaces or commas.",  # noqa: E501
                        max_length=200,
                        verbose_name="keywords",
                    ),
                ),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="complaints.category",
                        verbose_name="category",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="last edited by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical knowledge article",
                "verbose_name_plural": "historical knowledge articles",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Article",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("problem", models.TextField(max_length=4000, verbose_name="typical problem")),
                (
                    "answer",
                    models.TextField(
                        help_text="What staff tell the owner, ready to be used as the reply.",
                        max_length=4000,
                        verbose_name="standard answer",
                    ),
                ),
                (
                    "steps",
                    models.TextField(
                        blank=True,
                        help_text="How the problem is fixed, one step a line.",
                        max_length=4000,
                        verbose_name="resolution steps",
                    ),
                ),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="Words owners use for this problem, separated by spaces or commas.",  # noqa: E501
                        max_length=200,
                        verbose_name="keywords",
                    ),
                ),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="articles",
                        to="complaints.category",
                        verbose_name="category",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles_written",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles_edited",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="last edited by",
                    ),
                ),
            ],
            options={
                "verbose_name": "knowledge article",
                "verbose_name_plural": "knowledge articles",
                "ordering": ["-updated_at", "-pk"],
                "indexes": [
                    models.Index(fields=["category", "is_published"], name="article_category")
                ],
            },
        ),
    ]
