from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="ended_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
