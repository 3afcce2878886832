"""The sector report's method annex says what the estimates did: the JKn jackknife of a design
with a fully enumerated cell and its degrees of freedom (linearised: organisations minus the
number of strata), the fallback to linearisation when the replicates could not be calibrated
again, and the multiple-comparisons caveat of the "ahead of" sentences, in French and in
English. Every expected number is counted by hand from the organisations chosen."""

from __future__ import annotations

from html import unescape
from math import comb

import pytest

from barometre.contracts.estimates import EstimatesFile
from barometre.errors import ContractError
from barometre.questionnaire import load_questionnaire
from barometre.reports.sector import build_sector_report, method_annex, variance_fallback_sentence
from barometre.reports.texts import texts
from barometre.scoring import score_responses
from barometre.simulate import simulate_sector
from barometre.stats.sector.wave import estimate_wave

HLM = load_questionnaire("hlm-2026")
NNBSP = "\u202f"
#: A cell of at most this many organisations answers whole (a census cell); 8 answer in the
#: others, so that post-stratification applies (every cell at least 5 or fully enumerated).
CENSUS_AT_MOST, SAMPLED = 6, 8


@pytest.fixture(scope="module")
def census_wave():
    """150 organisations; the cells of 1, 2, 5 and 6 organisations answer whole, 8 answer in
    each other cell."""
    sector = simulate_sector(HLM, organisations=150, response_rate=1.0, seed=7)
    frame = sector.frame
    chosen, census, sampled = [], [], []
    for (kind, size), ids in frame.groupby(["organisation_type", "size_class"])["organisation_id"]:
        ids = list(ids)
        if len(ids) <= CENSUS_AT_MOST:
            chosen += ids
            census.append((kind, size, len(ids)))
        else:
            chosen += ids[:SAMPLED]
            sampled.append((kind, size))
    responses = sector.responses[sector.responses["organisation_id"].isin(chosen)]
    scores = score_responses(HLM, responses, source="census wave").to_file()
    table = frame.set_index("organisation_id").loc[chosen]
    in_census = {(k, s) for k, s, _n in census}
    table["census"] = [
        (k, s) in in_census
        for k, s in zip(table["organisation_type"], table["size_class"], strict=True)
    ]
    return {
        "scores": scores,
        "frame": frame,
        "census": census,
        "sampled": sampled,
        "table": table,
        "jackknife": estimate_wave(scores, frame, HLM),
        "linearisation": estimate_wave(scores, frame, HLM, variance="linearisation"),
    }


def _section(estimates: EstimatesFile, language: str, heading: str) -> str:
    sections = method_annex(estimates, HLM, None, language)
    [section] = [s for s in sections if s.heading == texts(language)[heading]]
    return " ".join(section.lines)


def test_the_census_cells_make_a_jkn_jackknife(census_wave):
    # The fully enumerated cells are a stratum of their own with no replicate: one replicate
    # per organisation of the sampled cells, 8 in each.
    replicates = SAMPLED * len(census_wave["sampled"])
    assert census_wave["jackknife"].method.variance == f"jackknife JKn ({replicates} replicates)"
    census = sum(n for _k, _s, n in census_wave["census"])
    assert census_wave["jackknife"].frame.responding_organisations == replicates + census


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            (
                "delete-one jackknife within strata (JKn)",
                "form a stratum of their own whose organisations are in every replicate and "
                "contribute no variance",
                "replicates, each leaving out one responding organisation of the sampled stratum",
                "OPH (fewer than 1,500 dwellings)",
                "at most its responding organisations outside the fully enumerated cells; for "
                "the sector, a type of organisation or a size class, those organisations minus "
                "the number of sampled cells they cover",
                "or is fully enumerated (every organisation of the cell answered: ",
            ),
        ),
        (
            "fr",
            (
                "jackknife à un retrait par strate (JKn)",
                "forment une strate à part dont les organismes figurent dans chaque réplique "
                "et n'apportent aucune variance",
                "répliques, chacune écartant un organisme répondant de la strate échantillonnée",
                "OPH (moins de 1\u202f500\xa0logements)",
                f"au plus ses organismes répondants hors des cases recensées en entier{NNBSP}; "
                "pour le secteur, un type d'organisme ou une classe de taille, ces organismes "
                "moins le nombre de cases échantillonnées qu'ils couvrent",
                f"ou est recensée en entier (tous les organismes de la case ont répondu{NNBSP}: ",
            ),
        ),
    ],
)
def test_the_annex_describes_jkn_not_jk1(census_wave, language, words):
    estimates = census_wave["jackknife"]
    text = " ".join(
        _section(estimates, language, heading) for heading in ("annex_weighting", "annex_variance")
    )
    for phrase in words:
        assert phrase in text, phrase
    assert "JK1" not in text
    assert "each leaving one responding organisation out" not in text


