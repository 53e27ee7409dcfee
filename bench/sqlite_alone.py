"""SQLite alone: the statements of one request submission, as the portal writes them (each in a
savepoint, GROUP of them per transaction, as app/src/store/group_commit.rs does with 32
connections' worth waiting), run by Python's sqlite3 in this process, with no portal, no HTTP
and no thread hand-offs. It shows what SQLite itself completes on this machine with the same
pragmas, which bounds what the portal's one writer can reach."""

import hashlib
import json
import sqlite3
import time

GROUP = 32


def sqlite_alone(path: str, seconds: int) -> dict:
    db = sqlite3.connect(path, isolation_level=None, timeout=10)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        db.execute(f"PRAGMA {pragma}")
    policy = db.execute("SELECT policy FROM access_requests ORDER BY id LIMIT 1").fetchone()[0]
    first = db.execute("SELECT MIN(id) FROM resources WHERE slug LIKE 'bench-%'").fetchone()[0]
    admin = db.execute("SELECT MIN(account_id) FROM resource_owners").fetchone()[0]
    text_len, html_len = db.execute("SELECT AVG(LENGTH(text_body)), AVG(LENGTH(html_body)) FROM outbox_messages").fetchone()
    text, html = "t" * int(text_len), "h" * int(html_len)
    now, done = int(time.time()), 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        db.execute("BEGIN IMMEDIATE")
        for _ in range(GROUP):
            done += 1
            resource = first + done % 20
            email = f"alone-{now}-{done}@partner{done % 50}.example.org"
            db.execute("SAVEPOINT grouped_write")
            (request_id,) = db.execute(
                """INSERT INTO access_requests (resource_id, email, display_name, organisation, justification,
                       answers, terms_version, policy, state, stage, status_token_hash, decide_by, created_at,
                       updated_at, closed_at)
                   VALUES (?, ?, ?, 'Partner Company 7', 'Needs access for the joint project, week 7', '[]', NULL,
                       ?, 'pending', 1, ?, ?, ?, ?, NULL)
                   ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING RETURNING id""",
                (resource, email, f"Bench Partner {done}", policy, hashlib.sha256(email.encode()).hexdigest(),
                 now + 14 * 86400, now, now)).fetchone()
            db.execute(
                """SELECT a.id, a.email, a.display_name FROM resource_owners o JOIN accounts a ON a.id = o.account_id
                   WHERE o.resource_id = ? AND a.disabled_at IS NULL ORDER BY a.display_name, a.id""",
                (resource,)).fetchall()
            db.execute("""INSERT INTO approval_tasks (request_id, stage, account_id, created_at) VALUES (?, 1, ?, ?)
                          ON CONFLICT (request_id, stage, account_id) DO NOTHING""", (request_id, admin, now))
            db.execute(
                """INSERT INTO outbox_messages (idempotency_key, to_address, subject, text_body, html_body, created_at,
                       send_after)
                   VALUES (?, ?, 'We received your request', ?, ?, ?, ?), (?, ?, 'A request waits for you', ?, ?, ?, ?)""",
                (f"received.{email}", email, text, html, now, now,
                 f"approval.{email}", "bench-admin@portico.example", text, html, now, now))
            db.execute(
                """INSERT INTO audit_events (occurred_at, actor_account_id, actor, action, target_kind, target_id,
                       target, resource_id, client_ip, details)
                   VALUES (?, NULL, ?, 'request.created', 'access_request', ?, ?, ?, '127.0.0.1', ?)""",
                (now, email, str(request_id), email, resource, json.dumps({"approvers": [admin], "stage": 1})))
            db.execute(
                """INSERT INTO webhook_deliveries (endpoint_id, event, payload, created_at, state, next_attempt_at)
                   SELECT id, 'request.created', '{}', ?, 'pending', ? FROM webhook_endpoints
                   WHERE enabled = 1 AND (',' || events || ',') LIKE '%,request.created,%'""", (now, now))
            db.execute("RELEASE SAVEPOINT grouped_write")
        db.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.close()
    return {
        "per_second": done / elapsed,
        "cpu_ms": 1000 * cpu / done,
        "busy": cpu / elapsed,
        "group": GROUP,
        "version": sqlite3.sqlite_version,
    }
