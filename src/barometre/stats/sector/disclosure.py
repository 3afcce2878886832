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
4. Peer comparisons: every referent sees, for each dimension, the mean of the other
   organisations of their own organisation type x size class (from the frame, among the
   responding organisations with a value), when at least `minimum` others have one
   (`reports.organisation`). With their own score, that is the total of the whole type x size
   cell: such a cell is a vector the reader knows, and it enters every derivation. It is also
   the cheapest protection: when a small aggregate's derivation uses a shown peer cell, the
   peer comparison of that cell is hidden first (the reports then say why), and published
   domains are suppressed only when hiding peer cells does not protect it. An aggregate
   derived from the sector alone (which every referent also sees) cannot be protected by the
   estimates: it is set aside (the audit looks for the next one).

This is the linear-dependence criterion of Statistics Norway's Gaussian elimination
(`GaussSuppression`, used by sdcTable and easySdcTable) and of tau-ARGUS' audit, with the
threshold rule of the methodology applied to every derivable aggregate and not only to the
primary cells: what the reader can compute always rests on at least `minimum` organisations.
Suppressing a cell only removes equations, so the pattern stays safe when more is suppressed.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

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
#: HiGHS stops after exploring this many branch-and-bound nodes: a limit of work, not of time,
#: so the pattern does not depend on the machine or its load. An audit it cannot finish counts
#: as a disclosure (the smallest domain is suppressed and the audit runs again). The demo's
#: audits (570 organisations) are solved at the root node.
AUDIT_NODES = 10_000


#: A cell of the peer comparison: (organisation type, size class).
PeerCell = tuple[str, str]


@dataclass(frozen=True)
class SuppressionPattern:
    """What a figure's disclosure control hides: the suppressed domains and why, and the
    organisation type x size class cells whose peer comparison the reports must not show."""

    domains: dict[DomainKey, SuppressionKind]
    hidden_peer_cells: frozenset[PeerCell] = frozenset()


def suppression_pattern(
    units: pd.DataFrame,
    domains: Sequence[DomainKey],
    minimum: int,
    forced: Mapping[DomainKey, SuppressionKind] | None = None,
    referents: pd.DataFrame | None = None,
    hidden_peers: Collection[PeerCell] = (),
) -> SuppressionPattern:
    """The suppressed domains and why, and the peer cells to hide, for the organisations of
    `units` (one row per responding organisation that carries the figure, with
    organisation_type, size_class and region).

    forced: domains already suppressed (e.g. the whole domain, for one of its figures); they
    stay suppressed with their reason; hidden_peers: peer cells already hidden. The sector is
    suppressed only when it is itself below `minimum`, and then so is every domain (and no
    peer cell is hidden: a comparison needs `minimum` others, more than the sector holds).
    referents: the organisations whose referents see a peer comparison (every responding
    organisation, with organisation_type and size_class; default: the organisations of
    `units`), which makes their type x size cells known unless hidden.
    """
    hidden: dict[DomainKey, SuppressionKind] = dict(forced or {})
    atoms = units.groupby(list(BREAKDOWNS), sort=True, observed=True, dropna=False).size()
    sizes = atoms.to_numpy(dtype=float)
    membership = {key: _members(atoms.index, key) for key in domains}
    known = known_peer_cells(units, units if referents is None else referents, minimum)
    cell_vector = {cell: _cell_members(atoms.index, cell) for cell in known}
    cell_size = {cell: int(sizes[vector].sum()) for cell, vector in cell_vector.items()}
    hidden_cells = {cell for cell in known if cell in set(hidden_peers)}
    count = {key: int(sizes[membership[key]].sum()) for key in domains}
    for key in domains:  # primary wins over a forced complementary: it is the first reason
        if count[key] < minimum:
            hidden[key] = "primary"
    if SECTOR in hidden:
        return SuppressionPattern({key: hidden.get(key, "primary") for key in domains})
    for variable in BREAKDOWNS:
        _one_way([key for key in domains if key[0] == variable], count, hidden, minimum, domains)
    unprotectable: list[np.ndarray] = []
    while True:
        published = [key for key in domains if key not in hidden and count[key] > 0]
        shown = [cell for cell in known if cell not in hidden_cells]
        found = _smallest_derivable(
            sizes,
            [membership[key] for key in published],
            [cell_vector[cell] for cell in shown],
            minimum,
            unprotectable,
        )
        if found is None:
            return SuppressionPattern(hidden, frozenset(hidden_cells))
        aggregate, used, used_cells = found
        candidates = [published[i] for i in used if published[i] != SECTOR]
        peer_candidates = [shown[i] for i in used_cells]
        if not candidates and not peer_candidates and not aggregate.any():
            return SuppressionPattern(hidden, frozenset(hidden_cells))  # not proved, nothing left
        if not candidates and not peer_candidates:
            # Derived from the sector alone, which every referent sees: nothing the
            # estimates hide can protect it. Set it aside, look for the next.
            unprotectable.append(aggregate)
            continue
        protection = _cheapest_protection(
            aggregate,
            candidates,
            peer_candidates,
            published,
            membership,
            shown,
            cell_vector,
            cell_size,
            count,
            domains,
        )
        hidden_cells.update(protection.peer_cells)
        for key in protection.domains:
            hidden[key] = "complementary"


