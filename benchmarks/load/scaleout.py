"""The scale-out check's driver (called by .ci/scale-out): respondents through nginx, one web
instance killed in the middle, then the proof that nothing acknowledged was lost.

    .venv/bin/python benchmarks/load/scaleout.py --base-url http://127.0.0.1:PORT \
        --tokens tokens.txt --access-log access.log --kill-pgid PGID \
        --killed-upstream 127.0.0.1:A --other-upstream 127.0.0.1:B

Each respondent (a thread, standard library HTTP only) runs benchmarks/load/journey.py: every
field answered (some changed again), each answer autosaved, pages posted, sent; requests that
get no answer or a 5xx are retried like the browser's outbox. After --kill-after
seconds the process group --kill-pgid (a gunicorn master and its workers) gets SIGKILL.
Then, with the Django settings of the environment (the servers' database):
 (a) nginx's access log shows requests spread over both instances before the kill;
 (b) every acknowledged answer is in the database with the last value acknowledged for that
     respondent and field (a value sent later without an acknowledgement may be there instead);
 (c) no 500, and no other unexpected answer, no request given up, no journey broken.
Prints a summary; exit status 1 on any failure.
"""

# The check reads the answers through the web application's models, so it imports Django.
# ruff: noqa: TID251

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import RETRYABLE, Counters, Journey, Pace, Reply

LOOPBACK = {"127.0.0.1", "localhost"}


