"""French departments and regions (INSEE COG, see content/geo/PROVENANCE.md)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd


def _read(name: str) -> pd.DataFrame:
    path = resources.files("barometre.content").joinpath("geo", name)
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@cache
def departments() -> pd.DataFrame:
    """One row per department, indexed by its INSEE code: region code, names."""
    table = _read("insee_cog_departements.csv")
    regions = regions_table()
    table = table.rename(columns={"DEP": "department", "REG": "region", "LIBELLE": "name"})
    table["region_name"] = regions["name"].reindex(table["region"]).to_numpy()
    return table.set_index("department")[["region", "name", "region_name"]]


@cache
def regions_table() -> pd.DataFrame:
    table = _read("insee_cog_regions.csv")
    return table.rename(columns={"REG": "region", "LIBELLE": "name"}).set_index("region")[["name"]]


def region_names() -> dict[str, str]:
    """INSEE region code -> region name (both read as text)."""
    return {str(code): str(name) for code, name in regions_table()["name"].items()}


def normalise_department(code: pd.Series) -> pd.Series:
    """'1' → '01', '2a' → '2A'; other codes are returned stripped and upper-cased."""
    code = code.astype(str).str.strip().str.upper()
    return code.where(~code.str.fullmatch(r"\d"), "0" + code)


def region_of(department: pd.Series) -> pd.Series:
    """INSEE region code of each department code (NaN where the department is unknown)."""
    return (
        departments()["region"].reindex(normalise_department(department)).set_axis(department.index)
    )
