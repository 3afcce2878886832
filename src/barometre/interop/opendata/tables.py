"""The package's CSV tables: domains, scores, shares and the change since the previous wave."""

from __future__ import annotations

from collections.abc import Iterable

from barometre.contracts.change import ChangeFile, IndicatorChange
from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.contracts.vocabulary import DomainVariable
from barometre.interop.opendata.codes import CLASSIFICATION_CODES, MEASURE_CODES, VARIABLES
from barometre.interop.opendata.columns import (
    _Column,
    _figure_cells,
    _figure_columns,
    _key_columns,
    _Labels,
    _suppression_columns,
    _Table,
)
from barometre.interop.opendata.descriptor import Constraints, ForeignKey, Reference


def _domains(estimates: EstimatesFile) -> Iterable[tuple[DomainVariable, DomainEstimate]]:
    for variable in VARIABLES:
        for domain in estimates.domains.of(variable):
            yield variable, domain


def _domain_figures(domain: DomainEstimate) -> Iterable[Figure]:
    """Every figure of a domain the package publishes: index, axes, dimensions, shares."""
    yield domain.global_index
    yield from (figure for _role, figure in domain.axis_figures())
    yield from domain.dimensions.values()
    yield from domain.shares.level.values()
    yield from domain.shares.typology.values()


def _domain_fk() -> ForeignKey:
    return ForeignKey(
        fields=["domaine", "groupe"],
        reference=Reference(resource="domaines", fields=["domaine", "groupe"]),
    )


def _domains_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    columns = (
        *_key_columns(),
        _Column(
            "organismes_cadre",
            "integer",
            "Organismes du champ",
            "Organisations of the frame",
            "Le nombre d'organismes du champ (la base de sondage) dans le groupe\u202f; vide quand "
            "le groupe a trop peu de répondants (secret primaire), donné pour un secret "
            "secondaire.",
            "Organisations of the frame in the group; empty when the group has too few "
            "respondents (primary suppression), given for a complementary suppression.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        _Column(
            "organismes_repondants",
            "integer",
            "Organismes répondants",
            "Responding organisations",
            "Le nombre d'organismes du groupe qui ont répondu\u202f; vide quand il est inférieur "
            "au minimum de diffusion (secret primaire), donné pour un secret secondaire.",
            "Responding organisations in the group; empty when below the disclosure minimum "
            "(primary suppression), given for a complementary suppression.",
            unit="organismes",
            constraints=Constraints(minimum=0),
        ),
        *_suppression_columns(
            "Vrai quand les chiffres du groupe sont masqués en entier (ses effectifs restent "
            "pour un secret secondaire).",
            "True when the group's figures are suppressed as a whole (its counts stay for a "
            "complementary suppression).",
        ),
    )
    rows = []
    for variable, domain in _domains(estimates):
        fr, en = labels.group(variable, domain.level)
        reason = (domain.suppression or "primary") if domain.suppressed else None
        rows.append(
            (
                variable,
                domain.level,
                fr,
                en,
                domain.population,
                domain.organisations,
                domain.suppressed,
                reason,
            )
        )
    return _Table(
        "domaines",
        "Domaines d'estimation\u202f: secteur, types d'organisme, tailles, régions",
        "Les groupes sur lesquels le secteur est estimé, avec leurs effectifs. — English: "
        "The groups the sector is estimated on, with their counts.",
        columns,
        ("domaine", "groupe"),
        tuple(rows),
    )


def _confidence(estimates: EstimatesFile) -> tuple[str, str]:
    level = estimates.method.confidence_level * 100
    text = f"{level:g}"
    return f"{text.replace('.', ',')}\u202f%", f"{text}%"


def _scores_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "valeur",
        "number",
        "Score",
        "Score",
        "Le score du groupe, moyenne pondérée des organismes sur une échelle de 0 à 100.",
        "The group's score, the weighted mean of the organisations on a 0 to 100 scale.",
        unit="points (0-100)",
        constraints=Constraints(minimum=0, maximum=100),
    )
    columns = (
        *_key_columns(),
        _Column(
            "indicateur",
            "string",
            "Indicateur",
            "Indicator",
            "global (indice global), tech (axe technologie), transfo (axe transformation) ou "
            "l'identifiant d'une dimension du questionnaire.",
            "global (global index), tech (tech axis), transfo (transformation axis) or the "
            "id of a dimension of the questionnaire.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "indicateur_libelle",
            "string",
            "Libellé de l'indicateur",
            "Indicator label (French)",
            "Le nom de l'indicateur, en français.",
            "The indicator's name, in French.",
        ),
        _Column(
            "indicateur_libelle_en",
            "string",
            "Libellé de l'indicateur (anglais)",
            "Indicator label",
            "Le nom de l'indicateur, en anglais.",
            "The indicator's name, in English.",
        ),
        *_figure_columns(value, confidence, confidence_en, "points (0-100)", method=True),
    )
    rows = []
    for variable, domain in _domains(estimates):
        group = (variable, domain.level, *labels.group(variable, domain.level))
        figures: list[tuple[str, Figure | None]] = [
            ("global", domain.global_index),
            *domain.axis_figures(),
        ]
        figures += [(key, domain.dimensions.get(key)) for key in estimates.indicators.dimensions]
        for key, figure in figures:
            cells = _figure_cells(figure, method=True)
            rows.append((*group, key, *labels.indicator(key), *cells))
    return _Table(
        "scores",
        "Scores de maturité numérique du secteur, par indicateur et par domaine",
        f"Indice global, axes et dimensions (0 à 100), avec erreur type, intervalle de "
        f"confiance à {confidence} et nombre d'organismes. — English: Global index, axes and "
        f"dimensions (0 to 100), with standard error, {confidence_en} confidence interval "
        f"and number of organisations.",
        columns,
        ("domaine", "groupe", "indicateur"),
        tuple(rows),
        (_domain_fk(),),
    )


