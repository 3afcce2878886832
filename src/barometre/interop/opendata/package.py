"""The package in memory: its inputs checked, its tables, attached files, README and
descriptor (`datapackage_files`)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import yaml

from barometre.comparability import WaveMethod
from barometre.contracts.change import ChangeFile
from barometre.contracts.estimates import EstimatesFile
from barometre.errors import Code, InputError, Problem, problem
from barometre.interop.opendata.codes import (
    _ZIP_EPOCH,
    CI_METHODS,
    DESCRIPTOR,
    ENGLISH,
    LICENCE_NAME,
    LICENCE_PATH,
    LICENCE_TITLE,
)
from barometre.interop.opendata.columns import _bilingual, _fr, _Labels, _Table
from barometre.interop.opendata.descriptor import DataPackage, Dialect, License, Resource, Source
from barometre.interop.opendata.tables import (
    _change_table,
    _domain_figures,
    _domains,
    _domains_table,
    _scores_table,
    _shares_table,
)
from barometre.questionnaire.models import Questionnaire


@dataclass(frozen=True)
class TableSummary:
    """One CSV of the package: its rows and how many of them are suppressed."""

    name: str
    path: str
    rows: int
    suppressed: int


@dataclass(frozen=True)
class PackageFiles:
    """The package in memory: every file's bytes by its path inside the package."""

    descriptor: DataPackage
    files: dict[str, bytes]
    tables: tuple[TableSummary, ...]


# --- the package -----------------------------------------------------------------------------


def _check(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    change: ChangeFile | None,
    source: str,
) -> list[Problem]:
    problems: list[Problem] = []
    if estimates.wave_year is None:
        problems.append(problem(f"{source}: wave_year", Code.OPENDATA_NO_WAVE_YEAR))
    made_with, given = WaveMethod.of_file(estimates), WaveMethod.of_questionnaire(questionnaire)
    if made_with != given:
        problems.append(
            problem(
                f"{source}: questionnaire",
                Code.OPENDATA_OTHER_QUESTIONNAIRE,
                estimates=str(made_with),
                questionnaire=str(given),
            )
        )
    unknown = sorted(
        {
            figure.ci_method
            for _variable, domain in _domains(estimates)
            for figure in _domain_figures(domain)
            if figure.ci_method is not None and figure.ci_method not in CI_METHODS
        }
    )
    problems += [
        problem(
            f"{source}: ci_method",
            Code.OPENDATA_UNKNOWN_CI_METHOD,
            method=method,
            known=", ".join(CI_METHODS),
        )
        for method in unknown
    ]
    if change is not None and (
        change.after_year != estimates.wave_year
        or (change.after.id, change.after.version)
        != (estimates.questionnaire.id, estimates.questionnaire.version)
    ):
        problems.append(
            problem(
                f"{source}: change",
                Code.OPENDATA_OTHER_WAVE_CHANGE,
                change_year=change.after_year if change.after_year is not None else "none",
                year=estimates.wave_year if estimates.wave_year is not None else "none",
            )
        )
    return problems


def _questionnaire_yaml(questionnaire: Questionnaire) -> str:
    data = questionnaire.model_dump(mode="json", exclude_none=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when installed
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def questionnaire_xlsform(questionnaire: Questionnaire) -> bytes | None:
    """The XLSForm workbook of the questionnaire (`interop.xlsform`), byte-stable, or None
    when that module is not there."""
    try:
        from barometre.interop import xlsform
    except ImportError:
        return None
    make: Callable[[Questionnaire], bytes] | None = getattr(xlsform, "xlsform_bytes", None)
    return _stable_xlsx(make(questionnaire)) if make is not None else None


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def _stable_xlsx(workbook: bytes) -> bytes:
    """The workbook with what openpyxl dates from the clock fixed: its ZIP entries' dates and
    the `modified` property (set to the workbook's `created`), so that the same
    questionnaire gives the same bytes."""
    stream = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                created = _CREATED.search(content)
                stamp = created.group(1) if created else b"1980-01-01T00:00:00Z"
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content)
    return stream.getvalue()


def _created_text(created: datetime | date | None) -> str | None:
    if created is None:
        return None
    if isinstance(created, datetime):
        moment = created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC)
        return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return f"{created.isoformat()}T00:00:00Z"


