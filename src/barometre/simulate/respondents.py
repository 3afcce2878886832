"""Synthetic respondents whose answers are plausible and correlated.

Each organisation has two latent traits on a standard-normal scale: `tech` (equipment and services
deployed) and `transfo` (strategy, skills, buy-in). Bigger landlords are better equipped;
`transfo` follows `tech` only partly, so that some organisations are equipped without buy-in
(they come out *timides*) and a few have the will before the tools (*prudents*).

A respondent's answer to a field follows the latent trait of the field's axis, shifted by:
- the field's difficulty (a generalised e-signature is rarer than an online account),
- the respondent's role: management is optimistic, the more so where buy-in lags behind the
  equipment (the perception gap of the timides), field staff are more severe,
- noise per respondent and per answer.
The answer is the option whose score is nearest to the answer's target on 0-100. Everything is
drawn from one seeded generator, so the same seed gives the same file byte for byte.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.special import ndtr

from barometre.questionnaire.fields import FieldTables
from barometre.questionnaire.models import DONT_KNOW, MULTI_SEPARATOR, NOT_APPLICABLE
from barometre.questionnaire.relevance import drop_hidden_answers

#: Mean number of respondents of each role in a responding organisation (direction: always 1).
ROLE_RATES = {"numerique": 0.95, "clientele": 0.95, "patrimoine": 0.9, "support": 0.6}
FIXED_ROLE_CYCLE = ("direction", "numerique", "clientele", "patrimoine", "proximite", "support")
#: hlm-2026's roles, whose numbers are drawn as above; the roles of another questionnaire answer
#: at this rate, except its first role, which always answers (one respondent).
KNOWN_ROLES = ("direction", *ROLE_RATES, "proximite")
DEFAULT_ROLE_RATE = 0.8
SKIP, NOT_APPLICABLE_RATE, DONT_KNOW_RATE, FACT_DONT_KNOW_RATE = 0.02, 0.015, 0.04, 0.3
SYNTHETIC_COMMENTS = (
    "[synthétique] Les équipes de proximité manquent de tablettes.",
    "[synthétique] Le logiciel de gestion locative ne communique pas avec la GED.",
    "[synthétique] Les boîtes mail des chargés de clientèle sont saturées.",
    "[synthétique] Les données du patrimoine sont à fiabiliser avant tout projet BIM.",
    "[synthétique] Nos locataires âgés ont besoin d'un accompagnement en agence.",
)


def draw_respondents(
    organisations: pd.DataFrame,
    roles: list[str],
    rng: np.random.Generator,
    per_organisation: int | None = None,
) -> pd.DataFrame:
    """Respondents of each organisation: respondent_id, organisation_id, role.

    Every role of the questionnaire gets respondents: hlm-2026's at their own rates, any other
    at `DEFAULT_ROLE_RATE`, and the questionnaire's first role always answers, so that every
    responding organisation has a respondent. The other roles are drawn after hlm-2026's,
    so that a questionnaire with only hlm-2026's roles draws exactly as before."""
    first = roles[0] if roles else None
    if per_organisation is not None:
        cycle = [first] if first is not None else []
        cycle += [r for r in FIXED_ROLE_CYCLE if r in roles and r != first]
        cycle += [r for r in roles if r not in FIXED_ROLE_CYCLE and r != first]
        role_index = np.arange(per_organisation) % len(cycle)
        counts = np.full(len(organisations), per_organisation)
        role = np.tile(np.array(cycle, dtype=object)[role_index], len(organisations))
    else:
        size = np.log10(organisations["dwellings"].to_numpy(dtype=float))
        per_role = {"direction": np.ones(len(organisations), dtype=int)}
        for name, rate in ROLE_RATES.items():
            per_role[name] = (rng.random(len(organisations)) < rate).astype(int)
        per_role["proximite"] = rng.poisson(np.clip(0.6 * (size - 2.5), 0.1, 2.5))
        for name in roles:  # a loop over the questionnaire's roles, not over respondents
            if name not in per_role and name != first:
                per_role[name] = (rng.random(len(organisations)) < DEFAULT_ROLE_RATE).astype(int)
        if first is not None:
            per_role[first] = np.ones(len(organisations), dtype=int)
        order = [first] if first is not None else []
        order += [r for r in per_role if r in roles and r != first]
        per_role = {r: per_role[r] for r in order}
        stacked = np.column_stack([per_role[r] for r in per_role])
        counts = stacked.sum(axis=1)
        role = (
            np.concatenate([np.repeat(list(per_role), row) for row in stacked])
            if len(stacked)
            else np.array([], dtype=object)
        )
    organisation = np.repeat(organisations["organisation_id"].to_numpy(), counts)
    rank = (
        np.concatenate([np.arange(c) for c in counts]) + 1
        if len(counts)
        else np.array([], dtype=int)
    )
    ids = [f"{o}-R{r:02d}" for o, r in zip(organisation, rank, strict=True)]
    return pd.DataFrame({"respondent_id": ids, "organisation_id": organisation, "role": role})


