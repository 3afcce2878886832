"""Disclosure control of the sector estimate: primary and complementary (secondary) suppression.

Every figure of a domain is a weighted (and an unweighted) mean over the responding
organisations of that domain that have a value, and the count of those organisations is
published. A reader who knows the counts can therefore combine published figures linearly:
the sector total minus the published regions gives the total of the hidden regions, an
organisation type minus the regions that lie inside it gives the rest, and so on. The rule
(docs/statistics.md, "Disclosure control"), applied to the organisations that carry a value:

1. Primary suppression: a domain with fewer than `minimum` organisations is suppressed.
2. Complementary suppression within each breakdown (organisation type, size class, region):
   if any of its cells is suppressed, the suppressed cells together must hold at least
   `minimum` organisations and be at least two cells; the published cell with the fewest
   organisations is suppressed next until they do (the published sector total would otherwise
   give the hidden cell by subtraction).
3. Audit across breakdowns: the organisations are split into atoms, the organisation type x
   size class x region cells, the finest sets the published domains are made of. An aggregate
   the reader can derive is a 0/1 vector over the atoms that is a linear combination of the
   published domains' indicator vectors. A mixed-integer programme (HiGHS, through
   `scipy.optimize.milp`) finds the derivable non-empty set with the fewest organisations; while
   it holds fewer than `minimum`, the cheapest protection is suppressed as well (one published
   domain, or two of one breakdown, with the fewest organisations, whose suppression makes that
   aggregate underivable), and the audit starts again.

This is the linear-dependence criterion of Statistics Norway's Gaussian elimination
(`GaussSuppression`, used by sdcTable and easySdcTable) and of tau-ARGUS' audit, with the
threshold rule of the methodology applied to every derivable aggregate and not only to the
primary cells: what the reader can compute always rests on at least `minimum` organisations.
Suppressing a cell only removes equations, so the pattern stays safe when more is suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from barometre.contracts.estimates import SuppressionKind
from barometre.contracts.vocabulary import DomainVariable

#: A domain: ("sector", "all"), ("organisation_type", "OPH"), ("region", "84")...
DomainKey = tuple[DomainVariable, str]
#: The variables of the breakdowns, whose crossing gives the atoms.
BREAKDOWNS: tuple[DomainVariable, ...] = ("organisation_type", "size_class", "region")
SECTOR: DomainKey = ("sector", "all")
#: HiGHS stops after this many seconds; an audit it cannot finish counts as a disclosure.
AUDIT_SECONDS = 20.0


def suppression_pattern(
    units: pd.DataFrame,
    domains: Sequence[DomainKey],
    minimum: int,
    forced: Mapping[DomainKey, SuppressionKind] | None = None,
) -> dict[DomainKey, SuppressionKind]:
    """The suppressed domains and why, for the organisations of `units` (one row per responding
    organisation that carries the figure, with organisation_type, size_class and region).

    forced: domains already suppressed (e.g. the whole domain, for one of its figures); they
    stay suppressed with their reason. The sector is suppressed only when it is itself below
    `minimum`, and then so is every domain.
    """
    hidden: dict[DomainKey, SuppressionKind] = dict(forced or {})
    atoms = units.groupby(list(BREAKDOWNS), sort=True, observed=True, dropna=False).size()
    sizes = atoms.to_numpy(dtype=float)
    membership = {key: _members(atoms.index, key) for key in domains}
    count = {key: int(sizes[membership[key]].sum()) for key in domains}
    for key in domains:  # primary wins over a forced complementary: it is the first reason
        if count[key] < minimum:
            hidden[key] = "primary"
    if SECTOR in hidden:
        return {key: hidden.get(key, "primary") for key in domains}
    for variable in BREAKDOWNS:
        _one_way([key for key in domains if key[0] == variable], count, hidden, minimum, domains)
    while True:
        published = [key for key in domains if key not in hidden and count[key] > 0]
        found = _smallest_derivable(sizes, [membership[key] for key in published], minimum)
        if found is None:
            return hidden
        aggregate, used = found
        candidates = [published[i] for i in used if published[i] != SECTOR]
        if not candidates:  # only the sector itself: it holds at least `minimum`
            return hidden
        for key in _cheapest_protection(
            aggregate, candidates, published, membership, count, domains
        ):
            hidden[key] = "complementary"


def _cheapest_protection(
    aggregate: np.ndarray,
    candidates: list[DomainKey],
    published: list[DomainKey],
    membership: Mapping[DomainKey, np.ndarray],
    count: Mapping[DomainKey, int],
    order: Sequence[DomainKey],
) -> tuple[DomainKey, ...]:
    """The domains to suppress next: the cheapest (fewest organisations, then first in `order`)
    one domain, or two of one breakdown, whose suppression makes `aggregate` underivable; when
    none does, the smallest domain the derivation uses (the audit then finds another one)."""
    options: list[tuple[DomainKey, ...]] = [(key,) for key in published if key != SECTOR]
    options += [
        (first, second)
        for i, first in enumerate(published)
        for second in published[i + 1 :]
        if first[0] == second[0] and first != SECTOR
    ]

    def cost(option: tuple[DomainKey, ...]) -> tuple[int, list[int]]:
        return sum(count[key] for key in option), sorted(order.index(key) for key in option)

    for option in sorted(options, key=cost):
        remaining = [membership[key] for key in published if key not in option]
        if not _derivable(aggregate, remaining):
            return option
    return (min(candidates, key=lambda key: (count[key], order.index(key))),)


def _derivable(aggregate: np.ndarray, published: list[np.ndarray]) -> bool:
    """Whether the 0/1 vector `aggregate` over the atoms is a linear combination of the
    published domains' indicator vectors (least squares, exact up to rounding)."""
    if not published:
        return not aggregate.any()
    matrix = np.column_stack(published).astype(float)
    target = aggregate.astype(float)
    solution, *_ = np.linalg.lstsq(matrix, target, rcond=None)
    return bool(np.abs(matrix @ solution - target).max() < 1e-8)