def test_the_jkn_degrees_of_freedom_are_the_sampled_organisations_less_the_cells(census_wave):
    # Post-stratified replicates: in every replicate the weights of each sampled cell sum to
    # its population, so the rows of the c sampled cells satisfy c - 1 independent linear
    # relations (each cell's sum is a multiple of the same constant row), and the census rows,
    # weight 1 in every replicate, are that constant row: rank = 40 - (5 - 1) = 36, df 35.
    sampled = SAMPLED * len(census_wave["sampled"])
    df = sampled - (len(census_wave["sampled"]) - 1) - 1
    assert census_wave["jackknife"].sector.global_index.df == df
    assert f"; {df} for the sector" in _section(census_wave["jackknife"], "en", "annex_variance")


def test_the_jkn_degrees_of_freedom_of_each_domain_follow_its_whole_sampled_cells(census_wave):
    # Rows of one replicate-weight matrix: a census organisation has weight 1 in every
    # replicate (the constant row); the rows of a sampled cell held whole sum to a multiple of
    # it (post-stratification gives the cell its population in every replicate). So, with n_s
    # the domain's organisations outside the census cells and W its sampled cells held whole:
    # df = n_s - W if W >= 1; n_s if W = 0 with census organisations; n_s - 1 otherwise.
    table = census_wave["table"]
    cell = list(zip(table["organisation_type"], table["size_class"], strict=True))
    table = table.assign(cell=cell)
    sampled = table[~table["census"]]
    size = sampled["cell"].value_counts()

    def expected(rows):
        rows_sampled = rows[~rows["census"]]
        whole = sum(n == size[c] for c, n in rows_sampled["cell"].value_counts().items())
        n_s = len(rows_sampled)
        if whole:
            return n_s - whole
        return n_s if rows["census"].any() else n_s - 1

    estimates = census_wave["jackknife"]
    found = {("sector", "all"): (estimates.sector.global_index.df, expected(table))}
    for variable in ("organisation_type", "size_class", "region"):
        for domain in estimates.domains.of(variable):
            if not domain.global_index.suppressed:
                rows = table[table[variable] == domain.level]
                found[variable, domain.level] = (domain.global_index.df, expected(rows))
    assert {key: df for key, (df, _e) in found.items()} == {
        key: e for key, (_df, e) in found.items()
    }
    # Counted by hand from the fixture (seed 7, 8 organisations in each of the 5 sampled cells):
    # the sector holds the 5 sampled cells whole, 40 - 5 = 35; OPH one (8 - 1 = 7), ESH two
    # (16 - 2 = 14). Île-de-France (11) holds 6 sampled organisations spread over 4 cells, none
    # whole, and 1 census organisation: df 6, more than 6 - 1; Bourgogne-Franche-Comté (27), 6
    # sampled over 3 cells and no census organisation: 5; Auvergne-Rhône-Alpes (84), 8 sampled
    # over 5 cells and 1 census organisation: 8.
    for key, n_s, cells, census, df in (
        (("organisation_type", "OPH"), 8, 1, 7, 7),
        (("organisation_type", "ESH"), 16, 2, 1, 14),
        (("region", "11"), 6, 4, 1, 6),
        (("region", "27"), 6, 3, 0, 5),
        (("region", "84"), 8, 5, 1, 8),
    ):
        rows = table[table[key[0]] == key[1]]
        counts = (len(rows[~rows["census"]]), rows[~rows["census"]]["cell"].nunique())
        assert (*counts, int(rows["census"].sum())) == (n_s, cells, census), key
        assert found[key][0] == df, key
    assert found["sector", "all"][0] == 35


