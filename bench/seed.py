"""The benchmark's data, written with the engines' own command-line clients (sqlite3, psql):
20 requestable resources owned by the admin the portal's setup link created, then 1,000,000
pending access requests waiting for that admin and 1,000,000 audit events."""

import os
import subprocess
import time

RESOURCES = 20
ROWS = 1_000_000
ADMIN_EMAIL = "bench-admin@portico.example"


class Database:
    def __init__(self, engine: str, url: str, path: str = ""):
        self.engine = engine
        self.url = url
        self.path = path

    def run(self, sql: str) -> str:
        """Runs SQL in one transaction; answers what it printed (unaligned, no headers)."""
        if self.engine == "sqlite":
            command = ["sqlite3", "-batch", "-bail", "-noheader", "-list", self.path]
            script = ".timeout 10000\nBEGIN;\n" + sql + "\nCOMMIT;\n"
        else:
            command = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url]
            script = "BEGIN;\n" + sql + "\nCOMMIT;\n"
        done = subprocess.run(command, input=script, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{self.engine} said: {done.stderr.strip()}")
        return done.stdout.strip()

    def settle(self) -> None:
        """After a bulk load: statistics, and on PostgreSQL the vacuum its autovacuum and the
        checkpoint its WAL volume would otherwise start in the middle of the measured load (the
        checkpoint showed as catalog p99 spikes of 28 ms 5 to 8 s after the server's start), and
        the kernel's write-back of what the checkpoint wrote."""
        if self.engine == "sqlite":
            self.run("ANALYZE;")
            return
        command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url,
                   "-c", "VACUUM (ANALYZE);", "-c", "CHECKPOINT;"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{self.engine} said: {done.stderr.strip()}")
        # The throwaway cluster runs with fsync=off, so the checkpoint leaves the seed (2 GB) in
        # the kernel's dirty pages, and the kernel wrote them back during the first measured line:
        # PostgreSQL's catalog p99 was 22 to 27 ms in seven runs, 4.6 ms after this sync.
        os.sync()

    def one(self, sql: str) -> str:
        return self.run(sql).splitlines()[-1]

    def numbers(self, count: int) -> str:
        """A common table expression n(i) counting 1..count."""
        if self.engine == "sqlite":
            return f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})"
        return f"WITH n(i) AS (SELECT generate_series(1, {count}))"


def seed_resources(db: Database, admin_id: int) -> None:
    """The catalog, every resource owned by the admin (so every request waits for them)."""
    now = int(time.time())
    db.run(
        f"""
        {db.numbers(RESOURCES)}
        INSERT INTO resources (slug, name, kind, description, is_requestable, created_at, updated_at)
        SELECT 'bench-' || i, 'Bench resource ' || i, CASE WHEN i % 2 = 0 THEN 'group' ELSE 'app' END,
               'Shared workspace number ' || i || ' for partner projects: documents, tickets and chat.',
               1, {now}, {now}
        FROM n;
        INSERT INTO resource_owners (resource_id, account_id, created_at)
        SELECT id, {admin_id}, {now} FROM resources;
        """
    )


def seed_backlog(db: Database, admin_id: int) -> None:
    """1,000,000 pending requests waiting for the admin (their policy copied from a request
    the portal itself stored) and 1,000,000 audit events, over the last 23 days."""
    now = int(time.time())
    start = now - 2 * ROWS
    first_resource = int(db.one("SELECT MIN(id) FROM resources WHERE slug LIKE 'bench-%';"))
    db.run(
        f"""
        {db.numbers(ROWS)}
        INSERT INTO access_requests (resource_id, email, display_name, organisation, justification,
            answers, policy, state, stage, status_token_hash, decide_by, created_at, updated_at)
        SELECT {first_resource} + i % {RESOURCES}, 'seed-' || i || '@partner' || (i % 500) || '.example.org',
               'Seed Partner ' || i, 'Partner Company ' || (i % 500), 'Seeded for the benchmark.', '[]',
               (SELECT policy FROM access_requests ORDER BY id LIMIT 1), 'pending', 1, 'seed-' || i,
               {now} + 30 * 86400, {start} + 2 * i, {start} + 2 * i
        FROM n;
        INSERT INTO approval_tasks (request_id, stage, account_id, created_at)
        SELECT id, 1, {admin_id}, created_at FROM access_requests WHERE status_token_hash LIKE 'seed-%';
        """
    )
    db.run(
        f"""
        {db.numbers(ROWS)}
        INSERT INTO audit_events (occurred_at, actor, action, target_kind, target_id, target, resource_id, client_ip, details)
        SELECT {start} + 2 * i, 'seed-' || i || '@partner' || (i % 500) || '.example.org',
               CASE i % 4 WHEN 0 THEN 'request.created' WHEN 1 THEN 'decision.recorded'
                          WHEN 2 THEN 'invitation.created' ELSE 'invitation.redeemed' END,
               'access_request', '' || i, 'seed-' || i || '@partner' || (i % 500) || '.example.org',
               {first_resource} + i % {RESOURCES}, '192.0.2.' || (i % 250), '{{}}'
        FROM n;
        """
    )
    db.settle()


def review_cursor(db: Database, admin_id: int, page: int, page_size: int) -> str:
    """The review queue's `after` cursor that opens `page` (the last row of the page before)."""
    row = db.one(
        f"""
        SELECT t.created_at || '.' || t.request_id
        FROM approval_tasks t JOIN access_requests r ON r.id = t.request_id AND r.state = 'pending'
        WHERE t.account_id = {admin_id}
        ORDER BY t.created_at, t.request_id LIMIT 1 OFFSET {(page - 1) * page_size - 1};
        """
    )
    return row


def audit_cursor(db: Database, page: int, page_size: int) -> str:
    """The audit log's `before` cursor that opens `page`."""
    return db.one(f"SELECT id FROM audit_events ORDER BY id DESC LIMIT 1 OFFSET {(page - 1) * page_size - 1};")


def count(db: Database, sql: str) -> int:
    return int(db.one(sql))