class Transport:
    """One respondent's HTTP client: a fresh connection per request (no stale keep-alive),
    its own cookies (sent back even when marked Secure, as browsers do on 127.0.0.1)."""

    def __init__(self, base_url: str, log: Log, timeout: float = 20.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}
        self.log = log
        self.timeout = timeout

    def request(self, method, path, data, name, judge) -> Reply:
        body = urlencode(data or []) if method == "POST" else None
        headers = {"Connection": "close", "Host": f"{self.host}:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            reply = Reply(response.status, text, response.getheader("Location", "") or "")
            for header in response.msg.get_all("Set-Cookie") or []:
                self._cookie(header)
        except (OSError, http.client.HTTPException) as exc:
            reply = Reply(0, error=f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
        self.log.add(name, reply.status, time.monotonic() - started, judge(reply))
        return reply

    def _cookie(self, header: str) -> None:
        pair, *attributes = header.split(";")
        key, _sep, value = pair.partition("=")
        if any(a.strip().lower() == "secure" for a in attributes):
            self.log.secure_cookies.add(key.strip())
        self.cookies[key.strip()] = value.strip()


class Log:
    """Every request: when, which kind, status, time, and whether the protocol expected it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[float, str, int, float, str | None]] = []
        self.secure_cookies: set[str] = set()
        self.kill_at: float | None = None

    def add(self, name: str, status: int, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.rows.append((time.monotonic(), name, status, seconds, problem))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def read_access_log(path: Path, start: int = 0, end: int | None = None) -> list[list[str]]:
    """Lines of `$upstream_addr $upstream_status $status $request_time` (byte range)."""
    with path.open("rb") as handle:
        handle.seek(start)
        data = handle.read() if end is None else handle.read(max(0, end - start))
    rows = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        # "$upstream_addr" lists every upstream tried: "127.0.0.1:A, 127.0.0.1:B"
        parts = line.split()
        if len(parts) >= 4:
            rows.append(parts)
    return rows


def upstreams_of(row: list[str]) -> tuple[list[str], list[str], str]:
    """(upstreams tried, their statuses, final status) of an access-log row."""
    text = " ".join(row[:-2])
    final = row[-2]
    # The two lists are written one after the other; each list is comma-separated.
    tokens = text.replace(", ", ",").split()
    addresses = tokens[0].split(",") if tokens else []
    statuses = tokens[1].split(",") if len(tokens) > 1 else []
    return addresses, statuses, final


def served_by(rows: list[list[str]]) -> Counter[str]:
    """Requests per upstream that answered them (the last one tried); none for nginx's own."""
    last = (upstreams_of(row)[0] for row in rows)
    return Counter(tried[-1] for tried in last if tried and tried[-1] != "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="nginx, on 127.0.0.1")
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--access-log", type=Path, required=True)
    parser.add_argument("--kill-pgid", type=int, required=True)
    parser.add_argument("--killed-upstream", required=True, help="HOST:PORT of the killed one")
    parser.add_argument("--other-upstream", required=True, help="HOST:PORT of the survivor")
    parser.add_argument("--respondents", type=int, default=0, help="Default: every token.")
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of traffic.")
    parser.add_argument("--kill-after", type=float, default=25.0)
    parser.add_argument("--stagger", type=float, default=10.0, help="Seconds to start all.")
    parser.add_argument("--answer-wait-min", type=float, default=0.3)
    parser.add_argument("--answer-wait-max", type=float, default=1.2)
    parser.add_argument("--revise-rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if urlsplit(args.base_url).hostname not in LOOPBACK:
        parser.error("the driver only talks to 127.0.0.1")
    if not 0 < args.kill_after < args.duration <= 600:
        parser.error("need 0 < --kill-after < --duration <= 600")

    tokens = [line.split("\t")[0] for line in args.tokens.read_text().splitlines() if line]
    if args.respondents:
        tokens = tokens[: args.respondents]
    log = Log()
    counters = Counters()
    pace = Pace(
        answer_min=args.answer_wait_min,
        answer_max=args.answer_wait_max,
        retry_first=0.5,
        retry_max=4.0,
        retry_attempts=10,  # about 25 s of retries: far more than the failover needs
        revise_rate=args.revise_rate,
    )
    start = time.monotonic()
    deadline = start + args.duration
    journeys = [
        Journey(
            Transport(args.base_url, log),
            token,
            rng=random.Random(f"{args.seed}:{i}"),
            pace=pace,
            counters=counters,
            deadline=deadline,
        )
        for i, token in enumerate(tokens)
    ]

    def respondent(i: int, journey: Journey) -> None:
        time.sleep(args.stagger * i / max(1, len(journeys)))
        journey.run()

    threads = [
        threading.Thread(target=respondent, args=(i, j), daemon=True)
        for i, j in enumerate(journeys)
    ]
    print(
        f"scale-out: {len(journeys)} respondents through {args.base_url} for "
        f"{args.duration:.0f} s; kill -9 of {args.killed_upstream} (group {args.kill_pgid}) "
        f"after {args.kill_after:.0f} s",
        flush=True,
    )
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start + args.kill_after - time.monotonic()))
    kill_offset = args.access_log.stat().st_size if args.access_log.exists() else 0
    log.kill_at = time.monotonic()
    killed = True
    try:
        os.killpg(args.kill_pgid, signal.SIGKILL)
    except ProcessLookupError:
        killed = False
    print(f"  {log.kill_at - start:.1f} s: SIGKILL sent to group {args.kill_pgid}", flush=True)
    for thread in threads:  # bounded: the deadline, then at most the retry budget per request
        thread.join(timeout=max(1.0, deadline + 90 - time.monotonic()))
    hung = sum(thread.is_alive() for thread in threads)
    time.sleep(1.0)  # nginx writes the last lines

    failures: list[str] = []
    if not killed:
        failures.append(f"the process group {args.kill_pgid} did not exist at the kill")
    if hung:
        failures.append(f"{hung} respondents still running after the deadline")

    # (a) spread over both instances before the kill, and the survivor served after it
    before = read_access_log(args.access_log, 0, kill_offset)
    after = read_access_log(args.access_log, kill_offset)
    served_before = served_by(before)
    total_before = sum(served_before.values())
    for upstream in (args.killed_upstream, args.other_upstream):
        share = served_before[upstream] / total_before if total_before else 0.0
        if served_before[upstream] < 10 or share < 0.25:
            failures.append(
                f"(a) before the kill {upstream} served {served_before[upstream]} of "
                f"{total_before} requests ({share:.0%}): not spread over both instances"
            )
    served_after = served_by(after)
    tried_dead = sum(args.killed_upstream in upstreams_of(row)[0] for row in after)
    if served_after[args.other_upstream] == 0:
        failures.append(f"(a) after the kill {args.other_upstream} served no request")

    # (c) no 500 and nothing unexpected, from the respondents and from nginx
    statuses = Counter((name, status) for _t, name, status, _s, _p in log.rows)
    unexpected = Counter(
        (name, status, problem)
        for _t, name, status, _s, problem in log.rows
        if problem and status not in RETRYABLE
    )
    nginx_500 = sum(
        1 for row in before + after if row[-2] == "500" or "500" in upstreams_of(row)[1]
    )
    client_500 = sum(n for (_name, status), n in statuses.items() if status == 500)
    if client_500 or nginx_500:
        failures.append(f"(c) {client_500} answers 500 to the respondents, {nginx_500} in nginx")
    for (name, status, problem), n in unexpected.most_common(10):
        if status != 500:
            failures.append(f"(c) {n} x {name} answered unexpectedly: {problem}")
    counts = counters.as_dict()["counts"]
    gave_up = {k: v for k, v in counts.items() if k.endswith("gave up")}
    if gave_up:
        failures.append(f"(c) requests given up after every retry: {gave_up}")
    broken = [j.outcome for j in journeys if j.outcome.startswith("failed")]
    if broken:
        failures.append(f"(c) {len(broken)} journeys broken, e.g. {broken[0]}")

    # (b) every acknowledged answer is stored with its last acknowledged value
    checked, later, mismatches = _check_database(journeys)
    if mismatches:
        failures += [f"(b) {m}" for m in mismatches[:10]]
        if len(mismatches) > 10:
            failures.append(f"(b) ... {len(mismatches) - 10} more")
    acked_after_kill = sum(
        1
        for t, name, status, _s, problem in log.rows
        if name == "autosave" and status == 200 and not problem and t > log.kill_at
    )
    if acked_after_kill == 0:
        failures.append("no answer was acknowledged after the kill")
    if checked == 0:
        failures.append("(b) no acknowledged answer to check")

    saves = [s for _t, name, status, s, _p in log.rows if name == "autosave" and status == 200]
    outcomes = Counter(j.outcome.partition(":")[0] for j in journeys)
    retried = Counter(status for _t, _n, status, _s, _p in log.rows if status in RETRYABLE)
    by_kind = ", ".join(f"{name} {status}: {n}" for (name, status), n in sorted(statuses.items()))
    retries = ", ".join(
        f"{n} x {'no answer' if status == 0 else status}" for status, n in sorted(retried.items())
    )
    lines = [
        f"  requests: {len(log.rows)} ({by_kind})",
        f"  before the kill nginx passed {total_before} requests: "
        + ", ".join(f"{u} {served_before[u]}" for u in (args.killed_upstream, args.other_upstream)),
        f"  after the kill: {sum(served_after.values())} requests, "
        f"{served_after[args.other_upstream]} to {args.other_upstream}, "
        f"{tried_dead} tried the dead instance first",
        f"  answers needing a retry: {retries or 'none'} ({counts.get('retries', 0)} retries)",
        f"  journeys: {dict(outcomes)}; autosaves acknowledged "
        f"{counts.get('saves acknowledged', 0)} ({acked_after_kill} after the kill), "
        f"p50 {percentile(saves, 0.5) * 1000:.0f} ms, p95 {percentile(saves, 0.95) * 1000:.0f} ms",
        f"  database: {checked} acknowledged answers checked, {len(mismatches)} wrong or "
        f"missing, {later} holding a later unacknowledged write",
        f"  the server versions answers: {'yes' if counts.get('saves with a version') else 'no'}",
    ]
    if log.secure_cookies:
        lines.append(f"  Secure cookies over plain HTTP: {', '.join(sorted(log.secure_cookies))}")
    print("\n".join(lines), flush=True)
    if failures:
        print("scale-out FAILED:\n" + "\n".join(f"  - {f}" for f in failures), flush=True)
        return 1
    print("scale-out OK", flush=True)
    return 0


def _check_database(journeys: list[Journey]) -> tuple[int, int, list[str]]:
    """(answers checked, answers holding a later unacknowledged value, problems)."""
    import django

    django.setup()
    from barometre.web.campaigns.tokens import hash_token
    from barometre.web.responses.models import Answer

    by_hash = {hash_token(j.token): j for j in journeys}
    stored: dict[tuple[str, str], str] = {}
    rows = Answer.objects.filter(respondent__link__token_hash__in=list(by_hash)).values_list(
        "respondent__link__token_hash", "field_id", "value"
    )
    for token_hash, field_id, value in rows:
        stored[(token_hash, field_id)] = value
    checked = later = 0
    problems = []
    for token_hash, journey in by_hash.items():
        for field_id, value in journey.acked.items():
            checked += 1
            found = stored.get((token_hash, field_id), "")  # a cleared answer: no row, or ""
            if found == value:
                continue
            if found in journey.unsure.get(field_id, ()):
                later += 1
                continue
            problems.append(
                f"respondent {token_hash[:8]} field {field_id}: acknowledged {value!r}, "
                f"stored {found!r}"
            )
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    return checked, later, problems


if __name__ == "__main__":
    sys.exit(main())
