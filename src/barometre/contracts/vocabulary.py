"""The words of the barometer, once: the typology's families and the legal forms of the
organisations (`organisation_type`, "type d'organisme" in French).

`family` is only ever the typology; the legal form is never called a family.
"""

from __future__ import annotations

from typing import Literal, get_args

#: The typology (methodology §5): from the technology and transformation axes.
Family = Literal["pionnier", "timide", "conservateur", "prudent"]
FAMILIES: tuple[str, ...] = get_args(Family)

#: The legal form of an organisation: office public de l'habitat, entreprise sociale pour
#: l'habitat, coopérative HLM, société d'économie mixte.
OrganisationType = Literal["OPH", "ESH", "COOP", "SEM"]
ORGANISATION_TYPES: tuple[str, ...] = get_args(OrganisationType)

#: Size classes of the ELAN law (2018): fewer than 1,500 dwellings, 1,500 to 12,000, more.
SizeClass = Literal["<1500", "1500-12000", ">12000"]
SIZE_CLASSES: tuple[str, ...] = get_args(SizeClass)

#: The domains of the sector estimate: the sector, and one per value of each variable.
DomainVariable = Literal["sector", "organisation_type", "size_class", "region"]

#: How the variance of the sector estimate is computed (here, not in `contracts.estimates`,
#: so that `barometre estimate --variance` names its choices without importing pydantic).
VarianceMethod = Literal["linearisation", "jackknife", "bootstrap"]