def known_peer_cells(units: pd.DataFrame, referents: pd.DataFrame, minimum: int) -> list[PeerCell]:
    """The organisation type x size class cells whose total a referent can compute from their
    peer comparison (`reports.organisation`: the mean of the other organisations of the cell
    with a value, shown when at least `minimum` of them have one, plus their own score).

    units: the organisations with a value; referents: every organisation that sees a
    comparison (those of `units` among them; none, to audit without comparisons). A member
    with a value sees the k - 1 others of the cell's k, one without a value sees all k: the
    cell is known when k >= minimum + 1, or k >= minimum with a member without a value."""
    cell = ["organisation_type", "size_class"]
    with_value = units.groupby(cell, observed=True).size()
    everyone = referents.groupby(cell, observed=True).size()
    known: list[PeerCell] = []
    for (organisation_type, size_class), k in zip(
        with_value.index.tolist(), with_value.tolist(), strict=True
    ):
        members = int(everyone.get((organisation_type, size_class), 0))
        if members and (k >= minimum + 1 or (k >= minimum and members > k)):
            known.append((str(organisation_type), str(size_class)))
    return known


def _cell_members(index: pd.Index, cell: PeerCell) -> np.ndarray:
    organisation_type, size_class = cell
    return np.asarray(
        (index.get_level_values("organisation_type").astype(str) == organisation_type)
        & (index.get_level_values("size_class").astype(str) == size_class),
        dtype=bool,
    )


@dataclass(frozen=True)
class _Protection:
    """What to hide next: peer cells, or published domains."""

    peer_cells: tuple[PeerCell, ...] = ()
    domains: tuple[DomainKey, ...] = ()


def _cheapest_protection(
    aggregate: np.ndarray,
    candidates: list[DomainKey],
    peer_candidates: list[PeerCell],
    published: list[DomainKey],
    membership: Mapping[DomainKey, np.ndarray],
    shown: list[PeerCell],
    cell_vector: Mapping[PeerCell, np.ndarray],
    cell_size: Mapping[PeerCell, int],
    count: Mapping[DomainKey, int],
    order: Sequence[DomainKey],
) -> _Protection:
    """The cheapest protection that makes `aggregate` underivable from the remaining domains
    and shown peer cells. Peer cells come first (a peer comparison hidden for a few referents
    costs less than a public figure): one, or two, of those the derivation uses (fewest
    organisations, then first shown); when more are needed and hiding every shown cell would
    do, the smallest the derivation uses (the audit then finds the next derivation). Else one
    published domain, or two of one breakdown, with the fewest organisations (then first in
    `order`); when none does, the smallest peer cell the derivation uses, else its smallest
    domain (the audit then finds another one)."""
    published_vectors = [membership[key] for key in published]

    def cells_cost(option: tuple[PeerCell, ...]) -> tuple[int, list[int]]:
        return sum(cell_size[c] for c in option), sorted(shown.index(c) for c in option)

    cell_options: list[tuple[PeerCell, ...]] = [(cell,) for cell in peer_candidates]
    cell_options += list(itertools.combinations(peer_candidates, 2))
    for cells in sorted(cell_options, key=cells_cost):
        remaining = [cell_vector[c] for c in shown if c not in cells]
        if not _derivable(aggregate, published_vectors + remaining):
            return _Protection(peer_cells=cells)
    if peer_candidates and not _derivable(aggregate, published_vectors):
        # Hiding more peer cells would do: hide the smallest one the derivation uses, the
        # audit then finds the next derivation (one peer cell at a time, never a public one).
        return _Protection(peer_cells=(min(peer_candidates, key=lambda c: cells_cost((c,))),))
    known = [cell_vector[c] for c in shown]
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
        if not _derivable(aggregate, remaining + known):
            return _Protection(domains=option)
    if peer_candidates:
        return _Protection(peer_cells=(min(peer_candidates, key=lambda c: cells_cost((c,))),))
    return _Protection(domains=(min(candidates, key=lambda key: (count[key], order.index(key))),))