def draw_answers(
    respondents: pd.DataFrame,
    organisations: pd.DataFrame,
    tables: FieldTables,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per answer given (contract columns of a responses file)."""
    fields = tables.fields
    asked = tables.roles.to_numpy()[
        :, tables.roles.columns.get_indexer(pd.Index(respondents["role"]))
    ]
    field_pos, person_pos = np.nonzero(asked)
    order = np.lexsort((field_pos, person_pos))
    field_pos, person_pos = field_pos[order], person_pos[order]
    n = len(field_pos)

    org = organisations.set_index("organisation_id").loc[respondents["organisation_id"]]
    tech = org["tech_latent"].to_numpy()[person_pos]
    transfo = org["transfo_latent"].to_numpy()[person_pos]
    role = respondents["role"].to_numpy()[person_pos]
    # by the axis's role, so that a questionnaire's named axes draw on the same two traits
    axis = fields["axis_role" if "axis_role" in fields.columns else "axis"].to_numpy()[field_pos]
    latent = np.where(axis == "transfo", transfo, tech)
    optimism = np.where(role == "direction", 0.25 + 0.45 * np.clip(tech - transfo, 0, None), 0.0)
    optimism = optimism - np.where(role == "proximite", 0.2, 0.0)
    person_noise = rng.normal(0.0, 0.3, len(respondents))[person_pos]
    difficulty = field_difficulty(fields.index)[field_pos]
    target = ndtr(latent + optimism + person_noise - difficulty + rng.normal(0.0, 0.55, n))

    answers = np.full(n, "", dtype=object)
    kind = fields["kind"].to_numpy()[field_pos]
    scored = fields["scored"].to_numpy(dtype=bool)[field_pos]
    fid = fields.index.to_numpy()[field_pos]
    _coded(
        answers,
        fid,
        target,
        (np.isin(kind, ["scale", "single", "status", "yesno"]) & scored),
        tables,
    )
    _multi(answers, fid, target, kind == "multi", tables, rng)
    _numeric(answers, field_pos, target, np.isin(kind, ["percent", "number"]) & scored, fields, rng)
    _paths(answers, fid, target, kind == "path", tables)
    _context(
        answers, field_pos, person_pos, ~scored, fields, tables, org, tech, transfo, optimism, rng
    )
    _missing(answers, field_pos, role, scored, fields, rng)

    frame = pd.DataFrame(
        {
            "organisation_id": respondents["organisation_id"].to_numpy()[person_pos],
            "respondent_id": respondents["respondent_id"].to_numpy()[person_pos],
            "role": role,
            "item_id": fid,
            "answer": answers,
        }
    )
    # conditional questions: what a respondent's own answers hide is left unanswered
    frame = drop_hidden_answers(frame, tables.relevance)
    return frame[frame["answer"] != ""].reset_index(drop=True)


def field_difficulty(field_ids: pd.Index) -> np.ndarray:
    """A fixed difficulty per field, the same in every wave and every run (seeded by the id)."""
    seeds = [zlib.crc32(field_id.encode("utf-8")) for field_id in field_ids]
    return np.array([np.random.default_rng(s).normal(0.0, 0.45) for s in seeds])


def _option_matrix(tables: FieldTables, fid: np.ndarray):
    """Codes and scores of the options of each pair's field, padded to the widest item."""
    options = tables.options[~tables.options["exclusive"]]
    rank = options.groupby("field_id").cumcount().to_numpy()
    width = int(rank.max()) + 1 if len(rank) else 1
    field_index = pd.Index(pd.unique(options["field_id"]))
    codes = np.full((len(field_index), width), "", dtype=object)
    scores = np.full((len(field_index), width), np.nan)
    row = field_index.get_indexer(pd.Index(options["field_id"]))
    codes[row, rank] = options["code"].to_numpy()
    scores[row, rank] = options["score"].to_numpy()
    where = field_index.get_indexer(pd.Index(fid))
    return codes[where], scores[where]


def _coded(answers, fid, target, mask, tables) -> None:
    if not mask.any():
        return
    codes, scores = _option_matrix(tables, fid[mask])
    distance = np.abs(np.nan_to_num(scores, nan=1e9) - 100.0 * target[mask, None])
    answers[mask] = codes[np.arange(mask.sum()), distance.argmin(axis=1)]


def _paths(answers, fid, target, mask, tables) -> None:
    """A path item answered with the whole path whose score is nearest the respondent's
    target (no random draw: a questionnaire without path items draws as before)."""
    if not mask.any():
        return
    choices = replace(tables, options=_whole_paths(tables.paths))
    _coded(answers, fid, target, mask, choices)


def _whole_paths(paths: pd.DataFrame) -> pd.DataFrame:
    """Every complete path of each path item (`yes|no`...) with its score, as options."""
    rows: list[dict] = []
    for field_id, steps in paths.groupby("field_id", sort=False):
        by_step = {step: part for step, part in steps.groupby("step")}
        pending: list[tuple[int, list[str]]] = [(0, [])]
        while pending:  # a loop over the item's paths, not over answers
            step, codes = pending.pop(0)
            for code, goes_to, score in by_step[step][["code", "next", "score"]].itertuples(
                index=False
            ):
                if goes_to < 0:
                    rows.append(
                        {
                            "field_id": field_id,
                            "code": MULTI_SEPARATOR.join([*codes, code]),
                            "score": score,
                            "weight": 1.0,
                            "exclusive": False,
                        }
                    )
                else:
                    pending.append((int(goes_to), [*codes, code]))
    return pd.DataFrame(rows, columns=["field_id", "code", "score", "weight", "exclusive"])


def _multi(answers, fid, target, mask, tables, rng) -> None:
    if not mask.any():
        return
    codes, _ = _option_matrix(tables, fid[mask])
    present = codes != ""
    spread = np.linspace(0.25, -0.25, codes.shape[1])
    chance = np.clip(target[mask, None] + spread[None, :] - 0.1, 0.02, 0.98)
    ticked = present & (rng.random(codes.shape) < chance)
    text = np.full(mask.sum(), "", dtype=object)
    for column in range(codes.shape[1]):
        text = np.where(ticked[:, column], text + codes[:, column] + MULTI_SEPARATOR, text)
    text = pd.Series(text, dtype=object).str.rstrip(MULTI_SEPARATOR).to_numpy(dtype=object)
    exclusive = (
        tables.options[tables.options["exclusive"]]
        .drop_duplicates("field_id")
        .set_index("field_id")["code"]
        .reindex(fid[mask])
        .to_numpy()
    )
    fallback = np.where(pd.isna(exclusive), codes[:, 0], exclusive)
    answers[mask] = np.where(text == "", fallback, text)


def _numeric(answers, field_pos, target, mask, fields, rng) -> None:
    if not mask.any():
        return
    pos = field_pos[mask]
    worst, best = fields["worst"].to_numpy()[pos], fields["best"].to_numpy()[pos]
    value = worst + (target[mask] + rng.normal(0, 0.05, mask.sum())) * (best - worst)
    # Counts and shares are never negative: a missing minimum means 0.
    low = np.nan_to_num(fields["minimum"].to_numpy()[pos], nan=0.0)
    high = np.nan_to_num(fields["maximum"].to_numpy()[pos], nan=np.inf)
    value = np.clip(value, low, high)
    precise = np.abs(best - worst) < 20
    rounded = np.where(precise, np.round(value, 1), np.round(value))
    answers[mask] = pd.Series(rounded).map("{:g}".format).to_numpy(dtype=object)


def _context(
    answers, field_pos, person_pos, mask, fields, tables, org, tech, transfo, optimism, rng
) -> None:
    context = fields["context"].to_numpy()[field_pos]
    kinds = fields["kind"].to_numpy()[field_pos]
    for key, values in (
        ("organisation_type", org["organisation_type"].to_numpy()[person_pos]),
        ("dwellings", org["dwellings"].astype(str).to_numpy()[person_pos]),
        ("department", org["department"].to_numpy()[person_pos]),
    ):
        answers[mask & (context == key)] = values[mask & (context == key)]
    _drop_unknown_codes(answers, field_pos, mask & (kinds == "single"), fields, tables)
    perceived = mask & (context == "perceived_maturity")
    feeling = ndtr(0.5 * (tech + transfo) + optimism + rng.normal(0, 0.5, len(tech)))
    answers[perceived] = (
        np.clip(np.round(1 + 9 * feeling), 1, 10).astype(int).astype(str)[perceived]
    )
    no_context = pd.isna(context)
    text = mask & (kinds == "text") & no_context
    comment = rng.integers(0, len(SYNTHETIC_COMMENTS), len(answers))
    speaks = rng.random(len(answers)) < 0.12
    answers[text & speaks] = np.array(SYNTHETIC_COMMENTS, dtype=object)[comment[text & speaks]]
    other = mask & no_context & (kinds != "text") & (kinds != "path")  # paths: _paths
    if other.any():
        codes, _ = _option_matrix(tables, fields.index.to_numpy()[field_pos[other]])
        count = (codes != "").sum(axis=1)
        pick = (rng.random(other.sum()) * np.maximum(count, 1)).astype(int)
        answers[other] = codes[np.arange(other.sum()), pick]


def _drop_unknown_codes(answers, field_pos, mask, fields, tables) -> None:
    """A context answer that is not an option of its item is left unanswered."""
    keys = pd.Index(tables.options["field_id"] + "\x1f" + tables.options["code"])
    fid = fields.index.to_numpy()[field_pos[mask]]
    valid = keys.get_indexer(pd.Series(fid, dtype=object) + "\x1f" + answers[mask]) >= 0
    answers[np.flatnonzero(mask)[~valid]] = ""


def _missing(answers, field_pos, role, scored, fields, rng) -> None:
    draw = rng.random(len(answers))
    reference = fields["reference_role"].to_numpy()[field_pos]
    is_fact = pd.notna(reference) & scored
    not_reference = is_fact & (role != reference)
    dont_know = np.where(not_reference, FACT_DONT_KNOW_RATE, DONT_KNOW_RATE)
    answers[scored & (draw < SKIP)] = ""
    answers[scored & (draw >= SKIP) & (draw < SKIP + NOT_APPLICABLE_RATE)] = NOT_APPLICABLE
    band = (draw >= SKIP + NOT_APPLICABLE_RATE) & (draw < SKIP + NOT_APPLICABLE_RATE + dont_know)
    answers[scored & band] = DONT_KNOW
