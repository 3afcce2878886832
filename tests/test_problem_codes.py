"""One registry of problem codes (`barometre.problems.Code`): every code has one translatable
message with a French translation, and every call site passes exactly the placeholders of its
code's message (checked on the source, so that a call site that is never run is checked too)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from barometre.errors import Code, problem
from barometre.scoring.answer_check import FOR_RESPONDENT
from tests.helpers import ROOT
from tests.web.test_translations import po_entries

SOURCE = ROOT / "src" / "barometre"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdg]")


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def literal_code(node: ast.expr) -> Code | None:
    """The code of `Code.X` written as such, else None."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Code"
    ):
        return Code[node.attr]
    return None


def is_problem_call(node: ast.AST) -> bool:
    """A call of `errors.problem` (not of the methods named `problem` of the answer rules)."""
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "problem")
        or (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "problem"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "errors"
        )
    )


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"


def test_every_code_has_a_message_and_a_distinct_value():
    assert len(Code) > 100
    for code in Code:
        assert isinstance(code.template, str) and code.template.strip(), code
        assert re.fullmatch(r"[a-z0-9_]+", code.value), code
    assert len({code.value for code in Code}) == len(Code)


def test_every_message_has_its_french_translation_with_the_same_placeholders():
    entries = po_entries()
    for code in Code:
        french = entries.get(code.template.replace('"', '\\"'))
        assert french, f"{code.value}: no French for {code.template!r} in django.po"
        assert placeholders(french) == placeholders(code.template), code


def test_a_problem_takes_its_message_from_its_code():
    found = problem("f.csv:3", Code.MALFORMED_ROW, seen=4, expected=3)
    assert found.code == "malformed_row" == Code.MALFORMED_ROW
    assert found.template == Code.MALFORMED_ROW.template
    assert str(found) == "f.csv:3: 4 fields where the header has 3 [malformed_row]"
    french = {Code.MALFORMED_ROW.template: "%(seen)s champs là où l'en-tête en a %(expected)s"}
    assert found.localized(french.__getitem__) == "4 champs là où l'en-tête en a 3"


def test_every_call_with_a_code_passes_exactly_its_placeholders():
    """Each call that names `Code.X` (a `problem(...)` or a helper such as the responses
    checks' `report(mask, Code.X, ...)`) passes as keywords exactly the placeholders of the
    code's message: no missing one, no extra one, no `**` that hides them."""
    checked, wrong = 0, []
    for path, tree in sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            codes = [code for code in map(literal_code, node.args) if code is not None]
            if not codes:
                continue
            assert len(codes) == 1, where(path, node)
            passed = {k.arg for k in node.keywords}
            if None in passed:
                wrong.append(f"{where(path, node)}: {codes[0].value} is given **params")
            elif passed != placeholders(codes[0].template):
                wrong.append(
                    f"{where(path, node)}: {codes[0].value} is given {sorted(passed)}, its "
                    f"message needs {sorted(placeholders(codes[0].template))}"
                )
            checked += 1
    assert wrong == []
    assert checked > 100


def test_every_problem_call_names_its_code():
    """No `problem(...)` passes a string as its code; only the answer rules pass a code they
    looked up (`FOR_RESPONDENT`), and their messages have no placeholder."""
    looked_up, wrong = [], []
    for path, tree in sources():
        for node in ast.walk(tree):
            if not is_problem_call(node):
                continue
            assert isinstance(node, ast.Call)
            code = node.args[1] if len(node.args) > 1 else None
            if code is None or isinstance(code, ast.Constant):
                wrong.append(where(path, node))
            elif literal_code(code) is None:
                looked_up.append(path.relative_to(SOURCE).as_posix())
    assert wrong == []
    # the responses checks pass the code given to `report`, checked above at each report call
    assert sorted(looked_up) == ["scoring/answer_check.py", "scoring/answers.py"]
    for code in FOR_RESPONDENT.values():
        assert placeholders(code.template) == set(), code


def test_no_problem_is_made_without_its_code_message():
    """`Problem(location, code, message)` is made only by `problem`, and read back from a
    stored problem (a failed job, `Problem(**stored)`): a message written at the call site
    would not be translatable."""
    made = [
        where(path, node)
        for path, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Problem"
        and node.args
    ]
    errors = ast.parse((SOURCE / "errors.py").read_text(encoding="utf-8"))
    [maker] = [n for n in errors.body if isinstance(n, ast.FunctionDef) and n.name == "problem"]
    assert made == [f"src/barometre/errors.py:{maker.body[-1].lineno}"]  # in `problem` itself


def test_every_code_is_used():
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in SOURCE.rglob("*.py")
        if path.name != "problems.py"
    )
    unused = [code.value for code in Code if f"Code.{code.name}" not in text]
    assert unused == []


def test_the_reference_of_codes_in_docs_is_the_registry():
    from barometre.problems import reference

    committed = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    assert committed == reference(), "run python -m barometre.problems docs/problem-codes.md"