def _members(index: pd.Index, key: DomainKey) -> np.ndarray:
    variable, level = key
    if variable == "sector":
        return np.ones(len(index), dtype=bool)
    return np.asarray(index.get_level_values(variable) == level, dtype=bool)


def _one_way(
    cells: list[DomainKey],
    count: Mapping[DomainKey, int],
    hidden: dict[DomainKey, SuppressionKind],
    minimum: int,
    order: Sequence[DomainKey],
) -> None:
    """Suppress the smallest published cells of one breakdown until its suppressed cells hold
    at least `minimum` organisations in at least two cells (cells without organisations hide
    nothing and protect nothing)."""
    while True:
        concealed = [key for key in cells if key in hidden and count[key] > 0]
        total = sum(count[key] for key in concealed)
        if not concealed or (total >= minimum and len(concealed) >= 2):
            return
        if total >= minimum and not any(hidden[key] == "primary" for key in concealed):
            return  # one complementary cell of at least `minimum` organisations hides nothing
        candidates = [key for key in cells if key not in hidden and count[key] > 0]
        if not candidates:
            return
        smallest = min(candidates, key=lambda key: (count[key], order.index(key)))
        hidden[smallest] = "complementary"


def _smallest_derivable(
    sizes: np.ndarray, published: list[np.ndarray], minimum: int
) -> tuple[np.ndarray, list[int]] | None:
    """An aggregate of fewer than `minimum` organisations the reader can derive (a boolean
    vector over the atoms) and the published domains (positions in `published`) its derivation
    uses, or None when every derivable non-empty aggregate holds at least `minimum`.

    Unknowns: x, one binary per atom (the aggregate's atoms), and c, one real coefficient per
    published domain; M c = x (the aggregate is a combination of published domains), sum x >= 1;
    minimise the organisations of the aggregate, sum sizes * x.
    """
    atoms, domains = len(sizes), len(published)
    if atoms == 0 or domains == 0:
        return None
    matrix = np.column_stack(published).astype(float)
    constraints = [
        LinearConstraint(np.hstack([-np.eye(atoms), matrix]), 0.0, 0.0),
        LinearConstraint(np.concatenate([np.ones(atoms), np.zeros(domains)]), 1.0, np.inf),
    ]
    result = milp(
        c=np.concatenate([sizes, np.zeros(domains)]),
        constraints=constraints,
        integrality=np.concatenate([np.ones(atoms), np.zeros(domains)]),
        bounds=Bounds(
            np.concatenate([np.zeros(atoms), np.full(domains, -np.inf)]),
            np.concatenate([np.ones(atoms), np.full(domains, np.inf)]),
        ),
        options={"time_limit": AUDIT_SECONDS, "mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        # Not proved: count it as a disclosure through every published domain, so that the
        # smallest is suppressed and the audit runs again on a smaller problem.
        return np.zeros(atoms, dtype=bool), list(range(domains))
    if result.fun >= minimum - 0.5:
        return None
    aggregate = result.x[:atoms] > 0.5
    coefficients = result.x[atoms:]
    return aggregate, [i for i in range(domains) if abs(coefficients[i]) > 1e-7]
