"""make load: simulated respondents against the web application on 127.0.0.1 (a benchmark).

Two scenarios, one after the other:
- "sqlite": the demo's server, started exactly as `make demo` does (`barometre demo --out TMP
  --port PORT`), links made by prepare.py in its database, 50 respondents.
  Target: no error, autosave p95 < 50 ms.
- "postgres": a fresh database `barometre_load` on 127.0.0.1:5432, `barometre manage migrate`,
  prepare.py, `barometre serve --workers 4` with the production settings from the environment
  (plain HTTP on the loopback), 200 respondents. Target: no error, p99 < 100 ms (all requests).

Each respondent (benchmarks/load/locustfile.py) answers every field at human pace, autosaves
each answer, posts every page and sends, then stops; a scenario ends when all have sent or at
--run-time. For each scenario: requests/s, p50/p95/p99 and errors per kind of request, and
whether the targets hold; the figures also go to out/load/load-<time>.json (out/ is ignored by
git). Every process started is stopped (process groups) and the database is dropped.
Exit status: 0 when the scenarios ran (targets held or not; --strict: 1 when a target failed),
2 when a scenario could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent  # .venv/bin when run as .venv/bin/python
LOOPBACK = "127.0.0.1"
DEV_SETTINGS = "barometre.web.config.settings.dev"
PRODUCTION_SETTINGS = "barometre.web.config.settings.production"
#: Variables of the caller's environment that would point the servers elsewhere.
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "GUNICORN_CMD_ARGS")


@dataclass
class Target:
    kind: str  # a request kind ("POST autosave") or "all"
    percentile: str  # "p95_ms" or "p99_ms"
    limit_ms: float

    def describe(self) -> str:
        what = "all requests" if self.kind == "all" else self.kind.split(" ", 1)[-1]
        return f"{what} {self.percentile[:3]} < {self.limit_ms:g} ms"


@dataclass
class Scenario:
    name: str
    title: str
    users: int
    targets: list[Target]
    notes: list[str] = field(default_factory=list)


class Processes:
    """Processes started in their own process group, all stopped at the end."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        try:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            handle.close()
        self.started.append((name, process))
        return process

    def stop(self, process: subprocess.Popen, grace: float = 15.0) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Whatever is left of the group (a worker whose master died first).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        while self.started:
            _name, process = self.started.pop()
            self.stop(process)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def prepare_links(work: Path, name: str, count: int, seed: int, env: dict[str, str]) -> Path:
    """`count` respondent links in the scenario's database (prepare.py); the tokens' file."""
    tokens = work / f"{name}-tokens.txt"
    run_checked(
        [
            sys.executable,
            str(HERE / "prepare.py"),
            "--count",
            str(count),
            "--out",
            str(tokens),
            "--seed",
            str(seed),
        ],
        env,
        work / f"{name}-prepare.log",
        timeout=300,
    )
    return tokens


def wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Until the server answers (any status below 500), or fail with the end of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}):\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"no answer from {url} after {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    " + line for line in text[-lines:])


