"""Disclosure control of the sector estimate (issue 10, finding 3): the subtraction attack.

The attack is written here from the published figures only, independently of
`stats.sector.disclosure`: a reader knows each published figure's value and count (n) and which
organisations of the frame answered (the counts by type, size and region are published), and
combines published figures linearly. With unweighted means and counts the arithmetic is exact:
sum over a set = unweighted mean x n. What the reader can recover must always rest on at least
the methodology's disclosure minimum of organisations.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.contracts.estimates import DomainEstimate, EstimatesFile, Figure
from barometre.questionnaire import load_questionnaire
from barometre.questionnaire.models import Methodology
from barometre.scoring import score_responses
from barometre.simulate import simulate_next_wave, simulate_sector
from barometre.stats.sector import estimate_sector
from barometre.stats.sector.disclosure import suppression_pattern
from barometre.stats.sector.wave import compare_wave_scores, estimate_wave
from tests.stats import synthetic_sector as synth

MINIMUM = Methodology().disclosure_minimum
BREAKDOWNS = ("organisation_type", "size_class", "region")


# --- the attack, from published figures ---------------------------------------------------


def published_figures(domains: dict[str, list[DomainEstimate]], pick) -> dict:
    """{(variable, level): Figure} of every domain, `pick` choosing the figure."""
    return {(variable, d.level): pick(d) for variable, cells in domains.items() for d in cells}


def subtraction(sector: Figure, cells: list[Figure]) -> tuple[int, float | None]:
    """The sector's total minus the published cells of one breakdown: how many organisations
    the remainder holds and their mean (unweighted, exact with the published counts)."""
    assert sector.n is not None and sector.unweighted_value is not None
    shown = [c for c in cells if not c.suppressed]
    rest_n = sector.n - sum(c.n for c in shown)
    rest_sum = sector.unweighted_value * sector.n - sum(c.unweighted_value * c.n for c in shown)
    return rest_n, (rest_sum / rest_n if rest_n else None)


def peer_cells(units: pd.DataFrame, respondents: pd.DataFrame) -> list[tuple[str, str]]:
    """The organisation type x size class cells whose total a referent learns from their
    report (`reports.organisation`): the mean of the other organisations of their type and
    size class that have a value, shown from MINIMUM of them, plus their own score. A member
    with a value sees the others (k - 1 of the cell's k), a member without one sees all k."""
    cells = []
    for (kind, size), members in respondents.groupby(["organisation_type", "size_class"]):
        k = int(((units["organisation_type"] == kind) & (units["size_class"] == size)).sum())
        seen = [k - 1] * k + [k] * (len(members) - k)
        if any(others >= MINIMUM for others in seen):
            cells.append((str(kind), str(size)))
    return cells


def smallest_recoverable(
    units: pd.DataFrame, figures: dict, known: list[tuple[str, str]] = ()
) -> int | None:
    """The fewest organisations of a non-empty set whose total the reader can derive from the
    published figures and the `known` type x size cells of the peer comparisons (any linear
    combination of them), by exhaustive search over the unions of up to four organisation
    type x size class x region cells; None when every such set holds at least MINIMUM.
    units: the organisations that carry the figure.

    A union U is derivable when its indicator is in the span of the published sets: the
    residual (I - P) 1_U is zero, P the projection on that span. The residual of U is the sum
    of its cells' residual columns, so sets of 1, 2, 3 and 4 cells are matched through a table
    of the residuals of single cells and pairs (meet in the middle)."""
    assert MINIMUM - 1 <= 4, "the search covers sets of up to four cells"
    cells = units.groupby(list(BREAKDOWNS), dropna=False).size()
    sizes = cells.to_numpy()
    columns = []
    for (variable, level), figure in figures.items():
        if figure.suppressed:
            continue
        if variable == "sector":
            columns.append(np.ones(len(cells)))
        else:
            columns.append((cells.index.get_level_values(variable) == level).astype(float))
    for kind, size in known:
        columns.append(
            (
                (cells.index.get_level_values("organisation_type") == kind)
                & (cells.index.get_level_values("size_class") == size)
            ).astype(float)
        )
    basis = np.column_stack(columns)
    residual = np.eye(len(cells)) - basis @ np.linalg.pinv(basis)
    small = [i for i in range(len(cells)) if sizes[i] < MINIMUM]

    def key(vector: np.ndarray) -> bytes:
        return (np.round(vector, 6) + 0.0).tobytes()

    groups: dict[bytes, list[tuple[int, ...]]] = {}
    for size in (1, 2):
        for chosen in itertools.combinations(small, size):
            if sizes[list(chosen)].sum() < MINIMUM:
                vector = residual[:, list(chosen)].sum(axis=1)
                groups.setdefault(key(vector), []).append(chosen)
    found = [c for c in groups.get(key(np.zeros(len(cells))), [])]
    for vector_key, members in list(groups.items()):
        negative = key(-np.frombuffer(vector_key))
        for first in members:
            for second in groups.get(negative, []):
                if not set(first) & set(second):
                    found.append(first + second)
    # The sector mean every referent sees, minus every known cell, leaves the other cells
    # together: the reports alone give that set, no public suppression can hide it (the
    # audit sets it aside), so it is not counted here.
    in_known = np.zeros(len(cells), dtype=bool)
    for kind, size in known:
        in_known |= (cells.index.get_level_values("organisation_type") == kind) & (
            cells.index.get_level_values("size_class") == size
        )
    reports_only = set(np.flatnonzero(~in_known).tolist()) if known else None
    found = [c for c in found if set(c) != reports_only]
    totals = [int(sizes[list(c)].sum()) for c in found]
    small_totals = [t for t in totals if t < MINIMUM]
    return min(small_totals) if small_totals else None


def domains_of(file: EstimatesFile) -> dict[str, list[DomainEstimate]]:
    return {
        variable: list(file.domains.of(variable))
        for variable in ("sector", "organisation_type", "size_class", "region")
    }


def assert_nothing_recovered(
    domains, units_by_column, respondents: pd.DataFrame, hidden_peers=()
) -> None:
    """Every breakdown's subtraction, then every linear combination, of each kind of figure,
    with the peer comparisons the reports show (all but the `hidden_peers` cells)."""
    pickers = {
        "global": lambda d: d.global_index,
        "tech": lambda d: d.axes.tech,
        "transfo": lambda d: d.axes.transfo,
    }
    sector = domains["sector"][0]
    for name in list(sector.dimensions):
        pickers[name] = lambda d, name=name: d.dimensions[name]
    for name in list(sector.shares.level):
        pickers[f"level:{name}"] = lambda d, name=name: d.shares.level[name]
    for column, pick in pickers.items():
        figures = published_figures(domains, pick)
        top = figures[("sector", "all")]
        if top.suppressed:
            continue
        units = units_by_column(column)
        for variable in BREAKDOWNS:
            cells = [f for (v, _level), f in figures.items() if v == variable]
            rest_n, rest_mean = subtraction(top, cells)
            assert rest_n == 0 or rest_n >= MINIMUM, (column, variable, rest_n)
            if rest_n and not column.startswith("level:"):
                # the attack is real: it gives the hidden organisations' mean exactly
                hidden = [lv for (v, lv), f in figures.items() if v == variable and f.suppressed]
                truth = units.loc[units[variable].isin(hidden), "value"].mean()
                assert rest_mean == pytest.approx(truth, abs=1e-6)
        assert smallest_recoverable(units, figures) is None, column
        known = [cell for cell in peer_cells(units, respondents) if cell not in hidden_peers]
        assert smallest_recoverable(units, figures, known) is None, (column, known)
    assert len(respondents) > 0


# --- the rule on hand-computed tables -------------------------------------------------------


def keys(regions):
    return (
        [("sector", "all")]
        + [("organisation_type", t) for t in synth.ORGANISATION_TYPES]
        + [("size_class", s) for s in synth.SIZES]
        + [("region", r) for r in regions]
    )


def units(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """(organisation type, size class, region, count) -> one row per organisation."""
    return pd.DataFrame(
        [(t, s, r) for t, s, r, count in rows for _ in range(count)],
        columns=list(BREAKDOWNS),
    )


class TestRule:
    def test_one_hidden_region_takes_the_smallest_other_with_it(self):
        # regions A 20, B 12, C 8, D 1: D is below 5; D alone would be sector - A - B - C,
        # so the smallest published region, C (8), is hidden too: D + C = 9 >= 5, two cells.
        table = units(
            [
                ("OPH", "<1500", "A", 20),
                ("ESH", "<1500", "B", 12),
                ("ESH", "<1500", "C", 8),
                ("ESH", "<1500", "D", 1),
            ]
        )
        pattern = suppression_pattern(table, keys("ABCD"), 5)
        assert {k: v for k, v in pattern.domains.items() if k[0] == "region"} == {
            ("region", "D"): "primary",
            ("region", "C"): "complementary",
        }
        # COOP, SEM and two size classes have no organisation: primary, and they hide nothing
        assert pattern.domains[("organisation_type", "COOP")] == "primary"
        assert ("organisation_type", "OPH") not in pattern.domains
        # the two peer cells (OPH < 1500 = region A, ESH < 1500 = B + C + D) give nothing more
        assert pattern.hidden_peer_cells == frozenset()

    def test_a_region_inside_a_type_is_caught_across_breakdowns(self):
        # Region X: 6 organisations, all OPH; OPH has 7. Every region and type has >= 5, yet
        # OPH - X is the one OPH organisation of region Y. Cheapest protection: hide OPH with
        # the smallest type, COOP (6, before SEM in the vocabulary's order): 13 organisations,
        # against X + Y (29). What remains derivable is OPH + COOP - X = 7 organisations.
        table = units(
            [
                ("OPH", "1500-12000", "X", 6),
                ("OPH", "1500-12000", "Y", 1),
                ("ESH", "1500-12000", "Y", 10),
                ("COOP", "1500-12000", "Y", 6),
                ("SEM", "1500-12000", "Y", 6),
            ]
        )
        nobody = table.iloc[:0]  # no referent sees a peer comparison
        pattern = suppression_pattern(table, keys("XY"), 5, referents=nobody)
        assert {k: v for k, v in pattern.domains.items() if k[0] != "size_class"} == {
            ("organisation_type", "OPH"): "complementary",
            ("organisation_type", "COOP"): "complementary",
        }
        # With the referents' peer comparisons, each type (one size class, >= 6) is known.
        # Each peer cell is its published type: hiding one or two of them leaves the same
        # vectors, so the peer cells cannot protect here; hiding types protects nothing
        # either, OPH - X must be broken on the regions' side; X alone is sector - Y, so both
        # regions go (29, the cheapest that works), and every comparison stays shown.
        pattern = suppression_pattern(table, keys("XY"), 5)
        assert {k: v for k, v in pattern.domains.items() if k[0] != "size_class"} == {
            ("region", "X"): "complementary",
            ("region", "Y"): "complementary",
        }
        assert pattern.hidden_peer_cells == frozenset()

    def test_a_peer_comparison_is_hidden_rather_than_its_type(self):
        """Review of issue 10: a COOP referent of the 6 COOP < 1500 sees the mean of the 5
        others (shown: at least 5), hence the cell's total; COOP (10, published) minus that
        cell gave the 4 COOP 1500-12000 exactly. Every other cell holds 5 (no comparison
        shown: 4 others). Protecting it on the public side took the pair OPH + COOP (20
        organisations); hiding the COOP < 1500 comparison (6 referents) does it, and is
        tried first: no public figure is suppressed but the empty SEM and > 12000."""
        table = units(
            [
                ("OPH", "<1500", "A", 5),
                ("OPH", "1500-12000", "A", 5),
                ("ESH", "<1500", "A", 5),
                ("ESH", "1500-12000", "A", 5),
                ("COOP", "<1500", "A", 6),
                ("COOP", "1500-12000", "A", 4),
            ]
        )
        pattern = suppression_pattern(table, keys("A"), 5)
        assert pattern.hidden_peer_cells == {("COOP", "<1500")}
        assert pattern.domains == {
            ("organisation_type", "SEM"): "primary",
            ("size_class", ">12000"): "primary",
        }
        # The attack, independently: with the comparison shown, the 4 come out; without it,
        # the published types and size classes give only unions of whole types or whole size
        # classes (a_type + b_size in {0, 1} on every cell), at least 10 organisations.
        everything = {key: Figure(suppressed=False) for key in keys("A")}
        published = {key: Figure(suppressed=key in pattern.domains) for key in keys("A")}
        assert peer_cells(table, table) == [("COOP", "<1500")]
        assert smallest_recoverable(table, everything, [("COOP", "<1500")]) == 4
        assert smallest_recoverable(table, published, []) is None

    def test_the_peer_cell_is_known_without_a_value_of_ones_own(self):
        # 5 COOP < 1500 with the figure and a sixth responding one without: the sixth sees
        # the mean of all 5. COOP (9 with the figure) minus that cell gives the other 4.
        table = units(
            [
                ("OPH", "<1500", "A", 5),
                ("OPH", "1500-12000", "A", 5),
                ("ESH", "<1500", "A", 5),
                ("ESH", "1500-12000", "A", 5),
                ("COOP", "<1500", "A", 5),
                ("COOP", "1500-12000", "A", 4),
            ]
        )
        everyone = pd.concat([table, units([("COOP", "<1500", "A", 1)])], ignore_index=True)
        primaries = {key: "primary" for key in keys("A") if key[1] in {"SEM", ">12000"}}
        # each of the 5 sees 4 others: no comparison shown, nothing known, nothing to hide
        alone = suppression_pattern(table, keys("A"), 5, referents=table)
        assert alone.domains == primaries and alone.hidden_peer_cells == frozenset()
        # the sixth's comparison is hidden instead of OPH + COOP (19) on the public side
        pattern = suppression_pattern(table, keys("A"), 5, referents=everyone)
        assert pattern.domains == primaries
        assert pattern.hidden_peer_cells == {("COOP", "<1500")}

    def test_what_the_sector_and_a_peer_cell_give_hides_the_comparison(self):
        # 6 SEM > 12000 (peers shown) and 1 SEM 1500-12000: a referent of the six sees the
        # sector mean of 6 others and the peer mean of 5, so the lone one's score. No public
        # suppression could hide it; hiding the > 12000 comparison does. The public pattern
        # is the breakdown's: 1500-12000 primary (1), > 12000 complementary.
        table = units([("SEM", ">12000", "A", 6), ("SEM", "1500-12000", "A", 1)])
        pattern = suppression_pattern(table, keys("A"), 5)
        assert {k: v for k, v in pattern.domains.items() if k[0] == "size_class"} == {
            ("size_class", "<1500"): "primary",
            ("size_class", "1500-12000"): "primary",
            ("size_class", ">12000"): "complementary",
        }
        assert ("organisation_type", "SEM") not in pattern.domains
        assert ("region", "A") not in pattern.domains
        assert pattern.hidden_peer_cells == {("SEM", ">12000")}

    def test_a_small_sector_hides_everything(self):
        table = units([("OPH", "<1500", "A", 4)])
        pattern = suppression_pattern(table, keys("A"), 5)
        assert set(pattern.domains.values()) == {"primary"}
        assert len(pattern.domains) == len(keys("A"))

    def test_nothing_to_hide_hides_nothing(self):
        table = units([(t, s, "A", 5) for t in synth.ORGANISATION_TYPES for s in synth.SIZES])
        pattern = suppression_pattern(table, keys("A"), 5)
        assert pattern.domains == {} and pattern.hidden_peer_cells == frozenset()


# --- the attack on estimates ---------------------------------------------------------------


def estimate_records(frame: pd.DataFrame, scores: pd.DataFrame):
    result = estimate_sector(scores, frame)
    record = result.domains_record()
    domains = {
        variable: list(record.of(variable))
        for variable in ("sector", "organisation_type", "size_class", "region")
    }
    units_by_column, merged = units_of(scores, frame)
    return domains, units_by_column, merged, result.hidden_peer_cells


def units_of(scores: pd.DataFrame, frame: pd.DataFrame):
    """The organisations that carry each figure, with their value (the attack's knowledge):
    `units_by_column(column)` for an indicator or `level:CODE`, and the merged table."""
    merged = scores.merge(frame, on="organisation_id")

    def units_by_column(column: str) -> pd.DataFrame:
        if column.startswith("level:"):
            table = merged[merged["level"].notna()].copy()
            table["value"] = (table["level"] == column.split(":", 1)[1]).astype(float)
        else:
            table = merged[merged[column].notna()].copy()
            table["value"] = table[column]
        return table

    return units_by_column, merged


class TestFinding3:
    def test_the_one_organisation_of_a_region_cannot_be_recovered(self):
        """Issue 10, finding 3: the sector figure minus the published regions gave the hidden
        organisation's index at its true value."""
        frame = synth.frame(
            {(t, s): 10 for t in synth.ORGANISATION_TYPES for s in synth.SIZES},
            {"84": 0.4, "11": 0.3, "76": 0.2, "01": 0.1},
        )
        overseas = frame.index[frame["region"] == "01"]
        respondents = frame.drop(overseas[1:])["organisation_id"].tolist()
        scores = synth.scores(frame, respondents, seed=4)
        domains, units_by_column, merged, hidden_peers = estimate_records(frame, scores)
        regions = {d.level: d for d in domains["region"]}
        assert regions["01"].suppression == "primary"
        rest_n, _mean = subtraction(
            domains["sector"][0].global_index, [d.global_index for d in domains["region"]]
        )
        assert rest_n >= MINIMUM
        assert_nothing_recovered(domains, units_by_column, merged, hidden_peers)

    def test_a_region_inside_a_type_cannot_be_subtracted_from_it(self):
        """Every cell has at least 5 organisations, but region 84's 6 are all OPH and OPH has
        7: OPH minus region 84 would be the one OPH organisation of region 11."""
        layout = [("OPH", "84", 6), ("OPH", "11", 1), ("ESH", "11", 10)]
        layout += [("COOP", "11", 6), ("SEM", "11", 6)]
        frame = pd.DataFrame(
            [
                {
                    "organisation_id": f"ORG{i:04d}",
                    "name": f"Organisation {i}",
                    "organisation_type": kind,
                    "dwellings": 5000,
                    "department": "75",
                    "region": region,
                    "size_class": "1500-12000",
                }
                for i, (kind, region) in enumerate(
                    (kind, region) for kind, region, count in layout for _ in range(count)
                )
            ]
        )
        scores = synth.scores(frame, frame["organisation_id"].tolist(), seed=5)
        domains, units_by_column, merged, hidden_peers = estimate_records(frame, scores)
        assert all(d.suppression != "primary" for d in domains["region"])
        assert_nothing_recovered(domains, units_by_column, merged, hidden_peers)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_generated_frames_give_nothing_away(self, data):
        regions = {"84": 0.35, "11": 0.3, "76": 0.2, "01": 0.08, "02": 0.07}
        counts = {
            (t, s): data.draw(st.integers(0, 6), label=f"{t} {s}")
            for t in synth.ORGANISATION_TYPES
            for s in synth.SIZES
        }
        if sum(counts.values()) < 2:
            counts[("OPH", "<1500")] = 2
        frame = synth.frame({k: v for k, v in counts.items() if v}, regions)
        answered = data.draw(st.lists(st.booleans(), min_size=len(frame), max_size=len(frame)))
        chosen = frame["organisation_id"][np.array(answered)].tolist()
        if len(chosen) < 2:
            chosen = frame["organisation_id"].head(2).tolist()
        scores = synth.scores(frame, chosen, seed=data.draw(st.integers(0, 100)))
        missing = data.draw(st.lists(st.booleans(), min_size=len(scores), max_size=len(scores)))
        scores.loc[np.array(missing), "services"] = np.nan
        domains, units_by_column, merged, hidden_peers = estimate_records(frame, scores)
        assert_nothing_recovered(domains, units_by_column, merged, hidden_peers)


@pytest.fixture(scope="module")
def demo_waves():
    """The demo's two synthetic waves (`web.demo.demo_sectors`: 570 organisations, seeds 2025
    and 2026), scored and estimated as a wave's computation does; both get published."""
    questionnaire = load_questionnaire("hlm-2026")
    first = simulate_sector(questionnaire, organisations=570, seed=2025)
    second = simulate_next_wave(questionnaire, first, seed=2026)
    waves = []
    for sector in (first, second):
        scores = score_responses(questionnaire, sector.responses, source="demo").to_file()
        file = estimate_wave(scores, sector.frame, questionnaire)
        waves.append((file, scores, sector.frame))
    return waves


def test_demo_waves_give_nothing_away(demo_waves):
    for file, scores, frame in demo_waves:
        merged = scores.organisation_table().merge(frame, on="organisation_id")

        def units_by_column(column: str, merged=merged) -> pd.DataFrame:
            if column.startswith("level:"):
                table = merged[merged["level"].notna()].copy()
                table["value"] = (table["level"] == column.split(":", 1)[1]).astype(float)
            else:
                table = merged[merged[column].notna()].copy()
                table["value"] = table[column]
            return table

        assert any(d.suppression == "primary" for d in file.domains.region)
        hidden = [(c.organisation_type, c.size_class) for c in file.hidden_peer_cells]
        assert_nothing_recovered(domains_of(file), units_by_column, merged, hidden)


def test_the_demo_waves_hide_peer_comparisons_rather_than_public_figures(demo_waves):
    """Review of issue 10: with every shown peer comparison a known total, the demo wave 2025
    hid OPH, COOP, SEM and the three size classes on the public page. Hiding a few peer
    comparisons protects as well: every organisation type and size class is published (each
    has at least 5 responding organisations), and what is hidden is among the shown cells."""
    for file, scores, frame in demo_waves:
        for variable in ("organisation_type", "size_class"):
            assert [d.level for d in file.domains.of(variable) if d.suppressed] == [], variable
        merged = scores.organisation_table().merge(frame, on="organisation_id")
        shown = peer_cells(merged[merged["global"].notna()], merged)
        hidden = [(c.organisation_type, c.size_class) for c in file.hidden_peer_cells]
        assert hidden and set(hidden) < set(shown)


@pytest.fixture(scope="module")
def first_wave():
    questionnaire = load_questionnaire("hlm-2026")
    sector = simulate_sector(questionnaire, organisations=80, response_rate=0.6, seed=11)
    scores = score_responses(questionnaire, sector.responses, source="wave 1").to_file()
    return questionnaire, sector.frame, scores


class TestWaveChange:
    """The panel change with both waves' sector figures gives, by subtraction, the total of the
    organisations that left (or joined): it is shown only when they are none or at least 5."""

    @staticmethod
    def without(scores, count: int):
        scored = [o for o in scores.organisations if o.global_index is not None]
        gone = {o.organisation_id for o in scored[:count]}
        kept = tuple(o for o in scores.organisations if o.organisation_id not in gone)
        return scores.model_copy(update={"organisations": kept})

    @pytest.mark.parametrize(("left", "shown"), [(0, True), (2, False), (4, False), (5, True)])
    def test_the_panel_change_hides_a_few_leavers(self, first_wave, left, shown):
        questionnaire, frame, scores = first_wave
        second = self.without(scores, left)
        change = compare_wave_scores(scores, frame, second, frame, questionnaire)
        panel = change.indicator("global").panel
        assert panel.suppressed is not shown
        if shown:
            # every organisation of the second wave answered the first: the panel is the wave
            assert panel.n == sum(o.global_index is not None for o in second.organisations)