def _readme(
    package: DataPackage,
    tables: Sequence[_Table],
    files: Collection[str],
    minimum: int,
    synthetic: bool,
) -> str:
    """README.md: French, then English."""
    year = package.name.rsplit("-", 1)[1]
    title_en = f"Digital maturity barometer of social housing {year}"
    listing_fr = "\n".join(f"- `{t.path}`\u202f: {t.title}." for t in tables)
    if "questionnaire.xlsx" in files:
        listing_fr += (
            "\n- `questionnaire.xlsx`\u202f: le questionnaire en XLSForm (ODK, KoboToolbox)."
        )
    listing_en = "\n".join(f"- `{t.path}`: {t.description.split(ENGLISH)[1]}" for t in tables)
    if "questionnaire.xlsx" in files:
        listing_en += "\n- `questionnaire.xlsx`: the questionnaire as XLSForm (ODK, KoboToolbox)."
    warning_fr = (
        "\n**Données synthétiques**\u202f: aucun organisme ni aucune réponse de ce jeu "
        "n'est réel.\n"
        if synthetic
        else ""
    )
    warning_en = (
        "\n**Synthetic data**: no organisation or answer in this package is real.\n"
        if synthetic
        else ""
    )
    french = f"""# {package.title}
{warning_fr}
{package.description.split(ENGLISH)[0]}

Version {package.version}. Licence\u202f: {LICENCE_TITLE} ({LICENCE_PATH}).

## Fichiers

{listing_fr}
- `questionnaire.yaml`\u202f: le questionnaire tel qu'il a été posé (format Baromètre).
- `methodologie.json`\u202f: les paramètres de la méthode (seuils, niveaux, minimum de diffusion).
- `datapackage.json`\u202f: la description de chaque fichier et de chaque colonne (Frictionless
  Data Package).

## Secret statistique

Aucun chiffre ne repose sur moins de {minimum} organismes répondants\u202f: ses nombres sont
vides, la colonne `masque` vaut `true` et `motif_masque` dit pourquoi (`primary`\u202f: trop
peu d'organismes\u202f; `complementary`\u202f: masqué pour qu'un autre chiffre masqué ne se
retrouve pas par soustraction). Ce sont exactement les chiffres masqués de la page publique du
baromètre.
"""
    english = f"""
---

# {title_en} — published aggregates
{warning_en}
{package.description.split(ENGLISH)[1]}

Version {package.version}. Licence: {LICENCE_TITLE} ({LICENCE_PATH}).

## Files

{listing_en}
- `questionnaire.yaml`: the questionnaire as it was asked (Baromètre format).
- `methodologie.json`: the method's parameters (thresholds, levels, disclosure minimum).
- `datapackage.json`: every file and column described (Frictionless Data Package).

## Disclosure control

No figure rests on fewer than {minimum} responding organisations: its numbers are empty, the
`masque` column is `true` and `motif_masque` says why (`primary`: too few organisations;
`complementary`: hidden so that another hidden figure cannot be recovered by subtraction).
These are exactly the figures hidden on the barometer's public page.
"""
    return _fr(french) + english


def _resource(
    name: str, path: str, content: bytes, title: str, description: str, kind: str
) -> Resource:
    formats = {
        "yaml": ("yaml", "application/yaml", "utf-8"),
        "json": ("json", "application/json", "utf-8"),
        "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
    }
    fmt, mediatype, encoding = formats[kind]
    return Resource(
        name=name,
        path=path,
        profile="data-resource",
        title=_fr(title),
        description=_bilingual(description),
        format=fmt,
        mediatype=mediatype,
        encoding=encoding,
        bytes=len(content),
        hash="sha256:" + hashlib.sha256(content).hexdigest(),
    )


