"""Starting and stopping a release portal for the benchmark, and reading its memory."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from load import wait_for

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "target" / "release" / "server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    """One server process on a loopback port, configured through its environment."""

    def __init__(self, database_url: str, work: Path, log_name: str):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.work = work
        self.env = dict(
            os.environ,
            DATABASE_URL=database_url,
            PORTICO_ADDR=f"127.0.0.1:{self.port}",
            PORTICO_PUBLIC_URL=self.origin,
            PORTICO_SITE_ROOT=str(ROOT / "target" / "site"),
            PORTICO_MAIL_DIR=str(work / "mail"),
            PORTICO_LOG="warn",
            # The load comes from one address; the per-address limits would stop it at once.
            PORTICO_SIGN_IN_LIMIT_PER_MINUTE="1000000",
            PORTICO_FORM_LIMIT_PER_MINUTE="1000000",
            PORTICO_CODES_PER_CLIENT_PER_HOUR="100000",
            PORTICO_CODES_PER_EMAIL_PER_HOUR="100",
            # The code line comes "from" many clients (X-Forwarded-For), as codes do in life;
            # every other line sends no such header and is the peer address, as before.
            PORTICO_TRUST_PROXY="true",
            PORTICO_SECRET_KEY="bench-secret-key-shared-by-every-instance-0123",
        )
        self.log_path = work / log_name
        self.process = None
        self.started_at = 0.0

    def start(self) -> float:
        """Starts the server; answers the seconds from exec to the first healthy /healthz."""
        log = open(self.log_path, "ab")
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen([str(SERVER)], env=self.env, stdout=log, stderr=log, cwd=self.work)
        deadline = self.started_at + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start; see {self.log_path}")
            if self._healthy():
                return time.perf_counter() - self.started_at
            time.sleep(0.002)
        raise RuntimeError(f"the server was not healthy within 60 s; see {self.log_path}")

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            connection.request("GET", "/healthz")
            ok = connection.getresponse().status == 200
            connection.close()
            return ok
        except OSError:
            return False

    def memory_kib(self) -> dict:
        """Resident memory now and at its peak (VmRSS, VmHWM), in KiB, and what of it is the
        process's own (RssAnon) and what is mapped files (RssFile: the executable's pages)."""
        found = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                    found[key] = int(value.split()[0])
        return {"rss": found["VmRSS"], "peak": found["VmHWM"], "anon": found["RssAnon"], "file": found["RssFile"]}

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def leptos_ceiling(tool: Path):
    """bench/leptos-ceiling on a loopback port while the block runs: answers its page's URL once
    the page shows its last row."""
    port = free_port()
    process = subprocess.Popen([str(tool), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        origin = f"http://127.0.0.1:{port}"
        if b"partner-25@example.org" not in wait_for(origin, "/queue", {}, "leptos-ceiling", 30):
            raise RuntimeError("leptos-ceiling's page does not show its rows")
        yield f"{origin}/queue"
    finally:
        process.terminate()
        process.wait(timeout=10)
