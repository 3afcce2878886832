"""Privacy (docs/privacy.md): a wave remembers when it was closed, so that its links' e-mail
addresses can be erased a set time later; a link's address can be erased (blank, with the time
it was), leaving the link and the answers; a wave counts the respondents erased since its
results were computed.

Waves already closed (closed, computed or published) get the time of this migration as their
closing time: their retention period starts with the upgrade, never earlier than announced.
"""

from django.db import migrations, models
from django.utils import timezone

CLOSED_OR_LATER = 30  # Wave.Status.CLOSED; computed (40) and published (50) come after


def forwards(apps, schema_editor):
    Wave = apps.get_model("campaigns", "Wave")
    Wave.objects.filter(status__gte=CLOSED_OR_LATER).update(closed_at=timezone.now())


def backwards(apps, schema_editor):
    """The code before 0007 would write to, or make an account from, an erased address."""
    AccessLink = apps.get_model("campaigns", "AccessLink")
    if AccessLink.objects.filter(email_erased_at__isnull=False).exists():
        raise RuntimeError(
            "Some links have had their e-mail address erased; the code before migration 0007 "
            "expects every link to have one. Restore a backup taken before the upgrade instead."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_typed_results_and_organisation_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="wave",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="wave",
            name="erased_since_computation",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="accesslink",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="accesslink",
            name="email_erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
