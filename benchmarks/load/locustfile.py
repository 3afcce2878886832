"""Locust: each user is one respondent with one link, answering at human pace.

    locust -f benchmarks/load/locustfile.py --headless -u 50 -r 5 --run-time 4m \
        --host http://127.0.0.1:8000 --tokens-file out/load/tokens.txt

`benchmarks/load/run.py` (make load) starts the server, makes the links with `prepare.py` and
runs this file. A user opens its link, answers every field of every page (a tap, or a number
typed; real option codes read from the page) with a pause between answers, autosaves each one
(retrying like the browser's outbox), posts each page and sends; then it stops. The run ends
when every user has sent, or at --run-time. Requests are named by kind: start, page, autosave,
send, thanks. Only ever aimed at 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, events, task
from locust.exception import StopUser
from locust.runners import STATE_CLEANUP, STATE_RUNNING, STATE_STOPPED, STATE_STOPPING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import Counters, Journey, Pace, Reply

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

counters = Counters()
_tokens: list[str] = []
_next_token = itertools.count()
_lock = threading.Lock()
_observed = {"secure_cookie_over_http": False}


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    group = parser.add_argument_group("barometre respondents")
    group.add_argument("--tokens-file", default="", help="One respondent token a line.")
    group.add_argument("--answer-wait-min", type=float, default=1.0, help="Seconds, default 1.")
    group.add_argument("--answer-wait-max", type=float, default=5.0, help="Seconds, default 5.")
    group.add_argument("--revise-rate", type=float, default=0.1, help="Answers changed again.")
    group.add_argument("--save-retries", type=int, default=6, help="Attempts per request.")
    group.add_argument("--retry-delay", type=float, default=1.0, help="First retry delay (s).")
    group.add_argument("--respondent-seed", type=int, default=2026, help="Seed of the answers.")
    group.add_argument("--result-json", default="", help="Write the figures to this file.")


@events.init.add_listener
def _init(environment, **_kwargs) -> None:
    host = urlsplit(environment.host or "").hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"This load test only targets the loopback; got host {host!r}.")
    options = environment.parsed_options
    path = Path(options.tokens_file) if options.tokens_file else None
    if path is None or not path.is_file():
        raise SystemExit("Give --tokens-file (made by benchmarks/load/prepare.py).")
    _tokens.extend(line.split("\t")[0] for line in path.read_text().splitlines() if line.strip())


@events.test_start.add_listener
def _stop_when_everyone_sent(environment, **_kwargs) -> None:
    """Users stop after sending; once every user has been spawned and none is left, the run
    ends (else --run-time ends it)."""
    runner = environment.runner

    def watch() -> None:
        while True:
            gevent.sleep(1.0)
            if runner.state in (STATE_STOPPING, STATE_STOPPED, STATE_CLEANUP):
                return
            if runner.state == STATE_RUNNING and runner.user_count == 0:
                runner.quit()
                return

    gevent.spawn(watch)


class LocustTransport:
    """HTTP through Locust's session: each request timed under its kind, failures judged by
    the protocol (a 409 replay with our value is fine, a 502 is a failure even if retried)."""

    def __init__(self, client) -> None:
        self.client = client

    def request(self, method, path, data, name, judge) -> Reply:
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            allow_redirects=False,
            catch_response=True,
            timeout=30,
        ) as response:
            error = getattr(response, "error", None)
            reply = Reply(
                status=response.status_code or 0,
                body=response.text or "",
                location=response.headers.get("Location", "") if response.headers else "",
                error=repr(error) if error else "",
            )
            problem = judge(reply)
            if problem:
                response.failure(problem)
            else:
                response.success()
        self._loopback_is_secure()
        return reply

    def _loopback_is_secure(self) -> None:
        """Browsers treat http://127.0.0.1 as a secure context and send Secure cookies back;
        requests does not. Do as browsers do, and note that the server set them over HTTP."""
        for cookie in self.client.cookies:
            if cookie.secure:
                cookie.secure = False
                _observed["secure_cookie_over_http"] = True


class Respondent(HttpUser):
    """One respondent: one link, every page, then send; the user then stops."""

    def wait_time(self) -> float:
        return 0

    @task
    def answer_everything(self) -> None:
        options = self.environment.parsed_options
        with _lock:
            index = next(_next_token)
        if index >= len(_tokens):
            counters.add("users without a token")
            raise StopUser()
        pace = Pace(
            answer_min=options.answer_wait_min,
            answer_max=max(options.answer_wait_min, options.answer_wait_max),
            retry_first=options.retry_delay,
            retry_max=max(options.retry_delay, 8.0),
            retry_attempts=max(1, options.save_retries),
            revise_rate=options.revise_rate,
        )
        journey = Journey(
            LocustTransport(self.client),
            _tokens[index],
            rng=random.Random(f"{options.respondent_seed}:{index}"),
            pace=pace,
            counters=counters,
            sleep=gevent.sleep,
        )
        journey.run()
        raise StopUser()


def _entry(entry, duration: float) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.num_requests / duration, 2) if duration > 0 else 0.0,
        "avg_ms": round(entry.avg_response_time, 1),
        "p50_ms": entry.get_response_time_percentile(0.50) if entry.num_requests else None,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
        "max_ms": round(entry.max_response_time or 0, 1),
    }


@events.quitting.add_listener
def _write_result(environment, **_kwargs) -> None:
    path = environment.parsed_options.result_json
    if not path:
        return
    stats = environment.stats
    end = stats.last_request_timestamp or time.time()
    duration = max(0.0, end - (stats.start_time or end))
    result = {
        "users": environment.parsed_options.num_users,
        "tokens": len(_tokens),
        "duration_s": round(duration, 1),
        "kinds": {
            f"{method} {name}": _entry(entry, duration)
            for (name, method), entry in sorted(stats.entries.items())
        },
        "total": _entry(stats.total, duration),
        "errors": [
            {"kind": f"{e.method} {e.name}", "error": str(e.error), "occurrences": e.occurrences}
            for e in sorted(stats.errors.values(), key=lambda e: -e.occurrences)
        ],
        "observed": dict(_observed),
        **counters.as_dict(),
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    os.chmod(path, 0o644)