def test_linearised_degrees_of_freedom_subtract_the_strata_of_the_domain(census_wave):
    estimates, table = census_wave["linearisation"], census_wave["table"]
    # R degf: the organisations of the domain minus the strata they fall in (census, sample)
    expected = {"all": len(table) - 2}
    for variable in ("organisation_type", "size_class", "region"):
        for level, rows in table.groupby(variable):
            expected[level] = len(rows) - rows["census"].nunique()
    published = {}
    for variable in ("sector", "organisation_type", "size_class", "region"):
        for domain in estimates.domains.of(variable):
            if not domain.global_index.suppressed:
                published[domain.level] = domain.global_index.df
                assert domain.global_index.df == expected[domain.level], domain.level
    assert published["all"] == len(table) - 2
    domains = [v for k, v in published.items() if k != "all"]
    text = _section(estimates, "en", "annex_variance")
    assert (
        "its responding organisations minus the number of strata they belong to (the fully "
        "enumerated cells form one stratum, the other organisations another: minus 1 for a "
        "domain within one stratum, minus 2 for a domain in both); "
        f"{len(table) - 2} for the sector, {min(domains):.0f} to {max(domains):.0f} for the "
        "published domains."
    ) in text
    french = _section(estimates, "fr", "annex_variance")
    assert "ses organismes répondants moins le nombre de strates auxquelles ils appartiennent" in (
        french
    )


@pytest.fixture(scope="module")
def sparse_wave():
    """32 of 40 organisations answer and are raked: once one is left out the raking has no
    solution, so the jackknife the methodology asks for cannot be used."""
    sector = simulate_sector(HLM, organisations=40, response_rate=0.8, seed=5)
    scores = score_responses(HLM, sector.responses, source="sparse wave").to_file()
    return estimate_wave(scores, sector.frame, HLM)


def test_the_fallback_is_recorded_in_the_estimates_file(sparse_wave, tmp_path):
    method = sparse_wave.method
    assert method.variance == "linearisation"
    assert method.variance_requested == "jackknife"
    assert method.variance_fallback is not None
    assert method.variance_fallback.startswith("jackknife not possible (In the replicate weights")
    path = tmp_path / "estimates.json"
    path.write_text(sparse_wave.dumps(), encoding="utf-8")
    again = EstimatesFile.read(path)
    assert again.method == method and again.variance_fell_back_from == "jackknife"


def test_a_file_written_before_the_field_still_reads_and_says_it(sparse_wave, tmp_path):
    old = sparse_wave.model_copy(
        update={
            "method": sparse_wave.method.model_copy(
                update={"variance_requested": None, "variance_fallback": None}
            )
        }
    )
    data = old.model_dump(mode="json", by_alias=True)
    del data["method"]["variance_requested"], data["method"]["variance_fallback"]
    loaded = EstimatesFile.load(data, "old.json")
    assert loaded.method.variance_fallback is None
    # the weighting's note ("jackknife not possible (...)") still tells
    assert loaded.variance_fell_back_from == "jackknife"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "The delete-one jackknife was asked for but could not be used: the sample is too "
            "sparse for the calibration to be redone in every replicate. The variance is "
            "linearised instead.",
        ),
        (
            "fr",
            f"Le jackknife à un retrait était demandé mais n'a pas pu être utilisé{NNBSP}: "
            "l'échantillon est trop clairsemé pour que le calage soit refait dans chaque "
            "réplique. La variance est linéarisée à la place.",
        ),
    ],
)
def test_the_annex_says_the_variance_fell_back(sparse_wave, language, sentence):
    assert sentence in _section(sparse_wave, language, "annex_variance")
    report = build_sector_report(sparse_wave, HLM, language=language)
    assert any(sentence in line for section in report.annex for line in section.lines)


def _with_method(estimates: EstimatesFile, **method) -> dict:
    changed = estimates.method.model_copy(update=method)
    return estimates.model_copy(update={"method": changed}).model_dump(mode="json", by_alias=True)


@pytest.mark.parametrize(
    ("method", "named"),
    [
        # a fallback although the linearisation itself was asked for
        (
            {"variance_requested": "linearisation", "variance_fallback": "x"},
            "not 'linearisation' (method.variance_requested)",
        ),
        # a fallback although the replicate method was used
        (
            {"variance": "jackknife JK1 (32 replicates)"},
            "but method.variance is 'jackknife JK1 (32 replicates)'",
        ),
    ],
)
def test_an_inconsistent_fallback_is_refused_naming_the_field(sparse_wave, method, named):
    with pytest.raises(ContractError) as raised:
        EstimatesFile.load(_with_method(sparse_wave, **method), "estimates.json")
    [found] = raised.value.problems
    assert found.location == "estimates.json: method.variance_fallback"
    assert named in found.message


