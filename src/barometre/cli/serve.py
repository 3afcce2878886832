"""`barometre serve` and `barometre manage`: the web application in production."""

from __future__ import annotations

import typer


def serve(
    bind: str = typer.Option("127.0.0.1:8000", "--bind", help="Address and port to listen on."),
    workers: int = typer.Option(3, "--workers", min=1, help="gunicorn worker processes."),
    control_socket: str = typer.Option(
        "",
        "--control-socket",
        help="Path of gunicorn's control socket for this instance (default: none, so that "
        "several instances can run on one host).",
    ),
) -> None:
    """Serve the web application with gunicorn and the production settings (read from the
    environment: BAROMETRE_SECRET_KEY, BAROMETRE_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL,
    e-mail...). Run `barometre worker` beside it for the background work."""
    from barometre.web.runner import serve_production

    serve_production(bind, workers, control_socket or None)


def worker(
    settings: str = typer.Option(
        "barometre.web.config.settings.production",
        "--settings",
        help="Django settings module (the demo uses barometre.web.config.settings.dev).",
    ),
    queues: str = typer.Option(
        "emails,default",
        "--queues",
        help="Queues to work on, first first: 'emails' (invitations, reminders) and "
        "'default' (reports, computations, large frames). Run one worker per queue so that "
        "e-mails never wait behind long reports.",
    ),
) -> None:
    """Run the background worker: reports, computations, e-mails and reminders. It takes its
    jobs from the database (default) or from Redis when REDIS_URL is set; run one or more
    beside the web servers, with the same environment."""
    from barometre.web.runner import run_worker

    names = tuple(q.strip() for q in queues.split(",") if q.strip())
    unknown = [q for q in names if q not in ("emails", "default")]
    if unknown or not names:
        raise typer.BadParameter(
            f"unknown queue(s) {', '.join(unknown) or '(none)'}; the queues are emails, default",
            param_hint="--queues",
        )
    run_worker(settings, queues=names)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command with the production settings, e.g.
    `barometre manage migrate` or `barometre manage check --deploy`."""
    from barometre.web.runner import manage as run

    run(list(ctx.args))
