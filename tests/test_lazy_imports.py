"""The packages whose names are imported on first use (`barometre.lazy`, issue 14) still offer
every name of their `__all__`, the very object of the module it comes from; and one of their
light modules is imported without the heavy ones."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from barometre.lazy import lazy_names

#: package -> {module: names}, written out here rather than read from the package, so that a
#: name dropped from a package is a failure.
LAZY = {
    "barometre.contracts": {
        "barometre.contracts.change": ["ChangeFile", "Difference", "IndicatorChange"],
        "barometre.contracts.estimates": ["DomainEstimate", "EstimatesFile", "Figure"],
        "barometre.contracts.scores": ["OrganisationScores", "QuestionnaireRef", "ScoresFile"],
    },
    "barometre.questionnaire": {
        "barometre.questionnaire.fields": [
            "FieldTables",
            "build_field_tables",
            "effective_options",
        ],
        "barometre.questionnaire.loader": [
            "builtin_path",
            "load_questionnaire",
            "parse_questionnaire",
        ],
        "barometre.questionnaire.models": ["Item", "Questionnaire"],
    },
    "barometre.interop.exports": {
        "barometre.interop.exports.choices": [
            "FORMATS",
            "FORMAT_SUFFIX",
            "TABLES",
            "ExportFormat",
            "ExportTable",
        ],
        "barometre.interop.exports.codebook": [
            "Codebook",
            "CodebookColumn",
            "MissingCode",
            "ValueLabel",
        ],
        "barometre.interop.exports.pseudonyms": ["derived_key", "pseudonym", "pseudonymise"],
        "barometre.interop.exports.tables": [
            "ExportError",
            "Table",
            "WaveData",
            "available_tables",
            "build_tables",
            "estimates_problems",
            "export_problems",
        ],
        "barometre.interop.exports.writers": [
            "PARQUET_CODEBOOK_KEY",
            "XLSX_MAX_ROWS",
            "ExportSummary",
            "write_export",
        ],
    },
}

NAMES = [
    (package, module, name)
    for package, modules in LAZY.items()
    for module, names in modules.items()
    for name in names
]


@pytest.mark.parametrize(("package", "module", "name"), NAMES)
def test_every_name_is_the_modules_own(package, module, name):
    offered = importlib.import_module(package)
    assert getattr(offered, name) is getattr(importlib.import_module(module), name)
    assert name in dir(offered)


@pytest.mark.parametrize("package", list(LAZY))
def test_all_lists_exactly_the_names(package):
    expected = {name for names in LAZY[package].values() for name in names}
    assert set(importlib.import_module(package).__all__) == expected


@pytest.mark.parametrize("package", list(LAZY))
def test_an_unknown_name_is_an_attribute_error(package):
    with pytest.raises(AttributeError, match=f"module '{package}' has no attribute 'nope'"):
        _ = importlib.import_module(package).nope


def test_a_submodule_is_still_imported_from_its_package():
    from barometre.contracts import estimates

    assert estimates.EstimatesFile.__module__ == "barometre.contracts.estimates"


def test_a_name_is_imported_once_then_kept(monkeypatch):
    package = type(sys)("barometre_lazy_example")
    monkeypatch.setitem(sys.modules, package.__name__, package)
    package.__getattr__, package.__dir__ = lazy_names(package.__name__, {"json": ("dumps",)})
    assert "dumps" not in vars(package)
    assert package.dumps is json.dumps
    assert vars(package)["dumps"] is json.dumps  # the next use is an ordinary attribute
    assert "dumps" in dir(package)


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("barometre.contracts.vocabulary", {"pydantic", "pandas", "numpy"}),
        ("barometre.interop.exports.choices", {"pydantic", "pandas", "numpy", "pyarrow"}),
        ("barometre.files", {"pandas", "numpy"}),
    ],
)
def test_a_light_module_imports_no_heavy_library(module, absent):
    program = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    packages = {name.partition(".")[0] for name in json.loads(run.stdout)}
    assert packages & absent == set()