def _shares_table(estimates: EstimatesFile, labels: _Labels) -> _Table:
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "part",
        "number",
        "Part des organismes",
        "Share of organisations",
        "La part pondérée des organismes du groupe dans la catégorie, de 0 à 1.",
        "The weighted share of the group's organisations in the category, from 0 to 1.",
        unit="part (0-1)",
        constraints=Constraints(minimum=0, maximum=1),
    )
    columns = (
        *_key_columns(),
        _Column(
            "classement",
            "string",
            "Classement",
            "Classification",
            "level\u202f: niveau de maturité sur l'indice global\u202f; "
            "family\u202f: famille de la typologie (deux axes).",
            "level: maturity level on the global index; family: family of the typology (two axes).",
            constraints=Constraints(required=True),
            codes=CLASSIFICATION_CODES,
        ),
        _Column(
            "categorie",
            "string",
            "Catégorie",
            "Category",
            "Le code du niveau ou de la famille.",
            "The level's or family's code.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "categorie_libelle",
            "string",
            "Libellé de la catégorie",
            "Category label (French)",
            "Le nom du niveau ou de la famille, en français.",
            "The level's or family's name, in French.",
        ),
        _Column(
            "categorie_libelle_en",
            "string",
            "Libellé de la catégorie (anglais)",
            "Category label",
            "Le nom du niveau ou de la famille, en anglais.",
            "The level's or family's name, in English.",
        ),
        *_figure_columns(value, confidence, confidence_en, "part (0-1)", method=True),
    )
    rows = []
    for variable, domain in _domains(estimates):
        group = (variable, domain.level, *labels.group(variable, domain.level))
        for kind, codes, shares in (
            ("level", estimates.indicators.levels, domain.shares.level),
            ("family", estimates.indicators.typology, domain.shares.typology),
        ):
            for code in codes:
                cells = _figure_cells(shares.get(code), method=True)
                rows.append((*group, kind, code, *labels.category(kind, code), *cells))
    return _Table(
        "parts",
        "Répartition des organismes par niveau de maturité et par famille",
        f"Parts pondérées (0 à 1) avec erreur type, intervalle de confiance à {confidence} "
        f"et nombre d'organismes. — English: Weighted shares (0 to 1) with standard error, "
        f"{confidence_en} confidence interval and number of organisations.",
        columns,
        ("domaine", "groupe", "classement", "categorie"),
        tuple(rows),
        (_domain_fk(),),
    )


def _change_table(change: ChangeFile, estimates: EstimatesFile, labels: _Labels) -> _Table | None:
    """The change of the global index and of each dimension, as the public page shows it: no
    table when the global index's change is suppressed (the page then shows no change)."""
    if change.indicator("global") is None:
        return None
    confidence, confidence_en = _confidence(estimates)
    value = _Column(
        "variation",
        "number",
        "Variation",
        "Change",
        "La variation du score depuis la vague précédente, en points.",
        "The change of the score since the previous wave, in points.",
        unit="points",
    )
    columns = (
        _Column(
            "indicateur",
            "string",
            "Indicateur",
            "Indicator",
            "global (indice global) ou l'identifiant d'une dimension du questionnaire.",
            "global (global index) or the id of a dimension of the questionnaire.",
            constraints=Constraints(required=True),
        ),
        _Column(
            "indicateur_libelle",
            "string",
            "Libellé de l'indicateur",
            "Indicator label (French)",
            "Le nom de l'indicateur, en français.",
            "The indicator's name, in French.",
        ),
        _Column(
            "indicateur_libelle_en",
            "string",
            "Libellé de l'indicateur (anglais)",
            "Indicator label",
            "Le nom de l'indicateur, en anglais.",
            "The indicator's name, in English.",
        ),
        _Column(
            "mesure",
            "string",
            "Mesure",
            "Measure",
            "population\u202f: variation du chiffre pondéré du secteur entre les deux "
            "vagues\u202f; panel\u202f: variation moyenne des organismes ayant répondu aux deux "
            "vagues.",
            "population: change of the weighted sector figure between the two waves; panel: "
            "mean change of the organisations that answered both waves.",
            constraints=Constraints(required=True),
            codes=MEASURE_CODES,
        ),
        _Column(
            "vague_precedente",
            "integer",
            "Vague précédente",
            "Previous wave",
            "L'année de la vague à laquelle celle-ci est comparée.",
            "The year of the wave this one is compared with.",
        ),
        *_figure_columns(value, confidence, confidence_en, "points", method=False),
    )
    keys = ["global", *(k for k in labels.dimensions if change.indicator(k) is not None)]
    rows = []
    for key in keys:
        indicator = change.indicator(key)
        assert isinstance(indicator, IndicatorChange)
        for measure, difference in (
            ("population", indicator.population),
            ("panel", indicator.panel),
        ):
            cells = _figure_cells(difference, method=False)
            rows.append((key, *labels.indicator(key), measure, change.before_year, *cells))
    return _Table(
        "evolution",
        "Évolution depuis la vague précédente comparable",
        f"Variation de l'indice global et de chaque dimension, en points, pour le secteur "
        f"et pour le panel, avec intervalle de confiance à {confidence}. — English: Change of "
        f"the global index and of each dimension, in points, for the sector and the panel, "
        f"with {confidence_en} confidence interval.",
        columns,
        ("indicateur", "mesure"),
        tuple(rows),
    )
