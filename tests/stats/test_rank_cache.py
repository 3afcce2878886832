"""The degrees of freedom of a replicate design are computed once per set of rows (the rank of
the domain's replicate weights, R `degf`), with the same rule, and the sector estimate runs its
linear algebra on one BLAS thread (two spin against a busy CPU: docs/statistics.md,
"Computation time")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import threadpoolctl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometre.stats import SurveyDesign, estimators
from barometre.stats.sector import estimate_sector
from tests.stats import synthetic_sector as synth


@pytest.fixture
def design() -> SurveyDesign:
    # 4 organisations post-stratified on 2 cells (as in test_default_variance): the calibrated
    # JK1 replicates (0,10,5,5), (10,0,5,5), (5,5,0,10), (5,5,10,0) have rank 3, df 2; cell a
    # alone: rows (0,10), (10,0), (5,5), (5,5) of the replicates, rank 2, df 1.
    data = pd.DataFrame({"y": [1.0, 3.0, 5.0, 9.0], "cell": ["a", "a", "b", "b"], "w": 5.0})
    return SurveyDesign(data, weights="w").poststratify("cell", {"a": 10, "b": 10}).jackknife()


def test_each_set_of_rows_is_decomposed_once(design, monkeypatch):
    calls: list[int] = []
    rank = estimators.replicate_rank

    def counted(replicates: np.ndarray) -> int:
        calls.append(replicates.shape[0])
        return rank(replicates)

    monkeypatch.setattr(estimators, "replicate_rank", counted)
    a = design.data["cell"].to_numpy() == "a"
    assert design.degrees_of_freedom == 2
    assert design.subset(a).degrees_of_freedom == 1
    # the same rows again, through other derived designs and other columns: no new rank
    assert design.subset(a).degrees_of_freedom == 1
    assert design.with_column("z", np.arange(4.0)).subset(a).degrees_of_freedom == 1
    assert design.subset(a).mean("y").df == 1
    assert design.mean("y").df == 2
    assert calls == [4, 2]


def test_the_cached_rank_is_the_rank_of_the_rows():
    rng = np.random.default_rng(3)
    cells = {(t, s): 12 for t in synth.ORGANISATION_TYPES for s in synth.SIZES}
    frame = synth.frame(cells, {"84": 0.5, "11": 0.5})
    respondents = frame.groupby(["organisation_type", "size_class"]).head(6)
    data = respondents.assign(y=rng.normal(50, 10, len(respondents)), w=2.0)
    cell = data["organisation_type"] + data["size_class"]
    totals = dict.fromkeys(cell.unique(), 12)
    replicated = (
        SurveyDesign(data.assign(cell=cell), weights="w").poststratify("cell", totals).jackknife()
    )
    weights = replicated.replicate_weights
    for variable in ("organisation_type", "size_class", "region"):
        for level in data[variable].unique():
            rows = (data[variable] == level).to_numpy()
            # numpy's SVD rank at R's relative tolerance 1e-5, against the cached rank
            expected = np.linalg.matrix_rank(
                weights[rows], tol=1e-5 * np.linalg.norm(weights[rows], 2)
            )
            assert replicated.subset(rows).degrees_of_freedom == max(expected - 1, 0)


def test_the_sector_estimate_runs_on_one_blas_thread(monkeypatch):
    seen: list[int] = []
    rank = estimators.replicate_rank

    def watched(replicates: np.ndarray) -> int:
        seen.extend(
            info["num_threads"]
            for info in threadpoolctl.threadpool_info()
            if info["user_api"] == "blas"
        )
        return rank(replicates)

    monkeypatch.setattr(estimators, "replicate_rank", watched)
    cells = {(t, s): 20 for t in synth.ORGANISATION_TYPES for s in synth.SIZES}
    frame = synth.frame(cells, {"84": 0.5, "11": 0.5})
    respondents = (
        frame.groupby(["organisation_type", "size_class"]).head(8)["organisation_id"].tolist()
    )
    estimate_sector(synth.scores(frame, respondents), frame)
    assert seen and set(seen) == {1}


@pytest.fixture(scope="module")
def replicated() -> SurveyDesign:
    rng = np.random.default_rng(7)
    data = pd.DataFrame(
        {"y": rng.normal(size=30), "cell": np.repeat(["a", "b", "c"], 10), "w": 3.0}
    )
    return (
        SurveyDesign(data, weights="w")
        .poststratify("cell", {"a": 30, "b": 30, "c": 30})
        .jackknife()
    )


@given(masks=st.lists(st.lists(st.booleans(), min_size=30, max_size=30), min_size=1, max_size=6))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_order_of_domains_gives_the_rank_of_their_rows(replicated, masks):
    weights = replicated.replicate_weights
    for mask in masks * 2:  # each asked twice: the second from the cache
        rows = np.array(mask)
        part = weights[rows]
        if part.size == 0:
            expected = 0
        else:
            expected = int(np.linalg.matrix_rank(part, tol=1e-5 * np.linalg.norm(part, 2)))
        assert replicated.subset(rows).degrees_of_freedom == max(expected - 1, 0)
