"""The reports' own words: English source texts, translated through the one catalogue
(`barometre.i18n`, the same as the web application's); the questionnaire brings its own
labels. Placeholders in braces are filled by the templates (`str.format`)."""

from __future__ import annotations

from barometre.errors import gettext_noop as _
from barometre.i18n import translation
from barometre.questionnaire.models import Typology

TEXTS: dict[str, str] = {
    "synthetic": _("Synthetic data: no organisation or answer in this document is real."),
    "org_title": _("Digital maturity report"),
    "sector_title": _("Digital maturity barometer of social housing"),
    "summary": _("Summary for the board"),
    "global": _("Global index"),
    "level": _("Level"),
    "family": _("Family"),
    "borderline": _(
        "Borderline: an axis lies within measurement error of its threshold; the family could"
        " change with other respondents."
    ),
    "respondents": _("respondents"),
    "strengths": _("Strengths"),
    "weaknesses": _("Areas to work on"),
    "first_steps": _("First recommended actions"),
    "dimensions": _("Scores by dimension"),
    "dimension": _("Dimension"),
    "score": _("Score"),
    "sector": _("Respondents"),
    "peers": _("Peers"),
    "previous": _("Last wave"),
    "dispersion": _("Dispersion"),
    "gap": _("Management gap"),
    "coverage": _("Coverage"),
    "typology": _("Family on the two axes"),
    "radar": _("Comparison with the sector and peers"),
    "perception": _("Perception gap and dispersion"),
    "perception_text": _("Perception gap (management minus other roles)"),
    "perceived": _("Perceived maturity (self-rating 1-10)"),
    "gap_not_shown": _(
        "not shown: it needs at least two respondents in management and two in other roles, "
        "so that no one's own answers can be read from it"
    ),
    "spread_rule": _(
        "Dispersion and gap: “—” when there are fewer than two respondents with a score "
        "(dispersion) or fewer than two in management and two in other roles (gap)."
    ),
    "change": _("Change since the last wave"),
    "no_previous": _("No previous wave for this organisation."),
    "recommendations": _("Prioritised recommendations"),
    "why": _("Why"),
    "priority": _("priority"),
    "effort": _("effort"),
    "impact": _("impact"),
    "prerequisites": _("Prerequisites"),
    "indicators": _("Indicators to follow"),
    "references": _("References"),
    "roadmap": _("Roadmap"),
    "months": _("months"),
    "next_steps": _("What would move you up a level"),
    "next_level": _("next level"),
    "top_level": _("Highest level reached."),
    "insufficient": _("Insufficient data: answer more questions of this dimension."),
    "method": _("Method annex"),
    "sector_respondents": _("Responding organisations (unweighted mean)"),
    "sector_mean": _("Mean of responding organisations (unweighted)"),
    "below": _("below"),
    "not_shown": _("not shown (fewer than {minimum} organisations)"),
    "peers_hidden": _(
        "not shown: with the published figures it would give a figure about fewer than "
        "{minimum} organisations"
    ),
    "estimates": _("Sector estimates"),
    "ci": _("95 % CI"),
    "levels": _("Distribution by level"),
    "families": _("Distribution by family"),
    "by_organisation_type": _("By type of organisation"),
    "by_size": _("By size"),
    "by_region": _("By region"),
    "reliability": _("Reliability of the dimensions"),
    "frequent": _("Most frequent recommendations among responding organisations"),
    "organisations": _("organisations"),
    "suppressed": _("n < {minimum}"),
    "complementary": _("hidden"),
    "panel_hidden_note": _(
        "“Hidden” panel change: with the sector figures of both waves it would give, by "
        "subtraction, the figure of the few organisations that left or joined."
    ),
    "complementary_note": _(
        "“Hidden”: this figure rests on enough organisations, but with the sector figure and "
        "the other rows it would give, by subtraction, a figure about fewer than {minimum} "
        "organisations. It is hidden to protect that one."
    ),
    "method_comparisons": _(
        "comparisons shown from {minimum} organisations, the organisation itself left out"
    ),
    "method_priority": _(
        "Priority = impact × gap / effort (S {cost_s}, M {cost_m}, L {cost_l}) × {factor} "
        "when the sheet suits the organisation's family first."
    ),
    "method_priority_no_family": _(
        "Priority = impact × gap / effort (S {cost_s}, M {cost_m}, L {cost_l})."
    ),
    "methodology": _("methodology"),
    "no_recommendation": _(
        "No sheet is triggered: no score is below the thresholds of the library of best practices."
    ),
    "no_library": _(
        "No recommendations: no library of best-practice sheets written for this "
        "questionnaire was given."
    ),
    "not_reachable": _("These answers alone do not reach the next level."),
    "weighting_poststratification": _("post-stratification by type and size"),
    "weighting_raking": _("raking on the margins of type, size and region"),
    "variance": _(
        "Linearised variance with the finite population correction; design effect against "
        "simple random sampling without replacement"
    ),
    "population_change": _("Change (population)"),
    "panel_change": _("Change (panel)"),
    "pionnier": _("Pioneer (pionnier)"),
    "timide": _("Timid adopter (timide)"),
    "conservateur": _("Conservative (conservateur)"),
    "prudent": _("Cautious (prudent)"),
    # -- organisation report additions (issue 11) --
    "quadrant_pionnier": _("Pioneers (pionniers)"),
    "quadrant_timide": _("Timid adopters (timides)"),
    "quadrant_conservateur": _("Conservatives (conservateurs)"),
    "quadrant_prudent": _("Cautious (prudents)"),
    "why_answered": _("{answer} answered (score {score}, below {below})"),
    "why_consolidated": _("{answer}, consolidated answer (score {score}, below {below})"),
    "why_score": _("score {score} (below {below})"),
    "why_family": _("the sheet suits the {family} family first"),
    "why_needed_by": _("needed first by {sheets}"),
    # -- sheets triggered by answers (an option chosen, a status row's step) --
    "why_chosen": _("{answer} answered"),
    "why_chosen_by": _("{answer} answered by {count} of {total} respondents"),
    "why_ticked": _("{answer} ticked"),
    "why_ticked_by": _("{answer} ticked by {count} of {total} respondents"),
    "why_step_consolidated": _("{answer}, consolidated answer"),
    "why_at_most": _("{answer} answered (at most {step})"),
    "why_at_most_consolidated": _("{answer}, consolidated answer (at most {step})"),
    "wave": _("Wave"),
    "report_date": _("Report date"),
    "questionnaire": _("Questionnaire"),
    "no_strength": _("No dimension has a score yet."),
    "definitions": _("Definitions"),
    "dispersion_definition": _(
        "how far the organisation's respondents disagree, measured as the standard deviation of "
        "their own scores on the dimension, in points out of 100 (shown from two respondents with "
        "a score)."
    ),
    "gap_definition": _(
        "the mean score of the respondents of the general management minus that of the other "
        "roles, in points; positive when the management sees the organisation as more mature "
        "than the other roles do (shown from two respondents on each side)."
    ),
    "tech_axis": _("tech axis"),
    "transfo_axis": _("transformation axis"),
    "month_1": _("January"),
    "month_2": _("February"),
    "month_3": _("March"),
    "month_4": _("April"),
    "month_5": _("May"),
    "month_6": _("June"),
    "month_7": _("July"),
    "month_8": _("August"),
    "month_9": _("September"),
    "month_10": _("October"),
    "month_11": _("November"),
    "month_12": _("December"),
    # -- sector report additions (issue 11) --
    "dimensions_by_group": _("Score by dimension in each group (0-100)"),
    "sector_synthetic": _(
        "Synthetic data: the organisations, answers and figures of this report are simulated; "
        "none is real."
    ),
    "sector_no_previous": _(
        "No change to show: there is no comparable previous wave for the sector."
    ),
    "cover_wave": _("Wave {year}"),
    "cover_frame": _(
        "{responding} responding organisations out of the {organisations} of the frame ({share})"
    ),
    "key_messages": _("Key messages"),
    "summary_global": _(
        "The sector's global index is {value} out of 100 (level “{level}”), {confidence} "
        "confidence interval {interval}, from {n} responding organisations."
    ),
    "summary_no_index": _(
        "The sector's global index is not shown: fewer than {minimum} organisations have one."
    ),
    "since_year": _("since {year}"),
    "since_previous": _("since the previous wave"),
    "change_not_shown": _("The change {since} is not shown (fewer than {minimum} organisations)."),
    "change_up": _(
        "Up {value} points {since} ({previous} to {current}): a rise beyond the margin of "
        "error (interval {interval})."
    ),
    "change_down": _(
        "Down {value} points {since} ({previous} to {current}): a fall beyond the margin of "
        "error (interval {interval})."
    ),
    "change_stable": _(
        "Stable {since}: the change of {value} points ({previous} to {current}) lies within "
        "the margin of error (interval {interval})."
    ),
    "message_dimensions": _(
        "Strongest dimension: {strongest} ({high}); weakest: {weakest} ({low})."
    ),
    "message_family": _("The largest family is {family}: {share} of the organisations."),
    "message_sizes": _(
        "By size, the global index ranges from {low} ({low_class}) to {high} ({high_class})."
    ),
    "message_moved": _("Dimensions that moved beyond the margin of error: {dimensions}."),
    "message_none_moved": _(
        "No dimension moved beyond the margin of error since the previous wave."
    ),
    "size_below_1500": _("fewer than 1,500 dwellings"),
    "size_1500_12000": _("1,500 to 12,000 dwellings"),
    "size_above_12000": _("more than 12,000 dwellings"),
    "interval_wald": _("normal approximation for the mean scores"),
    "interval_student": _("Student's t with the design's degrees of freedom"),
    "interval_replicate": _("replicate intervals with Student's t"),
    "interval_logit": _("logit interval for the shares"),
    "interval_korn_graubard": _("Korn-Graubard interval for a share at 0 or 100%"),
    "variance_jackknife": _(
        "Replicate variance by delete-one jackknife (JK1), the weights calibrated again in "
        "each replicate, with the finite population correction"
    ),
    "variance_bootstrap": _(
        "Replicate variance by bootstrap (Rao-Wu rescaling), the weights calibrated again in "
        "each replicate"
    ),
    "from_score": _("from {min}"),
    "above_score": _("above {min}"),
    "counts_zero": _("Unanswered questions count 0 in"),
    "annex_sample": _("Sample and coverage"),
    "annex_frame": _("Frame: {organisations} organisations; {responding} answered ({share})."),
    "annex_coverage": _(
        "A dimension is scored when at least {coverage} of the weight of its applicable "
        "questions is answered; the global index needs every dimension."
    ),
    "annex_n": _("n: the number of responding organisations a figure rests on."),
    "annex_weighting": _("Weighting"),
    "annex_weighting_poststratification": _(
        "Post-stratification by type of organisation × size class: every cell of the frame "
        "has at least {min_cell} responding organisations."
    ),
    "annex_weighting_raking": _(
        "Raking on the margins of type of organisation, size and region: some type × size "
        "cells have fewer than {min_cell} responding organisations, too few to post-stratify."
    ),
    "annex_weights": _(
        "Weights from {low} to {high}; Kish design effect of the weights {kish}, effective "
        "sample size {effective}."
    ),
    "annex_variance": _("Variance and intervals"),
    "annex_intervals": _("{confidence} confidence intervals: {methods}."),
    "annex_disclosure": _("Figures not published"),
    "annex_disclosure_rule": _(
        "No figure rests on fewer than {minimum} responding organisations (“n < {minimum}”); "
        "a figure that would give a hidden one back by subtraction is hidden too (“hidden”)."
    ),
    "annex_levels": _("Levels and families"),
    "annex_levels_rule": _("Levels of a score out of 100: {levels}."),
    "annex_families_rule": _(
        "Families: tech axis at or above {tech} and transformation axis at or above {transfo}"
        " for a pioneer; tech only, timid adopter; transformation only, cautious; neither, "
        "conservative."
    ),
    "annex_reliability": _(
        "Cronbach's alpha with its Feldt interval and McDonald's omega for each dimension, "
        "from the organisations' answers; not shown below {minimum} organisations."
    ),
    "annex_change": _(
        "Population change: each wave weighted to its own frame. Panel change: the "
        "organisations that answered both waves. The variance of a difference takes the "
        "overlap of the two waves into account; {variance} Intervals use Student's t with the "
        "degrees of freedom of the two waves together (population change) or of the later "
        "wave (panel change)."
    ),
    # {variance} of annex_change: how the change file's variances were computed.
    "annex_change_linearised": _(
        "it is computed by linearisation, with each wave's calibration residuals."
    ),
    "annex_change_replicates": _(
        "each wave's variance, and the panel change's, comes from the wave's replicate "
        "weights ({method}, the weights calibrated again in each replicate), as its "
        "estimates; the covariance of the two waves comes from their correlation computed by "
        "linearisation, since replicate weights cannot be paired across two waves drawn "
        "independently."
    ),
    "annex_change_fallback": _(
        "the {method} asked for could not be used (a wave's weights could not be calibrated "
        "again in every replicate): it is computed by linearisation, with each wave's "
        "calibration residuals."
    ),
    "change_method_jackknife": _("delete-one jackknife"),
    "change_method_bootstrap": _("Rao-Wu bootstrap"),
    "annex_versions": _("Versions"),
    "annex_versions_line": _("Questionnaire {questionnaire}; methodology {methodology}."),
    "ci_short": _("{confidence} CI"),
    "n_organisations": _("n (organisations)"),
    "n_panel": _("n (panel)"),
    "indicator": _("Indicator"),
    "share_column": _("Share"),
    "organisation_type_column": _("Type of organisation"),
    "size_column": _("Size"),
    "region_column": _("Region"),
    "this_wave": _("This wave"),
    "recommendation_column": _("Recommendation"),
    "share_of_roadmaps": _("Share of the roadmaps"),
    "chart_dimensions": _("Sector score by dimension, with its {confidence} confidence interval."),
    "chart_levels": _("Share of the organisations at each level, with its interval."),
    "chart_families": _("Share of the organisations in each family, with its interval."),
    "chart_change": _("Change of each dimension since the previous wave, with its interval."),
    "chart_regions": _(
        "Global index by region (regions with fewer than {minimum} organisations are not shown)."
    ),
    "the_figures_table": _("The figures are in the table below."),
    # -- variance that covers and t intervals (issue 13) --
    "variance_jackknife_count": _(
        "Replicate variance by delete-one jackknife (JK1): {replicates} replicates, each "
        "leaving one responding organisation out and calibrating the weights again, with the "
        "finite population correction"
    ),
    "interval_wald_student": _("Student's t with the design's degrees of freedom for the means"),
    "annex_df_replicates": _(
        "Degrees of freedom of each domain's design, as R's survey package (degf): the rank "
        "of the domain's replicate weights minus 1, that is its responding organisations "
        "minus 1, fewer when the calibration constrains them; {sector} for the sector, {low} "
        "to {high} for the published domains."
    ),
    "annex_df_linearisation": _(
        "Degrees of freedom of each domain's design, as R's survey package (degf): its "
        "responding organisations minus 1; {sector} for the sector, {low} to {high} for the "
        "published domains."
    ),
    "method_sector_variance": _(
        "The sector report's figures are weighted to the frame; their variance is by "
        "delete-one jackknife, the weights calibrated again in each replicate, and their 95% "
        "intervals use Student's t with the design's degrees of freedom. The comparisons "
        "here are plain means of the other responding organisations."
    ),
    # -- the method texts say what the estimates did (issue 13 leftovers) --
    "method_sector_variance_bootstrap": _(
        "The sector report's figures are weighted to the frame; their variance is by "
        "bootstrap (Rao-Wu rescaling), the weights calibrated again in each replicate, and "
        "their 95% intervals use Student's t with the design's degrees of freedom. The "
        "comparisons here are plain means of the other responding organisations."
    ),
    "method_sector_variance_linearisation": _(
        "The sector report's figures are weighted to the frame; their variance is "
        "linearised, with the calibration residuals and the finite population correction, "
        "and their 95% intervals use Student's t with the design's degrees of freedom. The "
        "comparisons here are plain means of the other responding organisations."
    ),
    # After method_sector_variance*: this report has no estimates file, so it can only name
    # the method the questionnaire asks for, not the one the sector report's figures used.
    "method_sector_variance_source": _(
        "This is the questionnaire's method; the sector report's method annex says which one "
        "its figures used."
    ),
    "variance_jackknife_jkn_count": _(
        "Replicate variance by delete-one jackknife within strata (JKn): the fully "
        "enumerated cells ({cells}), where every organisation answered, form a stratum of "
        "their own whose organisations are in every replicate and contribute no variance; "
        "{replicates} replicates, each leaving out one responding organisation of the "
        "sampled stratum and calibrating the weights again, with the finite population "
        "correction"
    ),
    "annex_df_replicates_strata": _(
        "Degrees of freedom of each domain's design, as R's survey package (degf): the rank "
        "of the domain's replicate weights minus 1, at most its responding organisations "
        "outside the fully enumerated cells; for the sector, a type of organisation or a "
        "size class, those organisations minus the number of sampled cells they cover (the "
        "calibration fixes each cell's total in every replicate); {sector} for the sector, "
        "{low} to {high} for the published domains."
    ),
    "annex_df_linearisation_strata": _(
        "Degrees of freedom of each domain's design, as R's survey package (degf): its "
        "responding organisations minus the number of strata they belong to (the fully "
        "enumerated cells form one stratum, the other organisations another: minus 1 for a "
        "domain within one stratum, minus 2 for a domain in both); {sector} for the sector, "
        "{low} to {high} for the published domains."
    ),
    "variance_fallback_jackknife": _(
        "The delete-one jackknife was asked for but could not be used: the sample is too "
        "sparse for the calibration to be redone in every replicate. The variance is "
        "linearised instead."
    ),
    "variance_fallback_bootstrap": _(
        "The bootstrap was asked for but could not be used: the sample is too sparse for the "
        "calibration to be redone in every replicate. The variance is linearised instead."
    ),
    "annex_weighting_poststratification_census": _(
        "Post-stratification by type of organisation × size class: every cell of the frame "
        "has at least {min_cell} responding organisations or is fully enumerated (every "
        "organisation of the cell answered: {cells})."
    ),
    "annex_comparisons": _("Differences between groups"),
    "annex_multiple_comparisons": _(
        "The sentences saying that one group is ahead of another test each pair of groups "
        "on the global index at the 5% level, without correction for multiple comparisons "
        "(pairs tested: {pairs}; found significant: {significant}). Even if no group "
        "differed, about one test in twenty would come out significant by chance: some of "
        "the differences named may be due to chance."
    ),
}


def axis_names(typology: Typology | None, language: str) -> dict[str, str]:
    """How the reports name each role's axis: "tech axis" / "transformation axis" by default,
    the questionnaire's own labels when it names its axes, nothing without a typology."""
    if typology is None:
        return {}
    if typology.axes is None:
        words = texts(language)
        return {"tech": words["tech_axis"], "transfo": words["transfo_axis"]}
    return {role: label.get(language) for role, label in typology.labels().items()}


def texts(language: str) -> dict[str, str]:
    """Every text of the reports in `language` (English where the catalogue has none)."""
    translate = translation(language)
    return {key: translate(text) for key, text in TEXTS.items()}
