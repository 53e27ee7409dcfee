"""Load from a second process on loopback: wrk, driven by bench/wrk/portico.lua."""

import http.client
import json
import os
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk" / "portico.lua"
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))


@dataclass
class Result:
    requests: int
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def wrk(url: str, connections: int, mode: str = "get", headers: dict | None = None, **env: str) -> Result:
    """Runs wrk for SECONDS against `url`; any refused, failed or 4xx/5xx answer is an error."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        environment = dict(os.environ, BENCH_MODE=mode, BENCH_OUT=out.name, **env)
        environment["BENCH_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in (headers or {}).items())
        threads = min(2, connections)
        environment["BENCH_THREADS"] = str(threads)
        command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{SECONDS}s",
                   "--timeout", "5s", "-s", str(SCRIPT), url]
        subprocess.run(command, env=environment, check=True, capture_output=True)
        summary = json.loads(Path(out.name).read_text())
    errors = sum(summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors"))
    return Result(
        requests=summary["requests"],
        per_second=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50_us"] / 1000,
        p95_ms=summary["p95_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=errors,
    )


def in_turn(runs: dict, rounds: int = 3) -> dict:
    """Each named run (a function answering a Result) in turn, `rounds` times: a slow moment of
    the machine falls on all alike. Answers each one's median round (by rate), by name."""
    results: dict = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            results[name].append(run())
    return {name: sorted(found, key=lambda r: r.per_second)[len(found) // 2] for name, found in results.items()}


def fetch(origin: str, path: str, method: str = "GET", form: dict | None = None,
          headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request with http.client (no redirects followed): status, headers, body."""
    parsed = urllib.parse.urlsplit(origin)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    body = urllib.parse.urlencode(form) if form is not None else None
    # What a browser sends with a form: the portal then answers a server function with a redirect.
    all_headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin", "Accept": "text/html", **(headers or {})}
    if form is not None:
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    found = {k.lower(): v for k, v in response.getheaders()}
    found["set-cookie-all"] = response.headers.get_all("Set-Cookie") or []
    connection.close()
    return response.status, found, data


def wait_for(origin: str, path: str, headers: dict, name: str, seconds: float = 10) -> bytes:
    """Polls `path` until it answers 200 (a server just started); answers that body."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, body = fetch(origin, path, headers=headers)
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer within {seconds:.0f} s")
