"""Notifications become deliveries of events (issue 11 §5).

Existing notifications are kept: each transition they pointed to becomes one ``project.transition``
event, and a free-text notification becomes a ``message`` event holding its text.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_events(apps, schema_editor):
    Event = apps.get_model("notifications", "Event")
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    transition_type, _ = ContentType.objects.get_or_create(app_label="projects", model="projecttransition")
    by_transition = {}
    for note in Notification.objects.select_related("transition", "project").order_by("pk"):
        if note.transition_id:
            event = by_transition.get(note.transition_id)
            if event is None:
                t = note.transition
                event = Event.objects.create(
                    verb="project.transition",
                    actor_id=t.actor_id,
                    project_id=note.project_id,
                    target_type=transition_type,
                    target_id=t.pk,
                    params={
                        "project_name": note.project.name,
                        "from_status": t.from_status,
                        "to_status": t.to_status,
                        "comment": t.comment,
                    },
                )
                Event.objects.filter(pk=event.pk).update(created_at=t.at)
                by_transition[note.transition_id] = event
        else:
            event = Event.objects.create(verb="message", project_id=note.project_id, params={"text": note.message})
            Event.objects.filter(pk=event.pk).update(created_at=note.created_at)
        note.event_id = event.pk
        note.save(update_fields=["event"])


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_notification_transition_alter_notification_message"),
        ("projects", "0002_historicalproject_submitted_at_project_submitted_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("verb", models.CharField(db_index=True, max_length=64, verbose_name="verb")),
                ("target_id", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="target id")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="parameters")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="actor",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "target_type",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="target type",
                    ),
                ),
            ],
            options={
                "verbose_name": "event",
                "verbose_name_plural": "events",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["target_type", "target_id"], name="notificatio_target__fba6ee_idx")],
            },
        ),
        migrations.CreateModel(
            name="DeliveryPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("daily_digest", models.BooleanField(default=True, verbose_name="daily digest e-mail")),
                (
                    "language",
                    models.CharField(
                        choices=[("zh-hans", "Simplified Chinese"), ("en", "English")],
                        default="zh-hans",
                        max_length=10,
                        verbose_name="language of e-mails",
                    ),
                ),
                ("last_digest_at", models.DateTimeField(blank=True, null=True, verbose_name="last digest sent at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="delivery_preference",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={"verbose_name": "delivery preference", "verbose_name_plural": "delivery preferences"},
        ),
        migrations.AddField(
            model_name="notification",
            name="event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="notifications.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="emailed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at"),
        ),
        migrations.RunPython(to_events, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="transition"),
        migrations.RemoveField(model_name="notification", name="message"),
        migrations.AlterField(
            model_name="notification",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="notifications.event",
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(fields=("event", "recipient"), name="unique_notification_reader"),
        ),
    ]