def warm_up(url: str, token: str, workers: int) -> None:
    """A few untimed page loads first, so that each server process has loaded the
    questionnaire before the figures start (a cold process answers its first request slowly)."""
    import threading

    def load() -> None:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/repondre/{token}/", timeout=60) as response,
        ):
            response.read()

    for _round in range(3):
        threads = [threading.Thread(target=load) for _ in range(2 * workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)


def split_tokens(path: Path) -> tuple[str, Path]:
    """The first link is for the warm-up; the others go to the respondents."""
    lines = path.read_text().splitlines(keepends=True)
    rest = path.with_name(path.stem + "-respondents.txt")
    rest.write_text("".join(lines[1:]))
    rest.chmod(0o600)
    return lines[0].split("\t", 1)[0].strip(), rest


def machine_busy(seconds: float = 3.0) -> float | None:
    """Share of the machine's CPU busy over a few seconds (Linux), before a scenario starts:
    other work on the machine makes the figures pessimistic."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as handle:
            values = [int(v) for v in handle.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return sum(values), idle

    try:
        total_1, idle_1 = sample()
        time.sleep(seconds)
        total_2, idle_2 = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total_2 - total_1
    return round(1 - (idle_2 - idle_1) / total, 2) if total > 0 else None


def run_checked(command: list[str], env: dict, log: Path, timeout: float) -> None:
    with log.open("ab") as handle:
        completed = subprocess.run(
            command,
            env=env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])}... failed:\n{tail(log)}")


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env = {k: v for k, v in env.items() if not k.startswith("BAROMETRE_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def server_kind(log: Path) -> str:
    text = log.read_text(encoding="utf-8", errors="replace")
    if "Starting development server" in text:
        return "Django's runserver"
    if "gunicorn" in text.lower() or "Booting worker" in text:
        workers = text.count("Booting worker")
        return f"gunicorn ({workers} workers)" if workers else "gunicorn"
    return "unknown server"


# --------------------------------------------------------------------------------------------


def run_locust(
    scenario: Scenario, url: str, tokens: Path, work: Path, args, procs: Processes
) -> dict:
    result_path = work / f"{scenario.name}-locust.json"
    log = work / f"{scenario.name}-locust.log"
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(scenario.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_time}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
        "--tokens-file",
        str(tokens),
        "--answer-wait-min",
        str(args.answer_wait_min),
        "--answer-wait-max",
        str(args.answer_wait_max),
        "--result-json",
        str(result_path),
        "--exit-code-on-error",
        "0",
        "--only-summary",
    ]
    print(
        f"  locust: {scenario.users} respondents, {args.spawn_rate}/s, at most {args.run_time} s, "
        f"{args.answer_wait_min:g}-{args.answer_wait_max:g} s between answers...",
        flush=True,
    )
    process = procs.start("locust", command, base_env(), log)
    try:
        process.wait(timeout=args.run_time + 120)
    except subprocess.TimeoutExpired:
        procs.stop(process)
        raise RuntimeError(f"locust did not stop by itself:\n{tail(log)}") from None
    procs.stop(process)
    if not result_path.is_file():
        raise RuntimeError(f"locust wrote no figures (exit {process.returncode}):\n{tail(log)}")
    result = json.loads(result_path.read_text())
    text = log.read_text(encoding="utf-8", errors="replace")
    result["locust_cpu_warning"] = "CPU usage above" in text or "CPU usage was too high" in text
    return result


def scenario_sqlite(scenario: Scenario, args, work: Path, procs: Processes) -> dict:
    out = (work / "demo").resolve()
    port = free_port()
    log = work / "sqlite-server.log"
    print(f"  barometre demo --out {out} --port {port}", flush=True)
    server = procs.start(
        "demo",
        [str(BIN / "barometre"), "demo", "--out", str(out), "--port", str(port)],
        base_env(),
        log,
    )
    url = f"http://{LOOPBACK}:{port}"
    wait_http(f"{url}/", server, log, timeout=240)
    env = base_env() | {"DJANGO_SETTINGS_MODULE": DEV_SETTINGS, "BAROMETRE_DATA_DIR": str(out)}
    tokens = prepare_links(work, "sqlite", scenario.users + 1, args.seed, env)
    warm, tokens = split_tokens(tokens)
    warm_up(url, warm, 4)
    try:
        return run_locust(scenario, url, tokens, work, args, procs)
    finally:
        procs.stop(server)
        scenario.notes.append(f"server: {server_kind(log)}")


def scenario_postgres(scenario: Scenario, args, work: Path, procs: Processes) -> dict:
    import psycopg

    admin = f"postgresql://{args.pg_user}@{LOOPBACK}:{args.pg_port}/postgres"
    database = args.pg_database
    if not database.startswith("barometre_load"):
        raise RuntimeError("the load database's name must start with barometre_load")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        port = free_port()
        data = work / "postgres-data"
        data.mkdir()
        env = base_env() | {
            "DJANGO_SETTINGS_MODULE": args.postgres_settings,
            "BAROMETRE_SECRET_KEY": secrets.token_urlsafe(50),
            "BAROMETRE_ALLOWED_HOSTS": LOOPBACK,
            "DATABASE_URL": f"postgres://{args.pg_user}@{LOOPBACK}:{args.pg_port}/{database}",
            "BAROMETRE_SSL_REDIRECT": "0",
            "BAROMETRE_SECURE_COOKIES": "0",
            "BAROMETRE_DATA_DIR": str(data),
        }
        print(
            f"  database {database}: barometre manage migrate, collectstatic, prepare.py",
            flush=True,
        )
        for step in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            run_checked(
                [str(BIN / "barometre"), "manage", *step],
                env,
                work / "postgres-manage.log",
                timeout=300,
            )
        tokens = prepare_links(work, "postgres", scenario.users + 1, args.seed, env)
        log = work / "postgres-server.log"
        bind = f"{LOOPBACK}:{port}"
        print(f"  barometre serve --bind {bind} --workers {args.workers}", flush=True)
        # gunicorn 27 opens a control socket at a per-host default path: give this one its
        # own (with `barometre serve --control-socket` when it has it, else gunicorn's env).
        command = [str(BIN / "barometre"), "serve", "--bind", bind, "--workers", str(args.workers)]
        serve_env = dict(env)
        if "--control-socket" in _help(command[:2], env):
            command += ["--control-socket", str(work / "gunicorn.ctl")]
        else:
            serve_env["GUNICORN_CMD_ARGS"] = f"--control-socket {work / 'gunicorn.ctl'}"
        server = procs.start("serve", command, serve_env, log)
        url = f"http://{bind}"
        try:
            wait_http(f"{url}/", server, log, timeout=120)
            warm, tokens = split_tokens(tokens)
            secure = _secure_cookies(url, warm)
            warm_up(url, warm, args.workers)
            if secure:
                scenario.notes.append(
                    f"the server sets Secure cookies over plain HTTP ({', '.join(secure)}) "
                    "although BAROMETRE_SECURE_COOKIES=0; the respondents send them back, as a "
                    "browser does on 127.0.0.1"
                )
            scenario.notes.append(f"server: {server_kind(log)}")
            return run_locust(scenario, url, tokens, work, args, procs)
        finally:
            procs.stop(server)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _help(command: list[str], env: dict) -> str:
    completed = subprocess.run(
        [*command, "--help"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return completed.stdout


def _secure_cookies(url: str, token: str) -> list[str]:
    """Names of the cookies a respondent's page sets with the Secure flag (over HTTP)."""
    request = urllib.request.Request(f"{url}/repondre/{token}/")
    opener = urllib.request.build_opener(urllib.request.HTTPRedirectHandler())
    try:
        with opener.open(request, timeout=10) as response:
            headers = response.headers.get_all("Set-Cookie") or []
    except (OSError, urllib.error.HTTPError):
        return []
    names = []
    for header in headers:
        name, _sep, rest = header.partition("=")
        if "secure" in [p.strip().lower() for p in rest.split(";")[1:]]:
            names.append(name.strip())
    return names


# --------------------------------------------------------------------------------------------


def judge(scenario: Scenario, result: dict) -> list[tuple[str, bool]]:
    total = result["total"]
    failed_journeys = result.get("counts", {}).get("journeys failed", 0)
    checks = [
        (
            f"0 errors ({total['failures']} failed requests, {failed_journeys} journeys failed)",
            total["failures"] == 0 and failed_journeys == 0 and total["requests"] > 0,
        )
    ]
    for target in scenario.targets:
        entry = total if target.kind == "all" else result["kinds"].get(target.kind)
        value = entry.get(target.percentile) if entry else None
        shown = "no request" if value is None else f"{value} ms"
        checks.append(
            (f"{target.describe()} ({shown})", value is not None and value < target.limit_ms)
        )
    return checks


def report(scenario: Scenario, result: dict, checks: list[tuple[str, bool]]) -> str:
    lines = [
        f"\n{scenario.title}: {result['users']} respondents, {result['duration_s']:.0f} s",
        *(f"  ({note})" for note in scenario.notes),
        f"  {'request':<16}{'count':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}"
        f"{'errors':>8}",
    ]

    def row(name: str, e: dict) -> str:
        def ms(v):
            return "-" if v is None else f"{v:.0f}"

        return (
            f"  {name:<16}{e['requests']:>7}{e['rps']:>8.1f}{ms(e['p50_ms']):>7}"
            f"{ms(e['p95_ms']):>7}{ms(e['p99_ms']):>7}{ms(e['max_ms']):>8}{e['failures']:>8}"
        )

    order = ["GET start", "GET page", "POST autosave", "POST page", "POST send", "GET thanks"]
    kinds = result["kinds"]
    for name in sorted(kinds, key=lambda k: (order.index(k) if k in order else 99, k)):
        lines.append(row(name, kinds[name]))
    lines.append(row("all", result["total"]))
    lines.append("  times in ms; p50/p95/p99 as Locust approximates them")
    counts = result.get("counts", {})
    unfinished = counts.get("journeys started", 0) - sum(
        counts.get(k, 0) for k in ("journeys sent", "journeys stopped", "journeys failed")
    )
    lines.append(
        "  journeys: "
        + ", ".join(
            f"{counts.get(k, 0)} {k.split(' ', 1)[1]}"
            for k in ("journeys started", "journeys sent", "journeys failed")
        )
        + f", {unfinished} unfinished at the end of the run"
        + f"; saves acknowledged {counts.get('saves acknowledged', 0)}, retries "
        f"{counts.get('retries', 0)}, conflicts {counts.get('saves in conflict', 0)}, refused "
        f"{counts.get('saves refused', 0)}; answers carried a version: "
        f"{'yes' if counts.get('saves with a version') else 'no (server without versions)'}"
    )
    for error in result.get("errors", [])[:8]:
        lines.append(f"  error x{error['occurrences']}: {error['kind']}: {error['error']}")
    if result.get("locust_cpu_warning"):
        lines.append("  (Locust warned that its CPU was saturated: the figures include that)")
    for text, ok in checks:
        lines.append(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="make load: simulated respondents against the web application (127.0.0.1)."
    )
    parser.add_argument(
        "--scenario", choices=["sqlite", "postgres", "both"], default="both", help="default both"
    )
    parser.add_argument("--sqlite-users", type=int, default=50)
    parser.add_argument("--postgres-users", type=int, default=200)
    parser.add_argument("--users", type=int, help="Respondents in every scenario.")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="Users started per second.")
    parser.add_argument("--run-time", type=int, default=240, help="Seconds at most per scenario.")
    parser.add_argument("--answer-wait-min", type=float, default=1.0)
    parser.add_argument("--answer-wait-max", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (postgres).")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--pg-database", default="barometre_load")
    parser.add_argument(
        "--postgres-settings",
        default=PRODUCTION_SETTINGS,
        help="Settings module of the postgres scenario (to try a variant; on PYTHONPATH).",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=REPO / "out" / "load", help="JSON folder.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (logs).")
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target fails.")
    args = parser.parse_args(argv)
    for name in ("sqlite_users", "postgres_users", "run_time", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.users is not None:
        args.sqlite_users = args.postgres_users = max(1, args.users)
    if args.run_time > 1800 or max(args.sqlite_users, args.postgres_users) > 2000:
        parser.error("bounded on purpose: at most 1800 s and 2000 users")

    scenarios = []
    if args.scenario in ("sqlite", "both"):
        scenarios.append(
            Scenario(
                "sqlite",
                "SQLite, the demo's server",
                args.sqlite_users,
                [Target("POST autosave", "p95_ms", 50)],
            )
        )
    if args.scenario in ("postgres", "both"):
        scenarios.append(
            Scenario(
                "postgres",
                f"PostgreSQL, {args.workers} workers",
                args.postgres_users,
                [Target("all", "p99_ms", 100)],
            )
        )
    work = Path(tempfile.mkdtemp(prefix="barometre-load-"))
    procs = Processes()
    started = datetime.now()
    figures: dict = {
        "started": started.isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "options": {k: str(v) for k, v in vars(args).items()},
        "scenarios": [],
    }
    status = 0
    try:
        for scenario in scenarios:
            print(f"\n== {scenario.title}", flush=True)
            run = scenario_sqlite if scenario.name == "sqlite" else scenario_postgres
            clock = time.monotonic()
            busy_before = machine_busy()
            try:
                result = run(scenario, args, work, procs)
            except Exception as exc:  # a scenario that cannot run is reported, not raised
                print(f"  could not run: {exc}", flush=True)
                figures["scenarios"].append({"name": scenario.name, "error": str(exc)})
                status = 2
                continue
            finally:
                procs.stop_all()
            result["cpu_busy_before"] = busy_before
            if busy_before is not None and busy_before > 0.2:
                scenario.notes.append(
                    f"other work kept {busy_before:.0%} of the {os.cpu_count()} cores busy just "
                    "before the scenario: the figures are pessimistic"
                )
            checks = judge(scenario, result)
            print(report(scenario, result, checks), flush=True)
            figures["scenarios"].append(
                {
                    "name": scenario.name,
                    "title": scenario.title,
                    "notes": scenario.notes,
                    "wall_s": round(time.monotonic() - clock, 1),
                    "targets": [{"check": text, "holds": ok} for text, ok in checks],
                    **result,
                }
            )
            if args.strict and not all(ok for _text, ok in checks) and status == 0:
                status = 1
    except KeyboardInterrupt:
        print("\ninterrupted", flush=True)
        status = 130
    finally:
        procs.stop_all()
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"load-{started:%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {path}")
        if args.keep:
            print(f"Logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