def test_an_inconsistent_fallback_made_in_memory_says_no_fallback(census_wave):
    # model_copy does not validate: the annex must still not fail on a file that asked for the
    # linearisation and records a fallback (no text says why the linearisation fell back).
    linearised = census_wave["linearisation"]
    odd = linearised.model_copy(
        update={"method": linearised.method.model_copy(update={"variance_fallback": "x"})}
    )
    assert odd.method.variance_requested == "linearisation"
    assert odd.variance_fell_back_from is None
    for language in ("en", "fr"):
        assert variance_fallback_sentence(odd, language) == ""
        method_annex(odd, HLM, None, language)


def test_without_a_census_stratum_the_linearised_df_is_organisations_minus_1(sparse_wave):
    # raked (no census stratum): 32 responding organisations - 1
    text = _section(sparse_wave, "en", "annex_variance")
    assert "(degf): its responding organisations minus 1; 31 for the sector" in text


def test_no_fallback_sentence_when_the_jackknife_was_used(census_wave):
    for language in ("en", "fr"):
        text = _section(census_wave["jackknife"], language, "annex_variance")
        assert "could not be used" not in text and "n'a pas pu être utilisé" not in text


def _published(estimates: EstimatesFile, variable: str) -> int:
    return sum(not d.global_index.suppressed for d in estimates.domains.of(variable))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_annex_warns_of_multiple_comparisons(census_wave, language):
    estimates = census_wave["jackknife"]
    # every pair of published organisation types, and of published size classes
    pairs = comb(_published(estimates, "organisation_type"), 2) + comb(
        _published(estimates, "size_class"), 2
    )
    assert pairs == comb(4, 2) + comb(3, 2) == 9
    significant = sum(
        bool(c.significant)
        for c in estimates.contrasts
        if c.indicator == "global" and not c.suppressed
    )
    text = _section(estimates, language, "annex_comparisons")
    if language == "en":
        assert "at the 5% level, without correction for multiple comparisons" in text
        assert f"(pairs tested: 9; found significant: {significant})" in text
        assert "some of the differences named may be due to chance" in text
    else:
        assert f"au seuil de 5{NNBSP}%, sans correction pour comparaisons multiples" in text
        assert (
            f"(paires testées{NNBSP}: 9{NNBSP}; jugées significatives{NNBSP}: {significant})"
            in text
        )


def test_no_caveat_without_published_differences(census_wave):
    estimates = census_wave["jackknife"].model_copy(update={"contrasts": ()})
    headings = [s.heading for s in method_annex(estimates, HLM, None, "en")]
    assert texts("en")["annex_comparisons"] not in headings


@pytest.mark.parametrize(
    ("method", "english", "french"),
    [
        ("jackknife", "their variance is by delete-one jackknife", "par jackknife à un retrait"),
        (
            "bootstrap",
            "their variance is by bootstrap (Rao-Wu rescaling)",
            "par bootstrap (Rao-Wu)",
        ),
        ("linearisation", "their variance is linearised", "leur variance est linéarisée"),
    ],
)
def test_the_organisation_report_names_the_questionnaire_s_variance(
    census_wave, method, english, french
):
    from barometre.questionnaire.models import Variance
    from barometre.recommend.sheets import Library
    from barometre.reports.organisation import build_organisation_report
    from barometre.reports.render import organisation_html

    methodology = HLM.methodology.model_copy(update={"variance": Variance(method=method)})
    questionnaire = HLM.model_copy(update={"methodology": methodology})
    scores = census_wave["scores"]
    organisation = scores.organisations[0].organisation_id
    for language, phrase in (("en", english), ("fr", french)):
        report = build_organisation_report(
            scores, organisation, questionnaire, Library(sheets=[]), language=language
        )
        html = organisation_html(report)
        assert phrase in html
        # this report has no estimates file: it names the questionnaire's method as such
        assert texts(language)["method_sector_variance_source"] in unescape(html)