def _derivable(aggregate: np.ndarray, published: list[np.ndarray]) -> bool:
    """Whether the 0/1 vector `aggregate` over the atoms is a linear combination of the
    given indicator vectors (published domains and known cells; least squares, exact up to
    rounding)."""
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
    sizes: np.ndarray,
    published: list[np.ndarray],
    known: list[np.ndarray],
    minimum: int,
    excluded: Sequence[np.ndarray] = (),
) -> tuple[np.ndarray, list[int], list[int]] | None:
    """An aggregate of fewer than `minimum` organisations the reader can derive (a boolean
    vector over the atoms), the published domains (positions in `published`) and the known
    vectors (positions in `known`) its derivation uses, or None when every derivable
    non-empty aggregate holds at least `minimum`. known: vectors the reader knows besides the
    published domains (shown peer cells); excluded: aggregates not to return again.

    Unknowns: x, one binary per atom (the aggregate's atoms), and c, one real coefficient per
    published domain or known vector; M c = x (the aggregate is a combination of them),
    sum x >= 1, and for each excluded set S, x differs from S somewhere; minimise the
    organisations of the aggregate, sum sizes * x.
    """
    atoms, domains = len(sizes), len(published) + len(known)
    if atoms == 0 or not published:
        return None
    matrix = np.column_stack(published + known).astype(float)
    constraints = [
        LinearConstraint(np.hstack([-np.eye(atoms), matrix]), 0.0, 0.0),
        LinearConstraint(np.concatenate([np.ones(atoms), np.zeros(domains)]), 1.0, np.inf),
    ]
    for aggregate in excluded:  # sum over S of (1 - x) + sum outside S of x >= 1
        signs = np.where(aggregate, -1.0, 1.0)
        constraints.append(
            LinearConstraint(
                np.concatenate([signs, np.zeros(domains)]), 1.0 - aggregate.sum(), np.inf
            )
        )
    result = milp(
        c=np.concatenate([sizes, np.zeros(domains)]),
        constraints=constraints,
        integrality=np.concatenate([np.ones(atoms), np.zeros(domains)]),
        bounds=Bounds(
            np.concatenate([np.zeros(atoms), np.full(domains, -np.inf)]),
            np.concatenate([np.ones(atoms), np.full(domains, np.inf)]),
        ),
        options={"node_limit": AUDIT_NODES, "mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        # Not proved (node limit reached): count it as a disclosure through every published
        # domain and known cell, so that the smallest is hidden and the audit runs again on
        # a smaller problem.
        return np.zeros(atoms, dtype=bool), list(range(len(published))), list(range(len(known)))
    if result.fun >= minimum - 0.5:
        return None
    aggregate = result.x[:atoms] > 0.5
    coefficients = result.x[atoms:]
    used = [i for i in range(domains) if abs(coefficients[i]) > 1e-7]
    return (
        aggregate,
        [i for i in used if i < len(published)],
        [i - len(published) for i in used if i >= len(published)],
    )
