"""`barometre serve` and `barometre manage`: the web application in production."""

from __future__ import annotations

import typer


def serve(
    bind: str = typer.Option("127.0.0.1:8000", "--bind", help="Address and port to listen on."),
    workers: int = typer.Option(3, "--workers", min=1, help="gunicorn worker processes."),
) -> None:
    """Serve the web application with gunicorn and the production settings (read from the
    environment: BAROMETRE_SECRET_KEY, BAROMETRE_ALLOWED_HOSTS, DATABASE_URL, e-mail...)."""
    from barometre.web.runner import serve_production

    serve_production(bind, workers)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command with the production settings, e.g.
    `barometre manage migrate` or `barometre manage check --deploy`."""
    from barometre.web.runner import manage as run

    run(list(ctx.args))
