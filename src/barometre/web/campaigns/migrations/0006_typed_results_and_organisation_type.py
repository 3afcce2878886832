"""The results of a wave become the core's typed files (format version 2), and the legal form
of an organisation is `organisation_type` (it was called `family`, the typology's word).

Results stored in format 1 are upgraded in place: the same figures under the new names, scores
rounded to 10 decimals, the format named in the file. Stored questionnaires have their context
key renamed. Nothing is recomputed.
"""

import hashlib
import math

import numpy as np
from django.db import migrations, models

import barometre.web.campaigns.fields

DISCLOSURE_MINIMUM = 5  # the methodology's default when these results were made


def _rounded(value):
    """As the scores files of format 2 are written (numpy's rounding to 10 decimals)."""
    if isinstance(value, float) and math.isfinite(value):
        return float(np.round(value, 10)) + 0.0
    return value


def _rounded_all(value):
    if isinstance(value, dict):
        return {k: _rounded_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded_all(v) for v in value]
    return _rounded(value)


def _methodology(method):
    method = dict(method)
    method.setdefault("disclosure_minimum", DISCLOSURE_MINIMUM)
    return method


def upgrade_scores(data):
    if data is None or data.get("format_version") == 2:
        return data
    organisations = []
    for org in data["organisations"]:
        org = _rounded_all(org)
        context = dict(org["context"])
        context["organisation_type"] = context.pop("family", None)
        org["context"] = {
            "organisation_type": context["organisation_type"],
            "dwellings": context.get("dwellings"),
            "department": context.get("department"),
        }
        organisations.append(org)
    return {
        "format": "barometre.scores",
        "format_version": 2,
        "questionnaire": data["questionnaire"],
        "methodology": _methodology(data["methodology"]),
        "organisations": organisations,
    }


def _domain(domain):
    domain = dict(domain)
    domain["organisations"] = domain.pop("respondents", None)
    order = ["level", "suppressed", "reason", "population", "organisations", "global", "axes"]
    return {k: domain[k] for k in [*order, "dimensions", "shares"]}


def _group(group):
    group = dict(group)
    group["responding_organisations"] = group.pop("respondents")
    return group


def upgrade_estimates(data, methodology):
    if data is None or data.get("format_version") == 2:
        return data
    frame = data["frame"]
    suppression = data["method"]["suppression"]
    weighting = data["weighting"]
    cells = []
    for cell in weighting["cells"]:
        cells.append(
            {
                "organisation_type": cell["family"],
                "size_class": cell["size_class"],
                "population": cell["population"],
                "responding_organisations": cell["respondents"],
            }
        )
    margins = [
        {
            "variable": "organisation_type" if m["variable"] == "family" else m["variable"],
            "collapsed": m["collapsed"],
            "groups": [_group(g) for g in m["groups"]],
        }
        for m in weighting["margins"]
    ]
    reliability = []
    for record in data.get("reliability", []):
        full = {
            "dimension": record["dimension"],
            "suppressed": record["suppressed"],
            "reason": record.get("reason"),
            "organisations": record.get("organisations"),
            "items": record.get("items"),
            "organisations_dropped": record.get("organisations_dropped"),
            "alpha": record.get("alpha"),
            "alpha_ci": record.get("alpha_ci"),
            "omega": record.get("omega"),
            "omega_note": record.get("omega_note"),
            "weakest_items": record.get("weakest_items", []),
        }
        reliability.append(full)
    domains = data["domains"]
    return {
        "format": "barometre.estimates",
        "format_version": 2,
        "wave_year": data.get("wave_year"),
        "questionnaire": data["questionnaire"],
        "methodology": _methodology(data.get("methodology") or methodology),
        "frame": {
            "organisations": frame["organisations"],
            "responding_organisations": frame["respondents"],
            "sampling_fraction": frame["sampling_fraction"],
        },
        "method": {
            **data["method"],
            "suppression": {
                "min_organisations": suppression["min_respondents"],
                "rule": "a figure or domain with fewer responding organisations carries no number",
            },
        },
        "indicators": data["indicators"],
        "weighting": {**weighting, "cells": cells, "margins": margins},
        "domains": {
            "sector": [_domain(d) for d in domains["sector"]],
            "organisation_type": [_domain(d) for d in domains["family"]],
            "size_class": [_domain(d) for d in domains["size_class"]],
            "region": [_domain(d) for d in domains["region"]],
        },
        "reliability": reliability,
    }


def upgrade_change(data, wave):
    if data is None or data.get("format_version") == 2:
        return data
    return {
        "format": "barometre.change",
        "format_version": 2,
        "before": data["before"],
        "after": data["after"],
        "before_year": data.get("before_year"),
        "after_year": wave.year,
        "methodology_version": wave.methodology_version,
        "method": data["method"],
        "indicators": data["indicators"],
    }


def upgrade_questionnaire(text):
    """The stored questionnaire with the context key renamed, and the built-in questionnaire's
    question about the legal form no longer calling it a family."""
    return text.replace("context: family", "context: organisation_type").replace(
        '{fr: "Famille de votre organisme", en: "Type of your organisation"}',
        '{fr: "Type de votre organisme", en: "Type of your organisation"}',
    )


def forwards(apps, schema_editor):
    Wave = apps.get_model("campaigns", "Wave")
    for wave in Wave.objects.all():
        scores = upgrade_scores(wave.scores)
        methodology = scores["methodology"] if scores else None
        wave.scores = scores
        wave.estimates = upgrade_estimates(wave.estimates, methodology)
        wave.change = upgrade_change(wave.change, wave)
        wave.questionnaire_yaml = upgrade_questionnaire(wave.questionnaire_yaml)
        # The parsed questionnaire is cached under the digest of its text.
        wave.questionnaire_digest = hashlib.sha256(wave.questionnaire_yaml.encode()).hexdigest()
        wave.save(
            update_fields=[
                "scores",
                "estimates",
                "change",
                "questionnaire_yaml",
                "questionnaire_digest",
            ]
        )


def backwards(apps, schema_editor):
    """Going back to 0005 would leave format-2 results the older code cannot read."""
    Wave = apps.get_model("campaigns", "Wave")
    if Wave.objects.filter(scores__isnull=False).exists():
        raise RuntimeError(
            "Computed waves hold results in format 2; the code before migration 0006 cannot "
            "read them. Restore a backup taken before the upgrade instead."
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_links_emails_digest")]

    operations = [
        migrations.RenameField("wave", "scores_json", "scores"),
        migrations.RenameField("wave", "estimates_json", "estimates"),
        migrations.RenameField("wave", "change_json", "change"),
        migrations.RenameField("frameentry", "family", "organisation_type"),
        # Upgraded while the columns are still plain JSON in the historical models.
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="wave",
            name="scores",
            field=barometre.web.campaigns.fields.ContractField(
                blank=True, contract="scores", null=True
            ),
        ),
        migrations.AlterField(
            model_name="wave",
            name="estimates",
            field=barometre.web.campaigns.fields.ContractField(
                blank=True, contract="estimates", null=True
            ),
        ),
        migrations.AlterField(
            model_name="wave",
            name="change",
            field=barometre.web.campaigns.fields.ContractField(
                blank=True, contract="change", null=True
            ),
        ),
    ]
