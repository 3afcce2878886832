"""`barometre`: the command line. Each command opens its inputs, calls the core, prints.

A user's mistake exits with status 2 and its message; a bug with status 70 and one line
(`cli/errors.py`, `GuardedGroup`), never a traceback unless `BAROMETRE_DEBUG=1`."""

from __future__ import annotations

import typer

from barometre.cli import (
    demo,
    estimate,
    export,
    questionnaire,
    questionnaire_diff,
    report,
    responses,
    score,
    serve,
    simulate,
)
from barometre.cli.errors import GuardedGroup

app = typer.Typer(
    name="barometre",
    cls=GuardedGroup,
    help="Baromètre: the open digital-maturity barometer of French social housing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(questionnaire.app, name="questionnaire")
questionnaire.app.command("diff")(questionnaire_diff.diff)
app.add_typer(report.app, name="report")
app.add_typer(report.practices, name="practices")
app.add_typer(responses.app, name="responses")
app.add_typer(export.app, name="export")
app.command("simulate")(simulate.simulate)
app.command("score")(score.score)
app.command("estimate")(estimate.estimate)
app.command("compare")(estimate.compare)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("worker")(serve.worker)
app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)(serve.manage)


if __name__ == "__main__":  # pragma: no cover
    app()