def datapackage_files(
    estimates: EstimatesFile,
    questionnaire: Questionnaire,
    *,
    questionnaire_yaml: str | None = None,
    change: ChangeFile | None = None,
    title: str | None = None,
    created: datetime | date | None = None,
    synthetic: bool = False,
    source: str = "estimates file",
) -> PackageFiles:
    """The package's files in memory, after checking its inputs (every problem at once, in
    an `InputError`). `questionnaire_yaml`: the questionnaire's text as it was run (default:
    the model written as YAML); `change`: the wave's change since the previous comparable
    wave; `title`: the wave's French title; `created`: when the wave's data were final (the
    descriptor's `created`); `synthetic`: the data are simulated (the README says so)."""
    problems = _check(estimates, questionnaire, change, source)
    if problems:
        raise InputError(source, problems)
    year = estimates.wave_year
    assert year is not None  # checked above
    labels = _Labels(questionnaire)
    tables = [
        _domains_table(estimates, labels),
        _scores_table(estimates, labels),
        _shares_table(estimates, labels),
    ]
    if change is not None:
        changed = _change_table(change, estimates, labels)
        if changed is not None:
            tables.append(changed)
    files: dict[str, bytes] = {}
    resources: list[Resource] = []
    for table in tables:
        content = table.csv_bytes()
        files[table.path] = content
        resources.append(
            Resource(
                name=table.name,
                path=table.path,
                profile="tabular-data-resource",
                title=_fr(table.title),
                description=_bilingual(table.description),
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                bytes=len(content),
                hash="sha256:" + hashlib.sha256(content).hexdigest(),
                table_schema=table.schema(),
                dialect=Dialect(),
            )
        )
    text = (
        questionnaire_yaml if questionnaire_yaml is not None else _questionnaire_yaml(questionnaire)
    )
    files["questionnaire.yaml"] = text.encode("utf-8")
    resources.append(
        _resource(
            "questionnaire",
            "questionnaire.yaml",
            files["questionnaire.yaml"],
            f"Questionnaire {questionnaire.id} {questionnaire.version}",
            "Le questionnaire tel qu'il a été posé, au format Baromètre (docs/questionnaire-"
            "format.md). — English: The questionnaire as it was asked, in Baromètre's format.",
            "yaml",
        )
    )
    workbook = questionnaire_xlsform(questionnaire)
    if workbook is not None:
        files["questionnaire.xlsx"] = workbook
        resources.append(
            _resource(
                "questionnaire-xlsform",
                "questionnaire.xlsx",
                workbook,
                f"Questionnaire {questionnaire.id} {questionnaire.version} (XLSForm)",
                "Le questionnaire en XLSForm, pour ODK et KoboToolbox. — English: The "
                "questionnaire as an XLSForm workbook, for ODK and KoboToolbox.",
                "xlsx",
            )
        )
    methodology = {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "methodology": questionnaire.methodology.model_dump(mode="json"),
        "estimate_method": estimates.method.model_dump(mode="json"),
    }
    files["methodologie.json"] = (
        json.dumps(methodology, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    resources.append(
        _resource(
            "methodologie",
            "methodologie.json",
            files["methodologie.json"],
            f"Méthodologie {questionnaire.methodology.version}",
            "Les paramètres de la méthode (section methodology du questionnaire) et la "
            "méthode d'estimation. — English: The method's parameters (the questionnaire's "
            "methodology section) and the estimation method.",
            "json",
        )
    )
    wave_title = title or f"Baromètre de la maturité numérique du logement social {year}"
    minimum = estimates.method.suppression.min_organisations
    frame = estimates.frame
    package = DataPackage(
        name=f"barometre-maturite-numerique-hlm-{year}",
        id=f"barometre-{questionnaire.id}-{year}",
        title=_fr(f"{wave_title} — agrégats publiés"),
        description=_bilingual(
            f"Maturité numérique des organismes de logement social en {year}\u202f: estimations "
            f"pondérées du secteur ({frame.responding_organisations} organismes répondants sur "
            f"{frame.organisations}), par type d'organisme, taille et région, avec erreur type "
            f"et intervalle de confiance\u202f; aucun chiffre ne repose sur moins de {minimum} "
            f"organismes. — English: Digital maturity of social housing organisations in "
            f"{year}: weighted estimates of the sector ({frame.responding_organisations} "
            f"responding organisations of {frame.organisations}), by type of organisation, "
            f"size and region, with standard error and confidence interval; no figure rests "
            f"on fewer than {minimum} organisations."
        ),
        version=(
            f"{year}+questionnaire.{questionnaire.version}"
            f".methodologie.{questionnaire.methodology.version}"
        ),
        created=_created_text(created),
        keywords=["logement social", "HLM", "maturité numérique", "baromètre", "open data"],
        licenses=[License(name=LICENCE_NAME, title=LICENCE_TITLE, path=LICENCE_PATH)],
        sources=[
            Source(
                title=f"Baromètre, vague {year}\u202f: questionnaire {questionnaire.id} "
                f"{questionnaire.version}, réponses des organismes"
            ),
            Source(
                title="INSEE, Code officiel géographique (régions)",
                path="https://www.insee.fr/fr/information/2560452",
            ),
        ],
        resources=resources,
    )
    files["README.md"] = _readme(package, tables, files, minimum, synthetic).encode("utf-8")
    files[DESCRIPTOR] = package.dumps().encode("utf-8")
    summaries = tuple(TableSummary(t.name, t.path, len(t.rows), t.suppressed) for t in tables)
    return PackageFiles(package, dict(sorted(files.items())), summaries)
