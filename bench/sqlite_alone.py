"""SQLite alone: the statements of a batch of request submissions, as the portal writes them
(app/src/domain/submission_write.rs: one multi-row statement per table for the whole batch, in
one transaction), run by Python's sqlite3 in this process, with no portal, no HTTP and no thread
hand-offs. It shows what SQLite itself completes on this machine with the same pragmas, which
bounds what the portal's one writer can reach."""

import hashlib
import json
import sqlite3
import time

# The most the portal's batch writer can have waiting with 32 connections of load.
BATCH = 32
RESOURCES = 20


def rows(count: int, template: str) -> str:
    return ", ".join([template] * count)


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
        batch = []
        for _ in range(BATCH):
            done += 1
            batch.append((f"alone-{now}-{done}@partner{done % 50}.example.org", first + done % RESOURCES, done))
        db.execute("BEGIN IMMEDIATE")
        params = []
        for email, resource, n in batch:
            params += [resource, email, f"Bench Partner {n}", "Partner Company 7",
                       "Needs access for the joint project, week 7", "[]", None, policy, "pending", 1,
                       hashlib.sha256(email.encode()).hexdigest(), now + 14 * 86400, now, now, None]
        inserted = db.execute(
            f"""INSERT INTO access_requests (resource_id, email, display_name, organisation, justification,
                    answers, terms_version, policy, state, stage, status_token_hash, decide_by, created_at,
                    updated_at, closed_at)
                VALUES {rows(len(batch), "(" + ", ".join("?" * 15) + ")")}
                ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING
                RETURNING id, status_token_hash""", params).fetchall()
        ids = {token: request_id for request_id, token in inserted}
        # The stage's candidates, once per resource in the batch.
        for resource in sorted({resource for _, resource, _ in batch}):
            db.execute(
                """SELECT a.id, a.email, a.display_name FROM resource_owners o JOIN accounts a ON a.id = o.account_id
                   WHERE o.resource_id = ? AND a.disabled_at IS NULL ORDER BY a.display_name, a.id""",
                (resource,)).fetchall()
        requests = [(ids[hashlib.sha256(email.encode()).hexdigest()], email, resource) for email, resource, _ in batch]
        db.execute(
            f"""INSERT INTO approval_tasks (request_id, stage, account_id, created_at)
                VALUES {rows(len(requests), "(?, ?, ?, ?)")}
                ON CONFLICT (request_id, stage, account_id) DO NOTHING""",
            [x for request_id, _, _ in requests for x in (request_id, 1, admin, now)])
        mail = []
        for _, email, _ in requests:
            mail += [f"received.{email}", email, "We received your request", text, html, now, now,
                     f"approval.{email}", "bench-admin@portico.example", "A request waits for you", text, html, now, now]
        db.execute(
            f"""INSERT INTO outbox_messages (idempotency_key, to_address, subject, text_body, html_body, created_at,
                    send_after)
                VALUES {rows(2 * len(requests), "(?, ?, ?, ?, ?, ?, ?)")}""", mail)
        events = []
        for request_id, email, resource in requests:
            events += [now, None, email, "request.created", "access_request", str(request_id), email, resource,
                       "127.0.0.1", json.dumps({"approvers": [admin], "stage": 1})]
        db.execute(
            f"""INSERT INTO audit_events (occurred_at, actor_account_id, actor, action, target_kind, target_id,
                    target, resource_id, client_ip, details)
                VALUES {rows(len(requests), "(" + ", ".join("?" * 10) + ")")}""", events)
        hooks = [x for order, _ in enumerate(requests) for x in ("request.created", "{}", now, order)]
        db.execute(
            f"""INSERT INTO webhook_deliveries (endpoint_id, event, payload, created_at, state, next_attempt_at)
                SELECT w.id, v.column1, v.column2, v.column3, 'pending', v.column3
                FROM (VALUES {rows(len(requests), "(?, ?, ?, ?)")}) AS v
                JOIN webhook_endpoints w
                  ON w.enabled = 1 AND (',' || w.events || ',') LIKE ('%,' || v.column1 || ',%')
                ORDER BY v.column4, w.id""", hooks)
        db.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db.close()
    return {
        "per_second": done / elapsed,
        "cpu_ms": 1000 * cpu / done,
        "busy": cpu / elapsed,
        "group": BATCH,
        "version": sqlite3.sqlite_version,
    }
