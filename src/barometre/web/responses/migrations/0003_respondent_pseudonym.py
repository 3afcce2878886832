"""Respondents get a random pseudonym, the respondent id wherever one leaves the database
(it used to be made of the row number, which tells the order of arrival). Existing respondents
get one each; going back drops them (nothing else is lost)."""

from django.db import migrations, models

import barometre.web.responses.models


def give_pseudonyms(apps, schema_editor):
    Respondent = apps.get_model("responses", "Respondent")
    given: set[str] = set()
    batch = []
    for respondent in Respondent.objects.only("pk").iterator(chunk_size=5000):
        pseudonym = barometre.web.responses.models.new_pseudonym()
        while pseudonym in given:
            pseudonym = barometre.web.responses.models.new_pseudonym()
        given.add(pseudonym)
        respondent.pseudonym = pseudonym
        batch.append(respondent)
        if len(batch) >= 5000:
            Respondent.objects.bulk_update(batch, ["pseudonym"])
            batch = []
    Respondent.objects.bulk_update(batch, ["pseudonym"])


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0002_answer_versions_and_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="respondent",
            name="pseudonym",
            field=models.CharField(max_length=16, null=True),
        ),
        migrations.RunPython(give_pseudonyms, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="respondent",
            name="pseudonym",
            field=models.CharField(
                default=barometre.web.responses.models.new_pseudonym, max_length=16, unique=True
            ),
        ),
    ]
